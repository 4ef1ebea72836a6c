//! The caller as they act in one place. Only [`crate::App::scope`] makes
//! one, after loading the place as the caller may see it and cutting the
//! caller's rights to that place, so every use case that takes a scope has
//! checked the place.

use placeweave_domain::policy::{permits, settable_fields};
use placeweave_domain::{Action, Audience, Principal, Resource, Target, Viewer};
use placeweave_store::{PlaceRecord, Write};

use crate::{App, AppError, Result, now};

#[derive(Debug, Clone)]
pub struct Scope {
    place: PlaceRecord,
    principal: Principal,
}

impl App {
    /// The caller in the place with id `place`; a place they may not see is
    /// not found.
    pub async fn scope(&self, principal: &Principal, place: &str) -> Result<Scope> {
        // Every request starts here: the place is kept per data version
        // (a miss is kept too, within the cache's capacity), without the
        // computing lock, so that a kept page is sent without a query.
        let version = self.data_version().await?;
        let key = (0, principal.viewer(), place.to_owned());
        let found = match crate::counts::cached(&self.places, version, &key) {
            Some(found) => found,
            None => {
                let found = self.store.place(place, principal.viewer()).await?;
                crate::counts::keep(&self.places, version, key, found.clone());
                found
            }
        };
        let Some(found) = found else {
            return Err(AppError::NotFound);
        };
        let principal = principal.in_place(found.key);
        if !principal.viewer().can_read(found.place.audience) {
            return Err(AppError::NotFound);
        }
        Ok(Scope {
            place: found,
            principal,
        })
    }

    /// Whoever runs a command on the server holds the database: they act
    /// as staff, as no account.
    pub(crate) async fn command_line_scope(&self, place: &str) -> Result<Scope> {
        let principal = Principal::Account {
            id: 0,
            role: placeweave_domain::AccountRole::Staff,
            place: None,
            organisation: None,
        };
        self.scope(&principal, place).await
    }
}

impl Scope {
    pub fn place(&self) -> &PlaceRecord {
        &self.place
    }

    pub fn key(&self) -> i64 {
        self.place.key
    }

    /// The caller's rights in this place.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn viewer(&self) -> Viewer {
        self.principal.viewer()
    }

    /// The account acting, for the audit line; the command line (account
    /// 0) is no account.
    pub fn actor(&self) -> Option<i64> {
        match self.principal {
            Principal::Account { id, .. } if id > 0 => Some(id),
            _ => None,
        }
    }

    pub fn permits(&self, action: Action, target: &Target) -> bool {
        permits(&self.principal, action, target)
    }

    /// Asks the policy: not signed in means "sign in first", signed in but
    /// refused means forbidden.
    pub fn require(&self, action: Action, target: &Target) -> Result<()> {
        if self.permits(action, target) {
            Ok(())
        } else if self.principal.is_signed_in() {
            Err(AppError::Forbidden)
        } else {
            Err(AppError::SignInRequired)
        }
    }

    pub fn settable(&self, resource: Resource) -> &'static [&'static str] {
        settable_fields(&self.principal, resource)
    }

    /// Whether the caller may create a record of this kind (to offer the link).
    pub fn may_create(&self, resource: Resource) -> bool {
        self.permits(Action::Create, &Target::kind(resource))
    }

    /// Whether the caller may edit a public record of this kind.
    pub fn may_edit(&self, resource: Resource) -> bool {
        self.permits(Action::Update, &Target::kind(resource))
    }

    /// Whether the caller may record or change this organisation's commitments.
    pub fn may_commit(&self, organisation: &str) -> bool {
        self.permits(
            Action::Update,
            &Target::new(Resource::Commitment, Audience::Public, Some(organisation)),
        )
    }

    /// Whether the caller decides on partners' proposed commitments: staff
    /// and admins (a partner revises its own, never decides on it).
    pub fn may_review_commitments(&self) -> bool {
        let held = placeweave_domain::commitment::PROPOSAL_AUDIENCE;
        self.viewer().can_read(held)
            && self.permits(Action::Update, &Target::kind_at(Resource::Commitment, held))
    }

    /// Whether the caller may edit this record (to offer the link).
    pub fn may_update<R: crate::Record>(&self, record: &R) -> bool {
        self.permits(Action::Update, &record.target())
    }

    /// Whether the caller may see this organisation's contacts.
    pub fn may_read_contacts(&self, organisation: &str) -> bool {
        self.permits(
            Action::Read,
            &Target::new(Resource::Contact, Audience::Staff, Some(organisation)),
        )
    }

    /// What a write in this scope needs to know.
    pub(crate) fn write(&self, resource: Resource) -> Write<'static> {
        Write {
            place: self.place.key,
            viewer: self.viewer(),
            fields: self.settable(resource),
            actor: self.actor(),
            now: now(),
        }
    }
}
