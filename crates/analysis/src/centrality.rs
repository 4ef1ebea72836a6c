//! Who is central: degree, betweenness (exact, or sampled with a stated
//! error bound above a size) and closeness.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::network::Snapshot;

/// rustworkx runs Brandes' algorithm on several threads from this many nodes
/// (its documented break-even point).
const PARALLEL_FROM: usize = 50;

/// Number of partners each organisation is linked to.
pub fn degree(snapshot: &Snapshot) -> Vec<usize> {
    (0..snapshot.node_count())
        .map(|node| snapshot.degree(node))
        .collect()
}

/// Summed weight of each organisation's links.
pub fn weighted_degree(snapshot: &Snapshot) -> Vec<f64> {
    (0..snapshot.node_count())
        .map(|node| snapshot.weights_of(node).iter().sum())
        .collect()
}

/// Exact betweenness (Brandes), normalised as NetworkX does for an
/// undirected graph (`2 / ((n-1)(n-2))`, endpoints excluded). Paths are
/// counted in hops: a link's weight says how strong a tie is, not how far
/// apart two organisations are. One breadth-first search per organisation
/// over the snapshot's compact rows, the sources shared among the machine's cores:
/// rustworkx-core's version keeps hash maps per search and was twice as
/// slow as igraph at 10,000 (`scripts/bench-analysis`).
pub fn betweenness(snapshot: &Snapshot) -> Vec<f64> {
    let nodes = snapshot.node_count();
    if nodes <= 2 {
        return vec![0.0; nodes];
    }
    let threads = std::thread::available_parallelism()
        .map(usize::from)
        .unwrap_or(1)
        .min(nodes);
    let chunk = nodes.div_ceil(threads);
    let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let sources = (t * chunk)..((t + 1) * chunk).min(nodes);
                scope.spawn(move || brandes(snapshot, sources))
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let scale = 1.0 / ((nodes - 1) * (nodes - 2)) as f64;
    (0..nodes)
        .map(|node| partials.iter().map(|p| p[node]).sum::<f64>() * scale)
        .collect()
}

/// Brandes' dependency sums from each source in `sources`, unscaled.
fn brandes(links: &Snapshot, sources: std::ops::Range<usize>) -> Vec<f64> {
    const UNREACHED: u32 = u32::MAX;
    let nodes = links.node_count();
    let mut total = vec![0.0; nodes];
    let mut distance = vec![UNREACHED; nodes];
    let mut paths = vec![0.0_f64; nodes];
    let mut dependency = vec![0.0_f64; nodes];
    let mut order: Vec<u32> = Vec::with_capacity(nodes);
    for source in sources {
        let Ok(first) = u32::try_from(source) else {
            break;
        };
        distance[source] = 0;
        paths[source] = 1.0;
        order.push(first);
        let mut next = 0;
        while let Some(&node) = order.get(next) {
            next += 1;
            let node = node as usize;
            let further = distance[node] + 1;
            let through = paths[node];
            for &neighbour in links.targets_of(node) {
                let n = neighbour as usize;
                if distance[n] == UNREACHED {
                    distance[n] = further;
                    order.push(neighbour);
                }
                if distance[n] == further {
                    paths[n] += through;
                }
            }
        }
        // Farthest first: each node passes its dependency back to the
        // neighbours one hop nearer the source.
        for &node in order.iter().rev() {
            let node = node as usize;
            let nearer = distance[node].wrapping_sub(1);
            let share = (1.0 + dependency[node]) / paths[node];
            for &neighbour in links.targets_of(node) {
                let n = neighbour as usize;
                if distance[n] == nearer {
                    dependency[n] += paths[n] * share;
                }
            }
            if node != source {
                total[node] += dependency[node];
            }
        }
        for &node in &order {
            let node = node as usize;
            distance[node] = UNREACHED;
            paths[node] = 0.0;
            dependency[node] = 0.0;
        }
        order.clear();
    }
    total
}

/// Closeness (Wasserman–Faust's form for graphs in several pieces, NetworkX's
/// default), through rustworkx. One breadth-first search per organisation.
pub fn closeness(snapshot: &Snapshot) -> Vec<f64> {
    rustworkx_core::centrality::closeness_centrality(&snapshot.graph, true, PARALLEL_FROM)
        .into_iter()
        .map(|value| value.unwrap_or(0.0))
        .collect()
}

/// How much error a sampled betweenness may have, and how likely it is to
/// stay within it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sampling {
    /// Largest absolute error of every estimate (in Riondato–Kornaropoulos
    /// units: the fraction of ordered pairs of organisations).
    pub epsilon: f64,
    /// Probability that some estimate is further than `epsilon` off.
    pub delta: f64,
    pub seed: u64,
}

/// What a sampled betweenness was computed with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SampledWith {
    #[serde(flatten)]
    pub sampling: Sampling,
    /// Upper bound of the vertex diameter (nodes on a longest shortest path).
    pub vertex_diameter: usize,
    pub samples: usize,
    /// `epsilon` in the units of the normalised values returned.
    pub error_bound: f64,
}

