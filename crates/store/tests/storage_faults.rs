//! A damaged database file and a disk about to fill: `serve`'s start-up
//! check refuses the first, naming the restore, and the store's health
//! (`/healthz`) reports both.

use placeweave_store::testing::{self, TempFolder};
use placeweave_store::{Open, Store, StoreError};

/// A SQLite database of a few hundred pages, closed, and its file.
async fn filled_file() -> (TempFolder, std::path::PathBuf, String) {
    let db = testing::database().await.expect("database");
    let Store::Sqlite(sqlite) = &db.store else {
        panic!("SQLite only");
    };
    sqlx::query("CREATE TABLE filler (n INTEGER, x TEXT)")
        .execute(&sqlite.pool)
        .await
        .expect("table");
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600) \
         INSERT INTO filler SELECT i, hex(randomblob(500)) FROM n",
    )
    .execute(&sqlite.pool)
    .await
    .expect("rows");
    db.store.checkpoint().await.expect("checkpoint");
    db.store.close().await;
    let folder = db.folder.expect("a folder");
    let file = folder.path().join("test.sqlite3");
    (folder, file, db.url)
}

/// Overwrites eight pages in the middle of the file.
fn damage(file: &std::path::Path) {
    let mut bytes = std::fs::read(file).expect("read");
    let page = 4096;
    let middle = (bytes.len() / 2 / page) * page;
    assert!(bytes.len() > 40 * page, "{} bytes", bytes.len());
    for b in bytes.iter_mut().skip(middle).take(8 * page) {
        *b = 0x5a;
    }
    std::fs::write(file, &bytes).expect("write");
}

#[tokio::test]
async fn the_start_up_check_refuses_a_damaged_file_naming_the_restore() {
    if testing::backend_name() != "sqlite" {
        return; // a PostgreSQL server checks its own pages
    }
    let (_folder, file, url) = filled_file().await;
    let store = Store::open(&url, Open::Existing).await.expect("open");
    store.quick_check().await.expect("an intact file passes");
    store.close().await;
    drop(store);

    damage(&file);
    let store = Store::open(&url, Open::Existing)
        .await
        .expect("its first page is intact");
    let err = store.quick_check().await.expect_err("refused");
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains(&format!(
            "placeweave restore --from BACKUP --database-url sqlite://{}",
            file.display()
        )),
        "{message}"
    );
}

#[tokio::test]
async fn health_reports_a_database_that_cannot_be_read() {
    if testing::backend_name() != "sqlite" {
        return;
    }
    let (_folder, file, url) = filled_file().await;
    damage(&file);
    let store = Store::open(&url, Open::Existing).await.expect("open");
    let Store::Sqlite(sqlite) = &store else {
        unreachable!()
    };
    // What a page does: read, and meet the malformed pages.
    let read: Result<Vec<(String,)>, StoreError> = sqlx::query_as("SELECT x FROM filler")
        .fetch_all(&sqlite.pool)
        .await
        .map_err(StoreError::from);
    let err = read.expect_err("malformed pages");
    assert!(err.is_damage(), "{err}");
    let health = store.health().await;
    assert!(!health.ok(), "{health:?}");
    assert!(
        health
            .reachable
            .as_deref()
            .is_some_and(|r| r.contains("damaged")),
        "{health:?}"
    );
}

#[tokio::test]
async fn health_reports_unwritable_when_free_space_is_below_the_minimum() {
    if testing::backend_name() != "sqlite" {
        return; // PostgreSQL's disk is the server's
    }
    let db = testing::database().await.expect("database");
    let Store::Sqlite(sqlite) = &db.store else {
        unreachable!()
    };
    let file = sqlite.file.as_ref().expect("a file");
    assert!(db.store.health().await.ok());
    // No disk has this much free: as a full one, the write probe would
    // still succeed in WAL pages already allocated.
    file.set_min_free_bytes(u64::MAX);
    let health = db.store.health().await;
    assert!(!health.ok(), "{health:?}");
    assert!(
        health
            .writable
            .as_deref()
            .is_some_and(|w| w.contains("free")),
        "{health:?}"
    );
    assert!(health.reachable.is_none(), "{health:?}");
    file.set_min_free_bytes(0);
    assert!(db.store.health().await.ok());
}
