//! The place's required pages: the accessibility statement, privacy
//! notice, cookies and contact pages exist with default texts in the
//! place's names, are linked from every page's footer, and an
//! administrator (only) changes them, with versions and an audit line.

mod common;

use common::camden_with_accounts;
use placeweave_store::privacy::AuditQuery;

const PAGES: [(&str, &str, &str); 4] = [
    (
        "/accessibility",
        "Accessibility statement",
        "Enforcement procedure",
    ),
    ("/privacy", "Privacy notice", "Information Commissioner"),
    ("/cookies", "Cookies", "__Host-placeweave-session"),
    ("/contact", "Contact", "Camden"),
];

#[tokio::test]
async fn the_pages_have_defaults_in_the_places_names_and_are_in_every_footer() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    for (path, heading, text) in PAGES {
        let (status, _, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            body.contains(&format!("<h1 class=\"govuk-heading-l\">{heading}</h1>")),
            "{path}"
        );
        assert!(body.contains(text), "{path} should say {text}");
        assert!(
            body.contains("London Borough of Camden"),
            "{path} names the council"
        );
        assert!(
            !body.contains("Change this page"),
            "{path}: the public may not edit"
        );
    }
    let (_, _, cookies) = app.get("/cookies").await;
    assert!(cookies.contains("12 hours") && cookies.contains("30 minutes"));
    // Every page, signed in or not, error pages too, links to all four.
    for (cookie, path) in [
        (None, "/"),
        (None, "/missions/youth-opportunity"),
        (None, "/sign-in"),
        (None, "/no-such-page"),
        (Some(ucl.as_str()), "/account"),
        (Some(staff.as_str()), "/organisations/ucl/edit"),
        (Some(admin.as_str()), "/admin/users"),
    ] {
        let reply = app.get_as(cookie, path).await;
        for (href, label, _) in PAGES {
            assert!(
                reply.body.contains(&format!(
                    "<a class=\"govuk-footer__link\" href=\"{href}\">{label}</a>"
                )),
                "{path} should link to {href}"
            );
        }
    }
}

#[tokio::test]
async fn only_an_administrator_changes_a_page_and_each_change_is_versioned_and_audited() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    for cookie in [None, Some(ucl.as_str()), Some(staff.as_str())] {
        let form = app.get_as(cookie, "/admin/pages/privacy").await;
        assert!(
            matches!(form.status, 403 | 404) || form.location().starts_with("/sign-in"),
            "{}",
            form.status
        );
        let post = app
            .post_as(
                cookie,
                "/admin/pages/privacy",
                &[("body", "Taken over"), ("version", "0")],
            )
            .await;
        assert!(
            matches!(post.status, 403 | 404) || post.location().starts_with("/sign-in"),
            "{}",
            post.status
        );
    }
    let (_, _, page) = app.get("/privacy").await;
    assert!(!page.contains("Taken over"));

    let form = app.get_as(Some(&admin), "/admin/pages/privacy").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"version\" value=\"0\""));
    assert!(
        form.body.contains("Information Commissioner"),
        "the default text to start from"
    );

    // Empty text: the GOV.UK error summary, naming the field.
    let empty = app
        .post_as(
            Some(&admin),
            "/admin/pages/privacy",
            &[("body", "  "), ("version", "0")],
        )
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("govuk-error-summary"));
    assert!(empty.body.contains("href=\"#body\""));
    assert!(empty.body.contains("<title>Error: "));

    // Raw HTML in the text is shown as text, never as markup.
    let text =
        "Our notice.\n\n## Who we are\n- <script>alert(1)</script>\n- London Borough of Camden";
    let saved = app
        .post_as(
            Some(&admin),
            "/admin/pages/privacy",
            &[("body", text), ("version", "0")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location(), "/privacy?saved=1");
    let shown = app.get_as(Some(&admin), "/privacy?saved=1").await;
    assert!(shown.body.contains("govuk-notification-banner--success"));
    assert!(
        shown
            .body
            .contains("<h2 class=\"govuk-heading-m\">Who we are</h2>")
    );
    assert!(
        shown
            .body
            .contains("<li>&#60;script&#62;alert(1)&#60;/script&#62;</li>"),
        "{}",
        shown.body
    );
    assert!(!shown.body.contains("<script>alert(1)"));
    assert!(shown.body.contains("Last updated"));
    assert!(
        shown
            .body
            .contains("<meta name=\"description\" content=\"Our notice.\">")
    );

    // A second edit from the version the first read is stale: 409, with
    // the text that won shown, and nothing overwritten.
    let stale = app
        .post_as(
            Some(&admin),
            "/admin/pages/privacy",
            &[("body", "Late edit"), ("version", "0")],
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Someone else changed this page"));
    assert!(stale.body.contains("name=\"version\" value=\"1\""));
    let (_, _, page) = app.get("/privacy").await;
    assert!(!page.contains("Late edit"));
    let again = app
        .post_as(
            Some(&admin),
            "/admin/pages/privacy",
            &[("body", "Second text"), ("version", "1")],
        )
        .await;
    assert_eq!(again.status, 303);
    let (_, _, page) = app.get("/privacy").await;
    assert!(page.contains("Second text"));

    // Two audit lines, one per saved change; the failed ones wrote none.
    let audit = app
        .db
        .store
        .audit_events(&AuditQuery {
            record_type: Some("place-page".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(
        audit
            .iter()
            .all(|e| e.record_id.as_deref() == Some("camden/privacy"))
    );

    // Other pages keep their defaults; an unknown page is not found.
    let (_, _, cookies) = app.get("/cookies").await;
    assert!(cookies.contains("placeweave-session"));
    assert_eq!(
        app.get_as(Some(&admin), "/admin/pages/terms").await.status,
        404
    );
}

#[tokio::test]
async fn nobody_but_an_editor_is_shown_a_saved_banner() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    for cookie in [None, Some(staff.as_str())] {
        let page = app.get_as(cookie, "/privacy?saved=1").await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("govuk-notification-banner--success"));
    }
    let page = app.get_as(Some(&admin), "/privacy?saved=1").await;
    assert!(page.body.contains("govuk-notification-banner--success"));
}
