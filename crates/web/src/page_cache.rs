//! Anonymous answers kept per data version. Every committed change to a
//! record moves the data version on in its transaction, so while it (one
//! row) is unchanged, an anonymous reader of the same address
//! would be given the same bytes: they are kept and sent again instead of
//! being queried and rendered again. A signed-in reader never goes
//! through here (their pages differ by who they are, and are `no-store`).
//!
//! The key holds the site's origin (printed pages and the sitemap write it
//! out) and today's date (a mission's "target year passed" turns with the
//! calendar, not with a write).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, header};

/// Answers larger than this are rendered each time rather than kept.
const LARGEST_KEPT: usize = 1024 * 1024;
/// Past this many bytes, or answers, the cache starts again.
const MOST_BYTES: usize = 64 * 1024 * 1024;
const MOST_ANSWERS: usize = 8_192;

/// An answer as kept: its headers and body (the status is always 200).
#[derive(Clone)]
pub struct Kept {
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The body's entity tag, worked out once when it was kept.
    pub tag: String,
}

#[derive(Default)]
struct Answers {
    version: i64,
    day: i64,
    bytes: usize,
    by_address: HashMap<String, Kept>,
}

#[derive(Clone, Default)]
pub struct PageCache {
    answers: Arc<Mutex<Answers>>,
}

/// Which answer: the origin and the address with its query.
pub fn key(origin: &str, address: &str) -> String {
    format!("{origin}{address}")
}

/// Today, as days since 1970 (UTC).
pub fn today() -> i64 {
    placeweave_app::now() / 86_400
}

impl PageCache {
    /// The answer kept for `key` at `version` on `day`, if any.
    pub fn get(&self, version: i64, day: i64, key: &str) -> Option<Kept> {
        let answers = self.answers.lock().ok()?;
        (answers.version == version && answers.day == day)
            .then(|| answers.by_address.get(key).cloned())
            .flatten()
    }

    /// Keeps an answer computed after `version` was read. Answers that set
    /// a cookie are never kept: they belong to one reader.
    pub fn keep(&self, version: i64, day: i64, key: String, kept: Kept) {
        if kept.body.len() > LARGEST_KEPT || kept.headers.contains_key(header::SET_COOKIE) {
            return;
        }
        let Ok(mut answers) = self.answers.lock() else {
            return;
        };
        if answers.version != version
            || answers.day != day
            || answers.bytes + kept.body.len() > MOST_BYTES
            || answers.by_address.len() >= MOST_ANSWERS
        {
            *answers = Answers {
                version,
                day,
                ..Answers::default()
            };
        }
        answers.bytes += kept.body.len();
        if let Some(old) = answers.by_address.insert(key, kept) {
            answers.bytes -= old.body.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(body: &'static [u8]) -> Kept {
        Kept {
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
            tag: String::new(),
        }
    }

    #[test]
    fn an_answer_is_kept_for_its_version_and_day_only() {
        let cache = PageCache::default();
        cache.keep(7, 100, key("http://a", "/missions"), kept(b"page"));
        assert!(cache.get(7, 100, "http://a/missions").is_some());
        assert!(cache.get(8, 100, "http://a/missions").is_none());
        assert!(cache.get(7, 101, "http://a/missions").is_none());
        assert!(cache.get(7, 100, "http://b/missions").is_none());
        // A newer version starts again: the old answer is gone for good.
        cache.keep(8, 100, key("http://a", "/offer"), kept(b"offer"));
        assert!(cache.get(7, 100, "http://a/missions").is_none());
    }

    #[test]
    fn answers_that_set_cookies_are_not_kept() {
        let cache = PageCache::default();
        let mut answer = kept(b"page");
        answer.headers.insert(
            header::SET_COOKIE,
            axum::http::HeaderValue::from_static("a=b"),
        );
        cache.keep(1, 1, key("http://a", "/"), answer);
        assert!(cache.get(1, 1, "http://a/").is_none());
    }
}
