//! The collaboration offer: each role, what we ask, what you get, who to contact.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use placeweave_domain::Place;
use placeweave_domain::offer::points;

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

struct RoleView {
    id: String,
    name: String,
    description: String,
    ask_of_partner: String,
    for_place: Vec<String>,
    for_partner: Vec<String>,
    contact: Option<String>,
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage {
    chrome: Chrome,
    place: Place,
    roles: Vec<RoleView>,
}

pub async fn show(State(state): State<AppState>, caller: Caller) -> PageResult {
    let viewer = caller.viewer();
    let place = state.place(viewer).await?;
    let roles = state
        .store
        .roles(place.key, viewer)
        .await?
        .into_iter()
        .map(|r| RoleView {
            for_place: points(&r.value_for_place)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            for_partner: points(&r.value_for_partner)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            id: r.id,
            name: r.name,
            description: r.description,
            ask_of_partner: r.ask_of_partner,
            contact: r.contact,
        })
        .collect();
    let page = OfferPage {
        chrome: Chrome::new(&place, Section::Offer, &caller),
        place: place.place,
        roles,
    };
    render(StatusCode::OK, &page)
}
