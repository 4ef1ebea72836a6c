//! Creating and editing missions, roles of the offer, initiatives and
//! commitments, and creating organisations. Each handler asks the policy,
//! applies the domain's edit rules, and saves with a version check.

use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_domain::commitment::CommitmentStatus;
use placeweave_domain::edit::{
    Absent, Submitted, apply_to_commitment, apply_to_initiative, apply_to_mission,
    apply_to_organisation, apply_to_role,
};
use placeweave_domain::place::{RecordRef, slugify};
use placeweave_domain::policy::settable_fields;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_domain::{
    Action, Audience, Commitment, DomainError, FieldError, Initiative, Mission, Organisation,
    Resource, Role, Target, Viewer,
};
use placeweave_store::{CommitmentFilter, PlaceRecord, StoreError};
use serde::Deserialize;

use super::forms::{Control, FormField, RecordForm, conflict, save_failed};
use super::{Chrome, PageResult, Section};
use crate::AppState;
use crate::auth::{Caller, now};
use crate::error::{Failure, require};

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

/// A new record's id from its name, or an error on the name field.
fn new_slug(name: &str, field: &'static str) -> Result<String, Failure> {
    let slug: String = slugify(name).chars().take(80).collect();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        Err(Failure::Invalid(vec![FieldError::new(
            field,
            "Enter a name with at least one letter or digit",
        )]))
    } else {
        Ok(slug)
    }
}

// ----- missions -----

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

fn blank_mission() -> Mission {
    Mission {
        id: String::new(),
        short_name: String::new(),
        statement: String::new(),
        target_year: None,
        outcome_themes: vec![],
        audience: Audience::Public,
        version: 0,
    }
}

async fn editable_mission(
    state: &AppState,
    caller: &Caller,
    slug: Option<&str>,
) -> Result<(PlaceRecord, Mission), Failure> {
    let place = state.place(caller.viewer()).await?;
    let mission = match slug {
        Some(slug) => {
            let found = state
                .store
                .mission(place.key, slug, caller.viewer())
                .await?
                .ok_or(Failure::NotFound)?;
            require(
                caller,
                Action::Update,
                &Target::new(Resource::Mission, found.audience, None),
            )?;
            state
                .store
                .mission(place.key, slug, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?
        }
        None => {
            require(caller, Action::Create, &Target::kind(Resource::Mission))?;
            blank_mission()
        }
    };
    Ok((place, mission))
}

pub async fn new_mission(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (place, mission) = editable_mission(&state, &caller, None).await?;
    let form = mission_form(
        &state,
        &caller,
        &place,
        &mission,
        "/missions/new".into(),
        "Add a mission".into(),
        None,
    )
    .await?;
    form.prepare(settable_fields(&caller.principal, Resource::Mission), None)
        .show(StatusCode::OK)
}

pub async fn edit_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let (place, mission) = editable_mission(&state, &caller, Some(&slug)).await?;
    let form = mission_form(
        &state,
        &caller,
        &place,
        &mission,
        format!("/missions/{slug}/edit"),
        format!("Edit {}", mission.short_name),
        Some(mission.version),
    )
    .await?;
    form.prepare(settable_fields(&caller.principal, Resource::Mission), None)
        .show(StatusCode::OK)
}

