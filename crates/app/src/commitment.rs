//! Commitments: an organisation taking a role for a mission. Staff record
//! any; a partner records and edits its own organisation's.

use placeweave_domain::commitment::CommitmentStatus;
use placeweave_domain::edit::{Absent, Submitted, apply_to_commitment};
use placeweave_domain::place::RecordRef;
use placeweave_domain::{
    Audience, Commitment, DomainError, PageRequest, Principal, Resource, Viewer,
};
use placeweave_store::{CommitmentFilter, Store, StoreError, Write};

use crate::{App, Record, Result, Scope};

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
        };
        Ok(self
            .store
            .commitments_page(scope.key(), scope.viewer(), &filter, query.page)
            .await?)
    }
}
