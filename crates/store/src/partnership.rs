//! The compact reads behind the partnership team's report and their
//! coordination: the stage history, relationships gone quiet, every open
//! follow-up past due, meetings to come, and who has been in touch with a
//! partner. Each joins the records it reads through the viewer's audience,
//! so a caller never reads more than they may see.

use placeweave_domain::Viewer;
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::rank;
use crate::sql::{Sql, sql, visible};

/// The statement behind [`Store::late_follow_ups`]: it starts from the
/// open follow-ups due before today (migration 0025's index), not from
/// every interaction of the place.
fn late_sql(place: i64, viewer: Viewer, today: &str) -> Sql {
    sql!(
        format!(
            "SELECT i.id AS interaction, o.name AS organisation_name, f.action, f.due_on, \
             a.display_name AS owner_name \
             FROM follow_up f JOIN interaction i ON i.id = f.interaction_id \
             JOIN organisation o ON o.id = i.organisation_id \
             LEFT JOIN account a ON a.id = f.owner_id \
             WHERE i.place_id = $1 AND f.done = FALSE AND f.due_on IS NOT NULL \
             AND f.due_on < $2 AND {} AND {} ORDER BY f.due_on, f.id",
            visible("i", "$3"),
            visible("o", "$3")
        ),
        place,
        today,
        rank(viewer)
    )
}

/// The statement behind [`Store::quiet_relationships`]. Each relationship
/// finds its organisation's latest interaction from the organisation's
/// index: `+` keeps SQLite off the place's date index, which it otherwise
/// walks once per relationship (over 120 s at 10,000 organisations and
/// 100,000 interactions; 0.18 s from the organisation's index, and 0.03 s
/// of CPU from migration 0025's, which holds the place and audience too).
fn quiet_sql(place: i64, viewer: Viewer, since: &str, today: &str) -> Sql {
    sql!(
        format!(
            "SELECT r.id AS relationship, o.name AS organisation_name, r.stage, \
             MAX(i.occurred_on) AS last_interaction \
             FROM relationship r JOIN organisation o ON o.id = r.organisation_id \
             LEFT JOIN interaction i ON i.organisation_id = r.organisation_id \
             AND +i.place_id = r.place_id AND i.occurred_on <= $2 AND {} \
             WHERE r.place_id = $1 AND r.stage <> 'ended' AND {} AND {} \
             GROUP BY r.id, o.name, r.stage \
             HAVING MAX(i.occurred_on) IS NULL OR MAX(i.occurred_on) < $3 \
             ORDER BY MAX(i.occurred_on) IS NOT NULL, MAX(i.occurred_on), o.name",
            visible("i", "$4"),
            visible("r", "$4"),
            visible("o", "$4")
        ),
        place,
        today,
        since,
        rank(viewer)
    )
}

/// One row of a relationship's stage history.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StageHistoryRow {
    pub relationship: i64,
    pub stage: String,
    pub changed_on: String,
}

/// A relationship with no interaction since its cut-off.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct QuietRelationship {
    pub relationship: i64,
    pub organisation_name: String,
    pub stage: String,
    /// The latest interaction's date, if there ever was one.
    pub last_interaction: Option<String>,
}

/// A follow-up past due, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct LateFollowUp {
    pub interaction: i64,
    pub organisation_name: String,
    pub action: String,
    pub due_on: String,
    pub owner_name: Option<String>,
}

/// An interaction dated after today.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UpcomingInteraction {
    pub interaction: i64,
    pub organisation_name: String,
    pub kind: String,
    pub occurred_on: String,
}

/// One staff member's part in one interaction with a partner.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ContactRow {
    pub interaction: i64,
    pub occurred_on: String,
    pub kind: String,
    pub account: i64,
    pub display_name: String,
    pub team: Option<String>,
}

impl Store {
    /// Every stage change of the relationships `viewer` may see (with
    /// their organisations: a hidden partner's relationship is hidden too),
    /// oldest recorded first.
    pub async fn stage_history(&self, place: i64, viewer: Viewer) -> Result<Vec<StageHistoryRow>> {
        self.exec()
            .all::<StageHistoryRow>(sql!(
                format!(
                    "SELECT s.relationship_id AS relationship, s.stage, s.changed_on \
                     FROM relationship_stage s JOIN relationship r ON r.id = s.relationship_id \
                     JOIN organisation o ON o.id = r.organisation_id \
                     WHERE r.place_id = $1 AND {} AND {} ORDER BY s.id",
                    visible("r", "$2"),
                    visible("o", "$2")
                ),
                place,
                rank(viewer)
            ))
            .await
    }

    /// Relationships not ended whose partner has had no interaction dated
    /// on or after `since` and up to `today` (one `viewer` may see), the
    /// longest quiet first.
    pub async fn quiet_relationships(
        &self,
        place: i64,
        viewer: Viewer,
        since: &str,
        today: &str,
    ) -> Result<Vec<QuietRelationship>> {
        self.exec()
            .all::<QuietRelationship>(quiet_sql(place, viewer, since, today))
            .await
    }

