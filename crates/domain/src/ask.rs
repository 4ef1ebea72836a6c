//! Asks: what the place needs from its partners (apprenticeship places,
//! hosting the summit, sponsoring community grants …), each with the
//! mission it serves, the lever it needs, an optional ward and a size; the
//! record of each ask put to a partner and the partner's answer; and the
//! matching that ranks partners for an ask and says why.
//!
//! Asks are the partnership team's working records: staff and admins read
//! them, partners and the public never do. The note on an answer is private
//! staff text (like an interaction's summary).

use serde::Serialize;

use crate::edit::{MAX_TEXT, is_iso_date};
use crate::error::{DomainError, FieldError};
use crate::place::RecordRef;
use crate::relationship::{Health, RelationshipStage};
use crate::visibility::Audience;
use crate::vocabulary::Lever;

/// Who reads an ask, its answers and their notes: staff and admins.
pub const AUDIENCE: Audience = Audience::Staff;

crate::vocabulary::vocabulary!(
    /// Where an ask stands.
    AskStatus {
        Open => ("open", "Open"),
        Filled => ("filled", "Filled"),
        Withdrawn => ("withdrawn", "Withdrawn"),
    }
);

crate::vocabulary::vocabulary!(
    /// A partner's answer to an ask put to them.
    Answer {
        Pending => ("pending", "Pending"),
        Yes => ("yes", "Yes"),
        No => ("no", "No"),
        Maybe => ("maybe", "Maybe"),
    }
);

/// How big an ask is: a quantity of something ("12 apprenticeship places")
/// or a sum of money in whole pounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum AskSize {
    Quantity { quantity: i64, unit: String },
    Pounds { pounds: i64 },
}

impl AskSize {
    /// The size in words, for pages: "12 apprenticeship places", "£5,000".
    pub fn describe(&self) -> String {
        match self {
            AskSize::Quantity { quantity, unit } => format!("{quantity} {unit}"),
            AskSize::Pounds { pounds } => format!("£{}", thousands(*pounds)),
        }
    }
}

fn thousands(n: i64) -> String {
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

/// An ask as read: what the place needs, the mission it serves, the lever
/// it needs, where and how much, and every time it was put to a partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Ask {
    /// The ask's id (slug).
    pub id: String,
    pub title: String,
    pub description: String,
    pub mission: RecordRef,
    pub lever: Lever,
    pub ward: Option<String>,
    pub size: AskSize,
    pub status: AskStatus,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
    /// Each time it was put to a partner, newest first.
    pub made: Vec<AskMade>,
}

impl Ask {
    /// The size in words.
    pub fn size_text(&self) -> String {
        self.size.describe()
    }

    /// The form that would save the ask unchanged, for its edit page.
    pub fn form(&self) -> AskForm {
        let (size_kind, quantity, unit, pounds) = match &self.size {
            AskSize::Quantity { quantity, unit } => (
                "quantity",
                quantity.to_string(),
                unit.clone(),
                String::new(),
            ),
            AskSize::Pounds { pounds } => {
                ("pounds", String::new(), String::new(), pounds.to_string())
            }
        };
        AskForm {
            title: self.title.clone(),
            description: self.description.clone(),
            mission: self.mission.id.clone(),
            lever: self.lever.slug().to_owned(),
            ward: self.ward.clone().unwrap_or_default(),
            size_kind: size_kind.to_owned(),
            quantity,
            unit,
            pounds,
            status: self.status.slug().to_owned(),
            version: Some(self.version),
        }
    }
}

/// One time an ask was put to a partner, and their answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AskMade {
    pub id: i64,
    pub organisation: RecordRef,
    /// When it was asked (YYYY-MM-DD).
    pub asked_on: String,
    /// The staff member who asked, by name, if still an account.
    pub asked_by: Option<String>,
    pub answer: Answer,
    pub answered_on: Option<String>,
    /// Private staff text: shown on the staff's page, never served by the
    /// API or any export.
    #[serde(skip)]
    pub note: Option<String>,
    /// Send it back to change the answer; a stale one gets 409.
    pub version: i64,
}

/// An ask as a form or the API submits it, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The mission's slug.
    pub mission: String,
    /// The lever's slug.
    pub lever: String,
    #[serde(default)]
    pub ward: String,
    /// "quantity" or "pounds".
    pub size_kind: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub pounds: String,
    #[serde(default)]
    pub status: String,
    /// When changing an ask: the version you read (a stale one gets 409).
    /// Left out when recording a new one.
    #[serde(default)]
    pub version: Option<i64>,
}

/// An ask's fields once valid; the mission is still a slug for the store to
/// resolve (an unknown mission is then named as a field error too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskDraft {
    pub title: String,
    pub description: String,
    pub mission: String,
    pub lever: Lever,
    pub ward: Option<String>,
    pub size: AskSize,
    pub status: AskStatus,
}

