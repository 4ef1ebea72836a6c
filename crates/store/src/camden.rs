//! The Camden demo place, built only from facts in the source documents
//! (Camden's 2024 We Make Camden Partnership Strategy report and the posts
//! beside it). Unknown fields stay empty. The few commitments made up to show
//! the service are flagged `demonstration` and labelled so on every page.

use placeweave_domain::commitment::CommitmentStatus;
use placeweave_domain::vocabulary::OrganisationKind as Kind;
use placeweave_domain::{
    Audience, Initiative, Lever, LeverUse, Mission, Organisation, OutcomeTheme, Place, Role,
};

use crate::Store;
use crate::commitment::NewCommitment;
use crate::interaction::NewInteraction;
use crate::relationship::NewRelationship;
use placeweave_domain::interaction::InteractionKind;
use placeweave_domain::relationship::{Formality, Health, RelationshipStage};

/// The text of demonstration relationships and interactions: made up to
/// show the service, never a fact about the partner.
const DEMONSTRATION_NOTE: &str =
    "Demonstration record: made up to show the service, not a fact about this partner.";
use crate::error::Result;

pub const PLACE_SLUG: &str = "camden";

/// The published source of the demo place's missions, roles and initiatives.
const SOURCE: &str = "We Make Camden Partnership Strategy, a report to Camden Council's \
    Resources and Corporate Performance Scrutiny Committee, 12 November 2024";

struct Org {
    slug: &'static str,
    name: &'static str,
    kind: Kind,
    anchor: bool,
    description: &'static str,
    levers: &'static [(Lever, &'static str)],
}

