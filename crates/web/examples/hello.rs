//! The baseline for `scripts/bench`: a bare axum route on the same runtime
//! and build profile as Placeweave, answering "Hello, world!". The address
//! is 127.0.0.1:$HELLO_PORT (default 3000).

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("HELLO_PORT").unwrap_or_else(|_| "3000".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    let app = Router::new().route("/", get(|| async { "Hello, world!" }));
    axum::serve(listener, app).await
}
