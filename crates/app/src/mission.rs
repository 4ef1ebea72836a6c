//! Missions: reading, creating and editing them.

use placeweave_domain::edit::{Absent, Submitted, apply_to_mission};
use placeweave_domain::{Audience, DomainError, Mission, Resource, Viewer};
use placeweave_store::{Store, StoreError, Write};

use crate::record::slug_from;
use crate::{App, Record, Scope};

impl Record for Mission {
    const RESOURCE: Resource = Resource::Mission;
    const NAME_FIELD: &'static str = "short_name";
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
        Mission {
            id: String::new(),
            short_name: String::new(),
            statement: String::new(),
            target_year: None,
            outcome_themes: vec![],
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
        apply_to_mission(self, submitted, settable, absent)
    }
    fn assign_key(&mut self) -> crate::Result<()> {
        self.id = slug_from(&self.short_name, Self::NAME_FIELD)?;
        Ok(())
    }
    async fn load(
        store: &Store,
        place: i64,
        key: &String,
        viewer: Viewer,
    ) -> std::result::Result<Option<Self>, StoreError> {
        store.mission(place, key, viewer).await
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<String, StoreError> {
        store.create_mission(write, record).await?;
        Ok(record.id.clone())
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_mission(write, before, after).await
    }
}

impl App {
    /// The place's missions the caller may see, in published order.
    pub async fn missions(&self, scope: &Scope) -> crate::Result<Vec<Mission>> {
        Ok(self.store.missions(scope.key(), scope.viewer()).await?)
    }
}
