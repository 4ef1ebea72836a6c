//! The checked values of write bodies: each string type is refused by serde,
//! naming its field, unless it matches exactly the pattern and length the
//! OpenAPI document gives for it, so the document and the server agree on
//! what is valid. The domain's edit rules then apply as for a form.

use std::borrow::Cow;

use placeweave_domain::edit::is_iso_date;
use placeweave_domain::place::is_slug;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// A slug: 1 to 100 lower-case letters, digits and inner hyphens.
pub const SLUG_PATTERN: &str = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$";

/// C0 and C1 control characters (Rust's `char::is_control`).
fn control(c: char) -> bool {
    c.is_control()
}

/// Control characters other than line breaks and tabs.
fn control_in_text(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// Neither a control character nor white space (what `str::trim` removes).
fn visible(c: char) -> bool {
    !c.is_control() && !c.is_whitespace()
}

/// RFC 3986's unreserved and reserved characters and `%`, without the
/// brackets (only for IPv6 hosts).
fn url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+,;=%".contains(c)
}

/// Declares a string type checked against its documented pattern.
macro_rules! checked_string {
    ($(#[doc = $doc:literal])+ $name:ident {
        pattern: $pattern:expr, max: $max:expr, format: $format:expr,
        expected: $expected:literal, check: $check:expr $(,)?
    }) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                let check: fn(&str) -> bool = $check;
                if value.chars().count() <= $max && check(&value) {
                    Ok($name(value))
                } else {
                    Err(D::Error::custom(concat!(
                        $expected,
                        ", at most ",
                        stringify!($max),
                        " characters"
                    )))
                }
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let format: Option<KnownFormat> = $format;
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some(concat!($($doc, "\n"),+).trim()))
                    .pattern(Some($pattern))
                    .max_length(Some($max))
                    .format(format.map(SchemaFormat::KnownFormat))
                    .into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

checked_string!(
    /// A record id: 1 to 100 lower-case letters, digits and inner hyphens.
    Slug {
        pattern: SLUG_PATTERN, max: 100, format: None,
        expected: "expected an id: lower-case letters, digits and inner hyphens",
        check: is_slug,
    }
);

checked_string!(
    /// A name: one line with at least one letter or digit (A-Z, a-z, 0-9),
    /// from which a new record's id is made.
    Name {
        pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]*[A-Za-z0-9][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max: 200, format: None,
        expected: "expected one line without control characters, with at least one letter or digit",
        check: |v| !v.chars().any(control) && v.bytes().any(|b| b.is_ascii_alphanumeric()),
    }
);

checked_string!(
    /// One line of text, no control characters.
    Line {
        pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max: 400, format: None,
        expected: "expected one line of text without control characters",
        check: |v| !v.chars().any(control),
    }
);

checked_string!(
    /// One line of text that is not blank, no control characters.
    Sentence {
        pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max: 400, format: None,
        expected: "expected one line of text without control characters, not blank",
        check: |v| !v.chars().any(control) && v.chars().any(visible),
    }
);

checked_string!(
    /// A ward's name: one line, not blank.
    Ward {
        pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max: 100, format: None,
        expected: "expected a ward's name: one line without control characters, not blank",
        check: |v| !v.chars().any(control) && v.chars().any(visible),
    }
);

checked_string!(
    /// A plain decimal number written as text, exactly as it is to be
    /// kept: an optional minus sign, digits and an optional fraction.
    Decimal {
        pattern: "^-?[0-9]+(\\.[0-9]+)?$",
        max: 30, format: None,
        expected: "expected a plain decimal like 62.5 or -3",
        check: |v| {
            let digits = v.strip_prefix('-').unwrap_or(v);
            let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
            !whole.is_empty()
                && !fraction.is_empty()
                && whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit())
        },
    }
);

checked_string!(
    /// A measure's unit, like `years` or `% of residents`: one line, not blank.
    UnitName {
        pattern: "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max: 100, format: None,
        expected: "expected a unit: one line without control characters, not blank",
        check: |v| !v.chars().any(control) && v.chars().any(visible),
    }
);

checked_string!(
    /// Text that may run to several lines and paragraphs; no control
    /// characters but line breaks and tabs.
    Text {
        pattern: "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$",
        max: 5000, format: None,
        expected: "expected text without control characters other than line breaks and tabs",
        check: |v| !v.chars().any(control_in_text),
    }
);

checked_string!(
    /// Text that may run to several lines and must not be blank.
    Prose {
        pattern: "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$",
        max: 5000, format: None,
        expected: "expected text that is not blank, without control characters other than line breaks and tabs",
        check: |v| !v.chars().any(control_in_text) && v.chars().any(visible),
    }
);

checked_string!(
    /// A web address starting with http:// or https://.
    Website {
        pattern: "^https?://[-A-Za-z0-9._~:/?#@!$&'()*+,;=%]*\\.[-A-Za-z0-9._~:/?#@!$&'()*+,;=%]*$",
        max: 500, format: None,
        expected: "expected a web address starting with https://, like https://www.example.org",
        check: |v| {
            let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
            rest.is_some_and(|r| r.contains('.') && r.chars().all(url_char))
        },
    }
);

