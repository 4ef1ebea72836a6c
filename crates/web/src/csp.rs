//! The Content-Security-Policy: scripts and styles only from this site,
//! with no `unsafe-inline`. The one inline script — which marks the page
//! as having JavaScript before the header is drawn, so that the mobile
//! menu starts closed instead of closing after load and moving the page —
//! is allowed by its SHA-256 hash, computed here from the same text the
//! layout writes out.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

/// The inline script at the top of every page's body (GOV.UK Frontend's
/// own template does the same).
pub const BODY_CLASS_SCRIPT: &str = "document.body.className+=' js-enabled'+('noModule' in HTMLScriptElement.prototype?' govuk-frontend-supported':'')";

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The policy sent with every response.
pub static POLICY: LazyLock<String> = LazyLock::new(|| {
    let hash = base64(&Sha256::digest(BODY_CLASS_SCRIPT.as_bytes()));
    format!(
        "default-src 'self'; script-src 'self' 'sha256-{hash}'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_policy_allows_only_the_one_inline_script() {
        assert!(!POLICY.contains("unsafe-inline"));
        // The same hash as `openssl dgst -sha256 -binary | base64` gives.
        assert!(
            POLICY.contains(
                "script-src 'self' 'sha256-PrvGihDlm/fwuAQhj6NHaJGrD9BaZIwxCi+jr8c7+aE='"
            )
        );
    }
}
