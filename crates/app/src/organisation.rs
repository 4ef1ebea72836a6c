//! Organisations: the directory, one organisation, creating and editing.
//! A partner may edit its own organisation's profile.

use placeweave_domain::edit::{Absent, Submitted, apply_to_organisation};
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_domain::{
    Audience, DomainError, Organisation, OrganisationFilter, PageRequest, Resource, Viewer,
};
use placeweave_store::{Store, StoreError, Write};

use crate::record::slug_from;
use crate::{App, Record, Result, Scope};

impl Record for Organisation {
    const RESOURCE: Resource = Resource::Organisation;
    const NAME_FIELD: &'static str = "name";
    type Key = String;

    fn key(&self) -> String {
        self.id.clone()
    }
    fn parse_key(raw: &str) -> Option<String> {
        placeweave_domain::place::is_slug(raw).then(|| raw.to_owned())
    }
    fn audience(&self) -> Audience {
        self.audience
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn set_version(&mut self, version: i64) {
        self.version = version;
    }
    /// An organisation owns itself.
    fn owner(&self) -> Option<&str> {
        Some(&self.id)
    }
    fn blank(_owner: Option<String>) -> Self {
        Organisation {
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
        }
    }
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> std::result::Result<Self, DomainError> {
        apply_to_organisation(self, submitted, settable, absent)
    }
    fn assign_key(&mut self) -> Result<()> {
        self.id = slug_from(&self.name, Self::NAME_FIELD)?;
        Ok(())
    }
    async fn load(
        store: &Store,
        place: i64,
        key: &String,
        viewer: Viewer,
    ) -> std::result::Result<Option<Self>, StoreError> {
        store.organisation(place, key, viewer).await
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<String, StoreError> {
        store.create_organisation(write, record).await?;
        Ok(record.id.clone())
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_organisation(write, before, after).await
    }
}

impl App {
    /// One page of the organisations the caller may see that match
    /// `filter`, and how many match in all.
    pub async fn organisations(
        &self,
        scope: &Scope,
        filter: &OrganisationFilter,
        page: PageRequest,
    ) -> Result<(Vec<OrganisationSummary>, i64)> {
        Ok(self
            .store
            .organisations(scope.key(), scope.viewer(), filter, page)
            .await?)
    }

    /// The wards the organisations the caller may see work in.
    pub async fn wards(&self, scope: &Scope) -> Result<Vec<String>> {
        Ok(self.store.wards(scope.key(), scope.viewer()).await?)
    }
}
