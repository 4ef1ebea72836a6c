//! Experiments made up to show the service: a few on the Camden demo
//! place's missions (each flagged `demonstration` and labelled
//! "Demonstration record" on every page; never a Camden fact), and
//! experiments for generated places at about one per ten organisations.

use placeweave_domain::experiment::{
    Decision, Experiment, ExperimentStatus, LearningEntry, Mechanism, ScaleOfInfluence,
};
use placeweave_domain::{Audience, Lever};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::write::Tx;

/// One demonstration experiment: its missions, levers and partners (with
/// their parts) by slug.
struct Demo {
    slug: &'static str,
    name: &'static str,
    hypothesis: &'static str,
    mechanism: Mechanism,
    missions: &'static [&'static str],
    levers: &'static [Lever],
    partners: &'static [(&'static str, &'static str)],
    scale: ScaleOfInfluence,
    budget: Option<i64>,
    status: ExperimentStatus,
    learning: Option<(&'static str, &'static str)>,
    decision: Option<(Decision, &'static str, &'static str)>,
    audience: Audience,
}

const DEMOS: &[Demo] = &[
    Demo {
        slug: "youth-careers-challenge-prize",
        name: "Youth careers challenge prize",
        hypothesis: "Demonstration record. If employers compete to design the best first-job offer for young people from the estates, more young people will take up paid work placements than through advertised schemes.",
        mechanism: Mechanism::ChallengePrize,
        missions: &["youth-opportunity"],
        levers: &[Lever::Employment, Lever::Funding],
        partners: &[("arsenal-fc", "Sponsor"), ("roundhouse", "Host")],
        scale: ScaleOfInfluence::Borough,
        budget: Some(20_000),
        status: ExperimentStatus::Running,
        learning: Some((
            "2026-06-15",
            "Demonstration record. Young people asked for paid placements, not unpaid taster days.",
        )),
        decision: None,
        audience: Audience::Public,
    },
    Demo {
        slug: "estate-food-growing-pilot",
        name: "Estate food growing pilot",
        hypothesis: "Demonstration record. If residents grow food on unused estate land with support, more households will eat fresh vegetables each week.",
        mechanism: Mechanism::Pilot,
        missions: &["eat-well", "healthy-estates"],
        levers: &[Lever::Estates, Lever::Volunteering],
        partners: &[("camden-giving", "Small grants")],
        scale: ScaleOfInfluence::Neighbourhood,
        budget: Some(8_000),
        status: ExperimentStatus::Reviewing,
        learning: Some((
            "2026-09-01",
            "Demonstration record. Two of three sites kept growing through the summer.",
        )),
        decision: Some((
            Decision::Scale,
            "Demonstration record. Both busy sites kept going without staff support.",
            "2026-10-20",
        )),
        audience: Audience::Public,
    },
    Demo {
        slug: "citizens-assembly-on-leadership",
        name: "Citizens' assembly on diverse leadership",
        hypothesis: "Demonstration record. If residents set the recruitment principles for boards, partner boards will adopt them sooner.",
        mechanism: Mechanism::CitizensAssembly,
        missions: &["diverse-power"],
        levers: &[Lever::Networks, Lever::Policy],
        partners: &[("ucl", "Evaluation")],
        scale: ScaleOfInfluence::Borough,
        budget: None,
        status: ExperimentStatus::Designing,
        learning: None,
        decision: None,
        audience: Audience::Public,
    },
    Demo {
        slug: "anchor-procurement-task-and-finish",
        name: "Anchor procurement task and finish group",
        hypothesis: "Demonstration record. If anchor institutions share their buying plans, local suppliers will win more contracts.",
        mechanism: Mechanism::TaskAndFinish,
        missions: &["youth-opportunity"],
        levers: &[Lever::Procurement],
        partners: &[("ucl", "Member")],
        scale: ScaleOfInfluence::Borough,
        budget: None,
        status: ExperimentStatus::Idea,
        learning: None,
        decision: None,
        audience: Audience::Partners,
    },
];

fn id_of(ids: &[(&str, i64)], slug: &str) -> Option<i64> {
    ids.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id)
}

