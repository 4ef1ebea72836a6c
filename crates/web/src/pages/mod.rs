//! The public HTML pages, in the GOV.UK Design System. Each page asks the
//! store for what the viewer may see; nothing here decides visibility.

mod account;
mod admin;
mod asks;
mod briefing;
mod chart;
mod commitment_review;
mod commitments;
mod contacts;
pub(crate) mod context;
pub mod contributions;
mod editing;
mod enquiries;
mod experiments;
mod forms;
mod home;
mod initiatives;
mod interactions;
mod map;
mod missions;
mod network;
mod offer;
pub(crate) mod open_data;
mod organisation_form;
mod organisations;
mod outcomes;
mod partnership;
mod password_reset;
pub(crate) mod place_page;
mod relationships;
pub(crate) mod saved;
mod search;
mod stories;
mod themes;

use askama::Template;
use axum::Router;
use axum::http::Method;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use placeweave_app::Scope;
use placeweave_domain::contribution::Contribution;
use placeweave_domain::experiment::Experiment;
use placeweave_domain::interaction::Interaction;
use placeweave_domain::relationship::Relationship;
use placeweave_domain::story::Story;
use placeweave_domain::{
    AccountRole, Commitment, FieldError, Initiative, Mission, Organisation, OutcomeTheme, Resource,
    Role,
};

