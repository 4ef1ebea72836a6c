//! The experiments portfolio (filterable by mission, lever and status: a
//! plain GET form, paged in the database), the mission × lever grid, one
//! experiment's page, its add and edit forms, and the staff forms for the
//! learning log, the decision and a mission's progress.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_app::{AppError, Edit, Scope};
use placeweave_domain::experiment::{
    Decision, Experiment, ExperimentFilter, ExperimentStatus, ExperimentSummary, GridRow,
    Mechanism, ScaleOfInfluence,
};
use placeweave_domain::filter::page_count;
use placeweave_domain::mission_progress::{MissionProgress, ProgressSummary};
use placeweave_domain::{DomainError, FieldError, Lever, Mission, PageRequest};

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::saved::{Saved, after_save};
use super::{Chrome, PageResult, Pagination, Section, error_for, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// The portfolio's query string, as sent.
#[derive(serde::Deserialize, Default)]
pub struct PortfolioQuery {
    mission: Option<String>,
    lever: Option<String>,
    status: Option<String>,
    page: Option<String>,
}

/// One filter's select: name, label, options (value, text, selected), error.
pub struct Filter {
    pub(super) name: &'static str,
    pub(super) label: &'static str,
    pub(super) options: Vec<(String, String, bool)>,
    pub(super) error: Option<String>,
}

#[derive(Template)]
#[template(path = "experiments.html")]
struct PortfolioPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    filters: Vec<Filter>,
    applied: bool,
    experiments: Vec<ExperimentSummary>,
    total: i64,
    page: u32,
    pages: u32,
    pagination: Pagination,
    /// The filters in force as a query string, for the list's downloads.
    download: String,
}

fn choices<T: Copy>(
    all: &[T],
    slug: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|t| (slug(*t).to_owned(), label(*t).to_owned()))
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<PortfolioQuery>, QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let raw = query.map(|Query(q)| q).unwrap_or_default();
    let (filter, mut errors) = match ExperimentFilter::parse(
        raw.mission.as_deref(),
        raw.lever.as_deref(),
        raw.status.as_deref(),
    ) {
        Ok(filter) => (filter, vec![]),
        Err(DomainError::Invalid(errors)) => (ExperimentFilter::default(), errors),
    };
    let request = PageRequest::parse(raw.page.as_deref(), None, &mut errors);
    let missions = state.app.missions(&scope).await?;
    let (experiments, total) = if errors.is_empty() {
        state.app.experiments(&scope, &filter, request).await?
    } else {
        (vec![], 0)
    };
    let pages = page_count(total, request.per_page);
    if errors.is_empty() && request.page > 1 && request.page > pages {
        return Err(Failure::NotFound.into());
    }
    let filter_of = |name, label, options: Vec<(String, String)>, raw: &Option<String>| Filter {
        name,
        label,
        options: options
            .into_iter()
            .map(|(value, text)| {
                let selected = raw.as_deref().map(str::trim) == Some(value.as_str());
                (value, text, selected)
            })
            .collect(),
        error: error_for(&errors, name),
    };
    let filters = vec![
        filter_of(
            "mission",
            "Mission",
            missions.into_iter().map(|m| (m.id, m.short_name)).collect(),
            &raw.mission,
        ),
        filter_of(
            "lever",
            "Lever tested",
            choices(Lever::ALL, Lever::slug, Lever::label),
            &raw.lever,
        ),
        filter_of(
            "status",
            "Status",
            choices(
                ExperimentStatus::ALL,
                ExperimentStatus::slug,
                ExperimentStatus::label,
            ),
            &raw.status,
        ),
    ];
    let query = filter.query();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = PortfolioPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller),
        filters,
        applied: !query.is_empty(),
        download: query.clone(),
        errors,
        experiments,
        total,
        page: request.page,
        pages,
        pagination: Pagination::new(request.page, pages, |n| {
            if query.is_empty() {
                format!("/experiments?page={n}")
            } else {
                format!("/experiments?{query}&page={n}")
            }
        }),
    };
    render(status, &page)
}

#[derive(Template)]
#[template(path = "experiment_grid.html")]
struct GridPage {
    chrome: Chrome,
    levers: &'static [Lever],
    rows: Vec<GridRow>,
}

pub async fn grid(State(state): State<AppState>, caller: Caller) -> PageResult {
    let scope = state.scope(&caller).await?;
    let page = GridPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller)
            .titled("What is being tested where"),
        levers: Lever::ALL,
        rows: state.app.experiment_grid(&scope).await?,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "experiment.html")]
