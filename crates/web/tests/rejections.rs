//! Every refusal is a clear answer: bad input that axum's extractors and
//! router refuse (unparsable ids, repeated query keys, oversized bodies,
//! wrong content types, unsupported methods, cross-site writes) answers with
//! a problem document under /api/ and a GOV.UK page elsewhere. Also what an
//! operator relies on: request ids, /healthz and /metrics.

mod common;

use common::{TestApp, camden, camden_with_accounts, start_with_options};
use reqwest::Method;
use serde_json::Value;

/// What came back, with the headers kept.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// Asserts an RFC 9457 problem document with this status; returns it.
    fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(
            self.header("content-type"),
            "application/problem+json",
            "{}",
            self.body
        );
        let doc: Value = serde_json::from_str(&self.body).expect("problem JSON");
        assert_eq!(doc["status"], status, "{doc}");
        assert!(
            doc["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{doc}"
        );
        assert!(
            doc["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{doc}"
        );
        doc
    }

    /// Asserts a GOV.UK error page with this status.
    fn page(&self, status: u16) {
        assert_eq!(self.status, status, "{}", self.body);
        assert!(
            self.header("content-type").starts_with("text/html"),
            "{}: {}",
            self.header("content-type"),
            self.body
        );
        assert!(self.body.contains("govuk-template"), "{}", self.body);
        assert!(
            self.body.contains(r#"<h1 class="govuk-heading-l">"#),
            "{}",
            self.body
        );
    }
}

/// Sends a request from this site (same `Origin`) unless `origin` says otherwise.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
    origin: Option<&str>,
) -> Answer {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.base))
        .header("origin", origin.unwrap_or(&app.base))
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(kind) = content_type {
        request = request.header("content-type", kind);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.text().await.expect("body"),
    }
}

async fn get(app: &TestApp, path: &str) -> Answer {
    send(app, Method::GET, path, None, None, vec![], None).await
}

fn allowed(answer: &Answer) -> Vec<String> {
    answer
        .header("allow")
        .split(',')
        .map(|m| m.trim().to_owned())
        .filter(|m| !m.is_empty())
        .collect()
}

#[tokio::test]
async fn unparsable_path_ids_are_answered_clearly() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let api = send(
        &app,
        Method::PUT,
        "/api/v1/places/camden/commitments/notanumber",
        Some(&staff),
        Some("application/json"),
        br#"{"version": 1}"#.to_vec(),
        None,
    )
    .await;
    let doc = api.problem(400);
    assert!(
        doc["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("notanumber"),
        "the detail says which value: {doc}"
    );
    let page = send(
        &app,
        Method::GET,
        "/commitments/notanumber/edit",
        Some(&staff),
        None,
        vec![],
        None,
    )
    .await;
    // On the pages an id that cannot be a record's is no page at all.
    page.page(404);
}

