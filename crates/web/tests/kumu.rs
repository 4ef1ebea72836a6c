//! Importing a Kumu project export: the real template in
//! `shared/data/kumu` reports its counts and what it could not map; its
//! stakeholders become organisations, seen only by staff until published;
//! a file with any problem imports nothing; importing again changes
//! nothing; and Placeweave's own Kumu export reads back as the place's
//! organisations.

mod common;

use common::camden_with_accounts;
use placeweave_app::App;
use placeweave_app::kumu::{Item, KumuError, KumuMapping};
use placeweave_store::testing::shared_data;

fn shared_file() -> Vec<u8> {
    let path = shared_data("kumu/changelabs-template.json");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[tokio::test]
async fn the_shared_template_imports_its_stakeholders_and_reports_the_rest() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let import = App::new(app.db.store.clone());
    let file = shared_file();

    // A dry run reports and writes nothing.
    let dry = import
        .import_kumu_as(
            "camden",
            &file,
            &KumuMapping {
                dry_run: true,
                ..KumuMapping::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("dry run: {e:?}"));
    assert_eq!((dry.elements, dry.connections), (10, 11));
    assert_eq!(dry.organisations, ["Stakeholder A", "Stakeholder B"]);
    let staff_page = app
        .get_as(Some(&staff), "/organisations/stakeholder-a")
        .await;
    assert_eq!(staff_page.status, 404, "a dry run writes nothing");

    let report = import
        .import_kumu_as("camden", &file, &KumuMapping::default())
        .await
        .unwrap_or_else(|e| panic!("import: {e:?}"));
    assert_eq!(report, dry, "the dry run said what the import did");
    assert_eq!(report.project.as_deref(), Some("ChangeLabs"));
    assert!(report.initiatives.is_empty() && report.existing.is_empty());
    let left = |item: Item| report.unmapped.iter().filter(|u| u.item == item).count();
    // Interviewees (people), phenomena, outcomes and the resource.
    assert_eq!(left(Item::Element), 8);
    assert_eq!(left(Item::Connection), 11);
    let interviewee = report
        .unmapped
        .iter()
        .find(|u| u.id == "elem-6WdXO7R5")
        .expect("Interviewee C reported");
    assert!(
        interviewee.reason.contains("\"Interviewee\""),
        "{interviewee:?}"
    );
    let direct = report
        .unmapped
        .iter()
        .find(|u| u.id == "conn-3FYGqEnD")
        .expect("the stakeholders' own link reported");
    assert_eq!(direct.label, "Stakeholder A → Stakeholder B");
    assert!(direct.reason.contains("two organisations"), "{direct:?}");

    // Imported for staff only: the public and partners find nothing.
    let seen = app
        .get_as(Some(&staff), "/organisations/stakeholder-a")
        .await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert!(seen.body.contains("Stakeholder A"));
    for cookie in [None, Some(ucl.as_str())] {
        let hidden = app.get_as(cookie, "/organisations/stakeholder-b").await;
        assert_eq!(hidden.status, 404);
    }
    let audit = app
        .get_as(Some(&_admin), "/admin/audit?record_type=organisation")
        .await;
    assert!(audit.body.contains("stakeholder-b"), "audited");

    // Again, with the resource read as an initiative: the stakeholders are
    // the place's already, and Stakeholder A takes part in it.
    let again = import
        .import_kumu_as(
            "camden",
            &file,
            &KumuMapping {
                initiative_types: vec!["Resource".into()],
                ..KumuMapping::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("again: {e:?}"));
    assert!(again.organisations.is_empty());
    assert_eq!(again.existing, ["Stakeholder A", "Stakeholder B"]);
    assert_eq!(again.initiatives, ["Resource"]);
    assert_eq!(again.participations, 1);
    let initiative = app.get_as(Some(&staff), "/initiatives/resource").await;
    assert_eq!(initiative.status, 200, "{}", initiative.body);
    assert!(initiative.body.contains("/organisations/stakeholder-a"));
    assert_eq!(app.get_as(None, "/initiatives/resource").await.status, 404);
}

#[tokio::test]
async fn a_file_with_any_problem_imports_nothing() {
    let (app, [_ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let import = App::new(app.db.store.clone());
    let bad = serde_json::json!({
        "elements": [
            {"_id": "a", "attributes": {"element type": "Organisation", "label": "Good Org"}},
            {"_id": "b", "attributes": {"element type": "Organisation"}},
            {"_id": "c", "attributes": {"element type": "Project", "label": "P", "website": "not a web address"}},
            {"_id": "a", "attributes": {"element type": "Organisation", "label": "Twice"}},
        ],
        "connections": [
            {"_id": "x", "from": "a", "to": "nowhere"},
            {"_id": "y", "from": "a", "to": "c"},
        ],
    });
    let Err(KumuError::Problems(problems)) = import
        .import_kumu_as(
            "camden",
            bad.to_string().as_bytes(),
            &KumuMapping::default(),
        )
        .await
    else {
        panic!("a bad file is refused");
    };
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.item.as_str(), p.field.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("b", "label"),
            ("a", "_id"),
            ("x", "to"),
            ("initiative \"P\"", "website"),
        ],
        "{problems:?}"
    );
    let page = app.get_as(Some(&staff), "/organisations/good-org").await;
    assert_eq!(page.status, 404, "nothing imported");

    for (file, why) in [
        (&b"[1"[..], "not JSON"),
        (&b"{\"elements\": 3}"[..], "not a project"),
    ] {
        let Err(KumuError::Problems(problems)) = import
            .import_kumu_as("camden", file, &KumuMapping::default())
            .await
        else {
            panic!("{why}: refused");
        };
        assert_eq!(problems.len(), 1, "{why}");
        assert!(
            problems[0].message.contains("not a Kumu project export"),
            "{problems:?}"
        );
    }
}

#[tokio::test]
async fn placeweaves_own_kumu_export_reads_back_as_the_places_organisations() {
    let (app, [_ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let export = app.get_as(Some(&staff), "/network/kumu.json").await;
    assert_eq!(export.status, 200, "{}", export.body);
    let project: serde_json::Value = serde_json::from_str(&export.body).expect("JSON");
    let elements = project["elements"].as_array().expect("elements").len();
    let report = App::new(app.db.store.clone())
        .import_kumu_as(
            "camden",
            export.body.as_bytes(),
            &KumuMapping {
                dry_run: true,
                ..KumuMapping::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("read back: {e:?}"));
    assert_eq!(report.elements, elements);
    assert!(
        report.organisations.is_empty(),
        "{:?}",
        report.organisations
    );
    assert_eq!(report.existing.len(), elements, "{:?}", report.unmapped);
}
