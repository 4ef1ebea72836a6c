//! The records the network's gaps, suggestions and staff view are made of,
//! beyond those of `store::network`: every visible organisation's wards and
//! levers, and (for staff) the convening organisation's relationships, their
//! owners and the interactions with each partner.
//!
//! Relationships and interactions are staff-only records (their audience is
//! never wider than staff), so the audience filter alone keeps them from the
//! public and partners; the application layer does not even ask for them
//! unless the policy lets the caller read relationships.

use placeweave_domain::Viewer;
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::network::Membership;
use crate::record::rank;
use crate::sql::{sql, visible};

/// A member of staff who owns a relationship or took part in an
/// interaction with `organisation` (by slug).
#[derive(Debug, Clone, PartialEq, Eq, Hash, FromRow)]
pub struct StaffTie {
    pub organisation: String,
    pub account: i64,
    pub name: String,
}

/// One member of staff's part in one interaction with a partner.
#[derive(Debug, Clone, PartialEq, Eq, Hash, FromRow)]
pub struct InteractionTie {
    pub interaction: i64,
    pub organisation: String,
    /// ISO date.
    pub occurred_on: String,
    pub account: i64,
    pub name: String,
}

/// The further records, each visible to the viewer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EcosystemRecords {
    /// Ward → organisation in it.
    pub wards: Vec<Membership>,
    /// Lever → organisation holding it (every visible organisation, not
    /// only committed ones).
    pub levers: Vec<Membership>,
    /// The convening organisation's own record (the organisation named as
    /// the place's convening organisation), when visible.
    pub convening: Option<String>,
    /// Partners the convening organisation has a relationship with.
    pub relationships: Vec<String>,
    pub owners: Vec<StaffTie>,
    pub interactions: Vec<InteractionTie>,
}

#[derive(FromRow)]
struct Slug {
    slug: String,
}

impl Store {
    /// Wards and levers for anyone; relationships, owners and interactions
    /// only when `staff_records` (the caller may read relationships).
    pub async fn ecosystem_records(
        &self,
        place: i64,
        viewer: Viewer,
        staff_records: bool,
    ) -> Result<EcosystemRecords> {
        let rank = rank(viewer);
        let text = |select: &str, aliases: &[&str]| {
            let filters: Vec<String> = aliases.iter().map(|a| visible(a, "$2")).collect();
            format!("{select} AND {}", filters.join(" AND "))
        };
        let wards = self
            .exec()
            .all::<Membership>(sql!(
                text(
                    "SELECT DISTINCT ow.ward AS via, o.slug AS member FROM organisation_ward ow \
                     JOIN organisation o ON o.id = ow.organisation_id WHERE o.place_id = $1",
                    &["o"]
                ) + " ORDER BY via, member",
                place,
                rank
            ))
            .await?;
        let levers = self
            .exec()
            .all::<Membership>(sql!(
                text(
                    "SELECT DISTINCT ol.lever AS via, o.slug AS member FROM organisation_lever ol \
                     JOIN organisation o ON o.id = ol.organisation_id WHERE o.place_id = $1",
                    &["o"]
                ) + " ORDER BY via, member",
                place,
                rank
            ))
            .await?;
        let mut records = EcosystemRecords {
            wards,
            levers,
            ..EcosystemRecords::default()
        };
        if !staff_records {
            return Ok(records);
        }
        records.convening = self
            .exec()
            .optional::<Slug>(sql!(
                text(
                    "SELECT o.slug FROM organisation o JOIN place p ON p.id = o.place_id \
                     WHERE o.place_id = $1 AND o.name = p.convening_organisation",
                    &["o"]
                ) + " ORDER BY o.slug LIMIT 1",
                place,
                rank
            ))
            .await?
            .map(|row| row.slug);
        records.relationships = self
            .exec()
            .all::<Slug>(sql!(
                text(
                    "SELECT o.slug FROM relationship r \
                     JOIN organisation o ON o.id = r.organisation_id WHERE r.place_id = $1",
                    &["r", "o"]
                ) + " ORDER BY o.slug",
                place,
                rank
            ))
            .await?
            .into_iter()
            .map(|row| row.slug)
            .collect();
        records.owners = self
            .exec()
            .all::<StaffTie>(sql!(
                text(
                    "SELECT o.slug AS organisation, a.id AS account, a.display_name AS name \
                     FROM relationship_owner ro \
                     JOIN relationship r ON r.id = ro.relationship_id \
                     JOIN organisation o ON o.id = r.organisation_id \
                     JOIN account a ON a.id = ro.account_id WHERE r.place_id = $1",
                    &["r", "o"]
                ) + " ORDER BY organisation, account",
                place,
                rank
            ))
            .await?;
        records.interactions = self
            .exec()
            .all::<InteractionTie>(interaction_ties_sql(place, viewer))
            .await?;
        Ok(records)
    }
}

/// Staff's part in the place's interactions. '+i.place_id' keeps SQLite
/// from walking every interaction of the place by date to look each one's
/// staff up: it reads the staff rows and finds each interaction by key
/// (`analyse --as staff` spent 5.1 s at 100,000 organisations in this
/// query, which found no rows there).
fn interaction_ties_sql(place: i64, viewer: Viewer) -> crate::sql::Sql {
    sql!(
        format!(
            "SELECT i.id AS interaction, o.slug AS organisation, i.occurred_on, \
             a.id AS account, a.display_name AS name \
             FROM interaction_staff s \
             JOIN interaction i ON i.id = s.interaction_id \
             JOIN organisation o ON o.id = i.organisation_id \
             JOIN account a ON a.id = s.account_id WHERE +i.place_id = $1 AND {} AND {} \
             ORDER BY interaction, account",
            visible("i", "$2"),
            visible("o", "$2")
        ),
        place,
        rank(viewer)
    )
}

#[cfg(test)]
mod tests {
    use crate::testing::{database, sqlite_plan};
    use placeweave_domain::Viewer;

    /// SQLite finds each staff row's interaction by key rather than
    /// walking the place's interactions by date. The plan needs no data:
    /// without statistics it is the one a full place gets.
    #[tokio::test]
    async fn staff_ties_find_interactions_by_key() {
        let db = database().await.expect("database");
        let Some(plan) =
            sqlite_plan(&db.store, super::interaction_ties_sql(1, Viewer::Staff)).await
        else {
            return;
        };
        let interactions = plan
            .iter()
            .find(|line| line.starts_with("SEARCH i "))
            .unwrap_or_else(|| panic!("no search of interactions in {plan:?}"));
        assert!(interactions.contains("PRIMARY KEY"), "{plan:?}");
    }
}
