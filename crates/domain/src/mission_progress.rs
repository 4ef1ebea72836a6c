//! A mission's progress against its target year, as people decided it:
//! on track or at risk before the year is out; achieved or not achieved
//! once it has passed. Never inferred: a mission with nothing recorded says
//! so ("Target year 2025 has passed: no decision recorded").

use serde::Serialize;

use crate::edit::is_iso_date;
use crate::error::{DomainError, FieldError};
use crate::vocabulary::vocabulary;

vocabulary!(
    /// How a mission stands against its target year.
    Progress {
        OnTrack => ("on-track", "On track"),
        AtRisk => ("at-risk", "At risk"),
        Achieved => ("achieved", "Achieved"),
        NotAchieved => ("not-achieved", "Not achieved"),
    }
);

/// What was decided about a mission's progress, by whom and when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MissionProgress {
    pub progress: Option<Progress>,
    /// The person or body who decided, as they are to be named.
    pub decided_by: Option<String>,
    /// ISO 8601 date of the decision.
    pub decided_at: Option<String>,
    pub note: Option<String>,
}

/// How the mission page shows progress: a headline and whether it is a
/// decision someone recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ProgressSummary {
    pub headline: String,
    pub recorded: bool,
    /// Whether the target year is over.
    pub passed: bool,
}

impl MissionProgress {
    /// The headline for a mission with `target_year`, in `current_year`.
    pub fn summary(&self, target_year: Option<i32>, current_year: i32) -> ProgressSummary {
        let passed = target_year.is_some_and(|y| current_year > y);
        let (headline, recorded) = match (target_year, self.progress, passed) {
            (Some(y), Some(p @ (Progress::Achieved | Progress::NotAchieved)), true) => (
                format!("Target year {y} has passed: {}", p.label().to_lowercase()),
                true,
            ),
            (Some(y), _, true) => (
                format!("Target year {y} has passed: no decision recorded"),
                false,
            ),
            (_, Some(p), _) => (p.label().to_owned(), true),
            (Some(y), None, false) => (
                format!("Target year {y}: no progress assessment recorded"),
                false,
            ),
            (None, None, _) => ("No target year and no progress recorded".to_owned(), false),
        };
        ProgressSummary {
            headline,
            recorded,
            passed,
        }
    }
}

const MAX_BY: usize = 200;
const MAX_NOTE: usize = 500;

/// Reads the progress form: a status that fits whether the target year
/// has passed, who decided, a date not after `today`, and a short note.
pub fn parse_progress(
    pairs: &[(String, String)],
    target_year: Option<i32>,
    today: &str,
) -> Result<MissionProgress, DomainError> {
    let one = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    for (field, _) in pairs {
        if !["progress", "decided_by", "decided_at", "note"].contains(&field.as_str()) {
            errors.push(FieldError::new(
                field.clone(),
                format!("Your account cannot change {field}"),
            ));
        }
    }
    let current_year: i32 = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let passed = target_year.is_some_and(|y| current_year > y);
    let progress = Progress::parse(one("progress"));
    match progress {
        None => errors.push(FieldError::new("progress", "Select how the mission stands")),
        Some(Progress::OnTrack | Progress::AtRisk) if passed => errors.push(FieldError::new(
            "progress",
            "The target year has passed: select achieved or not achieved",
        )),
        Some(Progress::NotAchieved) if !passed => errors.push(FieldError::new(
            "progress",
            "The target year has not passed yet: select on track, at risk or achieved",
        )),
        Some(_) => {}
    }
    let text = |field: &str, max: usize, errors: &mut Vec<FieldError>| {
        let value = one(field);
        if value.chars().any(|c| c.is_control()) {
            errors.push(FieldError::new(
                field,
                "Must not contain control characters",
            ));
            None
        } else if value.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("Must be {max} characters or fewer"),
            ));
            None
        } else {
            (!value.is_empty()).then(|| value.to_owned())
        }
    };
    let decided_by = text("decided_by", MAX_BY, &mut errors);
    if decided_by.is_none() && errors.iter().all(|e| e.field != "decided_by") {
        errors.push(FieldError::new(
            "decided_by",
            "Enter who decided, such as the partnership board",
        ));
    }
    let raw = one("decided_at");
    let decided_at = is_iso_date(raw).then(|| raw.to_owned());
    match &decided_at {
        None if raw.is_empty() => errors.push(FieldError::new(
            "decided_at",
            "Enter the date of the decision",
        )),
        None => errors.push(FieldError::new(
            "decided_at",
            crate::date::problem("Date of the decision", raw),
        )),
        Some(date) if date.as_str() > today => errors.push(FieldError::new(
            "decided_at",
            "Date of the decision must be today or in the past",
        )),
        Some(_) => {}
    }
    let note = text("note", MAX_NOTE, &mut errors);
    if errors.is_empty() {
        Ok(MissionProgress {
            progress,
            decided_by,
            decided_at,
            note,
        })
    } else {
        Err(DomainError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_recorded_is_said_plainly() {
        let none = MissionProgress::default();
        assert_eq!(
            none.summary(Some(2025), 2026).headline,
            "Target year 2025 has passed: no decision recorded"
        );
        assert!(!none.summary(Some(2030), 2026).recorded);
        let achieved = MissionProgress {
            progress: Some(Progress::Achieved),
            ..Default::default()
        };
        assert_eq!(
            achieved.summary(Some(2025), 2026).headline,
            "Target year 2025 has passed: achieved"
        );
        let stale = MissionProgress {
            progress: Some(Progress::OnTrack),
            ..Default::default()
        };
        assert_eq!(
            stale.summary(Some(2025), 2026).headline,
            "Target year 2025 has passed: no decision recorded"
        );
    }

    #[test]
    fn the_status_must_fit_the_year() {
        let form = |p: &str| {
            vec![
                ("progress".to_owned(), p.to_owned()),
                ("decided_by".to_owned(), "Partnership board".to_owned()),
                ("decided_at".to_owned(), "2026-11-01".to_owned()),
            ]
        };
        assert!(parse_progress(&form("on-track"), Some(2025), "2026-11-30").is_err());
        assert!(parse_progress(&form("not-achieved"), Some(2025), "2026-11-30").is_ok());
        assert!(parse_progress(&form("not-achieved"), Some(2030), "2026-11-30").is_err());
        assert!(parse_progress(&form("at-risk"), Some(2030), "2026-11-30").is_ok());
        let Err(DomainError::Invalid(errors)) =
            parse_progress(&form("at-risk"), Some(2030), "2026-10-01")
        else {
            panic!("a decision dated after today is refused");
        };
        assert_eq!(errors[0].field, "decided_at");
    }
}
