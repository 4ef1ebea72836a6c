//! The flow every record type shares, written once: read as the caller,
//! ask the policy, apply the domain's edit rules, check what the edit
//! refers to as the caller may see it, write with the audit line, and read
//! back as the caller. A record's module says only how its type is loaded,
//! checked and stored.

use std::fmt::Display;
use std::future::Future;

use placeweave_domain::edit::{Absent, Submitted};
use placeweave_domain::place::slugify;
use placeweave_domain::{
    Action, Audience, Dated, DomainError, Principal, Resource, Target, Viewer,
};
use placeweave_store::{Store, StoreError, Write};
use serde::Serialize;

use crate::{App, AppError, Result, Scope};

type StoreResult<T> = std::result::Result<T, StoreError>;

/// A record people create and edit.
pub trait Record:
    Clone + std::fmt::Debug + PartialEq + Serialize + Send + Sync + Sized + 'static
{
    const RESOURCE: Resource;
    /// The field a duplicate name is reported on.
    const NAME_FIELD: &'static str;
    /// How a record is addressed: a slug, or a number.
    type Key: Clone + Display + Send + Sync;

    fn key(&self) -> Self::Key;
    /// Reads a key from an address; an unreadable one is no record at all.
    fn parse_key(raw: &str) -> Option<Self::Key>;
    fn audience(&self) -> Audience;
    fn version(&self) -> i64;
    fn set_version(&mut self, version: i64);
    /// The organisation that owns the record, for partners' rights.
    fn owner(&self) -> Option<&str> {
        None
    }
    /// A new, empty record; `owner` is the organisation it is for, if any.
    fn blank(owner: Option<String>) -> Self;
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> std::result::Result<Self, DomainError>;
    /// Gives a new record its key before it is stored (a slug made from
    /// its name), where it has one of its own.
    fn assign_key(&mut self) -> Result<()>;
    fn load(
        store: &Store,
        place: i64,
        key: &Self::Key,
        viewer: Viewer,
    ) -> impl Future<Output = StoreResult<Option<Self>>> + Send;
    /// Loads the record as `scope` may see it: by default what its viewer
    /// may read; a type whose owner sees more (a partner's own proposal)
    /// says so.
    fn load_for(
        store: &Store,
        scope: &Scope,
        key: &Self::Key,
    ) -> impl Future<Output = StoreResult<Option<Self>>> + Send {
        Self::load(store, scope.key(), key, scope.viewer())
    }
    /// The fields `scope` may set on this record: by default those of its
    /// kind; a type whose owners set more (a relationship's sensitivities)
    /// says so.
    fn settable(&self, scope: &Scope) -> &'static [&'static str] {
        scope.settable(Self::RESOURCE)
    }
    /// What the use case, not the person, decides on a record they send:
    /// a partner's commitment goes to the partnership team for review.
    fn received_from(&mut self, _principal: &Principal) {}
    fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> impl Future<Output = StoreResult<Self::Key>> + Send;
    fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Whether the caller may write this record at all. One they may not
    /// is answered as missing, not refused (a partner and another
    /// organisation's contribution).
    fn writable_by(&self, _principal: &Principal) -> bool {
        true
    }

    /// The record as the policy sees it.
    fn target(&self) -> Target<'_> {
        Target::new(Self::RESOURCE, self.audience(), self.owner())
    }
}

/// What a person sent: name and value pairs from a form or a JSON body.
#[derive(Debug, Clone)]
pub struct Edit<'a> {
    pub pairs: &'a [(String, String)],
    /// A form means every field they may set was on the page (absent =
    /// emptied); a JSON patch means only what was sent.
    pub absent: Absent,
}

impl<'a> Edit<'a> {
    pub fn form(pairs: &'a [(String, String)]) -> Self {
        Edit {
            pairs,
            absent: Absent::MeansEmpty,
        }
    }

    pub fn patch(pairs: &'a [(String, String)]) -> Self {
        Edit {
            pairs,
            absent: Absent::MeansUnchanged,
        }
    }
}

/// A new record's key from its name, or an error on the name field.
pub(crate) fn slug_from(name: &str, field: &'static str) -> Result<String> {
    let slug: String = slugify(name).chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        return Err(AppError::invalid(
            field,
            "Enter a name with at least one letter or digit",
        ));
    }
    Ok(slug)
}

