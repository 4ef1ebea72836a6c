//! Interactions (staff and admins only): listing, reading, logging and
//! changing them, and marking a follow-up done.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::interaction::{Interaction, InteractionKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{
    ApiResult, Body, checked, create, exact, pairs, query, read, scope, slug, update,
};
use super::types::{AccountId, ContactId, Date, Name, Slug, Text, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};

/// The newest interactions listed at most.
const LIMIT: i64 = 500;

/// A new interaction (staff). `follow_up`, with an optional owner and due
/// date, records a follow-up action.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInteraction {
    /// The partner organisation's id.
    organisation: Slug,
    kind: InteractionKind,
    /// When it happened.
    date: Date,
    /// Account ids of the staff who took part.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<AccountId>)]
    staff: Option<Vec<AccountId>>,
    /// Ids of other organisations that took part (a roundtable, an event).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    other_organisations: Option<Vec<Slug>>,
    /// Ids of the contacts who took part, at the organisations taking part.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<ContactId>)]
    contacts: Option<Vec<ContactId>>,
    /// Private: staff only.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    summary: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    outcomes: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    /// A follow-up action to add.
    #[schema(value_type = Option<Name>)]
    follow_up: Option<Option<Name>>,
    /// Needs `follow_up`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<AccountId>)]
    follow_up_owner: Option<Option<AccountId>>,
    /// Needs `follow_up`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Date>)]
    follow_up_due: Option<Option<Date>>,
}

/// Changes to an interaction: only the fields sent change (null empties
/// one), and `version` must be the one read. `follow_up` adds one.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionChanges {
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
    #[schema(value_type = InteractionKind)]
    kind: Option<InteractionKind>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Date)]
    date: Option<Date>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<AccountId>)]
    staff: Option<Vec<AccountId>>,
    /// Ids of other organisations that took part (a roundtable, an event).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<Slug>)]
    other_organisations: Option<Vec<Slug>>,
    /// Ids of the contacts who took part, at the organisations taking part.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Vec<ContactId>)]
    contacts: Option<Vec<ContactId>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    summary: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    outcomes: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    /// A follow-up action to add.
    #[schema(value_type = Option<Name>)]
    follow_up: Option<Option<Name>>,
    /// Needs `follow_up`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<AccountId>)]
    follow_up_owner: Option<Option<AccountId>>,
    /// Needs `follow_up`.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Date>)]
    follow_up_due: Option<Option<Date>>,
}

/// Filters for interactions.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InteractionQuery {
    /// Organisation id (slug): only interactions with it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    organisation: Option<String>,
}

/// List the newest interactions (at most 500), newest first (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/interactions", tag = "interactions",
    params(("place" = String, Path, description = "Place id"), InteractionQuery),
    responses(
        (status = 200, description = "The newest interactions", body = Vec<Interaction>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see interactions", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn interactions(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<InteractionQuery>, QueryRejection>,
) -> ApiResult<Vec<Interaction>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(&[("organisation", &q.organisation)], &mut errors);
    let organisation = slug("organisation", &q.organisation, &mut errors);
    checked(errors)?;
    Ok(Json(
        state
            .app
            .interactions(&scope, organisation, Some(LIMIT))
            .await?,
    ))
}

/// One interaction (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/interactions/{interaction}", tag = "interactions",
    params(("place" = String, Path, description = "Place id"), ("interaction" = i64, Path, description = "Interaction id")),
    responses((status = 200, description = "The interaction", body = Interaction),
        (status = 400, description = "The id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see interactions", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such interaction, or no such place", body = Problem, content_type = "application/problem+json")))]
pub async fn interaction(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
) -> ApiResult<Interaction> {
    read::<Interaction>(&state, &caller, &place, &id.to_string()).await
}

/// Log an interaction with a partner (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/interactions", tag = "interactions",
    params(("place" = String, Path, description = "Place id")), request_body = NewInteraction,
    responses((status = 200, description = "The new interaction", body = Interaction),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record or account that does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_interaction(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Interaction> {
    create::<Interaction, NewInteraction>(&state, &caller, &place, body).await
}

/// Change an interaction (staff); `follow_up` adds a follow-up action.
#[utoipa::path(put, path = "/api/v1/places/{place}/interactions/{interaction}", tag = "interactions",
    params(("place" = String, Path, description = "Place id"), ("interaction" = i64, Path, description = "Interaction id")), request_body = InteractionChanges,
    responses((status = 200, description = "The interaction as changed", body = Interaction),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such interaction, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record or account that does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_interaction(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
    body: Body,
) -> ApiResult<Interaction> {
    update::<Interaction, InteractionChanges>(&state, &caller, &place, &id.to_string(), body).await
}

/// A follow-up's state.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpChanges {
    /// Whether it is done.
    done: bool,
}

/// Mark one of an interaction's follow-ups done, or not done again (staff).
/// Sending the state it is in changes nothing.
#[utoipa::path(put, path = "/api/v1/places/{place}/interactions/{interaction}/follow-ups/{follow_up}", tag = "interactions",
    params(("place" = String, Path, description = "Place id"), ("interaction" = i64, Path, description = "Interaction id"), ("follow_up" = i64, Path, description = "Follow-up id")),
    request_body = FollowUpChanges,
    responses((status = 200, description = "The interaction, with the follow-up as asked", body = Interaction),
        (status = 400, description = "The body is not valid (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such interaction or follow-up, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn update_follow_up(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id, follow_up)): Path<(String, i64, i64)>,
    body: Body,
) -> ApiResult<Interaction> {
    let scope = scope(&state, &caller, &place).await?;
    if id <= 0 || follow_up <= 0 {
        return Err(Failure::NotFound.into());
    }
    // Whether the interaction exists and the caller may change it is
    // answered before what they sent.
    state.app.editable::<Interaction>(&scope, &id).await?;
    let done = pairs::<FollowUpChanges>(body)?
        .iter()
        .any(|(k, v)| k == "done" && v == "yes");
    Ok(Json(
        state
            .app
            .set_follow_up_done(&scope, id, follow_up, done)
            .await?,
    ))
}
