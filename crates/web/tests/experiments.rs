//! Experiments over HTTP: staff add and edit them from the forms and the
//! API with every bad field named; an experiment hidden from a caller
//! behaves exactly like a missing one (page, API, portfolio, grid); the
//! learning log and the decision; the mission × lever grid on the Camden
//! demonstration experiments, checked by hand; and a mission's progress.

mod common;

use common::{Body, camden_with_accounts, version_of};
use serde_json::json;

const FORM: &[(&str, &str)] = &[
    ("name", "Shared apprenticeships pilot"),
    (
        "hypothesis",
        "If anchors pool apprenticeship levy, more young people start.",
    ),
    ("mechanism", "pilot"),
    ("missions", "youth-opportunity"),
    ("levers", "employment"),
    ("levers", "funding"),
    ("participant-organisation", "ucl"),
    ("participant-part", "Lead employer"),
    ("scale", "borough"),
    ("budget", "15,000"),
    ("start_date-day", "1"),
    ("start_date-month", "4"),
    ("start_date-year", "2026"),
    ("end_date-day", "31"),
    ("end_date-month", "3"),
    ("end_date-year", "2027"),
    ("status", "running"),
    ("audience", "public"),
];

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut form: Vec<(&str, &str)> = FORM
        .iter()
        .filter(|(k, _)| changes.iter().all(|(c, _)| c != k))
        .copied()
        .collect();
    form.extend(changes.iter().filter(|(_, v)| !v.is_empty()).copied());
    form
}

#[tokio::test]
async fn staff_add_edit_log_learning_and_decide() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;

    // Every bad field is named, and nothing is stored.
    let bad = app
        .post_as(
            Some(&staff),
            "/experiments/new",
            &with(&[
                ("name", ""),
                ("budget", "a lot"),
                ("end_date-year", "2025"),
                ("levers", "bribery"),
            ]),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    for field in ["name", "budget", "end_date", "levers"] {
        assert!(
            bad.body.contains(&format!("href=\"#{field}\"")),
            "{field} is named: {}",
            bad.body
        );
    }
    let (_, listed) = app
        .json("/api/v1/places/camden/experiments?per_page=100")
        .await;
    let before = listed["total"].as_i64().expect("total");

    // A good form saves and shows the experiment.
    let saved = app.post_as(Some(&staff), "/experiments/new", FORM).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved
            .location()
            .starts_with("/experiments/shared-apprenticeships-pilot")
    );
    let page = app
        .get_as(None, "/experiments/shared-apprenticeships-pilot")
        .await;
    assert_eq!(page.status, 200);
    for text in [
        "Running",
        "Pilot",
        "£15,000",
        "Lead employer",
        "2026-04-01",
        "Employment",
    ] {
        assert!(page.body.contains(text), "{text} on the page");
    }
    assert!(
        !page.body.contains("Add to the learning log"),
        "the public edit nothing"
    );
    let (_, listed) = app
        .json("/api/v1/places/camden/experiments?per_page=100")
        .await;
    assert_eq!(listed["total"].as_i64(), Some(before + 1));

    // Editing it: the form names its version; a stale one is refused.
    let edit = app
        .get_as(
            Some(&staff),
            "/experiments/shared-apprenticeships-pilot/edit",
        )
        .await;
    assert_eq!(edit.status, 200);
    let version = version_of(&edit.body);
    let mut form = with(&[("status", "reviewing")]);
    form.push(("version", &version));
    let edited = app
        .post_as(
            Some(&staff),
            "/experiments/shared-apprenticeships-pilot/edit",
            &form,
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let stale = app
        .post_as(
            Some(&staff),
            "/experiments/shared-apprenticeships-pilot/edit",
            &form,
        )
        .await;
    assert_eq!(stale.status, 409);

    // The learning log: staff add dated entries; the public see them
    // without the author's name; partners may not add.
    let empty = app
        .post_as(
            Some(&staff),
            "/experiments/shared-apprenticeships-pilot/learning",
            &[("text", "")],
        )
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("href=\"#date\"") && empty.body.contains("href=\"#text\""));
    let learnt = app
        .post_as(
            Some(&staff),
            "/experiments/shared-apprenticeships-pilot/learning",
            &[
                ("date-day", "2"),
                ("date-month", "10"),
                ("date-year", "2026"),
                ("text", "Levy transfers took three months to agree."),
            ],
        )
        .await;
    assert_eq!(learnt.status, 303, "{}", learnt.body);
    let seen = app
        .get_as(Some(&staff), "/experiments/shared-apprenticeships-pilot")
        .await;
    assert!(seen.body.contains("Levy transfers took three months"));
    assert!(
        seen.body.contains("Test staff@camden.example"),
        "staff see the author"
    );
    let public = app
        .get_as(None, "/experiments/shared-apprenticeships-pilot")
        .await;
    assert!(public.body.contains("Levy transfers took three months"));
    assert!(
        !public.body.contains("staff@camden.example"),
        "authors are for staff"
    );
    let (_, api) = app
        .json("/api/v1/places/camden/experiments/shared-apprenticeships-pilot")
        .await;
    assert_eq!(api["learning"][0]["date"], "2026-10-02");
    assert!(api["learning"][0].get("author").is_none());
    let refused = app
        .post_as(
            Some(&ucl),
            "/experiments/shared-apprenticeships-pilot/learning",
            &[("date", "2026-10-02"), ("text", "Partner note")],
        )
        .await;
    assert!(matches!(refused.status, 403 | 404), "{}", refused.status);

    // The decision: its reason and date are needed with it.
    let half = app
        .post_as(
            Some(&staff),
            "/experiments/shared-apprenticeships-pilot/decision",
            &[("decision", "invest"), ("decision_reason", "")],
        )
        .await;
    assert_eq!(half.status, 400, "{}", half.body);
    assert!(half.body.contains("href=\"#decision_reason\""));
    let decided = app
        .post_as(
            Some(&staff),
            "/experiments/shared-apprenticeships-pilot/decision",
            &[
                ("decision", "invest"),
                ("decision_reason", "Forty starts in the first year."),
                ("decision_date-day", "20"),
                ("decision_date-month", "11"),
                ("decision_date-year", "2026"),
            ],
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    let page = app
        .get_as(None, "/experiments/shared-apprenticeships-pilot")
        .await;
    assert!(page.body.contains("Invest") && page.body.contains("Forty starts"));
    assert!(page.body.contains("2026-11-20"));
}

