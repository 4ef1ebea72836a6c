//! Contributions over HTTP: roll-ups on a hand-checked fixture (units that
//! must not be added never are), a partner logs only for its own
//! organisation (another's answers as missing), every bad field is named,
//! a staff-only contribution is neither shown nor counted for the public,
//! and the impact and mission pages show the totals.

mod common;

use common::{Body, camden_with_accounts, version_of};
use serde_json::{Value, json};

const API: &str = "/api/v1/places/camden/contributions";

/// Logs a contribution through the API as `cookie`; returns its id.
async fn log(app: &common::TestApp, cookie: &str, body: Value) -> i64 {
    let reply = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            API,
            Some(cookie),
            Body::Json(&body),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let created: Value = serde_json::from_str(&reply.body).expect("json");
    created["id"].as_i64().expect("id")
}

fn contribution(
    organisation: &str,
    measure: &str,
    quantity: i64,
    year: i32,
    extra: Value,
) -> Value {
    let mut body = json!({
        "organisation": organisation,
        "mission": "youth-opportunity",
        "measure": measure,
        "quantity": quantity,
        "start_date": format!("{year}-01-01"),
        "end_date": format!("{year}-06-30"),
        "audience": "public",
    });
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    body
}

/// The totals as (group, measure, unit, total, contributions), in order.
async fn totals(
    app: &common::TestApp,
    cookie: Option<&str>,
    query: &str,
) -> Vec<(String, String, String, i64, i64)> {
    let reply = app
        .get_as(
            cookie,
            &format!("/api/v1/places/camden/contribution-totals?{query}"),
        )
        .await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    let lines: Vec<Value> = serde_json::from_str(&reply.body).expect("json");
    lines
        .iter()
        .map(|l| {
            (
                l["group"].as_str().unwrap_or_default().to_owned(),
                l["measure"].as_str().unwrap_or_default().to_owned(),
                l["unit"].as_str().unwrap_or_default().to_owned(),
                l["total"].as_i64().unwrap_or(-1),
                l["contributions"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

fn line(
    group: &str,
    measure: &str,
    unit: &str,
    total: i64,
    n: i64,
) -> (String, String, String, i64, i64) {
    (group.into(), measure.into(), unit.into(), total, n)
}

#[tokio::test]
async fn roll_ups_total_each_measure_in_its_own_unit() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    // The fixture, in 2019 and 2020 (years no demonstration record uses).
    for body in [
        contribution("ucl", "volunteering-hours", 10, 2019, json!({})),
        contribution("ucl", "volunteering-hours", 15, 2020, json!({})),
        contribution(
            "ucl",
            "people-involved",
            7,
            2020,
            json!({"ward": "Kentish Town"}),
        ),
        contribution(
            "ucl",
            "sponsorship",
            1000,
            2020,
            json!({"ward": "Kentish Town"}),
        ),
        contribution("ucl", "in-kind", 250, 2020, json!({})),
        // "Other" in hours is still not volunteering hours.
        contribution("ucl", "other", 3, 2020, json!({"unit": "hours"})),
        contribution(
            "roundhouse",
            "people-involved",
            5,
            2020,
            json!({"theme": "health"}),
        ),
        contribution("roundhouse", "sponsorship", 500, 2020, json!({})),
        // Staff only: counted for staff, never for the public.
        contribution(
            "roundhouse",
            "people-involved",
            100,
            2020,
            json!({"audience": "staff"}),
        ),
    ] {
        log(&app, &staff, body).await;
    }

    let public_2020 = totals(&app, None, "by=mission&year=2020").await;
    assert_eq!(
        public_2020,
        [
            line("youth-opportunity", "people-involved", "count", 12, 2),
            line("youth-opportunity", "volunteering-hours", "hours", 15, 1),
            line("youth-opportunity", "sponsorship", "gbp", 1500, 2),
            line("youth-opportunity", "in-kind", "gbp", 250, 1),
            line("youth-opportunity", "other", "hours", 3, 1),
        ]
    );
    let staff_2020 = totals(&app, Some(&staff), "by=mission&year=2020").await;
    assert_eq!(
        staff_2020[0],
        line("youth-opportunity", "people-involved", "count", 112, 3)
    );

    let by_partner = totals(&app, None, "by=organisation&year=2020").await;
    assert_eq!(
        by_partner,
        [
            line("roundhouse", "people-involved", "count", 5, 1),
            line("roundhouse", "sponsorship", "gbp", 500, 1),
            line("ucl", "people-involved", "count", 7, 1),
            line("ucl", "volunteering-hours", "hours", 15, 1),
            line("ucl", "sponsorship", "gbp", 1000, 1),
            line("ucl", "in-kind", "gbp", 250, 1),
            line("ucl", "other", "hours", 3, 1),
        ]
    );
    let by_ward = totals(&app, None, "by=ward&year=2020").await;
    assert_eq!(
        by_ward,
        [
            line("Kentish Town", "people-involved", "count", 7, 1),
            line("Kentish Town", "sponsorship", "gbp", 1000, 1),
            line("", "people-involved", "count", 5, 1),
            line("", "volunteering-hours", "hours", 15, 1),
            line("", "sponsorship", "gbp", 500, 1),
            line("", "in-kind", "gbp", 250, 1),
            line("", "other", "hours", 3, 1),
        ]
    );
    let by_theme = totals(&app, None, "by=theme&year=2020&measure=people-involved").await;
    assert_eq!(
        by_theme,
        [
            line("health", "people-involved", "count", 5, 1),
            line("", "people-involved", "count", 7, 1),
        ]
    );
    let by_year = totals(
        &app,
        None,
        "by=year&organisation=ucl&measure=volunteering-hours",
    )
    .await;
    assert!(by_year.contains(&line("2020", "volunteering-hours", "hours", 15, 1)));
    assert!(by_year.contains(&line("2019", "volunteering-hours", "hours", 10, 1)));

    // The list page shows the same totals, and never one figure for money.
    let page = app.get("/contributions?year=2020&by=mission").await;
    assert_eq!(page.0, 200);
    assert!(
        page.2.contains("£1,500") && page.2.contains("£250"),
        "{}",
        page.2
    );
    assert!(
        !page.2.contains("£1,750"),
        "sponsorship and in-kind are never summed"
    );
    assert!(page.2.contains("15 hours") && page.2.contains("3 hours"));
    assert!(
        !page.2.contains("18 hours"),
        "other hours are not volunteering hours"
    );
    // Ids are drawn at random: a link's may hold any digits.
    let text: String = page
        .2
        .split("/contributions/")
        .enumerate()
        .map(|(i, piece)| {
            if i == 0 {
                piece
            } else {
                piece.trim_start_matches(|c: char| c.is_ascii_digit())
            }
        })
        .collect();
    assert!(
        !text.contains("112"),
        "a staff-only contribution is not counted for the public"
    );

    // Bad filters are named.
    let bad = app
        .get_as(
            None,
            "/api/v1/places/camden/contribution-totals?by=colour&year=20x0&measure=smiles",
        )
        .await;
    assert_eq!(bad.status, 400);
    for field in ["by", "year", "measure"] {
        assert!(
            bad.body.contains(&format!("\"{field}\"")),
            "{field}: {}",
            bad.body
        );
    }
    assert_eq!(
        app.get("/contributions?year=2020&mission=Not%20A%20Slug")
            .await
            .0,
        400
    );
}

#[tokio::test]
async fn a_partner_logs_only_for_its_own_organisation() {
    let (app, [ucl, roundhouse, staff, _]) = camden_with_accounts().await;
    let before = app
        .get_as(Some(&staff), &format!("{API}?per_page=100"))
        .await;
    let count = |body: &str| serde_json::from_str::<Value>(body).expect("json")["total"].as_i64();
    let total_before = count(&before.body);

    // Another organisation is answered as missing, and nothing is written.
    let other = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            API,
            Some(&ucl),
            Body::Json(&contribution(
                "roundhouse",
                "people-involved",
                4,
                2021,
                json!({}),
            )),
        )
        .await;
    assert_eq!(other.status, 409, "{}", other.body);
    assert!(other.body.contains("organisation") && other.body.contains("There is no"));
    let form = app
        .post_as(
            Some(&ucl),
            "/contributions/new",
            &[
                ("organisation", "roundhouse"),
                ("mission", "youth-opportunity"),
                ("measure", "people-involved"),
                ("quantity", "4"),
                ("start_date-day", "1"),
                ("start_date-month", "1"),
                ("start_date-year", "2021"),
                ("end_date-day", "31"),
                ("end_date-month", "1"),
                ("end_date-year", "2021"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(form.status, 400, "{}", form.body);
    assert!(form.body.contains("href=\"#organisation\""));
    let after = app
        .get_as(Some(&staff), &format!("{API}?per_page=100"))
        .await;
    assert_eq!(count(&after.body), total_before, "nothing was written");

    // Its own: logged from the form, and its own only is offered.
    let new = app.get_as(Some(&ucl), "/contributions/new").await;
    assert_eq!(new.status, 200);
    assert!(new.body.contains("value=\"ucl\"") && !new.body.contains("value=\"roundhouse\""));
    let saved = app
        .post_as(
            Some(&ucl),
            "/contributions/new",
            &[
                ("organisation", "ucl"),
                ("mission", "youth-opportunity"),
                ("measure", "work-placements"),
                ("quantity", "6"),
                ("unit", ""),
                ("start_date-day", "1"),
                ("start_date-month", "1"),
                ("start_date-year", "2021"),
                ("end_date-day", "31"),
                ("end_date-month", "3"),
                ("end_date-year", "2021"),
                ("description", "Summer placements for Year 12 students"),
                ("theme", ""),
                ("ward", ""),
                ("evidence_url", ""),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let location = saved.location();
    let id: i64 = location
        .trim_start_matches("/contributions/")
        .split('?')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the contribution: {location}"));
    let page = app.get(&format!("/contributions/{id}")).await;
    assert_eq!(page.0, 200);
    assert!(page.2.contains("Summer placements") && page.2.contains("Work placements"));

    // The other partner cannot change it: it is missing to them.
    let url = format!("{API}/{id}");
    let theirs = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&roundhouse),
            Body::Json(&json!({"version": 1, "quantity": 60})),
        )
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
    let edit = app
        .get_as(Some(&roundhouse), &format!("/contributions/{id}/edit"))
        .await;
    assert_eq!(edit.status, 404);
    // Nor may the owner move it to another organisation.
    let moved = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&ucl),
            Body::Json(&json!({"version": 1, "organisation": "roundhouse"})),
        )
        .await;
    assert_eq!(moved.status, 409, "{}", moved.body);
    // The owner changes it; a stale version is refused.
    let edit = app
        .get_as(Some(&ucl), &format!("/contributions/{id}/edit"))
        .await;
    assert_eq!(edit.status, 200);
    assert_eq!(version_of(&edit.body), "1");
    let changed = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&ucl),
            Body::Json(&json!({"version": 1, "quantity": 8})),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let stale = app
        .send_to(
            &app.base,
            reqwest::Method::PUT,
            &url,
            Some(&ucl),
            Body::Json(&json!({"version": 1, "quantity": 9})),
        )
        .await;
    assert_eq!(stale.status, 409);

    // The public may not log at all.
    let public = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            API,
            None,
            Body::Json(&contribution("ucl", "people-involved", 1, 2021, json!({}))),
        )
        .await;
    assert_eq!(public.status, 401);

    // Its impact page shows it, with its commitments.
    let impact = app.get("/organisations/ucl/impact").await;
    assert_eq!(impact.0, 200);
    assert!(impact.2.contains("Work placements") && impact.2.contains("Committed"));
}

#[tokio::test]
async fn every_bad_field_is_named() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let reply = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            API,
            Some(&staff),
            Body::Json(&json!({
                "organisation": "ucl",
                "mission": "no-such-mission",
                "measure": "volunteering-hours",
                "unit": "gbp",
                "quantity": 5,
                "start_date": "2026-05-01",
                "end_date": "2026-04-01",
                "evidence_url": "https://example.org/report",
                "audience": "public",
            })),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert!(reply.body.contains("\"unit\"") && reply.body.contains("\"end_date\""));
    let unknown = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            API,
            Some(&staff),
            Body::Json(&contribution(
                "ucl",
                "people-involved",
                1,
                2021,
                json!({"mission": "no-such-mission"}),
            )),
        )
        .await;
    assert_eq!(unknown.status, 409, "{}", unknown.body);
    assert!(unknown.body.contains("\"mission\""));
    let link = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            API,
            Some(&staff),
            Body::Json(&contribution(
                "ucl",
                "people-involved",
                1,
                2021,
                json!({"evidence_url": "javascript:alert(1)"}),
            )),
        )
        .await;
    assert_eq!(link.status, 400);
    assert!(link.body.contains("evidence_url"));
    let form = app
        .post_as(
            Some(&staff),
            "/contributions/new",
            &[
                ("organisation", "ucl"),
                ("quantity", "lots"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(form.status, 400);
    for field in ["mission", "measure", "quantity", "start_date", "end_date"] {
        assert!(form.body.contains(&format!("href=\"#{field}")), "{field}");
    }
}

#[tokio::test]
async fn the_mission_page_compares_this_year_with_last() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let today = placeweave_domain::date::iso_date(placeweave_app::now());
    let year: i32 = today[..4].parse().expect("year");
    let mission = "/missions/youth-opportunity";
    let before = app.get(mission).await.2;
    log(
        &app,
        &staff,
        contribution("ucl", "other", 123_457, year, json!({"unit": "count"})),
    )
    .await;
    log(
        &app,
        &staff,
        contribution("ucl", "other", 98_766, year - 1, json!({"unit": "count"})),
    )
    .await;
    let page = app.get(mission).await;
    assert_eq!(page.0, 200);
    assert!(!before.contains("123,457"));
    assert!(
        page.2.contains("123,457") && page.2.contains("98,766"),
        "{}",
        page.2
    );
    assert!(
        page.2
            .contains(&format!("Contributions in {year} against {}", year - 1))
    );
}

/// Filters the OpenAPI document forbids are refused by name, and a ward
/// with a control character is named for that, not for its length.
#[tokio::test]
async fn bad_api_filters_are_named() {
    let app = common::camden().await;
    for path in [
        "/api/v1/places/camden/contributions?theme=",
        "/api/v1/places/camden/contribution-totals?by=year&theme=",
    ] {
        let (status, problem) = app.json(path).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(problem["errors"][0]["field"], "theme", "{path}: {problem}");
    }
    let (status, problem) = app
        .json("/api/v1/places/camden/contribution-totals?ward=Kilburn%C2%97")
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        problem["errors"][0]["message"],
        "Enter a ward name without control characters"
    );
    let (status, _) = app
        .json("/api/v1/places/camden/contributions?ward=%20")
        .await;
    assert_eq!(status, 200, "a blank ward is no filter");
}