const MAX_TITLE: usize = 200;
const MAX_UNIT: usize = 60;

impl AskForm {
    /// Checks every field and names each one at fault.
    pub fn validate(&self) -> Result<AskDraft, DomainError> {
        let mut errors = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.push(FieldError::new("title", "Enter a title for the ask"));
        } else if title.chars().count() > MAX_TITLE {
            errors.push(FieldError::new(
                "title",
                format!("Title must be {MAX_TITLE} characters or fewer"),
            ));
        }
        let description = self.description.trim();
        if description.chars().count() > MAX_TEXT {
            errors.push(FieldError::new(
                "description",
                format!("Description must be {MAX_TEXT} characters or fewer"),
            ));
        }
        let mission = self.mission.trim();
        if !crate::place::is_slug(mission) {
            errors.push(FieldError::new("mission", "Select a mission from the list"));
        }
        let lever = Lever::parse(self.lever.trim());
        if lever.is_none() {
            errors.push(FieldError::new("lever", "Select a lever from the list"));
        }
        let ward = Some(self.ward.trim()).filter(|w| !w.is_empty());
        if ward.is_some_and(|w| w.chars().count() > MAX_TITLE) {
            errors.push(FieldError::new(
                "ward",
                format!("Ward must be {MAX_TITLE} characters or fewer"),
            ));
        }
        let size = match self.size_kind.trim() {
            "quantity" => {
                let quantity = positive(self.quantity.trim());
                if quantity.is_none() {
                    errors.push(FieldError::new(
                        "quantity",
                        "Enter the quantity as a whole number greater than 0, like 12",
                    ));
                }
                let unit = self.unit.trim();
                if unit.is_empty() {
                    errors.push(FieldError::new(
                        "unit",
                        "Enter what is counted, like apprenticeship places",
                    ));
                } else if unit.chars().count() > MAX_UNIT {
                    errors.push(FieldError::new(
                        "unit",
                        format!("Unit must be {MAX_UNIT} characters or fewer"),
                    ));
                }
                quantity.map(|quantity| AskSize::Quantity {
                    quantity,
                    unit: unit.to_owned(),
                })
            }
            "pounds" => {
                let raw: String = self
                    .pounds
                    .trim()
                    .trim_start_matches('£')
                    .chars()
                    .filter(|c| *c != ',')
                    .collect();
                let pounds = positive(&raw);
                if pounds.is_none() {
                    errors.push(FieldError::new(
                        "pounds",
                        "Enter the value in whole pounds greater than 0, like 5000",
                    ));
                }
                pounds.map(|pounds| AskSize::Pounds { pounds })
            }
            _ => {
                errors.push(FieldError::new(
                    "size_kind",
                    "Select whether the ask is a quantity or a value in pounds",
                ));
                None
            }
        };
        let status = match self.status.trim() {
            "" => Some(AskStatus::Open),
            raw => AskStatus::parse(raw),
        };
        if status.is_none() {
            errors.push(FieldError::new("status", "Select a status from the list"));
        }
        match (lever, size, status) {
            (Some(lever), Some(size), Some(status)) if errors.is_empty() => Ok(AskDraft {
                title: title.to_owned(),
                description: description.to_owned(),
                mission: mission.to_owned(),
                lever,
                ward: ward.map(str::to_owned),
                size,
                status,
            }),
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

/// A whole number from 1 to a billion.
fn positive(raw: &str) -> Option<i64> {
    (!raw.is_empty() && raw.len() <= 10 && raw.bytes().all(|b| b.is_ascii_digit()))
        .then(|| raw.parse::<i64>().ok())
        .flatten()
        .filter(|n| (1..=1_000_000_000).contains(n))
}

/// A record that an ask was put to a partner, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskMadeForm {
    /// The partner organisation's slug.
    pub organisation: String,
    /// When it was asked (YYYY-MM-DD).
    pub asked_on: String,
    #[serde(default)]
    pub answer: String,
    /// When they answered (YYYY-MM-DD), if they have.
    #[serde(default)]
    pub answered_on: String,
    /// Private staff note on the answer, never served. Left out of a
    /// change to an answer, the note is kept as it is.
    #[serde(default)]
    pub note: String,
    /// The answer's version you read: needed to change an answer (a stale
    /// one gets 409); a new record of an ask has none.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A valid record of an ask made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskMadeDraft {
    pub organisation: String,
    pub asked_on: String,
    pub answer: Answer,
    pub answered_on: Option<String>,
    pub note: Option<String>,
}

impl AskMadeForm {
    pub fn validate(&self) -> Result<AskMadeDraft, DomainError> {
        let mut errors = Vec::new();
        let organisation = self.organisation.trim();
        if !crate::place::is_slug(organisation) {
            errors.push(FieldError::new(
                "organisation",
                "Select the organisation that was asked",
            ));
        }
        let asked_on = self.asked_on.trim();
        if !is_iso_date(asked_on) {
            errors.push(FieldError::new(
                "asked_on",
                "Enter the date of the ask as a real date, like 2026-03-27",
            ));
        }
        let answer = match self.answer.trim() {
            "" => Some(Answer::Pending),
            raw => Answer::parse(raw),
        };
        if answer.is_none() {
            errors.push(FieldError::new("answer", "Select an answer from the list"));
        }
        let answered_on = Some(self.answered_on.trim()).filter(|d| !d.is_empty());
        match answered_on {
            Some(d) if !is_iso_date(d) => errors.push(FieldError::new(
                "answered_on",
                "Enter the date of the answer as a real date, like 2026-03-27",
            )),
            Some(d) if is_iso_date(asked_on) && d < asked_on => errors.push(FieldError::new(
                "answered_on",
                "The answer date must be the same as or after the date of the ask",
            )),
            Some(_) if answer == Some(Answer::Pending) => errors.push(FieldError::new(
                "answered_on",
                "Leave the answer date blank while the answer is pending",
            )),
            _ => {}
        }
        let note = Some(self.note.trim()).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > MAX_TEXT) {
            errors.push(FieldError::new(
                "note",
                format!("Note must be {MAX_TEXT} characters or fewer"),
            ));
        }
        match answer {
            Some(answer) if errors.is_empty() => Ok(AskMadeDraft {
                organisation: organisation.to_owned(),
                asked_on: asked_on.to_owned(),
                answer,
                answered_on: answered_on.map(str::to_owned),
                note: note.map(str::to_owned),
            }),
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

// ---------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------

/// The weights of matching, in points. A partner's score is the sum of its
/// factors' points; ties are broken by name so the order is stable.
///
/// * Holding the ask's lever matters most: it is what the ask needs.
/// * A commitment to the ask's mission shows they already care about it.
/// * Working in the ask's ward (only when the ask names one).
/// * The relationship's stage: the further along, the likelier a yes.
/// * Health: a good relationship helps; one at risk should not be asked.
/// * Ask fatigue: a partner asked anything recently loses points, most if
///   asked today, fading to none after [`FATIGUE_DAYS`].
pub mod weights {
    pub const LEVER: i64 = 40;
    pub const MISSION: i64 = 25;
    pub const WARD: i64 = 15;
    pub const HEALTH_GOOD: i64 = 8;
    pub const HEALTH_SOME_CONCERNS: i64 = 2;
    pub const HEALTH_AT_RISK: i64 = -10;
    /// The most a recent ask takes away.
    pub const FATIGUE: i64 = 20;
}

/// After this many days since a partner was last asked, no fatigue.
pub const FATIGUE_DAYS: i64 = 180;

/// Points for each relationship stage.
pub fn stage_points(stage: Option<RelationshipStage>) -> i64 {
    match stage {
        None | Some(RelationshipStage::Ended) | Some(RelationshipStage::Paused) => 0,
        Some(RelationshipStage::Identified) => 2,
        Some(RelationshipStage::WarmConversation) => 6,
        Some(RelationshipStage::Exploring) => 10,
        Some(RelationshipStage::Committed) => 14,
        Some(RelationshipStage::Active) | Some(RelationshipStage::Sustaining) => 16,
    }
}

/// The points fatigue takes for a partner last asked `days` ago (never
/// asked: none). Linear from [`weights::FATIGUE`] today to 0 at
/// [`FATIGUE_DAYS`].
pub fn fatigue_points(days_since_asked: Option<i64>) -> i64 {
    match days_since_asked {
        Some(days) if days < FATIGUE_DAYS => {
            -(weights::FATIGUE * (FATIGUE_DAYS - days.max(0)) / FATIGUE_DAYS)
        }
        _ => 0,
    }
}

/// What matching needs to know about the ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskNeeds {
    pub mission_id: i64,
    pub lever: Lever,
    pub ward: Option<String>,
}

/// What matching knows about one candidate partner (the store gathers it in
/// one query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub organisation_id: i64,
    pub slug: String,
    pub name: String,
    pub holds_lever: bool,
    pub committed_to_mission: bool,
    pub works_in_ward: bool,
    pub stage: Option<RelationshipStage>,
    pub health: Option<Health>,
    /// Days since they were last asked anything; None if never.
    pub days_since_asked: Option<i64>,
}

/// One factor of a match: its name, its points and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Factor {
    pub factor: &'static str,
    pub points: i64,
    pub reason: String,
}

