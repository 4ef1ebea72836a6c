"""Reads a GraphML or GEXF file with NetworkX and writes what it found.

Reads {"format": "graphml" | "gexf", "path": ...} on standard input; writes
{"directed": bool, "nodes": {id: attributes}, "edges": [[u, v, attributes]]}.
"""
import json
import sys

import networkx as nx

request = json.load(sys.stdin)
if request["format"] == "graphml":
    graph = nx.read_graphml(request["path"])
else:
    graph = nx.read_gexf(request["path"])
json.dump(
    {
        "directed": graph.is_directed(),
        "nodes": {node: data for node, data in graph.nodes(data=True)},
        "edges": [[u, v, data] for u, v, data in graph.edges(data=True)],
    },
    sys.stdout,
)
