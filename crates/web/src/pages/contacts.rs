//! An organisation's contacts: personal data, for staff and admins only.
//! Every view is written to the audit log.

use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_app::Scope;
use placeweave_domain::account::normalise_email;
use placeweave_domain::contact::{Contact, LawfulBasis, Retention};
use placeweave_domain::{Action, FieldError, Organisation};
use placeweave_store::privacy::NewContact;
use serde::Deserialize;

use super::saved::Saved;
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

/// A select field: name, label, options (value, text), and the value chosen.
type Select = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
    String,
);

#[derive(Template)]
#[template(path = "contacts.html")]
struct ContactsPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    organisation: Organisation,
    contacts: Vec<Contact>,
    form: ContactForm,
    /// Field, label, options, and the option chosen.
    selects: Vec<Select>,
    saved: Saved,
}

#[derive(Deserialize, Default, Clone)]
pub struct ContactForm {
    name: Option<String>,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    lawful_basis: Option<String>,
    retention: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    scope: &Scope,
    organisation: Organisation,
    errors: Vec<FieldError>,
    form: ContactForm,
    saved: Saved,
) -> PageResult {
    let contacts = state.app.contacts(scope, &organisation).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(
        status,
        &ContactsPage {
            chrome: Chrome::new(scope, Section::Organisations, caller),
            errors,
            organisation,
            contacts,
            selects: vec![
                (
                    "lawful_basis",
                    "Lawful basis for holding these details",
                    LawfulBasis::ALL
                        .iter()
                        .map(|b| (b.slug(), b.label()))
                        .collect(),
                    form.lawful_basis.clone().unwrap_or_default(),
                ),
                (
                    "retention",
                    "How long to keep them",
                    Retention::ALL
                        .iter()
                        .map(|r| (r.slug(), r.label()))
                        .collect(),
                    form.retention.clone().unwrap_or_default(),
                ),
            ],
            form,
            saved,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let organisation = state
        .app
        .contact_organisation(&scope, &slug, Action::Read)
        .await?;
    page(
        &state,
        &caller,
        &scope,
        organisation,
        vec![],
        ContactForm::default(),
        saved,
    )
    .await
}

fn optional(
    field: &str,
    raw: &Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = raw.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max || value.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            format!("Must be {max} characters or fewer"),
        ));
        return None;
    }
    Some(value.to_owned())
}

/// Checks a contact form; returns the new contact or each field's error.
fn validate(
    form: &ContactForm,
    organisation: &str,
    owner: Option<i64>,
) -> Result<NewContact, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = optional("name", &form.name, 200, &mut errors);
    if name.is_none() && errors.is_empty() {
        errors.push(FieldError::new("name", "Enter the contact's name"));
    }
    let job_title = optional("job_title", &form.job_title, 200, &mut errors);
    let email = match form
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(raw) => match normalise_email(raw) {
            Some(email) => Some(email),
            None => {
                errors.push(FieldError::new(
                    "email",
                    "Enter an email address in the correct format, like name@example.org",
                ));
                None
            }
        },
    };
    let phone = optional("phone", &form.phone, 40, &mut errors);
    if phone
        .as_deref()
        .is_some_and(|p| !p.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)))
    {
        errors.push(FieldError::new(
            "phone",
            "Enter a telephone number, like 020 7946 0000",
        ));
    }
    let lawful_basis = form.lawful_basis.as_deref().and_then(LawfulBasis::parse);
    if lawful_basis.is_none() {
        errors.push(FieldError::new(
            "lawful_basis",
            "Select the lawful basis for holding these details",
        ));
    }
    let retention = form.retention.as_deref().and_then(Retention::parse);
    if retention.is_none() {
        errors.push(FieldError::new(
            "retention",
            "Select how long to keep these details",
        ));
    }
    match (name, lawful_basis, retention, errors.is_empty()) {
        (Some(name), Some(lawful_basis), Some(retention), true) => Ok(NewContact {
            organisation: organisation.to_owned(),
            name,
            job_title,
            email,
            phone,
            lawful_basis,
            retention,
            owner,
        }),
        _ => Err(errors),
    }
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    form: Result<Form<ContactForm>, FormRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let organisation = state
        .app
        .contact_organisation(&scope, &slug, Action::Create)
        .await?;
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let contact = match validate(&form, &organisation.id, caller.account_id()) {
        Ok(contact) => contact,
        Err(errors) => {
            return page(
                &state,
                &caller,
                &scope,
                organisation,
                errors,
                form,
                Saved::default(),
            )
            .await;
        }
    };
    state.app.add_contact(&scope, &contact).await?;
    Ok(Redirect::to(&format!("/organisations/{slug}/contacts?saved=contact")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lawful_basis_is_required_and_inputs_checked() {
        let form = ContactForm {
            name: Some("Ruth".into()),
            email: Some("not-an-email".into()),
            phone: Some("call me".into()),
            ..Default::default()
        };
        let errors = validate(&form, "ucl", None).expect_err("invalid");
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "phone", "lawful_basis", "retention"]);
        let ok = ContactForm {
            name: Some("Ruth".into()),
            lawful_basis: Some("public-task".into()),
            retention: Some("active-partnership".into()),
            ..Default::default()
        };
        assert!(validate(&ok, "ucl", None).is_ok());
    }
}
