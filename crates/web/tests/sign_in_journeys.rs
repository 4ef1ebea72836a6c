//! Sign-in journeys: coming back to the page you came from (and never to
//! another site), and one name and the signed-in state in every header,
//! error pages included.

mod common;

use common::{PASSWORD, camden_with_accounts};

#[tokio::test]
async fn signing_in_comes_back_to_the_page_asked_for() {
    let (app, _) = camden_with_accounts().await;
    let refused = app.get_as(None, "/missions/new").await;
    assert_eq!(refused.location(), "/sign-in?next=%2Fmissions%2Fnew");
    let page = app.get_as(None, "/sign-in?next=%2Fmissions%2Fnew").await;
    assert!(
        page.body
            .contains("<input type=\"hidden\" name=\"next\" value=\"/missions/new\">"),
        "{}",
        page.body
    );
    let signed = app
        .post_as(
            None,
            "/sign-in",
            &[
                ("email", "staff@camden.example"),
                ("password", PASSWORD),
                ("next", "/missions/new"),
            ],
        )
        .await;
    assert_eq!(signed.status, 303);
    assert_eq!(signed.location(), "/missions/new");

    // Only the path comes back: a query can hold personal data.
    let lookup = app
        .get_as(None, "/admin/people?email=someone%40contact.example")
        .await;
    assert_eq!(lookup.location(), "/sign-in?next=%2Fadmin%2Fpeople");

    // The header's sign-in link carries the page it is on.
    let (_, _, organisation) = app.get("/organisations/ucl").await;
    assert!(organisation.contains("href=\"/sign-in?next=%2Forganisations%2Fucl\""));
    // A wrong password keeps where to go.
    let wrong = app
        .post_as(
            None,
            "/sign-in",
            &[
                ("email", "staff@camden.example"),
                ("password", "not it at all"),
                ("next", "/offer"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.contains("name=\"next\" value=\"/offer\""));
}

#[tokio::test]
async fn signing_in_never_sends_anyone_to_another_site() {
    let (app, _) = camden_with_accounts().await;
    for next in [
        "//evil.example",
        "//evil.example/account",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\r\nLocation: https://evil.example",
    ] {
        let page = app
            .get_as(None, &format!("/sign-in?next={}", urlencode(next)))
            .await;
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("name=\"next\""),
            "{next:?} offered as a way back"
        );
        let signed = app
            .post_as(
                None,
                "/sign-in",
                &[
                    ("email", "staff@camden.example"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(signed.status, 303, "{next:?}");
        assert_eq!(signed.location(), "/account", "{next:?}");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The header of a page: from the start of <header> to its end.
fn header(body: &str) -> &str {
    let start = body.find("<header").unwrap_or(0);
    let end = body.find("</header>").unwrap_or(body.len());
    &body[start..end]
}

#[tokio::test]
async fn every_header_has_one_name_and_the_signed_in_state() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    let pages: [(Option<&str>, &str, u16); 10] = [
        (None, "/", 200),
        (None, "/sign-in", 200),
        (None, "/no-such-page", 404),
        (None, "/organisations?kind=spaceship", 400),
        (Some(&ucl), "/account", 200),
        (Some(&ucl), "/no-such-page", 404),
        (Some(&ucl), "/missions/new", 403),
        (Some(&staff), "/organisations?kind=spaceship", 400),
        (Some(&admin), "/admin", 200),
        (Some(&admin), "/missions/no-such-mission", 404),
    ];
    for (cookie, path, status) in pages {
        let reply = app.get_as(cookie, path).await;
        assert_eq!(reply.status, status, "{path}");
        let header = header(&reply.body);
        assert!(
            header.contains(">Camden partnerships</a>"),
            "{path}: {header}"
        );
        assert!(
            !reply.body.contains(">Placeweave</a>"),
            "{path}: a second name"
        );
        assert!(
            reply.body.contains("– Camden partnerships</title>"),
            "{path}"
        );
        assert_eq!(
            header.matches("href=\"/\"").count(),
            1,
            "{path}: one home link"
        );
        assert_eq!(header.contains("Sign out"), cookie.is_some(), "{path}");
        assert_eq!(header.contains(">Sign in</a>"), cookie.is_none(), "{path}");
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_an_administrators_one_time_link() {
    let (app, [ucl, _, _, admin]) = camden_with_accounts().await;
    let (_, _, sign_in) = app.get("/sign-in").await;
    assert!(
        sign_in.contains(
            "<a class=\"govuk-link\" href=\"/password-reset\">Forgotten your password?</a>"
        )
    );
    let (status, _, form) = app.get("/password-reset").await;
    assert_eq!(status, 200);
    assert!(form.contains("does not send emails yet"));

    // The same answer whether or not there is an account.
    let known = app
        .post_as(
            None,
            "/password-reset",
            &[("email", "UCL@partner.example ")],
        )
        .await;
    let unknown = app
        .post_as(
            None,
            "/password-reset",
            &[("email", "nobody@partner.example")],
        )
        .await;
    assert_eq!(known.status, 200);
    assert_eq!(unknown.status, 200);
    assert_eq!(known.body, unknown.body);
    let empty = app
        .post_as(None, "/password-reset", &[("email", " ")])
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("govuk-error-summary"));
    let malformed = app
        .post_as(None, "/password-reset", &[("email", "not-an-email")])
        .await;
    assert_eq!(malformed.status, 400);
    assert!(
        malformed
            .body
            .contains("Enter an email address in the correct format")
    );

    // A subject access request shows the waiting request.
    let held = app
        .db
        .store
        .person("ucl@partner.example")
        .await
        .expect("subject access");
    assert!(held.password_reset_requested_at.is_some());
    assert!(
        held.audit
            .iter()
            .any(|e| e.action == "request-password-reset")
    );

    // The administrator sees the request (only for the real account).
    let users = app.get_as(Some(&admin), "/admin/users").await;
    assert!(users.body.contains("Requests for a new password"));
    assert!(users.body.contains("(ucl@partner.example), asked"));
    assert!(!users.body.contains("nobody@partner.example"));
    let id = users
        .body
        .split("/reset\">")
        .next()
        .and_then(|before| before.rsplit("/admin/users/").next())
        .and_then(|id| id.parse::<i64>().ok())
        .expect("a reset button");
    let made = app
        .post_as(Some(&admin), &format!("/admin/users/{id}/reset"), &[])
        .await;
    assert_eq!(made.status, 200);
    assert!(made.body.contains("Reset link made"));
    assert!(made.body.contains("Nobody is waiting for a new password"));
    let link = made
        .body
        .split("<strong id=\"reset-link\" class=\"govuk-!-text-break-word\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the link");
    let path = link.trim_start_matches(&app.base).to_owned();
    assert!(path.starts_with("/invite/"), "{link}");

    // Until the new password is set, the old one and the session still work.
    assert_eq!(app.get_as(Some(&ucl), "/account").await.status, 200);
    let form = app.get_as(None, &path).await;
    assert_eq!(form.status, 200);
    // The link is a secret: kept by no cache, sent to no other site, and
    // not copied into the page's sign-in link or printed address.
    assert_eq!(form.header("cache-control"), "no-store");
    assert_eq!(form.header("referrer-policy"), "no-referrer");
    assert_eq!(form.header("etag"), "");
    let token = path.trim_start_matches("/invite/");
    assert!(!form.body.contains(&format!("next=%2Finvite%2F{token}")));
    assert!(!form.body.contains(&format!("{}{path}", app.base)));
    let weak = app
        .post_as(
            None,
            &path,
            &[("password", "password1"), ("confirm", "password1")],
        )
        .await;
    assert_eq!(weak.status, 400, "the existing password rules apply");
    let new_password = "granite lantern meadow";
    let set = app
        .post_as(
            None,
            &path,
            &[("password", new_password), ("confirm", new_password)],
        )
        .await;
    assert_eq!(set.status, 303);
    assert!(set.location().starts_with("/sign-in"));
    // Other sessions ended; the link is spent; the old password is refused.
    assert_eq!(
        app.get_as(Some(&ucl), "/account").await.location(),
        "/sign-in"
    );
    assert_eq!(app.get_as(None, &path).await.status, 404);
    let old = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "ucl@partner.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, 401);
    app.sign_in("ucl@partner.example", new_password).await;

    // The request, the link and its use are in the audit log.
    let audit = app
        .db
        .store
        .audit_events(&placeweave_store::privacy::AuditQuery {
            record_id: Some(id.to_string()),
            limit: 100,
            ..Default::default()
        })
        .await
        .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "request-password-reset",
        "issue-password-reset",
        "accept-invite",
    ] {
        assert!(actions.contains(&action), "{actions:?}");
    }
}

#[tokio::test]
async fn asking_for_a_new_password_is_throttled_like_signing_in() {
    let (app, _) = camden_with_accounts().await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(
            app.post_as(
                None,
                "/password-reset",
                &[("email", "someone@partner.example")],
            )
            .await
            .status,
        );
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    assert_eq!(statuses[6], 429);
}

#[tokio::test]
async fn a_disabled_accounts_reset_link_stops_working() {
    let (app, [_, _, _, admin]) = camden_with_accounts().await;
    app.post_as(
        None,
        "/password-reset",
        &[("email", "roundhouse@partner.example")],
    )
    .await;
    let id = app
        .db
        .store
        .account_by_email("roundhouse@partner.example")
        .await
        .expect("lookup")
        .expect("account")
        .account
        .id;
    let made = app
        .post_as(Some(&admin), &format!("/admin/users/{id}/reset"), &[])
        .await;
    let path = made
        .body
        .split("<strong id=\"reset-link\" class=\"govuk-!-text-break-word\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("the link")
        .trim_start_matches(&app.base)
        .to_owned();
    assert_eq!(app.get_as(None, &path).await.status, 200);

    let mut tx = app.db.store.begin().await.expect("begin");
    tx.disable_account(id).await.expect("disable");
    placeweave_store::testing::commit(tx).await.expect("commit");
    assert_eq!(app.get_as(None, &path).await.status, 404);
    let set = app
        .post_as(
            None,
            &path,
            &[
                ("password", "granite lantern meadow"),
                ("confirm", "granite lantern meadow"),
            ],
        )
        .await;
    assert_eq!(set.status, 404);
}
