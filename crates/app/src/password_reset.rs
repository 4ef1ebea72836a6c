//! "Forgotten your password?": a person asks, an administrator (or the
//! operator at the command line) issues a one-time link, and setting the
//! new password through it ends the account's other sessions. The link is
//! an invitation token (one-time, expiring, stored only as a hash). Emailing
//! it is for later: the administrator sends it.

use placeweave_domain::account::{Account, normalise_email};
use placeweave_domain::{Action, Resource};
use placeweave_store::privacy::AuditLine;

use crate::session::{FORGET_AFTER, THROTTLE_WINDOW};
use crate::token::new_token;
use crate::{AccountRef, App, AppError, Invitation, Operator, Result, now};

/// How long a reset link works, in hours.
pub const RESET_HOURS: i64 = 24;

/// How a request for a new password ended. Whether the account exists is
/// never said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetAsked {
    /// Noted (if there is such an account).
    Noted,
    /// Too many attempts: try again after this many seconds.
    Throttled { retry_after: i64 },
}

/// A waiting request, with its account.
#[derive(Debug, Clone)]
pub struct ResetRequest {
    pub account: Account,
    pub requested_at: i64,
}

impl App {
    /// Someone asks for a new password for `email`, from `client`. Each
    /// request counts against the sign-in throttle for the email and the
    /// client, so it cannot be used to probe for accounts faster than
    /// signing in could.
    pub async fn request_password_reset(&self, email: &str, client: &str) -> Result<ResetAsked> {
        let email = normalise_email(email).unwrap_or_else(|| email.trim().to_lowercase());
        let now = now();
        let limits = crate::session::sign_in_limits(now);
        if self
            .store
            .admit_sign_in(&email, client, now, limits)
            .await?
            .is_none()
        {
            return Ok(ResetAsked::Throttled {
                retry_after: THROTTLE_WINDOW,
            });
        }
        // The same work whether or not the account exists (a lookup, a
        // write transaction with an audit line), so that neither the page
        // nor the time it takes tells which addresses have accounts.
        let account = self
            .store
            .account_by_email(&email)
            .await?
            .filter(|found| !found.account.disabled)
            .map(|found| found.account.id);
        self.store
            .forget_sign_in_failures(now - FORGET_AFTER)
            .await?;
        let mut tx = self.store.begin().await?;
        if let Some(account) = account {
            tx.request_password_reset(account, now).await?;
        }
        let audited = tx
            .audit(
                &AuditLine {
                    actor: None,
                    action: "request-password-reset",
                    record_type: "account",
                    record_id: account.map(|id| id.to_string()),
                    detail: None,
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(ResetAsked::Noted)
    }

    /// The waiting requests, oldest first.
    pub async fn password_reset_requests(&self, by: Operator<'_>) -> Result<Vec<ResetRequest>> {
        by.require(Action::Read, Resource::Account)?;
        let mut out = Vec::new();
        for request in self.store.password_reset_requests().await? {
            if let Some(account) = self.store.account(request.account_id).await? {
                out.push(ResetRequest {
                    account,
                    requested_at: request.requested_at,
                });
            }
        }
        Ok(out)
    }

    /// Issues a one-time link to set a new password for an account (not a
    /// disabled one); earlier unused links for it stop working, and its
    /// request, if any, is answered.
    pub async fn issue_password_reset(
        &self,
        by: Operator<'_>,
        account: AccountRef<'_>,
    ) -> Result<Invitation> {
        by.require(Action::Update, Resource::Account)?;
        let found = self.find_account(account).await?;
        if found.disabled {
            return Err(AppError::invalid(
                "account",
                "This account is disabled: it cannot be given a new password",
            ));
        }
        let now = now();
        let (token, hash) = new_token();
        let mut tx = self.store.begin().await?;
        tx.withdraw_invites(found.id).await?;
        tx.insert_invite(&hash, found.id, now + RESET_HOURS * 60 * 60)
            .await?;
        tx.clear_password_reset_request(found.id).await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: by.actor(),
                    action: "issue-password-reset",
                    record_type: "account",
                    record_id: Some(found.id.to_string()),
                    detail: None,
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(Invitation {
            account: found.id,
            email: found.email,
            token,
        })
    }
}
