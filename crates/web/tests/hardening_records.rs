//! Issue 23's leaks in the partnership team's records, over HTTP: a
//! relationship's owners are changed only by its owners and
//! administrators; an ask on a hidden mission tires nobody; the
//! relationships report counts only partners the reader may see; an API
//! answer keeps the private note it never shows; a partner's revision of
//! an accepted commitment goes back for review; a measure's values
//! download defuses formulas like every other CSV.

mod common;

use common::{Body, PASSWORD, camden_with_accounts, version_of};
use placeweave_app::{App, Operator};
use placeweave_domain::AccountRole;
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

fn yesterday() -> String {
    placeweave_domain::date::iso_date(placeweave_app::now() - 24 * 60 * 60)
}

/// UCL's commitments as the public reads them.
async fn public(app: &common::TestApp) -> Vec<Value> {
    let (_, list) = app
        .json(&format!("{API}/commitments?organisation=ucl&per_page=100"))
        .await;
    list["items"].as_array().cloned().unwrap_or_default()
}

fn owner_ids(relationship: &Value) -> Vec<String> {
    relationship["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .filter_map(|o| o["id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn another_staff_member_cannot_make_themselves_an_owner_or_remove_one() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    let keeper = app
        .account("keeper@camden.example", AccountRole::Staff, None, PASSWORD)
        .await
        .to_string();
    let keeper_cookie = app.sign_in("keeper@camden.example", PASSWORD).await;
    let nosy = app
        .account("nosy@camden.example", AccountRole::Staff, None, PASSWORD)
        .await
        .to_string();
    let nosy_cookie = app.sign_in("nosy@camden.example", PASSWORD).await;
    let secret = "Board chair is standing down";
    let (status, created) = send_json(
        &app,
        reqwest::Method::POST,
        &format!("{API}/relationships"),
        &admin,
        &json!({"organisation": "roundhouse", "stage": "exploring", "formality": "informal",
                "owners": [keeper], "sensitivities": secret}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    let url = format!("{API}/relationships/{}", created["id"]);
    let version = created["version"].clone();

    // Adding themselves, replacing or removing the owner: each refused by name.
    for owners in [json!([keeper, nosy]), json!([nosy]), json!([])] {
        let refused = app
            .put_json(
                &nosy_cookie,
                &url,
                &json!({"version": version, "owners": owners}),
            )
            .await;
        assert_eq!(refused.status, 400, "{owners}: {}", refused.body);
        let problem: Value = serde_json::from_str(&refused.body).expect("json");
        assert_eq!(problem["errors"][0]["field"], "owners", "{problem}");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("owners and administrators")),
            "{problem}"
        );
    }
    let (_, read) = app.json_as(&nosy_cookie, &url).await;
    assert_eq!(owner_ids(&read), [keeper.as_str()]);
    assert!(!read.to_string().contains(secret));

    // The rest is theirs to change, and the owners stay; the edit form
    // does not offer the owners to them, and saving it keeps them.
    let changed = app
        .put_json(
            &nosy_cookie,
            &url,
            &json!({"version": version, "stage": "committed"}),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let id = created["id"].as_i64().expect("id");
    let edit = app
        .get_as(Some(&staff), &format!("/relationships/{id}/edit"))
        .await;
    assert_eq!(edit.status, 200);
    assert!(!edit.body.contains("name=\"owners\""), "owners offered");
    let saved = app
        .post_as(
            Some(&staff),
            &format!("/relationships/{id}/edit"),
            &[
                ("version", &version_of(&edit.body)),
                ("organisation", "roundhouse"),
                ("stage", "active"),
                ("formality", "mou"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, read) = app.json_as(&admin, &url).await;
    assert_eq!(owner_ids(&read), [keeper.as_str()]);
    assert_eq!(read["sensitivities"], secret);

    // The owner may share it.
    let shared = app
        .put_json(
            &keeper_cookie,
            &url,
            &json!({"version": read["version"], "owners": [keeper, nosy]}),
        )
        .await;
    assert_eq!(shared.status, 200, "{}", shared.body);
}

#[tokio::test]
async fn an_ask_on_a_mission_staff_cannot_see_does_not_tire_a_partner_for_them() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    // A restricted mission, and a staff-level ask on it put to Wellcome
    // yesterday: staff see neither, so the ask tires nobody in their view.
    app.sql(
        "INSERT INTO mission (place_id, slug, short_name, statement, audience) \
         SELECT id, 'secret-mission', 'Secret mission', 'Not for staff', 'restricted' \
         FROM place WHERE slug = 'camden'",
    )
    .await;
    app.sql(
        "INSERT INTO ask (place_id, slug, title, mission_id, lever, quantity, unit, audience) \
         SELECT p.id, 'secret-ask', 'Secret ask', m.id, 'data', 1, 'sets', 'staff' \
         FROM place p JOIN mission m ON m.place_id = p.id \
         WHERE p.slug = 'camden' AND m.slug = 'secret-mission'",
    )
    .await;
    app.sql(&format!(
        "INSERT INTO ask_made (ask_id, organisation_id, asked_on) SELECT a.id, o.id, '{}' \
         FROM ask a JOIN organisation o ON o.place_id = a.place_id \
         WHERE a.slug = 'secret-ask' AND o.slug = 'wellcome-collection'",
        yesterday()
    ))
    .await;
    let fatigue = |json: &Value| -> Vec<i64> {
        json.as_array()
            .into_iter()
            .flatten()
            .flat_map(|m| m["factors"].as_array().cloned().unwrap_or_default())
            .filter(|f| f["factor"] == "Ask fatigue")
            .filter_map(|f| f["points"].as_i64())
            .filter(|p| *p < 0)
            .collect()
    };
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
    let wellcome = |json: &Value| -> Value {
        json.as_array()
            .and_then(|l| l.iter().find(|m| m["slug"] == "wellcome-collection"))
            .cloned()
            .unwrap_or_else(|| panic!("wellcome not matched: {json}"))
    };
    let (_, matches) = app.json_as(&staff, &matches_url).await;
    assert!(
        fatigue(&json!([wellcome(&matches)])).is_empty(),
        "matching: {matches}"
    );
    let briefing = format!("{API}/organisations/wellcome-collection/briefing");
    let (status, json) = app.json_as(&staff, &briefing).await;
    assert_eq!(status, 200, "{json}");
    assert!(
        fatigue(&json["suggested_asks"]).is_empty(),
        "briefing: {json}"
    );
    // An administrator sees the mission, and the ask tires Wellcome for them.
    let (_, matches) = app.json_as(&admin, &matches_url).await;
    assert!(
        !fatigue(&json!([wellcome(&matches)])).is_empty(),
        "{matches}"
    );
    let (_, json) = app.json_as(&admin, &briefing).await;
    assert!(!fatigue(&json["suggested_asks"]).is_empty(), "{json}");
}

#[tokio::test]
async fn the_relationships_report_counts_no_partner_staff_cannot_see() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    let mut ids = Vec::new();
    for organisation in ["ucl", "roundhouse"] {
        let (status, created) = send_json(
            &app,
            reqwest::Method::POST,
            &format!("{API}/relationships"),
            &staff,
            &json!({"organisation": organisation, "stage": "warm-conversation",
                    "formality": "informal"}),
        )
        .await;
        assert_eq!(status, 200, "{created}");
        ids.push(created["id"].as_i64().expect("id"));
    }
    app.sql("DELETE FROM relationship_stage").await;
    for (id, stage, date) in [
        (ids[0], "warm-conversation", "2026-01-10"),
        (ids[0], "committed", "2026-02-09"),
        (ids[1], "warm-conversation", "2026-02-01"),
        (ids[1], "committed", "2026-02-11"),
    ] {
        app.sql(&format!(
            "INSERT INTO relationship_stage (relationship_id, stage, changed_on) \
             VALUES ({id}, '{stage}', '{date}')"
        ))
        .await;
    }
    // The Roundhouse is now for administrators only; its relationship's
    // own audience is still staff.
    app.sql("UPDATE organisation SET audience = 'restricted' WHERE slug = 'roundhouse'")
        .await;
    let report = format!("{API}/relationships/report?from=2026-01-01&to=2026-03-31");
    let counted = |json: &Value| (json["warm"].as_i64(), json["converted"].as_i64());
    let (status, as_staff) = app.json_as(&staff, &report).await;
    assert_eq!(status, 200, "{as_staff}");
    assert_eq!(counted(&as_staff), (Some(1), Some(1)), "{as_staff}");
    let page = app
        .get_as(
            Some(&staff),
            "/relationships/report?from=2026-01-01&to=2026-03-31",
        )
        .await;
    assert!(page.body.contains("id=\"warm\">1<"), "{}", page.body);
    let (_, as_admin) = app.json_as(&admin, &report).await;
    assert_eq!(counted(&as_admin), (Some(2), Some(2)), "{as_admin}");
}

#[tokio::test]
async fn an_api_answer_without_a_note_keeps_the_private_note() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let ask = "/asks/apprenticeship-places-for-care-leavers";
    let reply = app
        .post_as(
            Some(&staff),
            &format!("{ask}/asked"),
            &[
                ("organisation", "google"),
                ("asked_on", "2026-11-01"),
                ("answer", "pending"),
                ("note", "NOTE-KEPT-CANARY"),
            ],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let (_, asked) = app.json_as(&staff, &format!("{API}{ask}/asked")).await;
    let made = |asked: &Value| -> (i64, i64) {
        let made = asked
            .as_array()
            .and_then(|l| l.iter().find(|m| m["organisation"]["id"] == "google"))
            .expect("google asked");
        (
            made["id"].as_i64().expect("id"),
            made["version"].as_i64().expect("version"),
        )
    };
    let (google, version) = made(&asked);
    let (status, answered) = send_json(
        &app,
        reqwest::Method::PUT,
        &format!("{API}{ask}/asked/{google}"),
        &staff,
        &json!({"organisation": "google", "asked_on": "2026-11-01", "answer": "yes",
                "answered_on": "2026-11-20", "version": version}),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    let page = app.get_as(Some(&staff), ask).await;
    assert!(
        page.body.contains("NOTE-KEPT-CANARY"),
        "the note was erased"
    );
    // Sent empty, it is emptied.
    let (_, asked) = app.json_as(&staff, &format!("{API}{ask}/asked")).await;
    let (_, version) = made(&asked);
    let (status, _) = send_json(
        &app,
        reqwest::Method::PUT,
        &format!("{API}{ask}/asked/{google}"),
        &staff,
        &json!({"organisation": "google", "asked_on": "2026-11-01", "answer": "yes",
                "answered_on": "2026-11-20", "note": "", "version": version}),
    )
    .await;
    assert_eq!(status, 200);
    let page = app.get_as(Some(&staff), ask).await;
    assert!(!page.body.contains("NOTE-KEPT-CANARY"));
}

#[tokio::test]
async fn a_partners_revision_of_an_accepted_commitment_goes_back_for_review() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let before = public(&app).await;
    let accepted = before
        .iter()
        .find(|c| c["review"] == "accepted" || c.get("review").is_none())
        .cloned()
        .unwrap_or_else(|| panic!("an accepted public commitment of UCL: {before:?}"));
    let id = accepted["id"].as_i64().expect("id");
    let url = format!("{API}/commitments/{id}");
    let list = format!("{API}/commitments?organisation=ucl&per_page=100");
    let own = |json: Value| -> Value {
        json["items"]
            .as_array()
            .and_then(|items| items.iter().find(|c| c["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("{id} not listed: {json}"))
    };
    let (status, listed) = app.json_as(&ucl, &list).await;
    assert_eq!(status, 200, "{listed}");
    let own = own(listed);
    // Saved unchanged, nothing moves.
    let same = app
        .put_json(&ucl, &url, &json!({"version": own["version"]}))
        .await;
    assert_eq!(same.status, 200, "{}", same.body);
    assert!(public(&app).await.iter().any(|c| c["id"] == id));

    let role = if accepted["role"]["id"] == "sponsorship" {
        "advocate-champion"
    } else {
        "sponsorship"
    };
    let revised = app
        .put_json(
            &ucl,
            &url,
            &json!({"version": own["version"], "role": role}),
        )
        .await;
    assert_eq!(revised.status, 200, "{}", revised.body);
    let revised: Value = serde_json::from_str(&revised.body).expect("json");
    assert_eq!(revised["review"], "awaiting", "{revised}");
    // Held from the public until staff accept it; the partner and staff see it.
    assert!(
        public(&app).await.iter().all(|c| c["id"] != id),
        "the revision was published at once"
    );
    let (_, listed) = app.json_as(&ucl, &list).await;
    assert!(listed.to_string().contains("awaiting"), "{listed}");
    let queue = app.get_as(Some(&staff), "/commitments/proposals").await;
    assert!(queue.body.contains(&format!("/commitments/{id}/review")));
    let accept = json!({"decision": "accept", "audience": "public", "version": revised["version"]});
    let (status, done) = send_json(
        &app,
        reqwest::Method::PUT,
        &format!("{url}/review"),
        &staff,
        &accept,
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let published = public(&app).await;
    let found = published
        .iter()
        .find(|c| c["id"] == id)
        .expect("published once accepted");
    assert_eq!(found["role"]["id"], role, "{found}");
}

#[tokio::test]
async fn a_measures_values_download_defuses_formulas_in_notes_and_wards() {
    let (app, _) = camden_with_accounts().await;
    let import = App::new(app.db.store.clone());
    let file = "measure,year,ward,value,note\n\
                healthy-life-expectancy,2022,,-1.5,\"=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\"\n\
                healthy-life-expectancy,2023,@SUM(A1),57,+cmd\n";
    import
        .import_measure_values_as(Operator::CommandLine, "camden", file.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("imported: {e:?}"));
    let csv = app
        .get_as(None, "/measures/healthy-life-expectancy/values.csv")
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 2, "{}", csv.body);
    for row in &rows {
        for (column, cell) in ["ward", "note"].iter().zip([&row[2], &row[4]]) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{column} reaches a spreadsheet as a formula: {cell}"
            );
        }
    }
    assert!(
        rows.iter()
            .any(|r| r[4] == "'=HYPERLINK(\"https://evil.example\",\"x\")")
    );
    assert!(rows.iter().any(|r| r[2] == "'@SUM(A1)" && r[4] == "'+cmd"));
    // A negative value stays a number the import reads back.
    assert!(rows.iter().any(|r| r[3] == "-1.5"), "{rows:?}");
}

#[tokio::test]
async fn an_answer_to_an_ask_is_changed_only_at_the_version_read() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let ask = "/asks/apprenticeship-places-for-care-leavers";
    let (status, recorded) = send_json(
        &app,
        reqwest::Method::POST,
        &format!("{API}{ask}/asked"),
        &staff,
        &json!({"organisation": "google", "asked_on": "2026-11-01"}),
    )
    .await;
    assert_eq!(status, 200, "{recorded}");
    let made = recorded["made"]
        .as_array()
        .and_then(|l| l.iter().find(|m| m["organisation"]["id"] == "google"))
        .cloned()
        .expect("google asked");
    let (id, read) = (made["id"].as_i64().expect("id"), made["version"].clone());
    let url = format!("{API}{ask}/asked/{id}");
    let answer = |answer: &str, version: &Value| {
        json!({"organisation": "google", "asked_on": "2026-11-01", "answer": answer,
               "answered_on": "2026-11-20", "version": version})
    };
    // Two people answer from the same reading: the second is told.
    let (status, first) = send_json(
        &app,
        reqwest::Method::PUT,
        &url,
        &staff,
        &answer("yes", &read),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    let (status, second) = send_json(
        &app,
        reqwest::Method::PUT,
        &url,
        &staff,
        &answer("no", &read),
    )
    .await;
    assert_eq!(status, 409, "{second}");
    let (_, asked) = app.json_as(&staff, &format!("{API}{ask}/asked")).await;
    assert!(
        asked.to_string().contains("\"answer\":\"yes\""),
        "last writer won: {asked}"
    );
    // Without a version, it is named.
    let mut unversioned = answer("no", &read);
    if let Some(fields) = unversioned.as_object_mut() {
        fields.remove("version");
    }
    let (status, problem) = send_json(&app, reqwest::Method::PUT, &url, &staff, &unversioned).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "version", "{problem}");

    // The page's form carries the version; a stale one is a conflict
    // that shows what is saved now.
    let form = app.get_as(Some(&staff), &format!("{ask}/asked/{id}")).await;
    assert_eq!(form.status, 200);
    let current = version_of(&form.body);
    let post = |version: String| {
        let app = &app;
        let staff = staff.clone();
        async move {
            app.post_as(
                Some(&staff),
                &format!("{ask}/asked/{id}"),
                &[
                    ("organisation", "google"),
                    ("asked_on", "2026-11-01"),
                    ("answer", "maybe"),
                    ("answered_on", "2026-11-21"),
                    ("note", ""),
                    ("version", &version),
                ],
            )
            .await
        }
    };
    let refused = post(read.to_string()).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("Someone else changed this answer"));
    assert_eq!(post(current).await.status, 303);
}
