//! What the analysis tests share: generated networks and NetworkX.

#![allow(dead_code)] // each test file uses part of it

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The Python with NetworkX that `scripts/test` installs and names in
/// `PLACEWEAVE_TEST_PYTHON`. Without it the NetworkX comparisons are skipped
/// with a message, except in CI, where that is a failure.
pub fn python() -> Option<PathBuf> {
    match std::env::var_os("PLACEWEAVE_TEST_PYTHON") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var_os("CI").is_some() => {
            panic!("PLACEWEAVE_TEST_PYTHON must name a Python with networkx (scripts/test sets it)")
        }
        None => {
            eprintln!(
                "SKIPPED: set PLACEWEAVE_TEST_PYTHON to a Python with networkx to compare with NetworkX"
            );
            None
        }
    }
}

/// Runs `script` (a file of this folder) with `input` on standard input and
/// returns its standard output as JSON.
pub fn run_python(python: &PathBuf, script: &str, input: &serde_json::Value) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/support")
        .join(script);
    let mut child = Command::new(python)
        .arg(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.display()));
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.to_string().as_bytes())
        .expect("python reads its input");
    let output = child.wait_with_output().expect("python runs");
    assert!(output.status.success(), "{script} failed");
    serde_json::from_slice(&output.stdout).expect("python answers JSON")
}

/// A generated place: groups of partners dense inside (initiatives), sparse
/// between, plus partners hanging off one other (pendants, so bridges and
/// articulation points exist) and a few with no link at all. Integer weights
/// 1–5. Returns the edges `(a, b, weight)` over `n` nodes.
pub fn place_like(n: usize, seed: u64) -> Vec<(usize, usize, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut edges = Vec::new();
    let pendants = n / 20;
    let isolated = n / 100;
    let core = n - pendants - isolated;
    let mut start = 0;
    while start < core {
        let size = rng.gen_range(10..40).min(core - start);
        for a in start..start + size {
            for b in a + 1..start + size {
                if rng.gen_bool(0.2) {
                    edges.push((a, b, rng.gen_range(1..=5) as f64));
                }
            }
        }
        start += size;
    }
    for _ in 0..core / 2 {
        let a = rng.gen_range(0..core);
        let b = rng.gen_range(0..core);
        if a != b {
            edges.push((a, b, rng.gen_range(1..=5) as f64));
        }
    }
    for pendant in core..core + pendants {
        // Some pendants hang off another pendant: chains of bridges.
        let anchor = if pendant > core && rng.gen_bool(0.3) {
            pendant - 1
        } else {
            rng.gen_range(0..core)
        };
        edges.push((anchor, pendant, rng.gen_range(1..=5) as f64));
    }
    // Merge parallel edges here so NetworkX and the snapshot see one graph.
    let mut merged = std::collections::BTreeMap::new();
    for (a, b, w) in edges {
        *merged.entry((a.min(b), a.max(b))).or_insert(0.0) += w;
    }
    merged.into_iter().map(|((a, b), w)| (a, b, w)).collect()
}

pub fn request(n: usize, edges: &[(usize, usize, f64)], ask: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "nodes": n,
        "edges": edges.iter().map(|&(a, b, w)| serde_json::json!([a, b, w])).collect::<Vec<_>>(),
        "ask": ask,
    })
}
