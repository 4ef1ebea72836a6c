//! Applying a person's edit to a record: which fields they sent, whether
//! they may set each one, and whether each value is valid. The same rules
//! serve the HTML forms and the JSON API.

use crate::commitment::{Commitment, CommitmentStatus};
use crate::error::{DomainError, FieldError};
use crate::initiative::{Initiative, Participant};
use crate::mission::{Mission, OutcomeTheme};
use crate::offer::Role;
use crate::organisation::{LeverUse, Organisation};
use crate::place::{RecordRef, is_slug, slugify};
use crate::visibility::Audience;
use crate::vocabulary::{Lever, OrganisationKind, Scope, SizeBand};

/// How absent fields are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// An HTML form: every field the person may set was on the page, so an
    /// absent one was left empty (an unticked box, no lever chosen).
    MeansEmpty,
    /// A JSON patch: an absent field is left as it is.
    MeansUnchanged,
}

/// The fields of an edit, as name and value pairs (repeated names for lists).
pub struct Submitted<'a> {
    pairs: &'a [(String, String)],
}

impl<'a> Submitted<'a> {
    pub fn new(pairs: &'a [(String, String)]) -> Self {
        Submitted { pairs }
    }

    fn has(&self, field: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == field)
    }

    fn one(&self, field: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn all(&self, field: &str) -> Vec<&'a str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == field)
            .flat_map(|(_, v)| v.lines())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The version the person read, which the edit must still match.
    pub fn version(&self) -> Result<i64, FieldError> {
        self.one("version")
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| {
                FieldError::new(
                    "version",
                    "The version you edited is missing: reload the page and try again",
                )
            })
    }
}

/// Names and other short fields are one line…
pub(crate) const MAX_NAME: usize = 200;
/// …descriptions, statements and notes may run to several.
pub(crate) const MAX_TEXT: usize = 5_000;
const MAX_ITEMS: usize = 50;

const CONTROL_CHARACTERS: &str = "Must not contain control characters";

/// Whether `value` holds a C0 or C1 control character (NUL included).
/// Line breaks and tabs are allowed in multi-line text only.
fn has_control_characters(value: &str, multi_line: bool) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !(multi_line && matches!(c, '\n' | '\r' | '\t')))
}

/// Names the field once for control characters. Stored text ends up in
/// pages, exports and logs, where such characters hide or forge content.
fn refuse_control_characters(field: &str, errors: &mut Vec<FieldError>) {
    if !errors
        .iter()
        .any(|e| e.field == field && e.message == CONTROL_CHARACTERS)
    {
        errors.push(FieldError::new(field, CONTROL_CHARACTERS));
    }
}

fn text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.trim();
    if has_control_characters(value, max >= MAX_TEXT) {
        refuse_control_characters(field, errors);
        return None;
    }
    if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("Must be {max} characters or fewer"),
        ));
        return None;
    }
    (!value.is_empty()).then(|| value.to_owned())
}

fn website(value: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    web_address("website", value, errors)
}

/// An optional http(s) link in `field`; anything else is named.
pub(crate) fn web_address(
    field: &str,
    value: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let ok = value.len() <= 500
        && (value.starts_with("https://") || value.starts_with("http://"))
        && value.contains('.')
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"<>`".contains(c));
    if ok {
        Some(value.to_owned())
    } else {
        errors.push(FieldError::new(
            field,
            "Enter a web address starting with https://, like https://www.example.org",
        ));
        None
    }
}

