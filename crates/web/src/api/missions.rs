//! Missions.

use axum::Json;
use axum::extract::{Path, State};

use super::common::{ApiResult, JsonBody, create, read, scope, update};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::Mission;

/// List a place's missions.
#[utoipa::path(get, path = "/api/v1/places/{place}/missions", tag = "missions",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The missions, in published order", body = [Mission]),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn missions(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
) -> ApiResult<Vec<Mission>> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(state.app.missions(&scope).await?))
}

/// Get a mission.
#[utoipa::path(get, path = "/api/v1/places/{place}/missions/{mission}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("mission" = String, Path, description = "Mission id")),
    responses(
        (status = 200, description = "The mission", body = Mission),
        (status = 404, description = "No such mission", body = Problem, content_type = "application/problem+json")))]
pub async fn mission(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<Mission> {
    read::<Mission>(&state, &caller, &place, &key).await
}

/// Add a mission (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/missions", tag = "missions",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new mission", body = Mission),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Mission> {
    create::<Mission>(&state, &caller, &place, body).await
}

/// Change a mission (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/missions/{mission}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("mission" = String, Path, description = "Mission id")), request_body = Object,
    responses((status = 200, description = "The mission as changed", body = Mission),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mission", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<Mission> {
    update::<Mission>(&state, &caller, &place, &key, body).await
}
