//! The brokerage briefing: one page on a partner for a leader about to
//! meet them. Who they are, the relationship and its timeline, recent
//! interactions and open follow-ups, current commitments and contribution
//! totals, the asks already put to them and the open asks they fit best,
//! and (separately, for those the policy lets see them) key contacts.
//!
//! A briefing is the partnership team's: whoever may not read
//! relationships is answered exactly as for an organisation that does not
//! exist, and so is anyone asking for an organisation they may not see.
//! Each part is read through its own use case with the caller's scope,
//! never with more rights than the caller has.

use placeweave_domain::ask::{Match, score};
use placeweave_domain::contact::Contact;
use placeweave_domain::contribution::{ContributionTotal, RollUp};
use placeweave_domain::date::iso_date;
use placeweave_domain::interaction::{FollowUp, Interaction, InteractionKind};
use placeweave_domain::relationship::{self, Relationship};
use placeweave_domain::{
    Action, Commitment, CommitmentStatus, Organisation, PageRequest, Resource, Target,
};
use placeweave_store::ContributionFilter;
use placeweave_store::briefing::{AskMade, AskSummary, OpenAsk};

use crate::{App, AppError, CommitmentQuery, Result, Scope, now};

/// How many of the partner's interactions a briefing lists.
pub const RECENT_INTERACTIONS: usize = 10;
/// How many suggested asks a briefing lists.
pub const SUGGESTED_ASKS: usize = 5;

/// Everything a briefing shows but the contacts.
#[derive(Debug, Clone)]
pub struct Briefing {
    pub organisation: Organisation,
    /// The relationship with the partner, if one is recorded (its
    /// sensitivities only for those who may read them).
    pub relationship: Option<Relationship>,
    /// The most recent interactions, newest first.
    pub interactions: Vec<Interaction>,
    /// How many interactions there are in all.
    pub interaction_count: usize,
    /// Follow-ups not yet done, from every interaction, soonest due first.
    pub follow_ups: Vec<OpenFollowUp>,
    /// Commitments neither completed nor withdrawn.
    pub commitments: Vec<Commitment>,
    /// Contributions totalled by measure and unit.
    pub contributions: Vec<ContributionTotal>,
    /// Asks already put to the partner, newest first.
    pub asks_made: Vec<AskMade>,
    /// The open asks the partner fits best, best first.
    pub suggested_asks: Vec<SuggestedAsk>,
}

/// A follow-up not yet done, and the interaction it came from.
#[derive(Debug, Clone)]
pub struct OpenFollowUp {
    pub interaction: i64,
    pub kind: InteractionKind,
    pub date: String,
    pub follow_up: FollowUp,
}

/// An open ask and how well the partner fits it, factor by factor.
#[derive(Debug, Clone)]
pub struct SuggestedAsk {
    pub ask: AskSummary,
    pub fit: Match,
}

/// Whatever the caller may not see is missing, never forbidden: a
/// briefing's existence tells nothing.
fn missing(err: AppError) -> AppError {
    match err {
        AppError::Forbidden | AppError::SignInRequired => AppError::NotFound,
        other => other,
    }
}

/// The open asks ranked by the domain's score for the partner, best
/// first (ties by title), the top [`SUGGESTED_ASKS`].
fn suggest(open: Vec<OpenAsk>) -> Vec<SuggestedAsk> {
    let mut suggested: Vec<SuggestedAsk> = open
        .into_iter()
        .map(|open| SuggestedAsk {
            fit: score(&open.needs, &open.candidate),
            ask: open.ask,
        })
        .collect();
    suggested.sort_by(|a, b| {
        b.fit
            .score
            .cmp(&a.fit.score)
            .then_with(|| a.ask.title.cmp(&b.ask.title))
            .then_with(|| a.ask.id.cmp(&b.ask.id))
    });
    suggested.truncate(SUGGESTED_ASKS);
    suggested
}

impl App {
    /// Whether the caller may read briefings at all (those who may read
    /// relationships: staff and admins, by the domain's policy).
    pub fn may_read_briefings(scope: &Scope) -> bool {
        scope.permits(
            Action::Read,
            &Target::kind_at(Resource::Relationship, relationship::AUDIENCE),
        )
    }

