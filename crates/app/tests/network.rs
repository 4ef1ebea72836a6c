//! The place's network from its records, on a hand-checked fixture: who is
//! linked to whom and why, the mission × lever grid, the possible
//! duplications, and that a hidden record is absent from all of them. Runs
//! on SQLite, and on PostgreSQL when `PLACEWEAVE_TEST_POSTGRES` is set.

use placeweave_analysis::{LinkKind, Options};
use placeweave_app::App;
use placeweave_app::network::{NetworkAnalysis, PlaceNetwork};
use placeweave_domain::{AccountRole, Lever, Principal};
use placeweave_store::{Store, testing};

async fn run(store: &Store, statements: &str) {
    match store {
        Store::Sqlite(placeweave_store::Sqlite { pool, .. }) => {
            sqlx::raw_sql(statements).execute(pool).await.expect("sql");
        }
        Store::Postgres(pool) => {
            sqlx::raw_sql(statements).execute(pool).await.expect("sql");
        }
    }
    placeweave_store::testing::raw_write_committed();
}

/// Testshire: Alpha, Beta and Gamma (public), Delta (public, linked to
/// nobody) and Hidden (staff only). Initiatives X (Alpha, Beta, Hidden) and
/// Y (Alpha, Beta, Gamma) both serve mission One; Z (Gamma) serves Two.
/// Committed to One: Alpha (active), Beta (testing), Hidden (active), and
/// Gamma through a staff-only commitment; Gamma's commitment to Two is only
/// proposed. Levers: Alpha the first, Beta the second, Gamma the third,
/// Hidden the first.
fn fixture() -> String {
    let lever = |i: usize| Lever::ALL[i].slug();
    let place = "(SELECT id FROM place WHERE slug = 'testshire')";
    let org = |slug: &str| {
        format!("(SELECT id FROM organisation WHERE slug = '{slug}' AND place_id = {place})")
    };
    let mut sql = String::from(
        "INSERT INTO place (slug, name, convening_organisation, audience) \
         VALUES ('testshire', 'Testshire', 'Testshire Council', 'public');\n",
    );
    for (slug, name, audience) in [
        ("alpha", "Alpha", "public"),
        ("beta", "Beta", "public"),
        ("gamma", "Gamma", "public"),
        ("delta", "Delta", "public"),
        ("hidden", "Hidden CANARY", "staff"),
    ] {
        sql += &format!(
            "INSERT INTO organisation (place_id, slug, name, kind, audience) \
             VALUES ({place}, '{slug}', '{name}', 'charity', '{audience}');\n"
        );
    }
    for (slug, i) in [("alpha", 0), ("beta", 1), ("gamma", 2), ("hidden", 0)] {
        sql += &format!(
            "INSERT INTO organisation_lever (organisation_id, lever) VALUES ({}, '{}');\n",
            org(slug),
            lever(i)
        );
    }
    for (slug, name) in [("one", "One"), ("two", "Two")] {
        sql += &format!(
            "INSERT INTO mission (place_id, slug, short_name, statement, audience) \
             VALUES ({place}, '{slug}', '{name}', 'A mission', 'public');\n"
        );
    }
    let mission = |slug: &str| {
        format!("(SELECT id FROM mission WHERE slug = '{slug}' AND place_id = {place})")
    };
    for (slug, serves, members) in [
        ("x", "one", vec!["alpha", "beta", "hidden"]),
        ("y", "one", vec!["alpha", "beta", "gamma"]),
        ("z", "two", vec!["gamma"]),
    ] {
        sql += &format!(
            "INSERT INTO initiative (place_id, slug, name, audience) \
             VALUES ({place}, '{slug}', 'Initiative {slug}', 'public');\n"
        );
        let initiative =
            format!("(SELECT id FROM initiative WHERE slug = '{slug}' AND place_id = {place})");
        sql += &format!(
            "INSERT INTO initiative_mission (initiative_id, mission_id) VALUES ({initiative}, {});\n",
            mission(serves)
        );
        for member in members {
            sql += &format!(
                "INSERT INTO initiative_participant (initiative_id, organisation_id) \
                 VALUES ({initiative}, {});\n",
                org(member)
            );
        }
    }
    for (slug, to, status, audience) in [
        ("alpha", "one", "active", "public"),
        ("beta", "one", "testing", "public"),
        ("hidden", "one", "active", "public"),
        ("gamma", "one", "active", "staff"),
        ("gamma", "two", "proposed", "public"),
    ] {
        sql += &format!(
            "INSERT INTO commitment (place_id, organisation_id, mission_id, status, audience) \
             VALUES ({place}, {}, {}, '{status}', '{audience}');\n",
            org(slug),
            mission(to)
        );
    }
    sql
}

