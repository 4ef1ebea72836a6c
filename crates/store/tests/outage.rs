//! A PostgreSQL server that stops under a running store: a write is told
//! within seconds that the database is unavailable (a 503 saying nothing
//! was changed), not a generic failure after sqlx's retries.

use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use placeweave_store::privacy::AuditLine;
use placeweave_store::testing;
use placeweave_store::{StorageFault, Store};

/// A TCP relay to the PostgreSQL server, so that a test can "stop the
/// server" for one store without stopping the suite's.
struct Relay {
    address: String,
    stopped: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(upstream: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        let stopped = Arc::new(AtomicBool::new(false));
        let streams = Arc::new(Mutex::new(Vec::<TcpStream>::new()));
        let (stop, kept) = (stopped.clone(), streams.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    // Dropping the listener refuses every later connection.
                    return;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let pairs = [
                    (client.try_clone(), server.try_clone()),
                    (server.try_clone(), client.try_clone()),
                ];
                if let Ok(mut kept) = kept.lock() {
                    kept.extend([client, server]);
                }
                for pair in pairs {
                    if let (Ok(mut from), Ok(mut to)) = pair {
                        std::thread::spawn(move || {
                            let _ = std::io::copy(&mut from, &mut to);
                            let _ = to.shutdown(Shutdown::Both);
                        });
                    }
                }
            }
        });
        Relay {
            address,
            stopped,
            streams,
        }
    }

    /// Closes every connection and refuses new ones, as a stopped server.
    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the switch.
        let _ = TcpStream::connect(&self.address);
        for stream in self.streams.lock().expect("streams").drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

/// `url` with its host and port replaced by `address`.
fn through(url: &str, address: &str) -> (String, String) {
    let at = url
        .rfind('@')
        .map_or(url.find("://").expect("a URL") + 3, |at| at + 1);
    let end = url[at..].find('/').map_or(url.len(), |slash| at + slash);
    (
        format!("{}{address}{}", &url[..at], &url[end..]),
        url[at..end].to_owned(),
    )
}

fn line() -> AuditLine<'static> {
    AuditLine {
        actor: None,
        action: "outage",
        record_type: "test",
        record_id: None,
        detail: None,
    }
}

#[tokio::test]
async fn writes_to_a_stopped_postgres_server_are_unavailable_within_seconds() {
    if testing::backend_name() != "postgres" {
        return; // a SQLite file has no server to stop
    }
    let db = testing::database().await.expect("database");
    let (_, upstream) = through(&db.url, "");
    let relay = Relay::start(upstream);
    let (url, _) = through(&db.url, &relay.address);
    let store = Store::connect(&url).await.expect("open through the relay");
    store
        .audit(&line(), 1)
        .await
        .expect("a write while it runs");
    relay.stop();
    for attempt in 0..2 {
        let started = Instant::now();
        let err = store
            .audit(&line(), 2)
            .await
            .expect_err("no server to write to");
        let took = started.elapsed();
        assert_eq!(
            err.storage_fault(),
            Some(StorageFault::Unavailable),
            "attempt {attempt}: {err}"
        );
        assert!(
            took < Duration::from_secs(5),
            "attempt {attempt} took {took:?}: {err}"
        );
        eprintln!("attempt {attempt}: refused in {took:?}: {err}");
    }
}
