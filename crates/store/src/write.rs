//! Write transactions: on SQLite an IMMEDIATE one, so a writer takes the
//! lock up front instead of failing half-way. Each record's module adds its
//! inserts to [`Tx`].

use std::sync::Arc;

use sqlx::{Postgres, Sqlite};

use crate::error::{Result, StoreError};
use crate::sql::{Executor, Id, Sql, Value};
use crate::{DatabaseFile, Store};

/// Most rows sent in one INSERT. SQLite resolves `$n` parameters by a linear
/// search, so its cost grows with the square of a statement's argument
/// count: small batches are fastest there. PostgreSQL gains from large
/// batches (fewer round trips), up to its 65,535-argument limit.
fn batch_rows(tx: &Tx) -> usize {
    match tx {
        Tx::Sqlite(..) => 64,
        Tx::Postgres(_) => 500,
    }
}

/// Transactions committed by this process, through any store. A reader
/// that remembers the data version it last read, and this count then,
/// knows the version cannot have moved by this process's hand while the
/// count is the same (`App::data_version`).
static COMMITS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many transactions this process has committed.
pub fn commits() -> u64 {
    COMMITS.load(std::sync::atomic::Ordering::Acquire)
}

/// Counts a commit (after it, so a reader that sees the new count reads
/// what it wrote).
pub(crate) fn committed() {
    COMMITS.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
}

/// Proof that a transaction wrote its audit line.
#[derive(Debug)]
#[must_use = "commit the transaction with it"]
pub struct Audited(());

impl Audited {
    pub(crate) fn new() -> Self {
        Audited(())
    }
}

/// An open write transaction. Dropping it without [`Tx::commit`] rolls back.
pub enum Tx {
    /// With the file it writes to, checked again just before COMMIT.
    Sqlite(
        sqlx::Transaction<'static, Sqlite>,
        Option<Arc<DatabaseFile>>,
    ),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Store {
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Store::Sqlite(db) => {
                if let Some(file) = &db.file {
                    file.check()?;
                }
                Tx::Sqlite(
                    db.pool.begin_with("BEGIN IMMEDIATE").await?,
                    db.file.clone(),
                )
            }
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }
}

pub(crate) fn duplicate(err: StoreError, what: impl FnOnce() -> String) -> StoreError {
    match err {
        StoreError::Database(sqlx::Error::Database(ref db)) if db.is_unique_violation() => {
            StoreError::Duplicate(what())
        }
        other => other,
    }
}

impl Tx {
    pub(crate) fn exec(&mut self) -> Executor<'_> {
        match self {
            Tx::Sqlite(tx, _) => Executor::Sqlite(tx),
            Tx::Postgres(tx) => Executor::Postgres(tx),
        }
    }

    /// Commits a transaction that has written its audit line: the proof
    /// comes only from [`Tx::audit`], so no write through the store can
    /// skip the audit log.
    pub async fn commit(self, _audited: Audited) -> Result<()> {
        self.commit_unaudited().await
    }

    /// Commits bookkeeping that is not a change to anyone's records (sign-in
    /// attempts, a write probe, a retention run that removed nothing).
    pub(crate) async fn commit_unaudited(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx, file) => {
                if let Some(file) = file {
                    // Dropping `tx` rolls back.
                    file.check()?;
                }
                tx.commit().await?
            }
            Tx::Postgres(tx) => tx.commit().await?,
        }
        committed();
        Ok(())
    }

    pub(crate) async fn returning_id(&mut self, sql: Sql) -> Result<i64> {
        Ok(self.exec().one::<Id>(sql).await?.id)
    }

    /// Inserts rows in batches, returning what `returning` selects.
    pub(crate) async fn insert_rows<T: crate::sql::Row>(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: Vec<Vec<Value>>,
        returning: Option<&str>,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for chunk in rows.chunks(batch_rows(self)) {
            let mut sql = Sql::new(format!(
                "INSERT INTO {table} ({}) VALUES ",
                columns.join(", ")
            ));
            for (i, row) in chunk.iter().enumerate() {
                let placeholders: Vec<String> = row.iter().map(|v| sql.arg(v.clone())).collect();
                if i > 0 {
                    sql.push(", ");
                }
                sql.push("(").push(&placeholders.join(", ")).push(")");
            }
            match returning {
                Some(cols) => {
                    sql.push(" RETURNING ").push(cols);
                    out.extend(self.exec().all::<T>(sql).await?);
                }
                None => {
                    self.exec().execute(sql).await?;
                }
            }
        }
        Ok(out)
    }
}

/// A new id for a record addressed by number that some readers may not
/// see (commitments, contributions, interactions, relationships): drawn at
/// random, so that the gap between two ids a reader can see does not count
/// the hidden ones made between them (issue 23). From 2^32 up, above any
/// sequence a generated place reaches, and below 2^53, which JavaScript
/// reads exactly.
pub(crate) fn unguessable_id() -> i64 {
    use rand::Rng;
    rand::thread_rng().gen_range((1_i64 << 32)..(1_i64 << 53))
}

#[cfg(test)]
mod tests {
    use crate::privacy::AuditLine;
    use crate::sql::Sql;

    /// What a COMMIT that fails on a full disk leaves behind: SQLite has
    /// ended the transaction, so sqlx's rollback fails too and it still
    /// counts the connection as inside one. Such a connection must be
    /// closed, not handed to the next writer (who would be refused with
    /// "attempted to call begin_with at non-zero transaction depth").
    #[tokio::test]
    async fn a_connection_given_back_inside_a_transaction_is_closed_not_reused() {
        let db = crate::testing::database().await.expect("database");
        let store = &db.store;
        for _ in 0..8 {
            let mut tx = store.begin().await.expect("begin");
            tx.exec()
                .execute(Sql::new("COMMIT"))
                .await
                .expect("ended behind sqlx's back");
            drop(tx);
        }
        for n in 0..20 {
            let line = AuditLine {
                actor: None,
                action: "test-write",
                record_type: "test",
                record_id: Some(n.to_string()),
                detail: None,
            };
            store
                .audit(&line, n)
                .await
                .expect("every later write works");
        }
    }
}
