//! Missions (shared, time-bound goals) and the outcome themes they serve.

use serde::Serialize;

use crate::place::RecordRef;
use crate::visibility::Audience;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Mission {
    pub id: String,
    /// A short name for lists and links, e.g. "Youth opportunity".
    pub short_name: String,
    /// The mission statement as published.
    pub statement: String,
    pub target_year: Option<i32>,
    pub outcome_themes: Vec<RecordRef>,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// A theme of the place's outcomes framework (e.g. Good Life Camden's "health").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OutcomeTheme {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Whether the framework treats it as a core theme.
    pub is_core: bool,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}
