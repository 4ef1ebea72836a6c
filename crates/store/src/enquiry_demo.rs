//! Demonstration enquiries ("Express interest"): two in the Camden demo
//! place's queue, and about one per hundred organisations in a generated
//! place. Made up to show the service, never facts: each is marked as a
//! demonstration record, and its people and addresses are invented, on
//! the reserved `.invalid` domain so no message can ever reach anyone.

use placeweave_domain::Viewer;
use placeweave_domain::enquiry::NewEnquiry;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::record::{Write, unix_now};
use crate::write::Tx;

/// (reference, organisation, person, email, role, mission, message, days ago).
type Demo = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    i64,
);

const DEMOS: &[Demo] = &[
    (
        "ENQ-DEMO01",
        "Demonstration: a Kentish Town bakery",
        "Demonstration enquirer",
        "bakery@demo.placeweave.invalid",
        Some("sponsorship"),
        Some("eat-well"),
        "Demonstration record, not a real enquiry. We would like to offer surplus bread and baking sessions to a community kitchen.",
        2,
    ),
    (
        "ENQ-DEMO02",
        "Demonstration: an architecture practice",
        "Demonstration enquirer",
        "architects@demo.placeweave.invalid",
        Some("advocate-champion"),
        Some("youth-opportunity"),
        "Demonstration record, not a real enquiry. Could we host work experience for young people interested in design?",
        9,
    ),
];

fn writer(place: i64, now: i64) -> Write<'static> {
    Write {
        place,
        viewer: Viewer::Admin,
        fields: &[],
        actor: None,
        now,
    }
}

/// The Camden demo place's demonstration enquiries, new and waiting for
/// triage.
pub(crate) async fn camden(tx: &mut Tx, place: i64) -> Result<()> {
    let now = unix_now();
    for (reference, organisation, name, email, role, mission, message, days) in DEMOS {
        let enquiry = NewEnquiry {
            organisation_name: (*organisation).into(),
            name: (*name).into(),
            email: (*email).into(),
            role: role.map(str::to_owned),
            mission: mission.map(str::to_owned),
            message: (*message).into(),
            demonstration: true,
        };
        let w = writer(place, now - days * 86_400);
        tx.insert_enquiry(&w, &enquiry, reference).await?;
    }
    Ok(())
}

/// About one enquiry per hundred organisations, each about one of the
/// generated missions (`mission-1` …), received over the last 90 days;
/// returns how many.
pub(crate) async fn generate(
    tx: &mut Tx,
    rng: &mut ChaCha8Rng,
    place: i64,
    (organisations, missions): (usize, usize),
) -> Result<usize> {
    let count = organisations / 100;
    let now = unix_now();
    for i in 0..count {
        let mission = (missions > 0).then(|| rng.gen_range(1..=missions));
        let days = rng.gen_range(0..90_i64);
        let enquiry = NewEnquiry {
            organisation_name: format!("Generated enquirer organisation {}", i + 1),
            name: format!("Generated enquirer {}", i + 1),
            email: format!("enquirer-{}@generated.placeweave.invalid", i + 1),
            role: None,
            mission: mission.map(|m| format!("mission-{m}")),
            message: "Generated for a benchmark; not a real enquiry.".into(),
            demonstration: true,
        };
        let reference = format!("ENQ-GEN{place}-{}", i + 1);
        tx.insert_enquiry(&writer(place, now - days * 86_400), &enquiry, &reference)
            .await?;
    }
    Ok(count)
}
