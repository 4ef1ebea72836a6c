//! Asks over HTTP: recording one (each bad field named, nothing written on
//! error), matching's ranking and its explanation (ask fatigue puts a
//! partner asked yesterday below an equal one), answers, stale versions,
//! and what stays private: asks are missing to partners and the public,
//! and the notes on answers never reach the API.

mod common;

use common::{Body, camden_with_accounts};
use serde_json::{Value, json};

const API: &str = "/api/v1/places/camden";

async fn send_json(
    app: &common::TestApp,
    method: reqwest::Method,
    path: &str,
    cookie: &str,
    body: &Value,
) -> (u16, Value) {
    let reply = app
        .send_to(&app.base, method, path, Some(cookie), Body::Json(body))
        .await;
    let value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, value)
}

async fn get_json(app: &common::TestApp, path: &str, cookie: &str) -> (u16, Value) {
    let reply = app.get_as(Some(cookie), path).await;
    let value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, value)
}

fn yesterday() -> String {
    let now = placeweave_app::now() - 24 * 60 * 60;
    placeweave_domain::date::iso_date(now)
}

#[tokio::test]
async fn recording_an_ask_names_each_bad_field_and_writes_nothing() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let (_, before) = get_json(&app, &format!("{API}/asks"), &staff).await;
    let count = before.as_array().map(Vec::len);
    let reply = app
        .post_as(
            Some(&staff),
            "/asks/new",
            &[
                ("title", ""),
                ("mission", "no-such-mission!"),
                ("lever", "charm"),
                ("size_kind", "quantity"),
                ("quantity", "-3"),
                ("unit", ""),
            ],
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("govuk-error-summary"));
    for field in ["#title", "#mission", "#lever", "#quantity", "#unit"] {
        assert!(reply.body.contains(&format!("href=\"{field}\"")), "{field}");
    }
    // A mission that does not exist is named too, and nothing is written.
    let reply = app
        .post_as(
            Some(&staff),
            "/asks/new",
            &[
                ("title", "Mentors for young people"),
                ("mission", "no-such-mission"),
                ("lever", "expertise"),
                ("size_kind", "quantity"),
                ("quantity", "20"),
                ("unit", "mentors"),
            ],
        )
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("href=\"#mission\""));
    let (_, after) = get_json(&app, &format!("{API}/asks"), &staff).await;
    assert_eq!(after.as_array().map(Vec::len), count);

    // A good one is saved and shown, with the banner.
    let reply = app
        .post_as(
            Some(&staff),
            "/asks/new",
            &[
                ("title", "Mentors for young people"),
                ("mission", "youth-opportunity"),
                ("lever", "expertise"),
                ("size_kind", "quantity"),
                ("quantity", "20"),
                ("unit", "mentors"),
            ],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert!(
        reply
            .location()
            .starts_with("/asks/mentors-for-young-people")
    );
    let saved = reply.saved_cookie().expect("saved cookie");
    let page = app
        .get_as(Some(&format!("{staff}; {saved}")), &reply.location())
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Ask saved"));
    assert!(page.body.contains("20 mentors"));
    // The same title again is refused by name.
    let (status, problem) = send_json(
        &app,
        reqwest::Method::POST,
        &format!("{API}/asks"),
        &staff,
        &json!({"title": "Mentors for young people", "mission": "youth-opportunity",
                "lever": "expertise", "size_kind": "pounds", "pounds": "500"}),
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "title");
}

