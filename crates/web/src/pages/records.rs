//! Creating and editing missions, roles of the offer, initiatives and
//! commitments, and creating organisations. Each handler asks the policy,
//! applies the domain's edit rules, and saves with a version check.

use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_domain::commitment::CommitmentStatus;
use placeweave_domain::edit::{Absent, Submitted, apply_to_commitment, apply_to_organisation};
use placeweave_domain::place::RecordRef;
use placeweave_domain::policy::settable_fields;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_domain::{
    Action, Audience, Commitment, DomainError, FieldError, Initiative, Mission, Organisation,
    OutcomeTheme, Resource, Role, Target, Viewer,
};
use placeweave_store::{CommitmentFilter, PlaceRecord, StoreError};
use serde::Deserialize;

use super::forms::{Control, FormField, RecordForm, conflict, save_failed};
use super::{Chrome, PageResult, Section};
use crate::AppState;
use crate::auth::{Caller, now};
use crate::error::{Failure, require};
use crate::records::Record;

fn pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn audiences() -> Control {
    Control::Select(
        Audience::ALL
            .iter()
            .map(|a| (a.as_str().to_owned(), a.as_str().to_owned()))
            .collect(),
        "",
    )
}

fn done(href: String) -> PageResult {
    Ok(Redirect::to(&href).into_response())
}

// ----- missions, roles and initiatives -----

/// How a record's pages look: where they live and what the form holds.
pub trait FormRecord: Record {
    const SECTION: Section;
    /// The list page, and the prefix of the record's own pages.
    const BASE: &'static str;
    const ADD_HEADING: &'static str;
    fn form(
        state: &AppState,
        caller: &Caller,
        place: &PlaceRecord,
        record: &Self,
        action: String,
        heading: String,
        version: Option<i64>,
    ) -> impl std::future::Future<Output = Result<RecordForm, Failure>> + Send;
    /// Where to go after saving.
    fn saved_href(&self) -> String {
        format!("{}/{}", Self::BASE, self.slug())
    }
}

impl FormRecord for Mission {
    const SECTION: Section = Section::Missions;
    const BASE: &'static str = "/missions";
    const ADD_HEADING: &'static str = "Add a mission";
    async fn form(
        state: &AppState,
        caller: &Caller,
        place: &PlaceRecord,
        record: &Self,
        action: String,
        heading: String,
        version: Option<i64>,
    ) -> Result<RecordForm, Failure> {
        mission_form(state, caller, place, record, action, heading, version).await
    }
}

impl FormRecord for Role {
    const SECTION: Section = Section::Offer;
    const BASE: &'static str = "/offer";
    const ADD_HEADING: &'static str = "Add a role";
    async fn form(
        _state: &AppState,
        caller: &Caller,
        place: &PlaceRecord,
        record: &Self,
        action: String,
        heading: String,
        version: Option<i64>,
    ) -> Result<RecordForm, Failure> {
        Ok(role_form(caller, place, record, action, heading, version))
    }
    fn saved_href(&self) -> String {
        format!("/offer#{}", self.id)
    }
}

impl FormRecord for Initiative {
    const SECTION: Section = Section::Initiatives;
    const BASE: &'static str = "/initiatives";
    const ADD_HEADING: &'static str = "Add an initiative";
    async fn form(
        state: &AppState,
        caller: &Caller,
        place: &PlaceRecord,
        record: &Self,
        action: String,
        heading: String,
        version: Option<i64>,
    ) -> Result<RecordForm, Failure> {
        initiative_form(state, caller, place, record, action, heading, version).await
    }
}

impl FormRecord for OutcomeTheme {
    const SECTION: Section = Section::Missions;
    const BASE: &'static str = "/themes";
    const ADD_HEADING: &'static str = "Add an outcome theme";
    async fn form(
        _state: &AppState,
        caller: &Caller,
        place: &PlaceRecord,
        record: &Self,
        action: String,
        heading: String,
        version: Option<i64>,
    ) -> Result<RecordForm, Failure> {
        Ok(RecordForm {
            chrome: Chrome::new(place, Section::Missions, caller),
            errors: vec![],
            caption: "Outcomes framework",
            heading,
            back: ("/missions#themes".into(), "Back to missions and themes".into()),
            action,
            version,
            submit: "Save theme",
            fields: vec![
                FormField::new("name", "Name of the theme", Control::Input("text"), record.name.clone()),
                FormField::new("description", "What it means", Control::TextArea, record.description.clone().unwrap_or_default())
                    .hint("For example: people live long and healthy lives, measured by healthy life expectancy"),
                FormField::new(
                    "is_core",
                    "Is it a core theme?",
                    Control::Select(vec![("yes".into(), "Core theme".into())], "Not a core theme"),
                    if record.is_core { "yes" } else { "" },
                ),
                FormField::new("audience", "Who can see this theme", audiences(), record.audience.as_str()),
            ],
        })
    }
    fn saved_href(&self) -> String {
        "/missions#themes".to_owned()
    }
}