/// The universal constant of the ε-sample bound (Löffler and Phillips' 0.5,
/// as Riondato and Kornaropoulos use it).
const SAMPLE_CONSTANT: f64 = 0.5;

/// Riondato–Kornaropoulos' sample size: with
/// `r = (c/ε²)(⌊log2(VD − 2)⌋ + 1 + ln(1/δ))` shortest paths sampled
/// uniformly, every betweenness is within ε of the exact value with
/// probability at least 1 − δ ("Fast approximation of betweenness
/// centrality through sampling", WSDM 2014 / DMKD 2016).
pub fn sample_size(vertex_diameter: usize, epsilon: f64, delta: f64) -> usize {
    // The bound needs VD ≥ 3; below that every shortest path has no inner
    // node worth counting, and one sample per term is still valid.
    let log = (vertex_diameter.max(3) as f64 - 2.0).log2().floor();
    ((SAMPLE_CONSTANT / (epsilon * epsilon)) * (log + 1.0 + (1.0 / delta).ln())).ceil() as usize
}

/// An upper bound on the vertex diameter: in each component, twice the
/// eccentricity of one node (a breadth-first search from it) plus one. Over
/// estimating only costs samples; under estimating would break the bound.
pub fn vertex_diameter_bound(snapshot: &Snapshot) -> usize {
    let n = snapshot.node_count();
    let mut distance = vec![u32::MAX; n];
    let mut queue = std::collections::VecDeque::new();
    let mut bound = 1;
    for start in 0..n {
        if distance[start] != u32::MAX {
            continue;
        }
        distance[start] = 0;
        queue.push_back(start);
        let mut eccentricity = 0;
        while let Some(node) = queue.pop_front() {
            eccentricity = eccentricity.max(distance[node]);
            for &next in snapshot.targets_of(node) {
                let next = next as usize;
                if distance[next] == u32::MAX {
                    distance[next] = distance[node] + 1;
                    queue.push_back(next);
                }
            }
        }
        bound = bound.max(2 * eccentricity as usize + 1);
    }
    bound
}

/// Samples per rayon task: enough to amortise the task, few enough to keep
/// both cores busy to the end.
const SAMPLES_PER_TASK: usize = 512;

/// Betweenness estimated from sampled shortest paths (Riondato and
/// Kornaropoulos): pick an ordered pair of organisations uniformly, one of
/// their shortest paths uniformly, and credit its inner nodes. Neither
/// rustworkx nor petgraph offers an approximation, hence this.
///
/// Values are normalised as [`betweenness`] is; the result is the same for a
/// seed whatever the number of threads (each task draws from its own stream
/// and the counts are integers).
pub fn sampled_betweenness(snapshot: &Snapshot, sampling: Sampling) -> (Vec<f64>, SampledWith) {
    let n = snapshot.node_count();
    let vertex_diameter = vertex_diameter_bound(snapshot);
    let samples = sample_size(vertex_diameter, sampling.epsilon, sampling.delta);
    // Riondato–Kornaropoulos estimate b(w) = (1/(n(n−1))) Σ over ordered
    // pairs; NetworkX's normalisation of the same sum is b(w)·n/(n−2).
    let scale = if n > 2 {
        n as f64 / (n as f64 - 2.0)
    } else {
        0.0
    };
    let with = SampledWith {
        sampling,
        vertex_diameter,
        samples,
        error_bound: sampling.epsilon * scale,
    };
    if n < 3 {
        return (vec![0.0; n], with);
    }
    let tasks = samples.div_ceil(SAMPLES_PER_TASK);
    let counts = (0..tasks)
        .into_par_iter()
        .fold(
            || (PathSampler::new(n), vec![0u32; n]),
            |(mut sampler, mut counts), task| {
                let mut rng = ChaCha8Rng::seed_from_u64(sampling.seed);
                rng.set_stream(task as u64);
                let draws = SAMPLES_PER_TASK.min(samples - task * SAMPLES_PER_TASK);
                for _ in 0..draws {
                    let source = rng.gen_range(0..n);
                    let mut target = rng.gen_range(0..n - 1);
                    if target >= source {
                        target += 1;
                    }
                    sampler.credit_path(snapshot, source, target, &mut rng, &mut counts);
                }
                (sampler, counts)
            },
        )
        .map(|(_, counts)| counts)
        .reduce(
            || vec![0u32; n],
            |mut left, right| {
                left.iter_mut().zip(right).for_each(|(l, r)| *l += r);
                left
            },
        );
    let values = counts
        .into_iter()
        .map(|count| count as f64 / samples as f64 * scale)
        .collect();
    (values, with)
}

/// One side of a bidirectional search: distances and shortest-path counts
/// from its origin, the current frontier, and every node touched (so the
/// buffers are reset by that list, not by clearing all of them).
struct Side {
    distance: Vec<u32>,
    paths: Vec<f64>,
    touched: Vec<usize>,
    frontier: Vec<usize>,
    depth: u32,
}

