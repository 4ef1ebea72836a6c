//! Fresh, migrated databases for tests. With `PLACEWEAVE_TEST_POSTGRES` set to
//! a server's admin URL, each call creates a new PostgreSQL database on it;
//! otherwise a new SQLite file in a temporary folder. The test script runs the
//! whole suite once each way.

use std::path::{Path, PathBuf};

use rand::Rng;

use crate::Store;
use crate::error::Result;

pub const POSTGRES_ENV: &str = "PLACEWEAVE_TEST_POSTGRES";

/// A test database and what keeps it alive.
pub struct TestDatabase {
    pub store: Store,
    pub url: String,
    /// Holds the SQLite file's folder until the test ends.
    pub folder: Option<TempFolder>,
}

/// A temporary folder, removed when dropped.
#[derive(Debug)]
pub struct TempFolder(PathBuf);

impl TempFolder {
    pub fn new() -> std::io::Result<TempFolder> {
        let name = format!("placeweave-test-{:016x}", rand::random::<u64>());
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path)?;
        Ok(TempFolder(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Which backend the suite runs on this time.
pub fn backend_name() -> &'static str {
    if std::env::var(POSTGRES_ENV).is_ok() {
        "postgres"
    } else {
        "sqlite"
    }
}

/// A new, empty, migrated database on the backend under test.
pub async fn database() -> Result<TestDatabase> {
    match std::env::var(POSTGRES_ENV) {
        Ok(admin_url) => {
            let name = format!("pw_test_{:016x}", rand::thread_rng().r#gen::<u64>());
            let admin = Store::connect(&admin_url).await?;
            admin
                .exec()
                .execute(crate::sql::Sql::new(format!("CREATE DATABASE {name}")))
                .await?;
            admin.close().await;
            let url = match admin_url.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => format!("{admin_url}/{name}"),
            };
            let store = Store::connect(&url).await?;
            store.migrate().await?;
            Ok(TestDatabase {
                store,
                url,
                folder: None,
            })
        }
        Err(_) => {
            let folder = TempFolder::new().map_err(|e| crate::StoreError::Io {
                what: "a temporary folder".into(),
                source: e,
            })?;
            let url = format!("sqlite://{}", folder.path().join("test.sqlite3").display());
            let store = Store::connect(&url).await?;
            store.migrate().await?;
            Ok(TestDatabase {
                store,
                url,
                folder: Some(folder),
            })
        }
    }
}

/// Counts a write a test made with raw SQL, outside any store's
/// transaction, as a commit of this process: kept answers are then
/// checked against the data version again, as after any write.
pub fn raw_write_committed() {
    crate::write::committed();
}

/// Commits a test's fixture writes with the audit line every committed
/// write carries.
pub async fn commit(mut tx: crate::Tx) -> Result<()> {
    let audited = tx
        .audit(
            &crate::privacy::AuditLine {
                actor: None,
                action: "test-fixture",
                record_type: "test",
                record_id: None,
                detail: None,
            },
            0,
        )
        .await?;
    tx.commit(audited).await
}

/// Removes the demo place's demonstration enquiries, for tests that count
/// the enquiries and retention deletions they make themselves.
pub async fn forget_demonstration_enquiries(store: &crate::Store) -> Result<()> {
    let mut tx = store.begin().await?;
    tx.exec()
        .execute(crate::sql::sql!("DELETE FROM enquiry WHERE demonstration"))
        .await?;
    commit(tx).await
}

/// One page of organisations and how many match, as the directory shows
/// them (the store answers the two separately).
pub async fn listed(
    store: &Store,
    place: i64,
    viewer: placeweave_domain::Viewer,
    filter: &placeweave_domain::OrganisationFilter,
    page: placeweave_domain::PageRequest,
) -> Result<(
    Vec<placeweave_domain::organisation::OrganisationSummary>,
    i64,
)> {
    Ok((
        store.organisations(place, viewer, filter, page).await?,
        store.organisation_count(place, viewer, filter).await?,
    ))
}

/// A file of the shared real data used by import tests
/// (`shared/data/{relative}`): under `PLACEWEAVE_SHARED_DATA`, else in a
/// `shared/data` beside a folder above the working folder or this crate
/// (the checkout sits next to it), else in the machine's `/work/shared`.
pub fn shared_data(relative: &str) -> PathBuf {
    let here = std::env::current_dir().unwrap_or_default();
    let candidates: Vec<PathBuf> = std::env::var_os("PLACEWEAVE_SHARED_DATA")
        .map(PathBuf::from)
        .into_iter()
        .chain(here.ancestors().map(|a| a.join("shared/data")))
        .chain(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|a| a.join("shared/data")),
        )
        .chain([PathBuf::from("/work/shared/data")])
        .map(|folder| folder.join(relative))
        .collect();
    candidates
        .iter()
        .find(|path| path.is_file())
        .cloned()
        .unwrap_or_else(|| panic!("the shared data file is in none of {candidates:?}"))
}

#[cfg(test)]
#[derive(sqlx::FromRow)]
struct PlanRow {
    detail: String,
}

/// SQLite's plan for `statement`, a line a step (None on PostgreSQL), for
/// tests that a query finds its rows by the index meant for it. Without
/// statistics an empty database gets the plan a full place gets.
#[cfg(test)]
pub(crate) async fn sqlite_plan(
    store: &Store,
    mut statement: crate::sql::Sql,
) -> Option<Vec<String>> {
    if !matches!(store, Store::Sqlite(_)) {
        return None;
    }
    statement.text = format!("EXPLAIN QUERY PLAN {}", statement.text);
    let rows = store.exec().all::<PlanRow>(statement).await.expect("plan");
    Some(rows.into_iter().map(|row| row.detail).collect())
}
