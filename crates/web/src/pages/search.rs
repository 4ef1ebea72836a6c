//! The site search page: one box in every page's header, results ranked
//! with the matched words marked, narrowed by kind.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use placeweave_app::SearchChannel;
use placeweave_domain::filter::page_count;
use placeweave_domain::search::{Fragment, Search, SearchHit, SearchKind, SearchQuery};
use placeweave_domain::{DomainError, FieldError};

use super::{Chrome, PageError, PageResult, Pagination, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// A link that narrows (or widens) the results to one kind, with its count.
pub struct KindLink {
    label: &'static str,
    count: i64,
    href: String,
    current: bool,
}

pub struct Hit {
    kind: &'static str,
    href: String,
    title: Vec<Fragment>,
    snippet: Vec<Fragment>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    q: String,
    searched: bool,
    kinds: Vec<KindLink>,
    hits: Vec<Hit>,
    total: i64,
    page: u32,
    pages: u32,
    pagination: Pagination,
}

/// Where a hit leads: the record's own page (a role's place in the offer;
/// a contact's organisation's contacts page, which logs the view).
fn href(hit: &SearchHit) -> String {
    match hit.kind {
        SearchKind::Organisation => format!("/organisations/{}", hit.id),
        SearchKind::Initiative => format!("/initiatives/{}", hit.id),
        SearchKind::Mission => format!("/missions/{}", hit.id),
        SearchKind::Role => format!("/offer#{}", hit.id),
        SearchKind::Contact => format!("/organisations/{}/contacts", hit.id),
        SearchKind::Experiment => format!("/experiments/{}", hit.id),
        SearchKind::Story => format!("/stories/{}", hit.id),
    }
}

/// The search's address for a kind and page.
fn search_href(q: &str, kind: Option<SearchKind>, page: u32) -> String {
    let mut url = url::form_urlencoded::Serializer::new(String::new());
    url.append_pair("q", q);
    if let Some(kind) = kind {
        url.append_pair("kind", kind.slug());
    }
    if page > 1 {
        url.append_pair("page", &page.to_string());
    }
    format!("/search?{}", url.finish())
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let chrome = Chrome::new(&scope, Section::Search, &caller);
    let q = query.q.clone().unwrap_or_default();
    let mut page = SearchPage {
        chrome,
        errors: vec![],
        q: q.clone(),
        searched: false,
        kinds: vec![],
        hits: vec![],
        total: 0,
        page: 1,
        pages: 0,
        pagination: Pagination::default(),
    };
    let (search, request) = match Search::parse(&query) {
        Ok(parsed) => parsed,
        Err(DomainError::Invalid(errors)) => {
            page.errors = errors;
            return render(StatusCode::BAD_REQUEST, &page);
        }
    };
    let Some(search) = search else {
        // Text with no letters or digits finds nothing; say so.
        page.searched = !q.trim().is_empty();
        return render(StatusCode::OK, &page);
    };
    let results = state
        .app
        .search(&scope, &search, SearchChannel::Pages, request)
        .await?;
    let pages = page_count(results.total, request.per_page);
    if request.page > 1 && request.page > pages {
        return Err(PageError(Failure::NotFound));
    }
    let all: i64 = results.counts.iter().map(|(_, n)| n).sum();
    page.kinds = std::iter::once(KindLink {
        label: "All results",
        count: all,
        href: search_href(&q, None, 1),
        current: search.kind.is_none(),
    })
    .chain(results.counts.iter().map(|(kind, count)| KindLink {
        label: kind.label(),
        count: *count,
        href: search_href(&q, Some(*kind), 1),
        current: search.kind == Some(*kind),
    }))
    .collect();
    page.hits = results
        .hits
        .iter()
        .map(|hit| Hit {
            kind: match hit.kind {
                SearchKind::Organisation => "Organisation",
                SearchKind::Initiative => "Initiative",
                SearchKind::Mission => "Mission",
                SearchKind::Role => "Role",
                SearchKind::Contact => "Contact",
                SearchKind::Experiment => "Experiment",
                SearchKind::Story => "Story",
            },
            href: href(hit),
            title: hit.title.clone(),
            snippet: hit.snippet.clone(),
        })
        .collect();
    page.searched = true;
    page.total = results.total;
    page.page = request.page;
    page.pages = pages;
    page.pagination = Pagination::new(request.page, pages, |n| search_href(&q, search.kind, n));
    render(StatusCode::OK, &page)
}
