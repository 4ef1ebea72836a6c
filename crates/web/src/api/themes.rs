//! The outcomes framework's themes.

use axum::Json;
use axum::extract::{Path, State};

use super::common::{ApiResult, JsonBody, create, scope, update};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::OutcomeTheme;

/// List a place's outcome themes.
#[utoipa::path(get, path = "/api/v1/places/{place}/outcome-themes", tag = "missions",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The outcome themes", body = [OutcomeTheme]),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn outcome_themes(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
) -> ApiResult<Vec<OutcomeTheme>> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(state.app.outcome_themes(&scope).await?))
}

/// Add a theme to the outcomes framework (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/outcome-themes", tag = "missions",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new theme", body = OutcomeTheme),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_theme(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<OutcomeTheme> {
    create::<OutcomeTheme>(&state, &caller, &place, body).await
}

/// Change a theme of the outcomes framework (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/outcome-themes/{theme}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("theme" = String, Path, description = "Theme id")), request_body = Object,
    responses((status = 200, description = "The theme as changed", body = OutcomeTheme),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such theme", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_theme(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<OutcomeTheme> {
    update::<OutcomeTheme>(&state, &caller, &place, &key, body).await
}