const ORGANISATIONS: &[Org] = &[
    Org {
        slug: "london-borough-of-camden",
        name: "London Borough of Camden",
        kind: Kind::Council,
        anchor: false,
        description: "Convenes the We Make Camden partnerships, the annual summit and the anchor roundtables.",
        levers: &[(
            Lever::Networks,
            "Convenes the We Make Camden Summit and anchor roundtables",
        )],
    },
    Org {
        slug: "ucl",
        name: "University College London (UCL)",
        kind: Kind::University,
        anchor: true,
        description: "Has shared a memorandum of understanding with Camden Council since 2020, which has led to a wide range of academic and strategic collaborations. Hosted a We Make Camden Summit. Testing the Missions Ambassador role.",
        levers: &[
            (
                Lever::Research,
                "Academic and strategic collaborations under the memorandum of understanding",
            ),
            (Lever::Estates, "Hosted a We Make Camden Summit"),
        ],
    },
    Org {
        slug: "central-saint-martins",
        name: "Central Saint Martins (University of the Arts London)",
        kind: Kind::University,
        anchor: true,
        description: "Deepens networks of collaboration in its neighbourhood around Euston and runs participatory projects on borough challenges such as overcrowded housing, loneliness and social isolation, as part of the Public Collaboration Lab. Testing the Missions Ambassador role.",
        levers: &[(
            Lever::Research,
            "Participatory projects through the Public Collaboration Lab",
        )],
    },
    Org {
        slug: "wellcome-collection",
        name: "Wellcome Collection",
        kind: Kind::Cultural,
        anchor: false,
        description: "Hosted a We Make Camden Summit.",
        levers: &[(Lever::Estates, "Hosted a We Make Camden Summit")],
    },
    Org {
        slug: "senate-house",
        name: "University of London Senate House",
        kind: Kind::University,
        anchor: false,
        description: "Hosted a We Make Camden Summit.",
        levers: &[(Lever::Estates, "Hosted a We Make Camden Summit")],
    },
    Org {
        slug: "british-museum",
        name: "British Museum",
        kind: Kind::Cultural,
        anchor: false,
        description: "Testing the Missions Ambassador role.",
        levers: &[],
    },
    Org {
        slug: "roundhouse",
        name: "Roundhouse",
        kind: Kind::Cultural,
        anchor: false,
        description: "Testing the Missions Ambassador role.",
        levers: &[],
    },
    Org {
        slug: "arsenal-fc",
        name: "Arsenal F.C.",
        kind: Kind::Employer,
        anchor: false,
        description: "Testing the Missions Ambassador role.",
        levers: &[],
    },
    Org {
        slug: "camden-giving",
        name: "Camden Giving",
        kind: Kind::Funder,
        anchor: false,
        description: "Delivers the We Make Camden Kit, which it developed with Camden Council: small grants, support and advice for resident-led community projects. Testing the Missions Ambassador role.",
        levers: &[(
            Lever::Funding,
            "Small grants for resident-led projects through the We Make Camden Kit",
        )],
    },
    Org {
        slug: "word-on-the-curb",
        name: "Word on the Curb",
        kind: Kind::Other,
        anchor: false,
        description: "Testing the Missions Ambassador role.",
        levers: &[],
    },
    Org {
        slug: "phoenix-court-works",
        name: "Phoenix Court Works",
        kind: Kind::Other,
        anchor: false,
        description: "Testing the Missions Ambassador role.",
        levers: &[],
    },
    Org {
        slug: "british-land",
        name: "British Land",
        kind: Kind::Developer,
        anchor: false,
        description: "A local developer and landowner. Used the Good Life Camden framework to design how it measures its social impact in the redevelopment of Euston Tower.",
        levers: &[],
    },
    Org {
        slug: "google",
        name: "Google",
        kind: Kind::Employer,
        anchor: false,
        description: "Working with Camden Learning and Camden STEAM to develop an AI Campus for pupils in the borough.",
        levers: &[(Lever::Expertise, "Developing the AI Campus for pupils")],
    },
    Org {
        slug: "camden-learning",
        name: "Camden Learning",
        kind: Kind::School,
        anchor: false,
        description: "Formed of Camden schools. Developing an AI Campus for pupils with Google and Camden STEAM, as part of the youth mission.",
        levers: &[],
    },
    Org {
        slug: "origin-tenants-voices",
        name: "Origin Tenants Voices",
        kind: Kind::TenantsGroup,
        anchor: false,
        description: "A group of tenants living in housing association properties in Somers Town, who used the Good Life Camden framework to think about what is important in their lives.",
        levers: &[],
    },
    Org {
        slug: "knowledge-quarter",
        name: "Knowledge Quarter",
        kind: Kind::Network,
        anchor: false,
        description: "A cluster of about 100 cultural, scientific and tech organisations.",
        levers: &[(Lever::Networks, "A cluster of about 100 organisations")],
    },
];

struct MissionFact {
    slug: &'static str,
    short_name: &'static str,
    statement: &'static str,
    year: i32,
}

const MISSIONS: &[MissionFact] = &[
    MissionFact {
        slug: "diverse-power",
        short_name: "Diverse power",
        statement: "By 2030, those holding positions of power in Camden are as diverse as our community – and the next generation is ready to follow.",
        year: 2030,
    },
    MissionFact {
        slug: "eat-well",
        short_name: "Everyone eats well",
        statement: "By 2030, everyone eats well every day with nutritious, affordable, sustainable food.",
        year: 2030,
    },
    MissionFact {
        slug: "youth-opportunity",
        short_name: "Youth economic opportunity",
        statement: "By 2025, every young person has access to economic opportunity that enables them to be safe and secure.",
        year: 2025,
    },
    MissionFact {
        slug: "healthy-estates",
        short_name: "Healthy, sustainable estates",
        statement: "By 2030, Camden's estates and their neighbourhoods are healthy, sustainable and unlock creativity.",
        year: 2030,
    },
];

