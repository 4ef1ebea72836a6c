//! Asks (staff and admins only): list, record and change them, rank the
//! partners best placed to answer one, and record whom it was put to and
//! their answer. The notes on answers are private staff text: they are
//! written here but never served.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::FieldError;
use placeweave_domain::ask::{Ask, AskForm, AskMade, AskMadeForm, AskStatus, Match};
use placeweave_store::AskFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use super::common::{ApiResult, Body, checked, conflicts, exact, query, scope, slug, typed};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};

/// Which asks to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AskQuery {
    /// Only asks with this status.
    #[param(value_type = Option<AskStatus>)]
    status: Option<String>,
    /// Only asks serving this mission (its id).
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    mission: Option<String>,
}

/// List the asks, open ones first, then newest first (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/asks", tag = "asks",
    params(("place" = String, Path, description = "Place id"), AskQuery),
    responses(
        (status = 200, description = "The asks", body = Vec<Ask>),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see asks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn asks(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    raw: Result<Query<AskQuery>, QueryRejection>,
) -> ApiResult<Vec<Ask>> {
    let scope = scope(&state, &caller, &place).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    exact(
        &[("status", &q.status), ("mission", &q.mission)],
        &mut errors,
    );
    checked(std::mem::take(&mut errors))?;
    let status = q.status.as_deref().map(|s| {
        AskStatus::parse(s).ok_or_else(|| {
            FieldError::new("status", "status must be one of open, filled or withdrawn")
        })
    });
    let status = match status.transpose() {
        Ok(status) => status,
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let mission = slug("mission", &q.mission, &mut errors);
    checked(errors)?;
    let filter = AskFilter {
        slug: None,
        status,
        mission,
    };
    Ok(Json(state.app.asks(&scope, &filter).await?))
}

/// Record an ask (staff). Its id is made from its title.
#[utoipa::path(post, path = "/api/v1/places/{place}/asks", tag = "asks",
    params(("place" = String, Path, description = "Place id")),
    request_body = super::forms::NewAsk,
    responses(
        (status = 200, description = "The ask as recorded", body = Ask),
        (status = 400, description = "A field is not valid; each is named", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not record asks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The mission does not exist, or an ask has this title already", body = Problem, content_type = "application/problem+json")))]
pub async fn create_ask(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: Body,
) -> ApiResult<Ask> {
    let scope = scope(&state, &caller, &place).await?;
    // Who may record asks is answered before what they sent.
    state.app.may_record_asks(&scope)?;
    let form = typed::<AskForm>(body)?;
    Ok(Json(
        state
            .app
            .create_ask(&scope, &form)
            .await
            .map_err(conflicts)?,
    ))
}

/// One ask, with whom it was put to (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/asks/{ask}", tag = "asks",
    params(("place" = String, Path, description = "Place id"), ("ask" = String, Path, description = "Ask id")),
    responses(
        (status = 200, description = "The ask", body = Ask),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see asks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ask, or no such place", body = Problem, content_type = "application/problem+json")))]
pub async fn ask(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, ask)): Path<(String, String)>,
) -> ApiResult<Ask> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(state.app.ask(&scope, &ask).await?))
}

/// Change an ask (staff): every field, with the version you read.
#[utoipa::path(put, path = "/api/v1/places/{place}/asks/{ask}", tag = "asks",
    params(("place" = String, Path, description = "Place id"), ("ask" = String, Path, description = "Ask id")),
    request_body = super::forms::AskChanges,
    responses(
        (status = 200, description = "The ask as changed", body = Ask),
        (status = 400, description = "A field is not valid; each is named", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not change asks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ask, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The ask changed since you read it, or the mission does not exist", body = Problem, content_type = "application/problem+json")))]
pub async fn update_ask(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, ask)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Ask> {
    let scope = scope(&state, &caller, &place).await?;
    state.app.ask(&scope, &ask).await?;
    let form = typed::<AskForm>(body)?;
    let version = form.version.ok_or_else(|| {
        Failure::Invalid(vec![FieldError::new(
            "version",
            "Send the version of the ask you read",
        )])
    })?;
    Ok(Json(
        state
            .app
            .update_ask(&scope, &ask, version, &form)
            .await
            .map_err(conflicts)?,
    ))
}

/// The partners best placed to answer an open ask, best first, each with
/// the points of every factor and why (staff). A filled or withdrawn ask
/// has none.
#[utoipa::path(get, path = "/api/v1/places/{place}/asks/{ask}/matches", tag = "asks",
    params(("place" = String, Path, description = "Place id"), ("ask" = String, Path, description = "Ask id")),
    responses(
        (status = 200, description = "The ranked partners", body = Vec<Match>),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see asks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ask, or no such place", body = Problem, content_type = "application/problem+json")))]
pub async fn matches(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, ask)): Path<(String, String)>,
) -> ApiResult<Vec<Match>> {
    let scope = scope(&state, &caller, &place).await?;
    state.app.may_read_asks(&scope)?;
    let ask = state.app.ask(&scope, &ask).await?;
    Ok(Json(state.app.ask_matches(&scope, &ask).await?))
}

/// Whom the ask was put to, newest first, with their answers (staff). The
/// notes on answers are not served.
#[utoipa::path(get, path = "/api/v1/places/{place}/asks/{ask}/asked", tag = "asks",
    params(("place" = String, Path, description = "Place id"), ("ask" = String, Path, description = "Ask id")),
    responses(
        (status = 200, description = "Each time it was asked", body = Vec<AskMade>),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see asks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ask, or no such place", body = Problem, content_type = "application/problem+json")))]
pub async fn asked(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, ask)): Path<(String, String)>,
) -> ApiResult<Vec<AskMade>> {
    let scope = scope(&state, &caller, &place).await?;
    state.app.may_read_asks(&scope)?;
    Ok(Json(state.app.ask(&scope, &ask).await?.made))
}

/// Record that the ask was put to a partner, and any answer so far (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/asks/{ask}/asked", tag = "asks",
    params(("place" = String, Path, description = "Place id"), ("ask" = String, Path, description = "Ask id")),
    request_body = super::forms::AskedBody,
    responses(
        (status = 200, description = "The ask, with whom it was put to", body = Ask),
        (status = 400, description = "A field is not valid; each is named", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not record asks", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ask, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The organisation does not exist", body = Problem, content_type = "application/problem+json")))]
