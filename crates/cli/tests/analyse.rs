//! `placeweave analyse` on a generated place: JSON and CSV, the public's
//! view and staff's, and a place that does not exist.

mod common;

use common::*;
use placeweave_store::testing::TempFolder;

fn run_ok(args: &[&str]) -> String {
    let output = output_within_a_minute(placeweave().args(args));
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn analyse_writes_the_network_as_json_and_csv() {
    let folder = TempFolder::new().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("a.sqlite3").display());
    run_ok(&[
        "generate",
        "--orgs",
        "200",
        "--seed",
        "4",
        "--database-url",
        &url,
    ]);

    let json = folder.path().join("network.json");
    let json_path = json.to_str().expect("a path");
    let said = run_ok(&[
        "analyse",
        "--place",
        "synthetic-4",
        "--database-url",
        &url,
        "--out",
        json_path,
    ]);
    assert!(said.contains("organisations and"), "{said}");
    let public: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("written")).expect("JSON");
    let organisations = public["organisations"].as_array().expect("organisations");
    assert!(!organisations.is_empty() && organisations.len() <= 200);
    assert!(!public["links"].as_array().expect("links").is_empty());
    assert_eq!(public["betweenness_method"], "exact");
    assert_eq!(
        public["link_kinds"],
        serde_json::json!(["initiative", "mission"])
    );
    let in_components: usize = public["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| c.as_array().expect("a component").len())
        .sum();
    assert_eq!(in_components, organisations.len());

    run_ok(&[
        "analyse",
        "--place",
        "synthetic-4",
        "--database-url",
        &url,
        "--out",
        json_path,
        "--as",
        "staff",
    ]);
    let staff: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("written")).expect("JSON");
    let seen_by_staff = staff["organisations"]
        .as_array()
        .expect("organisations")
        .len();
    assert!(seen_by_staff >= organisations.len());

    let csv = folder.path().join("network.csv");
    run_ok(&[
        "analyse",
        "--place",
        "synthetic-4",
        "--database-url",
        &url,
        "--format",
        "csv",
        "--out",
        csv.to_str().expect("a path"),
    ]);
    let nodes = std::fs::read_to_string(&csv).expect("written");
    assert!(nodes.starts_with("id,label,kind,degree,weighted_degree,betweenness"));
    assert_eq!(nodes.lines().count(), organisations.len() + 1);
    let links =
        std::fs::read_to_string(folder.path().join("network.csv.links.csv")).expect("written");
    assert!(links.starts_with("source,target,weight,kinds,via"));
    assert_eq!(
        links.lines().count(),
        public["links"].as_array().expect("links").len() + 1
    );

    fails_with_one_line(
        placeweave().args([
            "analyse",
            "--place",
            "atlantis",
            "--database-url",
            &url,
            "--out",
            json_path,
        ]),
        "no place \"atlantis\"",
    );
}
