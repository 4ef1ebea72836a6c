//! The network's staff view (staff as nodes, the convening organisation's
//! relationships and the interactions with partners as links, and the
//! partnerships known to one member of staff only), its coverage by ward and
//! by kind of organisation, and suggestions of whom to ask for what.
//!
//! Pure functions over the records one caller may see: relationships and
//! interactions are only loaded for those the policy lets read them, so in
//! the public and partners' views none of this adds a node or a link.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use placeweave_analysis::{Analysis, Link, LinkKind, Node};
use placeweave_domain::Lever;
use placeweave_domain::place::RecordRef;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_store::ecosystem::EcosystemRecords;
use placeweave_store::network::NetworkRecords;

use crate::network::CoverageRow;

/// The link kinds the staff view adds to the public ones.
pub const STAFF_LINK_KINDS: [LinkKind; 3] = [
    LinkKind::Relationship,
    LinkKind::Owner,
    LinkKind::Interaction,
];

/// An interaction's weight halves every this many days.
pub const HALF_LIFE_DAYS: f64 = 365.0;
/// Older interactions count as if this old, so a weight is never zero.
pub const OLDEST_DAYS: i64 = 3650;
/// Meetings within this many days count as "at once" for partners engaged
/// by several members of staff.
pub const AT_ONCE_DAYS: i64 = 90;
/// Suggestions of each kind shown.
const SUGGESTED: usize = 10;
/// Partners suggested for each mission × lever gap.
const PER_GAP: usize = 3;

/// The kind of a node that is a member of staff, not an organisation.
pub const STAFF_KIND: &str = "staff";

/// A partnership known to at most one member of staff (owners and those who
/// met the partner): its "bus factor" is one, or none.
#[derive(Debug, Clone, PartialEq)]
pub struct BusFactor {
    pub organisation: RecordRef,
    /// The one member of staff who knows it, or nobody.
    pub known_to: Option<String>,
}

/// A partner met by several members of staff within [`AT_ONCE_DAYS`].
#[derive(Debug, Clone, PartialEq)]
pub struct SeveralStaff {
    pub organisation: RecordRef,
    pub staff: Vec<String>,
}

/// What only staff see.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaffView {
    pub bus_factor: Vec<BusFactor>,
    pub several_staff: Vec<SeveralStaff>,
    /// Whether the convening organisation has a record (relationships link
    /// it to partners only then).
    pub convening_found: bool,
}

/// Organisations of one ward or kind, and those among them committed to a
/// mission (none: a gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub name: String,
    pub organisations: usize,
    pub committed: Vec<RecordRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionKind {
    /// Linked into two or more communities besides its own.
    Bridge,
    /// Holds a lever no committed partner of a mission brings.
    Lever,
    /// Well connected but committed to nothing yet.
    NotAsked,
}

/// An organisation to approach, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub organisation: RecordRef,
    pub reason: String,
}

