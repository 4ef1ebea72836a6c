//! Initiatives: multi-partner programmes, the missions they serve and the
//! organisations taking part. Co-participation makes the network's edges.

use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::place::RecordRef;
use placeweave_domain::search::SearchKind;
use placeweave_domain::{Initiative, Organisation, PageRequest, Participant, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{
    Assignments, RefRow, Write, audience, audit_change, rank, replace_visible_links, resolve,
    versioned,
};
use crate::search::Records;
use crate::sql::{Count, Id, Value, sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
struct InitiativeRow {
    id: i64,
    slug: String,
    name: String,
    description: Option<String>,
    website: Option<String>,
    audience: String,
    version: i64,
}

#[derive(FromRow)]
struct InitiativeSummaryRow {
    slug: String,
    name: String,
    description: Option<String>,
    participant_count: i64,
}

#[derive(FromRow)]
struct ParticipantRow {
    slug: String,
    name: String,
    role: Option<String>,
}

type Links = (Vec<i64>, Vec<(i64, Option<String>)>);

/// The database ids of an initiative's missions and participants, each as
/// the writer may see it.
async fn links(tx: &mut Tx, w: &Write<'_>, initiative: &Initiative) -> Result<Links> {
    let mut missions = Vec::new();
    for mission in &initiative.missions {
        missions.push(resolve(tx, w, "mission", "missions", &mission.id).await?);
    }
    let mut participants = Vec::new();
    for participant in &initiative.participants {
        let id = resolve(
            tx,
            w,
            "organisation",
            "participants",
            &participant.organisation.id,
        )
        .await?;
        participants.push((id, participant.role.clone()));
    }
    Ok((missions, participants))
}

impl Store {
    /// Initiatives, optionally only those serving a mission or with an organisation taking part.
    pub async fn initiatives(
        &self,
        place: i64,
        viewer: Viewer,
        mission: Option<&str>,
        organisation: Option<&str>,
    ) -> Result<Vec<InitiativeSummary>> {
        let (items, _) = self
            .initiatives_page(
                place,
                viewer,
                mission,
                organisation,
                PageRequest::everything(),
            )
            .await?;
        Ok(items)
    }

    /// One page of those initiatives and how many there are, both counted
    /// and cut in the database.
    pub async fn initiatives_page(
        &self,
        place: i64,
        viewer: Viewer,
        mission: Option<&str>,
        organisation: Option<&str>,
        page: PageRequest,
    ) -> Result<(Vec<InitiativeSummary>, i64)> {
        let mut sql = sql!(
            format!(
                "SELECT i.slug, i.name, i.description, \
                 (SELECT COUNT(*) FROM initiative_participant ip \
                  JOIN organisation o ON o.id = ip.organisation_id \
                  WHERE ip.initiative_id = i.id AND {o_visible}) AS participant_count \
                 FROM initiative i WHERE i.place_id = $1 AND {i_visible}",
                o_visible = visible("o", "$2"),
                i_visible = visible("i", "$2"),
            ),
            place,
            rank(viewer)
        );
        if let Some(mission) = mission {
            let p = sql.arg(mission);
            sql.push(&format!(
                " AND i.id IN (SELECT im.initiative_id FROM initiative_mission im \
                 JOIN mission m ON m.id = im.mission_id WHERE m.slug = {p} AND {})",
                visible("m", "$2")
            ));
        }
        if let Some(organisation) = organisation {
            let p = sql.arg(organisation);
            sql.push(&format!(
                " AND i.id IN (SELECT ip.initiative_id FROM initiative_participant ip \
                 JOIN organisation o ON o.id = ip.organisation_id WHERE o.slug = {p} AND {})",
                visible("o", "$2")
            ));
        }
        let total = self.exec().one::<Count>(sql.counted()).await?.n;
        let limit = sql.arg(page.limit());
        let offset = sql.arg(page.offset());
        sql.push(&format!(
            " ORDER BY i.name, i.id LIMIT {limit} OFFSET {offset}"
        ));
        let items = self
            .exec()
            .all::<InitiativeSummaryRow>(sql)
            .await?
            .into_iter()
            .map(|r| InitiativeSummary {
                id: r.slug,
                name: r.name,
                description: r.description,
                participant_count: r.participant_count,
            })
            .collect::<Vec<_>>();
        Ok((items, total))
    }

    pub async fn initiative(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<Initiative>> {
        let sql = sql!(
            format!(
                "SELECT id, slug, name, description, website, audience, version FROM initiative i \
                 WHERE i.place_id = $1 AND i.slug = $2 AND {}",
                visible("i", "$3")
            ),
            place,
            slug,
            rank(viewer)
        );
        let Some(row) = self.exec().optional::<InitiativeRow>(sql).await? else {
            return Ok(None);
        };
        let missions = self
            .exec()
            .all::<RefRow>(sql!(
                format!(
                    "SELECT m.slug, m.short_name AS name FROM initiative_mission im \
                     JOIN mission m ON m.id = im.mission_id \
                     WHERE im.initiative_id = $1 AND {} ORDER BY m.position",
                    visible("m", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        let participants = self
            .exec()
            .all::<ParticipantRow>(sql!(
                format!(
                    "SELECT o.slug, o.name, ip.role FROM initiative_participant ip \
                     JOIN organisation o ON o.id = ip.organisation_id \
                     WHERE ip.initiative_id = $1 AND {} ORDER BY o.name",
                    visible("o", "$2")
                ),
                row.id,
                rank(viewer)
            ))
            .await?;
        Ok(Some(Initiative {
            id: row.slug,
            name: row.name,
            description: row.description,
            website: row.website,
            missions: missions.into_iter().map(RecordRef::from).collect(),
            participants: participants
                .into_iter()
                .map(|p| Participant {
                    organisation: RecordRef {
                        id: p.slug,
                        name: p.name,
                    },
                    role: p.role,
                })
                .collect(),
            audience: audience(&row.audience)?,
            version: row.version,
        }))
    }

    pub async fn create_initiative(&self, w: &Write<'_>, initiative: &Initiative) -> Result<()> {
        let mut tx = self.begin().await?;
        let (missions, participants) = links(&mut tx, w, initiative).await?;
        tx.insert_initiative(w.place, initiative, &missions, &participants)
            .await
            .map_err(|e| duplicate(e, || format!("an initiative with id \"{}\"", initiative.id)))?;
        let audited = audit_change(
            &mut tx,
            w,
            "initiative",
            initiative.id.clone(),
            None,
            initiative,
        )
        .await?;
        tx.commit(audited).await
    }

    /// New organisations, then new initiatives with the organisations taking
    /// part in them (old or new), written in one transaction with an audit
    /// line each: an import that fails anywhere leaves nothing behind.
    pub async fn import_organisations_and_initiatives(
        &self,
        w: &Write<'_>,
        organisations: &[Organisation],
        initiatives: &[Initiative],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let mut audited = None;
        if !organisations.is_empty() {
            tx.insert_organisations(w.place, organisations).await?;
        }
        for o in organisations {
            audited = Some(audit_change(&mut tx, w, "organisation", o.id.clone(), None, o).await?);
        }
        for initiative in initiatives {
            let (missions, participants) = links(&mut tx, w, initiative).await?;
            tx.insert_initiative(w.place, initiative, &missions, &participants)
                .await
                .map_err(|e| {
                    duplicate(e, || format!("an initiative with id \"{}\"", initiative.id))
                })?;
            audited = Some(
                audit_change(
                    &mut tx,
                    w,
                    "initiative",
                    initiative.id.clone(),
                    None,
                    initiative,
                )
                .await?,
            );
        }
        match audited {
            Some(audited) => tx.commit(audited).await,
            // Nothing to write: dropping the transaction rolls it back.
            None => Ok(()),
        }
    }

    /// Missions and participants the writer cannot see stay linked.
    pub async fn update_initiative(
        &self,
        w: &Write<'_>,
        before: &Initiative,
        after: &Initiative,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "initiative", "initiative", &before.id).await?;
        let mut set = Assignments::new(w);
        set.set("name", "name", after.name.as_str())
            .set("description", "description", after.description.clone())
            .set("website", "website", after.website.clone())
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "initiative", id, after.version, set).await?;
        let (missions, participants) = links(&mut tx, w, after).await?;
        if w.may_set("missions") {
            replace_visible_links(
                &mut tx,
                w,
                ("initiative_mission", "initiative_id", "mission_id"),
                "mission",
                id,
            )
            .await?;
            for mission in missions {
                tx.exec()
                    .execute(sql!(
                        "INSERT INTO initiative_mission (initiative_id, mission_id) VALUES ($1, $2)",
                        id,
                        mission
                    ))
                    .await?;
            }
        }
        if w.may_set("participants") {
            replace_visible_links(
                &mut tx,
                w,
                ("initiative_participant", "initiative_id", "organisation_id"),
                "organisation",
                id,
            )
            .await?;
            for (organisation, role) in participants {
                tx.exec()
                    .execute(sql!(
                        "INSERT INTO initiative_participant (initiative_id, organisation_id, role) \
                         VALUES ($1, $2, $3)",
                        id,
                        organisation,
                        role
                    ))
                    .await?;
            }
        }
        let audited = audit_change(
            &mut tx,
            w,
            "initiative",
            before.id.clone(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    /// Inserts an initiative, its missions and its participants
    /// (organisation id and their part in it).
    pub async fn insert_initiative(
        &mut self,
        place_id: i64,
        initiative: &Initiative,
        mission_ids: &[i64],
        participants: &[(i64, Option<String>)],
    ) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO initiative (place_id, slug, name, description, website, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            place_id,
            initiative.id.as_str(),
            initiative.name.as_str(),
            initiative.description.clone(),
            initiative.website.clone(),
            initiative.audience.as_str(),
            crate::record::unix_now(),
        );
        let id = self.returning_id(sql).await?;
        let missions = mission_ids
            .iter()
            .map(|m| vec![Value::from(id), Value::from(*m)])
            .collect();
        self.insert_rows::<Id>(
            "initiative_mission",
            &["initiative_id", "mission_id"],
            missions,
            None,
        )
        .await?;
        let people = participants
            .iter()
            .map(|(org, role)| {
                vec![
                    Value::from(id),
                    Value::from(*org),
                    Value::from(role.clone()),
                ]
            })
            .collect();
        self.insert_rows::<Id>(
            "initiative_participant",
            &["initiative_id", "organisation_id", "role"],
            people,
            None,
        )
        .await?;
        self.reindex(SearchKind::Initiative, Records::Ids(id, id))
            .await?;
        Ok(id)
    }
}
