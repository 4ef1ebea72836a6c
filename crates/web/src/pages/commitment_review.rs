//! Review before publishing: the partnership team's queue of commitments
//! partners have proposed, and the form to accept one (publishing it) or
//! decline it with a note back to the partner. Staff and admins only: the
//! application layer refuses everyone else.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_domain::commitment::{Review, ReviewForm};
use placeweave_domain::{Commitment, FieldError};

use super::forms::audience_choices;
use super::saved::{Saved, after_save};
use super::{Chrome, PageResult, Section, record_id as key, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

#[derive(Template)]
#[template(path = "commitment_proposals.html")]
struct ProposalsPage {
    chrome: Chrome,
    saved: Saved,
    proposals: Vec<Commitment>,
}

pub async fn proposals(State(state): State<AppState>, caller: Caller, saved: Saved) -> PageResult {
    let scope = state.scope(&caller).await?;
    let proposals = state.app.proposals_to_review(&scope).await?;
    render(
        StatusCode::OK,
        &ProposalsPage {
            chrome: Chrome::new(&scope, Section::Relationships, &caller)
                .titled("Proposed commitments"),
            saved,
            proposals,
        },
    )
}

#[derive(Template)]
#[template(path = "commitment_review.html")]
struct ReviewPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    commitment: Commitment,
    form: ReviewForm,
    audiences: Vec<(String, String, String)>,
}

async fn review_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    status: StatusCode,
    form: Option<ReviewForm>,
    errors: Vec<FieldError>,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let commitment = state.app.proposal(&scope, id).await?;
    let form = form.unwrap_or_else(|| ReviewForm {
        decision: String::new(),
        note: String::new(),
        audience: "public".into(),
        version: commitment.version,
    });
    render(
        status,
        &ReviewPage {
            chrome: Chrome::new(&scope, Section::Relationships, caller).titled(format!(
                "Review {}'s proposal",
                commitment.organisation.name
            )),
            errors,
            commitment,
            form,
            audiences: audience_choices(),
        },
    )
}

pub async fn review_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
) -> PageResult {
    review_page(&state, &caller, key(&raw)?, StatusCode::OK, None, vec![]).await
}

pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    form: Result<Form<ReviewForm>, FormRejection>,
) -> PageResult {
    let id = key(&raw)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    match state.app.review_commitment(&scope, id, &form).await {
        Ok(commitment) => {
            let what = match commitment.review {
                Review::Accepted => "accepted",
                _ => "declined",
            };
            let href = after_save("/commitments/proposals", what);
            Ok(Redirect::to(&href).into_response())
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            review_page(
                &state,
                &caller,
                id,
                StatusCode::BAD_REQUEST,
                Some(form),
                errors,
            )
            .await
        }
    }
}
