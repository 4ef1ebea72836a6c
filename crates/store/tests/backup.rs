//! Backups taken while writers write, and restores: every write
//! acknowledged before a backup starts is in it; a restore verifies the
//! backup first, refuses while the database is in use, and keeps the file
//! it replaces.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use placeweave_store::backup::{restore_postgres, restore_sqlite, verify_sqlite_backup};
use placeweave_store::privacy::AuditLine;
use placeweave_store::testing::{self, TempFolder};
use placeweave_store::{Open, Store, StoreError};
use tokio::sync::Mutex;

/// Writers at work: the switch that stops them, the numbers whose write
/// was acknowledged, and their tasks.
type Writers = (
    Arc<AtomicBool>,
    Arc<Mutex<Vec<i64>>>,
    Vec<tokio::task::JoinHandle<()>>,
);

/// Writes audit lines numbered 0, 1, 2… until told to stop.
fn start_writers(store: &Store, writers: usize) -> Writers {
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let handles = (0..writers)
        .map(|w| {
            let (store, stop, acknowledged) = (store.clone(), stop.clone(), acknowledged.clone());
            tokio::spawn(async move {
                let mut n = w as i64;
                while !stop.load(Ordering::Relaxed) {
                    let line = AuditLine {
                        actor: None,
                        action: "load",
                        record_type: "test",
                        record_id: Some(n.to_string()),
                        detail: None,
                    };
                    if store.audit(&line, n).await.is_ok() {
                        acknowledged.lock().await.push(n);
                    }
                    n += writers as i64;
                }
            })
        })
        .collect();
    (stop, acknowledged, handles)
}

async fn loaded_ids(store: &Store) -> Vec<i64> {
    let rows: Vec<(Option<String>,)> = match store {
        Store::Sqlite(db) => {
            sqlx::query_as("SELECT record_id FROM audit_event WHERE action = 'load' ORDER BY id")
                .fetch_all(&db.pool)
                .await
                .expect("ids")
        }
        Store::Postgres(pool) => {
            sqlx::query_as("SELECT record_id FROM audit_event WHERE action = 'load' ORDER BY id")
                .fetch_all(pool)
                .await
                .expect("ids")
        }
    };
    let mut ids: Vec<i64> = rows
        .into_iter()
        .filter_map(|(id,)| id.and_then(|id| id.parse().ok()))
        .collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_backup_under_write_load_holds_every_acknowledged_write_and_restores() {
    let db = testing::database().await.expect("database");
    let folder = TempFolder::new().expect("folder");
    let (stop, acknowledged, writers) = start_writers(&db.store, 4);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before: Vec<i64> = acknowledged.lock().await.clone();
    let backup = folder.path().join("backup");
    let facts = db.store.backup_to(&backup, &db.url).await.expect("backup");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("writer");
    }
    let during = acknowledged.lock().await.len();
    assert!(before.len() > 10, "writers wrote: {}", before.len());
    assert!(during > before.len(), "writes went on during the backup");
    assert!(facts.bytes > 0);
    assert!(
        matches!(db.store.backup_to(&backup, &db.url).await, Err(StoreError::Backup(m)) if m.contains("already exists")),
        "a backup never overwrites a file"
    );

    match sqlite_file(&db.store) {
        Some(file) => {
            // Restoring under a running server is refused, and changes nothing.
            assert!(matches!(
                restore_sqlite(&file, &backup, 1).await,
                Err(StoreError::InUse(_))
            ));
            let all = loaded_ids(&db.store).await;
            db.store.close().await;
            let TestDatabaseParts { folder: _keep } = take(db);
            let report = restore_sqlite(&file, &backup, 2).await.expect("restore");
            let previous = report.previous.expect("the replaced file is kept");
            let old = Store::open(&format!("sqlite://{}", previous.display()), Open::Existing)
                .await
                .expect("previous");
            assert_eq!(
                loaded_ids(&old).await,
                all,
                "the previous file lost nothing"
            );
            old.close().await;
            drop(old);
            let restored = Store::open(&format!("sqlite://{}", file.display()), Open::Existing)
                .await
                .expect("restored");
            let ids = loaded_ids(&restored).await;
            for n in &before {
                assert!(
                    ids.binary_search(n).is_ok(),
                    "write {n} acknowledged before the backup"
                );
            }
            assert!(ids.len() < all.len(), "later writes are not in the backup");
            restored.close().await;
        }
        None => {
            // A serving connection refuses the restore.
            let server = Store::open(&db.url, Open::Existing).await.expect("server");
            assert!(matches!(
                restore_postgres(&db.url, &backup, 1).await,
                Err(StoreError::InUse(_))
            ));
            server.close().await;
            db.store.close().await;
            let report = restore_postgres(&db.url, &backup, 2)
                .await
                .expect("restore");
            assert!(report.previous.expect("kept").exists());
            let restored = Store::connect(&db.url).await.expect("restored");
            let ids = loaded_ids(&restored).await;
            for n in &before {
                assert!(
                    ids.binary_search(n).is_ok(),
                    "write {n} acknowledged before the backup"
                );
            }
            restored.close().await;
        }
    }
}

fn sqlite_file(store: &Store) -> Option<std::path::PathBuf> {
    match store {
        Store::Sqlite(sqlite) => sqlite.file.as_ref().map(|f| f.path().to_path_buf()),
        Store::Postgres(_) => None,
    }
}

struct TestDatabaseParts {
    folder: Option<TempFolder>,
}

