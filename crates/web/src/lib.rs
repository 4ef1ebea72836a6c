//! Placeweave's HTTP layer: the public GOV.UK pages, the JSON API with its
//! OpenAPI document, and embedded front-end assets. Every handler reads
//! through the store with the request's viewer, so visibility is decided in
//! one place (the domain policy applied by the store).

mod api;
mod assets;
pub mod auth;
mod caching;
mod control_characters;
mod csp;
pub mod error;
mod findable;
mod page_cache;
mod pages;
pub mod telemetry;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, any, get};
use placeweave_app::{App, Scope};
use placeweave_store::Store;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::CookiePolicy;
use crate::error::{Failure, problem};
use crate::telemetry::Metrics;

/// The largest request body accepted: far more than any form or JSON edit
/// needs, small enough that nobody can tie up memory with one request.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every handler shares, behind one pointer: every middleware layer
/// and handler that takes the state clones it, and cloning the parts one
/// by one (the application's dozens of caches) was a third of the CPU
/// time of a kept page (perf, 2026-12-01).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
pub struct Shared {
    /// The use cases every page and API route calls.
    pub app: App,
    /// For the health check and the pool gauges only.
    pub store: Store,
    /// The place the pages show (the API can reach every place).
    place_slug: Arc<str>,
    pub cookies: CookiePolicy,
    pub metrics: Arc<Metrics>,
    /// Anonymous answers kept per data version.
    pages: page_cache::PageCache,
    /// How long a request may take before it is answered 503 and its
    /// database work is stopped.
    deadline: Duration,
    /// What a scraper of `/metrics` must send as its bearer token; without
    /// one, `/metrics` answers 404.
    pub(crate) metrics_token: Option<Arc<str>>,
    /// Turns for the heavy routes (reports, the network's analysis, whole
    /// downloads): half the database's connections, so that however many
    /// of them are asked for at once, pages always find a connection.
    heavy: tokio::sync::Semaphore,
}

/// What the operator chooses for a server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// How long a request may take ([`REQUEST_DEADLINE`] by default).
    pub deadline: Duration,
    /// The bearer token `/metrics` asks for (none: `/metrics` is off).
    pub metrics_token: Option<String>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            deadline: REQUEST_DEADLINE,
            metrics_token: None,
        }
    }
}

/// The longest a request may take unless the operator chooses otherwise:
/// far more than any page needs, short enough that abandoned work cannot
/// hold the database's connections for long.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(30);

impl AppState {
    /// `secure`: the service is reached over HTTPS (directly or through a
    /// proxy), so cookies are `Secure` and HSTS is sent.
    pub fn new(store: Store, place_slug: &str, secure: bool) -> Self {
        AppState::with_options(store, place_slug, secure, ServeOptions::default())
    }

    /// [`AppState::new`] with the operator's choices.
    pub fn with_options(
        store: Store,
        place_slug: &str,
        secure: bool,
        options: ServeOptions,
    ) -> Self {
        let heavy = tokio::sync::Semaphore::new(heavy_turns(&store));
        AppState(Arc::new(Shared {
            app: App::new(store.clone()),
            store,
            place_slug: Arc::from(place_slug),
            cookies: CookiePolicy { secure },
            metrics: Arc::new(Metrics::default()),
            pages: page_cache::PageCache::default(),
            deadline: options.deadline,
            metrics_token: options.metrics_token.map(Arc::from),
            heavy,
        }))
    }

    /// The id of the place the pages show.
    pub(crate) fn place_slug(&self) -> &str {
        &self.place_slug
    }

    /// The caller in the place the pages show.
    pub(crate) async fn scope(&self, caller: &auth::Caller) -> Result<Scope, Failure> {
        Ok(self.app.scope(&caller.principal, &self.place_slug).await?)
    }
}

/// Routes outside the pages and the API: the OpenAPI document, assets and
/// what operators and scanners read.
fn service_routes(
    openapi: Arc<utoipa::openapi::OpenApi>,
) -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (
            Method::GET,
            "/api/v1/openapi.json",
            get(move || {
                let openapi = Arc::clone(&openapi);
                async move { axum::Json(openapi.as_ref().clone()) }
            }),
        ),
        (Method::GET, "/assets/{*path}", get(assets::asset)),
        (Method::GET, "/.well-known/security.txt", get(security_txt)),
        (Method::GET, "/robots.txt", get(findable::robots_txt)),
        (Method::GET, "/sitemap.xml", get(findable::sitemap_xml)),
        (Method::GET, "/healthz", get(telemetry::healthz)),
        (Method::GET, "/metrics", get(telemetry::metrics)),
    ]
}

