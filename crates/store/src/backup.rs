//! Backups and restores. A SQLite backup is `VACUUM INTO`: one read
//! transaction, so it is consistent while the server keeps writing. A
//! restore verifies the backup before it touches anything, refuses while
//! any process has the database open, and keeps the file it replaces.
//! PostgreSQL backups are `pg_dump`'s custom format, made by the `pg_dump`
//! installed beside the server's client tools.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};

use crate::database_file::ExclusiveLock;
use crate::error::{Result, StoreError};
use crate::migrations::{Dialect, LATEST_VERSION};
use crate::sql::{Sql, Value};
use crate::{SERVER_APPLICATION_NAME, Store, redact_url};

/// What a verified backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFacts {
    pub path: PathBuf,
    pub bytes: u64,
    /// The latest migration applied in it.
    pub schema_version: i64,
    pub places: i64,
    pub organisations: i64,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub restored: BackupFacts,
    /// Where the file it replaced now is (none if there was no file).
    pub previous: Option<PathBuf>,
    /// The schema version after bringing the restored file up to date.
    pub schema_version: i64,
}

fn backup_error(message: impl Into<String>) -> StoreError {
    StoreError::Backup(message.into())
}

fn io_error(what: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        what: what.display().to_string(),
        source,
    }
}

/// `name` with `suffix` added to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Flushes a folder's entries (a rename) to the disk.
fn sync_folder(path: &Path) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::File::open(folder)
        .and_then(|f| f.sync_all())
        .map_err(io_error(folder))
}

async fn open_file(path: &Path, read_only: bool) -> Result<SqliteConnection> {
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .connect()
        .await
        .map_err(|source| StoreError::Connect {
            target: path.display().to_string(),
            source,
        })
}

/// Checks a SQLite backup: a database SQLite finds intact, made by this
/// program, at a schema version this program can run.
pub async fn verify_sqlite_backup(path: &Path) -> Result<BackupFacts> {
    let meta = std::fs::metadata(path).map_err(io_error(path))?;
    if !meta.is_file() {
        return Err(backup_error(format!("{} is not a file", path.display())));
    }
    let mut conn = open_file(path, true).await.map_err(|_| {
        backup_error(format!(
            "{} is not a SQLite database: nothing was changed",
            path.display()
        ))
    })?;
    let facts = read_facts(&mut conn, path, meta.len()).await;
    let _ = conn.close().await;
    facts
}

