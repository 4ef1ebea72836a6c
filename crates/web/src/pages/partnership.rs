//! The partnership team's report (`/relationships/report`: conversion over
//! a chosen period, median days per stage, relationships gone quiet and
//! late follow-ups) and a partner's "who has been in touch" page
//! (`/organisations/{slug}/contacts-log`). Staff and admins only: the
//! application layer refuses everyone else.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use placeweave_app::partnership::{ContactsLog, PartnershipReport};
use placeweave_domain::date::iso_date;
use placeweave_domain::partnership_report::{DEFAULT_QUIET_DAYS, ReportQuery};
use placeweave_domain::{DomainError, FieldError};

use super::{Chrome, PageResult, Section, error_for, render};
use crate::AppState;
use crate::auth::Caller;

/// The report's query string, as sent.
#[derive(serde::Deserialize, Default)]
pub struct ReportParams {
    from: Option<String>,
    to: Option<String>,
    quiet_days: Option<String>,
}

#[derive(Template)]
#[template(path = "partnership_report.html")]
struct ReportPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    /// The values to show back in the form: from, to, quiet days.
    from: String,
    to: String,
    quiet_days: String,
    from_error: Option<String>,
    to_error: Option<String>,
    quiet_error: Option<String>,
    report: Option<PartnershipReport>,
}

pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    params: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let raw = params.map(|Query(q)| q).unwrap_or_default();
    let today = iso_date(placeweave_app::now());
    let parsed = ReportQuery::parse(
        raw.from.as_deref(),
        raw.to.as_deref(),
        raw.quiet_days.as_deref(),
        &today,
    );
    let (status, report, errors, shown) = match parsed {
        Ok(query) => {
            let report = state.app.partnership_report(&scope, &query).await?;
            let shown = (query.from, query.to, query.quiet_days.to_string());
            (StatusCode::OK, Some(report), vec![], shown)
        }
        Err(DomainError::Invalid(errors)) => {
            // Asked anyway, so that only staff learn the form's errors.
            let fallback = ReportQuery::parse(None, None, None, &today)?;
            state.app.partnership_report(&scope, &fallback).await?;
            let shown = (
                raw.from.unwrap_or_default(),
                raw.to.unwrap_or_default(),
                raw.quiet_days
                    .unwrap_or_else(|| DEFAULT_QUIET_DAYS.to_string()),
            );
            (StatusCode::BAD_REQUEST, None, errors, shown)
        }
    };
    let page = ReportPage {
        chrome: Chrome::new(&scope, Section::Relationships, &caller)
            .titled("Conversion and attention".to_owned()),
        from_error: error_for(&errors, "from"),
        to_error: error_for(&errors, "to"),
        quiet_error: error_for(&errors, "quiet_days"),
        errors,
        from: shown.0,
        to: shown.1,
        quiet_days: shown.2,
        report,
    };
    render(status, &page)
}

#[derive(Template)]
#[template(path = "contacts_log.html")]
struct ContactsLogPage {
    chrome: Chrome,
    log: ContactsLog,
}

pub async fn contacts_log(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let log = state.app.contacts_log(&scope, &slug).await?;
    let page = ContactsLogPage {
        chrome: Chrome::new(&scope, Section::Relationships, &caller).titled(format!(
            "Who has been in touch with {}",
            log.organisation.name
        )),
        log,
    };
    render(StatusCode::OK, &page)
}
