//! Contacts: people at partner organisations. Personal data: never public,
//! always with a lawful basis and a retention category.

use serde::Serialize;

use crate::account::{Account, AuditEntry};
use crate::place::RecordRef;
use crate::visibility::Audience;

crate::vocabulary::vocabulary!(
    /// The UK GDPR Article 6 basis for holding a contact's details.
    LawfulBasis {
        Consent => ("consent", "Consent"),
        Contract => ("contract", "Contract"),
        LegalObligation => ("legal-obligation", "Legal obligation"),
        VitalInterests => ("vital-interests", "Vital interests"),
        PublicTask => ("public-task", "Public task"),
        LegitimateInterests => ("legitimate-interests", "Legitimate interests"),
    }
);

crate::vocabulary::vocabulary!(
    /// How long a contact's details are kept.
    Retention {
        ActivePartnership => ("active-partnership", "Active partnership (3 years)"),
        EventAttendee => ("event-attendee", "Event attendee (1 year)"),
        OneOffEnquiry => ("one-off-enquiry", "One-off enquiry (6 months)"),
    }
);

impl Retention {
    /// How long details in this category are kept, in seconds.
    pub fn period_seconds(self) -> i64 {
        const DAY: i64 = 24 * 60 * 60;
        match self {
            Retention::ActivePartnership => 3 * 365 * DAY,
            Retention::EventAttendee => 365 * DAY,
            Retention::OneOffEnquiry => 183 * DAY,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: i64,
    pub organisation: RecordRef,
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lawful_basis: LawfulBasis,
    pub retention: Retention,
    /// Unix time after which the retention job deletes the details.
    pub retain_until: i64,
    pub owner: Option<i64>,
    pub audience: Audience,
    pub version: i64,
}

/// Fields of a contact that are personal data, masked in the audit log.
pub const PERSONAL_FIELDS: &[&str] = &["name", "job_title", "email", "phone"];

/// An interaction a person's contact record took part in, for their
/// subject access request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TookPart {
    /// The contact record.
    pub contact: i64,
    pub interaction: i64,
    /// When it happened (ISO 8601 date).
    pub date: String,
    pub kind: crate::interaction::InteractionKind,
    /// The partner met.
    pub organisation: String,
}

/// Everything held about one person: the answer to a subject access request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PersonData {
    pub email: String,
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    /// Their enquiries from "Express interest".
    pub enquiries: Vec<crate::enquiry::Enquiry>,
    /// The interactions their contact records took part in.
    pub interactions: Vec<TookPart>,
    /// What their account did, and what was done to it (such as a request
    /// for a new password), from the audit log.
    pub audit: Vec<AuditEntry>,
    /// When a waiting request for a new password was made (Unix time).
    pub password_reset_requested_at: Option<i64>,
}
