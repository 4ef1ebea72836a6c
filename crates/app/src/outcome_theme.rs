//! OutcomeThemes: reading, creating and editing them.

use placeweave_domain::edit::apply_to_theme;
use placeweave_domain::{Audience, OutcomeTheme, Resource};

use crate::record::slug_record;
use crate::{App, Scope};

slug_record!(
    OutcomeTheme,
    Resource::OutcomeTheme,
    name,
    apply: apply_to_theme,
    load: outcome_theme,
    insert: create_outcome_theme,
    save: update_outcome_theme,
    blank: OutcomeTheme {
        id: String::new(),
        name: String::new(),
        description: None,
        is_core: false,
        audience: Audience::Public,
        version: 0,
    }
);

impl App {
    /// The outcomes framework's themes the caller may see.
    pub async fn outcome_themes(&self, scope: &Scope) -> crate::Result<Vec<OutcomeTheme>> {
        Ok(self
            .store
            .outcome_themes(scope.key(), scope.viewer())
            .await?)
    }
}