impl Side {
    fn new(n: usize) -> Side {
        Side {
            distance: vec![u32::MAX; n],
            paths: vec![0.0; n],
            touched: Vec::new(),
            frontier: Vec::new(),
            depth: 0,
        }
    }

    fn start(&mut self, origin: usize) {
        for &node in &self.touched {
            self.distance[node] = u32::MAX;
            self.paths[node] = 0.0;
        }
        self.touched.clear();
        self.frontier.clear();
        self.distance[origin] = 0;
        self.paths[origin] = 1.0;
        self.touched.push(origin);
        self.frontier.push(origin);
        self.depth = 0;
    }

    /// The work of expanding the frontier: the sum of its degrees.
    fn cost(&self, snapshot: &Snapshot) -> usize {
        self.frontier
            .iter()
            .map(|&node| snapshot.degree(node))
            .sum()
    }

    /// Walks back from `node` to the origin, choosing each predecessor with
    /// probability proportional to its number of shortest paths, and
    /// credits every node on the way but the origin.
    fn credit_back(
        &self,
        snapshot: &Snapshot,
        mut node: usize,
        rng: &mut ChaCha8Rng,
        counts: &mut [u32],
    ) {
        while self.distance[node] > 0 {
            counts[node] += 1;
            let before = self.distance[node] - 1;
            let mut pick = rng.r#gen::<f64>() * self.paths[node];
            let mut chosen = None;
            for &previous in snapshot.targets_of(node) {
                let previous = previous as usize;
                if self.distance[previous] == before {
                    chosen = Some(previous);
                    pick -= self.paths[previous];
                    if pick < 0.0 {
                        break;
                    }
                }
            }
            // Rounding can leave `pick` a hair above zero: the last
            // predecessor seen is then the one chosen.
            let Some(previous) = chosen else { return };
            node = previous;
        }
    }
}

/// Buffers for one thread's searches.
struct PathSampler {
    from_source: Side,
    from_target: Side,
    /// Links joining the two searches at the shortest distance, with the
    /// number of shortest paths through each.
    meetings: Vec<(usize, usize, f64)>,
}

impl PathSampler {
    fn new(n: usize) -> PathSampler {
        PathSampler {
            from_source: Side::new(n),
            from_target: Side::new(n),
            meetings: Vec::new(),
        }
    }

    /// Samples one shortest path between `source` and `target` uniformly and
    /// credits its inner nodes. A balanced bidirectional breadth-first
    /// search (as KADABRA does: Borassi and Natale, ESA 2016) grows, a
    /// whole level at a time, whichever side's frontier has fewer links,
    /// until a level's links reach the other side. Every such link (u, v)
    /// carries paths(u) × paths(v) shortest paths; one is chosen in that
    /// proportion and each half walked back as the one-sided search would.
    /// On networks of small diameter this touches about the square root of
    /// what a search from one side touches.
    fn credit_path(
        &mut self,
        snapshot: &Snapshot,
        source: usize,
        target: usize,
        rng: &mut ChaCha8Rng,
        counts: &mut [u32],
    ) {
        self.from_source.start(source);
        self.from_target.start(target);
        self.meetings.clear();
        let mut total = 0.0;
        loop {
            if self.from_source.frontier.is_empty() || self.from_target.frontier.is_empty() {
                return; // no path: the pair credits nobody
            }
            let source_grows = self.from_source.cost(snapshot) <= self.from_target.cost(snapshot);
            let (grows, other) = if source_grows {
                (&mut self.from_source, &self.from_target)
            } else {
                (&mut self.from_target, &self.from_source)
            };
            let frontier = std::mem::take(&mut grows.frontier);
            let next_distance = grows.depth + 1;
            for &node in &frontier {
                for &next in snapshot.targets_of(node) {
                    let next = next as usize;
                    if other.distance[next] != u32::MAX {
                        // Only the other side's frontier can be reached
                        // here: an earlier level would have met already.
                        let through = grows.paths[node] * other.paths[next];
                        total += through;
                        let meeting = if source_grows {
                            (node, next, through)
                        } else {
                            (next, node, through)
                        };
                        self.meetings.push(meeting);
                        continue;
                    }
                    if grows.distance[next] == u32::MAX {
                        grows.distance[next] = next_distance;
                        grows.touched.push(next);
                        grows.frontier.push(next);
                    }
                    if grows.distance[next] == next_distance {
                        grows.paths[next] += grows.paths[node];
                    }
                }
            }
            grows.depth = next_distance;
            if !self.meetings.is_empty() {
                break;
            }
        }
        let mut pick = rng.r#gen::<f64>() * total;
        let mut chosen = self.meetings[self.meetings.len() - 1];
        for &meeting in &self.meetings {
            pick -= meeting.2;
            if pick < 0.0 {
                chosen = meeting;
                break;
            }
        }
        let (near_source, near_target, _) = chosen;
        self.from_source
            .credit_back(snapshot, near_source, rng, counts);
        self.from_target
            .credit_back(snapshot, near_target, rng, counts);
    }
}
