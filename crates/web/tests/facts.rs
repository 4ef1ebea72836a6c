//! Public pages show what is known: no rows of "Not recorded", no column
//! the heading already names, figures read with their labels, the terms
//! people meet explained, and when each record was last updated and where
//! its facts come from.

mod common;

use common::{Body, camden, camden_with_accounts, version_of};
use placeweave_domain::record_update::long_date;

#[tokio::test]
async fn empty_facts_are_hidden_not_shown_as_not_recorded() {
    let app = camden().await;
    app.sql("UPDATE organisation SET website = NULL, size_band = NULL WHERE slug = 'arsenal-fc'")
        .await;
    for path in [
        "/organisations/arsenal-fc",
        "/organisations/ucl",
        "/missions/youth-opportunity",
        "/offer",
        "/initiatives/we-make-camden-summit",
    ] {
        let (status, _, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("Not recorded"), "{path} lists an empty fact");
    }
    let (_, _, body) = app.get("/organisations/arsenal-fc").await;
    assert!(!body.contains(">Website<"), "no website, no website row");
    assert!(!body.contains(">Size<"), "no size, no size row");
}

#[tokio::test]
async fn lists_do_not_repeat_what_the_heading_names() {
    let app = camden().await;
    let (_, _, mission) = app.get("/missions/youth-opportunity").await;
    assert!(mission.contains("Arsenal F.C."));
    for header in [">Role</th>", ">Mission</th>", ">Role and mission</th>"] {
        assert!(
            !mission.contains(header),
            "a mission's page repeats {header}"
        );
    }
    let (_, _, organisation) = app.get("/organisations/arsenal-fc").await;
    assert!(
        !organisation.contains(">Organisation</th>"),
        "an organisation's page repeats the organisation"
    );
    assert!(organisation.contains(">Role and mission</th>"));
}

#[tokio::test]
async fn the_home_figures_read_with_their_labels_as_one_link() {
    let app = camden().await;
    let (_, _, body) = app.get("/").await;
    assert!(
        body.contains(
            "<a class=\"govuk-link app-numbers__link\" href=\"/organisations\"><span class=\"app-number\">16</span> Organisations</a>"
        ),
        "the number above its label, in one link"
    );
    assert!(body.contains("href=\"/organisations?anchor=yes\"><span class=\"app-number\">"));
}

#[tokio::test]
async fn terms_are_explained_in_plain_english() {
    let app = camden().await;
    let (_, _, organisation) = app.get("/organisations/ucl").await;
    assert!(organisation.contains("<details class=\"govuk-details\">"));
    assert!(organisation.contains("What levers, hardness and reach mean"));
    assert!(organisation.contains("A soft lever persuades"));
    assert!(organisation.contains("What a commitment and its status mean"));
    let (_, _, mission) = app.get("/missions/youth-opportunity").await;
    assert!(mission.contains("What a commitment and its status mean"));
    assert!(
        mission.contains("<strong>Testing</strong>: Being tried out for a while before deciding.")
    );
    let (_, _, directory) = app.get("/organisations").await;
    assert!(directory.contains("What levers, hardness and reach mean"));
}

#[tokio::test]
async fn pages_say_when_a_record_was_last_updated_and_its_source() {
    let app = camden().await;
    app.sql(
        "UPDATE organisation SET updated_at = 951782400, \
         source = 'We Make Camden Partnership Strategy, Camden Council (2024)' WHERE slug = 'ucl'",
    )
    .await;
    let (_, _, body) = app.get("/organisations/ucl").await;
    assert!(body.contains("Last updated 29 February 2000."), "{body}");
    assert!(body.contains("Source: We Make Camden Partnership Strategy, Camden Council (2024)"));

    app.sql("UPDATE organisation SET updated_at = NULL, source = NULL WHERE slug = 'ucl'")
        .await;
    let (_, _, body) = app.get("/organisations/ucl").await;
    assert!(
        !body.contains("Last updated"),
        "nothing known, nothing said"
    );

    // Records written by the demo are dated when written.
    let today = long_date(placeweave_app::now());
    for path in [
        "/missions/eat-well",
        "/initiatives/ai-campus",
        "/organisations/roundhouse",
    ] {
        let (_, _, body) = app.get(path).await;
        assert!(body.contains(&format!("Last updated {today}.")), "{path}");
    }
}