async fn read_facts(conn: &mut SqliteConnection, path: &Path, bytes: u64) -> Result<BackupFacts> {
    let not_placeweave = |_| {
        backup_error(format!(
            "{} is not a placeweave database (or it is damaged): nothing was changed",
            path.display()
        ))
    };
    let check: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(not_placeweave)?;
    if check.len() != 1 || check[0].0 != "ok" {
        let problems: Vec<String> = check.into_iter().take(3).map(|(line,)| line).collect();
        return Err(backup_error(format!(
            "{} fails SQLite's integrity check ({}): nothing was changed",
            path.display(),
            problems.join("; ")
        )));
    }
    let (schema_version,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await
            .map_err(not_placeweave)?;
    let schema_version = schema_version.ok_or_else(|| not_placeweave(sqlx::Error::RowNotFound))?;
    if schema_version > LATEST_VERSION {
        return Err(backup_error(format!(
            "{} was made by a newer placeweave (schema version {schema_version}; this one knows up to {LATEST_VERSION}): upgrade placeweave first; nothing was changed",
            path.display()
        )));
    }
    let (places,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM place")
        .fetch_one(&mut *conn)
        .await
        .map_err(not_placeweave)?;
    let (organisations,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisation")
        .fetch_one(&mut *conn)
        .await
        .map_err(not_placeweave)?;
    Ok(BackupFacts {
        path: path.to_path_buf(),
        bytes,
        schema_version,
        places,
        organisations,
    })
}

impl Store {
    /// Writes a consistent copy of the database to `to`, which must not
    /// exist, while other connections go on writing; then verifies it.
    /// `url` is the database's own, for `pg_dump`.
    pub async fn backup_to(&self, to: &Path, url: &str) -> Result<BackupFacts> {
        if to.exists() {
            return Err(backup_error(format!(
                "{} already exists: choose a new file name",
                to.display()
            )));
        }
        match self {
            Store::Sqlite(_) => {
                // Written under a temporary name, so that a backup that
                // fails half-way never looks like a finished one.
                let partial = with_suffix(to, ".partial");
                let _ = std::fs::remove_file(&partial);
                let mut sql = Sql::new("VACUUM INTO ");
                let arg = sql.arg(Value::Text(Some(partial.display().to_string())));
                sql.push(&arg);
                if let Err(err) = self.exec().execute(sql).await {
                    let _ = std::fs::remove_file(&partial);
                    return Err(err);
                }
                let facts = match verify_sqlite_backup(&partial).await {
                    Ok(facts) => facts,
                    Err(err) => {
                        let _ = std::fs::remove_file(&partial);
                        return Err(err);
                    }
                };
                std::fs::File::open(&partial)
                    .and_then(|f| f.sync_all())
                    .map_err(io_error(&partial))?;
                std::fs::rename(&partial, to).map_err(io_error(to))?;
                sync_folder(to)?;
                Ok(BackupFacts {
                    path: to.to_path_buf(),
                    ..facts
                })
            }
            Store::Postgres(_) => self.pg_dump(to, url).await,
        }
    }

    /// The latest migration applied.
    pub async fn schema_version(&self) -> Result<i64> {
        #[derive(sqlx::FromRow)]
        struct Version {
            version: Option<i64>,
        }
        Ok(self
            .exec()
            .one::<Version>(Sql::new(
                "SELECT MAX(version) AS version FROM _sqlx_migrations WHERE success",
            ))
            .await?
            .version
            .unwrap_or(0))
    }
}

/// Replaces the SQLite database at `database` with the backup at `from`.
///
/// In order: verify the backup (nothing is touched if it fails); take the
/// exclusive lock (refused while a server or command has the database
/// open); bring a copy of the backup up to this program's schema; fold the
/// current file's WAL into it and move it aside as `…before-restore-<time>`;
/// move the copy into place.
pub async fn restore_sqlite(database: &Path, from: &Path, now: i64) -> Result<RestoreReport> {
    let restored = verify_sqlite_backup(from).await?;
    // The file itself, not a link to it: its lock is the one a server
    // holds, and the link is left pointing at the restored file.
    let database = &crate::database_file::real_path(database);
    let _lock = ExclusiveLock::take(database)?;
    let incoming = with_suffix(database, ".restoring");
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(from, &incoming).map_err(io_error(&incoming))?;
    let schema_version = match migrate_file(&incoming).await {
        Ok(version) => version,
        Err(err) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(err);
        }
    };
    let previous = if database.exists() {
        let mut conn = open_file(database, false).await?;
        // Every committed write into the main file, so that moving it
        // aside (without its WAL) keeps them all.
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut conn)
            .await?;
        let _ = conn.close().await;
        if busy != 0 {
            let _ = std::fs::remove_file(&incoming);
            return Err(StoreError::InUse(database.to_path_buf()));
        }
        let previous = with_suffix(database, &format!(".before-restore-{now}"));
        std::fs::rename(database, &previous).map_err(io_error(&previous))?;
        for leftover in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(database, leftover));
        }
        Some(previous)
    } else {
        None
    };
    std::fs::rename(&incoming, database).map_err(io_error(database))?;
    sync_folder(database)?;
    Ok(RestoreReport {
        restored,
        previous,
        schema_version,
    })
}

/// Applies this program's migrations to a file no one else has open.
async fn migrate_file(path: &Path) -> Result<i64> {
    let mut conn = open_file(path, false).await?;
    let migrator = sqlx::migrate::Migrator::new(Dialect::Sqlite).await?;
    crate::migrations::accept_superseded(&mut conn, Dialect::Sqlite).await?;
    migrator.run(&mut conn).await?;
    sqlx::query("PRAGMA journal_mode = WAL")
        .execute(&mut conn)
        .await?;
    let (version,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await?;
    conn.close().await?;
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io_error(path))?;
    Ok(version.unwrap_or(0))
}

/// The major version in `pg_dump --version`'s or the server's version.
fn major(version: &str) -> Option<u32> {
    version
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .find(|part| !part.is_empty() && part.contains(|c: char| c.is_ascii_digit()))
        .and_then(|v| v.split('.').next())
        .and_then(|v| u32::from_str(v).ok())
}

