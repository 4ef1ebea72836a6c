//! Commitments: an organisation taking a role for a mission. Staff record
//! any; a partner records and edits its own organisation's.

use placeweave_domain::commitment::{
    CommitmentStatus, PROPOSAL_AUDIENCE, Review, ReviewDecision, ReviewForm,
};
use placeweave_domain::edit::{Absent, Submitted, apply_to_commitment};
use placeweave_domain::place::RecordRef;
use placeweave_domain::{
    AccountRole, Audience, Commitment, DomainError, PageRequest, Principal, Resource, Target,
    Viewer,
};
use placeweave_store::{CommitmentFilter, Store, StoreError, Write};

use crate::{App, AppError, Record, Result, Scope};

type StoreResult<T> = std::result::Result<T, StoreError>;

impl Record for Commitment {
    const RESOURCE: Resource = Resource::Commitment;
    const NAME_FIELD: &'static str = "organisation";
    type Key = i64;

    fn key(&self) -> i64 {
        self.id
    }
    fn parse_key(raw: &str) -> Option<i64> {
        raw.parse().ok().filter(|id| *id > 0)
    }
    fn audience(&self) -> Audience {
        self.audience
    }
    fn version(&self) -> i64 {
        self.version
    }
    fn set_version(&mut self, version: i64) {
        self.version = version;
    }
    fn owner(&self) -> Option<&str> {
        Some(&self.organisation.id)
    }
    fn blank(owner: Option<String>) -> Self {
        Commitment {
            id: 0,
            organisation: RecordRef {
                id: owner.unwrap_or_default(),
                name: String::new(),
            },
            role: None,
            mission: None,
            status: CommitmentStatus::Proposed,
            review: Review::Accepted,
            review_note: None,
            start_date: None,
            end_date: None,
            note: None,
            demonstration: false,
            audience: Audience::Public,
            version: 0,
        }
    }
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> std::result::Result<Self, DomainError> {
        apply_to_commitment(self, submitted, settable, absent)
    }
    fn assign_key(&mut self) -> Result<()> {
        Ok(())
    }
    fn target(&self) -> Target<'_> {
        Target::new(Self::RESOURCE, self.audience, self.owner()).proposal(self.is_proposal())
    }
    fn received_from(&mut self, principal: &Principal) {
        // A partner's new commitment, and any change a partner makes (to
        // one accepted, or a declined one revised), waits for the
        // partnership team: held from everyone else until they accept it
        // (README: a revision goes back for review).
        let partner = matches!(
            principal,
            Principal::Account {
                role: AccountRole::Partner,
                ..
            }
        );
        if partner {
            self.review = Review::Awaiting;
            self.audience = PROPOSAL_AUDIENCE;
        }
    }
    async fn load_for(store: &Store, scope: &Scope, key: &i64) -> StoreResult<Option<Self>> {
        let filter = CommitmentFilter {
            id: Some(*key),
            proposals_of: scope.principal().organisation().map(str::to_owned),
            ..Default::default()
        };
        Ok(store
            .commitments(scope.key(), scope.viewer(), &filter)
            .await?
            .into_iter()
            .next())
    }
    async fn load(
        store: &Store,
        place: i64,
        key: &i64,
        viewer: Viewer,
    ) -> std::result::Result<Option<Self>, StoreError> {
        let filter = CommitmentFilter {
            id: Some(*key),
            ..Default::default()
        };
        Ok(store
            .commitments(place, viewer, &filter)
            .await?
            .into_iter()
            .next())
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<i64, StoreError> {
        store.create_commitment(write, record).await
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_commitment(write, before, after).await
    }
}

/// Which commitments to list.
#[derive(Debug, Clone, Default)]
pub struct CommitmentQuery {
    pub organisation: Option<String>,
    pub mission: Option<String>,
    pub role: Option<String>,
    /// Only those at this point of review (say, awaiting it).
    pub review: Option<Review>,
    pub page: PageRequest,
}

impl Scope {
    /// The organisation a new commitment is for: a partner's own, whatever
    /// they asked; staff choose.
    pub fn commitment_owner(&self, asked: Option<String>) -> Option<String> {
        match self.principal() {
            Principal::Account {
                role: placeweave_domain::AccountRole::Partner,
                organisation,
                ..
            } => organisation.clone(),
            _ => asked,
        }
    }
}

impl App {
    /// One page of the commitments the caller may see, and how many match.
    pub async fn commitments(
        &self,
        scope: &Scope,
        query: &CommitmentQuery,
    ) -> Result<(Vec<Commitment>, i64)> {
        let filter = CommitmentFilter {
            id: None,
            organisation: query.organisation.clone(),
            mission: query.mission.clone(),
            role: query.role.clone(),
            review: query.review,
            proposals_of: scope.principal().organisation().map(str::to_owned),
        };
        Ok(self
            .store
            .commitments_page(scope.key(), scope.viewer(), &filter, query.page)
            .await?)
    }
}

impl App {
    /// Partners' proposals waiting for the partnership team.
    pub async fn proposals_to_review(&self, scope: &Scope) -> Result<Vec<Commitment>> {
        if !scope.may_review_commitments() {
            return Err(AppError::Forbidden);
        }
        let filter = CommitmentFilter {
            review: Some(Review::Awaiting),
            ..Default::default()
        };
        Ok(self
            .store
            .commitments(scope.key(), scope.viewer(), &filter)
            .await?)
    }

    /// A proposal for the review form: one awaiting review or declined
    /// (a decision can be changed until it is accepted).
    pub async fn proposal(&self, scope: &Scope, id: i64) -> Result<Commitment> {
        let commitment = self.get::<Commitment>(scope, &id).await?;
        if !scope.may_review_commitments() {
            return Err(AppError::Forbidden);
        }
        if !commitment.is_proposal() {
            return Err(AppError::NotFound);
        }
        Ok(commitment)
    }

    /// Accepts a partner's proposal (publishing it at the audience chosen)
    /// or declines it with a note back to the partner.
    pub async fn review_commitment(
        &self,
        scope: &Scope,
        id: i64,
        form: &ReviewForm,
    ) -> Result<Commitment> {
        // A partner may read its own proposal but never decide on it.
        let current = self.proposal(scope, id).await?;
        let ReviewDecision {
            review,
            note,
            audience,
            version,
        } = form.validate()?;
        if version != current.version {
            return Err(AppError::Conflict);
        }
        if !scope.viewer().can_read(audience) {
            return Err(AppError::invalid(
                "audience",
                "Choose an audience you belong to: you could not see the commitment after saving it",
            ));
        }
        let mut next = current.clone();
        next.review = review;
        next.review_note = note;
        next.audience = audience;
        let write = scope.write(Resource::Commitment);
        self.store
            .review_commitment(&write, &current, &next)
            .await
            .map_err(AppError::from)?;
        self.get::<Commitment>(scope, &id).await
    }
}
