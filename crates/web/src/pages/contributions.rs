//! Contributions: the list with its filters and totals, one contribution's
//! page, the logging form (one column, quick on a phone) and a partner's
//! impact page — what an organisation committed, contributed and was
//! credited with, printable for its board.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use placeweave_app::{CommitmentQuery, Record};
use placeweave_domain::commitment::Review;
use placeweave_domain::contribution::{Contribution, ContributionTotal, Measure, RollUp, Unit};
use placeweave_domain::filter::page_count;
use placeweave_domain::place::is_slug;
use placeweave_domain::{Commitment, FieldError, Organisation, PageRequest};
use placeweave_store::ContributionFilter;
use serde::Deserialize;

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::saved::Saved;
use super::{Chrome, PageResult, Pagination, Section, render, safe_link};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// The list's filters, as sent in its query string (and the API's).
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    pub organisation: Option<String>,
    pub mission: Option<String>,
    pub theme: Option<String>,
    pub ward: Option<String>,
    pub measure: Option<String>,
    pub year: Option<String>,
    /// What the totals are grouped by (pages only).
    pub by: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// Reads the filters, naming each bad one.
pub fn parse_filter(q: &FilterQuery, errors: &mut Vec<FieldError>) -> ContributionFilter {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let mut slug = |field: &str, v: &Option<String>| {
        let raw = given(v)?;
        if is_slug(raw) {
            Some(raw.to_owned())
        } else {
            errors.push(FieldError::new(
                field,
                "Must be an id made of a-z, 0-9 and hyphens",
            ));
            None
        }
    };
    let organisation = slug("organisation", &q.organisation);
    let mission = slug("mission", &q.mission);
    let theme = slug("theme", &q.theme);
    let mut filter = ContributionFilter {
        organisation,
        mission,
        theme,
        ..Default::default()
    };
    if let Some(ward) = given(&q.ward) {
        if ward.chars().count() > 100 {
            errors.push(FieldError::new(
                "ward",
                "Enter a ward name of 100 characters or fewer",
            ));
        } else if ward.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "ward",
                "Enter a ward name without control characters",
            ));
        } else {
            filter.ward = Some(ward.to_owned());
        }
    }
    if let Some(raw) = given(&q.measure) {
        filter.measure = Measure::parse(raw);
        if filter.measure.is_none() {
            errors.push(FieldError::new("measure", "Select a measure from the list"));
        }
    }
    if let Some(raw) = given(&q.year) {
        match raw.parse::<i32>() {
            Ok(y) if raw.len() == 4 && (1900..=2200).contains(&y) => filter.year = Some(y),
            _ => errors.push(FieldError::new(
                "year",
                "Enter a year as four digits, like 2026",
            )),
        }
    }
    filter
}

/// What the totals are grouped by: a mission unless asked otherwise.
fn parse_by(raw: Option<&str>, errors: &mut Vec<FieldError>) -> RollUp {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => RollUp::Mission,
        Some(raw) => RollUp::parse(raw).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "by",
                "Select what to total by from the list",
            ));
            RollUp::Mission
        }),
    }
}

/// One group of a roll-up: its name and its totals, one per measure and
/// unit (never added across them).
pub struct TotalGroup {
    pub label: String,
    pub totals: Vec<ContributionTotal>,
}

/// Gathers a roll-up's lines (already ordered by group) into groups.
pub fn grouped(totals: Vec<ContributionTotal>, none: &str) -> Vec<TotalGroup> {
    let mut groups: Vec<TotalGroup> = Vec::new();
    let mut last: Option<String> = None;
    for t in totals {
        if last.as_deref() != Some(t.group.as_str()) {
            last = Some(t.group.clone());
            let label = if t.group.is_empty() {
                none.to_owned()
            } else {
                t.label.clone()
            };
            groups.push(TotalGroup {
                label,
                totals: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.totals.push(t);
        }
    }
    groups
}

#[derive(Template)]
#[template(path = "contributions.html")]
struct ContributionsPage {
    chrome: Chrome,
    contributions: Vec<Contribution>,
    groups: Vec<TotalGroup>,
    by: RollUp,
    query: FilterQuery,
    missions: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    total: i64,
    page: u32,
    pages: u32,
    pagination: Pagination,
    may_log: bool,
    /// The filters in force as a query string, for the list's downloads.
    download: String,
}

impl ContributionsPage {
    fn chosen<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or_default()
    }
}

/// The filters in `query` as a query string (the list's downloads take
/// them); with the grouping of the totals when `by`.
fn filters(query: &FilterQuery, by: bool) -> url::form_urlencoded::Serializer<'static, String> {
    let mut parts = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("organisation", &query.organisation),
        ("mission", &query.mission),
        ("theme", &query.theme),
        ("ward", &query.ward),
        ("measure", &query.measure),
        ("year", &query.year),
        ("by", if by { &query.by } else { &None }),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.append_pair(k, v);
        }
    }
    parts
}