/// Org-id style identifiers: a list prefix (e.g. `GB-CHC`) and an id.
fn identifier(value: &str) -> bool {
    let mut parts = value.splitn(3, '-');
    let (Some(country), Some(list), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_uppercase())
        && (2..=10).contains(&list.len())
        && list
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && !id.is_empty()
        && id.len() <= 60
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Applies an edit to `current`, allowing only `settable` fields. Every
/// field that may not be set, and every invalid value, is named.
pub fn apply_to_organisation(
    current: &Organisation,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Organisation, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    if let Some(name) = edit.required("name", MAX_NAME, "Enter the organisation's name") {
        if slugify(&name).is_empty() {
            edit.error("name", "Enter a name with at least one letter or digit");
        } else {
            next.name = name;
        }
    }
    if edit.touched("kind") {
        match OrganisationKind::parse(edit.value("kind")) {
            Some(kind) => next.kind = kind,
            None => edit.error("kind", "Select the kind of organisation"),
        }
    }
    edit.text("description", MAX_TEXT, &mut next.description);
    if edit.touched("website") {
        next.website = website(edit.value("website"), &mut edit.errors);
    }
    if edit.touched("size_band") {
        let raw = edit.value("size_band");
        next.size_band = SizeBand::parse(raw);
        if !raw.is_empty() && next.size_band.is_none() {
            edit.error("size_band", "Select a size from the list");
        }
    }
    if edit.touched("scope") {
        let raw = edit.value("scope");
        next.scope = Scope::parse(raw);
        if !raw.is_empty() && next.scope.is_none() {
            edit.error("scope", "Select where the organisation works from the list");
        }
    }
    if edit.touched("wards") {
        let wards = submitted.all("wards");
        if wards.iter().any(|w| has_control_characters(w, false)) {
            refuse_control_characters("wards", &mut edit.errors);
        } else if wards.len() > MAX_ITEMS || wards.iter().any(|w| w.chars().count() > 100) {
            edit.error(
                "wards",
                format!("Enter up to {MAX_ITEMS} wards, one a line, each 100 characters or fewer"),
            );
        } else {
            let mut wards: Vec<String> = wards.into_iter().map(str::to_owned).collect();
            wards.sort();
            wards.dedup();
            next.wards = wards;
        }
    }
    if edit.touched("identifiers") {
        let identifiers = submitted.all("identifiers");
        if let Some(bad) = identifiers.iter().find(|i| !identifier(i)) {
            let shown: String = bad.chars().take(40).collect();
            edit.error(
                "identifiers",
                format!("\"{shown}\" is not an org-id identifier: use a list prefix and number, like GB-CHC-1234567"),
            );
        } else {
            let mut identifiers: Vec<String> = identifiers.into_iter().map(str::to_owned).collect();
            identifiers.sort();
            identifiers.dedup();
            next.identifiers = identifiers;
        }
    }
    if edit.touched("levers") {
        let mut levers = Vec::new();
        for raw in submitted.all("levers") {
            match Lever::parse(raw) {
                // Keep what was recorded about a lever that stays.
                Some(lever) => levers.push(
                    current
                        .levers
                        .iter()
                        .find(|l| l.lever == lever)
                        .cloned()
                        .unwrap_or(LeverUse {
                            lever,
                            hardness: None,
                            reach: None,
                            detail: None,
                        }),
                ),
                None => edit.error("levers", "Select levers from the list"),
            }
        }
        levers.sort_by_key(|l| l.lever);
        levers.dedup_by_key(|l| l.lever);
        next.levers = levers;
    }
    if edit.touched("is_anchor") {
        next.is_anchor = matches!(edit.value("is_anchor"), "yes" | "true");
    }
    edit.text("internal_notes", MAX_TEXT, &mut next.internal_notes);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// Reads a field as required text, naming it when empty.
fn required(
    field: &str,
    value: &str,
    max: usize,
    missing: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let text = text(field, value, max, errors);
    if text.is_none() && errors.iter().all(|e| e.field != field) {
        errors.push(FieldError::new(field, missing));
    }
    text
}

/// Refuses every submitted field the person may not set, and control
/// characters in any value (one-a-line lists may hold line breaks; the
/// one-line text fields are checked again in `text`); returns the version.
fn refuse_unsettable(
    submitted: &Submitted,
    settable: &[&str],
    errors: &mut Vec<FieldError>,
) -> i64 {
    for (field, value) in submitted.pairs {
        let refused = field != "version" && !settable.contains(&field.as_str());
        if refused && errors.iter().all(|e| e.field != *field) {
            errors.push(FieldError::new(
                field.clone(),
                format!("Your account cannot change {field}"),
            ));
        } else if !refused && has_control_characters(value, true) {
            refuse_control_characters(field, errors);
        }
    }
    match submitted.version() {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            0
        }
    }
}

/// A list of record ids (slugs) from a multi-value or one-a-line field.
fn references(
    field: &str,
    submitted: &Submitted,
    errors: &mut Vec<FieldError>,
    message: Option<&str>,
) -> Vec<RecordRef> {
    let mut out: Vec<RecordRef> = Vec::new();
    for raw in submitted.all(field) {
        if is_slug(raw) {
            if out.iter().all(|r| r.id != raw) {
                out.push(RecordRef {
                    id: raw.to_owned(),
                    name: String::new(),
                });
            }
        } else {
            let message = match message {
                Some(message) => message.to_owned(),
                None => format!("Select {field} from the list"),
            };
            errors.push(FieldError::new(field, message));
            break;
        }
    }
    out
}

fn audience(value: &str, errors: &mut Vec<FieldError>) -> Option<Audience> {
    let parsed = Audience::parse(value.trim());
    if parsed.is_none() {
        errors.push(FieldError::new("audience", "Select who can see this"));
    }
    parsed
}

fn finish<T>(next: T, errors: Vec<FieldError>) -> Result<T, DomainError> {
    if errors.is_empty() {
        Ok(next)
    } else {
        Err(DomainError::Invalid(errors))
    }
}

/// One edit in progress: what was sent, what may be set, the errors so far.
pub(crate) struct Edit<'s, 'a> {
    submitted: &'s Submitted<'a>,
    settable: &'s [&'s str],
    absent: Absent,
    errors: Vec<FieldError>,
}

