//! Asks: the candidate query matching scores. One statement gathers, for
//! every organisation the viewer may see that has any claim on the ask (the
//! lever, a commitment to the mission, the ward or a relationship), the
//! facts the domain's pure `ask::score` weighs; the ranking is done there.

use placeweave_domain::Viewer;
use placeweave_domain::ask::{
    Answer, Ask, AskDraft, AskMade, AskMadeDraft, AskNeeds, AskSize, AskStatus, Candidate,
};
use placeweave_domain::place::RecordRef;
use placeweave_domain::relationship::{Health, RelationshipStage};
use placeweave_domain::vocabulary::Lever;
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::privacy::AuditLine;
use crate::record::{Write, rank, resolve};
use crate::sql::{Id, sql, visible};
use crate::write::{Tx, duplicate};

/// An organisation that could be a candidate: who it is.
#[derive(FromRow)]
struct OrganisationRow {
    id: i64,
    slug: String,
    name: String,
}

/// An organisation's relationship, as matching weighs it.
#[derive(FromRow)]
struct RelationshipRow {
    organisation_id: i64,
    stage: String,
    health: Option<String>,
}

/// When an organisation was last asked anything (YYYY-MM-DD).
#[derive(FromRow)]
struct LastAskedRow {
    organisation_id: i64,
    last_asked: String,
}

impl Store {
    /// The partners that could answer an ask, with the facts matching
    /// weighs; `today` (YYYY-MM-DD) dates ask fatigue. A candidate is an
    /// organisation the viewer may see with any claim on the ask: a
    /// relationship, the lever, a commitment to the mission or the ward.
    ///
    /// Each fact is read by its own indexed query and joined here: one
    /// statement testing every organisation of the place with correlated
    /// subqueries took 0.1 s and more at 10,000 organisations.
    pub async fn ask_candidates(
        &self,
        place: i64,
        viewer: Viewer,
        needs: &AskNeeds,
        today: &str,
    ) -> Result<Vec<Candidate>> {
        use std::collections::{HashMap, HashSet};
        let rank = rank(viewer);
        let organisations = self
            .exec()
            .all::<OrganisationRow>(sql!(
                format!(
                    "SELECT o.id, o.slug, o.name FROM organisation o \
                     WHERE o.place_id = $1 AND {}",
                    visible("o", "$2")
                ),
                place,
                rank
            ))
            .await?;
        let relationships: HashMap<i64, RelationshipRow> = self
            .exec()
            .all::<RelationshipRow>(sql!(
                format!(
                    "SELECT r.organisation_id, r.stage, r.health FROM relationship r \
                     WHERE r.place_id = $1 AND {}",
                    visible("r", "$2")
                ),
                place,
                rank
            ))
            .await?
            .into_iter()
            .map(|r| (r.organisation_id, r))
            .collect();
        // Lever and ward rows carry no place: only the place's visible
        // organisations, read above, are kept.
        let ids = |rows: Vec<Id>| rows.into_iter().map(|r| r.id).collect::<HashSet<i64>>();
        let lever = ids(self
            .exec()
            .all::<Id>(sql!(
                "SELECT ol.organisation_id AS id FROM organisation_lever ol WHERE ol.lever = $1",
                needs.lever.slug()
            ))
            .await?);
        let committed = ids(self
            .exec()
            .all::<Id>(sql!(
                format!(
                    "SELECT c.organisation_id AS id FROM commitment c \
                     WHERE c.mission_id = $1 AND {}",
                    visible("c", "$2")
                ),
                needs.mission_id,
                rank
            ))
            .await?);
        let in_ward = match &needs.ward {
            Some(ward) => ids(self
                .exec()
                .all::<Id>(sql!(
                    "SELECT ow.organisation_id AS id FROM organisation_ward ow WHERE ow.ward = $1",
                    ward.clone()
                ))
                .await?),
            None => HashSet::new(),
        };
        // An ask is seen only with its mission (its effective audience is
        // the stricter of the two): one on a hidden mission tires nobody.
        let last_asked: HashMap<i64, String> = self
            .exec()
            .all::<LastAskedRow>(sql!(
                format!(
                    "SELECT am.organisation_id, MAX(am.asked_on) AS last_asked \
                     FROM ask_made am JOIN ask a ON a.id = am.ask_id \
                     JOIN mission m ON m.id = a.mission_id \
                     JOIN organisation o ON o.id = am.organisation_id \
                     WHERE o.place_id = $1 AND {} AND {} GROUP BY am.organisation_id",
                    visible("a", "$2"),
                    visible("m", "$2")
                ),
                place,
                rank
            ))
            .await?
            .into_iter()
            .map(|row| (row.organisation_id, row.last_asked))
            .collect();
        Ok(organisations
            .into_iter()
            .filter_map(|o| {
                let relationship = relationships.get(&o.id);
                let holds_lever = lever.contains(&o.id);
                let committed_to_mission = committed.contains(&o.id);
                let works_in_ward = in_ward.contains(&o.id);
                if relationship.is_none() && !holds_lever && !committed_to_mission && !works_in_ward
                {
                    return None;
                }
                Some(Candidate {
                    organisation_id: o.id,
                    slug: o.slug,
                    name: o.name,
                    holds_lever,
                    committed_to_mission,
                    works_in_ward,
                    stage: relationship.and_then(|r| RelationshipStage::parse(&r.stage)),
                    health: relationship
                        .and_then(|r| r.health.as_deref())
                        .and_then(Health::parse),
                    days_since_asked: last_asked
                        .get(&o.id)
                        .and_then(|d| placeweave_domain::ask::days_between(d, today)),
                })
            })
            .collect())
    }
}

