//! Organisations: the directory, one organisation, adding and changing.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::filter::OrganisationQuery;
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::{FieldError, Organisation, OrganisationFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{
    ApiResult, Body, Page, checked, conflicts, create, exact, query, read, scope, update,
};
use super::types::{Identifier, Name, Text, Ward, Website, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;
use placeweave_domain::Audience;
use placeweave_domain::vocabulary::{Lever, OrganisationKind, Scope, SizeBand};

/// A new organisation (staff).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    name: Name,
    kind: OrganisationKind,
    /// Who can see it.
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
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<SizeBand>)]
    size_band: Option<Option<SizeBand>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Scope>)]
    scope: Option<Option<Scope>>,
    /// Wards it works in.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Ward>, max_items = 50)]
    wards: Option<Vec<Ward>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Identifier>)]
    identifiers: Option<Vec<Identifier>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Lever>)]
    levers: Option<Vec<Lever>>,
    /// Whether the place treats it as an anchor institution.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = bool)]
    is_anchor: Option<bool>,
    /// Staff-only working notes.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    internal_notes: Option<Option<Text>>,
}

/// Changes to an organisation: only the fields sent change (null empties one), and `version` must be the one read. Partners may set only `name`, `description`, `website`, `size_band`, `scope`, `wards` and `levers` of their own organisation.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationChanges {
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
    #[schema(value_type = OrganisationKind)]
    kind: Option<OrganisationKind>,
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
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<SizeBand>)]
    size_band: Option<Option<SizeBand>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Scope>)]
    scope: Option<Option<Scope>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Ward>, max_items = 50)]
    wards: Option<Vec<Ward>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Identifier>)]
    identifiers: Option<Vec<Identifier>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Lever>)]
    levers: Option<Vec<Lever>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = bool)]
    is_anchor: Option<bool>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    internal_notes: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

/// List a place's organisations, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/organisations", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), OrganisationQuery),
    responses(
        (status = 200, description = "One page of organisations", body = Page<OrganisationSummary>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`after` names no organisation you can see", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn organisations(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<OrganisationQuery>, QueryRejection>,
) -> ApiResult<Page<OrganisationSummary>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(
        &[
            ("kind", &q.kind),
            ("lever", &q.lever),
            ("mission", &q.mission),
            ("anchor", &q.anchor),
            ("page", &q.page),
            ("per_page", &q.per_page),
            ("after", &q.after),
        ],
        &mut errors,
    );
    // Words are taken as typed, up to 200 characters (spaces count).
    for (field, value) in [("ward", &q.ward), ("q", &q.q)] {
        if value
            .as_deref()
            .is_some_and(|v| v.chars().count() > 200 || v.chars().any(char::is_control))
        {
            errors.push(FieldError::new(
                field,
                format!("{field} must be 200 characters or fewer, with no control characters"),
            ));
        }
    }
    checked(errors)?;
    let (filter, page) = OrganisationFilter::parse(&q)?;
    let (items, total) = state
        .app
        .organisations(&scope, &filter, page)
        .await
        .map_err(conflicts)?;
    // A full page may have more after it: name its last organisation as
    // the next page's `after` (one empty page at the very end is possible
    // when walking by `after`, whose position in the list is not counted).
    let full = items.len() == page.limit() as usize;
    let more = match filter.after {
        Some(_) => full,
        None => page.offset() + page.limit() < total,
    };
    let next = (full && more)
        .then(|| items.last().map(|o| o.id.clone()))
        .flatten();
    let mut answer = Page::new(items, total, page);
    if filter.after.is_some() {
        answer.page = 0;
    }
    answer.next = next;
    Ok(Json(answer))
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
    params(("place" = String, Path, description = "Place id")), request_body = NewOrganisation,
    responses((status = 200, description = "The new organisation", body = Organisation),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Organisation> {
    create::<Organisation, NewOrganisation>(&state, &caller, &place, body).await
}

/// Change an organisation. Staff may change any field they can see; a
/// partner only their own organisation's profile fields. Fields you may not
/// set are refused by name, never ignored.
#[utoipa::path(put, path = "/api/v1/places/{place}/organisations/{organisation}", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), ("organisation" = String, Path, description = "Organisation id")),
    request_body = OrganisationChanges,
    responses(
        (status = 200, description = "The organisation as changed", body = Organisation),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Organisation> {
    update::<Organisation, OrganisationChanges>(&state, &caller, &place, &key, body).await
}
