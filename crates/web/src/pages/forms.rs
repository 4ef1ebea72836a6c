//! A form described as data: the record pages (missions, roles,
//! initiatives, commitments, new organisations) share one template, one way
//! of showing errors and one "someone else changed this" page.

use askama::Template;
use axum::http::StatusCode;
use placeweave_domain::FieldError;
use placeweave_store::StoreError;
use serde::Serialize;

use super::{Chrome, PageResult, render};
use crate::error::Failure;

pub enum Control {
    /// An input of this HTML type.
    Input(&'static str),
    TextArea,
    /// A select with a first, empty option of this text.
    Select(Vec<(String, String)>, &'static str),
    Checkboxes(Vec<(String, String)>),
}

pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub control: Control,
    /// The value shown (for checkboxes, the ticked values, one a line).
    pub value: String,
    pub error: Option<String>,
}

impl FormField {
    pub fn new(
        name: &'static str,
        label: &'static str,
        control: Control,
        value: impl Into<String>,
    ) -> Self {
        FormField {
            name,
            label,
            hint: None,
            control,
            value: value.into(),
            error: None,
        }
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn checked(&self, option: &str) -> bool {
        self.value.lines().any(|v| v == option)
    }

    /// The id of the first control, which the error summary links to.
    pub fn option_id(&self, index: &usize, value: &str) -> String {
        if *index == 0 {
            self.name.to_owned()
        } else {
            format!("{}-{value}", self.name)
        }
    }
}

#[derive(Template)]
#[template(path = "record_form.html")]
pub struct RecordForm {
    pub chrome: Chrome,
    pub errors: Vec<FieldError>,
    pub caption: &'static str,
    pub heading: String,
    pub action: String,
    pub back: (String, String),
    pub version: Option<i64>,
    pub fields: Vec<FormField>,
    pub submit: &'static str,
}

impl RecordForm {
    /// Keeps only the fields the person may set, puts back what they typed
    /// and attaches each field's error.
    pub fn prepare(mut self, settable: &[&str], submitted: Option<&[(String, String)]>) -> Self {
        self.fields.retain(|f| settable.contains(&f.name));
        for field in &mut self.fields {
            if let Some(pairs) = submitted {
                field.value = pairs
                    .iter()
                    .filter(|(k, _)| k == field.name)
                    .map(|(_, v)| v.as_str())
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            field.error = super::error_for(&self.errors, field.name);
        }
        self
    }

    pub fn show(self, status: StatusCode) -> PageResult {
        render(status, &self)
    }
}

/// A store error that the person can fix, as the field errors to show.
pub fn fixable(err: &StoreError, name_field: &'static str) -> Option<Vec<FieldError>> {
    let copy = match err {
        StoreError::UnknownReference { field, id } => StoreError::UnknownReference {
            field,
            id: id.clone(),
        },
        StoreError::Duplicate(what) => StoreError::Duplicate(what.clone()),
        _ => return None,
    };
    match crate::error::from_store(copy, name_field) {
        Failure::Invalid(errors) => Some(errors),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage {
    chrome: Chrome,
    edit_href: String,
    rows: Vec<(String, String, String)>,
}

fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// "Someone else changed this": both versions, field by field.
pub fn conflict<T: Serialize>(
    chrome: Chrome,
    edit_href: String,
    yours: &T,
    latest: &T,
    hidden: &[&str],
) -> PageResult {
    let yours = serde_json::to_value(yours).unwrap_or_default();
    let latest = serde_json::to_value(latest).unwrap_or_default();
    let mut rows = Vec::new();
    if let (Some(y), Some(l)) = (yours.as_object(), latest.as_object()) {
        for (field, value) in y {
            if field == "version" || field == "id" || hidden.contains(&field.as_str()) {
                continue;
            }
            rows.push((
                field.replace('_', " "),
                shown(Some(value)),
                shown(l.get(field)),
            ));
        }
    }
    render(
        StatusCode::CONFLICT,
        &ConflictPage {
            chrome,
            edit_href,
            rows,
        },
    )
}

/// Maps a failed save: fixable errors re-show the form, the rest fail.
pub fn save_failed(
    err: StoreError,
    form: impl FnOnce(Vec<FieldError>) -> PageResult,
    name_field: &'static str,
) -> PageResult {
    match fixable(&err, name_field) {
        Some(errors) => form(errors),
        None => Err(Failure::from(err).into()),
    }
}
