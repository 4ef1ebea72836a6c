//! The partnership team's relationships: the pipeline (every relationship
//! by stage, filterable by owner, mission, kind and ward: a plain GET form
//! and tables, no JavaScript needed), one relationship's page with its
//! stage history, and its add and edit forms. Staff and admins only: the
//! application layer refuses everyone else.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_app::AppError;
use placeweave_domain::interaction::Interaction;
use placeweave_domain::relationship::{
    Formality, Health, PipelineFilter, Relationship, RelationshipStage,
};
use placeweave_domain::vocabulary::OrganisationKind;

/// How many of a partner's interactions its relationship page lists.
const RECENT_INTERACTIONS: i64 = 20;
use placeweave_domain::{DomainError, FieldError};

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, finish};
use super::saved::{Saved, after_save};
use super::{Chrome, PageResult, Pagination, Section, error_for, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// The pipeline's query string, as sent.
#[derive(serde::Deserialize, Default)]
pub struct PipelineQuery {
    stage: Option<String>,
    owner: Option<String>,
    mission: Option<String>,
    kind: Option<String>,
    ward: Option<String>,
    page: Option<String>,
}

/// How many of a stage's relationships the whole pipeline lists; the
/// stage's own page lists the rest, a page at a time.
const PER_STAGE: usize = 25;
/// How many one stage's page lists at a time.
const PER_PAGE: usize = 100;

/// One filter's select: name, label, options (value, text, selected), error.
pub struct Filter {
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String, bool)>,
    error: Option<String>,
}

/// The relationships at one stage: those listed here of `count`, and the
/// link to the rest.
pub struct StageGroup {
    stage: RelationshipStage,
    count: usize,
    relationships: Vec<Relationship>,
    more: Option<String>,
}

#[derive(Template)]
#[template(path = "relationships.html")]
struct PipelinePage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    filters: Vec<Filter>,
    applied: usize,
    total: usize,
    groups: Vec<StageGroup>,
    /// Pages of the one stage chosen, when it has more than one.
    pages: u32,
    pagination: Pagination,
    saved: Saved,
    /// Whether each row offers the one-step move (staff and admins).
    may_move: bool,
    stages: &'static [RelationshipStage],
    /// This page's address, for a move to return to.
    back: String,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    uri: axum::http::Uri,
    query: Result<Query<PipelineQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let raw = query.map(|Query(q)| q).unwrap_or_default();
    let parsed = PipelineFilter::parse(
        raw.stage.as_deref(),
        raw.owner.as_deref(),
        raw.mission.as_deref(),
        raw.kind.as_deref(),
        raw.ward.as_deref(),
    );
    let (filter, errors) = match parsed {
        Ok(filter) => (filter, vec![]),
        Err(DomainError::Invalid(errors)) => (PipelineFilter::default(), errors),
    };
    // Asked first, so that only those who may see relationships learn
    // anything from the page (the owners' names among them). Counted in
    // the database: only the rows shown are loaded.
    let counts = state.app.relationship_stage_counts(&scope, &filter).await?;
    let owners = state.app.relationship_owner_choices(&scope).await?;
    let missions = state.app.missions(&scope).await?;
    let wards = state.app.wards(&scope).await?;
    let option = |value: String, text: String, raw: &Option<String>| {
        let selected = raw.as_deref().map(str::trim) == Some(value.as_str());
        (value, text, selected)
    };
    let filter_of = |name, label, options: Vec<(String, String)>, raw: &Option<String>| Filter {
        name,
        label,
        options: options
            .into_iter()
            .map(|(value, text)| option(value, text, raw))
            .collect(),
        error: error_for(&errors, name),
    };
    let filters = vec![
        filter_of(
            "stage",
            "Stage",
            RelationshipStage::ALL
                .iter()
                .map(|s| (s.slug().to_owned(), s.label().to_owned()))
                .collect(),
            &raw.stage,
        ),
        filter_of("owner", "Owner", owners, &raw.owner),
        filter_of(
            "mission",
            "Mission",
            missions.into_iter().map(|m| (m.id, m.short_name)).collect(),
            &raw.mission,
        ),
        filter_of(
            "kind",
            "Kind of organisation",
            OrganisationKind::ALL
                .iter()
                .map(|k| (k.slug().to_owned(), k.label().to_owned()))
                .collect(),
            &raw.kind,
        ),
        filter_of(
            "ward",
            "Ward",
            wards.into_iter().map(|w| (w.clone(), w)).collect(),
            &raw.ward,
        ),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let count_of = |stage: RelationshipStage| {
        counts
            .iter()
            .find(|(s, _)| *s == stage)
            .map_or(0, |(_, n)| *n)
    };
    let total = if errors.is_empty() {
        counts.iter().map(|(_, n)| n).sum()
    } else {
        0
    };
    // The address of these filters with another stage or page.
    let query_with = |stage: &str, page: Option<u32>| {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        pairs.append_pair("stage", stage);
        for (name, value) in [
            ("owner", &raw.owner),
            ("mission", &raw.mission),
            ("kind", &raw.kind),
            ("ward", &raw.ward),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                pairs.append_pair(name, value);
            }
        }
        if let Some(page) = page {
            pairs.append_pair("page", &page.to_string());
        }
        format!("/relationships?{}", pairs.finish())
    };
    let one_stage = filter.stage;
    let pages = one_stage.map_or(1, |stage| count_of(stage).div_ceil(PER_PAGE).max(1));
    let current = raw
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .filter(|p| (1..=pages).contains(p))
        .unwrap_or(1);
    let (skip, take) = if one_stage.is_some() {
        ((current - 1) * PER_PAGE, PER_PAGE)
    } else {
        (0, PER_STAGE)
    };
    let mut shown = if errors.is_empty() {
        state
            .app
            .relationships_by_stage(&scope, &filter, skip, take)
            .await?
    } else {
        vec![]
    };
    let groups: Vec<StageGroup> = RelationshipStage::ALL
        .iter()
        .map(|stage| {
            let count = if errors.is_empty() {
                count_of(*stage)
            } else {
                0
            };
            let (here, rest) = shown.drain(..).partition(|r| r.stage == *stage);
            shown = rest;
            StageGroup {
                stage: *stage,
                count,
                relationships: here,
                more: (one_stage.is_none() && count > PER_STAGE)
                    .then(|| query_with(stage.slug(), None)),
            }
        })
        .collect();
    let pages = u32::try_from(pages).unwrap_or(u32::MAX);
    let current = u32::try_from(current).unwrap_or(1);
    let pagination = match one_stage {
        Some(stage) => Pagination::new(current, pages, |n| query_with(stage.slug(), Some(n))),
        None => Pagination::default(),
    };
    let may_move = groups
        .iter()
        .flat_map(|g: &StageGroup| g.relationships.first())
        .next()
        .is_some_and(|r| scope.may_update(r));
    let page = PipelinePage {
        saved,
        may_move,
        stages: RelationshipStage::ALL,
        back: pipeline_href(&uri.to_string()),
        chrome: Chrome::new(&scope, Section::Relationships, &caller),
        errors,
        filters,
        applied: filter.applied(),
        total,
        groups,
        pages,
        pagination,
    };
    render(status, &page)
}