/// Loads the record to edit (or a blank one to create) after asking the policy.
async fn editable<R: FormRecord>(
    state: &AppState,
    caller: &Caller,
    slug: Option<&str>,
) -> Result<(PlaceRecord, R), Failure> {
    let place = state.place(caller.viewer()).await?;
    let record = match slug {
        Some(slug) => {
            let found = R::load(&state.store, place.key, slug, caller.viewer())
                .await?
                .ok_or(Failure::NotFound)?;
            require(
                caller,
                Action::Update,
                &Target::new(R::RESOURCE, found.audience(), None),
            )?;
            R::load(&state.store, place.key, slug, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?
        }
        None => {
            require(caller, Action::Create, &Target::kind(R::RESOURCE))?;
            R::blank()
        }
    };
    Ok((place, record))
}

/// The form's address and heading, for a new record or an existing one.
fn addressed<R: FormRecord>(slug: Option<&str>, record: &R) -> (String, String) {
    match slug {
        Some(slug) => (
            format!("{}/{slug}/edit", R::BASE),
            format!("Edit {}", record.name()),
        ),
        None => (format!("{}/new", R::BASE), R::ADD_HEADING.to_owned()),
    }
}

async fn show_form<R: FormRecord>(
    state: AppState,
    caller: Caller,
    slug: Option<String>,
) -> PageResult {
    let (place, record) = editable::<R>(&state, &caller, slug.as_deref()).await?;
    let (action, heading) = addressed(slug.as_deref(), &record);
    let version = slug.as_ref().map(|_| version_of(&record));
    R::form(&state, &caller, &place, &record, action, heading, version)
        .await?
        .prepare(settable_fields(&caller.principal, R::RESOURCE), None)
        .show(StatusCode::OK)
}

fn version_of<R: Record>(record: &R) -> i64 {
    serde_json::to_value(record)
        .ok()
        .and_then(|v| v.get("version").and_then(serde_json::Value::as_i64))
        .unwrap_or_default()
}

pub async fn new_record<R: FormRecord>(
    State(state): State<AppState>,
    caller: Caller,
) -> PageResult {
    show_form::<R>(state, caller, None).await
}

pub async fn edit_record<R: FormRecord>(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    show_form::<R>(state, caller, Some(slug)).await
}

pub async fn save_record<R: FormRecord>(
    State(state): State<AppState>,
    caller: Caller,
    slug: Option<Path<String>>,
    RawForm(body): RawForm,
) -> PageResult {
    let slug = slug.map(|Path(s)| s);
    let (place, current) = editable::<R>(&state, &caller, slug.as_deref()).await?;
    let mut submitted = pairs(&body);
    if slug.is_none() {
        submitted.push(("version".into(), "0".into()));
    }
    let settable = settable_fields(&caller.principal, R::RESOURCE);
    let (action, heading) = addressed(slug.as_deref(), &current);
    let version = slug.as_ref().map(|_| version_of(&current));
    let show = |errors: Vec<FieldError>| async {
        let mut form = R::form(
            &state,
            &caller,
            &place,
            &current,
            action.clone(),
            heading.clone(),
            version,
        )
        .await?;
        form.errors = errors;
        form.prepare(settable, Some(&submitted))
            .show(StatusCode::BAD_REQUEST)
    };
    let mut next = match current.apply(&Submitted::new(&submitted), settable, Absent::MeansEmpty) {
        Ok(next) => next,
        Err(DomainError::Invalid(errors)) => return show(errors).await,
    };
    let result = match &slug {
        Some(_) => {
            R::update(
                &state.store,
                place.key,
                &current,
                &next,
                caller.account_id(),
                now(),
            )
            .await
        }
        None => {
            if let Err(failure) = next.new_slug() {
                return match failure {
                    Failure::Invalid(errors) => show(errors).await,
                    other => Err(other.into()),
                };
            }
            R::create(&state.store, place.key, &next, caller.account_id(), now()).await
        }
    };
    match result {
        Ok(()) => done(next.saved_href()),
        Err(StoreError::Stale { .. }) => {
            let latest = R::load(&state.store, place.key, current.slug(), Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?;
            conflict(
                Chrome::new(&place, R::SECTION, &caller),
                action,
                &next,
                &latest,
                &[],
            )
        }
        Err(err) => match super::forms::fixable(&err, R::NAME_FIELD) {
            Some(errors) => show(errors).await,
            None => Err(Failure::from(err).into()),
        },
    }
}

async fn mission_form(
    state: &AppState,
    caller: &Caller,
    place: &PlaceRecord,
    mission: &Mission,
    action: String,
    heading: String,
    version: Option<i64>,
) -> Result<RecordForm, Failure> {
    let themes = state
        .store
        .outcome_themes(place.key, caller.viewer())
        .await?;
    Ok(RecordForm {
        chrome: Chrome::new(place, Section::Missions, caller),
        errors: vec![],
        caption: "Mission",
        heading,
        back: ("/missions".into(), "Back to missions".into()),
        action,
        version,
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
    })
}

fn role_form(
    caller: &Caller,
    place: &PlaceRecord,
    role: &Role,
    action: String,
    heading: String,
    version: Option<i64>,
) -> RecordForm {
    RecordForm {
        chrome: Chrome::new(place, Section::Offer, caller),
        errors: vec![],
        caption: "Collaboration offer",
        heading,
        back: ("/offer".into(), "Back to the collaboration offer".into()),
        action,
        version,
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
            FormField::new(
                "ask_of_partner",
                "What we ask of a partner",
                Control::TextArea,
                role.ask_of_partner.clone(),
            ),
            FormField::new(
                "value_for_place",
                "Value for the place",
                Control::TextArea,
                role.value_for_place.clone(),
            )
            .hint("One point a line"),
            FormField::new(
                "value_for_partner",
                "Value for the partner",
                Control::TextArea,
                role.value_for_partner.clone(),
            )
            .hint("One point a line"),
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
    }
}

async fn initiative_form(
    state: &AppState,
    caller: &Caller,
    place: &PlaceRecord,
    initiative: &Initiative,
    action: String,
    heading: String,
    version: Option<i64>,
) -> Result<RecordForm, Failure> {
    let missions = state.store.missions(place.key, caller.viewer()).await?;
    let participants = initiative
        .participants
        .iter()
        .map(|p| match &p.role {
            Some(role) => format!("{}: {role}", p.organisation.id),
            None => p.organisation.id.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(RecordForm {
        chrome: Chrome::new(place, Section::Initiatives, caller),
        errors: vec![],
        caption: "Initiative",
        heading,
        back: ("/initiatives".into(), "Back to initiatives".into()),
        action,
        version,
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
            FormField::new("participants", "Organisations taking part", Control::TextArea, participants)
                .hint("One a line: the organisation's id (the last part of its page's address), then a colon and its part, like ucl: Host"),
            FormField::new("audience", "Who can see this initiative", audiences(), initiative.audience.as_str()),
        ],
    })
}

// ----- commitments -----

#[derive(Deserialize, Default)]
pub struct NewCommitmentQuery {
    organisation: Option<String>,
}

async fn commitment_form(
    state: &AppState,
    caller: &Caller,
    place: &PlaceRecord,
    commitment: &Commitment,
    action: String,
    heading: String,
    version: Option<i64>,
) -> Result<RecordForm, Failure> {
    let roles = state.store.roles(place.key, caller.viewer()).await?;
    let missions = state.store.missions(place.key, caller.viewer()).await?;
    Ok(RecordForm {
        chrome: Chrome::new(place, Section::Organisations, caller),
        errors: vec![],
        caption: "Commitment",
        heading,
        back: (
            format!("/organisations/{}", commitment.organisation.id),
            "Back to the organisation".into(),
        ),
        action,
        version,
        submit: "Save commitment",
        fields: vec![
            FormField::new(
                "organisation",
                "Organisation",
                Control::Input("text"),
                commitment.organisation.id.clone(),
            )
            .hint("The organisation's id: the last part of its page's address"),
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
                Control::Select(
                    CommitmentStatus::ALL
                        .iter()
                        .map(|s| (s.slug().to_owned(), s.label().to_owned()))
                        .collect(),
                    "",
                ),
                commitment.status.slug(),
            ),
            FormField::new(
                "start_date",
                "Start date",
                Control::Input("text"),
                commitment.start_date.clone().unwrap_or_default(),
            )
            .hint("Year-month-day, like 2025-04-01"),
            FormField::new(
                "end_date",
                "End date",
                Control::Input("text"),
                commitment.end_date.clone().unwrap_or_default(),
            )
            .hint("Year-month-day, like 2026-03-31"),
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
    })
}

async fn editable_commitment(
    state: &AppState,
    caller: &Caller,
    id: Option<i64>,
    organisation: Option<String>,
) -> Result<(PlaceRecord, Commitment), Failure> {
    let place = state.place(caller.viewer()).await?;
    let find = |viewer| {
        let filter = CommitmentFilter {
            id,
            ..Default::default()
        };
        let store = state.store.clone();
        let key = place.key;
        async move {
            store
                .commitments(key, viewer, &filter)
                .await
                .map(|c| c.into_iter().next())
        }
    };
    let commitment = match id {
        Some(_) => {
            let found = find(caller.viewer()).await?.ok_or(Failure::NotFound)?;
            require(
                caller,
                Action::Update,
                &Target::new(
                    Resource::Commitment,
                    found.audience,
                    Some(&found.organisation.id),
                ),
            )?;
            find(Viewer::Admin).await?.ok_or(Failure::NotFound)?
        }
        None => {
            // A partner's commitments are always their own organisation's.
            let organisation = match &caller.principal {
                placeweave_domain::Principal::Account {
                    role: placeweave_domain::AccountRole::Partner,
                    organisation,
                    ..
                } => organisation.clone(),
                _ => organisation,
            }
            .unwrap_or_default();
            require(
                caller,
                Action::Create,
                &Target::new(Resource::Commitment, Audience::Public, Some(&organisation)),
            )?;
            Commitment {
                id: 0,
                organisation: RecordRef {
                    id: organisation,
                    name: String::new(),
                },
                role: None,
                mission: None,
                status: CommitmentStatus::Proposed,
                start_date: None,
                end_date: None,
                note: None,
                demonstration: false,
                audience: Audience::Public,
                version: 0,
            }
        }
    };
    Ok((place, commitment))
}

pub async fn new_commitment(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<NewCommitmentQuery>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let organisation = query.ok().and_then(|Query(q)| q.organisation);
    let (place, commitment) = editable_commitment(&state, &caller, None, organisation).await?;
    let action = format!(
        "/commitments/new?organisation={}",
        commitment.organisation.id
    );
    let form = commitment_form(
        &state,
        &caller,
        &place,
        &commitment,
        action,
        "Record a commitment".into(),
        None,
    )
    .await?;
    form.prepare(
        settable_fields(&caller.principal, Resource::Commitment),
        None,
    )
    .show(StatusCode::OK)
}

pub async fn edit_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> PageResult {
    let (place, commitment) = editable_commitment(&state, &caller, Some(id), None).await?;
    let form = commitment_form(
        &state,
        &caller,
        &place,
        &commitment,
        format!("/commitments/{id}/edit"),
        "Edit commitment".into(),
        Some(commitment.version),
    )
    .await?;
    form.prepare(
        settable_fields(&caller.principal, Resource::Commitment),
        None,
    )
    .show(StatusCode::OK)
}

pub async fn save_new_commitment(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<NewCommitmentQuery>, axum::extract::rejection::QueryRejection>,
    RawForm(body): RawForm,
) -> PageResult {
    let organisation = query.ok().and_then(|Query(q)| q.organisation);
    let (place, current) = editable_commitment(&state, &caller, None, organisation).await?;
    save_commitment(state, caller, place, current, None, body.to_vec()).await
}

pub async fn save_existing_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> PageResult {
    let (place, current) = editable_commitment(&state, &caller, Some(id), None).await?;
    save_commitment(state, caller, place, current, Some(id), body.to_vec()).await
}

async fn save_commitment(
    state: AppState,
    caller: Caller,
    place: PlaceRecord,
    current: Commitment,
    id: Option<i64>,
    body: Vec<u8>,
) -> PageResult {
    let mut submitted = pairs(&body);
    if id.is_none() {
        submitted.push(("version".into(), "0".into()));
    }
    let settable = settable_fields(&caller.principal, Resource::Commitment);
    let action = match id {
        Some(id) => format!("/commitments/{id}/edit"),
        None => format!("/commitments/new?organisation={}", current.organisation.id),
    };
    let show = |errors: Vec<FieldError>| async {
        let mut form = commitment_form(
            &state,
            &caller,
            &place,
            &current,
            action.clone(),
            "Commitment".into(),
            id.map(|_| current.version),
        )
        .await?;
        form.errors = errors;
        form.prepare(settable, Some(&submitted))
            .show(StatusCode::BAD_REQUEST)
    };
    let next = match apply_to_commitment(
        &current,
        &Submitted::new(&submitted),
        settable,
        Absent::MeansEmpty,
    ) {
        Ok(next) => next,
        Err(DomainError::Invalid(errors)) => return show(errors).await,
    };
    // Staff may move a commitment to another organisation; it must be one they may act for.
    require(
        &caller,
        Action::Update,
        &Target::new(
            Resource::Commitment,
            next.audience,
            Some(&next.organisation.id),
        ),
    )?;
    let result = match id {
        Some(_) => {
            state
                .store
                .update_commitment(place.key, &current, &next, caller.account_id(), now())
                .await
        }
        None => state
            .store
            .create_commitment(place.key, &next, caller.account_id(), now())
            .await
            .map(|_| ()),
    };
    match result {
        Ok(()) => done(format!("/organisations/{}", next.organisation.id)),
        Err(StoreError::Stale { .. }) => {
            let filter = CommitmentFilter {
                id: Some(current.id),
                ..Default::default()
            };
            let latest = state
                .store
                .commitments(place.key, Viewer::Admin, &filter)
                .await?
                .into_iter()
                .next()
                .ok_or(Failure::NotFound)?;
            conflict(
                Chrome::new(&place, Section::Organisations, &caller),
                action,
                &next,
                &latest,
                &["note", "audience"],
            )
        }
        Err(err) => match super::forms::fixable(&err, "organisation") {
            Some(errors) => show(errors).await,
            None => Err(Failure::from(err).into()),
        },
    }
}

// ----- new organisations -----

pub async fn new_organisation(State(state): State<AppState>, caller: Caller) -> PageResult {
    require(
        &caller,
        Action::Create,
        &Target::kind(Resource::Organisation),
    )?;
    let place = state.place(caller.viewer()).await?;
    super::edit::new_form(&place, &caller, blank_organisation(), vec![], None)
}

fn blank_organisation() -> Organisation {
    Organisation {
        id: String::new(),
        name: String::new(),
        kind: OrganisationKind::Other,
        size_band: None,
        scope: None,
        wards: vec![],
        identifiers: vec![],
        is_anchor: false,
        levers: vec![],
        description: None,
        website: None,
        internal_notes: None,
        audience: Audience::Public,
        version: 0,
    }
}

pub async fn create_organisation(
    State(state): State<AppState>,
    caller: Caller,
    RawForm(body): RawForm,
) -> PageResult {
    require(
        &caller,
        Action::Create,
        &Target::kind(Resource::Organisation),
    )?;
    let place = state.place(caller.viewer()).await?;
    let mut submitted = pairs(&body);
    submitted.push(("version".into(), "0".into()));
    let blank = blank_organisation();
    let settable = settable_fields(&caller.principal, Resource::Organisation);
    let mut next = match apply_to_organisation(
        &blank,
        &Submitted::new(&submitted),
        settable,
        Absent::MeansEmpty,
    ) {
        Ok(next) => next,
        Err(DomainError::Invalid(errors)) => {
            return super::edit::new_form(&place, &caller, blank, errors, Some(&submitted));
        }
    };
    next.id = match crate::records::slug_from(&next.name, "name") {
        Ok(id) => id,
        Err(Failure::Invalid(errors)) => {
            return super::edit::new_form(&place, &caller, blank, errors, Some(&submitted));
        }
        Err(other) => return Err(other.into()),
    };
    next.version = 1;
    match state
        .store
        .create_organisation(place.key, &next, caller.account_id(), now())
        .await
    {
        Ok(()) => done(format!("/organisations/{}", next.id)),
        Err(err) => save_failed(
            err,
            |errors| {
                super::edit::new_form(&place, &caller, blank.clone(), errors, Some(&submitted))
            },
            "name",
        ),
    }
}
