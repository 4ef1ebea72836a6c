//! The missions list and a mission's page: its partners by role and its initiatives.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use placeweave_domain::commitment::Commitment;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Mission, OutcomeTheme, Place};
use placeweave_store::CommitmentFilter;

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

#[derive(Template)]
#[template(path = "missions.html")]
struct MissionsPage {
    chrome: Chrome,
    place: Place,
    missions: Vec<Mission>,
    themes: Vec<OutcomeTheme>,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> PageResult {
    let viewer = caller.viewer();
    let place = state.place(viewer).await?;
    let page = MissionsPage {
        chrome: Chrome::new(&place, Section::Missions, &caller),
        missions: state.store.missions(place.key, viewer).await?,
        themes: state.store.outcome_themes(place.key, viewer).await?,
        place: place.place,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "mission.html")]
struct MissionPage {
    chrome: Chrome,
    mission: Mission,
    by_role: Vec<(String, Vec<Commitment>)>,
    initiatives: Vec<InitiativeSummary>,
}

/// Groups commitments under their role's name, in the order roles first appear.
fn group_by_role(commitments: Vec<Commitment>) -> Vec<(String, Vec<Commitment>)> {
    let mut groups: Vec<(String, Vec<Commitment>)> = Vec::new();
    for commitment in commitments {
        let name = commitment
            .role
            .as_ref()
            .map_or_else(|| "Role not settled".to_owned(), |r| r.name.clone());
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(commitment),
            None => groups.push((name, vec![commitment])),
        }
    }
    groups
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let viewer = caller.viewer();
    let place = state.place(viewer).await?;
    let mission = state
        .store
        .mission(place.key, &slug, viewer)
        .await?
        .ok_or(Failure::NotFound)?;
    let commitments = state
        .store
        .commitments(
            place.key,
            viewer,
            &CommitmentFilter {
                mission: Some(slug.clone()),
                ..Default::default()
            },
        )
        .await?;
    let page = MissionPage {
        chrome: Chrome::new(&place, Section::Missions, &caller),
        by_role: group_by_role(commitments),
        initiatives: state
            .store
            .initiatives(place.key, viewer, Some(&slug), None)
            .await?,
        mission,
    };
    render(StatusCode::OK, &page)
}
