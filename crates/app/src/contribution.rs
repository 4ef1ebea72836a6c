//! Contributions: what a partner did for a mission, measured. Staff log
//! any; a partner logs and edits only its own organisation's — another
//! organisation's is answered as missing, never as forbidden.

use placeweave_domain::contribution::{
    Contribution, ContributionTotal, RollUp, apply_to_contribution,
};
use placeweave_domain::edit::{Absent, Submitted};
use placeweave_domain::place::RecordRef;
use placeweave_domain::{
    AccountRole, Audience, DomainError, PageRequest, Principal, Resource, Viewer,
};
use placeweave_store::{ContributionFilter, Store, StoreError, Write};

use crate::{App, Record, Result, Scope};

impl Record for Contribution {
    const RESOURCE: Resource = Resource::Contribution;
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
    fn writable_by(&self, principal: &Principal) -> bool {
        principal.role() != Some(AccountRole::Partner)
            || principal.organisation() == Some(self.organisation.id.as_str())
    }
    fn blank(owner: Option<String>) -> Self {
        Contribution::new(RecordRef {
            id: owner.unwrap_or_default(),
            name: String::new(),
        })
    }
    fn apply(
        &self,
        submitted: &Submitted,
        settable: &[&str],
        absent: Absent,
    ) -> std::result::Result<Self, DomainError> {
        apply_to_contribution(self, submitted, settable, absent)
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
        store.contribution(place, *key, viewer).await
    }
    async fn insert(
        store: &Store,
        write: &Write<'_>,
        record: &Self,
    ) -> std::result::Result<i64, StoreError> {
        store.create_contribution(write, record).await
    }
    async fn save(
        store: &Store,
        write: &Write<'_>,
        before: &Self,
        after: &Self,
    ) -> std::result::Result<(), StoreError> {
        store.update_contribution(write, before, after).await
    }
}

/// Contributions this year and last, by measure: a mission's progress.
#[derive(Debug, Clone, Default)]
pub struct YearOnYear {
    pub this_year: i32,
    /// One per measure and unit; a measure with nothing in one of the
    /// years shows 0 there.
    pub rows: Vec<YearRow>,
}

/// A measure's total this year (`now`) and last year (`before`).
#[derive(Debug, Clone)]
pub struct YearRow {
    pub now: ContributionTotal,
    pub before: i64,
}

impl YearRow {
    /// Last year's total in its unit, for pages.
    pub fn before_amount(&self) -> String {
        self.now.unit.format(self.before)
    }
}

impl App {
    /// One page of the contributions the caller may see that `filter`
    /// selects, latest first, and how many match.
    pub async fn contributions(
        &self,
        scope: &Scope,
        filter: &ContributionFilter,
        page: PageRequest,
    ) -> Result<(Vec<Contribution>, i64)> {
        Ok(self
            .store
            .contributions_page(scope.key(), scope.viewer(), filter, page)
            .await?)
    }

    /// One page of the contributions the caller may see that match
    /// `filter`, how many match, and their totals by `by`: the count is
    /// the totals' (every contribution is in exactly one line of them), so
    /// a list page reads the place's contributions once, not twice.
    pub async fn contributions_with_totals(
        &self,
        scope: &Scope,
        filter: &ContributionFilter,
        page: PageRequest,
        by: RollUp,
    ) -> Result<(Vec<Contribution>, i64, Vec<ContributionTotal>)> {
        let totals = self.contribution_totals(scope, filter, by).await?;
        let total = totals.iter().map(|t| t.contributions).sum();
        let rows = self
            .store
            .contributions_uncounted(scope.key(), scope.viewer(), filter, page)
            .await?;
        Ok((rows, total, totals))
    }

    /// Totals of the contributions the caller may see, by `by`, each per
    /// measure and unit; kept per data version (a roll-up reads every
    /// matching contribution: 100,000 at city-region scale).
    pub async fn contribution_totals(
        &self,
        scope: &Scope,
        filter: &ContributionFilter,
        by: RollUp,
    ) -> Result<Vec<ContributionTotal>> {
        let key = (scope.key(), scope.viewer(), format!("{filter:?} {by:?}"));
        self.through(&self.totals, key, || async {
            Ok(self
                .store
                .contribution_totals(scope.key(), scope.viewer(), filter, by)
                .await?)
        })
        .await
    }

    /// A mission's contributions in `year` against the year before, by
    /// measure and unit.
    pub async fn contributions_year_on_year(
        &self,
        scope: &Scope,
        mission: &str,
        year: i32,
    ) -> Result<YearOnYear> {
        let by_year = |y: i32| ContributionFilter {
            mission: Some(mission.to_owned()),
            year: Some(y),
            ..Default::default()
        };
        let this = self
            .contribution_totals(scope, &by_year(year), RollUp::Year)
            .await?;
        let last = self
            .contribution_totals(scope, &by_year(year - 1), RollUp::Year)
            .await?;
        let same = |a: &ContributionTotal, b: &ContributionTotal| {
            a.measure == b.measure && a.unit == b.unit
        };
        let mut rows: Vec<YearRow> = this
            .iter()
            .map(|t| YearRow {
                now: t.clone(),
                before: last.iter().find(|l| same(l, t)).map_or(0, |l| l.total),
            })
            .collect();
        for l in last.iter().filter(|l| !this.iter().any(|t| same(t, l))) {
            let mut now = l.clone();
            now.total = 0;
            now.contributions = 0;
            rows.push(YearRow {
                now,
                before: l.total,
            });
        }
        let position = |t: &ContributionTotal| {
            placeweave_domain::contribution::Measure::ALL
                .iter()
                .position(|m| *m == t.measure)
        };
        rows.sort_by(|a, b| {
            position(&a.now)
                .cmp(&position(&b.now))
                .then(a.now.unit.cmp(&b.now.unit))
        });
        Ok(YearOnYear {
            this_year: year,
            rows,
        })
    }
}
