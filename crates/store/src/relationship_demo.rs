//! Relationships and interactions for generated places, at the scale the
//! partnership team's pages are measured at: a relationship with about one
//! organisation in two, each with a stage history, and about ten
//! interactions per organisation, one in three with a follow-up, and each
//! roundtable or event with one to three other organisations taking part.
//! Every one is flagged `demonstration` (a generated place is synthetic
//! throughout). Generated places hold no contacts, so no interaction has
//! contacts taking part.

use placeweave_domain::interaction::InteractionKind;
use placeweave_domain::relationship::{Formality, Health, RelationshipStage};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::interaction::NewInteraction;
use crate::relationship::NewRelationship;
use crate::write::Tx;

/// The stages a relationship passes through on the way to `stage`.
const PATH: &[RelationshipStage] = &[
    RelationshipStage::Identified,
    RelationshipStage::WarmConversation,
    RelationshipStage::Exploring,
    RelationshipStage::Committed,
    RelationshipStage::Active,
    RelationshipStage::Sustaining,
];

/// A date in 2025 or 2026 (up to the end of November), as days from 1
/// January 2025.
fn date(day: i64) -> String {
    const MONTHS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut rest = day.clamp(0, 365 + 333);
    let mut year = 2025;
    if rest >= 365 {
        rest -= 365;
        year = 2026;
    }
    let mut month = 0;
    while rest >= MONTHS[month] {
        rest -= MONTHS[month];
        month += 1;
    }
    format!("{year}-{:02}-{:02}", month + 1, rest + 1)
}

/// Writes the relationships and interactions; returns how many of each.
pub(crate) async fn generate(
    tx: &mut Tx,
    rng: &mut ChaCha8Rng,
    place: i64,
    organisations: &[i64],
    missions: &[i64],
) -> Result<(usize, usize)> {
    let mut related: Vec<i64> = organisations.to_vec();
    related.shuffle(rng);
    related.truncate(organisations.len() / 2);
    for &organisation_id in &related {
        let reached = rng.gen_range(0..PATH.len());
        let mut day = rng.gen_range(0..200);
        let mut history = Vec::new();
        for stage in &PATH[..=reached] {
            history.push((*stage, date(day)));
            day += rng.gen_range(10..90);
        }
        let mut stage = PATH[reached];
        if rng.gen_bool(0.05) {
            stage = RelationshipStage::Paused;
            history.push((stage, date(day)));
        }
        tx.insert_relationship(
            place,
            &NewRelationship {
                organisation_id,
                stage,
                formality: *Formality::ALL.choose(rng).unwrap_or(&Formality::Informal),
                health: Health::ALL.choose(rng).copied(),
                health_reason: Some("Synthetic health reason.".into()),
                sensitivities: None,
                demonstration: true,
                owner_ids: vec![],
                mission_ids: missions.choose(rng).copied().into_iter().collect(),
                history,
            },
        )
        .await?;
    }
    let interactions = if related.is_empty() {
        0
    } else {
        organisations.len() * 10
    };
    for _ in 0..interactions {
        let Some(&organisation_id) = related.choose(rng) else {
            break;
        };
        let day = rng.gen_range(0..699);
        let follow_ups = if rng.gen_bool(1.0 / 3.0) {
            let due = date(day + rng.gen_range(7..60));
            vec![(
                "Synthetic follow-up".to_owned(),
                None,
                Some(due),
                rng.gen_bool(0.6),
            )]
        } else {
            vec![]
        };
        let kind = *InteractionKind::ALL
            .choose(rng)
            .unwrap_or(&InteractionKind::Meeting);
        // Roundtables and events bring other partners along.
        let mut other_organisation_ids = Vec::new();
        if matches!(kind, InteractionKind::Roundtable | InteractionKind::Event) {
            for _ in 0..rng.gen_range(1..=3) {
                if let Some(&other) = related.choose(rng)
                    && other != organisation_id
                    && !other_organisation_ids.contains(&other)
                {
                    other_organisation_ids.push(other);
                }
            }
        }
        tx.insert_interaction(
            place,
            &NewInteraction {
                organisation_id,
                other_organisation_ids,
                kind,
                date: date(day),
                staff_ids: vec![],
                contact_ids: vec![],
                summary: Some("Synthetic summary.".into()),
                outcomes: None,
                follow_ups,
                demonstration: true,
            },
        )
        .await?;
    }
    Ok((related.len(), interactions))
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_run_from_2025_to_november_2026() {
        assert_eq!(super::date(0), "2025-01-01");
        assert_eq!(super::date(58), "2025-02-28");
        assert_eq!(super::date(364), "2025-12-31");
        assert_eq!(super::date(365), "2026-01-01");
        assert_eq!(super::date(10_000), "2026-11-30");
    }
}
