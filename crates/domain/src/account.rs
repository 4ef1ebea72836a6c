//! People who sign in, and what the audit log records about what they did.

use serde::Serialize;

use crate::place::RecordRef;
use crate::policy::AccountRole;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: AccountRole,
    /// A partner account's organisation.
    pub organisation: Option<RecordRef>,
    pub disabled: bool,
    /// The staff team the account belongs to ("Economy", "Public health"),
    /// so that coordination can tell another team's contact from one's own.
    pub team: Option<String>,
    /// Whether a password has been set (an invited account has none yet).
    pub active: bool,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    /// Unix time, seconds.
    pub at: i64,
    /// The account that acted, if any (none for the system, or if erased).
    pub actor: Option<i64>,
    pub actor_email: Option<String>,
    pub action: String,
    pub record_type: String,
    pub record_id: Option<String>,
    /// What changed, as JSON; personal fields masked.
    pub detail: Option<String>,
}

/// Checks an email address enough to catch typing mistakes; a real check is
/// the invitation reaching its owner.
pub fn normalise_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(email)
}

#[cfg(test)]
mod tests {
    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            super::normalise_email(" Ruth@Camden.gov.uk ").as_deref(),
            Some("ruth@camden.gov.uk")
        );
        assert_eq!(super::normalise_email("no-at-sign"), None);
        assert_eq!(super::normalise_email("a@b"), None);
        assert_eq!(super::normalise_email("a b@c.uk"), None);
    }
}

/// The longest team name.
pub const MAX_TEAM: usize = 80;

/// A team name as typed: empty is no team; too long, or with control
/// characters, is refused (on the field `team`).
pub fn team_name(raw: &str) -> Result<Option<String>, crate::error::FieldError> {
    let team = raw.trim();
    if team.chars().count() > MAX_TEAM || team.chars().any(char::is_control) {
        return Err(crate::error::FieldError::new(
            "team",
            format!("Enter a team name of {MAX_TEAM} characters or fewer, on one line"),
        ));
    }
    Ok(Some(team.to_owned()).filter(|t| !t.is_empty()))
}

#[cfg(test)]
mod team_tests {
    use super::*;

    #[test]
    fn a_team_name_is_trimmed_and_checked() {
        assert_eq!(team_name("  Economy "), Ok(Some("Economy".into())));
        assert_eq!(team_name("   "), Ok(None));
        assert!(team_name(&"x".repeat(MAX_TEAM + 1)).is_err());
        assert!(team_name("Economy\nand more").is_err());
    }
}
