//! Interactions over HTTP: a staff member logs one with a follow-up from
//! the quick form, sees it overdue, marks it done; the API logs and
//! changes them; each bad field is named; partners and the public never
//! see one, nor its private summary.

mod common;

use common::{Body, PASSWORD, camden_with_accounts, version_of};
use placeweave_domain::AccountRole;
use serde_json::json;

#[tokio::test]
async fn staff_log_an_interaction_with_a_follow_up_and_complete_it() {
    let (app, [ucl, roundhouse, _, admin]) = camden_with_accounts().await;
    let me = app
        .account("logger@camden.example", AccountRole::Staff, None, PASSWORD)
        .await
        .to_string();
    let staff = app.sign_in("logger@camden.example", PASSWORD).await;

    // The quick form starts with today and the person logging.
    let form = app
        .get_as(Some(&staff), "/interactions/new?organisation=ucl")
        .await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains(&format!("value=\"{me}\" checked")),
        "the logger ticked"
    );
    assert!(
        form.body.contains("<option value=\"ucl\" selected>"),
        "the partner chosen"
    );
    let secret = "They may bid for the Community Wealth Fund";
    let saved = app
        .post_as(
            Some(&staff),
            "/interactions/new?organisation=ucl",
            &[
                ("organisation", "ucl"),
                ("kind", "call"),
                ("date-day", "2"),
                ("date-month", "11"),
                ("date-year", "2026"),
                ("staff", &me),
                ("summary", secret),
                ("outcomes", "Agreed to talk again"),
                ("follow_up", "Send the summit invitation"),
                ("follow_up_owner", &me),
                ("follow_up_due-day", "3"),
                ("follow_up_due-month", "11"),
                ("follow_up_due-year", "2026"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.location();
    let id: i64 = location
        .trim_start_matches("/interactions/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the interaction: {location}"));
    let page = app
        .get_as(Some(&staff), &format!("/interactions/{id}"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(secret) && page.body.contains("Send the summit invitation"));
    assert!(page.body.contains("Overdue"), "due yesterday or before");
    let list = app.get_as(Some(&staff), "/interactions").await;
    assert!(list.body.contains(&format!("/interactions/{id}\"")) && list.body.contains("Overdue"));

    // Mark it done; a second time writes nothing and still answers.
    let url = format!("/api/v1/places/camden/interactions/{id}");
    let (_, json_view) = {
        let r = app.get_as(Some(&staff), &url).await;
        (
            r.status,
            serde_json::from_str::<serde_json::Value>(&r.body).expect("json"),
        )
    };
    let follow_up = json_view["follow_ups"][0]["id"]
        .as_i64()
        .expect("follow-up id");
    let done_path = format!("/interactions/{id}/follow-ups/{follow_up}/done");
    let done = app.post_as(Some(&staff), &done_path, &[]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let again = app.post_as(Some(&staff), &done_path, &[]).await;
    assert_eq!(again.status, 303);
    let page = app
        .get_as(Some(&staff), &format!("/interactions/{id}"))
        .await;
    assert!(page.body.contains("Done") && !page.body.contains("Overdue"));
    let missing = app
        .post_as(
            Some(&staff),
            &format!("/interactions/{id}/follow-ups/999999/done"),
            &[],
        )
        .await;
    assert_eq!(missing.status, 404);
    let audit = app.get_as(Some(&admin), "/admin/audit").await;
    assert_eq!(
        audit.body.matches("follow-up").count(),
        1,
        "one audit line for done"
    );

    // The API adds a follow-up and refuses a stale version.
    let changed = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(
                &json!({"version": 1, "follow_up": "Book a visit", "outcomes": "Visit agreed"}),
            ),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let changed: serde_json::Value = serde_json::from_str(&changed.body).expect("json");
    assert_eq!(changed["follow_ups"].as_array().map(Vec::len), Some(2));
    assert_eq!(changed["follow_ups"][0]["done"], true);
    let stale = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(&json!({"version": 1, "outcomes": "Lost update"})),
        )
        .await;
    assert_eq!(stale.status, 409);
    // The API reopens a follow-up and completes it again; a bad body is named.
    let follow_up_url = format!("{url}/follow-ups/{follow_up}");
    for (body, status, done) in [
        (json!({"done": false}), 200, Some(false)),
        (json!({"done": true}), 200, Some(true)),
        (json!({"done": "yes"}), 400, None),
        (json!({}), 400, None),
    ] {
        let reply = app
            .send_to(
                &app.base,
                reqwest::Method::PUT,
                &follow_up_url,
                Some(&staff),
                Body::Json(&body),
            )
            .await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        if let Some(done) = done {
            let value: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
            assert_eq!(value["follow_ups"][0]["done"], done, "{body}");
        } else {
            assert!(reply.body.contains("done"), "{body}: the field is named");
        }
    }
    // A staff save of the edit form keeps the follow-ups.
    let edit = app
        .get_as(Some(&staff), &format!("/interactions/{id}/edit"))
        .await;
    let version = version_of(&edit.body);
    let resaved = app
        .post_as(
            Some(&staff),
            &format!("/interactions/{id}/edit"),
            &[
                ("version", &version),
                ("organisation", "ucl"),
                ("kind", "meeting"),
                ("date-day", "2"),
                ("date-month", "11"),
                ("date-year", "2026"),
                ("staff", &me),
                ("summary", secret),
                ("outcomes", "Visit agreed"),
            ],
        )
        .await;
    assert_eq!(resaved.status, 303, "{}", resaved.body);
    let r = app.get_as(Some(&staff), &url).await;
    let after: serde_json::Value = serde_json::from_str(&r.body).expect("json");
    assert_eq!(after["kind"], "meeting");
    assert_eq!(after["follow_ups"].as_array().map(Vec::len), Some(2));

    // The partner's relationship page lists it.
    let created = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            "/api/v1/places/camden/relationships",
            Some(&staff),
            Body::Json(&json!({"organisation": "ucl", "stage": "exploring", "formality": "mou"})),
        )
        .await;
    let relationship: serde_json::Value = serde_json::from_str(&created.body).expect("json");
    let page = app
        .get_as(
            Some(&staff),
            &format!("/relationships/{}", relationship["id"]),
        )
        .await;
    assert!(page.body.contains(&format!("/interactions/{id}\"")));

    // Partners (the partner's own too) and the public see nothing of it.
    for cookie in [Some(ucl.as_str()), Some(roundhouse.as_str()), None] {
        for path in [
            format!("/interactions/{id}"),
            "/interactions".into(),
            "/interactions/new".into(),
            format!("/interactions/{id}/edit"),
            url.clone(),
            "/api/v1/places/camden/interactions".into(),
            "/organisations/ucl".into(),
        ] {
            let reply = app.get_as(cookie, &path).await;
            assert!(!reply.body.contains(secret), "{path} as {cookie:?}");
            if !path.starts_with("/organisations") {
                assert!(
                    matches!(reply.status, 303 | 401 | 403 | 404),
                    "{path} as {cookie:?}: {}",
                    reply.status
                );
            }
        }
        let refused = app.post_as(cookie, &done_path, &[]).await;
        assert!(
            matches!(refused.status, 303 | 401 | 403 | 404),
            "{cookie:?}"
        );
    }
}

#[tokio::test]
async fn each_bad_field_is_named_and_nothing_is_written() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let bad = app
        .post_as(
            Some(&staff),
            "/interactions/new",
            &[
                ("organisation", ""),
                ("kind", "seance"),
                ("date-day", "31"),
                ("date-month", "2"),
                ("date-year", "2026"),
                ("follow_up_owner", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    for field in ["organisation", "kind", "date", "follow_up"] {
        assert!(
            bad.body.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            bad.body
        );
    }
    let api = "/api/v1/places/camden/interactions";
    let post = |body: serde_json::Value| {
        let app = &app;
        let staff = staff.clone();
        async move {
            app.send_to(
                &app.base,
                reqwest::Method::POST,
                api,
                Some(&staff),
                Body::Json(&body),
            )
            .await
        }
    };
    let nobody = post(
        json!({"organisation": "ucl", "kind": "call", "date": "2026-11-02", "staff": ["999999"]}),
    )
    .await;
    assert_eq!(nobody.status, 409, "{}", nobody.body);
    assert!(nobody.body.contains("staff"));
    let no_date = post(json!({"organisation": "ucl", "kind": "call"})).await;
    assert_eq!(no_date.status, 400);
    assert!(no_date.body.contains("date"));
    let list = app
        .get_as(Some(&staff), &format!("{api}?organisation=ucl"))
        .await;
    assert_eq!(list.body.trim(), "[]", "nothing written");
}

#[tokio::test]
async fn erasing_a_staff_member_removes_them_from_relationships_and_interactions() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    let canary = "erasestaff9q2";
    let email = format!("{canary}@camden.example");
    let leaver = app
        .account(&email, AccountRole::Staff, None, PASSWORD)
        .await
        .to_string();
    let post = |path: &'static str, body: serde_json::Value| {
        let app = &app;
        let staff = staff.clone();
        async move {
            let reply = app
                .send_to(
                    &app.base,
                    reqwest::Method::POST,
                    path,
                    Some(&staff),
                    Body::Json(&body),
                )
                .await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            serde_json::from_str::<serde_json::Value>(&reply.body).expect("json")
        }
    };
    let relationship = post(
        "/api/v1/places/camden/relationships",
        json!({"organisation": "ucl", "stage": "active", "formality": "mou", "owners": [leaver]}),
    )
    .await;
    let interaction = post(
        "/api/v1/places/camden/interactions",
        json!({"organisation": "ucl", "kind": "meeting", "date": "2026-10-01", "staff": [leaver],
               "follow_up": "Write up the notes", "follow_up_owner": leaver}),
    )
    .await;
    let name = format!("Test {email}");
    let relationship_page = format!("/relationships/{}", relationship["id"]);
    let interaction_page = format!("/interactions/{}", interaction["id"]);
    assert!(
        app.get_as(Some(&staff), &relationship_page)
            .await
            .body
            .contains(&name)
    );
    assert!(
        app.get_as(Some(&staff), &interaction_page)
            .await
            .body
            .contains(&name)
    );
    // Audit lines name people by account id only.
    assert!(
        !app.get_as(Some(&admin), "/admin/audit")
            .await
            .body
            .contains(canary)
    );

    let erased = app
        .post_as(
            Some(&admin),
            "/admin/people/erase",
            &[("email", &email), ("confirm", "yes")],
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.body);
    for path in [
        relationship_page.as_str(),
        interaction_page.as_str(),
        "/relationships",
        "/interactions",
        "/admin/audit",
    ] {
        let reply = app.get_as(Some(&admin), path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            !reply.body.contains(canary),
            "{path} still names the erased person"
        );
    }
    let (_, after) = {
        let r = app
            .get_as(
                Some(&staff),
                &format!("/api/v1/places/camden/interactions/{}", interaction["id"]),
            )
            .await;
        (
            r.status,
            serde_json::from_str::<serde_json::Value>(&r.body).expect("json"),
        )
    };
    assert_eq!(after["staff"].as_array().map(Vec::len), Some(0));
    assert_eq!(after["follow_ups"][0]["owner"], serde_json::Value::Null);
    assert_eq!(after["follow_ups"][0]["action"], "Write up the notes");
}
