//! Placeweave's domain: the words of DESIGN.md as types, their validation, and
//! the one visibility policy every page, API response and export goes through.
//! Pure: no I/O here.

pub mod account;
pub mod ask;
pub mod commitment;
pub mod contact;
pub mod contribution;
pub mod date;
pub mod edit;
pub mod enquiry;
pub mod error;
pub mod experiment;
pub mod filter;
pub mod initiative;
pub mod interaction;
pub mod licence;
pub mod map;
pub mod mission;
pub mod mission_progress;
pub mod network;
pub mod offer;
pub mod organisation;
pub mod outcome;
pub mod partnership_report;
pub mod password;
pub mod place;
pub mod place_page;
pub mod policy;
pub mod record_update;
pub mod relationship;
pub mod search;
pub mod story;
pub mod visibility;
pub mod vocabulary;

pub use commitment::{Commitment, CommitmentStatus};
pub use error::{DomainError, FieldError};
pub use filter::{OrganisationFilter, PageRequest};
pub use initiative::{Initiative, Participant};
pub use mission::{Mission, OutcomeTheme};
pub use offer::Role;
pub use organisation::{Lever, LeverUse, Organisation};
pub use outcome::{Direction, Measure, MeasureValue, OutcomeSignal};
pub use place::Place;
pub use policy::{AccountRole, Action, Principal, Resource, Target};
pub use record_update::{Dated, RecordUpdate};
pub use visibility::{Audience, Viewer};
