//! Placeweave's persistence: one store API over an embedded SQLite file or a
//! PostgreSQL server, chosen at run time from the database URL. All queries
//! are written once (see [`sql`]) and run on either backend.

pub mod accounts;
pub mod ask;
mod ask_demo;
pub mod backup;
pub mod briefing;
pub mod camden;
mod commitment;
pub mod contribution;
pub mod copy;
pub mod database_file;
pub mod deadline;
pub mod ecosystem;
pub mod enquiry;
mod enquiry_demo;
mod error;
pub mod experiment;
mod experiment_demo;
mod initiative;
pub mod interaction;
pub mod jobs;
pub mod map;
mod migrations;
mod mission;
pub mod mission_progress;
pub mod my_work;
pub mod network;
mod open_data;
mod organisation;
pub mod outcome;
mod outcome_theme;
pub mod partnership;
pub mod password_reset;
mod place;
pub mod place_page;
pub mod privacy;
mod record;
mod record_update;
pub mod relationship;
mod relationship_demo;
mod role;
mod search;
mod sql;
pub mod story;
mod story_demo;
pub mod synthetic;
pub mod testing;
mod write;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolOptions;
use sqlx::{ConnectOptions, Connection};

use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

pub use ask::AskFilter;
pub use commitment::{CommitmentFilter, NewCommitment};
pub use contribution::{ContributionFilter, NewContribution};
pub use database_file::{DatabaseFile, FileChange};
pub use error::{Result, StorageFault, StoreError};
pub use interaction::{InteractionFilter, NewInteraction};
pub use migrations::Dialect;
pub use place::PlaceRecord;
pub use record::{Write, changes};
pub use relationship::{NewRelationship, RelationshipFilter};
pub use write::commits;
pub use write::{Audited, Tx};

/// An open database.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(Sqlite),
    Postgres(sqlx::PgPool),
}

/// An open SQLite database: its pool and, for a file, the file watched.
#[derive(Clone, Debug)]
pub struct Sqlite {
    pub pool: sqlx::SqlitePool,
    /// None for an in-memory database.
    pub file: Option<Arc<DatabaseFile>>,
}

/// How placeweave names its PostgreSQL connections, so that `restore` can
/// tell when a server (or another command) is connected.
pub const SERVER_APPLICATION_NAME: &str = "placeweave";

/// Whether opening may create the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Create a missing SQLite file (`demo`, `generate`, `migrate`,
    /// `restore`, tests).
    CreateIfMissing,
    /// Refuse a missing one (`serve`): starting an empty database in place
    /// of a lost one would hide the loss.
    Existing,
}

/// A pool that closes, instead of reusing, a connection given back still
/// inside a transaction: after a failed COMMIT (a full disk) SQLite may have
/// rolled back already, so sqlx's rollback fails and the connection would
/// refuse every later BEGIN.
fn pool_options<DB: sqlx::Database>() -> PoolOptions<DB> {
    PoolOptions::<DB>::new().after_release(|conn, _meta| {
        Box::pin(async move {
            // Waits for the rollback the dropped transaction queued.
            conn.ping().await?;
            if conn.is_in_transaction() {
                tracing::warn!("closing a database connection given back inside a transaction");
                return Ok(false);
            }
            Ok(true)
        })
    })
}

/// How long a request waits for a PostgreSQL connection: with the server
/// stopped, it is told "nothing was changed" (503) in this time rather
/// than after sqlx's retries.
pub const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Most bytes the SQLite WAL keeps after a checkpoint: without a limit it
/// stays at its largest size ever.
pub const WAL_SIZE_LIMIT: u64 = 4 * 1024 * 1024;

/// [`pool_options`] for SQLite, each connection taken under the current
/// request's deadline ([`deadline`]).
fn sqlite_pool_options() -> PoolOptions<sqlx::Sqlite> {
    pool_options::<sqlx::Sqlite>()
        .after_connect(|conn, _meta| Box::pin(deadline::apply(conn)))
        .before_acquire(|conn, _meta| {
            Box::pin(async move {
                deadline::apply(conn).await?;
                Ok(true)
            })
        })
}

