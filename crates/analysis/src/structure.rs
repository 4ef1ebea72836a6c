//! How the network holds together: its pieces, its single points of
//! failure, its dense core and its edges.
//!
//! Each is linear in the links, over the snapshot's compact rows:
//! rustworkx-core's versions of these keep hash maps and sets per node and
//! were 4 to 19 times slower than igraph at 100,000 organisations
//! (`scripts/bench-analysis`, BENCHMARKS.md), where the analysis must stay
//! within seconds.

use crate::network::Snapshot;

/// Connected components, largest first, each sorted; ties by first member.
pub fn components(snapshot: &Snapshot) -> Vec<Vec<usize>> {
    const UNSEEN: u32 = u32::MAX;
    let nodes = snapshot.node_count();
    // Each node's component, numbered in order of its lowest member (the
    // snapshot holds fewer than u32::MAX nodes, so no number is UNSEEN).
    let mut label = vec![UNSEEN; nodes];
    let mut sizes: Vec<usize> = Vec::new();
    let mut queue: Vec<u32> = Vec::new();
    for start in 0..nodes {
        if label[start] != UNSEEN {
            continue;
        }
        let id = sizes.len() as u32;
        label[start] = id;
        queue.clear();
        queue.push(start as u32);
        let mut next = 0;
        while let Some(&node) = queue.get(next) {
            next += 1;
            for &neighbour in snapshot.targets_of(node as usize) {
                let slot = &mut label[neighbour as usize];
                if *slot == UNSEEN {
                    *slot = id;
                    queue.push(neighbour);
                }
            }
        }
        sizes.push(queue.len());
    }
    // Gathered in node order, so each component comes out sorted without
    // sorting it.
    let mut components: Vec<Vec<usize>> =
        sizes.iter().map(|&size| Vec::with_capacity(size)).collect();
    for (node, &id) in label.iter().enumerate() {
        components[id as usize].push(node);
    }
    // Stable: equal sizes stay in order of their first member.
    components.sort_by_key(|members| std::cmp::Reverse(members.len()));
    components
}

/// What one depth-first search finds: the organisations whose loss splits
/// a component, and the links whose loss does (Hopcroft and Tarjan, with
/// an explicit stack so that a long chain cannot overflow the call stack).
struct CutsFound {
    points: Vec<bool>,
    bridges: Vec<(usize, usize)>,
}

fn cuts(snapshot: &Snapshot) -> CutsFound {
    const UNSEEN: usize = usize::MAX;
    let nodes = snapshot.node_count();
    let mut discovered = vec![UNSEEN; nodes];
    let mut low = vec![0; nodes];
    let mut found = CutsFound {
        points: vec![false; nodes],
        bridges: Vec::new(),
    };
    let mut clock = 0;
    // (node, its parent, the next neighbour to look at)
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    for root in 0..nodes {
        if discovered[root] != UNSEEN {
            continue;
        }
        discovered[root] = clock;
        low[root] = clock;
        clock += 1;
        let mut root_children = 0;
        stack.push((root, UNSEEN, 0));
        while let Some(top) = stack.last_mut() {
            let (node, parent, at) = *top;
            if let Some(&neighbour) = snapshot.targets_of(node).get(at) {
                let neighbour = neighbour as usize;
                top.2 += 1;
                // The snapshot has no parallel links, so the parent is
                // skipped by node.
                if neighbour == parent {
                    continue;
                }
                if discovered[neighbour] == UNSEEN {
                    discovered[neighbour] = clock;
                    low[neighbour] = clock;
                    clock += 1;
                    if node == root {
                        root_children += 1;
                    }
                    stack.push((neighbour, node, 0));
                } else {
                    low[node] = low[node].min(discovered[neighbour]);
                }
                continue;
            }
            stack.pop();
            if parent == UNSEEN {
                continue;
            }
            low[parent] = low[parent].min(low[node]);
            if low[node] > discovered[parent] {
                found.bridges.push((parent.min(node), parent.max(node)));
            }
            if parent != root && low[node] >= discovered[parent] {
                found.points[parent] = true;
            }
        }
        if root_children > 1 {
            found.points[root] = true;
        }
    }
    found
}

