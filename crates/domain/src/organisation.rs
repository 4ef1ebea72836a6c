//! Organisations: the partners of a place, and the levers they can pull.

use serde::Serialize;

use crate::visibility::{Audience, Redact, Viewer};
use crate::vocabulary::{Hardness, OrganisationKind, Reach, Scope, SizeBand};

pub use crate::vocabulary::Lever;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    /// The organisation's slug, unique within its place.
    pub id: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub size_band: Option<SizeBand>,
    pub scope: Option<Scope>,
    /// Wards the organisation works in.
    pub wards: Vec<String>,
    /// Org-id style identifiers, e.g. `GB-CHC-1234567` or `GB-COH-01234567`.
    pub identifiers: Vec<String>,
    /// Whether the place treats it as an anchor institution.
    pub is_anchor: bool,
    pub levers: Vec<LeverUse>,
    pub description: Option<String>,
    pub website: Option<String>,
    /// Staff-only working notes; never public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// Audience of each organisation field that is narrower than the record's own.
pub const INTERNAL_NOTES_AUDIENCE: Audience = Audience::Staff;

impl Redact for Organisation {
    fn redact_for(mut self, viewer: Viewer) -> Self {
        self.internal_notes = viewer.reveal(INTERNAL_NOTES_AUDIENCE, self.internal_notes);
        self
    }
}

/// One lever an organisation can use, how hard it is and how far it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LeverUse {
    pub lever: Lever,
    pub hardness: Option<Hardness>,
    pub reach: Option<Reach>,
    /// What the organisation does with this lever, where known.
    pub detail: Option<String>,
}

/// A row of the organisations directory: enough to list and link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrganisationSummary {
    pub id: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub is_anchor: bool,
    pub scope: Option<Scope>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organisation() -> Organisation {
        Organisation {
            id: "ucl".into(),
            name: "UCL".into(),
            kind: OrganisationKind::University,
            size_band: None,
            scope: None,
            wards: vec![],
            identifiers: vec![],
            is_anchor: true,
            levers: vec![],
            description: None,
            website: None,
            internal_notes: Some("call before the summit".into()),
            audience: Audience::Public,
            version: 1,
        }
    }

    #[test]
    fn internal_notes_hidden_from_public_and_partners() {
        assert_eq!(
            organisation().redact_for(Viewer::Public).internal_notes,
            None
        );
        assert_eq!(
            organisation().redact_for(Viewer::Partner).internal_notes,
            None
        );
        assert!(
            organisation()
                .redact_for(Viewer::Staff)
                .internal_notes
                .is_some()
        );
    }
}
