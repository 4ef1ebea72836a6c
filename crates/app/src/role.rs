//! Roles: reading, creating and editing them.

use placeweave_domain::edit::{Absent, Submitted, apply_to_role};
use placeweave_domain::{Audience, DomainError, Resource, Role, Viewer};
use placeweave_store::{Store, StoreError, Write};

use crate::record::slug_from;
use crate::{App, Record, Scope};

impl Record for Role {
    const RESOURCE: Resource = Resource::Role;
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
        Role {
            id: String::new(),
            name: String::new(),
            description: String::new(),
            ask_of_partner: String::new(),
            value_for_place: String::new(),
            value_for_partner: String::new(),
            contact: None,
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
        apply_to_role(self, submitted, settable, absent)
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
        store.role(place, key, viewer).await
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<String, StoreError> {
        store.create_role(write, record).await?;
        Ok(record.id.clone())
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_role(write, before, after).await
    }
}

impl App {
    /// The roles on offer that the caller may see, in published order.
    pub async fn roles(&self, scope: &Scope) -> crate::Result<Vec<Role>> {
        Ok(self.store.roles(scope.key(), scope.viewer()).await?)
    }
}
