//! The partnership team's report and coordination over HTTP: conversion
//! and median days from a hand-worked stage history, relationships gone
//! quiet, the coordination note (for another team, not the same team),
//! upcoming meetings on "My work", and who has been in touch.

mod common;

use common::{PASSWORD, camden_with_accounts};
use placeweave_domain::AccountRole;
use placeweave_domain::date::iso_date;
use placeweave_domain::partnership_report::days_before;

fn today() -> String {
    iso_date(placeweave_web::auth::now())
}

/// Starts a relationship with `organisation` from the form; its id.
async fn relationship(app: &common::TestApp, cookie: &str, organisation: &str) -> i64 {
    let saved = app
        .post_as(
            Some(cookie),
            "/relationships/new",
            &[
                ("organisation", organisation),
                ("stage", "warm-conversation"),
                ("formality", "informal"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    saved
        .location()
        .trim_start_matches("/relationships/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("relationship id")
}

/// Logs an interaction with `organisation` on `date` by `account`; the
/// page shown after the save, as a browser following the redirect sees it.
async fn log(
    app: &common::TestApp,
    cookie: &str,
    account: i64,
    organisation: &str,
    date: &str,
) -> String {
    let (year, month, day) = {
        let mut p = date.splitn(3, '-');
        (
            p.next().unwrap_or_default().to_owned(),
            p.next().unwrap_or_default().to_owned(),
            p.next().unwrap_or_default().to_owned(),
        )
    };
    let account = account.to_string();
    // "a,b": a meeting with a, b taking part too.
    let mut organisations = organisation.split(',');
    let mut form = vec![
        ("organisation", organisations.next().unwrap_or_default()),
        ("kind", "meeting"),
        ("date-day", &day),
        ("date-month", &month),
        ("date-year", &year),
        ("staff", &account),
    ];
    form.extend(organisations.map(|o| ("other_organisations", o)));
    let saved = app.post_as(Some(cookie), "/interactions/new", &form).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let cookies = format!("{cookie}; {}", saved.saved_cookie().expect("saved cookie"));
    let page = app.get_as(Some(&cookies), &saved.location()).await;
    assert_eq!(page.status, 200);
    page.body
}

#[tokio::test]
async fn conversion_medians_and_gone_quiet_follow_the_stage_history() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let first = relationship(&app, &staff, "ucl").await;
    let second = relationship(&app, &staff, "roundhouse").await;
    // The hand-worked history: the first warm 2026-01-10, committed
    // 2026-02-09 (30 days); the second warm 2026-02-01, exploring
    // 2026-02-11 (10 days). One of two warm conversations converted;
    // median warm spell 20 days.
    app.sql("DELETE FROM relationship_stage").await;
    for (id, stage, date) in [
        (first, "warm-conversation", "2026-01-10"),
        (first, "committed", "2026-02-09"),
        (second, "warm-conversation", "2026-02-01"),
        (second, "exploring", "2026-02-11"),
    ] {
        app.sql(&format!(
            "INSERT INTO relationship_stage (relationship_id, stage, changed_on) \
             VALUES ({id}, '{stage}', '{date}')"
        ))
        .await;
    }
    let report = app
        .get_as(
            Some(&staff),
            "/relationships/report?from=2026-01-01&to=2026-03-31",
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert!(report.body.contains("id=\"warm\">2<"), "{}", report.body);
    assert!(report.body.contains("id=\"converted\">1 (50%)<"));
    assert!(
        report.body.contains(
            "<th scope=\"row\" class=\"govuk-table__header\">Warm conversation</th>\n      \
             <td class=\"govuk-table__cell govuk-table__cell--numeric\">2</td>\n      \
             <td class=\"govuk-table__cell govuk-table__cell--numeric\">20</td>"
        ),
        "{}",
        report.body
    );
    // The API gives the same figures, for staff only; a bad parameter is named.
    let api = "/api/v1/places/camden/relationships/report";
    let reply = app
        .get_as(
            Some(&staff),
            &format!("{api}?from=2026-01-01&to=2026-03-31"),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    assert_eq!(
        (json["warm"].as_i64(), json["converted"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(json["converted_percent"], 50);
    let warm = json["median_days"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["stage"] == "warm-conversation"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        (warm["spells"].as_i64(), warm["median_days"].as_f64()),
        (Some(2), Some(20.0)),
        "{json}"
    );
    let bad = app
        .get_as(Some(&staff), &format!("{api}?quiet_days=none"))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("quiet_days"));
    assert_eq!(app.get_as(Some(&ucl), api).await.status, 403);
    assert_eq!(
        app.get_as(Some(&ucl), &format!("{api}?quiet_days=none"))
            .await
            .status,
        403
    );
    assert_eq!(app.get_as(None, api).await.status, 401);
    // A period before any of it: nothing.
    let empty = app
        .get_as(
            Some(&staff),
            "/relationships/report?from=2025-01-01&to=2025-12-31",
        )
        .await;
    assert!(empty.body.contains("id=\"warm\">0<"));

    // Both are quiet (no interaction at all); an interaction with UCL 10
    // days ago takes it off at 60 days but not at 5.
    let quiet = |body: &str, id: i64| body.contains(&format!("href=\"/relationships/{id}\""));
    assert!(quiet(&report.body, first) && quiet(&report.body, second));
    let me = app
        .account("logger@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    let logger = app.sign_in("logger@camden.example", PASSWORD).await;
    log(&app, &logger, me, "ucl", &days_before(&today(), 10)).await;
    let sixty = app.get_as(Some(&staff), "/relationships/report").await;
    assert!(!quiet(&sixty.body, first) && quiet(&sixty.body, second));
    let five = app
        .get_as(Some(&staff), "/relationships/report?quiet_days=5")
        .await;
    assert!(quiet(&five.body, first) && quiet(&five.body, second));

    // Each bad choice is named; partners and the public learn nothing.
    let bad = app
        .get_as(
            Some(&staff),
            "/relationships/report?from=2026-02-30&to=later&quiet_days=none",
        )
        .await;
    assert_eq!(bad.status, 400);
    for field in ["#from", "#to", "#quiet_days"] {
        assert!(bad.body.contains(&format!("href=\"{field}\"")), "{field}");
    }
    assert_eq!(
        app.get_as(Some(&ucl), "/relationships/report").await.status,
        403
    );
    let public = app.get_as(None, "/relationships/report").await;
    assert_ne!(public.status, 200);
}

#[tokio::test]
async fn the_coordination_note_names_another_team_and_not_the_same_team() {
    let (app, [ucl, _, _, admin]) = camden_with_accounts().await;
    let mut people = vec![];
    for (email, team) in [
        ("ana@camden.example", "Economy"),
        ("ben@camden.example", " Economy "),
        ("cat@camden.example", "Culture"),
    ] {
        let id = app.account(email, AccountRole::Staff, None, PASSWORD).await;
        // An administrator puts each in a team from the accounts page.
        let saved = app
            .post_as(
                Some(&admin),
                &format!("/admin/users/{id}/team"),
                &[("team", team)],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        people.push((id, app.sign_in(email, PASSWORD).await));
    }
    let [(ana, ana_cookie), (ben, ben_cookie), (cat, cat_cookie)] =
        <[(i64, String); 3]>::try_from(people).expect("three");
    let met = days_before(&today(), 3);

    // Ana meets UCL; her own later interaction warns her of nothing.
    let first = log(&app, &ana_cookie, ana, "ucl", &met).await;
    assert!(!first.contains("app-coordination"));
    let again = log(&app, &ana_cookie, ana, "ucl", &today()).await;
    assert!(!again.contains("app-coordination"), "not for her own");
    // Ben, in the same team, is not told.
    let same = log(&app, &ben_cookie, ben, "ucl", &today()).await;
    assert!(!same.contains("app-coordination"), "not for the same team");
    // Cat, in another team, planning a meeting next week, is told who and
    // when.
    let next_week = {
        let n = placeweave_domain::partnership_report::day_number(&today()).expect("today");
        iso_date((n + 7) * 86_400)
    };
    let other = log(&app, &cat_cookie, cat, "ucl", &next_week).await;
    assert!(other.contains("app-coordination"), "{other}");
    assert!(other.contains(&format!(
        "Test ana@camden.example (another team) on {}",
        today()
    )));
    assert!(other.contains("Test ben@camden.example (another team)"));
    // Nobody met the Roundhouse: no note.
    let fresh = log(&app, &cat_cookie, cat, "roundhouse", &today()).await;
    assert!(!fresh.contains("app-coordination"));
    // A roundtable at the Roundhouse with UCL along: told about UCL alone.
    let roundtable = log(&app, &cat_cookie, cat, "roundhouse,ucl", &today()).await;
    assert_eq!(
        roundtable
            .matches("class=\"govuk-inset-text app-coordination\"")
            .count(),
        1
    );
    assert!(
        roundtable.contains("Others in the council met University College London (UCL) recently"),
        "{roundtable}"
    );
    assert!(roundtable.contains("Test ana@camden.example (another team)"));

    // Who has been in touch: all three, with Cat's meeting to come.
    let log_page = app
        .get_as(Some(&ana_cookie), "/organisations/ucl/contacts-log")
        .await;
    assert_eq!(log_page.status, 200, "{}", log_page.body);
    for name in ["ana@", "ben@", "cat@"] {
        assert!(
            log_page
                .body
                .contains(&format!("Test {name}camden.example"))
        );
    }
    assert!(
        log_page
            .body
            .contains(&format!("<td class=\"govuk-table__cell\">{next_week}</td>"))
    );
    assert_eq!(
        app.get_as(Some(&ucl), "/organisations/ucl/contacts-log")
            .await
            .status,
        403
    );
    let missing = app
        .get_as(Some(&ana_cookie), "/organisations/nobody/contacts-log")
        .await;
    assert_eq!(missing.status, 404);
    // The same as JSON, for staff only.
    let api = "/api/v1/places/camden/organisations/ucl/contacts-log";
    let reply = app.get_as(Some(&ana_cookie), api).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    let teams: Vec<&str> = json["people"]
        .as_array()
        .map(|people| people.iter().filter_map(|p| p["team"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        teams.contains(&"Economy") && teams.contains(&"Culture"),
        "{json}"
    );
    assert_eq!(json["upcoming"][0]["date"], next_week.as_str());
    assert_eq!(app.get_as(Some(&ucl), api).await.status, 403);
    assert_eq!(
        app.get_as(
            Some(&ana_cookie),
            "/api/v1/places/camden/organisations/nobody/contacts-log"
        )
        .await
        .status,
        404
    );

    // Cat's "My work" lists the meeting to come.
    let home = app.get_as(Some(&cat_cookie), "/").await;
    assert!(home.body.contains("app-upcoming"), "{}", home.body);
    assert!(home.body.contains(&format!("</a> on {next_week}")));
}

#[tokio::test]
async fn only_an_administrator_sets_a_team_and_a_bad_one_is_named() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    let id = app
        .account("dee@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    let path = format!("/admin/users/{id}/team");
    let long = "x".repeat(81);
    let bad = app.post_as(Some(&admin), &path, &[("team", &long)]).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("govuk-error-summary") && bad.body.contains("href=\"#team\""));
    for cookie in [Some(staff.as_str()), Some(ucl.as_str()), None] {
        let refused = app
            .post_as(cookie, &path, &[("team", "Inclusive Economy Unit")])
            .await;
        assert!(
            refused.status == 403 || refused.location().starts_with("/sign-in"),
            "{}",
            refused.status
        );
    }
    let users = app.get_as(Some(&admin), "/admin/users").await.body;
    assert!(
        !users.contains("Inclusive Economy Unit"),
        "nothing was saved"
    );
    let saved = app
        .post_as(Some(&admin), &path, &[("team", "Inclusive Economy Unit")])
        .await;
    assert_eq!(saved.status, 303);
    assert!(
        app.get_as(Some(&admin), "/admin/users")
            .await
            .body
            .contains("Inclusive Economy Unit")
    );
    // A partner account has no team.
    let partner = app
        .account(
            "eve@partner.example",
            AccountRole::Partner,
            Some("ucl"),
            PASSWORD,
        )
        .await;
    let refused = app
        .post_as(
            Some(&admin),
            &format!("/admin/users/{partner}/team"),
            &[("team", "Inclusive Economy Unit")],
        )
        .await;
    assert_eq!(refused.status, 400);
    // Inviting names a bad team too, and makes no account.
    let invite = app
        .post_as(
            Some(&admin),
            "/admin/users",
            &[
                ("email", "fay@partner.example"),
                ("name", "Fay"),
                ("role", "partner"),
                ("organisation", "ucl"),
                ("team", "Inclusive Economy Unit"),
            ],
        )
        .await;
    assert_eq!(invite.status, 400);
    assert!(invite.body.contains("href=\"#team\""));
    assert!(
        !app.get_as(Some(&admin), "/admin/users")
            .await
            .body
            .contains("fay@partner.example")
    );
}