/// Writes the Camden demonstration experiments, given the demo place's
/// missions and organisations (slug and database id).
pub(crate) async fn camden(
    tx: &mut Tx,
    place: i64,
    missions: &[(&str, i64)],
    organisations: &[(&str, i64)],
) -> Result<()> {
    for demo in DEMOS {
        let experiment = Experiment {
            id: demo.slug.into(),
            name: demo.name.into(),
            hypothesis: demo.hypothesis.into(),
            mechanism: demo.mechanism,
            levers: demo.levers.to_vec(),
            scale: Some(demo.scale),
            budget: demo.budget,
            status: demo.status,
            learning: demo
                .learning
                .iter()
                .map(|(date, text)| LearningEntry {
                    date: (*date).into(),
                    text: (*text).into(),
                    author: None,
                })
                .collect(),
            decision: demo.decision.map(|(d, _, _)| d),
            decision_reason: demo.decision.map(|(_, r, _)| r.to_owned()),
            decision_date: demo.decision.map(|(_, _, d)| d.to_owned()),
            demonstration: true,
            audience: demo.audience,
            version: 1,
            ..Experiment::blank()
        };
        let mission_ids: Vec<i64> = demo
            .missions
            .iter()
            .filter_map(|m| id_of(missions, m))
            .collect();
        let partners: Vec<(i64, Option<String>)> = demo
            .partners
            .iter()
            .filter_map(|(org, part)| {
                id_of(organisations, org).map(|id| (id, Some((*part).into())))
            })
            .collect();
        tx.insert_experiment(place, &experiment, &mission_ids, &partners)
            .await?;
    }
    Ok(())
}

/// Writes about one experiment per ten organisations for a generated
/// place: one or two missions, one to three levers, two to five partners;
/// returns how many.
pub(crate) async fn generate(
    tx: &mut Tx,
    rng: &mut ChaCha8Rng,
    place: i64,
    missions: &[i64],
    organisations: &[i64],
) -> Result<usize> {
    let count = organisations.len() / 10;
    for i in 0..count {
        let lever_count = rng.gen_range(1..=3);
        let mut levers: Vec<Lever> = Lever::ALL
            .choose_multiple(rng, lever_count)
            .copied()
            .collect();
        levers.sort();
        let mission_count = rng.gen_range(1..=2_usize).min(missions.len());
        let mut mission_ids: Vec<i64> = missions
            .choose_multiple(rng, mission_count)
            .copied()
            .collect();
        mission_ids.sort_unstable();
        let partner_count = rng.gen_range(2..=5);
        let mut partners: Vec<i64> = (0..partner_count)
            .filter_map(|_| organisations.choose(rng).copied())
            .collect();
        partners.sort_unstable();
        partners.dedup();
        let status = *ExperimentStatus::ALL
            .choose(rng)
            .unwrap_or(&ExperimentStatus::Idea);
        let decision = match status {
            ExperimentStatus::Reviewing | ExperimentStatus::Closed => {
                Decision::ALL.choose(rng).copied()
            }
            _ => None,
        };
        let experiment = Experiment {
            id: format!("experiment-{}", i + 1),
            name: format!("Synthetic experiment {}", i + 1),
            hypothesis: "Synthetic hypothesis.".into(),
            mechanism: *Mechanism::ALL.choose(rng).unwrap_or(&Mechanism::Pilot),
            levers,
            scale: ScaleOfInfluence::ALL.choose(rng).copied(),
            budget: rng.gen_bool(0.5).then(|| rng.gen_range(1..=100) * 1_000),
            status,
            decision,
            decision_reason: decision.map(|_| "Synthetic reason.".to_owned()),
            decision_date: decision.map(|_| "2026-01-01".to_owned()),
            demonstration: true,
            version: 1,
            ..Experiment::blank()
        };
        let partners: Vec<(i64, Option<String>)> =
            partners.into_iter().map(|p| (p, None)).collect();
        tx.insert_experiment(place, &experiment, &mission_ids, &partners)
            .await?;
    }
    Ok(count)
}
