//! Interactions with partners: the recent ones, one interaction's page with
//! its follow-ups (each marked done with a button), and the logging form —
//! one column of GOV.UK fields, quick on a phone, today's date and the
//! person logging filled in. Staff and admins only: the application layer
//! refuses everyone else.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_app::Record;
use placeweave_domain::date::iso_date;
use placeweave_domain::interaction::{Interaction, InteractionKind};

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, finish};
use super::saved::{Saved, after_save};
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// How many interactions the list shows.
const RECENT: i64 = 200;

#[derive(Template)]
#[template(path = "interactions.html")]
struct InteractionsPage {
    chrome: Chrome,
    interactions: Vec<Interaction>,
    today: String,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> PageResult {
    let scope = state.scope(&caller).await?;
    let interactions = state.app.interactions(&scope, None, Some(RECENT)).await?;
    let page = InteractionsPage {
        chrome: Chrome::new(&scope, Section::Relationships, &caller),
        interactions,
        today: iso_date(placeweave_app::now()),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "interaction.html")]
struct InteractionPage {
    chrome: Chrome,
    interaction: Interaction,
    may_edit: bool,
    today: String,
    saved: Saved,
    /// After a save: others who met the partner recently.
    coordination: Vec<placeweave_app::partnership::Coordination>,
}

fn key(raw: &str) -> Result<i64, Failure> {
    Interaction::parse_key(raw).ok_or(Failure::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(raw): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let interaction = state.app.get::<Interaction>(&scope, &key(&raw)?).await?;
    let coordination = match saved.0 {
        Some("Interaction saved") => state.app.coordination_notes(&scope, &interaction).await?,
        _ => vec![],
    };
    let page = InteractionPage {
        coordination,
        chrome: Chrome::new(&scope, Section::Relationships, &caller).titled(format!(
            "{} with {}",
            interaction.kind, interaction.organisation.name
        )),
        may_edit: scope.may_update(&interaction),
        interaction,
        today: iso_date(placeweave_app::now()),
        saved,
    };
    render(StatusCode::OK, &page)
}

/// Marks a follow-up done and goes back to the interaction.
pub async fn complete(
    State(state): State<AppState>,
    caller: Caller,
    Path((raw, follow_up)): Path<(String, String)>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let follow_up: i64 = follow_up
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(Failure::NotFound)?;
    let done = state
        .app
        .set_follow_up_done(&scope, key(&raw)?, follow_up, true)
        .await?;
    let href = after_save(&format!("/interactions/{}", done.id), "follow-up");
    Ok(Redirect::to(&href).into_response())
}

/// References as a form value: one id a line.
fn lines(refs: &[placeweave_domain::place::RecordRef]) -> String {
    refs.iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

impl FormPage for Interaction {
    const SECTION: Section = Section::Relationships;
    const ADD_HEADING: &'static str = "Log an interaction";
    fn new_href(owner: Option<&str>) -> String {
        match owner {
            Some(owner) => format!("/interactions/new?organisation={owner}"),
            None => "/interactions/new".into(),
        }
    }
    fn edit_href(key: &i64) -> String {
        format!("/interactions/{key}/edit")
    }
    const SAVED: &'static str = "interaction";
    fn saved_href(&self) -> String {
        format!("/interactions/{}", self.id)
    }
    fn heading(&self) -> String {
        format!(
            "Edit the {} with {}",
            self.kind.label().to_lowercase(),
            self.organisation.name
        )
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let organisations = state.app.organisation_choices(view.scope).await?;
        let staff = state.app.relationship_owner_choices(view.scope).await?;
        let i = view.record;
        let new = view.version.is_none();
        // Contacts at the organisations taking part: as saved, and as just
        // sent when the form comes back with errors.
        let mut taking_part: Vec<&str> = i.organisations().map(|o| o.id.as_str()).collect();
        for (name, value) in view.submitted.unwrap_or_default() {
            if name == "organisation" || name == "other_organisations" {
                taking_part.push(value.as_str());
            }
        }
        let contacts = state
            .app
            .interaction_contact_choices(view.scope, &taking_part)
            .await?;
        // A new log starts at today, with the person logging it.
        let date = if new && i.date.is_empty() {
            iso_date(placeweave_app::now())
        } else {
            i.date.clone()
        };
        let attendees = if new && i.staff.is_empty() {
            view.scope
                .actor()
                .map(|a| a.to_string())
                .unwrap_or_default()
        } else {
            lines(&i.staff)
        };
        let back = if new {
            (
                "/interactions".to_owned(),
                "Back to interactions".to_owned(),
            )
        } else {
            (
                format!("/interactions/{}", i.id),
                "Back to the interaction".to_owned(),
            )
        };
        let no_contacts = contacts.is_empty();
        let mut form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Relationships, view.caller),
            errors: vec![],
            caption: "Interaction",
            heading: heading(&view),
            back,
            action: view.action.clone(),
            version: view.version,
            submit: "Save interaction",
            fields: vec![
                FormField::new(
                    "organisation",
                    "Partner organisation",
                    Control::Select(organisations.clone(), "Choose an organisation"),
                    i.organisation.id.clone(),
                )
                .autocomplete(),
                FormField::new(
                    "kind",
                    "What was it",
                    Control::Radios(
                        InteractionKind::ALL
                            .iter()
                            .map(|k| (k.slug().to_owned(), k.label().to_owned(), String::new()))
                            .collect(),
                    ),
                    i.kind.slug(),
                ),
                FormField::new("date", "Date", Control::Date, date).hint("For example, 27 11 2026"),
                FormField::new(
                    "staff",
                    "Staff who took part",
                    Control::Checkboxes(staff.clone()),
                    attendees,
                ),
                FormField::new(
                    "contacts",
                    "Contacts who took part",
                    Control::Checkboxes(contacts),
                    lines(&i.contacts),
                )
                .hint(
                    "People at the organisations taking part. Add someone new on their \
                     organisation's contacts page first.",
                ),
                FormField::new(
                    "other_organisations",
                    "Other organisations taking part (optional)",
                    Control::Organisations(organisations),
                    lines(&i.other_organisations),
                )
                .hint("For a roundtable or an event with several partners."),
                FormField::new(
                    "summary",
                    "Summary (private: staff only)",
                    Control::TextArea,
                    i.summary.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "outcomes",
                    "Outcomes",
                    Control::TextArea,
                    i.outcomes.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "follow_up",
                    "Follow-up action (optional)",
                    Control::Input("text"),
                    "",
                )
                .hint("Something someone will do next, such as sending the summit invitation."),
                FormField::new(
                    "follow_up_owner",
                    "Who will do it",
                    Control::Select(staff, "Nobody yet"),
                    "",
                ),
                FormField::new("follow_up_due", "Due date", Control::Date, "")
                    .hint("For example, 4 12 2026"),
            ],
        };
        // Nobody to tick until a partner with contacts is chosen.
        if no_contacts {
            form.fields.retain(|f| f.name != "contacts");
        }
        finish(view, form)
    }
}
