//! OutcomeThemes: reading, creating and editing them.

use placeweave_domain::edit::{Absent, Submitted, apply_to_theme};
use placeweave_domain::{Audience, DomainError, OutcomeTheme, Resource, Viewer};
use placeweave_store::{Store, StoreError, Write};

use crate::record::slug_from;
use crate::{App, Record, Scope};

impl Record for OutcomeTheme {
    const RESOURCE: Resource = Resource::OutcomeTheme;
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
        OutcomeTheme {
            id: String::new(),
            name: String::new(),
            description: None,
            is_core: false,
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
        apply_to_theme(self, submitted, settable, absent)
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
        store.outcome_theme(place, key, viewer).await
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<String, StoreError> {
        store.create_outcome_theme(write, record).await?;
        Ok(record.id.clone())
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_outcome_theme(write, before, after).await
    }
}

impl App {
    /// The outcomes framework's themes the caller may see.
    pub async fn outcome_themes(&self, scope: &Scope) -> crate::Result<Vec<OutcomeTheme>> {
        Ok(self
            .store
            .outcome_themes(scope.key(), scope.viewer())
            .await?)
    }
}
