//! The initiatives list and an initiative's page.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use placeweave_app::InitiativeQuery;
use placeweave_domain::filter::page_count;
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::{Dated, Initiative, PageRequest, RecordUpdate};

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::saved::Saved;
use super::{Chrome, PageResult, Pagination, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

#[derive(Template)]
#[template(path = "initiatives.html")]
struct InitiativesPage {
    chrome: Chrome,
    initiatives: Vec<InitiativeSummary>,
    total: i64,
    page: u32,
    pages: u32,
    pagination: Pagination,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    page: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let raw = query.map(|Query(q)| q).unwrap_or_default();
    let mut errors = Vec::new();
    let request = PageRequest::parse(raw.page.as_deref(), None, &mut errors);
    if !errors.is_empty() {
        return Err(Failure::Invalid(errors).into());
    }
    let (initiatives, total) = state
        .app
        .initiatives(
            &scope,
            &InitiativeQuery {
                page: request,
                ..Default::default()
            },
        )
        .await?;
    let pages = page_count(total, request.per_page);
    if request.page > 1 && request.page > pages {
        return Err(Failure::NotFound.into());
    }
    let page = InitiativesPage {
        chrome: Chrome::new(&scope, Section::Initiatives, &caller),
        initiatives,
        total,
        page: request.page,
        pages,
        pagination: Pagination::new(request.page, pages, |n| format!("/initiatives?page={n}")),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "initiative.html")]
struct InitiativePage {
    chrome: Chrome,
    initiative: Initiative,
    last_update: Option<RecordUpdate>,
    saved: Saved,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let initiative = state.app.get::<Initiative>(&scope, &slug).await?;
    let page = InitiativePage {
        chrome: Chrome::new(&scope, Section::Initiatives, &caller)
            .titled(&initiative.name)
            .describe(initiative.description.as_deref().unwrap_or_default()),
        saved,
        last_update: state
            .app
            .record_update(&scope, Dated::Initiative, &slug)
            .await?,
        initiative,
    };
    render(StatusCode::OK, &page)
}

impl FormPage for Initiative {
    const SECTION: Section = Section::Initiatives;
    const ADD_HEADING: &'static str = "Add an initiative";
    fn new_href(_owner: Option<&str>) -> String {
        "/initiatives/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/initiatives/{key}/edit")
    }
    const SAVED: &'static str = "initiative";
    fn saved_href(&self) -> String {
        format!("/initiatives/{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.name)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let missions = state.app.missions(view.scope).await?;
        let organisations = state.app.organisation_choices(view.scope).await?;
        let initiative = view.record;
        let participants = initiative
            .participants
            .iter()
            .map(|p| match &p.role {
                Some(role) => format!("{}: {role}", p.organisation.id),
                None => p.organisation.id.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Initiatives, view.caller),
            errors: vec![],
            caption: "Initiative",
            heading: heading(&view),
            back: ("/initiatives".into(), "Back to initiatives".into()),
            action: view.action.clone(),
            version: view.version,
            submit: "Save initiative",
            fields: vec![
                FormField::new("name", "Name", Control::Input("text"), initiative.name.clone()),
                FormField::new("description", "Description", Control::TextArea, initiative.description.clone().unwrap_or_default()),
                FormField::new("website", "Website", Control::Input("url"), initiative.website.clone().unwrap_or_default()),
                FormField::new(
                    "missions",
                    "Missions it serves",
                    Control::Checkboxes(missions.into_iter().map(|m| (m.id, m.short_name)).collect()),
                    initiative.missions.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join("\n"),
                ),
                FormField::new("participants", "Organisations taking part", Control::Participants(organisations), participants)
                    .hint("Choose each organisation and, if you like, say the part it plays, such as Host. To take one out, choose None."),
                FormField::new("audience", "Who can see this initiative", audiences(), initiative.audience.as_str()),
            ],
        };
        finish(view, form)
    }
}