/// Days since 1970-01-01 of an ISO date (Howard Hinnant's days-from-civil).
pub fn days(iso: &str) -> Option<i64> {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// One interaction's weight: `2^(-age / HALF_LIFE_DAYS)`, with the age in
/// days clamped to `0..=OLDEST_DAYS` (a future date counts as today, an
/// unreadable one as the oldest), so a meeting today weighs 1, a year ago
/// 0.5, and frequency adds up: four meetings a year ago weigh 2.
pub fn decay(occurred_on: &str, today: i64) -> f64 {
    let age = days(occurred_on).map_or(OLDEST_DAYS, |d| (today - d).clamp(0, OLDEST_DAYS));
    (-(age as f64) / HALF_LIFE_DAYS).exp2()
}

/// Adds staff nodes and the staff-only links to a network whose first
/// nodes are the organisations of `index`. Nothing is added when `eco`
/// holds no relationships or interactions (the public's view).
pub fn add_staff_links(
    nodes: &mut Vec<Node>,
    links: &mut Vec<Link>,
    index: &HashMap<&str, usize>,
    eco: &EcosystemRecords,
    today: i64,
) {
    let mut staff: BTreeMap<i64, usize> = BTreeMap::new();
    let mut node_of = |nodes: &mut Vec<Node>, account: i64, name: &str| {
        *staff.entry(account).or_insert_with(|| {
            nodes.push(Node {
                key: format!("staff-{account}"),
                label: name.to_owned(),
                kind: STAFF_KIND.to_owned(),
            });
            nodes.len() - 1
        })
    };
    if let Some(&convening) = eco.convening.as_deref().and_then(|c| index.get(c)) {
        for partner in &eco.relationships {
            if let Some(&target) = index.get(partner.as_str()) {
                links.push(Link {
                    source: convening,
                    target,
                    kind: LinkKind::Relationship,
                    via: partner.clone(),
                    weight: 1.0,
                });
            }
        }
    }
    for owner in &eco.owners {
        if let Some(&target) = index.get(owner.organisation.as_str()) {
            let source = node_of(nodes, owner.account, &owner.name);
            links.push(Link {
                source,
                target,
                kind: LinkKind::Owner,
                via: owner.organisation.clone(),
                weight: 1.0,
            });
        }
    }
    // One link per member of staff and partner, its weight the sum of each
    // interaction's decayed weight (frequency and recency).
    let mut met: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    for tie in &eco.interactions {
        if let Some(&target) = index.get(tie.organisation.as_str()) {
            let source = node_of(nodes, tie.account, &tie.name);
            *met.entry((source, target)).or_default() += decay(&tie.occurred_on, today);
        }
    }
    for ((source, target), weight) in met {
        links.push(Link {
            source,
            target,
            kind: LinkKind::Interaction,
            via: nodes[target].key.clone(),
            weight,
        });
    }
}

/// Partnerships known to one member of staff or none, and partners met by
/// several at once.
pub fn staff_view(
    eco: &EcosystemRecords,
    organisation: &dyn Fn(&str) -> Option<RecordRef>,
    today: i64,
) -> StaffView {
    let mut known: BTreeMap<&str, BTreeMap<i64, &str>> = BTreeMap::new();
    for owner in &eco.owners {
        known
            .entry(&owner.organisation)
            .or_default()
            .insert(owner.account, &owner.name);
    }
    let mut recent: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for tie in &eco.interactions {
        known
            .entry(&tie.organisation)
            .or_default()
            .insert(tie.account, &tie.name);
        if days(&tie.occurred_on).is_some_and(|d| today - d <= AT_ONCE_DAYS) {
            recent
                .entry(&tie.organisation)
                .or_default()
                .insert(&tie.name);
        }
    }
    let bus_factor = eco
        .relationships
        .iter()
        .filter_map(|partner| {
            let people = known.get(partner.as_str());
            let count = people.map_or(0, BTreeMap::len);
            (count <= 1).then(|| {
                Some(BusFactor {
                    organisation: organisation(partner)?,
                    known_to: people
                        .and_then(|p| p.values().next())
                        .map(|name| (*name).to_owned()),
                })
            })?
        })
        .collect();
    let mut several_staff: Vec<SeveralStaff> = recent
        .into_iter()
        .filter(|(_, staff)| staff.len() >= 2)
        .filter_map(|(partner, staff)| {
            Some(SeveralStaff {
                organisation: organisation(partner)?,
                staff: staff.into_iter().map(str::to_owned).collect(),
            })
        })
        .collect();
    several_staff.sort_by_key(|s| std::cmp::Reverse(s.staff.len()));
    StaffView {
        bus_factor,
        several_staff,
        convening_found: eco.convening.is_some(),
    }
}

/// Organisations committed to at least one mission (beyond a proposal).
fn committed(records: &NetworkRecords) -> BTreeSet<&str> {
    records
        .committed
        .iter()
        .map(|m| m.member.as_str())
        .collect()
}

/// For each ward (in order), its organisations and those committed.
pub fn by_ward(
    records: &NetworkRecords,
    eco: &EcosystemRecords,
    organisation: &dyn Fn(&str) -> Option<RecordRef>,
) -> Vec<Coverage> {
    let committed = committed(records);
    let mut wards: BTreeMap<&str, Coverage> = BTreeMap::new();
    for row in &eco.wards {
        let Some(found) = organisation(&row.member) else {
            continue;
        };
        let ward = wards.entry(&row.via).or_insert_with(|| Coverage {
            name: row.via.clone(),
            organisations: 0,
            committed: Vec::new(),
        });
        ward.organisations += 1;
        if committed.contains(row.member.as_str()) {
            ward.committed.push(found);
        }
    }
    wards.into_values().collect()
}

/// For each kind of organisation with any organisation, the same.
pub fn by_kind(records: &NetworkRecords) -> Vec<Coverage> {
    let committed = committed(records);
    OrganisationKind::ALL
        .iter()
        .filter_map(|kind| {
            let of_kind: Vec<_> = records
                .organisations
                .iter()
                .filter(|o| o.kind == kind.slug())
                .collect();
            (!of_kind.is_empty()).then(|| Coverage {
                name: kind.label().to_owned(),
                organisations: of_kind.len(),
                committed: of_kind
                    .iter()
                    .filter(|o| committed.contains(o.slug.as_str()))
                    .map(|o| RecordRef {
                        id: o.slug.clone(),
                        name: o.name.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// Whom to approach: organisations linked into several communities,
/// partners holding a lever a mission lacks, and well-connected
/// organisations committed to nothing. Placeweave has no record of "asks"
/// yet, so "not yet asked" means "no commitment beyond a proposal".
pub fn suggestions(
    nodes: &[Node],
    analysis: &Analysis,
    records: &NetworkRecords,
    eco: &EcosystemRecords,
    coverage: &[CoverageRow],
    neighbours: &[Vec<usize>],
) -> Vec<Suggestion> {
    let organisation = |i: usize| RecordRef {
        id: nodes[i].key.clone(),
        name: nodes[i].label.clone(),
    };
    let is_organisation = |i: usize| nodes[i].kind != STAFF_KIND;
    let by_centrality = |a: &usize, b: &usize| {
        analysis.betweenness[*b]
            .total_cmp(&analysis.betweenness[*a])
            .then(analysis.degree[*b].cmp(&analysis.degree[*a]))
            .then(nodes[*a].label.cmp(&nodes[*b].label))
    };
    let mut found = Vec::new();

    let community = &analysis.communities.membership;
    let mut bridges: Vec<(usize, BTreeSet<usize>)> = (0..nodes.len())
        .filter(|&i| is_organisation(i))
        .map(|i| {
            let others: BTreeSet<usize> = neighbours[i]
                .iter()
                .filter(|&&n| is_organisation(n) && community[n] != community[i])
                .map(|&n| community[n])
                .collect();
            (i, others)
        })
        .filter(|(_, others)| others.len() >= 2)
        .collect();
    bridges.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(by_centrality(&a.0, &b.0)));
    for (i, others) in bridges.into_iter().take(SUGGESTED) {
        let named: Vec<String> = others.iter().map(|c| (c + 1).to_string()).collect();
        found.push(Suggestion {
            kind: SuggestionKind::Bridge,
            organisation: organisation(i),
            reason: format!(
                "In community {}, and linked to members of communities {}: could bring them together",
                community[i] + 1,
                named.join(", ")
            ),
        });
    }

    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.key.as_str(), i))
        .collect();
    let mut holders: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for row in &eco.levers {
        if let Some(&i) = index.get(row.member.as_str()) {
            holders.entry(&row.via).or_default().push(i);
        }
    }
    let mut members: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in &records.committed {
        members.entry(&m.via).or_default().insert(&m.member);
    }
    for row in coverage {
        for (lever, cell) in Lever::ALL.iter().zip(&row.cells) {
            if !cell.is_empty() {
                continue;
            }
            let already = members.get(row.mission.id.as_str());
            let mut candidates: Vec<usize> = holders
                .get(lever.slug())
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| !already.is_some_and(|m| m.contains(nodes[i].key.as_str())))
                .collect();
            candidates.sort_by(by_centrality);
            for i in candidates.into_iter().take(PER_GAP) {
                found.push(Suggestion {
                    kind: SuggestionKind::Lever,
                    organisation: organisation(i),
                    reason: format!(
                        "Brings {}, which no partner committed to {} brings",
                        lever.label().to_lowercase(),
                        row.mission.name
                    ),
                });
            }
        }
    }

    let committed = committed(records);
    let mut idle: Vec<usize> = (0..nodes.len())
        .filter(|&i| is_organisation(i) && !committed.contains(nodes[i].key.as_str()))
        .filter(|&i| neighbours[i].iter().any(|&n| is_organisation(n)))
        .collect();
    idle.sort_by(by_centrality);
    for i in idle.into_iter().take(SUGGESTED) {
        let linked = neighbours[i]
            .iter()
            .filter(|&&n| is_organisation(n))
            .count();
        found.push(Suggestion {
            kind: SuggestionKind::NotAsked,
            organisation: organisation(i),
            reason: format!(
                "Linked to {linked} organisation{} but committed to no mission yet",
                if linked == 1 { "" } else { "s" }
            ),
        });
    }
    found
}
