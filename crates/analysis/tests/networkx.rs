//! The analysis gives NetworkX's answers on generated networks.

mod support;

use placeweave_analysis::centrality::{self, Sampling};
use placeweave_analysis::{Snapshot, community, structure};
use serde_json::Value;
use support::{place_like, python, request, run_python};

fn floats(value: &Value) -> Vec<f64> {
    serde_json::from_value(value.clone()).expect("a list of numbers")
}

#[test]
fn centrality_and_structure_match_networkx_on_1000_organisations() {
    let Some(python) = python() else { return };
    let n = 1_000;
    let edges = place_like(n, 7);
    let snapshot = Snapshot::new(n, edges.iter().copied()).expect("a valid network");
    let answers = run_python(
        &python,
        "answer.py",
        &request(
            n,
            &edges,
            &[
                "betweenness",
                "closeness",
                "components",
                "articulation_points",
                "bridges",
                "core_numbers",
            ],
        ),
    );

    let expected = floats(&answers["betweenness"]);
    let actual = centrality::betweenness(&snapshot);
    for (node, (a, e)) in actual.iter().zip(&expected).enumerate() {
        assert!(
            (a - e).abs() <= 1e-9,
            "betweenness of {node}: {a} against NetworkX's {e}"
        );
    }
    assert!(
        expected.iter().any(|&v| v > 0.01),
        "the graph has central nodes"
    );

    let expected = floats(&answers["closeness"]);
    for (node, (a, e)) in centrality::closeness(&snapshot)
        .iter()
        .zip(&expected)
        .enumerate()
    {
        assert!(
            (a - e).abs() <= 1e-9,
            "closeness of {node}: {a} against NetworkX's {e}"
        );
    }

    let mut expected: Vec<Vec<usize>> =
        serde_json::from_value(answers["components"].clone()).unwrap();
    expected.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    assert_eq!(structure::components(&snapshot), expected);
    assert!(expected.len() > 1, "the graph has isolated organisations");

    let expected: Vec<usize> =
        serde_json::from_value(answers["articulation_points"].clone()).unwrap();
    assert!(!expected.is_empty());
    assert_eq!(structure::articulation_points(&snapshot), expected);

    let expected: Vec<(usize, usize)> = serde_json::from_value(answers["bridges"].clone()).unwrap();
    assert!(!expected.is_empty());
    assert_eq!(structure::bridges(&snapshot), expected);

    let expected: Vec<usize> = serde_json::from_value(answers["core_numbers"].clone()).unwrap();
    assert_eq!(structure::core_numbers(&snapshot), expected);
}

#[test]
fn louvain_modularity_is_within_002_of_networkx() {
    let Some(python) = python() else { return };
    for (n, seed) in [(1_000, 3), (3_000, 11)] {
        let edges = place_like(n, seed);
        let snapshot = Snapshot::new(n, edges.iter().copied()).expect("a valid network");
        let answers = run_python(&python, "answer.py", &request(n, &edges, &["louvain"]));
        let theirs = answers["louvain"]["modularity"]
            .as_f64()
            .expect("a modularity");
        // The same partition scores the same: our modularity is NetworkX's.
        let membership: Vec<usize> =
            serde_json::from_value(answers["louvain"]["membership"].clone()).unwrap();
        let rescored = community::modularity(&snapshot, &membership, 1.0);
        assert!(
            (rescored - theirs).abs() < 1e-9,
            "{rescored} against {theirs}"
        );

        let ours = community::louvain(&snapshot, 1.0, 1);
        assert!(
            ours.modularity >= theirs - 0.02,
            "{n} nodes: modularity {} against NetworkX's {theirs}",
            ours.modularity
        );
        assert!(ours.count > 1);
    }
}

/// Sampled betweenness finds the exact top 1% of 10,000 organisations.
///
/// The network is 100 brokers, linked among themselves at random, each the
/// hub of its own group of 99 partners (sparsely linked inside the group):
/// every path out of a group goes through its broker, so each broker is on
/// at least 2% of the shortest paths and the exact top 1% (100) are the
/// brokers. The test first checks that the gap between the 100th and the
/// 101st exact values is wider than twice the error bound. With ε = 0.008
/// and δ = 0.01 every estimate is within the bound with probability 0.99
/// (Riondato–Kornaropoulos), so the sampled top 1% is the exact one; a wrong
/// sampler (biased pairs or paths, a bad normalisation) moves brokers out of
/// it or breaks the bound. Smaller ε costs 1/ε² more samples.
#[test]
fn sampled_betweenness_finds_the_exact_top_percent_of_10000() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let (brokers, size) = (100, 99);
    let n = brokers * (size + 1);
    let mut edges = Vec::new();
    for broker in 0..brokers {
        for _ in 0..2 {
            let other = rng.gen_range(0..brokers);
            if other != broker {
                edges.push((broker, other, 1.0));
            }
        }
        let base = brokers + broker * size;
        for member in base..base + size {
            edges.push((broker, member, 1.0));
            let other = base + rng.gen_range(0..size);
            if other != member {
                edges.push((member, other, 1.0));
            }
        }
    }
    let snapshot = Snapshot::new(n, edges).expect("a valid network");
    let exact = centrality::betweenness(&snapshot);
    let sampling = Sampling {
        epsilon: 0.008,
        delta: 0.01,
        seed: 9,
    };
    let (sampled, with) = centrality::sampled_betweenness(&snapshot, sampling);
    let top = n / 100;
    let ranked = |values: &[f64]| {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
        order
    };
    let exact_order = ranked(&exact);
    let gap = exact[exact_order[top - 1]] - exact[exact_order[top]];
    assert!(
        gap > 2.0 * with.error_bound,
        "the test network separates its top 1% by {gap}, not more than twice the bound {}",
        with.error_bound
    );
    let mut expected: Vec<usize> = exact_order[..top].to_vec();
    let mut found: Vec<usize> = ranked(&sampled)[..top].to_vec();
    expected.sort_unstable();
    found.sort_unstable();
    assert_eq!(found, expected, "sampled with {with:?}");
    let worst = exact
        .iter()
        .zip(&sampled)
        .map(|(e, s)| (e - s).abs())
        .fold(0.0, f64::max);
    assert!(
        worst <= with.error_bound,
        "an estimate is {worst} off, past {}",
        with.error_bound
    );
    eprintln!("{} samples, worst error {worst}, gap {gap}", with.samples);
}