use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// Every page route: method, path and handler. The router is built from
/// this list, and the access-matrix test reads the same list, so a route
/// cannot be added without the test knowing of it.
fn routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/", get(home::show)),
        (Method::GET, "/search", get(search::show)),
        (Method::GET, "/organisations", get(organisations::list)),
        (
            Method::GET,
            "/organisations.csv",
            get(open_data::organisations::<false>),
        ),
        (
            Method::GET,
            "/organisations.json",
            get(open_data::organisations::<true>),
        ),
        (
            Method::GET,
            "/commitments.csv",
            get(open_data::commitments::<false>),
        ),
        (
            Method::GET,
            "/commitments.json",
            get(open_data::commitments::<true>),
        ),
        (
            Method::GET,
            "/initiatives.csv",
            get(open_data::initiatives::<false>),
        ),
        (
            Method::GET,
            "/initiatives.json",
            get(open_data::initiatives::<true>),
        ),
        (
            Method::GET,
            "/experiments.csv",
            get(open_data::experiments::<false>),
        ),
        (
            Method::GET,
            "/experiments.json",
            get(open_data::experiments::<true>),
        ),
        (
            Method::GET,
            "/contributions.csv",
            get(open_data::contributions::<false>),
        ),
        (
            Method::GET,
            "/contributions.json",
            get(open_data::contributions::<true>),
        ),
        (
            Method::GET,
            "/measures.csv",
            get(open_data::measures::<false>),
        ),
        (
            Method::GET,
            "/measures.json",
            get(open_data::measures::<true>),
        ),
        (
            Method::GET,
            "/stories.csv",
            get(open_data::stories::<false>),
        ),
        (
            Method::GET,
            "/stories.json",
            get(open_data::stories::<true>),
        ),
        (Method::GET, "/open-data", get(open_data::show)),
        (Method::GET, "/admin/licence", get(open_data::licence_page)),
        (Method::POST, "/admin/licence", post(open_data::set_licence)),
        (
            Method::GET,
            "/organisations/new",
            get(editing::new_page::<Organisation>),
        ),
        (
            Method::POST,
            "/organisations/new",
            post(editing::create::<Organisation>),
        ),
        (
            Method::GET,
            "/organisations/{organisation}",
            get(organisations::show),
        ),
        (
            Method::GET,
            "/organisations/{organisation}/edit",
            get(editing::edit_page::<Organisation>),
        ),
        (
            Method::POST,
            "/organisations/{organisation}/edit",
            post(editing::update::<Organisation>),
        ),
        (
            Method::GET,
            "/organisations/{organisation}/contacts",
            get(contacts::list),
        ),
        (
            Method::POST,
            "/organisations/{organisation}/contacts",
            post(contacts::add),
        ),
        (Method::GET, "/missions", get(missions::list)),
        (
            Method::GET,
            "/missions/new",
            get(editing::new_page::<Mission>),
        ),
        (
            Method::POST,
            "/missions/new",
            post(editing::create::<Mission>),
        ),
        (Method::GET, "/missions/{mission}", get(missions::show)),
        (
            Method::GET,
            "/missions/{mission}/edit",
            get(editing::edit_page::<Mission>),
        ),
        (
            Method::POST,
            "/missions/{mission}/edit",
            post(editing::update::<Mission>),
        ),
        (
            Method::GET,
            "/themes/new",
            get(editing::new_page::<OutcomeTheme>),
        ),
        (
            Method::POST,
            "/themes/new",
            post(editing::create::<OutcomeTheme>),
        ),
        (
            Method::GET,
            "/themes/{theme}/edit",
            get(editing::edit_page::<OutcomeTheme>),
        ),
        (
            Method::POST,
            "/themes/{theme}/edit",
            post(editing::update::<OutcomeTheme>),
        ),
        (Method::GET, "/themes/{theme}", get(outcomes::theme)),
        (
            Method::GET,
            "/signals/new",
            get(editing::new_page::<placeweave_domain::OutcomeSignal>),
        ),
        (
            Method::POST,
            "/signals/new",
            post(editing::create::<placeweave_domain::OutcomeSignal>),
        ),
        (
            Method::GET,
            "/signals/{signal}/edit",
            get(editing::edit_page::<placeweave_domain::OutcomeSignal>),
        ),
        (
            Method::POST,
            "/signals/{signal}/edit",
            post(editing::update::<placeweave_domain::OutcomeSignal>),
        ),
        (
            Method::GET,
            "/measures/new",
            get(editing::new_page::<placeweave_domain::Measure>),
        ),
        (
            Method::POST,
            "/measures/new",
            post(editing::create::<placeweave_domain::Measure>),
        ),
        (Method::GET, "/measures/{measure}", get(outcomes::measure)),
        (
            Method::GET,
            "/measures/{measure}/edit",
            get(editing::edit_page::<placeweave_domain::Measure>),
        ),
        (
            Method::POST,
            "/measures/{measure}/edit",
            post(editing::update::<placeweave_domain::Measure>),
        ),
        (
            Method::GET,
            "/measures/{measure}/values/new",
            get(outcomes::new_value),
        ),
        (
            Method::POST,
            "/measures/{measure}/values/new",
            post(outcomes::enter_value),
        ),
        (
            Method::GET,
            "/measures/{measure}/{file}",
            get(outcomes::download),
        ),
        (
            Method::GET,
            "/import/measure-values",
            get(outcomes::import_form),
        ),
        (
            Method::POST,
            "/import/measure-values",
            post(outcomes::import),
        ),
        (Method::GET, "/offer", get(offer::show)),
        (Method::GET, "/offer/new", get(editing::new_page::<Role>)),
        (Method::POST, "/offer/new", post(editing::create::<Role>)),
        (
            Method::GET,
            "/offer/{role}/edit",
            get(editing::edit_page::<Role>),
        ),
        (
            Method::POST,
            "/offer/{role}/edit",
            post(editing::update::<Role>),
        ),
        (Method::GET, "/initiatives", get(initiatives::list)),
        (Method::GET, "/network", get(network::show)),
        (
            Method::GET,
            "/network/network.graphml",
            get(network::graphml),
        ),
        (Method::GET, "/network/network.gexf", get(network::gexf)),
        (Method::GET, "/network/nodes.csv", get(network::nodes_csv)),
        (Method::GET, "/network/edges.csv", get(network::edges_csv)),
        (Method::GET, "/network/kumu.json", get(network::kumu)),
        (Method::GET, "/network/map", get(map::show)),
        (Method::GET, "/embed/map", get(map::embed)),
        (Method::GET, "/embed/map/data.json", get(map::embed_data)),
        (
            Method::GET,
            "/initiatives/new",
            get(editing::new_page::<Initiative>),
        ),
        (
            Method::POST,
            "/initiatives/new",
            post(editing::create::<Initiative>),
        ),
        (
            Method::GET,
            "/initiatives/{initiative}/edit",
            get(editing::edit_page::<Initiative>),
        ),
        (
            Method::POST,
            "/initiatives/{initiative}/edit",
            post(editing::update::<Initiative>),
        ),
        (
            Method::GET,
            "/commitments/new",
            get(editing::new_page::<Commitment>),
        ),
        (
            Method::POST,
            "/commitments/new",
            post(editing::create::<Commitment>),
        ),
        (
            Method::GET,
            "/commitments/proposals",
            get(commitment_review::proposals),
        ),
        (
            Method::GET,
            "/commitments/{id}/review",
            get(commitment_review::review_form),
        ),
        (
            Method::POST,
            "/commitments/{id}/review",
            post(commitment_review::review),
        ),
        (
            Method::GET,
            "/commitments/{id}/edit",
            get(editing::edit_page::<Commitment>),
        ),
        (
            Method::POST,
            "/commitments/{id}/edit",
            post(editing::update::<Commitment>),
        ),
        (
            Method::GET,
            "/initiatives/{initiative}",
            get(initiatives::show),
        ),
        (Method::GET, "/relationships", get(relationships::list)),
        (
            Method::GET,
            "/relationships/report",
            get(partnership::report),
        ),
        (
            Method::GET,
            "/organisations/{organisation}/contacts-log",
            get(partnership::contacts_log),
        ),
        (
            Method::GET,
            "/relationships/new",
            get(editing::new_page::<Relationship>),
        ),
        (
            Method::POST,
            "/relationships/new",
            post(editing::create::<Relationship>),
        ),
        (
            Method::GET,
            "/relationships/{relationship}",
            get(relationships::show),
        ),
        (
            Method::GET,
            "/relationships/{relationship}/edit",
            get(editing::edit_page::<Relationship>),
        ),
        (
            Method::GET,
            "/relationships/{relationship}/stage",
            get(relationships::stage_form),
        ),
        (
            Method::POST,
            "/relationships/{relationship}/stage",
            post(relationships::move_stage),
        ),
        (
            Method::POST,
            "/relationships/{relationship}/edit",
            post(editing::update::<Relationship>),
        ),
        (Method::GET, "/contributions", get(contributions::list)),
        (
            Method::GET,
            "/contributions/new",
            get(editing::new_page::<Contribution>),
        ),
        (
            Method::POST,
            "/contributions/new",
            post(editing::create::<Contribution>),
        ),
        (
            Method::GET,
            "/contributions/{contribution}",
            get(contributions::show),
        ),
        (
            Method::GET,
            "/contributions/{contribution}/edit",
            get(editing::edit_page::<Contribution>),
        ),
        (
            Method::POST,
            "/contributions/{contribution}/edit",
            post(editing::update::<Contribution>),
        ),
        (
            Method::GET,
            "/organisations/{organisation}/impact",
            get(contributions::impact),
        ),
        (
            Method::GET,
            "/organisations/{organisation}/briefing",
            get(briefing::show),
        ),
        (Method::GET, "/interactions", get(interactions::list)),
        (
            Method::GET,
            "/interactions/new",
            get(editing::new_page::<Interaction>),
        ),
        (
            Method::POST,
            "/interactions/new",
            post(editing::create::<Interaction>),
        ),
        (
            Method::GET,
            "/interactions/{interaction}",
            get(interactions::show),
        ),
        (
            Method::GET,
            "/interactions/{interaction}/edit",
            get(editing::edit_page::<Interaction>),
        ),
        (
            Method::POST,
            "/interactions/{interaction}/edit",
            post(editing::update::<Interaction>),
        ),
        (
            Method::POST,
            "/interactions/{interaction}/follow-ups/{follow_up}/done",
            post(interactions::complete),
        ),
        (
            Method::GET,
            "/accessibility",
            get(place_page::accessibility),
        ),
        (Method::GET, "/privacy", get(place_page::privacy)),
        (Method::GET, "/cookies", get(place_page::cookies)),
        (Method::GET, "/contact", get(place_page::contact)),
        (
            Method::GET,
            "/admin/pages/{page}",
            get(place_page::edit_page),
        ),
        (
            Method::POST,
            "/admin/pages/{page}",
            post(place_page::update),
        ),
        (Method::GET, "/asks", get(asks::list)),
        (Method::GET, "/asks/new", get(asks::new_page)),
        (Method::POST, "/asks/new", post(asks::create)),
        (Method::GET, "/asks/{ask}", get(asks::show)),
        (Method::GET, "/asks/{ask}/edit", get(asks::edit_page)),
        (Method::POST, "/asks/{ask}/edit", post(asks::update)),
        (Method::POST, "/asks/{ask}/asked", post(asks::record_made)),
        (
            Method::GET,
            "/asks/{ask}/asked/{asked}",
            get(asks::answer_form),
        ),
        (
            Method::POST,
            "/asks/{ask}/asked/{asked}",
            post(asks::answer),
        ),
        (Method::GET, "/express-interest", get(enquiries::show)),
        (Method::POST, "/express-interest", post(enquiries::send)),
        (Method::GET, "/enquiries", get(enquiries::list)),
        (
            Method::GET,
            "/enquiries/{enquiry}",
            get(enquiries::show_enquiry),
        ),
        (
            Method::POST,
            "/enquiries/{enquiry}/triage",
            post(enquiries::triage),
        ),
        (Method::GET, "/experiments", get(experiments::list)),
        (Method::GET, "/experiments/grid", get(experiments::grid)),
        (
            Method::GET,
            "/experiments/new",
            get(editing::new_page::<Experiment>),
        ),
        (
            Method::POST,
            "/experiments/new",
            post(editing::create::<Experiment>),
        ),
        (
            Method::GET,
            "/experiments/{experiment}",
            get(experiments::show),
        ),
        (
            Method::GET,
            "/experiments/{experiment}/edit",
            get(editing::edit_page::<Experiment>),
        ),
        (
            Method::POST,
            "/experiments/{experiment}/edit",
            post(editing::update::<Experiment>),
        ),
        (
            Method::GET,
            "/experiments/{experiment}/learning",
            get(experiments::side_page::<experiments::Learning>),
        ),
        (
            Method::POST,
            "/experiments/{experiment}/learning",
            post(experiments::side_post::<experiments::Learning>),
        ),
        (
            Method::GET,
            "/experiments/{experiment}/decision",
            get(experiments::side_page::<experiments::DecisionForm>),
        ),
        (
            Method::POST,
            "/experiments/{experiment}/decision",
            post(experiments::side_post::<experiments::DecisionForm>),
        ),
        (
            Method::GET,
            "/missions/{mission}/progress",
            get(experiments::side_page::<experiments::ProgressForm>),
        ),
        (
            Method::POST,
            "/missions/{mission}/progress",
            post(experiments::side_post::<experiments::ProgressForm>),
        ),
        (Method::GET, "/stories", get(stories::list)),
        (Method::GET, "/stories.atom", get(stories::feed)),
        (Method::GET, "/stories/new", get(editing::new_page::<Story>)),
        (Method::POST, "/stories/new", post(editing::create::<Story>)),
        (Method::GET, "/stories/{story}", get(stories::show)),
        (
            Method::GET,
            "/stories/{story}/edit",
            get(editing::edit_page::<Story>),
        ),
        (
            Method::POST,
            "/stories/{story}/edit",
            post(editing::update::<Story>),
        ),
        (
            Method::GET,
            "/stories/{story}/publish",
            get(experiments::side_page::<stories::Publish>),
        ),
        (
            Method::POST,
            "/stories/{story}/publish",
            post(experiments::side_post::<stories::Publish>),
        ),
        (Method::GET, "/password-reset", get(password_reset::show)),
        (Method::POST, "/password-reset", post(password_reset::ask)),
        (Method::GET, "/sign-in", get(account::show_sign_in)),
        (Method::POST, "/sign-in", post(account::sign_in)),
        (Method::POST, "/sign-out", post(account::sign_out)),
        (Method::GET, "/account", get(account::show_account)),
        (Method::GET, "/invite/{token}", get(account::show_invite)),
        (
            Method::POST,
            "/invite/{token}",
            post(account::accept_invite),
        ),
        (Method::GET, "/admin", get(admin::index)),
        (Method::GET, "/admin/users", get(admin::users)),
        (Method::POST, "/admin/users", post(admin::invite)),
        (Method::GET, "/admin/users/{id}/team", get(admin::team_form)),
        (
            Method::POST,
            "/admin/users/{id}/team",
            post(admin::set_team),
        ),
        (
            Method::POST,
            "/admin/users/{id}/disable",
            post(admin::disable),
        ),
        (
            Method::POST,
            "/admin/users/{id}/reset",
            post(admin::issue_reset),
        ),
        (Method::GET, "/admin/audit", get(admin::audit)),
        (Method::GET, "/admin/people", get(admin::people)),
        (
            Method::GET,
            "/admin/people/export",
            get(admin::export_person),
        ),
        (
            Method::POST,
            "/admin/people/erase",
            post(admin::erase_person),
        ),
    ]
}