#[derive(Template)]
#[template(path = "relationship.html")]
struct RelationshipPage {
    chrome: Chrome,
    relationship: Relationship,
    /// The partner's recent interactions.
    interactions: Vec<Interaction>,
    may_edit: bool,
    saved: Saved,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(raw): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let id = <Relationship as placeweave_app::Record>::parse_key(&raw).ok_or(Failure::NotFound)?;
    let relationship = state.app.get::<Relationship>(&scope, &id).await?;
    let interactions = state
        .app
        .interactions(
            &scope,
            Some(relationship.organisation.id.clone()),
            Some(RECENT_INTERACTIONS),
        )
        .await?;
    let page = RelationshipPage {
        interactions,
        chrome: Chrome::new(&scope, Section::Relationships, &caller).titled(format!(
            "Relationship with {}",
            relationship.organisation.name
        )),
        may_edit: scope.may_update(&relationship),
        relationship,
        saved,
    };
    render(StatusCode::OK, &page)
}

/// Radios for a vocabulary: value, label and meaning.
fn radios<T: Copy>(
    all: &[T],
    describe: impl Fn(T) -> (&'static str, &'static str, &'static str),
) -> Control {
    Control::Radios(
        all.iter()
            .map(|term| {
                let (slug, label, meaning) = describe(*term);
                (slug.to_owned(), label.to_owned(), meaning.to_owned())
            })
            .collect(),
    )
}

impl FormPage for Relationship {
    const SECTION: Section = Section::Relationships;
    const ADD_HEADING: &'static str = "Add a relationship";
    fn new_href(_owner: Option<&str>) -> String {
        "/relationships/new".into()
    }
    fn edit_href(key: &i64) -> String {
        format!("/relationships/{key}/edit")
    }
    const SAVED: &'static str = "relationship";
    fn saved_href(&self) -> String {
        format!("/relationships/{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit the relationship with {}", self.organisation.name)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let organisations = state.app.organisation_choices(view.scope).await?;
        let owners = state.app.relationship_owner_choices(view.scope).await?;
        let missions = state.app.missions(view.scope).await?;
        let r = view.record;
        let back = match view.version {
            Some(_) => (
                format!("/relationships/{}", r.id),
                "Back to the relationship".to_owned(),
            ),
            None => (
                "/relationships".to_owned(),
                "Back to relationships".to_owned(),
            ),
        };
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Relationships, view.caller),
            errors: vec![],
            caption: "Relationship",
            heading: heading(&view),
            back,
            action: view.action.clone(),
            version: view.version,
            submit: "Save relationship",
            fields: vec![
                FormField::new(
                    "organisation",
                    "Partner organisation",
                    Control::Select(organisations, "Choose an organisation"),
                    r.organisation.id.clone(),
                )
                .autocomplete(),
                FormField::new(
                    "stage",
                    "Stage",
                    radios(RelationshipStage::ALL, |s| {
                        (s.slug(), s.label(), s.meaning())
                    }),
                    r.stage.slug(),
                )
                .hint("Changing the stage adds it to the relationship's history, dated today."),
                FormField::new(
                    "owners",
                    "Owners",
                    Control::Checkboxes(owners),
                    r.owners
                        .iter()
                        .map(|o| o.id.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
                .hint("The staff who look after this relationship."),
                FormField::new(
                    "formality",
                    "Formality",
                    radios(Formality::ALL, |f| (f.slug(), f.label(), "")),
                    r.formality.slug(),
                ),
                FormField::new(
                    "missions",
                    "Missions it serves",
                    Control::Checkboxes(
                        missions.into_iter().map(|m| (m.id, m.short_name)).collect(),
                    ),
                    r.missions
                        .iter()
                        .map(|m| m.id.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                FormField::new(
                    "health",
                    "Health",
                    Control::Select(
                        Health::ALL
                            .iter()
                            .map(|h| (h.slug().to_owned(), h.label().to_owned()))
                            .collect(),
                        "Not rated",
                    ),
                    r.health.map(|h| h.slug()).unwrap_or_default(),
                ),
                FormField::new(
                    "health_reason",
                    "Why the health is rated so (staff only)",
                    Control::TextArea,
                    r.health_reason.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "sensitivities",
                    "Sensitivities (restricted: owners and administrators)",
                    Control::TextArea,
                    r.sensitivities.clone().unwrap_or_default(),
                )
                .hint("Anything to handle with care. Only this relationship's owners and administrators can read this."),
            ],
        };
        finish(view, form)
    }
}

/// The one-step move's form, as sent: the stage to move to, the version
/// read, and the pipeline's filters to return to.
#[derive(serde::Deserialize, Default)]
pub struct MoveForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    back: String,
}

#[derive(Template)]
#[template(path = "relationship_stage.html")]
struct StagePage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    relationship: Relationship,
    /// The stage chosen (the current one until the mover chooses).
    chosen: String,
    relationship_stages: &'static [RelationshipStage],
    version: i64,
    back: String,
}

/// The pipeline's address with only its own filters from `back` (what the
/// mover was looking at), so a form cannot send anyone elsewhere.
fn pipeline_href(back: &str) -> String {
    let query = back.split_once('?').map_or("", |(_, q)| q);
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if matches!(
            name.as_ref(),
            "stage" | "owner" | "mission" | "kind" | "ward" | "page"
        ) && !value.trim().is_empty()
        {
            pairs.append_pair(&name, &value);
        }
    }
    match pairs.finish() {
        q if q.is_empty() => "/relationships".to_owned(),
        q => format!("/relationships?{q}"),
    }
}

