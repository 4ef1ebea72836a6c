//! Experiments: mission-aligned prototypes that test levers with partners
//! — a hypothesis, a mechanism, the missions served and levers tested,
//! the partners and their parts, a dated learning log and a decision
//! (adjust, invest, scale, stop) with its reason. Audience per record, like
//! initiatives; the authors of learning-log entries are shown to staff only.

use serde::Serialize;

use crate::edit::{Absent, Edit, MAX_TEXT, Submitted, is_iso_date};
use crate::error::{DomainError, FieldError};
use crate::initiative::Participant;
use crate::place::{RecordRef, is_slug};
use crate::visibility::{Audience, Redact, Viewer};
use crate::vocabulary::{Lever, vocabulary};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Experiment {
    pub id: String,
    pub name: String,
    /// What the experiment expects to find: "If we…, then…".
    pub hypothesis: String,
    pub mechanism: Mechanism,
    pub missions: Vec<RecordRef>,
    pub levers: Vec<Lever>,
    /// The organisations taking part, each with its part (`role`).
    pub participants: Vec<Participant>,
    pub scale: Option<ScaleOfInfluence>,
    /// Whole pounds sterling.
    pub budget: Option<i64>,
    /// ISO 8601 dates.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: ExperimentStatus,
    /// What was learnt, oldest first.
    pub learning: Vec<LearningEntry>,
    pub decision: Option<Decision>,
    pub decision_reason: Option<String>,
    /// ISO 8601 date the decision was taken.
    pub decision_date: Option<String>,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// One entry of an experiment's learning log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LearningEntry {
    /// ISO 8601 date.
    pub date: String,
    pub text: String,
    /// Who wrote it: shown to staff only (it names a member of staff).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// Who reads the authors of learning-log entries.
pub const AUTHOR_AUDIENCE: Audience = Audience::Staff;

impl Redact for Experiment {
    fn redact_for(mut self, viewer: Viewer) -> Self {
        for entry in &mut self.learning {
            entry.author = viewer.reveal(AUTHOR_AUDIENCE, entry.author.take());
        }
        self
    }
}

vocabulary!(
    /// How an experiment is run.
    Mechanism {
        ChallengePrize => ("challenge-prize", "Challenge prize"),
        ImpactPartnership => ("impact-partnership", "Impact partnership"),
        CitizensAssembly => ("citizens-assembly", "Citizens' assembly"),
        TaskAndFinish => ("task-and-finish-group", "Task and finish group"),
        Pilot => ("pilot", "Pilot"),
        PeerChallenge => ("peer-challenge", "Peer challenge"),
        Other => ("other", "Other"),
    }
);

vocabulary!(
    /// How far an experiment means to have influence.
    ScaleOfInfluence {
        Neighbourhood => ("neighbourhood", "Neighbourhood"),
        Borough => ("borough", "Borough"),
        National => ("national", "National"),
        International => ("international", "International"),
    }
);

vocabulary!(
    /// Where an experiment stands.
    ExperimentStatus {
        Idea => ("idea", "Idea"),
        Designing => ("designing", "Designing"),
        Running => ("running", "Running"),
        Reviewing => ("reviewing", "Reviewing"),
        Closed => ("closed", "Closed"),
    }
);

vocabulary!(
    /// What was decided after reviewing an experiment.
    Decision {
        Adjust => ("adjust", "Adjust"),
        Invest => ("invest", "Invest"),
        Scale => ("scale", "Scale"),
        Stop => ("stop", "Stop"),
    }
);

impl Experiment {
    /// A new, empty experiment: an idea, seen by everyone.
    pub fn blank() -> Self {
        Experiment {
            id: String::new(),
            name: String::new(),
            hypothesis: String::new(),
            mechanism: Mechanism::Pilot,
            missions: vec![],
            levers: vec![],
            participants: vec![],
            scale: None,
            budget: None,
            start_date: None,
            end_date: None,
            status: ExperimentStatus::Idea,
            learning: vec![],
            decision: None,
            decision_reason: None,
            decision_date: None,
            demonstration: false,
            audience: Audience::Public,
            version: 0,
        }
    }
}

impl Experiment {
    /// The budget as pages show it: "£25,000".
    pub fn budget_text(&self) -> Option<String> {
        let digits = self.budget?.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        Some(format!("£{out}"))
    }
}

/// A row of the portfolio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ExperimentSummary {
    pub id: String,
    pub name: String,
    pub hypothesis: String,
    pub mechanism: Mechanism,
    pub scale: Option<ScaleOfInfluence>,
    /// Whole pounds sterling.
    pub budget: Option<i64>,
    /// ISO 8601 dates.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: ExperimentStatus,
    pub decision: Option<Decision>,
    pub decision_reason: Option<String>,
    pub demonstration: bool,
}

/// The portfolio's filters, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExperimentFilter {
    pub mission: Option<String>,
    pub lever: Option<Lever>,
    pub status: Option<ExperimentStatus>,
}

