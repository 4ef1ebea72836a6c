//! The network map's data.

use axum::Json;
use axum::extract::{Path, State};
use placeweave_domain::map::MapDocument;

use super::common::{ApiResult, scope};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// The network as the map draws it, as the caller may see it: every
/// organisation with its kind, wards, levers, missions, metrics and
/// community, and the links between them (ends given by position in
/// `organisations`). The same analysis as `/api/v1/places/{place}/network`;
/// `version` changes whenever anything the caller can see does.
#[utoipa::path(get, path = "/api/v1/places/{place}/network/map", tag = "network",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The map's data", body = MapDocument),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn map(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
) -> ApiResult<std::sync::Arc<MapDocument>> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(state.app.network_map(&scope).await?))
}
