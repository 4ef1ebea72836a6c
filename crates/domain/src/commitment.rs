//! Commitments: an organisation taking a role for a mission.

use serde::Serialize;

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

impl Redact for Commitment {
    fn redact_for(mut self, viewer: Viewer) -> Self {
        self.note = viewer.reveal(NOTE_AUDIENCE, self.note);
        self
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
    /// Where a commitment stands.
    CommitmentStatus {
        Proposed => ("proposed", "Proposed"),
        Testing => ("testing", "Testing"),
        Active => ("active", "Active"),
        Completed => ("completed", "Completed"),
        Withdrawn => ("withdrawn", "Withdrawn"),
    }
);
