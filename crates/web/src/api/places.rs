//! Places and their headline numbers.

use axum::Json;
use axum::extract::{Path, State};
use placeweave_domain::Place;
use placeweave_domain::place::Headline;
use serde::Serialize;
use utoipa::ToSchema;

use super::common::{ApiResult, scope};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// A place with its headline numbers.
#[derive(Serialize, ToSchema)]
pub struct PlaceDetail {
    place: Place,
    headline: Headline,
}

/// List places.
#[utoipa::path(get, path = "/api/v1/places", tag = "places",
    responses((status = 200, description = "Every place the caller may see", body = [Place])))]
pub async fn places(State(state): State<AppState>, caller: Caller) -> ApiResult<Vec<Place>> {
    let places = state.app.places(&caller.principal).await?;
    Ok(Json(places.into_iter().map(|p| p.place).collect()))
}

/// Get a place and its headline numbers.
#[utoipa::path(get, path = "/api/v1/places/{place}", tag = "places",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The place", body = PlaceDetail),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn place(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<PlaceDetail> {
    let scope = scope(&state, &caller, &slug).await?;
    let headline = state.app.headline(&scope).await?;
    Ok(Json(PlaceDetail {
        place: scope.place().place.clone(),
        headline,
    }))
}
