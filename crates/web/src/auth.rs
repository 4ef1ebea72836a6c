//! Who is asking: password hashing (argon2id), server-side sessions behind a
//! cookie, the `Caller` extractor every handler uses, and the cross-site
//! request check on every state-changing request.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use placeweave_domain::{FieldError, Principal};

use crate::AppState;
use crate::error::{Failure, problem};

pub use placeweave_app::session::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT};

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!(concat!(env!("OUT_DIR"), "/common-passwords.txt"))
        .lines()
        .collect()
});

/// Whether a lower-cased password is on the shipped common-password list.
pub fn is_common_password(lowercase: &str) -> bool {
    COMMON_PASSWORDS.contains(lowercase)
}

/// Checks a new password against the domain's rules and the shipped list.
pub fn check_new_password(field: &str, password: &str) -> Result<(), FieldError> {
    placeweave_domain::password::check(field, password, is_common_password)
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

pub use placeweave_app::password::{
    HashError, hash_password, hash_password_bounded, password_verifications, verify_password,
    verify_password_bounded,
};
pub use placeweave_app::token::{new_token, token_hash};

/// Cookie settings: `__Host-` and `Secure` when served over HTTPS (directly
/// or behind a configured proxy); browsers refuse `__Host-` without `Secure`.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    pub fn name(self) -> &'static str {
        if self.secure {
            "__Host-placeweave-session"
        } else {
            "placeweave-session"
        }
    }

    pub fn set(self, token: &str) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let value = format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={ABSOLUTE_TIMEOUT}{secure}",
            self.name()
        );
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    pub fn clear(self) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let value = format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}",
            self.name()
        );
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    pub fn read(self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == self.name())
            .map(|(_, value)| value.to_owned())
            .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
    }
}

/// The request's principal, from its session cookie if it has a live one.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The stored hash of the session id, when signed in.
    pub session: Option<String>,
    pub display_name: Option<String>,
}

impl Caller {
    pub fn public() -> Self {
        Caller {
            principal: Principal::Public,
            session: None,
            display_name: None,
        }
    }

    pub fn viewer(&self) -> placeweave_domain::Viewer {
        self.principal.viewer()
    }

    pub fn account_id(&self) -> Option<i64> {
        match self.principal {
            Principal::Account { id, .. } => Some(id),
            Principal::Public => None,
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        match load_caller(&parts.headers, state).await {
            Ok(caller) => {
                parts.extensions.insert(caller.clone());
                Ok(caller)
            }
            Err(failure) if parts.uri.path().starts_with("/api/") => {
                Err(crate::error::ApiError(failure).into_response())
            }
            Err(failure) => Err(crate::pages::PageError(failure).into_response()),
        }
    }
}

async fn load_caller(headers: &HeaderMap, state: &AppState) -> Result<Caller, Failure> {
    let Some(token) = state.cookies.read(headers) else {
        return Ok(Caller::public());
    };
    Ok(match state.app.session(&token).await? {
        Some(session) => Caller {
            principal: session.principal,
            session: Some(session.id_hash),
            display_name: Some(session.display_name),
        },
        None => Caller::public(),
    })
}

/// Refuses state-changing requests that a browser marks as cross-site, or
/// that carry neither `Sec-Fetch-Site` nor a same-origin `Origin`. Together
/// with `SameSite=Lax` cookies this stops cross-site request forgery
/// without tokens in forms. GET and HEAD never change state.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if is_same_origin(request.headers()) {
        next.run(request).await
    } else {
        let detail = "This request came from another site, so it was refused. \
                      Go back to the page, reload it and try again."
            .to_owned();
        if request.uri().path().starts_with("/api/") {
            problem(StatusCode::FORBIDDEN, detail, vec![])
        } else {
            (StatusCode::FORBIDDEN, detail).into_response()
        }
    }
}

fn is_same_origin(headers: &HeaderMap) -> bool {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = header("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => url::Url::parse(origin)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
            })
            .is_some_and(|origin_host| origin_host == host),
        _ => false,
    }
}

/// Marks responses to signed-in requests `no-store`, so shared computers and
/// proxies keep no copy of what only that person may see.
pub async fn no_store_when_signed_in(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let signed_in = state.cookies.read(request.headers()).is_some();
    let mut response = next.run(request).await;
    if signed_in {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_is_used() {
        assert!(is_common_password("password1"));
        assert!(check_new_password("password", "Password1").is_err());
        assert!(check_new_password("password", "violet kettle harbour").is_ok());
    }

    #[test]
    fn cookies_are_read_strictly() {
        let policy = CookiePolicy { secure: true };
        let (token, _) = new_token();
        let mut headers = HeaderMap::new();
        let cookie = format!("other=1; __Host-placeweave-session={token}");
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&cookie).expect("header"),
        );
        assert_eq!(policy.read(&headers), Some(token));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("__Host-placeweave-session=short"),
        );
        assert_eq!(policy.read(&headers), None);
        let set = policy.set("abc");
        let set = set.to_str().expect("ascii");
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(set.contains(attribute), "{attribute}");
        }
        assert!(
            !CookiePolicy { secure: false }
                .set("abc")
                .to_str()
                .expect("ascii")
                .contains("__Host-")
        );
    }

    #[test]
    fn cross_site_writes_are_recognised() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, HeaderValue::from_static(v));
            }
            map
        };
        assert!(is_same_origin(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!is_same_origin(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(is_same_origin(&headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080")
        ])));
        assert!(!is_same_origin(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:8080")
        ])));
        assert!(!is_same_origin(&headers(&[("host", "127.0.0.1:8080")])));
    }
}
