//! Relationships: the partnership team's record of the convening
//! organisation's relationship with each partner, and the pipeline that
//! lists them by stage. Staff and admins only (the domain's policy).

use placeweave_domain::edit::{Absent, Submitted};
use placeweave_domain::place::RecordRef;
use placeweave_domain::relationship::{
    AUDIENCE, PipelineFilter, Relationship, apply_to_relationship,
};
use placeweave_domain::{Action, Audience, DomainError, Resource, Target, Viewer};
use placeweave_store::{RelationshipFilter, Store, StoreError, Write};

use crate::{App, Record, Result, Scope};

impl Record for Relationship {
    const RESOURCE: Resource = Resource::Relationship;
    const NAME_FIELD: &'static str = "organisation";
    type Key = i64;

    fn key(&self) -> i64 {
        self.id
    }
    fn parse_key(raw: &str) -> Option<i64> {
        raw.parse().ok().filter(|id| *id > 0)
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
    fn owner(&self) -> Option<&str> {
        Some(&self.organisation.id)
    }
    fn blank(owner: Option<String>) -> Self {
        Relationship::new(RecordRef {
            id: owner.unwrap_or_default(),
            name: String::new(),
        })
    }
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> std::result::Result<Self, DomainError> {
        apply_to_relationship(self, submitted, settable, absent)
    }
    fn assign_key(&mut self) -> Result<()> {
        Ok(())
    }
    async fn load(
        store: &Store,
        place: i64,
        key: &i64,
        viewer: Viewer,
    ) -> std::result::Result<Option<Self>, StoreError> {
        store.relationship(place, *key, viewer).await
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<i64, StoreError> {
        store.create_relationship(write, record).await
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_relationship(write, before, after).await
    }
}

impl Scope {
    /// Whether the caller may see relationships at all (to offer the links).
    pub fn may_read_relationships(&self) -> bool {
        self.permits(
            Action::Read,
            &Target::kind_at(Resource::Relationship, AUDIENCE),
        )
    }
}

impl App {
    /// The relationships the caller may see that the query selects.
    pub async fn relationships(
        &self,
        scope: &Scope,
        query: &PipelineFilter,
    ) -> Result<Vec<Relationship>> {
        scope.require(
            Action::Read,
            &Target::kind_at(Resource::Relationship, AUDIENCE),
        )?;
        let filter = RelationshipFilter {
            id: None,
            stage: query.stage,
            owner: query.owner,
            mission: query.mission.clone(),
            kind: query.kind.map(|k| k.slug().to_owned()),
            ward: query.ward.clone(),
        };
        Ok(self
            .store
            .relationships(scope.key(), scope.viewer(), &filter)
            .await?)
    }

    /// The accounts that may own a relationship (id and name), for forms
    /// and filters; only for those who may see relationships.
    pub async fn relationship_owner_choices(&self, scope: &Scope) -> Result<Vec<(String, String)>> {
        scope.require(
            Action::Read,
            &Target::kind_at(Resource::Relationship, AUDIENCE),
        )?;
        Ok(self.store.relationship_owner_choices().await?)
    }
}
