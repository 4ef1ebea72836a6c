//! Site search: the records the caller may read that match some words.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, State};
use placeweave_app::SearchChannel;
use placeweave_domain::FieldError;
use placeweave_domain::search::{Fragment, Search, SearchKind, SearchQuery, SearchResults};
use serde::Serialize;
use utoipa::ToSchema;

use super::common::{ApiResult, checked, exact, query, scope};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// One record found.
#[derive(Serialize, ToSchema)]
pub struct SearchResult {
    /// `organisation`, `initiative`, `mission` or `role`.
    kind: SearchKind,
    /// The record's id, as used in its own API address.
    id: String,
    /// The record's name, with the words that matched marked.
    title: Vec<Fragment>,
    /// A passage of the record's text around the words that matched.
    snippet: Vec<Fragment>,
}

/// How many results of one kind matched.
#[derive(Serialize, ToSchema)]
pub struct KindCount {
    kind: SearchKind,
    count: i64,
}

/// One page of search results, best first.
#[derive(Serialize, ToSchema)]
pub struct SearchPage {
    items: Vec<SearchResult>,
    /// How many results match in all (of the kind asked for, if any).
    total: i64,
    /// How many match of each kind, whatever kind was asked for.
    counts: Vec<KindCount>,
    page: u32,
    per_page: u32,
    pages: u32,
}

/// Search a place's organisations, initiatives, missions and roles.
///
/// Every word must match, as itself, as the start of a longer word or as
/// another form of the same word. Results the caller may not read are
/// neither returned nor counted.
#[utoipa::path(get, path = "/api/v1/places/{place}/search", tag = "search",
    params(("place" = String, Path, description = "Place id"), SearchQuery),
    responses(
        (status = 200, description = "One page of results", body = SearchPage),
        (status = 400, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<axum::extract::Query<SearchQuery>, QueryRejection>,
) -> ApiResult<SearchPage> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(
        &[
            ("kind", &q.kind),
            ("page", &q.page),
            ("per_page", &q.per_page),
        ],
        &mut errors,
    );
    if q.kind.as_deref() == Some(SearchKind::Contact.slug()) {
        errors.push(FieldError::new(
            "kind",
            "kind must be organisation, initiative, mission or role",
        ));
    }
    checked(errors)?;
    let (search, page) = Search::parse(&q)?;
    let results = match search {
        Some(search) => {
            state
                .app
                .search(&scope, &search, SearchChannel::Api, page)
                .await?
        }
        None => SearchResults::default(),
    };
    Ok(Json(SearchPage {
        pages: placeweave_domain::filter::page_count(results.total, page.per_page),
        items: results
            .hits
            .into_iter()
            .map(|hit| SearchResult {
                kind: hit.kind,
                id: hit.id,
                title: hit.title,
                snippet: hit.snippet,
            })
            .collect(),
        total: results.total,
        counts: results
            .counts
            .into_iter()
            .map(|(kind, count)| KindCount { kind, count })
            .collect(),
        page: page.page,
        per_page: page.per_page,
    }))
}
