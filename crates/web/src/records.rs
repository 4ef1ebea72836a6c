//! The records people create and edit by their id (slug) — missions, roles
//! of the offer and initiatives — described once, so that the pages and the
//! API share one way of loading, checking, applying and saving them.

use std::future::Future;

use placeweave_domain::edit::{
    Absent, Submitted, apply_to_initiative, apply_to_mission, apply_to_role, apply_to_theme,
};
use placeweave_domain::place::slugify;
use placeweave_domain::{
    Audience, DomainError, FieldError, Initiative, Mission, OutcomeTheme, Resource, Role, Viewer,
};
use placeweave_store::{Store, StoreError};
use serde::Serialize;

use crate::error::Failure;

type StoreResult<T> = Result<T, StoreError>;

/// The id, name and audience accessors every record has, by field.
macro_rules! accessors {
    ($name:ident) => {
        fn slug(&self) -> &str {
            &self.id
        }
        fn set_slug(&mut self, slug: String) {
            self.id = slug;
        }
        fn name(&self) -> &str {
            &self.$name
        }
        fn audience(&self) -> Audience {
            self.audience
        }
    };
}

pub trait Record: Clone + Serialize + Send + Sync + Sized + 'static {
    const RESOURCE: Resource;
    /// The field the record's id is made from.
    const NAME_FIELD: &'static str;
    fn blank() -> Self;
    fn slug(&self) -> &str;
    fn set_slug(&mut self, slug: String);
    fn name(&self) -> &str;
    fn audience(&self) -> Audience;
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> Result<Self, DomainError>;
    fn load(
        store: &Store,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> impl Future<Output = StoreResult<Option<Self>>> + Send;
    fn create(
        store: &Store,
        place: i64,
        record: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    fn update(
        store: &Store,
        place: i64,
        before: &Self,
        after: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Gives a new record its id, made from its name.
    fn new_slug(&mut self) -> Result<(), Failure> {
        let slug = slug_from(self.name(), Self::NAME_FIELD)?;
        self.set_slug(slug);
        Ok(())
    }
}

/// A new record's id from its name, or an error on the name field.
pub fn slug_from(name: &str, field: &'static str) -> Result<String, Failure> {
    let slug: String = slugify(name).chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        return Err(Failure::Invalid(vec![FieldError::new(
            field,
            "Enter a name with at least one letter or digit",
        )]));
    }
    Ok(slug)
}

impl Record for Mission {
    const RESOURCE: Resource = Resource::Mission;
    const NAME_FIELD: &'static str = "short_name";
    fn blank() -> Self {
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
    accessors!(short_name);
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> Result<Self, DomainError> {
        apply_to_mission(self, submitted, settable, absent)
    }
    async fn load(
        store: &Store,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> StoreResult<Option<Self>> {
        store.mission(place, slug, viewer).await
    }
    async fn create(
        store: &Store,
        place: i64,
        record: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store.create_mission(place, record, actor, now).await
    }
    async fn update(
        store: &Store,
        place: i64,
        before: &Self,
        after: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store.update_mission(place, before, after, actor, now).await
    }
}

impl Record for Role {
    const RESOURCE: Resource = Resource::Role;
    const NAME_FIELD: &'static str = "name";
    fn blank() -> Self {
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
    accessors!(name);
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> Result<Self, DomainError> {
        apply_to_role(self, submitted, settable, absent)
    }
    async fn load(
        store: &Store,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> StoreResult<Option<Self>> {
        store.role(place, slug, viewer).await
    }
    async fn create(
        store: &Store,
        place: i64,
        record: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store.create_role(place, record, actor, now).await
    }
    async fn update(
        store: &Store,
        place: i64,
        before: &Self,
        after: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store.update_role(place, before, after, actor, now).await
    }
}

impl Record for Initiative {
    const RESOURCE: Resource = Resource::Initiative;
    const NAME_FIELD: &'static str = "name";
    fn blank() -> Self {
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
    accessors!(name);
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> Result<Self, DomainError> {
        apply_to_initiative(self, submitted, settable, absent)
    }
    async fn load(
        store: &Store,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> StoreResult<Option<Self>> {
        store.initiative(place, slug, viewer).await
    }
    async fn create(
        store: &Store,
        place: i64,
        record: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store.create_initiative(place, record, actor, now).await
    }
    async fn update(
        store: &Store,
        place: i64,
        before: &Self,
        after: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store
            .update_initiative(place, before, after, actor, now)
            .await
    }
}

impl Record for OutcomeTheme {
    const RESOURCE: Resource = Resource::OutcomeTheme;
    const NAME_FIELD: &'static str = "name";
    fn blank() -> Self {
        OutcomeTheme {
            id: String::new(),
            name: String::new(),
            description: None,
            is_core: false,
            audience: Audience::Public,
            version: 0,
        }
    }
    accessors!(name);
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> Result<Self, DomainError> {
        apply_to_theme(self, submitted, settable, absent)
    }
    async fn load(
        store: &Store,
        place: i64,
        slug: &str,
        viewer: Viewer,
    ) -> StoreResult<Option<Self>> {
        store.outcome_theme(place, slug, viewer).await
    }
    async fn create(
        store: &Store,
        place: i64,
        record: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store.create_outcome_theme(place, record, actor, now).await
    }
    async fn update(
        store: &Store,
        place: i64,
        before: &Self,
        after: &Self,
        actor: Option<i64>,
        now: i64,
    ) -> StoreResult<()> {
        store
            .update_outcome_theme(place, before, after, actor, now)
            .await
    }
}
