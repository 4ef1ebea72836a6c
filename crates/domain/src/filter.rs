//! Filters and pages for lists, parsed from untrusted query strings with a
//! clear error for each field that is wrong.

use crate::error::{DomainError, FieldError};
use crate::place::is_slug;
use crate::vocabulary::{Lever, OrganisationKind};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
const MAX_PAGE: u32 = 100_000;
const MAX_TEXT: usize = 200;

/// Which page of a list, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl PageRequest {
    /// Everything on one page, for lists shown whole (an organisation's
    /// commitments on its page).
    pub fn everything() -> Self {
        Self {
            page: 1,
            per_page: u32::MAX,
        }
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.per_page)
    }

    /// Parses `page` and `per_page` from their raw query-string values.
    pub fn parse(
        page: Option<&str>,
        per_page: Option<&str>,
        errors: &mut Vec<FieldError>,
    ) -> PageRequest {
        let mut request = PageRequest::default();
        if let Some(raw) = non_empty(page) {
            match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_PAGE).contains(&n) => request.page = n,
                _ => errors.push(FieldError::new(
                    "page",
                    format!("Page must be a whole number from 1 to {MAX_PAGE}"),
                )),
            }
        }
        if let Some(raw) = non_empty(per_page) {
            match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => request.per_page = n,
                _ => errors.push(FieldError::new(
                    "per_page",
                    format!("Results per page must be a whole number from 1 to {MAX_PER_PAGE}"),
                )),
            }
        }
        request
    }
}

/// How many pages a list of `total` items fills.
pub fn page_count(total: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    u32::try_from((total + per_page - 1) / per_page).unwrap_or(u32::MAX)
}

/// The raw query of the organisations directory, as typed by a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// Organisation kind slug, e.g. `university`.
    #[param(value_type = Option<crate::vocabulary::OrganisationKind>)]
    pub kind: Option<String>,
    /// Lever slug, e.g. `funding`.
    #[param(value_type = Option<crate::vocabulary::Lever>)]
    pub lever: Option<String>,
    /// Mission slug: organisations with a commitment to it or in one of its initiatives.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    pub mission: Option<String>,
    /// Ward name.
    #[param(value_type = Option<String>, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub ward: Option<String>,
    /// Words in the organisation's name.
    #[param(value_type = Option<String>, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub q: Option<String>,
    /// `yes` for anchor institutions only.
    #[param(value_type = Option<String>, pattern = "^yes$")]
    pub anchor: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    pub page: Option<String>,
    /// Results per page, 1 to 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
    /// The id of the last organisation of the page before (a list's `next`):
    /// the page after it, as fast deep in the list as at its start. `page`
    /// is ignored when this is given.
    #[param(value_type = Option<String>, pattern = "^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$", max_length = 100)]
    pub after: Option<String>,
}

/// How many organisations each option of the directory's filters would
/// give, each counted with the other filters in force (so choosing an
/// option gives exactly its count). Options with none are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub kinds: Vec<(OrganisationKind, i64)>,
    pub levers: Vec<(Lever, i64)>,
    /// Ward names.
    pub wards: Vec<(String, i64)>,
    /// Mission slugs.
    pub missions: Vec<(String, i64)>,
}

/// A checked organisations filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    pub lever: Option<Lever>,
    pub mission: Option<String>,
    pub ward: Option<String>,
    pub name_contains: Option<String>,
    /// Only anchor institutions.
    pub anchors_only: bool,
    /// Start after this organisation (its slug) in name order: keyset
    /// paging. Where the page starts, not which organisations match.
    pub after: Option<String>,
}

