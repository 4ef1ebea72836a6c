//! Exports of a network: GraphML and GEXF (Gephi, NetworkX, igraph), CSV
//! nodes and edges, and Kumu's JSON. Each writes exactly the network it is
//! given, which the application layer built at the caller's level, plus the
//! metrics of its analysis when there is one. Parallel links of one pair
//! become one edge with their summed weight, their kinds and the records
//! they come through (most tools read a simple graph).
//!
//! Small hand-written writers: the formats are a few elements each, and an
//! XML or CSV crate would add more to the build than these lines.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::network::Network;
use crate::report::Analysis;

/// One edge as exported: two node indices (`a < b`) and what links them.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportEdge {
    pub a: usize,
    pub b: usize,
    pub weight: f64,
    /// Link kinds, sorted, space-separated ("initiative mission").
    pub kinds: String,
    /// Records the links come through, sorted, space-separated slugs.
    pub via: String,
}

/// The network's links merged by pair.
pub fn edges(network: &Network) -> Vec<ExportEdge> {
    // Summed weight, kinds and records of each pair's links.
    type Merged<'a> = (f64, Vec<&'a str>, Vec<&'a str>);
    let mut merged: BTreeMap<(usize, usize), Merged> = BTreeMap::new();
    for link in &network.links {
        if link.source == link.target {
            continue;
        }
        let key = (link.source.min(link.target), link.source.max(link.target));
        let entry = merged.entry(key).or_default();
        entry.0 += link.weight;
        entry.1.push(link.kind.as_str());
        entry.2.push(&link.via);
    }
    merged
        .into_iter()
        .map(|((a, b), (weight, mut kinds, mut via))| {
            for list in [&mut kinds, &mut via] {
                list.sort_unstable();
                list.dedup();
            }
            ExportEdge {
                a,
                b,
                weight,
                kinds: kinds.join(" "),
                via: via.join(" "),
            }
        })
        .collect()
}

/// A node attribute: its name, whether it is a number, and its value for a
/// node.
struct Column<'a> {
    name: &'static str,
    kind: ColumnKind,
    value: Box<dyn Fn(usize) -> String + 'a>,
}

#[derive(Clone, Copy, PartialEq)]
enum ColumnKind {
    Text,
    Integer,
    Real,
}

/// The node attributes every format writes: label and kind, then each
/// metric of the analysis.
fn columns<'a>(network: &'a Network, analysis: Option<&'a Analysis>) -> Vec<Column<'a>> {
    let mut columns = vec![
        Column {
            name: "label",
            kind: ColumnKind::Text,
            value: Box::new(|i| network.nodes[i].label.clone()),
        },
        Column {
            name: "kind",
            kind: ColumnKind::Text,
            value: Box::new(|i| network.nodes[i].kind.clone()),
        },
    ];
    if let Some(a) = analysis {
        columns.push(Column {
            name: "degree",
            kind: ColumnKind::Integer,
            value: Box::new(|i| a.degree[i].to_string()),
        });
        columns.push(Column {
            name: "weighted_degree",
            kind: ColumnKind::Real,
            value: Box::new(|i| a.weighted_degree[i].to_string()),
        });
        columns.push(Column {
            name: "betweenness",
            kind: ColumnKind::Real,
            value: Box::new(|i| a.betweenness[i].to_string()),
        });
        if let Some(closeness) = &a.closeness {
            columns.push(Column {
                name: "closeness",
                kind: ColumnKind::Real,
                value: Box::new(|i| closeness[i].to_string()),
            });
        }
        columns.push(Column {
            name: "core",
            kind: ColumnKind::Integer,
            value: Box::new(|i| a.core_numbers[i].to_string()),
        });
        columns.push(Column {
            name: "community",
            kind: ColumnKind::Integer,
            value: Box::new(|i| a.communities.membership[i].to_string()),
        });
    }
    columns
}

