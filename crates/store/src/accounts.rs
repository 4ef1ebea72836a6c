//! Accounts, sessions, invitations and sign-in throttling.

use placeweave_domain::account::Account;
use placeweave_domain::place::RecordRef;
use placeweave_domain::policy::AccountRole;
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::sql::{Count, Id, Sql, sql};
use crate::write::Tx;

#[derive(FromRow)]
struct AccountRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    organisation_slug: Option<String>,
    organisation_name: Option<String>,
    password_hash: Option<String>,
    disabled: bool,
    team: Option<String>,
}

const ACCOUNT_COLUMNS: &str = "SELECT a.id, a.email, a.display_name, a.role, \
     o.slug AS organisation_slug, o.name AS organisation_name, a.password_hash, a.disabled, a.team \
     FROM account a LEFT JOIN organisation o ON o.id = a.organisation_id";

/// An account with its password hash, for signing in.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub account: Account,
    pub password_hash: Option<String>,
}

fn account_from(row: AccountRow) -> Result<Credentials> {
    let role = AccountRole::parse(&row.role).ok_or_else(|| StoreError::Corrupt {
        column: "account.role",
        value: row.role.clone(),
    })?;
    Ok(Credentials {
        account: Account {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            role,
            organisation: row
                .organisation_slug
                .zip(row.organisation_name)
                .map(|(id, name)| RecordRef { id, name }),
            disabled: row.disabled,
            team: row.team,
            active: row.password_hash.is_some(),
        },
        password_hash: row.password_hash,
    })
}

/// A new account; `organisation` is a partner's organisation slug in `place`.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub role: AccountRole,
    pub place: Option<i64>,
    pub organisation: Option<String>,
    pub password_hash: Option<String>,
    /// A staff account's team.
    pub team: Option<String>,
}

/// A signed-in session as loaded.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub account: Account,
    /// The place the account acts in (a partner's organisation's place).
    pub place: Option<i64>,
    pub created_at: i64,
    pub last_seen_at: i64,
}

#[derive(FromRow)]
struct SessionTimes {
    account_id: i64,
    created_at: i64,
    last_seen_at: i64,
}

#[derive(FromRow)]
struct InviteAccount {
    account_id: i64,
}

#[derive(FromRow)]
struct AttemptCounts {
    by_email: i64,
    by_email_and_client: i64,
    by_client: i64,
}

/// What refuses a database's writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotWritable {
    /// The SQLite file itself is read-only (or opened read-only).
    File,
    /// The SQLite file's folder is read-only, so its WAL files cannot be made.
    Folder,
    /// A PostgreSQL server or transaction that only reads.
    Database,
}

/// Whether an error says the database refuses writes, and why.
pub fn not_writable(err: &StoreError) -> Option<NotWritable> {
    let sqlx_error = match err {
        StoreError::Database(e) | StoreError::Connect { source: e, .. } => e,
        StoreError::Migrate(sqlx::migrate::MigrateError::Execute(e)) => e,
        StoreError::Migrate(sqlx::migrate::MigrateError::ExecuteMigration(e, _)) => e,
        // The lock file beside the database could not be made.
        StoreError::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
            return Some(NotWritable::Folder);
        }
        _ => return None,
    };
    let sqlx::Error::Database(db) = sqlx_error else {
        return None;
    };
    let code = db.code()?;
    match code.as_ref() {
        // SQLITE_READONLY_DIRECTORY
        "1544" => Some(NotWritable::Folder),
        // PostgreSQL's read_only_sql_transaction
        "25006" => Some(NotWritable::Database),
        // SQLITE_READONLY and its other extended codes.
        other => other
            .parse::<i32>()
            .ok()
            .filter(|c| c & 0xff == 8)
            .map(|_| NotWritable::File),
    }
}

#[derive(FromRow)]
struct UserVersion {
    user_version: i64,
}

