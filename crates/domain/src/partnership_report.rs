//! The partnership team's report, worked out from the dated stage history:
//! how many warm conversations became commitments or active partnerships
//! over a period, and the median days spent in each stage. Pure functions
//! over compact rows, so the answers can be checked by hand.

use std::collections::BTreeMap;

use crate::relationship::RelationshipStage;
use crate::{DomainError, FieldError};

/// How many days without an interaction make a relationship "gone quiet",
/// unless the viewer chooses otherwise.
pub const DEFAULT_QUIET_DAYS: i64 = 60;
/// How many days back another staff member's interaction with the same
/// partner is worth telling someone about.
pub const COORDINATION_DAYS: i64 = 30;
/// The report's period, unless the viewer chooses: the last year.
pub const DEFAULT_PERIOD_DAYS: i64 = 365;

/// One row of a relationship's stage history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRow {
    pub relationship: i64,
    pub stage: RelationshipStage,
    /// ISO 8601 date.
    pub date: String,
}

/// Days since 1970-01-01 of an ISO `YYYY-MM-DD` date, if it is a real one.
pub fn day_number(iso: &str) -> Option<i64> {
    if !crate::edit::is_iso_date(iso) {
        return None;
    }
    let mut parts = iso.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    // Howard Hinnant's days-from-civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The ISO date `days` before `iso` (or `iso` itself if it is not a date).
pub fn days_before(iso: &str, days: i64) -> String {
    match day_number(iso) {
        Some(n) => crate::date::iso_date((n - days) * 86_400),
        None => iso.to_owned(),
    }
}

/// The report's choices, checked: a period and the "gone quiet" threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportQuery {
    pub from: String,
    pub to: String,
    pub quiet_days: i64,
}

impl ReportQuery {
    /// Reads the query string's `from`, `to` (ISO dates) and `quiet_days`
    /// (1 to 3650); empty ones take the defaults (the year to `today`,
    /// 60 days). Each bad one is named.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        quiet_days: Option<&str>,
        today: &str,
    ) -> Result<Self, DomainError> {
        let given = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let mut errors = vec![];
        let to = given(to).unwrap_or_else(|| today.to_owned());
        let from = given(from).unwrap_or_else(|| days_before(&to, DEFAULT_PERIOD_DAYS));
        if day_number(&from).is_none() {
            errors.push(FieldError::new("from", crate::date::problem("From", &from)));
        }
        if day_number(&to).is_none() {
            errors.push(FieldError::new("to", crate::date::problem("To", &to)));
        }
        if errors.is_empty() && from > to {
            errors.push(FieldError::new(
                "to",
                "To must be the same as or after from",
            ));
        }
        let quiet_days = match given(quiet_days) {
            None => DEFAULT_QUIET_DAYS,
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=3650).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(
                        "quiet_days",
                        "Days without an interaction must be a whole number from 1 to 3650",
                    ));
                    DEFAULT_QUIET_DAYS
                }
            },
        };
        if errors.is_empty() {
            Ok(ReportQuery {
                from,
                to,
                quiet_days,
            })
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

/// Conversion over a period and time spent in each stage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversion {
    /// Relationships that entered "warm conversation" in the period.
    pub warm: usize,
    /// Of those, how many later reached "committed" or "active" (by the
    /// end of the history, which may be after the period).
    pub converted: usize,
    /// Per stage reached in the history: (stage, spells counted, median days).
    /// A spell counts when it ended (the next stage was reached) within the
    /// period.
    pub median_days: Vec<(RelationshipStage, usize, f64)>,
}

impl Conversion {
    /// The share converted, as a whole percentage, if any were warm.
    pub fn percent(&self) -> Option<i64> {
        (self.warm > 0).then(|| (self.converted * 100 / self.warm) as i64)
    }
}

/// The median of `values`, or `None` if there are none.
pub fn median(values: &mut [i64]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2] as f64),
        _ => Some((values[n / 2 - 1] + values[n / 2]) as f64 / 2.0),
    }
}

