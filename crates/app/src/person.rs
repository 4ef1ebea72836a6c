//! Data-protection duties and the audit log: everything held about a
//! person (subject access), erasing them, and reading the log. Each view,
//! export and erasure is itself audited.

use placeweave_domain::account::{AuditEntry, normalise_email};
use placeweave_domain::contact::PersonData;
use placeweave_domain::{Action, Resource};
use placeweave_store::privacy::{AuditLine, AuditQuery};

use crate::account::Operator;
use crate::{App, AppError, Result, now};

/// A person's email address, checked.
pub fn person_email(raw: &str) -> Result<String> {
    match raw.trim() {
        "" => Err(AppError::invalid(
            "email",
            "Enter the person's email address",
        )),
        raw => normalise_email(raw).ok_or_else(|| {
            AppError::invalid(
                "email",
                "Enter an email address in the correct format, like name@example.org",
            )
        }),
    }
}

impl App {
    /// Everything held about a person; `export` says whether it leaves the
    /// service as a download (the audit line says which).
    pub async fn subject_access(
        &self,
        by: Operator<'_>,
        email: &str,
        export: bool,
    ) -> Result<PersonData> {
        by.require(Action::Export, Resource::Person)?;
        let email = person_email(email)?;
        let person = self.store.person(&email).await?;
        self.store
            .audit(
                &AuditLine {
                    actor: by.actor(),
                    action: if export {
                        "subject-access-export"
                    } else {
                        "subject-access-view"
                    },
                    record_type: "person",
                    record_id: None,
                    detail: None,
                },
                now(),
            )
            .await?;
        Ok(person)
    }

    /// Erases a person completely; returns how many records went. The
    /// store writes the one audit line that says it happened.
    pub async fn erase_person(&self, by: Operator<'_>, email: &str) -> Result<u64> {
        by.require(Action::Erase, Resource::Person)?;
        let email = person_email(email)?;
        Ok(self.store.erase_person(&email, by.actor(), now()).await?)
    }

    /// The audit log, newest first.
    pub async fn audit_log(&self, by: Operator<'_>, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        by.require(Action::Read, Resource::AuditLog)?;
        Ok(self.store.audit_events(query).await?)
    }
}