#[derive(FromRow)]
struct AskRow {
    id: i64,
    slug: String,
    title: String,
    description: String,
    mission_slug: String,
    mission_name: String,
    lever: String,
    ward: Option<String>,
    quantity: Option<i64>,
    unit: Option<String>,
    pounds: Option<i64>,
    status: String,
    demonstration: bool,
    version: i64,
}

#[derive(FromRow)]
struct MadeRow {
    id: i64,
    ask_id: i64,
    slug: String,
    name: String,
    asked_on: String,
    asked_by: Option<String>,
    answer: String,
    answered_on: Option<String>,
    note: Option<String>,
    version: i64,
}

fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_owned(),
    }
}

fn ask_from(row: AskRow, made: Vec<AskMade>) -> Result<Ask> {
    let size = match (row.quantity, row.unit, row.pounds) {
        (Some(quantity), Some(unit), None) => AskSize::Quantity { quantity, unit },
        (None, None, Some(pounds)) => AskSize::Pounds { pounds },
        _ => return Err(corrupt("ask.size", &row.slug)),
    };
    Ok(Ask {
        id: row.slug,
        title: row.title,
        description: row.description,
        mission: RecordRef {
            id: row.mission_slug,
            name: row.mission_name,
        },
        lever: Lever::parse(&row.lever).ok_or_else(|| corrupt("ask.lever", &row.lever))?,
        ward: row.ward,
        size,
        status: AskStatus::parse(&row.status).ok_or_else(|| corrupt("ask.status", &row.status))?,
        demonstration: row.demonstration,
        version: row.version,
        made,
    })
}

/// Which asks to read.
#[derive(Debug, Clone, Default)]
pub struct AskFilter {
    pub slug: Option<String>,
    pub status: Option<AskStatus>,
    pub mission: Option<String>,
}

fn size_columns(size: &AskSize) -> (Option<i64>, Option<String>, Option<i64>) {
    match size {
        AskSize::Quantity { quantity, unit } => (Some(*quantity), Some(unit.clone()), None),
        AskSize::Pounds { pounds } => (None, None, Some(*pounds)),
    }
}

impl Store {
    /// A mission's database key, if the viewer may see it (matching
    /// weighs commitments to it).
    pub async fn mission_key(&self, place: i64, viewer: Viewer, slug: &str) -> Result<Option<i64>> {
        Ok(self
            .exec()
            .optional::<Id>(sql!(
                format!(
                    "SELECT m.id FROM mission m WHERE m.place_id = $1 AND m.slug = $2 AND {}",
                    visible("m", "$3")
                ),
                place,
                slug,
                rank(viewer)
            ))
            .await?
            .map(|r| r.id))
    }