/// Works out the conversion and the median days per stage from `history`
/// (any order) for the period `from` to `to` inclusive (ISO dates).
pub fn conversion(history: &[StageRow], from: &str, to: &str) -> Conversion {
    let mut by_relationship: BTreeMap<i64, Vec<&StageRow>> = BTreeMap::new();
    for row in history {
        by_relationship
            .entry(row.relationship)
            .or_default()
            .push(row);
    }
    let mut warm = 0;
    let mut converted = 0;
    let mut spells: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
    for rows in by_relationship.values_mut() {
        // Stable: rows on the same day keep the order they were recorded in.
        rows.sort_by(|a, b| a.date.cmp(&b.date));
        let entered_warm = rows.iter().position(|r| {
            r.stage == RelationshipStage::WarmConversation
                && r.date.as_str() >= from
                && r.date.as_str() <= to
        });
        if let Some(at) = entered_warm {
            warm += 1;
            if rows[at..].iter().any(|r| {
                matches!(
                    r.stage,
                    RelationshipStage::Committed | RelationshipStage::Active
                )
            }) {
                converted += 1;
            }
        }
        for pair in rows.windows(2) {
            let (this, next) = (pair[0], pair[1]);
            if next.date.as_str() < from || next.date.as_str() > to {
                continue;
            }
            if let (Some(a), Some(b)) = (day_number(&this.date), day_number(&next.date)) {
                spells.entry(this.stage.slug()).or_default().push(b - a);
            }
        }
    }
    let median_days = RelationshipStage::ALL
        .iter()
        .filter_map(|stage| {
            let days = spells.get_mut(stage.slug())?;
            let count = days.len();
            median(days).map(|m| (*stage, count, m))
        })
        .collect();
    Conversion {
        warm,
        converted,
        median_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RelationshipStage::*;

    fn row(relationship: i64, stage: RelationshipStage, date: &str) -> StageRow {
        StageRow {
            relationship,
            stage,
            date: date.into(),
        }
    }

    #[test]
    fn day_numbers_are_calendar_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(day_number("2026-02-30"), None);
        assert_eq!(days_before("2026-03-01", 1), "2026-02-28");
    }

    #[test]
    fn conversion_and_medians_match_the_hand_worked_answers() {
        // 1: warm 2026-01-10, committed 2026-02-09 (30 days warm) — converts.
        // 2: warm 2026-02-01, exploring 2026-02-11 (10 days warm), active
        //    2026-03-13 (30 days exploring) — converts.
        // 3: warm 2026-03-01 and still there — does not convert.
        // 4: warm 2025-12-21, before the period, committed 2026-01-20 (30
        //    days warm) — not in the cohort, but its warm spell ended in
        //    the period.
        // 5: identified 2026-01-01, warm 2026-01-05 (4 days identified),
        //    ended 2026-01-25 (20 days warm) — warm, not converted.
        let history = vec![
            row(1, WarmConversation, "2026-01-10"),
            row(1, Committed, "2026-02-09"),
            row(2, WarmConversation, "2026-02-01"),
            row(2, Exploring, "2026-02-11"),
            row(2, Active, "2026-03-13"),
            row(3, WarmConversation, "2026-03-01"),
            row(4, WarmConversation, "2025-12-21"),
            row(4, Committed, "2026-01-20"),
            row(5, Identified, "2026-01-01"),
            row(5, WarmConversation, "2026-01-05"),
            row(5, Ended, "2026-01-25"),
        ];
        let report = conversion(&history, "2026-01-01", "2026-03-31");
        assert_eq!((report.warm, report.converted), (4, 2));
        assert_eq!(report.percent(), Some(50));
        // Warm spells ending in the period: 30, 10, 30, 20 → median 25.
        assert_eq!(
            report.median_days,
            vec![
                (Identified, 1, 4.0),
                (WarmConversation, 4, 25.0),
                (Exploring, 1, 30.0),
            ]
        );
        // A narrower period: only relationship 2 and 3 enter warm in
        // February–March; only spells ending then count (1's 30 days, 2's
        // 10 and 30).
        let narrow = conversion(&history, "2026-02-01", "2026-03-31");
        assert_eq!((narrow.warm, narrow.converted), (2, 1));
        assert_eq!(
            narrow.median_days,
            vec![(WarmConversation, 2, 20.0), (Exploring, 1, 30.0)]
        );
        assert_eq!(conversion(&[], "2026-01-01", "2026-12-31").percent(), None);
    }

    #[test]
    fn each_bad_choice_is_named() {
        let ok = ReportQuery::parse(None, None, None, "2026-11-30").expect("defaults");
        assert_eq!(ok.from, "2025-11-30");
        assert_eq!(ok.quiet_days, 60);
        let Err(DomainError::Invalid(errors)) =
            ReportQuery::parse(Some("2026-13-01"), Some("soon"), Some("0"), "2026-11-30")
        else {
            panic!("refused");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["from", "to", "quiet_days"]);
        let Err(DomainError::Invalid(errors)) =
            ReportQuery::parse(Some("2026-05-01"), Some("2026-04-01"), None, "2026-11-30")
        else {
            panic!("refused");
        };
        assert_eq!(errors[0].field, "to");
    }
}