#[tokio::test]
async fn the_api_names_bad_fields_and_hidden_experiments_are_missing() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let url = "/api/v1/places/camden/experiments";
    let bad = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            url,
            Some(&staff),
            Body::Json(&json!({"name": "Staff trial", "audience": "staff", "budget": -5, "levers": ["data"]})),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains("budget") && bad.body.contains("hypothesis"),
        "{}",
        bad.body
    );
    let created = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            url,
            Some(&staff),
            Body::Json(&json!({
                "name": "Staff trial",
                "hypothesis": "A trial only staff know about yet.",
                "audience": "staff",
                "missions": ["healthy-estates"],
                "levers": ["data"],
                "status": "designing",
                "mechanism": "peer-challenge"
            })),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let created: serde_json::Value = serde_json::from_str(&created.body).expect("json");
    assert_eq!(created["id"], "staff-trial");

    // Hidden is missing: not found, not listed, not counted.
    for cookie in [None, Some(ucl.as_str())] {
        let page = app.get_as(cookie, "/experiments/staff-trial").await;
        assert_eq!(page.status, 404, "{cookie:?}");
        let api = app.get_as(cookie, &format!("{url}/staff-trial")).await;
        assert_eq!(api.status, 404);
        let list = app.get_as(cookie, "/experiments?lever=data").await;
        assert!(!list.body.contains("Staff trial"));
        let grid = app.get_as(cookie, "/experiments/grid").await;
        assert!(grid.body.contains("data-untested=\"healthy-estates/data\""));
    }
    let grid = app.get_as(Some(&staff), "/experiments/grid").await;
    assert!(grid.body.contains("data-tested=\"healthy-estates/data\""));
    let list = app.get_as(Some(&staff), "/experiments?lever=data").await;
    assert!(list.body.contains("Staff trial"));

    // A patch changes only what is sent; a stale version is 409; a bad
    // filter is named.
    let patched = app
        .send_to(
            &app.base,
            reqwest::Method::PATCH,
            &format!("{url}/staff-trial"),
            Some(&staff),
            Body::Json(&json!({"version": 1, "status": "running", "budget": 9000})),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    let patched: serde_json::Value = serde_json::from_str(&patched.body).expect("json");
    assert_eq!(patched["status"], "running");
    assert_eq!(patched["budget"], 9000);
    assert_eq!(patched["levers"], json!(["data"]));
    let stale = app
        .send_to(
            &app.base,
            reqwest::Method::PATCH,
            &format!("{url}/staff-trial"),
            Some(&staff),
            Body::Json(&json!({"version": 1, "status": "closed"})),
        )
        .await;
    assert_eq!(stale.status, 409);
    let (status, problem) = app.json(&format!("{url}?lever=bribery&status=done")).await;
    assert_eq!(status, 400);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["lever", "status"]);
    // A partner writes nothing, and a hidden mission is named like a missing one.
    let partner = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            url,
            Some(&ucl),
            Body::Json(&json!({"name": "X", "hypothesis": "Y", "audience": "public"})),
        )
        .await;
    assert_eq!(partner.status, 403);
    let missing = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            url,
            Some(&staff),
            Body::Json(&json!({
                "name": "Z", "hypothesis": "Y", "audience": "public", "mechanism": "pilot",
                "status": "idea", "missions": ["no-such-mission"]
            })),
        )
        .await;
    assert_eq!(missing.status, 409, "{}", missing.body);
    assert!(missing.body.contains("missions"));
}