/// Refuses an audience the caller could not see: they would lose the record
/// the moment they saved it. The policy decides (a partner reads its own
/// proposal under review).
fn check_audience<R: Record>(scope: &Scope, record: &R) -> Result<()> {
    if scope.permits(Action::Read, &record.target()) {
        Ok(())
    } else {
        Err(AppError::Disallowed(vec![
            placeweave_domain::FieldError::new(
                "audience",
                "Choose an audience you belong to: you could not see the record after saving it",
            ),
        ]))
    }
}

/// Refuses a record the caller may not write as naming no owner that
/// exists: what a reference to a hidden record answers.
fn unwritable<R: Record>(scope: &Scope, record: &R) -> Result<()> {
    if record.writable_by(scope.principal()) {
        return Ok(());
    }
    Err(AppError::from(StoreError::UnknownReference {
        field: R::NAME_FIELD,
        id: record.owner().unwrap_or_default().to_owned(),
    }))
}

/// Whether an edit leaves the record as it was. References in an edit
/// carry only ids (their names are filled in when read back), so names
/// inside nested objects are not compared.
fn unchanged<R: Record>(current: &R, next: &R) -> bool {
    fn ids_only(value: serde_json::Value, nested: bool) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => serde_json::Value::Object(
                map.into_iter()
                    .filter(|(k, _)| !(nested && k == "name"))
                    .map(|(k, v)| (k, ids_only(v, true)))
                    .collect(),
            ),
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(|v| ids_only(v, true)).collect())
            }
            other => other,
        }
    }
    match (serde_json::to_value(current), serde_json::to_value(next)) {
        (Ok(a), Ok(b)) => ids_only(a, false) == ids_only(b, false),
        _ => current == next,
    }
}

impl App {
    /// One record as the caller may see it; hidden is not found.
    pub async fn get<R: Record>(&self, scope: &Scope, key: &R::Key) -> Result<R> {
        let found = R::load_for(&self.store, scope, key).await?;
        let record = found.ok_or(AppError::NotFound)?;
        scope.require(Action::Read, &record.target())?;
        Ok(record)
    }

    /// The record to show in an edit form, if the caller may edit it.
    pub async fn editable<R: Record>(&self, scope: &Scope, key: &R::Key) -> Result<R> {
        let record = self.get::<R>(scope, key).await?;
        if !record.writable_by(scope.principal()) {
            return Err(AppError::NotFound);
        }
        scope.require(Action::Update, &record.target())?;
        Ok(record)
    }

    /// An empty record for a "new" form, if the caller may create one (for
    /// `owner`, where the record belongs to an organisation).
    pub fn creatable<R: Record>(&self, scope: &Scope, owner: Option<String>) -> Result<R> {
        let blank = R::blank(owner);
        scope.require(Action::Create, &blank.target())?;
        Ok(blank)
    }

    /// Creates a record from what the caller sent; returns it as they see it.
    pub async fn create<R: Record>(
        &self,
        scope: &Scope,
        owner: Option<String>,
        edit: &Edit<'_>,
    ) -> Result<R> {
        let blank = self.creatable::<R>(scope, owner)?;
        if edit.pairs.iter().any(|(k, _)| k == "version") {
            return Err(AppError::invalid(
                "version",
                "A new record has no version: leave it out",
            ));
        }
        let mut pairs = edit.pairs.to_vec();
        pairs.push(("version".into(), "0".into()));
        let settable = scope.settable(R::RESOURCE);
        // A new record has nothing to keep: every field not sent is empty,
        // so a required one left out is named.
        let mut next = blank.apply(&Submitted::new(&pairs), settable, Absent::MeansEmpty)?;
        next.received_from(scope.principal());
        unwritable(scope, &next)?;
        check_audience(scope, &next)?;
        scope.require(Action::Create, &next.target())?;
        next.assign_key()?;
        next.set_version(1);
        let write = scope.write(R::RESOURCE);
        let key = R::insert(&self.store, &write, &next)
            .await
            .map_err(|e| AppError::from(e).naming(R::NAME_FIELD))?;
        self.get::<R>(scope, &key).await
    }