/// A partner ranked for an ask, with the factors that put it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Match {
    pub organisation_id: i64,
    pub slug: String,
    pub name: String,
    pub score: i64,
    pub factors: Vec<Factor>,
}

/// Scores one candidate for an ask, factor by factor.
pub fn score(needs: &AskNeeds, c: &Candidate) -> Match {
    let yes_no = |held: bool, points: i64, yes: String, no: String| Factor {
        factor: "",
        points: if held { points } else { 0 },
        reason: if held { yes } else { no },
    };
    let lever = needs.lever.label();
    let mut factors = vec![
        Factor {
            factor: "Lever",
            ..yes_no(
                c.holds_lever,
                weights::LEVER,
                format!("Holds the lever the ask needs: {lever}"),
                format!("Does not list {lever} among its levers"),
            )
        },
        Factor {
            factor: "Mission",
            ..yes_no(
                c.committed_to_mission,
                weights::MISSION,
                "Has a commitment to the ask's mission".to_owned(),
                "No commitment to the ask's mission".to_owned(),
            )
        },
    ];
    if let Some(ward) = &needs.ward {
        factors.push(Factor {
            factor: "Ward",
            ..yes_no(
                c.works_in_ward,
                weights::WARD,
                format!("Works in {ward}"),
                format!("Does not list {ward} among its wards"),
            )
        });
    }
    factors.push(Factor {
        factor: "Stage",
        points: stage_points(c.stage),
        reason: match c.stage {
            Some(stage) => format!("Relationship stage: {}", stage.label()),
            None => "No relationship recorded".to_owned(),
        },
    });
    factors.push(Factor {
        factor: "Health",
        points: health_points(c.health),
        reason: match c.health {
            Some(health) => format!("Relationship health: {}", health.label()),
            None => "Health not rated".to_owned(),
        },
    });
    factors.push(Factor {
        factor: "Ask fatigue",
        points: fatigue_points(c.days_since_asked),
        reason: match c.days_since_asked {
            None => "Never asked anything".to_owned(),
            Some(0) => "Last asked today".to_owned(),
            Some(1) => "Last asked yesterday".to_owned(),
            Some(days) => format!("Last asked {days} days ago"),
        },
    });
    Match {
        organisation_id: c.organisation_id,
        slug: c.slug.clone(),
        name: c.name.clone(),
        score: factors.iter().map(|f| f.points).sum(),
        factors,
    }
}

