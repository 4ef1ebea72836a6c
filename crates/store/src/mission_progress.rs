//! A mission's progress against its target year: read at the mission's
//! audience, set with its audit line in one transaction.

use placeweave_domain::Viewer;
use placeweave_domain::mission_progress::{MissionProgress, Progress};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::privacy::AuditLine;
use crate::record::{Write, optional_term, rank, resolve};
use crate::sql::{sql, visible};

#[derive(FromRow)]
struct ProgressRow {
    progress: Option<String>,
    progress_decided_by: Option<String>,
    progress_decided_at: Option<String>,
    progress_note: Option<String>,
}

impl Store {
    /// The mission's progress as recorded, if the viewer may see the mission.
    pub async fn mission_progress(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<MissionProgress>> {
        let Some(row) = self
            .exec()
            .optional::<ProgressRow>(sql!(
                format!(
                    "SELECT progress, progress_decided_by, progress_decided_at, progress_note \
                     FROM mission m WHERE m.place_id = $1 AND m.slug = $2 AND {}",
                    visible("m", "$3")
                ),
                place,
                slug,
                rank(viewer)
            ))
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(MissionProgress {
            progress: optional_term("progress", row.progress.as_deref(), Progress::parse)?,
            decided_by: row.progress_decided_by,
            decided_at: row.progress_decided_at,
            note: row.progress_note,
        }))
    }

    /// Records a decision about a mission's progress.
    pub async fn set_mission_progress(
        &self,
        w: &Write<'_>,
        slug: &str,
        progress: &MissionProgress,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "mission", "mission", slug).await?;
        tx.exec()
            .execute(sql!(
                "UPDATE mission SET progress = $2, progress_decided_by = $3, \
                 progress_decided_at = $4, progress_note = $5 WHERE id = $1",
                id,
                progress.progress.map(|p| p.slug()),
                progress.decided_by.clone(),
                progress.decided_at.clone(),
                progress.note.clone()
            ))
            .await?;
        let detail = serde_json::json!({ "progress": progress });
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "update",
                    record_type: "mission",
                    record_id: Some(slug.to_owned()),
                    detail: Some(detail.to_string()),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await
    }
}
