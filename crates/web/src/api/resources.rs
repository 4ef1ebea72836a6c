//! API handlers, one per route, each with its OpenAPI description.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use placeweave_domain::filter::{OrganisationQuery, page_count};
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::place::{Headline, is_slug};
use placeweave_domain::{
    Commitment, FieldError, Initiative, Mission, Organisation, OrganisationFilter, OutcomeTheme,
    PageRequest, Place, Role,
};
use placeweave_store::{CommitmentFilter, PlaceRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Failure, Problem, from_store, require};
use crate::records::Record;
use placeweave_domain::edit::{Absent, Submitted, apply_to_commitment, apply_to_organisation};
use placeweave_domain::policy::settable_fields;
use placeweave_domain::{Action, Resource, Target, Viewer};

type ApiResult<T> = Result<Json<T>, ApiError>;

/// A place with its headline numbers.
#[derive(Serialize, ToSchema)]
pub struct PlaceDetail {
    place: Place,
    headline: Headline,
}

macro_rules! page_type {
    ($name:ident, $item:ty) => {
        /// One page of a list.
        #[derive(Serialize, ToSchema)]
        pub struct $name {
            items: Vec<$item>,
            /// How many items match in all.
            total: i64,
            page: u32,
            per_page: u32,
            pages: u32,
        }

        impl $name {
            fn new(items: Vec<$item>, total: i64, request: PageRequest) -> Self {
                $name {
                    items,
                    total,
                    page: request.page,
                    per_page: request.per_page,
                    pages: page_count(total, request.per_page),
                }
            }
        }
    };
}

page_type!(OrganisationPage, OrganisationSummary);
page_type!(CommitmentPage, Commitment);
page_type!(InitiativePage, InitiativeSummary);

/// Cuts one page from a complete list; returns it and the list's length.
fn slice<T>(all: Vec<T>, request: PageRequest) -> (Vec<T>, i64) {
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(request.offset()).unwrap_or(usize::MAX);
    let items = all
        .into_iter()
        .skip(start)
        .take(request.per_page as usize)
        .collect();
    (items, total)
}

/// Filters for commitments.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentQuery {
    /// Organisation id (slug).
    organisation: Option<String>,
    /// Mission id (slug).
    mission: Option<String>,
    /// Role id (slug).
    role: Option<String>,
    /// Page number, from 1.
    page: Option<String>,
    /// Results per page, 1 to 100.
    per_page: Option<String>,
}

/// Filters for initiatives.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InitiativeQuery {
    /// Mission id (slug): only initiatives serving it.
    mission: Option<String>,
    /// Organisation id (slug): only initiatives it takes part in.
    organisation: Option<String>,
    /// Page number, from 1.
    page: Option<String>,
    /// Results per page, 1 to 100.
    per_page: Option<String>,
}

fn query<T>(query: Result<Query<T>, QueryRejection>) -> Result<T, Failure> {
    query.map(|Query(q)| q).map_err(|rejection| {
        Failure::Invalid(vec![FieldError::new(
            "query",
            format!(
                "The query string could not be read: {}",
                rejection.body_text()
            ),
        )])
    })
}

/// Checks optional slug parameters, naming each bad one.
fn slugs<'a>(
    fields: impl IntoIterator<Item = (&'static str, &'a Option<String>)>,
    errors: &mut Vec<FieldError>,
) -> Vec<Option<String>> {
    fields
        .into_iter()
        .map(|(field, value)| {
            let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            if is_slug(value) {
                Some(value.to_owned())
            } else {
                errors.push(FieldError::new(
                    field,
                    format!("{field} must be an id: lower-case letters, digits and hyphens"),
                ));
                None
            }
        })
        .collect()
}

fn checked(errors: Vec<FieldError>) -> Result<(), Failure> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Invalid(errors))
    }
}

async fn place_record(
    state: &AppState,
    caller: &Caller,
    slug: &str,
) -> Result<PlaceRecord, Failure> {
    state
        .store
        .place(slug, caller.viewer())
        .await?
        .ok_or(Failure::NotFound)
}

/// List places.
#[utoipa::path(get, path = "/api/v1/places", tag = "places",
    responses((status = 200, description = "Every place the caller may see", body = [Place])))]
