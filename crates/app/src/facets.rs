//! The directory's filter option counts, cached per data version: every
//! committed change to a record writes an audit line, so the newest audit
//! line's id changes whenever any count could, and reading it is one index
//! lookup. A cached answer is therefore never stale, whichever server (of
//! several on one PostgreSQL database) made the change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use placeweave_domain::filter::Facets;
use placeweave_domain::{OrganisationFilter, Viewer};

use crate::{App, Result, Scope};

/// Most answers kept; past this the cache starts again (filters are
/// chosen from short lists, so a busy directory stays well under it).
const CAPACITY: usize = 2_000;

#[derive(Debug, Default)]
pub(crate) struct FacetCache {
    version: i64,
    answers: HashMap<(i64, Viewer, String), Facets>,
}

pub(crate) type SharedFacetCache = Arc<Mutex<FacetCache>>;

impl App {
    /// How many organisations each directory filter option would give the
    /// caller, with the other filters in force; options with none are left
    /// out. Counted at the caller's own level, so hidden records never count.
    pub async fn facets(&self, scope: &Scope, filter: &OrganisationFilter) -> Result<Facets> {
        let version = self.store.data_version().await?;
        let key = (scope.key(), scope.viewer(), format!("{filter:?}"));
        if let Ok(cache) = self.facets.lock()
            && cache.version == version
            && let Some(found) = cache.answers.get(&key)
        {
            return Ok(found.clone());
        }
        let facets = self
            .store
            .facets(scope.key(), scope.viewer(), filter)
            .await?;
        if let Ok(mut cache) = self.facets.lock() {
            if cache.version != version || cache.answers.len() >= CAPACITY {
                cache.answers.clear();
                cache.version = version;
            }
            // A write since `version` was read makes this answer older than
            // the version it is filed under only until the next request
            // reads the newer version and starts again.
            cache.answers.insert(key, facets.clone());
        }
        Ok(facets)
    }
}