struct ExperimentPage {
    chrome: Chrome,
    experiment: Experiment,
    saved: Saved,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let experiment = state.app.get::<Experiment>(&scope, &slug).await?;
    let page = ExperimentPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller)
            .titled(&experiment.name)
            .describe(&experiment.hypothesis),
        saved,
        experiment,
    };
    render(StatusCode::OK, &page)
}

impl FormPage for Experiment {
    const SECTION: Section = Section::Missions;
    const ADD_HEADING: &'static str = "Add an experiment";
    fn new_href(_owner: Option<&str>) -> String {
        "/experiments/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/experiments/{key}/edit")
    }
    const SAVED: &'static str = "experiment";
    fn saved_href(&self) -> String {
        format!("/experiments/{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.name)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let missions = state.app.missions(view.scope).await?;
        let organisations = state.app.organisation_choices(view.scope).await?;
        let e = view.record;
        let lines = |items: Vec<String>| items.join("\n");
        let participants = lines(
            e.participants
                .iter()
                .map(|p| match &p.role {
                    Some(part) => format!("{}: {part}", p.organisation.id),
                    None => p.organisation.id.clone(),
                })
                .collect(),
        );
        let radios = |options: Vec<(String, String)>| {
            Control::Radios(
                options
                    .into_iter()
                    .map(|(v, t)| (v, t, String::new()))
                    .collect(),
            )
        };
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Missions, view.caller),
            errors: vec![],
            caption: "Experiment",
            heading: heading(&view),
            back: ("/experiments".into(), "Back to experiments".into()),
            action: view.action.clone(),
            version: view.version,
            submit: "Save experiment",
            fields: vec![
                FormField::new("name", "Name", Control::Input("text"), e.name.clone()),
                FormField::new("hypothesis", "Hypothesis", Control::TextArea, e.hypothesis.clone())
                    .hint("What you expect to happen, and why: if we…, then…"),
                FormField::new("mechanism", "How it is run", radios(choices(Mechanism::ALL, Mechanism::slug, Mechanism::label)), e.mechanism.slug()),
                FormField::new(
                    "missions",
                    "Missions it serves",
                    Control::Checkboxes(missions.into_iter().map(|m| (m.id, m.short_name)).collect()),
                    lines(e.missions.iter().map(|m| m.id.clone()).collect()),
                ),
                FormField::new(
                    "levers",
                    "Levers it tests",
                    Control::Checkboxes(choices(Lever::ALL, Lever::slug, Lever::label)),
                    lines(e.levers.iter().map(|l| l.slug().to_owned()).collect()),
                ),
                FormField::new("participants", "Partners and their parts", Control::Participants(organisations), participants)
                    .hint("Choose each partner and say its part, such as Funder or Host. To take one out, choose None."),
                FormField::new(
                    "scale",
                    "Scale of influence",
                    Control::Select(choices(ScaleOfInfluence::ALL, ScaleOfInfluence::slug, ScaleOfInfluence::label), "Not set"),
                    e.scale.map(|s| s.slug()).unwrap_or_default(),
                ),
                FormField::new("budget", "Budget in pounds (optional)", Control::Input("text"), e.budget.map(|b| b.to_string()).unwrap_or_default())
                    .hint("A whole number of pounds, like 25000"),
                FormField::new("start_date", "Start date", Control::Date, e.start_date.clone().unwrap_or_default()),
                FormField::new("end_date", "End date", Control::Date, e.end_date.clone().unwrap_or_default()),
                FormField::new("status", "Status", radios(choices(ExperimentStatus::ALL, ExperimentStatus::slug, ExperimentStatus::label)), e.status.slug()),
                FormField::new("audience", "Who can see this experiment", audiences(), e.audience.as_str()),
            ],
        };
        finish(view, form)
    }
}

/// What a staff form beside the record flow shows.
pub struct SideFormView {
    pub(super) caption: &'static str,
    pub(super) heading: String,
    pub(super) action: String,
    pub(super) back: (String, String),
    pub(super) submit: &'static str,
    pub(super) fields: Vec<FormField>,
}

/// A staff form beside the record flow (the learning log, a decision, a
/// mission's progress): how it looks for the record `slug`, and what
/// saving it does (answering where to go next).
pub trait SideForm {
    fn view(
        state: &AppState,
        scope: &Scope,
        slug: &str,
    ) -> impl std::future::Future<Output = Result<SideFormView, AppError>> + Send;
    fn save(
        state: &AppState,
        scope: &Scope,
        slug: &str,
        pairs: &[(String, String)],
    ) -> impl std::future::Future<Output = Result<String, AppError>> + Send;
}

