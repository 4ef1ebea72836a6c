//! Experiments: reading, creating and editing them, the portfolio, the
//! mission × lever grid, the learning log, and a mission's progress.

use placeweave_domain::date::iso_date;
use placeweave_domain::experiment::{
    Decision, Experiment, ExperimentFilter, ExperimentStatus, ExperimentSummary, GridRow,
    apply_to_experiment, grid, learning_entry,
};
use placeweave_domain::mission_progress::{MissionProgress, parse_progress};
use placeweave_domain::place::RecordRef;
use placeweave_domain::{Action, Mission, PageRequest, Resource};

use crate::record::slug_record;
use crate::{App, AppError, Scope};

slug_record!(
    Experiment,
    Resource::Experiment,
    name,
    apply: apply_to_experiment,
    load: experiment,
    insert: create_experiment,
    save: update_experiment,
    blank: Experiment::blank()
);

/// How many of a mission's experiments have a status and decision
/// (kept per data version: it counts every experiment of the mission).
pub(crate) type Tally = (ExperimentStatus, Option<Decision>, i64);

impl App {
    /// One page of the experiments the caller may see, and how many match.
    pub async fn experiments(
        &self,
        scope: &Scope,
        filter: &ExperimentFilter,
        page: PageRequest,
    ) -> crate::Result<(Vec<ExperimentSummary>, i64)> {
        Ok(self
            .store
            .experiments_page(scope.key(), scope.viewer(), filter, page)
            .await?)
    }

    /// The mission × lever grid: a row for every mission the caller may
    /// see, a cell for every lever, counting the experiments they may see.
    pub async fn experiment_grid(&self, scope: &Scope) -> crate::Result<Vec<GridRow>> {
        let missions = self
            .missions(scope)
            .await?
            .into_iter()
            .map(|m| RecordRef {
                id: m.id,
                name: m.short_name,
            })
            .collect();
        let counts = self
            .store
            .experiment_grid(scope.key(), scope.viewer())
            .await?;
        Ok(grid(missions, &counts))
    }

    /// A mission's experiments the caller may see, by status and decision.
    pub async fn mission_experiments(
        &self,
        scope: &Scope,
        mission: &str,
    ) -> crate::Result<Vec<Tally>> {
        let key = (scope.key(), scope.viewer(), mission.to_owned());
        self.through(&self.tallies, key, || async {
            Ok(self
                .store
                .experiment_tallies(scope.key(), scope.viewer(), mission)
                .await?)
        })
        .await
    }

    /// Adds an entry to an experiment's learning log, written by the caller
    /// (who must be allowed to edit the experiment).
    pub async fn add_learning(
        &self,
        scope: &Scope,
        key: &String,
        date: &str,
        text: &str,
    ) -> crate::Result<Experiment> {
        let experiment = self.editable::<Experiment>(scope, key).await?;
        let (date, text) = learning_entry(date, text)?;
        let write = scope.write(Resource::Experiment);
        self.store
            .add_learning(&write, &experiment.id, &date, &text)
            .await?;
        self.get::<Experiment>(scope, key).await
    }

    /// A mission's recorded progress, if the caller may see the mission.
    pub async fn mission_progress(
        &self,
        scope: &Scope,
        mission: &str,
    ) -> crate::Result<MissionProgress> {
        self.store
            .mission_progress(scope.key(), mission, scope.viewer())
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Records a decision about a mission's progress: those who may edit
    /// the mission may, and the status must fit its target year.
    pub async fn set_mission_progress(
        &self,
        scope: &Scope,
        mission: &String,
        pairs: &[(String, String)],
    ) -> crate::Result<MissionProgress> {
        let current = self.get::<Mission>(scope, mission).await?;
        scope.require(Action::Update, &crate::Record::target(&current))?;
        let write = scope.write(Resource::Mission);
        let progress = parse_progress(pairs, current.target_year, &iso_date(write.now))?;
        self.store
            .set_mission_progress(&write, mission, &progress)
            .await?;
        self.mission_progress(scope, mission).await
    }
}
