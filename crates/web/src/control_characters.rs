//! Refuses control characters (NUL, escape and the rest of C0 but tab and
//! line breaks) in addresses, forms and JSON before any handler sees them.
//! PostgreSQL cannot store NUL in text (it answered 500) and SQLite stored
//! them, to come back out in pages, CSV files and terminals (issue 23).

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use placeweave_domain::FieldError;

use crate::error::problem;

/// A character no field of this service may hold.
fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x80
}

fn has_forbidden(text: &str) -> bool {
    text.chars().any(is_forbidden)
}

fn message(field: &str) -> String {
    format!(
        "{field} must not contain control characters (such as NUL or escape): remove them and send it again"
    )
}

/// The first field of a JSON document holding a forbidden character in its
/// name or value, as a dotted path.
fn json_field(value: &serde_json::Value, path: &str) -> Option<String> {
    match value {
        serde_json::Value::String(s) if has_forbidden(s) => Some(if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| json_field(item, &format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, item)| {
            let here = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            if has_forbidden(name) {
                Some(here)
            } else {
                json_field(item, &here)
            }
        }),
        _ => None,
    }
}

/// The first form or query field holding a forbidden character.
fn form_field(pairs: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(pairs).find_map(|(name, value)| {
        (has_forbidden(&name) || has_forbidden(&value)).then(|| name.into_owned())
    })
}

fn refuse(api: bool, field: String) -> Response {
    let detail = message(&field);
    if api {
        problem(
            StatusCode::BAD_REQUEST,
            "One or more parameters or fields are not valid; see errors.".to_owned(),
            vec![FieldError::new(field, detail)],
        )
    } else {
        crate::pages::rejection_page(StatusCode::BAD_REQUEST, detail)
    }
}

pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    // No record's address holds one: such an address finds nothing, as a
    // hidden or missing record's does.
    let path = percent_encoding::percent_decode_str(request.uri().path()).decode_utf8_lossy();
    if has_forbidden(&path) {
        return if api {
            problem(
                StatusCode::NOT_FOUND,
                "No resource exists at this address.".into(),
                vec![],
            )
        } else {
            crate::pages::not_found().await.into_response()
        };
    }
    if let Some(field) = request.uri().query().and_then(|q| form_field(q.as_bytes())) {
        return refuse(api, field);
    }
    let kind = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let form = kind.starts_with("application/x-www-form-urlencoded");
    let json = kind.starts_with("application/json") || kind.contains("+json");
    if !form && !json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body limit layer outside this one has bounded the body already.
    let bytes: Bytes = match axum::body::to_bytes(body, crate::BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request body is larger than this service accepts",
            )
                .into_response();
        }
    };
    let field = if form {
        form_field(&bytes)
    } else {
        // A body that is not JSON is left for the handler to refuse.
        serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|value| json_field(&value, ""))
    };
    match field {
        Some(field) => refuse(api, field),
        None => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_escape_are_refused_but_line_breaks_and_tabs_are_kept() {
        assert!(has_forbidden("a\0b"));
        assert!(has_forbidden("\u{1b}[31mred"));
        assert!(!has_forbidden(
            "line one\r\nline two\tand a tab, café, 東京"
        ));
    }

    #[test]
    fn the_field_holding_one_is_named() {
        assert_eq!(
            form_field(b"name=Ada&message=hi%00there"),
            Some("message".into())
        );
        assert_eq!(form_field(b"name=Ada&message=hello"), None);
        let json = serde_json::json!({"name": "ok", "contacts": [{"email": "a\u{0}b"}]});
        assert_eq!(json_field(&json, ""), Some("contacts[0].email".into()));
    }
}
