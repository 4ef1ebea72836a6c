//! Communities: Louvain's method, and the modularity it maximises.
//!
//! Neither rustworkx-core nor petgraph has community detection, hence this
//! (Blondel, Guillaume, Lambiotte and Lefebvre, "Fast unfolding of
//! communities in large networks", 2008), weighted, with NetworkX's
//! resolution parameter and a seeded node order so a result can be repeated.

use std::borrow::Cow;
use std::sync::Mutex;

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
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

/// A level of the method: nodes are communities of the level below. Its
/// links are compressed sparse rows; the first level borrows the
/// snapshot's own.
struct Level<'a> {
    starts: Cow<'a, [usize]>,
    /// Neighbours, without self-loops.
    targets: Cow<'a, [u32]>,
    weights: Cow<'a, [f64]>,
    /// The weight of every link when all are the same (the first level of
    /// an unweighted network): `weights` is then not read at all.
    uniform_weight: Option<f64>,
    /// Weight of each node's links to itself (links inside its community).
    inner: Vec<f64>,
}

impl Level<'_> {
    fn len(&self) -> usize {
        self.inner.len()
    }

    fn targets_of(&self, node: usize) -> &[u32] {
        &self.targets[self.starts[node]..self.starts[node + 1]]
    }

    /// Calls `visit` with each neighbour of `node` and the link's weight.
    #[inline(always)]
    fn for_each_link(&self, node: usize, mut visit: impl FnMut(u32, f64)) {
        let range = self.starts[node]..self.starts[node + 1];
        match self.uniform_weight {
            Some(weight) => self.targets[range]
                .iter()
                .for_each(|&next| visit(next, weight)),
            None => self.targets[range.clone()]
                .iter()
                .zip(&self.weights[range])
                .for_each(|(&next, &weight)| visit(next, weight)),
        }
    }

    /// Weighted degree, a self-loop counting twice (as in the modularity).
    fn strength(&self, node: usize) -> f64 {
        let mut sum = 0.0;
        self.for_each_link(node, |_, weight| sum += weight);
        sum + 2.0 * self.inner[node]
    }

    /// Modularity of grouping this level's nodes by `assignment` (dense
    /// community numbers below `count`): the same sum as [`modularity`]
    /// over the snapshot, without walking the snapshot's edges again.
    fn modularity(&self, assignment: &[u32], count: usize, total: f64, resolution: f64) -> f64 {
        let mut inside = vec![0.0; count];
        let mut degree = vec![0.0; count];
        for (node, &c) in assignment.iter().enumerate() {
            let c = c as usize;
            inside[c] += self.inner[node];
            degree[c] += 2.0 * self.inner[node];
            self.for_each_link(node, |next, weight| {
                // Each link inside is seen from both ends.
                if assignment[next as usize] as usize == c {
                    inside[c] += weight / 2.0;
                }
                degree[c] += weight;
            });
        }
        inside
            .iter()
            .zip(&degree)
            .map(|(l, d)| l / total - resolution * (d / (2.0 * total)).powi(2))
            .sum()
    }
}

/// Smallest modularity gain worth another level (NetworkX's default
/// threshold).
const THRESHOLD: f64 = 1e-7;

/// Louvain communities at the given resolution (1.0 is the usual
/// modularity).
pub fn louvain(snapshot: &Snapshot, resolution: f64, seed: u64) -> Communities {
    let n = snapshot.node_count();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // The snapshot has fewer than u32::MAX nodes.
    let mut membership: Vec<u32> = (0..n as u32).collect();
    let mut level = Level {
        starts: Cow::Borrowed(&snapshot.starts),
        targets: Cow::Borrowed(&snapshot.targets),
        weights: Cow::Borrowed(&snapshot.weights),
        uniform_weight: snapshot.uniform_weight,
        inner: vec![0.0; n],
    };
    let total: f64 = snapshot.edges.iter().map(|edge| edge.weight).sum();
    if total > 0.0 {
        // Each node alone: no link inside any community.
        let mut quality = -resolution
            * (0..n)
                .map(|node| (level.strength(node) / (2.0 * total)).powi(2))
                .sum::<f64>();
        loop {
            let (assignment, count) = move_nodes(&level, total, resolution, &mut rng);
            if count == level.len() {
                break;
            }
            let gained = level.modularity(&assignment, count, total, resolution);
            if gained - quality <= THRESHOLD {
                break;
            }
            for c in membership.iter_mut() {
                *c = assignment[*c as usize];
            }
            quality = gained;
            level = aggregate(&level, &assignment, count);
        }
    }
    let membership: Vec<usize> = membership.into_iter().map(|c| c as usize).collect();
    let membership = by_size(&membership);
    let count = membership.iter().max().map_or(0, |&top| top + 1);
    Communities {
        modularity: modularity(snapshot, &membership, resolution),
        membership,
        count,
    }
}

