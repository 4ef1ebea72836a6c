//! Synthetic places of realistic shape for scale work: many small community
//! organisations and a few large anchors, wards, levers, and initiatives whose
//! participation is heavy-tailed (a few hubs take part in much). Seeded, so the
//! same options always give the same place.

use placeweave_domain::commitment::CommitmentStatus;
use placeweave_domain::place::slugify;
use placeweave_domain::vocabulary::{Hardness, OrganisationKind as Kind, Reach, Scope, SizeBand};
use placeweave_domain::{
    Audience, Initiative, Lever, LeverUse, Mission, Organisation, OutcomeTheme, Place, Role,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Store;
use crate::commitment::NewCommitment;
use crate::error::Result;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub organisations: usize,
    pub seed: u64,
    /// The new place's slug; defaults to `synthetic-<seed>`.
    pub place_slug: Option<String>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub place: String,
    pub organisations: usize,
    pub initiatives: usize,
    pub participations: usize,
    pub commitments: usize,
    pub experiments: usize,
    pub stories: usize,
    pub asks: usize,
    pub enquiries: usize,
    pub measures: usize,
    pub relationships: usize,
    pub interactions: usize,
}

/// Kinds with their relative frequency in a typical borough.
const KINDS: &[(Kind, u32)] = &[
    (Kind::CommunityGroup, 250),
    (Kind::VoluntaryCommunity, 200),
    (Kind::Employer, 200),
    (Kind::SocialEnterprise, 70),
    (Kind::School, 50),
    (Kind::FaithGroup, 40),
    (Kind::TenantsGroup, 40),
    (Kind::Cultural, 30),
    (Kind::PublicSpace, 20),
    (Kind::HousingAssociation, 20),
    (Kind::Health, 20),
    (Kind::Developer, 10),
    (Kind::Funder, 10),
    (Kind::Network, 10),
    (Kind::University, 5),
    (Kind::AnchorInstitution, 5),
];

const WARDS: usize = 20;
const BATCH: usize = 5_000;
const FIRST: &[&str] = &[
    "Northgate",
    "Riverside",
    "Hillview",
    "Parkside",
    "Eastfield",
    "Westbrook",
    "Kingsway",
    "Market",
    "Canal",
    "Chalk",
    "Elm",
    "Station",
    "Victoria",
    "Orchard",
    "Bridge",
    "Meadow",
];
const SECOND: &[&str] = &[
    "Youth",
    "Food",
    "Arts",
    "Health",
    "Learning",
    "Community",
    "Tenants",
    "Green",
    "Works",
    "Music",
    "Sports",
    "Digital",
    "Care",
    "Heritage",
    "Makers",
    "Neighbours",
];

fn suffix(kind: Kind) -> &'static str {
    match kind {
        Kind::CommunityGroup => "Group",
        Kind::VoluntaryCommunity => "Trust",
        Kind::Employer => "Ltd",
        Kind::SocialEnterprise => "CIC",
        Kind::School => "School",
        Kind::FaithGroup => "Fellowship",
        Kind::TenantsGroup => "Tenants' Association",
        Kind::Cultural => "Gallery",
        Kind::PublicSpace => "Library",
        Kind::HousingAssociation => "Homes",
        Kind::Health => "Health Centre",
        Kind::Developer => "Estates",
        Kind::Funder => "Foundation",
        Kind::Network => "Network",
        Kind::University => "University",
        Kind::AnchorInstitution => "Institute",
        Kind::Council => "Council",
        Kind::Other => "Collective",
    }
}

fn pick_kind(rng: &mut ChaCha8Rng) -> Kind {
    let total: u32 = KINDS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.gen_range(0..total);
    for (kind, weight) in KINDS {
        if roll < *weight {
            return *kind;
        }
        roll -= weight;
    }
    Kind::Other
}

fn ward_name(i: usize) -> String {
    format!("Ward {:02}", i + 1)
}

