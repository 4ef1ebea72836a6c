//! The initiatives list and an initiative's page.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use placeweave_domain::filter::page_count;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Initiative, PageRequest};

use super::{Chrome, PageResult, Pagination, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

#[derive(Template)]
#[template(path = "initiatives.html")]
struct InitiativesPage {
    chrome: Chrome,
    initiatives: Vec<InitiativeSummary>,
    total: usize,
    page: u32,
    pages: u32,
    pagination: Pagination,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    page: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> PageResult {
    let viewer = caller.viewer();
    let place = state.place(viewer).await?;
    let raw = query.map(|Query(q)| q).unwrap_or_default();
    let mut errors = Vec::new();
    let request = PageRequest::parse(raw.page.as_deref(), None, &mut errors);
    if !errors.is_empty() {
        return Err(Failure::Invalid(errors).into());
    }
    let all = state
        .store
        .initiatives(place.key, viewer, None, None)
        .await?;
    let total = all.len();
    let pages = page_count(i64::try_from(total).unwrap_or(i64::MAX), request.per_page);
    if request.page > 1 && request.page > pages {
        return Err(Failure::NotFound.into());
    }
    let start = usize::try_from(request.offset()).unwrap_or(usize::MAX);
    let page = InitiativesPage {
        chrome: Chrome::new(&place, Section::Initiatives, &caller),
        initiatives: all
            .into_iter()
            .skip(start)
            .take(request.per_page as usize)
            .collect(),
        total,
        page: request.page,
        pages,
        pagination: Pagination::new(request.page, pages, |n| format!("/initiatives?page={n}")),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "initiative.html")]
struct InitiativePage {
    chrome: Chrome,
    initiative: Initiative,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let viewer = caller.viewer();
    let place = state.place(viewer).await?;
    let initiative = state
        .store
        .initiative(place.key, &slug, viewer)
        .await?
        .ok_or(Failure::NotFound)?;
    let page = InitiativePage {
        chrome: Chrome::new(&place, Section::Initiatives, &caller),
        initiative,
    };
    render(StatusCode::OK, &page)
}