pub async fn places(State(state): State<AppState>, caller: Caller) -> ApiResult<Vec<Place>> {
    let places = state.store.places(caller.viewer()).await?;
    Ok(Json(places.into_iter().map(|p| p.place).collect()))
}

/// Get a place and its headline numbers.
#[utoipa::path(get, path = "/api/v1/places/{place}", tag = "places",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The place", body = PlaceDetail),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn place(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<PlaceDetail> {
    let place = place_record(&state, &caller, &slug).await?;
    let headline = state.store.headline(place.key, caller.viewer()).await?;
    Ok(Json(PlaceDetail {
        place: place.place,
        headline,
    }))
}

/// List a place's organisations, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/organisations", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), OrganisationQuery),
    responses(
        (status = 200, description = "One page of organisations", body = OrganisationPage),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn organisations(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    raw: Result<Query<OrganisationQuery>, QueryRejection>,
) -> ApiResult<OrganisationPage> {
    let place = place_record(&state, &caller, &slug).await?;
    let (filter, page) = OrganisationFilter::parse(&query(raw)?)?;
    let (items, total) = state
        .store
        .organisations(place.key, caller.viewer(), &filter, page)
        .await?;
    Ok(Json(OrganisationPage::new(items, total, page)))
}

/// Get an organisation.
#[utoipa::path(get, path = "/api/v1/places/{place}/organisations/{organisation}", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), ("organisation" = String, Path, description = "Organisation id")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json")))]
pub async fn organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
) -> ApiResult<Organisation> {
    let place = place_record(&state, &caller, &place).await?;
    let found = state
        .store
        .organisation(place.key, &slug, caller.viewer())
        .await?;
    Ok(Json(found.ok_or(Failure::NotFound)?))
}

/// List a place's missions.
#[utoipa::path(get, path = "/api/v1/places/{place}/missions", tag = "missions",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The missions, in published order", body = [Mission]),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn missions(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Vec<Mission>> {
    let place = place_record(&state, &caller, &slug).await?;
    Ok(Json(
        state.store.missions(place.key, caller.viewer()).await?,
    ))
}

/// Get a mission.
#[utoipa::path(get, path = "/api/v1/places/{place}/missions/{mission}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("mission" = String, Path, description = "Mission id")),
    responses(
        (status = 200, description = "The mission", body = Mission),
        (status = 404, description = "No such mission", body = Problem, content_type = "application/problem+json")))]
pub async fn mission(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
) -> ApiResult<Mission> {
    let place = place_record(&state, &caller, &place).await?;
    let found = state
        .store
        .mission(place.key, &slug, caller.viewer())
        .await?;
    Ok(Json(found.ok_or(Failure::NotFound)?))
}

/// List a place's outcome themes.
#[utoipa::path(get, path = "/api/v1/places/{place}/outcome-themes", tag = "missions",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The outcome themes", body = [OutcomeTheme]),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn outcome_themes(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Vec<OutcomeTheme>> {
    let place = place_record(&state, &caller, &slug).await?;
    Ok(Json(
        state
            .store
            .outcome_themes(place.key, caller.viewer())
            .await?,
    ))
}

/// List the collaboration offer's roles.
#[utoipa::path(get, path = "/api/v1/places/{place}/roles", tag = "offer",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The roles on offer", body = [Role]),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn roles(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> ApiResult<Vec<Role>> {
    let place = place_record(&state, &caller, &slug).await?;
    Ok(Json(state.store.roles(place.key, caller.viewer()).await?))
}