#[tokio::test]
async fn repeated_and_malformed_query_keys_are_answered_clearly() {
    let app = camden().await;
    get(&app, "/api/v1/places/camden/organisations?page=1&page=2")
        .await
        .problem(400);
    get(
        &app,
        "/api/v1/places/camden/commitments?mission=a&mission=b",
    )
    .await
    .problem(400);
    let page = get(&app, "/organisations?page=1&page=2").await;
    page.page(400);
    assert!(page.body.contains("duplicate field"), "{}", page.body);
    // A value that is not text is named in the page's error summary.
    let malformed = get(&app, "/organisations?page=%FF%FE").await;
    assert_eq!(malformed.status, 400);
    assert!(
        malformed.body.contains("govuk-error-summary"),
        "{}",
        malformed.body
    );
    get(&app, "/api/v1/places/camden/organisations?page=%FF%FE")
        .await
        .problem(400);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let big = vec![b'a'; placeweave_web::BODY_LIMIT + 1];
    let mut json = br#"{"version": 1, "short_name": ""#.to_vec();
    json.extend_from_slice(&big);
    json.extend_from_slice(br#""}"#);
    send(
        &app,
        Method::PUT,
        "/api/v1/places/camden/missions/youth-opportunity",
        Some(&staff),
        Some("application/json"),
        json,
        None,
    )
    .await
    .problem(413);
    let mut form = b"short_name=".to_vec();
    form.extend_from_slice(&big);
    send(
        &app,
        Method::POST,
        "/missions/new",
        Some(&staff),
        Some("application/x-www-form-urlencoded"),
        form,
        None,
    )
    .await
    .page(413);
}

#[tokio::test]
async fn wrong_content_types_are_answered_clearly() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let api = send(
        &app,
        Method::PUT,
        "/api/v1/places/camden/missions/youth-opportunity",
        Some(&staff),
        Some("text/plain"),
        b"short_name=Youth".to_vec(),
        None,
    )
    .await;
    // The API's write handlers name the body as the field at fault.
    assert!(matches!(api.status, 400 | 415), "{}", api.body);
    api.problem(api.status);
    let page = send(
        &app,
        Method::POST,
        "/missions/new",
        Some(&staff),
        Some("application/json"),
        br#"{"short_name": "Youth"}"#.to_vec(),
        None,
    )
    .await;
    page.page(415);
    assert!(
        page.body.contains("application/x-www-form-urlencoded"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn unsupported_methods_are_405_with_allow_even_from_another_site() {
    let app = camden().await;
    for origin in [None, Some("https://evil.example")] {
        let api = send(
            &app,
            Method::DELETE,
            "/api/v1/places/camden/missions",
            None,
            None,
            vec![],
            origin,
        )
        .await;
        api.problem(405);
        let methods = allowed(&api);
        assert!(
            ["GET", "HEAD", "POST"]
                .iter()
                .all(|m| methods.contains(&(*m).to_owned())),
            "{methods:?}"
        );
        assert!(!methods.contains(&"DELETE".to_owned()));

        let page = send(
            &app,
            Method::DELETE,
            "/missions",
            None,
            None,
            vec![],
            origin,
        )
        .await;
        page.page(405);
        assert_eq!(allowed(&page), ["GET", "HEAD"]);

        let page = send(
            &app,
            Method::PUT,
            "/missions/new",
            None,
            Some("application/x-www-form-urlencoded"),
            vec![],
            origin,
        )
        .await;
        page.page(405);
        assert_eq!(allowed(&page), ["GET", "HEAD", "POST"]);

        let ops = send(&app, Method::POST, "/healthz", None, None, vec![], origin).await;
        ops.page(405);
        assert_eq!(allowed(&ops), ["GET", "HEAD"]);
    }
    // A write the route does take is still refused from another site.
    send(
        &app,
        Method::POST,
        "/api/v1/places/camden/missions",
        None,
        Some("application/json"),
        b"{}".to_vec(),
        Some("https://evil.example"),
    )
    .await
    .problem(403);
}

#[tokio::test]
async fn the_cross_site_refusal_is_a_govuk_page() {
    let app = camden().await;
    let page = send(
        &app,
        Method::POST,
        "/sign-out",
        None,
        None,
        vec![],
        Some("https://evil.example"),
    )
    .await;
    page.page(403);
    assert!(page.body.contains("another site"), "{}", page.body);
}

#[tokio::test]
async fn control_characters_in_a_json_write_name_the_field() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let (_, mission) = app
        .json("/api/v1/places/camden/missions/youth-opportunity")
        .await;
    let version = mission["version"].as_i64().expect("version");
    for value in [
        "Youth\u{0}opportunity",
        "Youth\u{1b}[31m",
        "Youth\u{85}",
        "Youth\nopportunity",
    ] {
        let body = serde_json::json!({"version": version, "short_name": value});
        let answer = send(
            &app,
            Method::PUT,
            "/api/v1/places/camden/missions/youth-opportunity",
            Some(&staff),
            Some("application/json"),
            body.to_string().into_bytes(),
            None,
        )
        .await;
        let doc = answer.problem(400);
        let errors = doc["errors"].as_array().expect("errors");
        assert!(
            errors.iter().any(|e| e["field"] == "short_name"
                && e["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("control characters"))),
            "{value:?}: {doc}"
        );
    }
    // Line breaks are fine in the multi-line statement.
    let body = serde_json::json!({"version": version, "statement": "First line.\nSecond line."});
    let answer = send(
        &app,
        Method::PUT,
        "/api/v1/places/camden/missions/youth-opportunity",
        Some(&staff),
        Some("application/json"),
        body.to_string().into_bytes(),
        None,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = camden().await;
    let mut seen = Vec::new();
    for path in [
        "/",
        "/missions",
        "/no-such-page",
        "/api/v1/places",
        "/api/v1/places/nowhere",
        "/api/v1/nothing-here",
        "/healthz",
        "/.well-known/security.txt",
    ] {
        let answer = get(&app, path).await;
        let id = answer.header("x-request-id").to_owned();
        assert!(!id.is_empty(), "{path} has no x-request-id");
        assert!(!seen.contains(&id), "{path} reuses an id");
        if answer.header("content-type") == "application/problem+json" {
            let doc: Value = serde_json::from_str(&answer.body).expect("json");
            assert_eq!(doc["reference"], id.as_str(), "{path}: {doc}");
        }
        seen.push(id);
    }
    let post = send(
        &app,
        Method::POST,
        "/sign-out",
        None,
        None,
        vec![],
        Some("https://evil.example"),
    )
    .await;
    assert!(!post.header("x-request-id").is_empty());

    // A plain id from the proxy in front is kept; anything else is replaced.
    let kept = app
        .client
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "proxy-42.a_b")
        .send()
        .await
        .expect("get");
    assert_eq!(kept.headers()["x-request-id"], "proxy-42.a_b");
    let replaced = app
        .client
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "x".repeat(200))
        .send()
        .await
        .expect("get");
    let id = replaced.headers()["x-request-id"].to_str().expect("ascii");
    assert!(!id.is_empty() && id.len() <= 64, "{id}");
}

#[tokio::test]
async fn healthz_answers_ok_while_the_database_does() {
    let app = camden().await;
    let answer = get(&app, "/healthz").await;
    assert_eq!(answer.status, 200);
    let health: serde_json::Value = serde_json::from_str(&answer.body).expect("json");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"]["writable"], true);
    assert_eq!(health["database"]["file"], "unchanged");

    app.db.store.close().await;
    let down = get(&app, "/healthz").await;
    assert_eq!(down.status, 503, "{}", down.body);
    let health: serde_json::Value = serde_json::from_str(&down.body).expect("json");
    assert_eq!(health["database"]["reachable"], false);

    // A database out of reach is "try again later" (503), and quotes the
    // request id, on pages and in problems.
    let page = get(&app, "/missions").await;
    assert_eq!(page.status, 503, "{}", page.body);
    page.page(503);
    assert!(
        page.body.contains("cannot reach its database"),
        "{}",
        page.body
    );
    let id = page.header("x-request-id");
    assert!(
        page.body.contains(&format!(
            "quote this reference: <strong class=\"govuk-!-font-weight-bold govuk-!-text-break-word\">{id}"
        )),
        "{}",
        page.body
    );
    let api = get(&app, "/api/v1/places").await;
    let doc = api.problem(503);
    assert_eq!(doc["reference"], api.header("x-request-id"));
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    const TOKEN: &str = "a-metrics-token-for-tests";
    let db = placeweave_store::testing::database()
        .await
        .expect("database");
    placeweave_store::camden::ensure(&db.store)
        .await
        .expect("seed");
    let app = start_with_options(
        db,
        "camden",
        false,
        placeweave_web::ServeOptions {
            metrics_token: Some(TOKEN.into()),
            ..placeweave_web::ServeOptions::default()
        },
    )
    .await;
    // Counts of staff-only writes are derived from what the public may not
    // see: without the operator's token there are none to read.
    // Missing, wrong, and right but not sent as a bearer token.
    for sent in [None, Some("Bearer not-the-token"), Some(TOKEN)] {
        let mut request = app.client.get(format!("{}/metrics", app.base));
        if let Some(sent) = sent {
            request = request.header("authorization", sent);
        }
        let refused = request.send().await.expect("metrics");
        assert_eq!(refused.status(), 401, "{sent:?}");
        assert!(refused.headers().contains_key("www-authenticate"));
    }
    let off = camden().await;
    assert_eq!(
        get(&off, "/metrics").await.status,
        404,
        "off without a token"
    );
    assert_eq!(get(&app, "/missions/youth-opportunity").await.status, 200);
    assert_eq!(get(&app, "/missions/no-such-mission").await.status, 404);
    assert_eq!(
        get(&app, "/api/v1/places/camden/missions").await.status,
        200
    );
    let scraped = app
        .client
        .get(format!("{}/metrics", app.base))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(scraped.status(), 200);
    let content_type = scraped
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = &scraped.text().await.expect("body");
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    for line in [
        r#"placeweave_http_requests_total{method="GET",route="/missions/{mission}",status="200"} 1"#,
        r#"placeweave_http_requests_total{method="GET",route="/missions/{mission}",status="404"} 1"#,
        r#"placeweave_http_requests_total{method="GET",route="/api/v1/places/{place}/missions",status="200"} 1"#,
    ] {
        assert!(body.lines().any(|l| l == line), "missing {line}:\n{body}");
    }
    assert!(
        !body.contains("youth-opportunity"),
        "raw paths never become labels"
    );
    assert!(body.contains(
        r#"placeweave_http_request_duration_seconds_count{method="GET",route="/missions/{mission}"} 2"#
    ));
    assert!(body.contains("# TYPE placeweave_db_pool_connections gauge"));
    assert!(body.contains("# TYPE placeweave_db_pool_idle_connections gauge"));
    assert!(body.trim_end().ends_with("# EOF"));
}
