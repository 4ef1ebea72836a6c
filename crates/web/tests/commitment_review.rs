//! Review before publishing: a commitment a partner proposes is seen by
//! that partner and staff only (pages, API, downloads) until staff accept
//! it; declining needs a note, which the partner then sees; a revision
//! goes back for review; only staff decide; a stale decision is refused.

mod common;

use common::{Body, camden_with_accounts};
use serde_json::{Value, json};

const API: &str = "/api/v1/places/camden";

async fn get_json(app: &common::TestApp, path: &str, cookie: Option<&str>) -> (u16, Value) {
    let reply = app.get_as(cookie, path).await;
    let value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, value)
}

async fn put_json(
    app: &common::TestApp,
    path: &str,
    cookie: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let reply = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            path,
            cookie,
            Body::Json(body),
        )
        .await;
    let value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, value)
}

/// UCL's commitments as `cookie` sees them through the API.
async fn ucl_commitments(app: &common::TestApp, cookie: Option<&str>) -> Vec<Value> {
    let (status, page) = get_json(
        app,
        &format!("{API}/commitments?organisation=ucl&per_page=100"),
        cookie,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().cloned().unwrap_or_default()
}

fn find(items: &[Value], id: i64) -> Option<&Value> {
    items.iter().find(|c| c["id"] == id)
}

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// How many commitments an impact page lists under "Committed".
fn committed(page: &str) -> usize {
    let section = page
        .split_once(">Committed</h2>")
        .and_then(|(_, rest)| rest.split_once(">Contributed</h2>"))
        .map(|(section, _)| section)
        .unwrap_or_default();
    section.matches("<li>").count()
}

#[tokio::test]
async fn a_partners_proposal_is_public_only_once_staff_accept_it() {
    let (app, [ucl, roundhouse, staff, _admin]) = camden_with_accounts().await;
    let public_before = ucl_commitments(&app, None).await.len();
    let committed_before = committed(&app.get_as(None, "/organisations/ucl/impact").await.body);
    assert!(committed_before > 0);
    assert!(
        !app.get_as(Some(&staff), "/organisations/ucl/briefing")
            .await
            .body
            .contains("Awaiting review")
    );
    let csv_before = app
        .get_as(None, "/commitments.csv?organisation=ucl")
        .await
        .body;

    // UCL's partner proposes a commitment from the ordinary form.
    let reply = app
        .post_as(
            Some(&ucl),
            "/commitments/new",
            &[
                ("role", "sponsorship"),
                ("mission", "youth-opportunity"),
                ("status", "proposed"),
                ("start_date", ""),
                ("end_date", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert!(reply.saved_cookie().is_some_and(|c| c.contains("proposal")));
    let own = ucl_commitments(&app, Some(&ucl)).await;
    let proposal = own
        .iter()
        .find(|c| c["review"] == "awaiting")
        .expect("the partner sees its proposal");
    let id = proposal["id"].as_i64().expect("id");
    assert_eq!(proposal["audience"], "staff");

    // Nobody else outside the partnership team sees it: not the public,
    // not another partner, not in a download or on the organisation page.
    assert_eq!(ucl_commitments(&app, None).await.len(), public_before);
    assert!(find(&ucl_commitments(&app, Some(&roundhouse)).await, id).is_none());
    assert_eq!(
        app.get_as(None, "/commitments.csv?organisation=ucl")
            .await
            .body,
        csv_before
    );
    let public_page = app.get_as(None, "/organisations/ucl").await.body;
    assert!(!public_page.contains("Awaiting review"));
    let own_page = app.get_as(Some(&ucl), "/organisations/ucl").await.body;
    assert!(own_page.contains("Awaiting review"));
    let (status, _) = get_json(&app, &format!("{API}/commitments?review=awaiting"), None).await;
    assert_eq!(status, 200);
    let (_, listed) = get_json(&app, &format!("{API}/commitments?review=awaiting"), None).await;
    assert_eq!(listed["total"], 0, "{listed}");

    // The impact page, printed for the partner's board, does not count a
    // proposal, whoever prints it; a leader's briefing shows it, labelled.
    for caller in [None, Some(ucl.as_str()), Some(staff.as_str())] {
        let page = app.get_as(caller, "/organisations/ucl/impact").await.body;
        assert_eq!(committed(&page), committed_before, "{caller:?}");
    }
    let briefing = app
        .get_as(Some(&staff), "/organisations/ucl/briefing")
        .await;
    assert_eq!(briefing.status, 200);
    assert!(briefing.body.contains("Awaiting review"));

    // Staff find it in their queue and on "My work".
    let queue = app.get_as(Some(&staff), "/commitments/proposals").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains(&format!("/commitments/{id}/review")));
    let home = app.get_as(Some(&staff), "/").await.body;
    assert!(home.contains("/commitments/proposals"));

    // Only staff decide: the proposer is refused; to another partner and
    // the public the proposal is missing, as a hidden record is.
    let version = proposal["version"].as_i64().expect("version");
    let review = format!("{API}/commitments/{id}/review");
    let accept = json!({"decision": "accept", "version": version});
    assert_eq!(put_json(&app, &review, Some(&ucl), &accept).await.0, 403);
    assert_eq!(
        put_json(&app, &review, Some(&roundhouse), &accept).await.0,
        404
    );
    assert_eq!(put_json(&app, &review, None, &accept).await.0, 404);
    let page = app
        .get_as(Some(&ucl), &format!("/commitments/{id}/review"))
        .await;
    assert_ne!(page.status, 200);

    // Declining needs a note; each bad field is named and nothing changes.
    let bad =
        json!({"decision": "decline", "note": " ", "audience": "everyone", "version": version});
    let (status, problem) = put_json(&app, &review, Some(&staff), &bad).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["note"]);
    let reply = app
        .post_as(
            Some(&staff),
            &format!("/commitments/{id}/review"),
            &[
                ("decision", ""),
                ("note", ""),
                ("version", &version.to_string()),
            ],
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("govuk-error-summary"));
    assert!(reply.body.contains("href=\"#decision\""));
    let reply = app
        .post_as(
            Some(&staff),
            &format!("/commitments/{id}/review"),
            &[
                ("decision", "decline"),
                (
                    "note",
                    "Sponsorship is full this year: could you mentor instead?",
                ),
                ("audience", "public"),
                ("version", &version.to_string()),
            ],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert!(reply.location().starts_with("/commitments/proposals"));

    // The partner sees the note; the public still sees nothing.
    let own = ucl_commitments(&app, Some(&ucl)).await;
    let declined = find(&own, id).expect("still the partner's");
    assert_eq!(declined["review"], "declined");
    assert!(
        declined["review_note"]
            .as_str()
            .is_some_and(|n| n.contains("mentor instead"))
    );
    assert!(
        app.get_as(Some(&ucl), "/organisations/ucl")
            .await
            .body
            .contains("mentor instead")
    );
    assert!(find(&ucl_commitments(&app, None).await, id).is_none());
    assert!(
        !app.get_as(None, "/organisations/ucl")
            .await
            .body
            .contains("mentor instead")
    );

    // Revising it sends it back for review.
    let version = declined["version"].as_i64().expect("version");
    let (status, revised) = put_json(
        &app,
        &format!("{API}/commitments/{id}"),
        Some(&ucl),
        &json!({"version": version, "role": "advocate-champion"}),
    )
    .await;
    assert_eq!(status, 200, "{revised}");
    assert_eq!(revised["review"], "awaiting");
    assert_eq!(revised["audience"], "staff");

    // A decision on a version someone has since changed is refused.
    let stale = json!({"decision": "accept", "version": version});
    assert_eq!(put_json(&app, &review, Some(&staff), &stale).await.0, 409);

    // Accepted, it is published at the audience chosen.
    let version = revised["version"].as_i64().expect("version");
    let accept =
        json!({"decision": "accept", "note": "Welcome", "audience": "public", "version": version});
    let (status, accepted) = put_json(&app, &review, Some(&staff), &accept).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["review"], "accepted");
    let public = ucl_commitments(&app, None).await;
    assert_eq!(public.len(), public_before + 1);
    let published = find(&public, id).expect("published");
    assert!(published.get("review_note").is_none(), "{published}");
    assert!(find(&ucl_commitments(&app, Some(&roundhouse)).await, id).is_some());
    // Once accepted there is nothing left to review.
    assert_eq!(put_json(&app, &review, Some(&staff), &accept).await.0, 404);
}

#[tokio::test]
async fn a_staff_only_commitment_stays_hidden_from_the_partner_it_names() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let reply = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            &format!("{API}/commitments"),
            Some(&staff),
            Body::Json(&json!({
                "organisation": "ucl",
                "mission": "youth-opportunity",
                "status": "proposed",
                "note": "Staff are still discussing this",
                "audience": "staff"
            })),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let created: Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(created["review"], "accepted");
    let id = created["id"].as_i64().expect("id");
    assert!(find(&ucl_commitments(&app, Some(&ucl)).await, id).is_none());
    let edit = app
        .get_as(Some(&ucl), &format!("/commitments/{id}/edit"))
        .await;
    assert_eq!(edit.status, 404);
    // Nor is it in the review queue: staff recorded it themselves.
    let queue = app
        .get_as(Some(&staff), "/commitments/proposals")
        .await
        .body;
    assert!(!queue.contains(&format!("/commitments/{id}/review")));
}
