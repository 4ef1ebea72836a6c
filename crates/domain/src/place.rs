//! A place: a borough or area and its convening organisation. Every other
//! record belongs to exactly one place.

use serde::Serialize;

use crate::visibility::Audience;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Place {
    /// The place's slug, used in URLs.
    pub id: String,
    pub name: String,
    /// The organisation that convenes the place's partnerships (the backbone).
    pub convening_organisation: String,
    pub description: Option<String>,
    /// True for generated or demonstration places whose records are not facts.
    pub synthetic: bool,
    pub audience: Audience,
}

/// A short reference to another record: its slug and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RecordRef {
    pub id: String,
    pub name: String,
}

/// Makes a URL slug from a name: lower-case ASCII words joined by hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Whether `value` could be a slug: 1–100 lower-case letters, digits and inner hyphens.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 100
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The headline numbers on a place's home page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Headline {
    pub organisations: i64,
    pub anchor_institutions: i64,
    pub missions: i64,
    pub roles: i64,
    pub commitments: i64,
    pub initiatives: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_names() {
        assert_eq!(slugify("Arsenal F.C."), "arsenal-f-c");
        assert_eq!(
            slugify("UAL Central Saint Martins"),
            "ual-central-saint-martins"
        );
        assert_eq!(slugify("  Tenants' Voices!  "), "tenants-voices");
    }

    #[test]
    fn slugs_are_checked() {
        assert!(is_slug("good-work-camden"));
        assert!(!is_slug("Good Work"));
        assert!(!is_slug("-x"));
        assert!(!is_slug(""));
        assert!(!is_slug(&"a".repeat(101)));
    }
}
