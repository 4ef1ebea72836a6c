//! Contributions: listing, totalling, reading, logging and changing them.
//! A partner logs and changes only its own organisation's; another
//! organisation named answers as missing.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::contribution::{Contribution, ContributionTotal, Measure, RollUp, Unit};
use placeweave_domain::{Audience, PageRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ApiResult, Body, Page, checked, create, exact, query, read, scope, update};
use super::types::{Date, Slug, Text, Ward, Website, nullable, present, whole};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};
use crate::pages::contributions::{FilterQuery, parse_filter};

/// A new contribution. A partner may name only their own organisation.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContribution {
    /// The organisation's id.
    organisation: Slug,
    /// The mission's id.
    mission: Slug,
    /// An outcome theme's id.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Slug>)]
    theme: Option<Option<Slug>>,
    measure: Measure,
    /// Only for `other`; every other measure fixes its unit (a different one is refused).
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Unit>)]
    unit: Option<Option<Unit>>,
    /// A whole number in the unit, 0 to 1,000,000,000,000.
    #[serde(deserialize_with = "whole")]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    quantity: i64,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    description: Option<Option<Text>>,
    start_date: Date,
    /// On or after the start date.
    end_date: Date,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Ward>)]
    ward: Option<Option<Ward>>,
    /// A link to evidence.
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Website>)]
    evidence_url: Option<Option<Website>>,
    /// Who can see it: an audience you belong to.
    audience: Audience,
}

/// Changes to a contribution: only the fields sent change (null empties an optional one), and `version` must be the one read.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContributionChanges {
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
    #[schema(value_type = Slug)]
    mission: Option<Slug>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Slug>)]
    theme: Option<Option<Slug>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Measure)]
    measure: Option<Measure>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Unit>)]
    unit: Option<Option<Unit>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = i64, minimum = 0, maximum = 1_000_000_000_000_i64)]
    quantity: Option<u64>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Text>)]
    description: Option<Option<Text>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Date)]
    start_date: Option<Date>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Date)]
    end_date: Option<Date>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Ward>)]
    ward: Option<Option<Ward>>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<Website>)]
    evidence_url: Option<Option<Website>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Audience)]
    audience: Option<Audience>,
}

/// Filters for contributions.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContributionQuery {
    /// Organisation id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    organisation: Option<String>,
    /// Mission id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
    /// Outcome theme id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    theme: Option<String>,
    /// A ward's name.
    #[param(value_type = Option<String>, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    ward: Option<String>,
    #[param(value_type = Option<Measure>)]
    measure: Option<String>,
    /// The year the period ends in.
    #[param(value_type = Option<u32>, minimum = 1900, maximum = 2200)]
    year: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    page: Option<String>,
    /// Results per page, 1 to 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
}