pub fn router() -> Router<AppState> {
    routes()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
}

/// The method and path of every page route, for tests.
pub fn route_list() -> Vec<(Method, &'static str)> {
    routes().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// The part of the service a page belongs to, for the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Home,
    Missions,
    Offer,
    Organisations,
    Initiatives,
    Search,
    /// The partnership team's relationships (staff only).
    Relationships,
    Network,
    Account,
    Admin,
}

/// What the layout needs on every page.
pub struct Chrome {
    pub service_name: String,
    pub place_name: String,
    /// The page's meta description (and Open Graph description).
    pub description: String,
    /// What the page is about, when it is one record (for sharing).
    title: Option<String>,
    pub section: Section,
    /// The signed-in person's name, if any.
    pub signed_in: Option<String>,
    pub role: Option<AccountRole>,
    /// The path of this page (never its query), for the sign-in link's `next`.
    address: String,
    /// This site's address, for printed pages.
    origin: String,
    /// The caller in the page's place; none on pages outside a place.
    scope: Option<Scope>,
}

pub struct NavItem {
    pub href: &'static str,
    pub text: &'static str,
    pub current: bool,
}

fn resource(kind: &str) -> Option<Resource> {
    Some(match kind {
        "organisation" => Resource::Organisation,
        "mission" => Resource::Mission,
        "role" => Resource::Role,
        "initiative" => Resource::Initiative,
        "theme" => Resource::OutcomeTheme,
        "experiment" => Resource::Experiment,
        "story" => Resource::Story,
        "signal" => Resource::OutcomeSignal,
        "measure" => Resource::Measure,
        _ => return None,
    })
}

