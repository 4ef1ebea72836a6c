//! Signing in and out, sessions, and accepting an invitation. The attempt
//! is counted before the password is checked, in one atomic step, so
//! concurrent guesses cannot all slip under the limit.

use placeweave_domain::account::{Account, normalise_email};
use placeweave_domain::{FieldError, Principal};
use placeweave_store::accounts::SignInLimits;
use placeweave_store::privacy::AuditLine;

use crate::password::{hash_password_bounded, verify_password_bounded};
use crate::token::{new_token, token_hash};
use crate::{App, AppError, Result, now};

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT: i64 = 30 * 60;
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT: i64 = 12 * 60 * 60;
/// Last-seen times are written at most this often, to spare the database.
const TOUCH_EVERY: i64 = 60;
/// Failed attempts allowed in the window for one email address from one
/// client. Counting per email alone let anyone lock a chosen person out
/// with five wrong passwords (issue 23): from one address, now, they lock
/// out only themselves.
pub const ATTEMPTS_PER_EMAIL_AND_CLIENT: i64 = 5;
/// …for one email address from all clients together: guessing spread over
/// many addresses still meets a limit, which takes twenty addresses to
/// reach.
pub const ATTEMPTS_PER_EMAIL: i64 = 100;
/// …and from one client, whatever the email addresses.
pub const ATTEMPTS_PER_CLIENT: i64 = 20;

/// The throttle's limits counting from `now`.
pub(crate) fn sign_in_limits(now: i64) -> SignInLimits {
    SignInLimits {
        per_email_and_client: ATTEMPTS_PER_EMAIL_AND_CLIENT,
        per_email: ATTEMPTS_PER_EMAIL,
        per_client: ATTEMPTS_PER_CLIENT,
        since: now - THROTTLE_WINDOW,
    }
}
/// The throttle's window, seconds.
pub const THROTTLE_WINDOW: i64 = 15 * 60;
/// Attempts (with the email and address they came from) are kept a day.
pub const FORGET_AFTER: i64 = 24 * 60 * 60;

/// How a sign-in ended.
#[derive(Debug)]
pub enum SignIn {
    /// A new session: the cookie's token (only its hash is stored).
    Signed { token: String, account: Account },
    /// Wrong email or password (which one is not said).
    Refused,
    /// Too many attempts: try again after this many seconds.
    Throttled { retry_after: i64 },
}

/// A live session's holder.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub display_name: String,
    /// The stored hash of the session id.
    pub id_hash: String,
}

impl App {
    /// Checks an email and password from `client` (an address, for the
    /// throttle); a session being replaced (`replacing`) ends, so a planted
    /// cookie is worthless.
    pub async fn sign_in(
        &self,
        email: &str,
        password: String,
        client: &str,
        replacing: Option<&str>,
    ) -> Result<SignIn> {
        let email = normalise_email(email).unwrap_or_else(|| email.trim().to_lowercase());
        let now = now();
        let limits = sign_in_limits(now);
        let Some(attempt) = self
            .store
            .admit_sign_in(&email, client, now, limits)
            .await?
        else {
            return Ok(SignIn::Throttled {
                retry_after: THROTTLE_WINDOW,
            });
        };
        let credentials = self.store.account_by_email(&email).await?;
        let hash = credentials
            .as_ref()
            .filter(|c| !c.account.disabled)
            .and_then(|c| c.password_hash.clone());
        let verified = verify_password_bounded(password, hash).await;
        let account = match (verified, credentials) {
            (true, Some(credentials)) => credentials.account,
            _ => {
                // The admitted attempt stays recorded: it is the failure.
                self.store
                    .forget_sign_in_failures(now - FORGET_AFTER)
                    .await?;
                return Ok(SignIn::Refused);
            }
        };
        self.store.sign_in_succeeded(attempt).await?;
        if let Some(old) = replacing {
            self.store.delete_session(old).await?;
        }
        let (token, hash) = new_token();
        self.store.insert_session(&hash, account.id, now).await?;
        self.audit_account(Some(account.id), "sign-in", account.id)
            .await?;
        Ok(SignIn::Signed { token, account })
    }

    /// The live session a cookie's token names, if any; an expired one ends.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        let hash = token_hash(token);
        let Some(session) = self.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = now();
        if now - session.last_seen_at > IDLE_TIMEOUT || now - session.created_at > ABSOLUTE_TIMEOUT
        {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        if now - session.last_seen_at > TOUCH_EVERY {
            self.store.touch_session(&hash, now).await?;
        }
        let account = session.account;
        Ok(Some(Session {
            principal: Principal::Account {
                id: account.id,
                role: account.role,
                place: session.place,
                organisation: account.organisation.map(|o| o.id),
            },
            display_name: account.display_name,
            id_hash: hash,
        }))
    }

    /// Ends a session.
    pub async fn sign_out(&self, session: &Session) -> Result<()> {
        self.store.delete_session(&session.id_hash).await?;
        if let Principal::Account { id, .. } = session.principal {
            self.audit_account(Some(id), "sign-out", id).await?;
        }
        Ok(())
    }

    /// The signed-in person's own account.
    pub async fn own_account(&self, principal: &Principal) -> Result<Account> {
        let Principal::Account { id, .. } = principal else {
            return Err(AppError::SignInRequired);
        };
        self.store.account(*id).await?.ok_or(AppError::NotFound)
    }

    /// The account an open invitation is for; a used, expired or unknown
    /// link is not found.
    pub async fn open_invite(&self, token: &str) -> Result<Account> {
        // A disabled account's links are as good as withdrawn.
        self.store
            .invite_is_open(&token_hash(token), now())
            .await?
            .filter(|account| !account.disabled)
            .ok_or(AppError::NotFound)
    }

    /// Sets the invited person's password (a new account's, or a reset);
    /// the link then stops working and any other session of the account ends.
    /// `check` is the new-password rule (length, the common-password list).
    pub async fn accept_invite(
        &self,
        token: &str,
        password: String,
        confirm: &str,
        check: impl Fn(&str) -> std::result::Result<(), FieldError>,
    ) -> Result<Account> {
        let account = self.open_invite(token).await?;
        if let Err(error) = check(&password) {
            return Err(AppError::Invalid(vec![error]));
        }
        if confirm != password {
            return Err(AppError::invalid("confirm", "The passwords do not match"));
        }
        let password_hash = hash_password_bounded(password)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let now = now();
        let mut tx = self.store.begin().await?;
        // Redeeming inside the transaction means a link works exactly once.
        if tx.redeem_invite(&token_hash(token), now).await? != Some(account.id) {
            return Err(AppError::NotFound);
        }
        tx.set_password_hash(account.id, &password_hash).await?;
        tx.end_sessions(account.id).await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: Some(account.id),
                    action: "accept-invite",
                    record_type: "account",
                    record_id: Some(account.id.to_string()),
                    detail: None,
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(account)
    }

    async fn audit_account(&self, actor: Option<i64>, action: &str, account: i64) -> Result<()> {
        self.store
            .audit(
                &AuditLine {
                    actor,
                    action,
                    record_type: "account",
                    record_id: Some(account.to_string()),
                    detail: None,
                },
                now(),
            )
            .await?;
        Ok(())
    }
}
