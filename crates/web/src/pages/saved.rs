//! The success banner after a save. A save redirects to the record's page
//! with `saved=<what>` in the address (post/redirect/get), and that page
//! shows a GOV.UK success notification banner. Only known values show a
//! message, so the address cannot put words on the page.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// What was saved, as the message its banner shows.
const MESSAGES: &[(&str, &str)] = &[
    ("organisation", "Organisation saved"),
    ("mission", "Mission saved"),
    ("theme", "Outcome theme saved"),
    ("role", "Role saved"),
    ("initiative", "Initiative saved"),
    ("commitment", "Commitment saved"),
    ("contact", "Contact added"),
    ("account-disabled", "Account disabled"),
];

/// The success message for this request, if it follows a save.
#[derive(Debug, Clone, Copy, Default)]
pub struct Saved(pub Option<&'static str>);

impl<S: Send + Sync> FromRequestParts<S> for Saved {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let message = url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == "saved")
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
    use super::after_save;

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
