//! The outcomes framework's themes.

use axum::Json;
use axum::extract::{Path, State};

use super::common::{ApiResult, Body, create, scope, update};
use super::types::{Name, Text, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::Audience;
use placeweave_domain::OutcomeTheme;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new theme of the outcomes framework (staff).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTheme {
    name: Name,
    audience: Audience,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    description: Option<Option<Text>>,
    /// Whether the framework treats it as a core theme.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = bool)]
    is_core: Option<bool>,
}

/// Changes to a theme: only the fields sent change (null empties one), and `version` must be the one read.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeChanges {
    /// The version you read; a stale one gets 409.
    #[serde(deserialize_with = "whole")]
    version: i64,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Name)]
    name: Option<Name>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    description: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = bool)]
    is_core: Option<bool>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

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
    params(("place" = String, Path, description = "Place id")), request_body = NewTheme,
    responses((status = 200, description = "The new theme", body = OutcomeTheme),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_theme(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<OutcomeTheme> {
    create::<OutcomeTheme, NewTheme>(&state, &caller, &place, body).await
}

/// Change a theme of the outcomes framework (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/outcome-themes/{theme}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("theme" = String, Path, description = "Theme id")), request_body = ThemeChanges,
    responses((status = 200, description = "The theme as changed", body = OutcomeTheme),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such theme, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_theme(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<OutcomeTheme> {
    update::<OutcomeTheme, ThemeChanges>(&state, &caller, &place, &key, body).await
}
