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
use placeweave_domain::{AccountRole, Action, FieldError, Resource, Target};
use placeweave_store::accounts::NewAccount;
use placeweave_store::privacy::{AuditLine, AuditQuery};
use serde::Deserialize;

use super::{Chrome, PageError, PageResult, Section, render};
use crate::AppState;
use crate::auth::{Caller, new_token, now};
use crate::error::{Failure, require};

const INVITE_DAYS: i64 = 7;

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
}

#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    email: Option<String>,
    name: Option<String>,
    role: Option<String>,
    organisation: Option<String>,
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    status: StatusCode,
    errors: Vec<FieldError>,
    form: InviteForm,
    invite_link: Option<String>,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let (organisations, _) = state
        .app
        .organisations(
            &scope,
            &Default::default(),
            placeweave_domain::PageRequest {
                page: 1,
                per_page: 100,
            },
        )
        .await?;
    render(
        status,
        &UsersPage {
            chrome: Chrome::generic(Section::Admin, caller),
            errors,
            accounts: state.store.accounts().await?,
            organisations: organisations.into_iter().map(|o| (o.id, o.name)).collect(),
            form,
            invite_link,
        },
    )
}

pub async fn users(State(state): State<AppState>, caller: Caller) -> PageResult {
    admin_only(&caller, Resource::Account, Action::Read)?;
    users_page(
        &state,
        &caller,
        StatusCode::OK,
        vec![],
        InviteForm::default(),
        None,
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
    let mut errors = Vec::new();
    let email = normalise_email(form.email.as_deref().unwrap_or_default());
    if email.is_none() {
        errors.push(FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ));
    }
    let name = form
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "Enter their name, 200 characters or fewer",
        ));
    }
    let role = form.role.as_deref().and_then(AccountRole::parse);
    if role.is_none() {
        errors.push(FieldError::new("role", "Select a role"));
    }
    let organisation = form.organisation.clone().filter(|o| !o.is_empty());
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
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return users_page(&state, &caller, StatusCode::BAD_REQUEST, errors, form, None).await;
    };
    let scope = state.scope(&caller).await?;
    let now = now();
    let mut tx = state.store.begin().await?;
    let id = match tx
        .insert_account(
            &NewAccount {
                email: email.clone(),
                display_name: name,
                role,
                place: Some(scope.key()),
                organisation,
                password_hash: None,
            },
            now,
        )
        .await
    {
        Ok(id) => id,
        Err(placeweave_store::StoreError::Duplicate(_)) => {
            drop(tx);
            let errors = vec![FieldError::new(
                "email",
                "There is already an account with this email address",
            )];
            return users_page(&state, &caller, StatusCode::BAD_REQUEST, errors, form, None).await;
        }
        Err(placeweave_store::StoreError::Missing(_)) => {
            drop(tx);
            let errors = vec![FieldError::new(
                "organisation",
                "Select an organisation from the list",
            )];
            return users_page(&state, &caller, StatusCode::BAD_REQUEST, errors, form, None).await;
        }
        Err(other) => return Err(other.into()),
    };
    let (token, hash) = new_token();
    tx.insert_invite(&hash, id, now + INVITE_DAYS * 24 * 60 * 60)
        .await?;
    tx.audit(
        &AuditLine {
            actor: caller.account_id(),
            action: "create-account",
            record_type: "account",
            record_id: Some(id.to_string()),
            detail: Some(format!("{{\"role\":\"{}\"}}", role.as_str())),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = if state.cookies.secure {
        "https"
    } else {
        "http"
    };
    let link = format!("{scheme}://{host}/invite/{token}");
    users_page(
        &state,
        &caller,
        StatusCode::OK,
        vec![],
        InviteForm::default(),
        Some(link),
    )
    .await
}

pub async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> PageResult {
    admin_only(&caller, Resource::Account, Action::Update)?;
    if caller.account_id() == Some(id) {
        return Err(PageError(Failure::Invalid(vec![FieldError::new(
            "account",
            "You cannot disable your own account",
        )])));
    }
    let mut tx = state.store.begin().await?;
    if !tx.disable_account(id).await? {
        return Err(Failure::NotFound.into());
    }
    tx.audit(
        &AuditLine {
            actor: caller.account_id(),
            action: "disable-account",
            record_type: "account",
            record_id: Some(id.to_string()),
            detail: None,
        },
        now(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/admin/users").into_response())
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
        .store
        .audit_events(&AuditQuery {
            actor_email: filled(&search.actor).map(|e| e.to_lowercase()),
            record_type: filled(&search.record_type),
            record_id: filled(&search.record_id),
            action: filled(&search.action),
            limit: 200,
        })
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
            let person = state.store.person(email).await?;
            log_view(&state, &caller, "subject-access-view").await?;
            Some(person)
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

async fn log_view(state: &AppState, caller: &Caller, action: &str) -> Result<(), Failure> {
    state
        .store
        .audit(
            &AuditLine {
                actor: caller.account_id(),
                action,
                record_type: "person",
                record_id: None,
                detail: None,
            },
            now(),
        )
        .await?;
    Ok(())
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
    let person = state.store.person(&email).await?;
    log_view(&state, &caller, "subject-access-export").await?;
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
        let person = state.store.person(&email).await?;
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
        .store
        .erase_person(&email, caller.account_id(), now())
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
