//! What the network map filters on, beyond the network itself: the wards
//! each organisation works in and the levers it holds, for the
//! organisations the viewer may see, and the missions it is committed to.

use placeweave_domain::Viewer;

use crate::Store;
use crate::error::Result;
use crate::network::{COMMITTED, Membership};
use crate::record::rank;
use crate::sql::{sql, visible};

/// Organisation → ward and organisation → lever, by slug (`via` is the
/// organisation, `member` the ward or lever), ordered by organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapAttributes {
    pub wards: Vec<Membership>,
    pub levers: Vec<Membership>,
    /// Organisation → mission it has a commitment to beyond a proposal
    /// (commitment and mission both visible).
    pub missions: Vec<Membership>,
}

impl Store {
    pub async fn map_attributes(&self, place: i64, viewer: Viewer) -> Result<MapAttributes> {
        let rank = rank(viewer);
        let mut found = [Vec::new(), Vec::new()];
        for (slot, (table, column)) in [
            ("organisation_ward", "ward"),
            ("organisation_lever", "lever"),
        ]
        .into_iter()
        .enumerate()
        {
            // Wards and levers are public facts of a visible organisation.
            found[slot] = self
                .exec()
                .all::<Membership>(sql!(
                    format!(
                        "SELECT o.slug AS via, t.{column} AS member FROM {table} t \
                         JOIN organisation o ON o.id = t.organisation_id \
                         WHERE o.place_id = $1 AND {} ORDER BY o.slug, t.{column}",
                        visible("o", "$2")
                    ),
                    place,
                    rank
                ))
                .await?;
        }
        let missions = self
            .exec()
            .all::<Membership>(sql!(
                format!(
                    "SELECT DISTINCT o.slug AS via, m.slug AS member FROM commitment c \
                     JOIN mission m ON m.id = c.mission_id \
                     JOIN organisation o ON o.id = c.organisation_id \
                     WHERE c.place_id = $1 AND {COMMITTED} AND {} AND {} AND {} \
                     ORDER BY via, member",
                    visible("c", "$2"),
                    visible("m", "$2"),
                    visible("o", "$2")
                ),
                place,
                rank
            ))
            .await?;
        let [wards, levers] = found;
        Ok(MapAttributes {
            wards,
            levers,
            missions,
        })
    }
}
