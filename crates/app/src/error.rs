//! What a use case can answer besides its result. A hidden record is
//! `NotFound`, exactly like a missing one.

use placeweave_domain::{DomainError, FieldError};
use placeweave_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid request")]
    Invalid(Vec<FieldError>),
    /// Well-formed, but a field names a record that does not exist (or
    /// that the caller cannot see, which is the same), or a name already
    /// taken: the place's records refuse it, not the request's form.
    #[error("a field names no record, or a name already taken")]
    Unresolved(Vec<FieldError>),
    /// Well-formed, but the caller's rights refuse a value (an audience
    /// they are not in).
    #[error("a value the caller may not choose")]
    Disallowed(Vec<FieldError>),
    #[error("sign-in required")]
    SignInRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("the record changed since it was read")]
    Conflict,
    #[error(transparent)]
    Store(StoreError),
    /// A fault that is not the store's (hashing a password).
    #[error("{0}")]
    Internal(String),
}

impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid(errors) => AppError::Invalid(errors),
        }
    }
}

impl From<StoreError> for AppError {
    /// A store error the person can fix (a reference to nothing they can
    /// see, a duplicate name) as a field error; a stale version as a
    /// conflict; anything else as a fault.
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::UnknownReference { field, id } => {
                AppError::Unresolved(vec![FieldError::new(
                    field,
                    format!(
                        "There is no \"{}\": choose one that exists",
                        id.chars().take(60).collect::<String>()
                    ),
                )])
            }
            StoreError::Mismatch { field, message } => {
                AppError::Unresolved(vec![FieldError::new(field, message)])
            }
            StoreError::Stale { .. } => AppError::Conflict,
            other => AppError::Store(other),
        }
    }
}

impl AppError {
    /// The field errors of a refusal the person can fix by changing what
    /// they sent, whatever its kind.
    pub fn field_errors(self) -> Result<Vec<FieldError>, AppError> {
        match self {
            AppError::Invalid(errors)
            | AppError::Unresolved(errors)
            | AppError::Disallowed(errors) => Ok(errors),
            other => Err(other),
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// A duplicate on create, named on the record's name field.
    pub(crate) fn naming(self, name_field: &str) -> Self {
        match self {
            AppError::Store(StoreError::Duplicate(_)) => {
                AppError::Unresolved(vec![FieldError::new(
                    name_field,
                    "There is already one with this name: choose a different name",
                )])
            }
            other => other,
        }
    }
}
