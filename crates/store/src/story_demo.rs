//! Stories made up to show the service: a few on the Camden demo place's
//! missions, crediting its real partners by name (each flagged
//! `demonstration` and labelled "Demonstration record" on every page and in
//! the feed; never a Camden fact), and stories for generated places at
//! about one per twenty organisations.

use placeweave_domain::Audience;
use placeweave_domain::story::{Consent, ConsentUse, Story, StoryStatus};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::error::Result;
use crate::story::StoryLinks;
use crate::write::Tx;

/// One demonstration story: its missions, themes and credited partners
/// (with what for) by slug.
struct Demo {
    slug: &'static str,
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    missions: &'static [&'static str],
    themes: &'static [&'static str],
    partners: &'static [(&'static str, &'static str)],
    published_on: Option<&'static str>,
    consent: (&'static str, &'static str, &'static [ConsentUse]),
}

/// The consent giver of every demonstration story: plainly not a person.
const NOBODY: &str = "Demonstration consent (no real person)";

const DEMOS: &[Demo] = &[
    Demo {
        slug: "first-paid-placement",
        title: "A first paid placement at the Roundhouse",
        summary: "Demonstration record. A young person from an estate took a paid placement through the youth careers challenge prize.",
        body: "Demonstration record. This story is made up to show how stories look; it is not a Camden fact.\n\nA young person heard about the challenge prize at their youth club, applied for a paid placement in the Roundhouse's production team, and stayed on as a trainee.",
        missions: &["youth-opportunity"],
        themes: &["equality"],
        partners: &[
            ("roundhouse", "Hosted the placement"),
            ("arsenal-fc", "Sponsored the prize"),
        ],
        published_on: Some("2026-07-01"),
        consent: (
            NOBODY,
            "2026-06-20",
            &[ConsentUse::Website, ConsentUse::AnnualReport],
        ),
    },
    Demo {
        slug: "growing-on-the-estate",
        title: "Growing food on the estate",
        summary: "Demonstration record. Residents turned unused estate land into beds that fed their neighbours all summer.",
        body: "Demonstration record. This story is made up to show how stories look; it is not a Camden fact.\n\nWith a small grant and a few tools, residents cleared two plots and grew vegetables shared at a weekly stall.",
        missions: &["eat-well", "healthy-estates"],
        themes: &["health"],
        partners: &[
            ("camden-giving", "Small grants"),
            ("origin-tenants-voices", "Organised the growers"),
        ],
        published_on: Some("2026-09-15"),
        consent: (
            NOBODY,
            "2026-09-01",
            &[ConsentUse::Website, ConsentUse::SocialMedia],
        ),
    },
    Demo {
        slug: "residents-set-the-principles",
        title: "Residents set the principles for diverse boards",
        summary: "Demonstration record. A draft account of the citizens' assembly, waiting for staff to publish it.",
        body: "Demonstration record. This story is made up to show how stories look; it is not a Camden fact.\n\nResidents met over four evenings and wrote six principles for recruiting board members.",
        missions: &["diverse-power"],
        themes: &["equality"],
        partners: &[("ucl", "Evaluated the assembly")],
        published_on: None,
        consent: (NOBODY, "2026-10-10", &[ConsentUse::Website]),
    },
];

fn ids_of(ids: &[(&str, i64)], slugs: &[&str]) -> Vec<i64> {
    slugs
        .iter()
        .filter_map(|slug| ids.iter().find(|(s, _)| s == slug).map(|(_, id)| *id))
        .collect()
}

/// Writes the Camden demonstration stories, given the demo place's
/// missions, themes and organisations (slug and database id).
pub(crate) async fn camden(
    tx: &mut Tx,
    place: i64,
    missions: &[(&str, i64)],
    themes: &[(&str, i64)],
    organisations: &[(&str, i64)],
) -> Result<()> {
    for demo in DEMOS {
        let (given_by, given_on, uses) = demo.consent;
        let story = Story {
            id: demo.slug.into(),
            title: demo.title.into(),
            summary: demo.summary.into(),
            body: demo.body.into(),
            status: match demo.published_on {
                Some(_) => StoryStatus::Published,
                None => StoryStatus::Draft,
            },
            published_on: demo.published_on.map(str::to_owned),
            consent: Some(Consent {
                given_by: given_by.into(),
                given_on: given_on.into(),
                uses: uses.to_vec(),
            }),
            demonstration: true,
            audience: Audience::Public,
            version: 1,
            ..Story::blank()
        };
        let partners = demo
            .partners
            .iter()
            .filter_map(|(slug, credit)| {
                organisations
                    .iter()
                    .find(|(s, _)| s == slug)
                    .map(|(_, id)| (*id, Some((*credit).to_owned())))
            })
            .collect();
        let links = StoryLinks {
            missions: ids_of(missions, demo.missions),
            themes: ids_of(themes, demo.themes),
            partners,
        };
        tx.insert_story(place, &story, &links).await?;
    }
    Ok(())
}

/// Writes about one story per twenty organisations for a generated place:
/// one mission, one theme, one to three partners credited; most published,
/// the rest drafts. Returns how many.
pub(crate) async fn generate(
    tx: &mut Tx,
    rng: &mut ChaCha8Rng,
    place: i64,
    missions: &[i64],
    themes: &[i64],
    organisations: &[i64],
) -> Result<usize> {
    let count = organisations.len() / 20;
    for i in 0..count {
        let published = rng.gen_bool(0.8);
        let mut partners: Vec<i64> = (0..rng.gen_range(1..=3))
            .filter_map(|_| organisations.choose(rng).copied())
            .collect();
        partners.sort_unstable();
        partners.dedup();
        let story = Story {
            id: format!("story-{}", i + 1),
            title: format!("Synthetic story {}", i + 1),
            summary: "Synthetic summary.".into(),
            body: "Synthetic story.".into(),
            status: if published {
                StoryStatus::Published
            } else {
                StoryStatus::Draft
            },
            published_on: published.then(|| format!("2026-{:02}-01", rng.gen_range(1..=12))),
            consent: Some(Consent {
                given_by: "Synthetic consent".into(),
                given_on: "2026-01-01".into(),
                uses: vec![ConsentUse::Website],
            }),
            demonstration: true,
            version: 1,
            ..Story::blank()
        };
        let links = StoryLinks {
            missions: missions.choose(rng).copied().into_iter().collect(),
            themes: themes.choose(rng).copied().into_iter().collect(),
            partners: partners.into_iter().map(|p| (p, None)).collect(),
        };
        tx.insert_story(place, &story, &links).await?;
    }
    Ok(count)
}