checked_string!(
    /// An org-id style identifier: a list prefix and an id, like `GB-CHC-1234567`.
    Identifier {
        pattern: "^[A-Z]{2}-[A-Z0-9]{2,10}-[A-Za-z0-9-]{1,60}$",
        max: 74, format: None,
        expected: "expected an org-id identifier, like GB-CHC-1234567",
        check: |v| {
            let mut parts = v.splitn(3, '-');
            let (Some(country), Some(list), Some(id)) = (parts.next(), parts.next(), parts.next())
            else {
                return false;
            };
            country.len() == 2
                && country.bytes().all(|b| b.is_ascii_uppercase())
                && (2..=10).contains(&list.len())
                && list.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                && (1..=60).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        },
    }
);

checked_string!(
    /// A participant: an organisation's id, then optionally a colon and its
    /// part in the initiative, like `ucl: Host`.
    ParticipantLine {
        pattern: "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?(:[^\\u0000-\\u001f\\u007f-\\u009f]{0,200})?$",
        max: 301, format: None,
        expected: "expected an organisation's id, then optionally a colon and its part, like ucl: Host",
        check: |v| {
            let (id, part) = v.split_once(':').unwrap_or((v, ""));
            is_slug(id) && part.chars().count() <= 200 && !part.chars().any(control)
        },
    }
);

checked_string!(
    /// A calendar date, year-month-day, from 1900 to 2200.
    Date {
        pattern: "^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$",
        max: 10, format: Some(KnownFormat::Date),
        expected: "expected a real date as year-month-day from 1900 to 2200, like 2025-04-01",
        check: |v| {
            v.len() == 10
                && v.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
                && is_iso_date(v)
        },
    }
);

checked_string!(
    /// An account's id, written as digits (a relationship's owner).
    AccountId {
        pattern: "^[1-9][0-9]{0,17}$", max: 18, format: None,
        expected: "expected an account's id: digits, not starting with 0",
        check: |v| !v.is_empty() && !v.starts_with('0') && v.bytes().all(|b| b.is_ascii_digit()),
    }
);

checked_string!(
    /// A contact's id, written as digits.
    ContactId {
        pattern: "^[1-9][0-9]{0,17}$", max: 18, format: None,
        expected: "expected a contact's id: digits, not starting with 0",
        check: |v| !v.is_empty() && !v.starts_with('0') && v.bytes().all(|b| b.is_ascii_digit()),
    }
);

/// A whole number, also when written `2030.0` (JSON Schema's integers
/// include them).
pub fn whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    if let Some(n) = number.as_i64() {
        return Ok(n);
    }
    match number.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(D::Error::custom(format!(
            "invalid value: {number}, expected a whole number"
        ))),
    }
}

/// A whole number that may be left out or sent as null.
pub fn nullable_whole<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<i64>>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole")] i64);
    Option::<Whole>::deserialize(deserializer).map(|w| Some(w.map(|Whole(n)| n)))
}

/// For a field that may be left out but not sent as null.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// For a field that may be left out (unchanged) or sent as null (emptied).
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T: for<'de> Deserialize<'de>>(value: &str) -> bool {
        serde_json::from_value::<T>(serde_json::Value::String(value.to_owned())).is_ok()
    }

    #[test]
    fn strings_are_checked_as_documented() {
        assert!(ok::<Slug>("good-work-camden") && ok::<Slug>("a--b"));
        assert!(!ok::<Slug>("-a") && !ok::<Slug>("A") && !ok::<Slug>(""));
        assert!(ok::<Name>(" UCL ") && !ok::<Name>("ééé") && !ok::<Name>("a\nb"));
        assert!(ok::<Prose>("a\nb") && !ok::<Prose>(" \n ") && !ok::<Prose>("a\u{0}"));
        assert!(ok::<Website>("https://www.ucl.ac.uk/") && !ok::<Website>("https://ucl"));
        assert!(!ok::<Website>("https://[x.org") && !ok::<Website>("https://a.org/<b>"));
        assert!(ok::<Identifier>("GB-CHC-1234567") && !ok::<Identifier>("GB-C-1"));
        assert!(ok::<ParticipantLine>("ucl: Host") && ok::<ParticipantLine>("ucl"));
        assert!(!ok::<ParticipantLine>(" ucl") && !ok::<ParticipantLine>("ucl: a\tb"));
        assert!(ok::<Date>("2024-02-29") && !ok::<Date>("2023-02-29"));
        assert!(!ok::<Date>("2020-+1-01") && !ok::<Date>("1800-01-01"));
        assert!(ok::<Ward>("King's Cross") && !ok::<Ward>("  "));
        assert!(ok::<Sentence>(" A day out ") && !ok::<Sentence>(" \u{a0}") && !ok::<Sentence>(""));
    }
}
