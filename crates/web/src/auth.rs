//! Who is asking: password hashing (argon2id), server-side sessions behind a
//! cookie, the `Caller` extractor every handler uses, and the cross-site
//! request check on every state-changing request.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use placeweave_domain::{FieldError, Principal};
use rand::RngCore;

use crate::AppState;
use crate::error::{Failure, problem};

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT: i64 = 30 * 60;
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 60 * 60;
/// Last-seen times are written at most this often, to spare the database.
const TOUCH_EVERY: i64 = 60;

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

/// argon2id with OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
#[error("could not hash the password: {0}")]
pub struct HashError(pub String);

/// Hashes a password (slow on purpose: run it off the async threads).
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0_u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// A valid hash of a password nobody knows, verified when the account does
/// not exist so that a sign-in takes as long either way.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("placeweave decoy password").unwrap_or_default());

/// Password verifications run since the process started (the throttle's
/// tests and benchmark read it to prove guesses stop at the limit).
static VERIFICATIONS: AtomicU64 = AtomicU64::new(0);

pub fn password_verifications() -> u64 {
    VERIFICATIONS.load(Ordering::Relaxed)
}

pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let stored = hash.unwrap_or(DECOY_HASH.as_str());
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
    let ok = argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && hash.is_some()
}

/// Each hash or verification takes 19 MiB for a moment: as many at once as
/// there are cores, the rest wait their turn here (on the async side, not
/// as blocked threads), so a burst of sign-ins cannot take the memory of
/// hundreds of them at once.
static ARGON2_PERMITS: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(
        std::thread::available_parallelism()
            .map(std::num::NonZeroUsize::get)
            .unwrap_or(1),
    )
});

/// Runs argon2 work off the async threads, within the permits.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    let permit = ARGON2_PERMITS
        .acquire()
        .await
        .map_err(|e| HashError(e.to_string()))?;
    // The permit moves into the task: if the request is dropped while the
    // work runs, the work still counts against the bound until it ends.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| HashError(e.to_string()))
}

/// [`hash_password`], queued behind the bound on concurrent argon2 work.
pub async fn hash_password_bounded(password: String) -> Result<String, HashError> {
    bounded(move || hash_password(&password)).await?
}

/// [`verify_password`], queued behind the bound on concurrent argon2 work.
pub async fn verify_password_bounded(password: String, hash: Option<String>) -> bool {
    bounded(move || verify_password(&password, hash.as_deref()))
        .await
        .unwrap_or(false)
}

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
    let hash = token_hash(&token);
    let Some(session) = state.store.session(&hash).await? else {
        return Ok(Caller::public());
    };
    let now = now();
    if now - session.last_seen_at > IDLE_TIMEOUT || now - session.created_at > ABSOLUTE_TIMEOUT {
        state.store.delete_session(&hash).await?;
        return Ok(Caller::public());
    }
    if now - session.last_seen_at > TOUCH_EVERY {
        state.store.touch_session(&hash, now).await?;
    }
    let account = session.account;
    Ok(Caller {
        principal: Principal::Account {
            id: account.id,
            role: account.role,
            place: session.place,
            organisation: account.organisation.map(|o| o.id),
        },
        session: Some(hash),
        display_name: Some(account.display_name),
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
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong horse battery", Some(&hash)));
        assert!(!verify_password("correct horse battery", None));
    }

    #[tokio::test]
    async fn argon2_work_is_bounded_by_the_cores() {
        let cores = std::thread::available_parallelism()
            .map(std::num::NonZeroUsize::get)
            .unwrap_or(1);
        let running = std::sync::Arc::new(AtomicU64::new(0));
        let most = std::sync::Arc::new(AtomicU64::new(0));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..(cores * 4) {
            let (running, most) = (running.clone(), most.clone());
            tasks.spawn(bounded(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("task").expect("work");
        }
        let most = most.load(Ordering::SeqCst);
        assert!(
            most >= 1 && most <= cores as u64,
            "{most} at once on {cores} cores"
        );
        let before = password_verifications();
        let hash = hash_password_bounded("correct horse battery".into())
            .await
            .expect("hash");
        assert!(verify_password_bounded("correct horse battery".into(), Some(hash)).await);
        assert!(password_verifications() > before);
    }

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
