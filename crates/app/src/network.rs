//! The place's ecosystem network, as the caller may see it: organisations
//! linked by the initiatives they share and the missions they are committed
//! to, its analysis, the mission × lever coverage grid and initiatives that
//! may duplicate each other.
//!
//! The network is built only from what `Store::network_records` loads at the
//! caller's own level, so a hidden organisation, initiative, mission or
//! commitment is absent from every metric and export, as if it did not
//! exist. Relationships and interactions will add link kinds in
//! [`build`] once their records exist.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use placeweave_analysis::export::edges;
use placeweave_analysis::report::{BetweennessMethod, STAGES};
use placeweave_analysis::{Analysis, Link, LinkKind, Network, Node, Options, Snapshot, analyse};
use placeweave_domain::Lever;
use placeweave_domain::network::{NetworkDocument, NetworkLink, NetworkOrganisation};
use placeweave_domain::place::RecordRef;
use placeweave_domain::{Action, Resource, Target, relationship};
use placeweave_store::ecosystem::EcosystemRecords;
use placeweave_store::network::NetworkRecords;
use sha2::{Digest, Sha256};

use crate::ecosystem::{self, Coverage, StaffView, Suggestion};
use crate::{App, AppError, Result, Scope};

/// The link kinds this view is made of, in the order the pages name them.
pub const LINK_KINDS: [LinkKind; 2] = [LinkKind::Initiative, LinkKind::Mission];

/// The largest initiative or mission whose members are linked pairwise.
/// Beyond it, taking part says little about working together (being one of
/// 500 signatories), and the pairs grow as its square: a generated place of
/// 10,000 organisations had 1.1 million links, nearly all from missions.
pub const LARGEST_LINKED_GROUP: usize = 100;

/// One mission's row of the coverage grid.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    pub mission: RecordRef,
    /// For each lever of [`Lever::ALL`], in order, the committed partners
    /// holding it: an empty cell is a gap.
    pub cells: Vec<Vec<RecordRef>>,
}

/// Two initiatives serving a mission in common and sharing partners: a
/// possible duplication.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    pub first: RecordRef,
    pub second: RecordRef,
    pub missions: Vec<RecordRef>,
    pub partners: Vec<RecordRef>,
}

/// The network and its findings, as one caller may see them.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceNetwork {
    pub network: Network,
    pub coverage: Vec<CoverageRow>,
    pub overlaps: Vec<Overlap>,
    /// Initiatives and missions with more than [`LARGEST_LINKED_GROUP`]
    /// members, which add no links (by slug).
    pub unlinked: Vec<String>,
    /// The link kinds this view uses.
    pub link_kinds: Vec<LinkKind>,
    /// Staff only: partnerships known to one member of staff, partners met
    /// by several at once.
    pub staff: Option<StaffView>,
    /// Coverage by ward and by kind of organisation.
    pub wards: Vec<Coverage>,
    pub kinds: Vec<Coverage>,
}

/// A place's network and its analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAnalysis {
    pub place: PlaceNetwork,
    pub analysis: Analysis,
    /// Whom to approach for what, each with its reason.
    pub suggestions: Vec<Suggestion>,
}

/// How many analyses the server keeps: one per distinct view (public,
/// partners, staff …) of a few places.
const CACHED: usize = 16;

/// Analyses by the digest of the records and options they were made from:
/// the same records give the same analysis whoever asks, and any change the
/// caller could see gives a new digest (the data version).
#[derive(Debug, Clone, Default)]
pub(crate) struct AnalysisCache(Arc<Mutex<Vec<Cached>>>);

/// A digest and the analysis it names.
type Cached = ([u8; 32], Arc<NetworkAnalysis>);

impl AnalysisCache {
    fn get(&self, digest: &[u8; 32]) -> Option<Arc<NetworkAnalysis>> {
        let cached = self.0.lock().ok()?;
        cached
            .iter()
            .find(|(key, _)| key == digest)
            .map(|(_, value)| value.clone())
    }

