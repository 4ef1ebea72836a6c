//! A form described as data: the record pages (missions, themes, roles,
//! initiatives, commitments) share one template and one way of showing
//! errors.

use askama::Template;
use axum::http::StatusCode;
use placeweave_domain::{Audience, FieldError};

use super::editing::FormView;
use super::{Chrome, PageResult, render};

pub enum Control {
    /// An input of this HTML type.
    Input(&'static str),
    TextArea,
    /// A select with a first, empty option of this text.
    Select(Vec<(String, String)>, &'static str),
    Checkboxes(Vec<(String, String)>),
    /// Radios: value, label and a hint (empty for none).
    Radios(Vec<(String, String, String)>),
    /// The GOV.UK date input: day, month and year.
    Date,
}

pub struct FormField {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<&'static str>,
    pub control: Control,
    /// The value shown (for checkboxes, the ticked values, one a line).
    pub value: String,
    pub error: Option<String>,
    /// A select enhanced into an accessible autocomplete where JavaScript
    /// runs (a long list, such as the organisations).
    pub autocomplete: bool,
}

impl FormField {
    pub fn new(
        name: &'static str,
        label: impl Into<String>,
        control: Control,
        value: impl Into<String>,
    ) -> Self {
        FormField {
            name,
            label: label.into(),
            hint: None,
            control,
            value: value.into(),
            error: None,
            autocomplete: false,
        }
    }

    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn autocomplete(mut self) -> Self {
        self.autocomplete = true;
        self
    }

    pub fn checked(&self, option: &str) -> bool {
        self.value.lines().any(|v| v == option)
    }

    /// The day, month and year a date input shows.
    pub fn date_parts(&self) -> (String, String, String) {
        placeweave_domain::date::parts(&self.value)
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

/// Who can see a record, as radios in plain English.
pub fn audiences() -> Control {
    Control::Radios(audience_choices())
}

/// Each audience: its value, its name in plain English and who that is.
pub fn audience_choices() -> Vec<(String, String, String)> {
    Audience::ALL
        .iter()
        .map(|a| {
            let (label, hint) = match a {
                Audience::Public => (
                    "Everyone",
                    "Anyone, without signing in: the public pages and open data",
                ),
                Audience::Partners => (
                    "Partners signed in",
                    "People from partner organisations, once signed in, and council staff",
                ),
                Audience::Staff => ("Council staff", "The partnership team and administrators"),
                Audience::Restricted => (
                    "Named people only",
                    "The people who own the record, and administrators",
                ),
            };
            (a.as_str().to_owned(), label.to_owned(), hint.to_owned())
        })
        .collect()
}

/// Joins each GOV.UK date input's day, month and year (`start_date-day`
/// and so on) into one field (`start_date`), as the record's rules expect.
pub fn join_dates(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let part = |name: &str, suffix: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.strip_suffix(suffix) == Some(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
    for (key, value) in &pairs {
        if let Some(name) = key.strip_suffix("-day") {
            let joined = placeweave_domain::date::from_parts(
                value,
                part(name, "-month"),
                part(name, "-year"),
            );
            out.push((name.to_owned(), joined));
        } else if !key.ends_with("-month") && !key.ends_with("-year") {
            out.push((key.clone(), value.clone()));
        }
    }
    out
}

/// Shows a record form for `view`: only the fields the caller may set,
/// with what they typed and the errors (400) or as stored (200).
pub fn finish<R: placeweave_app::Record>(
    view: FormView<'_, R>,
    mut form: RecordForm,
) -> PageResult {
    let status = if view.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    form.errors = view.errors;
    form.prepare(view.scope.settable(R::RESOURCE), view.submitted)
        .show(status)
}
