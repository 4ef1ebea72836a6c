//! A commitment's add and edit forms (commitments are listed on their
//! organisation's and mission's pages).

use placeweave_app::Record;
use placeweave_domain::Commitment;
use placeweave_domain::commitment::{CommitmentStatus, Review};

use super::editing::{FormPage, FormView};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::{Chrome, PageResult, Section};
use crate::AppState;

impl FormPage for Commitment {
    const SECTION: Section = Section::Organisations;
    const ADD_HEADING: &'static str = "Record a commitment";
    fn new_href(owner: Option<&str>) -> String {
        match owner {
            Some(owner) => format!("/commitments/new?organisation={owner}"),
            None => "/commitments/new".into(),
        }
    }
    fn edit_href(key: &i64) -> String {
        format!("/commitments/{key}/edit")
    }
    const SAVED: &'static str = "commitment";
    fn saved_href(&self) -> String {
        format!("/organisations/{}", self.organisation.id)
    }
    fn saved(&self) -> &'static str {
        match self.review {
            Review::Accepted => Self::SAVED,
            _ => "proposal",
        }
    }
    fn heading(&self) -> String {
        "Edit commitment".into()
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let roles = state.app.roles(view.scope).await?;
        let missions = state.app.missions(view.scope).await?;
        // Only staff choose the organisation; a partner's are their own.
        let organisations = if view
            .scope
            .settable(Commitment::RESOURCE)
            .contains(&"organisation")
        {
            state.app.organisation_choices(view.scope).await?
        } else {
            vec![]
        };
        let commitment = view.record;
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Organisations, view.caller),
            errors: vec![],
            caption: "Commitment",
            heading: super::editing::heading(&view),
            back: (
                format!("/organisations/{}", commitment.organisation.id),
                "Back to the organisation".into(),
            ),
            action: view.action.clone(),
            version: view.version,
            submit: "Save commitment",
            fields: vec![
                FormField::new(
                    "organisation",
                    "Organisation",
                    Control::Select(organisations, "Choose an organisation"),
                    commitment.organisation.id.clone(),
                )
                .autocomplete(),
                FormField::new(
                    "role",
                    "Role",
                    Control::Select(
                        roles.into_iter().map(|r| (r.id, r.name)).collect(),
                        "Not settled yet",
                    ),
                    commitment
                        .role
                        .as_ref()
                        .map(|r| r.id.clone())
                        .unwrap_or_default(),
                ),
                FormField::new(
                    "mission",
                    "Mission",
                    Control::Select(
                        missions.into_iter().map(|m| (m.id, m.short_name)).collect(),
                        "Not settled yet",
                    ),
                    commitment
                        .mission
                        .as_ref()
                        .map(|m| m.id.clone())
                        .unwrap_or_default(),
                ),
                FormField::new(
                    "status",
                    "Status",
                    Control::Radios(
                        CommitmentStatus::ALL
                            .iter()
                            .map(|s| {
                                (
                                    s.slug().to_owned(),
                                    s.label().to_owned(),
                                    s.meaning().to_owned(),
                                )
                            })
                            .collect(),
                    ),
                    commitment.status.slug(),
                ),
                FormField::new(
                    "start_date",
                    "Start date",
                    Control::Date,
                    commitment.start_date.clone().unwrap_or_default(),
                )
                .hint("For example, 1 4 2025"),
                FormField::new(
                    "end_date",
                    "End date",
                    Control::Date,
                    commitment.end_date.clone().unwrap_or_default(),
                )
                .hint("For example, 31 3 2026"),
                FormField::new(
                    "note",
                    "Staff note (never public)",
                    Control::TextArea,
                    commitment.note.clone().unwrap_or_default(),
                ),
                FormField::new(
                    "audience",
                    "Who can see this commitment",
                    audiences(),
                    commitment.audience.as_str(),
                ),
            ],
        };
        finish(view, form)
    }
}
