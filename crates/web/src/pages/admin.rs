//! Administration: accounts and invitations, the audit log, and
//! data-protection duties (subject access and erasure). Admins only.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use placeweave_domain::account::{Account, AuditEntry, normalise_email};
use placeweave_domain::contact::PersonData;
use placeweave_domain::{Action, FieldError, Resource, Target};
use placeweave_store::privacy::AuditQuery;
use serde::Deserialize;

use super::saved::Saved;
use super::{Chrome, PageError, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, require};
use placeweave_app::{AccountRef, AppError, InviteRequest, Operator};

fn admin_only(caller: &Caller, resource: Resource, action: Action) -> Result<(), Failure> {
    require(caller, action, &Target::kind(resource))
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
}

pub async fn index(caller: Caller) -> PageResult {
    admin_only(&caller, Resource::Account, Action::Read)?;
    render(
        StatusCode::OK,
        &AdminPage {
            chrome: Chrome::generic(Section::Admin, &caller),
        },
    )
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    accounts: Vec<Account>,
    organisations: Vec<(String, String)>,
    form: InviteForm,
    invite_link: Option<String>,
    /// Requests for a new password, each with when it was made.
    reset_requests: Vec<(String, Account)>,
    /// A reset link just made: for whom, and the link.
    reset_link: Option<(String, String)>,
    saved: Saved,
}

/// What a users page shows after an action: a new account's invitation,
/// or a reset link.
enum Issued {
    Nothing,
    Invitation(String),
    Reset(String, String),
}

/// A one-time link to `/invite/{token}` on this site.
fn invite_link(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let origin = crate::findable::origin(state.cookies.secure, headers);
    format!("{origin}/invite/{token}")
}

#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    email: Option<String>,
    name: Option<String>,
    role: Option<String>,
    organisation: Option<String>,
    team: Option<String>,
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    status: StatusCode,
    errors: Vec<FieldError>,
    form: InviteForm,
    issued: Issued,
    saved: Saved,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let by = Operator::Account(&caller.principal);
    let reset_requests = state
        .app
        .password_reset_requests(by)
        .await?
        .into_iter()
        .map(|r| (readable_time(r.requested_at), r.account))
        .collect();
    let (invite_link, reset_link) = match issued {
        Issued::Nothing => (None, None),
        Issued::Invitation(link) => (Some(link), None),
        Issued::Reset(email, link) => (None, Some((email, link))),
    };
    let organisations = state.app.organisation_choices(&scope).await?;
    render(
        status,
        &UsersPage {
            chrome: Chrome::generic(Section::Admin, caller),
            errors,
            accounts: state
                .app
                .accounts(Operator::Account(&caller.principal))
                .await?,
            organisations,
            form,
            invite_link,
            reset_requests,
            reset_link,
            saved,
        },
    )
}

pub async fn users(State(state): State<AppState>, caller: Caller, saved: Saved) -> PageResult {
    admin_only(&caller, Resource::Account, Action::Read)?;
    users_page(
        &state,
        &caller,
        StatusCode::OK,
        vec![],
        InviteForm::default(),
        Issued::Nothing,
        saved,
    )
    .await
}

pub async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    form: Result<Form<InviteForm>, FormRejection>,
) -> PageResult {
    admin_only(&caller, Resource::Account, Action::Create)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let request = InviteRequest {
        email: form.email.clone().unwrap_or_default(),
        name: form.name.clone().unwrap_or_default(),
        role: form.role.clone().unwrap_or_default(),
        organisation: form.organisation.clone(),
        place: Some(state.place_slug().to_owned()),
        team: form.team.clone(),
    };
    let token = match state
        .app
        .invite(Operator::Account(&caller.principal), &request)
        .await
    {
        Ok(invitation) => invitation.token,
        Err(AppError::Invalid(errors)) => {
            return users_page(
                &state,
                &caller,
                StatusCode::BAD_REQUEST,
                errors,
                form,
                Issued::Nothing,
                Saved::default(),
            )
            .await;
        }
        Err(other) => return Err(Failure::from(other).into()),
    };
    let link = invite_link(&state, &headers, &token);
    users_page(
        &state,
        &caller,
        StatusCode::OK,
        vec![],
        InviteForm::default(),
        Issued::Invitation(link),
        Saved::default(),
    )
    .await
}

/// Makes a one-time link for the account to set a new password.
pub async fn issue_reset(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> PageResult {
    let issued = state
        .app
        .issue_password_reset(Operator::Account(&caller.principal), AccountRef::Id(id))
        .await?;
    let link = invite_link(&state, &headers, &issued.token);
    users_page(
        &state,
        &caller,
        StatusCode::OK,
        vec![],
        InviteForm::default(),
        Issued::Reset(issued.email, link),
        Saved::default(),
    )
    .await
}

pub async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> PageResult {
    state
        .app
        .disable_account(Operator::Account(&caller.principal), AccountRef::Id(id))
        .await?;
    Ok(Redirect::to("/admin/users?saved=account-disabled").into_response())
}

#[derive(Template)]
#[template(path = "team_form.html")]
struct TeamPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    account: Account,
    team: String,
}

#[derive(Deserialize, Default)]
pub struct TeamForm {
    team: Option<String>,
}

async fn team_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    status: StatusCode,
    errors: Vec<FieldError>,
    team: Option<String>,
) -> PageResult {
    let account = state
        .app
        .accounts(Operator::Account(&caller.principal))
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(Failure::NotFound)?;
    let team = team.unwrap_or_else(|| account.team.clone().unwrap_or_default());
    render(
        status,
        &TeamPage {
            chrome: Chrome::generic(Section::Admin, caller),
            errors,
            account,
            team,
        },
    )
}