/// The Missions Ambassador roles, word for word from Figure 2 of the report.
const ROLES: &[[&str; 6]] = &[
    [
        "recognition-of-action",
        "Recognition of action",
        "Recognising where a potential partner is already doing something positive in relation to We Make Camden and a mission",
        "To become part of the We Make Camden story, and allowing us to use their logo on communications related to We Make Camden",
        "Ability to show existing work and strengths relating to each mission\nIncreased reach through recognition of work already happening",
        "To be profiled via Camden's communication channels\nIncreased reach and connection with new relationships across the borough",
    ],
    [
        "advocate-champion",
        "Advocate/ champion",
        "A partner uses their platforms to promote and advocate for the missions. They are happy to make links and connections through their networks",
        "To use their existing existing platforms and networks to share mission-related content, stories and opportunities",
        "Increased reach across our partner networks\nExternal support and backing",
        "Access to borough wide data and insight via Good Life Camden\nAccess to support in linking up/ forming new relationships across the borough",
    ],
    [
        "sponsorship",
        "Sponsorship",
        "A partner offers direct sponsorship of a local initiative, organisation or project in relation to We Make Camden & our missions",
        "To provide financial or nonfinancial support (skills, expertise, mentoring) directly to a local organisation (i.e a school, VCS org, community group)",
        "Increased financial and non financial support for local initiatives across the borough",
        "To better understand local priorities\nAlignment with CSR activity\nAccess to borough wide data and insight via Good Life Camden",
    ],
    [
        "research-learning-evaluation",
        "Research, learning & evaluation",
        "A partner works closely with us to develop thinking and practice around missions",
        "To ask as a critical friend advising us as our work progresses, and where possible providing additional resource, skills and capacity",
        "Strengthen our thinking and practice around missions, and access additional skills/ expertise that we may not have already",
        "To have Camden Council as a 'test bed' for innovative thinking (i.e. mission-oriented practice)\nAccess to borough wide data and insight via Good Life Camden",
    ],
];

const ROLE_CONTACT: &str = "Partnership Lead, Participation and Partnerships, London Borough of Camden, 5 Pancras Square, N1C 4AG";

const THEMES: &[(&str, &str, Option<&str>)] = &[
    ("safety", "Safety", None),
    ("equality", "Equality", None),
    (
        "health",
        "Health",
        Some("People live long and healthy lives, measured by healthy life expectancy."),
    ),
];

const ALL_MISSIONS: &[&str] = &[
    "diverse-power",
    "eat-well",
    "youth-opportunity",
    "healthy-estates",
];
const COUNCIL: &str = "london-borough-of-camden";

struct InitiativeFact {
    slug: &'static str,
    name: &'static str,
    description: &'static str,
    missions: &'static [&'static str],
    participants: &'static [(&'static str, &'static str)],
}

