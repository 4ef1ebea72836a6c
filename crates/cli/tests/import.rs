//! `placeweave import kumu` on the shared Kumu export: it reports the
//! project's counts and what it could not map, the stakeholders it
//! imports are in the staff's network and not the public's, and a bad
//! file fails with one line, importing nothing.

mod common;

use common::*;
use placeweave_app::outcome::ROWS_LISTED;
use placeweave_store::testing::{TempFolder, shared_data};

fn run(args: &[&str]) -> (bool, String) {
    let output = output_within_a_minute(placeweave().args(args));
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), said)
}

#[test]
fn import_kumu_reports_its_counts_and_imports_all_or_nothing() {
    let folder = TempFolder::new().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("k.sqlite3").display());
    let (ok, said) = run(&[
        "generate",
        "--orgs",
        "40",
        "--seed",
        "7",
        "--database-url",
        &url,
    ]);
    assert!(ok, "{said}");
    let file = shared_data("kumu/changelabs-template.json");
    let file = file.to_str().expect("a path");
    let place = ["--place", "synthetic-7", "--database-url", &url];

    let bad = folder.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"elements":[{"_id":"a","attributes":{"element type":"Organisation"}}]}"#,
    )
    .expect("written");
    fails_with_one_line(
        placeweave().args(["import", "kumu"]).args(place).arg(&bad),
        "1 problem, nothing was imported: a: label:",
    );

    let (ok, said) = run(&[&["import", "kumu"][..], &place, &[file]].concat());
    assert!(ok, "{said}");
    assert!(
        said.contains("Kumu project \"ChangeLabs\": 10 elements, 11 connections"),
        "{said}"
    );
    assert!(
        said.contains("Imported 2 organisations, 0 initiatives and 0 parts in initiatives"),
        "{said}"
    );
    assert!(
        said.contains("Not mapped: 8 elements and 11 connections"),
        "{said}"
    );
    assert!(said.contains("elem-6WdXO7R5 \"Interviewee C\""), "{said}");

    let out = folder.path().join("network.json");
    let out = out.to_str().expect("a path");
    for (audience, expected) in [("public", false), ("staff", true)] {
        let (ok, said) = run(&[&["analyse", "--as", audience, "--out", out][..], &place].concat());
        assert!(ok, "{said}");
        let network: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out).expect("written")).expect("JSON");
        let found = network["organisations"]
            .as_array()
            .expect("organisations")
            .iter()
            .any(|o| o["id"] == "stakeholder-a");
        assert_eq!(found, expected, "{audience}");
    }
}

#[test]
fn import_measures_lists_the_first_hundred_bad_rows_and_counts_the_rest() {
    let folder = TempFolder::new().expect("folder");
    let url = format!("sqlite://{}", folder.path().join("m.sqlite3").display());
    let (ok, said) = run(&[
        "generate",
        "--orgs",
        "5",
        "--seed",
        "3",
        "--database-url",
        &url,
    ]);
    assert!(ok, "{said}");
    let place = ["--place", "synthetic-3", "--database-url", &url];
    let file = folder.path().join("values.csv");
    let mut csv = String::from("measure,year,ward,value,note\n");
    for _ in 0..150 {
        csv += "no-such-measure,2020,,1,\n";
    }
    std::fs::write(&file, csv).expect("written");
    let mut command = placeweave();
    command.args(["import", "measures"]).args(place).arg(&file);
    let output = output_within_a_minute(&mut command);
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{said}");
    // Each row names no measure, and all but the first repeat a value.
    assert!(
        said.contains("299 bad rows, nothing was imported: line 2: measure:"),
        "{said}"
    );
    assert!(said.trim_end().ends_with("; and 199 more"), "{said}");
    assert_eq!(said.matches("; line ").count(), ROWS_LISTED - 1, "{said}");
}
