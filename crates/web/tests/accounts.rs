//! Sign-in, sessions, invitations, throttling and cross-site protection, over HTTP.

mod common;

use common::{PASSWORD, camden, camden_with_accounts, start_with_https};
use placeweave_domain::AccountRole;

/// The count of password verifications is one per process: the test that
/// reads it runs alone, the others side by side (under `cargo test`; nextest
/// gives every test its own process anyway).
static VERIFICATIONS: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

#[tokio::test]
async fn sign_in_gives_a_new_session_with_safe_cookie_attributes() {
    let _counting = VERIFICATIONS.read().await;
    let app = camden().await;
    app.account("staff@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    let reply = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "Staff@Camden.example "), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.location(), "/account");
    let set_cookie = reply.header("set-cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "plain http: no Secure, so no __Host- either"
    );
    let cookie = reply.session_cookie().expect("cookie");
    let account = app.get_as(Some(&cookie), "/account").await;
    assert_eq!(account.status, 200);
    assert!(account.body.contains("staff@camden.example"));
    assert_eq!(account.header("cache-control"), "no-store");

    // Session fixation: a cookie held before sign-in is replaced and dies.
    let planted = cookie.clone();
    let again = app
        .send(
            reqwest::Method::POST,
            "/sign-in",
            Some(&planted),
            Some(&[("email", "staff@camden.example"), ("password", PASSWORD)]),
        )
        .await;
    let fresh = again.session_cookie().expect("new cookie");
    assert_ne!(fresh, planted);
    assert_eq!(
        app.get_as(Some(&planted), "/account").await.location(),
        "/sign-in"
    );
    assert_eq!(app.get_as(Some(&fresh), "/account").await.status, 200);
}

#[tokio::test]
async fn over_https_the_cookie_is_host_prefixed_and_secure() {
    let _counting = VERIFICATIONS.read().await;
    let db = placeweave_store::testing::database()
        .await
        .expect("database");
    placeweave_store::camden::ensure(&db.store)
        .await
        .expect("seed");
    let app = start_with_https(db, "camden", true).await;
    app.account("admin@camden.example", AccountRole::Admin, None, PASSWORD)
        .await;
    let reply = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "admin@camden.example"), ("password", PASSWORD)],
        )
        .await;
    let set_cookie = reply.header("set-cookie");
    assert!(
        set_cookie.starts_with("__Host-placeweave-session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Secure"));
    assert!(
        reply
            .header("strict-transport-security")
            .contains("max-age=")
    );
}

#[tokio::test]
async fn sign_out_and_timeouts_end_sessions() {
    let _counting = VERIFICATIONS.read().await;
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    let out = app.post_as(Some(&staff), "/sign-out", &[]).await;
    assert_eq!(out.status, 303);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    assert_eq!(
        app.get_as(Some(&staff), "/account").await.location(),
        "/sign-in"
    );

    // Idle for longer than 30 minutes.
    app.sql(
        "UPDATE session SET last_seen_at = last_seen_at - 1900 WHERE account_id = \
             (SELECT id FROM account WHERE email = 'ucl@partner.example')",
    )
    .await;
    assert_eq!(
        app.get_as(Some(&ucl), "/account").await.location(),
        "/sign-in"
    );

    // Active, but signed in more than 12 hours ago.
    app.sql(
        "UPDATE session SET created_at = created_at - 50000 WHERE account_id = \
             (SELECT id FROM account WHERE email = 'admin@camden.example')",
    )
    .await;
    assert_eq!(
        app.get_as(Some(&admin), "/account").await.location(),
        "/sign-in"
    );
}

#[tokio::test]
async fn wrong_passwords_are_throttled_not_locked_forever() {
    let _counting = VERIFICATIONS.read().await;
    let app = camden().await;
    app.account("staff@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    for _ in 0..5 {
        let reply = app
            .post_as(
                None,
                "/sign-in",
                &[
                    ("email", "staff@camden.example"),
                    ("password", "wrong password"),
                ],
            )
            .await;
        assert_eq!(reply.status, 401);
        assert!(
            reply
                .body
                .contains("Enter a correct email address and password")
        );
    }
    let blocked = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "staff@camden.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(blocked.status, 429, "even the right password waits");
    assert_eq!(blocked.header("retry-after"), "900");
    // The window passes: failures older than 15 minutes no longer count.
    app.sql("UPDATE sign_in_failure SET at = at - 1000").await;
    app.sign_in("staff@camden.example", PASSWORD).await;

    // An unknown account gets the same answer as a wrong password.
    let unknown = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "nobody@camden.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unknown.status, 401);
    let empty = app.post_as(None, "/sign-in", &[]).await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("href=\"#email\"") && empty.body.contains("href=\"#password\""));
}

