//! Interactions with partners and their follow-up actions: logged, read
//! and changed by staff and admins only (the domain's policy).

use placeweave_domain::interaction::{AUDIENCE, Interaction, apply_to_interaction};
use placeweave_domain::{Action, Organisation, Resource, Target};
use placeweave_store::{InteractionFilter, StoreError};

use crate::{App, AppError, Result, Scope};

crate::record::partner_record!(
    Interaction,
    Resource::Interaction,
    new: Interaction::new,
    apply: apply_to_interaction,
    load: interaction,
    insert: create_interaction,
    save: update_interaction,
);

impl App {
    /// The interactions the caller may see, newest first: all of them, or
    /// one organisation's; at most `limit`.
    pub async fn interactions(
        &self,
        scope: &Scope,
        organisation: Option<String>,
        limit: Option<i64>,
    ) -> Result<Vec<Interaction>> {
        scope.require(
            Action::Read,
            &Target::kind_at(Resource::Interaction, AUDIENCE),
        )?;
        let filter = InteractionFilter {
            id: None,
            organisation,
            limit,
        };
        Ok(self
            .store
            .interactions(scope.key(), scope.viewer(), &filter)
            .await?)
    }

    /// The contacts someone logging an interaction may tick, as (id,
    /// "name, organisation"): those at each of `organisations` (slugs; the
    /// first is the partner) that the caller may see, with the contacts
    /// the policy lets them see. Names only: details stay on the audited
    /// contacts page.
    pub async fn interaction_contact_choices(
        &self,
        scope: &Scope,
        organisations: &[&str],
    ) -> Result<Vec<(String, String)>> {
        let mut choices = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for &slug in organisations {
            if seen.contains(&slug) || !scope.may_read_contacts(slug) {
                continue;
            }
            seen.push(slug);
            // A hidden or mistyped organisation lists nobody.
            let organisation = match self.get::<Organisation>(scope, &slug.to_owned()).await {
                Ok(organisation) => organisation,
                Err(AppError::NotFound) => continue,
                Err(other) => return Err(other),
            };
            for contact in self
                .store
                .contacts(scope.key(), &organisation.id, scope.viewer())
                .await?
            {
                choices.push((
                    contact.id.to_string(),
                    format!("{}, {}", contact.name, organisation.name),
                ));
            }
        }
        Ok(choices)
    }

    /// Marks one of an interaction's follow-ups done (or not done again),
    /// if the caller may change the interaction; one already so stays as it
    /// is (a second click writes nothing); one that is not the
    /// interaction's is not found.
    pub async fn set_follow_up_done(
        &self,
        scope: &Scope,
        interaction: i64,
        follow_up: i64,
        done: bool,
    ) -> Result<Interaction> {
        let current = self.editable::<Interaction>(scope, &interaction).await?;
        match current.follow_ups.iter().find(|f| f.id == follow_up) {
            None => return Err(AppError::NotFound),
            Some(f) if f.done == done => return Ok(current),
            Some(_) => {}
        }
        let write = scope.write(Resource::Interaction);
        match self
            .store
            .set_follow_up_done(&write, current.id, follow_up, done)
            .await
        {
            Ok(()) => self.get::<Interaction>(scope, &interaction).await,
            Err(StoreError::Missing(_)) => Err(AppError::NotFound),
            Err(other) => Err(other.into()),
        }
    }
}
