//! Asks: what the place needs from its partners, put to partners and
//! answered; and matching, which ranks the partners who could answer an
//! ask and says why. Staff and admins only (the domain's policy): to anyone
//! else an ask is as missing as one that does not exist.

use placeweave_domain::ask::{
    AUDIENCE, Ask, AskForm, AskMadeForm, AskNeeds, AskStatus, Match, rank,
};
use placeweave_domain::date::iso_date;
use placeweave_domain::{Action, Resource, Target};
use placeweave_store::{AskFilter, StoreError};

use crate::record::slug_from;
use crate::{App, AppError, Result, Scope, now};

/// How many partners matching lists for an ask.
pub const MATCHES: usize = 20;

/// Addresses an ask cannot take: the pages' own paths.
const RESERVED: &[&str] = &["new"];

fn kind() -> Target<'static> {
    Target::kind_at(Resource::Ask, AUDIENCE)
}

fn missing(err: StoreError) -> AppError {
    match err {
        StoreError::Missing(_) => AppError::NotFound,
        other => other.into(),
    }
}

impl App {
    /// Whether the caller may read asks at all: asked before a list that
    /// belongs to one ask, so that the public are asked to sign in.
    pub fn may_read_asks(&self, scope: &Scope) -> Result<()> {
        scope.require(Action::Read, &kind())
    }

    /// Whether the caller may record asks (for the form's page).
    pub fn may_record_asks(&self, scope: &Scope) -> Result<()> {
        scope.require(Action::Create, &kind())
    }

    /// The asks the caller may see: all, or by status or mission.
    pub async fn asks(&self, scope: &Scope, filter: &AskFilter) -> Result<Vec<Ask>> {
        scope.require(Action::Read, &kind())?;
        Ok(self.store.asks(scope.key(), scope.viewer(), filter).await?)
    }

    /// One ask, as the caller may see it.
    pub async fn ask(&self, scope: &Scope, slug: &str) -> Result<Ask> {
        let filter = AskFilter {
            slug: Some(slug.to_owned()),
            ..AskFilter::default()
        };
        let found = self
            .store
            .asks(scope.key(), scope.viewer(), &filter)
            .await?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        scope.require(Action::Read, &kind())?;
        Ok(found)
    }

    /// Records a new ask; its id is made from its title.
    pub async fn create_ask(&self, scope: &Scope, form: &AskForm) -> Result<Ask> {
        scope.require(Action::Create, &kind())?;
        let draft = form.validate()?;
        let mut slug = slug_from(&draft.title, "title")?;
        if RESERVED.contains(&slug.as_str()) {
            slug.push_str("-ask");
        }
        let write = scope.write(Resource::Ask);
        self.store
            .create_ask(&write, &slug, &draft, false)
            .await
            .map_err(|err| AppError::from(err).naming("title"))?;
        self.ask(scope, &slug).await
    }

    /// Changes an ask the caller read at `version`.
    pub async fn update_ask(
        &self,
        scope: &Scope,
        slug: &str,
        version: i64,
        form: &AskForm,
    ) -> Result<Ask> {
        self.ask(scope, slug).await?;
        scope.require(Action::Update, &kind())?;
        let draft = form.validate()?;
        let write = scope.write(Resource::Ask);
        self.store
            .update_ask(&write, slug, version, &draft)
            .await
            .map_err(missing)?;
        self.ask(scope, slug).await
    }

    /// Records that the ask was put to a partner, and any answer so far.
    pub async fn record_ask_made(
        &self,
        scope: &Scope,
        slug: &str,
        form: &AskMadeForm,
    ) -> Result<Ask> {
        self.ask(scope, slug).await?;
        scope.require(Action::Update, &kind())?;
        if form.version.is_some() {
            return Err(AppError::invalid(
                "version",
                "A new record of an ask has no version: leave it out",
            ));
        }
        let made = form.validate()?;
        let write = scope.write(Resource::Ask);
        self.store
            .record_ask_made(&write, slug, &made)
            .await
            .map_err(missing)?;
        self.ask(scope, slug).await
    }

    /// Records the answer to one time the ask was put to a partner, at the
    /// version of it the caller read: an answer someone else recorded
    /// since is a conflict, not overwritten.
    pub async fn answer_ask_made(
        &self,
        scope: &Scope,
        slug: &str,
        made_id: i64,
        form: &AskMadeForm,
    ) -> Result<Ask> {
        self.ask(scope, slug).await?;
        scope.require(Action::Update, &kind())?;
        let Some(version) = form.version else {
            return Err(AppError::invalid(
                "version",
                "Send the version of the answer you read",
            ));
        };
        let made = form.validate()?;
        let write = scope.write(Resource::Ask);
        self.store
            .answer_ask_made(&write, slug, (made_id, version), &made)
            .await
            .map_err(missing)?;
        self.ask(scope, slug).await
    }

    /// The partners best placed to answer an open ask, best first, each
    /// with the factors of its score; a filled or withdrawn ask has none.
    pub async fn ask_matches(&self, scope: &Scope, ask: &Ask) -> Result<Vec<Match>> {
        scope.require(Action::Read, &kind())?;
        if ask.status != AskStatus::Open {
            return Ok(vec![]);
        }
        let mission_id = self
            .store
            .mission_key(scope.key(), scope.viewer(), &ask.mission.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let needs = AskNeeds {
            mission_id,
            lever: ask.lever,
            ward: ask.ward.clone(),
        };
        let today = iso_date(now());
        // Kept per data version and day (fatigue counts days): an ask's
        // page is read far more often than anything it weighs changes.
        let key = (scope.key(), scope.viewer(), format!("{needs:?} {today}"));
        self.through(&self.matches, key, || async {
            let candidates = self
                .store
                .ask_candidates(scope.key(), scope.viewer(), &needs, &today)
                .await?;
            Ok(rank(&needs, &candidates, MATCHES))
        })
        .await
    }
}
