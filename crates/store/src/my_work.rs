//! What "My work" needs that no other read gives: one person's open
//! follow-ups past their due date, across every interaction they may see.

use placeweave_domain::Viewer;
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::rank;
use crate::sql::{sql, visible};

/// An overdue follow-up with its interaction and partner.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OverdueFollowUp {
    pub interaction: i64,
    pub organisation_name: String,
    pub action: String,
    pub due_on: String,
}

impl Store {
    /// `owner`'s follow-ups not done and due before `today` (ISO date), in
    /// interactions `viewer` may see, oldest due first.
    pub async fn overdue_follow_ups(
        &self,
        place: i64,
        viewer: Viewer,
        owner: i64,
        today: &str,
    ) -> Result<Vec<OverdueFollowUp>> {
        self.exec()
            .all::<OverdueFollowUp>(sql!(
                format!(
                    "SELECT i.id AS interaction, o.name AS organisation_name, f.action, f.due_on \
                     FROM follow_up f JOIN interaction i ON i.id = f.interaction_id \
                     JOIN organisation o ON o.id = i.organisation_id \
                     WHERE i.place_id = $1 AND f.owner_id = $2 AND f.done = FALSE \
                     AND f.due_on IS NOT NULL AND f.due_on < $3 AND {} AND {} \
                     ORDER BY f.due_on, f.id",
                    visible("i", "$4"),
                    visible("o", "$4")
                ),
                place,
                owner,
                today,
                rank(viewer)
            ))
            .await
    }
}
