//! A request's deadline, carried to the database.
//!
//! A query that a client has given up on goes on running: dropping the
//! future does not stop SQLite's worker thread, and four such queries held
//! every connection of the pool (issue 23). The web layer runs each request
//! inside [`within`]; a SQLite connection taken from the pool inside it is
//! interrupted when the deadline passes, so it comes back to the pool.
//! Work outside a request (background jobs, command-line imports) has no
//! deadline. PostgreSQL's serving pool uses `statement_timeout` instead
//! ([`crate::Store::open_serving`]).

use std::future::Future;
use std::time::Instant;

use sqlx::SqliteConnection;

tokio::task_local! {
    static DEADLINE: Instant;
}

/// Runs `work` with `deadline` for every SQLite connection it takes.
pub async fn within<F: Future>(deadline: Instant, work: F) -> F::Output {
    DEADLINE.scope(deadline, work).await
}

/// The deadline of the work running now, if any.
pub fn current() -> Option<Instant> {
    DEADLINE.try_with(|deadline| *deadline).ok()
}

/// SQLite calls the handler about every this many virtual-machine steps:
/// often enough to stop within a millisecond, rare enough to cost nothing.
const STEPS_BETWEEN_CHECKS: i32 = 1000;

/// Gives a connection just taken from the pool the current deadline (or
/// none): a handler set for an earlier request is replaced.
pub(crate) async fn apply(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let deadline = current();
    let mut handle = conn.lock_handle().await?;
    match deadline {
        Some(deadline) => {
            handle.set_progress_handler(STEPS_BETWEEN_CHECKS, move || Instant::now() < deadline)
        }
        None => handle.remove_progress_handler(),
    }
    Ok(())
}
