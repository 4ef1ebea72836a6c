//! The success banner after a save. A save redirects to the record's page
//! with `saved=<what>` in the address (post/redirect/get), and that page
//! shows a GOV.UK success notification banner. Only known values show a
//! message, so the address cannot put words on the page; and the banner
//! shows only when the redirect also set a one-time cookie naming the same
//! save, so a link someone was sent cannot claim they saved anything, and
//! reloading the page does not repeat it.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

const COOKIE: &str = "placeweave-saved";

/// The one-time cookie's value in `headers`, if any.
fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// The `saved` value of a redirect's target, if it is one of ours.
fn saved_in(location: &str) -> Option<&'static str> {
    let query = location.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "saved")
        .and_then(|(_, v)| MESSAGES.iter().find(|(key, _)| *key == v))
        .map(|(key, _)| *key)
}

/// Sets the one-time cookie on a redirect after a save, and clears it once
/// a page has been shown with it.
pub async fn one_time_cookie(request: Request, next: Next) -> Response {
    let had_cookie = cookie(request.headers()).is_some();
    let mut response = next.run(request).await;
    let after_save = (response.status() == StatusCode::SEE_OTHER)
        .then(|| response.headers().get(header::LOCATION))
        .flatten()
        .and_then(|l| l.to_str().ok())
        .and_then(saved_in);
    let set = match after_save {
        Some(what) => format!("{COOKIE}={what}; Path=/; Max-Age=60; HttpOnly; SameSite=Strict"),
        None if had_cookie && response.status() == StatusCode::OK => {
            format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")
        }
        None => return response,
    };
    if let Ok(value) = HeaderValue::from_str(&set) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// What was saved, as the message its banner shows.
const MESSAGES: &[(&str, &str)] = &[
    ("organisation", "Organisation saved"),
    ("mission", "Mission saved"),
    ("theme", "Outcome theme saved"),
    ("role", "Role saved"),
    ("initiative", "Initiative saved"),
    ("commitment", "Commitment saved"),
    (
        "proposal",
        "Proposal sent to the partnership team: it is published once they accept it",
    ),
    ("accepted", "Proposal accepted and published"),
    ("declined", "Proposal declined: the partner sees your note"),
    ("relationship", "Relationship saved"),
    (
        "stage",
        "Relationship moved: the new stage is in its history, dated today",
    ),
    ("interaction", "Interaction saved"),
    ("contribution", "Contribution saved"),
    ("follow-up", "Follow-up marked as done"),
    ("contact", "Contact added"),
    ("enquiry", "Enquiry declined"),
    ("account-disabled", "Account disabled"),
    ("team", "Team saved"),
    ("licence", "Licence saved: every download now states it"),
    ("experiment", "Experiment saved"),
    ("story", "Story saved"),
    ("ask", "Ask saved"),
    ("ask-made", "Ask recorded"),
    ("answer", "Answer saved"),
    ("learning", "Added to the learning log"),
    ("progress", "Mission progress recorded"),
    ("signal", "Signal saved"),
    ("measure", "Measure saved"),
    ("value", "Value saved"),
    (
        "values-imported",
        "Values imported: every row of the file was read",
    ),
];

/// The success message for this request, if it follows a save.
#[derive(Debug, Clone, Copy, Default)]
pub struct Saved(pub Option<&'static str>);

impl<S: Send + Sync> FromRequestParts<S> for Saved {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let remembered = cookie(&parts.headers);
        let message = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "saved")
            .filter(|(_, v)| remembered.as_deref() == Some(v.as_ref()))
            .and_then(|(_, v)| {
                MESSAGES
                    .iter()
                    .find(|(key, _)| *key == v)
                    .map(|(_, message)| *message)
            });
        Ok(Saved(message))
    }
}

/// `href` with `saved=<what>` added to its query, before any fragment.
pub fn after_save(href: &str, what: &str) -> String {
    let (path, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (href, None),
    };
    let separator = if path.contains('?') { '&' } else { '?' };
    match fragment {
        Some(fragment) => format!("{path}{separator}saved={what}#{fragment}"),
        None => format!("{path}{separator}saved={what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{after_save, saved_in};

    #[test]
    fn only_our_saves_set_the_cookie() {
        assert_eq!(
            saved_in("/organisations/ucl?saved=organisation"),
            Some("organisation")
        );
        assert_eq!(saved_in("/offer?saved=role#sponsorship"), Some("role"));
        assert_eq!(saved_in("/offer?saved=anything"), None);
        assert_eq!(saved_in("/sign-in?welcome=1"), None);
    }

    #[test]
    fn the_flag_goes_before_the_fragment() {
        assert_eq!(
            after_save("/offer#sponsorship", "role"),
            "/offer?saved=role#sponsorship"
        );
        assert_eq!(
            after_save("/organisations/ucl", "organisation"),
            "/organisations/ucl?saved=organisation"
        );
        assert_eq!(after_save("/a?b=1", "mission"), "/a?b=1&saved=mission");
    }
}
