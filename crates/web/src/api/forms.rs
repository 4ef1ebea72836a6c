//! The documented shape of the write bodies read as the domain's forms
//! (asks, the times they were put to partners, a commitment's review).
//! Those forms take every field as text, so their derived schemas said
//! only "a string"; these say what the forms accept: required fields,
//! choices, dates, ids, lengths, and the characters the service refuses
//! (C0 controls but tab and line breaks, and DEL: `control_characters`).

use std::borrow::Cow;

use placeweave_domain::Lever;
use serde_json::{Value, json};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::types::{Date, SLUG_PATTERN, Slug};

/// Text the service takes: no control characters but tab and line breaks.
const TEXT: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$";
/// Such text holding at least one character that is not white space
/// (the forms trim what they read).
const NOT_BLANK: &str = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0020\\u007f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$";
/// A whole number from 1 to 1,000,000,000 written in at most 10 digits.
const POSITIVE: &str = "(0{0,9}[1-9][0-9]{0,8}|1000000000)";

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn text(max: usize, description: &str) -> Value {
    json!({ "type": "string", "pattern": TEXT, "maxLength": max, "description": description })
}

/// A schema written as JSON: the document's own types read it, so a
/// mistake in it fails every test that reads the document.
fn schema(value: Value) -> RefOr<Schema> {
    match serde_json::from_value::<Schema>(value) {
        Ok(schema) => schema.into(),
        Err(err) => panic!("a documented form's schema is not a schema: {err}"),
    }
}

/// An ask's fields; `version` is required when changing one.
fn ask(changes: bool) -> RefOr<Schema> {
    let version = if changes {
        json!({ "type": "integer", "format": "int64",
            "description": "The version you read; a stale one gets 409." })
    } else {
        json!({ "type": ["integer", "null"], "format": "int64",
            "description": "Not used when recording a new ask." })
    };
    let mut required = vec!["title", "mission", "lever", "size_kind"];
    if changes {
        required.push("version");
    }
    schema(json!({
        "type": "object",
        "description": if changes {
            "Changes to an ask: every field, and the version you read."
        } else {
            "A new ask; its id is made from its title."
        },
        "required": required,
        "properties": {
            "title": { "type": "string", "pattern": NOT_BLANK, "maxLength": 200 },
            "description": text(5000, "Left out or empty for none."),
            "mission": { "type": "string", "pattern": SLUG_PATTERN, "maxLength": 100,
                "description": "The id of the mission it serves." },
            "lever": reference("Lever"),
            "ward": text(200, "Left out or empty for the whole place."),
            "size_kind": { "type": "string", "enum": ["quantity", "pounds"],
                "description": "A quantity (`quantity` and `unit` then needed) or a value in pounds (`pounds` then needed)." },
            "quantity": { "type": "string", "pattern": format!("^({POSITIVE})?$"), "maxLength": 10,
                "description": "A whole number from 1 to 1,000,000,000, for a quantity." },
            "unit": text(60, "What is counted, like apprenticeship places, for a quantity."),
            "pounds": { "type": "string", "pattern": format!("^(£?{POSITIVE})?$"), "maxLength": 11,
                "description": "Whole pounds from 1 to 1,000,000,000, for a value in pounds." },
            "status": { "type": "string", "enum": ["", "open", "filled", "withdrawn"],
                "description": "Left out or empty: open." },
            "version": version,
        },
        "additionalProperties": false,
    }))
}

/// Declares a body documented by a function, with the schemas it names.
macro_rules! documented {
    ($(#[doc = $doc:literal])+ $name:ident = $schema:expr) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }

            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                schemas.push((Slug::name().into(), Slug::schema()));
                schemas.push((Date::name().into(), Date::schema()));
                schemas.push((Lever::name().into(), Lever::schema()));
            }
        }
    };
}

documented!(
    /// A new ask (read as `AskForm`).
    NewAsk = ask(false)
);

documented!(
    /// Changes to an ask (read as `AskForm`), with the version read.
    AskChanges = ask(true)
);

/// A time an ask was put to a partner and its answer; `version` (the
/// answer's) is required when changing one.
fn asked(changes: bool) -> RefOr<Schema> {
    let mut required = vec!["organisation", "asked_on"];
    let mut body = json!({
        "type": "object",
        "description": "Whom an ask was put to, when, and their answer. An answer date needs an answer other than pending, on or after the date asked.",
        "properties": {
            "organisation": { "type": "string", "pattern": SLUG_PATTERN, "maxLength": 100,
                "description": "The id of the organisation asked." },
            "asked_on": reference("Date"),
            "answer": { "type": "string", "enum": ["", "pending", "yes", "no", "maybe"],
                "description": "Left out or empty: pending." },
            "answered_on": { "oneOf": [{ "type": "string", "maxLength": 0 }, reference("Date")],
                "description": "When they answered; left out or empty while pending." },
            "note": text(5000, "Private staff note on the answer, never served; left out of a change, it is kept."),
        },
        "additionalProperties": false,
    });
    // A new record of an ask has no version: the server refuses one.
    if changes {
        required.push("version");
        body["properties"]["version"] = json!({ "type": "integer", "format": "int64",
            "description": "The answer's version you read; a stale one gets 409." });
    }
    body["required"] = json!(required);
    schema(body)
}

documented!(
    /// A time an ask was put to a partner, and any answer so far (read as
    /// `AskMadeForm`).
    AskedBody = asked(false)
);

documented!(
    /// Changes to the answer to a time an ask was put to a partner (read
    /// as `AskMadeForm`), with the answer's version read.
    AnswerChanges = asked(true)
);

documented!(
    /// The partnership team's decision on a partner's proposal (read as
    /// `ReviewForm`).
    ReviewBody = schema(json!({
        "type": "object",
        "description": "The partnership team's decision on a partner's proposal.",
        "required": ["decision", "version"],
        "properties": {
            "decision": { "type": "string", "enum": ["accept", "decline"] },
            "note": text(5000, "A note back to the partner: required when declining."),
            "audience": { "type": "string", "enum": ["", "public", "partners", "staff", "restricted"],
                "description": "Who may see the commitment once accepted; left out or empty: public." },
            "version": { "type": "integer", "format": "int64", "minimum": 1,
                "description": "The version of the commitment you reviewed; a stale one gets 409." },
        },
        "additionalProperties": false,
    }))
);
