//! Storage faults as people meet them: a full disk is a clear "nothing was
//! changed" (507), and writes come back by themselves once there is space;
//! a database file deleted or replaced under the server refuses writes
//! instead of acknowledging them into a file no one will read.

mod common;

use common::*;
use placeweave_store::Store;
use sqlx::SqlitePool;

/// The SQLite pool under the test server; None on PostgreSQL, where these
/// faults cannot be provoked without root.
fn sqlite(app: &TestApp) -> Option<SqlitePool> {
    match &app.db.store {
        Store::Sqlite(db) => Some(db.pool.clone()),
        Store::Postgres(_) => None,
    }
}

/// Sets `PRAGMA max_page_count` on every connection the pool may hand out
/// (it is a per-connection setting): hold them all at once, set it on each.
async fn cap_pages(pool: &SqlitePool, pages: i64) {
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        let mut conn = pool.acquire().await.expect("connection");
        sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
            .execute(&mut *conn)
            .await
            .expect("pragma");
        held.push(conn);
    }
}

fn mission(name: &str) -> serde_json::Value {
    serde_json::json!({
        "short_name": name,
        // Large enough to need new pages in the file.
        "statement": "A mission statement that fills the page. ".repeat(110),
        "audience": "public",
    })
}

#[tokio::test]
async fn a_full_disk_answers_507_and_writes_resume_when_space_is_freed() {
    let (app, cookies) = camden_with_accounts().await;
    let Some(pool) = sqlite(&app) else {
        eprintln!("SQLite only: PostgreSQL's disk cannot be filled without root");
        return;
    };
    let staff = cookies[2].as_str();
    let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count")
        .fetch_one(&pool)
        .await
        .expect("page count");
    cap_pages(&pool, pages).await;

    // Free pages inside the file may take a few writes; then it is full.
    let mut full = None;
    for n in 0..40 {
        let reply = app
            .send_to(
                &app.base,
                reqwest::Method::POST,
                "/api/v1/places/camden/missions",
                Some(staff),
                Body::Json(&mission(&format!("Filling mission {n}"))),
            )
            .await;
        if reply.status == 507 {
            full = Some((n, reply));
            break;
        }
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let (n, reply) = full.expect("the capped file fills up");
    let problem: serde_json::Value = serde_json::from_str(&reply.body).expect("problem");
    assert_eq!(reply.header("content-type"), "application/problem+json");
    assert_eq!(problem["status"], 507);
    let detail = problem["detail"].as_str().expect("detail");
    assert!(
        detail.contains("Nothing was changed") && detail.contains("run out of storage space"),
        "{detail}"
    );
    let lost = format!("/api/v1/places/camden/missions/filling-mission-{n}");
    assert_eq!(app.get_as(None, &lost).await.status, 404);

    // A form gets the GOV.UK page saying the same. (Pages a rolled-back
    // write had found free may still take a smaller one: write until full.)
    let statement = "A statement that needs pages. ".repeat(150);
    let mut refused = None;
    for n in 0..40 {
        let name = format!("Page mission {n}");
        let page = app
            .post_as(
                Some(staff),
                "/missions/new",
                &[
                    ("short_name", name.as_str()),
                    ("statement", statement.as_str()),
                    ("audience", "public"),
                ],
            )
            .await;
        if page.status != 303 {
            refused = Some((n, page));
            break;
        }
    }
    let (n, page) = refused.expect("the form is refused once the file is full");
    assert_eq!(page.status, 507, "{}", page.body);
    assert!(page.body.contains("Sorry, we could not save this"));
    assert!(page.body.contains("Nothing was changed."));
    let lost = format!("/missions/page-mission-{n}");
    assert_eq!(app.get_as(None, &lost).await.status, 404);

    // Space is freed: every pooled connection takes writes again, without a
    // restart, including several at once.
    cap_pages(&pool, 1 << 30).await;
    let writes = (0..30).map(|i| {
        let app = &app;
        async move {
            app.send_to(
                &app.base,
                reqwest::Method::POST,
                "/api/v1/places/camden/missions",
                Some(staff),
                Body::Json(&mission(&format!("After space is freed {i}"))),
            )
            .await
        }
    });
    for reply in futures_util::future::join_all(writes).await {
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let health = app.get_as(None, "/healthz").await;
    assert_eq!(health.status, 200, "{}", health.body);
}

#[tokio::test]
async fn a_replaced_or_deleted_database_file_refuses_writes_and_says_so() {
    let (app, cookies) = camden_with_accounts().await;
    let Some(_) = sqlite(&app) else {
        eprintln!("SQLite only: a PostgreSQL server has no file to replace");
        return;
    };
    let staff = cookies[2].as_str();
    let folder = app.db.folder.as_ref().expect("a SQLite file's folder");
    let file = folder.path().join("test.sqlite3");
    let create = |name: &'static str| {
        let app = &app;
        async move {
            app.send_to(
                &app.base,
                reqwest::Method::POST,
                "/api/v1/places/camden/missions",
                Some(staff),
                Body::Json(&mission(name)),
            )
            .await
        }
    };
    assert_eq!(create("Before the copy").await.status, 200);

    // The mistaken "restore": another file copied over the database.
    let other = folder.path().join("other.sqlite3");
    std::fs::copy(&file, &other).expect("copy");
    std::fs::rename(&other, &file).expect("replace");
    let refused = create("Into the old file").await;
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(
        refused.body.contains("Nothing was changed"),
        "{}",
        refused.body
    );
    let health = app.get_as(None, "/healthz").await;
    assert_eq!(health.status, 503);
    let health: serde_json::Value = serde_json::from_str(&health.body).expect("json");
    assert_eq!(health["database"]["file"], "replaced");
    assert_eq!(health["database"]["writable"], false);

    // A sign-in writes too: refused the same way, nothing half-done.
    let page = app
        .post_as(
            Some(staff),
            "/missions/new",
            &[
                ("short_name", "Page mission"),
                ("statement", "Refused"),
                ("audience", "public"),
            ],
        )
        .await;
    assert_eq!(page.status, 503, "{}", page.body);
    assert!(page.body.contains("Sorry, we could not save this"));

    std::fs::remove_file(&file).expect("delete");
    assert_eq!(create("Into nothing").await.status, 503);
    let health: serde_json::Value =
        serde_json::from_str(&app.get_as(None, "/healthz").await.body).expect("json");
    assert_eq!(health["database"]["file"], "deleted");
    assert!(
        !file.exists(),
        "no pool connection may create a new, empty file"
    );
}
