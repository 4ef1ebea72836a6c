//! The network's staff view, coverage by ward and suggestions on a
//! hand-checked fixture: relationships and interactions add staff and links
//! for staff only, never for the public. Runs on SQLite, and on PostgreSQL
//! when `PLACEWEAVE_TEST_POSTGRES` is set.

use placeweave_analysis::{LinkKind, Options};
use placeweave_app::ecosystem::{STAFF_KIND, SuggestionKind, days, decay};
use placeweave_app::{App, now};
use placeweave_domain::date::iso_date;
use placeweave_domain::{AccountRole, Principal};
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
    testing::raw_write_committed();
}

/// Kumbria: its council (the convening organisation), Alpha and Beta in
/// ward North, Gamma in South, all in initiative X. Alpha is committed to
/// mission One and holds funding; Beta and Gamma hold research (a gap of
/// One). Relationships: Alpha (owned by Ann; met today by Ann and Bob, and
/// a year ago by Ann), Beta (owned by Ann only), Gamma (nobody).
fn fixture() -> String {
    let place = "(SELECT id FROM place WHERE slug = 'kumbria')";
    let org = |slug: &str| {
        format!("(SELECT id FROM organisation WHERE slug = '{slug}' AND place_id = {place})")
    };
    let account = |name: &str| format!("(SELECT id FROM account WHERE display_name = '{name}')");
    let mut sql = format!(
        "INSERT INTO place (slug, name, convening_organisation, audience) \
         VALUES ('kumbria', 'Kumbria', 'Kumbria Council', 'public');\n\
         INSERT INTO account (email, display_name, role, created_at) VALUES \
         ('ann@example.org', 'Ann STAFFCANARY', 'staff', 0), ('bob@example.org', 'Bob', 'staff', 0);\n\
         INSERT INTO mission (place_id, slug, short_name, statement, audience) \
         VALUES ({place}, 'one', 'One', 'A mission', 'public');\n\
         INSERT INTO initiative (place_id, slug, name, audience) \
         VALUES ({place}, 'x', 'Initiative X', 'public');\n"
    );
    for (slug, name, kind, ward, lever) in [
        ("council", "Kumbria Council", "council", "", ""),
        ("alpha", "Alpha", "voluntary-community", "North", "funding"),
        ("beta", "Beta", "voluntary-community", "North", "research"),
        ("gamma", "Gamma", "university", "South", "research"),
    ] {
        sql += &format!(
            "INSERT INTO organisation (place_id, slug, name, kind, audience) \
             VALUES ({place}, '{slug}', '{name}', '{kind}', 'public');\n"
        );
        if !ward.is_empty() {
            sql += &format!(
                "INSERT INTO organisation_ward (organisation_id, ward) VALUES ({}, '{ward}');\n\
                 INSERT INTO organisation_lever (organisation_id, lever) VALUES ({}, '{lever}');\n\
                 INSERT INTO initiative_participant (initiative_id, organisation_id) VALUES \
                 ((SELECT id FROM initiative WHERE slug = 'x'), {});\n\
                 INSERT INTO relationship (place_id, organisation_id, stage, formality, audience) \
                 VALUES ({place}, {}, 'identified', 'informal', 'staff');\n",
                org(slug),
                org(slug),
                org(slug),
                org(slug)
            );
        }
    }
    sql += &format!(
        "INSERT INTO commitment (place_id, organisation_id, mission_id, status, audience) \
         VALUES ({place}, {}, (SELECT id FROM mission WHERE slug = 'one'), 'active', 'public');\n",
        org("alpha")
    );
    let relationship = |slug: &str| {
        format!(
            "(SELECT id FROM relationship WHERE organisation_id = {})",
            org(slug)
        )
    };
    for slug in ["alpha", "beta"] {
        sql += &format!(
            "INSERT INTO relationship_owner (relationship_id, account_id) VALUES ({}, {});\n",
            relationship(slug),
            account("Ann STAFFCANARY")
        );
    }
    let today = iso_date(now());
    let year_ago = iso_date(now() - 365 * 86_400);
    for (date, people) in [
        (today.as_str(), vec!["Ann STAFFCANARY", "Bob"]),
        (year_ago.as_str(), vec!["Ann STAFFCANARY"]),
    ] {
        sql += &format!(
            "INSERT INTO interaction (place_id, organisation_id, kind, occurred_on, summary, audience) \
             VALUES ({place}, {}, 'meeting', '{date}', 'SUMMARYCANARY', 'staff');\n",
            org("alpha")
        );
        for person in people {
            sql += &format!(
                "INSERT INTO interaction_staff (interaction_id, account_id) VALUES \
                 ((SELECT id FROM interaction WHERE occurred_on = '{date}'), {});\n",
                account(person)
            );
        }
    }
    sql
}

async fn app() -> (testing::TestDatabase, App) {
    let db = testing::database().await.expect("database");
    run(&db.store, &fixture()).await;
    let app = App::new(db.store.clone());
    (db, app)
}

const STAFF_ONLY: [LinkKind; 3] = [
    LinkKind::Relationship,
    LinkKind::Owner,
    LinkKind::Interaction,
];

#[test]
fn interactions_decay_by_half_each_year() {
    let today = days("2026-11-30").expect("date");
    assert_eq!(days("1970-01-01"), Some(0));
    assert_eq!(days("2000-03-01"), Some(11_017));
    assert_eq!(decay("2026-11-30", today), 1.0);
    assert_eq!(decay("2027-01-01", today), 1.0);
    assert!((decay("2025-11-30", today) - 0.5).abs() < 1e-12);
    assert_eq!(decay("not a date", today), 2f64.powi(-10));
}

