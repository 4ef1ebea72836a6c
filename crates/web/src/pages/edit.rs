//! Editing an organisation's profile: staff any organisation, a partner only
//! their own, each only the fields the policy lets them set. A stale edit
//! (someone saved in between) is refused with both versions shown.

use askama::Template;
use axum::extract::{Path, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use placeweave_domain::edit::{Absent, Submitted, apply_to_organisation};
use placeweave_domain::policy::settable_fields;
use placeweave_domain::vocabulary::{OrganisationKind, Scope, SizeBand};
use placeweave_domain::{
    Action, Audience, DomainError, FieldError, Lever, Organisation, Resource, Target, Viewer,
};
use placeweave_store::{PlaceRecord, StoreError};

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::{Caller, now};
use crate::error::{Failure, require};

/// Loads the whole record (the edit's base) after checking the caller may
/// read and update it.
pub async fn editable(
    state: &AppState,
    caller: &Caller,
    slug: &str,
) -> Result<(PlaceRecord, Organisation), Failure> {
    let place = state.place(caller.viewer()).await?;
    // Records the caller may not read do not exist for them.
    let visible = state
        .store
        .organisation(place.key, slug, caller.viewer())
        .await?;
    let Some(visible) = visible else {
        return Err(Failure::NotFound);
    };
    require(
        caller,
        Action::Update,
        &Target::new(Resource::Organisation, visible.audience, Some(&visible.id)),
    )?;
    let full = state
        .store
        .organisation(place.key, slug, Viewer::Admin)
        .await?
        .ok_or(Failure::NotFound)?;
    Ok((place, full))
}

/// What the form shows in each field.
pub struct Fields {
    name: String,
    kind: String,
    description: String,
    website: String,
    size_band: String,
    scope: String,
    wards: String,
    identifiers: String,
    levers: Vec<String>,
    is_anchor: bool,
    internal_notes: String,
    audience: String,
    version: i64,
}

impl Fields {
    fn from(o: &Organisation) -> Self {
        Fields {
            name: o.name.clone(),
            kind: o.kind.slug().to_owned(),
            description: o.description.clone().unwrap_or_default(),
            website: o.website.clone().unwrap_or_default(),
            size_band: o.size_band.map(|s| s.slug().to_owned()).unwrap_or_default(),
            scope: o.scope.map(|s| s.slug().to_owned()).unwrap_or_default(),
            wards: o.wards.join("\n"),
            identifiers: o.identifiers.join("\n"),
            levers: o.levers.iter().map(|l| l.lever.slug().to_owned()).collect(),
            is_anchor: o.is_anchor,
            internal_notes: o.internal_notes.clone().unwrap_or_default(),
            audience: o.audience.as_str().to_owned(),
            version: o.version,
        }
    }

    /// What the person typed, over the record's values, to show their
    /// input back with the errors.
    fn submitted(o: &Organisation, pairs: &[(String, String)]) -> Self {
        let mut fields = Fields::from(o);
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let joined = |k: &str| {
            pairs
                .iter()
                .filter(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        for (target, key) in [
            (&mut fields.name, "name"),
            (&mut fields.kind, "kind"),
            (&mut fields.description, "description"),
            (&mut fields.website, "website"),
            (&mut fields.size_band, "size_band"),
            (&mut fields.scope, "scope"),
            (&mut fields.internal_notes, "internal_notes"),
            (&mut fields.audience, "audience"),
        ] {
            if let Some(v) = get(key) {
                *target = v;
            }
        }
        fields.wards = joined("wards");
        fields.identifiers = joined("identifiers");
        fields.levers = pairs
            .iter()
            .filter(|(k, _)| k == "levers")
            .map(|(_, v)| v.clone())
            .collect();
        fields.is_anchor = get("is_anchor").is_some();
        fields
    }
}

#[derive(Template)]
#[template(path = "organisation_edit.html")]
struct EditPage {
    chrome: Chrome,
    /// Where the form posts, and its heading.
    action: String,
    heading: String,
    errors: Vec<FieldError>,
    organisation: Organisation,
    fields: Fields,
    settable: &'static [&'static str],
    kinds: Vec<(&'static str, &'static str)>,
    sizes: Vec<(&'static str, &'static str)>,
    scopes: Vec<(&'static str, &'static str)>,
    levers: Vec<(&'static str, &'static str)>,
    audiences: Vec<&'static str>,
}

impl EditPage {
    fn new(
        place: &PlaceRecord,
        caller: &Caller,
        organisation: Organisation,
        fields: Fields,
        errors: Vec<FieldError>,
    ) -> Self {
        EditPage {
            chrome: Chrome::new(place, Section::Organisations, caller),
            action: format!("/organisations/{}/edit", organisation.id),
            heading: organisation.name.clone(),
            errors,
            organisation,
            fields,
            settable: settable_fields(&caller.principal, Resource::Organisation),
            kinds: OrganisationKind::ALL
                .iter()
                .map(|k| (k.slug(), k.label()))
                .collect(),
            sizes: SizeBand::ALL
                .iter()
                .map(|k| (k.slug(), k.label()))
                .collect(),
            scopes: Scope::ALL.iter().map(|k| (k.slug(), k.label())).collect(),
            levers: Lever::ALL.iter().map(|k| (k.slug(), k.label())).collect(),
            audiences: Audience::ALL.iter().map(|a| a.as_str()).collect(),
        }
    }

    fn may(&self, field: &str) -> bool {
        self.settable.contains(&field)
    }
}

/// The form for a new organisation (the edit form, posting elsewhere).
pub fn new_form(
    place: &PlaceRecord,
    caller: &Caller,
    blank: Organisation,
    errors: Vec<FieldError>,
    submitted: Option<&[(String, String)]>,
) -> PageResult {
    let fields = match submitted {
        Some(pairs) => Fields::submitted(&blank, pairs),
        None => Fields::from(&blank),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut page = EditPage::new(place, caller, blank, fields, errors);
    page.action = "/organisations/new".into();
    page.heading = "Add an organisation".into();
    render(status, &page)
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let (place, organisation) = editable(&state, &caller, &slug).await?;
    let fields = Fields::from(&organisation);
    render(
        StatusCode::OK,
        &EditPage::new(&place, &caller, organisation, fields, vec![]),
    )
}

pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
    RawForm(body): RawForm,
) -> PageResult {
    let (place, current) = editable(&state, &caller, &slug).await?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let settable = settable_fields(&caller.principal, Resource::Organisation);
    let next = match apply_to_organisation(
        &current,
        &Submitted::new(&pairs),
        settable,
        Absent::MeansEmpty,
    ) {
        Ok(next) => next,
        Err(DomainError::Invalid(errors)) => {
            let fields = Fields::submitted(&current, &pairs);
            return render(
                StatusCode::BAD_REQUEST,
                &EditPage::new(&place, &caller, current, fields, errors),
            );
        }
    };
    match state
        .store
        .update_organisation(place.key, &current, &next, caller.account_id(), now())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{slug}")).into_response()),
        Err(StoreError::Stale { .. }) => {
            let latest = state
                .store
                .organisation(place.key, &slug, Viewer::Admin)
                .await?
                .ok_or(Failure::NotFound)?;
            super::forms::conflict(
                Chrome::new(&place, Section::Organisations, &caller),
                format!("/organisations/{slug}/edit"),
                &next,
                &latest,
                &["internal_notes", "audience"],
            )
        }
        Err(other) => Err(Failure::from(other).into()),
    }
}
