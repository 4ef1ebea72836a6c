//! The network map's data: every organisation the reader may see with what
//! the map filters, colours and sizes it by, and the links between them.
//! Links name their ends by position in `organisations`, which halves the
//! document at 10,000 organisations (it is read by a script, not a person).

use serde::Serialize;

use crate::network::NetworkOrganisation;

/// A choice in one of the map's filters: its id and what it is called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MapChoice {
    pub id: String,
    pub name: String,
}

/// An organisation on the map: its id, name, kind and metrics as in the
/// network's document, and what the map filters on.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MapOrganisation {
    #[serde(flatten)]
    pub node: NetworkOrganisation,
    /// The wards it works in.
    pub wards: Vec<String>,
    /// Slugs of the levers it holds (named in `levers`).
    pub levers: Vec<String>,
    /// Ids of the missions it is committed to (named in `missions`).
    pub missions: Vec<String>,
    /// Whether its loss would split the network.
    pub articulation_point: bool,
}

/// A link between two organisations.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MapLink {
    /// Position of one end in `organisations`.
    pub source: u32,
    /// Position of the other end in `organisations`.
    pub target: u32,
    /// One for each shared initiative or mission.
    pub weight: f64,
    /// Link kinds: `initiative`, `mission`.
    pub kinds: Vec<String>,
}

/// The map of a place's network as one reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MapDocument {
    /// A digest of everything below: the same for the same data, and new
    /// when anything the reader can see changes. The map's script keeps its
    /// layout under it.
    pub version: String,
    /// The link kinds this view is made of.
    pub link_kinds: Vec<String>,
    pub organisations: Vec<MapOrganisation>,
    pub links: Vec<MapLink>,
    /// The organisation kinds present, for the filter and legend.
    pub kinds: Vec<MapChoice>,
    /// Every lever, in the order the pages list them.
    pub levers: Vec<MapChoice>,
    /// The missions the reader may see.
    pub missions: Vec<MapChoice>,
    /// The wards organisations work in.
    pub wards: Vec<String>,
    /// Number of communities.
    pub communities: u64,
}
