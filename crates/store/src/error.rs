//! The store's one error type.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL \"{0}\" is not a sqlite: or postgres: URL")]
    UnsupportedUrl(String),
    #[error("could not open database {target}: {source}")]
    Connect {
        target: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(sqlx::migrate::MigrateError),
    /// The database holds a migration this program does not know.
    #[error(
        "this database was made by a newer placeweave (migration {0}); upgrade placeweave: nothing was changed"
    )]
    Newer(i64),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// SQLite found the file malformed (at start, or while reading it).
    #[error(
        "the database file {} is damaged ({detail}): nothing was served; restore the latest backup with `placeweave restore --from BACKUP --database-url sqlite://{}` (see docs/OPERATIONS.md)",
        path.display(),
        path.display()
    )]
    Damaged {
        path: std::path::PathBuf,
        detail: String,
    },
    #[error("stored value {value:?} in {column} is not a known term")]
    Corrupt { column: &'static str, value: String },
    #[error("could not create {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the record changed since it was read (now at version {current})")]
    Stale { current: i64 },
    #[error("there is no {0}")]
    Missing(String),
    #[error("{field}: there is no \"{id}\"")]
    UnknownReference { field: &'static str, id: String },
    #[error("{0} already exists")]
    Duplicate(String),
    /// A reference the writer may see but may not make here, and why.
    #[error("{field}: {message}")]
    Mismatch {
        field: &'static str,
        message: String,
    },
    #[error("there is no database at {}: create one with `placeweave demo`, `generate`, `migrate` or `restore`", .0.display())]
    NoDatabase(std::path::PathBuf),
    #[error("the database {} is in use by another placeweave process (a server?): stop it first", .0.display())]
    InUse(std::path::PathBuf),
    #[error("the database {} is already served by another placeweave server: stop it first (one server per SQLite file)", .0.display())]
    Served(std::path::PathBuf),
    #[error("the database file {} was {change} while this server ran: nothing was written; restart the server", path.display())]
    FileChanged {
        path: std::path::PathBuf,
        change: crate::database_file::FileChange,
    },
    #[error("{0}")]
    Backup(String),
    #[error("{0}")]
    Copy(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if is_damage(&err) {
            // Seen once, /healthz says so until the file is restored.
            crate::database_file::damage_seen(&err);
        }
        StoreError::Database(err)
    }
}

/// SQLite's SQLITE_CORRUPT and SQLITE_NOTADB (and their extended codes):
/// the file is malformed, not the request.
pub(crate) fn is_damage(err: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = err else {
        return false;
    };
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_none() {
        return false;
    }
    let code = db.code().and_then(|c| c.parse::<i32>().ok());
    matches!(code.map(|c| c & 0xff), Some(11 | 26))
}

impl StoreError {
    /// Whether SQLite found the database file malformed.
    pub fn is_damage(&self) -> bool {
        match self {
            StoreError::Damaged { .. } => true,
            StoreError::Database(err) | StoreError::Connect { source: err, .. } => is_damage(err),
            _ => false,
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        match err {
            sqlx::migrate::MigrateError::VersionMissing(version) => StoreError::Newer(version),
            other => StoreError::Migrate(other),
        }
    }
}

/// Faults of the storage rather than of the request, which people are told
/// about plainly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFault {
    /// The disk (or the database's size limit) is full: nothing was saved.
    Full,
    /// The database file is no longer the one the server opened.
    FileChanged,
    /// The database server cannot be reached (stopped, restarting, out of
    /// connections): nothing was saved.
    Unavailable,
    /// The work ran past the request's deadline and was stopped (SQLite's
    /// interrupt, PostgreSQL's statement timeout): nothing was saved.
    TooSlow,
}

impl StoreError {
    pub fn storage_fault(&self) -> Option<StorageFault> {
        match self {
            StoreError::FileChanged { .. } => Some(StorageFault::FileChanged),
            StoreError::Database(
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed,
            ) => Some(StorageFault::Unavailable),
            StoreError::Database(sqlx::Error::Database(db)) => {
                let code = db.code()?;
                match code.as_ref() {
                    // PostgreSQL's disk_full
                    "53100" => Some(StorageFault::Full),
                    // PostgreSQL shutting down or starting, and connection
                    // failures (class 08)
                    "57P01" | "57P02" | "57P03" => Some(StorageFault::Unavailable),
                    class if class.starts_with("08") => Some(StorageFault::Unavailable),
                    // PostgreSQL's query_canceled (statement_timeout)
                    "57014" => Some(StorageFault::TooSlow),
                    // SQLITE_FULL and any extended code of it; SQLITE_CANTOPEN,
                    // which a new pool connection meets when the file was
                    // deleted or moved away under the server.
                    other => match other.parse::<i32>().ok().map(|c| c & 0xff) {
                        Some(9) => Some(StorageFault::TooSlow),
                        Some(13) => Some(StorageFault::Full),
                        Some(14) => Some(StorageFault::FileChanged),
                        _ => None,
                    },
                }
            }
            _ => None,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