pub async fn record_asked(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, ask)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Ask> {
    let scope = scope(&state, &caller, &place).await?;
    state.app.may_read_asks(&scope)?;
    state.app.ask(&scope, &ask).await?;
    let form = typed::<AskMadeForm>(body)?;
    Ok(Json(
        state
            .app
            .record_ask_made(&scope, &ask, &form)
            .await
            .map_err(conflicts)?,
    ))
}

/// Record the answer to one time the ask was put to a partner (staff):
/// every field, with the answer's `version` you read; the organisation
/// must be the one asked. The private `note`, left out, is kept as it is.
#[utoipa::path(put, path = "/api/v1/places/{place}/asks/{ask}/asked/{asked}", tag = "asks",
    params(("place" = String, Path, description = "Place id"), ("ask" = String, Path, description = "Ask id"),
        ("asked" = i64, Path, description = "The id of the time it was asked")),
    request_body = super::forms::AnswerChanges,
    responses(
        (status = 200, description = "The ask, with the answer", body = Ask),
        (status = 400, description = "A field is not valid; each is named", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not record answers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such ask or time asked, or no such place", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed the answer since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, ask, asked)): Path<(String, String, String)>,
    body: Body,
) -> ApiResult<Ask> {
    let scope = scope(&state, &caller, &place).await?;
    let current = state.app.ask(&scope, &ask).await?;
    let asked = asked
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(Failure::NotFound)?;
    // The note is never served, so a client cannot send it back: left
    // out, it is kept as it is (sent, even empty, it is set).
    let keeps_note = matches!(&body, Ok(Json(serde_json::Value::Object(fields)))
        if !fields.contains_key("note"));
    let mut form = typed::<AskMadeForm>(body)?;
    if keeps_note {
        form.note = current
            .made
            .iter()
            .find(|made| made.id == asked)
            .and_then(|made| made.note.clone())
            .unwrap_or_default();
    }
    Ok(Json(
        state
            .app
            .answer_ask_made(&scope, &ask, asked, &form)
            .await
            .map_err(conflicts)?,
    ))
}