    /// Everyone's follow-ups not done and due before `today`, oldest due
    /// first, in interactions `viewer` may see.
    pub async fn late_follow_ups(
        &self,
        place: i64,
        viewer: Viewer,
        today: &str,
    ) -> Result<Vec<LateFollowUp>> {
        self.exec()
            .all::<LateFollowUp>(late_sql(place, viewer, today))
            .await
    }

    /// Interactions dated after `today` that `staff` takes part in, soonest
    /// first, at most `limit`.
    pub async fn upcoming_interactions(
        &self,
        place: i64,
        viewer: Viewer,
        staff: i64,
        today: &str,
        limit: i64,
    ) -> Result<Vec<UpcomingInteraction>> {
        self.exec()
            .all::<UpcomingInteraction>(sql!(
                format!(
                    "SELECT i.id AS interaction, o.name AS organisation_name, i.kind, i.occurred_on \
                     FROM interaction i JOIN interaction_staff s ON s.interaction_id = i.id \
                     JOIN organisation o ON o.id = i.organisation_id \
                     WHERE i.place_id = $1 AND s.account_id = $2 AND i.occurred_on > $3 \
                     AND {} AND {} ORDER BY i.occurred_on, i.id LIMIT $5",
                    visible("i", "$4"),
                    visible("o", "$4")
                ),
                place,
                staff,
                today,
                rank(viewer),
                limit
            ))
            .await
    }

    /// Who took part in the interactions the organisation `slug` took
    /// part in (as the partner or at someone else's roundtable)
    /// dated on or after `since` (`None`: ever), newest first, at most
    /// `limit` rows: one row per staff member per interaction.
    pub async fn contacts_log(
        &self,
        place: i64,
        viewer: Viewer,
        slug: &str,
        since: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ContactRow>> {
        let ids = self.taking_part(place, viewer, slug).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.exec()
            .all::<ContactRow>(sql!(
                format!(
                    "SELECT i.id AS interaction, i.occurred_on, i.kind, a.id AS account, \
                     a.display_name, a.team \
                     FROM interaction i JOIN organisation o ON o.id = i.organisation_id \
                     JOIN interaction_staff s ON s.interaction_id = i.id \
                     JOIN account a ON a.id = s.account_id \
                     WHERE +i.place_id = $1 AND i.id IN ({}) AND i.occurred_on >= $2 \
                     AND {} AND {} ORDER BY i.occurred_on DESC, i.id DESC, a.id LIMIT $4",
                    crate::sql::id_list(&ids),
                    visible("i", "$3"),
                    visible("o", "$3")
                ),
                place,
                since.unwrap_or_default(),
                rank(viewer),
                limit
            ))
            .await
    }

    /// An account's team, if it has one.
    pub async fn account_team(&self, account: i64) -> Result<Option<String>> {
        #[derive(FromRow)]
        struct Team {
            team: Option<String>,
        }
        Ok(self
            .exec()
            .optional::<Team>(sql!("SELECT team FROM account WHERE id = $1", account))
            .await?
            .and_then(|t| t.team))
    }

    /// Sets (or clears) an account's team.
    pub async fn set_account_team(&self, account: i64, team: Option<&str>) -> Result<()> {
        self.exec()
            .execute(sql!(
                "UPDATE account SET team = $1 WHERE id = $2",
                team,
                account
            ))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{database, sqlite_plan};
    use placeweave_domain::Viewer;

    /// SQLite reads each relationship's interactions from the
    /// organisation's index, not by walking the place's by date (the
    /// report did not finish in 300 s at 10,000 organisations). The plan
    /// needs no data: without statistics it is the one a full place gets.
    #[tokio::test]
    async fn quiet_relationships_read_interactions_by_organisation() {
        let db = database().await.expect("database");
        let Some(plan) = sqlite_plan(
            &db.store,
            super::quiet_sql(1, Viewer::Staff, "2026-01-01", "2026-05-01"),
        )
        .await
        else {
            return;
        };
        let interactions = plan
            .iter()
            .find(|line| line.starts_with("SEARCH i "))
            .unwrap_or_else(|| panic!("no search of interactions in {plan:?}"));
        // From the index alone (migration 0025): 100,000 interactions are
        // not each read from the table to check the place and audience.
        assert!(
            interactions.contains("COVERING INDEX interaction_latest_by_organisation"),
            "{plan:?}"
        );
    }

    /// Late follow-ups start from the open ones due before today, not from
    /// every interaction of the place (0.14 s of CPU at 100,000
    /// interactions; 0.02 s from the follow-ups' index).
    #[tokio::test]
    async fn late_follow_ups_start_from_the_open_ones_due() {
        let db = database().await.expect("database");
        let Some(plan) =
            sqlite_plan(&db.store, super::late_sql(1, Viewer::Staff, "2026-05-01")).await
        else {
            return;
        };
        let first = plan
            .iter()
            .find(|line| line.starts_with("SEARCH ") || line.starts_with("SCAN "))
            .unwrap_or_else(|| panic!("no read in {plan:?}"));
        assert!(
            first.starts_with("SEARCH f USING INDEX follow_up_open_by_due"),
            "{plan:?}"
        );
    }
}
