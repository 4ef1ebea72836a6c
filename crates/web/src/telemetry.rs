//! What an operator needs to run the service: a request id on every request
//! (sent back as `x-request-id`, on every log line, quoted on error pages and
//! in problem documents), request logs, `/healthz` and Prometheus `/metrics`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sha2::Digest;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnRequest, DefaultOnResponse, MakeSpan, TraceLayer};
use tracing::Level;

use crate::AppState;

pub const REQUEST_ID: &str = "x-request-id";

tokio::task_local! {
    static CURRENT_REQUEST_ID: String;
}

/// The id of the request being answered, for error pages and problem
/// documents, which are built far from the request itself.
pub fn request_id() -> Option<String> {
    CURRENT_REQUEST_ID.try_with(Clone::clone).ok()
}

/// Keeps an incoming `x-request-id` (say from the proxy in front) only if it
/// is short and plain, since it is echoed into logs, pages and headers;
/// otherwise it is dropped and `SetRequestIdLayer` makes a fresh one.
pub async fn drop_unusable_request_id(mut request: Request, next: Next) -> Response {
    let usable = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        });
    if !usable {
        request.headers_mut().remove(REQUEST_ID);
    }
    next.run(request).await
}

/// Makes the request id readable by [`request_id`] while the request is answered.
pub async fn with_request_id(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    CURRENT_REQUEST_ID.scope(id, next.run(request)).await
}

/// Each request's span carries its id, so every line logged while it is
/// answered names it. Only the path is logged: query strings can hold
/// personal data (an email address searched for).
#[derive(Debug, Clone, Copy)]
pub struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &axum::http::Request<B>) -> tracing::Span {
        let id = request
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            request_id = id,
            method = %request.method(),
            path = request.uri().path(),
        )
    }
}

pub type RequestTrace = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    RequestSpan,
    DefaultOnRequest,
    DefaultOnResponse,
>;

/// Logs one line per response (status and latency) inside the request's span.
pub fn trace_layer() -> RequestTrace {
    TraceLayer::new_for_http()
        .make_span_with(RequestSpan)
        .on_request(DefaultOnRequest::new().level(Level::DEBUG))
        .on_response(
            DefaultOnResponse::new()
                .level(Level::INFO)
                .latency_unit(tower_http::LatencyUnit::Micros),
        )
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    /// The matched route template (`/missions/{mission}`), never the raw
    /// path, so the number of series stays bounded.
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The service's Prometheus metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    pool_size: Gauge,
    pool_idle: Gauge,
}

fn latency_histogram() -> Histogram {
    // 5 ms to about 10 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("placeweave");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request, by method and route template",
            prometheus_client::registry::Unit::Seconds,
            latency.clone(),
        );
        let pool_size = Gauge::default();
        registry.register(
            "db_pool_connections",
            "Open database connections in the pool",
            pool_size.clone(),
        );
        let pool_idle = Gauge::default();
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections in the pool",
            pool_idle.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            pool_size,
            pool_idle,
        }
    }
}

/// Counts and times every request under its route template.
pub async fn record(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    // Only the standard methods get their own series.
    let method = match *request.method() {
        Method::GET
        | Method::HEAD
        | Method::POST
        | Method::PUT
        | Method::PATCH
        | Method::DELETE
        | Method::OPTIONS => request.method().as_str().to_owned(),
        _ => "other".to_owned(),
    };
    let started = Instant::now();
    let response = next.run(request).await;
    metrics
        .latency
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    response
}

/// `GET /healthz`: 200 when the database answers, takes a write and is
/// still the file the server opened; 503 otherwise. The JSON body says
/// which check failed; the details go to the log, not to the public.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let health = state.store.health().await;
    for (check, fault) in [
        ("reachable", &health.reachable),
        ("writable", &health.writable),
    ] {
        if let Some(fault) = fault {
            tracing::error!(check, error = %fault, "health check failed");
        }
    }
    if let Some(change) = health.file {
        tracing::error!(%change, "health check failed: the database file changed under the server");
    }
    let status = if health.ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "status": if health.ok() { "ok" } else { "unavailable" },
        "database": {
            "reachable": health.reachable.is_none(),
            "writable": health.writable.is_none(),
            "file": match health.file {
                None => "unchanged",
                Some(placeweave_store::FileChange::Deleted) => "deleted",
                Some(placeweave_store::FileChange::Replaced) => "replaced",
            },
        },
    });
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        axum::Json(body),
    )
        .into_response()
}

/// `GET /metrics` in the OpenMetrics text format, which Prometheus reads.
///
/// It holds route templates, status codes, timings and pool sizes, never a
/// record or a raw path; but counts of staff-only writes by route are
/// derived from what the public may not see, so only a scraper holding the
/// operator's token reads it, and without a token it is off (404).
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return crate::error::problem(
            StatusCode::NOT_FOUND,
            "Metrics are off: the operator turns them on with a token (PLACEWEAVE_METRICS_TOKEN)."
                .into(),
            vec![],
        );
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compared as digests, so the time taken says nothing of the token.
    if sha2::Sha256::digest(sent.as_bytes()) != sha2::Sha256::digest(token.as_bytes()) {
        let mut refused = crate::error::problem(
            StatusCode::UNAUTHORIZED,
            "Send the operator's metrics token as a bearer token.".into(),
            vec![],
        );
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return refused;
    }
    let (size, idle) = match &state.store {
        placeweave_store::Store::Sqlite(db) => (db.pool.size(), db.pool.num_idle()),
        placeweave_store::Store::Postgres(pool) => (pool.size(), pool.num_idle()),
    };
    let metrics = &state.metrics;
    metrics.pool_size.set(i64::from(size));
    metrics
        .pool_idle
        .set(i64::try_from(idle).unwrap_or(i64::MAX));
    let mut body = String::new();
    if let Err(err) = prometheus_client::encoding::text::encode(&mut body, &metrics.registry) {
        tracing::error!(error = %err, "could not encode the metrics");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}