/// Get a role.
#[utoipa::path(get, path = "/api/v1/places/{place}/roles/{role}", tag = "offer",
    params(("place" = String, Path, description = "Place id"), ("role" = String, Path, description = "Role id")),
    responses(
        (status = 200, description = "The role", body = Role),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json")))]
pub async fn role(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
) -> ApiResult<Role> {
    let place = place_record(&state, &caller, &place).await?;
    let found = state.store.role(place.key, &slug, caller.viewer()).await?;
    Ok(Json(found.ok_or(Failure::NotFound)?))
}

/// List commitments, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/commitments", tag = "commitments",
    params(("place" = String, Path, description = "Place id"), CommitmentQuery),
    responses(
        (status = 200, description = "One page of commitments", body = CommitmentPage),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn commitments(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    raw: Result<Query<CommitmentQuery>, QueryRejection>,
) -> ApiResult<CommitmentPage> {
    let place = place_record(&state, &caller, &slug).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    let mut found = slugs(
        [
            ("organisation", &q.organisation),
            ("mission", &q.mission),
            ("role", &q.role),
        ],
        &mut errors,
    )
    .into_iter();
    let filter = CommitmentFilter {
        id: None,
        organisation: found.next().flatten(),
        mission: found.next().flatten(),
        role: found.next().flatten(),
    };
    let page = PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors);
    checked(errors)?;
    let all = state
        .store
        .commitments(place.key, caller.viewer(), &filter)
        .await?;
    let (items, total) = slice(all, page);
    Ok(Json(CommitmentPage::new(items, total, page)))
}

/// List initiatives, filtered and paginated.
#[utoipa::path(get, path = "/api/v1/places/{place}/initiatives", tag = "initiatives",
    params(("place" = String, Path, description = "Place id"), InitiativeQuery),
    responses(
        (status = 200, description = "One page of initiatives", body = InitiativePage),
        (status = 400, description = "A filter is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn initiatives(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    raw: Result<Query<InitiativeQuery>, QueryRejection>,
) -> ApiResult<InitiativePage> {
    let place = place_record(&state, &caller, &slug).await?;
    let q = query(raw)?;
    let mut errors = Vec::new();
    let mut found = slugs(
        [("mission", &q.mission), ("organisation", &q.organisation)],
        &mut errors,
    )
    .into_iter();
    let (mission, organisation) = (found.next().flatten(), found.next().flatten());
    let page = PageRequest::parse(q.page.as_deref(), q.per_page.as_deref(), &mut errors);
    checked(errors)?;
    let all = state
        .store
        .initiatives(
            place.key,
            caller.viewer(),
            mission.as_deref(),
            organisation.as_deref(),
        )
        .await?;
    let (items, total) = slice(all, page);
    Ok(Json(InitiativePage::new(items, total, page)))
}

/// Get an initiative with its missions and participants.
#[utoipa::path(get, path = "/api/v1/places/{place}/initiatives/{initiative}", tag = "initiatives",
    params(("place" = String, Path, description = "Place id"), ("initiative" = String, Path, description = "Initiative id")),
    responses(
        (status = 200, description = "The initiative", body = Initiative),
        (status = 404, description = "No such initiative", body = Problem, content_type = "application/problem+json")))]
pub async fn initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
) -> ApiResult<Initiative> {
    let place = place_record(&state, &caller, &place).await?;
    let found = state
        .store
        .initiative(place.key, &slug, caller.viewer())
        .await?;
    Ok(Json(found.ok_or(Failure::NotFound)?))
}

/// Changes to an organisation: any settable fields, plus the `version` read.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)] // Describes the body for OpenAPI; the handler reads it as JSON.
pub struct OrganisationChanges {
    /// The version you read; a stale one gets 409.
    version: i64,
    name: Option<String>,
    kind: Option<String>,
    description: Option<String>,
    website: Option<String>,
    size_band: Option<String>,
    scope: Option<String>,
    wards: Option<Vec<String>>,
    identifiers: Option<Vec<String>>,
    levers: Option<Vec<String>>,
    is_anchor: Option<bool>,
    internal_notes: Option<String>,
    audience: Option<String>,
}

/// A JSON object as name and value pairs, as a form would send them.
fn pairs(body: &serde_json::Value) -> Result<Vec<(String, String)>, Failure> {
    let object = body.as_object().ok_or_else(|| {
        Failure::Invalid(vec![FieldError::new(
            "body",
            "The body must be a JSON object",
        )])
    })?;
    let mut out = Vec::new();
    for (key, value) in object {
        match value {
            serde_json::Value::Array(items) => {
                for item in items {
                    out.push((
                        key.clone(),
                        item.as_str()
                            .map_or_else(|| item.to_string(), str::to_owned),
                    ));
                }
            }
            serde_json::Value::Bool(flag) => {
                if *flag {
                    out.push((key.clone(), "yes".to_owned()));
                } else {
                    out.push((key.clone(), String::new()));
                }
            }
            serde_json::Value::Null => out.push((key.clone(), String::new())),
            serde_json::Value::String(text) => out.push((key.clone(), text.clone())),
            other => out.push((key.clone(), other.to_string())),
        }
    }
    Ok(out)
}