/// The ids of the contributions a list page links to, in order.
fn listed_ids(body: &str) -> Vec<i64> {
    body.split("href=\"/contributions/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

/// The list page counts its contributions from its totals (every
/// contribution is in one line of them) rather than counting them again:
/// its count and its rows are the API list's, for every role, filter,
/// roll-up and page.
#[tokio::test]
async fn the_list_page_counts_and_lists_what_the_api_does() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    for n in 0..25 {
        let extra = match n % 3 {
            0 => json!({"ward": "Kentish Town"}),
            1 => json!({"theme": "health", "audience": "staff"}),
            _ => json!({}),
        };
        let organisation = if n % 2 == 0 { "ucl" } else { "roundhouse" };
        let measure = if n % 4 == 0 {
            "sponsorship"
        } else {
            "people-involved"
        };
        log(
            &app,
            &staff,
            contribution(organisation, measure, n + 1, 2018 + n as i32 % 3, extra),
        )
        .await;
    }
    let filters = [
        "",
        "by=theme",
        "by=ward&year=2019",
        "by=organisation&organisation=ucl",
        "by=year&measure=people-involved",
        "mission=youth-opportunity&theme=health",
    ];
    for cookie in [
        None,
        Some(ucl.as_str()),
        Some(staff.as_str()),
        Some(admin.as_str()),
    ] {
        for filter in filters {
            let api_filter: Vec<&str> = filter
                .split('&')
                .filter(|p| !p.starts_with("by="))
                .collect();
            let api_filter = api_filter.join("&");
            for page in [1, 2] {
                let api = app
                    .get_as(cookie, &format!("{API}?{api_filter}&page={page}"))
                    .await;
                let listed = app
                    .get_as(cookie, &format!("/contributions?{filter}&page={page}"))
                    .await;
                assert_eq!(api.status, 200, "{filter}: {}", api.body);
                let api: Value = serde_json::from_str(&api.body).expect("json");
                let total = api["total"].as_i64().expect("total");
                if page > 1 && total <= 20 {
                    // Past the last page: a list page that is not there.
                    continue;
                }
                let ids: Vec<i64> = api["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .filter_map(|item| item["id"].as_i64())
                    .collect();
                assert_eq!(listed.status, 200, "{filter}: {}", listed.body);
                let plural = if total == 1 { "" } else { "s" };
                // An empty list says so in words, with no count.
                assert!(
                    total == 0
                        || listed
                            .body
                            .contains(&format!(">{total} contribution{plural}")),
                    "{filter} page {page}: the API counts {total}"
                );
                assert_eq!(listed_ids(&listed.body), ids, "{filter} page {page}");
            }
        }
    }
}

#[tokio::test]
async fn ids_do_not_count_the_records_a_reader_cannot_see() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    let first = log(
        &app,
        &ucl,
        contribution("ucl", "in-kind", 10, 2021, json!({})),
    )
    .await;
    // Three the partner may not see, logged between its own two.
    for _ in 0..3 {
        log(
            &app,
            &staff,
            contribution(
                "roundhouse",
                "in-kind",
                5,
                2021,
                json!({"audience": "staff"}),
            ),
        )
        .await;
    }
    let second = log(
        &app,
        &ucl,
        contribution("ucl", "in-kind", 20, 2021, json!({})),
    )
    .await;
    // Sequential ids jumped by four: one of the partner's, three hidden.
    assert_ne!(second - first, 4, "ids {first} then {second}");
    for id in [first, second] {
        assert!(
            (1 << 32..1 << 53).contains(&id),
            "{id} is not drawn at random"
        );
    }
}