    fn put(&self, digest: [u8; 32], value: Arc<NetworkAnalysis>) {
        if let Ok(mut cached) = self.0.lock() {
            if cached.len() >= CACHED {
                cached.remove(0);
            }
            cached.push((digest, value));
        }
    }
}

/// Builds the network and its findings from the records one caller may see;
/// `today` (days since 1970) dates interactions' recency.
pub fn build(records: &NetworkRecords, eco: &EcosystemRecords, today: i64) -> PlaceNetwork {
    let index: HashMap<&str, usize> = records
        .organisations
        .iter()
        .enumerate()
        .map(|(i, o)| (o.slug.as_str(), i))
        .collect();
    let organisation = |slug: &str| {
        index.get(slug).map(|&i| RecordRef {
            id: records.organisations[i].slug.clone(),
            name: records.organisations[i].name.clone(),
        })
    };
    let mut nodes: Vec<Node> = records
        .organisations
        .iter()
        .map(|o| Node {
            key: o.slug.clone(),
            label: o.name.clone(),
            kind: o.kind.clone(),
        })
        .collect();
    let mut links = Vec::new();
    let mut unlinked = Vec::new();
    for (kind, memberships) in [
        (LinkKind::Initiative, &records.participants),
        (LinkKind::Mission, &records.committed),
    ] {
        for (via, members) in group(memberships) {
            let members: Vec<usize> = members
                .iter()
                .filter_map(|m| index.get(m.as_str()).copied())
                .collect();
            if members.len() > LARGEST_LINKED_GROUP {
                unlinked.push(via);
                continue;
            }
            for (position, &source) in members.iter().enumerate() {
                for &target in &members[position + 1..] {
                    links.push(Link {
                        source,
                        target,
                        kind,
                        via: via.clone(),
                        weight: 1.0,
                    });
                }
            }
        }
    }
    ecosystem::add_staff_links(&mut nodes, &mut links, &index, eco, today);
    let staff = (!eco.relationships.is_empty() || !eco.interactions.is_empty())
        .then(|| ecosystem::staff_view(eco, &organisation, today));
    let mut link_kinds = LINK_KINDS.to_vec();
    if staff.is_some() {
        link_kinds.extend(ecosystem::STAFF_LINK_KINDS);
    }
    let named = |list: &[placeweave_store::network::Named], slug: &str| {
        list.iter().find(|n| n.slug == slug).map(|n| RecordRef {
            id: n.slug.clone(),
            name: n.name.clone(),
        })
    };

    let mut cells: BTreeMap<(&str, &str), Vec<RecordRef>> = BTreeMap::new();
    for row in &records.mission_levers {
        if let Some(o) = organisation(&row.organisation) {
            cells
                .entry((row.mission.as_str(), row.lever.as_str()))
                .or_default()
                .push(o);
        }
    }
    let coverage = records
        .missions
        .iter()
        .map(|mission| CoverageRow {
            mission: RecordRef {
                id: mission.slug.clone(),
                name: mission.name.clone(),
            },
            cells: Lever::ALL
                .iter()
                .map(|lever| {
                    cells
                        .get(&(mission.slug.as_str(), lever.slug()))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect(),
        })
        .collect();

    let partners = group(&records.participants);
    let missions = group(&records.initiative_missions);
    let mut overlaps = Vec::new();
    for (position, first) in records.initiatives.iter().enumerate() {
        for second in &records.initiatives[position + 1..] {
            let shared = |groups: &BTreeMap<String, BTreeSet<String>>| -> Vec<String> {
                match (groups.get(&first.slug), groups.get(&second.slug)) {
                    (Some(a), Some(b)) => a.intersection(b).cloned().collect(),
                    _ => Vec::new(),
                }
            };
            let (common_missions, common_partners) = (shared(&missions), shared(&partners));
            if common_missions.is_empty() || common_partners.is_empty() {
                continue;
            }
            overlaps.push(Overlap {
                first: RecordRef {
                    id: first.slug.clone(),
                    name: first.name.clone(),
                },
                second: RecordRef {
                    id: second.slug.clone(),
                    name: second.name.clone(),
                },
                missions: common_missions
                    .iter()
                    .filter_map(|m| named(&records.missions, m))
                    .collect(),
                partners: common_partners
                    .iter()
                    .filter_map(|o| organisation(o))
                    .collect(),
            });
        }
    }
    overlaps.sort_by(|a, b| {
        b.partners
            .len()
            .cmp(&a.partners.len())
            .then_with(|| a.first.name.cmp(&b.first.name))
            .then_with(|| a.second.name.cmp(&b.second.name))
    });

    PlaceNetwork {
        network: Network { nodes, links },
        coverage,
        overlaps,
        unlinked,
        link_kinds,
        staff,
        wards: ecosystem::by_ward(records, eco, &organisation),
        kinds: ecosystem::by_kind(records),
    }
}

/// Memberships grouped by the record they are of.
pub(crate) fn group(
    memberships: &[placeweave_store::network::Membership],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in memberships {
        groups
            .entry(m.via.clone())
            .or_default()
            .insert(m.member.clone());
    }
    groups
}

impl App {
    /// The place's network and its findings as the caller may see them.
    pub async fn network(&self, scope: &Scope) -> Result<PlaceNetwork> {
        let (records, eco, today) = self.network_inputs(scope).await?;
        Ok(build(&records, &eco, today))
    }

    /// The records the network is made of, as the caller may see them:
    /// relationships and interactions only for those who may read them.
    async fn network_inputs(
        &self,
        scope: &Scope,
    ) -> Result<(NetworkRecords, EcosystemRecords, i64)> {
        let records = self
            .store
            .network_records(scope.key(), scope.viewer())
            .await?;
        let eco = self
            .store
            .ecosystem_records(scope.key(), scope.viewer(), sees_relationships(scope))
            .await?;
        Ok((records, eco, crate::now().div_euclid(86_400)))
    }

    /// The network and its analysis as the caller may see them. Kept per
    /// data version and view (the records a view is made of depend only on
    /// the caller's level), so a repeat reads no records; and by the digest
    /// of the records, so a change no view shows reuses the analysis. The
    /// analysis runs on the blocking pool (and rayon's threads), never on
    /// the server's async threads; `progress` hears each stage of
    /// [`STAGES`] as it ends.
    pub async fn network_analysis(
        &self,
        scope: &Scope,
        options: Options,
        progress: impl Fn(&'static str) + Send + Sync + 'static,
    ) -> Result<Arc<NetworkAnalysis>> {
        let progress = Arc::new(progress);
        let ran = std::sync::atomic::AtomicBool::new(false);
        let found = self
            .through_locked(
                &self.analysing,
                &self.networks,
                view_key(scope, &format!("{options:?}")),
                || {
                    ran.store(true, std::sync::atomic::Ordering::Relaxed);
                    self.analyse_now(scope, options, progress.clone())
                },
            )
            .await?;
        // Found in the cache: every stage is done.
        if !ran.load(std::sync::atomic::Ordering::Relaxed) {
            STAGES.iter().for_each(|stage| progress(stage));
        }
        Ok(found)
    }

    async fn analyse_now(
        &self,
        scope: &Scope,
        options: Options,
        progress: Arc<impl Fn(&'static str) + Send + Sync + 'static>,
    ) -> Result<Arc<NetworkAnalysis>> {
        let (records, eco, today) = self.network_inputs(scope).await?;
        let digest: [u8; 32] =
            Sha256::digest(format!("{records:?}{eco:?}{today}{options:?}")).into();
        if let Some(found) = self.analyses.get(&digest) {
            STAGES.iter().for_each(|stage| progress(stage));
            return Ok(found);
        }
        let computed = tokio::task::spawn_blocking(move || {
            let place = build(&records, &eco, today);
            let snapshot = Snapshot::of(&place.network)
                .map_err(|error| AppError::Internal(error.to_string()))?;
            let analysis = analyse(&snapshot, &options, &*progress);
            let neighbours: Vec<Vec<usize>> = (0..snapshot.node_count())
                .map(|i| snapshot.neighbours(i).map(|(n, _)| n).collect())
                .collect();
            let suggestions = ecosystem::suggestions(
                &place.network.nodes,
                &analysis,
                &records,
                &eco,
                &place.coverage,
                &neighbours,
            );
            Ok::<_, AppError>(NetworkAnalysis {
                place,
                analysis,
                suggestions,
            })
        })
        .await
        .map_err(|error| AppError::Internal(format!("the analysis stopped: {error}")))??;
        let computed = Arc::new(computed);
        self.analyses.put(digest, computed.clone());
        Ok(computed)
    }
}

/// Whether the caller sees the relationships and interactions that make
/// the staff's view.
fn sees_relationships(scope: &Scope) -> bool {
    scope.permits(
        Action::Read,
        &Target::kind_at(Resource::Relationship, relationship::AUDIENCE),
    )
}

/// Which view of a network a cached answer is: the place, the caller's
/// level and whether they see relationships, the day (interactions' weight
/// fades by it) and `what` was asked.
pub(crate) fn view_key(scope: &Scope, what: &str) -> crate::counts::Key {
    let today = crate::now().div_euclid(86_400);
    let staff = sees_relationships(scope);
    (
        scope.key(),
        scope.viewer(),
        format!("{what} staff={staff} day={today}"),
    )
}

impl NetworkAnalysis {
    /// The network and its analysis as one document (the API's and
    /// `placeweave analyse`'s JSON).
    pub fn document(&self) -> NetworkDocument {
        let (network, a) = (&self.place.network, &self.analysis);
        let id = |i: usize| network.nodes[i].key.clone();
        let ids = |list: &[usize]| list.iter().map(|&i| id(i)).collect::<Vec<_>>();
        let (method, bound, delta) = match a.betweenness_method {
            BetweennessMethod::Exact => ("exact", None, None),
            BetweennessMethod::RiondatoKornaropoulos(with) => (
                "riondato-kornaropoulos",
                Some(with.error_bound),
                Some(with.sampling.delta),
            ),
        };
        NetworkDocument {
            link_kinds: self
                .place
                .link_kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            organisations: network
                .nodes
                .iter()
                .enumerate()
                .map(|(i, node)| NetworkOrganisation {
                    id: node.key.clone(),
                    name: node.label.clone(),
                    kind: node.kind.clone(),
                    degree: a.degree[i] as u64,
                    weighted_degree: a.weighted_degree[i],
                    betweenness: a.betweenness[i],
                    closeness: a.closeness.as_ref().map(|c| c[i]),
                    core: a.core_numbers[i] as u64,
                    community: a.communities.membership[i] as u64,
                })
                .collect(),
            links: edges(network)
                .into_iter()
                .map(|e| NetworkLink {
                    source: id(e.a),
                    target: id(e.b),
                    weight: e.weight,
                    kinds: e.kinds.split(' ').map(str::to_owned).collect(),
                    via: e.via.split(' ').map(str::to_owned).collect(),
                })
                .collect(),
            betweenness_method: method.to_owned(),
            betweenness_error_bound: bound,
            betweenness_delta: delta,
            modularity: a.communities.modularity,
            components: a.components.iter().map(|c| ids(c)).collect(),
            articulation_points: ids(&a.articulation_points),
            bridges: a.bridges.iter().map(|&(x, y)| vec![id(x), id(y)]).collect(),
            isolated: ids(&a.isolated),
            peripheral: ids(&a.peripheral),
        }
    }
}
