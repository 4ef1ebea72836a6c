//! Asks: the list (open first, filterable by status and mission), the
//! form to record or change one, and one ask's page with the partners best
//! placed to answer it (each with why), every time it was put to a partner
//! and the form to record another; and the form to record an answer. Staff
//! and admins only: the application layer refuses everyone else.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_app::{AppError, Scope};
use placeweave_domain::FieldError;
use placeweave_domain::ask::{Answer, Ask, AskForm, AskMade, AskMadeForm, AskStatus, Match};
use placeweave_domain::vocabulary::Lever;
use placeweave_store::AskFilter;
use serde::Deserialize;

use super::saved::{Saved, after_save};
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// The list's query string, as sent.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    mission: Option<String>,
}

#[derive(Template)]
#[template(path = "asks.html")]
struct AsksPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    asks: Vec<Ask>,
    status: String,
    mission: String,
    missions: Vec<(String, String)>,
}

async fn mission_choices(
    state: &AppState,
    scope: &Scope,
) -> Result<Vec<(String, String)>, Failure> {
    Ok(state
        .app
        .missions(scope)
        .await?
        .into_iter()
        .map(|m| (m.id, m.short_name))
        .collect())
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let raw = query.map(|Query(q)| q).unwrap_or_default();
    let mut errors = Vec::new();
    let status_raw = raw.status.unwrap_or_default();
    let status = match status_raw.as_str() {
        "" => None,
        s => {
            let parsed = AskStatus::parse(s);
            if parsed.is_none() {
                errors.push(FieldError::new("status", "Select a status from the list"));
            }
            parsed
        }
    };
    let missions = mission_choices(&state, &scope).await?;
    let mission_raw = raw.mission.unwrap_or_default();
    let mission = match mission_raw.as_str() {
        "" => None,
        m if missions.iter().any(|(id, _)| id == m) => Some(m.to_owned()),
        _ => {
            errors.push(FieldError::new("mission", "Select a mission from the list"));
            None
        }
    };
    let filter = AskFilter {
        slug: None,
        status: if errors.is_empty() { status } else { None },
        mission: if errors.is_empty() { mission } else { None },
    };
    let asks = state.app.asks(&scope, &filter).await?;
    let code = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(
        code,
        &AsksPage {
            chrome: Chrome::new(&scope, Section::Relationships, &caller).titled("Asks"),
            errors,
            asks,
            status: status_raw,
            mission: mission_raw,
            missions,
        },
    )
}

#[derive(Template)]
#[template(path = "ask_form.html")]
struct AskFormPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    form: AskForm,
    /// The ask being changed, with the version the form read.
    editing: Option<(String, String, i64)>,
    missions: Vec<(String, String)>,
    wards: Vec<String>,
    levers: &'static [Lever],
    statuses: &'static [AskStatus],
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    status: StatusCode,
    form: AskForm,
    errors: Vec<FieldError>,
    editing: Option<(String, String, i64)>,
) -> PageResult {
    let scope = state.scope(caller).await?;
    state.app.may_record_asks(&scope)?;
    let title = match &editing {
        Some((_, title, _)) => format!("Change the ask: {title}"),
        None => "Record an ask".to_owned(),
    };
    render(
        status,
        &AskFormPage {
            chrome: Chrome::new(&scope, Section::Relationships, caller).titled(title),
            errors,
            form,
            editing,
            missions: mission_choices(state, &scope).await?,
            wards: state.app.wards(&scope).await?,
            levers: Lever::ALL,
            statuses: AskStatus::ALL,
        },
    )
}

