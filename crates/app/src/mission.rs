//! Missions: reading, creating and editing them.

use placeweave_domain::edit::apply_to_mission;
use placeweave_domain::{Audience, Mission, Resource};

use crate::record::slug_record;
use crate::{App, Scope};

slug_record!(
    Mission,
    Resource::Mission,
    short_name,
    apply: apply_to_mission,
    load: mission,
    insert: create_mission,
    save: update_mission,
    blank: Mission {
        id: String::new(),
        short_name: String::new(),
        statement: String::new(),
        target_year: None,
        outcome_themes: vec![],
        audience: Audience::Public,
        version: 0,
    }
);

impl App {
    /// The place's missions the caller may see, in published order.
    pub async fn missions(&self, scope: &Scope) -> crate::Result<Vec<Mission>> {
        Ok(self.store.missions(scope.key(), scope.viewer()).await?)
    }
}