#[tokio::test]
async fn every_save_dates_the_record() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    app.sql("UPDATE organisation SET updated_at = 0 WHERE slug = 'ucl'")
        .await;
    app.sql("UPDATE mission SET updated_at = 0 WHERE slug = 'eat-well'")
        .await;
    let (_, _, before) = app.get("/organisations/ucl").await;
    assert!(before.contains("Last updated 1 January 1970."));

    let form = app.get_as(Some(&ucl), "/organisations/ucl/edit").await;
    let version = version_of(&form.body);
    let saved = app
        .post_as(
            Some(&ucl),
            "/organisations/ucl/edit",
            &[
                ("version", &version),
                ("name", "University College London (UCL)"),
                ("website", "https://www.ucl.ac.uk/"),
                ("levers", "research"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let today = long_date(placeweave_app::now());
    let (_, _, after) = app.get("/organisations/ucl").await;
    assert!(after.contains(&format!("Last updated {today}.")));

    // A commitment recorded for a mission does not date the mission, but an
    // edit of the mission does.
    let mission_form = app.get_as(Some(&staff), "/missions/eat-well/edit").await;
    let version = version_of(&mission_form.body);
    let saved = app
        .post_as(
            Some(&staff),
            "/missions/eat-well/edit",
            &[
                ("version", &version),
                ("short_name", "Eat well"),
                (
                    "statement",
                    "By 2030, everyone eats well every day with nutritious, affordable, sustainable food.",
                ),
                ("target_year", "2030"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, _, mission) = app.get("/missions/eat-well").await;
    assert!(mission.contains(&format!("Last updated {today}.")));
}

#[tokio::test]
async fn a_hidden_record_has_no_date_to_show() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    app.sql("UPDATE initiative SET audience = 'staff' WHERE slug = 'ai-campus'")
        .await;
    let (status, _, body) = app.get("/initiatives/ai-campus").await;
    assert_eq!(status, 404);
    assert!(!body.contains("Last updated"));
    // Dates describe what the public sees, so a record the public cannot
    // see shows none, to staff either.
    let page = app.get_as(Some(&staff), "/initiatives/ai-campus").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Last updated"));
}

#[tokio::test]
async fn a_change_only_staff_can_see_leaves_the_public_date_alone() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    app.sql("UPDATE organisation SET updated_at = 0 WHERE slug = 'ucl'")
        .await;
    let path = "/api/v1/places/camden/organisations/ucl";
    let put = |body: serde_json::Value| {
        let (app, staff) = (&app, &staff);
        async move {
            app.send_to(
                &app.base,
                reqwest::Method::PUT,
                path,
                Some(staff),
                Body::Json(&body),
            )
            .await
        }
    };
    let current = app.get_as(Some(&staff), path).await;
    let version: serde_json::Value = serde_json::from_str(&current.body).expect("json");
    let notes = put(serde_json::json!({
        "version": version["version"],
        "internal_notes": "Staff only: call before the summit",
    }))
    .await;
    assert_eq!(notes.status, 200, "{}", notes.body);
    for cookie in [None, Some(staff.as_str())] {
        let page = app.get_as(cookie, "/organisations/ucl").await;
        assert!(
            page.body.contains("Last updated 1 January 1970."),
            "a staff note must not date the public record"
        );
    }

    let current = app.get_as(Some(&staff), path).await;
    let version: serde_json::Value = serde_json::from_str(&current.body).expect("json");
    let public = put(serde_json::json!({
        "version": version["version"],
        "description": "A public description, changed.",
    }))
    .await;
    assert_eq!(public.status, 200, "{}", public.body);
    let today = long_date(placeweave_app::now());
    let page = app.get_as(None, "/organisations/ucl").await;
    assert!(page.body.contains(&format!("Last updated {today}.")));
}
