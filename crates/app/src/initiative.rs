//! Initiatives: reading, creating and editing them.

use placeweave_domain::edit::apply_to_initiative;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Audience, Initiative, PageRequest, Resource};

use crate::record::slug_record;
use crate::{App, Scope};

slug_record!(
    Initiative,
    Resource::Initiative,
    name,
    apply: apply_to_initiative,
    load: initiative,
    insert: create_initiative,
    save: update_initiative,
    blank: Initiative {
        id: String::new(),
        name: String::new(),
        description: None,
        website: None,
        missions: vec![],
        participants: vec![],
        audience: Audience::Public,
        version: 0,
    }
);

/// Which initiatives to list.
#[derive(Debug, Clone, Default)]
pub struct InitiativeQuery {
    /// Only those serving this mission (its id).
    pub mission: Option<String>,
    /// Only those this organisation (its id) takes part in.
    pub organisation: Option<String>,
    pub page: PageRequest,
}

impl App {
    /// One page of the initiatives the caller may see, and how many match.
    pub async fn initiatives(
        &self,
        scope: &Scope,
        query: &InitiativeQuery,
    ) -> crate::Result<(Vec<InitiativeSummary>, i64)> {
        Ok(self
            .store
            .initiatives_page(
                scope.key(),
                scope.viewer(),
                query.mission.as_deref(),
                query.organisation.as_deref(),
                query.page,
            )
            .await?)
    }
}