/// Drops a test database's store (and with it the file's lock), keeping
/// its folder.
fn take(db: testing::TestDatabase) -> TestDatabaseParts {
    TestDatabaseParts { folder: db.folder }
}

#[tokio::test]
async fn a_damaged_or_newer_backup_is_refused_before_anything_changes() {
    if testing::backend_name() != "sqlite" {
        return;
    }
    let db = testing::database().await.expect("database");
    let folder = TempFolder::new().expect("folder");
    let file = sqlite_file(&db.store).expect("a SQLite file");
    let good = folder.path().join("good.sqlite3");
    db.store.backup_to(&good, &db.url).await.expect("backup");
    db.store.close().await;
    let _keep = take(db);
    let before = std::fs::read(&file).expect("database");

    let garbage = folder.path().join("garbage.sqlite3");
    std::fs::write(&garbage, b"not a database at all").expect("write");
    let err = restore_sqlite(&file, &garbage, 1)
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("nothing was changed"), "{err}");

    // Damaged: one page of the file overwritten.
    let damaged = folder.path().join("damaged.sqlite3");
    let mut bytes = std::fs::read(&good).expect("read");
    let page = 4096;
    for b in bytes.iter_mut().skip(page).take(4096) {
        *b = 0x5a;
    }
    std::fs::write(&damaged, &bytes).expect("write");
    assert!(restore_sqlite(&file, &damaged, 1).await.is_err());

    // Made by a newer placeweave.
    let newer = folder.path().join("newer.sqlite3");
    std::fs::copy(&good, &newer).expect("copy");
    {
        let store = Store::open(&format!("sqlite://{}", newer.display()), Open::Existing)
            .await
            .expect("open");
        if let Store::Sqlite(sqlite) = &store {
            sqlx::query(
                "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                 VALUES (999, 'future', TRUE, x'00', 0)",
            )
            .execute(&sqlite.pool)
            .await
            .expect("insert");
        }
        store.close().await;
    }
    let err = restore_sqlite(&file, &newer, 1).await.expect_err("refused");
    assert!(err.to_string().contains("newer placeweave"), "{err}");

    assert_eq!(
        std::fs::read(&file).expect("database"),
        before,
        "nothing changed"
    );
    let verified = verify_sqlite_backup(&good)
        .await
        .expect("the good one verifies");
    assert!(verified.schema_version >= 4);
}

#[tokio::test]
async fn the_wal_is_bounded_and_a_checkpoint_empties_it() {
    let db = testing::database().await.expect("database");
    let Some(file) = sqlite_file(&db.store) else {
        return; // PostgreSQL manages its own write-ahead log
    };
    let Store::Sqlite(sqlite) = &db.store else {
        return;
    };
    let (limit,): (i64,) = sqlx::query_as("PRAGMA journal_size_limit")
        .fetch_one(&sqlite.pool)
        .await
        .expect("pragma");
    assert_eq!(limit as u64, placeweave_store::WAL_SIZE_LIMIT);
    let detail = "x".repeat(64 * 1024);
    for n in 0..200 {
        let line = AuditLine {
            actor: None,
            action: "bulk",
            record_type: "test",
            record_id: None,
            detail: Some(detail.clone()),
        };
        db.store.audit(&line, n).await.expect("write");
    }
    let wal = {
        let mut name = file.clone().into_os_string();
        name.push("-wal");
        std::path::PathBuf::from(name)
    };
    let grown = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    db.store.checkpoint().await.expect("checkpoint");
    let after = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(grown > 0, "the writes went through the WAL");
    assert_eq!(after, 0, "the WAL was {grown} bytes, then truncated");
}

#[tokio::test]
async fn a_postgres_backup_restores_into_a_new_empty_database_and_leaves_no_dump() {
    let Ok(admin_url) = std::env::var(testing::POSTGRES_ENV) else {
        return; // the SQLite path is tested above
    };
    let db = testing::database().await.expect("database");
    db.store
        .audit(
            &AuditLine {
                actor: None,
                action: "before-backup",
                record_type: "test",
                record_id: None,
                detail: None,
            },
            1,
        )
        .await
        .expect("write");
    let folder = TempFolder::new().expect("folder");
    let backup = folder.path().join("nightly.dump");
    db.store.backup_to(&backup, &db.url).await.expect("backup");
    // A new database, as an operator creates one: not migrated.
    let name = format!("pw_test_{:016x}", rand_name());
    let admin = Store::connect(&admin_url).await.expect("admin");
    match &admin {
        Store::Postgres(pool) => sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(pool)
            .await
            .expect("create"),
        Store::Sqlite(_) => unreachable!(),
    };
    admin.close().await;
    let (server, _) = admin_url.rsplit_once('/').expect("a URL with a database");
    let empty = format!("{server}/{name}");
    let report = restore_postgres(&empty, &backup, 7)
        .await
        .expect("restored into the empty database");
    assert!(report.previous.is_none(), "nothing to keep: {report:?}");
    let restored = Store::connect(&empty).await.expect("open");
    let lines: Vec<(String,)> = match &restored {
        Store::Postgres(pool) => {
            sqlx::query_as("SELECT action FROM audit_event WHERE action = 'before-backup'")
                .fetch_all(pool)
                .await
                .expect("read")
        }
        Store::Sqlite(_) => unreachable!(),
    };
    assert_eq!(lines.len(), 1);
    restored.close().await;
    let left: Vec<String> = std::fs::read_dir(folder.path())
        .expect("folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("before-restore"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

fn rand_name() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    hasher.finish()
}
