//! Organisations: the directory, one organisation, adding and changing.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::filter::OrganisationQuery;
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::{Organisation, OrganisationFilter};
use serde::Deserialize;
use utoipa::ToSchema;

use super::common::{ApiResult, JsonBody, Page, create, query, read, scope, update};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// Changes to an organisation: any settable fields, plus the `version` read.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // Describes the body for OpenAPI; the handler reads it as JSON.
pub struct OrganisationChanges {
    /// The version you read; a stale one gets 409.
    version: i64,
    name: Option<String>,
    kind: Option<String>,
    description: Option<String>,
    website: Option<String>,
    size_band: Option<String>,
    scope: Option<String>,
    wards: Option<Vec<String>>,
    identifiers: Option<Vec<String>>,
    levers: Option<Vec<String>>,
    is_anchor: Option<bool>,
    internal_notes: Option<String>,
    audience: Option<String>,
}

/// List a place's organisations, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/organisations", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), OrganisationQuery),
    responses(
        (status = 200, description = "One page of organisations", body = Page<OrganisationSummary>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn organisations(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<OrganisationQuery>, QueryRejection>,
) -> ApiResult<Page<OrganisationSummary>> {
    let scope = scope(&state, &caller, &place).await?;
    let (filter, page) = OrganisationFilter::parse(&query(raw)?)?;
    let (items, total) = state.app.organisations(&scope, &filter, page).await?;
    Ok(Json(Page::new(items, total, page)))
}

/// Get an organisation.
#[utoipa::path(get, path = "/api/v1/places/{place}/organisations/{organisation}", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), ("organisation" = String, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json")))]
pub async fn organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<Organisation> {
    read::<Organisation>(&state, &caller, &place, &key).await
}

/// Add an organisation (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/organisations", tag = "organisations",
    params(("place" = String, Path, description = "Place id")), request_body = OrganisationChanges,
    responses((status = 200, description = "The new organisation", body = Organisation),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Organisation> {
    create::<Organisation>(&state, &caller, &place, body).await
}

/// Change an organisation. Staff may change any field they can see; a
/// partner only their own organisation's profile fields. Fields you may not
/// set are refused by name, never ignored.
#[utoipa::path(put, path = "/api/v1/places/{place}/organisations/{organisation}", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), ("organisation" = String, Path, description = "Organisation id")),
    request_body = OrganisationChanges,
    responses(
        (status = 200, description = "The organisation as changed", body = Organisation),
        (status = 400, description = "A field is not valid, or not yours to set", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not change this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<Organisation> {
    update::<Organisation>(&state, &caller, &place, &key, body).await
}
