//! Relationships: the partnership team's record of the convening
//! organisation's relationship with each partner, and the pipeline that
//! lists them by stage. Staff and admins only (the domain's policy).

use placeweave_domain::policy::{owns_restricted, relationship_fields};
use placeweave_domain::relationship::{
    AUDIENCE, PipelineFilter, Relationship, RelationshipStage, apply_to_relationship,
};
use placeweave_domain::{Action, Resource, Target, Viewer};
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
    restricted: (reveal_to_owner, relationship_fields),
);

/// A relationship with its sensitivities for a staff member who owns it
/// (restricted: its owners and administrators; the store has already given
/// administrators theirs). The store reads them only for an owner.
async fn reveal_to_owner(
    store: &placeweave_store::Store,
    scope: &Scope,
    mut relationship: Relationship,
) -> std::result::Result<Relationship, placeweave_store::StoreError> {
    if scope.viewer() == Viewer::Staff
        && owns_restricted(scope.principal(), &relationship.owners)
        && let Some(account) = scope.actor()
    {
        relationship.sensitivities = store
            .owned_sensitivities(scope.key(), relationship.id, account)
            .await?;
    }
    Ok(relationship)
}

fn require_read(scope: &Scope) -> Result<()> {
    scope.require(
        Action::Read,
        &Target::kind_at(Resource::Relationship, AUDIENCE),
    )
}

/// The pipeline's filters as the store takes them.
fn store_filter(query: &PipelineFilter) -> RelationshipFilter {
    RelationshipFilter {
        id: None,
        stage: query.stage,
        owner: query.owner,
        mission: query.mission.clone(),
        kind: query.kind.map(|k| k.slug().to_owned()),
        ward: query.ward.clone(),
    }
}

impl App {
    /// The relationships the caller may see that the query selects.
    pub async fn relationships(
        &self,
        scope: &Scope,
        query: &PipelineFilter,
    ) -> Result<Vec<Relationship>> {
        require_read(scope)?;
        Ok(self
            .store
            .relationships(scope.key(), scope.viewer(), &store_filter(query))
            .await?)
    }

    /// How many relationships the caller may see that the query selects,
    /// at each stage (every stage, in order, those with none at 0).
    pub async fn relationship_stage_counts(
        &self,
        scope: &Scope,
        query: &PipelineFilter,
    ) -> Result<Vec<(RelationshipStage, usize)>> {
        require_read(scope)?;
        // Kept per data version, as the page below: the pipeline is every
        // officer's starting page, and counting reads every relationship.
        let key = (scope.key(), scope.viewer(), format!("{query:?}"));
        self.through(&self.stage_counts, key, || self.count_stages(scope, query))
            .await
    }

    async fn count_stages(
        &self,
        scope: &Scope,
        query: &PipelineFilter,
    ) -> Result<Vec<(RelationshipStage, usize)>> {
        let counted = self
            .store
            .relationship_stage_counts(scope.key(), scope.viewer(), &store_filter(query))
            .await?;
        Ok(RelationshipStage::ALL
            .iter()
            .map(|stage| {
                let n = counted
                    .iter()
                    .find(|(s, _)| s == stage)
                    .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(0));
                (*stage, n)
            })
            .collect())
    }

    /// A page of the pipeline: of the relationships [`App::relationships`]
    /// lists, at most `take` of each stage after its first `skip`.
    pub async fn relationships_by_stage(
        &self,
        scope: &Scope,
        query: &PipelineFilter,
        skip: usize,
        take: usize,
    ) -> Result<Vec<Relationship>> {
        require_read(scope)?;
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let key = (
            scope.key(),
            scope.viewer(),
            format!("{query:?} {skip} {take}"),
        );
        self.through(&self.pipeline_pages, key, || async {
            Ok(self
                .store
                .relationships_by_stage(
                    scope.key(),
                    scope.viewer(),
                    &store_filter(query),
                    count(skip),
                    count(take),
                )
                .await?)
        })
        .await
    }

    /// The accounts that may own a relationship (id and name), for forms
    /// and filters; only for those who may see relationships.
    pub async fn relationship_owner_choices(&self, scope: &Scope) -> Result<Vec<(String, String)>> {
        require_read(scope)?;
        Ok(self.store.relationship_owner_choices().await?)
    }
}

impl App {
    /// Moves a relationship to another stage (the pipeline's one-step
    /// move): only the stage changes, dated in its history like any edit,
    /// and `version` is the one the mover read, so a move over someone
    /// else's change is a conflict.
    pub async fn move_relationship(
        &self,
        scope: &Scope,
        id: i64,
        stage: &str,
        version: &str,
    ) -> Result<Relationship> {
        if stage.trim().is_empty() {
            // Loaded first, so a relationship the caller may not change is
            // missing, as everywhere else.
            self.editable::<Relationship>(scope, &id).await?;
            return Err(crate::AppError::invalid(
                "stage",
                "Choose the stage to move the relationship to",
            ));
        }
        let pairs = [
            ("stage".to_owned(), stage.trim().to_owned()),
            ("version".to_owned(), version.trim().to_owned()),
        ];
        self.update::<Relationship>(
            scope,
            &id,
            &crate::Edit {
                pairs: &pairs,
                absent: placeweave_domain::edit::Absent::MeansUnchanged,
            },
        )
        .await
    }
}
