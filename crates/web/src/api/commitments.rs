//! Commitments: listing, recording and changing them.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_app::CommitmentQuery as Filter;
use placeweave_domain::{Commitment, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{
    ApiResult, Body, Page, checked, create, exact, query, scope, slug, typed, update,
};
use super::types::{Date, Slug, Text, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};
use placeweave_domain::commitment::{Review, ReviewForm};
use placeweave_domain::{Audience, CommitmentStatus, FieldError};

/// A new commitment. Staff name the organisation and the audience; a partner's commitment is always their own organisation's, and partners may not send `organisation`, `audience` or `note`.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommitment {
    /// The organisation's id (staff only, and then required).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Slug)]
    organisation: Option<Slug>,
    /// The role's id.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Slug>)]
    role: Option<Option<Slug>>,
    /// The mission's id.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Slug>)]
    mission: Option<Option<Slug>>,
    status: CommitmentStatus,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Date>)]
    start_date: Option<Option<Date>>,
    /// On or after the start date.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Date>)]
    end_date: Option<Option<Date>>,
    /// Staff-only working note.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    note: Option<Option<Text>>,
    /// Who can see it (staff only, and then required).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

/// Changes to a commitment: only the fields sent change (null empties one), and `version` must be the one read. Partners may set only `role`, `mission`, `status`, `start_date` and `end_date`.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentChanges {
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
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Slug>)]
    role: Option<Option<Slug>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Slug>)]
    mission: Option<Option<Slug>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = CommitmentStatus)]
    status: Option<CommitmentStatus>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Date>)]
    start_date: Option<Option<Date>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Date>)]
    end_date: Option<Option<Date>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    note: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

/// Filters for commitments.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentQuery {
    /// Organisation id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    organisation: Option<String>,
    /// Mission id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
    /// Role id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    role: Option<String>,
    /// Only commitments at this point of review: `awaiting` lists partners' proposals for the partnership team (a partner sees only its own).
    #[param(value_type = Option<Review>)]
    review: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// Results per page, 1 to 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
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
    exact(
        &[
            ("page", &q.page),
            ("per_page", &q.per_page),
            ("review", &q.review),
        ],
        &mut errors,
    );
    checked(std::mem::take(&mut errors))?;
    let review = q.review.as_deref().and_then(|raw| {
        let parsed = Review::parse(raw);
        if parsed.is_none() {
            errors.push(FieldError::new(
                "review",
                "review must be one of accepted, awaiting or declined",
            ));
        }
        parsed
    });
    let filter = Filter {
        organisation: slug("organisation", &q.organisation, &mut errors),
        mission: slug("mission", &q.mission, &mut errors),
        role: slug("role", &q.role, &mut errors),
        review,
        page: PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors),
    };
    checked(errors)?;
    let (items, total) = state.app.commitments(&scope, &filter).await?;
    Ok(Json(Page::new(items, total, filter.page)))
}

/// Record a commitment. A partner's is always for their own organisation.
#[utoipa::path(post, path = "/api/v1/places/{place}/commitments", tag = "commitments",
    params(("place" = String, Path, description = "Place id")), request_body = NewCommitment,
    responses((status = 200, description = "The new commitment", body = Commitment),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Commitment> {
    create::<Commitment, NewCommitment>(&state, &caller, &place, body).await
}

/// Change a commitment: staff any, a partner their own organisation's.
#[utoipa::path(put, path = "/api/v1/places/{place}/commitments/{commitment}", tag = "commitments",
    params(("place" = String, Path, description = "Place id"), ("commitment" = i64, Path, description = "Commitment id")), request_body = CommitmentChanges,
    responses((status = 200, description = "The commitment as changed", body = Commitment),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commitment, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
    body: Body,
) -> ApiResult<Commitment> {
    update::<Commitment, CommitmentChanges>(&state, &caller, &place, &id.to_string(), body).await
}

/// Decide on a partner's proposed commitment (staff): accept it, publishing it at the audience chosen (default public), or decline it with a note the partner sees. A proposal stays hidden from the public and other partners until accepted.
#[utoipa::path(put, path = "/api/v1/places/{place}/commitments/{commitment}/review", tag = "commitments",
    params(("place" = String, Path, description = "Place id"), ("commitment" = i64, Path, description = "Commitment id")), request_body = super::forms::ReviewBody,
    responses((status = 200, description = "The commitment as reviewed", body = Commitment),
        (status = 400, description = "A field is not valid (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not review proposals", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such proposal (or it is already accepted), or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn review_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Commitment> {
    let scope = scope(&state, &caller, &place).await?;
    let id = id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(Failure::NotFound)?;
    state.app.proposal(&scope, id).await?;
    let form = typed::<ReviewForm>(body)?;
    Ok(Json(state.app.review_commitment(&scope, id, &form).await?))
}
