//! Contributions: what a partner did for a mission, measured — people
//! involved, volunteering hours, £ sponsorship and so on — over a period,
//! optionally for an outcome theme and a ward, with a link to evidence.
//!
//! A quantity is a whole number in its unit. Most measures fix their unit
//! (hours are hours, sponsorship is pounds); "other" names its own. Totals
//! are only ever taken per measure and unit, so unlike units are never
//! added together, and sponsorship and in-kind support stay two figures.

use serde::Serialize;

use crate::edit::{Absent, Edit, MAX_TEXT, Submitted, is_iso_date, web_address};
use crate::error::DomainError;
use crate::place::{RecordRef, is_slug};
use crate::visibility::{Audience, Redact, Viewer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Contribution {
    pub id: i64,
    /// The partner that made it.
    pub organisation: RecordRef,
    /// The mission it served.
    pub mission: RecordRef,
    /// The outcome theme it served, where one is named.
    pub theme: Option<RecordRef>,
    pub measure: Measure,
    pub unit: Unit,
    /// A whole number, in `unit`.
    pub quantity: i64,
    /// What was done, in a sentence.
    pub description: Option<String>,
    /// First day of the period (ISO 8601 date).
    pub start_date: String,
    /// Last day of the period (ISO 8601 date); its year is the period's.
    pub end_date: String,
    pub ward: Option<String>,
    /// An http(s) link to evidence.
    pub evidence_url: Option<String>,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

impl Redact for Contribution {
    /// Nothing in a contribution is narrower than the record itself.
    fn redact_for(self, _viewer: Viewer) -> Self {
        self
    }
}

crate::vocabulary::vocabulary!(
    /// What a contribution measures.
    Measure {
        Opportunities => ("opportunities-created", "Opportunities created"),
        People => ("people-involved", "People involved"),
        Apprenticeships => ("apprenticeships", "Apprenticeships"),
        Placements => ("work-placements", "Work placements"),
        Volunteering => ("volunteering-hours", "Volunteering hours"),
        Sponsorship => ("sponsorship", "£ sponsorship"),
        InKind => ("in-kind", "In-kind support (£)"),
        Other => ("other", "Other"),
    }
);

crate::vocabulary::vocabulary!(
    /// The unit a quantity is counted in. Never added across units.
    Unit {
        Count => ("count", "Count"),
        Hours => ("hours", "Hours"),
        Gbp => ("gbp", "£ (GBP)"),
    }
);

impl Measure {
    /// The unit this measure is always counted in; none for "other".
    pub fn fixed_unit(self) -> Option<Unit> {
        match self {
            Measure::Opportunities
            | Measure::People
            | Measure::Apprenticeships
            | Measure::Placements => Some(Unit::Count),
            Measure::Volunteering => Some(Unit::Hours),
            Measure::Sponsorship | Measure::InKind => Some(Unit::Gbp),
            Measure::Other => None,
        }
    }
}

impl Unit {
    /// `quantity` written in this unit, for pages: "1,250 hours", "£3,000".
    pub fn format(self, quantity: i64) -> String {
        let digits = grouped(quantity);
        match self {
            Unit::Count => digits,
            Unit::Hours if quantity == 1 => "1 hour".into(),
            Unit::Hours => format!("{digits} hours"),
            Unit::Gbp => format!("£{digits}"),
        }
    }
}

/// A whole number with thousands separated by commas.
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The largest quantity accepted: a trillion of anything is a typing slip.
pub const MAX_QUANTITY: i64 = 1_000_000_000_000;

impl Contribution {
    /// A new contribution by `organisation`: nothing measured yet.
    pub fn new(organisation: RecordRef) -> Self {
        Contribution {
            id: 0,
            organisation,
            mission: RecordRef {
                id: String::new(),
                name: String::new(),
            },
            theme: None,
            measure: Measure::People,
            unit: Unit::Count,
            quantity: 0,
            description: None,
            start_date: String::new(),
            end_date: String::new(),
            ward: None,
            evidence_url: None,
            demonstration: false,
            audience: Audience::Public,
            version: 0,
        }
    }

    /// The quantity in its unit, for pages.
    pub fn amount(&self) -> String {
        self.unit.format(self.quantity)
    }
}

/// One line of a roll-up: the total of one measure in one unit within one
/// group (a mission, theme, ward, partner or year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ContributionTotal {
    /// The group's id (a slug, a ward's name or a year); empty for
    /// contributions without one (no theme, no ward).
    pub group: String,
    /// The group's name, for people.
    pub label: String,
    pub measure: Measure,
    pub unit: Unit,
    pub total: i64,
    /// How many contributions were added up.
    pub contributions: i64,
}

impl ContributionTotal {
    pub fn amount(&self) -> String {
        self.unit.format(self.total)
    }
}

crate::vocabulary::vocabulary!(
    /// What contributions are totalled by.
    RollUp {
        Mission => ("mission", "Mission"),
        Theme => ("theme", "Outcome theme"),
        Ward => ("ward", "Ward"),
        Organisation => ("organisation", "Partner"),
        Year => ("year", "Year"),
    }
);

/// Applies an edit to a contribution. A partner's contributions are always
/// their own organisation's (the application layer checks the owner).
pub fn apply_to_contribution(
    current: &Contribution,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Contribution, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    edit.organisation(
        &mut next.organisation,
        "Select the organisation that made the contribution",
    );
    if edit.touched("mission") {
        let raw = edit.value("mission");
        if is_slug(raw) {
            next.mission = RecordRef {
                id: raw.to_owned(),
                name: String::new(),
            };
        } else {
            edit.error("mission", "Select the mission the contribution served");
        }
    }
    if edit.touched("theme") {
        let raw = edit.value("theme");
        next.theme = is_slug(raw).then(|| RecordRef {
            id: raw.to_owned(),
            name: String::new(),
        });
        if next.theme.is_none() && !raw.is_empty() {
            edit.error("theme", "Select an outcome theme from the list");
        }
    }
    edit.term(
        "measure",
        &mut next.measure,
        Measure::parse,
        "Select what the contribution measures",
    );
    unit(&mut edit, &mut next);
    if edit.touched("quantity") {
        let raw = edit.value("quantity").replace(',', "");
        match raw.parse::<i64>() {
            Ok(n) if (0..=MAX_QUANTITY).contains(&n) && !raw.starts_with('+') => next.quantity = n,
            Ok(_) => edit.error(
                "quantity",
                "Quantity must be between 0 and 1,000,000,000,000",
            ),
            Err(_) if raw.is_empty() => edit.error("quantity", "Enter the quantity"),
            Err(_) => edit.error(
                "quantity",
                "Quantity must be a whole number, like 12 or 1500",
            ),
        }
    }
    edit.text("description", MAX_TEXT, &mut next.description);
    for (field, label, target) in [
        ("start_date", "Start date", &mut next.start_date),
        ("end_date", "End date", &mut next.end_date),
    ] {
        if edit.touched(field) {
            let raw = edit.value(field);
            if is_iso_date(raw) {
                *target = raw.to_owned();
            } else if raw.is_empty() {
                edit.error(field, format!("Enter the {}", label.to_lowercase()));
            } else {
                edit.error(field, crate::date::problem(label, raw));
            }
        }
    }
    if !next.start_date.is_empty() && !next.end_date.is_empty() && next.end_date < next.start_date {
        edit.error(
            "end_date",
            "The end date must be the same as or after the start date",
        );
    }
    edit.text("ward", 100, &mut next.ward);
    if edit.touched("evidence_url") {
        let mut errors = Vec::new();
        next.evidence_url = web_address("evidence_url", edit.value("evidence_url"), &mut errors);
        for e in errors {
            edit.error(&e.field, e.message);
        }
    }
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// Sets the unit: fixed by the measure where it has one (a different unit
/// sent is named), chosen for "other".
fn unit(edit: &mut Edit<'_, '_>, next: &mut Contribution) {
    let sent = edit.touched("unit").then(|| edit.value("unit"));
    let chosen = sent.filter(|raw| !raw.is_empty()).map(Unit::parse);
    match (next.measure.fixed_unit(), chosen) {
        (_, Some(None)) => edit.error("unit", "Select a unit: count, hours or £"),
        (Some(fixed), Some(Some(unit))) if unit != fixed => edit.error(
            "unit",
            format!(
                "{} are counted in {}: choose that unit or leave it empty",
                next.measure.label(),
                fixed.label().to_lowercase()
            ),
        ),
        (Some(fixed), _) => next.unit = fixed,
        (None, Some(Some(unit))) => next.unit = unit,
        (None, None) if sent.is_some() => {
            edit.error("unit", "Select the unit an \"other\" measure is counted in")
        }
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(pairs: &[(&str, &str)]) -> Result<Contribution, DomainError> {
        let mut owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        owned.push(("version".into(), "0".into()));
        let blank = Contribution::new(RecordRef {
            id: "ucl".into(),
            name: String::new(),
        });
        let settable = [
            "mission",
            "theme",
            "measure",
            "unit",
            "quantity",
            "description",
            "start_date",
            "end_date",
            "ward",
            "evidence_url",
            "audience",
        ];
        apply_to_contribution(
            &blank,
            &Submitted::new(&owned),
            &settable,
            Absent::MeansEmpty,
        )
    }

    fn fields(result: Result<Contribution, DomainError>) -> Vec<String> {
        match result {
            Ok(_) => vec![],
            Err(DomainError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        }
    }

    const GOOD: &[(&str, &str)] = &[
        ("mission", "good-work"),
        ("measure", "volunteering-hours"),
        ("quantity", "1,250"),
        ("start_date", "2026-01-01"),
        ("end_date", "2026-03-31"),
        ("evidence_url", "https://example.org/report"),
        ("audience", "public"),
    ];

    #[test]
    fn the_measure_fixes_the_unit() {
        let c = apply(GOOD).expect("valid");
        assert_eq!(c.unit, Unit::Hours);
        assert_eq!(c.quantity, 1250);
        assert_eq!(c.amount(), "1,250 hours");
        let mut wrong = GOOD.to_vec();
        wrong.push(("unit", "gbp"));
        assert_eq!(fields(apply(&wrong)), ["unit"]);
    }

    #[test]
    fn other_needs_a_unit() {
        let mut other: Vec<(&str, &str)> = GOOD
            .iter()
            .map(|p| {
                if p.0 == "measure" {
                    ("measure", "other")
                } else {
                    *p
                }
            })
            .collect();
        other.push(("unit", ""));
        assert_eq!(fields(apply(&other)), ["unit"]);
        other.pop();
        other.push(("unit", "gbp"));
        assert_eq!(apply(&other).expect("valid").unit, Unit::Gbp);
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = [
            ("mission", ""),
            ("measure", "smiles"),
            ("quantity", "1.5"),
            ("start_date", "2026-04-01"),
            ("end_date", "2026-03-31"),
            ("evidence_url", "javascript:alert(1)"),
            ("audience", "public"),
        ];
        assert_eq!(
            fields(apply(&bad)),
            ["mission", "measure", "quantity", "end_date", "evidence_url"]
        );
        assert_eq!(
            fields(apply(&[("quantity", "-3"), ("mission", "m")])),
            ["measure", "quantity", "start_date", "end_date", "audience"]
        );
    }

    #[test]
    fn amounts_are_written_in_their_unit() {
        assert_eq!(Unit::Gbp.format(1_234_567), "£1,234,567");
        assert_eq!(Unit::Count.format(12), "12");
        assert_eq!(Unit::Hours.format(1), "1 hour");
    }
}