/// Text safe inside an XML attribute or element.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry other control characters at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// GraphML, undirected; node ids are the organisations' slugs.
pub fn graphml(network: &Network, analysis: Option<&Analysis>) -> String {
    let columns = columns(network, analysis);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    for column in &columns {
        let kind = match column.kind {
            ColumnKind::Text => "string",
            ColumnKind::Integer => "long",
            ColumnKind::Real => "double",
        };
        let _ = writeln!(
            out,
            "  <key id=\"{0}\" for=\"node\" attr.name=\"{0}\" attr.type=\"{kind}\"/>",
            column.name
        );
    }
    out.push_str(
        "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n\
         \x20 <key id=\"kinds\" for=\"edge\" attr.name=\"kinds\" attr.type=\"string\"/>\n\
         \x20 <key id=\"via\" for=\"edge\" attr.name=\"via\" attr.type=\"string\"/>\n\
         \x20 <graph id=\"network\" edgedefault=\"undirected\">\n",
    );
    for (i, node) in network.nodes.iter().enumerate() {
        let _ = write!(out, "    <node id=\"{}\">", xml(&node.key));
        for column in &columns {
            let _ = write!(
                out,
                "<data key=\"{}\">{}</data>",
                column.name,
                xml(&(column.value)(i))
            );
        }
        out.push_str("</node>\n");
    }
    for edge in edges(network) {
        let _ = writeln!(
            out,
            "    <edge source=\"{}\" target=\"{}\"><data key=\"weight\">{}</data>\
             <data key=\"kinds\">{}</data><data key=\"via\">{}</data></edge>",
            xml(&network.nodes[edge.a].key),
            xml(&network.nodes[edge.b].key),
            edge.weight,
            xml(&edge.kinds),
            xml(&edge.via)
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// GEXF 1.2 (Gephi's format), undirected; node ids are the slugs, labels
/// the names, other attributes declared by title.
pub fn gexf(network: &Network, analysis: Option<&Analysis>) -> String {
    // The label is GEXF's own attribute of a node, not a declared one.
    let columns: Vec<Column> = columns(network, analysis)
        .into_iter()
        .filter(|c| c.name != "label")
        .collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <gexf xmlns=\"http://www.gexf.net/1.2draft\" version=\"1.2\">\n\
         \x20 <meta><creator>Placeweave</creator></meta>\n\
         \x20 <graph mode=\"static\" defaultedgetype=\"undirected\">\n\
         \x20   <attributes class=\"node\">\n",
    );
    for column in &columns {
        let kind = match column.kind {
            ColumnKind::Text => "string",
            ColumnKind::Integer => "long",
            ColumnKind::Real => "double",
        };
        let _ = writeln!(
            out,
            "      <attribute id=\"{0}\" title=\"{0}\" type=\"{kind}\"/>",
            column.name
        );
    }
    out.push_str(
        "    </attributes>\n\
         \x20   <attributes class=\"edge\">\n\
         \x20     <attribute id=\"kinds\" title=\"kinds\" type=\"string\"/>\n\
         \x20     <attribute id=\"via\" title=\"via\" type=\"string\"/>\n\
         \x20   </attributes>\n\
         \x20   <nodes>\n",
    );
    for (i, node) in network.nodes.iter().enumerate() {
        let _ = write!(
            out,
            "      <node id=\"{}\" label=\"{}\"><attvalues>",
            xml(&node.key),
            xml(&node.label)
        );
        for column in &columns {
            let _ = write!(
                out,
                "<attvalue for=\"{}\" value=\"{}\"/>",
                column.name,
                xml(&(column.value)(i))
            );
        }
        out.push_str("</attvalues></node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (id, edge) in edges(network).into_iter().enumerate() {
        let _ = writeln!(
            out,
            "      <edge id=\"{id}\" source=\"{}\" target=\"{}\" weight=\"{}\"><attvalues>\
             <attvalue for=\"kinds\" value=\"{}\"/><attvalue for=\"via\" value=\"{}\"/>\
             </attvalues></edge>",
            xml(&network.nodes[edge.a].key),
            xml(&network.nodes[edge.b].key),
            edge.weight,
            xml(&edge.kinds),
            xml(&edge.via)
        );
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

/// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a
/// line break. A leading `=`, `+`, `-` or `@` gets a `'` so a spreadsheet
/// does not run a name as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn csv_line(fields: impl IntoIterator<Item = String>) -> String {
    let fields: Vec<String> = fields.into_iter().map(|f| csv_field(&f)).collect();
    fields.join(",") + "\r\n"
}

/// The nodes as CSV: `id` (the slug) then each attribute.
pub fn nodes_csv(network: &Network, analysis: Option<&Analysis>) -> String {
    let columns = columns(network, analysis);
    let mut out =
        csv_line(std::iter::once("id".to_owned()).chain(columns.iter().map(|c| c.name.to_owned())));
    for (i, node) in network.nodes.iter().enumerate() {
        out += &csv_line(
            std::iter::once(node.key.clone()).chain(columns.iter().map(|c| (c.value)(i))),
        );
    }
    out
}

/// The edges as CSV: `source`, `target` (slugs), `weight`, `kinds`, `via`.
pub fn edges_csv(network: &Network) -> String {
    let mut out = csv_line(["source", "target", "weight", "kinds", "via"].map(String::from));
    for edge in edges(network) {
        out += &csv_line([
            network.nodes[edge.a].key.clone(),
            network.nodes[edge.b].key.clone(),
            edge.weight.to_string(),
            edge.kinds,
            edge.via,
        ]);
    }
    out
}

/// Kumu's project JSON (what its "import JSON" reads and its export
/// writes): elements with a label and an element type, undirected
/// connections between them with a strength, a connection type and the
/// records they come through.
pub fn kumu(network: &Network, analysis: Option<&Analysis>) -> serde_json::Value {
    let columns = columns(network, analysis);
    let element = |key: &str| format!("elem-{key}");
    let elements: Vec<serde_json::Value> = (0..network.nodes.len())
        .map(|i| {
            let mut attributes = serde_json::Map::new();
            for column in &columns {
                let name = if column.name == "kind" {
                    "element type"
                } else {
                    column.name
                };
                let value = (column.value)(i);
                let value = match column.kind {
                    ColumnKind::Text => serde_json::Value::String(value),
                    _ => value
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number),
                };
                attributes.insert(name.to_owned(), value);
            }
            serde_json::json!({
                "_id": element(&network.nodes[i].key),
                "attributes": attributes,
            })
        })
        .collect();
    let connections: Vec<serde_json::Value> = edges(network)
        .into_iter()
        .enumerate()
        .map(|(id, edge)| {
            serde_json::json!({
                "_id": format!("conn-{id}"),
                "direction": "undirected",
                "from": element(&network.nodes[edge.a].key),
                "to": element(&network.nodes[edge.b].key),
                "attributes": {
                    "connection type": edge.kinds,
                    "strength": edge.weight,
                    "via": edge.via,
                },
            })
        })
        .collect();
    serde_json::json!({ "elements": elements, "connections": connections })
}
