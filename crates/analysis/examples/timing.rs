//! Times each metric on a random network: `cargo run --release -p
//! placeweave-analysis --example timing -- NODES EDGES_PER_NODE [GRAPHML]`.
//! With a third argument it also writes the network there as GraphML, for
//! the peers `scripts/bench-analysis` times on the same graph.

use std::time::Instant;

use placeweave_analysis::centrality::{self, Sampling};
use placeweave_analysis::{Snapshot, community, structure};
use rand::{Rng, SeedableRng};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let per: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    // Preferential attachment (Barabási–Albert): a few hubs, many small.
    let mut ends: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for node in 0..n {
        for _ in 0..per.min(node) {
            let other = if ends.is_empty() {
                rng.gen_range(0..node)
            } else {
                ends[rng.gen_range(0..ends.len())]
            };
            pairs.push((node, other, 1.0));
            ends.push(other);
            ends.push(node);
        }
    }
    if let Some(path) = args.next() {
        write_graphml(&path, n, &pairs);
    }
    // The snapshot merges the pairs and builds the compact rows every
    // metric then reads, as each peer builds its adjacency while reading
    // the file: it is timed as reading the network, not within a metric.
    let started = Instant::now();
    let snapshot = Snapshot::new(n, pairs).expect("a valid network");
    let time = |name: &str, started: Instant| {
        println!("{name:<28} {:>9.3} s", started.elapsed().as_secs_f64());
    };
    time(
        &format!("snapshot ({} edges)", snapshot.edges().len()),
        started,
    );
    let t = Instant::now();
    let _ = structure::components(&snapshot);
    time("components", t);
    let t = Instant::now();
    let _ = structure::articulation_points(&snapshot);
    let _ = structure::bridges(&snapshot);
    time("articulation points+bridges", t);
    let t = Instant::now();
    let _ = structure::core_numbers(&snapshot);
    time("core numbers", t);
    let t = Instant::now();
    let found = community::louvain(&snapshot, 1.0, 1);
    time(&format!("louvain (Q = {:.3})", found.modularity), t);
    let t = Instant::now();
    let (_, with) = centrality::sampled_betweenness(
        &snapshot,
        Sampling {
            epsilon: 0.01,
            delta: 0.1,
            seed: 1,
        },
    );
    time(&format!("sampled betweenness ({})", with.samples), t);
    if n <= 20_000 {
        let t = Instant::now();
        let _ = centrality::betweenness(&snapshot);
        time("exact betweenness", t);
    }
}

/// The network as GraphML: nodes `n0`…, one undirected edge per pair (a
/// pair drawn twice is one edge to every reader, as it is to `Snapshot`).
fn write_graphml(path: &str, n: usize, pairs: &[(usize, usize, f64)]) {
    use std::io::Write;
    let file = std::fs::File::create(path).expect("a writable path");
    let mut out = std::io::BufWriter::new(file);
    let mut seen = std::collections::HashSet::new();
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         <graph id=\"g\" edgedefault=\"undirected\">"
    )
    .expect("written");
    for node in 0..n {
        writeln!(out, "<node id=\"n{node}\"/>").expect("written");
    }
    for &(a, b, _) in pairs {
        if a != b && seen.insert((a.min(b), a.max(b))) {
            writeln!(out, "<edge source=\"n{a}\" target=\"n{b}\"/>").expect("written");
        }
    }
    writeln!(out, "</graph>\n</graphml>").expect("written");
}
