//! Accounts: inviting people, listing and disabling accounts. An admin does
//! these in the pages; the operator does them at the command line. Either
//! way the same checks run and the same audit line is written, in the same
//! transaction as the change.

use placeweave_domain::account::{Account, normalise_email, team_name};
use placeweave_domain::policy::permits;
use placeweave_domain::{AccountRole, Action, FieldError, Principal, Resource, Target, Viewer};
use placeweave_store::StoreError;
use placeweave_store::accounts::NewAccount;
use placeweave_store::privacy::AuditLine;

use crate::token::new_token;
use crate::{App, AppError, Result, now};

/// How long an invitation link works.
pub const INVITE_DAYS: i64 = 7;

/// Who is acting on accounts and people.
#[derive(Debug, Clone, Copy)]
pub enum Operator<'a> {
    /// A signed-in account, which the policy must allow.
    Account(&'a Principal),
    /// Whoever runs the command on the server: they hold the database.
    CommandLine,
}

impl Operator<'_> {
    pub(crate) fn require(&self, action: Action, resource: Resource) -> Result<()> {
        match self {
            Operator::CommandLine => Ok(()),
            Operator::Account(principal) => {
                if permits(principal, action, &Target::kind(resource)) {
                    Ok(())
                } else if principal.is_signed_in() {
                    Err(AppError::Forbidden)
                } else {
                    Err(AppError::SignInRequired)
                }
            }
        }
    }

    pub(crate) fn actor(&self) -> Option<i64> {
        match self {
            Operator::Account(Principal::Account { id, .. }) => Some(*id),
            _ => None,
        }
    }

    fn by(&self) -> &'static str {
        match self {
            Operator::Account(_) => "administrator",
            Operator::CommandLine => "command line",
        }
    }
}

/// An invitation as asked for: raw values from a form or the command line.
#[derive(Debug, Clone, Default)]
pub struct InviteRequest {
    pub email: String,
    pub name: String,
    pub role: String,
    /// A partner's organisation (its id).
    pub organisation: Option<String>,
    /// The place (its id) a partner's organisation is in; staff and admins
    /// belong to the whole deployment.
    pub place: Option<String>,
    /// A staff member's or administrator's team, if any.
    pub team: Option<String>,
}

/// A new account and its one-time link.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub account: i64,
    pub email: String,
    /// The token for `/invite/{token}`; only its hash is stored.
    pub token: String,
}

impl App {
    /// Every account.
    pub async fn accounts(&self, by: Operator<'_>) -> Result<Vec<Account>> {
        by.require(Action::Read, Resource::Account)?;
        Ok(self.store.accounts().await?)
    }

