//! Enquiries: "Express interest" from anyone, without an account. An
//! enquirer's details are personal data (the contacts' rules: a lawful
//! basis, a retention date, subject access and erasure) and staff-only.

use serde::Serialize;

use crate::FieldError;
use crate::account::normalise_email;
use crate::contact::{LawfulBasis, Retention};
use crate::place::RecordRef;
use crate::relationship::RelationshipStage;

crate::vocabulary::vocabulary!(
    /// Where an enquiry is in the partnership team's queue.
    EnquiryStatus {
        New => ("new", "New"),
        Triaged => ("triaged", "Triaged"),
        Declined => ("declined", "Declined"),
    }
);

/// Why the council holds an enquirer's details, and for how long: answering
/// an enquiry about a public offer is part of its public task, and a
/// one-off enquiry is kept six months.
pub const LAWFUL_BASIS: LawfulBasis = LawfulBasis::PublicTask;
pub const RETENTION: Retention = Retention::OneOffEnquiry;

/// The longest organisation or person's name taken.
const NAME_MAX: usize = 200;
/// The longest message taken.
const MESSAGE_MAX: usize = 5000;

/// An enquiry as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Enquiry {
    pub id: i64,
    /// The reference the enquirer was given, such as `ENQ-7K3M9Q`.
    pub reference: String,
    pub organisation_name: String,
    pub name: String,
    pub email: String,
    /// The role on the offer they are interested in (its slug and name).
    pub role: Option<RecordRef>,
    pub mission: Option<RecordRef>,
    pub message: String,
    pub status: EnquiryStatus,
    /// Why it was declined, or how it was triaged.
    pub note: Option<String>,
    /// The relationship it became, once triaged.
    pub relationship: Option<i64>,
    pub lawful_basis: LawfulBasis,
    pub retention: Retention,
    /// Unix time when it was received.
    pub received_at: i64,
    /// Unix time after which the retention job deletes it.
    pub retain_until: i64,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
}

impl Enquiry {
    /// The date it was received, `YYYY-MM-DD`.
    pub fn received_on(&self) -> String {
        crate::date::iso_date(self.received_at)
    }

    /// The date the retention job deletes it, `YYYY-MM-DD`.
    pub fn kept_until(&self) -> String {
        crate::date::iso_date(self.retain_until)
    }
}

/// What the "Express interest" form sent, unchecked.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EnquiryForm {
    pub organisation: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub mission: Option<String>,
    pub message: Option<String>,
    /// The honeypot: hidden from people, filled in by robots.
    pub website: Option<String>,
}

/// A checked enquiry; the role and mission are slugs still to be resolved
/// against the place's public ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnquiry {
    pub organisation_name: String,
    pub name: String,
    pub email: String,
    pub role: Option<String>,
    pub mission: Option<String>,
    pub message: String,
    pub demonstration: bool,
}

fn text(
    value: Option<&str>,
    field: &str,
    missing: &str,
    max: usize,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> String {
    let value = value.unwrap_or_default().trim();
    if value.is_empty() {
        errors.push(FieldError::new(field, missing));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("{label} must be {max} characters or fewer"),
        ));
    }
    value.to_owned()
}

fn choice(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl EnquiryForm {
    /// Whether the honeypot was filled in (by a robot).
    pub fn is_spam(&self) -> bool {
        self.website
            .as_deref()
            .is_some_and(|v| !v.trim().is_empty())
    }

    /// Checks every field, naming each one at fault.
    pub fn parse(&self) -> Result<NewEnquiry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let organisation_name = text(
            self.organisation.as_deref(),
            "organisation",
            "Enter the name of your organisation",
            NAME_MAX,
            "Organisation name",
            &mut errors,
        );
        let name = text(
            self.name.as_deref(),
            "name",
            "Enter your name",
            NAME_MAX,
            "Your name",
            &mut errors,
        );
        let raw_email = self.email.as_deref().unwrap_or_default();
        let email = if raw_email.trim().is_empty() {
            errors.push(FieldError::new("email", "Enter your email address"));
            String::new()
        } else if let Some(email) = normalise_email(raw_email) {
            email
        } else {
            errors.push(FieldError::new(
                "email",
                "Enter an email address in the correct format, like name@example.com",
            ));
            String::new()
        };
        let role = choice(self.role.as_deref());
        let mission = choice(self.mission.as_deref());
        let message = text(
            self.message.as_deref(),
            "message",
            "Enter a message saying what you would like to do",
            MESSAGE_MAX,
            "Your message",
            &mut errors,
        );
        if errors.is_empty() {
            Ok(NewEnquiry {
                organisation_name,
                name,
                email,
                role,
                mission,
                message,
                demonstration: false,
            })
        } else {
            Err(errors)
        }
    }
}