    /// Applies what the caller sent to a record they may edit. Fields and
    /// links they cannot see are kept as stored; an edit that changes
    /// nothing writes nothing.
    pub async fn update<R: Record>(
        &self,
        scope: &Scope,
        key: &R::Key,
        edit: &Edit<'_>,
    ) -> Result<R> {
        let current = self.editable::<R>(scope, key).await?;
        let settable = current.settable(scope);
        let mut next = current.apply(&Submitted::new(edit.pairs), settable, edit.absent)?;
        if next.version() != current.version() {
            return Err(AppError::Conflict);
        }
        if unchanged(&current, &next) {
            return Ok(current);
        }
        // Decided on a real change only: saving a partner's accepted
        // commitment unchanged must not send it back for review.
        next.received_from(scope.principal());
        unwritable(scope, &next)?;
        check_audience(scope, &next)?;
        // Moving a record (say, a commitment to another organisation) needs
        // the right to act for where it lands too.
        scope.require(Action::Update, &next.target())?;
        let dated = dated(R::RESOURCE);
        let public = match dated {
            Some(_) => Some(
                self.scope(&Principal::Public, &scope.place().place.id)
                    .await?,
            ),
            None => None,
        };
        let before = match &public {
            Some(public) => self.public_view::<R>(public, key).await?,
            None => None,
        };
        let mut write = scope.write(R::RESOURCE);
        write.fields = settable;
        R::save(&self.store, &write, &current, &next)
            .await
            .map_err(|e| AppError::from(e).naming(R::NAME_FIELD))?;
        // "Last updated" dates what the public sees: a change only staff or
        // partners can see (a note, a hidden participant) must not move it.
        if let (Some(kind), Some(public)) = (dated, &public)
            && self.public_view::<R>(public, key).await? != before
        {
            self.store
                .mark_updated(scope.key(), kind, &key.to_string(), write.now)
                .await?;
        }
        self.get::<R>(scope, key).await
    }

