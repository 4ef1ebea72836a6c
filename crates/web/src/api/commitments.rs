//! Commitments: listing, recording and changing them.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_app::CommitmentQuery as Filter;
use placeweave_domain::{Commitment, PageRequest};
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::{ApiResult, JsonBody, Page, checked, create, query, scope, slug, update};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// Filters for commitments.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentQuery {
    /// Organisation id (slug).
    organisation: Option<String>,
    /// Mission id (slug).
    mission: Option<String>,
    /// Role id (slug).
    role: Option<String>,
    /// Page number, from 1.
    page: Option<String>,
    /// Results per page, 1 to 100.
    per_page: Option<String>,
}

/// List commitments, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/commitments", tag = "commitments",
    params(("place" = String, Path, description = "Place id"), CommitmentQuery),
    responses(
        (status = 200, description = "One page of commitments", body = Page<Commitment>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn commitments(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<CommitmentQuery>, QueryRejection>,
) -> ApiResult<Page<Commitment>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    let filter = Filter {
        organisation: slug("organisation", &q.organisation, &mut errors),
        mission: slug("mission", &q.mission, &mut errors),
        role: slug("role", &q.role, &mut errors),
        page: PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors),
    };
    checked(errors)?;
    let (items, total) = state.app.commitments(&scope, &filter).await?;
    Ok(Json(Page::new(items, total, filter.page)))
}

/// Record a commitment. A partner's is always for their own organisation.
#[utoipa::path(post, path = "/api/v1/places/{place}/commitments", tag = "commitments",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new commitment", body = Commitment),
        (status = 400, description = "A field is not valid, or not yours to set", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Commitment> {
    create::<Commitment>(&state, &caller, &place, body).await
}

/// Change a commitment: staff any, a partner their own organisation's.
#[utoipa::path(put, path = "/api/v1/places/{place}/commitments/{commitment}", tag = "commitments",
    params(("place" = String, Path, description = "Place id"), ("commitment" = i64, Path, description = "Commitment id")), request_body = Object,
    responses((status = 200, description = "The commitment as changed", body = Commitment),
        (status = 400, description = "A field is not valid, or not yours to set", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
    body: JsonBody,
) -> ApiResult<Commitment> {
    update::<Commitment>(&state, &caller, &place, &id.to_string(), body).await
}