/// The query string for `query` at page `n`.
fn page_href(query: &FilterQuery, n: u32) -> String {
    let mut parts = filters(query, true);
    parts.append_pair("page", &n.to_string());
    format!("/contributions?{}", parts.finish())
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<FilterQuery>, QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let query = query.map_err(|_| Failure::NotFound)?.0;
    let mut errors = Vec::new();
    let filter = parse_filter(&query, &mut errors);
    let by = parse_by(query.by.as_deref(), &mut errors);
    let request = PageRequest::parse(query.page.as_deref(), None, &mut errors);
    if !errors.is_empty() {
        return Err(Failure::Invalid(errors).into());
    }
    let (contributions, total, totals) = state
        .app
        .contributions_with_totals(&scope, &filter, request, by)
        .await?;
    let pages = page_count(total, request.per_page);
    if request.page > 1 && request.page > pages {
        return Err(Failure::NotFound.into());
    }
    let none = match by {
        RollUp::Theme => "No theme named",
        RollUp::Ward => "No ward named",
        _ => "",
    };
    let missions = state.app.missions(&scope).await?;
    let page = ContributionsPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller),
        contributions,
        groups: grouped(totals, none),
        by,
        missions: missions.into_iter().map(|m| (m.id, m.short_name)).collect(),
        organisations: state.app.organisation_choices(&scope).await?,
        download: filters(&query, false).finish(),
        total,
        page: request.page,
        pages,
        pagination: Pagination::new(request.page, pages, |n| page_href(&query, n)),
        may_log: scope.may_create(Contribution::RESOURCE),
        query,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "contribution.html")]
struct ContributionPage {
    chrome: Chrome,
    contribution: Contribution,
    evidence: Option<String>,
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
    let key = Contribution::parse_key(&raw).ok_or(Failure::NotFound)?;
    let contribution = state.app.get::<Contribution>(&scope, &key).await?;
    let page = ContributionPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller).titled(format!(
            "{}: {} {}",
            contribution.organisation.name,
            contribution.amount(),
            contribution.measure.label().to_lowercase()
        )),
        evidence: safe_link(contribution.evidence_url.as_deref()),
        may_edit: scope.may_update(&contribution) && contribution.writable_by(scope.principal()),
        contribution,
        saved,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "impact.html")]
struct ImpactPage {
    chrome: Chrome,
    organisation: Organisation,
    commitments: Vec<Commitment>,
    by_year: Vec<TotalGroup>,
    by_mission: Vec<TotalGroup>,
    may_log: bool,
    /// The published stories crediting the organisation.
    stories: Vec<placeweave_domain::story::StorySummary>,
}

/// `/organisations/{slug}/impact`: everything read at the caller's level,
/// so the public sees the public parts only.
pub async fn impact(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    if !is_slug(&slug) {
        return Err(Failure::NotFound.into());
    }
    let organisation = state.app.get::<Organisation>(&scope, &slug).await?;
    let (commitments, _) = state
        .app
        .commitments(
            &scope,
            &CommitmentQuery {
                organisation: Some(slug.clone()),
                // A proposal is not yet a commitment: the page is for the
                // partner's board, whoever prints it.
                review: Some(Review::Accepted),
                page: PageRequest::everything(),
                ..Default::default()
            },
        )
        .await?;
    let filter = ContributionFilter {
        organisation: Some(slug.clone()),
        ..Default::default()
    };
    let by_year = state
        .app
        .contribution_totals(&scope, &filter, RollUp::Year)
        .await?;
    let by_mission = state
        .app
        .contribution_totals(&scope, &filter, RollUp::Mission)
        .await?;
    let credited = placeweave_domain::story::StoryFilter {
        partner: Some(slug.clone()),
        published_only: true,
        ..Default::default()
    };
    let (stories, _) = state
        .app
        .stories(&scope, &credited, PageRequest::everything())
        .await?;
    let blank = Contribution::blank(Some(slug));
    let page = ImpactPage {
        stories,
        chrome: Chrome::new(&scope, Section::Organisations, &caller)
            .titled(format!("{}: impact", organisation.name)),
        may_log: scope.may_update(&blank) && blank.writable_by(scope.principal()),
        organisation,
        commitments,
        by_year: grouped(by_year, ""),
        by_mission: grouped(by_mission, ""),
    };
    render(StatusCode::OK, &page)
}

