//! Forms as GOV.UK designs them: audiences as radios in plain English, the
//! date input with GOV.UK's error messages, organisations chosen from a
//! list of those the editor may see, a success banner after every save
//! (post/redirect/get), headings that stay put after an error, and labels
//! that match the pages.

mod common;

use common::{camden_with_accounts, version_of};

#[tokio::test]
async fn audiences_are_radios_in_plain_english() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    for path in [
        "/organisations/ucl/edit",
        "/missions/new",
        "/offer/new",
        "/initiatives/new",
        "/themes/new",
        "/commitments/new?organisation=ucl",
    ] {
        let page = app.get_as(Some(&staff), path).await;
        assert_eq!(page.status, 200, "{path}");
        for words in [
            "Everyone",
            "Partners signed in",
            "Council staff",
            "Named people only",
        ] {
            assert!(page.body.contains(words), "{path} should offer {words}");
        }
        assert!(
            page.body
                .contains("name=\"audience\" type=\"radio\" value=\"partners\""),
            "{path}"
        );
        assert!(
            !page
                .body
                .contains("<select class=\"govuk-select\" id=\"audience\""),
            "{path}"
        );
        assert!(!page.body.contains(">restricted</option>"), "{path}");
    }
}

#[tokio::test]
async fn a_save_redirects_to_a_page_with_a_success_banner() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let created = app
        .post_as(
            Some(&staff),
            "/commitments/new?organisation=ucl",
            &[
                ("organisation", "ucl"),
                ("status", "proposed"),
                ("start_date-day", "1"),
                ("start_date-month", "4"),
                ("start_date-year", "2025"),
                ("end_date-day", ""),
                ("end_date-month", ""),
                ("end_date-year", ""),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(created.location(), "/organisations/ucl?saved=commitment");
    // The address alone, as in a link someone was sent, claims nothing.
    let sent = app.get_as(Some(&staff), &created.location()).await;
    assert!(!sent.body.contains("govuk-notification-banner--success"));
    // Followed with the one-time cookie the redirect set, as a browser does.
    let cookies = format!(
        "{staff}; {}",
        created.saved_cookie().expect("a one-time cookie")
    );
    let page = app.get_as(Some(&cookies), &created.location()).await;
    assert!(page.body.contains("govuk-notification-banner--success"));
    assert!(page.body.contains("Commitment saved"));
    assert!(page.body.contains("role=\"alert\""));
    assert!(
        page.header("set-cookie")
            .contains("placeweave-saved=; Path=/; Max-Age=0"),
        "shown once, then forgotten"
    );

    // The same address without the flag, or with one it does not know, or
    // for someone not signed in, shows no banner.
    for (cookie, path) in [
        (Some(staff.as_str()), "/organisations/ucl"),
        (
            Some(staff.as_str()),
            "/organisations/ucl?saved=%3Cb%3Ehello",
        ),
        (None, "/organisations/ucl?saved=commitment"),
    ] {
        let page = app.get_as(cookie, path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("govuk-notification-banner"), "{path}");
    }

    // The date went in as the ISO date the API serves.
    let (_, listed) = app
        .json("/api/v1/places/camden/commitments?organisation=ucl")
        .await;
    assert!(listed.to_string().contains("2025-04-01"), "{listed}");
}

#[tokio::test]
async fn dates_use_the_govuk_date_input_and_its_error_messages() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let form = app
        .get_as(Some(&staff), "/commitments/new?organisation=ucl")
        .await;
    assert!(form.body.contains("class=\"govuk-date-input\""));
    for name in [
        "start_date-day",
        "start_date-month",
        "start_date-year",
        "end_date-day",
        "end_date-month",
        "end_date-year",
    ] {
        assert!(form.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    assert!(form.body.contains("inputmode=\"numeric\""));
    // The status is chosen from radios that say what each means.
    assert!(
        form.body
            .contains("name=\"status\" type=\"radio\" value=\"testing\"")
    );
    assert!(form.body.contains("Suggested, not yet agreed."));

    let refused = app
        .post_as(
            Some(&staff),
            "/commitments/new?organisation=ucl",
            &[
                ("organisation", "ucl"),
                ("status", "proposed"),
                ("start_date-day", "31"),
                ("start_date-month", ""),
                ("start_date-year", "2025"),
                ("end_date-day", "30"),
                ("end_date-month", "2"),
                ("end_date-year", "2026"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("Start date must include a month"));
    assert!(refused.body.contains("End date must be a real date"));
    assert!(refused.body.contains("href=\"#start_date\""));
    assert!(
        refused
            .body
            .contains("id=\"start_date\" name=\"start_date-day\"")
    );
    assert!(refused.body.contains("govuk-input--error"));
    // What was typed is shown back.
    assert!(
        refused
            .body
            .contains("name=\"start_date-day\" type=\"text\" inputmode=\"numeric\" value=\"31\"")
    );
    assert!(
        refused
            .body
            .contains("<h1 class=\"govuk-heading-l\">Record a commitment</h1>")
    );
}

#[tokio::test]
async fn organisations_are_chosen_from_those_the_editor_may_see() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    app.sql("UPDATE organisation SET audience = 'restricted' WHERE slug = 'roundhouse'")
        .await;
    let form = app
        .get_as(Some(&staff), "/commitments/new?organisation=ucl")
        .await;
    assert!(form.body.contains("<select class=\"govuk-select\" id=\"organisation\" name=\"organisation\" data-app-autocomplete"));
    assert!(form.body.contains("<option value=\"ucl\" selected>"));
    assert!(
        form.body
            .contains("<option value=\"arsenal-fc\">Arsenal F.C.</option>")
    );
    assert!(
        !form.body.contains("value=\"roundhouse\""),
        "a hidden organisation is not offered"
    );
    let admin_form = app
        .get_as(Some(&admin), "/commitments/new?organisation=ucl")
        .await;
    assert!(admin_form.body.contains("value=\"roundhouse\""));

    // Choosing it anyway answers exactly as for one that does not exist.
    let answer = |organisation: &'static str| {
        let app = &app;
        let staff = staff.clone();
        async move {
            app.post_as(
                Some(&staff),
                "/commitments/new",
                &[
                    ("organisation", organisation),
                    ("status", "proposed"),
                    ("audience", "public"),
                ],
            )
            .await
        }
    };
    let hidden = answer("roundhouse").await;
    let missing = answer("no-such-organisation").await;
    assert_eq!(hidden.status, missing.status);
    let message = |body: &str| {
        body.split("govuk-error-summary__list")
            .nth(1)
            .and_then(|rest| rest.split("</ul>").next())
            .unwrap_or_default()
            .replace("roundhouse", "X")
            .replace("no-such-organisation", "X")
    };
    assert!(!message(&hidden.body).is_empty());
    assert_eq!(message(&hidden.body), message(&missing.body));
    assert!(!hidden.body.contains("value=\"roundhouse\""));
}

#[tokio::test]
async fn headings_stay_put_after_an_error() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let form = app.get_as(Some(&staff), "/organisations/ucl/edit").await;
    let version = version_of(&form.body);
    let refused = app
        .post_as(
            Some(&staff),
            "/organisations/ucl/edit",
            &[
                ("version", &version),
                ("name", ""),
                ("kind", "university"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused
            .body
            .contains("<h1 class=\"govuk-heading-l\">University College London (UCL)</h1>")
    );

    let refused = app
        .post_as(Some(&staff), "/missions/new", &[("short_name", "Renamed")])
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused
            .body
            .contains("<h1 class=\"govuk-heading-l\">Add a mission</h1>")
    );
}

#[tokio::test]
async fn form_labels_match_the_pages() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let form = app.get_as(Some(&staff), "/offer/new").await;
    let (_, _, offer) = app.get("/offer").await;
    for label in ["What we ask of you", "Value for Camden", "What you get"] {
        assert!(form.body.contains(label), "the form says {label}");
        assert!(offer.contains(label), "the page says {label}");
    }
}

#[tokio::test]
async fn initiative_participants_are_chosen_from_a_list() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let form = app.get_as(Some(&staff), "/initiatives/new").await;
    assert!(form.body.contains("name=\"participant-organisation\""));
    assert!(
        !form.body.contains("the organisation's id"),
        "no ids to type"
    );
    let created = app
        .post_as(
            Some(&staff),
            "/initiatives/new",
            &[
                ("name", "Somers Town Supper Club"),
                ("participant-organisation", "origin-tenants-voices"),
                ("participant-part", "Host"),
                ("participant-organisation", ""),
                ("participant-part", ""),
                ("participant-organisation", "camden-giving"),
                ("participant-part", ""),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let cookies = format!(
        "{staff}; {}",
        created.saved_cookie().expect("a one-time cookie")
    );
    let page = app.get_as(Some(&cookies), &created.location()).await;
    assert!(page.body.contains("Initiative saved"));
    assert!(page.body.contains("Origin Tenants Voices</a>: Host"));
    assert!(page.body.contains("Camden Giving</a>"));
}
