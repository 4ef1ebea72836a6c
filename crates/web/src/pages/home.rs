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
    /// Staff and admins' own work, first.
    my_work: Option<placeweave_app::my_work::MyWork>,
}

pub async fn show(State(state): State<AppState>, caller: Caller) -> PageResult {
    let scope = state.scope(&caller).await?;
    let headline = state.app.headline(&scope).await?;
    let page = HomePage {
        chrome: Chrome::new(&scope, Section::Home, &caller),
        numbers: vec![
            ("Organisations", headline.organisations, "/organisations"),
            (
                "Anchor institutions",
                headline.anchor_institutions,
                "/organisations?anchor=yes",
            ),
            ("Missions", headline.missions, "/missions"),
            ("Partner roles on offer", headline.roles, "/offer"),
            ("Commitments", headline.commitments, "/missions"),
            ("Initiatives", headline.initiatives, "/initiatives"),
        ],
        missions: state.app.missions(&scope).await?,
        themes: state.app.outcome_themes(&scope).await?,
        my_work: state.app.my_work(&scope).await?,
        place: scope.place().place.clone(),
    };
    render(StatusCode::OK, &page)
}
