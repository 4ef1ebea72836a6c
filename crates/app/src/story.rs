//! Stories: reading, writing and publishing them (staff), the list, and
//! the published stories a mission, an organisation or the feed shows.

use placeweave_domain::story::{Story, StoryFilter, StorySummary, apply_to_story};
use placeweave_domain::{PageRequest, Principal, Resource};

use crate::record::slug_record;
use crate::{App, Scope};

slug_record!(
    Story,
    Resource::Story,
    title,
    apply: apply_to_story,
    load: story,
    insert: create_story,
    save: update_story,
    blank: Story::blank(),
    readers = readers
);

/// How many published stories a mission or an organisation page shows.
const LATEST: u32 = 3;

impl App {
    /// One page of the stories the caller may read, and how many match.
    pub async fn stories(
        &self,
        scope: &Scope,
        filter: &StoryFilter,
        page: PageRequest,
    ) -> crate::Result<(Vec<StorySummary>, i64)> {
        Ok(self
            .store
            .stories_page(scope.key(), scope.viewer(), filter, page)
            .await?)
    }

    /// The latest published stories the caller may read that match
    /// `filter` (a mission, or a partner credited), newest first.
    pub async fn latest_stories(
        &self,
        scope: &Scope,
        filter: StoryFilter,
    ) -> crate::Result<Vec<StorySummary>> {
        let filter = StoryFilter {
            published_only: true,
            ..filter
        };
        let page = PageRequest {
            page: 1,
            per_page: LATEST,
        };
        Ok(self.stories(scope, &filter, page).await?.0)
    }

    /// Every published story the public may read, newest first: the feed.
    /// Whoever asks, the feed is the public's, so a feed reader signed in
    /// as staff never republishes what only staff may see.
    pub async fn story_feed(&self, scope: &Scope) -> crate::Result<Vec<StorySummary>> {
        let public = self
            .scope(&Principal::Public, &scope.place().place.id)
            .await?;
        let filter = StoryFilter {
            published_only: true,
            ..StoryFilter::default()
        };
        Ok(self
            .stories(&public, &filter, PageRequest::everything())
            .await?
            .0)
    }
}
