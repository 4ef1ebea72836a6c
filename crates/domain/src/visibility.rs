//! The visibility policy: who may read what. Every record carries an
//! [`Audience`], and so does every field (see the `FIELD_AUDIENCES` tables
//! beside each record type). Pages, the API and exports ask this module, and
//! nothing else, whether a viewer may see a record or field. Deny by default.

use serde::{Deserialize, Serialize};

/// Who a record or field is for, from the widest audience to the narrowest.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// Anyone, signed in or not: published pages, open data, the public API.
    Public,
    /// Signed-in partner organisations.
    Partners,
    /// Staff of the convening organisation.
    Staff,
    /// Record owners and admins only.
    Restricted,
}

impl Audience {
    pub const ALL: [Audience; 4] = [
        Audience::Public,
        Audience::Partners,
        Audience::Staff,
        Audience::Restricted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Partners => "partners",
            Audience::Staff => "staff",
            Audience::Restricted => "restricted",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// Who is looking. Until accounts exist every request is `Public`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Viewer {
    Public,
    Partner,
    Staff,
    Admin,
}

impl Viewer {
    /// The narrowest audience this viewer may read. Storage queries filter on
    /// it so that records a viewer may not see are never even loaded.
    pub fn widest_readable(self) -> Audience {
        match self {
            Viewer::Public => Audience::Public,
            Viewer::Partner => Audience::Partners,
            Viewer::Staff => Audience::Staff,
            Viewer::Admin => Audience::Restricted,
        }
    }

    pub fn can_read(self, audience: Audience) -> bool {
        audience <= self.widest_readable()
    }

    /// Keeps `value` only if this viewer may read a field of `audience`.
    pub fn reveal<T>(self, audience: Audience, value: Option<T>) -> Option<T> {
        if self.can_read(audience) { value } else { None }
    }
}

/// Records that can hide the fields a viewer may not read.
pub trait Redact {
    /// Returns the record with every field the viewer may not read emptied.
    fn redact_for(self, viewer: Viewer) -> Self;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_sees_only_public() {
        assert!(Viewer::Public.can_read(Audience::Public));
        for a in [Audience::Partners, Audience::Staff, Audience::Restricted] {
            assert!(!Viewer::Public.can_read(a), "public must not read {a:?}");
        }
    }

    #[test]
    fn audiences_nest() {
        assert!(Viewer::Staff.can_read(Audience::Partners));
        assert!(!Viewer::Staff.can_read(Audience::Restricted));
        assert!(Viewer::Admin.can_read(Audience::Restricted));
        assert!(!Viewer::Partner.can_read(Audience::Staff));
    }

    #[test]
    fn reveal_hides_narrower_fields() {
        assert_eq!(Viewer::Public.reveal(Audience::Staff, Some("note")), None);
        assert_eq!(
            Viewer::Staff.reveal(Audience::Staff, Some("note")),
            Some("note")
        );
    }

    #[test]
    fn all_lists_audiences_in_their_one_order() {
        // SQL ranks audiences by their place in ALL; redaction compares them
        // with Ord: the two must be the same ordering.
        assert!(Audience::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn audience_round_trips() {
        for a in Audience::ALL {
            assert_eq!(Audience::parse(a.as_str()), Some(a));
        }
        assert_eq!(Audience::parse("everyone"), None);
    }
}