impl FormPage for Contribution {
    const SECTION: Section = Section::Missions;
    const ADD_HEADING: &'static str = "Log a contribution";
    fn new_href(owner: Option<&str>) -> String {
        match owner {
            Some(owner) => format!("/contributions/new?organisation={owner}"),
            None => "/contributions/new".into(),
        }
    }
    fn edit_href(key: &i64) -> String {
        format!("/contributions/{key}/edit")
    }
    const SAVED: &'static str = "contribution";
    fn saved_href(&self) -> String {
        format!("/contributions/{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}'s contribution", self.organisation.name)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let principal = view.scope.principal();
        // A partner logs for their own organisation only: offer only it.
        let organisations: Vec<(String, String)> = state
            .app
            .organisation_choices(view.scope)
            .await?
            .into_iter()
            .filter(|(id, _)| principal.organisation().is_none_or(|own| own == id))
            .collect();
        let missions = state.app.missions(view.scope).await?;
        let themes = state.app.outcome_themes(view.scope).await?;
        let c = view.record;
        let back = if view.version.is_none() {
            (
                "/contributions".to_owned(),
                "Back to contributions".to_owned(),
            )
        } else {
            (
                format!("/contributions/{}", c.id),
                "Back to the contribution".to_owned(),
            )
        };
        let new = view.version.is_none() && c.start_date.is_empty();
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Missions, view.caller),
            errors: vec![],
            caption: "Contribution",
            heading: heading(&view),
            back,
            action: view.action.clone(),
            version: view.version,
            submit: "Save contribution",
            fields: vec![
                FormField::new(
                    "organisation",
                    "Organisation",
                    Control::Select(organisations, "Choose an organisation"),
                    c.organisation.id.clone(),
                )
                .autocomplete(),
                FormField::new(
                    "mission",
                    "Mission",
                    Control::Select(
                        missions.into_iter().map(|m| (m.id, m.short_name)).collect(),
                        "Choose a mission",
                    ),
                    c.mission.id.clone(),
                ),
                FormField::new(
                    "measure",
                    "What did you measure",
                    Control::Select(
                        Measure::ALL
                            .iter()
                            .map(|m| (m.slug().to_owned(), m.label().to_owned()))
                            .collect(),
                        "Choose a measure",
                    ),
                    if new { "" } else { c.measure.slug() },
                ),
                FormField::new(
                    "quantity",
                    "Quantity",
                    Control::Input("text"),
                    if new {
                        String::new()
                    } else {
                        c.quantity.to_string()
                    },
                )
                .hint("A whole number: people, hours or pounds, as the measure says"),
                FormField::new(
                    "unit",
                    "Unit (only for \"Other\")",
                    Control::Select(
                        Unit::ALL
                            .iter()
                            .map(|u| (u.slug().to_owned(), u.label().to_owned()))
                            .collect(),
                        "Set by the measure",
                    ),
                    if new || c.measure.fixed_unit().is_some() {
                        ""
                    } else {
                        c.unit.slug()
                    },
                ),
                FormField::new(
                    "start_date",
                    "Start of the period",
                    Control::Date,
                    c.start_date.clone(),
                )
                .hint("For example, 1 4 2026"),
                FormField::new(
                    "end_date",
                    "End of the period",
                    Control::Date,
                    c.end_date.clone(),
                )
                .hint("For example, 30 6 2026"),
                FormField::new(
                    "description",
                    "What was done (optional)",
                    Control::TextArea,
                    c.description.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "theme",
                    "Outcome theme (optional)",
                    Control::Select(themes.into_iter().map(|t| (t.id, t.name)).collect(), "None"),
                    c.theme.as_ref().map(|t| t.id.clone()).unwrap_or_default(),
                ),
                FormField::new(
                    "ward",
                    "Ward (optional)",
                    Control::Input("text"),
                    c.ward.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "evidence_url",
                    "Link to evidence (optional)",
                    Control::Input("url"),
                    c.evidence_url.clone().unwrap_or_default(),
                )
                .hint("A web address starting with https://"),
                FormField::new(
                    "audience",
                    "Who can see this contribution",
                    audiences(),
                    c.audience.as_str(),
                ),
            ],
        };
        finish(view, form)
    }
}

/// The vocabularies the list's filters offer, for its template.
pub const MEASURES: &[Measure] = Measure::ALL;
pub const ROLL_UPS: &[RollUp] = RollUp::ALL;
