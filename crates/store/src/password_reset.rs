//! Requests for a new password ("Forgotten your password?"), waiting for
//! an administrator to send a one-time link.

use sqlx::FromRow;

use crate::Store;
use crate::error::Result;
use crate::sql::sql;
use crate::write::Tx;

/// An account whose holder asked for a new password, and when.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ResetRequest {
    pub account_id: i64,
    pub requested_at: i64,
}

impl Store {
    /// Every waiting request, oldest first.
    pub async fn password_reset_requests(&self) -> Result<Vec<ResetRequest>> {
        self.exec()
            .all::<ResetRequest>(sql!(
                "SELECT account_id, requested_at FROM password_reset_request \
                 ORDER BY requested_at, account_id"
            ))
            .await
    }
}

impl Tx {
    /// Records (or renews) a request for the account.
    pub async fn request_password_reset(&mut self, account: i64, now: i64) -> Result<()> {
        self.exec()
            .execute(sql!(
                "INSERT INTO password_reset_request (account_id, requested_at) VALUES ($1, $2) \
                 ON CONFLICT (account_id) DO UPDATE SET requested_at = excluded.requested_at",
                account,
                now
            ))
            .await?;
        Ok(())
    }

    /// Removes the account's request (a link was sent); returns whether there was one.
    pub async fn clear_password_reset_request(&mut self, account: i64) -> Result<bool> {
        Ok(self
            .exec()
            .execute(sql!(
                "DELETE FROM password_reset_request WHERE account_id = $1",
                account
            ))
            .await?
            > 0)
    }

    /// Ends every session of the account (its password changed).
    pub async fn end_sessions(&mut self, account: i64) -> Result<u64> {
        self.exec()
            .execute(sql!("DELETE FROM session WHERE account_id = $1", account))
            .await
    }
}
