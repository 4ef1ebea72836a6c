//! Relationships: the convening organisation's relationship with each
//! partner, its owners (staff accounts), missions and dated stage history.
//! Read only at staff level and above (the record's audience is never
//! wider than staff); sensitivities are cut by the domain's `Redact`.

use placeweave_domain::date::iso_date;
use placeweave_domain::place::RecordRef;
use placeweave_domain::relationship::{
    Formality, Health, Relationship, RelationshipStage, StageChange,
};
use placeweave_domain::visibility::Redact;
use placeweave_domain::{Audience, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::record::{
    Assignments, Write, audience, audit_change, optional_term, rank, replace_visible_links,
    resolve, term, versioned,
};
use crate::sql::{Id, Sql, Value, sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
struct RelationshipRow {
    id: i64,
    organisation_slug: String,
    organisation_name: String,
    stage: String,
    formality: String,
    health: Option<String>,
    health_reason: Option<String>,
    sensitivities: Option<String>,
    demonstration: bool,
    audience: String,
    version: i64,
}

/// A record linked to one of several owners (relationships, interactions),
/// read in one query for all of them.
#[derive(FromRow)]
pub(crate) struct LinkRow {
    pub owner_id: i64,
    pub slug: String,
    pub name: String,
}

impl LinkRow {
    /// Each owner's links, as references in their order: one pass, so a
    /// list of thousands of records is not searched once per record.
    pub(crate) fn by_owner(links: Vec<LinkRow>) -> std::collections::HashMap<i64, Vec<RecordRef>> {
        let mut grouped: std::collections::HashMap<i64, Vec<RecordRef>> =
            std::collections::HashMap::new();
        for link in links {
            grouped.entry(link.owner_id).or_default().push(RecordRef {
                id: link.slug,
                name: link.name,
            });
        }
        grouped
    }
}

#[derive(FromRow)]
struct StageRow {
    relationship_id: i64,
    stage: String,
    changed_on: String,
}

/// A staff account that may own relationships: its id and name.
#[derive(FromRow)]
struct StaffRow {
    id: i64,
    display_name: String,
}

/// Which relationships to list (the pipeline's filters).
#[derive(Debug, Clone, Default)]
pub struct RelationshipFilter {
    pub id: Option<i64>,
    pub stage: Option<RelationshipStage>,
    /// An owner's account id.
    pub owner: Option<i64>,
    /// A mission's slug.
    pub mission: Option<String>,
    /// An organisation kind's slug.
    pub kind: Option<String>,
    pub ward: Option<String>,
}

/// A new relationship, by database ids, for the demo, generated places and
/// fixtures. `history` is each stage reached and its ISO date.
#[derive(Debug, Clone)]
pub struct NewRelationship {
    pub organisation_id: i64,
    pub stage: RelationshipStage,
    pub formality: Formality,
    pub health: Option<Health>,
    pub health_reason: Option<String>,
    pub sensitivities: Option<String>,
    pub demonstration: bool,
    pub owner_ids: Vec<i64>,
    pub mission_ids: Vec<i64>,
    pub history: Vec<(RelationshipStage, String)>,
}

/// Clears the names of accounts: an audit line names people by account
/// id only, so erasing an account leaves no name behind in the
/// append-only log.
pub(crate) fn without_names(accounts: &mut [RecordRef]) {
    for account in accounts {
        account.name.clear();
    }
}

/// A relationship as its audit line records it: owners by id.
fn for_audit(r: &Relationship) -> Relationship {
    let mut r = r.clone();
    without_names(&mut r.owners);
    r
}

const RELATIONSHIP_OWNER: (&str, &str, &str) =
    ("relationship_owner", "relationship_id", "account_id");
const RELATIONSHIP_MISSION: (&str, &str, &str) =
    ("relationship_mission", "relationship_id", "mission_id");

/// The database id of the enabled staff or administrator account `id`
/// (digits), or the "there is no …" answer naming `field`.
pub(crate) async fn resolve_staff(tx: &mut Tx, field: &'static str, id: &str) -> Result<i64> {
    let unknown = || StoreError::UnknownReference {
        field,
        id: id.to_owned(),
    };
    let key: i64 = id.parse().map_err(|_| unknown())?;
    tx.exec()
        .optional::<Id>(sql!(
            "SELECT id FROM account WHERE id = $1 AND role IN ('staff', 'admin') \
             AND disabled = FALSE",
            key
        ))
        .await?
        .map(|r| r.id)
        .ok_or_else(unknown)
}

/// A relationship's organisation, missions and owners as database ids,
/// each as the writer may see it.
async fn links(tx: &mut Tx, w: &Write<'_>, r: &Relationship) -> Result<(i64, Vec<i64>, Vec<i64>)> {
    let organisation = resolve(tx, w, "organisation", "organisation", &r.organisation.id).await?;
    let mut missions = Vec::new();
    for mission in &r.missions {
        missions.push(resolve(tx, w, "mission", "missions", &mission.id).await?);
    }
    let mut owners = Vec::new();
    for owner in &r.owners {
        owners.push(resolve_staff(tx, "owners", &owner.id).await?);
    }
    Ok((organisation, missions, owners))
}

/// The columns of a relationship row (aliases `r` and `o`).
const RELATIONSHIP_COLUMNS: &str = "r.id, o.slug AS organisation_slug, \
    o.name AS organisation_name, r.stage, r.formality, r.health, r.health_reason, \
    r.sensitivities, r.demonstration, r.audience, r.version";

#[derive(FromRow)]
struct StageCountRow {
    stage: String,
    n: i64,
}

/// `select` over the relationships `filter` selects that `viewer` may
/// see, with their organisations (aliases `r` and `o`): the one place the
/// pipeline's filters and the audience checks are written, so that a
/// list, its counts and its pages always agree. `$1` is the place and
/// `$2` the viewer's rank.
fn selected(select: &str, place: i64, viewer: Viewer, filter: &RelationshipFilter) -> Sql {
    // One person's relationships are a few of the place's thousands: found
    // from the owner's index, not by walking the place's (`+` keeps
    // SQLite's planner off the place index; 2.8 ms to 0.15 ms at 5,000).
    let place_column = if filter.owner.is_some() {
        "+r.place_id"
    } else {
        "r.place_id"
    };
    let mut sql = sql!(
        format!(
            "{select} FROM relationship r JOIN organisation o ON o.id = r.organisation_id \
             WHERE {place_column} = $1 AND {r_visible} AND {o_visible}",
            r_visible = visible("r", "$2"),
            o_visible = visible("o", "$2"),
        ),
        place,
        rank(viewer)
    );
    if let Some(id) = filter.id {
        let p = sql.arg(id);
        sql.push(&format!(" AND r.id = {p}"));
    }
    if let Some(stage) = filter.stage {
        let p = sql.arg(stage.slug());
        sql.push(&format!(" AND r.stage = {p}"));
    }
    if let Some(kind) = &filter.kind {
        let p = sql.arg(kind.as_str());
        sql.push(&format!(" AND o.kind = {p}"));
    }
    if let Some(ward) = &filter.ward {
        let p = sql.arg(ward.as_str());
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM organisation_ward ow \
             WHERE ow.organisation_id = o.id AND ow.ward = {p})"
        ));
    }
    if let Some(owner) = filter.owner {
        let p = sql.arg(owner);
        sql.push(&format!(
            " AND r.id IN (SELECT ro.relationship_id FROM relationship_owner ro \
             WHERE ro.account_id = {p})"
        ));
    }
    if let Some(mission) = &filter.mission {
        let p = sql.arg(mission.as_str());
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM relationship_mission rm \
             JOIN mission m ON m.id = rm.mission_id \
             WHERE rm.relationship_id = r.id AND m.slug = {p} AND {})",
            visible("m", "$2")
        ));
    }
    sql
}