/// How many sign-in attempts the throttle lets through, and since when.
#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    /// Failures for one email from one client.
    pub per_email_and_client: i64,
    /// Failures for one email from every client together.
    pub per_email: i64,
    pub per_client: i64,
    /// Attempts at or before this time no longer count.
    pub since: i64,
}

impl Tx {
    pub async fn insert_account(&mut self, new: &NewAccount, now: i64) -> Result<i64> {
        let organisation_id = match (&new.organisation, new.place) {
            // An organisation is only found within its place: without one,
            // the account would silently be made with no organisation.
            (Some(slug), None) => {
                return Err(StoreError::Missing(format!(
                    "place to find organisation \"{slug}\" in"
                )));
            }
            (Some(slug), Some(place)) => Some(
                self.exec()
                    .optional::<Id>(sql!(
                        "SELECT id FROM organisation WHERE place_id = $1 AND slug = $2",
                        place,
                        slug.as_str()
                    ))
                    .await?
                    .ok_or_else(|| StoreError::Missing(format!("organisation \"{slug}\"")))?
                    .id,
            ),
            _ => None,
        };
        let sql = sql!(
            "INSERT INTO account (email, display_name, role, organisation_id, password_hash, \
             created_at, team) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            new.email.as_str(),
            new.display_name.as_str(),
            new.role.as_str(),
            organisation_id,
            new.password_hash.clone(),
            now,
            new.team.clone(),
        );
        self.exec()
            .one::<Id>(sql)
            .await
            .map(|r| r.id)
            .map_err(|e| crate::write::duplicate(e, || format!("an account for {}", new.email)))
    }

    pub async fn insert_invite(
        &mut self,
        token_hash: &str,
        account: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.exec()
            .execute(sql!(
                "INSERT INTO invite (token_hash, account_id, expires_at) VALUES ($1, $2, $3)",
                token_hash,
                account,
                expires_at
            ))
            .await?;
        Ok(())
    }

    /// Uses an unexpired, unused invitation; returns its account.
    pub async fn redeem_invite(&mut self, token_hash: &str, now: i64) -> Result<Option<i64>> {
        Ok(self
            .exec()
            .optional::<InviteAccount>(sql!(
                "UPDATE invite SET used_at = $2 \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING account_id",
                token_hash,
                now
            ))
            .await?
            .map(|r| r.account_id))
    }

    /// Withdraws an account's unused invitations; returns how many.
    pub async fn withdraw_invites(&mut self, account: i64) -> Result<u64> {
        self.exec()
            .execute(sql!(
                "DELETE FROM invite WHERE account_id = $1 AND used_at IS NULL",
                account
            ))
            .await
    }

    /// Removes an account's password: it can sign in again only after
    /// setting a new one through an invitation.
    pub async fn clear_password(&mut self, account: i64) -> Result<()> {
        self.exec()
            .execute(sql!(
                "UPDATE account SET password_hash = NULL WHERE id = $1",
                account
            ))
            .await?;
        Ok(())
    }

    pub async fn set_password_hash(&mut self, account: i64, hash: &str) -> Result<()> {
        self.exec()
            .execute(sql!(
                "UPDATE account SET password_hash = $2 WHERE id = $1",
                account,
                hash
            ))
            .await?;
        Ok(())
    }

    /// Disables an account and ends its sessions.
    /// Sets (or clears) an account's team; false if there is no such account.
    pub async fn set_account_team(&mut self, account: i64, team: Option<String>) -> Result<bool> {
        let changed = self
            .exec()
            .execute(sql!(
                "UPDATE account SET team = $2 WHERE id = $1",
                account,
                team
            ))
            .await?;
        Ok(changed > 0)
    }

    pub async fn disable_account(&mut self, account: i64) -> Result<bool> {
        let changed = self
            .exec()
            .execute(sql!(
                "UPDATE account SET disabled = TRUE WHERE id = $1",
                account
            ))
            .await?;
        self.exec()
            .execute(sql!("DELETE FROM session WHERE account_id = $1", account))
            .await?;
        // Its open links and any request for one go with it.
        self.withdraw_invites(account).await?;
        self.clear_password_reset_request(account).await?;
        Ok(changed > 0)
    }
}

