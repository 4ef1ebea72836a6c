//! The outcomes framework below its themes: signals, their measures and
//! the measures' values over time, and how a measure's trend is read.

use serde::{Deserialize, Serialize};

use crate::edit::{Absent, Edit, MAX_NAME, MAX_TEXT, Submitted};
use crate::error::{DomainError, FieldError};
use crate::place::{RecordRef, is_slug};
use crate::visibility::Audience;

/// What would show that a theme is improving (e.g. "people live long and
/// healthy lives" under health).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OutcomeSignal {
    pub id: String,
    /// The theme it belongs to.
    pub theme: RecordRef,
    pub name: String,
    pub description: Option<String>,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// Which way a measure should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better (e.g. healthy life expectancy).
    Higher,
    /// Lower is better (e.g. the share of households in debt).
    Lower,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "higher" => Some(Direction::Higher),
            "lower" => Some(Direction::Lower),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "Higher is better",
            Direction::Lower => "Lower is better",
        }
    }
}

/// A number that tracks a signal, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = OutcomeMeasure)]
pub struct Measure {
    pub id: String,
    /// The signal it tracks.
    pub signal: RecordRef,
    pub name: String,
    /// What the values count, e.g. "years" or "% of residents".
    pub unit: String,
    pub direction: Direction,
    pub source: Option<String>,
    pub source_url: Option<String>,
    /// The licence the values are published under, e.g. "Open Government Licence v3.0".
    pub licence: Option<String>,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// One value of a measure: for a year, for the whole place or one ward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MeasureValue {
    pub year: i32,
    /// None for the whole place.
    pub ward: Option<String>,
    /// The decimal exactly as entered, so a file round-trips.
    pub value: String,
    pub note: Option<String>,
}

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2100;

impl MeasureValue {
    /// Checks a value as typed in a form or read from a file, naming each
    /// wrong field.
    pub fn parse(
        year: &str,
        ward: &str,
        value: &str,
        note: &str,
    ) -> Result<MeasureValue, Vec<FieldError>> {
        let mut errors = Vec::new();
        let year = match year.trim().parse::<i32>() {
            Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => y,
            _ => {
                errors.push(FieldError::new(
                    "year",
                    format!(
                        "Enter the year as 4 digits between {MIN_YEAR} and {MAX_YEAR}, like 2024"
                    ),
                ));
                0
            }
        };
        let ward = short("ward", ward, 100, &mut errors);
        let value = value.trim();
        if value.is_empty() {
            errors.push(FieldError::new("value", "Enter the value, like 62.5"));
        } else if !is_decimal(value) {
            errors.push(FieldError::new(
                "value",
                "Enter the value as a number, like 62.5 or -3 (no units or commas)",
            ));
        }
        let note = short("note", note, MAX_TEXT, &mut errors);
        if errors.is_empty() {
            Ok(MeasureValue {
                year,
                ward,
                value: value.to_owned(),
                note,
            })
        } else {
            Err(errors)
        }
    }

    /// The value as a number (always valid once parsed).
    pub fn number(&self) -> f64 {
        self.value.parse().unwrap_or(0.0)
    }
}

/// A plain decimal: optional sign, digits, optional fraction; nothing that
/// `f64` would also accept, like "inf" or "1e9".
fn is_decimal(raw: &str) -> bool {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    raw.len() <= 30
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn short(field: &str, raw: &str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let raw = raw.trim();
    if raw
        .chars()
        .any(|c| c.is_control() && !(max >= MAX_TEXT && c == '\n'))
    {
        errors.push(FieldError::new(
            field,
            "Must not contain control characters",
        ));
        None
    } else if raw.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("Must be {max} characters or fewer"),
        ));
        None
    } else {
        (!raw.is_empty()).then(|| raw.to_owned())
    }
}

/// Which way the latest place-wide value moved against the year before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Trend {
    pub latest: MeasureValue,
    pub previous: Option<MeasureValue>,
    /// "up", "down" or "flat"; none without a previous year.
    pub movement: Option<&'static str>,
    /// "better", "worse" or "no change", read from the measure's direction.
    pub verdict: Option<&'static str>,
}