    /// The asks the viewer may see (an ask whose mission they cannot see
    /// is hidden with it), open ones first then newest first, each with
    /// the times it was put to partners they may see.
    pub async fn asks(&self, place: i64, viewer: Viewer, filter: &AskFilter) -> Result<Vec<Ask>> {
        let mut statement = sql!(
            format!(
                "SELECT a.id, a.slug, a.title, a.description, m.slug AS mission_slug, \
                 m.short_name AS mission_name, a.lever, a.ward, a.quantity, a.unit, a.pounds, \
                 a.status, a.demonstration, a.version \
                 FROM ask a JOIN mission m ON m.id = a.mission_id \
                 WHERE a.place_id = $1 AND {} AND {}",
                visible("a", "$2"),
                visible("m", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(slug) = &filter.slug {
            let p = statement.arg(slug.clone());
            statement.push(&format!(" AND a.slug = {p}"));
        }
        if let Some(status) = filter.status {
            let p = statement.arg(status.slug());
            statement.push(&format!(" AND a.status = {p}"));
        }
        if let Some(mission) = &filter.mission {
            let p = statement.arg(mission.clone());
            statement.push(&format!(" AND m.slug = {p}"));
        }
        statement.push(" ORDER BY CASE WHEN a.status = 'open' THEN 0 ELSE 1 END, a.id DESC");
        let rows = self.exec().all::<AskRow>(statement).await?;
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let made = self
            .exec()
            .all::<MadeRow>(sql!(
                format!(
                    "SELECT am.id, am.ask_id, o.slug, o.name, am.asked_on, ac.display_name AS asked_by, \
                     am.answer, am.answered_on, am.note, am.version \
                     FROM ask_made am JOIN ask a ON a.id = am.ask_id \
                     JOIN organisation o ON o.id = am.organisation_id \
                     LEFT JOIN account ac ON ac.id = am.asked_by \
                     WHERE a.place_id = $1 AND {} \
                     ORDER BY am.asked_on DESC, am.id DESC",
                    visible("o", "$2")
                ),
                place,
                rank(viewer)
            ))
            .await?;
        rows.into_iter()
            .map(|row| {
                let made = made
                    .iter()
                    .filter(|m| m.ask_id == row.id)
                    .map(|m| {
                        Ok(AskMade {
                            id: m.id,
                            organisation: RecordRef {
                                id: m.slug.clone(),
                                name: m.name.clone(),
                            },
                            asked_on: m.asked_on.clone(),
                            asked_by: m.asked_by.clone(),
                            answer: Answer::parse(&m.answer)
                                .ok_or_else(|| corrupt("ask_made.answer", &m.answer))?,
                            answered_on: m.answered_on.clone(),
                            note: m.note.clone(),
                            version: m.version,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                ask_from(row, made)
            })
            .collect()
    }

    /// Creates an ask with its audit line; its mission must be one the
    /// writer may see. A slug already taken is a `Duplicate`.
    pub async fn create_ask(
        &self,
        w: &Write<'_>,
        slug: &str,
        draft: &AskDraft,
        demonstration: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.insert_ask(w, slug, draft, demonstration).await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "create",
                    record_type: "ask",
                    record_id: Some(slug.to_owned()),
                    detail: None,
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await
    }

    /// Changes an ask that is still at `version` (else `Stale`); one the
    /// writer may not see is `Missing`.
    pub async fn update_ask(
        &self,
        w: &Write<'_>,
        slug: &str,
        version: i64,
        draft: &AskDraft,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = visible_ask(&mut tx, w, slug).await?;
        let mission = resolve(&mut tx, w, "mission", "mission", &draft.mission).await?;
        let (quantity, unit, pounds) = size_columns(&draft.size);
        let changed = tx
            .exec()
            .execute(sql!(
                "UPDATE ask SET title = $3, description = $4, mission_id = $5, lever = $6, \
                 ward = $7, quantity = $8, unit = $9, pounds = $10, status = $11, \
                 version = version + 1 WHERE id = $1 AND version = $2",
                id,
                version,
                draft.title.clone(),
                draft.description.clone(),
                mission,
                draft.lever.slug(),
                draft.ward.clone(),
                quantity,
                unit,
                pounds,
                draft.status.slug()
            ))
            .await?;
        if changed == 0 {
            let current = tx
                .exec()
                .one::<crate::sql::Count>(sql!("SELECT version AS n FROM ask WHERE id = $1", id))
                .await?;
            return Err(StoreError::Stale { current: current.n });
        }
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "update",
                    record_type: "ask",
                    record_id: Some(slug.to_owned()),
                    detail: None,
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await
    }

    /// Records that an ask was put to an organisation the writer may see
    /// (else an unknown reference naming the field), with its answer so
    /// far; the ask must be one they may see (else `Missing`).
    pub async fn record_ask_made(
        &self,
        w: &Write<'_>,
        ask: &str,
        made: &AskMadeDraft,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let ask_id = visible_ask(&mut tx, w, ask).await?;
        let id = tx.insert_ask_made(w, ask_id, made).await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "create",
                    record_type: "ask_made",
                    record_id: Some(id.to_string()),
                    detail: Some(format!(
                        "{{\"ask\":\"{ask}\",\"organisation\":\"{}\",\"answer\":\"{}\"}}",
                        made.organisation,
                        made.answer.slug()
                    )),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(id)
    }

    /// Records a partner's answer to an ask put to them: the answer, its
    /// date and the note, if it is still at `version` (else `Stale`). One
    /// that is not the ask's, or whose organisation the writer may not
    /// see, is `Missing`.
    pub async fn answer_ask_made(
        &self,
        w: &Write<'_>,
        ask: &str,
        (made_id, version): (i64, i64),
        made: &AskMadeDraft,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let ask_id = visible_ask(&mut tx, w, ask).await?;
        let found = tx
            .exec()
            .optional::<Id>(sql!(
                format!(
                    "SELECT am.id FROM ask_made am JOIN organisation o ON o.id = am.organisation_id \
                     WHERE am.id = $1 AND am.ask_id = $2 AND o.slug = $3 AND {}",
                    visible("o", "$4")
                ),
                made_id,
                ask_id,
                made.organisation.clone(),
                w.rank()
            ))
            .await?;
        if found.is_none() {
            return Err(StoreError::Missing(format!("ask made {made_id}")));
        }
        let changed = tx
            .exec()
            .execute(sql!(
                "UPDATE ask_made SET asked_on = $2, answer = $3, answered_on = $4, note = $5, \
                 version = version + 1 WHERE id = $1 AND version = $6",
                made_id,
                made.asked_on.clone(),
                made.answer.slug(),
                made.answered_on.clone(),
                made.note.clone(),
                version
            ))
            .await?;
        if changed == 0 {
            let current = tx
                .exec()
                .one::<crate::sql::Count>(sql!(
                    "SELECT version AS n FROM ask_made WHERE id = $1",
                    made_id
                ))
                .await?;
            return Err(StoreError::Stale { current: current.n });
        }
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "update",
                    record_type: "ask_made",
                    record_id: Some(made_id.to_string()),
                    detail: Some(format!("{{\"answer\":\"{}\"}}", made.answer.slug())),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await
    }
}

/// The id of an ask the writer may see, or `Missing`.
async fn visible_ask(tx: &mut Tx, w: &Write<'_>, slug: &str) -> Result<i64> {
    tx.exec()
        .optional::<Id>(sql!(
            format!(
                "SELECT a.id FROM ask a JOIN mission m ON m.id = a.mission_id \
                 WHERE a.place_id = $1 AND a.slug = $2 AND {} AND {}",
                visible("a", "$3"),
                visible("m", "$3")
            ),
            w.place,
            slug,
            w.rank()
        ))
        .await?
        .map(|r| r.id)
        .ok_or_else(|| StoreError::Missing(format!("ask {slug}")))
}

impl Tx {
    /// Inserts an ask (no audit line: the caller writes it).
    pub async fn insert_ask(
        &mut self,
        w: &Write<'_>,
        slug: &str,
        draft: &AskDraft,
        demonstration: bool,
    ) -> Result<i64> {
        let mission = resolve(self, w, "mission", "mission", &draft.mission).await?;
        let (quantity, unit, pounds) = size_columns(&draft.size);
        self.returning_id(sql!(
            "INSERT INTO ask (place_id, slug, title, description, mission_id, lever, ward, \
             quantity, unit, pounds, status, demonstration) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            w.place,
            slug,
            draft.title.clone(),
            draft.description.clone(),
            mission,
            draft.lever.slug(),
            draft.ward.clone(),
            quantity,
            unit,
            pounds,
            draft.status.slug(),
            demonstration
        ))
        .await
        .map_err(|err| duplicate(err, || format!("an ask called \"{}\"", draft.title)))
    }

    /// Inserts a record of an ask made to an organisation the writer may see.
    pub async fn insert_ask_made(
        &mut self,
        w: &Write<'_>,
        ask_id: i64,
        made: &AskMadeDraft,
    ) -> Result<i64> {
        let organisation =
            resolve(self, w, "organisation", "organisation", &made.organisation).await?;
        self.returning_id(sql!(
            "INSERT INTO ask_made (ask_id, organisation_id, asked_on, asked_by, answer, \
             answered_on, note) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            ask_id,
            organisation,
            made.asked_on.clone(),
            w.actor,
            made.answer.slug(),
            made.answered_on.clone(),
            made.note.clone()
        ))
        .await
    }
}
