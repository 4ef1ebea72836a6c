//! How the network holds together: its pieces, its single points of
//! failure, its dense core and its edges.
//!
//! Each is linear in the links, over the snapshot's adjacency lists:
//! rustworkx-core's versions of these keep hash maps and sets per node and
//! were 4 to 19 times slower than igraph at 100,000 organisations
//! (`scripts/bench-analysis`, BENCHMARKS.md), where the analysis must stay
//! within seconds.

use crate::network::Snapshot;

/// Connected components, largest first, each sorted; ties by first member.
pub fn components(snapshot: &Snapshot) -> Vec<Vec<usize>> {
    let nodes = snapshot.node_count();
    let mut seen = vec![false; nodes];
    let mut components = Vec::new();
    for start in 0..nodes {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        // Breadth first: the queue is the component once drained.
        let mut members = vec![start];
        let mut next = 0;
        while let Some(&node) = members.get(next) {
            next += 1;
            for &(neighbour, _) in snapshot.neighbours(node) {
                if !seen[neighbour] {
                    seen[neighbour] = true;
                    members.push(neighbour);
                }
            }
        }
        members.sort_unstable();
        components.push(members);
    }
    components.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
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
            if let Some(&(neighbour, _)) = snapshot.neighbours(node).get(at) {
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
    let nodes = snapshot.node_count();
    let mut degree: Vec<usize> = (0..nodes).map(|n| snapshot.neighbours(n).len()).collect();
    let most = degree.iter().copied().max().unwrap_or(0);
    // bucket_start[d]: where the organisations of degree d start in `order`.
    let mut bucket_start = vec![0; most + 1];
    for &d in &degree {
        bucket_start[d] += 1;
    }
    let mut start = 0;
    for slot in &mut bucket_start {
        let count = *slot;
        *slot = start;
        start += count;
    }
    let mut order = vec![0; nodes];
    let mut position = vec![0; nodes];
    {
        let mut next = bucket_start.clone();
        for (node, &d) in degree.iter().enumerate() {
            position[node] = next[d];
            order[next[d]] = node;
            next[d] += 1;
        }
    }
    for i in 0..nodes {
        let node = order[i];
        for &(neighbour, _) in snapshot.neighbours(node) {
            if degree[neighbour] > degree[node] {
                // Swap the neighbour to the front of its bucket, then
                // shrink the bucket past it: it now has one link fewer.
                let d = degree[neighbour];
                let first = bucket_start[d];
                let other = order[first];
                if other != neighbour {
                    let at = position[neighbour];
                    order[first] = neighbour;
                    order[at] = other;
                    position[neighbour] = first;
                    position[other] = at;
                }
                bucket_start[d] += 1;
                degree[neighbour] -= 1;
            }
        }
    }
    degree
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
