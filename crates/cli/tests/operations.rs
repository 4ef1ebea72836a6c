//! The operator's view: a server killed mid-write, backups and restores
//! from the command line, a missing database, and background jobs shared
//! by two servers on one database.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use placeweave_store::testing::{self, TempFolder};

fn run_ok(args: &[&str]) -> String {
    let output = output_within_a_minute(placeweave().args(args));
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Rows of a one-column query, and the integrity check on SQLite.
fn query(url: &str, sql: &str) -> Vec<String> {
    runtime().block_on(async {
        let store = placeweave_store::Store::connect(url).await.expect("open");
        let rows: Vec<(String,)> = match &store {
            placeweave_store::Store::Sqlite(db) => sqlx::query_as(sql)
                .fetch_all(&db.pool)
                .await
                .expect("query"),
            placeweave_store::Store::Postgres(pool) => {
                sqlx::query_as(sql).fetch_all(pool).await.expect("query")
            }
        };
        store.close().await;
        rows.into_iter().map(|(v,)| v).collect()
    })
}

#[test]
fn serve_refuses_a_missing_database_and_creates_nothing() {
    let folder = TempFolder::new().expect("folder");
    let file = folder.path().join("missing.sqlite3");
    let url = format!("sqlite://{}", file.display());
    fails_with_one_line(
        placeweave().args(["serve", "--addr", "127.0.0.1:0", "--database-url", &url]),
        &format!("there is no database at {}", file.display()),
    );
    assert!(!file.exists());
}

/// A place to serve on the backend under test, with its URL.
fn served_place(orgs: &str) -> (testing::TestDatabase, String) {
    let db = runtime().block_on(testing::database()).expect("database");
    let url = db.url.clone();
    run_ok(&[
        "generate",
        "--orgs",
        orgs,
        "--place",
        "ops",
        "--database-url",
        &url,
    ]);
    (db, url)
}

#[test]
fn sigterm_stops_the_server_within_its_grace_period_whatever_clients_do() {
    use std::io::Write;
    let (_db, url) = served_place("20");
    let mut server = Server::start(&["--database-url", &url]);
    // Half a request, never finished: graceful shutdown alone would wait
    // for it for ever.
    let mut slow = std::net::TcpStream::connect(&server.address).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: placeweave.test\r\n")
        .expect("write");
    std::thread::sleep(Duration::from_millis(300));
    let took = server.terminate(Duration::from_secs(40));
    let grace = placeweave_web::SHUTDOWN_GRACE;
    assert!(
        took.is_some_and(|t| t < grace + Duration::from_secs(6)),
        "SIGTERM with a client mid-request: exited after {took:?} (grace {grace:?}):\n{}",
        server.log()
    );
}

#[test]
fn kill_9_during_concurrent_writes_loses_no_acknowledged_write() {
    // Five rounds fit CI; `PLACEWEAVE_CRASH_ROUNDS=30` for the figures in
    // BENCHMARKS.md.
    let rounds: usize = std::env::var("PLACEWEAVE_CRASH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    const WRITERS: usize = 8;
    let (_db, url) = served_place("20");
    let mut server = Server::start(&["--database-url", &url]);
    let cookie = staff_session(&server.address, &url);
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut restarts = Vec::new();
    for round in 0..rounds {
        let address = server.address.clone();
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (address, cookie, acknowledged) =
                    (address.clone(), cookie.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    for i in 0.. {
                        let name = format!("Crash round {round} writer {w} number {i}");
                        let body = format!(
                            r#"{{"short_name":"{name}","statement":"Written under kill -9.","audience":"public"}}"#
                        );
                        match request(
                            &address,
                            "POST",
                            "/api/v1/places/ops/missions",
                            Some(&cookie),
                            Some(("application/json", &body)),
                        ) {
                            Some((200, _)) => acknowledged.lock().expect("lock").push(name),
                            Some((status, response)) => {
                                panic!("{status} before the kill: {response}")
                            }
                            // The server is gone.
                            None => return,
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(400 + 150 * (round % 5) as u64));
        server.kill();
        for writer in writers {
            writer.join().expect("writer");
        }
        let started = Instant::now();
        server = Server::start(&["--database-url", &url]);
        restarts.push(started.elapsed());
        if url.starts_with("sqlite:") {
            assert_eq!(
                query(&url, "PRAGMA integrity_check"),
                vec!["ok".to_owned()],
                "round {round}"
            );
        }
    }
    drop(server);
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(
        acknowledged.len() > rounds * 10,
        "{} writes",
        acknowledged.len()
    );
    let stored: std::collections::HashSet<String> = query(&url, "SELECT short_name FROM mission")
        .into_iter()
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|n| !stored.contains(*n))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    if url.starts_with("sqlite:") {
        assert_eq!(query(&url, "PRAGMA integrity_check"), vec!["ok".to_owned()]);
    }
    eprintln!(
        "kill -9: {rounds} rounds, {WRITERS} writers, {} acknowledged writes, none lost; restarts took {restarts:?}",
        acknowledged.len()
    );
}

#[test]
fn backup_and_restore_from_the_command_line() {
    if testing::backend_name() != "sqlite" {
        return; // the PostgreSQL path is tested in the store's backup tests
    }
    let (db, url) = served_place("30");
    drop(db.store);
    let folder = TempFolder::new().expect("folder");
    let backup = folder.path().join("nightly.sqlite3");
    let backup_arg = backup.display().to_string();
    let server = Server::start(&["--database-url", &url]);
    let cookie = staff_session(&server.address, &url);
    let wrote = run_ok(&["backup", "--to", &backup_arg, "--database-url", &url]);
    assert!(
        wrote.contains("Wrote") && wrote.contains("30 organisations"),
        "{wrote}"
    );
    let body = r#"{"short_name":"After the backup","statement":"Not in it.","audience":"public"}"#;
    let (status, _) = request(
        &server.address,
        "POST",
        "/api/v1/places/ops/missions",
        Some(&cookie),
        Some(("application/json", body)),
    )
    .expect("write");
    assert_eq!(status, 200);
    fails_with_one_line(
        placeweave().args(["restore", "--from", &backup_arg, "--database-url", &url]),
        "is in use by another placeweave process",
    );
    server.kill();
    let restored = run_ok(&["restore", "--from", &backup_arg, "--database-url", &url]);
    assert!(
        restored.contains("Restored") && restored.contains("kept as"),
        "{restored}"
    );
    assert!(
        query(&url, "SELECT short_name FROM mission")
            .iter()
            .all(|n| n != "After the backup")
    );
    let server = Server::start(&["--database-url", &url]);
    let (status, health) = request(&server.address, "GET", "/healthz", None, None).expect("health");
    assert_eq!(status, 200, "{health}");
}

#[test]
fn two_servers_on_one_database_run_each_job_once_per_period() {
    if testing::backend_name() != "postgres" {
        return; // one server per SQLite file (tests/storage_faults.rs)
    }
    let (_db, url) = served_place("10");
    let folder = TempFolder::new().expect("folder");
    let backups = folder.path().join("backups");
    let backups_arg = backups.display().to_string();
    let args = [
        "--database-url",
        &url,
        "--housekeeping-every",
        "1s",
        "--backup-dir",
        &backups_arg,
        "--backup-every",
        "2s",
        "--keep",
        "100",
    ];
    let first = Server::start_with(&args, "info");
    let second = Server::start_with(&args, "info");
    std::thread::sleep(Duration::from_secs(7));
    let stopped = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let logs = [first.stop(), second.stop()];
    // (job, period) of each run a server logged, from both servers.
    let mut logged: Vec<(String, String)> = logs
        .iter()
        .flat_map(|log| log.lines())
        .filter(|l| l.contains("background job ran"))
        .filter_map(|l| {
            let field = |name: &str| {
                l.split(&format!(" {name}="))
                    .nth(1)?
                    .split(' ')
                    .next()
                    .map(|v| v.trim_matches('"').to_owned())
            };
            Some((field("job")?, field("period")?))
        })
        .collect();
    logged.sort();
    let logged_count = logged.len();
    logged.dedup();
    assert_eq!(
        logged.len(),
        logged_count,
        "no job ran twice for a period: {logs:?}"
    );
    // The runs recorded as finished, and those that finished well before
    // the servers were stopped (a run killed between recording its end and
    // logging it has no log line).
    let finished = query(
        &url,
        "SELECT job || ':' || CAST(period AS TEXT) FROM job_run WHERE outcome IS NOT NULL",
    );
    let settled = query(
        &url,
        &format!(
            "SELECT job || ':' || CAST(period AS TEXT) FROM job_run \
             WHERE outcome IS NOT NULL AND started_at < {}",
            stopped - 2
        ),
    );
    for (job, period) in &logged {
        assert!(
            finished.contains(&format!("{job}:{period}")),
            "{job} {period} was recorded"
        );
    }
    for run in &settled {
        let (job, period) = run.split_once(':').expect("job:period");
        assert!(
            logged.contains(&(job.to_owned(), period.to_owned())),
            "{run} ran on one of the servers: {logs:?}"
        );
    }
    for job in ["housekeeping", "backup"] {
        let runs = logged.iter().filter(|(j, _)| j == job).count();
        assert!(runs >= 2, "{job} ran in several periods: {logged:?}");
    }
    let runs = finished;
    let files = std::fs::read_dir(&backups)
        .expect("backups")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| !e.file_name().to_string_lossy().ends_with(".partial"))
        })
        .count();
    // A run killed between writing its file and recording its end has a
    // file and a row without an outcome.
    let finished = runs.iter().filter(|r| r.starts_with("backup:")).count();
    let claimed = query(&url, "SELECT job FROM job_run WHERE job = 'backup'").len();
    assert!(
        (finished..=claimed).contains(&files),
        "one backup file per backup run: {files} files, {finished} to {claimed} runs"
    );
}

