//! Conditional requests for anonymous readers. A page or API answer read
//! anonymously gets an ETag made from its own bytes, so a reader (or a CDN
//! in front) that sends it back gets 304 and no body while the answer is
//! unchanged, and a full answer as soon as anything on it changes.
//! Signed-in responses are `no-store` and never get a validator (see
//! `auth::no_store_when_signed_in`).
//!
//! The tag is a digest of the answer rather than a counter of writes: a
//! counter would tell anyone watching a public page that something hidden
//! had changed, and a hidden record must leave no trace. The ETags are
//! weak because the same answer goes out gzip-compressed or not, and a
//! strong validator would have to differ between the two encodings.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::{AppState, page_cache};

/// Shared caches may keep a copy, but must ask before using it.
const CACHE_CONTROL: &str = "public, no-cache";

/// Larger answers go out without a validator rather than be held whole.
const LARGEST_TAGGED: usize = 4 * 1024 * 1024;

/// Paths whose answers say something other than the data: the health
/// check and metrics must always be fresh, and assets carry their own
/// long-lived caching.
fn has_own_caching(path: &str) -> bool {
    path == "/healthz" || path == "/metrics" || path.starts_with("/assets/")
}

fn entity_tag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

/// Whether an `If-None-Match` value names `tag` (weak comparison, so the
/// `W/` prefix is ignored on both sides). `*` gets a full answer.
fn matches(if_none_match: &str, tag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let wanted = opaque(tag);
    if_none_match
        .split(',')
        .any(|candidate| opaque(candidate) == wanted)
}

/// One-time links: their address is a secret, and the page names the
/// account it is for.
fn is_secret(path: &str) -> bool {
    path.starts_with("/invite/")
}

pub async fn conditional_get(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if is_secret(request.uri().path()) {
        let mut response = next.run(request).await;
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        return response;
    }
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD)
        && !has_own_caching(request.uri().path())
        && state.cookies.read(request.headers()).is_none();
    if !cacheable {
        return next.run(request).await;
    }
    let asked = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Only GET answers are kept: HEAD's have no body to keep.
    let kept_at = match (
        request.method() == Method::GET,
        state.app.data_version().await,
    ) {
        (true, Ok(version)) => {
            let origin = crate::findable::origin(state.cookies.secure, request.headers());
            let address = request.uri().path_and_query().map_or("/", |a| a.as_str());
            Some((
                version,
                page_cache::today(),
                page_cache::key(&origin, address),
            ))
        }
        _ => None,
    };
    if let Some((version, day, key)) = &kept_at
        && let Some(kept) = state.pages.get(*version, *day, key)
    {
        let mut response = Response::new(Body::empty());
        *response.headers_mut() = kept.headers;
        let (parts, _) = response.into_parts();
        return tagged(parts, kept.body, &kept.tag, asked.as_deref());
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::CACHE_CONTROL)
    {
        return response;
    }
    let small = axum::body::HttpBody::size_hint(response.body())
        .upper()
        .is_some_and(|upper| upper <= LARGEST_TAGGED as u64);
    if !small {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, LARGEST_TAGGED).await else {
        // The body said it was small and was not, or failed: nothing was
        // sent yet, so say so rather than send part of it.
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = entity_tag(&bytes);
    if let Some((version, day, key)) = kept_at {
        state.pages.keep(
            version,
            day,
            key,
            page_cache::Kept {
                headers: parts.headers.clone(),
                body: bytes.clone(),
                tag: tag.clone(),
            },
        );
    }
    tagged(parts, bytes, &tag, asked.as_deref())
}

/// The answer with its ETag and caching headers, or 304 when the reader
/// already has it.
fn tagged(
    mut parts: axum::http::response::Parts,
    bytes: Bytes,
    tag: &str,
    asked: Option<&str>,
) -> Response {
    let Ok(tag_value) = HeaderValue::from_str(tag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let headers = &mut parts.headers;
    headers.insert(header::ETAG, tag_value);
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    // A signed-in reader of the same address sees something else.
    headers.append(header::VARY, HeaderValue::from_static("Cookie"));
    if asked.is_some_and(|asked| matches(asked, tag)) {
        parts.status = StatusCode::NOT_MODIFIED;
        headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let tag = &entity_tag(b"a page");
        assert_eq!(tag, &entity_tag(b"a page"));
        assert_ne!(tag, &entity_tag(b"a page!"));
        assert!(matches(tag, tag));
        assert!(matches(tag.trim_start_matches("W/"), tag));
        assert!(matches(&format!("\"other\", {tag}"), tag));
        // "*" would answer 304 for addresses that have no page.
        assert!(!matches("*", tag));
        assert!(!matches(&entity_tag(b"another page"), tag));
        assert!(!matches(&format!("{tag}0"), tag));
        assert!(!matches("", tag));
    }
}