/// A PostgreSQL client tool (`pg_dump`, `pg_restore`) whose major version
/// is at least the server's: an older one refuses or writes a dump that
/// misses what it does not know. Looks on PATH, then in Debian's
/// per-version folders.
pub fn pg_tool(name: &str, server_major: u32) -> Result<PathBuf> {
    let mut candidates = vec![PathBuf::from(name)];
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path().join("bin").join(name))
            .filter(|p| p.exists())
            .collect();
        versions.sort();
        versions.reverse();
        candidates.extend(versions);
    }
    let mut found = Vec::new();
    for candidate in candidates {
        let Ok(output) = Command::new(&candidate).arg("--version").output() else {
            continue;
        };
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if let Some(version) = major(&text) {
            if version >= server_major {
                return Ok(candidate);
            }
            found.push(format!("{} is version {version}", candidate.display()));
        }
    }
    Err(backup_error(if found.is_empty() {
        format!(
            "{name} was not found: install PostgreSQL's client tools, version {server_major} or later (Debian: postgresql-client-{server_major})"
        )
    } else {
        format!(
            "the server is PostgreSQL {server_major} but {}: install postgresql-client-{server_major} or later",
            found.join(", ")
        )
    }))
}

/// The URL without its password, and the password, so that the password
/// goes to the tool in its environment rather than on its command line,
/// where anyone on the machine could read it.
fn split_password(url: &str) -> (String, Option<String>) {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, password)) => (
                    format!("{}{user}{}", &url[..scheme_end + 3], &url[at..]),
                    Some(password.to_owned()),
                ),
                None => (url.to_owned(), None),
            }
        }
        _ => (url.to_owned(), None),
    }
}

