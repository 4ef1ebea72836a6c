//! Organisations: the directory, one organisation, creating and editing.
//! A partner may edit its own organisation's profile.

use placeweave_domain::edit::apply_to_organisation;
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_domain::{Audience, Organisation, OrganisationFilter, PageRequest, Resource};

use crate::record::slug_record;
use crate::{App, Result, Scope};

slug_record!(
    Organisation,
    Resource::Organisation,
    name,
    apply: apply_to_organisation,
    load: organisation,
    insert: create_organisation,
    save: update_organisation,
    blank: Organisation {
        id: String::new(),
        name: String::new(),
        kind: OrganisationKind::Other,
        size_band: None,
        scope: None,
        wards: vec![],
        identifiers: vec![],
        is_anchor: false,
        levers: vec![],
        description: None,
        website: None,
        internal_notes: None,
        audience: Audience::Public,
        version: 0,
    },
    owner = id
);

impl App {
    /// One page of the organisations the caller may see that match
    /// `filter`, and how many match in all.
    pub async fn organisations(
        &self,
        scope: &Scope,
        filter: &OrganisationFilter,
        page: PageRequest,
    ) -> Result<(Vec<OrganisationSummary>, i64)> {
        let total = self.organisation_count(scope, filter).await?;
        let rows = self
            .store
            .organisations(scope.key(), scope.viewer(), filter, page)
            .await?;
        Ok((rows, total))
    }

    /// Every organisation the caller may see, as (id, name) in name order:
    /// the choices of a form's organisation list. A hidden organisation is
    /// not offered, exactly as a missing one is not.
    pub async fn organisation_choices(&self, scope: &Scope) -> Result<Vec<(String, String)>> {
        let (all, _) = self
            .organisations(
                scope,
                &OrganisationFilter::default(),
                PageRequest::everything(),
            )
            .await?;
        Ok(all.into_iter().map(|o| (o.id, o.name)).collect())
    }

    /// The wards the organisations the caller may see work in.
    /// Kept per data version: the pipeline and forms list them on every
    /// request, and finding them reads every ward of the place.
    pub async fn wards(&self, scope: &Scope) -> Result<Vec<String>> {
        let key = (scope.key(), scope.viewer(), String::new());
        self.through(&self.wards, key, || async {
            Ok(self.store.wards(scope.key(), scope.viewer()).await?)
        })
        .await
    }
}
