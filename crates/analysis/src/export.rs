//! Exports of a network: GraphML, GEXF, CSV and Kumu JSON.
