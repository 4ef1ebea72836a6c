//! A hidden record behaves exactly like a missing one, and an edit never
//! removes what the editor could not see: each test here reproduces a
//! defect found in the first release (issue "One application layer"),
//! through the real pages and API.

mod common;

use common::camden_with_accounts;
use placeweave_domain::Viewer;
use serde_json::{Value, json};

async fn send_json(
    app: &common::TestApp,
    method: reqwest::Method,
    cookie: Option<&str>,
    path: &str,
    body: &Value,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.base))
        .header("origin", app.base.clone())
        .json(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn place_key(app: &common::TestApp, slug: &str) -> i64 {
    app.db
        .store
        .place(slug, Viewer::Admin)
        .await
        .expect("read")
        .expect("place")
        .key
}

async fn commitment_count(app: &common::TestApp, place: &str) -> usize {
    let key = place_key(app, place).await;
    app.db
        .store
        .commitments(key, Viewer::Admin, &Default::default())
        .await
        .expect("read")
        .len()
}

#[tokio::test]
async fn a_partner_of_one_place_is_nobody_in_another_with_the_same_slugs() {
    let (app, [ucl, ..]) = camden_with_accounts().await;
    app.sql(
        "INSERT INTO place (slug, name, convening_organisation, synthetic, audience) \
         VALUES ('elsewhere', 'Elsewhere', 'Elsewhere Council', TRUE, 'public')",
    )
    .await;
    app.sql(
        "INSERT INTO organisation (place_id, slug, name, kind, is_anchor, audience) \
         SELECT id, 'ucl', 'Another UCL', 'university', FALSE, 'public' FROM place WHERE slug = 'elsewhere'",
    )
    .await;
    let (status, _) = send_json(
        &app,
        reqwest::Method::PUT,
        Some(&ucl),
        "/api/v1/places/elsewhere/organisations/ucl",
        &json!({"version": 1, "name": "Hijacked"}),
    )
    .await;
    assert!(matches!(status, 401 | 403 | 404), "got {status}");
    let (status, _) = send_json(
        &app,
        reqwest::Method::POST,
        Some(&ucl),
        "/api/v1/places/elsewhere/commitments",
        &json!({"status": "proposed"}),
    )
    .await;
    assert!(matches!(status, 401 | 403 | 404), "got {status}");
    let key = place_key(&app, "elsewhere").await;
    let other = app
        .db
        .store
        .organisation(key, "ucl", Viewer::Admin)
        .await
        .expect("read")
        .expect("ucl elsewhere");
    assert_eq!(other.name, "Another UCL");
    assert_eq!(commitment_count(&app, "elsewhere").await, 0);
    // At home the same account still acts for its own organisation.
    let (status, body) = send_json(
        &app,
        reqwest::Method::PUT,
        Some(&ucl),
        "/api/v1/places/camden/organisations/ucl",
        &json!({"version": 1, "description": "At home"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// The answer to naming `hidden`, with its id replaced, equals the answer
/// to naming a record that does not exist.
async fn answers_alike(
    app: &common::TestApp,
    cookie: &str,
    path: &str,
    body: impl Fn(&str) -> Value,
    hidden: &str,
) {
    let missing = "no-such-record";
    let (status_hidden, answer_hidden) = send_json(
        app,
        reqwest::Method::POST,
        Some(cookie),
        path,
        &body(hidden),
    )
    .await;
    let (status_missing, answer_missing) = send_json(
        app,
        reqwest::Method::POST,
        Some(cookie),
        path,
        &body(missing),
    )
    .await;
    assert_eq!(
        status_hidden, status_missing,
        "{answer_hidden} vs {answer_missing}"
    );
    // Every answer has its own request reference; nothing else may differ.
    let (mut answer_hidden, mut answer_missing) = (answer_hidden, answer_missing);
    for answer in [&mut answer_hidden, &mut answer_missing] {
        if let Some(map) = answer.as_object_mut() {
            map.remove("reference");
        }
    }
    assert_eq!(
        answer_hidden.to_string().replace(hidden, "X"),
        answer_missing.to_string().replace(missing, "X"),
    );
}

#[tokio::test]
async fn naming_a_hidden_record_answers_as_a_missing_one_and_writes_nothing() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    app.sql("UPDATE mission SET audience = 'staff' WHERE slug = 'eat-well'")
        .await;
    app.sql("UPDATE organisation SET audience = 'restricted' WHERE slug = 'roundhouse'")
        .await;
    app.sql("UPDATE outcome_theme SET audience = 'restricted' WHERE slug = 'health'")
        .await;
    let before = commitment_count(&app, "camden").await;
    let path = "/api/v1/places/camden/commitments";
    answers_alike(
        &app,
        &ucl,
        path,
        |m| json!({"mission": m, "status": "proposed"}),
        "eat-well",
    )
    .await;
    answers_alike(
        &app,
        &staff,
        path,
        |o| json!({"organisation": o, "status": "proposed"}),
        "roundhouse",
    )
    .await;
    answers_alike(
        &app,
        &staff,
        "/api/v1/places/camden/missions",
        |t| json!({"short_name": "New mission", "statement": "By 2040, x.", "outcome_themes": [t]}),
        "health",
    )
    .await;
    answers_alike(
        &app,
        &staff,
        "/api/v1/places/camden/initiatives",
        |o| json!({"name": "New initiative", "participants": [format!("{o}: Host")]}),
        "roundhouse",
    )
    .await;
    assert_eq!(commitment_count(&app, "camden").await, before);
    let key = place_key(&app, "camden").await;
    assert_eq!(
        app.db
            .store
            .missions(key, Viewer::Admin)
            .await
            .expect("read")
            .len(),
        4
    );
    assert!(
        app.db
            .store
            .initiative(key, "new-initiative", Viewer::Admin)
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn saving_unchanged_keeps_links_the_editor_cannot_see() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let key = place_key(&app, "camden").await;
    // A restricted theme on a mission, a restricted mission on an
    // initiative, a staff-only role on a partner's commitment.
    app.sql(
        "INSERT INTO mission_theme (mission_id, outcome_theme_id) \
         SELECT m.id, t.id FROM mission m, outcome_theme t WHERE m.slug = 'eat-well' AND t.slug = 'health'",
    )
    .await;
    app.sql("UPDATE outcome_theme SET audience = 'restricted' WHERE slug = 'health'")
        .await;
    app.sql("UPDATE mission SET audience = 'restricted' WHERE slug = 'diverse-power'")
        .await;
    app.sql("UPDATE role SET audience = 'staff' WHERE slug = 'research-learning-evaluation'")
        .await;

    let (_, mission) = app.json("/api/v1/places/camden/missions/eat-well").await;
    let version = mission["version"].to_string();
    let saved = app
        .post_as(
            Some(&staff),
            "/missions/eat-well/edit",
            &[
                ("version", version.as_str()),
                (
                    "short_name",
                    mission["short_name"].as_str().unwrap_or_default(),
                ),
                (
                    "statement",
                    mission["statement"].as_str().unwrap_or_default(),
                ),
                ("target_year", &mission["target_year"].to_string()),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let full = app
        .db
        .store
        .mission(key, "eat-well", Viewer::Admin)
        .await
        .expect("read")
        .expect("mission");
    assert!(
        full.outcome_themes.iter().any(|t| t.id == "health"),
        "the restricted theme stays"
    );

    let (status, body) = send_json(
        &app,
        reqwest::Method::PUT,
        Some(&staff),
        "/api/v1/places/camden/initiatives/we-make-camden-summit",
        &json!({"version": 1, "missions": ["eat-well", "youth-opportunity", "healthy-estates"]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let summit = app
        .db
        .store
        .initiative(key, "we-make-camden-summit", Viewer::Admin)
        .await
        .expect("read")
        .expect("summit");
    assert!(summit.missions.iter().any(|m| m.id == "diverse-power"));

    let commitment = app
        .db
        .store
        .commitments(
            key,
            Viewer::Admin,
            &placeweave_store::CommitmentFilter {
                organisation: Some("ucl".into()),
                ..Default::default()
            },
        )
        .await
        .expect("read")[0]
        .clone();
    assert_eq!(
        commitment.role.as_ref().map(|r| r.id.as_str()),
        Some("research-learning-evaluation")
    );
    let saved = app
        .post_as(
            Some(&ucl),
            &format!("/commitments/{}/edit", commitment.id),
            &[
                ("version", "1"),
                ("role", ""),
                ("mission", ""),
                ("status", "active"),
                ("start_date", ""),
                ("end_date", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = app
        .db
        .store
        .commitments(
            key,
            Viewer::Admin,
            &placeweave_store::CommitmentFilter {
                id: Some(commitment.id),
                ..Default::default()
            },
        )
        .await
        .expect("read")[0]
        .clone();
    assert_eq!(
        after.role.as_ref().map(|r| r.id.as_str()),
        Some("research-learning-evaluation"),
        "the staff-only role stays"
    );
    assert_eq!(
        after.mission.as_ref().map(|m| m.id.as_str()),
        Some("diverse-power"),
        "the restricted mission stays too"
    );
    assert_eq!(
        after.status.slug(),
        "active",
        "what the partner could set changed"
    );
}

#[tokio::test]
async fn forms_and_conflict_pages_show_only_what_the_caller_may_see() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let key = place_key(&app, "camden").await;
    app.sql("UPDATE mission SET short_name = 'Secret mission', audience = 'staff' WHERE slug = 'diverse-power'")
        .await;
    app.sql("UPDATE organisation SET name = 'Hidden Roundhouse', audience = 'restricted' WHERE slug = 'roundhouse'")
        .await;
    app.sql(
        "UPDATE initiative_participant SET role = 'Secret part' WHERE organisation_id = \
         (SELECT id FROM organisation WHERE slug = 'roundhouse')",
    )
    .await;

    // Staff editing an initiative see no restricted participant.
    let form = app
        .get_as(Some(&staff), "/initiatives/missions-ambassadors/edit")
        .await;
    assert_eq!(form.status, 200);
    assert!(!form.body.contains("roundhouse") && !form.body.contains("Secret part"));
    let stale = app
        .post_as(
            Some(&staff),
            "/initiatives/missions-ambassadors/edit",
            &[
                ("version", "0"),
                ("name", "Missions Ambassadors"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(!stale.body.contains("Hidden Roundhouse") && !stale.body.contains("Secret part"));

    // A partner's conflict page on its commitment names no staff-only mission.
    let commitment = app
        .db
        .store
        .commitments(
            key,
            Viewer::Admin,
            &placeweave_store::CommitmentFilter {
                organisation: Some("ucl".into()),
                ..Default::default()
            },
        )
        .await
        .expect("read")[0]
        .clone();
    let stale = app
        .post_as(
            Some(&ucl),
            &format!("/commitments/{}/edit", commitment.id),
            &[("version", "0"), ("status", "active")],
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(!stale.body.contains("Secret mission"));
    assert!(!stale.body.contains("diverse-power"));
}

#[tokio::test]
async fn headline_counts_leave_out_commitments_of_hidden_organisations() {
    let (app, _) = camden_with_accounts().await;
    app.sql("UPDATE organisation SET audience = 'restricted' WHERE slug = 'roundhouse'")
        .await;
    let (_, place) = app.json("/api/v1/places/camden").await;
    let (_, listed) = app.json("/api/v1/places/camden/commitments").await;
    assert_eq!(place["headline"]["commitments"], listed["total"]);
    assert_eq!(listed["total"], 3);
}

#[tokio::test]
async fn staff_cannot_hide_a_record_from_themselves() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let (status, body) = send_json(
        &app,
        reqwest::Method::PUT,
        Some(&staff),
        "/api/v1/places/camden/roles/sponsorship",
        &json!({"version": 1, "audience": "restricted"}),
    )
    .await;
    // The body is well formed; the caller's rights refuse it, naming the field.
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["errors"][0]["field"], "audience");
}
