//! `placeweave copy`: a SQLite database arrives in PostgreSQL whole and
//! verified, or not at all. Needs a PostgreSQL server, so these run in the
//! suite's PostgreSQL pass (`PLACEWEAVE_TEST_POSTGRES`).

use placeweave_domain::policy::AccountRole;
use placeweave_store::accounts::NewAccount;
use placeweave_store::copy::copy_sqlite_to_postgres;
use placeweave_store::privacy::AuditLine;
use placeweave_store::testing::{self, TempFolder};
use placeweave_store::{Store, StoreError, camden, synthetic};

/// The PostgreSQL server under test, or None on the SQLite pass.
fn postgres() -> Option<String> {
    std::env::var(testing::POSTGRES_ENV).ok()
}

/// A new, empty PostgreSQL database (not migrated: copy migrates it).
async fn empty_postgres(admin_url: &str) -> String {
    let name = format!("pw_copy_{:016x}", rand::random::<u64>());
    let admin = Store::connect(admin_url).await.expect("admin connection");
    let Store::Postgres(pool) = &admin else {
        panic!("not PostgreSQL")
    };
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(pool)
        .await
        .expect("create database");
    admin.close().await;
    match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => format!("{admin_url}/{name}"),
    }
}

/// A SQLite place with something in most tables: the Camden demo, a
/// synthetic place, an account with a session, a failed sign-in and audit
/// lines with text that needs care (quotes, accents, emoji, newlines).
async fn filled_sqlite(folder: &TempFolder) -> std::path::PathBuf {
    let path = folder.path().join("source.sqlite3");
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("source");
    store.migrate().await.expect("migrate");
    camden::ensure(&store).await.expect("camden");
    synthetic::generate(
        &store,
        &synthetic::Options {
            organisations: 300,
            seed: 7,
            place_slug: None,
        },
        &|_, _| {},
    )
    .await
    .expect("synthetic place");
    let mut tx = store.begin().await.expect("begin");
    let account = tx
        .insert_account(
            &NewAccount {
                email: "copy@example.invalid".into(),
                display_name: "Zoë O'Brien \"🙂\"\nsecond line".into(),
                role: AccountRole::Staff,
                place: None,
                organisation: None,
                password_hash: None,
                team: None,
            },
            1_700_000_000,
        )
        .await
        .expect("account");
    testing::commit(tx).await.expect("commit");
    store
        .insert_session("a-session-hash", account, 1_700_000_001)
        .await
        .expect("session");
    store
        .record_sign_in_failure("nobody@example.invalid", "192.0.2.1", 1_700_000_002)
        .await
        .expect("failure");
    for n in 0..50 {
        store
            .audit(
                &AuditLine {
                    actor: Some(account),
                    action: "copy-test",
                    record_type: "test",
                    record_id: Some(format!("{n}")),
                    detail: (n % 2 == 0).then(|| "déjà vu; 'quoted'".to_string()),
                },
                1_700_000_100 + n,
            )
            .await
            .expect("audit");
    }
    store.close().await;
    path
}

/// Every row of every table as text, sorted, read independently of the
/// copy's own digest code: SQLite stores booleans as 0/1, so PostgreSQL's
/// are read as integers. Each backend's own full-text index (SQLite's
/// FTS5 tables, PostgreSQL's generated `terms`) is derived, not copied.
async fn rows_as_text(store: &Store) -> Vec<(String, Vec<String>)> {
    let tables: Vec<String> = match store {
        Store::Sqlite(db) => sqlx::query_scalar(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&db.pool)
        .await
        .expect("tables"),
        Store::Postgres(pool) => sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '_sqlx_migrations' ORDER BY table_name",
        )
        .fetch_all(pool)
        .await
        .expect("tables"),
    };
    let mut out = Vec::new();
    for table in tables {
        let mut rows: Vec<String> = match store {
            Store::Sqlite(db) => {
                let columns: Vec<String> =
                    sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY name")
                        .bind(&table)
                        .fetch_all(&db.pool)
                        .await
                        .expect("columns");
                let list: Vec<String> = columns
                    .iter()
                    .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '<null>')"))
                    .collect();
                sqlx::query_scalar(&format!(
                    "SELECT {} FROM \"{table}\"",
                    list.join(" || char(31) || ")
                ))
                .fetch_all(&db.pool)
                .await
                .expect("rows")
            }
            Store::Postgres(pool) => {
                let columns: Vec<(String, String)> = sqlx::query_as(
                    "SELECT column_name::text, data_type::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 \
                     AND is_generated = 'NEVER' ORDER BY column_name",
                )
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("columns");
                let list: Vec<String> = columns
                    .iter()
                    .map(|(c, kind)| match kind.as_str() {
                        "boolean" => format!("COALESCE(\"{c}\"::int::text, '<null>')"),
                        _ => format!("COALESCE(\"{c}\"::text, '<null>')"),
                    })
                    .collect();
                sqlx::query_scalar(&format!(
                    "SELECT {} FROM \"{table}\"",
                    list.join(" || chr(31) || ")
                ))
                .fetch_all(pool)
                .await
                .expect("rows")
            }
        };
        rows.sort();
        out.push((table, rows));
    }
    out
}