const INITIATIVES: &[InitiativeFact] = &[
    InitiativeFact {
        slug: "we-make-camden-summit",
        name: "We Make Camden Summit",
        description: "An annual summit bringing together multi-sector partners and citizens leading social action to celebrate, reflect on and push for further action toward the missions. Each summit so far has been hosted by a local partner.",
        missions: ALL_MISSIONS,
        participants: &[
            (COUNCIL, "Convenor"),
            ("ucl", "Host"),
            ("wellcome-collection", "Host"),
            ("senate-house", "Host"),
        ],
    },
    InitiativeFact {
        slug: "missions-ambassadors",
        name: "Missions Ambassadors",
        description: "Testing what a Missions Ambassador role could and should mean in practice, with partners who expressed willingness at the 2024 Summit.",
        missions: ALL_MISSIONS,
        participants: &[
            (COUNCIL, "Convenor"),
            ("phoenix-court-works", "Testing the ambassador role"),
            ("british-museum", "Testing the ambassador role"),
            ("ucl", "Testing the ambassador role"),
            ("roundhouse", "Testing the ambassador role"),
            ("central-saint-martins", "Testing the ambassador role"),
            ("arsenal-fc", "Testing the ambassador role"),
            ("camden-giving", "Testing the ambassador role"),
            ("word-on-the-curb", "Testing the ambassador role"),
        ],
    },
    InitiativeFact {
        slug: "anchor-roundtables",
        name: "Anchor roundtables",
        description: "Twice-yearly roundtables, since 2023, of the leadership of some of the largest corporate and knowledge organisations in Camden. Topics so far: the Community Wealth Fund, apprenticeships and work placements, and health inequalities.",
        missions: &[],
        participants: &[(COUNCIL, "Convenor")],
    },
    InitiativeFact {
        slug: "we-make-camden-kit",
        name: "We Make Camden Kit",
        description: "Small grants (up to about £2,000), support and infrastructure advice for residents to kick-start community projects that contribute to the missions, decided by resident panels. A partnership between Camden Giving, Camden Council, Camden citizens and Camden businesses. Since August 2021 it has funded more than 300 projects led by citizens.",
        missions: ALL_MISSIONS,
        participants: &[(COUNCIL, "Funder"), ("camden-giving", "Delivers the Kit")],
    },
    InitiativeFact {
        slug: "ai-campus",
        name: "AI Campus",
        description: "An AI Campus for pupils in the borough, developed as part of the youth mission, to help a diverse range of students deepen their knowledge of AI and supporting subjects, its ethics and the creativity involved in new technologies.",
        missions: &["youth-opportunity"],
        participants: &[
            ("google", "Partner"),
            ("camden-learning", "Partner"),
            (COUNCIL, "Through Camden STEAM"),
        ],
    },
    InitiativeFact {
        slug: "camden-climate-alliance",
        name: "Camden Climate Alliance",
        description: "A flagship partnership programme engaging large businesses and institutions in tackling the climate crisis.",
        missions: &[],
        participants: &[(COUNCIL, "Convenor")],
    },
    InitiativeFact {
        slug: "camden-steam",
        name: "Camden STEAM",
        description: "A flagship programme creating work and career-related opportunities for Camden residents with local organisations.",
        missions: &[],
        participants: &[
            (COUNCIL, "Runs the programme"),
            ("camden-learning", "Partner"),
        ],
    },
    InitiativeFact {
        slug: "good-work-camden",
        name: "Good Work Camden",
        description: "A flagship programme creating work and career-related opportunities for Camden residents with local organisations.",
        missions: &[],
        participants: &[(COUNCIL, "Invests in the programme")],
    },
    InitiativeFact {
        slug: "knowledge-quarter-spatial-strategy",
        name: "Knowledge Quarter Spatial Strategy",
        description: "A spatial strategy developed with partners in the Knowledge Quarter.",
        missions: &[],
        participants: &[(COUNCIL, "Partner"), ("knowledge-quarter", "Partner")],
    },
    InitiativeFact {
        slug: "public-collaboration-lab",
        name: "Public Collaboration Lab",
        description: "Participatory projects in response to borough challenges such as overcrowded housing, loneliness and social isolation.",
        missions: &[],
        participants: &[(COUNCIL, "Partner"), ("central-saint-martins", "Partner")],
    },
    InitiativeFact {
        slug: "community-wealth-fund",
        name: "Community Wealth Fund",
        description: "A fund being established by the Council, supported by market research in 2023 and discussed at the anchor roundtables.",
        missions: &[],
        participants: &[(COUNCIL, "Establishing the fund")],
    },
    InitiativeFact {
        slug: "good-life-camden",
        name: "Good Life Camden",
        description: "An outcomes framework co-created with residents in 2022, breaking the idea of a good life into the themes residents said matter most to them. Partners use it to measure their social impact.",
        missions: &[],
        participants: &[
            (COUNCIL, "Co-created with residents"),
            (
                "british-land",
                "Uses the framework to measure social impact at Euston Tower",
            ),
            ("origin-tenants-voices", "Uses the framework"),
        ],
    },
    InitiativeFact {
        slug: "business-board",
        name: "Business Board",
        description: "Governance that brings businesses and the Council together.",
        missions: &[],
        participants: &[(COUNCIL, "Member")],
    },
    InitiativeFact {
        slug: "health-and-wellbeing-board",
        name: "Health & Wellbeing Board",
        description: "A strategic partnership on health and wellbeing.",
        missions: &[],
        participants: &[(COUNCIL, "Member")],
    },
];

