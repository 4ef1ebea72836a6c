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
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(crate) graph: UnGraph<(), f64>,
    pub(crate) edges: Vec<Edge>,
    /// For each node, its neighbours and the weight of the edge to each.
    pub(crate) adjacency: Vec<Vec<(usize, f64)>>,
}

impl Snapshot {
    /// Builds the graph of `nodes` organisations from weighted pairs.
    pub fn new(
        nodes: usize,
        pairs: impl IntoIterator<Item = (usize, usize, f64)>,
    ) -> Result<Snapshot, NetworkError> {
        let mut merged = std::collections::BTreeMap::<(usize, usize), f64>::new();
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
                *merged
                    .entry((source.min(target), source.max(target)))
                    .or_default() += weight;
            }
        }
        let edges: Vec<Edge> = merged
            .into_iter()
            .map(|((a, b), weight)| Edge { a, b, weight })
            .collect();
        let mut graph = UnGraph::with_capacity(nodes, edges.len());
        for _ in 0..nodes {
            graph.add_node(());
        }
        let mut adjacency = vec![Vec::new(); nodes];
        for edge in &edges {
            graph.add_edge(NodeIndex::new(edge.a), NodeIndex::new(edge.b), edge.weight);
            adjacency[edge.a].push((edge.b, edge.weight));
            adjacency[edge.b].push((edge.a, edge.weight));
        }
        Ok(Snapshot {
            graph,
            edges,
            adjacency,
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
        self.adjacency.len()
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    pub fn neighbours(&self, node: usize) -> &[(usize, f64)] {
        &self.adjacency[node]
    }
}