/// The methods each route template accepts.
type AllowedMethods = Arc<HashMap<String, Vec<Method>>>;

fn allowed_methods(
    openapi: &utoipa::openapi::OpenApi,
    services: &[(Method, &'static str, MethodRouter<AppState>)],
) -> AllowedMethods {
    let mut allowed: HashMap<String, Vec<Method>> = HashMap::new();
    let mut allow = |path: &str, method: Method| {
        let methods = allowed.entry(path.to_owned()).or_default();
        if method == Method::GET {
            methods.push(Method::HEAD);
        }
        methods.push(method);
    };
    for (method, path) in pages::route_list() {
        allow(path, method);
    }
    for (method, path, _) in services {
        allow(path, method.clone());
    }
    for (path, item) in &openapi.paths.paths {
        let operations = [
            (Method::GET, &item.get),
            (Method::PUT, &item.put),
            (Method::POST, &item.post),
            (Method::DELETE, &item.delete),
            (Method::PATCH, &item.patch),
        ];
        for (method, operation) in operations {
            if operation.is_some() {
                allow(path, method);
            }
        }
    }
    Arc::new(allowed)
}

/// Answers 405 with `Allow` for a known address and a method it does not
/// take. This runs before the cross-site check, which would otherwise
/// refuse a wrong-method write with 403 before axum's router could say 405.
/// The bare 405 is rendered as a page or problem by `error::render_rejections`.
async fn refuse_unsupported_methods(
    State(allowed): State<AllowedMethods>,
    request: Request,
    next: Next,
) -> Response {
    let methods = request
        .extensions()
        .get::<MatchedPath>()
        .and_then(|path| allowed.get(path.as_str()));
    match methods {
        Some(methods) if !methods.contains(request.method()) => {
            let mut names: Vec<&str> = methods.iter().map(Method::as_str).collect();
            names.sort_unstable();
            names.dedup();
            let allow = HeaderValue::from_str(&names.join(", "))
                .unwrap_or_else(|_| HeaderValue::from_static("GET"));
            (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, allow)]).into_response()
        }
        _ => next.run(request).await,
    }
}

/// The whole application: pages, API, OpenAPI document and assets.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi = Arc::new(openapi);
    let services = service_routes(Arc::clone(&openapi));
    let allowed = allowed_methods(&openapi, &services);
    let metrics = Arc::clone(&state.metrics);
    let hsts = state.cookies.secure.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });
    let router = services
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        });
    // Layers run outside in, so the last added sees the request first.
    router
        .merge(pages::router())
        .merge(api)
        .route("/api/{*rest}", any(api_not_found))
        .fallback(pages::not_found)
        .layer(from_fn_with_state(
            state.clone(),
            auth::no_store_when_signed_in,
        ))
        .layer(from_fn_with_state(state.clone(), caching::conditional_get))
        .layer(from_fn(pages::saved::one_time_cookie))
        .layer(from_fn(auth::same_origin_writes))
        .layer(from_fn_with_state(allowed, refuse_unsupported_methods))
        .layer(from_fn(control_characters::refuse_control_characters))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), heavy_in_turn))
        .layer(from_fn_with_state(state.clone(), within_deadline))
        .layer(from_fn(error::render_rejections))
        .layer(from_fn_with_state(state.clone(), pages::context::remember))
        .layer(from_fn(telemetry::with_request_id))
        .layer(from_fn_with_state(metrics, telemetry::record))
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(tower::util::option_layer(hsts))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp::POLICY)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // A page may ask for less (one-time links send no referrer).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(telemetry::trace_layer())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(from_fn(telemetry::drop_unusable_request_id))
}

