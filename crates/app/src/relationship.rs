//! Relationships: the partnership team's record of the convening
//! organisation's relationship with each partner, and the pipeline that
//! lists them by stage. Staff and admins only (the domain's policy).

use placeweave_domain::relationship::{
    AUDIENCE, PipelineFilter, Relationship, apply_to_relationship,
};
use placeweave_domain::{Action, Resource, Target};
use placeweave_store::RelationshipFilter;

use crate::{App, Result, Scope};

crate::record::partner_record!(
    Relationship,
    Resource::Relationship,
    new: Relationship::new,
    apply: apply_to_relationship,
    load: relationship,
    insert: create_relationship,
    save: update_relationship,
);

impl App {
    /// The relationships the caller may see that the query selects.
    pub async fn relationships(
        &self,
        scope: &Scope,
        query: &PipelineFilter,
    ) -> Result<Vec<Relationship>> {
        scope.require(
            Action::Read,
            &Target::kind_at(Resource::Relationship, AUDIENCE),
        )?;
        let filter = RelationshipFilter {
            id: None,
            stage: query.stage,
            owner: query.owner,
            mission: query.mission.clone(),
            kind: query.kind.map(|k| k.slug().to_owned()),
            ward: query.ward.clone(),
        };
        Ok(self
            .store
            .relationships(scope.key(), scope.viewer(), &filter)
            .await?)
    }

    /// The accounts that may own a relationship (id and name), for forms
    /// and filters; only for those who may see relationships.
    pub async fn relationship_owner_choices(&self, scope: &Scope) -> Result<Vec<(String, String)>> {
        scope.require(
            Action::Read,
            &Target::kind_at(Resource::Relationship, AUDIENCE),
        )?;
        Ok(self.store.relationship_owner_choices().await?)
    }
}
