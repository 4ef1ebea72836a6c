//! Places and their headline numbers.

use placeweave_domain::Principal;
use placeweave_domain::place::Headline;
use placeweave_store::PlaceRecord;

use crate::{App, Result, Scope};

impl App {
    /// Every place the caller may see.
    pub async fn places(&self, principal: &Principal) -> Result<Vec<PlaceRecord>> {
        let places = self.store.places(principal.viewer()).await?;
        Ok(places
            .into_iter()
            .filter(|p| {
                principal
                    .in_place(p.key)
                    .viewer()
                    .can_read(p.place.audience)
            })
            .collect())
    }

    /// The home page's numbers, counting only what the caller may see.
    pub async fn headline(&self, scope: &Scope) -> Result<Headline> {
        Ok(self.store.headline(scope.key(), scope.viewer()).await?)
    }
}
