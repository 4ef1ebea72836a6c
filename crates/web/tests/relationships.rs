//! Relationships over HTTP: staff record them from the form and the API,
//! moving a stage dates it in the history, sensitivities are for its
//! owners and administrators (and another's save keeps them), every bad field is
//! named, stale edits are refused, and partners and the public never see
//! one.

mod common;

use common::{Body, PASSWORD, camden_with_accounts, version_of};
use placeweave_domain::AccountRole;
use serde_json::json;

#[tokio::test]
async fn staff_take_a_partner_through_the_stages_and_only_admins_read_sensitivities() {
    let (app, [ucl, roundhouse, staff, admin]) = camden_with_accounts().await;
    let owner = app
        .account("owner@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    let owner = owner.to_string();

    // A staff member records one from the form, with an owner and a mission.
    let form = app.get_as(Some(&staff), "/relationships/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        !form.body.contains("name=\"sensitivities\""),
        "staff are not offered sensitivities"
    );
    assert!(
        form.body.contains(&format!("value=\"{owner}\"")),
        "owners offered"
    );
    let saved = app
        .post_as(
            Some(&staff),
            "/relationships/new",
            &[
                ("organisation", "roundhouse"),
                ("stage", "warm-conversation"),
                ("owners", &owner),
                ("formality", "informal"),
                ("missions", "youth-opportunity"),
                ("health", "good"),
                ("health_reason", "Keen after the summit"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.location();
    let id: i64 = location
        .trim_start_matches("/relationships/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the relationship: {location}"));
    let page = app
        .get_as(Some(&staff), &format!("/relationships/{id}"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Warm conversation") && page.body.contains("Keen after the summit"));
    assert!(
        page.body.contains("Test owner@camden.example"),
        "owner named"
    );

    // The pipeline lists it under its stage, and its filters narrow it.
    let pipeline = app.get_as(Some(&staff), "/relationships").await;
    assert_eq!(pipeline.status, 200);
    assert!(pipeline.body.contains(&format!("/relationships/{id}")));
    for (query, shown) in [
        ("?stage=warm-conversation", true),
        ("?stage=active", false),
        (&format!("?owner={owner}") as &str, true),
        ("?mission=youth-opportunity", true),
        ("?mission=food", false),
        ("?kind=cultural", true),
        ("?kind=university", false),
    ] {
        let reply = app
            .get_as(Some(&staff), &format!("/relationships{query}"))
            .await;
        assert_eq!(reply.status, 200, "{query}");
        assert_eq!(
            reply.body.contains(&format!("/relationships/{id}\"")),
            shown,
            "{query}"
        );
    }
    let bad = app
        .get_as(Some(&staff), "/relationships?stage=friends&owner=x")
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("href=\"#stage\"") && bad.body.contains("href=\"#owner\""));

    // Moving the stage through the API adds it to the history.
    let url = format!("/api/v1/places/camden/relationships/{id}");
    let moved = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(&json!({"version": 1, "stage": "exploring"})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let moved: serde_json::Value = serde_json::from_str(&moved.body).expect("json");
    let stages: Vec<&str> = moved["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|c| c["stage"].as_str())
        .collect();
    assert_eq!(stages, ["warm-conversation", "exploring"]);
    assert_eq!(moved["version"], 2);
    // An unchanged stage adds nothing.
    let same = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(&json!({"version": 2, "stage": "exploring"})),
        )
        .await;
    let same: serde_json::Value = serde_json::from_str(&same.body).expect("json");
    assert_eq!(same["history"].as_array().map(Vec::len), Some(2));

    // A stale version is refused.
    let stale = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(&json!({"version": 1, "stage": "active"})),
        )
        .await;
    assert_eq!(stale.status, 409);

    // Staff may not set sensitivities; an admin may, and only admins read them.
    let refused = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&staff),
            Body::Json(&json!({"version": 2, "sensitivities": "gossip"})),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("sensitivities"));
    let secret = "Chief executive leaving in March";
    let set = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&admin),
            Body::Json(&json!({"version": 2, "sensitivities": secret})),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert!(
        app.get_as(Some(&admin), &format!("/relationships/{id}"))
            .await
            .body
            .contains(secret)
    );
    for path in [
        format!("/relationships/{id}"),
        url.clone(),
        "/relationships".into(),
    ] {
        let reply = app.get_as(Some(&staff), &path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            !reply.body.contains(secret),
            "{path} shows sensitivities to staff"
        );
    }
    // A staff save of the whole form keeps what they could not see, and
    // the owners, which are not theirs to change (issue 23).
    let edit = app
        .get_as(Some(&staff), &format!("/relationships/{id}/edit"))
        .await;
    assert_eq!(edit.status, 200);
    assert!(!edit.body.contains("name=\"owners\""));
    let version = version_of(&edit.body);
    let resaved = app
        .post_as(
            Some(&staff),
            &format!("/relationships/{id}/edit"),
            &[
                ("version", &version),
                ("organisation", "roundhouse"),
                ("stage", "committed"),
                ("formality", "mou"),
                ("missions", "youth-opportunity"),
                ("health", "good"),
                ("health_reason", "Signed the MOU"),
            ],
        )
        .await;
    assert_eq!(resaved.status, 303, "{}", resaved.body);
    let admin_view = app
        .get_as(Some(&admin), &format!("/relationships/{id}"))
        .await;
    assert!(admin_view.body.contains(secret), "sensitivities kept");
    assert!(
        admin_view.body.contains("Committed")
            && admin_view.body.contains("Memorandum of understanding")
    );

    // Partners (even the partner's own) and the public never see it.
    for cookie in [Some(roundhouse.as_str()), Some(ucl.as_str()), None] {
        for path in [
            format!("/relationships/{id}"),
            "/relationships".into(),
            "/relationships/new".into(),
            url.clone(),
            "/api/v1/places/camden/relationships".into(),
        ] {
            let reply = app.get_as(cookie, &path).await;
            assert!(
                matches!(reply.status, 303 | 401 | 403 | 404),
                "{path} as {cookie:?}: {}",
                reply.status
            );
            assert!(!reply.body.contains("Signed the MOU"), "{path}");
        }
        let home = app.get_as(cookie, "/").await;
        assert!(
            !home.body.contains("href=\"/relationships\""),
            "no link for {cookie:?}"
        );
    }
    assert!(
        app.get_as(Some(&staff), "/")
            .await
            .body
            .contains("href=\"/relationships\"")
    );

    // Each change left an audit line.
    let audit = app.get_as(Some(&admin), "/admin/audit").await;
    assert!(
        audit.body.matches("relationship").count() >= 4,
        "audit lines"
    );
}

