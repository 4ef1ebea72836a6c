//! No request can hold the database: work past its deadline is stopped
//! (SQLite by its progress handler, PostgreSQL by `statement_timeout`) and
//! its connection comes back to the pool, even when the request that
//! started it has gone away (issue 23, item 2).

use std::time::{Duration, Instant};

use placeweave_store::testing::database;
use placeweave_store::{Open, StorageFault, Store, StoreError, deadline};

/// A statement that never ends by itself.
fn endless(store: &Store) -> &'static str {
    match store {
        Store::Sqlite(_) => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        }
        Store::Postgres(_) => "SELECT pg_sleep(3600)::text",
    }
}

async fn run(store: &Store, sql: &str) -> Result<(), StoreError> {
    match store {
        Store::Sqlite(db) => sqlx::query(sql).execute(&db.pool).await.map(drop),
        Store::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(drop),
    }
    .map_err(StoreError::Database)
}

const LIMIT: Duration = Duration::from_millis(400);

async fn serving() -> (placeweave_store::testing::TestDatabase, Store) {
    let db = database().await.expect("database");
    let store = Store::open_serving(&db.url, Open::Existing, LIMIT)
        .await
        .expect("serving store");
    (db, store)
}

#[tokio::test]
async fn work_past_its_deadline_is_stopped_as_too_slow() {
    let (_db, store) = serving().await;
    let started = Instant::now();
    let err = deadline::within(Instant::now() + LIMIT, run(&store, endless(&store)))
        .await
        .expect_err("an endless statement cannot succeed");
    assert_eq!(err.storage_fault(), Some(StorageFault::TooSlow), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn abandoned_work_gives_every_connection_back() {
    let (_db, store) = serving().await;
    // More abandoned requests than the pool has connections, each dropped
    // by its client while its statement runs.
    let mut abandoned = Vec::new();
    for _ in 0..12 {
        let store = store.clone();
        abandoned.push(tokio::spawn(async move {
            let sql = endless(&store);
            deadline::within(Instant::now() + LIMIT, run(&store, sql)).await
        }));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    for task in &abandoned {
        task.abort();
    }
    let started = Instant::now();
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        deadline::within(Instant::now() + Duration::from_secs(30), async {
            run(&store, "SELECT 1").await
        }),
    )
    .await;
    assert!(
        matches!(answer, Ok(Ok(()))),
        "a new request got no connection: {answer:?} after {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn work_outside_a_request_keeps_no_earlier_deadline() {
    let (_db, store) = serving().await;
    // Every connection serves a request whose deadline then passes.
    let mut requests = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        requests.push(tokio::spawn(async move {
            deadline::within(Instant::now() + LIMIT, run(&store, "SELECT 1")).await
        }));
    }
    for request in requests {
        request.await.expect("task").expect("request");
    }
    tokio::time::sleep(LIMIT + Duration::from_millis(100)).await;
    // Background jobs and imports run without a deadline, on the same
    // connections: a statement of many steps still finishes.
    let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) \
               SELECT count(*) FROM c";
    for _ in 0..8 {
        run(&store, sql)
            .await
            .expect("no deadline outside a request");
    }
}
