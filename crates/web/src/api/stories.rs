//! Stories: the list, one story, adding, changing and publishing them
//! (staff). A draft is missing to everyone but staff; the consent record
//! is in a response for staff only.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::story::{ConsentUse, Story, StoryFilter, StoryStatus, StorySummary};
use placeweave_domain::{Audience, DomainError, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ApiResult, Body, Page, checked, create, exact, query, read, scope, update};
use super::types::{Date, Name, ParticipantLine, Prose, Sentence, Slug, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// Declares a request body with a story's fields (each may be left out:
/// no change, or empty for a new one; a nullable one sent as null empties
/// it) after the fields given.
macro_rules! story_body {
    ($(#[doc = $doc:literal])+ $name:ident, required: $required:tt { $($extra:tt)* }) => {
        $(#[doc = $doc])+
        #[derive(Deserialize, Serialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($extra)*
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Name, required = $required)]
            title: Option<Name>,
            /// The story in a sentence or two, at most 400 characters.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Sentence, required = $required)]
            summary: Option<Sentence>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Prose, required = $required)]
            body: Option<Prose>,
            /// Ids of the missions it tells of.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Vec<Slug>)]
            missions: Option<Vec<Slug>>,
            /// Ids of the outcome themes it speaks to.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Vec<Slug>)]
            themes: Option<Vec<Slug>>,
            /// Partners credited, each an organisation's id and optionally what for: `ucl: Evaluation`.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Vec<ParticipantLine>)]
            participants: Option<Vec<ParticipantLine>>,
            /// Publishing needs consent (all three consent fields) covering `website`.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = StoryStatus)]
            status: Option<StoryStatus>,
            /// The name of the person who consented; with the date and uses, or all three null.
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Name>)]
            consent_given_by: Option<Option<Name>>,
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Date>)]
            consent_given_on: Option<Option<Date>>,
            /// What the story may be used for.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Vec<ConsentUse>)]
            consent_uses: Option<Vec<ConsentUse>>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Audience, required = $required)]
            audience: Option<Audience>,
        }
    };
}

story_body!(
    /// A new story (staff): `title`, `summary`, `body` and `audience` are
    /// needed; it is a draft unless `status` says published.
    NewStory, required: true {}
);

story_body!(
    /// Changes to a story: only the fields sent change, and `version` must
    /// be the one read.
    StoryChanges, required: false {
        /// The version you read; a stale one gets 409.
        #[serde(deserialize_with = "whole")]
        version: i64,
    }
);

/// Filters for the list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoryQuery {
    /// Mission id (slug): only stories of it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
    /// Outcome theme id (slug): only stories speaking to it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    theme: Option<String>,
    /// Organisation id (slug): only stories crediting it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    partner: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// Results per page, 1 to 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// List stories, filtered by mission, theme and partner credited, newest first, paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/stories", tag = "stories",
    params(("place" = String, Path, description = "Place id"), StoryQuery),
    responses(
        (status = 200, description = "One page of stories", body = Page<StorySummary>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn stories(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<StoryQuery>, QueryRejection>,
) -> ApiResult<Page<StorySummary>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(
        &[
            ("mission", &q.mission),
            ("theme", &q.theme),
            ("partner", &q.partner),
            ("page", &q.page),
            ("per_page", &q.per_page),
        ],
        &mut errors,
    );
    checked(std::mem::take(&mut errors))?;
    let filter = match StoryFilter::parse(
        q.mission.as_deref(),
        q.theme.as_deref(),
        q.partner.as_deref(),
    ) {
        Ok(filter) => filter,
        Err(DomainError::Invalid(found)) => {
            errors = found;
            StoryFilter::default()
        }
    };
    let page = PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors);
    checked(errors)?;
    let (items, total) = state.app.stories(&scope, &filter, page).await?;
    Ok(Json(Page::new(items, total, page)))
}

/// Get a story with its missions, themes and credited partners (and, for staff, its consent).
#[utoipa::path(get, path = "/api/v1/places/{place}/stories/{story}", tag = "stories",
    params(("place" = String, Path, description = "Place id"), ("story" = String, Path, description = "Story id")),
    responses(
        (status = 200, description = "The story", body = Story),
        (status = 404, description = "No such story", body = Problem, content_type = "application/problem+json")))]
pub async fn story(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<Story> {
    read::<Story>(&state, &caller, &place, &key).await
}

/// Add a story (staff). `title`, `summary`, `body` and `audience` are required.
#[utoipa::path(post, path = "/api/v1/places/{place}/stories", tag = "stories",
    params(("place" = String, Path, description = "Place id")), request_body = NewStory,
    responses((status = 200, description = "The new story", body = Story),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_story(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Story> {
    create::<Story, NewStory>(&state, &caller, &place, body).await
}

/// Change or publish a story (staff).
#[utoipa::path(patch, path = "/api/v1/places/{place}/stories/{story}", tag = "stories",
    params(("place" = String, Path, description = "Place id"), ("story" = String, Path, description = "Story id")), request_body = StoryChanges,
    responses((status = 200, description = "The story as changed", body = Story),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn update_story(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Story> {
    update::<Story, StoryChanges>(&state, &caller, &place, &key, body).await
}