/// A candidate's score, the sum of the points [`score`] gives each
/// factor, without writing the reasons: ranking thousands of candidates
/// needs the numbers, and only those kept need the words.
pub fn points(needs: &AskNeeds, c: &Candidate) -> i64 {
    let held = |yes: bool, points: i64| if yes { points } else { 0 };
    held(c.holds_lever, weights::LEVER)
        + held(c.committed_to_mission, weights::MISSION)
        + held(needs.ward.is_some() && c.works_in_ward, weights::WARD)
        + stage_points(c.stage)
        + health_points(c.health)
        + fatigue_points(c.days_since_asked)
}

/// Points for a relationship's health (none if not rated).
pub fn health_points(health: Option<Health>) -> i64 {
    match health {
        Some(Health::Good) => weights::HEALTH_GOOD,
        Some(Health::SomeConcerns) => weights::HEALTH_SOME_CONCERNS,
        Some(Health::AtRisk) => weights::HEALTH_AT_RISK,
        None => 0,
    }
}

/// Ranks candidates for an ask, best first (ties by name, then id),
/// keeping the top `limit`; only those kept are scored factor by factor.
pub fn rank(needs: &AskNeeds, candidates: &[Candidate], limit: usize) -> Vec<Match> {
    let mut ranked: Vec<(i64, &Candidate)> =
        candidates.iter().map(|c| (points(needs, c), c)).collect();
    let order = |a: &(i64, &Candidate), b: &(i64, &Candidate)| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.1.organisation_id.cmp(&b.1.organisation_id))
    };
    if limit < ranked.len() {
        // The best `limit` in any order, then only those sorted.
        ranked.select_nth_unstable_by(limit, order);
        ranked.truncate(limit);
    }
    ranked.sort_by(order);
    ranked.into_iter().map(|(_, c)| score(needs, c)).collect()
}

#[cfg(test)]
#[path = "ask_tests.rs"]
mod tests;

/// Days from one YYYY-MM-DD date to a later one (negative if earlier);
/// None if either is not a real date.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(day_number(to)? - day_number(from)?)
}

/// Days since 1970-01-01 (the civil-from-days inverse, proleptic Gregorian).
fn day_number(date: &str) -> Option<i64> {
    if !is_iso_date(date) {
        return None;
    }
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}
