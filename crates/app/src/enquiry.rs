//! "Express interest": anyone may send an enquiry (no account; a honeypot
//! and a rate limit per client keep robots out), and staff triage the
//! queue — decline with a note, or start a relationship.

use placeweave_domain::enquiry::{Enquiry, EnquiryForm, Triage};
use placeweave_domain::{Action, Audience, Resource, Target, Viewer};
use placeweave_store::Write;
pub use placeweave_store::enquiry::Triaged;
use rand::RngCore;

use crate::{App, AppError, Result, Scope, now};

/// How many enquiries one client may send in [`ENQUIRY_WINDOW`].
pub const ENQUIRIES_PER_CLIENT: i64 = 10;
/// The rate limit's window, in seconds (an hour).
pub const ENQUIRY_WINDOW: i64 = 60 * 60;

/// How sending an enquiry ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Received: the reference the enquirer is given. A filled honeypot
    /// gets a reference too, and nothing is stored.
    Received { reference: String },
    /// Too many from this client: try again after this many seconds.
    Throttled { retry_after: i64 },
}

/// A reference such as `ENQ-7K3M9Q`: six characters with none that are
/// easily confused (no 0/O, 1/I/L).
fn new_reference() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0_u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let code: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!("ENQ-{code}")
}

const STAFF_ONLY: Audience = Audience::Staff;

/// Enquiries are the partnership team's queue: staff and admins only.
fn require_on_enquiries(scope: &Scope, action: Action) -> Result<()> {
    scope.require(action, &Target::kind_at(Resource::Enquiry, STAFF_ONLY))
}

impl App {
    /// Someone sends the "Express interest" form from `client`. A bad
    /// field is refused by name (`Invalid`, or `Unresolved` for a role or
    /// mission that is not a public one of the place) and nothing is
    /// stored or counted; every well-formed submission counts against the
    /// client's limit; a filled honeypot is then answered like a success
    /// and nothing is stored.
    pub async fn send_enquiry(
        &self,
        scope: &Scope,
        form: &EnquiryForm,
        client: &str,
    ) -> Result<Sent> {
        let now = now();
        let enquiry = form.parse().map_err(AppError::Invalid)?;
        if !self
            .store
            .admit_enquiry(client, now, now - ENQUIRY_WINDOW, ENQUIRIES_PER_CLIENT)
            .await?
        {
            return Ok(Sent::Throttled {
                retry_after: ENQUIRY_WINDOW,
            });
        }
        let reference = new_reference();
        if form.is_spam() {
            return Ok(Sent::Received { reference });
        }
        // Only the place's public roles and missions may be named, whoever sends it.
        let write = Write {
            place: scope.key(),
            viewer: Viewer::Public,
            fields: &[],
            actor: scope.actor(),
            now,
        };
        self.store.add_enquiry(&write, &enquiry, &reference).await?;
        Ok(Sent::Received { reference })
    }

    /// The place's enquiries, new ones first: staff and admins only.
    pub async fn enquiries(&self, scope: &Scope) -> Result<Vec<Enquiry>> {
        require_on_enquiries(scope, Action::Read)?;
        Ok(self
            .store
            .enquiries(scope.key(), scope.viewer(), None)
            .await?)
    }

    /// How many enquiries wait to be triaged: staff and admins only.
    pub async fn enquiries_to_triage(&self, scope: &Scope) -> Result<i64> {
        require_on_enquiries(scope, Action::Read)?;
        Ok(self
            .store
            .new_enquiry_count(scope.key(), scope.viewer())
            .await?)
    }

    /// One enquiry: staff and admins only; to anyone else it is as missing
    /// as one that does not exist (the store gives them none).
    pub async fn enquiry(&self, scope: &Scope, id: i64) -> Result<Enquiry> {
        let found = self
            .store
            .enquiries(scope.key(), scope.viewer(), Some(id))
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        require_on_enquiries(scope, Action::Read)?;
        Ok(found)
    }

    /// Declines a new enquiry or starts a relationship from it, in one
    /// transaction with its audit lines. An organisation that already has
    /// a relationship is answered with that relationship, and nothing is
    /// written; an enquiry no longer new is not found.
    pub async fn triage_enquiry(&self, scope: &Scope, id: i64, triage: &Triage) -> Result<Triaged> {
        require_on_enquiries(scope, Action::Update)?;
        if let Triage::Relate { .. } = triage {
            scope.require(
                Action::Create,
                &Target::kind_at(Resource::Relationship, STAFF_ONLY),
            )?;
        }
        let write = scope.write(Resource::Enquiry);
        match self.store.triage_enquiry(&write, id, triage).await {
            Err(placeweave_store::StoreError::Missing(_)) => Err(AppError::NotFound),
            other => Ok(other?),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn references_are_short_and_unambiguous() {
        let reference = super::new_reference();
        assert_eq!(reference.len(), 10);
        assert!(reference.starts_with("ENQ-"));
        assert!(!reference[4..].contains(['0', 'O', '1', 'I', 'L']));
    }
}