/// Shows a side form: blank, or with what was sent and each error.
async fn side_form<F: SideForm>(
    state: &AppState,
    caller: &Caller,
    slug: &str,
    submitted: Option<&[(String, String)]>,
    errors: Vec<FieldError>,
) -> PageResult {
    let scope = state.scope(caller).await?;
    let view = F::view(state, &scope, slug).await?;
    let names: Vec<&str> = view.fields.iter().map(|f| f.name).collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    RecordForm {
        chrome: Chrome::new(&scope, Section::Missions, caller),
        errors,
        caption: view.caption,
        heading: view.heading,
        action: view.action,
        back: view.back,
        version: None,
        submit: view.submit,
        fields: view.fields,
    }
    .prepare(&names, submitted)
    .show(status)
}

pub async fn side_page<F: SideForm>(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    side_form::<F>(&state, &caller, &slug, None, vec![]).await
}

pub async fn side_post<F: SideForm>(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let pairs = super::forms::translate(url::form_urlencoded::parse(&body).into_owned().collect());
    match F::save(&state, &scope, &slug, &pairs).await {
        Ok(href) => Ok(Redirect::to(&href).into_response()),
        Err(err) => {
            let errors = err.field_errors().map_err(Failure::from)?;
            side_form::<F>(&state, &caller, &slug, Some(&pairs), errors).await
        }
    }
}

pub(super) fn today() -> String {
    placeweave_domain::date::iso_date(placeweave_app::now())
}

pub(super) fn value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// Adding to an experiment's learning log.
pub struct Learning;

impl SideForm for Learning {
    async fn view(state: &AppState, scope: &Scope, slug: &str) -> Result<SideFormView, AppError> {
        let slug = &slug.to_owned();
        let experiment = state.app.editable::<Experiment>(scope, slug).await?;
        Ok(SideFormView {
            caption: "Learning log",
            heading: format!("Add to the learning log of {}", experiment.name),
            action: format!("/experiments/{slug}/learning"),
            back: (
                format!("/experiments/{slug}"),
                format!("Back to {}", experiment.name),
            ),
            submit: "Add to the learning log",
            fields: vec![
                FormField::new("date", "Date", Control::Date, today()),
                FormField::new("text", "What was learnt", Control::TextArea, ""),
            ],
        })
    }

    async fn save(
        state: &AppState,
        scope: &Scope,
        slug: &str,
        pairs: &[(String, String)],
    ) -> Result<String, AppError> {
        let slug = &slug.to_owned();
        state
            .app
            .add_learning(scope, slug, value(pairs, "date"), value(pairs, "text"))
            .await?;
        Ok(after_save(
            &format!("/experiments/{slug}#learning"),
            "learning",
        ))
    }
}

/// Recording the decision on an experiment, with its reason and date.
pub struct DecisionForm;

const DECISION_FIELDS: [&str; 3] = ["decision", "decision_reason", "decision_date"];

impl SideForm for DecisionForm {
    async fn view(state: &AppState, scope: &Scope, slug: &str) -> Result<SideFormView, AppError> {
        let slug = &slug.to_owned();
        let e = state.app.editable::<Experiment>(scope, slug).await?;
        let options = Decision::ALL
            .iter()
            .map(|d| (d.slug().to_owned(), d.label().to_owned(), String::new()))
            .collect();
        Ok(SideFormView {
            caption: "Decision",
            heading: format!("Record a decision on {}", e.name),
            action: format!("/experiments/{slug}/decision"),
            back: (
                format!("/experiments/{slug}"),
                format!("Back to {}", e.name),
            ),
            submit: "Record the decision",
            fields: vec![
                FormField::new(
                    "decision",
                    "Decision",
                    Control::Radios(options),
                    e.decision.map(|d| d.slug()).unwrap_or_default(),
                ),
                FormField::new(
                    "decision_reason",
                    "Why",
                    Control::TextArea,
                    e.decision_reason.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "decision_date",
                    "Date of the decision",
                    Control::Date,
                    e.decision_date.clone().unwrap_or_else(today),
                ),
            ],
        })
    }