impl Store {
    /// The relationships `filter` selects that `viewer` may see, in the
    /// order of their stages, then by partner.
    pub async fn relationships(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &RelationshipFilter,
    ) -> Result<Vec<Relationship>> {
        let mut sql = selected(
            &format!("SELECT {RELATIONSHIP_COLUMNS}"),
            place,
            viewer,
            filter,
        );
        sql.push(" ORDER BY o.name, r.id");
        let rows = self.exec().all::<RelationshipRow>(sql).await?;
        self.complete(rows, viewer).await
    }

    /// How many relationships `filter` selects at each stage that `viewer`
    /// may see, counted in the database; a stage with none is absent.
    pub async fn relationship_stage_counts(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &RelationshipFilter,
    ) -> Result<Vec<(RelationshipStage, i64)>> {
        let mut sql = selected("SELECT r.stage, COUNT(*) AS n", place, viewer, filter);
        sql.push(" GROUP BY r.stage");
        self.exec()
            .all::<StageCountRow>(sql)
            .await?
            .into_iter()
            .map(|row| Ok((term("stage", &row.stage, RelationshipStage::parse)?, row.n)))
            .collect()
    }

    /// Of the relationships [`Self::relationships`] lists, those after
    /// the first `skip` of each stage, at most `take` of each: the rows a
    /// page shows, numbered per stage in the database, so that owners,
    /// missions and histories are read for those rows alone.
    pub async fn relationships_by_stage(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &RelationshipFilter,
        skip: i64,
        take: i64,
    ) -> Result<Vec<Relationship>> {
        let inner = selected(
            &format!(
                "SELECT {RELATIONSHIP_COLUMNS}, \
                 ROW_NUMBER() OVER (PARTITION BY r.stage ORDER BY o.name, r.id) AS place_in_stage"
            ),
            place,
            viewer,
            filter,
        );
        let mut sql = Sql {
            text: format!("SELECT * FROM ({}) numbered", inner.text),
            args: inner.args,
        };
        let from = sql.arg(skip);
        let to = sql.arg(skip.saturating_add(take));
        sql.push(&format!(
            " WHERE place_in_stage > {from} AND place_in_stage <= {to} ORDER BY organisation_name, id"
        ));
        let rows = self.exec().all::<RelationshipRow>(sql).await?;
        self.complete(rows, viewer).await
    }

