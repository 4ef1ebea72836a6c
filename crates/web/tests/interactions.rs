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

/// The id of the contact called `name` among a form's "contacts" boxes.
fn contact_box(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("{name}, "))?;
    let before = &body[..at];
    let from = before.rfind("name=\"contacts\" type=\"checkbox\" value=\"")?;
    before[from..]
        .split("value=\"")
        .nth(1)?
        .split('"')
        .next()
        .map(str::to_owned)
}

#[tokio::test]
async fn contacts_and_other_organisations_take_part_under_the_contacts_rules() {
    let (app, [ucl, _, _, admin]) = camden_with_accounts().await;
    let me = app
        .account(
            "roundtable@camden.example",
            AccountRole::Staff,
            None,
            PASSWORD,
        )
        .await
        .to_string();
    let staff = app.sign_in("roundtable@camden.example", PASSWORD).await;
    let place = app.place_key("camden").await;
    let ucl_key = app.organisation_key(place, "ucl").await;
    let roundhouse_key = app.organisation_key(place, "roundhouse").await;
    let hidden_key = app.organisation_key(place, "arsenal-fc").await;
    app.sql("UPDATE organisation SET audience = 'restricted' WHERE slug = 'arsenal-fc'")
        .await;
    for (organisation, name, audience) in [
        (ucl_key, "Ada Participant", "staff"),
        (ucl_key, "Rita Restricted", "restricted"),
        (roundhouse_key, "Rosa Restricted", "restricted"),
        (roundhouse_key, "Kay Roundhouse", "staff"),
        (hidden_key, "Hana Hidden", "staff"),
    ] {
        let email = name.to_lowercase().replace(' ', ".");
        app.sql(&format!(
            "INSERT INTO contact (place_id, organisation_id, name, email, lawful_basis, \
             retention, retain_until, audience) VALUES ({place}, {organisation}, '{name}', \
             '{email}@partner.example', 'public-task', 'active-partnership', 4000000000, \
             '{audience}')"
        ))
        .await;
    }

    // The form offers the partner's contacts the logger may see.
    let form = app
        .get_as(Some(&staff), "/interactions/new?organisation=ucl")
        .await;
    assert_eq!(form.status, 200, "{}", form.body);
    let ada = contact_box(&form.body, "Ada Participant").expect("Ada offered");
    assert!(
        !form.body.contains("Rita Restricted"),
        "restricted: admins only"
    );
    assert!(!form.body.contains("Kay Roundhouse"), "not taking part yet");
    assert!(form.body.contains("name=\"other_organisations\""));
    let admin_form = app
        .get_as(Some(&admin), "/interactions/new?organisation=ucl")
        .await;
    let rita = contact_box(&admin_form.body, "Rita Restricted").expect("admins see Rita");
    // Sent back with the Roundhouse chosen, the form offers its contacts too.
    let back = app
        .post_as(
            Some(&staff),
            "/interactions/new",
            &[
                ("organisation", "ucl"),
                ("other_organisations", "roundhouse"),
                ("kind", "roundtable"),
            ],
        )
        .await;
    assert_eq!(back.status, 400, "no date");
    let kay = contact_box(&back.body, "Kay Roundhouse").expect("Kay offered");
    assert!(back.body.contains("<option value=\"roundhouse\" selected>"));

    let count = |who: String| {
        let app = &app;
        async move {
            let (status, list) = {
                let r = app
                    .get_as(Some(&who), "/api/v1/places/camden/interactions")
                    .await;
                (r.status, serde_json::from_str::<serde_json::Value>(&r.body))
            };
            assert_eq!(status, 200);
            list.expect("json").as_array().map(Vec::len).unwrap_or(0)
        }
    };
    let before = count(admin.clone()).await;
    let date = [
        ("date-day", "20"),
        ("date-month", "11"),
        ("date-year", "2026"),
    ];
    // Each wrong participant is named, and nothing is written.
    for (field, extra, message) in [
        ("contacts", vec![("contacts", rita.as_str())], "There is no"),
        ("contacts", vec![("contacts", "999999")], "There is no"),
        (
            "contacts",
            vec![("contacts", kay.as_str())],
            "Each contact must work at an organisation that took part",
        ),
        (
            "other_organisations",
            vec![("other_organisations", "arsenal-fc")],
            "There is no",
        ),
        (
            "contacts",
            vec![("contacts", "Ada")],
            "Select each contact from the list",
        ),
    ] {
        let mut sent = vec![("organisation", "ucl"), ("kind", "roundtable")];
        sent.extend(date);
        sent.extend(extra);
        let refused = app.post_as(Some(&staff), "/interactions/new", &sent).await;
        assert_eq!(refused.status, 400, "{sent:?}");
        assert!(
            refused.body.contains(&format!("href=\"#{field}\"")) && refused.body.contains(message),
            "{sent:?}: {}",
            refused.body
        );
        assert!(!refused.body.contains("Hana Hidden") && !refused.body.contains("Rita"));
    }
    assert_eq!(count(admin.clone()).await, before, "nothing written");

    // A roundtable with UCL and the Roundhouse, Ada and Kay there.
    let mut sent = vec![
        ("organisation", "ucl"),
        ("other_organisations", "roundhouse"),
        ("other_organisations", ""),
        ("kind", "roundtable"),
        ("contacts", ada.as_str()),
        ("contacts", kay.as_str()),
        ("staff", me.as_str()),
    ];
    sent.extend(date);
    let saved = app.post_as(Some(&staff), "/interactions/new", &sent).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page_path = saved
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let id = page_path.trim_start_matches("/interactions/").to_owned();
    let page = app.get_as(Some(&staff), &page_path).await;
    for shown in [
        "Ada Participant",
        "Kay Roundhouse",
        "Other organisations",
        "/organisations/roundhouse\"",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    let url = format!("/api/v1/places/camden/interactions/{id}");
    let json = |who: String| {
        let app = &app;
        let url = url.clone();
        async move {
            let r = app.get_as(Some(&who), &url).await;
            assert_eq!(r.status, 200, "{}", r.body);
            assert!(
                !r.body.contains("Participant"),
                "no contact's name in the API"
            );
            serde_json::from_str::<serde_json::Value>(&r.body).expect("json")
        }
    };
    let ids = |v: &serde_json::Value, field: &str| -> Vec<String> {
        v[field]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| {
                        x.as_str()
                            .or(x["id"].as_str())
                            .unwrap_or_default()
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let read = json(staff.clone()).await;
    let mut expected = vec![ada.clone(), kay.clone()];
    expected.sort();
    let mut got = ids(&read, "contacts");
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(ids(&read, "other_organisations"), ["roundhouse"]);
    // The Roundhouse took part: its log and its interactions list it.
    let log = app
        .get_as(Some(&staff), "/organisations/roundhouse/contacts-log")
        .await;
    assert!(
        log.body.contains(&format!("/interactions/{id}\"")),
        "{}",
        log.body
    );
    let theirs = app
        .get_as(
            Some(&staff),
            "/api/v1/places/camden/interactions?organisation=roundhouse",
        )
        .await;
    assert!(
        theirs.body.contains(&format!("\"id\":{id},")),
        "{}",
        theirs.body
    );

    // An administrator adds Rita and a restricted organisation ...
    let admin_put = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&admin),
            Body::Json(&json!({
                "version": read["version"],
                "contacts": [ada, kay, rita],
                "other_organisations": ["roundhouse", "arsenal-fc"],
            })),
        )
        .await;
    assert_eq!(admin_put.status, 200, "{}", admin_put.body);
    // ... which staff neither see nor lose when they untick Kay.
    let edit = app.get_as(Some(&staff), &format!("{page_path}/edit")).await;
    assert!(!edit.body.contains("Rita") && !edit.body.contains("Hana Hidden"));
    assert!(!edit.body.contains("value=\"arsenal-fc\" selected"));
    let mut resent = vec![
        ("version", version_of(&edit.body)),
        ("organisation", "ucl".into()),
        ("other_organisations", "roundhouse".into()),
        ("kind", "roundtable".into()),
        ("contacts", ada.clone()),
    ];
    resent.extend(date.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let resent: Vec<(&str, &str)> = resent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resaved = app
        .post_as(Some(&staff), &format!("{page_path}/edit"), &resent)
        .await;
    assert_eq!(resaved.status, 303, "{}", resaved.body);
    let as_staff = json(staff.clone()).await;
    assert_eq!(ids(&as_staff, "contacts"), [ada.as_str()]);
    assert_eq!(ids(&as_staff, "other_organisations"), ["roundhouse"]);
    let as_admin = json(admin.clone()).await;
    let mut got = ids(&as_admin, "contacts");
    got.sort();
    let mut expected = vec![ada.clone(), rita.clone()];
    expected.sort();
    assert_eq!(got, expected, "Rita kept, Kay gone");
    let mut others = ids(&as_admin, "other_organisations");
    others.sort();
    assert_eq!(others, ["arsenal-fc", "roundhouse"], "the hidden one kept");

    // A hidden organisation's slug finds what a missing one does.
    let hidden = app
        .get_as(
            Some(&staff),
            "/api/v1/places/camden/interactions?organisation=arsenal-fc",
        )
        .await;
    let missing = app
        .get_as(
            Some(&staff),
            "/api/v1/places/camden/interactions?organisation=no-such-organisation",
        )
        .await;
    assert_eq!((hidden.status, hidden.body), (missing.status, missing.body));
    // Through the API no contact is named, not even in a refusal.
    let refused = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(&json!({
                "version": as_staff["version"],
                "contacts": [ada, kay],
                "other_organisations": [],
            })),
        )
        .await;
    assert!(matches!(refused.status, 400 | 409), "{}", refused.body);
    assert!(refused.body.contains("contacts") && !refused.body.contains("Kay"));

    // An administrator adds Rosa (restricted, at the Roundhouse); when staff
    // take the Roundhouse out, its people go with it, seen or not, and the
    // administrator's next save still works.
    let admin_form = app.get_as(Some(&admin), &format!("{page_path}/edit")).await;
    let rosa = contact_box(&admin_form.body, "Rosa Restricted").expect("admins see Rosa");
    let current = json(admin.clone()).await;
    let with_rosa = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&admin),
            Body::Json(&json!({
                "version": current["version"],
                "contacts": [ada, rita, rosa],
            })),
        )
        .await;
    assert_eq!(with_rosa.status, 200, "{}", with_rosa.body);
    let current = json(staff.clone()).await;
    let without = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(&json!({"version": current["version"], "other_organisations": []})),
        )
        .await;
    assert_eq!(without.status, 200, "{}", without.body);
    let as_admin = json(admin.clone()).await;
    let mut got = ids(&as_admin, "contacts");
    got.sort();
    let mut expected = vec![ada.clone(), rita.clone()];
    expected.sort();
    assert_eq!(got, expected, "Rosa left with the Roundhouse");
    assert_eq!(ids(&as_admin, "other_organisations"), ["arsenal-fc"]);
    let resaved = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&admin),
            Body::Json(&json!({"version": as_admin["version"], "outcomes": "Agreed next steps"})),
        )
        .await;
    assert_eq!(resaved.status, 200, "{}", resaved.body);

    // The partner at UCL never sees who was there.
    for path in [page_path.clone(), url.clone()] {
        let reply = app.get_as(Some(&ucl), &path).await;
        assert!(!reply.body.contains("Ada Participant"), "{path}");
        assert_ne!(reply.status, 200, "{path}");
    }

    // Her subject access request lists the interaction; erasing her takes
    // her off it, and the audit log never had her name.
    let access = app
        .get_as(
            Some(&admin),
            "/admin/people?email=ada.participant@partner.example",
        )
        .await;
    assert!(
        access
            .body
            .contains(&format!("href=\"/interactions/{id}\"")),
        "{}",
        access.body
    );
    let erased = app
        .post_as(
            Some(&admin),
            "/admin/people/erase",
            &[
                ("email", "ada.participant@partner.example"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.body);
    let after = json(admin.clone()).await;
    assert_eq!(ids(&after, "contacts"), [rita.as_str()]);
    for path in [page_path.as_str(), "/admin/audit"] {
        let reply = app.get_as(Some(&admin), path).await;
        assert!(!reply.body.contains("Ada Participant"), "{path}");
    }
}
