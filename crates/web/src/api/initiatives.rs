//! Initiatives: listing, reading, adding and changing them.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_app::InitiativeQuery as Filter;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Initiative, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{
    ApiResult, Body, Page, checked, create, exact, query, read, scope, slug, update,
};
use super::types::{Name, ParticipantLine, Slug, Text, Website, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::Audience;

/// A new initiative (staff).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInitiative {
    name: Name,
    audience: Audience,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    description: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Website>)]
    website: Option<Option<Website>>,
    /// Ids of the missions it serves.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    missions: Option<Vec<Slug>>,
    /// Participants, each an organisation's id and optionally its part: `ucl: Host`.
    /// Each organisation at most once.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<ParticipantLine>)]
    participants: Option<Vec<ParticipantLine>>,
}

/// Changes to an initiative: only the fields sent change (null empties one), and `version` must be the one read.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InitiativeChanges {
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
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Website>)]
    website: Option<Option<Website>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    missions: Option<Vec<Slug>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<ParticipantLine>)]
    participants: Option<Vec<ParticipantLine>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

/// Filters for initiatives.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InitiativeQuery {
    /// Mission id (slug): only initiatives serving it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
    /// Organisation id (slug): only initiatives it takes part in.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    organisation: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// Results per page, 1 to 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// List initiatives, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/initiatives", tag = "initiatives",
    params(("place" = String, Path, description = "Place id"), InitiativeQuery),
    responses(
        (status = 200, description = "One page of initiatives", body = Page<InitiativeSummary>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn initiatives(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<InitiativeQuery>, QueryRejection>,
) -> ApiResult<Page<InitiativeSummary>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(&[("page", &q.page), ("per_page", &q.per_page)], &mut errors);
    checked(std::mem::take(&mut errors))?;
    let filter = Filter {
        mission: slug("mission", &q.mission, &mut errors),
        organisation: slug("organisation", &q.organisation, &mut errors),
        page: PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors),
    };
    checked(errors)?;
    let (items, total) = state.app.initiatives(&scope, &filter).await?;
    Ok(Json(Page::new(items, total, filter.page)))
}

/// Get an initiative with its missions and participants.
#[utoipa::path(get, path = "/api/v1/places/{place}/initiatives/{initiative}", tag = "initiatives",
    params(("place" = String, Path, description = "Place id"), ("initiative" = String, Path, description = "Initiative id")),
    responses(
        (status = 200, description = "The initiative", body = Initiative),
        (status = 404, description = "No such initiative", body = Problem, content_type = "application/problem+json")))]
pub async fn initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<Initiative> {
    read::<Initiative>(&state, &caller, &place, &key).await
}

/// Add an initiative (staff). Participants are "organisation-id: part" strings.
#[utoipa::path(post, path = "/api/v1/places/{place}/initiatives", tag = "initiatives",
    params(("place" = String, Path, description = "Place id")), request_body = NewInitiative,
    responses((status = 200, description = "The new initiative", body = Initiative),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Initiative> {
    create::<Initiative, NewInitiative>(&state, &caller, &place, body).await
}

/// Change an initiative (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/initiatives/{initiative}", tag = "initiatives",
    params(("place" = String, Path, description = "Place id"), ("initiative" = String, Path, description = "Initiative id")), request_body = InitiativeChanges,
    responses((status = 200, description = "The initiative as changed", body = Initiative),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such initiative, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Initiative> {
    update::<Initiative, InitiativeChanges>(&state, &caller, &place, &key, body).await
}
