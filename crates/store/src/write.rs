//! Writes, always inside a transaction: on SQLite an IMMEDIATE one, so a
//! writer takes the lock up front instead of failing half-way.

use placeweave_domain::commitment::CommitmentStatus;
use placeweave_domain::{Audience, Initiative, Mission, Organisation, OutcomeTheme, Place, Role};
use sqlx::{FromRow, Postgres, Sqlite};

use crate::Store;
use crate::error::{Result, StoreError};
use crate::sql::{Executor, Id, Sql, Value, sql};

/// Most rows sent in one INSERT. SQLite resolves `$n` parameters by a linear
/// search, so its cost grows with the square of a statement's argument
/// count: small batches are fastest there. PostgreSQL gains from large
/// batches (fewer round trips), up to its 65,535-argument limit.
fn batch_rows(tx: &Tx) -> usize {
    match tx {
        Tx::Sqlite(_) => 64,
        Tx::Postgres(_) => 500,
    }
}

/// An open write transaction. Dropping it without [`Tx::commit`] rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// A new commitment, by database ids.
#[derive(Debug, Clone)]
pub struct NewCommitment {
    pub organisation_id: i64,
    pub role_id: Option<i64>,
    pub mission_id: Option<i64>,
    pub status: CommitmentStatus,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub note: Option<String>,
    pub demonstration: bool,
    pub audience: Audience,
}

impl Store {
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }
}

#[derive(FromRow)]
struct IdSlug {
    id: i64,
    slug: String,
}

pub(crate) fn duplicate(err: StoreError, what: impl FnOnce() -> String) -> StoreError {
    match err {
        StoreError::Database(sqlx::Error::Database(ref db)) if db.is_unique_violation() => {
            StoreError::Duplicate(what())
        }
        other => other,
    }
}

