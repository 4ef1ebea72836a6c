//! Initiatives: multi-partner programmes. Co-participation in them makes the
//! edges of a place's network.

use serde::Serialize;

use crate::place::RecordRef;
use crate::visibility::Audience;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Initiative {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub website: Option<String>,
    pub missions: Vec<RecordRef>,
    pub participants: Vec<Participant>,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// An organisation taking part in an initiative, and its part in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Participant {
    pub organisation: RecordRef,
    pub role: Option<String>,
}

/// A row of the initiatives list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InitiativeSummary {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub participant_count: i64,
}