/// Answers 503 when a request runs past its deadline, and stops its
/// database work then too ([`placeweave_store::deadline`]): dropping the
/// handler's future alone would leave SQLite working for nobody.
async fn within_deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let deadline = Instant::now() + state.deadline;
    let work = placeweave_store::deadline::within(deadline, next.run(request));
    match tokio::time::timeout_at(deadline.into(), work).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit = ?state.deadline, "request stopped at its deadline");
            let detail = "The service took too long to answer and stopped working on this request. \
                          If you were saving something, check whether it was saved before sending it again."
                .to_owned();
            if api {
                problem(StatusCode::SERVICE_UNAVAILABLE, detail, vec![])
            } else {
                pages::rejection_page(StatusCode::SERVICE_UNAVAILABLE, detail)
            }
        }
    }
}

/// How many heavy requests may run at once on `store`.
fn heavy_turns(store: &Store) -> usize {
    let connections = match store {
        Store::Sqlite(db) => db.pool.options().get_max_connections(),
        Store::Postgres(pool) => pool.options().get_max_connections(),
    };
    usize::try_from(connections / 2).unwrap_or(1).max(1)
}

/// Routes whose work grows with the whole place rather than with one page
/// of it: the partnership report, the network and its analysis, and every
/// whole-list download.
fn is_heavy(route: &str) -> bool {
    let route = route
        .strip_prefix("/api/v1/places/{place}")
        .unwrap_or(route);
    route.starts_with("/network")
        || route.starts_with("/relationships/report")
        || route.ends_with("/contacts-log")
        || route.ends_with("/export")
        || (route != "/api/v1/openapi.json"
            && [".csv", ".json", ".graphml", ".gexf"]
                .iter()
                .any(|kind| route.ends_with(kind)))
}

/// Heavy routes wait for a turn ([`Shared::heavy`]); the request's
/// deadline bounds the wait.
async fn heavy_in_turn(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let heavy = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|route| is_heavy(route.as_str()));
    if !heavy {
        return next.run(request).await;
    }
    // The semaphore is never closed, so acquiring only waits.
    let _turn = state.heavy.acquire().await;
    next.run(request).await
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

/// The method and path of every page route, of the operators' routes
/// (`/healthz`, `/metrics`) and of what search engines read, for the
/// access-matrix test.
pub fn page_routes() -> Vec<(Method, &'static str)> {
    let mut routes = pages::route_list();
    routes.extend([
        (Method::GET, "/healthz"),
        (Method::GET, "/metrics"),
        (Method::GET, "/robots.txt"),
        (Method::GET, "/sitemap.xml"),
    ]);
    routes
}

async fn api_not_found() -> impl IntoResponse {
    problem(
        StatusCode::NOT_FOUND,
        "No API resource exists at this address. The routes are listed in /api/v1/openapi.json."
            .into(),
        vec![],
    )
}

/// How long requests still running at ctrl-c or SIGTERM may take to finish
/// before the server exits anyway: a service manager waiting to restart it
/// should not wait on a slow client.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves the application on `listener` until ctrl-c or SIGTERM, then lets
/// requests in flight finish for up to [`SHUTDOWN_GRACE`].
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let stopping = Arc::new(tokio::sync::Notify::new());
    let signalled = Arc::clone(&stopping);
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown().await;
        // notify_one keeps the wake-up if the grace timer is not waiting yet.
        signalled.notify_one();
    });
    let grace = async {
        stopping.notified().await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = std::future::IntoFuture::into_future(server) => result,
        () = grace => {
            tracing::warn!(grace = ?SHUTDOWN_GRACE, "requests still running at the end of the shutdown grace period were stopped");
            Ok(())
        }
    }
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

#[cfg(test)]
mod tests {
    use super::is_heavy;

    #[test]
    fn reports_networks_and_downloads_are_heavy_pages_are_not() {
        for route in [
            "/relationships/report",
            "/api/v1/places/{place}/relationships/report",
            "/network",
            "/network/nodes.csv",
            "/api/v1/places/{place}/network",
            "/organisations.csv",
            "/contributions.json",
            "/organisations/{organisation}/contacts-log",
            "/admin/people/export",
        ] {
            assert!(is_heavy(route), "{route}");
        }
        for route in [
            "/",
            "/organisations",
            "/organisations/{organisation}",
            "/api/v1/places/{place}/organisations",
            "/api/v1/openapi.json",
            "/relationships",
        ] {
            assert!(!is_heavy(route), "{route}");
        }
    }
}