impl ContributionQuery {
    fn filter_query(self, by: Option<String>) -> FilterQuery {
        FilterQuery {
            organisation: self.organisation,
            mission: self.mission,
            theme: self.theme,
            ward: self.ward,
            measure: self.measure,
            year: self.year,
            by,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// List contributions, latest first, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/contributions", tag = "contributions",
    params(("place" = String, Path, description = "Place id"), ContributionQuery),
    responses(
        (status = 200, description = "One page of contributions", body = Page<Contribution>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn contributions(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<ContributionQuery>, QueryRejection>,
) -> ApiResult<Page<Contribution>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?.filter_query(None);
    let mut errors = Vec::new();
    exact(
        &[
            ("organisation", &q.organisation),
            ("mission", &q.mission),
            ("theme", &q.theme),
            ("measure", &q.measure),
            ("year", &q.year),
            ("page", &q.page),
            ("per_page", &q.per_page),
        ],
        &mut errors,
    );
    checked(std::mem::take(&mut errors))?;
    let filter = parse_filter(&q, &mut errors);
    let page = PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors);
    checked(errors)?;
    let (items, total) = state.app.contributions(&scope, &filter, page).await?;
    Ok(Json(Page::new(items, total, page)))
}

/// What to total contributions by, with the list's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TotalsQuery {
    /// What to group by; by mission when left out.
    #[param(value_type = Option<RollUp>)]
    by: Option<String>,
    /// Organisation id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    organisation: Option<String>,
    /// Mission id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
    /// Outcome theme id (slug).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    theme: Option<String>,
    /// A ward's name.
    #[param(value_type = Option<String>, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    ward: Option<String>,
    #[param(value_type = Option<Measure>)]
    measure: Option<String>,
    /// The year the period ends in.
    #[param(value_type = Option<u32>, minimum = 1900, maximum = 2200)]
    year: Option<String>,
}

/// Totals of the contributions the caller may see, one line per group, measure and unit: amounts in different units are never added together.
#[utoipa::path(get, path = "/api/v1/places/{place}/contribution-totals", tag = "contributions",
    params(("place" = String, Path, description = "Place id"), TotalsQuery),
    responses(
        (status = 200, description = "The totals", body = Vec<ContributionTotal>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn contribution_totals(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<TotalsQuery>, QueryRejection>,
) -> ApiResult<Vec<ContributionTotal>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    // A ward is taken as typed (blank means none), as the directory does.
    exact(
        &[
            ("by", &q.by),
            ("organisation", &q.organisation),
            ("mission", &q.mission),
            ("theme", &q.theme),
            ("measure", &q.measure),
            ("year", &q.year),
        ],
        &mut errors,
    );
    checked(std::mem::take(&mut errors))?;
    let by = match q.by.as_deref() {
        None => RollUp::Mission,
        Some(raw) => RollUp::parse(raw).unwrap_or_else(|| {
            errors.push(placeweave_domain::FieldError::new(
                "by",
                "by must be one of mission, theme, ward, organisation or year",
            ));
            RollUp::Mission
        }),
    };
    let filters = ContributionQuery {
        organisation: q.organisation,
        mission: q.mission,
        theme: q.theme,
        ward: q.ward,
        measure: q.measure,
        year: q.year,
        ..Default::default()
    };
    let filter = parse_filter(&filters.filter_query(None), &mut errors);
    checked(errors)?;
    Ok(Json(
        state.app.contribution_totals(&scope, &filter, by).await?,
    ))
}

/// One contribution.
#[utoipa::path(get, path = "/api/v1/places/{place}/contributions/{contribution}", tag = "contributions",
    params(("place" = String, Path, description = "Place id"), ("contribution" = i64, Path, description = "Contribution id")),
    responses((status = 200, description = "The contribution", body = Contribution),
        (status = 400, description = "The id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contribution, or no such place", body = Problem, content_type = "application/problem+json")))]
pub async fn contribution(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
) -> ApiResult<Contribution> {
    read::<Contribution>(&state, &caller, &place, &id.to_string()).await
}

/// Log a contribution: staff for any organisation, a partner for their own.
#[utoipa::path(post, path = "/api/v1/places/{place}/contributions", tag = "contributions",
    params(("place" = String, Path, description = "Place id")), request_body = NewContribution,
    responses((status = 200, description = "The new contribution", body = Contribution),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A field names a record that does not exist or that you may not log for (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json")))]
pub async fn create_contribution(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Contribution> {
    create::<Contribution, NewContribution>(&state, &caller, &place, body).await
}

/// Change a contribution: staff any, a partner their own organisation's.
#[utoipa::path(put, path = "/api/v1/places/{place}/contributions/{contribution}", tag = "contributions",
    params(("place" = String, Path, description = "Place id"), ("contribution" = i64, Path, description = "Contribution id")), request_body = ContributionChanges,
    responses((status = 200, description = "The contribution as changed", body = Contribution),
        (status = 400, description = "A field is not valid, is unknown, or is not yours to set (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contribution (or not yours to change), or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it, or a field names a record that does not exist (named in `errors`)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_contribution(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
    body: Body,
) -> ApiResult<Contribution> {
    if id <= 0 {
        return Err(Failure::NotFound.into());
    }
    update::<Contribution, ContributionChanges>(&state, &caller, &place, &id.to_string(), body)
        .await
}
