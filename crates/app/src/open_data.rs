//! Open data: the licence a place publishes under (administrators choose
//! it) and whole lists for downloads, each exactly what the caller may see.

use placeweave_domain::licence::DataLicence;
use placeweave_domain::{Action, Organisation, OrganisationFilter, Resource, Target};
use placeweave_store::privacy::AuditLine;
use serde_json::json;

use crate::{App, Result, Scope, now};

impl App {
    /// Every organisation the caller may see that matches `filter`.
    pub async fn organisations_in_full(
        &self,
        scope: &Scope,
        filter: &OrganisationFilter,
    ) -> Result<Vec<Organisation>> {
        Ok(self
            .store
            .organisations_in_full(scope.key(), scope.viewer(), filter)
            .await?)
    }

    /// Changes the place's data licence (administrators), with an audit line.
    pub async fn set_data_licence(&self, scope: &Scope, licence: DataLicence) -> Result<()> {
        scope.require(Action::Update, &Target::kind(Resource::PlacePage))?;
        let current = scope.place().licence;
        if current == licence {
            return Ok(());
        }
        let now = now();
        let mut tx = self.store.begin().await?;
        tx.set_data_licence(scope.key(), licence).await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: scope.actor(),
                    action: "update",
                    record_type: "place",
                    record_id: Some(scope.place().place.id.clone()),
                    detail: Some(
                        json!({ "data_licence": [current.slug(), licence.slug()] }).to_string(),
                    ),
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(())
    }
}
