//! Whole lists for the open-data downloads: every record the viewer may
//! see that matches a filter, with its lists, in a handful of queries
//! (one per table, never one per record).

use std::collections::HashMap;

use placeweave_domain::licence::DataLicence;
use placeweave_domain::visibility::Redact;
use placeweave_domain::{Organisation, OrganisationFilter, Viewer};
use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::organisation::{LeverRow, OrganisationRow, organisation_condition, organisation_from};
use crate::sql::{Sql, sql};
use crate::write::Tx;

#[derive(FromRow)]
struct Listed {
    organisation_id: i64,
    value: String,
}

impl Store {
    /// Every organisation the viewer may see that matches `filter`, in
    /// name order, redacted for the viewer.
    pub async fn organisations_in_full(
        &self,
        place: i64,
        viewer: Viewer,
        filter: &OrganisationFilter,
    ) -> Result<Vec<Organisation>> {
        let matching = |select: &str, order: &str| {
            let mut sql = Sql::default();
            let condition = organisation_condition(self, &mut sql, place, viewer, filter);
            sql.text = format!(
                "{select} WHERE x.organisation_id IN \
                 (SELECT o.id FROM organisation o WHERE {condition}) ORDER BY {order}"
            );
            sql
        };
        let mut sql = Sql::default();
        let condition = organisation_condition(self, &mut sql, place, viewer, filter);
        sql.text = format!(
            "SELECT o.id, o.slug, o.name, o.kind, o.size_band, o.scope, o.is_anchor, \
             o.description, o.website, o.internal_notes, o.audience, o.version \
             FROM organisation o WHERE {condition} ORDER BY o.name, o.id"
        );
        let rows = self.exec().all::<OrganisationRow>(sql).await?;
        let mut wards = grouped(
            self.exec()
                .all::<Listed>(matching(
                    "SELECT x.organisation_id, x.ward AS value FROM organisation_ward x",
                    "x.ward",
                ))
                .await?,
        );
        let mut identifiers = grouped(
            self.exec()
                .all::<Listed>(matching(
                    "SELECT x.organisation_id, x.identifier AS value \
                     FROM organisation_identifier x",
                    "x.identifier",
                ))
                .await?,
        );
        let mut levers: HashMap<i64, Vec<LeverRow>> = HashMap::new();
        for lever in self
            .exec()
            .all::<LeverRow>(matching(
                "SELECT x.organisation_id, x.lever, x.hardness, x.reach, x.detail \
                 FROM organisation_lever x",
                "x.lever",
            ))
            .await?
        {
            levers.entry(lever.organisation_id).or_default().push(lever);
        }
        rows.into_iter()
            .map(|row| {
                let id = row.id;
                let organisation = organisation_from(
                    row,
                    wards.remove(&id).unwrap_or_default(),
                    identifiers.remove(&id).unwrap_or_default(),
                    levers.remove(&id).unwrap_or_default(),
                )?;
                Ok(organisation.redact_for(viewer))
            })
            .collect()
    }
}

fn grouped(rows: Vec<Listed>) -> HashMap<i64, Vec<String>> {
    let mut by_organisation: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        by_organisation
            .entry(row.organisation_id)
            .or_default()
            .push(row.value);
    }
    by_organisation
}

impl Tx {
    /// Sets the licence the place publishes its open data under.
    pub async fn set_data_licence(&mut self, place: i64, licence: DataLicence) -> Result<()> {
        self.exec()
            .execute(sql!(
                "UPDATE place SET data_licence = $2 WHERE id = $1",
                place,
                licence.slug()
            ))
            .await?;
        Ok(())
    }
}