/// The trend of a measure's place-wide values (ward values are left out).
pub fn trend(values: &[MeasureValue], direction: Direction) -> Option<Trend> {
    let mut whole: Vec<&MeasureValue> = values.iter().filter(|v| v.ward.is_none()).collect();
    whole.sort_by_key(|v| v.year);
    let latest = (*whole.last()?).clone();
    let previous = whole
        .iter()
        .rev()
        .find(|v| v.year == latest.year - 1)
        .map(|v| (*v).clone());
    let (movement, verdict) = match &previous {
        None => (None, None),
        Some(p) => {
            let (now, then) = (latest.number(), p.number());
            if now == then {
                (Some("flat"), Some("no change"))
            } else {
                let up = now > then;
                let better = up == (direction == Direction::Higher);
                (
                    Some(if up { "up" } else { "down" }),
                    Some(if better { "better" } else { "worse" }),
                )
            }
        }
    };
    Some(Trend {
        latest,
        previous,
        movement,
        verdict,
    })
}

fn reference(edit: &mut Edit, field: &str, target: &mut RecordRef, missing: &str) {
    if edit.touched(field) {
        match edit.value(field) {
            id if is_slug(id) => {
                *target = RecordRef {
                    id: id.to_owned(),
                    name: String::new(),
                }
            }
            _ => edit.error(field, missing),
        }
    }
}

/// Applies an edit to a signal.
pub fn apply_to_signal(
    current: &OutcomeSignal,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<OutcomeSignal, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    reference(
        &mut edit,
        "theme",
        &mut next.theme,
        "Choose the theme the signal belongs to",
    );
    if let Some(v) = edit.required("name", MAX_NAME, "Enter the signal's name") {
        next.name = v;
    }
    edit.text("description", MAX_TEXT, &mut next.description);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// Applies an edit to a measure.
pub fn apply_to_measure(
    current: &Measure,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Measure, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    reference(
        &mut edit,
        "signal",
        &mut next.signal,
        "Choose the signal the measure tracks",
    );
    if let Some(v) = edit.required("name", MAX_NAME, "Enter the measure's name") {
        next.name = v;
    }
    if let Some(v) = edit.required("unit", 100, "Enter the unit, like years or % of residents") {
        next.unit = v;
    }
    edit.term(
        "direction",
        &mut next.direction,
        Direction::parse,
        "Choose whether higher or lower values are better",
    );
    edit.text("source", MAX_NAME, &mut next.source);
    if edit.touched("source_url") {
        let raw = edit.value("source_url");
        if raw.is_empty() {
            next.source_url = None;
        } else if raw.len() <= 500
            && (raw.starts_with("https://") || raw.starts_with("http://"))
            && !raw
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "\"<>`".contains(c))
        {
            next.source_url = Some(raw.to_owned());
        } else {
            edit.error(
                "source_url",
                "Enter the source's web address starting with https://, like https://www.ons.gov.uk",
            );
        }
    }
    edit.text("licence", MAX_NAME, &mut next.licence);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(year: i32, value: &str) -> MeasureValue {
        MeasureValue::parse(&year.to_string(), "", value, "").unwrap()
    }

    #[test]
    fn trend_reads_direction() {
        let values = [v(2022, "60"), v(2023, "61.5")];
        let t = trend(&values, Direction::Higher).unwrap();
        assert_eq!((t.movement, t.verdict), (Some("up"), Some("better")));
        let t = trend(&values, Direction::Lower).unwrap();
        assert_eq!((t.movement, t.verdict), (Some("up"), Some("worse")));
        let t = trend(&[v(2022, "5"), v(2023, "5.0")], Direction::Lower).unwrap();
        assert_eq!(t.verdict, Some("no change"));
        assert_eq!(
            trend(&[v(2023, "1")], Direction::Lower).unwrap().movement,
            None
        );
    }

    #[test]
    fn values_name_each_wrong_field() {
        let errors = MeasureValue::parse("24", "", "1e9", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["year", "value"]);
        assert!(MeasureValue::parse("2024", "Kilburn", "-3.25", "").is_ok());
        assert!(MeasureValue::parse("2024", "", "inf", "").is_err());
    }
}
