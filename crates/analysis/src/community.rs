//! Communities: Louvain's method, and the modularity it maximises.
//!
//! Neither rustworkx-core nor petgraph has community detection, hence this
//! (Blondel, Guillaume, Lambiotte and Lefebvre, "Fast unfolding of
//! communities in large networks", 2008), weighted, with NetworkX's
//! resolution parameter and a seeded node order so a result can be repeated.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::network::Snapshot;

/// Organisations grouped into communities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Communities {
    /// The community of each organisation, numbered from 0 by size (largest
    /// first).
    pub membership: Vec<usize>,
    pub count: usize,
    pub modularity: f64,
}

/// A level of the method: nodes are communities of the level below.
struct Level {
    /// Neighbours and weights, without self-loops.
    adjacency: Vec<Vec<(usize, f64)>>,
    /// Weight of each node's links to itself (links inside its community).
    inner: Vec<f64>,
}

impl Level {
    /// Weighted degree, a self-loop counting twice (as in the modularity).
    fn strength(&self, node: usize) -> f64 {
        self.adjacency[node].iter().map(|(_, w)| w).sum::<f64>() + 2.0 * self.inner[node]
    }
}

/// Smallest modularity gain worth another pass (NetworkX's default
/// threshold).
const THRESHOLD: f64 = 1e-7;

/// Louvain communities at the given resolution (1.0 is the usual
/// modularity).
pub fn louvain(snapshot: &Snapshot, resolution: f64, seed: u64) -> Communities {
    let n = snapshot.node_count();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut membership: Vec<usize> = (0..n).collect();
    let mut level = Level {
        adjacency: snapshot.adjacency.clone(),
        inner: vec![0.0; n],
    };
    let total: f64 = snapshot.edges.iter().map(|edge| edge.weight).sum();
    if total > 0.0 {
        let mut quality = modularity(snapshot, &membership, resolution);
        loop {
            let (assignment, count) = move_nodes(&level, total, resolution, &mut rng);
            if count == level.adjacency.len() {
                break;
            }
            let candidate: Vec<usize> = membership.iter().map(|&c| assignment[c]).collect();
            let gained = modularity(snapshot, &candidate, resolution);
            if gained - quality <= THRESHOLD {
                break;
            }
            membership = candidate;
            quality = gained;
            level = aggregate(&level, &assignment, count);
        }
    }
    let membership = by_size(&membership);
    let count = membership.iter().max().map_or(0, |&top| top + 1);
    Communities {
        modularity: modularity(snapshot, &membership, resolution),
        membership,
        count,
    }
}

/// Louvain's first phase: moves each node, in a random order, to the
/// neighbouring community with the largest gain until no move helps.
/// Returns each node's community, numbered densely, and their number.
fn move_nodes(
    level: &Level,
    total: f64,
    resolution: f64,
    rng: &mut ChaCha8Rng,
) -> (Vec<usize>, usize) {
    let n = level.adjacency.len();
    let strength: Vec<f64> = (0..n).map(|node| level.strength(node)).collect();
    let mut community: Vec<usize> = (0..n).collect();
    let mut community_strength = strength.clone();
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    // Weight from the node being moved to each neighbouring community.
    let mut towards = vec![0.0; n];
    let mut seen: Vec<usize> = Vec::new();
    let two_m = 2.0 * total;
    loop {
        let mut moved = false;
        for &node in &order {
            let current = community[node];
            for &(next, weight) in &level.adjacency[node] {
                let c = community[next];
                if towards[c] == 0.0 {
                    seen.push(c);
                }
                towards[c] += weight;
            }
            community_strength[current] -= strength[node];
            let cost = resolution * strength[node] / two_m;
            let mut best = current;
            let mut best_gain = towards[current] - cost * community_strength[current];
            for &c in &seen {
                let gain = towards[c] - cost * community_strength[c];
                if gain > best_gain + 1e-12 {
                    best = c;
                    best_gain = gain;
                }
            }
            community_strength[best] += strength[node];
            if best != current {
                community[node] = best;
                moved = true;
            }
            for c in seen.drain(..) {
                towards[c] = 0.0;
            }
        }
        if !moved {
            break;
        }
    }
    let mut renumber = vec![usize::MAX; n];
    let mut count = 0;
    for c in community.iter_mut() {
        if renumber[*c] == usize::MAX {
            renumber[*c] = count;
            count += 1;
        }
        *c = renumber[*c];
    }
    (community, count)
}

/// Louvain's second phase: each community becomes one node. Its links are
/// summed a community at a time through one scratch array (linear in the
/// links, no map per community).
fn aggregate(level: &Level, assignment: &[usize], count: usize) -> Level {
    let mut inner = vec![0.0; count];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (node, &c) in assignment.iter().enumerate() {
        members[c].push(node);
    }
    let mut towards = vec![0.0; count];
    let mut seen: Vec<usize> = Vec::new();
    let mut adjacency = Vec::with_capacity(count);
    for (c, nodes) in members.iter().enumerate() {
        for &node in nodes {
            inner[c] += level.inner[node];
            for &(next, weight) in &level.adjacency[node] {
                let d = assignment[next];
                if c == d {
                    // Each inner link is seen from both ends.
                    inner[c] += weight / 2.0;
                } else {
                    if towards[d] == 0.0 {
                        seen.push(d);
                    }
                    towards[d] += weight;
                }
            }
        }
        seen.sort_unstable();
        let links: Vec<(usize, f64)> = seen.iter().map(|&d| (d, towards[d])).collect();
        for d in seen.drain(..) {
            towards[d] = 0.0;
        }
        adjacency.push(links);
    }
    Level { adjacency, inner }
}

/// Renumbers communities by size, largest first, ties by lowest member.
fn by_size(membership: &[usize]) -> Vec<usize> {
    let count = membership.iter().max().map_or(0, |&top| top + 1);
    let mut sizes = vec![(0usize, usize::MAX); count];
    for (node, &c) in membership.iter().enumerate() {
        sizes[c].0 += 1;
        sizes[c].1 = sizes[c].1.min(node);
    }
    let mut order: Vec<usize> = (0..count).filter(|&c| sizes[c].0 > 0).collect();
    order.sort_by(|&a, &b| {
        sizes[b]
            .0
            .cmp(&sizes[a].0)
            .then(sizes[a].1.cmp(&sizes[b].1))
    });
    let mut rank = vec![0; count];
    for (position, &c) in order.iter().enumerate() {
        rank[c] = position;
    }
    membership.iter().map(|&c| rank[c]).collect()
}

/// Newman's weighted modularity of a partition, with a resolution:
/// Σ over communities of `L_c/m − γ (d_c / 2m)²`.
pub fn modularity(snapshot: &Snapshot, membership: &[usize], resolution: f64) -> f64 {
    let total: f64 = snapshot.edges.iter().map(|edge| edge.weight).sum();
    if total == 0.0 {
        return 0.0;
    }
    let count = membership.iter().max().map_or(0, |&top| top + 1);
    let mut inside = vec![0.0; count];
    let mut degree = vec![0.0; count];
    for edge in &snapshot.edges {
        let (a, b) = (membership[edge.a], membership[edge.b]);
        if a == b {
            inside[a] += edge.weight;
        }
        degree[a] += edge.weight;
        degree[b] += edge.weight;
    }
    inside
        .iter()
        .zip(&degree)
        .map(|(l, d)| l / total - resolution * (d / (2.0 * total)).powi(2))
        .sum()
}