fn organisation(rng: &mut ChaCha8Rng, index: usize) -> Organisation {
    let kind = pick_kind(rng);
    let big = matches!(
        kind,
        Kind::University | Kind::AnchorInstitution | Kind::Health | Kind::HousingAssociation
    );
    let size_band = if big {
        SizeBand::Large
    } else {
        *[
            SizeBand::Micro,
            SizeBand::Micro,
            SizeBand::Small,
            SizeBand::Medium,
        ]
        .choose(rng)
        .unwrap_or(&SizeBand::Micro)
    };
    let scope = if big {
        *[Scope::Borough, Scope::National, Scope::International]
            .choose(rng)
            .unwrap_or(&Scope::Borough)
    } else {
        *[Scope::Neighbourhood, Scope::Neighbourhood, Scope::Borough]
            .choose(rng)
            .unwrap_or(&Scope::Neighbourhood)
    };
    let ward_count = if scope == Scope::Neighbourhood {
        1
    } else {
        rng.gen_range(1..=3)
    };
    let mut wards: Vec<String> = (0..ward_count)
        .map(|_| ward_name(rng.gen_range(0..WARDS)))
        .collect();
    wards.sort();
    wards.dedup();
    let lever_count = rng.gen_range(1..=4);
    let mut levers: Vec<Lever> = Lever::ALL
        .choose_multiple(rng, lever_count)
        .copied()
        .collect();
    levers.sort();
    let name = format!(
        "{} {} {}",
        FIRST.choose(rng).unwrap_or(&"Local"),
        SECOND.choose(rng).unwrap_or(&"Community"),
        suffix(kind)
    );
    Organisation {
        id: format!("{}-{index}", slugify(&name)),
        name,
        kind,
        size_band: Some(size_band),
        scope: Some(scope),
        wards,
        identifiers: vec![],
        is_anchor: big && rng.gen_bool(0.5),
        levers: levers
            .into_iter()
            .map(|lever| LeverUse {
                lever,
                hardness: Hardness::ALL.choose(rng).copied(),
                reach: Reach::ALL.choose(rng).copied(),
                detail: None,
            })
            .collect(),
        description: Some("Synthetic organisation for scale testing.".into()),
        website: None,
        internal_notes: None,
        audience: Audience::Public,
        version: 1,
    }
}

/// How many organisations take part in one initiative: Pareto-distributed
/// (minimum 2, shape 1.2), so most initiatives are small and a few are very large.
fn initiative_size(rng: &mut ChaCha8Rng, organisations: usize) -> usize {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let size = (2.0 / u.powf(1.0 / 1.2)).floor() as usize;
    size.clamp(2, organisations.clamp(2, 2_000))
}

/// Picks a participant, favouring low indices so that some organisations
/// become hubs (a heavy-tailed degree distribution).
fn preferential(rng: &mut ChaCha8Rng, organisations: usize) -> usize {
    let u: f64 = rng.r#gen();
    ((organisations as f64) * u.powf(3.0)) as usize % organisations.max(1)
}

