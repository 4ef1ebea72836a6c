//! The brokerage briefing on a partner, as JSON (staff and admins; to
//! anyone else it is missing, exactly like an organisation that does not
//! exist). The same briefing as the page, less what never reaches an API
//! response: contact details, interaction summaries, notes on answers and
//! commitments, the reason given for a relationship's health, staff notes
//! and sensitivities. Each type here names only the fields it may carry,
//! so nothing private can slip in with a record's other fields.

use axum::Json;
use axum::extract::{Path, State};
use placeweave_app::briefing::{Briefing, OpenFollowUp, SuggestedAsk};
use placeweave_domain::ask::{Answer, AskSize, AskStatus, Factor};
use placeweave_domain::contribution::ContributionTotal;
use placeweave_domain::interaction::{Interaction, InteractionKind};
use placeweave_domain::organisation::LeverUse;
use placeweave_domain::place::{RecordRef, is_slug};
use placeweave_domain::relationship::{
    Formality, Health, Relationship, RelationshipStage, StageChange,
};
use placeweave_domain::vocabulary::{Lever, OrganisationKind};
use placeweave_domain::{Commitment, CommitmentStatus};
use placeweave_store::briefing::{AskMade, AskSummary};
use serde::Serialize;
use utoipa::ToSchema;

use super::common::{ApiResult, scope};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{Failure, Problem};

/// A briefing on one partner for someone about to meet them.
#[derive(Serialize, ToSchema)]
pub struct BriefingDocument {
    /// Who they are.
    organisation: BriefingOrganisation,
    /// The relationship with them; null if none is recorded.
    relationship: Option<BriefingRelationship>,
    /// The most recent interactions, newest first (at most 10).
    interactions: Vec<BriefingInteraction>,
    /// Follow-up actions not yet done, soonest due first.
    open_follow_ups: Vec<BriefingFollowUp>,
    /// Commitments neither completed nor withdrawn.
    commitments: Vec<BriefingCommitment>,
    /// Their contributions, totalled by measure and unit.
    contributions: Vec<ContributionTotal>,
    /// Asks already put to them and their answers, newest first.
    asks_made: Vec<BriefingAskMade>,
    /// The open asks not yet put to them that fit them best, best first
    /// (at most 5), with the factors of each score.
    suggested_asks: Vec<BriefingSuggestedAsk>,
}

/// Who the partner is.
#[derive(Serialize, ToSchema)]
pub struct BriefingOrganisation {
    id: String,
    name: String,
    kind: OrganisationKind,
    is_anchor: bool,
    description: Option<String>,
    wards: Vec<String>,
    levers: Vec<LeverUse>,
    website: Option<String>,
}

/// The relationship: stage and timeline, owners, formality, missions and
/// health (the reason for the rating is not given here).
#[derive(Serialize, ToSchema)]
pub struct BriefingRelationship {
    id: i64,
    stage: RelationshipStage,
    /// When the current stage was reached, if recorded.
    stage_since: Option<String>,
    /// Every stage reached, oldest first, with its date.
    history: Vec<StageChange>,
    /// The staff who own it: account ids and names.
    owners: Vec<RecordRef>,
    formality: Formality,
    missions: Vec<RecordRef>,
    health: Option<Health>,
    demonstration: bool,
}

/// An interaction: when, what kind and its outcomes (never its summary).
#[derive(Serialize, ToSchema)]
pub struct BriefingInteraction {
    id: i64,
    kind: InteractionKind,
    date: String,
    outcomes: Option<String>,
    demonstration: bool,
}

/// A follow-up action not yet done.
#[derive(Serialize, ToSchema)]
pub struct BriefingFollowUp {
    /// The interaction it was agreed at.
    interaction: i64,
    action: String,
    /// The staff account that will do it.
    owner: Option<RecordRef>,
    due: Option<String>,
}

/// A current commitment (without its staff note).
#[derive(Serialize, ToSchema)]
pub struct BriefingCommitment {
    id: i64,
    role: Option<RecordRef>,
    mission: Option<RecordRef>,
    status: CommitmentStatus,
    start_date: Option<String>,
    end_date: Option<String>,
    demonstration: bool,
}

/// An ask, as a briefing names it.
#[derive(Serialize, ToSchema)]
pub struct BriefingAsk {
    /// The ask's id (slug).
    id: String,
    title: String,
    mission: RecordRef,
    lever: Lever,
    ward: Option<String>,
    size: AskSize,
    status: AskStatus,
}

