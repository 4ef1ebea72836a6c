//! Places and their headline numbers.

use placeweave_domain::Principal;
use placeweave_store::PlaceRecord;

use crate::{App, Result};

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
}