#[test]
fn a_database_file_replaced_under_the_server_refuses_writes_and_logs_it() {
    if testing::backend_name() != "sqlite" {
        return; // a PostgreSQL server has no file to replace
    }
    let (db, url) = served_place("10");
    let file = db
        .folder
        .as_ref()
        .expect("a SQLite folder")
        .path()
        .join("test.sqlite3");
    let server = Server::start(&["--database-url", &url]);
    let cookie = staff_session(&server.address, &url);
    let create = |name: &str| {
        let body = format!(r#"{{"short_name":"{name}","statement":"S.","audience":"public"}}"#);
        request(
            &server.address,
            "POST",
            "/api/v1/places/ops/missions",
            Some(&cookie),
            Some(("application/json", &body)),
        )
        .expect("answer")
        .0
    };
    assert_eq!(create("Before"), 200);
    // The obvious, wrong way to restore a backup: copy a file over it.
    let copy = file.with_extension("copy");
    std::fs::copy(&file, &copy).expect("copy");
    std::fs::rename(&copy, &file).expect("replace");
    for n in 0..5 {
        assert_eq!(create(&format!("Refused {n}")), 503);
    }
    let log = server.stop();
    assert!(
        log.contains("refusing a write: the database file was replaced by another file"),
        "{log}"
    );
    let stored = query(&url, "SELECT short_name FROM mission");
    assert!(
        stored.iter().all(|n| !n.starts_with("Refused")),
        "{stored:?}"
    );
}

#[test]
fn copy_moves_a_sqlite_place_to_postgresql_and_serves_it() {
    if testing::backend_name() != "postgres" {
        return; // needs the PostgreSQL server of the suite's second pass
    }
    let folder = TempFolder::new().expect("folder");
    let source = format!("sqlite://{}", folder.path().join("small.sqlite3").display());
    run_ok(&[
        "generate",
        "--orgs",
        "40",
        "--place",
        "ops",
        "--database-url",
        &source,
    ]);
    // A migrated, empty PostgreSQL database, as an operator would create.
    let target = runtime().block_on(testing::database()).expect("database");
    let url = target.url.clone();
    let copied = run_ok(&["copy", "--from", &source, "--to", &url]);
    assert!(
        copied.contains("counts and content digests match"),
        "{copied}"
    );
    assert!(
        copied.lines().any(|l| l.starts_with("organisation ")),
        "{copied}"
    );
    assert_eq!(
        query(&url, "SELECT COUNT(*)::text FROM organisation"),
        vec!["40"]
    );
    fails_with_one_line(
        placeweave().args(["copy", "--from", &source, "--to", &url]),
        "already holds data",
    );
    fails_with_one_line(
        placeweave().args(["copy", "--from", &url, "--to", &source]),
        "give the SQLite database to copy as sqlite://PATH",
    );
    let server = Server::start(&["--database-url", &url]);
    let (status, page) =
        request(&server.address, "GET", "/organisations", None, None).expect("page");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Synthetic place"), "{page}");
}
