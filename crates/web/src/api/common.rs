//! What every API module shares: the result type, pages of a list, query
//! and body parsing, and the read, create and update flows over the
//! application layer.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use placeweave_app::{Edit, Record, Scope};
use placeweave_domain::filter::page_count;
use placeweave_domain::place::is_slug;
use placeweave_domain::{FieldError, PageRequest};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Failure};

pub type ApiResult<T> = Result<Json<T>, ApiError>;
pub type JsonBody = Result<Json<serde_json::Value>, JsonRejection>;

/// One page of a list.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items match in all.
    pub total: i64,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, request: PageRequest) -> Self {
        Page {
            items,
            total,
            page: request.page,
            per_page: request.per_page,
            pages: page_count(total, request.per_page),
        }
    }
}

pub fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, Failure> {
    query.map(|Query(q)| q).map_err(|rejection| {
        Failure::Invalid(vec![FieldError::new(
            "query",
            format!(
                "The query string could not be read: {}",
                rejection.body_text()
            ),
        )])
    })
}

/// Checks an optional slug parameter, naming it when bad.
pub fn slug(
    field: &'static str,
    value: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    if is_slug(value) {
        Some(value.to_owned())
    } else {
        errors.push(FieldError::new(
            field,
            format!("{field} must be an id: lower-case letters, digits and hyphens"),
        ));
        None
    }
}

pub fn checked(errors: Vec<FieldError>) -> Result<(), Failure> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Invalid(errors))
    }
}

pub async fn scope(state: &AppState, caller: &Caller, place: &str) -> Result<Scope, Failure> {
    Ok(state.app.scope(&caller.principal, place).await?)
}

/// A JSON object as name and value pairs, as a form would send them.
fn pairs(body: JsonBody) -> Result<Vec<(String, String)>, Failure> {
    let Json(body) = body.map_err(|rejection| {
        Failure::Invalid(vec![FieldError::new(
            "body",
            format!("The body is not valid JSON: {}", rejection.body_text()),
        )])
    })?;
    let object = body.as_object().ok_or_else(|| {
        Failure::Invalid(vec![FieldError::new(
            "body",
            "The body must be a JSON object",
        )])
    })?;
    let mut out = Vec::new();
    for (key, value) in object {
        match value {
            serde_json::Value::Array(items) => {
                for item in items {
                    out.push((
                        key.clone(),
                        item.as_str()
                            .map_or_else(|| item.to_string(), str::to_owned),
                    ));
                }
            }
            serde_json::Value::Bool(flag) => {
                let text = if *flag { "yes" } else { "" };
                out.push((key.clone(), text.to_owned()));
            }
            serde_json::Value::Null => out.push((key.clone(), String::new())),
            serde_json::Value::String(text) => out.push((key.clone(), text.clone())),
            other => out.push((key.clone(), other.to_string())),
        }
    }
    Ok(out)
}

/// One record as the caller may see it.
pub async fn read<R: Record>(
    state: &AppState,
    caller: &Caller,
    place: &str,
    key: &str,
) -> ApiResult<R> {
    let scope = scope(state, caller, place).await?;
    let key = R::parse_key(key).ok_or(Failure::NotFound)?;
    Ok(Json(state.app.get::<R>(&scope, &key).await?))
}

/// Creates a record from a JSON body.
pub async fn create<R: Record>(
    state: &AppState,
    caller: &Caller,
    place: &str,
    body: JsonBody,
) -> ApiResult<R> {
    let scope = scope(state, caller, place).await?;
    let pairs = pairs(body)?;
    let owner = scope.commitment_owner(None);
    Ok(Json(
        state
            .app
            .create::<R>(&scope, owner, &Edit::patch(&pairs))
            .await?,
    ))
}

/// Applies a JSON patch to a record.
pub async fn update<R: Record>(
    state: &AppState,
    caller: &Caller,
    place: &str,
    key: &str,
    body: JsonBody,
) -> ApiResult<R> {
    let scope = scope(state, caller, place).await?;
    let key = R::parse_key(key).ok_or(Failure::NotFound)?;
    let pairs = pairs(body)?;
    Ok(Json(
        state
            .app
            .update::<R>(&scope, &key, &Edit::patch(&pairs))
            .await?,
    ))
}
