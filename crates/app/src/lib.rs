//! Placeweave's application layer: every use case written once. Each takes
//! a [`Scope`] (the caller as they act in one place), asks the domain's
//! policy, runs in one transaction with its audit line, and returns records
//! already cut to what the caller may see. Pages, the API and the command
//! line call only this layer; none of them decides who may see what.

pub mod account;
pub mod ask;
pub mod briefing;
mod commitment;
mod contact;
pub mod contribution;
mod counts;
pub mod ecosystem;
pub mod enquiry;
mod error;
mod experiment;
mod initiative;
mod interaction;
pub mod jobs;
pub mod kumu;
pub mod map;
mod mission;
pub mod my_work;
pub mod network;
mod open_data;
pub mod operations;
mod organisation;
pub mod outcome;
mod outcome_import;
mod outcome_theme;
pub mod partnership;
pub mod password;
pub mod password_reset;
pub mod person;
mod place;
mod place_page;
mod record;
mod record_update;
mod relationship;
mod role;
mod scope;
mod search;
pub mod session;
mod story;
pub mod token;
pub mod upload;

use std::time::{SystemTime, UNIX_EPOCH};

use placeweave_store::Store;

pub use account::{AccountRef, Invitation, InviteRequest, Operator};
pub use commitment::CommitmentQuery;
pub use error::AppError;
pub use initiative::InitiativeQuery;
pub use record::{Edit, Record};
pub use scope::Scope;
pub use search::SearchChannel;

pub type Result<T> = std::result::Result<T, AppError>;

/// The use cases, over one store.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    facets: counts::Shared<placeweave_domain::filter::Facets>,
    counts: counts::Shared<i64>,
    headlines: counts::Shared<placeweave_domain::place::Headline>,
    searches: counts::Shared<placeweave_domain::search::SearchResults>,
    /// Contribution roll-ups (the mission dashboard's year on year).
    totals: counts::Shared<Vec<placeweave_domain::contribution::ContributionTotal>>,
    /// A mission's experiments by status and decision.
    tallies: counts::Shared<Vec<experiment::Tally>>,
    /// The wards named in a place, for filters and forms.
    wards: counts::Shared<Vec<String>>,
    /// The pipeline's counts by stage, and its pages, per filter.
    stage_counts: counts::Shared<Vec<(placeweave_domain::relationship::RelationshipStage, usize)>>,
    pipeline_pages: counts::Shared<Vec<placeweave_domain::relationship::Relationship>>,
    /// Each ask's ranked partners (by its needs and the day).
    matches: counts::Shared<Vec<placeweave_domain::ask::Match>>,
    /// Briefings and "My work", for each reader and day.
    briefings: counts::Shared<briefing::Briefing>,
    my_work: counts::Shared<Option<my_work::MyWork>>,
    /// Taken to compute any of the counts above (see `counts`).
    computing: std::sync::Arc<tokio::sync::Mutex<()>>,
    analyses: network::AnalysisCache,
    /// Each view's network analysis and map, per data version: a request
    /// that finds one reads no records at all.
    networks: counts::Shared<std::sync::Arc<network::NetworkAnalysis>>,
    maps: counts::Shared<std::sync::Arc<placeweave_domain::map::MapDocument>>,
    /// Taken to analyse a network, and to build a map, so a burst of
    /// requests after a write waits for one computation of each.
    analysing: std::sync::Arc<tokio::sync::Mutex<()>>,
    mapping: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Taken to compose a briefing or "My work": they read kept counts
    /// themselves, under `computing`.
    composing: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Places by slug, as each level of reader may see them.
    places: counts::Shared<Option<placeweave_store::PlaceRecord>>,
    /// The data version last read (see `App::data_version`).
    version_seen: std::sync::Arc<std::sync::Mutex<Option<counts::VersionSeen>>>,
}

impl App {
    pub fn new(store: Store) -> Self {
        App {
            store,
            facets: counts::Shared::default(),
            counts: counts::Shared::default(),
            headlines: counts::Shared::default(),
            searches: counts::Shared::default(),
            totals: counts::Shared::default(),
            tallies: counts::Shared::default(),
            wards: counts::Shared::default(),
            stage_counts: counts::Shared::default(),
            pipeline_pages: counts::Shared::default(),
            matches: counts::Shared::default(),
            briefings: counts::Shared::default(),
            my_work: counts::Shared::default(),
            computing: Default::default(),
            analyses: Default::default(),
            networks: counts::Shared::default(),
            maps: counts::Shared::default(),
            analysing: Default::default(),
            mapping: Default::default(),
            composing: Default::default(),
            version_seen: Default::default(),
            places: counts::Shared::default(),
        }
    }
}

/// Unix time, seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}
