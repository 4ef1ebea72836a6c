//! Counts that would otherwise scan a place's records on every request —
//! the home page's headline numbers, the organisations directory's total
//! and each filter option's — cached per data version: every committed change to a record
//! writes an audit line, which moves the data version on in the same
//! transaction (`Store::data_version`), so it changes whenever any count
//! could, and reading it is one row. A cached count is
//! therefore never stale, whichever server (of several on one PostgreSQL
//! database) made the change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use placeweave_domain::filter::Facets;
use placeweave_domain::place::Headline;
use placeweave_domain::{OrganisationFilter, Viewer};

use crate::{App, Result, Scope};

/// Most answers kept; past this a cache starts again (filters are chosen
/// from short lists, so a busy directory stays well under it).
const CAPACITY: usize = 2_000;

/// How long a data version read from the database is trusted for what
/// other processes may have written (this process's own commits are seen
/// at once).
pub const RECHECK: std::time::Duration = std::time::Duration::from_millis(250);

/// The data version last read, this process's commit count before the
/// read, and when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VersionSeen {
    version: i64,
    commits: u64,
    at: std::time::Instant,
}

/// Whose counts, of which filter (its position in the list left out).
pub(crate) type Key = (i64, Viewer, String);

#[derive(Debug)]
pub(crate) struct Counts<V> {
    version: i64,
    answers: HashMap<Key, V>,
}

impl<V> Default for Counts<V> {
    fn default() -> Self {
        Counts {
            version: -1,
            answers: HashMap::new(),
        }
    }
}

pub(crate) type Shared<V> = Arc<Mutex<Counts<V>>>;

fn key(scope: &Scope, filter: &OrganisationFilter) -> Key {
    let filter = OrganisationFilter {
        after: None,
        ..filter.clone()
    };
    (scope.key(), scope.viewer(), format!("{filter:?}"))
}

pub(crate) fn cached<V: Clone>(cache: &Shared<V>, version: i64, key: &Key) -> Option<V> {
    let cache = cache.lock().ok()?;
    (cache.version == version)
        .then(|| cache.answers.get(key).cloned())
        .flatten()
}

/// Files an answer computed after `version` was read. A write since then
/// makes it older than its version only until the next request reads the
/// newer version and starts the cache again.
pub(crate) fn keep<V>(cache: &Shared<V>, version: i64, key: Key, value: V) {
    if let Ok(mut cache) = cache.lock() {
        if cache.version != version || cache.answers.len() >= CAPACITY {
            cache.answers.clear();
            cache.version = version;
        }
        cache.answers.insert(key, value);
    }
}

impl App {
    /// The cached answer for `key` at the current data version, or else
    /// `compute`d and kept. One computation runs at a time: a burst of
    /// requests that all miss (the first after a write, 64 at once) waits
    /// for the first one's answer instead of each scanning the place.
    pub(crate) async fn through<V, F, Fut>(
        &self,
        cache: &Shared<V>,
        key: Key,
        compute: F,
    ) -> Result<V>
    where
        V: Clone,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V>>,
    {
        self.through_locked(&self.computing, cache, key, compute)
            .await
    }

    /// The same, taking `lock` to compute: a long computation (a network's
    /// analysis) holds up only others of its kind.
    pub(crate) async fn through_locked<V, F, Fut>(
        &self,
        lock: &tokio::sync::Mutex<()>,
        cache: &Shared<V>,
        key: Key,
        compute: F,
    ) -> Result<V>
    where
        V: Clone,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<V>>,
    {
        let version = self.data_version().await?;
        if let Some(found) = cached(cache, version, &key) {
            return Ok(found);
        }
        let _turn = lock.lock().await;
        let version = self.data_version().await?;
        if let Some(found) = cached(cache, version, &key) {
            return Ok(found);
        }
        let value = compute().await?;
        keep(cache, version, key, value.clone());
        Ok(value)
    }

    /// The data version: it changes whenever any record may have, so what
    /// was worked out at one version holds until it changes. Read from the
    /// database only when this process has committed something since the
    /// last read, or [`RECHECK`] has passed (for what another process —
    /// another server on the same PostgreSQL, the command line — wrote):
    /// a burst of readers then costs no query at all.
    pub async fn data_version(&self) -> Result<i64> {
        let commits = placeweave_store::commits();
        if let Ok(seen) = self.version_seen.lock()
            && let Some(seen) = *seen
            && seen.commits == commits
            && seen.at.elapsed() < RECHECK
        {
            return Ok(seen.version);
        }
        let version = self.store.data_version().await?;
        if let Ok(mut seen) = self.version_seen.lock() {
            // The count from before the read: a commit during it makes the
            // next reader read again.
            *seen = Some(VersionSeen {
                version,
                commits,
                at: std::time::Instant::now(),
            });
        }
        Ok(version)
    }

    /// The home page's numbers, counting only what the caller may see.
    pub async fn headline(&self, scope: &Scope) -> Result<Headline> {
        let key = (scope.key(), scope.viewer(), String::new());
        self.through(&self.headlines, key, || async {
            Ok(self.store.headline(scope.key(), scope.viewer()).await?)
        })
        .await
    }

    /// How many organisations each directory filter option would give the
    /// caller, with the other filters in force; options with none are left
    /// out. Counted at the caller's own level, so hidden records never count.
    pub async fn facets(&self, scope: &Scope, filter: &OrganisationFilter) -> Result<Facets> {
        self.through(&self.facets, key(scope, filter), || async {
            Ok(self
                .store
                .facets(scope.key(), scope.viewer(), filter)
                .await?)
        })
        .await
    }

    /// How many organisations the caller may see match `filter`.
    pub(crate) async fn organisation_count(
        &self,
        scope: &Scope,
        filter: &OrganisationFilter,
    ) -> Result<i64> {
        self.through(&self.counts, key(scope, filter), || async {
            Ok(self
                .store
                .organisation_count(scope.key(), scope.viewer(), filter)
                .await?)
        })
        .await
    }
}