/// Demonstration commitments: made up to show the service, never facts.
const DEMONSTRATION_COMMITMENTS: &[(&str, &str, &str)] = &[
    ("arsenal-fc", "advocate-champion", "youth-opportunity"),
    ("ucl", "research-learning-evaluation", "diverse-power"),
    ("camden-giving", "sponsorship", "healthy-estates"),
    ("roundhouse", "recognition-of-action", "youth-opportunity"),
];

/// A demonstration proposal a partner made and the partnership team has
/// still to review (never a fact): held at the staff audience meanwhile.
const DEMONSTRATION_PROPOSAL: (&str, &str, &str) =
    ("british-land", "sponsorship", "healthy-estates");

/// Demonstration relationships (never Camden facts; labelled on every
/// page): partner, stage, formality, health, missions served, and a
/// demonstration interaction with a follow-up.
struct DemoRelationship {
    organisation: &'static str,
    stage: RelationshipStage,
    formality: Formality,
    health: Health,
    missions: &'static [&'static str],
    interaction: (InteractionKind, &'static str, &'static str),
}

const DEMONSTRATION_RELATIONSHIPS: &[DemoRelationship] = &[
    DemoRelationship {
        organisation: "arsenal-fc",
        stage: RelationshipStage::Active,
        formality: Formality::Informal,
        health: Health::Good,
        missions: &["youth-opportunity"],
        interaction: (
            InteractionKind::Meeting,
            "2026-10-14",
            "Plan the next ambassador event",
        ),
    },
    DemoRelationship {
        organisation: "camden-giving",
        stage: RelationshipStage::Committed,
        formality: Formality::FormalAgreement,
        health: Health::Good,
        missions: &["healthy-estates"],
        interaction: (
            InteractionKind::Call,
            "2026-11-03",
            "Share the grant panel dates",
        ),
    },
    DemoRelationship {
        organisation: "british-museum",
        stage: RelationshipStage::WarmConversation,
        formality: Formality::Informal,
        health: Health::SomeConcerns,
        missions: &["diverse-power"],
        interaction: (
            InteractionKind::Roundtable,
            "2026-09-22",
            "Send the role description",
        ),
    },
    DemoRelationship {
        organisation: "british-land",
        stage: RelationshipStage::Exploring,
        formality: Formality::Informal,
        health: Health::Good,
        missions: &["healthy-estates"],
        interaction: (
            InteractionKind::Email,
            "2026-11-12",
            "Introduce the estates team",
        ),
    },
];

fn position(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX)
}

fn id_of(ids: &[(&str, i64)], slug: &str) -> Option<i64> {
    ids.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id)
}

