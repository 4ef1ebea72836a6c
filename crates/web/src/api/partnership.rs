//! The partnership team's report (conversion, median days per stage, gone
//! quiet, late follow-ups) and a partner's contacts log (who in the council
//! has been in touch, and the interactions), as JSON: the same use cases
//! as the pages, staff and admins only.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_app::partnership::{ContactsLog, PartnershipReport};
use placeweave_domain::date::iso_date;
use placeweave_domain::partnership_report::ReportQuery;
use placeweave_domain::place::is_slug;
use placeweave_domain::relationship::RelationshipStage;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{ApiResult, exact, query, scope};
use super::types::Date;
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};

/// The report's period and "gone quiet" threshold.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day of the period (YYYY-MM-DD); default a year before `to`.
    #[param(value_type = Option<Date>)]
    from: Option<String>,
    /// Last day of the period (YYYY-MM-DD); default today.
    #[param(value_type = Option<Date>)]
    to: Option<String>,
    /// Days without an interaction after which a relationship has gone quiet (1 to 3650; default 60).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 3650)]
    quiet_days: Option<String>,
}

/// Conversion and attention over a period.
#[derive(Serialize, ToSchema)]
pub struct ReportDocument {
    from: String,
    to: String,
    quiet_days: i64,
    /// Relationships that entered "warm conversation" in the period.
    warm: usize,
    /// Of those, how many went on to "committed" or "active".
    converted: usize,
    /// `converted` as a whole percentage of `warm`; null when none were warm.
    converted_percent: Option<i64>,
    /// Median days spent in each stage, over the spells that ended in the period.
    median_days: Vec<StageMedian>,
    /// Relationships with no interaction for `quiet_days` days.
    quiet: Vec<QuietRelationship>,
    /// Follow-ups past their due date and not done.
    late_follow_ups: Vec<LateFollowUp>,
}

#[derive(Serialize, ToSchema)]
pub struct StageMedian {
    stage: RelationshipStage,
    /// How many spells in the stage ended in the period.
    spells: usize,
    median_days: f64,
}

#[derive(Serialize, ToSchema)]
pub struct QuietRelationship {
    relationship: i64,
    organisation_name: String,
    stage: String,
    /// The latest interaction's date; null if there never was one.
    last_interaction: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LateFollowUp {
    interaction: i64,
    organisation_name: String,
    action: String,
    due_on: String,
    owner_name: Option<String>,
}

impl ReportDocument {
    fn new(query: ReportQuery, report: PartnershipReport) -> Self {
        ReportDocument {
            converted_percent: report.conversion.percent(),
            from: query.from,
            to: query.to,
            quiet_days: query.quiet_days,
            warm: report.conversion.warm,
            converted: report.conversion.converted,
            median_days: report
                .conversion
                .median_days
                .into_iter()
                .map(|(stage, spells, median_days)| StageMedian {
                    stage,
                    spells,
                    median_days,
                })
                .collect(),
            quiet: report
                .quiet
                .into_iter()
                .map(|q| QuietRelationship {
                    relationship: q.relationship,
                    organisation_name: q.organisation_name,
                    stage: q.stage,
                    last_interaction: q.last_interaction,
                })
                .collect(),
            late_follow_ups: report
                .late
                .into_iter()
                .map(|l| LateFollowUp {
                    interaction: l.interaction,
                    organisation_name: l.organisation_name,
                    action: l.action,
                    due_on: l.due_on,
                    owner_name: l.owner_name,
                })
                .collect(),
        }
    }
}

/// The partnership team's report: conversion from warm conversation to commitment, median days per stage, relationships gone quiet and late follow-ups (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/relationships/report", tag = "relationships",
    params(("place" = String, Path, description = "Place id"), ReportParams),
    responses(
        (status = 200, description = "The report", body = ReportDocument),
        (status = 400, description = "A parameter is not valid (named in `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see the partnership team's work", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<ReportParams>, QueryRejection>,
) -> ApiResult<ReportDocument> {
    let scope = scope(&state, &caller, &place).await?;
    let today = iso_date(placeweave_app::now());
    let asked = query(raw).and_then(|q| {
        let mut errors = Vec::new();
        exact(
            &[
                ("from", &q.from),
                ("to", &q.to),
                ("quiet_days", &q.quiet_days),
            ],
            &mut errors,
        );
        super::common::checked(errors)?;
        ReportQuery::parse(
            q.from.as_deref(),
            q.to.as_deref(),
            q.quiet_days.as_deref(),
            &today,
        )
        .map_err(Failure::from)
    });
    let parsed = match asked {
        Ok(parsed) => parsed,
        Err(failure) => {
            // Who may not see the report learns nothing about the
            // parameters; the report is made only once when they are good.
            let fallback = ReportQuery::parse(None, None, None, &today).map_err(Failure::from)?;
            state.app.partnership_report(&scope, &fallback).await?;
            return Err(failure.into());
        }
    };
    let report = state.app.partnership_report(&scope, &parsed).await?;
    Ok(Json(ReportDocument::new(parsed, report)))
}

/// Who in the council has been in touch with a partner, and the interactions.
#[derive(Serialize, ToSchema)]
pub struct ContactsLogDocument {
    organisation: String,
    organisation_name: String,
    /// Everyone who took part in an interaction with the partner.
    people: Vec<PersonInTouch>,
    /// Interactions after today, soonest first.
    upcoming: Vec<LoggedInteraction>,
    /// Interactions up to today, newest first.
    recent: Vec<LoggedInteraction>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonInTouch {
    name: String,
    team: Option<String>,
    interactions: usize,
    /// Their latest interaction up to today.
    last: Option<String>,
    /// Their next interaction after today.
    next: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoggedInteraction {
    interaction: i64,
    date: String,
    kind: String,
    /// Who took part.
    participants: Vec<String>,
}

impl From<ContactsLog> for ContactsLogDocument {
    fn from(log: ContactsLog) -> Self {
        let logged = |rows: Vec<(i64, String, String, Vec<String>)>| {
            rows.into_iter()
                .map(
                    |(interaction, date, kind, participants)| LoggedInteraction {
                        interaction,
                        date,
                        kind,
                        participants,
                    },
                )
                .collect()
        };
        ContactsLogDocument {
            organisation: log.organisation.id,
            organisation_name: log.organisation.name,
            people: log
                .people
                .into_iter()
                .map(|p| PersonInTouch {
                    name: p.name,
                    team: p.team,
                    interactions: p.interactions,
                    last: p.last,
                    next: p.next,
                })
                .collect(),
            upcoming: logged(log.upcoming),
            recent: logged(log.recent),
        }
    }
}

/// Everyone in the council who has been in touch with a partner, with recent and upcoming interactions (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/organisations/{organisation}/contacts-log", tag = "relationships",
    params(("place" = String, Path, description = "Place id"), ("organisation" = String, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The contacts log", body = ContactsLogDocument),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see the partnership team's work", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation or place", body = Problem, content_type = "application/problem+json")))]
pub async fn contacts_log(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, organisation)): Path<(String, String)>,
) -> ApiResult<ContactsLogDocument> {
    let scope = scope(&state, &caller, &place).await?;
    if !is_slug(&organisation) {
        return Err(Failure::NotFound.into());
    }
    let log = state.app.contacts_log(&scope, &organisation).await?;
    Ok(Json(log.into()))
}