/// What staff decided about an enquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Triage {
    /// Not taken further, with a note saying why.
    Decline { note: String },
    /// Taken on as a relationship with an existing organisation (its slug).
    Relate {
        organisation: String,
        stage: RelationshipStage,
    },
}

/// What the triage form sent, unchecked.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TriageForm {
    pub decision: Option<String>,
    pub note: Option<String>,
    pub organisation: Option<String>,
    pub stage: Option<String>,
}

impl TriageForm {
    /// Checks the decision, naming each field at fault.
    pub fn parse(&self) -> Result<Triage, Vec<FieldError>> {
        match self.decision.as_deref() {
            Some("decline") => {
                let mut errors = Vec::new();
                let note = text(
                    self.note.as_deref(),
                    "note",
                    "Enter a note saying why the enquiry is declined",
                    MESSAGE_MAX,
                    "The note",
                    &mut errors,
                );
                if errors.is_empty() {
                    Ok(Triage::Decline { note })
                } else {
                    Err(errors)
                }
            }
            Some("relate") => {
                let mut errors = Vec::new();
                let organisation = choice(self.organisation.as_deref());
                if organisation.is_none() {
                    errors.push(FieldError::new(
                        "organisation",
                        "Choose the organisation the enquiry is from",
                    ));
                }
                let stage = match self.stage.as_deref() {
                    Some("identified") => Some(RelationshipStage::Identified),
                    Some("warm-conversation") => Some(RelationshipStage::WarmConversation),
                    _ => {
                        errors.push(FieldError::new(
                            "stage",
                            "Choose whether the relationship is identified or a warm conversation",
                        ));
                        None
                    }
                };
                match (organisation, stage) {
                    (Some(organisation), Some(stage)) => Ok(Triage::Relate {
                        organisation,
                        stage,
                    }),
                    _ => Err(errors),
                }
            }
            _ => Err(vec![FieldError::new(
                "decision",
                "Choose whether to decline the enquiry or start a relationship",
            )]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> EnquiryForm {
        EnquiryForm {
            organisation: Some("Kentish Town Bakery".into()),
            name: Some("Ada Okafor".into()),
            email: Some(" Ada@Example.org ".into()),
            role: Some("host-a-placement".into()),
            mission: Some(String::new()),
            message: Some("We could host two placements.".into()),
            website: None,
        }
    }

    #[test]
    fn a_valid_enquiry_is_taken_with_its_email_normalised() {
        let parsed = valid().parse().expect("valid");
        assert_eq!(parsed.email, "ada@example.org");
        assert_eq!(parsed.role.as_deref(), Some("host-a-placement"));
        assert_eq!(parsed.mission, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = EnquiryForm {
            email: Some("not-an-email".into()),
            name: Some("x".repeat(201)),
            ..Default::default()
        };
        let fields: Vec<String> = form
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["organisation", "name", "email", "message"]);
    }

    #[test]
    fn the_honeypot_marks_spam() {
        assert!(!valid().is_spam());
        let spam = EnquiryForm {
            website: Some("http://spam.example".into()),
            ..valid()
        };
        assert!(spam.is_spam());
    }

    #[test]
    fn triage_names_its_fields() {
        let none = TriageForm::default().parse().unwrap_err();
        assert_eq!(none[0].field, "decision");
        let decline = TriageForm {
            decision: Some("decline".into()),
            ..Default::default()
        };
        assert_eq!(decline.parse().unwrap_err()[0].field, "note");
        let relate = TriageForm {
            decision: Some("relate".into()),
            stage: Some("committed".into()),
            ..Default::default()
        };
        let fields: Vec<String> = relate
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["organisation", "stage"]);
    }
}
