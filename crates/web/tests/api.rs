//! The JSON API and its OpenAPI document, over HTTP.

mod common;

use common::camden;
use serde_json::Value;

#[tokio::test]
async fn openapi_document_is_3_1_and_describes_every_route() {
    let app = camden().await;
    let (status, doc) = app.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.1")
    );
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 12, "{} paths", paths.len());

    // Every documented route answers 200 with JSON when given real ids.
    let ids = [
        ("{place}", "camden"),
        ("{organisation}", "ucl"),
        ("{mission}", "youth-opportunity"),
        ("{role}", "sponsorship"),
        ("{initiative}", "ai-campus"),
    ];
    for (path, item) in paths {
        if item.get("get").is_none() {
            assert!(item.get("put").is_some(), "{path} has neither GET nor PUT");
            continue;
        }
        let mut url = path.clone();
        for (param, value) in ids {
            url = url.replace(param, value);
        }
        assert!(!url.contains('{'), "no demo value for {path}");
        let (status, body) = app.json(&url).await;
        assert_eq!(status, 200, "{url}: {body}");
        // Responses documented for 404 answer with a problem document.
        if item["get"]["responses"].get("404").is_some() && path.contains("{place}") {
            let missing = url.replacen("camden", "no-such-place", 1);
            let (status, problem) = app.json(&missing).await;
            assert_eq!(status, 404, "{missing}");
            assert_eq!(problem["status"], 404);
        }
    }
}

#[tokio::test]
async fn organisations_list_filters_and_pages() {
    let app = camden().await;
    let (status, page) = app
        .json("/api/v1/places/camden/organisations?kind=university")
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 3);
    let (_, page) = app
        .json("/api/v1/places/camden/organisations?per_page=4&page=4")
        .await;
    assert_eq!(page["pages"], 4);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(4));
    let (_, page) = app
        .json("/api/v1/places/camden/organisations?mission=youth-opportunity")
        .await;
    let ids: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert!(ids.contains(&"google"), "{ids:?}");
}

#[tokio::test]
async fn bad_input_gets_a_problem_document_naming_fields() {
    let app = camden().await;
    let response = app
        .client
        .get(format!(
            "{}/api/v1/places/camden/organisations?kind=spaceship&per_page=0",
            app.base
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["status"], 400);
    assert_eq!(problem["title"], "Bad Request");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["kind", "per_page"]);

    let (status, problem) = app
        .json("/api/v1/places/camden/commitments?mission=Not%20A%20Slug")
        .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["field"], "mission");

    let (status, problem) = app.json("/api/v1/places/camden/initiatives?page=abc").await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["field"], "page");

    let (status, problem) = app.json("/api/v1/no/such/route").await;
    assert_eq!(status, 404);
    assert_eq!(problem["type"], "about:blank");
}

#[tokio::test]
async fn resources_carry_the_published_facts() {
    let app = camden().await;
    let (_, roles) = app.json("/api/v1/places/camden/roles").await;
    let names: Vec<&str> = roles
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Recognition of action",
            "Advocate/ champion",
            "Sponsorship",
            "Research, learning & evaluation"
        ]
    );
    let (_, mission) = app.json("/api/v1/places/camden/missions/eat-well").await;
    assert_eq!(mission["target_year"], 2030);
    let (_, kit) = app
        .json("/api/v1/places/camden/initiatives/we-make-camden-kit")
        .await;
    assert!(
        kit["description"]
            .as_str()
            .unwrap_or_default()
            .contains("more than 300 projects")
    );
    assert_eq!(kit["missions"].as_array().map(Vec::len), Some(4));
    let (_, place) = app.json("/api/v1/places/camden").await;
    assert_eq!(place["headline"]["missions"], 4);
    let (_, commitments) = app
        .json("/api/v1/places/camden/commitments?organisation=arsenal-fc")
        .await;
    assert_eq!(commitments["total"], 1);
    assert_eq!(commitments["items"][0]["demonstration"], true);
}
