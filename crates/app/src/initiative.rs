//! Initiatives: reading, creating and editing them.

use placeweave_domain::edit::{Absent, Submitted, apply_to_initiative};
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Audience, DomainError, Initiative, PageRequest, Resource, Viewer};
use placeweave_store::{Store, StoreError, Write};

use crate::record::slug_from;
use crate::{App, Record, Scope};

impl Record for Initiative {
    const RESOURCE: Resource = Resource::Initiative;
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
    fn blank(_owner: Option<String>) -> Self {
        Initiative {
            id: String::new(),
            name: String::new(),
            description: None,
            website: None,
            missions: vec![],
            participants: vec![],
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
        apply_to_initiative(self, submitted, settable, absent)
    }
    fn assign_key(&mut self) -> crate::Result<()> {
        self.id = slug_from(&self.name, Self::NAME_FIELD)?;
        Ok(())
    }
    async fn load(
        store: &Store,
        place: i64,
        key: &String,
        viewer: Viewer,
    ) -> std::result::Result<Option<Self>, StoreError> {
        store.initiative(place, key, viewer).await
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<String, StoreError> {
        store.create_initiative(write, record).await?;
        Ok(record.id.clone())
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_initiative(write, before, after).await
    }
}

/// Which initiatives to list.
#[derive(Debug, Clone, Default)]
pub struct InitiativeQuery {
    /// Only those serving this mission (its id).
    pub mission: Option<String>,
    /// Only those this organisation (its id) takes part in.
    pub organisation: Option<String>,
    pub page: PageRequest,
}

impl App {
    /// One page of the initiatives the caller may see, and how many match.
    pub async fn initiatives(
        &self,
        scope: &Scope,
        query: &InitiativeQuery,
    ) -> crate::Result<(Vec<InitiativeSummary>, i64)> {
        let all = self
            .store
            .initiatives(
                scope.key(),
                scope.viewer(),
                query.mission.as_deref(),
                query.organisation.as_deref(),
            )
            .await?;
        Ok(crate::page_of(all, query.page))
    }
}