/// The form to put a staff account in a team (coordination tells teams
/// apart by it).
pub async fn team_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> PageResult {
    team_page(&state, &caller, id, StatusCode::OK, vec![], None).await
}

pub async fn set_team(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    form: Result<Form<TeamForm>, FormRejection>,
) -> PageResult {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let team = form.team.unwrap_or_default();
    match state
        .app
        .set_team(
            Operator::Account(&caller.principal),
            AccountRef::Id(id),
            &team,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users?saved=team").into_response()),
        Err(AppError::Invalid(errors)) => {
            team_page(
                &state,
                &caller,
                id,
                StatusCode::BAD_REQUEST,
                errors,
                Some(team),
            )
            .await
        }
        Err(other) => Err(Failure::from(other).into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct AuditSearch {
    actor: Option<String>,
    record_type: Option<String>,
    record_id: Option<String>,
    action: Option<String>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    search: AuditSearch,
    /// Each entry with its time, readable (UTC).
    entries: Vec<(String, AuditEntry)>,
}

fn readable_time(unix: i64) -> String {
    let at = std::time::UNIX_EPOCH
        + std::time::Duration::from_secs(u64::try_from(unix).unwrap_or_default());
    humantime::format_rfc3339_seconds(at)
        .to_string()
        .replace('T', " ")
        .replace('Z', " UTC")
}

fn filled(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .map(str::to_owned)
}

pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    search: Result<Query<AuditSearch>, QueryRejection>,
) -> PageResult {
    admin_only(&caller, Resource::AuditLog, Action::Read)?;
    let search = search.map(|Query(q)| q).unwrap_or_default();
    let entries = state
        .app
        .audit_log(
            Operator::Account(&caller.principal),
            &AuditQuery {
                actor_email: filled(&search.actor).map(|e| e.to_lowercase()),
                record_type: filled(&search.record_type),
                record_id: filled(&search.record_id),
                action: filled(&search.action),
                limit: 200,
            },
        )
        .await?;
    render(
        StatusCode::OK,
        &AuditPage {
            chrome: Chrome::generic(Section::Admin, &caller),
            search,
            entries: entries
                .into_iter()
                .map(|e| (readable_time(e.at), e))
                .collect(),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct PersonQuery {
    email: Option<String>,
}

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    email: String,
    person: Option<PersonData>,
    erased: Option<u64>,
}

fn person_email(raw: Option<&str>) -> Result<Option<String>, Failure> {
    match raw.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(raw) => normalise_email(raw).map(Some).ok_or_else(|| {
            Failure::Invalid(vec![FieldError::new(
                "email",
                "Enter an email address in the correct format, like name@example.org",
            )])
        }),
    }
}

/// Subject access: everything held about a person, as a readable page.
pub async fn people(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PersonQuery>, QueryRejection>,
) -> PageResult {
    admin_only(&caller, Resource::Person, Action::Export)?;
    let raw = query.ok().and_then(|Query(q)| q.email).unwrap_or_default();
    let chrome = Chrome::generic(Section::Admin, &caller);
    let email = match person_email(Some(&raw)) {
        Ok(email) => email,
        Err(Failure::Invalid(errors)) => {
            return render(
                StatusCode::BAD_REQUEST,
                &PeoplePage {
                    chrome,
                    errors,
                    email: raw,
                    person: None,
                    erased: None,
                },
            );
        }
        Err(other) => return Err(other.into()),
    };
    let person = match &email {
        Some(email) => {
            let by = Operator::Account(&caller.principal);
            Some(state.app.subject_access(by, email, false).await?)
        }
        None => None,
    };
    render(
        StatusCode::OK,
        &PeoplePage {
            chrome,
            errors: vec![],
            email: raw,
            person,
            erased: None,
        },
    )
}

/// Subject access as a JSON download.
pub async fn export_person(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PersonQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    admin_only(&caller, Resource::Person, Action::Export)?;
    let raw = query.ok().and_then(|Query(q)| q.email);
    let email = person_email(raw.as_deref())?.ok_or_else(|| {
        Failure::Invalid(vec![FieldError::new(
            "email",
            "Enter the person's email address",
        )])
    })?;
    let person = state
        .app
        .subject_access(Operator::Account(&caller.principal), &email, true)
        .await?;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"subject-access.json\"",
        )],
        Json(person),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    email: Option<String>,
    confirm: Option<String>,
}

/// Erases a person completely, leaving one audit line.
pub async fn erase_person(
    State(state): State<AppState>,
    caller: Caller,
    form: Result<Form<EraseForm>, FormRejection>,
) -> PageResult {
    admin_only(&caller, Resource::Person, Action::Erase)?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let email = person_email(form.email.as_deref())?;
    let chrome = Chrome::generic(Section::Admin, &caller);
    let Some(email) = email else {
        return Err(Failure::Invalid(vec![FieldError::new(
            "email",
            "Enter the person's email address",
        )])
        .into());
    };
    if form.confirm.as_deref() != Some("yes") {
        let person = state
            .app
            .subject_access(Operator::Account(&caller.principal), &email, false)
            .await?;
        let errors = vec![FieldError::new(
            "confirm",
            "Confirm that you want to erase this person's data",
        )];
        return render(
            StatusCode::BAD_REQUEST,
            &PeoplePage {
                chrome,
                errors,
                email,
                person: Some(person),
                erased: None,
            },
        );
    }
    let erased = state
        .app
        .erase_person(Operator::Account(&caller.principal), &email)
        .await?;
    render(
        StatusCode::OK,
        &PeoplePage {
            chrome,
            errors: vec![],
            email: String::new(),
            person: None,
            erased: Some(erased),
        },
    )
}
