//! Placeweave's HTTP layer: the public GOV.UK pages, the JSON API with its
//! OpenAPI document, and embedded front-end assets. Every handler reads
//! through the store with the request's viewer, so visibility is decided in
//! one place (the domain policy applied by the store).

mod api;
mod assets;
pub mod auth;
pub mod error;
mod pages;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use placeweave_app::{App, Scope};
use placeweave_store::Store;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::CookiePolicy;
use crate::error::{Failure, problem};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The use cases every page and API route calls.
    pub app: App,
    /// Sessions and accounts, which the sign-in layer still reads directly.
    pub store: Store,
    /// The place the pages show (the API can reach every place).
    place_slug: Arc<str>,
    pub cookies: CookiePolicy,
}

impl AppState {
    /// `secure`: the service is reached over HTTPS (directly or through a
    /// proxy), so cookies are `Secure` and HSTS is sent.
    pub fn new(store: Store, place_slug: &str, secure: bool) -> Self {
        AppState {
            app: App::new(store.clone()),
            store,
            place_slug: Arc::from(place_slug),
            cookies: CookiePolicy { secure },
        }
    }

    /// The caller in the place the pages show.
    pub(crate) async fn scope(&self, caller: &auth::Caller) -> Result<Scope, Failure> {
        Ok(self.app.scope(&caller.principal, &self.place_slug).await?)
    }
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

/// The whole application: pages, API, OpenAPI document and assets.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi = Arc::new(openapi);
    let hsts = state.cookies.secure.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
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
        .route("/.well-known/security.txt", get(security_txt))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::no_store_when_signed_in,
        ))
        .layer(axum::middleware::from_fn(auth::same_origin_writes))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(tower::util::option_layer(hsts))
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

/// RFC 9116: where to report a vulnerability. The operator names the
/// contact with `PLACEWEAVE_SECURITY_CONTACT`; the file expires a year on.
async fn security_txt() -> impl IntoResponse {
    let contact = std::env::var("PLACEWEAVE_SECURITY_CONTACT")
        .unwrap_or_else(|_| "mailto:security@placeweave.invalid".to_owned());
    let expires = std::time::SystemTime::now() + std::time::Duration::from_secs(365 * 24 * 60 * 60);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "Contact: {contact}\nExpires: {}\nPreferred-Languages: en\n",
            humantime::format_rfc3339_seconds(expires)
        ),
    )
}

/// The method and path of every page route, for the access-matrix test.
pub fn page_routes() -> Vec<(axum::http::Method, &'static str)> {
    pages::route_list()
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
