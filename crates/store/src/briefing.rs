//! The brokerage briefing's own reads: which relationship is a partner's,
//! the asks already put to the partner with their answers, and the open
//! asks of the place with the facts about this partner that matching
//! weighs (the ranking itself is the domain's pure `ask::score`).
//! Everything else a briefing shows is read by each record's own module.
//! Every read here is cut to what the viewer may see: an ask, its mission
//! and the relationship at their audiences.

use placeweave_domain::Viewer;
use placeweave_domain::ask::{Answer, AskNeeds, AskSize, AskStatus, Candidate, days_between};
use placeweave_domain::place::RecordRef;
use placeweave_domain::relationship::{Health, RelationshipStage};
use placeweave_domain::vocabulary::Lever;
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::record::{optional_term, rank, term};
use crate::sql::{Id, sql, visible};

/// An ask as a briefing names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskSummary {
    /// The ask's slug.
    pub id: String,
    pub title: String,
    pub mission: RecordRef,
    pub lever: Lever,
    pub ward: Option<String>,
    pub size: AskSize,
    pub status: AskStatus,
}

/// One time an ask was put to the partner, and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskMade {
    pub ask: AskSummary,
    /// YYYY-MM-DD.
    pub asked_on: String,
    pub answer: Answer,
    pub answered_on: Option<String>,
    /// Private staff text on the answer.
    pub note: Option<String>,
}

/// An open ask not yet put to the partner, with what matching needs to
/// know about the ask and about the partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAsk {
    pub ask: AskSummary,
    pub needs: AskNeeds,
    pub candidate: Candidate,
}

#[derive(FromRow)]
struct AskRow {
    slug: String,
    title: String,
    mission_id: i64,
    mission_slug: String,
    mission_name: String,
    lever: String,
    ward: Option<String>,
    quantity: Option<i64>,
    unit: Option<String>,
    pounds: Option<i64>,
    status: String,
}

#[derive(FromRow)]
struct AskMadeRow {
    #[sqlx(flatten)]
    ask: AskRow,
    asked_on: String,
    answer: String,
    answered_on: Option<String>,
    note: Option<String>,
}

#[derive(FromRow)]
struct OpenAskRow {
    #[sqlx(flatten)]
    ask: AskRow,
    holds_lever: i64,
    committed: i64,
    in_ward: i64,
}

#[derive(FromRow)]
struct PartnerRow {
    id: i64,
    slug: String,
    name: String,
    stage: Option<String>,
    health: Option<String>,
    last_asked: Option<String>,
}

/// The columns of an ask and its mission (aliases `a` and `m`).
const ASK_COLUMNS: &str = "a.slug, a.title, m.id AS mission_id, m.slug AS mission_slug, \
    m.short_name AS mission_name, a.lever, a.ward, a.quantity, a.unit, a.pounds, a.status";

impl AskRow {
    fn summary(self) -> Result<(AskSummary, i64)> {
        let size = match (self.quantity, self.unit, self.pounds) {
            (Some(quantity), Some(unit), None) => AskSize::Quantity { quantity, unit },
            (None, None, Some(pounds)) => AskSize::Pounds { pounds },
            _ => {
                return Err(StoreError::Corrupt {
                    column: "quantity",
                    value: format!("ask {} has no single size", self.slug),
                });
            }
        };
        Ok((
            AskSummary {
                id: self.slug,
                title: self.title,
                mission: RecordRef {
                    id: self.mission_slug,
                    name: self.mission_name,
                },
                lever: term("lever", &self.lever, Lever::parse)?,
                ward: self.ward,
                size,
                status: term("status", &self.status, AskStatus::parse)?,
            },
            self.mission_id,
        ))
    }
}

impl Store {
    /// The id of the relationship with the organisation `organisation`
    /// (a slug), if there is one that `viewer` may see, with an
    /// organisation they may see.
    pub async fn relationship_of(
        &self,
        place: i64,
        organisation: &str,
        viewer: Viewer,
    ) -> Result<Option<i64>> {
        Ok(self
            .exec()
            .optional::<Id>(sql!(
                format!(
                    "SELECT r.id FROM relationship r JOIN organisation o ON o.id = r.organisation_id \
                     WHERE r.place_id = $1 AND o.place_id = $1 AND o.slug = $2 AND {} AND {}",
                    visible("r", "$3"),
                    visible("o", "$3"),
                ),
                place,
                organisation,
                rank(viewer)
            ))
            .await?
            .map(|row| row.id))
    }

