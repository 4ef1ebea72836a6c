//! The initiatives list and an initiative's page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use placeweave_domain::Initiative;
use placeweave_domain::initiative::InitiativeSummary;

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

#[derive(Template)]
#[template(path = "initiatives.html")]
struct InitiativesPage {
    chrome: Chrome,
    initiatives: Vec<InitiativeSummary>,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> PageResult {
    let viewer = caller.viewer();
    let place = state.place(viewer).await?;
    let page = InitiativesPage {
        chrome: Chrome::new(&place, Section::Initiatives, &caller),
        initiatives: state
            .store
            .initiatives(place.key, viewer, None, None)
            .await?,
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
