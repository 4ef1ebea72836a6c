//! Contacts: personal data held about people at partner organisations.
//! Staff see them (each view is audited); nobody else does.

use placeweave_domain::contact::Contact;
use placeweave_domain::{Action, Audience, Organisation, Resource, Target};
use placeweave_store::privacy::{AuditLine, NewContact};

use crate::{App, AppError, Result, Scope, now};

impl App {
    /// The organisation whose contacts the caller wants to `action`, if
    /// they may see it and may do that.
    pub async fn contact_organisation(
        &self,
        scope: &Scope,
        organisation: &str,
        action: Action,
    ) -> Result<Organisation> {
        let organisation = self
            .get::<Organisation>(scope, &organisation.to_owned())
            .await?;
        scope.require(
            action,
            &Target::new(Resource::Contact, Audience::Staff, Some(&organisation.id)),
        )?;
        Ok(organisation)
    }

    /// An organisation's contacts; the view is written to the audit log.
    pub async fn contacts(
        &self,
        scope: &Scope,
        organisation: &Organisation,
    ) -> Result<Vec<Contact>> {
        scope.require(
            Action::Read,
            &Target::new(Resource::Contact, Audience::Staff, Some(&organisation.id)),
        )?;
        let contacts = self
            .store
            .contacts(scope.key(), &organisation.id, scope.viewer())
            .await?;
        self.store
            .audit(
                &AuditLine {
                    actor: scope.actor(),
                    action: "view-contacts",
                    record_type: "organisation",
                    record_id: Some(organisation.id.clone()),
                    detail: Some(format!("{{\"contacts_shown\":{}}}", contacts.len())),
                },
                now(),
            )
            .await?;
        Ok(contacts)
    }

    /// Adds a contact to an organisation the caller may see; returns its id.
    pub async fn add_contact(&self, scope: &Scope, contact: &NewContact) -> Result<i64> {
        let organisation = self
            .contact_organisation(scope, &contact.organisation, Action::Create)
            .await?;
        if organisation.id != contact.organisation {
            return Err(AppError::NotFound);
        }
        let write = scope.write(Resource::Contact);
        Ok(self.store.add_contact(&write, contact).await?)
    }
}
