"""Runs `scripts/bench-analysis`: Placeweave's analysis and its peers on
the same GraphML, each metric timed in the process that computes it, each
library in its own process so its peak memory is its own.

Usage (from scripts/bench-analysis): python bench_analysis.py --sizes
1000,10000 --timeout 600 --work DIR --placeweave PATH. A peer is asked
only for what it has: NetworkX and igraph have no sampled betweenness,
NetworKit no articulation points; exact betweenness is asked only where it
ends in reasonable time (NetworkX up to 1,000 nodes, the others up to
10,000)."""

import argparse
import json
import os
import re
import subprocess
import sys
import time

METRICS = [
    ("components", "components"),
    ("articulation", "articulation points + bridges"),
    ("cores", "core numbers"),
    ("louvain", "Louvain"),
    ("sampled", "sampled betweenness (ε 0.01, δ 0.1)"),
    ("exact", "exact betweenness"),
]
PEERS = ["networkx", "igraph", "networkit"]


def peer(library, path, nodes):
    """Times each metric with `library` on the GraphML at `path`."""
    timings = {}

    def timed(key, work):
        started = time.perf_counter()
        work()
        timings[key] = time.perf_counter() - started
        # Each metric as it ends, so that a peer stopped at the timeout
        # still reports the ones it finished.
        print(json.dumps(timings), flush=True)

    started = time.perf_counter()
    if library == "networkx":
        import networkx as nx

        g = nx.read_graphml(path)
        timings["load"] = time.perf_counter() - started
        print(json.dumps(timings), flush=True)
        timed("components", lambda: list(nx.connected_components(g)))
        timed("articulation", lambda: (list(nx.articulation_points(g)), list(nx.bridges(g))))
        timed("cores", lambda: nx.core_number(g))
        timed("louvain", lambda: nx.community.louvain_communities(g, seed=1))
        if nodes <= 1000:
            timed("exact", lambda: nx.betweenness_centrality(g))
    elif library == "igraph":
        import igraph

        g = igraph.Graph.Read_GraphML(path)
        timings["load"] = time.perf_counter() - started
        print(json.dumps(timings), flush=True)
        timed("components", lambda: g.connected_components())
        timed("articulation", lambda: (g.articulation_points(), g.bridges()))
        timed("cores", lambda: g.coreness())
        timed("louvain", lambda: g.community_multilevel())
        if nodes <= 10000:
            timed("exact", lambda: g.betweenness())
    elif library == "networkit":
        import networkit as nk

        nk.engineering.setNumberOfThreads(os.cpu_count() or 1)
        # NetworKit's own GraphMLReader had not read 100,000 nodes after
        # 400 s: the same file is read with the standard library's expat
        # and the graph built edge by edge, timed as its reading.
        import xml.etree.ElementTree as ET

        ids = {}
        edges = []
        for _, element in ET.iterparse(path):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "node":
                ids.setdefault(element.get("id"), len(ids))
                element.clear()
            elif tag == "edge":
                edges.append((element.get("source"), element.get("target")))
                element.clear()
        g = nk.Graph(len(ids))
        for source, target in edges:
            g.addEdge(ids[source], ids[target])
        timings["load"] = time.perf_counter() - started
        print(json.dumps(timings), flush=True)
        timed("components", lambda: nk.components.ConnectedComponents(g).run())
        timed("cores", lambda: nk.centrality.CoreDecomposition(g).run())
        timed("louvain", lambda: nk.community.PLM(g, refine=False).run())
        timed(
            "sampled",
            lambda: nk.centrality.ApproxBetweenness(g, epsilon=0.01, delta=0.1).run(),
        )
        if nodes <= 10000:
            timed("exact", lambda: nk.centrality.Betweenness(g).run())
    print(json.dumps(timings))


def run(command, timeout):
    """Runs `command`, returning its output, its peak memory (MB) and
    whether it ended in time."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    started = time.monotonic()
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            output = process.stdout.read()
            return output, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status) == 0
        if time.monotonic() - started > timeout:
            process.kill()
            _, _, usage = os.wait4(process.pid, 0)
            return process.stdout.read(), usage.ru_maxrss / 1024, False
        time.sleep(0.05)


def placeweave(binary, nodes, per, graphml, timeout):
    """Times Placeweave's analysis (the `timing` example) and writes the
    same network as GraphML."""
    output, peak, ok = run([binary, str(nodes), str(per), graphml], timeout)
    timings = {}
    names = {
        "components": "components",
        "articulation points+bridges": "articulation",
        "core numbers": "cores",
        "louvain": "louvain",
        "sampled betweenness": "sampled",
        "exact betweenness": "exact",
    }
    edges = None
    for line in output.splitlines():
        match = re.match(r"^(.*?)\s+([0-9.]+) s$", line)
        if not match:
            continue
        name, seconds = match.group(1), float(match.group(2))
        found = re.match(r"snapshot \((\d+) edges\)", name)
        if found:
            edges = int(found.group(1))
            timings["load"] = seconds
        for prefix, key in names.items():
            if name.startswith(prefix):
                timings[key] = seconds
    return timings, peak, ok, edges


def cell(timings, key, ok):
    if key in timings:
        # Three decimals below 0.1 s, where two would make ties of
        # differences of half.
        value = timings[key]
        return f"{value:.3f} s" if value < 0.1 else f"{value:.2f} s"
    return "not done in time" if not ok else "—"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--work", required=True)
    parser.add_argument("--placeweave", required=True)
    parser.add_argument("--libraries", default=",".join(PEERS),
                        help="peers to time beside Placeweave, comma separated")
    parser.add_argument("--peer")
    parser.add_argument("--graphml")
    parser.add_argument("--nodes", type=int)
    args = parser.parse_args()
    if args.peer:
        peer(args.peer, args.graphml, args.nodes)
        return
    for nodes in [int(s) for s in args.sizes.split(",")]:
        per = 5 if nodes <= 10000 else 10
        graphml = os.path.join(args.work, f"pa-{nodes}.graphml")
        columns = {}
        pw, peak, ok, edges = placeweave(args.placeweave, nodes, per, graphml, args.timeout)
        columns["Placeweave"] = (pw, peak, ok)
        for library in [name for name in args.libraries.split(",") if name]:
            if library not in PEERS:
                sys.exit(f"unknown library {library} (one of {', '.join(PEERS)})")
            output, peak, ok = run(
                [sys.executable, __file__, "--work", args.work, "--placeweave", args.placeweave,
                 "--peer", library, "--graphml", graphml, "--nodes", str(nodes)],
                args.timeout,
            )
            lines = [l for l in output.splitlines() if l.startswith("{")]
            timings = json.loads(lines[-1]) if lines else {}
            columns[library] = (timings, peak, ok)
        names = {"Placeweave": "Placeweave", "networkx": "NetworkX", "igraph": "igraph",
                 "networkit": "NetworKit"}
        print(f"\n### {nodes:,} nodes / {edges:,} edges (preferential attachment, seed 1)\n")
        print("| metric | " + " | ".join(names[c] for c in columns) + " |")
        print("| --- |" + " --- |" * len(columns))
        print("| reading the network | " + " | ".join(
            cell(t, "load", ok) for t, _, ok in columns.values()) + " |")
        for key, label in METRICS:
            print(f"| {label} | " + " | ".join(
                cell(t, key, ok) for t, _, ok in columns.values()) + " |")
        print("| peak memory | " + " | ".join(
            f"{peak:.0f} MB" for _, peak, _ in columns.values()) + " |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
