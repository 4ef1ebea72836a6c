//! Signing in and out, accepting an invitation, and the account page.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use placeweave_app::AppError;
use placeweave_app::session::{Session, SignIn};
use placeweave_domain::FieldError;
use placeweave_domain::account::Account;
use serde::Deserialize;

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::{Caller, check_new_password};
use crate::error::Failure;

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    email: String,
    notice: Option<&'static str>,
    /// Where to go after signing in (already checked to be this site's).
    next: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct SignInForm {
    email: Option<String>,
    password: Option<String>,
    next: Option<String>,
}

fn sign_in_page(
    caller: &Caller,
    status: StatusCode,
    email: &str,
    next: Option<String>,
    errors: Vec<FieldError>,
) -> PageResult {
    render(
        status,
        &SignInPage {
            chrome: Chrome::generic(Section::Account, caller),
            errors,
            email: email.to_owned(),
            notice: None,
            next,
        },
    )
}

/// `raw` if it is an address on this site to come back to after signing
/// in: a path starting with exactly one `/`. Anything a browser could read
/// as another site (`//host`, `/\host`, `https://…`) or that holds
/// spaces, control characters or backslashes is refused, so the sign-in
/// page cannot be used to send people elsewhere.
pub fn return_address(raw: &str) -> Option<String> {
    let acceptable = raw.len() <= 2000
        && raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/sign-in")
        && raw.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    acceptable.then(|| raw.to_owned())
}

#[derive(Deserialize, Default)]
pub struct SignInQuery {
    welcome: Option<String>,
    next: Option<String>,
}

pub async fn show_sign_in(
    caller: Caller,
    query: Result<Query<SignInQuery>, QueryRejection>,
) -> PageResult {
    let query = query.map(|Query(q)| q).unwrap_or_default();
    let notice = query
        .welcome
        .map(|_| "Your password is set. Sign in with it now.");
    render(
        StatusCode::OK,
        &SignInPage {
            chrome: Chrome::generic(Section::Account, &caller),
            errors: vec![],
            email: String::new(),
            notice,
            next: query.next.as_deref().and_then(return_address),
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
    let next = form.next.as_deref().and_then(return_address);
    let mut errors = Vec::new();
    if raw_email.trim().is_empty() {
        errors.push(FieldError::new("email", "Enter your email address"));
    }
    if password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    if !errors.is_empty() {
        return sign_in_page(&caller, StatusCode::BAD_REQUEST, &raw_email, next, errors);
    }
    let client = client_address(&headers, peer, state.cookies.secure);
    let outcome = state
        .app
        .sign_in(&raw_email, password, &client, caller.session.as_deref())
        .await?;
    match outcome {
        SignIn::Signed { token, .. } => {
            let mut response = Redirect::to(next.as_deref().unwrap_or("/account")).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, state.cookies.set(&token));
            Ok(response)
        }
        SignIn::Refused => sign_in_page(
            &caller,
            StatusCode::UNAUTHORIZED,
            &raw_email,
            next,
            vec![FieldError::new(
                "email",
                "Enter a correct email address and password",
            )],
        ),
        SignIn::Throttled { retry_after } => {
            let mut response = sign_in_page(
                &caller,
                StatusCode::TOO_MANY_REQUESTS,
                &raw_email,
                next,
                vec![FieldError::new(
                    "email",
                    "There have been too many attempts to sign in. Wait 15 minutes, then try again",
                )],
            )?;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            Ok(response)
        }
    }
}

/// Who is signing in, for the throttle. Behind the HTTPS proxy that
/// `--https` declares, every connection comes from the proxy, so the address
/// it appended last to `X-Forwarded-For` is used instead (earlier entries
/// can be forged by the client; the last one cannot).
pub(super) fn client_address(headers: &HeaderMap, peer: SocketAddr, behind_proxy: bool) -> String {
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
    if let Some(id_hash) = &caller.session {
        state
            .app
            .sign_out(&Session {
                principal: caller.principal.clone(),
                display_name: caller.display_name.clone().unwrap_or_default(),
                id_hash: id_hash.clone(),
            })
            .await?;
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, state.cookies.clear());
    Ok(response)
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
    if caller.account_id().is_none() {
        return Ok(Redirect::to("/sign-in").into_response());
    }
    let account = state.app.own_account(&caller.principal).await?;
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
    let account = state.app.open_invite(&token).await?;
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
    let accepted = state
        .app
        .accept_invite(
            &token,
            form.password.unwrap_or_default(),
            form.confirm.as_deref().unwrap_or_default(),
            |password| check_new_password("password", password),
        )
        .await;
    match accepted {
        Ok(_) => {}
        Err(AppError::Invalid(errors)) => {
            let account = state.app.open_invite(&token).await?;
            return render(
                StatusCode::BAD_REQUEST,
                &InvitePage {
                    chrome: Chrome::generic(Section::Account, &caller),
                    errors,
                    account,
                },
            );
        }
        Err(other) => return Err(Failure::from(other).into()),
    }
    Ok(Redirect::to("/sign-in?welcome=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_sites_paths_are_come_back_to() {
        for good in [
            "/",
            "/missions/youth-opportunity",
            "/organisations?kind=school&page=2",
        ] {
            assert_eq!(return_address(good).as_deref(), Some(good));
        }
        for bad in [
            "",
            "//evil.example",
            "//evil.example/path",
            "/\\evil.example",
            "/x\\y",
            "https://evil.example/",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/ space",
            "/\tx",
            "/sign-in?next=/x",
        ] {
            assert_eq!(return_address(bad), None, "{bad:?}");
        }
        assert_eq!(return_address(&format!("/{}", "a".repeat(2000))), None);
    }

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
