//! Signing in and out, accepting an invitation, and the account page.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use placeweave_domain::FieldError;
use placeweave_domain::account::{Account, normalise_email};
use placeweave_store::accounts::SignInLimits;
use placeweave_store::privacy::AuditLine;
use serde::Deserialize;

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::{
    Caller, check_new_password, hash_password_bounded, new_token, now, token_hash,
    verify_password_bounded,
};
use crate::error::Failure;

/// Sign-in attempts allowed in the window, per email address and per client
/// (successful ones stop counting once they succeed).
const ATTEMPTS_PER_EMAIL: i64 = 5;
const ATTEMPTS_PER_CLIENT: i64 = 20;
const THROTTLE_WINDOW: i64 = 15 * 60;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    email: String,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct SignInForm {
    email: Option<String>,
    password: Option<String>,
}

fn sign_in_page(
    caller: &Caller,
    status: StatusCode,
    email: &str,
    errors: Vec<FieldError>,
) -> PageResult {
    render(
        status,
        &SignInPage {
            chrome: Chrome::generic(Section::Account, caller),
            errors,
            email: email.to_owned(),
            notice: None,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct SignInQuery {
    welcome: Option<String>,
}

pub async fn show_sign_in(
    caller: Caller,
    query: Result<Query<SignInQuery>, QueryRejection>,
) -> PageResult {
    let notice = query
        .ok()
        .and_then(|Query(q)| q.welcome)
        .map(|_| "Your password is set. Sign in with it now.");
    render(
        StatusCode::OK,
        &SignInPage {
            chrome: Chrome::generic(Section::Account, &caller),
            errors: vec![],
            email: String::new(),
            notice,
        },
    )
}

pub async fn sign_in(
    State(state): State<AppState>,
    caller: Caller,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> PageResult {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let raw_email = form.email.unwrap_or_default();
    let password = form.password.unwrap_or_default();
    let mut errors = Vec::new();
    if raw_email.trim().is_empty() {
        errors.push(FieldError::new("email", "Enter your email address"));
    }
    if password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    if !errors.is_empty() {
        return sign_in_page(&caller, StatusCode::BAD_REQUEST, &raw_email, errors);
    }
    let email = normalise_email(&raw_email).unwrap_or_else(|| raw_email.trim().to_lowercase());
    let client = client_address(&headers, peer, state.cookies.secure);
    let now = now();
    // The attempt is counted before the password is checked, in one atomic
    // step, so concurrent guesses cannot all slip under the limit.
    let limits = SignInLimits {
        per_email: ATTEMPTS_PER_EMAIL,
        per_client: ATTEMPTS_PER_CLIENT,
        since: now - THROTTLE_WINDOW,
    };
    let Some(attempt) = state
        .store
        .admit_sign_in(&email, &client, now, limits)
        .await?
    else {
        let mut response = sign_in_page(
            &caller,
            StatusCode::TOO_MANY_REQUESTS,
            &raw_email,
            vec![FieldError::new(
                "email",
                "There have been too many attempts to sign in. Wait 15 minutes, then try again",
            )],
        )?;
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(THROTTLE_WINDOW));
        return Ok(response);
    };
    let credentials = state.store.account_by_email(&email).await?;
    let hash = credentials
        .as_ref()
        .filter(|c| !c.account.disabled)
        .and_then(|c| c.password_hash.clone());
    let verified = verify_password_bounded(password, hash).await;
    let account = match (verified, credentials) {
        (true, Some(credentials)) => credentials.account,
        _ => {
            // The admitted attempt stays recorded: it is the failure.
            state
                .store
                .forget_sign_in_failures(now - 24 * 60 * 60)
                .await?;
            return sign_in_page(
                &caller,
                StatusCode::UNAUTHORIZED,
                &raw_email,
                vec![FieldError::new(
                    "email",
                    "Enter a correct email address and password",
                )],
            );
        }
    };
    state.store.sign_in_succeeded(attempt).await?;
    // A new session id at every sign-in: a planted cookie (session fixation) is worthless.
    if let Some(old) = &caller.session {
        state.store.delete_session(old).await?;
    }
    let (token, hash) = new_token();
    state.store.insert_session(&hash, account.id, now).await?;
    audit(
        &state,
        Some(account.id),
        "sign-in",
        "account",
        Some(account.id.to_string()),
    )
    .await?;
    let mut response = Redirect::to("/account").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, state.cookies.set(&token));
    Ok(response)
}

/// Who is signing in, for the throttle. Behind the HTTPS proxy that
/// `--https` declares, every connection comes from the proxy, so the address
/// it appended last to `X-Forwarded-For` is used instead (earlier entries
/// can be forged by the client; the last one cannot).
fn client_address(headers: &HeaderMap, peer: SocketAddr, behind_proxy: bool) -> String {
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim)
        .and_then(|v| v.parse::<std::net::IpAddr>().ok());
    match (behind_proxy, forwarded) {
        (true, Some(address)) => address.to_string(),
        _ => peer.ip().to_string(),
    }
}

pub async fn sign_out(State(state): State<AppState>, caller: Caller) -> PageResult {
    if let Some(session) = &caller.session {
        state.store.delete_session(session).await?;
        audit(
            &state,
            caller.account_id(),
            "sign-out",
            "account",
            caller.account_id().map(|i| i.to_string()),
        )
        .await?;
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, state.cookies.clear());
    Ok(response)
}

pub async fn audit(
    state: &AppState,
    actor: Option<i64>,
    action: &str,
    record_type: &str,
    record_id: Option<String>,
) -> Result<(), Failure> {
    let line = AuditLine {
        actor,
        action,
        record_type,
        record_id,
        detail: None,
    };
    state.store.audit(&line, now()).await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    account: Account,
}

pub async fn show_account(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, super::PageError> {
    let Some(id) = caller.account_id() else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    let account = state.store.account(id).await?.ok_or(Failure::NotFound)?;
    render(
        StatusCode::OK,
        &AccountPage {
            chrome: Chrome::generic(Section::Account, &caller),
            account,
        },
    )
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    account: Account,
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    password: Option<String>,
    confirm: Option<String>,
}

pub async fn show_invite(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
) -> PageResult {
    let account = state
        .store
        .invite_is_open(&token_hash(&token), now())
        .await?
        .ok_or(Failure::NotFound)?;
    render(
        StatusCode::OK,
        &InvitePage {
            chrome: Chrome::generic(Section::Account, &caller),
            errors: vec![],
            account,
        },
    )
}

pub async fn accept_invite(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> PageResult {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let hash = token_hash(&token);
    let now = now();
    let account = state
        .store
        .invite_is_open(&hash, now)
        .await?
        .ok_or(Failure::NotFound)?;
    let password = form.password.unwrap_or_default();
    let mut errors = Vec::new();
    if let Err(e) = check_new_password("password", &password) {
        errors.push(e);
    } else if form.confirm.as_deref() != Some(password.as_str()) {
        errors.push(FieldError::new("confirm", "The passwords do not match"));
    }
    if !errors.is_empty() {
        return render(
            StatusCode::BAD_REQUEST,
            &InvitePage {
                chrome: Chrome::generic(Section::Account, &caller),
                errors,
                account,
            },
        );
    }
    let password_hash = hash_password_bounded(password).await?;
    let mut tx = state.store.begin().await?;
    // Redeeming inside the transaction means a link works exactly once.
    if tx.redeem_invite(&hash, now).await? != Some(account.id) {
        return Err(Failure::NotFound.into());
    }
    tx.set_password_hash(account.id, &password_hash).await?;
    tx.audit(
        &AuditLine {
            actor: Some(account.id),
            action: "accept-invite",
            record_type: "account",
            record_id: Some(account.id.to_string()),
            detail: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/sign-in?welcome=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_a_proxy_the_last_forwarded_address_is_the_client() {
        let peer: SocketAddr = "10.0.0.1:443".parse().expect("address");
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.7"),
        );
        assert_eq!(client_address(&headers, peer, true), "203.0.113.7");
        assert_eq!(
            client_address(&headers, peer, false),
            "10.0.0.1",
            "not trusted without a proxy"
        );
        headers.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_address(&headers, peer, true), "10.0.0.1");
    }
}