    /// A patch of the three decision fields through the generic update
    /// flow; the form records a decision (clearing one is for the API).
    async fn save(
        state: &AppState,
        scope: &Scope,
        slug: &str,
        pairs: &[(String, String)],
    ) -> Result<String, AppError> {
        let slug = &slug.to_owned();
        let current = state.app.editable::<Experiment>(scope, slug).await?;
        if value(pairs, "decision").trim().is_empty() {
            return Err(AppError::invalid(
                "decision",
                "Select adjust, invest, scale or stop",
            ));
        }
        let mut edit: Vec<(String, String)> = DECISION_FIELDS
            .iter()
            .map(|f| ((*f).to_owned(), value(pairs, f).to_owned()))
            .collect();
        edit.push(("version".into(), current.version.to_string()));
        let saved = state
            .app
            .update::<Experiment>(scope, slug, &Edit::patch(&edit))
            .await?;
        Ok(after_save(&saved.saved_href(), "experiment"))
    }
}

/// Recording a mission's progress against its target year.
pub struct ProgressForm;

impl SideForm for ProgressForm {
    async fn view(state: &AppState, scope: &Scope, slug: &str) -> Result<SideFormView, AppError> {
        let slug = &slug.to_owned();
        let mission = state.app.editable::<Mission>(scope, slug).await?;
        let current = state.app.mission_progress(scope, slug).await?;
        let options = placeweave_domain::mission_progress::Progress::ALL
            .iter()
            .map(|p| (p.slug().to_owned(), p.label().to_owned(), String::new()))
            .collect();
        Ok(SideFormView {
            caption: "Mission progress",
            heading: format!("Record progress on {}", mission.short_name),
            action: format!("/missions/{slug}/progress"),
            back: (format!("/missions/{slug}"), format!("Back to {}", mission.short_name)),
            submit: "Record progress",
            fields: vec![
                FormField::new("progress", "How the mission stands", Control::Radios(options), current.progress.map(|p| p.slug()).unwrap_or_default())
                    .hint("Before the target year is out: on track, at risk or achieved. Once it has passed: achieved or not achieved."),
                FormField::new("decided_by", "Who decided", Control::Input("text"), current.decided_by.unwrap_or_default())
                    .hint("The person or body, such as the partnership board"),
                FormField::new("decided_at", "Date of the decision", Control::Date, current.decided_at.unwrap_or_else(today)),
                FormField::new("note", "Note (optional)", Control::TextArea, current.note.unwrap_or_default()),
            ],
        })
    }

    async fn save(
        state: &AppState,
        scope: &Scope,
        slug: &str,
        pairs: &[(String, String)],
    ) -> Result<String, AppError> {
        let slug = &slug.to_owned();
        state.app.set_mission_progress(scope, slug, pairs).await?;
        Ok(after_save(&format!("/missions/{slug}"), "progress"))
    }
}

/// The mission page's frame: progress against the target year, and the
/// mission's experiments by status and by decision.
pub struct MissionFrame {
    pub progress: MissionProgress,
    pub summary: ProgressSummary,
    /// Whether the caller may record progress (staff).
    pub may_record: bool,
    pub by_status: Vec<(ExperimentStatus, i64)>,
    pub by_decision: Vec<(String, i64)>,
    pub experiments: i64,
}

impl MissionFrame {
    pub async fn load(state: &AppState, scope: &Scope, mission: &Mission) -> Result<Self, Failure> {
        let progress = state.app.mission_progress(scope, &mission.id).await?;
        let year = placeweave_domain::date::iso_date(placeweave_app::now())
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(0);
        let tallies = state.app.mission_experiments(scope, &mission.id).await?;
        let by_status = ExperimentStatus::ALL
            .iter()
            .map(|s| {
                let n: i64 = tallies
                    .iter()
                    .filter(|(t, _, _)| t == s)
                    .map(|(_, _, n)| n)
                    .sum();
                (*s, n)
            })
            .collect();
        let mut by_decision: Vec<(String, i64)> = Decision::ALL
            .iter()
            .map(|d| {
                let n: i64 = tallies
                    .iter()
                    .filter(|(_, t, _)| *t == Some(*d))
                    .map(|(_, _, n)| n)
                    .sum();
                (d.label().to_owned(), n)
            })
            .collect();
        by_decision.push((
            "No decision yet".to_owned(),
            tallies
                .iter()
                .filter(|(_, d, _)| d.is_none())
                .map(|(_, _, n)| n)
                .sum(),
        ));
        Ok(MissionFrame {
            summary: progress.summary(mission.target_year, year),
            progress,
            may_record: scope.may_edit(placeweave_domain::Resource::Mission),
            by_status,
            by_decision,
            experiments: tallies.iter().map(|(_, _, n)| n).sum(),
        })
    }

    /// How many organisations hold the commitments of one role.
    pub fn partners(&self, commitments: &[placeweave_domain::Commitment]) -> usize {
        let mut ids: Vec<&str> = commitments
            .iter()
            .map(|c| c.organisation.id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }
}
