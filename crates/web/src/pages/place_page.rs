//! A place's required pages (accessibility statement, privacy notice,
//! cookies, contact), linked from every page's footer, and the form where
//! an administrator changes their text.

use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_app::AppError;
use placeweave_domain::place_page::{Block, PageKind, PlacePage};
use placeweave_domain::{Action, FieldError, Resource, Target};
use serde::Deserialize;

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, require};

#[derive(Template)]
#[template(path = "place_page.html")]
struct PlacePageView {
    chrome: Chrome,
    page: PlacePage,
    updated: Option<String>,
    may_edit: bool,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    saved: Option<String>,
}

async fn show(
    kind: PageKind,
    state: AppState,
    caller: Caller,
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let page = state.app.place_page(&scope, kind).await?;
    render(
        StatusCode::OK,
        &PlacePageView {
            chrome: Chrome::new(&scope, Section::Home, &caller)
                .titled(page.kind.label())
                .describe(page.summary()),
            updated: page
                .updated_at
                .map(placeweave_domain::record_update::long_date),
            may_edit: scope.may_edit(Resource::PlacePage),
            // Only an editor can have saved: nobody else can be shown a
            // "saved" banner by a crafted link.
            saved: scope.may_edit(Resource::PlacePage)
                && query.ok().and_then(|Query(q)| q.saved).is_some(),
            page,
        },
    )
}

pub async fn accessibility(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> PageResult {
    show(PageKind::Accessibility, state, caller, query).await
}

pub async fn privacy(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> PageResult {
    show(PageKind::Privacy, state, caller, query).await
}

pub async fn cookies(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> PageResult {
    show(PageKind::Cookies, state, caller, query).await
}

pub async fn contact(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<SavedQuery>, QueryRejection>,
) -> PageResult {
    show(PageKind::Contact, state, caller, query).await
}

/// Where each page is served.
pub fn path(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Accessibility => "/accessibility",
        PageKind::Privacy => "/privacy",
        PageKind::Cookies => "/cookies",
        PageKind::Contact => "/contact",
    }
}

#[derive(Template)]
#[template(path = "place_page_edit.html")]
struct EditView {
    chrome: Chrome,
    kind: PageKind,
    errors: Vec<FieldError>,
    body: String,
    version: i64,
    /// When someone else saved first: their text, shown beside the editor's.
    current: Option<PlacePage>,
}

#[derive(Deserialize, Default)]
pub struct EditForm {
    body: Option<String>,
    version: Option<String>,
}

fn kind_of(slug: &str) -> Result<PageKind, Failure> {
    PageKind::parse(slug).ok_or(Failure::NotFound)
}

pub async fn edit_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let kind = kind_of(&slug)?;
    require(&caller, Action::Update, &Target::kind(Resource::PlacePage))?;
    let scope = state.scope(&caller).await?;
    let page = state.app.place_page(&scope, kind).await?;
    render(
        StatusCode::OK,
        &EditView {
            chrome: Chrome::new(&scope, Section::Admin, &caller),
            kind,
            errors: vec![],
            body: page.body,
            version: page.version,
            current: None,
        },
    )
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    form: Result<Form<EditForm>, FormRejection>,
) -> PageResult {
    let kind = kind_of(&slug)?;
    require(&caller, Action::Update, &Target::kind(Resource::PlacePage))?;
    let scope = state.scope(&caller).await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let body = form.body.unwrap_or_default();
    let version = form
        .version
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok());
    let view = |status, errors, version, current| {
        render(
            status,
            &EditView {
                chrome: Chrome::new(&scope, Section::Admin, &caller),
                kind,
                errors,
                body: body.clone(),
                version,
                current,
            },
        )
    };
    let Some(version) = version.filter(|v| *v >= 0) else {
        return Err(Failure::Invalid(vec![FieldError::new(
            "version",
            "The form is missing the version it was opened at: reload the page and try again",
        )])
        .into());
    };
    match state
        .app
        .save_place_page(&scope, kind, &body, version)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("{}?saved=1", path(kind))).into_response()),
        Err(AppError::Conflict) => {
            let current = state.app.place_page(&scope, kind).await?;
            view(
                StatusCode::CONFLICT,
                vec![FieldError::new(
                    "body",
                    "Someone else changed this page after you opened it: check their text below, then save yours again",
                )],
                current.version,
                Some(current),
            )
        }
        Err(err) => match err.field_errors() {
            Ok(errors) => view(StatusCode::BAD_REQUEST, errors, version, None),
            Err(other) => Err(Failure::from(other).into()),
        },
    }
}

/// Every required page, for the footer, the admin index and the sitemap.
pub fn all() -> impl Iterator<Item = (PageKind, &'static str)> {
    PageKind::ALL.iter().map(|&kind| (kind, path(kind)))
}
