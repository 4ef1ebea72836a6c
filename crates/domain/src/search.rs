//! Site search: what a person typed, checked and cut into words, and the
//! hits the store finds, with the matched words marked.

use crate::error::{DomainError, FieldError};
use crate::filter::{PageRequest, bounded_text, clip, non_empty};
use crate::vocabulary::vocabulary;

/// Most words a search uses; the rest are ignored, so a pasted paragraph
/// cannot make an expensive query.
const MAX_WORDS: usize = 12;

/// Where a snippet's matched words start and end. Stored text never holds
/// control characters (every field refuses them), so these cannot be forged
/// by a record's own text.
pub const MATCH_START: char = '\u{2}';
pub const MATCH_END: char = '\u{3}';

vocabulary!(
    /// What a search result is.
    SearchKind {
        Organisation => ("organisation", "Organisations"),
        Initiative => ("initiative", "Initiatives"),
        Mission => ("mission", "Missions"),
        Role => ("role", "Roles in the collaboration offer"),
        Contact => ("contact", "Contacts"),
        Experiment => ("experiment", "Experiments"),
        Story => ("story", "Stories"),
    }
);

/// The raw query of a search, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find. Each word also matches words that start with it, and
    /// different endings of the same word ("volunteers" finds "volunteering").
    #[param(value_type = Option<String>, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub q: Option<String>,
    /// Only results of this kind.
    #[param(value_type = Option<String>, pattern = "^(organisation|initiative|mission|role|experiment|story)$")]
    pub kind: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100000)]
    pub page: Option<String>,
    /// Results per page, 1 to 100.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub per_page: Option<String>,
}

/// A checked search: its words (lower case, letters and digits only) and
/// the kind of result wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub words: Vec<String>,
    pub kind: Option<SearchKind>,
}

impl Search {
    /// The search asked for, or `None` when no words were given (the page
    /// then shows only the search box, the API no results).
    pub fn parse(query: &SearchQuery) -> Result<(Option<Search>, PageRequest), DomainError> {
        let mut errors = Vec::new();
        let text = bounded_text("q", "Search words", query.q.as_deref(), &mut errors);
        let kind = non_empty(query.kind.as_deref()).and_then(|raw| {
            let kind = SearchKind::parse(raw);
            if kind.is_none() {
                errors.push(FieldError::new(
                    "kind",
                    format!(
                        "Choose a kind of result from the list (\"{}\" is not one)",
                        clip(raw)
                    ),
                ));
            }
            kind
        });
        let page = PageRequest::parse(
            query.page.as_deref(),
            query.per_page.as_deref(),
            &mut errors,
        );
        // Text with no letters or digits in it searches for nothing and
        // finds nothing, like any other search without a match.
        let words = text.as_deref().map(words).unwrap_or_default();
        if !errors.is_empty() {
            return Err(DomainError::Invalid(errors));
        }
        Ok(((!words.is_empty()).then_some(Search { words, kind }), page))
    }
}

/// The words of a search: runs of letters and digits, lower-cased, at most
/// [`MAX_WORDS`] of them. Everything else separates words, so nothing a
/// person types reaches a query language as syntax.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(MAX_WORDS)
        .collect()
}

/// One stretch of a snippet, matched or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Fragment {
    pub text: String,
    /// Whether these are words the search matched.
    pub matched: bool,
}

/// Splits text the store marked with [`MATCH_START`] and [`MATCH_END`] into
/// fragments; the marks themselves never reach a page.
pub fn fragments(marked: &str) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut matched = false;
    let mut text = String::new();
    let mut flush = |text: &mut String, matched: bool| {
        if !text.is_empty() {
            out.push(Fragment {
                text: std::mem::take(text),
                matched,
            });
        }
    };
    for c in marked.chars() {
        match c {
            MATCH_START => {
                flush(&mut text, matched);
                matched = true;
            }
            MATCH_END => {
                flush(&mut text, matched);
                matched = false;
            }
            c => text.push(c),
        }
    }
    flush(&mut text, matched);
    out
}

/// One record found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The record's slug; for a contact, its organisation's.
    pub id: String,
    pub title: Vec<Fragment>,
    pub snippet: Vec<Fragment>,
}

/// A page of hits, with how many of each kind matched in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Matches of each kind, over every page, whatever kind was asked for.
    pub counts: Vec<(SearchKind, i64)>,
    /// Matches of the kind asked for (or of every kind), over every page.
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> SearchQuery {
        SearchQuery {
            q: Some(q.to_owned()),
            ..SearchQuery::default()
        }
    }

    #[test]
    fn words_are_letters_and_digits_only() {
        assert_eq!(
            words("\"Camden\" OR NEAR(x*) 2030-goals"),
            ["camden", "or", "near", "x", "2030", "goals"]
        );
        assert_eq!(words("Öffentliche Räume"), ["öffentliche", "räume"]);
        assert_eq!(words(&"a ".repeat(40)).len(), MAX_WORDS);
    }

    #[test]
    fn punctuation_alone_or_nothing_is_no_search_and_a_bad_kind_is_named() {
        assert_eq!(Search::parse(&query("*** ---")).map(|(s, _)| s), Ok(None));
        assert_eq!(
            Search::parse(&query("  ")).map(|(s, _)| s),
            Ok(None),
            "an empty box is no search"
        );
        let bad_kind = SearchQuery {
            kind: Some("contacts".into()),
            ..query("ucl")
        };
        assert!(matches!(
            Search::parse(&bad_kind),
            Err(DomainError::Invalid(e)) if e[0].field == "kind"
        ));
    }

    #[test]
    fn marks_become_fragments() {
        let marked = format!("The {MATCH_START}Camden{MATCH_END} summit");
        assert_eq!(
            fragments(&marked),
            [
                Fragment {
                    text: "The ".into(),
                    matched: false
                },
                Fragment {
                    text: "Camden".into(),
                    matched: true
                },
                Fragment {
                    text: " summit".into(),
                    matched: false
                },
            ]
        );
    }
}
