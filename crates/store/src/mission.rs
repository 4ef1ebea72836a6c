//! Missions: shared, time-bound goals, and the outcome themes they serve.

use placeweave_domain::place::RecordRef;
use placeweave_domain::search::SearchKind;
use placeweave_domain::{Mission, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{
    Assignments, RefRow, Write, audience, audit_change, next_position, rank, replace_visible_links,
    resolve, versioned,
};
use crate::search::Records;
use crate::sql::{Id, Value, sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
struct MissionRow {
    id: i64,
    slug: String,
    short_name: String,
    statement: String,
    target_year: Option<i32>,
    audience: String,
    version: i64,
}

/// The database ids of a mission's themes, each as the writer may see it.
async fn theme_ids(tx: &mut Tx, w: &Write<'_>, mission: &Mission) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    for theme in &mission.outcome_themes {
        ids.push(resolve(tx, w, "outcome_theme", "outcome_themes", &theme.id).await?);
    }
    Ok(ids)
}

impl Store {
    async fn mission_rows(
        &self,
        place: i64,
        slug: Option<&str>,
        viewer: Viewer,
    ) -> Result<Vec<Mission>> {
        let mut sql = sql!(
            format!(
                "SELECT id, slug, short_name, statement, target_year, audience, version FROM mission m \
                 WHERE m.place_id = $1 AND {}",
                visible("m", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(slug) = slug {
            let s = sql.arg(slug);
            sql.push(&format!(" AND m.slug = {s}"));
        }
        sql.push(" ORDER BY m.position, m.id");
        let rows = self.exec().all::<MissionRow>(sql).await?;
        let mut missions = Vec::with_capacity(rows.len());
        for row in rows {
            let themes = self
                .exec()
                .all::<RefRow>(sql!(
                    format!(
                        "SELECT t.slug, t.name FROM mission_theme mt \
                         JOIN outcome_theme t ON t.id = mt.outcome_theme_id \
                         WHERE mt.mission_id = $1 AND {} ORDER BY t.position, t.name",
                        visible("t", "$2")
                    ),
                    row.id,
                    rank(viewer)
                ))
                .await?;
            missions.push(Mission {
                id: row.slug,
                short_name: row.short_name,
                statement: row.statement,
                target_year: row.target_year,
                outcome_themes: themes.into_iter().map(RecordRef::from).collect(),
                audience: audience(&row.audience)?,
                version: row.version,
            });
        }
        Ok(missions)
    }

    pub async fn missions(&self, place: i64, viewer: Viewer) -> Result<Vec<Mission>> {
        self.mission_rows(place, None, viewer).await
    }

    pub async fn mission(&self, place: i64, slug: &str, viewer: Viewer) -> Result<Option<Mission>> {
        Ok(self
            .mission_rows(place, Some(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    pub async fn create_mission(&self, w: &Write<'_>, mission: &Mission) -> Result<()> {
        let mut tx = self.begin().await?;
        let themes = theme_ids(&mut tx, w, mission).await?;
        let position = next_position(&mut tx, "mission", w.place).await?;
        tx.insert_mission(w.place, mission, position, &themes)
            .await
            .map_err(|e| duplicate(e, || format!("a mission with id \"{}\"", mission.id)))?;
        let audited =
            audit_change(&mut tx, w, "mission", mission.id.clone(), None, mission).await?;
        tx.commit(audited).await
    }

    /// Themes the writer cannot see stay linked whatever the edit says.
    pub async fn update_mission(
        &self,
        w: &Write<'_>,
        before: &Mission,
        after: &Mission,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "mission", "mission", &before.id).await?;
        let mut set = Assignments::new(w);
        set.set("short_name", "short_name", after.short_name.as_str())
            .set("statement", "statement", after.statement.as_str())
            .set(
                "target_year",
                "target_year",
                after.target_year.map(i64::from),
            )
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "mission", id, after.version, set).await?;
        if w.may_set("outcome_themes") {
            let themes = theme_ids(&mut tx, w, after).await?;
            replace_visible_links(
                &mut tx,
                w,
                ("mission_theme", "mission_id", "outcome_theme_id"),
                "outcome_theme",
                id,
            )
            .await?;
            for theme in themes {
                tx.exec()
                    .execute(sql!(
                        "INSERT INTO mission_theme (mission_id, outcome_theme_id) VALUES ($1, $2)",
                        id,
                        theme
                    ))
                    .await?;
            }
        }
        let audited = audit_change(
            &mut tx,
            w,
            "mission",
            before.id.clone(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    pub async fn insert_mission(
        &mut self,
        place_id: i64,
        mission: &Mission,
        position: i64,
        theme_ids: &[i64],
    ) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO mission (place_id, slug, short_name, statement, target_year, position, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            place_id,
            mission.id.as_str(),
            mission.short_name.as_str(),
            mission.statement.as_str(),
            mission.target_year.map(i64::from),
            position,
            mission.audience.as_str(),
            crate::record::unix_now(),
        );
        let id = self.returning_id(sql).await?;
        let links = theme_ids
            .iter()
            .map(|t| vec![Value::from(id), Value::from(*t)])
            .collect();
        self.insert_rows::<Id>(
            "mission_theme",
            &["mission_id", "outcome_theme_id"],
            links,
            None,
        )
        .await?;
        self.reindex(SearchKind::Mission, Records::Ids(id, id))
            .await?;
        Ok(id)
    }
}