pub async fn new_page(State(state): State<AppState>, caller: Caller) -> PageResult {
    let form = AskForm {
        size_kind: "quantity".to_owned(),
        ..AskForm::default()
    };
    form_page(&state, &caller, StatusCode::OK, form, vec![], None).await
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Form<AskForm>, FormRejection>,
) -> PageResult {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    match state.app.create_ask(&scope, &form).await {
        Ok(ask) => {
            let href = after_save(&format!("/asks/{}", ask.id), "ask");
            Ok(Redirect::to(&href).into_response())
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            form_page(&state, &caller, StatusCode::BAD_REQUEST, form, errors, None).await
        }
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let ask = state.app.ask(&scope, &slug).await?;
    let editing = Some((ask.id.clone(), ask.title.clone(), ask.version));
    form_page(&state, &caller, StatusCode::OK, ask.form(), vec![], editing).await
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    form: Result<Form<AskForm>, FormRejection>,
) -> PageResult {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    let current = state.app.ask(&scope, &slug).await?;
    let version = form.version.unwrap_or(0);
    match state.app.update_ask(&scope, &slug, version, &form).await {
        Ok(ask) => {
            let href = after_save(&format!("/asks/{}", ask.id), "ask");
            Ok(Redirect::to(&href).into_response())
        }
        Err(AppError::Conflict) => {
            // Someone saved first: show what is stored now, to redo the change.
            let error = FieldError::new(
                "title",
                "Someone else changed this ask while you were editing it. The form now shows \
                 what is saved: make your change again",
            );
            let editing = Some((current.id.clone(), current.title.clone(), current.version));
            form_page(
                &state,
                &caller,
                StatusCode::CONFLICT,
                current.form(),
                vec![error],
                editing,
            )
            .await
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            let editing = Some((current.id.clone(), current.title.clone(), version));
            form_page(
                &state,
                &caller,
                StatusCode::BAD_REQUEST,
                form,
                errors,
                editing,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage {
    chrome: Chrome,
    ask: Ask,
    matches: Vec<Match>,
    errors: Vec<FieldError>,
    form: AskMadeForm,
    answers: &'static [Answer],
    saved: Saved,
}

/// The "record that you asked" form's prefill: `?organisation=…`.
#[derive(Deserialize, Default)]
pub struct AskPrefill {
    organisation: Option<String>,
}

async fn ask_page(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    status: StatusCode,
    form: AskMadeForm,
    errors: Vec<FieldError>,
    saved: Saved,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let ask = state.app.ask(&scope, slug).await?;
    let matches = state.app.ask_matches(&scope, &ask).await?;
    render(
        status,
        &AskPage {
            chrome: Chrome::new(&scope, Section::Relationships, caller).titled(ask.title.clone()),
            ask,
            matches,
            errors,
            form,
            answers: Answer::ALL,
            saved,
        },
    )
}

fn today() -> String {
    placeweave_domain::date::iso_date(placeweave_app::now())
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
    Query(prefill): Query<AskPrefill>,
) -> PageResult {
    let form = AskMadeForm {
        organisation: prefill.organisation.unwrap_or_default(),
        asked_on: today(),
        ..AskMadeForm::default()
    };
    ask_page(&state, &caller, &slug, StatusCode::OK, form, vec![], saved).await
}

pub async fn record_made(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    form: Result<Form<AskMadeForm>, FormRejection>,
) -> PageResult {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    match state.app.record_ask_made(&scope, &slug, &form).await {
        Ok(ask) => {
            let href = after_save(&format!("/asks/{}#asked", ask.id), "ask-made");
            Ok(Redirect::to(&href).into_response())
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            let saved = Saved::default();
            ask_page(
                &state,
                &caller,
                &slug,
                StatusCode::BAD_REQUEST,
                form,
                errors,
                saved,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "ask_answer.html")]
struct AnswerPage {
    chrome: Chrome,
    ask: Ask,
    made: AskMade,
    errors: Vec<FieldError>,
    form: AskMadeForm,
    answers: &'static [Answer],
}

async fn answer_page(
    state: &AppState,
    caller: &Caller,
    (slug, raw): (&str, &str),
    status: StatusCode,
    form: Option<AskMadeForm>,
    errors: Vec<FieldError>,
) -> PageResult {
    let id = super::record_id(raw)?;
    let scope = state.scope(caller).await?;
    let ask = state.app.ask(&scope, slug).await?;
    let made = ask
        .made
        .iter()
        .find(|m| m.id == id)
        .cloned()
        .ok_or(Failure::NotFound)?;
    let form = form.unwrap_or_else(|| AskMadeForm {
        organisation: made.organisation.id.clone(),
        asked_on: made.asked_on.clone(),
        answer: made.answer.slug().to_owned(),
        answered_on: made.answered_on.clone().unwrap_or_else(today),
        note: made.note.clone().unwrap_or_default(),
        version: Some(made.version),
    });
    render(
        status,
        &AnswerPage {
            chrome: Chrome::new(&scope, Section::Relationships, caller)
                .titled(format!("Answer from {}", made.organisation.name)),
            ask,
            made,
            errors,
            form,
            answers: Answer::ALL,
        },
    )
}

pub async fn answer_form(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, raw)): Path<(String, String)>,
) -> PageResult {
    answer_page(&state, &caller, (&slug, &raw), StatusCode::OK, None, vec![]).await
}

pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path((slug, raw)): Path<(String, String)>,
    form: Result<Form<AskMadeForm>, FormRejection>,
) -> PageResult {
    let id = super::record_id(&raw)?;
    let mut form = form.map(|Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    // The partner asked is fixed: the form changes only the answer.
    let ask = state.app.ask(&scope, &slug).await?;
    let made = ask
        .made
        .iter()
        .find(|m| m.id == id)
        .ok_or(Failure::NotFound)?;
    form.organisation = made.organisation.id.clone();
    match state.app.answer_ask_made(&scope, &slug, id, &form).await {
        Ok(ask) => {
            let href = after_save(&format!("/asks/{}#asked", ask.id), "answer");
            Ok(Redirect::to(&href).into_response())
        }
        Err(AppError::Conflict) => {
            // Someone saved first: show what is stored now, to redo the change.
            let error = FieldError::new(
                "answer",
                "Someone else changed this answer while you were editing it. The form now \
                 shows what is saved: make your change again",
            );
            answer_page(
                &state,
                &caller,
                (&slug, &raw),
                StatusCode::CONFLICT,
                None,
                vec![error],
            )
            .await
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            let shown = Some(form);
            answer_page(
                &state,
                &caller,
                (&slug, &raw),
                StatusCode::BAD_REQUEST,
                shown,
                errors,
            )
            .await
        }
    }
}
