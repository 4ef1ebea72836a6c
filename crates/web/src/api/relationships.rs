//! Relationships (staff and admins only): the pipeline's list with its
//! filters, one relationship, recording and changing them.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::relationship::{
    Formality, Health, PipelineFilter, Relationship, RelationshipStage,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ApiResult, Body, checked, create, exact, query, read, scope, update};
use super::types::{AccountId, Slug, Text, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};

/// A new relationship (staff; `sensitivities` administrators only: an
/// owner sets them once it exists). Its
/// first stage is recorded in its history, dated today.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRelationship {
    /// The partner organisation's id; one relationship per organisation.
    organisation: Slug,
    stage: RelationshipStage,
    formality: Formality,
    /// Account ids of the staff who own it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<AccountId>)]
    owners: Option<Vec<AccountId>>,
    /// Ids of the missions it serves.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    missions: Option<Vec<Slug>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Health>)]
    health: Option<Option<Health>>,
    /// Why the health is rated so; needs a health rating.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    health_reason: Option<Option<Text>>,
    /// Administrators only.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    sensitivities: Option<Option<Text>>,
}

/// Changes to a relationship: only the fields sent change (null empties
/// one), and `version` must be the one read. A new stage is added to the
/// history, dated today.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelationshipChanges {
    /// The version you read; a stale one gets 409.
    #[serde(deserialize_with = "whole")]
    version: i64,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Slug)]
    organisation: Option<Slug>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = RelationshipStage)]
    stage: Option<RelationshipStage>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Formality)]
    formality: Option<Formality>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<AccountId>)]
    owners: Option<Vec<AccountId>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    missions: Option<Vec<Slug>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Health>)]
    health: Option<Option<Health>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    health_reason: Option<Option<Text>>,
    /// Restricted: the relationship's owners and administrators.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    sensitivities: Option<Option<Text>>,
}

/// The pipeline's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelationshipQuery {
    /// Only relationships at this stage.
    #[param(value_type = Option<RelationshipStage>)]
    stage: Option<String>,
    /// Only those this account owns.
    #[param(value_type = Option<String>, pattern = "^[1-9][0-9]{0,17}$", max_length = 18)]
    owner: Option<String>,
    /// Mission id (slug): only those serving it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
    /// Only partners of this kind.
    #[param(value_type = Option<placeweave_domain::vocabulary::OrganisationKind>)]
    kind: Option<String>,
    /// Only partners working in this ward; without spaces around it.
    #[param(value_type = Option<String>, pattern = "^[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]([^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000])?$", max_length = 200)]
    ward: Option<String>,
}

/// List relationships, by the pipeline's filters (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/relationships", tag = "relationships",
    params(("place" = String, Path, description = "Place id"), RelationshipQuery),
    responses(
        (status = 200, description = "Every relationship the filters select", body = Vec<Relationship>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see relationships", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn relationships(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<RelationshipQuery>, QueryRejection>,
) -> ApiResult<Vec<Relationship>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(
        &[
            ("stage", &q.stage),
            ("owner", &q.owner),
            ("mission", &q.mission),
            ("kind", &q.kind),
            ("ward", &q.ward),
        ],
        &mut errors,
    );
    checked(errors)?;
    let filter = PipelineFilter::parse(
        q.stage.as_deref(),
        q.owner.as_deref(),
        q.mission.as_deref(),
        q.kind.as_deref(),
        q.ward.as_deref(),
    )
    .map_err(Failure::from)?;
    Ok(Json(state.app.relationships(&scope, &filter).await?))
}

/// One relationship (staff; sensitivities for its owners and administrators).
#[utoipa::path(get, path = "/api/v1/places/{place}/relationships/{relationship}", tag = "relationships",
    params(("place" = String, Path, description = "Place id"), ("relationship" = i64, Path, description = "Relationship id")),
    responses((status = 200, description = "The relationship", body = Relationship),
        (status = 400, description = "The id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see relationships", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such relationship, or no such place", body = Problem, content_type = "application/problem+json")))]
pub async fn relationship(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
) -> ApiResult<Relationship> {
    read::<Relationship>(&state, &caller, &place, &id.to_string()).await
}

/// Record a relationship with a partner (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/relationships", tag = "relationships",
    params(("place" = String, Path, description = "Place id")), request_body = NewRelationship,
    responses((status = 200, description = "The new relationship", body = Relationship),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record or account that does not exist, or the organisation already has a relationship (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_relationship(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Relationship> {
    create::<Relationship, NewRelationship>(&state, &caller, &place, body).await
}

/// Change a relationship (staff); a new stage is added to its history.
#[utoipa::path(put, path = "/api/v1/places/{place}/relationships/{relationship}", tag = "relationships",
    params(("place" = String, Path, description = "Place id"), ("relationship" = i64, Path, description = "Relationship id")), request_body = RelationshipChanges,
    responses((status = 200, description = "The relationship as changed", body = Relationship),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such relationship, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record or account that does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_relationship(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
    body: Body,
) -> ApiResult<Relationship> {
    update::<Relationship, RelationshipChanges>(&state, &caller, &place, &id.to_string(), body)
        .await
}