/// Creates the Camden demo place unless it is already there; returns whether it was created.
pub async fn ensure(store: &Store) -> Result<bool> {
    if store
        .place(PLACE_SLUG, placeweave_domain::Viewer::Admin)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let mut tx = store.begin().await?;
    let place = tx
        .insert_place(&Place {
            id: PLACE_SLUG.into(),
            name: "Camden".into(),
            convening_organisation: "London Borough of Camden".into(),
            description: Some(
                "We Make Camden is the borough's shared vision: a set of ambitious cross-cutting missions that bring together the resources of the borough as a whole to reduce inequality.".into(),
            ),
            synthetic: false,
            audience: Audience::Public,
        })
        .await?;

    let organisations: Vec<Organisation> = ORGANISATIONS
        .iter()
        .map(|o| Organisation {
            id: o.slug.into(),
            name: o.name.into(),
            kind: o.kind,
            size_band: None,
            scope: None,
            wards: vec![],
            identifiers: vec![],
            is_anchor: o.anchor,
            levers: o
                .levers
                .iter()
                .map(|(lever, detail)| LeverUse {
                    lever: *lever,
                    hardness: None,
                    reach: None,
                    detail: Some((*detail).into()),
                })
                .collect(),
            description: Some(o.description.into()),
            website: None,
            internal_notes: None,
            audience: Audience::Public,
            version: 1,
        })
        .collect();
    let org_ids = tx.insert_organisations(place, &organisations).await?;
    let orgs: Vec<(&str, i64)> = ORGANISATIONS.iter().map(|o| o.slug).zip(org_ids).collect();

    let mut themes = Vec::new();
    for (i, (slug, name, description)) in THEMES.iter().enumerate() {
        let theme = OutcomeTheme {
            id: (*slug).into(),
            name: (*name).into(),
            description: description.map(Into::into),
            is_core: true,
            audience: Audience::Public,
            version: 1,
        };
        let theme_id = tx.insert_outcome_theme(place, &theme, position(i)).await?;
        themes.push((*slug, theme_id));
        if *slug == "health" {
            crate::outcome::seed_health_signal(&mut tx, place, theme_id).await?;
        }
    }

    let mut missions = Vec::new();
    for (i, m) in MISSIONS.iter().enumerate() {
        let mission = Mission {
            id: m.slug.into(),
            short_name: m.short_name.into(),
            statement: m.statement.into(),
            target_year: Some(m.year),
            outcome_themes: vec![],
            audience: Audience::Public,
            version: 1,
        };
        missions.push((
            m.slug,
            tx.insert_mission(place, &mission, position(i), &[]).await?,
        ));
    }

    let mut roles = Vec::new();
    for (i, [slug, name, description, ask, for_place, for_partner]) in ROLES.iter().enumerate() {
        let role = Role {
            id: (*slug).into(),
            name: (*name).into(),
            description: (*description).into(),
            ask_of_partner: (*ask).into(),
            value_for_place: (*for_place).into(),
            value_for_partner: (*for_partner).into(),
            contact: Some(ROLE_CONTACT.into()),
            audience: Audience::Public,
            version: 1,
        };
        roles.push((*slug, tx.insert_role(place, &role, position(i)).await?));
    }

    for fact in INITIATIVES {
        let initiative = Initiative {
            id: fact.slug.into(),
            name: fact.name.into(),
            description: Some(fact.description.into()),
            website: None,
            missions: vec![],
            participants: vec![],
            audience: Audience::Public,
            version: 1,
        };
        let mission_ids: Vec<i64> = fact
            .missions
            .iter()
            .filter_map(|m| id_of(&missions, m))
            .collect();
        let participants: Vec<(i64, Option<String>)> = fact
            .participants
            .iter()
            .filter_map(|(org, role)| id_of(&orgs, org).map(|id| (id, Some((*role).to_owned()))))
            .collect();
        tx.insert_initiative(place, &initiative, &mission_ids, &participants)
            .await?;
    }

    let accepted = DEMONSTRATION_COMMITMENTS.iter().map(|c| (c, false));
    for ((org, role, mission), proposal) in accepted.chain([(&DEMONSTRATION_PROPOSAL, true)]) {
        use placeweave_domain::commitment::{PROPOSAL_AUDIENCE, Review};
        let commitment = NewCommitment {
            organisation_id: id_of(&orgs, org).unwrap_or_default(),
            role_id: id_of(&roles, role),
            mission_id: id_of(&missions, mission),
            status: if proposal {
                CommitmentStatus::Proposed
            } else {
                CommitmentStatus::Testing
            },
            review: if proposal {
                Review::Awaiting
            } else {
                Review::Accepted
            },
            start_date: None,
            end_date: None,
            note: None,
            demonstration: true,
            audience: if proposal {
                PROPOSAL_AUDIENCE
            } else {
                Audience::Public
            },
        };
        tx.insert_commitment(place, &commitment).await?;
    }
    tx.insert_demonstration_contributions(place, &orgs, &missions)
        .await?;
    for demo in DEMONSTRATION_RELATIONSHIPS {
        let Some(organisation_id) = id_of(&orgs, demo.organisation) else {
            continue;
        };
        let (kind, date, action) = demo.interaction;
        tx.insert_relationship(
            place,
            &NewRelationship {
                organisation_id,
                stage: demo.stage,
                formality: demo.formality,
                health: Some(demo.health),
                health_reason: Some(DEMONSTRATION_NOTE.into()),
                sensitivities: None,
                demonstration: true,
                owner_ids: vec![],
                mission_ids: demo
                    .missions
                    .iter()
                    .filter_map(|m| id_of(&missions, m))
                    .collect(),
                history: vec![(demo.stage, date.into())],
            },
        )
        .await?;
        // A roundtable brings the other demonstration partners along.
        let other_organisation_ids = if kind == InteractionKind::Roundtable {
            DEMONSTRATION_RELATIONSHIPS
                .iter()
                .filter(|other| other.organisation != demo.organisation)
                .filter_map(|other| id_of(&orgs, other.organisation))
                .take(2)
                .collect()
        } else {
            vec![]
        };
        tx.insert_interaction(
            place,
            &NewInteraction {
                organisation_id,
                other_organisation_ids,
                kind,
                date: date.into(),
                staff_ids: vec![],
                contact_ids: vec![],
                summary: Some(DEMONSTRATION_NOTE.into()),
                outcomes: None,
                follow_ups: vec![(action.into(), None, None, false)],
                demonstration: true,
            },
        )
        .await?;
    }
    crate::experiment_demo::camden(&mut tx, place, &missions, &orgs).await?;
    crate::story_demo::camden(&mut tx, place, &missions, &themes, &orgs).await?;
    crate::ask_demo::camden(&mut tx, place).await?;
    crate::enquiry_demo::camden(&mut tx, place).await?;
    // Where the published facts come from: the missions, the Missions
    // Ambassador roles (its Figure 2) and the named initiatives are the
    // scrutiny report's. Shown on each record's page.
    for table in ["mission", "role", "initiative"] {
        tx.exec()
            .execute(crate::sql::sql!(
                format!("UPDATE {table} SET source = $1 WHERE place_id = $2"),
                SOURCE,
                place
            ))
            .await?;
    }
    let audited = tx
        .audit(
            &crate::privacy::AuditLine {
                actor: None,
                action: "create-place",
                record_type: "place",
                record_id: Some(PLACE_SLUG.into()),
                detail: Some("{\"source\":\"the Camden demo place, from the seeds\"}".into()),
            },
            crate::record::unix_now(),
        )
        .await?;
    tx.commit(audited).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_slug_exists() {
        let orgs: Vec<&str> = ORGANISATIONS.iter().map(|o| o.slug).collect();
        for i in INITIATIVES {
            for (org, _) in i.participants {
                assert!(orgs.contains(org), "{} names unknown {org}", i.slug);
            }
        }
        for (org, _, _) in DEMONSTRATION_COMMITMENTS {
            assert!(orgs.contains(org));
        }
        let missions: Vec<&str> = MISSIONS.iter().map(|m| m.slug).collect();
        for demo in DEMONSTRATION_RELATIONSHIPS {
            assert!(orgs.contains(&demo.organisation), "{}", demo.organisation);
            for mission in demo.missions {
                assert!(missions.contains(mission), "{mission}");
            }
        }
        let ambassadors = INITIATIVES
            .iter()
            .find(|i| i.slug == "missions-ambassadors")
            .map(|i| {
                i.participants
                    .iter()
                    .filter(|(_, r)| r.starts_with("Testing"))
                    .count()
            });
        assert_eq!(ambassadors, Some(8));
    }
}
