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
}

pub type Result<T> = std::result::Result<T, StoreError>;