async fn total_rows(url: &str) -> i64 {
    let store = Store::connect(url).await.expect("target");
    let mut total = 0;
    for (_, rows) in rows_as_text(&store).await {
        total += rows.len() as i64;
    }
    store.close().await;
    total
}

#[tokio::test]
async fn every_table_arrives_whole_and_new_rows_continue_after_the_copied_ids() {
    let Some(admin) = postgres() else { return };
    let folder = TempFolder::new().expect("folder");
    let source = filled_sqlite(&folder).await;
    let target = empty_postgres(&admin).await;

    let report = copy_sqlite_to_postgres(&source, &target)
        .await
        .expect("copy");
    assert!(report.rows() > 1_000, "{report:?}");

    let from = Store::connect(&format!("sqlite://{}", source.display()))
        .await
        .expect("source");
    let to = Store::connect(&target).await.expect("target");
    let expected = rows_as_text(&from).await;
    let arrived = rows_as_text(&to).await;
    assert_eq!(
        expected
            .iter()
            .map(|(t, r)| (t, r.len()))
            .collect::<Vec<_>>(),
        arrived
            .iter()
            .map(|(t, r)| (t, r.len()))
            .collect::<Vec<_>>(),
        "tables and row counts"
    );
    assert_eq!(expected, arrived, "content");
    // The report's counts are the source's.
    for table in &report.tables {
        let (_, rows) = expected
            .iter()
            .find(|(t, _)| *t == table.table)
            .expect("reported table exists");
        assert_eq!(rows.len() as u64, table.rows, "{}", table.table);
    }

    // The identity sequences continue after the copied ids.
    to.audit(
        &AuditLine {
            actor: None,
            action: "after-copy",
            record_type: "test",
            record_id: None,
            detail: None,
        },
        1_800_000_000,
    )
    .await
    .expect("a new row gets a fresh id");
    from.close().await;
    to.close().await;
}

#[tokio::test]
async fn a_target_that_holds_data_is_refused_and_left_as_it_was() {
    let Some(admin) = postgres() else { return };
    let folder = TempFolder::new().expect("folder");
    let source = filled_sqlite(&folder).await;
    let target = empty_postgres(&admin).await;
    copy_sqlite_to_postgres(&source, &target)
        .await
        .expect("first copy");
    let before = total_rows(&target).await;

    let again = copy_sqlite_to_postgres(&source, &target).await;
    assert!(
        matches!(&again, Err(StoreError::Copy(m)) if m.contains("already holds data")),
        "{again:?}"
    );
    assert_eq!(total_rows(&target).await, before);
}

#[tokio::test]
async fn a_value_that_cannot_arrive_leaves_the_target_empty() {
    let Some(admin) = postgres() else { return };
    let folder = TempFolder::new().expect("folder");
    let source = filled_sqlite(&folder).await;
    // SQLite keeps text in an integer column; PostgreSQL cannot. The bad
    // row is in the audit log, copied after most other tables.
    let store = Store::connect(&format!("sqlite://{}", source.display()))
        .await
        .expect("source");
    let Store::Sqlite(db) = &store else {
        panic!("not SQLite")
    };
    sqlx::query("DROP TRIGGER audit_event_no_update")
        .execute(&db.pool)
        .await
        .expect("drop trigger");
    sqlx::query(
        "UPDATE audit_event SET at = 'yesterday' WHERE id = (SELECT MAX(id) FROM audit_event)",
    )
    .execute(&db.pool)
    .await
    .expect("damage a row");
    store.close().await;
    // The file lock goes with the store itself.
    drop(store);
    let target = empty_postgres(&admin).await;

    let copied = copy_sqlite_to_postgres(&source, &target).await;
    let message = match copied {
        Err(StoreError::Copy(m)) => m,
        other => panic!("{other:?}"),
    };
    assert!(message.contains("audit_event.at"), "{message}");
    assert!(message.contains("nothing was copied"), "{message}");
    assert_eq!(total_rows(&target).await, 0, "nothing half-copied");
}

#[tokio::test]
async fn a_source_in_use_is_refused() {
    let Some(admin) = postgres() else { return };
    let folder = TempFolder::new().expect("folder");
    let source = filled_sqlite(&folder).await;
    let serving = Store::open(
        &format!("sqlite://{}", source.display()),
        placeweave_store::Open::Existing,
    )
    .await
    .expect("a server's store");
    let target = empty_postgres(&admin).await;
    let copied = copy_sqlite_to_postgres(&source, &target).await;
    assert!(matches!(copied, Err(StoreError::InUse(_))), "{copied:?}");
    serving.close().await;
}
