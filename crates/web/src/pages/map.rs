//! The interactive network map (`/network/map`, the caller's view) and its
//! embeddable public twin (`/embed/map`, published records only, even for
//! a signed-in visitor). Both pages are progressive enhancement: the script
//! `/assets/map.js` draws the map from the JSON data; without it the page
//! points to the same facts as tables on `/network`.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{Chrome, PageError, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    chrome: Chrome,
    /// Where the script reads the caller's map data.
    source: String,
    embed_href: &'static str,
}

#[derive(Template)]
#[template(path = "embed_map.html")]
struct EmbedPage {
    service_name: String,
    place_name: String,
}

pub async fn show(State(state): State<AppState>, caller: Caller) -> PageResult {
    let scope = state.scope(&caller).await?;
    let chrome = Chrome::new(&scope, Section::Network, &caller).titled("Network map");
    let page = MapPage {
        chrome,
        source: format!("/api/v1/places/{}/network/map", state.place_slug()),
        embed_href: "/embed/map",
    };
    render(StatusCode::OK, &page)
}

/// The policy for the embed only: the site's own, but any site may frame
/// it. Every other response keeps `frame-ancestors 'none'`.
fn frameable() -> HeaderValue {
    let policy = crate::csp::POLICY.replace("frame-ancestors 'none'", "frame-ancestors *");
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

pub async fn embed(State(state): State<AppState>) -> PageResult {
    // Public whoever asks: the embed is what a partner's website shows.
    let scope = state.scope(&Caller::public()).await?;
    let chrome = Chrome::new(&scope, Section::Network, &Caller::public());
    let page = EmbedPage {
        service_name: chrome.service_name,
        place_name: chrome.place_name,
    };
    let mut response = render(StatusCode::OK, &page)?;
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, frameable());
    Ok(response)
}

/// The embed's data: the public map, whoever asks.
pub async fn embed_data(State(state): State<AppState>) -> Result<Response, PageError> {
    let scope = state.scope(&Caller::public()).await?;
    let map = state.app.network_map(&scope).await?;
    Ok(Json(map).into_response())
}