/// Change an organisation. Staff may change any field they can see; a
/// partner only their own organisation's profile fields. Fields you may not
/// set are refused by name, never ignored.
#[utoipa::path(put, path = "/api/v1/places/{place}/organisations/{organisation}", tag = "organisations",
    params(("place" = String, Path, description = "Place id"), ("organisation" = String, Path, description = "Organisation id")),
    request_body = OrganisationChanges,
    responses(
        (status = 200, description = "The organisation as changed", body = Organisation),
        (status = 400, description = "A field is not valid, or not yours to set", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not change this organisation", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Organisation> {
    let Json(body) = body.map_err(|rejection| {
        Failure::Invalid(vec![FieldError::new(
            "body",
            format!("The body is not valid JSON: {}", rejection.body_text()),
        )])
    })?;
    let place = place_record(&state, &caller, &place).await?;
    let visible = state
        .store
        .organisation(place.key, &slug, caller.viewer())
        .await?
        .ok_or(Failure::NotFound)?;
    require(
        &caller,
        Action::Update,
        &Target::new(Resource::Organisation, visible.audience, Some(&visible.id)),
    )?;
    let current = state
        .store
        .organisation(place.key, &slug, Viewer::Admin)
        .await?
        .ok_or(Failure::NotFound)?;
    let pairs = pairs(&body)?;
    let settable = settable_fields(&caller.principal, Resource::Organisation);
    let next = apply_to_organisation(
        &current,
        &Submitted::new(&pairs),
        settable,
        Absent::MeansUnchanged,
    )?;
    state
        .store
        .update_organisation(
            place.key,
            &current,
            &next,
            caller.account_id(),
            crate::auth::now(),
        )
        .await
        .map_err(|e| from_store(e, "name"))?;
    let saved = state
        .store
        .organisation(place.key, &slug, caller.viewer())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(saved))
}

/// Reads a JSON body as edit pairs; a create has no version to check.
fn body_pairs(
    body: Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
    create: bool,
) -> Result<Vec<(String, String)>, Failure> {
    let Json(body) = body.map_err(|rejection| {
        Failure::Invalid(vec![FieldError::new(
            "body",
            format!("The body is not valid JSON: {}", rejection.body_text()),
        )])
    })?;
    let mut out = pairs(&body)?;
    if create {
        if out.iter().any(|(k, _)| k == "version") {
            return Err(Failure::Invalid(vec![FieldError::new(
                "version",
                "A new record has no version: leave it out",
            )]));
        }
        out.push(("version".into(), "0".into()));
    }
    Ok(out)
}

/// Creates a mission, role or initiative from a JSON body.
async fn create_record<R: Record>(
    state: AppState,
    caller: Caller,
    place: String,
    body: JsonBody,
) -> ApiResult<R> {
    let place = place_record(&state, &caller, &place).await?;
    require(&caller, Action::Create, &Target::kind(R::RESOURCE))?;
    let pairs = body_pairs(body, true)?;
    let settable = settable_fields(&caller.principal, R::RESOURCE);
    let mut next = R::blank().apply(&Submitted::new(&pairs), settable, Absent::MeansEmpty)?;
    next.new_slug()?;
    R::create(
        &state.store,
        place.key,
        &next,
        caller.account_id(),
        crate::auth::now(),
    )
    .await
    .map_err(|e| from_store(e, R::NAME_FIELD))?;
    let saved = R::load(&state.store, place.key, next.slug(), caller.viewer()).await?;
    Ok(Json(saved.ok_or(Failure::NotFound)?))
}

/// Applies a JSON patch to a mission, role or initiative.
async fn update_record<R: Record>(
    state: AppState,
    caller: Caller,
    place: String,
    slug: String,
    body: JsonBody,
) -> ApiResult<R> {
    let place = place_record(&state, &caller, &place).await?;
    let visible = R::load(&state.store, place.key, &slug, caller.viewer())
        .await?
        .ok_or(Failure::NotFound)?;
    require(
        &caller,
        Action::Update,
        &Target::new(R::RESOURCE, visible.audience(), None),
    )?;
    let current = R::load(&state.store, place.key, &slug, Viewer::Admin)
        .await?
        .ok_or(Failure::NotFound)?;
    let pairs = body_pairs(body, false)?;
    let settable = settable_fields(&caller.principal, R::RESOURCE);
    let next = current.apply(&Submitted::new(&pairs), settable, Absent::MeansUnchanged)?;
    R::update(
        &state.store,
        place.key,
        &current,
        &next,
        caller.account_id(),
        crate::auth::now(),
    )
    .await
    .map_err(|e| from_store(e, R::NAME_FIELD))?;
    let saved = R::load(&state.store, place.key, &slug, caller.viewer()).await?;
    Ok(Json(saved.ok_or(Failure::NotFound)?))
}