#[tokio::test]
async fn the_public_never_sees_relationships_interactions_or_staff() {
    let (_db, app) = app().await;
    for principal in [
        Principal::Public,
        Principal::Account {
            id: 99,
            role: AccountRole::Partner,
            place: None,
            organisation: None,
        },
    ] {
        let scope = app.scope(&principal, "kumbria").await.expect("scope");
        let found = app
            .network_analysis(&scope, Options::default(), |_| {})
            .await
            .expect("analysis");
        let place = &found.place;
        assert_eq!(place.link_kinds, [LinkKind::Initiative, LinkKind::Mission]);
        assert!(place.staff.is_none());
        assert!(
            place
                .network
                .links
                .iter()
                .all(|l| !STAFF_ONLY.contains(&l.kind))
        );
        assert!(place.network.nodes.iter().all(|n| n.kind != STAFF_KIND));
        let document = serde_json::to_string(&found.document()).expect("json");
        let everything = format!("{found:?}{document}");
        assert!(!everything.contains("STAFFCANARY"), "{everything}");
        assert!(!everything.contains("SUMMARYCANARY"));
        assert!(!everything.contains("relationship"));
        assert!(!everything.contains("interaction"));
        // The council has no link the public can see: not suggested.
        assert!(
            found
                .suggestions
                .iter()
                .all(|s| s.organisation.id != "council")
        );
    }
}

#[tokio::test]
async fn staff_see_staff_links_and_the_bus_factor() {
    let (_db, app) = app().await;
    let staff = Principal::Account {
        id: 1,
        role: AccountRole::Staff,
        place: None,
        organisation: None,
    };
    let scope = app.scope(&staff, "kumbria").await.expect("scope");
    let found = app
        .network_analysis(&scope, Options::default(), |_| {})
        .await
        .expect("analysis");
    let place = &found.place;
    let nodes = &place.network.nodes;
    let key = |i: usize| nodes[i].key.as_str();
    let label = |i: usize| nodes[i].label.as_str();
    assert_eq!(place.link_kinds.len(), 5);

    let mut relationships: Vec<(&str, &str)> = place
        .network
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Relationship)
        .map(|l| (key(l.source), key(l.target)))
        .collect();
    relationships.sort();
    assert_eq!(
        relationships,
        [
            ("council", "alpha"),
            ("council", "beta"),
            ("council", "gamma")
        ]
    );
    let mut owners: Vec<(&str, &str)> = place
        .network
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Owner)
        .map(|l| (label(l.source), key(l.target)))
        .collect();
    owners.sort();
    assert_eq!(
        owners,
        [("Ann STAFFCANARY", "alpha"), ("Ann STAFFCANARY", "beta")]
    );
    // Ann met Alpha today (1) and a year ago (0.5); Bob today (1).
    let mut met: Vec<(&str, &str, f64)> = place
        .network
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Interaction)
        .map(|l| (label(l.source), key(l.target), l.weight))
        .collect();
    met.sort_by(|a, b| a.0.cmp(b.0));
    assert_eq!(met.len(), 2);
    assert_eq!((met[0].0, met[0].1), ("Ann STAFFCANARY", "alpha"));
    assert!((met[0].2 - 1.5).abs() < 0.01, "{met:?}");
    assert_eq!((met[1].0, met[1].1, met[1].2), ("Bob", "alpha", 1.0));

    let view = place.staff.as_ref().expect("staff view");
    assert!(view.convening_found);
    let bus: Vec<(&str, Option<&str>)> = view
        .bus_factor
        .iter()
        .map(|b| (b.organisation.id.as_str(), b.known_to.as_deref()))
        .collect();
    assert_eq!(bus, [("beta", Some("Ann STAFFCANARY")), ("gamma", None)]);
    assert_eq!(view.several_staff.len(), 1);
    assert_eq!(view.several_staff[0].organisation.id, "alpha");
    assert_eq!(view.several_staff[0].staff, ["Ann STAFFCANARY", "Bob"]);

    // The council is linked (relationships) and committed to nothing.
    assert!(
        found
            .suggestions
            .iter()
            .any(|s| s.kind == SuggestionKind::NotAsked && s.organisation.id == "council")
    );
}

#[tokio::test]
async fn wards_kinds_and_lever_gaps_for_everyone() {
    let (_db, app) = app().await;
    let scope = app
        .scope(&Principal::Public, "kumbria")
        .await
        .expect("scope");
    let found = app
        .network_analysis(&scope, Options::default(), |_| {})
        .await
        .expect("analysis");
    let place = &found.place;
    let wards: Vec<(&str, usize, Vec<&str>)> = place
        .wards
        .iter()
        .map(|w| {
            (
                w.name.as_str(),
                w.organisations,
                w.committed.iter().map(|o| o.id.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(wards, [("North", 2, vec!["alpha"]), ("South", 1, vec![])]);
    let kinds: Vec<(&str, usize, usize)> = place
        .kinds
        .iter()
        .map(|k| (k.name.as_str(), k.organisations, k.committed.len()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Council", 1, 0),
            ("University", 1, 0),
            ("Voluntary and community sector", 2, 1)
        ]
    );

    let of = |kind: SuggestionKind| -> Vec<(&str, &str)> {
        found
            .suggestions
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| (s.organisation.id.as_str(), s.reason.as_str()))
            .collect()
    };
    let levers = of(SuggestionKind::Lever);
    let research = "Brings research and evaluation, which no partner committed to One brings";
    assert!(levers.contains(&("beta", research)), "{levers:?}");
    assert!(levers.contains(&("gamma", research)));
    assert!(levers.iter().all(|(id, _)| *id != "alpha"));
    let idle: Vec<&str> = of(SuggestionKind::NotAsked).iter().map(|s| s.0).collect();
    assert_eq!(idle.len(), 2);
    assert!(idle.contains(&"beta") && idle.contains(&"gamma"));
}