impl ExperimentFilter {
    /// Reads the filters as a query string sends them; a blank one is no
    /// filter, and each bad one is named.
    pub fn parse(
        mission: Option<&str>,
        lever: Option<&str>,
        status: Option<&str>,
    ) -> Result<Self, DomainError> {
        let given = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let mut errors = Vec::new();
        let mut filter = ExperimentFilter::default();
        if let Some(raw) = given(mission) {
            if is_slug(&raw) {
                filter.mission = Some(raw);
            } else {
                errors.push(FieldError::new("mission", "Select a mission from the list"));
            }
        }
        if let Some(raw) = given(lever) {
            filter.lever = Lever::parse(&raw);
            if filter.lever.is_none() {
                errors.push(FieldError::new("lever", "Select a lever from the list"));
            }
        }
        if let Some(raw) = given(status) {
            filter.status = ExperimentStatus::parse(&raw);
            if filter.status.is_none() {
                errors.push(FieldError::new("status", "Select a status from the list"));
            }
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    /// The filters as a query string (without `page`), for links.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = &self.mission {
            parts.push(format!("mission={m}"));
        }
        if let Some(l) = self.lever {
            parts.push(format!("lever={}", l.slug()));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.slug()));
        }
        parts.join("&")
    }
}

/// One cell of the mission × lever grid: how many experiments the viewer
/// may see serve the mission and test the lever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GridCell {
    pub lever: Lever,
    pub experiments: i64,
}

/// One row of the grid: a mission and a cell for every lever, in the
/// vocabulary's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GridRow {
    pub mission: RecordRef,
    pub cells: Vec<GridCell>,
}

/// Builds the grid from counts of (mission id, lever, experiments): every
/// mission gets a cell for every lever, zero where nothing is tested.
pub fn grid(missions: Vec<RecordRef>, counts: &[(String, Lever, i64)]) -> Vec<GridRow> {
    missions
        .into_iter()
        .map(|mission| {
            let cells = Lever::ALL
                .iter()
                .map(|lever| GridCell {
                    lever: *lever,
                    experiments: counts
                        .iter()
                        .filter(|(m, l, _)| *m == mission.id && l == lever)
                        .map(|(_, _, n)| *n)
                        .sum(),
                })
                .collect();
            GridRow { mission, cells }
        })
        .collect()
}

const MAX_NAME: usize = 200;
/// Up to a billion pounds: larger is a typing mistake.
const MAX_BUDGET: i64 = 1_000_000_000;

/// Applies an edit to an experiment. The learning log is added to by its
/// own use case, never through an edit.
pub fn apply_to_experiment(
    current: &Experiment,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Experiment, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    if let Some(v) = edit.required("name", MAX_NAME, "Enter the experiment's name") {
        next.name = v;
    }
    if let Some(v) = edit.required(
        "hypothesis",
        MAX_TEXT,
        "Enter the hypothesis: what you expect to happen, and why",
    ) {
        next.hypothesis = v;
    }
    edit.term(
        "mechanism",
        &mut next.mechanism,
        Mechanism::parse,
        "Select how the experiment is run",
    );
    edit.references("missions", &mut next.missions);
    if edit.touched("levers") {
        let mut levers = Vec::new();
        for raw in submitted.all("levers") {
            match Lever::parse(raw) {
                Some(lever) if !levers.contains(&lever) => levers.push(lever),
                Some(_) => {}
                None => {
                    edit.error("levers", "Select levers from the list");
                    break;
                }
            }
        }
        levers.sort();
        next.levers = levers;
    }
    edit.participants(&mut next.participants);
    if edit.touched("scale") {
        let raw = edit.value("scale");
        next.scale = ScaleOfInfluence::parse(raw);
        if next.scale.is_none() && !raw.is_empty() {
            edit.error("scale", "Select the scale of influence from the list");
        }
    }
    if edit.touched("budget") {
        let raw = edit.value("budget").replace([',', '£'], "");
        next.budget = None;
        if !raw.trim().is_empty() {
            match raw.trim().parse::<i64>() {
                Ok(pounds) if (0..=MAX_BUDGET).contains(&pounds) => next.budget = Some(pounds),
                _ => edit.error(
                    "budget",
                    "Budget must be a whole number of pounds from 0 to 1,000,000,000, like 25000",
                ),
            }
        }
    }
    edit.dates(&mut next.start_date, &mut next.end_date);
    edit.term(
        "status",
        &mut next.status,
        ExperimentStatus::parse,
        "Select the experiment's status",
    );
    apply_decision(&mut edit, &mut next);
    edit.audience(&mut next.audience);
    edit.finish(next)
}