impl Chrome {
    pub fn new(scope: &Scope, section: Section, caller: &Caller) -> Self {
        let place = &scope.place().place;
        let context = context::current();
        Chrome {
            service_name: context::service_name(&place.name),
            place_name: place.name.clone(),
            description: section_description(section, place),
            title: None,
            section,
            signed_in: caller.display_name.clone(),
            role: caller.principal.role(),
            address: context.address,
            origin: context.origin,
            scope: Some(scope.clone()),
        }
    }

    /// Sets the page's description from its own text (shortened), when it has some.
    pub fn describe(mut self, text: impl AsRef<str>) -> Self {
        let text = text.as_ref().trim();
        if !text.is_empty() {
            self.description = placeweave_domain::place_page::shorten(text, 160);
        }
        self
    }

    /// Names the record the page shows, for its Open Graph title.
    pub fn titled(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The page's title when shared (Open Graph): the record or the
    /// section, then the service.
    pub fn share_title(&self) -> String {
        let section = match self.section {
            Section::Home => None,
            Section::Missions => Some("Missions"),
            Section::Offer => Some("Collaboration offer"),
            Section::Organisations => Some("Organisations"),
            Section::Initiatives => Some("Initiatives"),
            Section::Search => Some("Search"),
            Section::Relationships => Some("Relationships"),
            Section::Network => Some("Network"),
            Section::Account => Some("Your account"),
            Section::Admin => Some("Administration"),
        };
        match self.title.as_deref().or(section) {
            Some(title) => format!("{title} – {}", self.service_name),
            None => self.service_name.clone(),
        }
    }

    /// The footer's links: the place's required pages.
    pub fn footer_links(&self) -> Vec<(&'static str, &'static str)> {
        place_page::all()
            .map(|(kind, path)| (path, kind.label()))
            .collect()
    }

    /// This page's full address, written on printed copies.
    pub fn page_url(&self) -> String {
        format!("{}{}", self.origin, self.address)
    }

    /// The sign-in link, coming back to this page afterwards.
    pub fn sign_in_href(&self) -> String {
        sign_in_address(&self.address)
    }

    /// Whether to offer the link to create a record of this kind (the
    /// application layer's policy answers).
    pub fn may_create(&self, kind: &str) -> bool {
        let (Some(scope), Some(resource)) = (&self.scope, resource(kind)) else {
            return false;
        };
        scope.may_create(resource)
    }

    /// Whether to offer the link to edit a record of this kind.
    pub fn may_edit(&self, kind: &str) -> bool {
        match (&self.scope, resource(kind)) {
            (Some(scope), Some(resource)) if resource != Resource::Organisation => {
                scope.may_edit(resource)
            }
            _ => false,
        }
    }

    /// Whether to offer the links to record or change this organisation's commitments.
    pub fn may_commit(&self, organisation: &str) -> bool {
        self.scope
            .as_ref()
            .is_some_and(|scope| scope.may_commit(organisation))
    }

    /// Whether to offer the review of partners' proposed commitments.
    pub fn may_review_commitments(&self) -> bool {
        self.scope
            .as_ref()
            .is_some_and(|scope| scope.may_review_commitments())
    }

    /// For pages that stand outside any place's records (sign-in,
    /// account, administration): the place's names all the same.
    pub fn generic(section: Section, caller: &Caller) -> Self {
        Chrome {
            signed_in: caller.display_name.clone(),
            role: caller.principal.role(),
            ..Chrome::from_context(section)
        }
    }

    /// For pages built far from the request (errors): the names and the
    /// signed-in state as the request's context holds them.
    pub fn from_context(section: Section) -> Self {
        let context = context::current();
        Chrome {
            service_name: context.service_name,
            place_name: context.place_name,
            description: context.description,
            title: None,
            section,
            signed_in: context.signed_in,
            role: context.role,
            address: context.address,
            origin: context.origin,
            scope: None,
        }
    }

    pub fn navigation(&self) -> Vec<NavItem> {
        let mut items = vec![
            ("/missions", "Missions", Section::Missions),
            ("/offer", "Collaboration offer", Section::Offer),
            ("/organisations", "Organisations", Section::Organisations),
            ("/initiatives", "Initiatives", Section::Initiatives),
        ];
        // Asked of the policy from the role alone, so that error pages
        // (which have no place's scope) show the same sections.
        if self.role.is_some_and(|role| {
            placeweave_domain::policy::permits(
                &placeweave_domain::Principal::Account {
                    id: 0,
                    role,
                    place: None,
                    organisation: None,
                },
                placeweave_domain::Action::Read,
                &placeweave_domain::Target::kind_at(
                    Resource::Relationship,
                    placeweave_domain::relationship::AUDIENCE,
                ),
            )
        }) {
            items.push(("/relationships", "Relationships", Section::Relationships));
        }
        if self.role == Some(AccountRole::Admin) {
            items.push(("/admin", "Administration", Section::Admin));
        }
        items
            .into_iter()
            .map(|(href, text, section)| NavItem {
                href,
                text,
                current: section == self.section,
            })
            .collect()
    }

    /// Whether this is the search page, whose own box replaces the header's.
    pub fn is_search(&self) -> bool {
        self.section == Section::Search
    }

    /// Whether the page is the account's own (for the header's account links).
    pub fn in_account(&self) -> bool {
        self.section == Section::Account
    }
}

/// What a section's pages are about, for their meta description.
fn section_description(section: Section, place: &placeweave_domain::Place) -> String {
    let (name, council) = (&place.name, &place.convening_organisation);
    match section {
        Section::Missions => format!(
            "The shared missions {council} and its partners are working towards in {name}, and the outcomes they aim for."
        ),
        Section::Offer => format!(
            "How partners can work with {council} on {name}'s missions: the roles offered, what each asks of a partner and what it gives back."
        ),
        Section::Organisations => format!(
            "The partner organisations working on {name}'s missions: who they are, what they can offer and the initiatives they take part in."
        ),
        Section::Initiatives => {
            format!("The programmes {name}'s partners run together, and who takes part in each.")
        }
        Section::Network => format!(
            "Who works with whom in {name}: the partnership network, its brokers and single points of failure, and the gaps in what partners bring to each mission."
        ),
        _ => context::place_description(place),
    }
}

/// The sign-in page's address, coming back to `address` afterwards (not
/// when that is the home page or the sign-in page itself).
pub fn sign_in_address(address: &str) -> String {
    if address == "/" || address.starts_with("/sign-in") || !address.starts_with('/') {
        return "/sign-in".to_owned();
    }
    let next: String = url::form_urlencoded::byte_serialize(address.as_bytes()).collect();
    format!("/sign-in?next={next}")
}

/// Renders a page template with a status.
pub fn render(status: StatusCode, page: &impl Template) -> Result<Response, PageError> {
    Ok((status, Html(page.render().map_err(Failure::from)?)).into_response())
}

pub type PageResult = Result<Response, PageError>;

/// A failure answered with a GOV.UK error page.
#[derive(Debug)]
pub struct PageError(pub Failure);

impl<E: Into<Failure>> From<E> for PageError {
    fn from(err: E) -> Self {
        PageError(err.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: String,
    lines: Vec<String>,
    errors: Vec<FieldError>,
    /// The request id, shown when the fault is ours so a report can be traced.
    reference: Option<String>,
}

impl ErrorPage {
    fn new(status: StatusCode, heading: &str, lines: Vec<String>, errors: Vec<FieldError>) -> Self {
        ErrorPage {
            chrome: Chrome::from_context(Section::Home),
            heading: heading.to_owned(),
            lines,
            errors,
            reference: status
                .is_server_error()
                .then(crate::telemetry::request_id)
                .flatten()
                .filter(|id| !id.is_empty()),
        }
    }

    fn respond(&self, status: StatusCode) -> Response {
        match self.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "error page failed to render");
                (status, self.heading.clone()).into_response()
            }
        }
    }
}

