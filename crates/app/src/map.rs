//! The network map's data: the same cached analysis as the network page
//! and its downloads ([`App::network_analysis`]), with each organisation's
//! wards, levers and missions for the map's filters. Built from records
//! read at the caller's own level only, so a hidden organisation, mission or
//! commitment is absent as if it did not exist.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use placeweave_analysis::Options;
use placeweave_analysis::export::edges;
use placeweave_domain::Lever;
use placeweave_domain::map::{MapChoice, MapDocument, MapLink, MapOrganisation};
use placeweave_domain::network::NetworkOrganisation;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_store::network::Membership;
use sha2::{Digest, Sha256};

use crate::network::{NetworkAnalysis, group};
use crate::{App, Result, Scope};

impl App {
    /// The map of the place's network as the caller may see it, kept per
    /// data version and view like the analysis it is made from.
    pub async fn network_map(&self, scope: &Scope) -> Result<Arc<MapDocument>> {
        self.through_locked(
            &self.mapping,
            &self.maps,
            crate::network::view_key(scope, "map"),
            || self.map_now(scope),
        )
        .await
    }

    async fn map_now(&self, scope: &Scope) -> Result<Arc<MapDocument>> {
        let analysed = self
            .network_analysis(scope, Options::default(), |_| {})
            .await?;
        let attributes = self
            .store
            .map_attributes(scope.key(), scope.viewer())
            .await?;
        // At 10,000 organisations this is tens of milliseconds of copying
        // and hashing: keep it off the async threads too.
        let built = tokio::task::spawn_blocking(move || {
            map_document(
                &analysed,
                &attributes.wards,
                &attributes.levers,
                &attributes.missions,
            )
        })
        .await
        .map_err(|error| crate::AppError::Internal(format!("the map stopped: {error}")))?;
        Ok(Arc::new(built))
    }
}

/// The map document from an analysis and the organisations' attributes.
pub fn map_document(
    analysed: &NetworkAnalysis,
    wards: &[Membership],
    levers: &[Membership],
    missions: &[Membership],
) -> MapDocument {
    let (network, a) = (&analysed.place.network, &analysed.analysis);
    // Each grouped by organisation (the memberships' `via`).
    let (wards, levers, missions) = (group(wards), group(levers), group(missions));
    let articulation: BTreeSet<usize> = a.articulation_points.iter().copied().collect();
    let list = |lists: &BTreeMap<String, BTreeSet<String>>, key: &str| -> Vec<String> {
        lists
            .get(key)
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default()
    };
    let organisations: Vec<MapOrganisation> = network
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| MapOrganisation {
            node: NetworkOrganisation {
                id: node.key.clone(),
                name: node.label.clone(),
                kind: node.kind.clone(),
                degree: a.degree[i] as u64,
                weighted_degree: a.weighted_degree[i],
                betweenness: a.betweenness[i],
                closeness: a.closeness.as_ref().map(|c| c[i]),
                core: a.core_numbers[i] as u64,
                community: a.communities.membership[i] as u64,
            },
            wards: list(&wards, &node.key),
            levers: list(&levers, &node.key),
            missions: list(&missions, &node.key),
            articulation_point: articulation.contains(&i),
        })
        .collect();
    let links = edges(network)
        .into_iter()
        .map(|e| MapLink {
            source: e.a as u32,
            target: e.b as u32,
            weight: e.weight,
            kinds: e.kinds.split(' ').map(str::to_owned).collect(),
        })
        .collect();
    let kinds: BTreeMap<&str, String> = network
        .nodes
        .iter()
        .map(|n| {
            let name = OrganisationKind::parse(&n.kind)
                .map_or_else(|| n.kind.clone(), |k| k.label().to_owned());
            (n.kind.as_str(), name)
        })
        .collect();
    let ward_names: BTreeSet<&String> = wards.values().flatten().collect();
    let mut document = MapDocument {
        version: String::new(),
        // The view's own: the staff view adds relationships and meetings.
        link_kinds: analysed
            .place
            .link_kinds
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        organisations,
        links,
        kinds: kinds
            .into_iter()
            .map(|(id, name)| MapChoice {
                id: id.to_owned(),
                name,
            })
            .collect(),
        levers: Lever::ALL
            .iter()
            .map(|l| MapChoice {
                id: l.slug().to_owned(),
                name: l.label().to_owned(),
            })
            .collect(),
        missions: analysed
            .place
            .coverage
            .iter()
            .map(|row| MapChoice {
                id: row.mission.id.clone(),
                name: row.mission.name.clone(),
            })
            .collect(),
        wards: ward_names.into_iter().cloned().collect(),
        communities: a.communities.count as u64,
    };
    let digest = Sha256::digest(format!("{document:?}"));
    document.version = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    document
}
