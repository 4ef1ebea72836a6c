//! What the operator does on the server, as use cases: the demo place and
//! its accounts, generated places, the hourly housekeeping, and which place
//! to serve. The command line calls these; nothing here needs a signed-in
//! caller (whoever runs the command holds the database).

use placeweave_domain::place::is_slug;
use placeweave_domain::{AccountRole, FieldError, Viewer};
use placeweave_store::accounts::NewAccount;
use placeweave_store::privacy::AuditLine;
use placeweave_store::{camden, synthetic};

use crate::account::INVITE_DAYS;
use crate::session::ABSOLUTE_TIMEOUT;
use crate::token::new_token;
use crate::{App, AppError, Result, now};

/// Ten times the largest place benchmarked (BENCHMARKS.md): far beyond any
/// real place, and still written in one transaction.
pub const MAX_GENERATED_ORGANISATIONS: usize = 1_000_000;

/// The demo's accounts, one for each role. At every start each gets a new
/// one-time sign-in link (an invitation to set its password); the password
/// set before and any older links stop working.
pub const DEMO_ACCOUNTS: &[(&str, &str, AccountRole, Option<&str>)] = &[
    (
        "admin@demo.placeweave.invalid",
        "Demo administrator",
        AccountRole::Admin,
        None,
    ),
    (
        "staff@demo.placeweave.invalid",
        "Demo staff member",
        AccountRole::Staff,
        None,
    ),
    (
        "partner.ucl@demo.placeweave.invalid",
        "Demo partner at UCL",
        AccountRole::Partner,
        Some("ucl"),
    ),
    (
        "partner.roundhouse@demo.placeweave.invalid",
        "Demo partner at the Roundhouse",
        AccountRole::Partner,
        Some("roundhouse"),
    ),
];

/// A demo account's new one-time link.
#[derive(Debug, Clone)]
pub struct DemoLink {
    pub role: AccountRole,
    pub email: &'static str,
    pub token: String,
}

impl App {
    /// Creates the Camden demo place unless it is there; whether it was created.
    pub async fn create_demo_place(&self) -> Result<bool> {
        Ok(camden::ensure(&self.store).await?)
    }

    /// Gives each demo account a new one-time link; the password set before
    /// and any older links stop working.
    pub async fn renew_demo_accounts(&self) -> Result<Vec<DemoLink>> {
        let place = self
            .store
            .place(camden::PLACE_SLUG, Viewer::Admin)
            .await?
            .map(|p| p.key);
        let store = &self.store;
        let now = now();
        let mut links = Vec::new();
        let mut tx = store.begin().await?;
        for (email, name, role, organisation) in DEMO_ACCOUNTS {
            let id = match store.account_by_email(email).await? {
                Some(existing) => {
                    let id = existing.account.id;
                    tx.clear_password(id).await?;
                    tx.withdraw_invites(id).await?;
                    id
                }
                None => {
                    tx.insert_account(
                        &NewAccount {
                            email: (*email).into(),
                            display_name: (*name).into(),
                            role: *role,
                            place,
                            organisation: organisation.map(str::to_owned),
                            password_hash: None,
                            team: None,
                        },
                        now,
                    )
                    .await?
                }
            };
            let (token, hash) = new_token();
            tx.insert_invite(&hash, id, now + INVITE_DAYS * 24 * 60 * 60)
                .await?;
            links.push(DemoLink {
                role: *role,
                email,
                token,
            });
        }
        let audited = tx
            .audit(
                &AuditLine {
                    actor: None,
                    action: "renew-demo-accounts",
                    record_type: "account",
                    record_id: None,
                    detail: Some(format!("{{\"accounts\":{}}}", links.len())),
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(links)
    }

    /// Writes a generated place of realistic shape in one transaction.
    pub async fn generate_place(
        &self,
        options: &synthetic::Options,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<synthetic::Report> {
        let mut errors = Vec::new();
        if !(1..=MAX_GENERATED_ORGANISATIONS).contains(&options.organisations) {
            errors.push(FieldError::new(
                "orgs",
                format!(
                    "must be from 1 to {MAX_GENERATED_ORGANISATIONS}, not {}",
                    options.organisations
                ),
            ));
        }
        if let Some(place) = options.place_slug.as_deref().filter(|p| !is_slug(p)) {
            errors.push(FieldError::new(
                "place",
                format!(
                    "must be a slug (lower-case letters, digits and inner hyphens, 1 to 100 characters), not \"{place}\""
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(synthetic::generate(&self.store, options, progress).await?)
    }

    /// Ends sessions past their absolute timeout, forgets sign-in and
    /// reset attempts older than a day, and deletes contacts past their
    /// retention date; returns how many contacts went.
    pub async fn housekeeping(&self) -> Result<u64> {
        let now = now();
        self.store.purge_sessions(now - ABSOLUTE_TIMEOUT).await?;
        self.store
            .forget_sign_in_failures(now - crate::session::FORGET_AFTER)
            .await?;
        Ok(self.store.apply_retention(now).await?)
    }

    /// The place to serve: the one asked for, which must exist, or else the
    /// first public one; `None` when the database holds no place yet.
    pub async fn serving_place(&self, asked: Option<&str>) -> Result<Option<String>> {
        match asked {
            Some(slug) => match self.store.place(slug, Viewer::Admin).await? {
                Some(place) => Ok(Some(place.place.id)),
                None => Err(AppError::NotFound),
            },
            None => Ok(self
                .store
                .places(Viewer::Public)
                .await?
                .into_iter()
                .next()
                .map(|p| p.place.id)),
        }
    }
}
