//! Experiments: the portfolio (filtered and paged in the database), one
//! experiment with its missions, levers, partners and learning log, writes
//! with their audit lines, and the counts behind the mission × lever grid
//! and a mission's experiments by status and decision. Every read filters
//! the experiment and each record it joins on the viewer's audience.

use placeweave_domain::experiment::{
    Decision, Experiment, ExperimentFilter, ExperimentStatus, ExperimentSummary, LearningEntry,
    Mechanism, ScaleOfInfluence,
};
use placeweave_domain::place::RecordRef;
use placeweave_domain::visibility::Redact;
use placeweave_domain::{Lever, PageRequest, Participant, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::privacy::AuditLine;
use crate::record::{
    Assignments, RefRow, TextRow, Write, audience, audit_change, optional_term, rank,
    replace_visible_links, resolve, term, versioned,
};
use crate::search::Records;
use crate::sql::{Count, Id, Value, sql, visible};
use crate::write::{Tx, duplicate};
use placeweave_domain::search::SearchKind;

#[derive(FromRow)]
struct ExperimentRow {
    id: i64,
    slug: String,
    name: String,
    hypothesis: Option<String>,
    mechanism: String,
    scale: Option<String>,
    budget: Option<i64>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: String,
    decision: Option<String>,
    decision_reason: Option<String>,
    decision_date: Option<String>,
    demonstration: bool,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct SummaryRow {
    slug: String,
    name: String,
    hypothesis: String,
    mechanism: String,
    scale: Option<String>,
    budget: Option<i64>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: String,
    decision: Option<String>,
    decision_reason: Option<String>,
    demonstration: bool,
}

#[derive(FromRow)]
struct PartnerRow {
    slug: String,
    name: String,
    part: Option<String>,
}

#[derive(FromRow)]
struct LearningRow {
    entry_date: String,
    body: String,
    author: Option<String>,
}

#[derive(FromRow)]
struct GridCountRow {
    slug: String,
    lever: String,
    n: i64,
}

#[derive(FromRow)]
struct TallyRow {
    status: String,
    decision: Option<String>,
    n: i64,
}

const COLUMNS: &str = "e.id, e.slug, e.name, e.hypothesis, e.mechanism, e.scale, e.budget, \
    e.start_date, e.end_date, e.status, e.decision, e.decision_reason, e.decision_date, \
    e.demonstration, e.audience, e.version";

/// A new experiment's missions and partners as database ids, each resolved
/// as the writer may see it (a hidden one is named like a missing one).
async fn links(
    tx: &mut Tx,
    w: &Write<'_>,
    experiment: &Experiment,
) -> Result<(Vec<i64>, Vec<(i64, Option<String>)>)> {
    let mut missions = Vec::new();
    for mission in &experiment.missions {
        missions.push(resolve(tx, w, "mission", "missions", &mission.id).await?);
    }
    let mut partners = Vec::new();
    for p in &experiment.participants {
        let id = resolve(tx, w, "organisation", "participants", &p.organisation.id).await?;
        partners.push((id, p.role.clone()));
    }
    Ok((missions, partners))
}

impl Store {
    /// One page of the portfolio and how many experiments match, both cut
    /// in the database.
    pub async fn experiments_page(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &ExperimentFilter,
        page: PageRequest,
    ) -> Result<(Vec<ExperimentSummary>, i64)> {
        let mut sql = sql!(
            format!(
                "SELECT e.slug, e.name, e.hypothesis, e.mechanism, e.scale, e.budget, e.start_date, \
                 e.end_date, e.status, e.decision, e.decision_reason, e.demonstration \
                 FROM experiment e WHERE e.place_id = $1 AND {}",
                visible("e", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(mission) = &filter.mission {
            let p = sql.arg(mission.as_str());
            sql.push(&format!(
                " AND e.id IN (SELECT em.experiment_id FROM experiment_mission em \
                 JOIN mission m ON m.id = em.mission_id WHERE m.slug = {p} AND {})",
                visible("m", "$2")
            ));
        }
        if let Some(lever) = filter.lever {
            let p = sql.arg(lever.slug());
            sql.push(&format!(
                " AND e.id IN (SELECT el.experiment_id FROM experiment_lever el WHERE el.lever = {p})"
            ));
        }
        if let Some(status) = filter.status {
            let p = sql.arg(status.slug());
            sql.push(&format!(" AND e.status = {p}"));
        }
        let total = self.exec().one::<Count>(sql.counted()).await?.n;
        let limit = sql.arg(page.limit());
        let offset = sql.arg(page.offset());
        sql.push(&format!(
            " ORDER BY e.name, e.id LIMIT {limit} OFFSET {offset}"
        ));
        let mut items = Vec::new();
        for r in self.exec().all::<SummaryRow>(sql).await? {
            items.push(ExperimentSummary {
                id: r.slug,
                name: r.name,
                hypothesis: r.hypothesis,
                mechanism: term("mechanism", &r.mechanism, Mechanism::parse)?,
                scale: optional_term("scale", r.scale.as_deref(), ScaleOfInfluence::parse)?,
                budget: r.budget,
                start_date: r.start_date,
                end_date: r.end_date,
                status: term("status", &r.status, ExperimentStatus::parse)?,
                decision: optional_term("decision", r.decision.as_deref(), Decision::parse)?,
                decision_reason: r.decision_reason,
                demonstration: r.demonstration,
            });
        }
        Ok((items, total))
    }

    pub async fn experiment(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<Experiment>> {
        let sql = sql!(
            format!(
                "SELECT {COLUMNS} FROM experiment e \
                 WHERE e.place_id = $1 AND e.slug = $2 AND {}",
                visible("e", "$3")
            ),
            place,
            slug,
            rank(viewer)
        );
        let Some(row) = self.exec().optional::<ExperimentRow>(sql).await? else {
            return Ok(None);
        };
        let missions = self
            .exec()
            .all::<RefRow>(sql!(
                format!(
                    "SELECT m.slug, m.short_name AS name FROM experiment_mission em \
                     JOIN mission m ON m.id = em.mission_id \
                     WHERE em.experiment_id = $1 AND {} ORDER BY m.position",
                    visible("m", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        let levers = self
            .exec()
            .all::<TextRow>(sql!(
                "SELECT lever AS value FROM experiment_lever WHERE experiment_id = $1 ORDER BY lever",
                row.id
            ))
            .await?;
        let partners = self
            .exec()
            .all::<PartnerRow>(sql!(
                format!(
                    "SELECT o.slug, o.name, ep.part FROM experiment_partner ep \
                     JOIN organisation o ON o.id = ep.organisation_id \
                     WHERE ep.experiment_id = $1 AND {} ORDER BY o.name",
                    visible("o", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        let learning = self
            .exec()
            .all::<LearningRow>(sql!(
                "SELECT l.entry_date, l.body, a.display_name AS author FROM experiment_learning l \
                 LEFT JOIN account a ON a.id = l.author_id \
                 WHERE l.experiment_id = $1 ORDER BY l.entry_date, l.id",
                row.id
            ))
            .await?;
        let mut lever_terms = Vec::new();
        for l in levers {
            lever_terms.push(term("lever", &l.value, Lever::parse)?);
        }
        lever_terms.sort();
        Ok(Some(
            Experiment {
                id: row.slug,
                name: row.name,
                hypothesis: row.hypothesis.unwrap_or_default(),
                mechanism: term("mechanism", &row.mechanism, Mechanism::parse)?,
                missions: missions.into_iter().map(RecordRef::from).collect(),
                levers: lever_terms,
                participants: partners
                    .into_iter()
                    .map(|p| Participant {
                        organisation: RecordRef {
                            id: p.slug,
                            name: p.name,
                        },
                        role: p.part,
                    })
                    .collect(),
                scale: optional_term("scale", row.scale.as_deref(), ScaleOfInfluence::parse)?,
                budget: row.budget,
                start_date: row.start_date,
                end_date: row.end_date,
                status: term("status", &row.status, ExperimentStatus::parse)?,
                learning: learning
                    .into_iter()
                    .map(|l| LearningEntry {
                        date: l.entry_date,
                        text: l.body,
                        author: l.author,
                    })
                    .collect(),
                decision: optional_term("decision", row.decision.as_deref(), Decision::parse)?,
                decision_reason: row.decision_reason,
                decision_date: row.decision_date,
                demonstration: row.demonstration,
                audience: audience(&row.audience)?,
                version: row.version,
            }
            .redact_for(viewer),
        ))
    }

    pub async fn create_experiment(&self, w: &Write<'_>, experiment: &Experiment) -> Result<()> {
        let mut tx = self.begin().await?;
        let (missions, partners) = links(&mut tx, w, experiment).await?;
        tx.insert_experiment(w.place, experiment, &missions, &partners)
            .await
            .map_err(|e| duplicate(e, || format!("an experiment with id \"{}\"", experiment.id)))?;
        let audited = audit_change(
            &mut tx,
            w,
            "experiment",
            experiment.id.clone(),
            None,
            experiment,
        )
        .await?;
        tx.commit(audited).await
    }

    /// Missions and partners the writer cannot see stay linked.
    pub async fn update_experiment(
        &self,
        w: &Write<'_>,
        before: &Experiment,
        after: &Experiment,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "experiment", "experiment", &before.id).await?;
        let mut set = Assignments::new(w);
        set.set("name", "name", after.name.as_str())
            .set("hypothesis", "hypothesis", after.hypothesis.as_str())
            .set("mechanism", "mechanism", after.mechanism.slug())
            .set("scale", "scale", after.scale.map(|s| s.slug()))
            .set("budget", "budget", after.budget)
            .set("start_date", "start_date", after.start_date.clone())
            .set("end_date", "end_date", after.end_date.clone())
            .set("status", "status", after.status.slug())
            .set("decision", "decision", after.decision.map(|d| d.slug()))
            .set(
                "decision_reason",
                "decision_reason",
                after.decision_reason.clone(),
            )
            .set(
                "decision_date",
                "decision_date",
                after.decision_date.clone(),
            )
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "experiment", id, after.version, set).await?;
        let (missions, partners) = links(&mut tx, w, after).await?;
        if w.may_set("missions") {
            let link = ("experiment_mission", "experiment_id", "mission_id");
            replace_visible_links(&mut tx, w, link, "mission", id).await?;
            tx.link_missions(id, &missions).await?;
        }
        if w.may_set("participants") {
            let link = ("experiment_partner", "experiment_id", "organisation_id");
            replace_visible_links(&mut tx, w, link, "organisation", id).await?;
            tx.link_partners(id, &partners).await?;
        }
        if w.may_set("levers") {
            tx.exec()
                .execute(sql!(
                    "DELETE FROM experiment_lever WHERE experiment_id = $1",
                    id
                ))
                .await?;
            tx.link_levers(id, &after.levers).await?;
        }
        let audited = audit_change(
            &mut tx,
            w,
            "experiment",
            before.id.clone(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }

    /// Adds an entry to the learning log of an experiment the writer may
    /// see, with its audit line; the experiment's version moves on.
    pub async fn add_learning(
        &self,
        w: &Write<'_>,
        slug: &str,
        date: &str,
        text: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "experiment", "experiment", slug).await?;
        tx.exec()
            .execute(sql!(
                "INSERT INTO experiment_learning (experiment_id, entry_date, body, author_id) \
                 VALUES ($1, $2, $3, $4)",
                id,
                date,
                text,
                w.actor
            ))
            .await?;
        tx.exec()
            .execute(sql!(
                "UPDATE experiment SET version = version + 1, updated_at = $2 WHERE id = $1",
                id,
                w.now
            ))
            .await?;
        let detail = serde_json::json!({"learning": {"date": date, "text": text}});
        let audited = tx
            .audit(
                &AuditLine {
                    actor: w.actor,
                    action: "update",
                    record_type: "experiment",
                    record_id: Some(slug.to_owned()),
                    detail: Some(detail.to_string()),
                },
                w.now,
            )
            .await?;
        tx.commit(audited).await
    }

    /// For each mission and lever, how many experiments the viewer may see
    /// serve the one and test the other (only pairs with at least one).
    pub async fn experiment_grid(
        &self,
        place: i64,
        viewer: Viewer,
    ) -> Result<Vec<(String, Lever, i64)>> {
        let rows = self
            .exec()
            .all::<GridCountRow>(sql!(
                format!(
                    "SELECT m.slug, el.lever, COUNT(DISTINCT e.id) AS n FROM experiment e \
                     JOIN experiment_mission em ON em.experiment_id = e.id \
                     JOIN mission m ON m.id = em.mission_id \
                     JOIN experiment_lever el ON el.experiment_id = e.id \
                     WHERE e.place_id = $1 AND {} AND {} GROUP BY m.slug, el.lever",
                    visible("e", "$2"),
                    visible("m", "$2")
                ),
                place,
                rank(viewer)
            ))
            .await?;
        rows.into_iter()
            .map(|r| Ok((r.slug, term("lever", &r.lever, Lever::parse)?, r.n)))
            .collect()
    }

    /// A mission's experiments the viewer may see, counted by status and
    /// decision.
    pub async fn experiment_tallies(
        &self,
        place: i64,
        viewer: Viewer,
        mission: &str,
    ) -> Result<Vec<(ExperimentStatus, Option<Decision>, i64)>> {
        let rows = self
            .exec()
            .all::<TallyRow>(sql!(
                format!(
                    "SELECT e.status, e.decision, COUNT(*) AS n FROM experiment e \
                     JOIN experiment_mission em ON em.experiment_id = e.id \
                     JOIN mission m ON m.id = em.mission_id \
                     WHERE e.place_id = $1 AND m.slug = $3 AND {} AND {} \
                     GROUP BY e.status, e.decision",
                    visible("e", "$2"),
                    visible("m", "$2")
                ),
                place,
                rank(viewer),
                mission
            ))
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok((
                    term("status", &r.status, ExperimentStatus::parse)?,
                    optional_term("decision", r.decision.as_deref(), Decision::parse)?,
                    r.n,
                ))
            })
            .collect()
    }
}

impl Tx {
    /// Inserts an experiment with its missions, levers and partners
    /// (organisation id and their part).
    pub async fn insert_experiment(
        &mut self,
        place_id: i64,
        experiment: &Experiment,
        mission_ids: &[i64],
        partners: &[(i64, Option<String>)],
    ) -> Result<i64> {
        let e = experiment;
        let sql = sql!(
            "INSERT INTO experiment (place_id, slug, name, hypothesis, mechanism, scale, budget, \
             start_date, end_date, status, decision, decision_reason, decision_date, \
             demonstration, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
             RETURNING id",
            place_id,
            e.id.as_str(),
            e.name.as_str(),
            e.hypothesis.as_str(),
            e.mechanism.slug(),
            e.scale.map(|s| s.slug()),
            e.budget,
            e.start_date.clone(),
            e.end_date.clone(),
            e.status.slug(),
            e.decision.map(|d| d.slug()),
            e.decision_reason.clone(),
            e.decision_date.clone(),
            e.demonstration,
            e.audience.as_str(),
            crate::record::unix_now(),
        );
        let id = self.returning_id(sql).await?;
        self.link_missions(id, mission_ids).await?;
        self.link_levers(id, &e.levers).await?;
        self.link_partners(id, partners).await?;
        self.reindex(SearchKind::Experiment, Records::Ids(id, id))
            .await?;
        for entry in &e.learning {
            self.exec()
                .execute(sql!(
                    "INSERT INTO experiment_learning (experiment_id, entry_date, body) \
                     VALUES ($1, $2, $3)",
                    id,
                    entry.date.as_str(),
                    entry.text.as_str()
                ))
                .await?;
        }
        Ok(id)
    }

    async fn link_missions(&mut self, id: i64, missions: &[i64]) -> Result<()> {
        let rows = missions
            .iter()
            .map(|m| vec![Value::from(id), Value::from(*m)])
            .collect();
        self.insert_rows::<Id>(
            "experiment_mission",
            &["experiment_id", "mission_id"],
            rows,
            None,
        )
        .await?;
        Ok(())
    }

    async fn link_levers(&mut self, id: i64, levers: &[Lever]) -> Result<()> {
        let rows = levers
            .iter()
            .map(|l| vec![Value::from(id), Value::from(l.slug())])
            .collect();
        self.insert_rows::<Id>("experiment_lever", &["experiment_id", "lever"], rows, None)
            .await?;
        Ok(())
    }

    async fn link_partners(&mut self, id: i64, partners: &[(i64, Option<String>)]) -> Result<()> {
        let rows = partners
            .iter()
            .map(|(org, part)| {
                vec![
                    Value::from(id),
                    Value::from(*org),
                    Value::from(part.clone()),
                ]
            })
            .collect();
        self.insert_rows::<Id>(
            "experiment_partner",
            &["experiment_id", "organisation_id", "part"],
            rows,
            None,
        )
        .await?;
        Ok(())
    }
}
