//! The missions list and a mission's page: its partners by role and its initiatives.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use placeweave_app::{CommitmentQuery, InitiativeQuery};
use placeweave_domain::PageRequest;
use placeweave_domain::commitment::Commitment;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Dated, Mission, OutcomeTheme, Place, RecordUpdate};

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::saved::Saved;
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

#[derive(Template)]
#[template(path = "missions.html")]
struct MissionsPage {
    chrome: Chrome,
    place: Place,
    missions: Vec<Mission>,
    themes: Vec<OutcomeTheme>,
    saved: Saved,
}

pub async fn list(State(state): State<AppState>, caller: Caller, saved: Saved) -> PageResult {
    let scope = state.scope(&caller).await?;
    let page = MissionsPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller),
        saved,
        missions: state.app.missions(&scope).await?,
        themes: state.app.outcome_themes(&scope).await?,
        place: scope.place().place.clone(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "mission.html")]
struct MissionPage {
    chrome: Chrome,
    mission: Mission,
    by_role: Vec<(String, Vec<Commitment>)>,
    initiatives: Vec<InitiativeSummary>,
    last_update: Option<RecordUpdate>,
    saved: Saved,
    /// Progress and experiments (see `experiments::MissionFrame`).
    frame: super::experiments::MissionFrame,
    /// Contributions this year against last, by measure (`mission_contributions.html`).
    contributions: placeweave_app::contribution::YearOnYear,
    measures: Vec<placeweave_app::outcome::MeasureDetail>,
    /// The latest published stories of the mission.
    stories: Vec<placeweave_domain::story::StorySummary>,
}

/// Groups commitments under their role's name, in the order roles first appear.
fn group_by_role(commitments: Vec<Commitment>) -> Vec<(String, Vec<Commitment>)> {
    let mut groups: Vec<(String, Vec<Commitment>)> = Vec::new();
    for commitment in commitments {
        let name = commitment
            .role
            .as_ref()
            .map_or_else(|| "Role not settled".to_owned(), |r| r.name.clone());
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(commitment),
            None => groups.push((name, vec![commitment])),
        }
    }
    groups
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let mission = state.app.get::<Mission>(&scope, &slug).await?;
    let (commitments, _) = state
        .app
        .commitments(
            &scope,
            &CommitmentQuery {
                mission: Some(slug.clone()),
                page: PageRequest::everything(),
                ..Default::default()
            },
        )
        .await?;
    let frame = super::experiments::MissionFrame::load(&state, &scope, &mission).await?;
    let page = MissionPage {
        frame,
        chrome: Chrome::new(&scope, Section::Missions, &caller)
            .titled(&mission.short_name)
            .describe(&mission.statement),
        by_role: group_by_role(commitments),
        saved,
        contributions: state
            .app
            .contributions_year_on_year(&scope, &slug, this_year())
            .await?,
        last_update: state
            .app
            .record_update(&scope, Dated::Mission, &slug)
            .await?,
        initiatives: state
            .app
            .initiatives(
                &scope,
                &InitiativeQuery {
                    mission: Some(slug.clone()),
                    page: PageRequest::everything(),
                    ..Default::default()
                },
            )
            .await?
            .0,
        measures: state.app.mission_measures(&scope, &mission).await?,
        stories: state
            .app
            .latest_stories(
                &scope,
                placeweave_domain::story::StoryFilter {
                    mission: Some(slug.clone()),
                    ..Default::default()
                },
            )
            .await?,
        mission,
    };
    render(StatusCode::OK, &page)
}

impl FormPage for Mission {
    const SECTION: Section = Section::Missions;
    const ADD_HEADING: &'static str = "Add a mission";
    fn new_href(_owner: Option<&str>) -> String {
        "/missions/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/missions/{key}/edit")
    }
    const SAVED: &'static str = "mission";
    fn saved_href(&self) -> String {
        format!("/missions/{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.short_name)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let themes = state.app.outcome_themes(view.scope).await?;
        let mission = view.record;
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Missions, view.caller),
            errors: vec![],
            caption: "Mission",
            heading: heading(&view),
            back: ("/missions".into(), "Back to missions".into()),
            action: view.action.clone(),
            version: view.version,
            submit: "Save mission",
            fields: vec![
                FormField::new(
                    "short_name",
                    "Short name",
                    Control::Input("text"),
                    mission.short_name.clone(),
                ),
                FormField::new(
                    "statement",
                    "Mission statement",
                    Control::TextArea,
                    mission.statement.clone(),
                ),
                FormField::new(
                    "target_year",
                    "Target year",
                    Control::Input("text"),
                    mission
                        .target_year
                        .map(|y| y.to_string())
                        .unwrap_or_default(),
                )
                .hint("For example, 2030"),
                FormField::new(
                    "outcome_themes",
                    "Outcome themes",
                    Control::Checkboxes(themes.into_iter().map(|t| (t.id, t.name)).collect()),
                    mission
                        .outcome_themes
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                FormField::new(
                    "audience",
                    "Who can see this mission",
                    audiences(),
                    mission.audience.as_str(),
                ),
            ],
        };
        finish(view, form)
    }
}

/// The calendar year today, for "this year against last".
fn this_year() -> i32 {
    let today = placeweave_domain::date::iso_date(placeweave_app::now());
    today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2026)
}