#[tokio::test]
async fn each_bad_field_is_named_and_nothing_is_written() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let api = "/api/v1/places/camden/relationships";
    let bad = app
        .post_as(
            Some(&staff),
            "/relationships/new",
            &[
                ("organisation", ""),
                ("stage", "friends"),
                ("formality", "handshake"),
                ("health_reason", "No rating given"),
            ],
        )
        .await;
    assert_eq!(bad.status, 400);
    for field in ["organisation", "stage", "formality", "health"] {
        assert!(bad.body.contains(&format!("href=\"#{field}\"")), "{field}");
    }
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
    let unknown = post(
        json!({"organisation": "no-such-org", "stage": "identified", "formality": "informal"}),
    )
    .await;
    assert_eq!(unknown.status, 409, "{}", unknown.body);
    assert!(unknown.body.contains("organisation"));
    let nobody = post(json!({"organisation": "ucl", "stage": "identified", "formality": "informal", "owners": ["999999"]})).await;
    assert_eq!(nobody.status, 409, "{}", nobody.body);
    assert!(nobody.body.contains("owners"));
    let first =
        post(json!({"organisation": "ucl", "stage": "identified", "formality": "informal"})).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let twice =
        post(json!({"organisation": "ucl", "stage": "identified", "formality": "informal"})).await;
    assert_eq!(
        twice.status, 409,
        "one relationship per partner: {}",
        twice.body
    );
    let extra = post(json!({"organisation": "ucl", "stage": "identified", "formality": "informal", "colour": "red"})).await;
    assert_eq!(extra.status, 400);
    assert!(extra.body.contains("colour"));
    // The demo's relationships are with other partners: of the universities,
    // only UCL has one, the valid one sent.
    let reply = app
        .get_as(Some(&staff), &format!("{api}?kind=university"))
        .await;
    let list: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(1),
        "only the valid one was written"
    );
}