    /// Every time an ask `viewer` may see was put to the organisation
    /// `organisation` (a slug), newest first.
    pub async fn asks_made_to(
        &self,
        place: i64,
        organisation: &str,
        viewer: Viewer,
    ) -> Result<Vec<AskMade>> {
        let rows = self
            .exec()
            .all::<AskMadeRow>(sql!(
                format!(
                    "SELECT {ASK_COLUMNS}, am.asked_on, am.answer, am.answered_on, am.note \
                     FROM ask_made am JOIN ask a ON a.id = am.ask_id \
                     JOIN mission m ON m.id = a.mission_id \
                     JOIN organisation o ON o.id = am.organisation_id \
                     WHERE a.place_id = $1 AND o.place_id = $1 AND o.slug = $2 \
                     AND {} AND {} AND {} \
                     ORDER BY am.asked_on DESC, am.id DESC",
                    visible("a", "$3"),
                    visible("m", "$3"),
                    visible("o", "$3"),
                ),
                place,
                organisation,
                rank(viewer)
            ))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (ask, _) = row.ask.summary()?;
            out.push(AskMade {
                ask,
                asked_on: row.asked_on,
                answer: term("answer", &row.answer, Answer::parse)?,
                answered_on: row.answered_on,
                note: row.note,
            });
        }
        Ok(out)
    }

    /// The place's open asks that `viewer` may see and that were never put
    /// to the organisation `organisation` (a slug), each with the facts
    /// about the organisation that matching weighs: whether it holds the
    /// ask's lever, has a commitment to its mission, works in its ward;
    /// its relationship's stage and health; and how long since it was
    /// last asked anything (`today` is YYYY-MM-DD). Only what `viewer`
    /// may see counts. Empty if the organisation is not one they may see.
    pub async fn open_asks_for(
        &self,
        place: i64,
        organisation: &str,
        viewer: Viewer,
        today: &str,
    ) -> Result<Vec<OpenAsk>> {
        // Last asked counts only asks seen with their missions.
        let partner = self
            .exec()
            .optional::<PartnerRow>(sql!(
                format!(
                    "SELECT o.id, o.slug, o.name, r.stage, r.health, \
                     (SELECT MAX(am.asked_on) FROM ask_made am JOIN ask a ON a.id = am.ask_id \
                       JOIN mission m ON m.id = a.mission_id \
                       WHERE am.organisation_id = o.id AND {a_visible} AND {m_visible}) \
                     AS last_asked \
                     FROM organisation o \
                     LEFT JOIN relationship r ON r.organisation_id = o.id AND r.place_id = o.place_id \
                     AND {r_visible} \
                     WHERE o.place_id = $1 AND o.slug = $2 AND {o_visible}",
                    a_visible = visible("a", "$3"),
                    m_visible = visible("m", "$3"),
                    r_visible = visible("r", "$3"),
                    o_visible = visible("o", "$3"),
                ),
                place,
                organisation,
                rank(viewer)
            ))
            .await?;
        let Some(partner) = partner else {
            return Ok(Vec::new());
        };
        let rows = self
            .exec()
            .all::<OpenAskRow>(sql!(
                format!(
                    "SELECT {ASK_COLUMNS}, \
                     CASE WHEN EXISTS (SELECT 1 FROM organisation_lever ol \
                       WHERE ol.organisation_id = $2 AND ol.lever = a.lever) \
                       THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS holds_lever, \
                     CASE WHEN EXISTS (SELECT 1 FROM commitment c WHERE c.organisation_id = $2 \
                       AND c.mission_id = a.mission_id AND {c_visible}) \
                       THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS committed, \
                     CASE WHEN EXISTS (SELECT 1 FROM organisation_ward ow \
                       WHERE ow.organisation_id = $2 AND ow.ward = a.ward) \
                       THEN CAST(1 AS BIGINT) ELSE CAST(0 AS BIGINT) END AS in_ward \
                     FROM ask a JOIN mission m ON m.id = a.mission_id \
                     WHERE a.place_id = $1 AND a.status = 'open' AND {a_visible} AND {m_visible} \
                     AND NOT EXISTS (SELECT 1 FROM ask_made am \
                       WHERE am.ask_id = a.id AND am.organisation_id = $2) \
                     ORDER BY a.title, a.id",
                    c_visible = visible("c", "$3"),
                    a_visible = visible("a", "$3"),
                    m_visible = visible("m", "$3"),
                ),
                place,
                partner.id,
                rank(viewer)
            ))
            .await?;
        let stage = optional_term("stage", partner.stage.as_deref(), RelationshipStage::parse)?;
        let health = optional_term("health", partner.health.as_deref(), Health::parse)?;
        let days_since_asked = partner
            .last_asked
            .as_deref()
            .and_then(|d| days_between(d, today));
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (ask, mission_id) = row.ask.summary()?;
            let needs = AskNeeds {
                mission_id,
                lever: ask.lever,
                ward: ask.ward.clone(),
            };
            let candidate = Candidate {
                organisation_id: partner.id,
                slug: partner.slug.clone(),
                name: partner.name.clone(),
                holds_lever: row.holds_lever == 1,
                committed_to_mission: row.committed == 1,
                works_in_ward: needs.ward.is_some() && row.in_ward == 1,
                stage,
                health,
                days_since_asked,
            };
            out.push(OpenAsk {
                ask,
                needs,
                candidate,
            });
        }
        Ok(out)
    }
}
