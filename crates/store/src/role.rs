//! Roles: the collaboration offer's catalogue of what a partner can do.

use placeweave_domain::search::SearchKind;
use placeweave_domain::{Role, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::record::{
    Assignments, Write, audience, audit_change, next_position, rank, resolve, versioned,
};
use crate::search::Records;
use crate::sql::{sql, visible};
use crate::write::{Tx, duplicate};

#[derive(FromRow)]
struct RoleRow {
    slug: String,
    name: String,
    description: String,
    ask_of_partner: String,
    value_for_place: String,
    value_for_partner: String,
    contact: Option<String>,
    audience: String,
    version: i64,
}

impl Store {
    async fn role_rows(&self, place: i64, slug: Option<&str>, viewer: Viewer) -> Result<Vec<Role>> {
        let mut sql = sql!(
            format!(
                "SELECT slug, name, description, ask_of_partner, value_for_place, value_for_partner, \
                 contact, audience, version FROM role r WHERE r.place_id = $1 AND {}",
                visible("r", "$2")
            ),
            place,
            rank(viewer)
        );
        if let Some(slug) = slug {
            let s = sql.arg(slug);
            sql.push(&format!(" AND r.slug = {s}"));
        }
        sql.push(" ORDER BY r.position, r.id");
        self.exec()
            .all::<RoleRow>(sql)
            .await?
            .into_iter()
            .map(|r| {
                Ok(Role {
                    id: r.slug,
                    name: r.name,
                    description: r.description,
                    ask_of_partner: r.ask_of_partner,
                    value_for_place: r.value_for_place,
                    value_for_partner: r.value_for_partner,
                    contact: r.contact,
                    audience: audience(&r.audience)?,
                    version: r.version,
                })
            })
            .collect()
    }

    pub async fn roles(&self, place: i64, viewer: Viewer) -> Result<Vec<Role>> {
        self.role_rows(place, None, viewer).await
    }

    pub async fn role(&self, place: i64, slug: &str, viewer: Viewer) -> Result<Option<Role>> {
        Ok(self
            .role_rows(place, Some(slug), viewer)
            .await?
            .into_iter()
            .next())
    }

    pub async fn create_role(&self, w: &Write<'_>, role: &Role) -> Result<()> {
        let mut tx = self.begin().await?;
        let position = next_position(&mut tx, "role", w.place).await?;
        tx.insert_role(w.place, role, position)
            .await
            .map_err(|e| duplicate(e, || format!("a role with id \"{}\"", role.id)))?;
        let audited = audit_change(&mut tx, w, "role", role.id.clone(), None, role).await?;
        tx.commit(audited).await
    }

    pub async fn update_role(&self, w: &Write<'_>, before: &Role, after: &Role) -> Result<()> {
        let mut tx = self.begin().await?;
        let id = resolve(&mut tx, w, "role", "role", &before.id).await?;
        let mut set = Assignments::new(w);
        set.set("name", "name", after.name.as_str())
            .set("description", "description", after.description.as_str())
            .set(
                "ask_of_partner",
                "ask_of_partner",
                after.ask_of_partner.as_str(),
            )
            .set(
                "value_for_place",
                "value_for_place",
                after.value_for_place.as_str(),
            )
            .set(
                "value_for_partner",
                "value_for_partner",
                after.value_for_partner.as_str(),
            )
            .set("contact", "contact", after.contact.clone())
            .set("audience", "audience", after.audience.as_str());
        versioned(&mut tx, "role", id, after.version, set).await?;
        let audited =
            audit_change(&mut tx, w, "role", before.id.clone(), Some(before), after).await?;
        tx.commit(audited).await
    }
}

impl Tx {
    pub async fn insert_role(&mut self, place_id: i64, role: &Role, position: i64) -> Result<i64> {
        let sql = sql!(
            "INSERT INTO role (place_id, slug, name, description, ask_of_partner, value_for_place, \
             value_for_partner, contact, position, audience, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
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
            crate::record::unix_now(),
        );
        let id = self.returning_id(sql).await?;
        self.reindex(SearchKind::Role, Records::Ids(id, id)).await?;
        Ok(id)
    }
}
