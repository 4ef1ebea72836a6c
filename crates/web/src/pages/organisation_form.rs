//! An organisation's add and edit form: staff any organisation, a partner
//! only their own, each only the fields the policy lets them set.

use askama::Template;
use axum::http::StatusCode;
use placeweave_app::{Record, Scope as Caller_Scope};
use placeweave_domain::vocabulary::{OrganisationKind, Scope, SizeBand};
use placeweave_domain::{FieldError, Lever, Organisation};

use super::editing::{FormPage, FormView};
use super::{Chrome, PageResult, Section, render};
use crate::AppState;

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
    audiences: Vec<(String, String, String)>,
}

impl EditPage {
    fn new(
        scope: &Caller_Scope,
        chrome: Chrome,
        organisation: Organisation,
        fields: Fields,
        errors: Vec<FieldError>,
    ) -> Self {
        EditPage {
            chrome,
            action: format!("/organisations/{}/edit", organisation.id),
            heading: organisation.name.clone(),
            errors,
            organisation,
            fields,
            settable: scope.settable(Organisation::RESOURCE),
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
            audiences: super::forms::audience_choices(),
        }
    }

    fn may(&self, field: &str) -> bool {
        self.settable.contains(&field)
    }
}

impl FormPage for Organisation {
    const SECTION: Section = Section::Organisations;
    const ADD_HEADING: &'static str = "Add an organisation";
    fn new_href(_owner: Option<&str>) -> String {
        "/organisations/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/organisations/{key}/edit")
    }
    const SAVED: &'static str = "organisation";
    fn saved_href(&self) -> String {
        format!("/organisations/{}", self.id)
    }
    fn heading(&self) -> String {
        self.name.clone()
    }
    async fn render(_state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let fields = match view.submitted {
            Some(pairs) => Fields::submitted(view.record, pairs),
            None => Fields::from(view.record),
        };
        let status = if view.errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        };
        let chrome = Chrome::new(view.scope, Section::Organisations, view.caller);
        let mut page = EditPage::new(view.scope, chrome, view.record.clone(), fields, view.errors);
        page.action = view.action;
        if view.version.is_none() {
            page.heading = Self::ADD_HEADING.into();
        }
        render(status, &page)
    }
}