pub async fn save_mission(
    State(state): State<AppState>,
    caller: Caller,
    slug: Option<Path<String>>,
    RawForm(body): RawForm,
) -> PageResult {
    let slug = slug.map(|Path(s)| s);
    let (place, current) = editable_mission(&state, &caller, slug.as_deref()).await?;
    let mut submitted = pairs(&body);
    if slug.is_none() {
        submitted.push(("version".into(), "0".into()));
    }
    let settable = settable_fields(&caller.principal, Resource::Mission);
    let (action, heading) = match &slug {
        Some(s) => (
            format!("/missions/{s}/edit"),
            format!("Edit {}", current.short_name),
        ),
        None => ("/missions/new".to_owned(), "Add a mission".to_owned()),
    };
    let show = |errors: Vec<FieldError>| async {
        let mut form = mission_form(
            &state,
            &caller,
            &place,
            &current,
            action.clone(),
            heading.clone(),
            slug.as_ref().map(|_| current.version),
        )
        .await?;
        form.errors = errors;
        form.prepare(settable, Some(&submitted))
            .show(StatusCode::BAD_REQUEST)
    };
    let mut next = match apply_to_mission(
        &current,
        &Submitted::new(&submitted),
        settable,
        Absent::MeansEmpty,
    ) {
        Ok(next) => next,
        Err(DomainError::Invalid(errors)) => return show(errors).await,
    };
    let result = match &slug {
        Some(_) => {
            state
                .store
                .update_mission(place.key, &current, &next, caller.account_id(), now())
                .await
        }
        None => {
            next.id = match new_slug(&next.short_name, "short_name") {
                Ok(id) => id,
                Err(Failure::Invalid(errors)) => return show(errors).await,
                Err(other) => return Err(other.into()),
            };
            state
                .store
                .create_mission(place.key, &next, caller.account_id(), now())
                .await
        }
    };
    match result {
        Ok(()) => done(format!("/missions/{}", next.id)),
        Err(StoreError::Stale { .. }) => {
            let latest = state
                .store
                .mission(place.key, &current.id, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?;
            conflict(
                Chrome::new(&place, Section::Missions, &caller),
                action,
                &next,
                &latest,
                &[],
            )
        }
        Err(err) => match super::forms::fixable(&err, "short_name") {
            Some(errors) => show(errors).await,
            None => Err(Failure::from(err).into()),
        },
    }
}

// ----- roles -----

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

async fn editable_role(
    state: &AppState,
    caller: &Caller,
    slug: Option<&str>,
) -> Result<(PlaceRecord, Role), Failure> {
    let place = state.place(caller.viewer()).await?;
    let role = match slug {
        Some(slug) => {
            let found = state
                .store
                .role(place.key, slug, caller.viewer())
                .await?
                .ok_or(Failure::NotFound)?;
            require(
                caller,
                Action::Update,
                &Target::new(Resource::Role, found.audience, None),
            )?;
            state
                .store
                .role(place.key, slug, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?
        }
        None => {
            require(caller, Action::Create, &Target::kind(Resource::Role))?;
            Role {
                id: String::new(),
                name: String::new(),
                description: String::new(),
                ask_of_partner: String::new(),
                value_for_place: String::new(),
                value_for_partner: String::new(),
                contact: None,
                audience: Audience::Public,
                version: 0,
            }
        }
    };
    Ok((place, role))
}

pub async fn new_role(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (place, role) = editable_role(&state, &caller, None).await?;
    role_form(
        &caller,
        &place,
        &role,
        "/offer/new".into(),
        "Add a role".into(),
        None,
    )
    .prepare(settable_fields(&caller.principal, Resource::Role), None)
    .show(StatusCode::OK)
}

pub async fn edit_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let (place, role) = editable_role(&state, &caller, Some(&slug)).await?;
    role_form(
        &caller,
        &place,
        &role,
        format!("/offer/{slug}/edit"),
        format!("Edit {}", role.name),
        Some(role.version),
    )
    .prepare(settable_fields(&caller.principal, Resource::Role), None)
    .show(StatusCode::OK)
}

pub async fn save_role(
    State(state): State<AppState>,
    caller: Caller,
    slug: Option<Path<String>>,
    RawForm(body): RawForm,
) -> PageResult {
    let slug = slug.map(|Path(s)| s);
    let (place, current) = editable_role(&state, &caller, slug.as_deref()).await?;
    let mut submitted = pairs(&body);
    if slug.is_none() {
        submitted.push(("version".into(), "0".into()));
    }
    let settable = settable_fields(&caller.principal, Resource::Role);
    let (action, heading) = match &slug {
        Some(s) => (format!("/offer/{s}/edit"), format!("Edit {}", current.name)),
        None => ("/offer/new".to_owned(), "Add a role".to_owned()),
    };
    let show = |errors: Vec<FieldError>| {
        let mut form = role_form(
            &caller,
            &place,
            &current,
            action.clone(),
            heading.clone(),
            slug.as_ref().map(|_| current.version),
        );
        form.errors = errors;
        form.prepare(settable, Some(&submitted))
            .show(StatusCode::BAD_REQUEST)
    };
    let mut next = match apply_to_role(
        &current,
        &Submitted::new(&submitted),
        settable,
        Absent::MeansEmpty,
    ) {
        Ok(next) => next,
        Err(DomainError::Invalid(errors)) => return show(errors),
    };
    let result = match &slug {
        Some(_) => {
            state
                .store
                .update_role(place.key, &current, &next, caller.account_id(), now())
                .await
        }
        None => {
            next.id = match new_slug(&next.name, "name") {
                Ok(id) => id,
                Err(Failure::Invalid(errors)) => return show(errors),
                Err(other) => return Err(other.into()),
            };
            state
                .store
                .create_role(place.key, &next, caller.account_id(), now())
                .await
        }
    };
    match result {
        Ok(()) => done(format!("/offer#{}", next.id)),
        Err(StoreError::Stale { .. }) => {
            let latest = state
                .store
                .role(place.key, &current.id, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?;
            conflict(
                Chrome::new(&place, Section::Offer, &caller),
                action,
                &next,
                &latest,
                &[],
            )
        }
        Err(err) => save_failed(err, show, "name"),
    }
}

// ----- initiatives -----

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

async fn editable_initiative(
    state: &AppState,
    caller: &Caller,
    slug: Option<&str>,
) -> Result<(PlaceRecord, Initiative), Failure> {
    let place = state.place(caller.viewer()).await?;
    let initiative = match slug {
        Some(slug) => {
            let found = state
                .store
                .initiative(place.key, slug, caller.viewer())
                .await?
                .ok_or(Failure::NotFound)?;
            require(
                caller,
                Action::Update,
                &Target::new(Resource::Initiative, found.audience, None),
            )?;
            state
                .store
                .initiative(place.key, slug, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?
        }
        None => {
            require(caller, Action::Create, &Target::kind(Resource::Initiative))?;
            Initiative {
                id: String::new(),
                name: String::new(),
                description: None,
                website: None,
                missions: vec![],
                participants: vec![],
                audience: Audience::Public,
                version: 0,
            }
        }
    };
    Ok((place, initiative))
}

pub async fn new_initiative(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (place, initiative) = editable_initiative(&state, &caller, None).await?;
    let form = initiative_form(
        &state,
        &caller,
        &place,
        &initiative,
        "/initiatives/new".into(),
        "Add an initiative".into(),
        None,
    )
    .await?;
    form.prepare(
        settable_fields(&caller.principal, Resource::Initiative),
        None,
    )
    .show(StatusCode::OK)
}

pub async fn edit_initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let (place, initiative) = editable_initiative(&state, &caller, Some(&slug)).await?;
    let form = initiative_form(
        &state,
        &caller,
        &place,
        &initiative,
        format!("/initiatives/{slug}/edit"),
        format!("Edit {}", initiative.name),
        Some(initiative.version),
    )
    .await?;
    form.prepare(
        settable_fields(&caller.principal, Resource::Initiative),
        None,
    )
    .show(StatusCode::OK)
}

pub async fn save_initiative(
    State(state): State<AppState>,
    caller: Caller,
    slug: Option<Path<String>>,
    RawForm(body): RawForm,
) -> PageResult {
    let slug = slug.map(|Path(s)| s);
    let (place, current) = editable_initiative(&state, &caller, slug.as_deref()).await?;
    let mut submitted = pairs(&body);
    if slug.is_none() {
        submitted.push(("version".into(), "0".into()));
    }
    let settable = settable_fields(&caller.principal, Resource::Initiative);
    let (action, heading) = match &slug {
        Some(s) => (
            format!("/initiatives/{s}/edit"),
            format!("Edit {}", current.name),
        ),
        None => (
            "/initiatives/new".to_owned(),
            "Add an initiative".to_owned(),
        ),
    };
    let show = |errors: Vec<FieldError>| async {
        let mut form = initiative_form(
            &state,
            &caller,
            &place,
            &current,
            action.clone(),
            heading.clone(),
            slug.as_ref().map(|_| current.version),
        )
        .await?;
        form.errors = errors;
        form.prepare(settable, Some(&submitted))
            .show(StatusCode::BAD_REQUEST)
    };
    let mut next = match apply_to_initiative(
        &current,
        &Submitted::new(&submitted),
        settable,
        Absent::MeansEmpty,
    ) {
        Ok(next) => next,
        Err(DomainError::Invalid(errors)) => return show(errors).await,
    };
    let result = match &slug {
        Some(_) => {
            state
                .store
                .update_initiative(place.key, &current, &next, caller.account_id(), now())
                .await
        }
        None => {
            next.id = match new_slug(&next.name, "name") {
                Ok(id) => id,
                Err(Failure::Invalid(errors)) => return show(errors).await,
                Err(other) => return Err(other.into()),
            };
            state
                .store
                .create_initiative(place.key, &next, caller.account_id(), now())
                .await
        }
    };
    match result {
        Ok(()) => done(format!("/initiatives/{}", next.id)),
        Err(StoreError::Stale { .. }) => {
            let latest = state
                .store
                .initiative(place.key, &current.id, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?;
            conflict(
                Chrome::new(&place, Section::Initiatives, &caller),
                action,
                &next,
                &latest,
                &[],
            )
        }
        Err(err) => match super::forms::fixable(&err, "name") {
            Some(errors) => show(errors).await,
            None => Err(Failure::from(err).into()),
        },
    }
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
    next.id = match new_slug(&next.name, "name") {
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
