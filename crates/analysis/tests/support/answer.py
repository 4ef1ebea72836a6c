"""Answers the analysis tests' questions with NetworkX.

Reads {"nodes": n, "edges": [[a, b, weight], ...], "ask": [...]} on standard
input and writes one JSON object with an answer for each question asked.
"""
import json
import sys

import networkx as nx

request = json.load(sys.stdin)
graph = nx.Graph()
graph.add_nodes_from(range(request["nodes"]))
graph.add_weighted_edges_from(request["edges"])
answers = {}
for question in request["ask"]:
    if question == "betweenness":
        values = nx.betweenness_centrality(graph, normalized=True)
        answers[question] = [values[node] for node in range(request["nodes"])]
    elif question == "closeness":
        values = nx.closeness_centrality(graph)
        answers[question] = [values[node] for node in range(request["nodes"])]
    elif question == "components":
        answers[question] = [sorted(c) for c in nx.connected_components(graph)]
    elif question == "articulation_points":
        answers[question] = sorted(nx.articulation_points(graph))
    elif question == "bridges":
        answers[question] = sorted([min(a, b), max(a, b)] for a, b in nx.bridges(graph))
    elif question == "core_numbers":
        values = nx.core_number(graph)
        answers[question] = [values[node] for node in range(request["nodes"])]
    elif question == "louvain":
        communities = nx.community.louvain_communities(graph, weight="weight", seed=1)
        membership = [0] * request["nodes"]
        for index, members in enumerate(communities):
            for member in members:
                membership[member] = index
        answers[question] = {
            "membership": membership,
            "modularity": nx.community.modularity(graph, communities, weight="weight"),
        }
    else:
        raise SystemExit(f"unknown question {question}")
json.dump(answers, sys.stdout)