/// An ask put to the partner and the answer (without the note on it).
#[derive(Serialize, ToSchema)]
pub struct BriefingAskMade {
    ask: BriefingAsk,
    asked_on: String,
    answer: Answer,
    answered_on: Option<String>,
}

/// An open ask the partner could answer, and why it fits.
#[derive(Serialize, ToSchema)]
pub struct BriefingSuggestedAsk {
    ask: BriefingAsk,
    /// The sum of the factors' points.
    score: i64,
    factors: Vec<Factor>,
}

impl From<AskSummary> for BriefingAsk {
    fn from(a: AskSummary) -> Self {
        BriefingAsk {
            id: a.id,
            title: a.title,
            mission: a.mission,
            lever: a.lever,
            ward: a.ward,
            size: a.size,
            status: a.status,
        }
    }
}

impl From<Relationship> for BriefingRelationship {
    fn from(r: Relationship) -> Self {
        BriefingRelationship {
            stage_since: r.stage_since().map(str::to_owned),
            id: r.id,
            stage: r.stage,
            history: r.history,
            owners: r.owners,
            formality: r.formality,
            missions: r.missions,
            health: r.health,
            demonstration: r.demonstration,
        }
    }
}

impl From<Interaction> for BriefingInteraction {
    fn from(i: Interaction) -> Self {
        BriefingInteraction {
            id: i.id,
            kind: i.kind,
            date: i.date,
            outcomes: i.outcomes,
            demonstration: i.demonstration,
        }
    }
}

impl From<OpenFollowUp> for BriefingFollowUp {
    fn from(f: OpenFollowUp) -> Self {
        BriefingFollowUp {
            interaction: f.interaction,
            action: f.follow_up.action,
            owner: f.follow_up.owner,
            due: f.follow_up.due,
        }
    }
}

impl From<Commitment> for BriefingCommitment {
    fn from(c: Commitment) -> Self {
        BriefingCommitment {
            id: c.id,
            role: c.role,
            mission: c.mission,
            status: c.status,
            start_date: c.start_date,
            end_date: c.end_date,
            demonstration: c.demonstration,
        }
    }
}

impl From<AskMade> for BriefingAskMade {
    fn from(m: AskMade) -> Self {
        BriefingAskMade {
            ask: m.ask.into(),
            asked_on: m.asked_on,
            answer: m.answer,
            answered_on: m.answered_on,
        }
    }
}

impl From<SuggestedAsk> for BriefingSuggestedAsk {
    fn from(s: SuggestedAsk) -> Self {
        BriefingSuggestedAsk {
            ask: s.ask.into(),
            score: s.fit.score,
            factors: s.fit.factors,
        }
    }
}

impl From<Briefing> for BriefingDocument {
    fn from(b: Briefing) -> Self {
        let o = b.organisation;
        BriefingDocument {
            organisation: BriefingOrganisation {
                id: o.id,
                name: o.name,
                kind: o.kind,
                is_anchor: o.is_anchor,
                description: o.description,
                wards: o.wards,
                levers: o.levers,
                website: o.website,
            },
            relationship: b.relationship.map(Into::into),
            interactions: b.interactions.into_iter().map(Into::into).collect(),
            open_follow_ups: b.follow_ups.into_iter().map(Into::into).collect(),
            commitments: b.commitments.into_iter().map(Into::into).collect(),
            contributions: b.contributions,
            asks_made: b.asks_made.into_iter().map(Into::into).collect(),
            suggested_asks: b.suggested_asks.into_iter().map(Into::into).collect(),
        }
    }
}

/// The brokerage briefing on a partner (staff). Without contact details,
/// interaction summaries, notes, the health rating's reason or
/// sensitivities.
#[utoipa::path(get, path = "/api/v1/places/{place}/organisations/{organisation}/briefing", tag = "relationships",
    params(("place" = String, Path, description = "Place id"), ("organisation" = String, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The briefing", body = BriefingDocument),
        (status = 404, description = "No such organisation or place, or your account may not see briefings (answered alike)", body = Problem, content_type = "application/problem+json")))]
pub async fn briefing(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, organisation)): Path<(String, String)>,
) -> ApiResult<BriefingDocument> {
    let scope = scope(&state, &caller, &place).await?;
    if !is_slug(&organisation) {
        return Err(Failure::NotFound.into());
    }
    let briefing = state.app.briefing(&scope, &organisation).await?;
    Ok(Json(briefing.into()))
}
