//! Asks made up to show the service: a few on the Camden demo place's
//! missions, put to its real partners by name (each flagged
//! `demonstration` and labelled "Demonstration record" on every page; never
//! a Camden fact), and asks for generated places at about one per hundred
//! organisations, each put to a few partners.

use placeweave_domain::ask::{Answer, AskDraft, AskMadeDraft, AskSize, AskStatus};
use placeweave_domain::vocabulary::Lever;
use placeweave_domain::{Audience, Viewer};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::record::{Write, unix_now};
use crate::sql::sql;
use crate::write::Tx;

/// One demonstration ask, and whom it was put to: partner, date, answer
/// and the date of the answer.
struct Demo {
    slug: &'static str,
    title: &'static str,
    mission: &'static str,
    lever: Lever,
    ward: Option<&'static str>,
    size: fn() -> AskSize,
    status: AskStatus,
    asked: &'static [(&'static str, &'static str, Answer, Option<&'static str>)],
}

const NOTE: &str = "Demonstration record: made up to show the service; not a Camden fact.";

const DEMOS: &[Demo] = &[
    Demo {
        slug: "apprenticeship-places-for-care-leavers",
        title: "Apprenticeship places for care leavers",
        mission: "youth-opportunity",
        lever: Lever::Employment,
        ward: None,
        size: || AskSize::Quantity {
            quantity: 12,
            unit: "apprenticeship places".into(),
        },
        status: AskStatus::Open,
        asked: &[(
            "arsenal-fc",
            "2026-10-20",
            Answer::Maybe,
            Some("2026-11-02"),
        )],
    },
    Demo {
        slug: "host-the-partnership-summit",
        title: "Host the partnership summit",
        mission: "diverse-power",
        lever: Lever::Estates,
        ward: None,
        size: || AskSize::Quantity {
            quantity: 1,
            unit: "venue for a day".into(),
        },
        status: AskStatus::Open,
        asked: &[("british-museum", "2026-11-05", Answer::Pending, None)],
    },
    Demo {
        slug: "sponsor-community-grants",
        title: "Sponsor community grants on estates",
        mission: "healthy-estates",
        lever: Lever::Funding,
        ward: None,
        size: || AskSize::Pounds { pounds: 25_000 },
        status: AskStatus::Filled,
        asked: &[(
            "camden-giving",
            "2026-10-01",
            Answer::Yes,
            Some("2026-10-15"),
        )],
    },
];

/// The Camden demo place's demonstration asks.
pub(crate) async fn camden(tx: &mut Tx, place: i64) -> Result<()> {
    let w = Write {
        place,
        viewer: Viewer::Admin,
        fields: &[],
        actor: None,
        now: unix_now(),
    };
    for demo in DEMOS {
        let draft = AskDraft {
            title: demo.title.into(),
            description: NOTE.into(),
            mission: demo.mission.into(),
            lever: demo.lever,
            ward: demo.ward.map(str::to_owned),
            size: (demo.size)(),
            status: demo.status,
        };
        let ask = tx.insert_ask(&w, demo.slug, &draft, true).await?;
        for (organisation, asked_on, answer, answered_on) in demo.asked {
            let made = AskMadeDraft {
                organisation: (*organisation).into(),
                asked_on: (*asked_on).into(),
                answer: *answer,
                answered_on: answered_on.map(str::to_owned),
                note: Some(NOTE.into()),
            };
            tx.insert_ask_made(&w, ask, &made).await?;
        }
    }
    Ok(())
}

/// About one ask per hundred organisations, each on a random mission and
/// lever and put to one to three partners; returns how many.
pub(crate) async fn generate(
    tx: &mut Tx,
    rng: &mut ChaCha8Rng,
    place: i64,
    missions: &[i64],
    organisations: &[i64],
) -> Result<usize> {
    let count = organisations.len() / 100;
    for i in 0..count {
        let Some(mission) = missions.choose(rng).copied() else {
            return Ok(0);
        };
        let lever = Lever::ALL[rng.gen_range(0..Lever::ALL.len())];
        let open = rng.gen_bool(0.7);
        let ask = tx
            .returning_id(sql!(
                "INSERT INTO ask (place_id, slug, title, mission_id, lever, quantity, unit, \
                 status, demonstration, audience) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9) RETURNING id",
                place,
                format!("ask-{}", i + 1),
                format!("Synthetic ask {}", i + 1),
                mission,
                lever.slug(),
                rng.gen_range(1..=20_i64),
                "places",
                if open { "open" } else { "filled" },
                Audience::Staff.as_str()
            ))
            .await?;
        for _ in 0..rng.gen_range(1..=3) {
            let Some(organisation) = organisations.choose(rng).copied() else {
                continue;
            };
            let answer = Answer::ALL[rng.gen_range(0..Answer::ALL.len())];
            let asked_on = format!(
                "2026-{:02}-{:02}",
                rng.gen_range(1..=10),
                rng.gen_range(1..=28)
            );
            let answered_on = (answer != Answer::Pending).then(|| asked_on.clone());
            tx.exec()
                .execute(sql!(
                    "INSERT INTO ask_made (ask_id, organisation_id, asked_on, answer, answered_on) \
                     VALUES ($1, $2, $3, $4, $5)",
                    ask,
                    organisation,
                    asked_on,
                    answer.slug(),
                    answered_on
                ))
                .await?;
        }
    }
    Ok(count)
}
