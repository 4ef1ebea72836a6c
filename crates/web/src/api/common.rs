//! What every API module shares: the result type, pages of a list, query
//! and body parsing, and the read, create and update flows over the
//! application layer.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use placeweave_app::{AppError, Edit, Record, Scope};
use placeweave_domain::filter::page_count;
use placeweave_domain::place::is_slug;
use placeweave_domain::{FieldError, PageRequest};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Failure};

pub type ApiResult<T> = Result<Json<T>, Refusal>;
/// A JSON body, or why it could not be read (not JSON, too large); `pairs`
/// reads it as the type documented for it.
pub type Body = Result<Json<serde_json::Value>, JsonRejection>;

/// Why a request was refused: a problem document, or a body axum could not
/// take at all (wrong media type, too large), which `error::render_rejections`
/// turns into a problem document keeping its status.
pub enum Refusal {
    Problem(ApiError),
    Rejected(JsonRejection),
    /// A well-formed write that the place's records refuse: a reference to
    /// a record that does not exist (or that the caller cannot see), or a
    /// name already taken. 409, naming the field: no schema can say which
    /// ids exist, so the document cannot promise these away.
    Conflicts(Vec<FieldError>),
    /// A well-formed write the caller's rights refuse, naming the field.
    Forbidden(Vec<FieldError>),
}

impl<E: Into<Failure>> From<E> for Refusal {
    fn from(err: E) -> Self {
        Refusal::Problem(ApiError(err.into()))
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Problem(err) => err.into_response(),
            Refusal::Rejected(rejection) => rejection.into_response(),
            Refusal::Conflicts(errors) => crate::error::problem(
                StatusCode::CONFLICT,
                "A field names a record that does not exist, or a name already taken; see errors."
                    .to_owned(),
                errors,
            ),
            Refusal::Forbidden(errors) => crate::error::problem(
                StatusCode::FORBIDDEN,
                "Your account may not do this; see errors.".to_owned(),
                errors,
            ),
        }
    }
}

/// One page of a list.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items match in all.
    pub total: i64,
    /// The page's number; 0 for a page asked for with `after`.
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
    /// Lists with keyset paging (organisations): the `after` that gives the
    /// next page; absent when this page is known to be the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, request: PageRequest) -> Self {
        Page {
            items,
            total,
            page: request.page,
            per_page: request.per_page,
            pages: page_count(total, request.per_page),
            next: None,
        }
    }
}

pub fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, Failure> {
    query.map(|Query(q)| q).map_err(|rejection| {
        let text = rejection.body_text();
        Failure::Invalid(vec![FieldError::new(
            field_of(&text).unwrap_or("query"),
            format!("The query string could not be read: {text}"),
        )])
    })
}