/// Louvain's first phase: takes each node, in a random order, and moves it
/// to the neighbouring community with the largest gain, until no move
/// helps. After the first sweep only nodes worth another look are taken
/// again: a node is queued when a neighbour leaves for a community other
/// than its own (Ozaki, Tezuka and Inaba's pruning, 2016; the "fast local
/// move" of Traag, Waltman and van Eck's Leiden method, 2019). Sweeping
/// every node until none moved took 22 sweeps at 100,000 nodes, most of
/// them looking at nodes that could not move.
///
/// The queue is taken a batch at a time: the best community of each node
/// in a batch is found on the machine's cores at once, all against the
/// communities as they were when the batch began (the costly part: every
/// link of every node read), then the moves are made in queue order, each
/// only if it still gains against the communities as they now are. The
/// result depends on the seed and the batch size only, never on the number
/// of threads or their timing; and every move made gains, so it ends.
/// Batches are a small fraction of the level, so a node rarely decides on
/// a neighbour's stale community.
///
/// Returns each node's community, numbered densely, and their number.
fn move_nodes(
    level: &Level,
    total: f64,
    resolution: f64,
    rng: &mut ChaCha8Rng,
) -> (Vec<u32>, usize) {
    let n = level.len();
    let strength: Vec<f64> = (0..n).map(|node| level.strength(node)).collect();
    let mut community: Vec<u32> = (0..n as u32).collect();
    let mut community_strength = strength.clone();
    let mut queue: Vec<u32> = (0..n as u32).collect();
    queue.shuffle(rng);
    let mut queued = vec![true; n];
    let mut next_queue: Vec<u32> = Vec::new();
    let mut decisions: Vec<u32> = Vec::new();
    let scratch: Vec<Mutex<Scratch>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new(Scratch::new(n)))
        .collect();
    let batch_size = (n / BATCHES_PER_SWEEP).clamp(1, MAX_BATCH);
    // The last batch (counted from 1) in which a node joined or left each
    // community.
    let mut touched = vec![0usize; n];
    let mut batch_number = 0;
    let two_m = 2.0 * total;
    while !queue.is_empty() {
        for batch in queue.chunks(batch_size) {
            batch_number += 1;
            decisions.clear();
            decisions.resize(batch.len(), 0);
            let state = State {
                level,
                community: &community,
                community_strength: &community_strength,
                strength: &strength,
                resolution,
                two_m,
            };
            let decide = |nodes: &[u32], out: &mut [u32]| {
                let slot = rayon::current_thread_index().unwrap_or(0) % scratch.len();
                // A panic elsewhere cannot leave the scratch half written
                // in a way that matters: it is cleared before each use.
                let mut scratch = scratch[slot]
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                for (&node, best) in nodes.iter().zip(out) {
                    *best = state.best(node as usize, &mut scratch);
                }
            };
            if batch.len() < PARALLEL_FROM {
                decide(batch, &mut decisions);
            } else {
                batch
                    .par_chunks(GRAIN)
                    .zip(decisions.par_chunks_mut(GRAIN))
                    .for_each(|(nodes, out)| decide(nodes, out));
            }
            for &node in batch {
                queued[node as usize] = false;
            }
            for (&node, &best) in batch.iter().zip(&decisions) {
                let node = node as usize;
                let current = community[node];
                if best == current {
                    continue;
                }
                // Checked again against the moves made since the batch
                // began, unless none of them joined or left either
                // community (then the gain is the one found).
                if touched[current as usize] == batch_number
                    || touched[best as usize] == batch_number
                {
                    let (mut to_current, mut to_best) = (0.0, 0.0);
                    level.for_each_link(node, |next, weight| {
                        let c = community[next as usize];
                        if c == current {
                            to_current += weight;
                        } else if c == best {
                            to_best += weight;
                        }
                    });
                    let cost = resolution * strength[node] / two_m;
                    let stay =
                        to_current - cost * (community_strength[current as usize] - strength[node]);
                    let go = to_best - cost * community_strength[best as usize];
                    if go <= stay + 1e-12 {
                        continue;
                    }
                }
                touched[current as usize] = batch_number;
                touched[best as usize] = batch_number;
                community_strength[current as usize] -= strength[node];
                community_strength[best as usize] += strength[node];
                community[node] = best;
                for &next in level.targets_of(node) {
                    let next = next as usize;
                    if !queued[next] && community[next] != best {
                        queued[next] = true;
                        next_queue.push(next as u32);
                    }
                }
            }
        }
        std::mem::swap(&mut queue, &mut next_queue);
        next_queue.clear();
    }
    let mut renumber = vec![u32::MAX; n];
    let mut count = 0;
    for c in community.iter_mut() {
        if renumber[*c as usize] == u32::MAX {
            renumber[*c as usize] = count;
            count += 1;
        }
        *c = renumber[*c as usize];
    }
    (community, count as usize)
}

/// A sweep's queue is taken in about this many batches.
const BATCHES_PER_SWEEP: usize = 64;
/// Largest batch: at 100,000 nodes about 1.5% of the level.
const MAX_BATCH: usize = 2048;
/// Batches smaller than this are decided on the calling thread.
const PARALLEL_FROM: usize = 512;
/// Nodes per parallel task.
const GRAIN: usize = 256;

