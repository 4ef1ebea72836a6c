//! Network analysis of a place's ecosystem.
//!
//! Pure functions over a snapshot of the network (no database, no I/O): the
//! application layer builds a [`Network`] from the records the caller may
//! see, and everything here works on that snapshot only, so a hidden
//! organisation or link can never reach a metric or an export.
//!
//! Kept crates do what they already do well: `rustworkx-core` (Brandes'
//! betweenness, closeness, components, articulation points, bridges, core
//! numbers, all over `petgraph`). What none of them offers is written here:
//! the sampled betweenness with a stated error bound (`centrality::sampled`),
//! Louvain communities (`community`) and the exports (`export`).

pub mod centrality;
pub mod community;
pub mod export;
pub mod network;
pub mod report;
pub mod structure;

pub use network::{Link, LinkKind, Network, NetworkError, Node, Snapshot};
pub use report::{Analysis, Options, analyse};
