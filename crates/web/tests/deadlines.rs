//! A request past its deadline is answered 503, saying so, as a page or a
//! problem document (issue 23, item 2).

use std::time::Duration;

use placeweave_store::testing::database;
use placeweave_web::{AppState, ServeOptions};

async fn serve_with_deadline(
    deadline: Duration,
) -> (String, placeweave_store::testing::TestDatabase) {
    let db = database().await.expect("database");
    placeweave_store::camden::ensure(&db.store)
        .await
        .expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let state = AppState::with_options(
        db.store.clone(),
        "camden",
        false,
        ServeOptions {
            deadline,
            ..ServeOptions::default()
        },
    );
    tokio::spawn(async move { placeweave_web::serve(state, listener).await });
    (format!("http://{addr}"), db)
}

#[tokio::test]
async fn a_page_past_its_deadline_is_answered_503() {
    // No time at all, and a server that has kept nothing yet: its first
    // answer must read the database and cannot finish in time.
    let (base, _db) = serve_with_deadline(Duration::ZERO).await;
    let page = reqwest::get(format!("{base}/organisations"))
        .await
        .expect("page");
    assert_eq!(page.status(), 503);
    let body = page.text().await.expect("body");
    assert!(body.contains("took too long"), "{body}");
}

#[tokio::test]
async fn an_api_read_past_its_deadline_is_answered_503_as_a_problem() {
    let (base, _db) = serve_with_deadline(Duration::ZERO).await;
    let api = reqwest::get(format!("{base}/api/v1/places/camden/organisations"))
        .await
        .expect("api");
    assert_eq!(api.status(), 503);
    assert_eq!(
        api.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: serde_json::Value = api.json().await.expect("problem");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("took too long"),
        "{problem}"
    );
}

#[tokio::test]
async fn requests_within_their_deadline_are_answered() {
    let (base, _db) = serve_with_deadline(Duration::from_secs(30)).await;
    let reply = reqwest::get(format!("{base}/organisations"))
        .await
        .expect("page");
    assert_eq!(reply.status(), 200);
}
