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
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
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

/// Faults of the storage rather than of the request, which people are told
/// about plainly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFault {
    /// The disk (or the database's size limit) is full: nothing was saved.
    Full,
    /// The database file is no longer the one the server opened.
    FileChanged,
}

impl StoreError {
    pub fn storage_fault(&self) -> Option<StorageFault> {
        match self {
            StoreError::FileChanged { .. } => Some(StorageFault::FileChanged),
            StoreError::Database(sqlx::Error::Database(db)) => {
                let code = db.code()?;
                match code.as_ref() {
                    // PostgreSQL's disk_full
                    "53100" => Some(StorageFault::Full),
                    // SQLITE_FULL and any extended code of it; SQLITE_CANTOPEN,
                    // which a new pool connection meets when the file was
                    // deleted or moved away under the server.
                    other => match other.parse::<i32>().ok().map(|c| c & 0xff) {
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