/// Organisations whose loss splits a component (articulation points), sorted.
pub fn articulation_points(snapshot: &Snapshot) -> Vec<usize> {
    cuts(snapshot)
        .points
        .iter()
        .enumerate()
        .filter_map(|(node, &point)| point.then_some(node))
        .collect()
}

/// Links whose loss splits a component (bridges), each `(a, b)` with
/// `a < b`, sorted.
pub fn bridges(snapshot: &Snapshot) -> Vec<(usize, usize)> {
    let mut bridges = cuts(snapshot).bridges;
    bridges.sort_unstable();
    bridges
}

/// Each organisation's core number: the largest k such that it belongs to a
/// subgraph where everyone has at least k links inside it. Batagelj and
/// Zaversnik's bucket algorithm: organisations kept ordered by remaining
/// degree, each taken lowest first and its neighbours moved down a bucket.
pub fn core_numbers(snapshot: &Snapshot) -> Vec<usize> {
    // 32-bit counters throughout (the snapshot has fewer than u32::MAX
    // nodes): the arrays touched at random stay small enough for the cache.
    let nodes = snapshot.node_count();
    let mut degree: Vec<u32> = snapshot
        .starts
        .windows(2)
        .map(|pair| (pair[1] - pair[0]) as u32)
        .collect();
    let most = degree.iter().copied().max().unwrap_or(0) as usize;
    // bucket_start[d]: where the organisations of degree d start in `order`.
    let mut bucket_start = vec![0u32; most + 1];
    for &d in &degree {
        bucket_start[d as usize] += 1;
    }
    let mut start = 0;
    for slot in &mut bucket_start {
        let count = *slot;
        *slot = start;
        start += count;
    }
    let mut order = vec![0u32; nodes];
    let mut position = vec![0u32; nodes];
    {
        let mut next = bucket_start.clone();
        for (node, &d) in degree.iter().enumerate() {
            let at = &mut next[d as usize];
            position[node] = *at;
            order[*at as usize] = node as u32;
            *at += 1;
        }
    }
    for i in 0..nodes {
        let node = order[i] as usize;
        let own = degree[node];
        // Touch a later node's row now, so that its first cache line is on
        // its way while this one is walked (a plain read as a prefetch).
        if let Some(&ahead) = order.get(i + AHEAD) {
            std::hint::black_box(snapshot.targets.get(snapshot.starts[ahead as usize]));
        }
        for &neighbour in snapshot.targets_of(node) {
            let neighbour = neighbour as usize;
            let d = degree[neighbour];
            if d > own {
                // Swap the neighbour to the front of its bucket, then
                // shrink the bucket past it: it now has one link fewer.
                let first = bucket_start[d as usize];
                let other = order[first as usize];
                if other as usize != neighbour {
                    let at = position[neighbour];
                    order[first as usize] = neighbour as u32;
                    order[at as usize] = other;
                    position[neighbour] = first;
                    position[other as usize] = at;
                }
                bucket_start[d as usize] += 1;
                degree[neighbour] = d - 1;
            }
        }
    }
    degree.into_iter().map(|d| d as usize).collect()
}

/// How many nodes ahead a row is touched before it is walked.
const AHEAD: usize = 4;

/// Organisations with no link at all.
pub fn isolated(snapshot: &Snapshot) -> Vec<usize> {
    (0..snapshot.node_count())
        .filter(|&node| snapshot.degree(node) == 0)
        .collect()
}

/// Peripheral organisations: linked to the network through one partner
/// only, so that partner is all that connects them.
pub fn peripheral(snapshot: &Snapshot) -> Vec<usize> {
    (0..snapshot.node_count())
        .filter(|&node| snapshot.degree(node) == 1)
        .collect()
}
