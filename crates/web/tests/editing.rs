//! Editing records: who may change what, lost updates, the audit trail,
//! contacts and erasure, over HTTP.

mod common;

use common::{camden_with_accounts, version_of};
use serde_json::json;

#[tokio::test]
async fn a_partner_edits_only_their_own_profile_fields() {
    let (app, [ucl, roundhouse, _, _]) = camden_with_accounts().await;
    let form = app.get_as(Some(&ucl), "/organisations/ucl/edit").await;
    assert_eq!(form.status, 200);
    assert!(
        !form.body.contains("name=\"audience\""),
        "partners are not offered audience"
    );
    assert!(!form.body.contains("name=\"internal_notes\""));
    let version = version_of(&form.body);
    let saved = app
        .post_as(
            Some(&ucl),
            "/organisations/ucl/edit",
            &[
                ("version", &version),
                ("name", "University College London (UCL)"),
                ("website", "https://www.ucl.ac.uk/"),
                ("wards", "Bloomsbury"),
                ("levers", "research"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = app.get_as(None, "/organisations/ucl").await;
    assert!(page.body.contains("https://www.ucl.ac.uk/") && page.body.contains("Bloomsbury"));

    // Fields a partner may not set are refused, naming them, and nothing changes.
    let version = version_of(&app.get_as(Some(&ucl), "/organisations/ucl/edit").await.body);
    let sneaky = app
        .post_as(
            Some(&ucl),
            "/organisations/ucl/edit",
            &[
                ("version", &version),
                ("name", "UCL"),
                ("audience", "restricted"),
                ("is_anchor", ""),
            ],
        )
        .await;
    assert_eq!(sneaky.status, 400);
    assert!(
        sneaky.body.contains("href=\"#audience\"")
            && sneaky.body.contains("cannot change audience")
    );
    assert!(sneaky.body.contains("cannot change is_anchor"));
    assert_eq!(
        app.get_as(None, "/organisations/ucl").await.status,
        200,
        "still public"
    );
    assert!(
        app.get_as(None, "/organisations/ucl")
            .await
            .body
            .contains("Anchor institution")
    );

    // Another organisation's partner: refused, and nothing changed.
    let other = app
        .get_as(Some(&roundhouse), "/organisations/ucl/edit")
        .await;
    assert_eq!(other.status, 403);
    let forged = app
        .post_as(
            Some(&roundhouse),
            "/organisations/ucl/edit",
            &[("version", &version), ("name", "Taken over")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let api = app
        .client
        .put(format!(
            "{}/api/v1/places/camden/organisations/ucl",
            app.base
        ))
        .header("cookie", &roundhouse)
        .header("origin", &app.base)
        .json(&json!({"version": version.parse::<i64>().unwrap_or(0), "name": "Taken over"}))
        .send()
        .await
        .expect("put");
    assert_eq!(api.status().as_u16(), 403);
    assert!(
        !app.get_as(None, "/organisations/ucl")
            .await
            .body
            .contains("Taken over")
    );
}

#[tokio::test]
async fn two_edits_from_the_same_version_exactly_one_wins() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let version = version_of(
        &app.get_as(Some(&staff), "/organisations/ucl/edit")
            .await
            .body,
    );
    let first = app
        .post_as(
            Some(&staff),
            "/organisations/ucl/edit",
            &[
                ("version", &version),
                ("name", "First edit"),
                ("kind", "university"),
                ("audience", "public"),
            ],
        )
        .await;
    let second = app
        .post_as(
            Some(&ucl),
            "/organisations/ucl/edit",
            &[("version", &version), ("name", "Second edit")],
        )
        .await;
    assert_eq!((first.status, second.status), (303, 409));
    assert!(second.body.contains("Someone else changed this"));
    assert!(
        second.body.contains("Second edit") && second.body.contains("First edit"),
        "both versions shown"
    );

    // The API too: a stale version gets a 409 problem.
    let stale = app
        .client
        .put(format!(
            "{}/api/v1/places/camden/organisations/ucl",
            app.base
        ))
        .header("cookie", &staff)
        .header("origin", &app.base)
        .json(&json!({"version": version.parse::<i64>().unwrap_or(0), "name": "Third"}))
        .send()
        .await
        .expect("put");
    assert_eq!(stale.status().as_u16(), 409);
    let current: serde_json::Value = app
        .client
        .get(format!(
            "{}/api/v1/places/camden/organisations/ucl",
            app.base
        ))
        .header("cookie", &staff)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(current["name"], "First edit");
    let fresh = app
        .client
        .put(format!("{}/api/v1/places/camden/organisations/ucl", app.base))
        .header("cookie", &staff)
        .header("origin", &app.base)
        .json(&json!({"version": current["version"], "identifiers": ["GB-EDU-133875"], "internal_notes": "Staff note"}))
        .send()
        .await
        .expect("put");
    assert_eq!(fresh.status().as_u16(), 200);
    let body: serde_json::Value = fresh.json().await.expect("json");
    assert_eq!(body["identifiers"], json!(["GB-EDU-133875"]));
    assert_eq!(
        body["name"], "First edit",
        "absent fields stay as they were"
    );
    let bad = app
        .client
        .put(format!("{}/api/v1/places/camden/organisations/ucl", app.base))
        .header("cookie", &staff)
        .header("origin", &app.base)
        .json(&json!({"version": body["version"], "website": "javascript:alert(1)", "kind": "spaceship"}))
        .send()
        .await
        .expect("put");
    assert_eq!(bad.status().as_u16(), 400);
    let problem: serde_json::Value = bad.json().await.expect("problem");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["kind", "website"]);
}

#[tokio::test]
async fn changes_and_contact_views_are_audited_with_personal_fields_masked() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    let version = version_of(
        &app.get_as(Some(&staff), "/organisations/roundhouse/edit")
            .await
            .body,
    );
    app.post_as(
        Some(&staff),
        "/organisations/roundhouse/edit",
        &[
            ("version", &version),
            ("name", "The Roundhouse"),
            ("kind", "cultural"),
            ("audience", "public"),
        ],
    )
    .await;
    let added = app
        .post_as(
            Some(&staff),
            "/organisations/roundhouse/contacts",
            &[
                ("name", "Ada Contact"),
                ("email", "ada@roundhouse.example"),
                ("phone", "020 7946 0001"),
                ("lawful_basis", "legitimate-interests"),
                ("retention", "active-partnership"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let listed = app
        .get_as(Some(&staff), "/organisations/roundhouse/contacts")
        .await;
    assert!(listed.body.contains("Ada Contact") && listed.body.contains("ada@roundhouse.example"));
    let missing_basis = app
        .post_as(
            Some(&staff),
            "/organisations/roundhouse/contacts",
            &[("name", "No Basis")],
        )
        .await;
    assert_eq!(missing_basis.status, 400);
    assert!(missing_basis.body.contains("href=\"#lawful_basis\""));

    let audit = app
        .get_as(Some(&admin), "/admin/audit?record_type=organisation")
        .await;
    assert_eq!(audit.status, 200);
    assert!(
        audit.body.contains("The Roundhouse"),
        "before/after of the change"
    );
    assert!(
        audit.body.contains("view-contacts"),
        "viewing contacts is logged"
    );
    let contacts_audit = app
        .get_as(Some(&admin), "/admin/audit?record_type=contact")
        .await;
    assert!(contacts_audit.body.contains("create"));
    assert!(
        !contacts_audit.body.contains("Ada Contact")
            && !contacts_audit.body.contains("ada@roundhouse.example"),
        "personal fields masked"
    );
    assert_eq!(
        app.get_as(Some(&staff), "/admin/audit").await.status,
        403,
        "staff cannot read the audit log"
    );
}

#[tokio::test]
async fn subject_access_and_erasure_through_the_admin_pages() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    let canary = "erasecanary7c1";
    let email = format!("{canary}@partner.example");
    for organisation in ["ucl", "roundhouse"] {
        let reply = app
            .post_as(
                Some(&staff),
                &format!("/organisations/{organisation}/contacts"),
                &[
                    ("name", &format!("{canary} Person")),
                    ("email", &email),
                    ("lawful_basis", "consent"),
                    ("retention", "event-attendee"),
                ],
            )
            .await;
        assert_eq!(reply.status, 303);
    }
    // The same person expressed interest from the offer.
    let enquiry_message = format!("{canary} would like to sponsor");
    let sent = app
        .post_as(
            None,
            "/express-interest",
            &[
                ("organisation", "Canary Ltd"),
                ("name", &format!("{canary} Person")),
                ("email", &email),
                ("role", "sponsorship"),
                ("message", &enquiry_message),
            ],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let found = app
        .get_as(Some(&admin), &format!("/admin/people?email={email}"))
        .await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains("Contact records (2)"));
    assert!(found.body.contains("Enquiries (1)") && found.body.contains(&enquiry_message));
    let search = format!("/search?q={canary}");
    let before = app.get_as(Some(&staff), &search).await;
    assert!(
        before.body.contains("2 results") && before.body.contains(canary),
        "staff find the contacts by name before the erasure"
    );
    let export = app
        .get_as(Some(&admin), &format!("/admin/people/export?email={email}"))
        .await;
    assert_eq!(export.status, 200);
    let data: serde_json::Value = serde_json::from_str(&export.body).expect("json");
    assert_eq!(data["contacts"].as_array().map(Vec::len), Some(2));
    assert_eq!(data["enquiries"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        app.get_as(Some(&staff), &format!("/admin/people/export?email={email}"))
            .await
            .status,
        403
    );

    let unconfirmed = app
        .post_as(Some(&admin), "/admin/people/erase", &[("email", &email)])
        .await;
    assert_eq!(unconfirmed.status, 400);
    let erased = app
        .post_as(
            Some(&admin),
            "/admin/people/erase",
            &[("email", &email), ("confirm", "yes")],
        )
        .await;
    assert_eq!(erased.status, 200);
    assert!(erased.body.contains("3 records erased"));
    let queue = app.get_as(Some(&admin), "/enquiries").await;
    assert!(!queue.body.contains("Canary Ltd"), "the enquiry is erased");
    for organisation in ["ucl", "roundhouse"] {
        let page = app
            .get_as(
                Some(&admin),
                &format!("/organisations/{organisation}/contacts"),
            )
            .await;
        assert!(!page.body.contains(canary));
    }
    let after = app.get_as(Some(&admin), &search).await;
    assert!(
        after.body.contains("0 results") && !after.body.contains("/contacts\""),
        "the erased person is gone from the search index"
    );
    let audit = app
        .get_as(Some(&admin), "/admin/audit?action=erase-person")
        .await;
    assert!(audit.body.contains("erase-person") && !audit.body.contains(canary));
    if let Some(folder) = &app.db.folder {
        for entry in std::fs::read_dir(folder.path()).expect("folder") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read");
            assert!(
                !bytes.windows(canary.len()).any(|w| w == canary.as_bytes()),
                "{} holds the canary",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn script_in_every_editable_text_field_is_escaped() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    let payload = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let version = version_of(
        &app.get_as(Some(&staff), "/organisations/ucl/edit")
            .await
            .body,
    );
    let saved = app
        .post_as(
            Some(&staff),
            "/organisations/ucl/edit",
            &[
                ("version", &version),
                ("name", payload),
                ("kind", "university"),
                ("description", payload),
                ("wards", payload),
                ("internal_notes", payload),
                ("audience", "public"),
                ("website", "https://example.org/\"><script>"),
            ],
        )
        .await;
    assert!(
        saved.status == 303 || saved.status == 400,
        "{}",
        saved.status
    );
    app.post_as(
        Some(&staff),
        "/organisations/ucl/contacts",
        &[
            ("name", payload),
            ("job_title", payload),
            ("lawful_basis", "consent"),
            ("retention", "event-attendee"),
        ],
    )
    .await;
    app.post_as(
        Some(&admin),
        "/admin/users",
        &[
            ("email", "x@y.example"),
            ("name", payload),
            ("role", "staff"),
        ],
    )
    .await;
    for (cookie, path) in [
        (None, "/organisations/ucl"),
        (None, "/organisations"),
        (Some(&staff), "/organisations/ucl"),
        (Some(&staff), "/organisations/ucl/edit"),
        (Some(&staff), "/organisations/ucl/contacts"),
        (Some(&admin), "/admin/users"),
        (Some(&admin), "/admin/audit"),
    ] {
        let reply = app.get_as(cookie.map(String::as_str), path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(!reply.body.contains("<script>alert"), "{path}");
        assert!(!reply.body.contains("<img src=x"), "{path}");
    }
}

#[tokio::test]
async fn staff_create_and_edit_missions_roles_initiatives_and_organisations() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let created = app
        .post_as(
            Some(&staff),
            "/organisations/new",
            &[
                ("name", "Somers Town Community Kitchen"),
                ("kind", "community-group"),
                ("audience", "public"),
                ("wards", "Somers Town"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(
        created.location(),
        "/organisations/somers-town-community-kitchen?saved=organisation"
    );
    let again = app
        .post_as(
            Some(&staff),
            "/organisations/new",
            &[
                ("name", "Somers Town Community Kitchen"),
                ("kind", "community-group"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(again.status, 400);
    assert!(again.body.contains("already one with this name"));

    let mission = app
        .post_as(
            Some(&staff),
            "/missions/new",
            &[
                ("short_name", "Demonstration mission"),
                ("statement", "A mission added to show the form."),
                ("target_year", "2031"),
                ("outcome_themes", "health"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(mission.status, 303, "{}", mission.body);
    let page = app.get_as(None, "/missions/demonstration-mission").await;
    assert!(
        page.body.contains("A mission added to show the form.") && page.body.contains("Health")
    );
    let bad_year = app
        .post_as(
            Some(&staff),
            "/missions/demonstration-mission/edit",
            &[
                ("version", "1"),
                ("short_name", "x"),
                ("statement", "y"),
                ("target_year", "1066"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(bad_year.status, 400);
    assert!(bad_year.body.contains("href=\"#target_year\""));

    let role = app
        .post_as(
            Some(&staff),
            "/offer/new",
            &[
                ("name", "Host"),
                ("description", "Host an event"),
                ("ask_of_partner", "Lend a space"),
                ("value_for_place", "Free venues"),
                ("value_for_partner", "Visibility"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(role.status, 303, "{}", role.body);
    assert!(
        app.get_as(None, "/offer")
            .await
            .body
            .contains("Lend a space")
    );

    let initiative = app
        .post_as(
            Some(&staff),
            "/initiatives/new",
            &[
                ("name", "Kitchen network"),
                ("missions", "eat-well"),
                (
                    "participants",
                    "somers-town-community-kitchen: Founder\nucl",
                ),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(initiative.status, 303, "{}", initiative.body);
    let page = app.get_as(None, "/initiatives/kitchen-network").await;
    assert!(page.body.contains("Somers Town Community Kitchen") && page.body.contains("Founder"));
    let unknown = app
        .post_as(
            Some(&staff),
            "/initiatives/kitchen-network/edit",
            &[
                ("version", "1"),
                ("name", "Kitchen network"),
                ("participants", "no-such-organisation"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.body.contains("no-such-organisation")
            && unknown.body.contains("href=\"#participants\"")
    );

    // Two edits of one mission version: one wins, the other sees both.
    let first = app
        .post_as(
            Some(&staff),
            "/missions/eat-well/edit",
            &[
                ("version", "1"),
                ("short_name", "Good food for all"),
                ("statement", "S"),
                ("audience", "public"),
            ],
        )
        .await;
    let second = app
        .post_as(
            Some(&staff),
            "/missions/eat-well/edit",
            &[
                ("version", "1"),
                ("short_name", "Everyone eats well again"),
                ("statement", "S"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!((first.status, second.status), (303, 409));
    assert!(
        second.body.contains("Good food for all")
            && second.body.contains("Everyone eats well again")
    );
}

#[tokio::test]
async fn partners_record_and_change_their_own_commitments() {
    let (app, [ucl, roundhouse, staff, _]) = camden_with_accounts().await;
    let form = app
        .get_as(Some(&ucl), "/commitments/new?organisation=roundhouse")
        .await;
    assert_eq!(form.status, 200);
    assert!(
        !form.body.contains("name=\"organisation\""),
        "a partner cannot choose another organisation"
    );
    let created = app
        .post_as(
            Some(&ucl),
            "/commitments/new?organisation=roundhouse",
            &[
                ("role", "sponsorship"),
                ("mission", "eat-well"),
                ("status", "proposed"),
                ("start_date", "2025-04-01"),
                ("end_date", "2026-03-31"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(
        created.location(),
        "/organisations/ucl?saved=proposal",
        "recorded for their own organisation, for review"
    );
    let page = app.get_as(Some(&ucl), "/organisations/ucl").await;
    assert!(page.body.contains("Sponsorship") && page.body.contains("Awaiting review"));
    let published = "/api/v1/places/camden/commitments?organisation=ucl&mission=eat-well";
    assert_eq!(app.json(published).await.1["total"], 0, "not public yet");

    let store = &app.db.store;
    let place = store
        .place("camden", placeweave_domain::Viewer::Admin)
        .await
        .expect("read")
        .expect("camden")
        .key;
    let filter = placeweave_store::CommitmentFilter {
        organisation: Some("ucl".into()),
        mission: Some("eat-well".into()),
        ..Default::default()
    };
    let id = store
        .commitments(place, placeweave_domain::Viewer::Admin, &filter)
        .await
        .expect("read")[0]
        .id;

    let sneaky = app
        .post_as(
            Some(&ucl),
            &format!("/commitments/{id}/edit"),
            &[
                ("version", "1"),
                ("status", "active"),
                ("organisation", "roundhouse"),
                ("note", "x"),
            ],
        )
        .await;
    assert_eq!(sneaky.status, 400);
    assert!(
        sneaky.body.contains("cannot change organisation")
            && sneaky.body.contains("cannot change note")
    );
    let other = app
        .post_as(
            Some(&roundhouse),
            &format!("/commitments/{id}/edit"),
            &[("version", "1"), ("status", "withdrawn")],
        )
        .await;
    assert_eq!(other.status, 404, "another partner's proposal is missing");
    let bad_dates = app
        .post_as(
            Some(&ucl),
            &format!("/commitments/{id}/edit"),
            &[
                ("version", "1"),
                ("status", "active"),
                ("start_date", "31/03/2026"),
            ],
        )
        .await;
    assert_eq!(bad_dates.status, 400);
    assert!(bad_dates.body.contains("href=\"#start_date\""));
    let changed = app
        .post_as(
            Some(&ucl),
            &format!("/commitments/{id}/edit"),
            &[
                ("version", "1"),
                ("status", "active"),
                ("role", "sponsorship"),
                ("mission", "eat-well"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(
        app.json(published).await.1["total"],
        0,
        "still under review"
    );
    let accepted = app
        .post_as(
            Some(&staff),
            &format!("/commitments/{id}/review"),
            &[
                ("decision", "accept"),
                ("audience", "public"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let (_, page) = app.json(published).await;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["items"][0]["status"], "active");
}

#[tokio::test]
async fn the_api_accepts_the_same_writes_under_the_same_rules() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let send = |method: reqwest::Method, path: &str, cookie: &str, body: serde_json::Value| {
        app.client
            .request(method, format!("{}/api/v1/places/camden{path}", app.base))
            .header("cookie", cookie)
            .header("origin", &app.base)
            .json(&body)
            .send()
    };
    let created = send(
        reqwest::Method::POST,
        "/commitments",
        &ucl,
        json!({"role": "advocate-champion", "mission": "diverse-power", "status": "proposed"}),
    )
    .await
    .expect("post");
    assert_eq!(created.status().as_u16(), 200);
    let commitment: serde_json::Value = created.json().await.expect("json");
    assert_eq!(commitment["organisation"]["id"], "ucl");
    let id = commitment["id"].as_i64().expect("id");
    let moved = send(
        reqwest::Method::PUT,
        &format!("/commitments/{id}"),
        &ucl,
        json!({"version": 1, "organisation": "roundhouse"}),
    )
    .await
    .expect("put");
    assert_eq!(moved.status().as_u16(), 400);
    let problem: serde_json::Value = moved.json().await.expect("problem");
    assert_eq!(problem["errors"][0]["field"], "organisation");
    let activated = send(
        reqwest::Method::PUT,
        &format!("/commitments/{id}"),
        &ucl,
        json!({"version": 1, "status": "active"}),
    )
    .await
    .expect("put");
    assert_eq!(activated.status().as_u16(), 200);

    let mission = send(
        reqwest::Method::PUT,
        "/missions/eat-well",
        &staff,
        json!({"version": 1, "target_year": 2032}),
    )
    .await
    .expect("put");
    assert_eq!(mission.status().as_u16(), 200);
    let stale = send(
        reqwest::Method::PUT,
        "/missions/eat-well",
        &staff,
        json!({"version": 1, "target_year": 2033}),
    )
    .await
    .expect("put");
    assert_eq!(stale.status().as_u16(), 409);
    let partner_mission = send(
        reqwest::Method::PUT,
        "/missions/eat-well",
        &ucl,
        json!({"version": 2, "target_year": 2040}),
    )
    .await
    .expect("put");
    assert_eq!(partner_mission.status().as_u16(), 403);

    let initiative = send(reqwest::Method::POST, "/initiatives", &staff, json!({"name": "Food partnership", "participants": ["ucl: Research", "no-such-org"], "audience": "public"}))
        .await
        .expect("post");
    // A participant that does not exist conflicts with the place's records.
    assert_eq!(initiative.status().as_u16(), 409);
    let problem: serde_json::Value = initiative.json().await.expect("problem");
    assert_eq!(problem["errors"][0]["field"], "participants");
    let role = send(reqwest::Method::POST, "/roles", &staff, json!({"name": "Mentor", "description": "d", "ask_of_partner": "a", "value_for_place": "p", "value_for_partner": "q", "audience": "public", "version": 3}))
        .await
        .expect("post");
    assert_eq!(role.status().as_u16(), 400, "a new record has no version");
}

#[tokio::test]
async fn staff_add_the_other_outcome_themes() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let added = app
        .post_as(
            Some(&staff),
            "/themes/new",
            &[
                ("name", "Housing"),
                ("description", "Everyone has a safe, secure home"),
                ("is_core", ""),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = app.get_as(None, "/missions").await;
    assert!(
        page.body.contains("Housing") && page.body.contains("Everyone has a safe, secure home")
    );
    let edited = app
        .post_as(
            Some(&staff),
            "/themes/health/edit",
            &[
                ("version", "1"),
                ("name", "Health"),
                ("description", "People live long and healthy lives"),
                ("is_core", "yes"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let partner = app
        .post_as(Some(&ucl), "/themes/new", &[("name", "Mine")])
        .await;
    assert_eq!(partner.status, 403);
    let empty = app
        .post_as(Some(&staff), "/themes/new", &[("audience", "public")])
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("href=\"#name\""));
}
