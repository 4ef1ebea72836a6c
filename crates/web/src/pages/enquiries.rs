//! "Express interest": the public form (no account needed) with its
//! privacy notice, honeypot and rate limit, its confirmation with a
//! reference; and the staff's queue, each enquiry's page and its triage
//! form. The application layer refuses the queue to everyone but staff.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use placeweave_app::Scope;
use placeweave_app::enquiry::{Sent, Triaged};
use placeweave_domain::FieldError;
use placeweave_domain::enquiry::{Enquiry, EnquiryForm, TriageForm};
use serde::Deserialize;

use super::account::client_address;
use super::saved::{Saved, after_save};
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

#[derive(Template)]
#[template(path = "express_interest.html")]
struct ExpressInterestPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: EnquiryForm,
    /// The place's public roles and missions: slug and name.
    roles: Vec<(String, String)>,
    missions: Vec<(String, String)>,
    /// The reference, once sent.
    reference: Option<String>,
}

impl ExpressInterestPage {
    fn value<'a>(&self, field: &'a Option<String>) -> &'a str {
        field.as_deref().unwrap_or_default()
    }
}

/// The link's prefill: `?role=…&mission=…`.
#[derive(Deserialize, Default)]
pub struct Prefill {
    role: Option<String>,
    mission: Option<String>,
}

async fn choices(
    state: &AppState,
    scope: &Scope,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), Failure> {
    let public = |a: placeweave_domain::Audience| a == placeweave_domain::Audience::Public;
    let roles = state
        .app
        .roles(scope)
        .await?
        .into_iter()
        .filter(|r| public(r.audience))
        .map(|r| (r.id, r.name))
        .collect();
    let missions = state
        .app
        .missions(scope)
        .await?
        .into_iter()
        .filter(|m| public(m.audience))
        .map(|m| (m.id, m.short_name))
        .collect();
    Ok((roles, missions))
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    status: StatusCode,
    form: EnquiryForm,
    errors: Vec<FieldError>,
    reference: Option<String>,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let (roles, missions) = choices(state, &scope).await?;
    render(
        status,
        &ExpressInterestPage {
            chrome: Chrome::new(&scope, Section::Offer, caller),
            errors,
            form,
            roles,
            missions,
            reference,
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Query(prefill): Query<Prefill>,
) -> PageResult {
    let form = EnquiryForm {
        role: prefill.role,
        mission: prefill.mission,
        ..Default::default()
    };
    form_page(&state, &caller, StatusCode::OK, form, vec![], None).await
}

pub async fn send(
    State(state): State<AppState>,
    caller: Caller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<EnquiryForm>, FormRejection>,
) -> PageResult {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    let client = client_address(&headers, peer, state.cookies.secure);
    match state.app.send_enquiry(&scope, &form, &client).await {
        Ok(Sent::Received { reference }) => {
            form_page(
                &state,
                &caller,
                StatusCode::OK,
                EnquiryForm::default(),
                vec![],
                Some(reference),
            )
            .await
        }
        Ok(Sent::Throttled { retry_after }) => {
            let error = FieldError::new(
                "message",
                "There have been too many enquiries from here. Wait an hour, then try again",
            );
            let mut response = form_page(
                &state,
                &caller,
                StatusCode::TOO_MANY_REQUESTS,
                form,
                vec![error],
                None,
            )
            .await?;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            Ok(response)
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            form_page(&state, &caller, StatusCode::BAD_REQUEST, form, errors, None).await
        }
    }
}

#[derive(Template)]
#[template(path = "enquiries.html")]
struct EnquiriesPage {
    chrome: Chrome,
    enquiries: Vec<Enquiry>,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> PageResult {
    let scope = state.scope(&caller).await?;
    let enquiries = state.app.enquiries(&scope).await?;
    render(
        StatusCode::OK,
        &EnquiriesPage {
            chrome: Chrome::new(&scope, Section::Relationships, &caller),
            enquiries,
        },
    )
}

#[derive(Template)]
#[template(path = "enquiry.html")]
struct EnquiryPage {
    chrome: Chrome,
    enquiry: Enquiry,
    errors: Vec<FieldError>,
    form: TriageForm,
    /// Organisations to start a relationship with: slug and name.
    organisations: Vec<(String, String)>,
    /// The relationship the chosen organisation already has.
    existing: Option<i64>,
    saved: Saved,
}

impl EnquiryPage {
    fn value<'a>(&self, field: &'a Option<String>) -> &'a str {
        field.as_deref().unwrap_or_default()
    }
}

struct Shown {
    status: StatusCode,
    errors: Vec<FieldError>,
    form: TriageForm,
    existing: Option<i64>,
    saved: Saved,
}

async fn enquiry_page(state: &AppState, caller: &Caller, id: i64, shown: Shown) -> PageResult {
    let scope = state.scope(caller).await?;
    let enquiry = state.app.enquiry(&scope, id).await?;
    let organisations = state.app.organisation_choices(&scope).await?;
    render(
        shown.status,
        &EnquiryPage {
            chrome: Chrome::new(&scope, Section::Relationships, caller)
                .titled(format!("Enquiry {}", enquiry.reference)),
            enquiry,
            errors: shown.errors,
            form: shown.form,
            organisations,
            existing: shown.existing,
            saved: shown.saved,
        },
    )
}

pub async fn show_enquiry(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(raw): Path<String>,
) -> PageResult {
    let shown = Shown {
        status: StatusCode::OK,
        errors: vec![],
        form: TriageForm::default(),
        existing: None,
        saved,
    };
    enquiry_page(&state, &caller, super::record_id(&raw)?, shown).await
}

pub async fn triage(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    form: Result<Form<TriageForm>, FormRejection>,
) -> PageResult {
    let id = super::record_id(&raw)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    let refused = |status, errors, existing, form| Shown {
        status,
        errors,
        form,
        existing,
        saved: Saved::default(),
    };
    let triage = match form.parse() {
        Ok(triage) => triage,
        Err(errors) => {
            let shown = refused(StatusCode::BAD_REQUEST, errors, None, form);
            return enquiry_page(&state, &caller, id, shown).await;
        }
    };
    match state.app.triage_enquiry(&scope, id, &triage).await {
        Ok(Triaged::Related(relationship)) => {
            let href = after_save(&format!("/relationships/{relationship}"), "relationship");
            Ok(Redirect::to(&href).into_response())
        }
        Ok(Triaged::Declined) => {
            let href = after_save(&format!("/enquiries/{id}"), "enquiry");
            Ok(Redirect::to(&href).into_response())
        }
        Ok(Triaged::AlreadyRelated(existing)) => {
            let error = FieldError::new(
                "organisation",
                "This organisation already has a relationship: add to it instead",
            );
            let shown = refused(StatusCode::CONFLICT, vec![error], Some(existing), form);
            enquiry_page(&state, &caller, id, shown).await
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            let shown = refused(StatusCode::CONFLICT, errors, None, form);
            enquiry_page(&state, &caller, id, shown).await
        }
    }
}
