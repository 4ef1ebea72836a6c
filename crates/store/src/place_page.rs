//! A place's required pages as its administrators wrote them. A page with
//! no row shows its default text; see `domain::place_page`.

use placeweave_domain::place_page::PageKind;
use sqlx::FromRow;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::sql::sql;
use crate::write::Tx;

/// A page's stored text.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredPage {
    pub body: String,
    pub version: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct Version {
    version: i64,
}

impl Store {
    /// The page's stored text, if an administrator has written one.
    pub async fn place_page(&self, place: i64, page: PageKind) -> Result<Option<StoredPage>> {
        self.exec()
            .optional::<StoredPage>(sql!(
                "SELECT body, version, updated_at FROM place_page WHERE place_id = $1 AND page = $2",
                place,
                page.slug()
            ))
            .await
    }
}

impl Tx {
    /// Saves a page's text if it is still at `version` (0: still the
    /// default, nothing stored); returns the new version. The check and
    /// the write are one statement, so of two edits from one version
    /// exactly one wins; the other is `Stale`.
    pub async fn save_place_page(
        &mut self,
        place: i64,
        page: PageKind,
        body: &str,
        version: i64,
        now: i64,
    ) -> Result<i64> {
        let saved = if version == 0 {
            self.exec()
                .optional::<Version>(sql!(
                    "INSERT INTO place_page (place_id, page, body, version, updated_at) \
                     VALUES ($1, $2, $3, 1, $4) ON CONFLICT (place_id, page) DO NOTHING \
                     RETURNING version",
                    place,
                    page.slug(),
                    body,
                    now
                ))
                .await?
        } else {
            self.exec()
                .optional::<Version>(sql!(
                    "UPDATE place_page SET body = $3, version = version + 1, updated_at = $5 \
                     WHERE place_id = $1 AND page = $2 AND version = $4 RETURNING version",
                    place,
                    page.slug(),
                    body,
                    version,
                    now
                ))
                .await?
        };
        match saved {
            Some(saved) => Ok(saved.version),
            None => {
                let current = self
                    .exec()
                    .optional::<Version>(sql!(
                        "SELECT version FROM place_page WHERE place_id = $1 AND page = $2",
                        place,
                        page.slug()
                    ))
                    .await?
                    .map_or(0, |v| v.version);
                Err(StoreError::Stale { current })
            }
        }
    }
}
