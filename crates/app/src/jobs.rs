//! The server's background jobs: housekeeping (retention, old sessions),
//! scheduled backups and WAL checkpoints. Several servers may share one
//! PostgreSQL database; each job still runs once per period, on whichever
//! server claims it first (see `placeweave_store::jobs`).

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use placeweave_store::Store;

use crate::{App, Result, now};

/// When each job runs.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub housekeeping_every: Duration,
    /// Scheduled backups, if asked for.
    pub backups: Option<Backups>,
    /// How often the SQLite WAL is folded back and truncated.
    pub checkpoint_every: Duration,
    /// The database's URL (for `pg_dump`).
    pub database_url: String,
}

#[derive(Debug, Clone)]
pub struct Backups {
    pub folder: PathBuf,
    pub every: Duration,
    /// How many backups to keep; older ones are deleted.
    pub keep: usize,
}

/// Names this server in `job_run`: host and process.
fn instance() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "unknown-host".into());
    format!("{host}:{}", std::process::id())
}

/// The period a moment falls in, for a job run every `every`.
fn period(now: i64, every: Duration) -> i64 {
    now / i64::try_from(every.as_secs().max(1)).unwrap_or(i64::MAX)
}

/// What became of one attempt at a job.
#[derive(Debug, PartialEq, Eq)]
pub enum Attempt {
    Ran {
        period: i64,
        summary: String,
    },
    /// Another server holds the job or has run this period already.
    Skipped,
}

impl App {
    /// Runs `work` as `job`'s run for this period, unless another server
    /// is running it or has run it.
    pub async fn run_job_once<F, Fut>(
        &self,
        job: &str,
        every: Duration,
        instance: &str,
        work: F,
    ) -> Result<Attempt>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String>>,
    {
        let Some(lock) = self.store.try_job_lock(job).await? else {
            return Ok(Attempt::Skipped);
        };
        let period = period(now(), every);
        if !self
            .store
            .claim_job_run(job, period, instance, now())
            .await?
        {
            lock.release().await?;
            return Ok(Attempt::Skipped);
        }
        let outcome = work().await;
        let recorded = match &outcome {
            Ok(summary) => summary.clone(),
            Err(err) => format!("failed: {err}"),
        };
        self.store
            .finish_job_run(job, period, &recorded, now())
            .await?;
        lock.release().await?;
        outcome.map(|summary| Attempt::Ran { period, summary })
    }

    /// Runs the jobs for as long as the server runs.
    pub async fn background_jobs(self, schedule: Schedule) {
        let instance = instance();
        let tick = [
            Some(schedule.housekeeping_every),
            schedule.backups.as_ref().map(|b| b.every),
            Some(schedule.checkpoint_every),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(Duration::from_secs(60))
        .clamp(Duration::from_millis(250), Duration::from_secs(60));
        let mut ticks = tokio::time::interval(tick);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_checkpoint = std::time::Instant::now();
        loop {
            ticks.tick().await;
            self.job(
                "housekeeping",
                schedule.housekeeping_every,
                &instance,
                || self.housekeeping_summary(),
            )
            .await;
            if let Some(backups) = &schedule.backups {
                self.job("backup", backups.every, &instance, || {
                    self.scheduled_backup(backups, &schedule.database_url)
                })
                .await;
            }
            if last_checkpoint.elapsed() >= schedule.checkpoint_every {
                last_checkpoint = std::time::Instant::now();
                if let Err(err) = self.store.checkpoint().await {
                    tracing::warn!(error = %err, "WAL checkpoint failed");
                }
            }
        }
    }

    async fn job<F, Fut>(&self, job: &str, every: Duration, instance: &str, work: F)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String>>,
    {
        match self.run_job_once(job, every, instance, work).await {
            Ok(Attempt::Ran { period, summary }) => {
                tracing::info!(job, period, %summary, "background job ran")
            }
            Ok(Attempt::Skipped) => tracing::debug!(job, "background job already run"),
            Err(err) => tracing::error!(job, error = %err, "background job failed"),
        }
    }

    async fn housekeeping_summary(&self) -> Result<String> {
        let deleted = self.housekeeping().await?;
        Ok(format!(
            "deleted {deleted} contacts past their retention date"
        ))
    }

    /// Writes a backup into the folder and deletes the oldest beyond
    /// `keep`.
    async fn scheduled_backup(&self, backups: &Backups, url: &str) -> Result<String> {
        let stamp = humantime::format_rfc3339_seconds(SystemTime::now())
            .to_string()
            .replace(['-', ':'], "");
        let extension = match self.store {
            Store::Sqlite(_) => "sqlite3",
            Store::Postgres(_) => "dump",
        };
        std::fs::create_dir_all(&backups.folder).map_err(|e| {
            crate::AppError::Internal(format!(
                "could not create the backup folder {}: {e}",
                backups.folder.display()
            ))
        })?;
        let to = backups
            .folder
            .join(format!("placeweave-{stamp}.{extension}"));
        let facts = self.store.backup_to(&to, url).await?;
        let removed = prune(&backups.folder, backups.keep);
        Ok(format!(
            "wrote {} ({} bytes); removed {removed} older backups",
            facts.path.display(),
            facts.bytes
        ))
    }
}

/// Deletes all but the newest `keep` scheduled backups in `folder`. Their
/// names sort by time.
fn prune(folder: &std::path::Path, keep: usize) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let mut backups: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("placeweave-") && !n.ends_with(".partial"))
        })
        .collect();
    backups.sort();
    let excess = backups.len().saturating_sub(keep);
    backups
        .iter()
        .take(excess)
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_follow_the_interval() {
        let hour = Duration::from_secs(3600);
        assert_eq!(period(7199, hour), 1);
        assert_eq!(period(7200, hour), 2);
        assert_eq!(period(5, Duration::ZERO), 5);
    }
}