/// The decision, its reason and its date go together: all three or none.
fn apply_decision(edit: &mut Edit, next: &mut Experiment) {
    if edit.touched("decision") {
        let raw = edit.value("decision");
        next.decision = Decision::parse(raw);
        if next.decision.is_none() && !raw.is_empty() {
            edit.error("decision", "Select adjust, invest, scale or stop");
        }
    }
    edit.text("decision_reason", MAX_TEXT, &mut next.decision_reason);
    if edit.touched("decision_date") {
        let raw = edit.value("decision_date");
        next.decision_date = is_iso_date(raw).then(|| raw.to_owned());
        if next.decision_date.is_none() && !raw.is_empty() {
            edit.error(
                "decision_date",
                crate::date::problem("Date of the decision", raw),
            );
        }
    }
    let touched = ["decision", "decision_reason", "decision_date"]
        .iter()
        .any(|f| edit.touched(f));
    if !touched || edit.has_errors() {
        return;
    }
    if next.decision.is_some() {
        if next.decision_reason.is_none() {
            edit.error("decision_reason", "Say why this was decided");
        }
        if next.decision_date.is_none() {
            edit.error("decision_date", "Enter the date of the decision");
        }
    } else if next.decision_reason.is_some() || next.decision_date.is_some() {
        edit.error(
            "decision",
            "Select the decision, or leave its reason and date empty",
        );
    }
}

/// Checks a learning-log entry: a real date and some text.
pub fn learning_entry(date: &str, text: &str) -> Result<(String, String), DomainError> {
    let mut errors = Vec::new();
    let date = date.trim();
    if date.is_empty() {
        errors.push(FieldError::new("date", "Enter the date of what was learnt"));
    } else if !is_iso_date(date) {
        errors.push(FieldError::new("date", crate::date::problem("Date", date)));
    }
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new("text", "Enter what was learnt"));
    } else if text.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(
            "text",
            format!("Must be {MAX_TEXT} characters or fewer"),
        ));
    } else if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        errors.push(FieldError::new(
            "text",
            "Must not contain control characters",
        ));
    }
    if errors.is_empty() {
        Ok((date.to_owned(), text.to_owned()))
    } else {
        Err(DomainError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{AccountRole, Principal, Resource, settable_fields};

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn staff() -> &'static [&'static str] {
        settable_fields(
            &Principal::Account {
                id: 1,
                role: AccountRole::Staff,
                place: Some(1),
                organisation: None,
            },
            Resource::Experiment,
        )
    }

    #[test]
    fn a_decision_needs_its_reason_and_date() {
        let sent = pairs(&[("version", "0"), ("decision", "scale")]);
        let Err(DomainError::Invalid(errors)) = apply_to_experiment(
            &Experiment::blank(),
            &Submitted::new(&sent),
            staff(),
            Absent::MeansUnchanged,
        ) else {
            panic!("a decision without a reason must be refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["decision_reason", "decision_date"]);
        let sent = pairs(&[
            ("version", "0"),
            ("decision", "scale"),
            ("decision_reason", "Worked in two wards"),
            ("decision_date", "2026-10-01"),
        ]);
        let next = apply_to_experiment(
            &Experiment::blank(),
            &Submitted::new(&sent),
            staff(),
            Absent::MeansUnchanged,
        )
        .expect("a whole decision");
        assert_eq!(next.decision, Some(Decision::Scale));
    }

    #[test]
    fn budgets_and_levers_are_checked() {
        let sent = pairs(&[("version", "0"), ("budget", "lots"), ("levers", "bribery")]);
        let Err(DomainError::Invalid(errors)) = apply_to_experiment(
            &Experiment::blank(),
            &Submitted::new(&sent),
            staff(),
            Absent::MeansUnchanged,
        ) else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["levers", "budget"]);
    }

    #[test]
    fn the_grid_has_a_cell_for_every_lever_and_zero_where_untested() {
        let missions = vec![
            RecordRef {
                id: "a".into(),
                name: "A".into(),
            },
            RecordRef {
                id: "b".into(),
                name: "B".into(),
            },
        ];
        let rows = grid(missions, &[("a".into(), Lever::Data, 2)]);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.cells.len() == Lever::ALL.len()));
        let tested: Vec<(&str, Lever, i64)> = rows
            .iter()
            .flat_map(|r| {
                r.cells
                    .iter()
                    .filter(|c| c.experiments > 0)
                    .map(|c| (r.mission.id.as_str(), c.lever, c.experiments))
            })
            .collect();
        assert_eq!(tested, [("a", Lever::Data, 2)]);
    }

    #[test]
    fn budgets_are_shown_in_pounds_with_thousands() {
        let mut e = Experiment::blank();
        assert_eq!(e.budget_text(), None);
        for (pounds, shown) in [
            (0, "£0"),
            (950, "£950"),
            (15_000, "£15,000"),
            (1_000_000, "£1,000,000"),
        ] {
            e.budget = Some(pounds);
            assert_eq!(e.budget_text().as_deref(), Some(shown));
        }
    }

    #[test]
    fn authors_are_for_staff() {
        let mut e = Experiment::blank();
        e.learning.push(LearningEntry {
            date: "2026-01-01".into(),
            text: "Learnt".into(),
            author: Some("Sam".into()),
        });
        assert!(
            e.clone().redact_for(Viewer::Partner).learning[0]
                .author
                .is_none()
        );
        assert!(e.redact_for(Viewer::Staff).learning[0].author.is_some());
    }
}
