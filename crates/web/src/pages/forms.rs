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
    /// Organisations taking part, each chosen from this list (id, name)
    /// with the part it plays; the value is one "id: part" a line.
    Participants(Vec<(String, String)>),
    /// Several organisations, each chosen from this list (id, name) in a
    /// row of its own; the value is one id a line.
    Organisations(Vec<(String, String)>),
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

    /// The rows of a participants control: each chosen organisation and
    /// its part, then empty rows for more.
    pub fn participant_rows(&self) -> Vec<(String, String)> {
        let mut rows: Vec<(String, String)> = self
            .value
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| match line.split_once(':') {
                Some((id, part)) => (id.trim().to_owned(), part.trim().to_owned()),
                None => (line.trim().to_owned(), String::new()),
            })
            .collect();
        rows.extend(std::iter::repeat_n(
            (String::new(), String::new()),
            EMPTY_ROWS,
        ));
        rows
    }

    /// The rows of an organisations control: each chosen one, then empty
    /// rows for more.
    pub fn organisation_rows(&self) -> Vec<String> {
        let mut rows: Vec<String> = self
            .value
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        rows.extend(std::iter::repeat_n(String::new(), EMPTY_ROWS));
        rows
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

/// Each commitment status's name and meaning, for the pages that explain them.
pub fn status_meanings() -> Vec<(&'static str, &'static str)> {
    placeweave_domain::CommitmentStatus::ALL
        .iter()
        .map(|s| (s.label(), s.meaning()))
        .collect()
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

/// How many empty participant rows a form offers (without JavaScript,
/// more are added by saving and editing again).
const EMPTY_ROWS: usize = 3;

/// Turns what a form's controls send into the fields the record's rules
/// read: dates from their parts, participants from their rows.
pub fn translate(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    join_participants(join_dates(pairs))
}

/// Joins the participant rows (`participant-organisation` and
/// `participant-part`, in the order sent) into `participants` lines, one
/// "id: part" a row; rows with no organisation chosen are left out.
fn join_participants(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let values = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    };
    let organisations = values("participant-organisation");
    if organisations.is_empty() {
        return pairs;
    }
    let parts = values("participant-part");
    let mut out: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| k != "participant-organisation" && k != "participant-part")
        .collect();
    // Each row is one line of `participants`: a line break typed into a
    // row (only a crafted request can send one) must not make another row.
    let one_line = |text: &str| text.replace(['\r', '\n'], " ");
    for (i, id) in organisations.iter().enumerate() {
        let id = &one_line(id);
        let part = &one_line(parts.get(i).map(String::as_str).unwrap_or_default());
        match (id.is_empty(), part.is_empty()) {
            // A part with no organisation is refused by the record's rules
            // (by name), not dropped with what was typed.
            (true, false) => out.push(("participants".into(), format!(": {part}"))),
            (true, true) => {}
            (false, true) => out.push(("participants".into(), id.clone())),
            (false, false) => out.push(("participants".into(), format!("{id}: {part}"))),
        }
    }
    out
}

/// Joins each GOV.UK date input's day, month and year (`start_date-day`
/// and so on) into one field (`start_date`), as the record's rules expect.
fn join_dates(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
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
    form.prepare(view.record.settable(view.scope), view.submitted)
        .show(status)
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn date_parts_and_participant_rows_become_the_fields_records_read() {
        let sent = pairs(&[
            ("name", "Kit"),
            ("start_date-day", "1"),
            ("start_date-month", "4"),
            ("start_date-year", "2025"),
            ("participant-organisation", "ucl"),
            ("participant-part", "Host"),
            ("participant-organisation", ""),
            ("participant-part", "ignored"),
            ("participant-organisation", "roundhouse"),
            ("participant-part", ""),
        ]);
        assert_eq!(
            translate(sent),
            pairs(&[
                ("name", "Kit"),
                ("start_date", "2025-04-01"),
                ("participants", "ucl: Host"),
                ("participants", ": ignored"),
                ("participants", "roundhouse"),
            ])
        );
        let untouched = pairs(&[("participants", "ucl: Host"), ("end_date", "2025-04-01")]);
        assert_eq!(translate(untouched.clone()), untouched);
    }

    #[test]
    fn a_line_break_in_a_row_never_makes_another_participant() {
        let sent = pairs(&[
            ("participant-organisation", "ucl"),
            ("participant-part", "Host\r\nroundhouse: Lead"),
        ]);
        assert_eq!(
            translate(sent),
            pairs(&[("participants", "ucl: Host  roundhouse: Lead")])
        );
    }
}