impl<'s, 'a> Edit<'s, 'a> {
    /// Starts an edit, refusing every field that may not be set; returns
    /// it with the version the person read.
    pub(crate) fn start(
        submitted: &'s Submitted<'a>,
        settable: &'s [&'s str],
        absent: Absent,
    ) -> (Self, i64) {
        let mut errors = Vec::new();
        let version = refuse_unsettable(submitted, settable, &mut errors);
        let edit = Edit {
            submitted,
            settable,
            absent,
            errors,
        };
        (edit, version)
    }

    /// Says why `field` may not be set, where "your account cannot change
    /// it" would not (it is the record's, not the account's, rule).
    pub(crate) fn refusal_reason(&mut self, field: &str, message: &str) {
        if self.settable.contains(&field) {
            return;
        }
        for error in self.errors.iter_mut().filter(|e| e.field == field) {
            error.message = message.to_owned();
        }
    }

    pub(crate) fn touched(&self, field: &str) -> bool {
        self.settable.contains(&field)
            && (self.absent == Absent::MeansEmpty || self.submitted.has(field))
    }

    pub(crate) fn value(&self, field: &str) -> &'a str {
        self.submitted.one(field).unwrap_or_default().trim()
    }

    /// The new value of a required text field, if it was sent and is valid.
    pub(crate) fn required(&mut self, field: &str, max: usize, missing: &str) -> Option<String> {
        if !self.touched(field) {
            return None;
        }
        required(field, self.value(field), max, missing, &mut self.errors)
    }

    /// Sets an optional text field, if it was sent.
    pub(crate) fn text(&mut self, field: &str, max: usize, target: &mut Option<String>) {
        if self.touched(field) {
            *target = text(field, self.value(field), max, &mut self.errors);
        }
    }

    /// Sets the organisation a record belongs to, if it was sent.
    pub(crate) fn organisation(&mut self, target: &mut RecordRef, missing: &str) {
        if self.touched("organisation") {
            match self.value("organisation") {
                id if is_slug(id) => {
                    *target = RecordRef {
                        id: id.to_owned(),
                        name: String::new(),
                    }
                }
                _ => self.error("organisation", missing),
            }
        }
    }

    /// Sets a required term of a vocabulary, if it was sent.
    pub(crate) fn term<T>(
        &mut self,
        field: &str,
        target: &mut T,
        parse: fn(&str) -> Option<T>,
        missing: &str,
    ) {
        if self.touched(field) {
            match parse(self.value(field)) {
                Some(term) => *target = term,
                None => self.error(field, missing),
            }
        }
    }

    /// Sets a list of account ids (digits), one a value, if it was sent.
    pub(crate) fn accounts(&mut self, field: &str, target: &mut Vec<RecordRef>, message: &str) {
        if !self.touched(field) {
            return;
        }
        let mut accounts: Vec<RecordRef> = Vec::new();
        for raw in self.submitted.all(field) {
            if !is_account_id(raw) {
                self.error(field, message);
                break;
            }
            if accounts.iter().all(|a| a.id != raw) {
                accounts.push(RecordRef {
                    id: raw.to_owned(),
                    name: String::new(),
                });
            }
        }
        *target = accounts;
    }

    pub(crate) fn audience(&mut self, target: &mut Audience) {
        if self.touched("audience")
            && let Some(a) = audience(self.value("audience"), &mut self.errors)
        {
            *target = a;
        }
    }

    pub(crate) fn references(&mut self, field: &str, target: &mut Vec<RecordRef>) {
        if self.touched(field) {
            *target = references(field, self.submitted, &mut self.errors, None);
        }
    }

    /// Sets a list of organisations (ids), if it was sent.
    pub(crate) fn organisations(
        &mut self,
        field: &str,
        target: &mut Vec<RecordRef>,
        message: &str,
    ) {
        if self.touched(field) {
            *target = references(field, self.submitted, &mut self.errors, Some(message));
        }
    }

    /// Sets the organisations taking part, one "id: part" a line, if sent.
    pub(crate) fn participants(&mut self, target: &mut Vec<Participant>) {
        if !self.touched("participants") {
            return;
        }
        let mut participants: Vec<Participant> = Vec::new();
        // Looked up, not searched: an import may name thousands.
        let mut chosen = std::collections::HashSet::new();
        for line in self.submitted.all("participants") {
            let (id, part) = match line.split_once(':') {
                Some((id, part)) => (id.trim(), Some(part.trim()).filter(|p| !p.is_empty())),
                None => (line.trim(), None),
            };
            if part.is_some_and(|p| has_control_characters(p, false)) {
                refuse_control_characters("participants", &mut self.errors);
                break;
            }
            if let (true, Some(part)) = (id.is_empty(), part) {
                self.error(
                    "participants",
                    format!("Choose the organisation that plays \"{part}\""),
                );
                break;
            }
            if part.is_some_and(|p| p.chars().count() > MAX_NAME) {
                self.error(
                    "participants",
                    format!(
                        "The part an organisation plays must be {MAX_NAME} characters or fewer"
                    ),
                );
                break;
            }
            if !is_slug(id) {
                self.error(
                    "participants",
                    "Enter one participant a line: the organisation's id, then a colon and their part, like ucl: Host",
                );
                break;
            }
            if !chosen.insert(id) {
                self.error(
                    "participants",
                    format!("\"{id}\" is chosen more than once: each organisation takes part once"),
                );
                break;
            }
            participants.push(Participant {
                organisation: RecordRef {
                    id: id.to_owned(),
                    name: String::new(),
                },
                role: part.map(str::to_owned),
            });
        }
        *target = participants;
    }

    /// Sets optional start and end dates (ISO 8601), if sent; the end may
    /// not come before the start.
    pub(crate) fn dates(&mut self, start: &mut Option<String>, end: &mut Option<String>) {
        for (field, label, target) in [
            ("start_date", "Start date", &mut *start),
            ("end_date", "End date", &mut *end),
        ] {
            if self.touched(field) {
                let raw = self.value(field);
                *target = is_iso_date(raw).then(|| raw.to_owned());
                if target.is_none() && !raw.is_empty() {
                    self.error(field, crate::date::problem(label, raw));
                }
            }
        }
        if let (Some(start), Some(end)) = (start.as_deref(), end.as_deref())
            && end < start
        {
            self.error(
                "end_date",
                "The end date must be the same as or after the start date",
            );
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether a field already has an error, so rules across fields do
    /// not name it twice.
    pub(crate) fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    pub(crate) fn error(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    pub(crate) fn finish<T>(self, next: T) -> Result<T, DomainError> {
        finish(next, self.errors)
    }
}

/// Applies an edit to a mission.
pub fn apply_to_mission(
    current: &Mission,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Mission, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    if let Some(v) = edit.required("short_name", MAX_NAME, "Enter a short name for the mission") {
        next.short_name = v;
    }
    if let Some(v) = edit.required("statement", MAX_TEXT, "Enter the mission statement") {
        next.statement = v;
    }
    if edit.touched("target_year") {
        let raw = edit.value("target_year");
        next.target_year = None;
        if !raw.is_empty() {
            match raw.parse::<i32>() {
                Ok(year) if (2000..=2100).contains(&year) => next.target_year = Some(year),
                _ => edit.error(
                    "target_year",
                    "Target year must be a year from 2000 to 2100, like 2030",
                ),
            }
        }
    }
    edit.references("outcome_themes", &mut next.outcome_themes);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// Applies an edit to a theme of the outcomes framework.
pub fn apply_to_theme(
    current: &OutcomeTheme,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<OutcomeTheme, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    if let Some(v) = edit.required("name", MAX_NAME, "Enter the theme's name") {
        next.name = v;
    }
    edit.text("description", MAX_TEXT, &mut next.description);
    if edit.touched("is_core") {
        next.is_core = matches!(edit.value("is_core"), "yes" | "true");
    }
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// Applies an edit to a role of the collaboration offer.
pub fn apply_to_role(
    current: &Role,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Role, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    let fields: [(&str, usize, &str, &mut String); 5] = [
        ("name", MAX_NAME, "Enter the role's name", &mut next.name),
        (
            "description",
            MAX_TEXT,
            "Describe the role",
            &mut next.description,
        ),
        (
            "ask_of_partner",
            MAX_TEXT,
            "Say what the role asks of a partner",
            &mut next.ask_of_partner,
        ),
        (
            "value_for_place",
            MAX_TEXT,
            "Say what the role gives the place",
            &mut next.value_for_place,
        ),
        (
            "value_for_partner",
            MAX_TEXT,
            "Say what the partner gets",
            &mut next.value_for_partner,
        ),
    ];
    for (field, max, missing, target) in fields {
        if let Some(v) = edit.required(field, max, missing) {
            *target = v;
        }
    }
    edit.text("contact", MAX_NAME * 2, &mut next.contact);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// Applies an edit to an initiative. Participants are one a line: an
/// organisation's id, then optionally a colon and their part in it.
pub fn apply_to_initiative(
    current: &Initiative,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Initiative, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    if let Some(v) = edit.required("name", MAX_NAME, "Enter the initiative's name") {
        next.name = v;
    }
    edit.text("description", MAX_TEXT, &mut next.description);
    if edit.touched("website") {
        next.website = website(edit.value("website"), &mut edit.errors);
    }
    edit.references("missions", &mut next.missions);
    edit.participants(&mut next.participants);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// Whether `raw` is an account's id: digits, a positive number.
pub(crate) fn is_account_id(raw: &str) -> bool {
    !raw.is_empty()
        && raw.len() <= 18
        && raw.bytes().all(|b| b.is_ascii_digit())
        && raw.parse::<i64>().is_ok_and(|id| id > 0)
}

/// Whether `value` is a real calendar date written YYYY-MM-DD.
pub fn is_iso_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    // Exactly four, two and two ASCII digits: `parse` alone would take a
    // sign ("+4"), which would then sort wrongly as text.
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    value.len() == 10 && (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// Applies an edit to a commitment. The organisation is only settable by
/// staff; a partner's commitments are always their own organisation's.
pub fn apply_to_commitment(
    current: &Commitment,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Commitment, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    edit.organisation(
        &mut next.organisation,
        "Select the organisation making the commitment",
    );
    for (field, target) in [("role", &mut next.role), ("mission", &mut next.mission)] {
        if edit.touched(field) {
            let raw = edit.value(field);
            *target = is_slug(raw).then(|| RecordRef {
                id: raw.to_owned(),
                name: String::new(),
            });
            if target.is_none() && !raw.is_empty() {
                edit.error(field, format!("Select a {field} from the list"));
            }
        }
    }
    if edit.touched("status") {
        match CommitmentStatus::parse(edit.value("status")) {
            Some(status) => next.status = status,
            None => edit.error("status", "Select the commitment's status"),
        }
    }
    edit.dates(&mut next.start_date, &mut next.end_date);
    edit.text("note", MAX_TEXT, &mut next.note);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{AccountRole, Principal, Resource, settable_fields};

    fn ucl() -> Organisation {
        Organisation {
            id: "ucl".into(),
            name: "UCL".into(),
            kind: OrganisationKind::University,
            size_band: None,
            scope: None,
            wards: vec![],
            identifiers: vec![],
            is_anchor: true,
            levers: vec![LeverUse {
                lever: Lever::Research,
                hardness: None,
                reach: None,
                detail: Some("kept".into()),
            }],
            description: None,
            website: None,
            internal_notes: Some("note".into()),
            audience: Audience::Public,
            version: 3,
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn partner() -> Principal {
        Principal::Account {
            id: 1,
            role: AccountRole::Partner,
            place: Some(1),
            organisation: Some("ucl".into()),
        }
    }

    #[test]
    fn a_partner_form_updates_its_fields() {
        let form = pairs(&[
            ("version", "3"),
            ("name", "University College London"),
            ("website", "https://www.ucl.ac.uk/"),
            ("wards", "Bloomsbury\nKing's Cross\n"),
            ("levers", "research"),
            ("levers", "estates"),
        ]);
        let settable = settable_fields(&partner(), Resource::Organisation);
        let next =
            apply_to_organisation(&ucl(), &Submitted::new(&form), settable, Absent::MeansEmpty)
                .expect("valid");
        assert_eq!(next.name, "University College London");
        assert_eq!(next.wards, ["Bloomsbury", "King's Cross"]);
        assert_eq!(next.levers.len(), 2);
        assert_eq!(
            next.levers
                .iter()
                .find(|l| l.lever == Lever::Research)
                .and_then(|l| l.detail.clone())
                .as_deref(),
            Some("kept")
        );
        assert!(
            next.is_anchor,
            "a field the partner may not set is untouched"
        );
        assert_eq!(next.internal_notes.as_deref(), Some("note"));
        assert_eq!(next.version, 3);
    }

    #[test]
    fn forbidden_fields_are_refused_by_name() {
        let form = pairs(&[
            ("version", "3"),
            ("name", "UCL"),
            ("audience", "restricted"),
            ("is_anchor", "yes"),
        ]);
        let settable = settable_fields(&partner(), Resource::Organisation);
        let Err(DomainError::Invalid(errors)) = apply_to_organisation(
            &ucl(),
            &Submitted::new(&form),
            settable,
            Absent::MeansUnchanged,
        ) else {
            panic!("expected refusal");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["audience", "is_anchor"]);
    }

    #[test]
    fn bad_values_are_named() {
        let staff = Principal::Account {
            id: 2,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        };
        let form = pairs(&[
            ("name", "  "),
            ("kind", "spaceship"),
            ("website", "javascript:alert(1)"),
            ("identifiers", "not an id"),
            ("audience", "everyone"),
        ]);
        let settable = settable_fields(&staff, Resource::Organisation);
        let Err(DomainError::Invalid(errors)) = apply_to_organisation(
            &ucl(),
            &Submitted::new(&form),
            settable,
            Absent::MeansUnchanged,
        ) else {
            panic!("expected errors");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "version",
                "name",
                "kind",
                "website",
                "identifiers",
                "audience"
            ]
        );
    }

    #[test]
    fn a_json_patch_leaves_absent_fields_alone() {
        let staff = Principal::Account {
            id: 2,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        };
        let patch = pairs(&[("version", "3"), ("identifiers", "GB-CHC-1234567")]);
        let settable = settable_fields(&staff, Resource::Organisation);
        let next = apply_to_organisation(
            &ucl(),
            &Submitted::new(&patch),
            settable,
            Absent::MeansUnchanged,
        )
        .expect("valid");
        assert_eq!(next.identifiers, ["GB-CHC-1234567"]);
        assert_eq!(next.levers, ucl().levers);
        assert!(next.is_anchor);
    }

    #[test]
    fn dates_are_real_and_ordered() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("17/03/2014"));
        assert!(!is_iso_date("2024-13-01"));
        assert!(!is_iso_date("2025-+4-01"));
        assert!(!is_iso_date("2025-04-+1"));
        assert!(!is_iso_date("+025-04-01"));
        assert!(!is_iso_date("２０２５-04-01"));
        let staff = Principal::Account {
            id: 2,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        };
        let current = Commitment {
            id: 1,
            organisation: RecordRef {
                id: "ucl".into(),
                name: "UCL".into(),
            },
            role: None,
            mission: None,
            status: CommitmentStatus::Proposed,
            review: crate::commitment::Review::Accepted,
            review_note: None,
            start_date: None,
            end_date: None,
            note: None,
            demonstration: false,
            audience: Audience::Public,
            version: 1,
        };
        let form = pairs(&[
            ("version", "1"),
            ("start_date", "2025-05-01"),
            ("end_date", "2025-04-01"),
            ("status", "active"),
        ]);
        let settable = settable_fields(&staff, Resource::Commitment);
        let Err(DomainError::Invalid(errors)) = apply_to_commitment(
            &current,
            &Submitted::new(&form),
            settable,
            Absent::MeansUnchanged,
        ) else {
            panic!("expected an error");
        };
        assert_eq!(errors[0].field, "end_date");
    }

    #[test]
    fn a_partner_cannot_move_a_commitment_to_another_organisation() {
        let current = Commitment {
            id: 1,
            organisation: RecordRef {
                id: "ucl".into(),
                name: "UCL".into(),
            },
            role: None,
            mission: None,
            status: CommitmentStatus::Proposed,
            review: crate::commitment::Review::Accepted,
            review_note: None,
            start_date: None,
            end_date: None,
            note: None,
            demonstration: false,
            audience: Audience::Public,
            version: 1,
        };
        let form = pairs(&[
            ("version", "1"),
            ("organisation", "roundhouse"),
            ("status", "active"),
        ]);
        let settable = settable_fields(&partner(), Resource::Commitment);
        let Err(DomainError::Invalid(errors)) = apply_to_commitment(
            &current,
            &Submitted::new(&form),
            settable,
            Absent::MeansEmpty,
        ) else {
            panic!("expected refusal");
        };
        assert_eq!(errors[0].field, "organisation");
    }

    #[test]
    fn initiative_participants_are_read_one_a_line() {
        let staff = Principal::Account {
            id: 2,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        };
        let current = Initiative {
            id: "summit".into(),
            name: "Summit".into(),
            description: None,
            website: None,
            missions: vec![],
            participants: vec![],
            audience: Audience::Public,
            version: 1,
        };
        let form = pairs(&[
            ("version", "1"),
            ("participants", "ucl: Host\nwellcome-collection"),
        ]);
        let settable = settable_fields(&staff, Resource::Initiative);
        let next = apply_to_initiative(
            &current,
            &Submitted::new(&form),
            settable,
            Absent::MeansUnchanged,
        )
        .expect("valid");
        assert_eq!(next.participants.len(), 2);
        assert_eq!(next.participants[0].role.as_deref(), Some("Host"));
        // Nothing typed is dropped without a word.
        for (lines, says) in [
            ("Not A Slug: Host", "the organisation's id"),
            ("ucl: Host\nucl: again", "chosen more than once"),
            (": Host", "Choose the organisation that plays \"Host\""),
        ] {
            let bad = pairs(&[("version", "1"), ("participants", lines)]);
            let refused = apply_to_initiative(
                &current,
                &Submitted::new(&bad),
                settable,
                Absent::MeansUnchanged,
            );
            assert!(
                matches!(&refused, Err(DomainError::Invalid(errors)) if errors.iter().any(|e| e.message.contains(says))),
                "{lines}: {refused:?}"
            );
        }
    }

    fn staff() -> Principal {
        Principal::Account {
            id: 2,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        }
    }

    fn organisation_errors(list: &[(&str, &str)]) -> Vec<FieldError> {
        let patch = pairs(list);
        match apply_to_organisation(
            &ucl(),
            &Submitted::new(&patch),
            settable_fields(&staff(), Resource::Organisation),
            Absent::MeansUnchanged,
        ) {
            Ok(_) => vec![],
            Err(DomainError::Invalid(errors)) => errors,
        }
    }

    #[test]
    fn control_characters_are_recognised() {
        for c in ['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            assert!(has_control_characters(&format!("a{c}b"), true), "{c:?}");
        }
        for c in ['\n', '\r', '\t'] {
            assert!(!has_control_characters(&format!("a{c}b"), true), "{c:?}");
            assert!(has_control_characters(&format!("a{c}b"), false), "{c:?}");
        }
        assert!(!has_control_characters("Kentish Town — café", false));
    }

    #[test]
    fn control_characters_are_refused_by_name() {
        let errors = organisation_errors(&[
            ("version", "3"),
            ("name", "UCL\u{0}"),
            ("description", "Research\u{7}"),
            ("internal_notes", "C1\u{85}here"),
            ("wards", "Camden\tTown\nHolborn"),
            ("website", "https://ucl.ac.uk/\u{0}"),
        ]);
        for field in ["name", "description", "internal_notes", "wards", "website"] {
            let named: Vec<_> = errors.iter().filter(|e| e.field == field).collect();
            assert!(
                named.iter().any(|e| e.message == CONTROL_CHARACTERS),
                "{field}: {errors:?}"
            );
            // Named once, not also as missing or too long.
            let control = named
                .iter()
                .filter(|e| e.message == CONTROL_CHARACTERS)
                .count();
            assert_eq!(control, 1, "{field}: {errors:?}");
        }
        assert_eq!(
            errors.iter().filter(|e| e.field == "name").count(),
            1,
            "{errors:?}"
        );
    }

    #[test]
    fn line_breaks_and_tabs_only_in_multi_line_text() {
        assert!(
            organisation_errors(&[
                ("version", "3"),
                ("description", "First line\r\n\tIndented second line"),
                ("internal_notes", "One\nTwo"),
                ("wards", "Camden Town\r\nHolborn"),
            ])
            .is_empty()
        );
        for name in ["UCL\nLondon", "UCL\tLondon", "UCL\rLondon"] {
            let errors = organisation_errors(&[("version", "3"), ("name", name)]);
            assert_eq!(errors.len(), 1, "{name:?}: {errors:?}");
            assert_eq!(errors[0].field, "name");
            assert_eq!(errors[0].message, CONTROL_CHARACTERS);
        }
    }

    #[test]
    fn a_mission_short_name_with_nul_is_refused() {
        let mission = Mission {
            id: "youth".into(),
            short_name: "Youth".into(),
            statement: "Every young person".into(),
            target_year: None,
            outcome_themes: vec![],
            audience: Audience::Public,
            version: 1,
        };
        let patch = pairs(&[("version", "1"), ("short_name", "Youth\u{0}")]);
        let Err(DomainError::Invalid(errors)) = apply_to_mission(
            &mission,
            &Submitted::new(&patch),
            settable_fields(&staff(), Resource::Mission),
            Absent::MeansUnchanged,
        ) else {
            panic!("expected errors");
        };
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "short_name");
        assert_eq!(errors[0].message, CONTROL_CHARACTERS);
    }
}
