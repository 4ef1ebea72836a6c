//! "My work": for a signed-in staff member or administrator, the
//! relationships they own, their overdue follow-ups, the enquiries
//! waiting for triage and partners' proposals waiting for review.

use placeweave_domain::date::iso_date;
use placeweave_domain::relationship::{PipelineFilter, Relationship};
use placeweave_domain::{Action, Resource, Target};
pub use placeweave_store::my_work::OverdueFollowUp;

use crate::{App, Result, Scope, now};

/// How many upcoming meetings "My work" lists.
const UPCOMING: i64 = 20;

/// One person's work.
#[derive(Debug, Clone, Default)]
pub struct MyWork {
    pub relationships: Vec<Relationship>,
    pub overdue: Vec<OverdueFollowUp>,
    /// How many enquiries are new.
    pub enquiries_to_triage: usize,
    /// How many commitments partners proposed wait for review.
    pub proposals_to_review: usize,
    /// Interactions after today that the person takes part in.
    pub upcoming: Vec<crate::partnership::UpcomingInteraction>,
}

impl App {
    /// The caller's work, if they may read relationships; `None` for
    /// everyone else (the public, partners).
    pub async fn my_work(&self, scope: &Scope) -> Result<Option<MyWork>> {
        let Some(me) = scope.actor() else {
            return Ok(None);
        };
        // Kept per data version and day (what is overdue and upcoming
        // moves with the date), for each person: the home page is opened
        // far more often than anything on it changes.
        let key = (
            scope.key(),
            scope.viewer(),
            format!("{me} {}", iso_date(now())),
        );
        self.through_locked(&self.composing, &self.my_work, key, || {
            self.compose_my_work(scope, me)
        })
        .await
    }

    async fn compose_my_work(&self, scope: &Scope, me: i64) -> Result<Option<MyWork>> {
        let target = Target::kind_at(
            Resource::Relationship,
            placeweave_domain::relationship::AUDIENCE,
        );
        if !scope.permits(Action::Read, &target) {
            return Ok(None);
        }
        let relationships = self
            .relationships(
                scope,
                &PipelineFilter {
                    owner: Some(me),
                    ..Default::default()
                },
            )
            .await?;
        let overdue = self
            .store
            .overdue_follow_ups(scope.key(), scope.viewer(), me, &iso_date(now()))
            .await?;
        let enquiries_to_triage =
            usize::try_from(self.enquiries_to_triage(scope).await?).unwrap_or(0);
        let proposals_to_review = if scope.may_review_commitments() {
            self.proposals_to_review(scope).await?.len()
        } else {
            0
        };
        let upcoming = self.upcoming_interactions(scope, UPCOMING).await?;
        Ok(Some(MyWork {
            relationships,
            overdue,
            enquiries_to_triage,
            proposals_to_review,
            upcoming,
        }))
    }
}
