//! The home page: the place, its missions and its headline numbers.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use placeweave_domain::{Mission, OutcomeTheme, Place};

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    place: Place,
    numbers: Vec<(&'static str, i64, &'static str)>,
    missions: Vec<Mission>,
    themes: Vec<OutcomeTheme>,
}

pub async fn show(State(state): State<AppState>, caller: Caller) -> PageResult {
    let viewer = caller.viewer();
    let place = state.place(viewer).await?;
    let headline = state.store.headline(place.key, viewer).await?;
    let page = HomePage {
        chrome: Chrome::new(&place, Section::Home, &caller),
        numbers: vec![
            ("Organisations", headline.organisations, "/organisations"),
            (
                "Anchor institutions",
                headline.anchor_institutions,
                "/organisations",
            ),
            ("Missions", headline.missions, "/missions"),
            ("Partner roles on offer", headline.roles, "/offer"),
            ("Commitments", headline.commitments, "/missions"),
            ("Initiatives", headline.initiatives, "/initiatives"),
        ],
        missions: state.store.missions(place.key, viewer).await?,
        themes: state.store.outcome_themes(place.key, viewer).await?,
        place: place.place,
    };
    render(StatusCode::OK, &page)
}
