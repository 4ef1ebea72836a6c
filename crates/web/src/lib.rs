//! Placeweave's HTTP layer: the public GOV.UK pages, the JSON API with its
//! OpenAPI document, and embedded front-end assets. Every handler reads
//! through the store with the request's viewer, so visibility is decided in
//! one place (the domain policy applied by the store).

mod api;
mod assets;
pub mod error;
mod pages;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use placeweave_domain::Viewer;
use placeweave_store::{PlaceRecord, Store};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::{Failure, problem};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The place the pages show (the API can reach every place).
    place_slug: Arc<str>,
}

impl AppState {
    pub fn new(store: Store, place_slug: &str) -> Self {
        AppState {
            store,
            place_slug: Arc::from(place_slug),
        }
    }

    /// Who is asking. Until accounts exist every request is the public's.
    pub fn viewer(&self) -> Viewer {
        Viewer::Public
    }

    async fn place(&self, viewer: Viewer) -> Result<PlaceRecord, Failure> {
        self.store
            .place(&self.place_slug, viewer)
            .await?
            .ok_or(Failure::NotFound)
    }
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

/// The whole application: pages, API, OpenAPI document and assets.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(pages::router())
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let openapi = Arc::clone(&openapi);
                async move { axum::Json(openapi.as_ref().clone()) }
            }),
        )
        .route("/api/{*rest}", get(api_not_found))
        .route("/assets/{*path}", get(assets::asset))
        .fallback(pages::not_found)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}

async fn api_not_found() -> impl IntoResponse {
    problem(
        StatusCode::NOT_FOUND,
        "No API resource exists at this address. The routes are listed in /api/v1/openapi.json."
            .into(),
        vec![],
    )
}

/// Serves the application on `listener` until ctrl-c or SIGTERM.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
