//! The collaboration offer's roles.

use axum::Json;
use axum::extract::{Path, State};

use super::common::{ApiResult, Body, create, read, scope, update};
use super::types::{Line, Name, Prose, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::Audience;
use placeweave_domain::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new role of the collaboration offer (staff).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRole {
    name: Name,
    description: Prose,
    ask_of_partner: Prose,
    /// Value for the place, one point a line.
    value_for_place: Prose,
    /// Value for the partner, one point a line.
    value_for_partner: Prose,
    audience: Audience,
    /// Who a partner should talk to about the role.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Line>)]
    contact: Option<Option<Line>>,
}

/// Changes to a role: only the fields sent change (null empties one), and `version` must be the one read.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChanges {
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
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Prose)]
    description: Option<Prose>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Prose)]
    ask_of_partner: Option<Prose>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Prose)]
    value_for_place: Option<Prose>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Prose)]
    value_for_partner: Option<Prose>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Line>)]
    contact: Option<Option<Line>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

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
    params(("place" = String, Path, description = "Place id")), request_body = NewRole,
    responses((status = 200, description = "The new role", body = Role),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Role> {
    create::<Role, NewRole>(&state, &caller, &place, body).await
}

/// Change a role of the collaboration offer (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/roles/{role}", tag = "offer",
    params(("place" = String, Path, description = "Place id"), ("role" = String, Path, description = "Role id")), request_body = RoleChanges,
    responses((status = 200, description = "The role as changed", body = Role),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_role(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Role> {
    update::<Role, RoleChanges>(&state, &caller, &place, &key, body).await
}
