//! Commitments: an organisation taking a role for a mission.

use serde::Serialize;

use crate::edit::MAX_TEXT;
use crate::error::{DomainError, FieldError};
use crate::place::RecordRef;
use crate::visibility::{Audience, Redact, Viewer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Commitment {
    pub id: i64,
    pub organisation: RecordRef,
    /// The role taken, where it is settled.
    pub role: Option<RecordRef>,
    /// The mission served, where it is settled.
    pub mission: Option<RecordRef>,
    pub status: CommitmentStatus,
    /// Where a partner's proposal stands with the partnership team: until
    /// accepted it is held at the staff audience, and its proposing
    /// partner is the only partner who sees it (see `policy::permits`).
    pub review: Review,
    /// The partnership team's word back to the proposing partner (why it
    /// was declined, say); staff and the proposer only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
    /// ISO 8601 date.
    pub start_date: Option<String>,
    /// ISO 8601 date.
    pub end_date: Option<String>,
    /// Staff-only working note; never public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

pub const NOTE_AUDIENCE: Audience = Audience::Staff;

/// The audience a partner's proposal is held at until staff accept it.
pub const PROPOSAL_AUDIENCE: Audience = Audience::Staff;

impl Redact for Commitment {
    fn redact_for(mut self, viewer: Viewer) -> Self {
        self.note = viewer.reveal(NOTE_AUDIENCE, self.note);
        // A partner loads a proposal under review only when it is their
        // own (the store's `proposals_of`); once accepted, the note that
        // went with it stays with staff.
        if self.review == Review::Accepted || !viewer.can_read(Audience::Partners) {
            self.review_note = viewer.reveal(NOTE_AUDIENCE, self.review_note);
        }
        self
    }
}

impl Commitment {
    /// Whether this is a partner's proposal the partnership team has not
    /// accepted (awaiting review, or declined).
    pub fn is_proposal(&self) -> bool {
        self.review != Review::Accepted
    }
}

impl CommitmentStatus {
    /// What the status means, in plain English, for pages and forms.
    pub fn meaning(self) -> &'static str {
        match self {
            CommitmentStatus::Proposed => "Suggested, not yet agreed.",
            CommitmentStatus::Testing => "Being tried out for a while before deciding.",
            CommitmentStatus::Active => "Agreed and under way.",
            CommitmentStatus::Completed => "Done, as agreed.",
            CommitmentStatus::Withdrawn => "Stopped before it was done.",
        }
    }
}

crate::vocabulary::vocabulary!(
    /// Where a partner's proposed commitment stands with the partnership
    /// team. Commitments staff record are accepted as they are made.
    Review {
        Accepted => ("accepted", "Accepted"),
        Awaiting => ("awaiting", "Awaiting review"),
        Declined => ("declined", "Declined"),
    }
);

crate::vocabulary::vocabulary!(
    /// Where a commitment stands.
    CommitmentStatus {
        Proposed => ("proposed", "Proposed"),
        Testing => ("testing", "Testing"),
        Active => ("active", "Active"),
        Completed => ("completed", "Completed"),
        Withdrawn => ("withdrawn", "Withdrawn"),
    }
);

/// The partnership team's decision on a partner's proposal, as sent from
/// the review form or the API.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewForm {
    /// `accept` or `decline`.
    #[serde(default)]
    pub decision: String,
    /// A note back to the partner: required when declining.
    #[serde(default)]
    pub note: String,
    /// Who may see the commitment once accepted (default `public`).
    #[serde(default)]
    pub audience: String,
    /// The version of the commitment the reviewer read.
    pub version: i64,
}

/// A valid decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDecision {
    pub review: Review,
    pub note: Option<String>,
    /// The audience the commitment takes: the one chosen on accepting, the
    /// held-back one on declining.
    pub audience: Audience,
    pub version: i64,
}

impl ReviewForm {
    pub fn validate(&self) -> Result<ReviewDecision, DomainError> {
        let mut errors = Vec::new();
        let review = match self.decision.trim() {
            "accept" => Some(Review::Accepted),
            "decline" => Some(Review::Declined),
            _ => None,
        };
        if review.is_none() {
            errors.push(FieldError::new(
                "decision",
                "Select whether to accept or decline the proposal",
            ));
        }
        let note = Some(self.note.trim().to_owned()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_TEXT) {
            errors.push(FieldError::new(
                "note",
                format!("Note must be {MAX_TEXT} characters or fewer"),
            ));
        }
        if review == Some(Review::Declined) && note.is_none() {
            errors.push(FieldError::new(
                "note",
                "Tell the partner why it was declined, so they know what to change",
            ));
        }
        let audience = match (review, self.audience.trim()) {
            (Some(Review::Declined), _) => Some(PROPOSAL_AUDIENCE),
            (_, "") => Some(Audience::Public),
            (_, raw) => Audience::parse(raw),
        };
        if audience.is_none() {
            errors.push(FieldError::new(
                "audience",
                "Select who can see the commitment once accepted",
            ));
        }
        if self.version < 1 {
            errors.push(FieldError::new(
                "version",
                "Send the version of the commitment you reviewed",
            ));
        }
        match (review, audience) {
            (Some(review), Some(audience)) if errors.is_empty() => Ok(ReviewDecision {
                review,
                note,
                audience,
                version: self.version,
            }),
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(decision: &str, note: &str, audience: &str) -> ReviewForm {
        ReviewForm {
            decision: decision.into(),
            note: note.into(),
            audience: audience.into(),
            version: 1,
        }
    }

    fn fields(result: Result<ReviewDecision, DomainError>) -> Vec<String> {
        match result {
            Err(DomainError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn accepting_publishes_at_the_chosen_audience() {
        let decision = form("accept", "", "").validate().expect("valid");
        assert_eq!(decision.review, Review::Accepted);
        assert_eq!(decision.audience, Audience::Public);
        let decision = form("accept", "Welcome", "partners")
            .validate()
            .expect("valid");
        assert_eq!(decision.audience, Audience::Partners);
        assert_eq!(decision.note.as_deref(), Some("Welcome"));
    }

    #[test]
    fn declining_needs_a_reason_and_keeps_it_held_back() {
        assert_eq!(fields(form("decline", "  ", "public").validate()), ["note"]);
        let decision = form("decline", "Not this year", "public")
            .validate()
            .expect("valid");
        assert_eq!(decision.audience, PROPOSAL_AUDIENCE);
        assert_eq!(decision.review, Review::Declined);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut bad = form("maybe", &"x".repeat(MAX_TEXT + 1), "everyone");
        bad.version = 0;
        assert_eq!(
            fields(bad.validate()),
            ["decision", "note", "audience", "version"]
        );
    }

    #[test]
    fn a_partner_sees_its_own_proposals_note_but_not_an_accepted_ones() {
        let mut c = Commitment {
            id: 1,
            organisation: RecordRef {
                id: "ucl".into(),
                name: "UCL".into(),
            },
            role: None,
            mission: None,
            status: CommitmentStatus::Proposed,
            review: Review::Awaiting,
            review_note: None,
            start_date: None,
            end_date: None,
            note: None,
            demonstration: false,
            audience: PROPOSAL_AUDIENCE,
            version: 1,
        };
        c.review = Review::Declined;
        c.review_note = Some("Not this year".into());
        assert!(c.clone().redact_for(Viewer::Partner).review_note.is_some());
        assert!(c.clone().redact_for(Viewer::Public).review_note.is_none());
        c.review = Review::Accepted;
        assert!(c.clone().redact_for(Viewer::Partner).review_note.is_none());
        assert!(c.redact_for(Viewer::Staff).review_note.is_some());
    }
}
