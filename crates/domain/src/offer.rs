//! The collaboration offer: the roles a partner can take, what each asks of
//! the partner and what it gives the place and the partner.

use serde::Serialize;

use crate::visibility::Audience;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: String,
    pub ask_of_partner: String,
    /// Value for the place, one point a line.
    pub value_for_place: String,
    /// Value for the partner, one point a line.
    pub value_for_partner: String,
    /// Who a partner should talk to about the role.
    pub contact: Option<String>,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// Splits a multi-line value into its points, dropping blank lines.
pub fn points(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_split_lines() {
        assert_eq!(super::points("a\n\n b \n"), vec!["a", "b"]);
    }
}