/// The field a serde message is about: an unknown or missing one, or the
/// path serde_path_to_error puts in front (`start_date: invalid …`).
fn field_of(message: &str) -> Option<&str> {
    let inner = message
        .split_once("target type: ")
        .or_else(|| message.split_once("query string: "))
        .map_or(message, |(_, rest)| rest);
    for prefix in ["unknown field `", "missing field `"] {
        if let Some(rest) = inner.strip_prefix(prefix) {
            return rest.split('`').next();
        }
    }
    let (path, _) = inner.split_once(": ")?;
    let field = path.split(['.', '[']).next()?;
    (!field.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    .then_some(field)
}

/// Query parameters the API takes exactly as documented: a blank value or
/// one with spaces around it is refused by name (the HTML forms send blanks
/// for "any" and are forgiving; the API documents types and patterns), and
/// so is a page number that is not plain digits.
pub fn exact(params: &[(&'static str, &Option<String>)], errors: &mut Vec<FieldError>) {
    for (field, value) in params {
        let Some(value) = value.as_deref() else {
            continue;
        };
        let number = matches!(*field, "page" | "per_page");
        if value.trim().is_empty() || value.trim() != value {
            errors.push(FieldError::new(
                *field,
                format!("{field} must have a value without spaces around it, or be left out"),
            ));
        } else if number && !value.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(FieldError::new(
                *field,
                format!("{field} must be a whole number"),
            ));
        }
    }
}

/// A body as the name and value pairs the application layer takes, as a
/// form would send them, once it has been read as `T`, the type the OpenAPI
/// document gives for it: lists as repeated names (an empty list as one
/// empty value, so it empties the field), true as `yes`, false and null as
/// empty. Every unknown field and every value of the wrong type or shape is
/// refused by name, all at once; fields the caller may not set are then
/// refused by name by the domain's edit.
pub(super) fn pairs<T: DeserializeOwned + Serialize>(
    body: Body,
) -> Result<Vec<(String, String)>, Refusal> {
    let typed = typed::<T>(body)?;
    let value = serde_json::to_value(typed).map_err(|_| {
        Failure::Invalid(vec![FieldError::new("body", "The body could not be read")])
    })?;
    let mut out = Vec::new();
    let serde_json::Value::Object(object) = value else {
        return Ok(out);
    };
    for (key, value) in object {
        match value {
            serde_json::Value::Array(items) if items.is_empty() => {
                out.push((key, String::new()));
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    out.push((key.clone(), scalar(item)));
                }
            }
            other => out.push((key, scalar(other))),
        }
    }
    Ok(out)
}

/// Reads a body as `T`, naming each field at fault.
pub(super) fn typed<T: DeserializeOwned>(body: Body) -> Result<T, Refusal> {
    let Json(raw) = body.map_err(|rejection| match rejection {
        JsonRejection::JsonDataError(_) | JsonRejection::JsonSyntaxError(_) => {
            let text = rejection.body_text();
            let message = text.split_once(": ").map_or(text.as_str(), |(_, m)| m);
            Refusal::from(Failure::Invalid(vec![FieldError::new(
                "body",
                format!("The body is not valid JSON: {message}"),
            )]))
        }
        other => Refusal::Rejected(other),
    })?;
    serde_json::from_value::<T>(raw.clone())
        .map_err(|whole| {
            let serde_json::Value::Object(object) = &raw else {
                return Failure::Invalid(vec![FieldError::new(
                    "body",
                    "The body must be a JSON object",
                )]);
            };
            // Each field alone: an error that is not about a missing field is
            // about that one (serde reports missing fields last).
            let mut errors = Vec::new();
            for (key, value) in object {
                let alone =
                    serde_json::Value::Object([(key.clone(), value.clone())].into_iter().collect());
                if let Err(err) = serde_json::from_value::<T>(alone) {
                    let message = err.to_string();
                    if !message.starts_with("missing field") {
                        errors.push(FieldError::new(key.clone(), message));
                    }
                }
            }
            if errors.is_empty() {
                let message = whole.to_string();
                let field = field_of(&message).unwrap_or("body").to_owned();
                errors.push(FieldError::new(field, message));
            }
            Failure::Invalid(errors)
        })
        .map_err(Refusal::from)
}

fn scalar(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::Bool(true) => "yes".to_owned(),
        serde_json::Value::Bool(false) | serde_json::Value::Null => String::new(),
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }
}

/// Checks an optional slug parameter, naming it when bad.
pub fn slug(
    field: &'static str,
    value: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.as_deref()?;
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

/// Creates a record from a typed body's pairs.
pub async fn create<R: Record, B: DeserializeOwned + Serialize>(
    state: &AppState,
    caller: &Caller,
    place: &str,
    body: Body,
) -> ApiResult<R> {
    let scope = scope(state, caller, place).await?;
    let owner = scope.commitment_owner(None);
    // Who may create is answered before what they sent.
    state.app.creatable::<R>(&scope, owner.clone())?;
    let pairs = pairs::<B>(body)?;
    let created = state
        .app
        .create::<R>(&scope, owner, &Edit::patch(&pairs))
        .await;
    Ok(Json(created.map_err(conflicts)?))
}

/// Applies a typed body's pairs to a record as a patch: only what was sent.
pub async fn update<R: Record, B: DeserializeOwned + Serialize>(
    state: &AppState,
    caller: &Caller,
    place: &str,
    key: &str,
    body: Body,
) -> ApiResult<R> {
    let scope = scope(state, caller, place).await?;
    let key = R::parse_key(key).ok_or(Failure::NotFound)?;
    // Whether the record exists and the caller may change it is answered
    // before what they sent.
    state.app.editable::<R>(&scope, &key).await?;
    let pairs = pairs::<B>(body)?;
    let updated = state
        .app
        .update::<R>(&scope, &key, &Edit::patch(&pairs))
        .await;
    Ok(Json(updated.map_err(conflicts)?))
}

/// Refusals that depend on the place's records or the caller's rights
/// rather than on the body's form (see `Refusal`).
pub fn conflicts(err: AppError) -> Refusal {
    match err {
        AppError::Unresolved(errors) => Refusal::Conflicts(errors),
        AppError::Disallowed(errors) => Refusal::Forbidden(errors),
        other => other.into(),
    }
}
