//! The collaboration offer's roles.

use axum::Json;
use axum::extract::{Path, State};

use super::common::{ApiResult, JsonBody, create, read, scope, update};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::Role;

/// List the collaboration offer's roles.
#[utoipa::path(get, path = "/api/v1/places/{place}/roles", tag = "offer",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The roles on offer", body = [Role]),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
) -> ApiResult<Vec<Role>> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(state.app.roles(&scope).await?))
}

/// Get a role.
#[utoipa::path(get, path = "/api/v1/places/{place}/roles/{role}", tag = "offer",
    params(("place" = String, Path, description = "Place id"), ("role" = String, Path, description = "Role id")),
    responses(
        (status = 200, description = "The role", body = Role),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json")))]
pub async fn role(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<Role> {
    read::<Role>(&state, &caller, &place, &key).await
}

/// Add a role to the collaboration offer (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/roles", tag = "offer",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new role", body = Role),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Role> {
    create::<Role>(&state, &caller, &place, body).await
}

/// Change a role of the collaboration offer (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/roles/{role}", tag = "offer",
    params(("place" = String, Path, description = "Place id"), ("role" = String, Path, description = "Role id")), request_body = Object,
    responses((status = 200, description = "The role as changed", body = Role),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_role(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<Role> {
    update::<Role>(&state, &caller, &place, &key, body).await
}
