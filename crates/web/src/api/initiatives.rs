//! Initiatives: listing, reading, adding and changing them.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_app::InitiativeQuery as Filter;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Initiative, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::{ApiResult, JsonBody, Page, checked, create, query, read, scope, slug, update};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// Filters for initiatives.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InitiativeQuery {
    /// Mission id (slug): only initiatives serving it.
    mission: Option<String>,
    /// Organisation id (slug): only initiatives it takes part in.
    organisation: Option<String>,
    /// Page number, from 1.
    page: Option<String>,
    /// Results per page, 1 to 100.
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
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new initiative", body = Initiative),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Initiative> {
    create::<Initiative>(&state, &caller, &place, body).await
}

/// Change an initiative (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/initiatives/{initiative}", tag = "initiatives",
    params(("place" = String, Path, description = "Place id"), ("initiative" = String, Path, description = "Initiative id")), request_body = Object,
    responses((status = 200, description = "The initiative as changed", body = Initiative),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such initiative", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<Initiative> {
    update::<Initiative>(&state, &caller, &place, &key, body).await
}
