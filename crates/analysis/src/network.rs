//! The network as the application layer hands it over, and the simple
//! weighted graph every metric runs on.

use rustworkx_core::petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

/// One organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The organisation's slug, unique within its place.
    pub key: String,
    pub label: String,
    /// The organisation kind's slug.
    pub kind: String,
}

/// Why two organisations are linked.
///
/// Relationships, interactions and grants will be further kinds, each with
/// its own weight, once those records exist: the metrics do not change, only
/// the store's query that finds the links (`store::network`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// Both take part in the same initiative.
    Initiative,
    /// Both are committed to the same mission.
    Mission,
    /// The convening organisation and a partner it has a relationship with
    /// (staff view only).
    Relationship,
    /// A member of staff and a partner whose relationship they own (staff
    /// view only).
    Owner,
    /// A member of staff and a partner they met, weighted by how often and
    /// how recently (staff view only).
    Interaction,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Initiative => "initiative",
            LinkKind::Mission => "mission",
            LinkKind::Relationship => "relationship",
            LinkKind::Owner => "owner",
            LinkKind::Interaction => "interaction",
        }
    }
}

/// One reason two organisations are linked: a typed, weighted edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// Index of one organisation in [`Network::nodes`].
    pub source: usize,
    /// Index of the other.
    pub target: usize,
    pub kind: LinkKind,
    /// The record that links them (an initiative's or a mission's slug).
    pub via: String,
    pub weight: f64,
}

/// Organisations and the typed links between them, as one caller may see
/// them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum NetworkError {
    #[error("a link names organisation {index}, but the network has {nodes}")]
    UnknownNode { index: usize, nodes: usize },
    #[error(
        "a link between {from} and {to} has weight {weight}; weights must be finite and positive"
    )]
    BadWeight { from: usize, to: usize, weight: f64 },
    #[error("a network of {nodes} organisations is more than the analysis can index")]
    TooManyNodes { nodes: usize },
}

/// An edge of the simple graph: two organisations (`a < b`) and the summed
/// weight of every link between them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Edge {
    pub a: usize,
    pub b: usize,
    pub weight: f64,
}

/// The simple undirected weighted graph the metrics run on: parallel links
/// merged (weights summed), no self-loops.
///
/// Besides the edge list it keeps the links as compressed sparse rows
/// (each node's neighbours as 32-bit ids, side by side in one array, and
/// their weights in another), built once here, while the network is read,
/// as other libraries build their adjacency while reading: every metric
/// then walks the same flat arrays instead of building its own.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(crate) graph: UnGraph<(), f64>,
    pub(crate) edges: Vec<Edge>,
    /// Where each node's neighbours start in `targets` (one more entry
    /// than there are nodes).
    pub(crate) starts: Vec<usize>,
    pub(crate) targets: Vec<u32>,
    /// The weight of the link to each of `targets`.
    pub(crate) weights: Vec<f64>,
    /// The weight every link has, when they all have the same (an
    /// unweighted network): Louvain then reads no weights at all.
    pub(crate) uniform_weight: Option<f64>,
}

impl Snapshot {
    /// Builds the graph of `nodes` organisations from weighted pairs.
    pub fn new(
        nodes: usize,
        pairs: impl IntoIterator<Item = (usize, usize, f64)>,
    ) -> Result<Snapshot, NetworkError> {
        if u32::try_from(nodes).is_err() {
            return Err(NetworkError::TooManyNodes { nodes });
        }
        let mut links = Vec::new();
        for (source, target, weight) in pairs {
            for index in [source, target] {
                if index >= nodes {
                    return Err(NetworkError::UnknownNode { index, nodes });
                }
            }
            if !(weight.is_finite() && weight > 0.0) {
                return Err(NetworkError::BadWeight {
                    from: source,
                    to: target,
                    weight,
                });
            }
            if source != target {
                links.push((source.min(target), source.max(target), weight));
            }
        }
        // A stable sort keeps repeated pairs in the order given, so their
        // weights are summed in that order.
        links.sort_by_key(|&(a, b, _)| (a, b));
        let mut edges: Vec<Edge> = Vec::with_capacity(links.len());
        for (a, b, weight) in links {
            match edges.last_mut() {
                Some(last) if last.a == a && last.b == b => last.weight += weight,
                _ => edges.push(Edge { a, b, weight }),
            }
        }
        let mut graph = UnGraph::with_capacity(nodes, edges.len());
        for _ in 0..nodes {
            graph.add_node(());
        }
        let mut starts = vec![0; nodes + 1];
        for edge in &edges {
            graph.add_edge(NodeIndex::new(edge.a), NodeIndex::new(edge.b), edge.weight);
            starts[edge.a + 1] += 1;
            starts[edge.b + 1] += 1;
        }
        for node in 0..nodes {
            starts[node + 1] += starts[node];
        }
        // Each node's neighbours in the order of the edge list.
        let mut next = starts.clone();
        let mut targets = vec![0u32; 2 * edges.len()];
        let mut weights = vec![0.0; 2 * edges.len()];
        for edge in &edges {
            for (from, to) in [(edge.a, edge.b), (edge.b, edge.a)] {
                // `to < nodes`, checked above to fit in 32 bits.
                targets[next[from]] = to as u32;
                weights[next[from]] = edge.weight;
                next[from] += 1;
            }
        }
        let uniform_weight = edges
            .first()
            .map(|first| first.weight)
            .filter(|&weight| edges.iter().all(|edge| edge.weight == weight));
        Ok(Snapshot {
            graph,
            edges,
            starts,
            targets,
            weights,
            uniform_weight,
        })
    }

    pub fn of(network: &Network) -> Result<Snapshot, NetworkError> {
        Snapshot::new(
            network.nodes.len(),
            network
                .links
                .iter()
                .map(|link| (link.source, link.target, link.weight)),
        )
    }

    pub fn node_count(&self) -> usize {
        self.starts.len() - 1
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// Each neighbour of `node` and the weight of the link to it.
    pub fn neighbours(&self, node: usize) -> impl ExactSizeIterator<Item = (usize, f64)> + '_ {
        self.targets_of(node)
            .iter()
            .zip(self.weights_of(node))
            .map(|(&next, &weight)| (next as usize, weight))
    }

    /// Number of neighbours of `node`.
    pub fn degree(&self, node: usize) -> usize {
        self.starts[node + 1] - self.starts[node]
    }

    pub(crate) fn targets_of(&self, node: usize) -> &[u32] {
        &self.targets[self.starts[node]..self.starts[node + 1]]
    }

    pub(crate) fn weights_of(&self, node: usize) -> &[f64] {
        &self.weights[self.starts[node]..self.starts[node + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_nodes_than_32_bit_ids_is_an_error_not_a_wrap() {
        let nodes = u32::MAX as usize + 1;
        assert_eq!(
            Snapshot::new(nodes, []).err(),
            Some(NetworkError::TooManyNodes { nodes })
        );
    }

    #[test]
    fn rows_hold_each_link_from_both_ends_with_repeated_pairs_summed() {
        let snapshot = Snapshot::new(3, [(0, 1, 1.0), (2, 1, 2.0), (1, 0, 0.5)]).expect("valid");
        assert_eq!(snapshot.edges().len(), 2);
        assert_eq!(
            snapshot.neighbours(1).collect::<Vec<_>>(),
            [(0, 1.5), (2, 2.0)]
        );
        assert_eq!(snapshot.degree(0), 1);
        assert_eq!(snapshot.uniform_weight, None);
    }
}