impl Store {
    /// Opens the database at `url` (`sqlite://path` or `postgres://…`),
    /// creating a missing SQLite file. Does not migrate.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::open(url, Open::CreateIfMissing).await
    }

    /// Opens the database at `url`; `how` says whether a missing SQLite
    /// file may be created. Does not migrate.
    pub async fn open(url: &str, how: Open) -> Result<Store> {
        Store::open_as(url, how, SERVER_APPLICATION_NAME).await
    }

    /// Opens a database to serve requests from: a PostgreSQL statement is
    /// cancelled after `statement_limit`, so that no request can hold a
    /// connection past its deadline (SQLite's are stopped by [`deadline`]).
    pub async fn open_serving(url: &str, how: Open, statement_limit: Duration) -> Result<Store> {
        Store::open_with(url, how, SERVER_APPLICATION_NAME, Some(statement_limit)).await
    }

    /// [`Store::open`], naming PostgreSQL connections `application_name`.
    pub(crate) async fn open_as(url: &str, how: Open, application_name: &str) -> Result<Store> {
        Store::open_with(url, how, application_name, None).await
    }

    async fn open_with(
        url: &str,
        how: Open,
        application_name: &str,
        statement_limit: Option<Duration>,
    ) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let target = redact_url(url);
            let options = PgConnectOptions::from_str(url)
                .map_err(|source| StoreError::Connect {
                    target: target.clone(),
                    source,
                })?
                .application_name(application_name);
            let options = match statement_limit {
                Some(limit) => {
                    options.options([("statement_timeout", format!("{}ms", limit.as_millis()))])
                }
                None => options,
            };
            // One direct connection first: a pool would retry until its
            // timeout and then report only that it timed out.
            let probe = options
                .connect()
                .await
                .map_err(|source| StoreError::Connect {
                    target: target.clone(),
                    source,
                })?;
            let _ = probe.close().await;
            let pool = pool_options::<sqlx::Postgres>()
                .max_connections(10)
                .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await
                .map_err(|source| StoreError::Connect { target, source })?;
            Ok(Store::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let connect_error = |source| StoreError::Connect {
                target: url.to_owned(),
                source,
            };
            let options = SqliteConnectOptions::from_str(url)
                .map_err(connect_error)?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("journal_size_limit", WAL_SIZE_LIMIT.to_string())
                // Deleted personal data is overwritten, not just unlinked.
                .pragma("secure_delete", "ON");
            let path = options.get_filename().to_path_buf();
            let in_memory = path.as_os_str() == ":memory:" || url.contains(":memory:");
            let file = if in_memory {
                None
            } else {
                if !path.exists() {
                    if how == Open::Existing {
                        return Err(StoreError::NoDatabase(path));
                    }
                    options
                        .clone()
                        .create_if_missing(true)
                        .connect()
                        .await
                        .map_err(connect_error)?
                        .close()
                        .await
                        .map_err(connect_error)?;
                }
                Some(Arc::new(DatabaseFile::open(&path)?))
            };
            // The pool never creates a file: a connection opened after the
            // file was deleted must fail, not start an empty database.
            let pool = sqlite_pool_options()
                .max_connections(4)
                .connect_with(options.create_if_missing(in_memory))
                .await
                .map_err(connect_error)?;
            Ok(Store::Sqlite(Sqlite { pool, file }))
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }

    /// Opens (or creates) the SQLite file at `path`.
    pub async fn open_sqlite(path: &std::path::Path) -> Result<Store> {
        Store::connect(&format!("sqlite://{}", path.display())).await
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Store::Sqlite(_) => Dialect::Sqlite,
            Store::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<()> {
        let dialect = self.dialect();
        let migrator = sqlx::migrate::Migrator::new(dialect).await?;
        match self {
            Store::Sqlite(db) => {
                let mut conn = db.pool.acquire().await?;
                migrations::accept_superseded(&mut *conn, dialect).await?;
                migrator.run(&mut *conn).await?
            }
            Store::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                migrations::accept_superseded(&mut *conn, dialect).await?;
                migrator.run(&mut *conn).await?
            }
        }
        self.index_if_empty().await
    }

    /// Whether the database answers a trivial query, for health checks.
    pub async fn ping(&self) -> Result<()> {
        self.exec().execute(sql::Sql::new("SELECT 1")).await?;
        Ok(())
    }

    /// Takes the SQLite file's server lock for this process's life: a
    /// second server on the same file is refused. A no-op on PostgreSQL.
    pub fn claim_for_serving(&self) -> Result<()> {
        match self {
            Store::Sqlite(Sqlite {
                file: Some(file), ..
            }) => file.claim_for_serving(),
            _ => Ok(()),
        }
    }

    /// SQLite's quick integrity check of the whole file, for `serve` to
    /// refuse a malformed file (a WAL replayed into a replaced file) rather
    /// than answer from it and take writes into it. A no-op on PostgreSQL
    /// and in memory.
    pub async fn quick_check(&self) -> Result<()> {
        let Store::Sqlite(Sqlite {
            pool,
            file: Some(file),
        }) = self
        else {
            return Ok(());
        };
        let damaged = |detail: String| StoreError::Damaged {
            path: file.path().to_path_buf(),
            detail,
        };
        let rows: Vec<(String,)> = match sqlx::query_as("PRAGMA quick_check").fetch_all(pool).await
        {
            Ok(rows) => rows,
            Err(err) if error::is_damage(&err) => return Err(damaged(err.to_string())),
            Err(err) => return Err(err.into()),
        };
        if rows.len() == 1 && rows[0].0 == "ok" {
            return Ok(());
        }
        let problems: Vec<String> = rows.into_iter().take(3).map(|(line,)| line).collect();
        Err(damaged(format!(
            "SQLite's integrity check: {}",
            problems.join("; ")
        )))
    }

    /// Folds the WAL into the database file and truncates it; a no-op on
    /// PostgreSQL.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Store::Sqlite(db) = self {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&db.pool)
                .await?;
        }
        Ok(())
    }

    /// What `/healthz` reports: the database answers, takes a write, and
    /// is still the file it opened.
    pub async fn health(&self) -> Health {
        let file = match self {
            Store::Sqlite(Sqlite {
                file: Some(file), ..
            }) => file.change(),
            _ => None,
        };
        let reachable = match database_file::damage() {
            Some(damage) => Some(format!("the database file is damaged: {damage}")),
            None => self.ping().await.err().map(|e| e.to_string()),
        };
        let space = match self {
            Store::Sqlite(Sqlite {
                file: Some(watched),
                ..
            }) => watched.check_space().err(),
            _ => None,
        };
        let writable = match (&reachable, file, space) {
            (Some(_), _, _) => Some("not tried: the database does not answer".to_owned()),
            (None, Some(change), _) => Some(format!("writes are refused: the file was {change}")),
            (None, None, Some(space)) => Some(format!("too little free space: {space}")),
            (None, None, None) => self.check_writable().await.err().map(|e| e.to_string()),
        };
        Health {
            reachable,
            writable,
            file,
        }
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(db) => {
                // Leaves no WAL behind a command that wrote a lot
                // (`generate`): best effort, other processes may read.
                let _ = self.checkpoint().await;
                db.pool.close().await
            }
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

/// The database's health; each `Option` is the fault found, if any.
#[derive(Debug)]
pub struct Health {
    pub reachable: Option<String>,
    pub writable: Option<String>,
    pub file: Option<FileChange>,
}

impl Health {
    pub fn ok(&self) -> bool {
        self.reachable.is_none() && self.writable.is_none() && self.file.is_none()
    }
}

/// The URL with any password replaced, safe to print in an error.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact_url("postgres://pw:secret@localhost:5432/db"),
            "postgres://pw:***@localhost:5432/db"
        );
        assert_eq!(
            super::redact_url("sqlite://data/x.sqlite3"),
            "sqlite://data/x.sqlite3"
        );
    }
}
