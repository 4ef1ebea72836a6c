//! Starts the real application on a random port against a fresh database.
#![allow(dead_code)] // Each test binary uses a different part of this module.

use placeweave_store::testing::{TestDatabase, database};
use placeweave_web::AppState;

pub struct TestApp {
    pub base: String,
    pub db: TestDatabase,
    pub client: reqwest::Client,
}

pub async fn start_with(db: TestDatabase, place: &str) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    let state = AppState::new(db.store.clone(), place, false);
    tokio::spawn(async move { placeweave_web::serve(state, listener).await });
    TestApp {
        base: format!("http://{addr}"),
        db,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}

/// The app serving the Camden demo place.
pub async fn camden() -> TestApp {
    let db = database().await.expect("database");
    placeweave_store::camden::ensure(&db.store)
        .await
        .expect("seed");
    start_with(db, "camden").await
}

impl TestApp {
    pub async fn get(&self, path: &str) -> (u16, String, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.text().await.expect("body");
        (status, content_type, body)
    }

    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let (status, _, body) = self.get(path).await;
        let value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"));
        (status, value)
    }
}
