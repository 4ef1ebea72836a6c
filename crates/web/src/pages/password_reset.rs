//! "Forgotten your password?": the form where a person asks, and the
//! administrator's button that makes them a one-time link.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use placeweave_app::password_reset::ResetAsked;
use placeweave_domain::FieldError;
use placeweave_domain::account::normalise_email;
use serde::Deserialize;

use super::account::client_address;
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    email: String,
    /// The request was taken (shown the same whether or not the account exists).
    asked: bool,
}

#[derive(Deserialize, Default)]
pub struct ResetForm {
    email: Option<String>,
}

fn page(
    caller: &Caller,
    status: StatusCode,
    email: &str,
    errors: Vec<FieldError>,
    asked: bool,
) -> PageResult {
    render(
        status,
        &ResetPage {
            chrome: Chrome::generic(Section::Account, caller),
            errors,
            email: email.to_owned(),
            asked,
        },
    )
}

pub async fn show(caller: Caller) -> PageResult {
    page(&caller, StatusCode::OK, "", vec![], false)
}

pub async fn ask(
    State(state): State<AppState>,
    caller: Caller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<ResetForm>, FormRejection>,
) -> PageResult {
    let email = form.ok().and_then(|Form(f)| f.email).unwrap_or_default();
    if email.trim().is_empty() {
        let error = FieldError::new("email", "Enter your email address");
        return page(&caller, StatusCode::BAD_REQUEST, &email, vec![error], false);
    }
    if normalise_email(&email).is_none() {
        let error = FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.com",
        );
        return page(&caller, StatusCode::BAD_REQUEST, &email, vec![error], false);
    }
    let client = client_address(&headers, peer, state.cookies.secure);
    match state.app.request_password_reset(&email, &client).await? {
        ResetAsked::Noted => page(&caller, StatusCode::OK, "", vec![], true),
        ResetAsked::Throttled { retry_after } => {
            let error = FieldError::new(
                "email",
                "There have been too many attempts from here or for this email address. Wait 15 minutes, then try again",
            );
            let mut response = page(
                &caller,
                StatusCode::TOO_MANY_REQUESTS,
                &email,
                vec![error],
                false,
            )?;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            Ok(response)
        }
    }
}
