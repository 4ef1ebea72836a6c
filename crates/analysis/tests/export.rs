//! GraphML and GEXF exports read back by NetworkX give the same nodes,
//! edges and attributes; CSV and Kumu JSON hold the same network.

mod support;

use placeweave_analysis::{Link, LinkKind, Network, Node, Options, Snapshot, analyse, export};
use serde_json::Value;
use support::{place_like, python, run_python};

/// A generated network whose names need escaping in every format.
fn network() -> Network {
    let n = 300;
    let names = [
        "Arts & Crafts <Ltd>",
        "\"Quoted\" Trust, Camden",
        "Ünïcödé Café",
        "=SUM(A1) Partners",
        "O'Neill's",
    ];
    let nodes = (0..n)
        .map(|i| Node {
            key: format!("org-{i}"),
            label: format!("{} {i}", names[i % names.len()]),
            kind: ["charity", "business", "university"][i % 3].to_owned(),
        })
        .collect();
    let mut links = Vec::new();
    for (position, (a, b, w)) in place_like(n, 21).into_iter().enumerate() {
        links.push(Link {
            source: a,
            target: b,
            kind: LinkKind::Initiative,
            via: format!("initiative-{}", position % 7),
            weight: w,
        });
        if position % 3 == 0 {
            links.push(Link {
                source: b,
                target: a,
                kind: LinkKind::Mission,
                via: "mission-one".into(),
                weight: 1.0,
            });
        }
    }
    Network { nodes, links }
}

fn read_back(format: &str, text: &str) -> Option<Value> {
    let python = python()?;
    let folder = std::env::temp_dir().join(format!("placeweave-export-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    let path = folder.join(format!("network.{format}"));
    std::fs::write(&path, text).expect("write the export");
    let found = run_python(
        &python,
        "read.py",
        &serde_json::json!({ "format": format, "path": path }),
    );
    let _ = std::fs::remove_dir_all(&folder);
    Some(found)
}

/// Checks what NetworkX read against the network and analysis written
/// (the very analysis: betweenness summed on several threads may differ in
/// its last bit from one run to the next).
fn check(format: &str, network: &Network, analysis: &placeweave_analysis::Analysis) {
    let text = match format {
        "graphml" => export::graphml(network, Some(analysis)),
        _ => export::gexf(network, Some(analysis)),
    };
    let Some(found) = read_back(format, &text) else {
        return;
    };
    let snapshot = Snapshot::of(network).expect("a valid network");
    assert_eq!(found["directed"], false);

    let nodes = found["nodes"].as_object().expect("nodes");
    assert_eq!(nodes.len(), network.nodes.len());
    for (i, node) in network.nodes.iter().enumerate() {
        let data = &nodes[&node.key];
        assert_eq!(
            data["label"],
            node.label.as_str(),
            "{format}: label of {}",
            node.key
        );
        assert_eq!(data["kind"], node.kind.as_str());
        assert_eq!(data["degree"], analysis.degree[i]);
        assert_eq!(data["core"], analysis.core_numbers[i]);
        assert_eq!(data["community"], analysis.communities.membership[i]);
        // serde_json reads a float to within one unit in the last place.
        let close = |value: &Value, expected: f64| {
            let value = value.as_f64().expect("a number");
            assert!(
                (value - expected).abs() <= 1e-15 * expected.abs().max(1.0),
                "{format}: {value} against {expected}"
            );
        };
        close(&data["weighted_degree"], analysis.weighted_degree[i]);
        close(&data["betweenness"], analysis.betweenness[i]);
        let closeness = analysis.closeness.as_ref().expect("exact at this size");
        close(&data["closeness"], closeness[i]);
    }

    let expected = export::edges(network);
    let edges = found["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), expected.len());
    assert_eq!(edges.len(), snapshot.edges().len());
    let index = |key: &Value| {
        network
            .nodes
            .iter()
            .position(|n| Some(n.key.as_str()) == key.as_str())
            .expect("a known node")
    };
    let mut found: Vec<(usize, usize, f64, String, String)> = edges
        .iter()
        .map(|e| {
            let (u, v) = (index(&e[0]), index(&e[1]));
            (
                u.min(v),
                u.max(v),
                e[2]["weight"].as_f64().expect("a weight"),
                e[2]["kinds"].as_str().expect("kinds").to_owned(),
                e[2]["via"].as_str().expect("via").to_owned(),
            )
        })
        .collect();
    found.sort_by_key(|x| (x.0, x.1));
    let expected: Vec<_> = expected
        .into_iter()
        .map(|e| (e.a, e.b, e.weight, e.kinds, e.via))
        .collect();
    assert_eq!(found, expected, "{format}: edges");
    assert!(found.iter().any(|e| e.3 == "initiative mission"));
}

fn analysed() -> (Network, placeweave_analysis::Analysis) {
    let network = network();
    let snapshot = Snapshot::of(&network).expect("a valid network");
    let analysis = analyse(&snapshot, &Options::default(), &|_| {});
    (network, analysis)
}

#[test]
fn graphml_reads_back_in_networkx() {
    let (network, analysis) = analysed();
    check("graphml", &network, &analysis);
}

#[test]
fn gexf_reads_back_in_networkx() {
    let (network, analysis) = analysed();
    check("gexf", &network, &analysis);
}

#[test]
fn csv_holds_every_node_and_edge_with_names_quoted() {
    let (network, analysis) = analysed();
    let nodes = export::nodes_csv(&network, Some(&analysis));
    let lines: Vec<&str> = nodes.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), network.nodes.len() + 1);
    assert!(lines[0].starts_with("id,label,kind,degree,weighted_degree,betweenness"));
    assert!(lines[2].starts_with("org-1,\"\"\"Quoted\"\" Trust, Camden 1\",business,"));
    // A name a spreadsheet would run as a formula is written as text.
    assert!(lines[4].starts_with("org-3,'=SUM(A1) Partners 3,charity,"));
    let edges = export::edges_csv(&network);
    assert_eq!(
        edges.split("\r\n").filter(|l| !l.is_empty()).count(),
        export::edges(&network).len() + 1
    );
}

#[test]
fn kumu_json_has_an_element_per_organisation_and_a_connection_per_edge() {
    let (network, analysis) = analysed();
    let kumu = export::kumu(&network, Some(&analysis));
    let elements = kumu["elements"].as_array().expect("elements");
    assert_eq!(elements.len(), network.nodes.len());
    assert_eq!(elements[2]["attributes"]["label"], "Ünïcödé Café 2");
    assert_eq!(elements[2]["attributes"]["element type"], "university");
    let connections = kumu["connections"].as_array().expect("connections");
    let edges = export::edges(&network);
    assert_eq!(connections.len(), edges.len());
    assert_eq!(
        connections[0]["from"],
        format!("elem-{}", network.nodes[edges[0].a].key)
    );
    assert_eq!(connections[0]["attributes"]["strength"], edges[0].weight);
}
