//! Roles: reading, creating and editing them.

use placeweave_domain::edit::apply_to_role;
use placeweave_domain::{Audience, Resource, Role};

use crate::record::slug_record;
use crate::{App, Scope};

slug_record!(
    Role,
    Resource::Role,
    name,
    apply: apply_to_role,
    load: role,
    insert: create_role,
    save: update_role,
    blank: Role {
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
);

impl App {
    /// The roles on offer that the caller may see, in published order.
    pub async fn roles(&self, scope: &Scope) -> crate::Result<Vec<Role>> {
        Ok(self.store.roles(scope.key(), scope.viewer()).await?)
    }
}