#[tokio::test]
async fn concurrent_wrong_passwords_are_verified_at_most_the_limit() {
    let _alone = VERIFICATIONS.write().await;
    let app = camden().await;
    app.account("staff@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    let before = placeweave_web::auth::password_verifications();
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..60 {
        let request = app
            .client
            .post(format!("{}/sign-in", app.base))
            .header("origin", app.base.clone())
            .form(&[
                ("email", "staff@camden.example"),
                ("password", "wrong password"),
            ]);
        attempts.spawn(async move {
            let reply = request.send().await.expect("sign-in");
            let retry_after = reply
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (reply.status().as_u16(), retry_after)
        });
    }
    let mut replies = Vec::new();
    while let Some(reply) = attempts.join_next().await {
        replies.push(reply.expect("task"));
    }
    let verified = placeweave_web::auth::password_verifications() - before;
    let refused: Vec<_> = replies.iter().filter(|(s, _)| *s == 429).collect();
    let wrong = replies.iter().filter(|(s, _)| *s == 401).count();
    assert!(verified <= 5, "{verified} passwords verified, limit 5");
    assert_eq!(wrong, 5, "{replies:?}");
    assert_eq!(refused.len(), 55, "{replies:?}");
    assert!(refused.iter().all(|(_, r)| r.as_deref() == Some("900")));
    // The right password now waits too: the five failures are on record.
    let blocked = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "staff@camden.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(blocked.status, 429);
}

#[tokio::test]
async fn successful_sign_ins_do_not_count_against_the_limit() {
    let _counting = VERIFICATIONS.read().await;
    let app = camden().await;
    app.account("staff@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    for _ in 0..8 {
        app.sign_in("staff@camden.example", PASSWORD).await;
    }
    for _ in 0..5 {
        let reply = app
            .post_as(
                None,
                "/sign-in",
                &[("email", "staff@camden.example"), ("password", "wrong")],
            )
            .await;
        assert_eq!(reply.status, 401);
    }
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let _counting = VERIFICATIONS.read().await;
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let url = format!("{}/sign-out", app.base);
    let forged = app
        .client
        .post(&url)
        .header("cookie", &staff)
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status().as_u16(), 403);
    let no_origin = app
        .client
        .post(&url)
        .header("cookie", &staff)
        .send()
        .await
        .expect("post");
    assert_eq!(no_origin.status().as_u16(), 403);
    let cross_site = app
        .client
        .post(&url)
        .header("cookie", &staff)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("post");
    assert_eq!(cross_site.status().as_u16(), 403);
    assert_eq!(
        app.get_as(Some(&staff), "/account").await.status,
        200,
        "still signed in"
    );
    let api = app
        .client
        .put(format!(
            "{}/api/v1/places/camden/organisations/ucl",
            app.base
        ))
        .header("cookie", &staff)
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({"version": 1, "name": "Hijacked"}))
        .send()
        .await
        .expect("put");
    assert_eq!(api.status().as_u16(), 403);
    assert_eq!(
        api.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn an_invitation_sets_a_password_once_under_the_rules() {
    let _counting = VERIFICATIONS.read().await;
    let (app, [_, _, _, admin]) = camden_with_accounts().await;
    let created = app
        .post_as(
            Some(&admin),
            "/admin/users",
            &[
                ("email", "new.partner@ucl.example"),
                ("name", "New Partner"),
                ("role", "partner"),
                ("organisation", "ucl"),
            ],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let link = created
        .body
        .split("id=\"invite-link\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("invitation link shown to the admin")
        .to_owned();
    let path = link.trim_start_matches(&app.base).to_owned();
    assert!(path.starts_with("/invite/"), "{link}");
    assert_eq!(app.get_as(None, &path).await.status, 200);

    for (password, confirm, problem) in [
        ("short", "short", "8 characters or more"),
        ("password1", "password1", "too common"),
        ("a fine long passphrase", "a different one", "do not match"),
    ] {
        let reply = app
            .post_as(None, &path, &[("password", password), ("confirm", confirm)])
            .await;
        assert_eq!(reply.status, 400, "{password}");
        assert!(
            reply.body.contains(problem),
            "{password}: expected {problem}"
        );
    }
    let long = "correct horse battery staple ".repeat(4);
    let accepted = app
        .post_as(None, &path, &[("password", &long), ("confirm", &long)])
        .await;
    assert_eq!(accepted.status, 303);
    assert_eq!(
        app.post_as(None, &path, &[("password", &long), ("confirm", &long)])
            .await
            .status,
        404,
        "a link works once"
    );
    app.sign_in("new.partner@ucl.example", &long).await;

    let duplicate = app
        .post_as(
            Some(&admin),
            "/admin/users",
            &[
                ("email", "new.partner@ucl.example"),
                ("name", "Again"),
                ("role", "staff"),
            ],
        )
        .await;
    assert_eq!(duplicate.status, 400);
    assert!(duplicate.body.contains("already an account"));
    let bad = app
        .post_as(
            Some(&admin),
            "/admin/users",
            &[("email", "nope"), ("role", "partner")],
        )
        .await;
    assert_eq!(bad.status, 400);
    for field in ["#email", "#name", "#organisation"] {
        assert!(bad.body.contains(&format!("href=\"{field}\"")), "{field}");
    }
}

#[tokio::test]
async fn disabled_accounts_lose_their_sessions() {
    let _counting = VERIFICATIONS.read().await;
    let (app, [ucl, _, _, admin]) = camden_with_accounts().await;
    let accounts = app.db.store.accounts().await.expect("accounts");
    let id = accounts
        .iter()
        .find(|a| a.email == "ucl@partner.example")
        .map(|a| a.id)
        .expect("account");
    let reply = app
        .post_as(Some(&admin), &format!("/admin/users/{id}/disable"), &[])
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(
        app.get_as(Some(&ucl), "/account").await.location(),
        "/sign-in"
    );
    let again = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "ucl@partner.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, 401);
}

#[tokio::test]
async fn security_txt_is_published() {
    let _counting = VERIFICATIONS.read().await;
    let app = camden().await;
    let (status, content_type, body) = app.get("/.well-known/security.txt").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/plain"));
    assert!(body.contains("Contact:") && body.contains("Expires:"));
}

#[tokio::test]
async fn nobody_can_lock_someone_else_out() {
    let _counting = VERIFICATIONS.read().await;
    let db = placeweave_store::testing::database()
        .await
        .expect("database");
    placeweave_store::camden::ensure(&db.store)
        .await
        .expect("seed");
    // Behind the HTTPS proxy, each client is told by X-Forwarded-For.
    let app = start_with_https(db, "camden", true).await;
    app.account("staff@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    let from = |address: &'static str, path: &str, form: &[(&str, &str)]| {
        app.client
            .post(format!("{}{path}", app.base))
            .header("origin", app.base.clone())
            .header("x-forwarded-for", address)
            .form(form)
            .send()
    };
    // Someone else sends wrong passwords and reset requests for her email.
    let attacker = "203.0.113.66";
    for _ in 0..5 {
        let reply = from(
            attacker,
            "/sign-in",
            &[
                ("email", "staff@camden.example"),
                ("password", "wrong password"),
            ],
        )
        .await
        .expect("sign-in");
        assert!([401, 429].contains(&reply.status().as_u16()));
        from(
            attacker,
            "/password-reset",
            &[("email", "staff@camden.example")],
        )
        .await
        .expect("reset");
    }
    let blocked = from(
        attacker,
        "/sign-in",
        &[("email", "staff@camden.example"), ("password", "guess")],
    )
    .await
    .expect("sign-in");
    assert_eq!(blocked.status(), 429, "the guesser is throttled");
    // She signs in from her own address as usual.
    let own = from(
        "198.51.100.7",
        "/sign-in",
        &[("email", "staff@camden.example"), ("password", PASSWORD)],
    )
    .await
    .expect("sign-in");
    assert_eq!(own.status(), 303, "the real person is not locked out");
}
