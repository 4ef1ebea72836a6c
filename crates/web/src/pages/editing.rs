//! The pages every editable record shares, written once over the
//! application layer: the "new" and "edit" forms, saving them, showing the
//! errors with what was typed, and "someone else changed this". A record
//! type says only where its pages live and how its form looks.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_app::{AppError, Edit, Record, Scope};
use placeweave_domain::FieldError;
use placeweave_domain::edit::Submitted;
use serde::Deserialize;

use super::saved::after_save;
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// What a form page is showing.
pub struct FormView<'a, R> {
    pub scope: &'a Scope,
    pub caller: &'a Caller,
    /// The record as the caller sees it (blank for a new one).
    pub record: &'a R,
    /// What they typed, to show back with the errors.
    pub submitted: Option<&'a [(String, String)]>,
    pub errors: Vec<FieldError>,
    /// Where the form posts.
    pub action: String,
    /// The version being edited; none for a new record.
    pub version: Option<i64>,
}

/// How a record's pages look.
pub trait FormPage: Record {
    const SECTION: Section;
    /// The heading of the "new" form.
    const ADD_HEADING: &'static str;
    /// Where the "new" form posts.
    fn new_href(owner: Option<&str>) -> String;
    fn edit_href(key: &Self::Key) -> String;
    /// What the success banner after a save names (see `saved`).
    const SAVED: &'static str;
    /// Where to go after saving.
    fn saved_href(&self) -> String;
    /// Which banner the saved record's page shows.
    fn saved(&self) -> &'static str {
        Self::SAVED
    }
    fn heading(&self) -> String;
    fn render(
        state: &AppState,
        view: FormView<'_, Self>,
    ) -> impl std::future::Future<Output = PageResult> + Send;
}

/// `?organisation=` on a "new" form: whom the record is for.
#[derive(Debug, Default, Deserialize)]
pub struct OwnerQuery {
    organisation: Option<String>,
}

fn owner(scope: &Scope, query: Result<Query<OwnerQuery>, QueryRejection>) -> Option<String> {
    scope.commitment_owner(query.ok().and_then(|Query(q)| q.organisation))
}

fn pairs(body: &[u8]) -> Vec<(String, String)> {
    super::forms::translate(url::form_urlencoded::parse(body).into_owned().collect())
}

fn key<R: Record>(raw: &str) -> Result<R::Key, Failure> {
    R::parse_key(raw).ok_or(Failure::NotFound)
}

pub async fn new_page<R: FormPage>(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<OwnerQuery>, QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let owner = owner(&scope, query);
    let blank = state.app.creatable::<R>(&scope, owner.clone())?;
    let view = FormView {
        scope: &scope,
        caller: &caller,
        record: &blank,
        submitted: None,
        errors: vec![],
        action: R::new_href(owner.as_deref()),
        version: None,
    };
    R::render(&state, view).await
}

pub async fn edit_page<R: FormPage>(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let key = key::<R>(&raw)?;
    let record = state.app.editable::<R>(&scope, &key).await?;
    let view = FormView {
        scope: &scope,
        caller: &caller,
        record: &record,
        submitted: None,
        errors: vec![],
        action: R::edit_href(&key),
        version: Some(record.version()),
    };
    R::render(&state, view).await
}

pub async fn create<R: FormPage>(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<OwnerQuery>, QueryRejection>,
    RawForm(body): RawForm,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let owner = owner(&scope, query);
    let pairs = pairs(&body);
    match state
        .app
        .create::<R>(&scope, owner.clone(), &Edit::form(&pairs))
        .await
    {
        Ok(saved) => {
            Ok(Redirect::to(&after_save(&saved.saved_href(), saved.saved())).into_response())
        }
        Err(
            AppError::Invalid(errors) | AppError::Unresolved(errors) | AppError::Disallowed(errors),
        ) => {
            let blank = state.app.creatable::<R>(&scope, owner.clone())?;
            let view = FormView {
                scope: &scope,
                caller: &caller,
                record: &blank,
                submitted: Some(&pairs),
                errors,
                action: R::new_href(owner.as_deref()),
                version: None,
            };
            R::render(&state, view).await
        }
        Err(other) => Err(Failure::from(other).into()),
    }
}

pub async fn update<R: FormPage>(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    RawForm(body): RawForm,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let key = key::<R>(&raw)?;
    let pairs = pairs(&body);
    match state
        .app
        .update::<R>(&scope, &key, &Edit::form(&pairs))
        .await
    {
        Ok(saved) => {
            Ok(Redirect::to(&after_save(&saved.saved_href(), saved.saved())).into_response())
        }
        Err(
            AppError::Invalid(errors) | AppError::Unresolved(errors) | AppError::Disallowed(errors),
        ) => {
            let current = state.app.editable::<R>(&scope, &key).await?;
            let view = FormView {
                scope: &scope,
                caller: &caller,
                record: &current,
                submitted: Some(&pairs),
                errors,
                action: R::edit_href(&key),
                version: Some(current.version()),
            };
            R::render(&state, view).await
        }
        Err(AppError::Conflict) => {
            // Both versions as the caller may see them, and only the fields
            // they could have changed.
            let latest = state.app.editable::<R>(&scope, &key).await?;
            let settable = latest.settable(&scope);
            let yours = latest
                .apply(&Submitted::new(&pairs), settable, Edit::form(&pairs).absent)
                .unwrap_or_else(|_| latest.clone());
            conflict(
                Chrome::new(&scope, R::SECTION, &caller),
                R::edit_href(&key),
                &yours,
                &latest,
                settable,
            )
        }
        Err(other) => Err(Failure::from(other).into()),
    }
}

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage {
    chrome: Chrome,
    edit_href: String,
    rows: Vec<(String, String, String)>,
}

fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(
                |item| match item.get("name").or_else(|| item.get("organisation")) {
                    Some(serde_json::Value::String(name)) => name.clone(),
                    Some(other) => shown(other.get("name")),
                    None => shown(Some(item)),
                },
            )
            .collect::<Vec<_>>()
            .join(", "),
        Some(serde_json::Value::Object(map)) => shown(map.get("name")),
        Some(other) => other.to_string(),
    }
}

/// "Someone else changed this": both versions, field by field.
fn conflict<T: serde::Serialize>(
    chrome: Chrome,
    edit_href: String,
    yours: &T,
    latest: &T,
    fields: &[&str],
) -> PageResult {
    let yours = serde_json::to_value(yours).unwrap_or_default();
    let latest = serde_json::to_value(latest).unwrap_or_default();
    let mut rows = Vec::new();
    if let (Some(y), Some(l)) = (yours.as_object(), latest.as_object()) {
        for field in fields {
            let Some(value) = y.get(*field) else { continue };
            rows.push((
                field.replace('_', " "),
                shown(Some(value)),
                shown(l.get(*field)),
            ));
        }
    }
    render(
        StatusCode::CONFLICT,
        &ConflictPage {
            chrome,
            edit_href,
            rows,
        },
    )
}

/// The form's heading: the record's own for an edit, the type's for a new one.
pub fn heading<R: FormPage>(view: &FormView<'_, R>) -> String {
    if view.version.is_some() {
        view.record.heading()
    } else {
        R::ADD_HEADING.to_owned()
    }
}