impl Store {
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Credentials>> {
        let sql = sql!(format!("{ACCOUNT_COLUMNS} WHERE a.email = $1"), email);
        self.exec()
            .optional::<AccountRow>(sql)
            .await?
            .map(account_from)
            .transpose()
    }

    pub async fn account(&self, id: i64) -> Result<Option<Account>> {
        let sql = sql!(format!("{ACCOUNT_COLUMNS} WHERE a.id = $1"), id);
        Ok(self
            .exec()
            .optional::<AccountRow>(sql)
            .await?
            .map(account_from)
            .transpose()?
            .map(|c| c.account))
    }

    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let sql = sql!(format!("{ACCOUNT_COLUMNS} ORDER BY a.email"));
        self.exec()
            .all::<AccountRow>(sql)
            .await?
            .into_iter()
            .map(|r| account_from(r).map(|c| c.account))
            .collect()
    }

    pub async fn insert_session(&self, id_hash: &str, account: i64, now: i64) -> Result<()> {
        self.exec()
            .execute(sql!(
                "INSERT INTO session (id_hash, account_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)",
                id_hash,
                account,
                now
            ))
            .await?;
        Ok(())
    }

    /// The session and its (enabled) account, if the session exists.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRecord>> {
        let Some(times) = self
            .exec()
            .optional::<SessionTimes>(sql!(
                "SELECT account_id, created_at, last_seen_at FROM session WHERE id_hash = $1",
                id_hash
            ))
            .await?
        else {
            return Ok(None);
        };
        let place = self
            .exec()
            .optional::<crate::sql::Count>(sql!(
                "SELECT o.place_id AS n FROM account a JOIN organisation o ON o.id = a.organisation_id \
                 WHERE a.id = $1",
                times.account_id
            ))
            .await?
            .map(|p| p.n);
        Ok(self
            .account(times.account_id)
            .await?
            .filter(|a| !a.disabled)
            .map(|account| SessionRecord {
                account,
                place,
                created_at: times.created_at,
                last_seen_at: times.last_seen_at,
            }))
    }

    pub async fn touch_session(&self, id_hash: &str, now: i64) -> Result<()> {
        self.exec()
            .execute(sql!(
                "UPDATE session SET last_seen_at = $2 WHERE id_hash = $1",
                id_hash,
                now
            ))
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        self.exec()
            .execute(sql!("DELETE FROM session WHERE id_hash = $1", id_hash))
            .await?;
        Ok(())
    }

    pub async fn record_sign_in_failure(&self, email: &str, client: &str, now: i64) -> Result<()> {
        self.exec()
            .execute(sql!(
                "INSERT INTO sign_in_failure (email, client, at) VALUES ($1, $2, $3)",
                email,
                client,
                now
            ))
            .await?;
        Ok(())
    }

    /// Failed sign-ins since `since`: for this email, and from this client.
    pub async fn sign_in_failures(
        &self,
        email: &str,
        client: &str,
        since: i64,
    ) -> Result<(i64, i64)> {
        let by_email = self
            .exec()
            .one::<Count>(sql!(
                "SELECT COUNT(*) AS n FROM sign_in_failure WHERE email = $1 AND at > $2",
                email,
                since
            ))
            .await?
            .n;
        let by_client = self
            .exec()
            .one::<Count>(sql!(
                "SELECT COUNT(*) AS n FROM sign_in_failure WHERE client = $1 AND at > $2",
                client,
                since
            ))
            .await?
            .n;
        Ok((by_email, by_client))
    }

    /// Whether an invitation can still be used (without using it).
    pub async fn invite_is_open(&self, token_hash: &str, now: i64) -> Result<Option<Account>> {
        let found = self
            .exec()
            .optional::<InviteAccount>(sql!(
                "SELECT account_id FROM invite WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
                token_hash,
                now
            ))
            .await?;
        match found {
            Some(invite) => self.account(invite.account_id).await,
            None => Ok(None),
        }
    }

    /// Deletes sessions signed in before `before` (past the absolute
    /// timeout), so no stale session outlives its use; returns how many.
    pub async fn purge_sessions(&self, before: i64) -> Result<u64> {
        self.exec()
            .execute(sql!("DELETE FROM session WHERE created_at < $1", before))
            .await
    }

    /// Counts a sign-in attempt *before* its password is checked, and says
    /// whether it may go ahead: `Some(attempt)` when under the limits (the
    /// attempt is then recorded as a failure until [`Store::sign_in_succeeded`]
    /// removes it), `None` when over them (nothing recorded). Counting and
    /// recording are one serialised step, so concurrent attempts cannot all
    /// pass a check made before any of them was recorded: SQLite write
    /// transactions are `BEGIN IMMEDIATE`; PostgreSQL takes transaction-level
    /// advisory locks on the email and the client, always in that order.
    pub async fn admit_sign_in(
        &self,
        email: &str,
        client: &str,
        now: i64,
        limits: SignInLimits,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        if let Tx::Postgres(_) = tx {
            for key in [
                format!("sign-in email {email}"),
                format!("sign-in client {client}"),
            ] {
                tx.exec()
                    .execute(sql!(
                        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                        key
                    ))
                    .await?;
            }
        }
        let counts = tx
            .exec()
            .one::<AttemptCounts>(sql!(
                "SELECT (SELECT COUNT(*) FROM sign_in_failure WHERE email = $1 AND at > $3) AS by_email, \
                 (SELECT COUNT(*) FROM sign_in_failure WHERE email = $1 AND client = $2 AND at > $3) \
                 AS by_email_and_client, \
                 (SELECT COUNT(*) FROM sign_in_failure WHERE client = $2 AND at > $3) AS by_client",
                email,
                client,
                limits.since
            ))
            .await?;
        let admitted = if counts.by_email >= limits.per_email
            || counts.by_email_and_client >= limits.per_email_and_client
            || counts.by_client >= limits.per_client
        {
            None
        } else {
            let attempt = tx
                .exec()
                .one::<Id>(sql!(
                    "INSERT INTO sign_in_failure (email, client, at) VALUES ($1, $2, $3) RETURNING id",
                    email,
                    client,
                    now
                ))
                .await?
                .id;
            Some(attempt)
        };
        tx.commit_unaudited().await?;
        Ok(admitted)
    }

    /// A successful sign-in does not count against the throttle.
    pub async fn sign_in_succeeded(&self, attempt: i64) -> Result<()> {
        self.exec()
            .execute(sql!("DELETE FROM sign_in_failure WHERE id = $1", attempt))
            .await?;
        Ok(())
    }

    /// Proves the database takes writes, with a real one that changes
    /// nothing: a read-only file or folder is otherwise only found out at
    /// the first sign-in.
    pub async fn check_writable(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        match tx {
            Tx::Sqlite(..) => {
                let version = tx
                    .exec()
                    .one::<UserVersion>(Sql::new("PRAGMA user_version"))
                    .await?
                    .user_version;
                tx.exec()
                    .execute(Sql::new(format!("PRAGMA user_version = {version}")))
                    .await?;
            }
            Tx::Postgres(_) => {
                tx.exec()
                    .execute(Sql::new(
                        "CREATE TEMPORARY TABLE placeweave_write_check (x INTEGER) ON COMMIT DROP",
                    ))
                    .await?;
            }
        }
        tx.commit_unaudited().await
    }

    /// Forgets old failures (the throttle only looks back a short window).
    pub async fn forget_sign_in_failures(&self, before: i64) -> Result<()> {
        self.exec()
            .execute(sql!("DELETE FROM sign_in_failure WHERE at < $1", before))
            .await?;
        Ok(())
    }
}