/// One thread's buffers for finding a node's best community.
struct Scratch {
    /// Weight from the node to each neighbouring community.
    towards: Vec<f64>,
    /// The communities with a weight in `towards`.
    seen: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            towards: vec![0.0; n],
            seen: Vec::new(),
        }
    }
}

/// The communities as a batch found them.
struct State<'a> {
    level: &'a Level<'a>,
    community: &'a [u32],
    community_strength: &'a [f64],
    strength: &'a [f64],
    resolution: f64,
    two_m: f64,
}

impl State<'_> {
    /// The community `node` gains most by joining (its own if none gains
    /// more).
    fn best(&self, node: usize, scratch: &mut Scratch) -> u32 {
        let Scratch { towards, seen } = scratch;
        let community = self.community;
        self.level.for_each_link(node, |next, weight| {
            let c = community[next as usize];
            let slot = &mut towards[c as usize];
            if *slot == 0.0 {
                seen.push(c);
            }
            *slot += weight;
        });
        let own = self.strength[node];
        let current = community[node];
        let cost = self.resolution * own / self.two_m;
        let mut best = current;
        let mut best_gain =
            towards[current as usize] - cost * (self.community_strength[current as usize] - own);
        for &c in seen.iter() {
            if c == current {
                continue;
            }
            let gain = towards[c as usize] - cost * self.community_strength[c as usize];
            if gain > best_gain + 1e-12 {
                best = c;
                best_gain = gain;
            }
        }
        for c in seen.drain(..) {
            towards[c as usize] = 0.0;
        }
        best
    }
}

/// Louvain's second phase: each community becomes one node. Its links are
/// summed a community at a time through one scratch array (linear in the
/// links, no map per community), straight into compressed rows.
fn aggregate(level: &Level, assignment: &[u32], count: usize) -> Level<'static> {
    // The members of each community, side by side (a counting sort).
    let mut member_starts = vec![0usize; count + 1];
    for &c in assignment {
        member_starts[c as usize + 1] += 1;
    }
    for c in 0..count {
        member_starts[c + 1] += member_starts[c];
    }
    let mut members = vec![0u32; assignment.len()];
    {
        let mut next = member_starts.clone();
        for (node, &c) in assignment.iter().enumerate() {
            members[next[c as usize]] = node as u32;
            next[c as usize] += 1;
        }
    }
    let mut inner = vec![0.0; count];
    let mut towards = vec![0.0; count];
    let mut seen: Vec<u32> = Vec::new();
    let mut starts = Vec::with_capacity(count + 1);
    let mut targets = Vec::new();
    let mut weights = Vec::new();
    starts.push(0);
    for c in 0..count {
        for &node in &members[member_starts[c]..member_starts[c + 1]] {
            let node = node as usize;
            inner[c] += level.inner[node];
            let mut inside = 0.0;
            level.for_each_link(node, |next, weight| {
                let d = assignment[next as usize];
                if d as usize == c {
                    // Each inner link is seen from both ends.
                    inside += weight / 2.0;
                } else {
                    if towards[d as usize] == 0.0 {
                        seen.push(d);
                    }
                    towards[d as usize] += weight;
                }
            });
            inner[c] += inside;
        }
        seen.sort_unstable();
        for d in seen.drain(..) {
            targets.push(d);
            weights.push(towards[d as usize]);
            towards[d as usize] = 0.0;
        }
        starts.push(targets.len());
    }
    Level {
        starts: Cow::Owned(starts),
        targets: Cow::Owned(targets),
        weights: Cow::Owned(weights),
        uniform_weight: None,
        inner,
    }
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

#[cfg(test)]
mod tests {
    use rand::Rng;

    use super::*;

    /// A preferential-attachment network of `n` nodes, up to `per` links
    /// each, every link of weight 1 (a pair drawn twice is linked once).
    fn attached(n: usize, per: usize) -> Snapshot {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut ends: Vec<usize> = vec![0];
        let mut pairs = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for node in 1..n {
            for _ in 0..per.min(node) {
                let other = ends[rng.gen_range(0..ends.len())];
                if !seen.insert((node, other)) {
                    continue;
                }
                pairs.push((node, other, 1.0));
                ends.push(other);
                ends.push(node);
            }
        }
        Snapshot::new(n, pairs).expect("a valid network")
    }

    // Large enough for batches to be decided on several threads.
    const NODES: usize = 40_000;

    #[test]
    fn one_thread_or_two_find_the_same_communities() {
        let snapshot = attached(NODES, 5);
        let on = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool")
                .install(|| louvain(&snapshot, 1.0, 3))
        };
        let one = on(1);
        assert_eq!(one, on(2));
        assert!(one.count > 1 && one.modularity > 0.2);
    }

    #[test]
    fn links_of_one_weight_read_without_weights_give_what_weights_give() {
        let snapshot = attached(NODES, 5);
        assert_eq!(snapshot.uniform_weight, Some(1.0));
        let mut weighted = snapshot.clone();
        weighted.uniform_weight = None;
        assert_eq!(louvain(&snapshot, 1.0, 3), louvain(&weighted, 1.0, 3));
    }
}