    /// Relationships from their rows, with the owners, missions (those
    /// `viewer` may see) and stage history of those rows only.
    async fn complete(
        &self,
        rows: Vec<RelationshipRow>,
        viewer: Viewer,
    ) -> Result<Vec<Relationship>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let owners = self
            .links_of(
                &ids,
                viewer,
                "SELECT ro.relationship_id AS owner_id, CAST(a.id AS TEXT) AS slug, a.display_name AS name \
                 FROM relationship_owner ro JOIN account a ON a.id = ro.account_id \
                 WHERE ro.relationship_id IN ({ids}) ORDER BY a.display_name, a.id",
                false,
            )
            .await?;
        let missions = self
            .links_of(
                &ids,
                viewer,
                "SELECT rm.relationship_id AS owner_id, m.slug, m.short_name AS name \
                 FROM relationship_mission rm JOIN mission m ON m.id = rm.mission_id \
                 WHERE rm.relationship_id IN ({ids}) AND {visible} ORDER BY m.position, m.id",
                true,
            )
            .await?;
        let mut history_sql = Sql::new("");
        let placeholders = crate::sql::id_list(&ids);
        history_sql.push(&format!(
            "SELECT relationship_id, stage, changed_on FROM relationship_stage \
             WHERE relationship_id IN ({}) ORDER BY changed_on, id",
            placeholders
        ));
        let mut history_of: std::collections::HashMap<i64, Vec<StageChange>> =
            std::collections::HashMap::new();
        for change in self.exec().all::<StageRow>(history_sql).await? {
            history_of
                .entry(change.relationship_id)
                .or_default()
                .push(StageChange {
                    stage: term("stage", &change.stage, RelationshipStage::parse)?,
                    date: change.changed_on,
                });
        }
        let mut owners = LinkRow::by_owner(owners);
        let mut missions = LinkRow::by_owner(missions);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let changes = history_of.remove(&row.id).unwrap_or_default();
            out.push(
                Relationship {
                    id: row.id,
                    organisation: RecordRef {
                        id: row.organisation_slug,
                        name: row.organisation_name,
                    },
                    stage: term("stage", &row.stage, RelationshipStage::parse)?,
                    history: changes,
                    owners: owners.remove(&row.id).unwrap_or_default(),
                    formality: term("formality", &row.formality, Formality::parse)?,
                    missions: missions.remove(&row.id).unwrap_or_default(),
                    health: optional_term("health", row.health.as_deref(), Health::parse)?,
                    health_reason: row.health_reason,
                    sensitivities: row.sensitivities,
                    demonstration: row.demonstration,
                    audience: audience(&row.audience)?,
                    version: row.version,
                }
                .redact_for(viewer),
            );
        }
        Ok(out)
    }

    /// Rows linked to the records `ids`; `query` holds `{ids}` and, when
    /// `filtered`, `{visible}` for the linked record's audience (alias `m`).
    pub(crate) async fn links_of(
        &self,
        ids: &[i64],
        viewer: Viewer,
        query: &str,
        filtered: bool,
    ) -> Result<Vec<LinkRow>> {
        let mut sql = Sql::new("");
        let rank_placeholder = sql.arg(rank(viewer));
        let placeholders = crate::sql::id_list(ids);
        let mut text = query.replace("{ids}", &placeholders);
        if filtered {
            text = text.replace("{visible}", &visible("m", &rank_placeholder));
        }
        sql.push(&text);
        self.exec().all::<LinkRow>(sql).await
    }

    /// A relationship's sensitivities, read for `account` only if it is
    /// one of the relationship's owners, an active staff member (the
    /// restricted audience is its owners and administrators).
    pub async fn owned_sensitivities(
        &self,
        place: i64,
        relationship: i64,
        account: i64,
    ) -> Result<Option<String>> {
        #[derive(FromRow)]
        struct Row {
            sensitivities: Option<String>,
        }
        Ok(self
            .exec()
            .optional::<Row>(sql!(
                "SELECT r.sensitivities FROM relationship r \
                 JOIN relationship_owner ro ON ro.relationship_id = r.id AND ro.account_id = $3 \
                 JOIN account a ON a.id = ro.account_id \
                 AND a.role IN ('staff', 'admin') AND a.disabled = FALSE \
                 WHERE r.id = $2 AND r.place_id = $1",
                place,
                relationship,
                account
            ))
            .await?
            .and_then(|row| row.sensitivities))
    }

    /// One relationship, if `viewer` may see it.
    pub async fn relationship(
        &self,
        place: i64,
        id: i64,
        viewer: Viewer,
    ) -> Result<Option<Relationship>> {
        let filter = RelationshipFilter {
            id: Some(id),
            ..Default::default()
        };
        Ok(self
            .relationships(place, viewer, &filter)
            .await?
            .into_iter()
            .next())
    }

    /// The enabled staff and administrator accounts, who may own
    /// relationships: account id and name.
    pub async fn relationship_owner_choices(&self) -> Result<Vec<(String, String)>> {
        Ok(self
            .exec()
            .all::<StaffRow>(Sql::new(
                "SELECT id, display_name FROM account WHERE role IN ('staff', 'admin') \
                 AND disabled = FALSE ORDER BY display_name, id",
            ))
            .await?
            .into_iter()
            .map(|a| (a.id.to_string(), a.display_name))
            .collect())
    }

    /// Records a relationship at its first stage, dated today; returns its id.
    pub async fn create_relationship(&self, w: &Write<'_>, r: &Relationship) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (organisation_id, mission_ids, owner_ids) = links(&mut tx, w, r).await?;
        let id = tx
            .insert_relationship(
                w.place,
                &NewRelationship {
                    organisation_id,
                    stage: r.stage,
                    formality: r.formality,
                    health: r.health,
                    health_reason: r.health_reason.clone(),
                    sensitivities: r.sensitivities.clone(),
                    demonstration: false,
                    owner_ids,
                    mission_ids,
                    history: vec![(r.stage, iso_date(w.now))],
                },
            )
            .await
            .map_err(|e| duplicate(e, || "a relationship with this organisation".to_owned()))?;
        let mut created = for_audit(r);
        created.id = id;
        let audited =
            audit_change(&mut tx, w, "relationship", id.to_string(), None, &created).await?;
        tx.commit(audited).await?;
        Ok(id)
    }

    /// Writes only what the writer may set; missions they cannot see stay
    /// linked; a new stage is added to the history, dated today.
    pub async fn update_relationship(
        &self,
        w: &Write<'_>,
        before: &Relationship,
        after: &Relationship,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let (organisation_id, mission_ids, owner_ids) = links(&mut tx, w, after).await?;
        let mut set = Assignments::new(w);
        set.set("organisation", "organisation_id", organisation_id)
            .set("stage", "stage", after.stage.slug())
            .set("formality", "formality", after.formality.slug())
            .set("health", "health", after.health.map(|h| h.slug()))
            .set(
                "health_reason",
                "health_reason",
                after.health_reason.clone(),
            )
            .set(
                "sensitivities",
                "sensitivities",
                after.sensitivities.clone(),
            );
        versioned(&mut tx, "relationship", before.id, after.version, set)
            .await
            .map_err(|e| duplicate(e, || "a relationship with this organisation".to_owned()))?;
        if w.may_set("stage") && after.stage != before.stage {
            tx.insert_stage_change(before.id, after.stage, &iso_date(w.now), w.actor)
                .await?;
        }
        if w.may_set("missions") {
            replace_visible_links(&mut tx, w, RELATIONSHIP_MISSION, "mission", before.id).await?;
            tx.link_all(RELATIONSHIP_MISSION, before.id, &mission_ids)
                .await?;
        }
        if w.may_set("owners") {
            tx.exec()
                .execute(sql!(
                    "DELETE FROM relationship_owner WHERE relationship_id = $1",
                    before.id
                ))
                .await?;
            tx.link_all(RELATIONSHIP_OWNER, before.id, &owner_ids)
                .await?;
        }
        let audited = audit_change(
            &mut tx,
            w,
            "relationship",
            before.id.to_string(),
            Some(&for_audit(before)),
            &for_audit(after),
        )
        .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    /// Inserts a relationship with its owners, missions and history.
    pub async fn insert_relationship(&mut self, place_id: i64, r: &NewRelationship) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO relationship (place_id, organisation_id, stage, formality, health, \
             health_reason, sensitivities, demonstration, audience, updated_at, id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            place_id,
            r.organisation_id,
            r.stage.slug(),
            r.formality.slug(),
            r.health.map(|h| h.slug()),
            r.health_reason.clone(),
            r.sensitivities.clone(),
            r.demonstration,
            Audience::Staff.as_str(),
            crate::record::unix_now(),
            crate::write::unguessable_id(),
        );
        let id = self.returning_id(sql).await?;
        self.link_all(RELATIONSHIP_OWNER, id, &r.owner_ids).await?;
        self.link_all(RELATIONSHIP_MISSION, id, &r.mission_ids)
            .await?;
        for (stage, date) in &r.history {
            self.insert_stage_change(id, *stage, date, None).await?;
        }
        Ok(id)
    }

    async fn insert_stage_change(
        &mut self,
        relationship: i64,
        stage: RelationshipStage,
        date: &str,
        account: Option<i64>,
    ) -> Result<()> {
        self.exec()
            .execute(sql!(
                "INSERT INTO relationship_stage (relationship_id, stage, changed_on, account_id) \
                 VALUES ($1, $2, $3, $4)",
                relationship,
                stage.slug(),
                date,
                account
            ))
            .await?;
        Ok(())
    }

    /// Links `owner` to each of `targets` in a link table: (table, owner
    /// column, target column).
    pub(crate) async fn link_all(
        &mut self,
        link: (&str, &str, &str),
        owner: i64,
        targets: &[i64],
    ) -> Result<()> {
        let (table, owner_column, target_column) = link;
        let rows = targets
            .iter()
            .map(|t| vec![Value::from(owner), Value::from(*t)])
            .collect();
        self.insert_rows::<Id>(table, &[owner_column, target_column], rows, None)
            .await?;
        Ok(())
    }
}
