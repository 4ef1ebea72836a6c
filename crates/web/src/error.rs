//! What can go wrong while answering a request, and how each kind of failure
//! is shown: a GOV.UK error page for people, an RFC 9457 problem document for
//! the API. Details of internal errors are logged, never shown.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use placeweave_app::AppError;
use placeweave_domain::{DomainError, FieldError};
use placeweave_store::StoreError;
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
            AppError::Invalid(errors) => Failure::Invalid(errors),
            AppError::SignInRequired => Failure::SignInRequired,
            AppError::Forbidden => Failure::Forbidden,
            AppError::Conflict => Failure::Conflict,
            AppError::Store(err) => Failure::Store(err),
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
            Failure::Store(_) | Failure::Render(_) | Failure::Hash(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
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
                "One or more query parameters are not valid; see errors.".to_owned(),
                errors,
            ),
            Failure::SignInRequired => ("Sign in first.".to_owned(), vec![]),
            Failure::Forbidden => ("Your account may not do this.".to_owned(), vec![]),
            Failure::Conflict => (
                "The record changed since you read it; fetch it again and reapply your change."
                    .to_owned(),
                vec![],
            ),
            Failure::Store(_) | Failure::Render(_) | Failure::Hash(_) => (
                "Something went wrong on our side. It has been logged.".to_owned(),
                vec![],
            ),
        };
        problem(status, detail, errors)
    }
}

pub fn problem(status: StatusCode, detail: String, errors: Vec<FieldError>) -> Response {
    let body = Problem {
        kind: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").into(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/problem+json"),
    );
    response
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