impl OrganisationFilter {
    pub fn parse(query: &OrganisationQuery) -> Result<(Self, PageRequest), DomainError> {
        let mut errors = Vec::new();
        let mut filter = OrganisationFilter::default();
        if let Some(raw) = non_empty(query.kind.as_deref()) {
            filter.kind = OrganisationKind::parse(raw);
            if filter.kind.is_none() {
                errors.push(FieldError::new(
                    "kind",
                    format!(
                        "Choose a kind of organisation from the list (\"{}\" is not one)",
                        clip(raw)
                    ),
                ));
            }
        }
        if let Some(raw) = non_empty(query.lever.as_deref()) {
            filter.lever = Lever::parse(raw);
            if filter.lever.is_none() {
                errors.push(FieldError::new(
                    "lever",
                    format!(
                        "Choose a lever from the list (\"{}\" is not one)",
                        clip(raw)
                    ),
                ));
            }
        }
        if let Some(raw) = non_empty(query.mission.as_deref()) {
            if is_slug(raw) {
                filter.mission = Some(raw.to_owned());
            } else {
                errors.push(FieldError::new("mission", "Choose a mission from the list"));
            }
        }
        match non_empty(query.anchor.as_deref()) {
            None => {}
            Some("yes") => filter.anchors_only = true,
            Some(_) => errors.push(FieldError::new(
                "anchor",
                "Anchor must be \"yes\" to show only anchor institutions, or left out",
            )),
        }
        filter.ward = bounded_text("ward", "Ward", query.ward.as_deref(), &mut errors);
        filter.name_contains = bounded_text("q", "Search words", query.q.as_deref(), &mut errors);
        if let Some(raw) = non_empty(query.after.as_deref()) {
            if !is_slug(raw) {
                errors.push(FieldError::new(
                    "after",
                    "After must be the id of an organisation, as a list's next gives it",
                ));
            } else {
                filter.after = Some(raw.to_owned());
            }
        }
        let page = PageRequest::parse(
            query.page.as_deref(),
            query.per_page.as_deref(),
            &mut errors,
        );
        if errors.is_empty() {
            Ok((filter, page))
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == OrganisationFilter::default()
    }
}

pub(crate) fn bounded_text(
    field: &str,
    label: &str,
    raw: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let raw = non_empty(raw)?;
    if raw.chars().count() > MAX_TEXT || raw.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            format!("{label} must be {MAX_TEXT} characters or fewer, with no control characters"),
        ));
        return None;
    }
    Some(raw.to_owned())
}

pub(crate) fn non_empty(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

/// Shortens an echoed bad value so an error message stays readable.
pub(crate) fn clip(raw: &str) -> String {
    raw.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(kind: &str, page: &str) -> OrganisationQuery {
        OrganisationQuery {
            kind: Some(kind.into()),
            page: Some(page.into()),
            ..Default::default()
        }
    }

    #[test]
    fn valid_query_parses() {
        let (filter, page) = OrganisationFilter::parse(&query("university", "2")).expect("valid");
        assert_eq!(filter.kind, Some(OrganisationKind::University));
        assert_eq!(page.page, 2);
        assert_eq!(page.offset(), 20);
    }

    #[test]
    fn blank_values_mean_no_filter() {
        let (filter, page) = OrganisationFilter::parse(&query(" ", "")).expect("valid");
        assert!(filter.is_empty());
        assert_eq!(page, PageRequest::default());
    }

    #[test]
    fn every_bad_field_is_named() {
        let q = OrganisationQuery {
            kind: Some("spaceship".into()),
            lever: Some("magic".into()),
            mission: Some("Not A Slug".into()),
            ward: Some("x".repeat(201)),
            q: Some("ok".into()),
            anchor: None,
            page: Some("0".into()),
            per_page: Some("1000".into()),
            after: Some("Not A Slug".into()),
        };
        let Err(DomainError::Invalid(errors)) = OrganisationFilter::parse(&q) else {
            panic!("expected errors");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "kind", "lever", "mission", "ward", "after", "page", "per_page"
            ]
        );
        assert!(errors[0].message.contains("spaceship"));
    }

    #[test]
    fn page_count_rounds_up() {
        assert_eq!(page_count(0, 20), 0);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
    }
}
