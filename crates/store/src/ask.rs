//! Asks: the candidate query matching scores. One statement gathers, for
//! every organisation the viewer may see that has any claim on the ask (the
//! lever, a commitment to the mission, the ward or a relationship), the
//! facts the domain's pure `ask::score` weighs; the ranking is done there.

use placeweave_domain::Viewer;
use placeweave_domain::ask::{AskNeeds, Candidate};
use placeweave_domain::relationship::{Health, RelationshipStage};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::rank;
use crate::sql::{sql, visible};

#[derive(FromRow)]
struct CandidateRow {
    id: i64,
    slug: String,
    name: String,
    holds_lever: i64,
    committed: i64,
    in_ward: i64,
    stage: Option<String>,
    health: Option<String>,
    last_asked: Option<String>,
}

impl Store {
    /// The partners that could answer an ask, with the facts matching
    /// weighs; `today` (YYYY-MM-DD) dates ask fatigue.
    pub async fn ask_candidates(
        &self,
        place: i64,
        viewer: Viewer,
        needs: &AskNeeds,
        today: &str,
    ) -> Result<Vec<Candidate>> {
        let sql = sql!(
            format!(
                "SELECT o.id, o.slug, o.name, \
                 CASE WHEN EXISTS (SELECT 1 FROM organisation_lever ol \
                   WHERE ol.organisation_id = o.id AND ol.lever = $3) THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS holds_lever, \
                 CASE WHEN EXISTS (SELECT 1 FROM commitment c WHERE c.organisation_id = o.id \
                   AND c.mission_id = $4 AND {c_visible}) THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS committed, \
                 CASE WHEN EXISTS (SELECT 1 FROM organisation_ward ow \
                   WHERE ow.organisation_id = o.id AND ow.ward = $5) THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS in_ward, \
                 r.stage, r.health, \
                 (SELECT MAX(am.asked_on) FROM ask_made am \
                   WHERE am.organisation_id = o.id) AS last_asked \
                 FROM organisation o \
                 LEFT JOIN relationship r ON r.organisation_id = o.id AND r.place_id = o.place_id \
                 AND {r_visible} \
                 WHERE o.place_id = $1 AND {o_visible} AND ( \
                   r.id IS NOT NULL \
                   OR EXISTS (SELECT 1 FROM organisation_lever ol \
                     WHERE ol.organisation_id = o.id AND ol.lever = $3) \
                   OR EXISTS (SELECT 1 FROM commitment c WHERE c.organisation_id = o.id \
                     AND c.mission_id = $4 AND {c_visible}) \
                   OR EXISTS (SELECT 1 FROM organisation_ward ow \
                     WHERE ow.organisation_id = o.id AND ow.ward = $5))",
                o_visible = visible("o", "$2"),
                r_visible = visible("r", "$2"),
                c_visible = visible("c", "$2"),
            ),
            place,
            rank(viewer),
            needs.lever.slug(),
            needs.mission_id,
            needs.ward.clone().unwrap_or_default()
        );
        let rows = self.exec().all::<CandidateRow>(sql).await?;
        Ok(rows
            .into_iter()
            .map(|row| Candidate {
                organisation_id: row.id,
                slug: row.slug,
                name: row.name,
                holds_lever: row.holds_lever == 1,
                committed_to_mission: row.committed == 1,
                works_in_ward: needs.ward.is_some() && row.in_ward == 1,
                stage: row.stage.as_deref().and_then(RelationshipStage::parse),
                health: row.health.as_deref().and_then(Health::parse),
                days_since_asked: row
                    .last_asked
                    .as_deref()
                    .and_then(|d| placeweave_domain::ask::days_between(d, today)),
            })
            .collect())
    }
}