/// The GOV.UK page for a request refused before any handler ran (see
/// `error::render_rejections`): `detail` says what was wrong.
pub(crate) fn rejection_page(status: StatusCode, detail: String) -> Response {
    let (heading, mut lines) = match status {
        StatusCode::NOT_FOUND => ("Page not found", vec![]),
        StatusCode::FORBIDDEN => ("Your request was refused", vec![]),
        StatusCode::METHOD_NOT_ALLOWED => ("This page cannot do that", vec![]),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "What you sent is too large",
            vec!["Send less at a time, or shorten the longest fields.".to_owned()],
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => (
            "What you sent could not be read",
            vec!["Send the form from its page in the service.".to_owned()],
        ),
        _ => (
            "There is a problem with your request",
            vec!["Check the web address, or go back to the page and try again.".to_owned()],
        ),
    };
    lines.insert(0, detail);
    ErrorPage::new(status, heading, lines, vec![]).respond(status)
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, Failure::SignInRequired) {
            let address = sign_in_address(&context::current().address);
            return axum::response::Redirect::to(&address).into_response();
        }
        let status = self.0.status();
        if status.is_server_error() {
            tracing::error!(error = %self.0, "page failed");
        }
        let (heading, lines, errors) = match self.0 {
            Failure::NotFound => (
                "Page not found",
                vec![
                    "If you typed the web address, check it is correct.".to_owned(),
                    "If you pasted the web address, check you copied the entire address."
                        .to_owned(),
                ],
                vec![],
            ),
            Failure::Invalid(errors) => (
                "There is a problem with this address",
                vec!["Some of the values in the web address are not valid.".to_owned()],
                errors,
            ),
            Failure::SignInRequired => ("Sign in", vec![], vec![]),
            Failure::Forbidden => (
                "You cannot do this",
                vec!["Your account does not allow this. If you think it should, ask an administrator.".to_owned()],
                vec![],
            ),
            Failure::Conflict => (
                "Someone else changed this",
                vec!["Reload the page to see the latest version, then make your change again.".to_owned()],
                vec![],
            ),
            Failure::Store(err) if err.storage_fault().is_some() => (
                // Reads meet these two as well as writes.
                match err.storage_fault() {
                    Some(
                        placeweave_store::StorageFault::Unavailable
                        | placeweave_store::StorageFault::TooSlow,
                    ) => "Sorry, the service is not available right now",
                    _ => "Sorry, we could not save this",
                },
                crate::error::storage_fault_detail(&err),
                vec![],
            ),
            Failure::Store(_) | Failure::Render(_) | Failure::Hash(_) => (
                "Sorry, there is a problem with the service",
                vec!["Try again later.".to_owned()],
                vec![],
            ),
        };
        ErrorPage::new(status, heading, lines, errors).respond(status)
    }
}