    /// The record as the public sees it, without its version (which every
    /// write moves); none if the public cannot see it.
    async fn public_view<R: Record>(&self, public: &Scope, key: &R::Key) -> Result<Option<R>> {
        match self.get::<R>(public, key).await {
            Ok(mut record) => {
                record.set_version(0);
                Ok(Some(record))
            }
            Err(AppError::NotFound) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// The record types whose pages say when they were last updated.
fn dated(resource: Resource) -> Option<Dated> {
    match resource {
        Resource::Organisation => Some(Dated::Organisation),
        Resource::Mission => Some(Dated::Mission),
        Resource::Role => Some(Dated::Role),
        Resource::Initiative => Some(Dated::Initiative),
        _ => None,
    }
}

/// `impl Record` for a record addressed by a slug made from one of its
/// text fields (`name`): everything but its blank value, its edit rules and
/// its store calls is the same for each. `owner = field` names the field
/// holding the organisation that owns it, where one does.
macro_rules! slug_record {
    (
        $type:ty, $resource:expr, $name:ident,
        apply: $apply:path,
        load: $load:ident, insert: $insert:ident, save: $save:ident,
        blank: $blank:expr
        $(, owner = $owner:ident)?
        $(, readers = $readers:ident)? $(,)?
    ) => {
        impl $crate::Record for $type {
            const RESOURCE: placeweave_domain::Resource = $resource;
            const NAME_FIELD: &'static str = stringify!($name);
            type Key = String;

            fn key(&self) -> String {
                self.id.clone()
            }
            fn parse_key(raw: &str) -> Option<String> {
                placeweave_domain::place::is_slug(raw).then(|| raw.to_owned())
            }
            fn audience(&self) -> placeweave_domain::Audience {
                $crate::record::readers!(self $(, $readers)?)
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn set_version(&mut self, version: i64) {
                self.version = version;
            }
            $(
                fn owner(&self) -> Option<&str> {
                    Some(&self.$owner)
                }
            )?
            fn blank(_owner: Option<String>) -> Self {
                $blank
            }
            fn apply(
                &self,
                submitted: &placeweave_domain::edit::Submitted,
                settable: &[&str],
                absent: placeweave_domain::edit::Absent,
            ) -> std::result::Result<Self, placeweave_domain::DomainError> {
                $apply(self, submitted, settable, absent)
            }
            fn assign_key(&mut self) -> $crate::Result<()> {
                self.id = $crate::record::slug_from(&self.$name, Self::NAME_FIELD)?;
                Ok(())
            }
            async fn load(
                store: &placeweave_store::Store,
                place: i64,
                key: &String,
                viewer: placeweave_domain::Viewer,
            ) -> std::result::Result<Option<Self>, placeweave_store::StoreError> {
                store.$load(place, key, viewer).await
            }
            async fn insert(
                store: &placeweave_store::Store,
                write: &placeweave_store::Write<'_>,
                record: &Self,
            ) -> std::result::Result<String, placeweave_store::StoreError> {
                store.$insert(write, record).await?;
                Ok(record.id.clone())
            }
            async fn save(
                store: &placeweave_store::Store,
                write: &placeweave_store::Write<'_>,
                before: &Self,
                after: &Self,
            ) -> std::result::Result<(), placeweave_store::StoreError> {
                store.$save(write, before, after).await
            }
        }
    };
}
pub(crate) use slug_record;

/// Who may read a record: its audience, or what its `readers` method
/// says where that differs (a draft story is for staff).
macro_rules! readers {
    ($record:ident) => {
        $record.audience
    };
    ($record:ident, $readers:ident) => {
        $record.$readers()
    };
}
pub(crate) use readers;

/// `impl Record` for a record of one partner organisation addressed by its
/// number (relationships, interactions): made by `$new` from the
/// organisation's reference, checked by `$apply`, stored by the store's
/// `$load`, `$insert` and `$save`.
macro_rules! partner_record {
    (
        $type:ty, $resource:expr,
        new: $new:path, apply: $apply:path,
        load: $load:ident, insert: $insert:ident, save: $save:ident
        $(, restricted: ($reveal:path, $fields:path))? $(,)?
    ) => {
        impl $crate::Record for $type {
            const RESOURCE: placeweave_domain::Resource = $resource;
            const NAME_FIELD: &'static str = "organisation";
            type Key = i64;

            fn key(&self) -> i64 {
                self.id
            }
            fn parse_key(raw: &str) -> Option<i64> {
                raw.parse().ok().filter(|id| *id > 0)
            }
            fn audience(&self) -> placeweave_domain::Audience {
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
                $new(placeweave_domain::place::RecordRef {
                    id: owner.unwrap_or_default(),
                    name: String::new(),
                })
            }
            fn apply(
                &self,
                submitted: &placeweave_domain::edit::Submitted,
                settable: &[&str],
                absent: placeweave_domain::edit::Absent,
            ) -> std::result::Result<Self, placeweave_domain::DomainError> {
                $apply(self, submitted, settable, absent)
            }
            fn assign_key(&mut self) -> $crate::Result<()> {
                Ok(())
            }
            async fn load(
                store: &placeweave_store::Store,
                place: i64,
                key: &i64,
                viewer: placeweave_domain::Viewer,
            ) -> std::result::Result<Option<Self>, placeweave_store::StoreError> {
                store.$load(place, *key, viewer).await
            }
            $(
                async fn load_for(
                    store: &placeweave_store::Store,
                    scope: &$crate::Scope,
                    key: &i64,
                ) -> std::result::Result<Option<Self>, placeweave_store::StoreError> {
                    match store.$load(scope.key(), *key, scope.viewer()).await? {
                        Some(record) => Ok(Some($reveal(store, scope, record).await?)),
                        None => Ok(None),
                    }
                }
                fn settable(&self, scope: &$crate::Scope) -> &'static [&'static str] {
                    $fields(scope.principal(), self)
                }
            )?
            async fn insert(
                store: &placeweave_store::Store,
                write: &placeweave_store::Write<'_>,
                record: &Self,
            ) -> std::result::Result<i64, placeweave_store::StoreError> {
                store.$insert(write, record).await
            }
            async fn save(
                store: &placeweave_store::Store,
                write: &placeweave_store::Write<'_>,
                before: &Self,
                after: &Self,
            ) -> std::result::Result<(), placeweave_store::StoreError> {
                store.$save(write, before, after).await
            }
        }
    };
}
pub(crate) use partner_record;
