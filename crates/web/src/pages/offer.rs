//! The collaboration offer: each role, what we ask, what you get, who to contact.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use placeweave_domain::offer::points;
use placeweave_domain::{Dated, Place, RecordUpdate, Role};

use super::editing::{FormPage, FormView, heading};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::saved::Saved;
use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

struct RoleView {
    id: String,
    name: String,
    description: String,
    ask_of_partner: String,
    for_place: Vec<String>,
    for_partner: Vec<String>,
    contact: Option<String>,
    last_update: Option<RecordUpdate>,
    /// Public roles get an "Express interest" link.
    public: bool,
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage {
    chrome: Chrome,
    place: Place,
    roles: Vec<RoleView>,
    saved: Saved,
}

pub async fn show(State(state): State<AppState>, caller: Caller, saved: Saved) -> PageResult {
    let scope = state.scope(&caller).await?;
    let mut roles = Vec::new();
    for r in state.app.roles(&scope).await? {
        let last_update = state.app.record_update(&scope, Dated::Role, &r.id).await?;
        roles.push(RoleView {
            for_place: points(&r.value_for_place)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            for_partner: points(&r.value_for_partner)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            public: r.audience == placeweave_domain::Audience::Public,
            id: r.id,
            name: r.name,
            description: r.description,
            ask_of_partner: r.ask_of_partner,
            contact: r.contact,
            last_update,
        });
    }
    let page = OfferPage {
        chrome: Chrome::new(&scope, Section::Offer, &caller),
        place: scope.place().place.clone(),
        roles,
        saved,
    };
    render(StatusCode::OK, &page)
}

impl FormPage for Role {
    const SECTION: Section = Section::Offer;
    const ADD_HEADING: &'static str = "Add a role";
    fn new_href(_owner: Option<&str>) -> String {
        "/offer/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/offer/{key}/edit")
    }
    const SAVED: &'static str = "role";
    fn saved_href(&self) -> String {
        format!("/offer#{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.name)
    }
    async fn render(_state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let role = view.record;
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Offer, view.caller),
            errors: vec![],
            caption: "Collaboration offer",
            heading: heading(&view),
            back: ("/offer".into(), "Back to the collaboration offer".into()),
            action: view.action.clone(),
            version: view.version,
            submit: "Save role",
            fields: vec![
                FormField::new(
                    "name",
                    "Name of the role",
                    Control::Input("text"),
                    role.name.clone(),
                ),
                FormField::new(
                    "description",
                    "Description",
                    Control::TextArea,
                    role.description.clone(),
                ),
                // The labels are the offer page's, so that editors know
                // where each field shows.
                FormField::new(
                    "ask_of_partner",
                    "What we ask of you",
                    Control::TextArea,
                    role.ask_of_partner.clone(),
                )
                .hint("What the role asks of a partner, written to the partner"),
                FormField::new(
                    "value_for_place",
                    format!("Value for {}", view.scope.place().place.name),
                    Control::TextArea,
                    role.value_for_place.clone(),
                )
                .hint("One point a line"),
                FormField::new(
                    "value_for_partner",
                    "What you get",
                    Control::TextArea,
                    role.value_for_partner.clone(),
                )
                .hint("What the partner gets: one point a line"),
                FormField::new(
                    "contact",
                    "Who to contact",
                    Control::Input("text"),
                    role.contact.clone().unwrap_or_default(),
                )
                .hint("A team or job title and an address, not a named person"),
                FormField::new(
                    "audience",
                    "Who can see this role",
                    audiences(),
                    role.audience.as_str(),
                ),
            ],
        };
        finish(view, form)
    }
}