/// The answer for any page address that matches no route.
pub async fn not_found() -> PageError {
    PageError(Failure::NotFound)
}

/// Links between the pages of a list, in the GOV.UK pattern: previous,
/// next, the first and last pages and the current page's neighbours.
#[derive(Default)]
pub struct Pagination {
    pub previous: Option<String>,
    pub next: Option<String>,
    pub items: Vec<PageItem>,
}

pub struct PageItem {
    /// None for an ellipsis.
    pub number: Option<u32>,
    pub href: String,
    pub current: bool,
}

impl Pagination {
    pub fn new(current: u32, pages: u32, href: impl Fn(u32) -> String) -> Self {
        let mut items = Vec::new();
        let mut last_shown = 0;
        for number in 1..=pages {
            if number == 1 || number == pages || number.abs_diff(current) <= 1 {
                if number > last_shown + 1 {
                    items.push(PageItem {
                        number: None,
                        href: String::new(),
                        current: false,
                    });
                }
                items.push(PageItem {
                    number: Some(number),
                    href: href(number),
                    current: number == current,
                });
                last_shown = number;
            }
        }
        Pagination {
            previous: (current > 1).then(|| href(current - 1)),
            next: (current < pages).then(|| href(current + 1)),
            items,
        }
    }
}

/// No error, for form fields that cannot be wrong.
pub fn no_error() -> Option<String> {
    None
}

