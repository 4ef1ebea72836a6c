//! When a record was last changed and its source: the "Last updated" line
//! of a record's page. Read at the caller's own level, so a hidden record
//! has no date to show, as a missing one has none. The date is that of the
//! last change the public could see, and only public records show one: a
//! change visible to fewer people (a staff note, a hidden participant)
//! never moves a date that more people can read.

use placeweave_domain::{Dated, RecordUpdate, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::rank;
use crate::sql::{sql, visible};

#[derive(FromRow)]
struct UpdateRow {
    updated_at: Option<i64>,
    source: Option<String>,
}

fn table(kind: Dated) -> &'static str {
    match kind {
        Dated::Organisation => "organisation",
        Dated::Mission => "mission",
        Dated::Role => "role",
        Dated::Initiative => "initiative",
    }
}

impl Store {
    /// Dates a change to what the public sees of the record `slug` (the
    /// application decides that it changed). Outside the change's own
    /// transaction: a date that fails to move loses nothing.
    pub async fn mark_updated(&self, place: i64, kind: Dated, slug: &str, now: i64) -> Result<()> {
        self.exec()
            .execute(sql!(
                format!(
                    "UPDATE {} SET updated_at = $3 WHERE place_id = $1 AND slug = $2",
                    table(kind)
                ),
                place,
                slug,
                now
            ))
            .await?;
        Ok(())
    }

    /// The last change and source of the record `slug` of this kind, if the
    /// viewer may see it and either is known.
    pub async fn record_update(
        &self,
        place: i64,
        viewer: Viewer,
        kind: Dated,
        slug: &str,
    ) -> Result<Option<RecordUpdate>> {
        let row = self
            .exec()
            .optional::<UpdateRow>(sql!(
                format!(
                    "SELECT CASE WHEN r.audience = 'public' THEN r.updated_at END AS updated_at, \
                     r.source FROM {} r \
                     WHERE r.place_id = $1 AND r.slug = $2 AND {}",
                    table(kind),
                    visible("r", "$3")
                ),
                place,
                slug,
                rank(viewer)
            ))
            .await?;
        Ok(row
            .filter(|r| r.updated_at.is_some() || r.source.is_some())
            .map(|r| RecordUpdate {
                at: r.updated_at,
                source: r.source,
            }))
    }
}