impl Tx {
    pub(crate) fn exec(&mut self) -> Executor<'_> {
        match self {
            Tx::Sqlite(tx) => Executor::Sqlite(tx),
            Tx::Postgres(tx) => Executor::Postgres(tx),
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    async fn returning_id(&mut self, sql: Sql) -> Result<i64> {
        Ok(self.exec().one::<Id>(sql).await?.id)
    }

    /// Inserts rows in batches, returning what `returning` selects.
    async fn insert_rows<T: crate::sql::Row>(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: Vec<Vec<Value>>,
        returning: Option<&str>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for chunk in rows.chunks(batch_rows(self)) {
            let mut sql = Sql::new(format!(
                "INSERT INTO {table} ({}) VALUES ",
                columns.join(", ")
            ));
            for (i, row) in chunk.iter().enumerate() {
                let placeholders: Vec<String> = row.iter().map(|v| sql.arg(v.clone())).collect();
                if i > 0 {
                    sql.push(", ");
                }
                sql.push("(").push(&placeholders.join(", ")).push(")");
            }
            match returning {
                Some(cols) => {
                    sql.push(" RETURNING ").push(cols);
                    out.extend(self.exec().all::<T>(sql).await?);
                }
                None => {
                    self.exec().execute(sql).await?;
                }
            }
        }
        Ok(out)
    }

    pub async fn insert_place(&mut self, place: &Place) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO place (slug, name, convening_organisation, description, synthetic, audience) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            place.id.as_str(),
            place.name.as_str(),
            place.convening_organisation.as_str(),
            place.description.clone(),
            place.synthetic,
            place.audience.as_str(),
        );
        self.returning_id(sql)
            .await
            .map_err(|e| duplicate(e, || format!("a place with id \"{}\"", place.id)))
    }

    /// Inserts organisations with their wards, identifiers and levers;
    /// returns their ids in the order given.
    pub async fn insert_organisations(
        &mut self,
        place_id: i64,
        organisations: &[Organisation],
    ) -> Result<Vec<i64>> {
        let rows = organisations
            .iter()
            .map(|o| {
                vec![
                    Value::from(place_id),
                    Value::from(o.id.as_str()),
                    Value::from(o.name.as_str()),
                    Value::from(o.kind.slug()),
                    Value::from(o.size_band.map(|s| s.slug())),
                    Value::from(o.scope.map(|s| s.slug())),
                    Value::from(o.is_anchor),
                    Value::from(o.description.clone()),
                    Value::from(o.website.clone()),
                    Value::from(o.internal_notes.clone()),
                    Value::from(o.audience.as_str()),
                ]
            })
            .collect();
        let inserted: Vec<IdSlug> = self
            .insert_rows(
                "organisation",
                &[
                    "place_id",
                    "slug",
                    "name",
                    "kind",
                    "size_band",
                    "scope",
                    "is_anchor",
                    "description",
                    "website",
                    "internal_notes",
                    "audience",
                ],
                rows,
                Some("id, slug"),
            )
            .await
            .map_err(|e| duplicate(e, || "an organisation with the same id".to_owned()))?;
        // RETURNING order is not guaranteed, so match ids back by slug.
        let by_slug: std::collections::HashMap<&str, i64> =
            inserted.iter().map(|r| (r.slug.as_str(), r.id)).collect();
        let ids: Vec<i64> = organisations
            .iter()
            .map(|o| by_slug.get(o.id.as_str()).copied().unwrap_or_default())
            .collect();

        let pairs: Vec<(&Organisation, i64)> =
            organisations.iter().zip(ids.iter().copied()).collect();
        self.insert_organisation_details(&pairs).await?;
        Ok(ids)
    }

    /// Inserts organisations' wards, identifiers and levers, by database id.
    pub(crate) async fn insert_organisation_details(
        &mut self,
        organisations: &[(&Organisation, i64)],
    ) -> Result<()> {
        let mut wards = Vec::new();
        let mut identifiers = Vec::new();
        let mut levers = Vec::new();
        for (o, id) in organisations {
            for ward in &o.wards {
                wards.push(vec![Value::from(*id), Value::from(ward.as_str())]);
            }
            for identifier in &o.identifiers {
                identifiers.push(vec![Value::from(*id), Value::from(identifier.as_str())]);
            }
            for l in &o.levers {
                levers.push(vec![
                    Value::from(*id),
                    Value::from(l.lever.slug()),
                    Value::from(l.hardness.map(|h| h.slug())),
                    Value::from(l.reach.map(|r| r.slug())),
                    Value::from(l.detail.clone()),
                ]);
            }
        }
        self.insert_rows::<Id>(
            "organisation_ward",
            &["organisation_id", "ward"],
            wards,
            None,
        )
        .await?;
        self.insert_rows::<Id>(
            "organisation_identifier",
            &["organisation_id", "identifier"],
            identifiers,
            None,
        )
        .await?;
        self.insert_rows::<Id>(
            "organisation_lever",
            &["organisation_id", "lever", "hardness", "reach", "detail"],
            levers,
            None,
        )
        .await?;
        Ok(())
    }

    pub async fn insert_outcome_theme(
        &mut self,
        place_id: i64,
        theme: &OutcomeTheme,
        position: i64,
    ) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO outcome_theme (place_id, slug, name, description, is_core, position, audience) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            place_id,
            theme.id.as_str(),
            theme.name.as_str(),
            theme.description.clone(),
            theme.is_core,
            position,
            theme.audience.as_str(),
        );
        self.returning_id(sql).await
    }

    pub async fn insert_mission(
        &mut self,
        place_id: i64,
        mission: &Mission,
        position: i64,
        theme_ids: &[i64],
    ) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO mission (place_id, slug, short_name, statement, target_year, position, audience) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            place_id,
            mission.id.as_str(),
            mission.short_name.as_str(),
            mission.statement.as_str(),
            mission.target_year.map(i64::from),
            position,
            mission.audience.as_str(),
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
        Ok(id)
    }

    pub async fn insert_role(&mut self, place_id: i64, role: &Role, position: i64) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO role (place_id, slug, name, description, ask_of_partner, value_for_place, \
             value_for_partner, contact, position, audience) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            place_id,
            role.id.as_str(),
            role.name.as_str(),
            role.description.as_str(),
            role.ask_of_partner.as_str(),
            role.value_for_place.as_str(),
            role.value_for_partner.as_str(),
            role.contact.clone(),
            position,
            role.audience.as_str(),
        );
        self.returning_id(sql).await
    }

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
            "INSERT INTO initiative (place_id, slug, name, description, website, audience) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            place_id,
            initiative.id.as_str(),
            initiative.name.as_str(),
            initiative.description.clone(),
            initiative.website.clone(),
            initiative.audience.as_str(),
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
        Ok(id)
    }

    pub async fn insert_commitment(&mut self, place_id: i64, c: &NewCommitment) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO commitment (place_id, organisation_id, role_id, mission_id, status, \
             start_date, end_date, note, demonstration, audience) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            place_id,
            c.organisation_id,
            c.role_id,
            c.mission_id,
            c.status.slug(),
            c.start_date.clone(),
            c.end_date.clone(),
            c.note.clone(),
            c.demonstration,
            c.audience.as_str(),
        );
        self.returning_id(sql).await
    }
}
