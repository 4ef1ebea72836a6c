//! Missions.

use axum::Json;
use axum::extract::{Path, State};

use super::common::{ApiResult, Body, create, read, scope, update};
use super::types::{Name, Prose, Slug, nullable_whole, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::Audience;
use placeweave_domain::Mission;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new mission (staff).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMission {
    short_name: Name,
    /// The mission statement as published.
    statement: Prose,
    audience: Audience,
    #[serde(
        default,
        deserialize_with = "nullable_whole",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    target_year: Option<Option<i64>>,
    /// Ids of the outcome themes it serves.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    outcome_themes: Option<Vec<Slug>>,
}

/// Changes to a mission: only the fields sent change (null empties one), and `version` must be the one read.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MissionChanges {
    /// The version you read; a stale one gets 409.
    #[serde(deserialize_with = "whole")]
    version: i64,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Name)]
    short_name: Option<Name>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Prose)]
    statement: Option<Prose>,
    #[serde(
        default,
        deserialize_with = "nullable_whole",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<i32>, minimum = 2000, maximum = 2100)]
    target_year: Option<Option<i64>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    outcome_themes: Option<Vec<Slug>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

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
    params(("place" = String, Path, description = "Place id")), request_body = NewMission,
    responses((status = 200, description = "The new mission", body = Mission),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Mission> {
    create::<Mission, NewMission>(&state, &caller, &place, body).await
}

/// Change a mission (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/missions/{mission}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("mission" = String, Path, description = "Mission id")), request_body = MissionChanges,
    responses((status = 200, description = "The mission as changed", body = Mission),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mission, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Mission> {
    update::<Mission, MissionChanges>(&state, &caller, &place, &key, body).await
}