#[tokio::test]
async fn matching_explains_and_ask_fatigue_ranks_a_partner_asked_yesterday_lower() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    // Two partners alike for this ask: both hold the lever, neither has a
    // relationship or a commitment to the mission.
    for organisation in ["wellcome-collection", "senate-house"] {
        app.sql(&format!(
            "INSERT INTO organisation_lever (organisation_id, lever) SELECT o.id, 'data' \
             FROM organisation o WHERE o.slug = '{organisation}' AND NOT EXISTS \
             (SELECT 1 FROM organisation_lever l WHERE l.organisation_id = o.id AND l.lever = 'data')"
        ))
        .await;
    }
    let (status, ask) = send_json(
        &app,
        reqwest::Method::POST,
        &format!("{API}/asks"),
        &staff,
        &json!({"title": "Data for the estates survey", "mission": "healthy-estates",
                "lever": "data", "size_kind": "quantity", "quantity": "1", "unit": "data set"}),
    )
    .await;
    assert_eq!(status, 200, "{ask}");
    let matches_url = format!("{API}/asks/data-for-the-estates-survey/matches");
    let (_, matches) = get_json(&app, &matches_url, &staff).await;
    let find = |matches: &Value, slug: &str| -> (usize, i64, Value) {
        let list = matches.as_array().expect("matches");
        let at = list
            .iter()
            .position(|m| m["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug} not matched: {matches}"));
        (
            at,
            list[at]["score"].as_i64().expect("score"),
            list[at]["factors"].clone(),
        )
    };
    let (_, wellcome, factors) = find(&matches, "wellcome-collection");
    let (_, senate, _) = find(&matches, "senate-house");
    assert_eq!(wellcome, senate, "alike partners score alike: {matches}");
    let lever = factors
        .as_array()
        .expect("factors")
        .iter()
        .find(|f| f["factor"] == "Lever")
        .expect("lever factor");
    assert_eq!(lever["points"], 40);
    assert!(
        lever["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("Data and insight")
    );
    // The scores are the sums of their factors, best first.
    let list = matches.as_array().expect("matches");
    for m in list {
        let sum: i64 = m["factors"]
            .as_array()
            .expect("factors")
            .iter()
            .map(|f| f["points"].as_i64().unwrap_or_default())
            .sum();
        assert_eq!(m["score"].as_i64(), Some(sum), "{m}");
    }
    assert!(
        list.windows(2)
            .all(|w| w[0]["score"].as_i64() >= w[1]["score"].as_i64())
    );

    // An ask only administrators may see, put to Wellcome yesterday, is
    // as missing to staff as no ask at all: it tires nobody in their view.
    app.sql(
        "INSERT INTO ask (place_id, slug, title, mission_id, lever, quantity, unit, audience) \
         SELECT p.id, 'hidden-ask', 'Hidden ask', m.id, 'data', 1, 'sets', 'restricted' \
         FROM place p JOIN mission m ON m.place_id = p.id \
         WHERE p.slug = 'camden' AND m.slug = 'healthy-estates'",
    )
    .await;
    app.sql(&format!(
        "INSERT INTO ask_made (ask_id, organisation_id, asked_on) SELECT a.id, o.id, '{}' \
         FROM ask a JOIN organisation o ON o.place_id = a.place_id \
         WHERE a.slug = 'hidden-ask' AND o.slug = 'wellcome-collection'",
        yesterday()
    ))
    .await;
    let (_, matches) = get_json(&app, &matches_url, &staff).await;
    assert_eq!(
        find(&matches, "wellcome-collection").1,
        find(&matches, "senate-house").1,
        "a hidden ask changed the ranking: {matches}"
    );

    // Senate House was asked something else yesterday.
    let (status, answered) = send_json(
        &app,
        reqwest::Method::POST,
        &format!("{API}/asks/host-the-partnership-summit/asked"),
        &staff,
        &json!({"organisation": "senate-house", "asked_on": yesterday()}),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    let (_, matches) = get_json(&app, &matches_url, &staff).await;
    let (wellcome_at, wellcome, _) = find(&matches, "wellcome-collection");
    let (senate_at, senate, factors) = find(&matches, "senate-house");
    assert!(senate_at > wellcome_at, "{matches}");
    assert!(senate < wellcome);
    let fatigue = factors
        .as_array()
        .expect("factors")
        .iter()
        .find(|f| f["points"].as_i64().is_some_and(|p| p < 0))
        .expect("a fatigue factor");
    assert!(
        fatigue["points"].as_i64().unwrap_or_default() <= -19,
        "{fatigue}"
    );

    // The page lists the ranking with its reasons.
    let page = app
        .get_as(Some(&staff), "/asks/data-for-the-estates-survey")
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Holds the lever the ask needs: Data and insight")
    );
}

