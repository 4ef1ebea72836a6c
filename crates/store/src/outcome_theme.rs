//! Outcome themes: the outcomes framework's themes (Good Life Camden's
//! safety, equality, health …) that missions serve.

use placeweave_domain::{OutcomeTheme, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{
    Assignments, Write, audience, audit_change, next_position, rank, resolve, versioned,
};
use crate::sql::{sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
struct ThemeRow {
    slug: String,
    name: String,
    description: Option<String>,
    is_core: bool,
    audience: String,
    version: i64,
}

impl Store {
    pub async fn outcome_themes(&self, place: i64, viewer: Viewer) -> Result<Vec<OutcomeTheme>> {
        self.theme_rows(place, None, viewer).await
    }

    pub async fn outcome_theme(
        &self,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> Result<Option<OutcomeTheme>> {
        Ok(self
            .theme_rows(place, Some(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    async fn theme_rows(
        &self,
        place: i64,
        slug: Option<&str>,
        viewer: Viewer,
    ) -> Result<Vec<OutcomeTheme>> {
        let mut sql = sql!(
            format!(
                "SELECT slug, name, description, is_core, audience, version FROM outcome_theme t \
                 WHERE t.place_id = $1 AND {}",
                visible("t", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(slug) = slug {
            let s = sql.arg(slug);
            sql.push(&format!(" AND t.slug = {s}"));
        }
        sql.push(" ORDER BY t.position, t.name");
        self.exec()
            .all::<ThemeRow>(sql)
            .await?
            .into_iter()
            .map(|t| {
                Ok(OutcomeTheme {
                    id: t.slug,
                    name: t.name,
                    description: t.description,
                    is_core: t.is_core,
                    audience: audience(&t.audience)?,
                    version: t.version,
                })
            })
            .collect()
    }

    pub async fn create_outcome_theme(&self, w: &Write<'_>, theme: &OutcomeTheme) -> Result<()> {
        let mut tx = self.begin().await?;
        let position = next_position(&mut tx, "outcome_theme", w.place).await?;
        tx.insert_outcome_theme(w.place, theme, position)
            .await
            .map_err(|e| duplicate(e, || format!("an outcome theme with id \"{}\"", theme.id)))?;
        let audited =
            audit_change(&mut tx, w, "outcome_theme", theme.id.clone(), None, theme).await?;
        tx.commit(audited).await
    }

    pub async fn update_outcome_theme(
        &self,
        w: &Write<'_>,
        before: &OutcomeTheme,
        after: &OutcomeTheme,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "outcome_theme", "theme", &before.id).await?;
        let mut set = Assignments::new(w);
        set.set("name", "name", after.name.as_str())
            .set("description", "description", after.description.clone())
            .set("is_core", "is_core", after.is_core)
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "outcome_theme", id, after.version, set).await?;
        let audited = audit_change(
            &mut tx,
            w,
            "outcome_theme",
            before.id.clone(),
            Some(before),
            after,
        )
        .await?;
        tx.commit(audited).await
    }
}

impl Tx {
    pub async fn insert_outcome_theme(
        &mut self,
        place_id: i64,
        theme: &OutcomeTheme,
        position: i64,
    ) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO outcome_theme (place_id, slug, name, description, is_core, position, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            place_id,
            theme.id.as_str(),
            theme.name.as_str(),
            theme.description.clone(),
            theme.is_core,
            position,
            theme.audience.as_str(),
            crate::record::unix_now(),
        );
        self.returning_id(sql).await
    }
}
