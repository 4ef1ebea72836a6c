//! How the network holds together: its pieces, its single points of
//! failure, its dense core and its edges.

use rustworkx_core::connectivity;
use rustworkx_core::petgraph::graph::NodeIndex;

use crate::network::Snapshot;

/// Connected components, largest first, each sorted; ties by first member.
pub fn components(snapshot: &Snapshot) -> Vec<Vec<usize>> {
    let mut components: Vec<Vec<usize>> = connectivity::connected_components(&snapshot.graph)
        .into_iter()
        .map(|members| {
            let mut members: Vec<usize> = members.into_iter().map(NodeIndex::index).collect();
            members.sort_unstable();
            members
        })
        .collect();
    components.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    components
}

/// Organisations whose loss splits a component (articulation points), sorted.
pub fn articulation_points(snapshot: &Snapshot) -> Vec<usize> {
    let mut points: Vec<usize> = connectivity::articulation_points(&snapshot.graph, None)
        .into_iter()
        .map(NodeIndex::index)
        .collect();
    points.sort_unstable();
    points
}

/// Links whose loss splits a component (bridges), each `(a, b)` with
/// `a < b`, sorted. The snapshot has no parallel edges, which rustworkx's
/// algorithm needs.
pub fn bridges(snapshot: &Snapshot) -> Vec<(usize, usize)> {
    let mut bridges: Vec<(usize, usize)> = connectivity::bridges(&snapshot.graph)
        .into_iter()
        .map(|(a, b)| (a.index().min(b.index()), a.index().max(b.index())))
        .collect();
    bridges.sort_unstable();
    bridges
}

/// Each organisation's core number: the largest k such that it belongs to a
/// subgraph where everyone has at least k links inside it.
pub fn core_numbers(snapshot: &Snapshot) -> Vec<usize> {
    let mut cores = vec![0; snapshot.node_count()];
    for (node, core) in connectivity::core_number(&snapshot.graph) {
        cores[node.index()] = core;
    }
    cores
}

/// Organisations with no link at all.
pub fn isolated(snapshot: &Snapshot) -> Vec<usize> {
    (0..snapshot.node_count())
        .filter(|&node| snapshot.neighbours(node).is_empty())
        .collect()
}

/// Peripheral organisations: linked to the network through one partner
/// only, so that partner is all that connects them.
pub fn peripheral(snapshot: &Snapshot) -> Vec<usize> {
    (0..snapshot.node_count())
        .filter(|&node| snapshot.neighbours(node).len() == 1)
        .collect()
}
