//! Background jobs shared by every server on one database: each job runs
//! for each period (an hour, a day) on one server only. On PostgreSQL a
//! session advisory lock keeps two servers from running the same job at
//! once; a `job_run` row per (job, period) keeps a period from running
//! twice, one server after the other.

use sqlx::pool::PoolConnection;
use sqlx::{FromRow, Postgres};

use crate::Store;
use crate::error::Result;
use crate::sql::sql;

/// One server's hold on a job while it runs it. Give it back with
/// [`JobLock::release`]; dropping it instead closes its connection (the
/// server then drops the lock), so a pooled connection never keeps it.
pub struct JobLock {
    postgres: Option<(PoolConnection<Postgres>, i64)>,
}

/// A job's advisory-lock key: stable across servers and releases.
fn lock_key(job: &str) -> i64 {
    // FNV-1a: no dependency, and the same on every machine.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in b"placeweave-job:".iter().chain(job.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

#[derive(FromRow)]
struct Locked {
    locked: bool,
}

/// A run of a job, as recorded.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct JobRun {
    pub job: String,
    pub period: i64,
    pub instance: String,
    pub outcome: Option<String>,
}

impl Store {
    /// Takes the job's lock if no other server holds it.
    pub async fn try_job_lock(&self, job: &str) -> Result<Option<JobLock>> {
        match self {
            Store::Sqlite(_) => Ok(Some(JobLock { postgres: None })),
            Store::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                let key = lock_key(job);
                let row: Locked = sqlx::query_as("SELECT pg_try_advisory_lock($1) AS locked")
                    .bind(key)
                    .fetch_one(&mut *conn)
                    .await?;
                Ok(row.locked.then_some(JobLock {
                    postgres: Some((conn, key)),
                }))
            }
        }
    }

    /// Claims the job's run for `period`; false when a server ran it
    /// already.
    pub async fn claim_job_run(
        &self,
        job: &str,
        period: i64,
        instance: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let claimed = tx
            .exec()
            .execute(sql!(
                "INSERT INTO job_run (job, period, instance, started_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (job, period) DO NOTHING",
                job,
                period,
                instance,
                now
            ))
            .await?;
        tx.commit_unaudited().await?;
        Ok(claimed == 1)
    }

    /// Records how a claimed run ended.
    pub async fn finish_job_run(
        &self,
        job: &str,
        period: i64,
        outcome: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.exec()
            .execute(sql!(
                "UPDATE job_run SET finished_at = $1, outcome = $2 WHERE job = $3 AND period = $4",
                now,
                outcome,
                job,
                period
            ))
            .await?;
        tx.commit_unaudited().await
    }

    /// The runs recorded, oldest first.
    pub async fn job_runs(&self) -> Result<Vec<JobRun>> {
        self.exec()
            .all::<JobRun>(sql!(
                "SELECT job, period, instance, outcome FROM job_run ORDER BY period, job"
            ))
            .await
    }
}

impl Drop for JobLock {
    fn drop(&mut self) {
        if let Some((conn, _)) = self.postgres.take() {
            drop(conn.detach());
        }
    }
}

impl JobLock {
    pub async fn release(mut self) -> Result<()> {
        if let Some((mut conn, key)) = self.postgres.take() {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lock_keys_differ_by_job_and_never_change() {
        assert_ne!(super::lock_key("housekeeping"), super::lock_key("backup"));
        assert_eq!(super::lock_key("backup"), super::lock_key("backup"));
    }
}
