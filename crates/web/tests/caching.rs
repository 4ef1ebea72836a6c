//! Conditional requests: anonymous readers get 304 while a page is
//! unchanged and the new page after a write; a hidden write leaves no
//! trace; signed-in pages never get a validator.

mod common;

use common::*;

async fn get_if_none_match(app: &TestApp, path: &str, tag: &str) -> (u16, String, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("if-none-match", tag)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, etag, response.text().await.expect("body"))
}

async fn create_mission(app: &TestApp, staff: &str, name: &str, audience: &str) {
    let body = serde_json::json!({
        "short_name": name,
        "statement": format!("{name}: a statement."),
        "audience": audience,
    });
    let response = app
        .client
        .post(format!("{}/api/v1/places/camden/missions", app.base))
        .header("origin", app.base.clone())
        .header("cookie", staff)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200, "{name}");
}

#[tokio::test]
async fn unchanged_pages_answer_304_until_a_visible_write() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    for path in ["/missions", "/api/v1/places/camden/missions"] {
        let first = app.get_as(None, path).await;
        assert_eq!(first.status, 200, "{path}");
        let tag = first.header("etag");
        assert!(tag.starts_with("W/\""), "{path}: {tag}");
        assert_eq!(first.header("cache-control"), "public, no-cache");
        assert!(first.header("vary").to_lowercase().contains("cookie"));

        let (status, etag, body) = get_if_none_match(&app, path, &tag).await;
        assert_eq!(
            (status, etag.as_str(), body.as_str()),
            (304, tag.as_str(), "")
        );
        let (status, _, _) = get_if_none_match(&app, path, "W/\"something-else\"").await;
        assert_eq!(status, 200);
    }

    let page = app.get_as(None, "/missions").await;
    let tag = page.header("etag");
    // A record the public cannot see changes nothing they can observe.
    create_mission(&app, &staff, "Caching staff canary", "staff").await;
    let (status, _, _) = get_if_none_match(&app, "/missions", &tag).await;
    assert_eq!(status, 304, "a hidden write must leave no trace");

    create_mission(&app, &staff, "Caching public mission", "public").await;
    let (status, etag, body) = get_if_none_match(&app, "/missions", &tag).await;
    assert_eq!(status, 200);
    assert_ne!(etag, tag);
    assert!(body.contains("Caching public mission"));
    assert!(!body.contains("Caching staff canary"));
}

#[tokio::test]
async fn signed_in_pages_get_no_validator_and_no_304() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let anonymous = app.get_as(None, "/missions").await;
    let tag = anonymous.header("etag");
    let signed_in = app.get_as(Some(&staff), "/missions").await;
    assert_eq!(signed_in.status, 200);
    assert_eq!(signed_in.header("etag"), "");
    assert_eq!(signed_in.header("cache-control"), "no-store");
    let response = app
        .client
        .get(format!("{}/missions", app.base))
        .header("cookie", &staff)
        .header("if-none-match", &tag)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 200);
    // The health check is always answered afresh.
    let health = app.get_as(None, "/healthz").await;
    assert_eq!(health.header("etag"), "");
}

#[tokio::test]
async fn kept_anonymous_answers_are_the_same_bytes_until_a_write_and_per_host() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let first = app.get_as(None, "/organisations?kind=university").await;
    let again = app.get_as(None, "/organisations?kind=university").await;
    assert_eq!(first.body, again.body);
    assert_eq!(first.header("etag"), again.header("etag"));
    assert_eq!(again.header("content-type"), first.header("content-type"));
    // A kept answer is still answered 304 when the reader has it.
    let (status, _, _) = get_if_none_match(
        &app,
        "/organisations?kind=university",
        &first.header("etag"),
    )
    .await;
    assert_eq!(status, 304);
    // Another address is its own answer.
    let other = app.get_as(None, "/organisations?kind=cultural").await;
    assert_ne!(other.body, first.body);
    // The sitemap writes out the host it was asked at: never another's.
    let sitemap = |host: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(format!("{}/sitemap.xml", app.base))
                .header("host", host)
                .send()
                .await
                .expect("request")
                .text()
                .await
                .expect("body")
        }
    };
    assert!(sitemap("one.example").await.contains("http://one.example/"));
    assert!(sitemap("two.example").await.contains("http://two.example/"));
    // A visible write is seen at once, and a signed-in reader is never
    // given the anonymous answer.
    create_mission(&app, &staff, "Kept answers mission", "public").await;
    let (_, _, missions) = app.get("/missions").await;
    assert!(missions.contains("Kept answers mission"));
    create_mission(&app, &staff, "Kept answers staff mission", "staff").await;
    let (_, _, missions) = app.get("/missions").await;
    assert!(!missions.contains("Kept answers staff mission"));
    let signed_in = app.get_as(Some(&staff), "/missions").await;
    assert!(signed_in.body.contains("Kept answers staff mission"));
}