/// The Camden demonstration experiments, by mission and lever, as the
/// public sees them (the procurement group is for partners only):
/// youth-opportunity tests employment and funding; eat-well and
/// healthy-estates test estates and volunteering; diverse-power tests
/// networks and policy. Every other cell is not tested.
const PUBLIC_TESTED: &[&str] = &[
    "youth-opportunity/employment",
    "youth-opportunity/funding",
    "eat-well/estates",
    "eat-well/volunteering",
    "healthy-estates/estates",
    "healthy-estates/volunteering",
    "diverse-power/networks",
    "diverse-power/policy",
];

#[tokio::test]
async fn the_grid_marks_every_untested_mission_and_lever() {
    let (app, [ucl, ..]) = camden_with_accounts().await;
    let levers = placeweave_domain::Lever::ALL;
    let grid = app.get_as(None, "/experiments/grid").await;
    assert_eq!(grid.status, 200);
    let mut tested = 0;
    let mut untested = 0;
    for mission in [
        "diverse-power",
        "eat-well",
        "youth-opportunity",
        "healthy-estates",
    ] {
        for lever in levers {
            let cell = format!("{mission}/{}", lever.slug());
            let is_tested = PUBLIC_TESTED.contains(&cell.as_str());
            assert!(
                grid.body.contains(&format!("data-tested=\"{cell}\"")) == is_tested
                    && grid.body.contains(&format!("data-untested=\"{cell}\"")) != is_tested,
                "{cell}"
            );
            if is_tested {
                tested += 1;
            } else {
                untested += 1;
            }
        }
    }
    assert_eq!((tested, untested), (8, 36));
    assert_eq!(grid.body.matches(">Not tested<").count(), 36);
    assert!(
        grid.body
            .contains("href=\"/experiments?mission=youth-opportunity&amp;lever=employment\"")
    );
    // Partners also see the partners-only procurement group.
    let partner = app.get_as(Some(&ucl), "/experiments/grid").await;
    assert!(
        partner
            .body
            .contains("data-tested=\"youth-opportunity/procurement\"")
    );
    assert_eq!(partner.body.matches(">Not tested<").count(), 35);
    // The JSON says the same.
    let (status, rows) = app.json("/api/v1/places/camden/experiments/grid").await;
    assert_eq!(status, 200);
    let counted: usize = rows
        .as_array()
        .expect("rows")
        .iter()
        .flat_map(|r| r["cells"].as_array().expect("cells").clone())
        .filter(|c| c["experiments"].as_i64() == Some(0))
        .count();
    assert_eq!(counted, 36);
}

#[tokio::test]
async fn a_mission_shows_its_progress_partners_and_experiments() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let page = app.get_as(None, "/missions/youth-opportunity").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Target year 2025 has passed: no decision recorded")
    );
    assert!(page.body.contains("id=\"experiments\""));
    assert!(
        !page.body.contains("Record progress"),
        "the public record nothing"
    );
    let partner = app
        .get_as(Some(&ucl), "/missions/youth-opportunity/progress")
        .await;
    assert!(matches!(partner.status, 403 | 404), "{}", partner.status);

    // Before the target year is out the choices are different.
    let refused = app
        .post_as(
            Some(&staff),
            "/missions/youth-opportunity/progress",
            &[("progress", "on-track"), ("decided_by", "")],
        )
        .await;
    assert_eq!(refused.status, 400);
    for field in ["progress", "decided_by", "decided_at"] {
        assert!(
            refused.body.contains(&format!("href=\"#{field}\"")),
            "{field}"
        );
    }
    let recorded = app
        .post_as(
            Some(&staff),
            "/missions/youth-opportunity/progress",
            &[
                ("progress", "not-achieved"),
                ("decided_by", "Camden Partnership Board"),
                ("decided_at-day", "12"),
                ("decided_at-month", "3"),
                ("decided_at-year", "2026"),
                ("note", "Half the target reached."),
            ],
        )
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    let page = app.get_as(None, "/missions/youth-opportunity").await;
    assert!(
        page.body
            .contains("Target year 2025 has passed: not achieved")
    );
    assert!(
        page.body
            .contains("Decided by Camden Partnership Board on 2026-03-12")
    );
    // Its experiments by status: the public see the running challenge prize.
    assert!(
        page.body
            .contains("/experiments?mission=youth-opportunity&amp;status=running")
    );
    let other = app.get_as(None, "/missions/diverse-power").await;
    assert!(
        other
            .body
            .contains("Target year 2030: no progress assessment recorded")
    );
}