/// Runs a PostgreSQL client tool against `url`; its error output on failure.
pub fn run_pg_tool(tool: &Path, args: &[&str], url: &str) -> Result<()> {
    let (url, password) = split_password(url);
    let mut command = Command::new(tool);
    command.args(args).arg(format!("--dbname={url}"));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command.output().map_err(io_error(tool))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(backup_error(format!(
            "{} failed on {}: {}",
            tool.display(),
            redact_url(&url),
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

impl Store {
    /// The server's major version.
    pub async fn server_major(&self) -> Result<u32> {
        #[derive(sqlx::FromRow)]
        struct Version {
            server_version: String,
        }
        let version = self
            .exec()
            .one::<Version>(Sql::new("SHOW server_version"))
            .await?
            .server_version;
        major(&version).ok_or_else(|| backup_error(format!("unknown server version {version}")))
    }

    async fn pg_dump(&self, to: &Path, url: &str) -> Result<BackupFacts> {
        let tool = pg_tool("pg_dump", self.server_major().await?)?;
        let partial = with_suffix(to, ".partial");
        let partial_arg = format!("--file={}", partial.display());
        if let Err(err) = run_pg_tool(&tool, &["--format=custom", "--no-owner", &partial_arg], url)
        {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
        std::fs::rename(&partial, to).map_err(io_error(to))?;
        sync_folder(to)?;
        let bytes = std::fs::metadata(to).map_err(io_error(to))?.len();
        Ok(BackupFacts {
            path: to.to_path_buf(),
            bytes,
            schema_version: self.schema_version().await?,
            places: count(self, "place").await?,
            organisations: count(self, "organisation").await?,
        })
    }
}

/// The schema version recorded in a `pg_dump` file, read with
/// `pg_restore` without restoring anything.
fn dump_schema_version(pg_restore: &Path, from: &Path) -> Result<i64> {
    let output = Command::new(pg_restore)
        .args(["--data-only", "--table=_sqlx_migrations", "--file=-"])
        .arg(from)
        .output()
        .map_err(io_error(pg_restore))?;
    let not_a_backup = || {
        backup_error(format!(
            "{} is not a placeweave backup made by pg_dump: nothing was changed",
            from.display()
        ))
    };
    if !output.status.success() {
        return Err(not_a_backup());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut rows = false;
    let mut latest = None;
    for line in text.lines() {
        if line.starts_with("COPY ") && line.contains("_sqlx_migrations") {
            rows = true;
        } else if line == "\\." {
            rows = false;
        } else if rows {
            let fields: Vec<&str> = line.split('\t').collect();
            let version = fields.first().and_then(|v| v.parse::<i64>().ok());
            if fields.get(3) == Some(&"t") && version.is_some() {
                latest = latest.max(version);
            }
        }
    }
    let version = latest.ok_or_else(not_a_backup)?;
    if version > LATEST_VERSION {
        return Err(backup_error(format!(
            "{} was made by a newer placeweave (schema version {version}; this one knows up to {LATEST_VERSION}): upgrade placeweave first; nothing was changed",
            from.display()
        )));
    }
    Ok(version)
}

/// Replaces a PostgreSQL database's contents with a `pg_dump` backup:
/// verify the file, refuse while a placeweave server is connected, keep
/// the current contents as a dump beside the backup, restore in one
/// transaction, then bring the schema up to date.
pub async fn restore_postgres(url: &str, from: &Path, now: i64) -> Result<RestoreReport> {
    let store = Store::open_as(url, crate::Open::Existing, "placeweave-restore").await?;
    let outcome = restore_into(&store, url, from, now).await;
    store.close().await;
    outcome
}

async fn restore_into(store: &Store, url: &str, from: &Path, now: i64) -> Result<RestoreReport> {
    let bytes = std::fs::metadata(from).map_err(io_error(from))?.len();
    let server = store.server_major().await?;
    let pg_restore = pg_tool("pg_restore", server)?;
    let schema_version = dump_schema_version(&pg_restore, from)?;
    #[derive(sqlx::FromRow)]
    struct Servers {
        n: i64,
    }
    let servers = store
        .exec()
        .one::<Servers>(Sql::new(format!(
            "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = '{SERVER_APPLICATION_NAME}'"
        )))
        .await?
        .n;
    if servers > 0 {
        return Err(StoreError::InUse(PathBuf::from(redact_url(url))));
    }
    let folder = match from.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // An empty database (new, never migrated) has nothing to keep.
    let previous = if has_migrations(store).await? {
        let previous = folder.join(format!("placeweave-before-restore-{now}.dump"));
        if let Err(err) = store.backup_to(&previous, url).await {
            let _ = std::fs::remove_file(&previous);
            return Err(err);
        }
        Some(previous)
    } else {
        None
    };
    let restored = restore_dump(store, url, &pg_restore, from).await;
    if restored.is_err() {
        // The restore ran in one transaction: the database is as it was,
        // and the copy kept of it is not needed.
        if let Some(previous) = &previous {
            let _ = std::fs::remove_file(previous);
        }
    }
    let (places, organisations) = restored?;
    Ok(RestoreReport {
        restored: BackupFacts {
            path: from.to_path_buf(),
            bytes,
            schema_version,
            places,
            organisations,
        },
        previous,
        schema_version: store.schema_version().await?,
    })
}

/// Whether the database holds placeweave's migrations table.
async fn has_migrations(store: &Store) -> Result<bool> {
    Ok(store
        .exec()
        .one::<crate::sql::Count>(Sql::new(
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
        ))
        .await?
        .n
        > 0)
}

/// Restores the dump in one transaction and brings the schema up to date;
/// the places and organisations it holds.
async fn restore_dump(
    store: &Store,
    url: &str,
    pg_restore: &Path,
    from: &Path,
) -> Result<(i64, i64)> {
    let from_arg = from.display().to_string();
    run_pg_tool(
        pg_restore,
        &[
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            &from_arg,
        ],
        url,
    )?;
    store.migrate().await?;
    Ok((
        count(store, "place").await?,
        count(store, "organisation").await?,
    ))
}

async fn count(store: &Store, table: &str) -> Result<i64> {
    Ok(store
        .exec()
        .one::<crate::sql::Count>(Sql::new(format!("SELECT COUNT(*) AS n FROM {table}")))
        .await?
        .n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn major_versions_are_read_from_tools_and_servers() {
        assert_eq!(
            major("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"),
            Some(15)
        );
        assert_eq!(major("15.18 (Debian 15.18-0+deb12u1)"), Some(15));
        assert_eq!(major("17devel"), Some(17));
        assert_eq!(major("nothing"), None);
    }

    #[test]
    fn passwords_go_to_the_environment() {
        assert_eq!(
            split_password("postgres://pw:secret@localhost:5432/db"),
            (
                "postgres://pw@localhost:5432/db".to_owned(),
                Some("secret".to_owned())
            )
        );
        assert_eq!(split_password("postgres://localhost/db").1, None);
    }
}
