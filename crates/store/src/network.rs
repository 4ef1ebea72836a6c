//! The records the ecosystem network is made of, as one viewer may see
//! them: organisations, who takes part in which initiative, who is committed
//! to which mission, and the levers committed partners bring.
//!
//! Relationships and interactions (and later grants) will be further
//! memberships here, each read by its own query into [`NetworkRecords`]; the
//! application layer turns memberships into typed, weighted links.

use placeweave_domain::Viewer;
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::rank;
use crate::sql::{sql, visible};

/// An organisation as a node: slug, name and kind's slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash, FromRow)]
pub struct NetworkOrganisation {
    pub slug: String,
    pub name: String,
    pub kind: String,
}

/// A mission or an initiative: slug and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, FromRow)]
pub struct Named {
    pub slug: String,
    pub name: String,
}

/// A record (`via`, e.g. an initiative) and one record linked to it
/// (`member`, e.g. an organisation taking part), both by slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash, FromRow)]
pub struct Membership {
    pub via: String,
    pub member: String,
}

/// An organisation committed to a mission that holds a lever.
#[derive(Debug, Clone, PartialEq, Eq, Hash, FromRow)]
pub struct MissionLever {
    pub mission: String,
    pub lever: String,
    pub organisation: String,
}

/// Everything the network is built from, each row visible to the viewer
/// and joined only to records visible to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NetworkRecords {
    pub organisations: Vec<NetworkOrganisation>,
    pub missions: Vec<Named>,
    pub initiatives: Vec<Named>,
    /// Initiative → participating organisation.
    pub participants: Vec<Membership>,
    /// Mission → organisation with a commitment to it beyond a proposal.
    pub committed: Vec<Membership>,
    /// Initiative → mission it serves.
    pub initiative_missions: Vec<Membership>,
    pub mission_levers: Vec<MissionLever>,
}

/// Commitment statuses that count as a commitment (a proposal does not).
pub(crate) const COMMITTED: &str = "c.status IN ('testing', 'active', 'completed')";

impl Store {
    pub async fn network_records(&self, place: i64, viewer: Viewer) -> Result<NetworkRecords> {
        let rank = rank(viewer);
        // Each query names the place as $1 and the viewer's rank as $2.
        let text = |select: &str, aliases: &[&str]| {
            let filters: Vec<String> = aliases.iter().map(|a| visible(a, "$2")).collect();
            format!("{select} AND {}", filters.join(" AND "))
        };
        let organisations = self
            .exec()
            .all::<NetworkOrganisation>(sql!(
                text(
                    "SELECT o.slug, o.name, o.kind FROM organisation o WHERE o.place_id = $1",
                    &["o"]
                ) + " ORDER BY o.slug",
                place,
                rank
            ))
            .await?;
        let missions = self
            .exec()
            .all::<Named>(sql!(
                text(
                    "SELECT m.slug, m.short_name AS name FROM mission m WHERE m.place_id = $1",
                    &["m"]
                ) + " ORDER BY m.position, m.slug",
                place,
                rank
            ))
            .await?;
        let initiatives = self
            .exec()
            .all::<Named>(sql!(
                text(
                    "SELECT i.slug, i.name FROM initiative i WHERE i.place_id = $1",
                    &["i"]
                ) + " ORDER BY i.name, i.slug",
                place,
                rank
            ))
            .await?;
        let participants = self
            .exec()
            .all::<Membership>(sql!(
                text(
                    "SELECT DISTINCT i.slug AS via, o.slug AS member FROM initiative_participant ip \
                     JOIN initiative i ON i.id = ip.initiative_id \
                     JOIN organisation o ON o.id = ip.organisation_id WHERE i.place_id = $1",
                    &["i", "o"]
                ) + " ORDER BY via, member",
                place,
                rank
            ))
            .await?;
        let committed = self
            .exec()
            .all::<Membership>(sql!(
                text(
                    &format!(
                        "SELECT DISTINCT m.slug AS via, o.slug AS member FROM commitment c \
                         JOIN mission m ON m.id = c.mission_id \
                         JOIN organisation o ON o.id = c.organisation_id \
                         WHERE c.place_id = $1 AND {COMMITTED}"
                    ),
                    &["c", "m", "o"]
                ) + " ORDER BY via, member",
                place,
                rank
            ))
            .await?;
        let initiative_missions = self
            .exec()
            .all::<Membership>(sql!(
                text(
                    "SELECT DISTINCT i.slug AS via, m.slug AS member FROM initiative_mission im \
                     JOIN initiative i ON i.id = im.initiative_id \
                     JOIN mission m ON m.id = im.mission_id WHERE i.place_id = $1",
                    &["i", "m"]
                ) + " ORDER BY via, member",
                place,
                rank
            ))
            .await?;
        let mission_levers = self
            .exec()
            .all::<MissionLever>(sql!(
                text(
                    &format!(
                        "SELECT DISTINCT m.slug AS mission, ol.lever AS lever, o.slug AS organisation \
                         FROM commitment c \
                         JOIN mission m ON m.id = c.mission_id \
                         JOIN organisation o ON o.id = c.organisation_id \
                         JOIN organisation_lever ol ON ol.organisation_id = o.id \
                         WHERE c.place_id = $1 AND {COMMITTED}"
                    ),
                    &["c", "m", "o"]
                ) + " ORDER BY mission, lever, organisation",
                place,
                rank
            ))
            .await?;
        Ok(NetworkRecords {
            organisations,
            missions,
            initiatives,
            participants,
            committed,
            initiative_missions,
            mission_levers,
        })
    }
}