/// The message for `field` among `errors`, if it has one.
/// A numbered record's id from an address: anything but a positive whole
/// number names no record.
pub(crate) fn record_id(raw: &str) -> Result<i64, Failure> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(Failure::NotFound)
}

pub fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// Only http and https links are shown as links; anything else (say a
/// `javascript:` URL) is not.
pub fn safe_link(url: Option<&str>) -> Option<String> {
    let url = url?;
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| url.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_web_links_are_links() {
        assert_eq!(
            super::safe_link(Some("https://ucl.ac.uk/")).as_deref(),
            Some("https://ucl.ac.uk/")
        );
        assert_eq!(super::safe_link(Some("javascript:alert(1)")), None);
        assert_eq!(super::safe_link(Some("not a url")), None);
        assert_eq!(super::safe_link(None), None);
    }

    #[test]
    fn dates_read_as_people_write_them() {
        use placeweave_domain::record_update::long_date;
        assert_eq!(long_date(1_796_083_200), "1 December 2026");
        assert_eq!(long_date(0), "1 January 1970");
    }

    #[test]
    fn sign_in_links_come_back() {
        assert_eq!(super::sign_in_address("/"), "/sign-in");
        assert_eq!(super::sign_in_address("/sign-in?next=/x"), "/sign-in");
        assert_eq!(
            super::sign_in_address("/organisations/ucl"),
            "/sign-in?next=%2Forganisations%2Fucl"
        );
    }
}