async fn stage_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    status: StatusCode,
    form: Option<&MoveForm>,
    errors: Vec<FieldError>,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let relationship = state.app.editable::<Relationship>(&scope, &id).await?;
    let chosen = form
        .map(|f| f.stage.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| relationship.stage.slug().to_owned());
    render(
        status,
        &StagePage {
            chrome: Chrome::new(&scope, Section::Relationships, caller).titled(format!(
                "Move the relationship with {}",
                relationship.organisation.name
            )),
            errors,
            chosen,
            relationship_stages: RelationshipStage::ALL,
            // Always the version now stored: after a conflict the mover
            // sees where it is and chooses again.
            version: relationship.version,
            back: pipeline_href(form.map_or("", |f| f.back.as_str())),
            relationship,
        },
    )
}

/// `/relationships/{id}/stage`: the move on a page of its own (where the
/// pipeline's one-step move lands when it needs an answer).
pub async fn stage_form(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    query: Result<Query<MoveForm>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let id = super::record_id(&raw)?;
    let form = query.map(|Query(f)| f).unwrap_or_default();
    stage_page(&state, &caller, id, StatusCode::OK, Some(&form), vec![]).await
}

/// Moves a relationship to the stage chosen, from the pipeline or the
/// page above, and returns to the pipeline as it was filtered.
pub async fn move_stage(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw): Path<String>,
    form: Result<axum::Form<MoveForm>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    let id = super::record_id(&raw)?;
    let form = form.map(|axum::Form(f)| f).unwrap_or_default();
    let scope = state.scope(&caller).await?;
    match state
        .app
        .move_relationship(&scope, id, &form.stage, &form.version)
        .await
    {
        Ok(moved) => {
            let href = format!(
                "{}#stage-{}",
                after_save(&pipeline_href(&form.back), "stage"),
                moved.stage.slug()
            );
            Ok(Redirect::to(&href).into_response())
        }
        Err(AppError::Conflict) => {
            let errors = vec![FieldError::new(
                "stage",
                "Someone changed this relationship after you opened the pipeline: check its stage now and choose again",
            )];
            stage_page(
                &state,
                &caller,
                id,
                StatusCode::CONFLICT,
                Some(&form),
                errors,
            )
            .await
        }
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            stage_page(
                &state,
                &caller,
                id,
                StatusCode::BAD_REQUEST,
                Some(&form),
                errors,
            )
            .await
        }
    }
}
