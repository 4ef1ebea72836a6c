//! Experiments: the portfolio, one experiment, adding and changing them,
//! and the mission × lever grid.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::experiment::{
    Decision, Experiment, ExperimentFilter, ExperimentStatus, ExperimentSummary, GridRow,
    Mechanism, ScaleOfInfluence,
};
use placeweave_domain::{Audience, DomainError, Lever, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ApiResult, Body, Page, checked, create, exact, query, read, scope, update};
use super::types::{
    Date, Name, ParticipantLine, Prose, Slug, Text, nullable, nullable_whole, present, whole,
};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};

/// Declares a request body with an experiment's fields (each may be left
/// out: no change, or empty for a new one; a nullable one sent as null
/// empties it) after the fields given.
macro_rules! experiment_body {
    ($(#[doc = $doc:literal])+ $name:ident, required: $required:tt { $($extra:tt)* }) => {
        $(#[doc = $doc])+
        #[derive(Deserialize, Serialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($extra)*
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Name, required = $required)]
            name: Option<Name>,
            /// What you expect to happen, and why.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Prose, required = $required)]
            hypothesis: Option<Prose>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Mechanism, required = $required)]
            mechanism: Option<Mechanism>,
            /// Ids of the missions it serves.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Vec<Slug>)]
            missions: Option<Vec<Slug>>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Vec<Lever>)]
            levers: Option<Vec<Lever>>,
            /// Partners, each an organisation's id and optionally its part: `ucl: Evaluation`.
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Vec<ParticipantLine>)]
            participants: Option<Vec<ParticipantLine>>,
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<ScaleOfInfluence>)]
            scale: Option<Option<ScaleOfInfluence>>,
            /// Whole pounds, 0 to 1,000,000,000.
            #[serde(default, deserialize_with = "nullable_whole", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<i64>, minimum = 0, maximum = 1_000_000_000)]
            budget: Option<Option<i64>>,
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Date>)]
            start_date: Option<Option<Date>>,
            /// On or after the start date.
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Date>)]
            end_date: Option<Option<Date>>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = ExperimentStatus, required = $required)]
            status: Option<ExperimentStatus>,
            /// With its reason and date, or all three null.
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Decision>)]
            decision: Option<Option<Decision>>,
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Text>)]
            decision_reason: Option<Option<Text>>,
            #[serde(default, deserialize_with = "nullable", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Option<Date>)]
            decision_date: Option<Option<Date>>,
            #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
            #[schema(value_type = Audience, required = $required)]
            audience: Option<Audience>,
        }
    };
}

experiment_body!(
    /// A new experiment (staff): `name`, `hypothesis`, `mechanism`, `status`
    /// and `audience` are needed.
    NewExperiment, required: true {}
);

experiment_body!(
    /// Changes to an experiment: only the fields sent change, and `version`
    /// must be the one read.
    ExperimentChanges, required: false {
        /// The version you read; a stale one gets 409.
        #[serde(deserialize_with = "whole")]
        version: i64,
    }
);

/// Filters for the portfolio.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExperimentQuery {
    /// Mission id (slug): only experiments serving it.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
    /// Lever (slug): only experiments testing it.
    #[param(value_type = Option<Lever>)]
    lever: Option<String>,
    /// Status (slug).
    #[param(value_type = Option<ExperimentStatus>)]
    status: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// Results per page, 1 to 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

/// List experiments, filtered by mission, lever and status, paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/experiments", tag = "experiments",
    params(("place" = String, Path, description = "Place id"), ExperimentQuery),
    responses(
        (status = 200, description = "One page of experiments", body = Page<ExperimentSummary>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn experiments(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<ExperimentQuery>, QueryRejection>,
) -> ApiResult<Page<ExperimentSummary>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(
        &[
            ("mission", &q.mission),
            ("lever", &q.lever),
            ("status", &q.status),
            ("page", &q.page),
            ("per_page", &q.per_page),
        ],
        &mut errors,
    );
    checked(std::mem::take(&mut errors))?;
    let filter = match ExperimentFilter::parse(
        q.mission.as_deref(),
        q.lever.as_deref(),
        q.status.as_deref(),
    ) {
        Ok(filter) => filter,
        Err(DomainError::Invalid(found)) => {
            errors = found;
            ExperimentFilter::default()
        }
    };
    let page = PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors);
    checked(errors)?;
    let (items, total) = state.app.experiments(&scope, &filter, page).await?;
    Ok(Json(Page::new(items, total, page)))
}

/// Get an experiment with its missions, levers, partners, learning log and decision.
#[utoipa::path(get, path = "/api/v1/places/{place}/experiments/{experiment}", tag = "experiments",
    params(("place" = String, Path, description = "Place id"), ("experiment" = String, Path, description = "Experiment id")),
    responses(
        (status = 200, description = "The experiment", body = Experiment),
        (status = 404, description = "No such experiment", body = Problem, content_type = "application/problem+json")))]
pub async fn experiment(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
) -> ApiResult<Experiment> {
    read::<Experiment>(&state, &caller, &place, &key).await
}

/// Add an experiment (staff). `name`, `hypothesis`, `mechanism`, `status` and `audience` are required.
#[utoipa::path(post, path = "/api/v1/places/{place}/experiments", tag = "experiments",
    params(("place" = String, Path, description = "Place id")), request_body = NewExperiment,
    responses((status = 200, description = "The new experiment", body = Experiment),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist, or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_experiment(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Experiment> {
    create::<Experiment, NewExperiment>(&state, &caller, &place, body).await
}

/// Change an experiment (staff), its decision included.
#[utoipa::path(patch, path = "/api/v1/places/{place}/experiments/{experiment}", tag = "experiments",
    params(("place" = String, Path, description = "Place id"), ("experiment" = String, Path, description = "Experiment id")), request_body = ExperimentChanges,
    responses((status = 200, description = "The experiment as changed", body = Experiment),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such experiment, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist or a name already taken (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn update_experiment(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, key)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Experiment> {
    update::<Experiment, ExperimentChanges>(&state, &caller, &place, &key, body).await
}

/// The mission × lever grid: for every mission you may see, a cell for
/// every lever counting the experiments you may see that test it; zero
/// means not tested.
#[utoipa::path(get, path = "/api/v1/places/{place}/experiments/grid", tag = "experiments",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "One row per mission", body = Vec<GridRow>),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn grid(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
) -> ApiResult<Vec<GridRow>> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(
        state
            .app
            .experiment_grid(&scope)
            .await
            .map_err(Failure::from)?,
    ))
}
