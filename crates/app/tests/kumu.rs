//! Importing a Kumu project export: a large project maps in one pass (no
//! search of everything read so far for each element or connection), a
//! connection repeated is reported as not mapped, and a file over the
//! byte limit is refused by name. Runs on SQLite, and on PostgreSQL when
//! `PLACEWEAVE_TEST_POSTGRES` is set.

use std::time::Instant;

use placeweave_app::App;
use placeweave_app::kumu::{Item, KumuError, KumuMapping, KumuReport};
use placeweave_store::{camden, testing};
use serde_json::json;

async fn camden() -> (testing::TestDatabase, App) {
    let db = testing::database().await.expect("database");
    camden::ensure(&db.store).await.expect("camden");
    let app = App::new(db.store.clone());
    (db, app)
}

fn dry_run() -> KumuMapping {
    KumuMapping {
        dry_run: true,
        ..KumuMapping::default()
    }
}

/// A project of `organisations` organisations and `initiatives`
/// initiatives; organisation `i` takes part in initiative `i % initiatives`
/// and in the first initiative, the partnership everyone is in.
fn project(organisations: usize, initiatives: usize) -> Vec<u8> {
    let mut elements = Vec::new();
    let mut connections = Vec::new();
    for i in 0..initiatives {
        elements.push(json!({
            "_id": format!("ini-{i}"),
            "attributes": {"label": format!("Kumu initiative {i}"), "element type": "Initiative"},
        }));
    }
    for i in 0..organisations {
        elements.push(json!({
            "_id": format!("org-{i}"),
            "attributes": {"label": format!("Kumu organisation {i}"), "element type": "Organisation"},
        }));
        connections.push(json!({
            "_id": format!("part-{i}"),
            "from": format!("org-{i}"),
            "to": format!("ini-{}", i % initiatives),
        }));
        if i % initiatives != 0 {
            connections.push(json!({
                "_id": format!("hub-{i}"),
                "from": format!("org-{i}"),
                "to": "ini-0",
            }));
        }
    }
    serde_json::to_vec(&json!({
        "name": "Generated",
        "elements": elements,
        "connections": connections,
    }))
    .expect("JSON")
}

async fn report(app: &App, file: &[u8]) -> KumuReport {
    match app.import_kumu_as("camden", file, &dry_run()).await {
        Ok(report) => report,
        Err(KumuError::Problems(p)) => panic!("refused: {:?}", &p[..p.len().min(5)]),
        Err(KumuError::App(e)) => panic!("refused: {e}"),
    }
}

#[tokio::test]
async fn a_project_of_twenty_thousand_elements_maps_in_one_pass() {
    let (_db, app) = camden().await;
    let (organisations, initiatives) = (15_000, 5_000);
    let file = project(organisations, initiatives);
    let started = Instant::now();
    let report = report(&app, &file).await;
    // Measured, not asserted: a debug build's speed is the machine's.
    eprintln!(
        "dry run of {} elements and {} connections: {:?}",
        report.elements,
        report.connections,
        started.elapsed()
    );
    assert_eq!(report.elements, organisations + initiatives);
    assert_eq!(report.organisations.len(), organisations);
    assert_eq!(report.initiatives.len(), initiatives);
    assert_eq!(report.connections, report.participations);
    assert_eq!(
        report.participations,
        organisations + organisations - organisations / initiatives
    );
    assert!(report.unmapped.is_empty(), "{:?}", &report.unmapped[..1]);
}

#[tokio::test]
async fn a_repeated_connection_is_reported_as_not_mapped() {
    let (_db, app) = camden().await;
    let connection = |id: &str, from: &str, to: &str| json!({"_id": id, "from": from, "to": to});
    let file = serde_json::to_vec(&json!({
        "elements": [
            {"_id": "a", "attributes": {"label": "Repeated Partner", "element type": "Organisation"}},
            {"_id": "x", "attributes": {"label": "Repeated Initiative", "element type": "Project"}},
        ],
        "connections": [
            connection("c1", "a", "x"),
            connection("c2", "a", "x"),
            connection("c3", "x", "a"),
            connection("c4", "a", "x"),
        ],
    }))
    .expect("JSON");
    let report = report(&app, &file).await;
    assert_eq!(report.connections, 4);
    assert_eq!(report.participations, 1);
    let repeats: Vec<(&str, &str)> = report
        .unmapped
        .iter()
        .filter(|u| u.item == Item::Connection)
        .map(|u| (u.id.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(
        repeats.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        ["c2", "c3", "c4"]
    );
    assert!(
        repeats.iter().all(|(_, reason)| reason.contains("c1")),
        "each names the connection it repeats: {repeats:?}"
    );
}

#[tokio::test]
async fn a_file_over_the_byte_limit_is_refused_by_name() {
    let (_db, app) = camden().await;
    let description = "x".repeat(21 << 20);
    let file = serde_json::to_vec(&json!({
        "elements": [{"_id": "a", "attributes": {"label": "A", "description": description}}],
    }))
    .expect("JSON");
    let Err(KumuError::Problems(problems)) = app.import_kumu_as("camden", &file, &dry_run()).await
    else {
        panic!("a file over the limit is refused");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].message.contains("larger than 20 MB"),
        "{problems:?}"
    );
}