#[tokio::test]
async fn answers_are_recorded_notes_stay_off_the_api_and_asks_are_missing_to_others() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let ask = "/asks/apprenticeship-places-for-care-leavers";
    // Record an ask with a private note, on the page.
    let reply = app
        .post_as(
            Some(&staff),
            &format!("{ask}/asked"),
            &[
                ("organisation", "google"),
                ("asked_on", "2026-11-01"),
                ("answer", "pending"),
                ("note", "CANARY-ASK-NOTE"),
            ],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let page = app.get_as(Some(&staff), ask).await;
    assert!(page.body.contains("CANARY-ASK-NOTE"));
    let (status, served) = get_json(&app, &format!("{API}{ask}"), &staff).await;
    assert_eq!(status, 200);
    assert!(!served.to_string().contains("CANARY-ASK-NOTE"), "{served}");
    let (_, asked) = get_json(&app, &format!("{API}{ask}/asked"), &staff).await;
    assert!(!asked.to_string().contains("CANARY-ASK-NOTE"));
    let made = asked
        .as_array()
        .expect("asked")
        .iter()
        .find(|m| m["organisation"]["id"] == "google")
        .expect("google asked");
    let google = made["id"].as_i64().expect("id");
    let answer_version = made["version"].as_i64().expect("version");

    // An answer date before the ask is named; a good answer is saved.
    let (status, problem) = send_json(
        &app,
        reqwest::Method::PUT,
        &format!("{API}{ask}/asked/{google}"),
        &staff,
        &json!({"organisation": "google", "asked_on": "2026-11-01", "answer": "yes",
                "answered_on": "2026-10-01", "version": answer_version}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["field"], "answered_on");
    let (status, answered) = send_json(
        &app,
        reqwest::Method::PUT,
        &format!("{API}{ask}/asked/{google}"),
        &staff,
        &json!({"organisation": "google", "asked_on": "2026-11-01", "answer": "yes",
                "answered_on": "2026-11-20", "version": answer_version}),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    assert!(answered["made"].as_array().expect("made").iter().any(|m| {
        m["organisation"]["id"] == "google"
            && m["answer"] == "yes"
            && m["answered_on"] == "2026-11-20"
    }));

    // A stale version is a conflict; the current one saves.
    let version = served["version"].as_i64().expect("version");
    let mut change = json!({"title": "Apprenticeship places for care leavers",
        "mission": "youth-opportunity", "lever": "employment", "size_kind": "quantity",
        "quantity": "15", "unit": "apprenticeship places", "status": "open", "version": version});
    let (status, changed) = send_json(
        &app,
        reqwest::Method::PUT,
        &format!("{API}{ask}"),
        &staff,
        &change,
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["size"]["quantity"], 15);
    change["quantity"] = json!("16");
    let (status, _) = send_json(
        &app,
        reqwest::Method::PUT,
        &format!("{API}{ask}"),
        &staff,
        &change,
    )
    .await;
    assert_eq!(status, 409);

    // To a partner and to the public an ask is missing, on pages and the API.
    for cookie in [Some(ucl.as_str()), None] {
        assert_eq!(app.get_as(cookie, ask).await.status, 404);
        assert_eq!(app.get_as(cookie, &format!("{API}{ask}")).await.status, 404);
        let list = app.get_as(cookie, "/asks").await;
        assert!(list.status >= 400 || list.location().starts_with("/sign-in"));
        assert!(!list.body.contains("Apprenticeship places"));
    }
}
