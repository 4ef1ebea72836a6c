//! The directory's filters: every option shows how many organisations it
//! gives, and choosing it gives exactly that many, for every kind of caller
//! (so a hidden organisation is never counted); applied filters are listed,
//! each with a link that removes it.

mod common;

use common::{Body, camden_with_accounts};

/// Each `<select>`'s options as (field, value, count), from the page.
fn options(body: &str) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    for select in body.split("<select").skip(1) {
        let Some(name) = select
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        let select = select.split("</select>").next().unwrap_or_default();
        for option in select.split("<option value=\"").skip(1) {
            let value = option.split('"').next().unwrap_or_default();
            let text = option
                .split('>')
                .nth(1)
                .and_then(|t| t.split('<').next())
                .unwrap_or_default();
            if let Some(count) = text
                .rsplit_once(" (")
                .and_then(|(_, n)| n.strip_suffix(')'))
                .and_then(|n| n.parse().ok())
            {
                out.push((name.to_owned(), value.replace("&#38;", "&"), count));
            }
        }
    }
    out
}

fn total(body: &str) -> i64 {
    body.split("role=\"status\">")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(-1)
}

/// Adds an organisation through the API as `staff`.
async fn add_organisation(app: &common::TestApp, staff: &str, body: serde_json::Value) {
    let added = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            "/api/v1/places/camden/organisations",
            Some(staff),
            Body::Json(&body),
        )
        .await;
    assert!(added.status < 300, "{}", added.body);
}

#[tokio::test]
async fn every_option_count_equals_its_results_for_every_caller() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    // A staff-only organisation that public and partners must not count.
    let hidden = app
        .send_to(
            &app.base,
            reqwest::Method::POST,
            "/api/v1/places/camden/organisations",
            Some(&staff),
            Body::Json(&serde_json::json!({
                "name": "Unannounced Faith Forum",
                "kind": "faith-group",
                "audience": "staff",
                "wards": ["Haverstock"],
                "levers": ["funding"],
            })),
        )
        .await;
    assert!(
        hidden.status == 200 || hidden.status == 201,
        "{}",
        hidden.body
    );
    let mut faith = Vec::new();
    for cookie in [
        None,
        Some(ucl.as_str()),
        Some(staff.as_str()),
        Some(admin.as_str()),
    ] {
        for start in ["/organisations", "/organisations?lever=funding"] {
            let page = app.get_as(cookie, start).await;
            assert_eq!(page.status, 200);
            let options = options(&page.body);
            assert!(options.len() >= 5, "{start}: {options:?}");
            if start == "/organisations" {
                faith.push(
                    options
                        .iter()
                        .find(|(f, v, _)| f == "kind" && v == "faith-group")
                        .map_or(0, |(_, _, n)| *n),
                );
            }
            for (field, value, count) in options {
                assert!(count > 0, "{field}={value} is offered with no results");
                let mut url = url::form_urlencoded::Serializer::new(String::new());
                for pair in start
                    .split_once('?')
                    .map(|(_, q)| q)
                    .unwrap_or_default()
                    .split('&')
                {
                    if let Some((k, v)) = pair.split_once('=')
                        && k != field
                    {
                        url.append_pair(k, v);
                    }
                }
                url.append_pair(&field, &value);
                let path = format!("/organisations?{}", url.finish());
                let chosen = app.get_as(cookie, &path).await;
                assert_eq!(total(&chosen.body), count, "{path} as {cookie:?}");
            }
        }
    }
    // The hidden faith group counts for staff and admins only.
    assert_eq!(faith.len(), 4);
    assert_eq!(faith[0], faith[1], "public and partners count the same");
    assert_eq!(faith[2], faith[0] + 1, "staff count the hidden one");
    assert_eq!(faith[3], faith[2]);
}

#[tokio::test]
async fn applied_filters_are_listed_and_each_can_be_removed() {
    let (app, _) = camden_with_accounts().await;
    let page = app
        .get_as(None, "/organisations?kind=university&lever=funding&q=coll")
        .await;
    assert!(page.body.contains("Filters applied"));
    assert!(page.body.contains("(3 applied)"));
    for (text, href) in [
        (
            "Kind of organisation: University",
            "/organisations?lever=funding&#38;q=coll",
        ),
        (
            "Lever: Funding and sponsorship",
            "/organisations?kind=university&#38;q=coll",
        ),
        (
            "Name contains: coll",
            "/organisations?kind=university&#38;lever=funding",
        ),
    ] {
        let link = format!(
            r#"<a class="govuk-link" href="{href}">Remove<span class="govuk-visually-hidden"> filter</span> “{text}”</a>"#
        );
        assert!(page.body.contains(&link), "{link}\n{}", page.body);
    }
    let none = app.get_as(None, "/organisations").await;
    assert!(!none.body.contains("Filters applied"));
}

/// Every organisation id in the API's list, walked by `page` or by `after`.
async fn walk(app: &common::TestApp, cookie: Option<&str>, by_after: bool) -> Vec<String> {
    let mut ids = Vec::new();
    let mut page = 1;
    let mut after: Option<String> = None;
    for _ in 0..100 {
        let path = match (&after, by_after) {
            (Some(after), true) => {
                format!("/api/v1/places/camden/organisations?per_page=3&after={after}")
            }
            _ => format!("/api/v1/places/camden/organisations?per_page=3&page={page}"),
        };
        let reply = app
            .send_to(&app.base, reqwest::Method::GET, &path, cookie, Body::None)
            .await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        let items = body["items"].as_array().expect("items");
        ids.extend(
            items
                .iter()
                .map(|i| i["id"].as_str().unwrap_or_default().to_owned()),
        );
        match body["next"].as_str() {
            Some(next) => {
                assert_eq!(Some(next), items.last().and_then(|i| i["id"].as_str()));
                after = Some(next.to_owned());
                page += 1;
            }
            None => return ids,
        }
    }
    panic!("the walk did not end");
}

#[tokio::test]
async fn keyset_pages_walk_the_same_list_as_numbered_pages() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    for cookie in [None, Some(staff.as_str())] {
        let numbered = walk(&app, cookie, false).await;
        let keyset = walk(&app, cookie, true).await;
        assert!(numbered.len() > 6, "{numbered:?}");
        assert_eq!(numbered, keyset, "{cookie:?}");
    }
    // A starting point the caller cannot see answers as a missing one.
    add_organisation(
        &app,
        &staff,
        serde_json::json!({"name": "Keyset Secret", "kind": "other", "audience": "staff"}),
    )
    .await;
    for after in ["keyset-secret", "no-such-organisation"] {
        let (status, problem) = app
            .json(&format!(
                "/api/v1/places/camden/organisations?after={after}"
            ))
            .await;
        // Like any reference to a record that is not there for the caller.
        assert_eq!(status, 409, "{after}");
        assert_eq!(problem["errors"][0]["field"], "after", "{after}: {problem}");
    }
    let (_, after) = app
        .json("/api/v1/places/camden/organisations?after=ucl&page=2")
        .await;
    let (_, alone) = app
        .json("/api/v1/places/camden/organisations?after=ucl")
        .await;
    assert_eq!(after["items"], alone["items"], "page is ignored with after");
}
