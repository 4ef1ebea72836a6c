//! The site search as its users reach it: the box in every page's header,
//! the results page, and the API; the index following every edit.

mod common;

use common::{Body, camden_with_accounts};

#[tokio::test]
async fn every_page_has_the_search_box_and_it_finds_organisations() {
    let (app, _) = camden_with_accounts().await;
    let home = app.get_as(None, "/").await;
    assert!(
        home.body.contains(r#"action="/search""#) && home.body.contains(r#"role="search""#),
        "the header holds a search form"
    );
    let found = app.get_as(None, "/search?q=univ+coll").await;
    assert_eq!(found.status, 200);
    assert!(
        found.body.contains(r#"href="/organisations/ucl""#),
        "prefixes of two words find UCL"
    );
    assert!(found.body.contains("<mark>"), "matched words are marked");
    assert!(
        !found.body.contains(r#"id="header-search""#),
        "the search page has one search box, not two"
    );
    let nothing = app.get_as(None, "/search?q=xylophonequartet").await;
    assert_eq!(nothing.status, 200);
    assert!(nothing.body.contains("There are no matching results"));
    let empty = app.get_as(None, "/search").await;
    assert_eq!(empty.status, 200);
    assert!(!empty.body.contains("results for"));
}

#[tokio::test]
async fn counts_by_kind_narrow_the_results_and_bad_values_are_named() {
    let (app, _) = camden_with_accounts().await;
    let (_, all) = app.json("/api/v1/places/camden/search?q=camden").await;
    let total = all["total"].as_i64().expect("total");
    let counts = all["counts"].as_array().expect("counts");
    assert!(counts.len() >= 2, "Camden names several kinds: {counts:?}");
    let sum: i64 = counts
        .iter()
        .map(|c| c["count"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(sum, total, "the counts add up to the total");
    for count in counts {
        let kind = count["kind"].as_str().expect("kind");
        let (status, narrowed) = app
            .json(&format!(
                "/api/v1/places/camden/search?q=camden&kind={kind}&per_page=100"
            ))
            .await;
        assert_eq!(status, 200);
        assert_eq!(narrowed["total"], count["count"], "{kind}");
        let items = narrowed["items"].as_array().expect("items");
        assert_eq!(items.len() as i64, count["count"].as_i64().unwrap_or(-1));
        assert!(items.iter().all(|i| i["kind"] == kind));
        let page = app
            .get_as(None, &format!("/search?q=camden&kind={kind}"))
            .await;
        assert!(page.body.contains(&format!(
            "{} result{} for",
            count["count"],
            if count["count"] == 1 { "" } else { "s" }
        )));
    }

    let bad = app.get_as(None, "/search?q=camden&kind=planets").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("govuk-error-summary") && bad.body.contains("#kind"));
    for query in [
        "kind=contact&q=ucl",
        "kind=planets&q=ucl",
        "per_page=0&q=ucl",
    ] {
        let (status, problem) = app
            .json(&format!("/api/v1/places/camden/search?{query}"))
            .await;
        assert_eq!(status, 400, "{query}");
        assert!(problem["errors"].is_array(), "{query}: {problem}");
    }
    let (status, none) = app.json("/api/v1/places/camden/search?q=%2A%2A%2A").await;
    assert_eq!(status, 200);
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn staff_find_contacts_by_name_on_pages_only_and_the_view_is_logged() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    let added = app
        .post_as(
            Some(&staff),
            "/organisations/ucl/contacts",
            &[
                ("name", "Ottoline Searchable"),
                ("job_title", "Partnerships lead"),
                ("email", "ottoline@ucl.example"),
                ("lawful_basis", "legitimate-interests"),
                ("retention", "active-partnership"),
            ],
        )
        .await;
    assert_eq!(added.status, 303);
    let seen = app.get_as(Some(&staff), "/search?q=ottoline").await;
    assert!(seen.body.contains("<mark>Ottoline</mark> Searchable"));
    assert!(seen.body.contains(r#"href="/organisations/ucl/contacts""#));
    assert!(
        !seen.body.contains("ottoline@ucl.example"),
        "contact details are never in results"
    );
    for cookie in [None, Some(ucl.as_str())] {
        let page = app.get_as(cookie, "/search?q=ottoline").await;
        assert!(page.body.contains("0 results"), "{cookie:?}");
        assert!(!page.body.contains("Searchable"));
    }
    let api = app
        .send_to(
            &app.base,
            reqwest::Method::GET,
            "/api/v1/places/camden/search?q=ottoline",
            Some(&staff),
            Body::None,
        )
        .await;
    assert_eq!(api.status, 200);
    assert!(
        !api.body.contains("Ottoline"),
        "the API serves no contacts: {}",
        api.body
    );
    let audit = app
        .get_as(Some(&admin), "/admin/audit?action=view-contacts")
        .await;
    assert!(audit.body.contains("search"), "the search's view is logged");
}

#[tokio::test]
async fn the_index_follows_edits_and_audience_changes() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let put = |body: serde_json::Value| {
        let app = &app;
        let staff = staff.clone();
        async move {
            let (_, current) = app.json("/api/v1/places/camden/organisations/ucl").await;
            let mut body = body;
            body["version"] = current["version"].clone();
            app.send_to(
                &app.base,
                reqwest::Method::PUT,
                "/api/v1/places/camden/organisations/ucl",
                Some(&staff),
                Body::Json(&body),
            )
            .await
        }
    };
    let renamed = put(serde_json::json!({"name": "Quillfeather Institute"})).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let (_, found) = app
        .json("/api/v1/places/camden/search?q=quillfeather")
        .await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["id"], "ucl");
    let (_, old) = app
        .json("/api/v1/places/camden/search?q=university+college")
        .await;
    assert!(
        old["items"]
            .as_array()
            .is_some_and(|items| items.iter().all(|i| i["id"] != "ucl")),
        "the old name no longer finds it"
    );
    // Made staff-only: gone for the public, and not counted either.
    let hidden = put(serde_json::json!({"audience": "staff"})).await;
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    let (_, public) = app
        .json("/api/v1/places/camden/search?q=quillfeather")
        .await;
    assert_eq!(public["total"], 0);
    assert_eq!(public["counts"], serde_json::json!([]));
    let page = app.get_as(None, "/search?q=quillfeather").await;
    assert!(page.body.contains("0 results") && !page.body.contains("/organisations/ucl\""));
    let as_staff = app.get_as(Some(&staff), "/search?q=quillfeather").await;
    assert!(as_staff.body.contains(r#"href="/organisations/ucl""#));
    // The directory's name search uses the same index.
    let directory = app.get_as(Some(&staff), "/organisations?q=quillf").await;
    assert!(directory.body.contains(r#"href="/organisations/ucl""#));
    let public_directory = app.get_as(None, "/organisations?q=quillf").await;
    assert!(public_directory.body.contains("0 organisations"));
}