#[tokio::test]
async fn the_pipeline_moves_a_stage_in_one_step_and_keeps_everything_else() {
    let (app, [ucl, _roundhouse, staff, admin]) = camden_with_accounts().await;
    let secret = "Funding decision due in the spring";
    let created = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            "/api/v1/places/camden/relationships",
            Some(&admin),
            Body::Json(&json!({
                "organisation": "roundhouse",
                "stage": "warm-conversation",
                "formality": "mou",
                "missions": ["youth-opportunity"],
                "health": "good",
                "health_reason": "Keen after the summit",
                "sensitivities": secret,
            })),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let created: serde_json::Value = serde_json::from_str(&created.body).expect("json");
    let id = created["id"].as_i64().expect("id");
    let action = format!("/relationships/{id}/stage");

    // Each row of the pipeline offers the move, remembering the filters.
    let pipeline = app
        .get_as(Some(&staff), "/relationships?mission=youth-opportunity")
        .await;
    assert_eq!(pipeline.status, 200);
    assert!(pipeline.body.contains(&format!("action=\"{action}\"")));
    assert!(
        pipeline
            .body
            .contains("name=\"back\" value=\"/relationships?mission=youth-opportunity\"")
    );

    // Moved from the staff member's pipeline: back to the same filters,
    // with a banner; the stage is dated in the history and nothing else
    // changes, the sensitivities staff cannot see among them.
    let moved = app
        .post_as(
            Some(&staff),
            &action,
            &[
                ("stage", "exploring"),
                ("version", "1"),
                ("back", "/relationships?mission=youth-opportunity&x=1"),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(
        moved.location(),
        "/relationships?mission=youth-opportunity&saved=stage#stage-exploring"
    );
    let cookies = format!("{staff}; {}", moved.saved_cookie().expect("saved cookie"));
    let after = app
        .get_as(
            Some(&cookies),
            "/relationships?mission=youth-opportunity&saved=stage",
        )
        .await;
    assert!(after.body.contains("Relationship moved"), "the banner");
    let url = format!("/api/v1/places/camden/relationships/{id}");
    let now = app.get_as(Some(&admin), &url).await;
    let now: serde_json::Value = serde_json::from_str(&now.body).expect("json");
    assert_eq!(now["stage"], "exploring");
    assert_eq!(now["version"], 2);
    let history: Vec<&str> = now["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|c| c["stage"].as_str())
        .collect();
    assert_eq!(history, ["warm-conversation", "exploring"]);
    assert_eq!(now["sensitivities"], secret);
    assert_eq!(now["formality"], "mou");
    assert_eq!(now["health_reason"], "Keen after the summit");
    assert_eq!(now["missions"].as_array().map(Vec::len), Some(1));

    // Somewhere else to go back to is not followed.
    let elsewhere = app
        .post_as(
            Some(&staff),
            &action,
            &[
                ("stage", "committed"),
                ("version", "2"),
                (
                    "back",
                    "https://elsewhere.example/relationships?stage=active",
                ),
            ],
        )
        .await;
    assert_eq!(elsewhere.status, 303, "{}", elsewhere.body);
    assert_eq!(
        elsewhere.location(),
        "/relationships?stage=active&saved=stage#stage-committed"
    );

    // A stale version is a conflict, said on the move's own page with the
    // stage as it is now; a bad or missing stage is named; nothing changes.
    for (stage, version, status, words) in [
        ("active", "2", 409, "Someone changed this relationship"),
        ("friends", "3", 400, "stage"),
        ("", "3", 400, "Choose the stage"),
    ] {
        let reply = app
            .post_as(
                Some(&staff),
                &action,
                &[("stage", stage), ("version", version), ("back", "")],
            )
            .await;
        assert_eq!(reply.status, status, "{stage}: {}", reply.body);
        assert!(reply.body.contains("govuk-error-summary"), "{stage}");
        assert!(reply.body.contains("href=\"#stage\""), "{stage}");
        assert!(reply.body.contains(words), "{stage}");
        assert!(
            reply.body.contains("name=\"version\" value=\"3\""),
            "{stage}"
        );
    }
    let page = app.get_as(Some(&staff), &action).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("It is at Committed"));

    // A partner and the public find no such page and move nothing.
    for cookie in [Some(ucl.as_str()), None] {
        let reply = app
            .post_as(cookie, &action, &[("stage", "ended"), ("version", "3")])
            .await;
        assert!(matches!(reply.status, 303 | 401 | 403 | 404), "{cookie:?}");
    }
    let last = app.get_as(Some(&admin), &url).await;
    let last: serde_json::Value = serde_json::from_str(&last.body).expect("json");
    assert_eq!(last["stage"], "committed");
    assert_eq!(last["version"], 3);
}

#[tokio::test]
async fn a_relationships_owners_read_and_set_its_sensitivities_and_no_other_staff() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    let owner_id = app
        .account("keeper@camden.example", AccountRole::Staff, None, PASSWORD)
        .await
        .to_string();
    let owner = app.sign_in("keeper@camden.example", PASSWORD).await;
    let secret = "Board chair is standing down";
    let created = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            "/api/v1/places/camden/relationships",
            Some(&admin),
            Body::Json(&json!({
                "organisation": "roundhouse",
                "stage": "exploring",
                "formality": "informal",
                "owners": [owner_id],
                "sensitivities": secret,
            })),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let created: serde_json::Value = serde_json::from_str(&created.body).expect("json");
    let id = created["id"].as_i64().expect("id");
    let url = format!("/api/v1/places/camden/relationships/{id}");
    let paths = [
        format!("/relationships/{id}"),
        url.clone(),
        "/organisations/roundhouse/briefing".into(),
        format!("/relationships/{id}/edit"),
    ];
    // The owner reads it everywhere the relationship shows, and may change it.
    for path in &paths {
        let reply = app.get_as(Some(&owner), path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.body.contains(secret), "{path} as the owner");
    }
    let edit = app
        .get_as(Some(&owner), &format!("/relationships/{id}/edit"))
        .await;
    assert!(edit.body.contains("name=\"sensitivities\""));
    let changed = "Board chair stays until June";
    let saved = app
        .post_as(
            Some(&owner),
            &format!("/relationships/{id}/edit"),
            &[
                ("version", &version_of(&edit.body)),
                ("organisation", "roundhouse"),
                ("stage", "exploring"),
                ("owners", &owner_id),
                ("formality", "informal"),
                ("sensitivities", changed),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let read = app.get_as(Some(&admin), &url).await;
    assert!(read.body.contains(changed), "{}", read.body);

    // Another staff member sees none of it, may not set it, and keeps it.
    for path in &paths {
        let reply = app.get_as(Some(&staff), path).await;
        assert_eq!(reply.status, 200, "{path}");
        assert!(!reply.body.contains("Board chair"), "{path} as other staff");
    }
    let current: serde_json::Value = app.json_as(&staff, &url).await.1;
    let refused = app
        .put_json(
            &staff,
            &url,
            &json!({"version": current["version"], "sensitivities": "gossip"}),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("sensitivities"));

    // Taken off the owners, they read it no longer.
    let current: serde_json::Value = app.json_as(&admin, &url).await.1;
    let handed_over = app
        .put_json(
            &admin,
            &url,
            &json!({"version": current["version"], "owners": []}),
        )
        .await;
    assert_eq!(handed_over.status, 200, "{}", handed_over.body);
    for path in &paths {
        let reply = app.get_as(Some(&owner), path).await;
        assert!(
            !reply.body.contains("Board chair"),
            "{path} after handing over"
        );
    }
    let read = app.get_as(Some(&admin), &url).await;
    assert!(read.body.contains(changed), "kept for administrators");
}