    /// Creates an account with no password and an invitation to set one.
    /// Every field at fault is named; nothing is written unless all is well.
    pub async fn invite(&self, by: Operator<'_>, request: &InviteRequest) -> Result<Invitation> {
        by.require(Action::Create, Resource::Account)?;
        let mut errors = Vec::new();
        let email = normalise_email(&request.email);
        if email.is_none() {
            errors.push(FieldError::new(
                "email",
                "Enter an email address in the correct format, like name@example.org",
            ));
        }
        let name = request.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "name",
                "Enter their name, 200 characters or fewer",
            ));
        }
        let role = AccountRole::parse(request.role.trim());
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                "Select a role: admin, staff or partner",
            ));
        }
        let organisation = request
            .organisation
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned);
        match (role, &organisation) {
            (Some(AccountRole::Partner), None) => {
                errors.push(FieldError::new("organisation", "Select the partner's organisation"))
            }
            (Some(AccountRole::Admin | AccountRole::Staff), Some(_)) => errors.push(FieldError::new(
                "organisation",
                "Only partner accounts belong to an organisation: leave it empty for staff and administrators",
            )),
            _ => {}
        }
        let place = match request
            .place
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => None,
            Some(slug) => match self.store.place(slug, Viewer::Admin).await? {
                Some(place) => Some(place.key),
                None => {
                    errors.push(FieldError::new(
                        "place",
                        format!(
                            "There is no place \"{}\"",
                            slug.chars().take(60).collect::<String>()
                        ),
                    ));
                    None
                }
            },
        };
        let team = match team_name(request.team.as_deref().unwrap_or_default()) {
            Ok(team) => team,
            Err(error) => {
                errors.push(error);
                None
            }
        };
        if role == Some(AccountRole::Partner) && team.is_some() {
            errors.push(FieldError::new(
                "team",
                "Only staff and administrators belong to a team: leave it empty for partners",
            ));
        }
        if role == Some(AccountRole::Partner) && place.is_none() && errors.is_empty() {
            errors.push(FieldError::new(
                "place",
                "Name the place the partner's organisation is in",
            ));
        }
        let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let now = now();
        let mut tx = self.store.begin().await?;
        let account = tx
            .insert_account(
                &NewAccount {
                    email: email.clone(),
                    display_name: name,
                    role,
                    place,
                    organisation,
                    password_hash: None,
                    team,
                },
                now,
            )
            .await
            .map_err(|err| match err {
                StoreError::Duplicate(_) => AppError::invalid(
                    "email",
                    "There is already an account with this email address",
                ),
                StoreError::Missing(_) => {
                    AppError::invalid("organisation", "Select an organisation from the list")
                }
                other => AppError::from(other),
            })?;
        let (token, hash) = new_token();
        tx.insert_invite(&hash, account, now + INVITE_DAYS * 24 * 60 * 60)
            .await?;
        let audited = tx
            .audit(
                &AuditLine {
                    actor: by.actor(),
                    action: "create-account",
                    record_type: "account",
                    record_id: Some(account.to_string()),
                    detail: Some(format!(
                        "{{\"role\":\"{}\",\"by\":\"{}\"}}",
                        role.as_str(),
                        by.by()
                    )),
                },
                now,
            )
            .await?;
        tx.commit(audited).await?;
        Ok(Invitation {
            account,
            email,
            token,
        })
    }

    /// The account named by id or email; not found if there is none. The
    /// caller has asked the policy already.
    pub(crate) async fn find_account(&self, account: AccountRef<'_>) -> Result<Account> {
        let found = match account {
            AccountRef::Id(id) => self.store.account(id).await?,
            AccountRef::Email(email) => self
                .store
                .account_by_email(&email.trim().to_lowercase())
                .await?
                .map(|c| c.account),
        };
        found.ok_or(AppError::NotFound)
    }

    /// Disables an account (by id, or by email at the command line); its
    /// sessions end. Nobody disables their own account.
    pub async fn disable_account(
        &self,
        by: Operator<'_>,
        account: AccountRef<'_>,
    ) -> Result<Account> {
        by.require(Action::Update, Resource::Account)?;
        let found = self.find_account(account).await?;
        if by.actor() == Some(found.id) {
            return Err(AppError::invalid(
                "account",
                "You cannot disable your own account",
            ));
        }
        let mut tx = self.store.begin().await?;
        if !tx.disable_account(found.id).await? {
            return Err(AppError::NotFound);
        }
        let audited = tx
            .audit(
                &AuditLine {
                    actor: by.actor(),
                    action: "disable-account",
                    record_type: "account",
                    record_id: Some(found.id.to_string()),
                    detail: None,
                },
                now(),
            )
            .await?;
        tx.commit(audited).await?;
        Ok(found)
    }
}

impl App {
    /// Puts a staff account in a team (or none); a partner account has
    /// no team. Every change is audited.
    pub async fn set_team(
        &self,
        by: Operator<'_>,
        account: AccountRef<'_>,
        team: &str,
    ) -> Result<Account> {
        by.require(Action::Update, Resource::Account)?;
        let found = self.find_account(account).await?;
        let team = team_name(team).map_err(|e| AppError::Invalid(vec![e]))?;
        if found.role == AccountRole::Partner && team.is_some() {
            return Err(AppError::invalid(
                "team",
                "Only staff and administrators belong to a team",
            ));
        }
        let mut tx = self.store.begin().await?;
        if !tx.set_account_team(found.id, team.clone()).await? {
            return Err(AppError::NotFound);
        }
        let audited = tx
            .audit(
                &AuditLine {
                    actor: by.actor(),
                    action: "set-team",
                    record_type: "account",
                    record_id: Some(found.id.to_string()),
                    detail: Some(serde_json::json!({ "team": team }).to_string()),
                },
                now(),
            )
            .await?;
        tx.commit(audited).await?;
        Ok(Account { team, ..found })
    }
}

/// An account, as an admin page or the command line names it.
#[derive(Debug, Clone, Copy)]
pub enum AccountRef<'a> {
    Id(i64),
    Email(&'a str),
}
