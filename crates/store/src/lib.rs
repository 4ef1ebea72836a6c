//! Placeweave's persistence: one store API over an embedded SQLite file or a
//! PostgreSQL server, chosen at run time from the database URL. All queries
//! are written once (see [`sql`]) and run on either backend.

pub mod accounts;
pub mod camden;
mod commitment;
mod error;
mod initiative;
mod migrations;
mod mission;
mod organisation;
mod outcome_theme;
mod place;
pub mod privacy;
mod record;
mod role;
mod sql;
pub mod synthetic;
pub mod testing;
mod write;

use std::str::FromStr;
use std::time::Duration;

use sqlx::{ConnectOptions, Connection};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use commitment::{CommitmentFilter, NewCommitment};
pub use error::{Result, StoreError};
pub use migrations::Dialect;
pub use place::PlaceRecord;
pub use record::{Write, changes};
pub use write::{Audited, Tx};

/// An open database.
#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Store {
    /// Opens the database at `url` (`sqlite://path` or `postgres://…`),
    /// creating a missing SQLite file. Does not migrate.
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let target = redact_url(url);
            let options =
                PgConnectOptions::from_str(url).map_err(|source| StoreError::Connect {
                    target: target.clone(),
                    source,
                })?;
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
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(|source| StoreError::Connect { target, source })?;
            Ok(Store::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|source| StoreError::Connect {
                    target: url.to_owned(),
                    source,
                })?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                // Deleted personal data is overwritten, not just unlinked.
                .pragma("secure_delete", "ON");
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await
                .map_err(|source| StoreError::Connect {
                    target: url.to_owned(),
                    source,
                })?;
            Ok(Store::Sqlite(pool))
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
        let migrator = sqlx::migrate::Migrator::new(self.dialect()).await?;
        match self {
            Store::Sqlite(pool) => migrator.run(pool).await?,
            Store::Postgres(pool) => migrator.run(pool).await?,
        }
        Ok(())
    }

    /// Whether the database answers a trivial query, for health checks.
    pub async fn ping(&self) -> Result<()> {
        self.exec().execute(sql::Sql::new("SELECT 1")).await?;
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
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