/// Writes a synthetic place in one transaction, calling `progress(done, total)`
/// as organisations are written.
pub async fn generate(
    store: &Store,
    options: &Options,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Report> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let slug = options
        .place_slug
        .clone()
        .unwrap_or_else(|| format!("synthetic-{}", options.seed));
    let mut tx = store.begin().await?;
    let place = tx
        .insert_place(&Place {
            id: slug.clone(),
            name: format!("Synthetic place {}", options.seed),
            convening_organisation: "Synthetic council".into(),
            description: Some("Generated for scale testing; nothing here is a fact.".into()),
            synthetic: true,
            audience: Audience::Public,
        })
        .await?;

    let total = options.organisations;
    let mut org_ids = Vec::with_capacity(total);
    let mut index = 0;
    while index < total {
        let end = (index + BATCH).min(total);
        let batch: Vec<Organisation> = (index..end).map(|i| organisation(&mut rng, i)).collect();
        org_ids.extend(tx.insert_organisations(place, &batch).await?);
        index = end;
        progress(index as u64, total as u64);
    }

    let mut theme_ids = Vec::new();
    for (i, name) in ["Safety", "Equality", "Health"].iter().enumerate() {
        let theme = OutcomeTheme {
            id: slugify(name),
            name: (*name).into(),
            description: None,
            is_core: true,
            audience: Audience::Public,
            version: 1,
        };
        theme_ids.push(tx.insert_outcome_theme(place, &theme, i as i64).await?);
    }
    let mut mission_ids = Vec::new();
    for i in 0..4_usize {
        let mission = Mission {
            id: format!("mission-{}", i + 1),
            short_name: format!("Synthetic mission {}", i + 1),
            statement: format!("Synthetic mission statement {}.", i + 1),
            target_year: Some(2030),
            outcome_themes: vec![],
            audience: Audience::Public,
            version: 1,
        };
        let themes = [theme_ids[i % theme_ids.len()]];
        mission_ids.push(
            tx.insert_mission(place, &mission, i as i64, &themes)
                .await?,
        );
    }
    let mut role_ids = Vec::new();
    for i in 0..4_usize {
        let role = Role {
            id: format!("role-{}", i + 1),
            name: format!("Synthetic role {}", i + 1),
            description: "Synthetic role.".into(),
            ask_of_partner: "Synthetic ask.".into(),
            value_for_place: "Synthetic value.".into(),
            value_for_partner: "Synthetic value.".into(),
            contact: None,
            audience: Audience::Public,
            version: 1,
        };
        role_ids.push(tx.insert_role(place, &role, i as i64).await?);
    }

    let mut participations = 0;
    let initiative_count = if total == 0 { 0 } else { (total / 40).max(3) };
    for i in 0..initiative_count {
        let size = initiative_size(&mut rng, total);
        let mut members: Vec<usize> = (0..size).map(|_| preferential(&mut rng, total)).collect();
        members.sort_unstable();
        members.dedup();
        let participants: Vec<(i64, Option<String>)> =
            members.iter().map(|m| (org_ids[*m], None)).collect();
        participations += participants.len();
        let missions = [mission_ids[rng.gen_range(0..mission_ids.len())]];
        let initiative = Initiative {
            id: format!("initiative-{}", i + 1),
            name: format!("Synthetic initiative {}", i + 1),
            description: None,
            website: None,
            missions: vec![],
            participants: vec![],
            audience: Audience::Public,
            version: 1,
        };
        tx.insert_initiative(place, &initiative, &missions, &participants)
            .await?;
    }

    let commitments = total / 100;
    for _ in 0..commitments {
        let commitment = NewCommitment {
            organisation_id: org_ids[preferential(&mut rng, total)],
            role_id: Some(role_ids[rng.gen_range(0..role_ids.len())]),
            mission_id: Some(mission_ids[rng.gen_range(0..mission_ids.len())]),
            status: *CommitmentStatus::ALL
                .choose(&mut rng)
                .unwrap_or(&CommitmentStatus::Active),
            review: placeweave_domain::commitment::Review::Accepted,
            start_date: None,
            end_date: None,
            note: None,
            demonstration: true,
            audience: Audience::Public,
        };
        tx.insert_commitment(place, &commitment).await?;
    }
    let experiments =
        crate::experiment_demo::generate(&mut tx, &mut rng, place, &mission_ids, &org_ids).await?;
    let stories =
        crate::story_demo::generate(&mut tx, &mut rng, place, &mission_ids, &theme_ids, &org_ids)
            .await?;
    let asks = crate::ask_demo::generate(&mut tx, &mut rng, place, &mission_ids, &org_ids).await?;
    let enquiries =
        crate::enquiry_demo::generate(&mut tx, &mut rng, place, (total, mission_ids.len())).await?;
    let (relationships, interactions) =
        crate::relationship_demo::generate(&mut tx, &mut rng, place, &org_ids, &mission_ids)
            .await?;
    // Values for every ward of the first five, and the place as a whole.
    let value_wards: Vec<String> = (0..WARDS.min(5)).map(ward_name).collect();
    let measures = tx
        .insert_synthetic_measures(place, &mut rng, &theme_ids, &value_wards)
        .await?;
    tx.insert_synthetic_contributions(
        place,
        &mut rng,
        &org_ids,
        &mission_ids,
        &theme_ids,
        &ward_name,
    )
    .await?;
    let audited = tx
        .audit(
            &crate::privacy::AuditLine {
                actor: None,
                action: "create-place",
                record_type: "place",
                record_id: Some(slug.clone()),
                detail: Some(format!(
                    "{{\"source\":\"generated\",\"organisations\":{},\"seed\":{}}}",
                    options.organisations, options.seed
                )),
            },
            crate::record::unix_now(),
        )
        .await?;
    tx.commit(audited).await?;
    Ok(Report {
        place: slug,
        organisations: total,
        initiatives: initiative_count,
        participations,
        commitments,
        experiments,
        stories,
        asks,
        enquiries,
        measures,
        relationships,
        interactions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_organisations() {
        let a: Vec<_> = {
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            (0..50).map(|i| organisation(&mut rng, i)).collect()
        };
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let b: Vec<_> = (0..50).map(|i| organisation(&mut rng, i)).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn participation_is_heavy_tailed() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 10_000;
        let mut degree = vec![0_u32; n];
        for _ in 0..20_000 {
            degree[preferential(&mut rng, n)] += 1;
        }
        degree.sort_unstable_by(|a, b| b.cmp(a));
        let top_percent: u32 = degree[..n / 100].iter().sum();
        // With uniform choice the top 1% would hold about 1–2% of participations.
        assert!(top_percent > 20_000 / 5, "top 1% hold {top_percent}");
        let sizes: Vec<usize> = (0..1000).map(|_| initiative_size(&mut rng, n)).collect();
        assert!(sizes.iter().filter(|s| **s <= 4).count() > 500);
        assert!(sizes.iter().any(|s| *s >= 50));
    }

    #[test]
    fn organisation_ids_are_unique_slugs() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut seen = std::collections::HashSet::new();
        for i in 0..1000 {
            let o = organisation(&mut rng, i);
            assert!(placeweave_domain::place::is_slug(&o.id), "{}", o.id);
            assert!(seen.insert(o.id));
        }
    }
}
