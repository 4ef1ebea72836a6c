//! What can go wrong while answering a request, and how each kind of failure
//! is shown: a GOV.UK error page for people, an RFC 9457 problem document for
//! the API. Details of internal errors are logged, never shown.

use axum::Json;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use placeweave_app::AppError;
use placeweave_domain::{DomainError, FieldError};
use placeweave_store::{StorageFault, StoreError};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("not found")]
    NotFound,
    #[error("invalid request")]
    Invalid(Vec<FieldError>),
    #[error("sign-in required")]
    SignInRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("the record changed since it was read")]
    Conflict,
    #[error(transparent)]
    Hash(#[from] crate::auth::HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not render the page: {0}")]
    Render(#[from] askama::Error),
}

impl From<AppError> for Failure {
    fn from(err: AppError) -> Self {
        match err {
            AppError::NotFound => Failure::NotFound,
            AppError::Invalid(errors)
            | AppError::Unresolved(errors)
            | AppError::Disallowed(errors) => Failure::Invalid(errors),
            AppError::SignInRequired => Failure::SignInRequired,
            AppError::Forbidden => Failure::Forbidden,
            AppError::Conflict => Failure::Conflict,
            AppError::Store(err) => Failure::Store(err),
            AppError::Internal(message) => Failure::Hash(crate::auth::HashError(message)),
        }
    }
}

impl From<DomainError> for Failure {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid(errors) => Failure::Invalid(errors),
        }
    }
}

impl Failure {
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::NotFound => StatusCode::NOT_FOUND,
            Failure::Invalid(_) => StatusCode::BAD_REQUEST,
            Failure::SignInRequired => StatusCode::UNAUTHORIZED,
            Failure::Forbidden => StatusCode::FORBIDDEN,
            Failure::Conflict => StatusCode::CONFLICT,
            Failure::Store(err) => match err.storage_fault() {
                Some(StorageFault::Full) => StatusCode::INSUFFICIENT_STORAGE,
                // A stopped PostgreSQL server: try again later.
                Some(StorageFault::Unavailable) => StatusCode::SERVICE_UNAVAILABLE,
                Some(StorageFault::FileChanged | StorageFault::TooSlow) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                None => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Failure::Render(_) | Failure::Hash(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn log(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference identifying the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Each field that was wrong, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request's id (also sent as `x-request-id`): quote it when
    /// reporting a problem, so it can be found in the logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A failure answered as a problem document (API routes).
#[derive(Debug)]
pub struct ApiError(pub Failure);

impl<E: Into<Failure>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        let (detail, errors) = match self.0 {
            Failure::NotFound => ("No resource exists at this address.".to_owned(), vec![]),
            Failure::Invalid(errors) => (
                "One or more parameters or fields are not valid; see errors.".to_owned(),
                errors,
            ),
            Failure::SignInRequired => ("Sign in first.".to_owned(), vec![]),
            Failure::Forbidden => ("Your account may not do this.".to_owned(), vec![]),
            Failure::Conflict => (
                "The record changed since you read it; fetch it again and reapply your change."
                    .to_owned(),
                vec![],
            ),
            Failure::Store(err) if err.storage_fault().is_some() => {
                (storage_fault_detail(&err).join(" "), vec![])
            }
            Failure::Store(_) | Failure::Render(_) | Failure::Hash(_) => (
                "Something went wrong on our side. It has been logged.".to_owned(),
                vec![],
            ),
        };
        problem(status, detail, errors)
    }
}

/// What people are told when storage refused a write: that nothing was
/// changed, why, and what to do.
pub fn storage_fault_detail(err: &StoreError) -> Vec<String> {
    let why = match err.storage_fault() {
        Some(StorageFault::Full) => "The service has run out of storage space.",
        Some(StorageFault::TooSlow) => {
            "The service took too long to answer and stopped working on your request."
        }
        Some(StorageFault::Unavailable) => "The service cannot reach its database at the moment.",
        _ => "The service cannot write to its database at the moment.",
    };
    vec![
        "Nothing was changed.".to_owned(),
        why.to_owned(),
        "Try again later: what you sent can be sent again as it is. The problem has been logged for the service's operators.".to_owned(),
    ]
}

pub fn problem(status: StatusCode, detail: String, errors: Vec<FieldError>) -> Response {
    let body = Problem {
        kind: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail,
        errors,
        reference: crate::telemetry::request_id().filter(|id| !id.is_empty()),
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// axum's extractors and router answer bad input with a bare `text/plain`
/// body (a path id that is not a number, a repeated query key, JSON sent to
/// a form, a body over the limit) or an empty 405. Handlers that take an
/// extractor by value never see its rejection, so instead of wrapping every
/// extractor we render these once, here, as everything else is rendered:
/// a problem document under `/api/`, a GOV.UK page elsewhere, keeping the
/// status, its headers (`Allow`) and axum's explanation.
pub async fn render_rejections(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let method = request.method().clone();
    let response = next.run(request).await;
    if !response.status().is_client_error() || !is_bare(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .unwrap_or_default();
    let allow = parts
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let detail = match parts.status {
        StatusCode::METHOD_NOT_ALLOWED => {
            format!("This address does not take {method} requests. It takes: {allow}.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "The request body is larger than this service accepts ({} KiB at most).",
            crate::BODY_LIMIT / 1024
        ),
        status if text.is_empty() => status.canonical_reason().unwrap_or("Error").to_owned(),
        // axum's messages can be long (a serde path); a line is enough.
        _ => text.chars().take(300).collect(),
    };
    let mut rendered = if api {
        problem(parts.status, detail, vec![])
    } else {
        crate::pages::rejection_page(parts.status, detail)
    };
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().append(name.clone(), value.clone());
        }
    }
    rendered
}

/// A response with a plain-text body or none: not one we rendered.
fn is_bare(response: &Response) -> bool {
    match response.headers().get(header::CONTENT_TYPE) {
        Some(kind) => kind.as_bytes().starts_with(b"text/plain"),
        None => true,
    }
}

/// Asks the policy whether the caller may act on the target, for the
/// service's own records (accounts, the audit log, people), which belong to
/// no place: not signed in means "sign in first", signed in but refused
/// means forbidden.
pub fn require(
    caller: &crate::auth::Caller,
    action: placeweave_domain::Action,
    target: &placeweave_domain::Target,
) -> Result<(), Failure> {
    if placeweave_domain::policy::permits(&caller.principal, action, target) {
        Ok(())
    } else if caller.principal.is_signed_in() {
        Err(Failure::Forbidden)
    } else {
        Err(Failure::SignInRequired)
    }
}
