//! When a record was last changed, and its source, as the caller may see it.

use placeweave_domain::{Dated, RecordUpdate};

use crate::{App, Result, Scope};

impl App {
    /// The "Last updated" line of a record's page: none for a record the
    /// caller may not see, exactly as for one that does not exist.
    pub async fn record_update(
        &self,
        scope: &Scope,
        kind: Dated,
        slug: &str,
    ) -> Result<Option<RecordUpdate>> {
        Ok(self
            .store
            .record_update(scope.key(), scope.viewer(), kind, slug)
            .await?)
    }
}