fn names(refs: &[placeweave_domain::place::RecordRef]) -> Vec<&str> {
    refs.iter().map(|r| r.name.as_str()).collect()
}

/// The links of the network as `(source, target, kind, via)` by slug.
fn links(place: &PlaceNetwork) -> Vec<(String, String, LinkKind, String)> {
    let key = |i: usize| place.network.nodes[i].key.clone();
    let mut links: Vec<_> = place
        .network
        .links
        .iter()
        .map(|l| (key(l.source), key(l.target), l.kind, l.via.clone()))
        .collect();
    links.sort();
    links
}

async fn app() -> (testing::TestDatabase, App) {
    let db = testing::database().await.expect("database");
    run(&db.store, &fixture()).await;
    let app = App::new(db.store.clone());
    (db, app)
}

#[tokio::test]
async fn the_public_network_is_made_of_public_records_only() {
    let (_db, app) = app().await;
    let scope = app
        .scope(&Principal::Public, "testshire")
        .await
        .expect("scope");
    let place = app.network(&scope).await.expect("network");

    let keys: Vec<&str> = place.network.nodes.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(keys, ["alpha", "beta", "delta", "gamma"]);
    let s = |v: &str| v.to_string();
    assert_eq!(
        links(&place),
        [
            (s("alpha"), s("beta"), LinkKind::Initiative, s("x")),
            (s("alpha"), s("beta"), LinkKind::Initiative, s("y")),
            (s("alpha"), s("beta"), LinkKind::Mission, s("one")),
            (s("alpha"), s("gamma"), LinkKind::Initiative, s("y")),
            (s("beta"), s("gamma"), LinkKind::Initiative, s("y")),
        ]
    );

    // Mission One: Alpha brings the first lever, Beta the second; Gamma's
    // third is a gap to the public (its commitment is staff-only); Two has
    // only a proposal, so every cell is a gap.
    let one = &place.coverage[0];
    assert_eq!(one.mission.name, "One");
    assert_eq!(names(&one.cells[0]), ["Alpha"]);
    assert_eq!(names(&one.cells[1]), ["Beta"]);
    assert!(one.cells[2].is_empty());
    assert_eq!(one.cells.len(), Lever::ALL.len());
    assert!(place.coverage[1].cells.iter().all(Vec::is_empty));

    assert_eq!(place.overlaps.len(), 1);
    let overlap = &place.overlaps[0];
    assert_eq!(
        (overlap.first.id.as_str(), overlap.second.id.as_str()),
        ("x", "y")
    );
    assert_eq!(names(&overlap.missions), ["One"]);
    assert_eq!(names(&overlap.partners), ["Alpha", "Beta"]);

    let found: std::sync::Arc<NetworkAnalysis> = app
        .network_analysis(&scope, Options::default(), |_| {})
        .await
        .expect("analysis");
    let a = &found.analysis;
    assert_eq!(a.organisations, 4);
    assert_eq!(a.links, 3);
    assert_eq!(a.degree, [2, 2, 0, 2]);
    assert_eq!(a.weighted_degree, [4.0, 4.0, 0.0, 2.0]);
    assert_eq!(a.isolated, [2]);
    assert!(a.articulation_points.is_empty());
    assert!(format!("{found:?}").find("CANARY").is_none());
}

#[tokio::test]
async fn staff_see_the_hidden_organisation_and_commitment() {
    let (_db, app) = app().await;
    let staff = Principal::Account {
        id: 1,
        role: AccountRole::Staff,
        place: None,
        organisation: None,
    };
    let scope = app.scope(&staff, "testshire").await.expect("scope");
    let place = app.network(&scope).await.expect("network");
    assert!(place.network.nodes.iter().any(|n| n.key == "hidden"));
    let one = &place.coverage[0];
    assert_eq!(names(&one.cells[0]), ["Alpha", "Hidden CANARY"]);
    assert_eq!(names(&one.cells[2]), ["Gamma"]);
    assert_eq!(names(&place.overlaps[0].partners), ["Alpha", "Beta"]);
    let analysis = app
        .network_analysis(&scope, Options::default(), |_| {})
        .await
        .expect("analysis");
    assert_eq!(analysis.analysis.organisations, 5);
    // The public's cached analysis is not the staff's.
    let public = app
        .scope(&Principal::Public, "testshire")
        .await
        .expect("scope");
    let theirs = app
        .network_analysis(&public, Options::default(), |_| {})
        .await
        .expect("analysis");
    assert_eq!(theirs.analysis.organisations, 4);
}