type JsonBody = Result<Json<serde_json::Value>, axum::extract::rejection::JsonRejection>;

/// Add an organisation (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/organisations", tag = "organisations",
    params(("place" = String, Path, description = "Place id")), request_body = OrganisationChanges,
    responses((status = 200, description = "The new organisation", body = Organisation),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_organisation(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Organisation> {
    let place = place_record(&state, &caller, &place).await?;
    require(
        &caller,
        Action::Create,
        &Target::kind(Resource::Organisation),
    )?;
    let pairs = body_pairs(body, true)?;
    let blank = Organisation {
        id: String::new(),
        name: String::new(),
        kind: placeweave_domain::vocabulary::OrganisationKind::Other,
        size_band: None,
        scope: None,
        wards: vec![],
        identifiers: vec![],
        is_anchor: false,
        levers: vec![],
        description: None,
        website: None,
        internal_notes: None,
        audience: placeweave_domain::Audience::Public,
        version: 0,
    };
    let mut next = apply_to_organisation(
        &blank,
        &Submitted::new(&pairs),
        settable_fields(&caller.principal, Resource::Organisation),
        Absent::MeansEmpty,
    )?;
    next.id = crate::records::slug_from(&next.name, "name")?;
    next.version = 1;
    state
        .store
        .create_organisation(place.key, &next, caller.account_id(), crate::auth::now())
        .await
        .map_err(|e| from_store(e, "name"))?;
    let saved = state
        .store
        .organisation(place.key, &next.id, caller.viewer())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(saved))
}

/// Add a mission (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/missions", tag = "missions",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new mission", body = Mission),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Mission> {
    create_record(state, caller, place, body).await
}

/// Change a mission (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/missions/{mission}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("mission" = String, Path, description = "Mission id")), request_body = Object,
    responses((status = 200, description = "The mission as changed", body = Mission),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mission", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_mission(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<Mission> {
    update_record(state, caller, place, slug, body).await
}

/// Add a theme to the outcomes framework (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/outcome-themes", tag = "missions",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new theme", body = OutcomeTheme),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_theme(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<OutcomeTheme> {
    create_record(state, caller, place, body).await
}

/// Change a theme of the outcomes framework (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/outcome-themes/{theme}", tag = "missions",
    params(("place" = String, Path, description = "Place id"), ("theme" = String, Path, description = "Theme id")), request_body = Object,
    responses((status = 200, description = "The theme as changed", body = OutcomeTheme),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such theme", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_theme(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<OutcomeTheme> {
    update_record(state, caller, place, slug, body).await
}

/// Add a role to the collaboration offer (staff).
#[utoipa::path(post, path = "/api/v1/places/{place}/roles", tag = "offer",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new role", body = Role),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Role> {
    create_record(state, caller, place, body).await
}

/// Change a role of the collaboration offer (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/roles/{role}", tag = "offer",
    params(("place" = String, Path, description = "Place id"), ("role" = String, Path, description = "Role id")), request_body = Object,
    responses((status = 200, description = "The role as changed", body = Role),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such role", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_role(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<Role> {
    update_record(state, caller, place, slug, body).await
}

/// Add an initiative (staff). Participants are "organisation-id: part" strings.
#[utoipa::path(post, path = "/api/v1/places/{place}/initiatives", tag = "initiatives",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new initiative", body = Initiative),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Initiative> {
    create_record(state, caller, place, body).await
}