    /// The briefing on the organisation `organisation` (a slug), without
    /// its contacts.
    pub async fn briefing(&self, scope: &Scope, organisation: &str) -> Result<Briefing> {
        if !Self::may_read_briefings(scope) {
            return Err(AppError::NotFound);
        }
        // Kept per data version and day (follow-ups fall due, fatigue
        // counts days), for each reader: a leader's office opens the same
        // briefing many times before a meeting, and nothing on it changes
        // without a write.
        let key = (
            scope.key(),
            scope.viewer(),
            format!("{organisation} {:?} {}", scope.actor(), iso_date(now())),
        );
        self.through_locked(&self.composing, &self.briefings, key, || {
            self.compose_briefing(scope, organisation)
        })
        .await
    }

    async fn compose_briefing(&self, scope: &Scope, organisation: &str) -> Result<Briefing> {
        let organisation = self
            .get::<Organisation>(scope, &organisation.to_owned())
            .await
            .map_err(missing)?;
        let slug = organisation.id.clone();
        let relationship = match self
            .store
            .relationship_of(scope.key(), &slug, scope.viewer())
            .await?
        {
            Some(id) => Some(
                self.get::<Relationship>(scope, &id)
                    .await
                    .map_err(missing)?,
            ),
            None => None,
        };
        let every_interaction = self
            .interactions(scope, Some(slug.clone()), None)
            .await
            .map_err(missing)?;
        let mut follow_ups: Vec<OpenFollowUp> = every_interaction
            .iter()
            .flat_map(|i| {
                i.follow_ups
                    .iter()
                    .filter(|f| !f.done)
                    .map(|f| OpenFollowUp {
                        interaction: i.id,
                        kind: i.kind,
                        date: i.date.clone(),
                        follow_up: f.clone(),
                    })
            })
            .collect();
        // Soonest due first; those without a due date after, newest first.
        follow_ups.sort_by(|a, b| match (&a.follow_up.due, &b.follow_up.due) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.date.cmp(&a.date),
        });
        let interaction_count = every_interaction.len();
        let interactions = every_interaction
            .into_iter()
            .take(RECENT_INTERACTIONS)
            .collect();
        let (commitments, _) = self
            .commitments(
                scope,
                &CommitmentQuery {
                    organisation: Some(slug.clone()),
                    page: PageRequest::everything(),
                    ..Default::default()
                },
            )
            .await?;
        let commitments = commitments
            .into_iter()
            .filter(|c| {
                !matches!(
                    c.status,
                    CommitmentStatus::Completed | CommitmentStatus::Withdrawn
                )
            })
            .collect();
        let contributions = self
            .contribution_totals(
                scope,
                &ContributionFilter {
                    organisation: Some(slug.clone()),
                    ..Default::default()
                },
                RollUp::Organisation,
            )
            .await?;
        // Asks are their own resource in the policy: asked of it, so that
        // a caller who may not read asks sees none here either.
        let (asks_made, suggested_asks) = if scope.permits(
            Action::Read,
            &Target::kind_at(Resource::Ask, placeweave_domain::ask::AUDIENCE),
        ) {
            let made = self
                .store
                .asks_made_to(scope.key(), &slug, scope.viewer())
                .await?;
            let open = self
                .store
                .open_asks_for(scope.key(), &slug, scope.viewer(), &iso_date(now()))
                .await?;
            (made, suggest(open))
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Briefing {
            organisation,
            relationship,
            interactions,
            interaction_count,
            follow_ups,
            commitments,
            contributions,
            asks_made,
            suggested_asks,
        })
    }

    /// A briefing's key contacts, if the policy lets the caller see the
    /// organisation's contacts (the view is audited, as on the contacts
    /// page); `None` if it does not.
    pub async fn briefing_contacts(
        &self,
        scope: &Scope,
        organisation: &Organisation,
    ) -> Result<Option<Vec<Contact>>> {
        if !scope.may_read_contacts(&organisation.id) {
            return Ok(None);
        }
        Ok(Some(self.contacts(scope, organisation).await?))
    }
}
