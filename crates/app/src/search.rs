//! Site search: the records the caller may read that match, ranked.

use placeweave_domain::search::{Search, SearchKind, SearchResults};
use placeweave_domain::{Action, Audience, PageRequest, Resource, Target};

use placeweave_store::privacy::AuditLine;

use crate::{App, Result, Scope};

/// Where results are shown. Pages may list contacts (by name, for those who
/// may read contacts, linking to the page that logs the view); the API
/// serves no contact records at all, so its search has none either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchChannel {
    Pages,
    Api,
}

impl App {
    /// One page of the records the caller may read that match `search`,
    /// best first, with counts by kind. Audiences are applied in the query
    /// itself, so a hidden record is neither returned nor counted.
    pub async fn search(
        &self,
        scope: &Scope,
        search: &Search,
        channel: SearchChannel,
        page: PageRequest,
    ) -> Result<SearchResults> {
        let contacts = channel == SearchChannel::Pages
            && scope.permits(
                Action::Read,
                &Target::new(Resource::Contact, Audience::Staff, None),
            );
        let kinds: Vec<SearchKind> = SearchKind::ALL
            .iter()
            .copied()
            .filter(|k| *k != SearchKind::Contact || contacts)
            .collect();
        // Answers are kept per data version like the directory's counts
        // (a popular search is ranked once per change, not per request);
        // unlike them, different searches are computed side by side.
        let key = (
            scope.key(),
            scope.viewer(),
            format!("{search:?} {kinds:?} {} {}", page.page, page.per_page),
        );
        let version = self.data_version().await?;
        let results = match crate::counts::cached(&self.searches, version, &key) {
            Some(found) => found,
            None => {
                let found = self
                    .store
                    .search(scope.key(), scope.viewer(), search, &kinds, page)
                    .await?;
                crate::counts::keep(&self.searches, version, key, found.clone());
                found
            }
        };
        // Contacts shown are logged, as on an organisation's contacts page.
        let shown: Vec<&str> = results
            .hits
            .iter()
            .filter(|h| h.kind == SearchKind::Contact)
            .map(|h| h.id.as_str())
            .collect();
        if !shown.is_empty() {
            self.store
                .audit(
                    &AuditLine {
                        actor: scope.actor(),
                        action: "view-contacts",
                        record_type: "search",
                        record_id: None,
                        detail: Some(
                            serde_json::json!({
                                "contacts_shown": shown.len(),
                                "organisations": shown,
                            })
                            .to_string(),
                        ),
                    },
                    crate::now(),
                )
                .await?;
        }
        Ok(results)
    }
}