/// Change an initiative (staff).
#[utoipa::path(put, path = "/api/v1/places/{place}/initiatives/{initiative}", tag = "initiatives",
    params(("place" = String, Path, description = "Place id"), ("initiative" = String, Path, description = "Initiative id")), request_body = Object,
    responses((status = 200, description = "The initiative as changed", body = Initiative),
        (status = 400, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such initiative", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_initiative(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, slug)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult<Initiative> {
    update_record(state, caller, place, slug, body).await
}

async fn one_commitment(
    state: &AppState,
    place: i64,
    id: i64,
    viewer: Viewer,
) -> Result<Option<Commitment>, Failure> {
    let filter = CommitmentFilter {
        id: Some(id),
        ..Default::default()
    };
    Ok(state
        .store
        .commitments(place, viewer, &filter)
        .await?
        .into_iter()
        .next())
}

/// Record a commitment. A partner's is always for their own organisation.
#[utoipa::path(post, path = "/api/v1/places/{place}/commitments", tag = "commitments",
    params(("place" = String, Path, description = "Place id")), request_body = Object,
    responses((status = 200, description = "The new commitment", body = Commitment),
        (status = 400, description = "A field is not valid, or not yours to set", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json")))]
pub async fn create_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
    body: JsonBody,
) -> ApiResult<Commitment> {
    let place = place_record(&state, &caller, &place).await?;
    let own = match &caller.principal {
        placeweave_domain::Principal::Account {
            role: placeweave_domain::AccountRole::Partner,
            organisation,
            ..
        } => organisation.clone(),
        _ => None,
    };
    let owner = own.clone().unwrap_or_default();
    require(
        &caller,
        Action::Create,
        &Target::new(
            Resource::Commitment,
            placeweave_domain::Audience::Public,
            Some(&owner),
        ),
    )?;
    let pairs = body_pairs(body, true)?;
    let blank = Commitment {
        id: 0,
        organisation: placeweave_domain::place::RecordRef {
            id: owner,
            name: String::new(),
        },
        role: None,
        mission: None,
        status: placeweave_domain::CommitmentStatus::Proposed,
        start_date: None,
        end_date: None,
        note: None,
        demonstration: false,
        audience: placeweave_domain::Audience::Public,
        version: 0,
    };
    let settable = settable_fields(&caller.principal, Resource::Commitment);
    let next = apply_to_commitment(
        &blank,
        &Submitted::new(&pairs),
        settable,
        Absent::MeansEmpty,
    )?;
    require(
        &caller,
        Action::Create,
        &Target::new(
            Resource::Commitment,
            next.audience,
            Some(&next.organisation.id),
        ),
    )?;
    let id = state
        .store
        .create_commitment(place.key, &next, caller.account_id(), crate::auth::now())
        .await
        .map_err(|e| from_store(e, "organisation"))?;
    Ok(Json(
        one_commitment(&state, place.key, id, caller.viewer())
            .await?
            .ok_or(Failure::NotFound)?,
    ))
}

/// Change a commitment: staff any, a partner their own organisation's.
#[utoipa::path(put, path = "/api/v1/places/{place}/commitments/{commitment}", tag = "commitments",
    params(("place" = String, Path, description = "Place id"), ("commitment" = i64, Path, description = "Commitment id")), request_body = Object,
    responses((status = 200, description = "The commitment as changed", body = Commitment),
        (status = 400, description = "A field is not valid, or not yours to set", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commitment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone else changed it since you read it", body = Problem, content_type = "application/problem+json")))]
pub async fn update_commitment(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
    body: JsonBody,
) -> ApiResult<Commitment> {
    let place = place_record(&state, &caller, &place).await?;
    let visible = one_commitment(&state, place.key, id, caller.viewer())
        .await?
        .ok_or(Failure::NotFound)?;
    require(
        &caller,
        Action::Update,
        &Target::new(
            Resource::Commitment,
            visible.audience,
            Some(&visible.organisation.id),
        ),
    )?;
    let current = one_commitment(&state, place.key, id, Viewer::Admin)
        .await?
        .ok_or(Failure::NotFound)?;
    let pairs = body_pairs(body, false)?;
    let next = apply_to_commitment(
        &current,
        &Submitted::new(&pairs),
        settable_fields(&caller.principal, Resource::Commitment),
        Absent::MeansUnchanged,
    )?;
    require(
        &caller,
        Action::Update,
        &Target::new(
            Resource::Commitment,
            next.audience,
            Some(&next.organisation.id),
        ),
    )?;
    state
        .store
        .update_commitment(
            place.key,
            &current,
            &next,
            caller.account_id(),
            crate::auth::now(),
        )
        .await
        .map_err(|e| from_store(e, "organisation"))?;
    Ok(Json(
        one_commitment(&state, place.key, id, caller.viewer())
            .await?
            .ok_or(Failure::NotFound)?,
    ))
}
