//! The ecosystem network as published: organisations with their metrics,
//! the links between them and the network's single points of failure. One
//! document for the API and `placeweave analyse`; it holds only what its
//! reader may see (the application layer builds it at their level).

use serde::Serialize;

/// An organisation as a node of the network, with its metrics.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NetworkOrganisation {
    /// The organisation's id (slug).
    pub id: String,
    pub name: String,
    /// The organisation kind's slug.
    pub kind: String,
    /// Number of organisations it is linked to.
    pub degree: u64,
    /// Summed weight of its links.
    pub weighted_degree: f64,
    /// Share of shortest paths between other organisations passing through
    /// it (normalised as NetworkX does).
    pub betweenness: f64,
    /// Closeness (Wasserman–Faust); null above the size where it is computed.
    pub closeness: Option<f64>,
    /// Core number: the largest k of a k-core it belongs to.
    pub core: u64,
    /// Its community (Louvain), numbered from 0, largest first.
    pub community: u64,
}

/// Two organisations and what links them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NetworkLink {
    pub source: String,
    pub target: String,
    /// One for each shared initiative or mission.
    pub weight: f64,
    /// Link kinds: `initiative`, `mission`.
    pub kinds: Vec<String>,
    /// Ids of the initiatives and missions they share.
    pub via: Vec<String>,
}

/// A place's network and its analysis.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NetworkDocument {
    /// The link kinds this view is made of.
    pub link_kinds: Vec<String>,
    pub organisations: Vec<NetworkOrganisation>,
    pub links: Vec<NetworkLink>,
    /// `exact` (Brandes) or `riondato-kornaropoulos` (sampled).
    pub betweenness_method: String,
    /// For a sampled betweenness, the largest error of any value with
    /// probability at least 1 − `betweenness_delta`; null when exact.
    pub betweenness_error_bound: Option<f64>,
    pub betweenness_delta: Option<f64>,
    /// Modularity of the communities.
    pub modularity: f64,
    /// Connected components, largest first, as lists of ids.
    pub components: Vec<Vec<String>>,
    /// Organisations whose loss would split the network.
    pub articulation_points: Vec<String>,
    /// Links whose loss would split the network, each two ids.
    pub bridges: Vec<Vec<String>>,
    /// Organisations with no link.
    pub isolated: Vec<String>,
    /// Organisations linked through one partner only.
    pub peripheral: Vec<String>,
}
