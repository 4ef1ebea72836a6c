//! The organisations directory (filters, search, pages) and an organisation's page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use placeweave_app::{CommitmentQuery, InitiativeQuery};
use placeweave_domain::PageRequest;
use placeweave_domain::commitment::Commitment;
use placeweave_domain::filter::{OrganisationQuery, page_count};
use placeweave_domain::initiative::InitiativeSummary;
use placeweave_domain::organisation::OrganisationSummary;
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_domain::{
    Dated, DomainError, FieldError, Lever, Organisation, OrganisationFilter, RecordUpdate,
};

use super::saved::Saved;
use super::{Chrome, PageError, PageResult, Pagination, Section, render, safe_link};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

pub struct SelectField {
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String, bool)>,
    error: Option<String>,
}

pub struct SearchField {
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct DirectoryPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    anchors_only: bool,
    selects: Vec<SelectField>,
    search: SearchField,
    /// The filters in force, as (what, the address without it).
    applied: Vec<(String, String)>,
    rows: Vec<OrganisationSummary>,
    total: i64,
    page: u32,
    pages: u32,
    pagination: Pagination,
    /// The filters in force as a query string, for the list's downloads.
    download: String,
}

/// The filters in force, each with the directory's address without it.
fn applied(
    selects: &[SelectField],
    query: &OrganisationQuery,
    anchors_only: bool,
) -> Vec<(String, String)> {
    let mut applied: Vec<(String, String)> = selects
        .iter()
        .filter_map(|select| {
            let raw = match select.name {
                "kind" => &query.kind,
                "lever" => &query.lever,
                "mission" => &query.mission,
                _ => &query.ward,
            };
            raw.as_deref().filter(|r| !r.trim().is_empty())?;
            // A value that is no option (a ward or mission the caller
            // cannot see, or none with results) is named by its field
            // only: the page never repeats a hidden name.
            let text = match select.options.iter().find(|(_, _, chosen)| *chosen) {
                Some((_, text, _)) => {
                    let label = text.rsplit_once(" (").map_or(text.as_str(), |(l, _)| l);
                    format!("{}: {label}", select.label)
                }
                None => select.label.to_owned(),
            };
            Some((text, href_without(query, select.name, 1)))
        })
        .collect();
    if let Some(words) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        applied.push((
            format!("Name contains: {words}"),
            href_without(query, "q", 1),
        ));
    }
    if anchors_only {
        applied.push((
            "Anchor institutions only".to_owned(),
            href_without(query, "anchor", 1),
        ));
    }
    applied
}

fn error_for(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

fn select(
    name: &'static str,
    label: &'static str,
    raw: Option<&str>,
    options: impl IntoIterator<Item = (String, String)>,
    errors: &[FieldError],
) -> SelectField {
    SelectField {
        name,
        label,
        options: options
            .into_iter()
            .map(|(value, text)| {
                let selected = raw == Some(value.as_str());
                (value, text, selected)
            })
            .collect(),
        error: error_for(errors, name),
    }
}

/// The directory's address for `page`, keeping the current filters.
fn page_href(query: &OrganisationQuery, page: u32) -> String {
    href_without(query, "", page)
}

/// The directory's address for `page` with the current filters but `skip`.
fn href_without(query: &OrganisationQuery, skip: &str, page: u32) -> String {
    let mut url = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("kind", &query.kind),
        ("lever", &query.lever),
        ("mission", &query.mission),
        ("ward", &query.ward),
        ("q", &query.q),
        ("anchor", &query.anchor),
        ("per_page", &query.per_page),
    ] {
        if key == skip {
            continue;
        }
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            url.append_pair(key, value);
        }
    }
    if page > 1 || skip.is_empty() {
        url.append_pair("page", &page.to_string());
    }
    format!("/organisations?{}", url.finish())
}

/// A filter's options as (value, "Label (count)"), only those with
/// results, plus the one chosen if it has none (so it stays selected).
fn counted(
    counts: impl IntoIterator<Item = (String, String, i64)>,
    chosen: Option<&str>,
    chosen_label: impl Fn(&str) -> Option<String>,
) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = counts
        .into_iter()
        .map(|(value, label, n)| (value, format!("{label} ({n})")))
        .collect();
    if let Some(chosen) = chosen.filter(|c| !c.trim().is_empty())
        && !options.iter().any(|(value, _)| value == chosen)
        && let Some(label) = chosen_label(chosen)
    {
        options.push((chosen.to_owned(), format!("{label} (0)")));
    }
    options
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<OrganisationQuery>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    // The page numbers its pages; keyset paging is the API's.
    let query = OrganisationQuery {
        after: None,
        ..query
    };
    let parsed = OrganisationFilter::parse(&query);
    let errors = match &parsed {
        Err(DomainError::Invalid(errors)) => errors.clone(),
        Ok(_) => vec![],
    };
    let facets = state
        .app
        .facets(
            &scope,
            parsed
                .as_ref()
                .map(|(f, _)| f)
                .unwrap_or(&Default::default()),
        )
        .await?;
    let mission_names: std::collections::HashMap<String, String> = state
        .app
        .missions(&scope)
        .await?
        .into_iter()
        .map(|m| (m.id, m.short_name))
        .collect();
    let selects = vec![
        select(
            "kind",
            "Kind of organisation",
            query.kind.as_deref(),
            counted(
                facets
                    .kinds
                    .iter()
                    .map(|(k, n)| (k.slug().to_owned(), k.label().to_owned(), *n)),
                query.kind.as_deref(),
                |raw| OrganisationKind::parse(raw).map(|k| k.label().to_owned()),
            ),
            &errors,
        ),
        select(
            "lever",
            "Lever",
            query.lever.as_deref(),
            counted(
                facets
                    .levers
                    .iter()
                    .map(|(l, n)| (l.slug().to_owned(), l.label().to_owned(), *n)),
                query.lever.as_deref(),
                |raw| Lever::parse(raw).map(|l| l.label().to_owned()),
            ),
            &errors,
        ),
        select(
            "mission",
            "Mission",
            query.mission.as_deref(),
            counted(
                facets.missions.iter().filter_map(|(slug, n)| {
                    let name = mission_names.get(slug)?;
                    Some((slug.clone(), name.clone(), *n))
                }),
                query.mission.as_deref(),
                |raw| mission_names.get(raw).cloned(),
            ),
            &errors,
        ),
        select(
            "ward",
            "Ward",
            query.ward.as_deref(),
            counted(
                facets.wards.iter().map(|(w, n)| (w.clone(), w.clone(), *n)),
                query.ward.as_deref(),
                |_| None,
            ),
            &errors,
        ),
    ];
    let anchors_only = query.anchor.as_deref() == Some("yes");
    let search = SearchField {
        value: query.q.clone().unwrap_or_default(),
        error: error_for(&errors, "q"),
    };
    let chrome = Chrome::new(&scope, Section::Organisations, &caller);
    let applied = applied(&selects, &query, anchors_only);
    let Ok((filter, page)) = parsed else {
        let page = DirectoryPage {
            chrome,
            errors,
            anchors_only,
            selects,
            search,
            applied,
            rows: vec![],
            total: 0,
            page: 1,
            pages: 0,
            pagination: Pagination::default(),
            download: String::new(),
        };
        return render(StatusCode::BAD_REQUEST, &page);
    };
    let (rows, total) = state.app.organisations(&scope, &filter, page).await?;
    let pages = page_count(total, page.per_page);
    if page.page > 1 && page.page > pages {
        return Err(PageError(Failure::NotFound));
    }
    let directory = DirectoryPage {
        chrome,
        errors,
        anchors_only,
        selects,
        search,
        applied,
        rows,
        total,
        page: page.page,
        pages,
        pagination: Pagination::new(page.page, pages, |n| page_href(&query, n)),
        download: href_without(&query, "per_page", 1).replacen("/organisations?", "", 1),
    };
    render(StatusCode::OK, &directory)
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    chrome: Chrome,
    organisation: Organisation,
    website: Option<String>,
    commitments: Vec<Commitment>,
    initiatives: Vec<InitiativeSummary>,
    can_edit: bool,
    can_see_contacts: bool,
    /// Whether to offer the brokerage briefing (staff and admins).
    can_brief: bool,
    last_update: Option<RecordUpdate>,
    saved: Saved,
    /// The latest published stories crediting the organisation.
    stories: Vec<placeweave_domain::story::StorySummary>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let organisation = state.app.get::<Organisation>(&scope, &slug).await?;
    let (commitments, _) = state
        .app
        .commitments(
            &scope,
            &CommitmentQuery {
                organisation: Some(slug.clone()),
                page: PageRequest::everything(),
                ..Default::default()
            },
        )
        .await?;
    let (initiatives, _) = state
        .app
        .initiatives(
            &scope,
            &InitiativeQuery {
                organisation: Some(slug.clone()),
                page: PageRequest::everything(),
                ..Default::default()
            },
        )
        .await?;
    let can_edit = scope.may_update(&organisation);
    let can_see_contacts = scope.may_read_contacts(&organisation.id);
    let page = OrganisationPage {
        chrome: Chrome::new(&scope, Section::Organisations, &caller)
            .titled(&organisation.name)
            .describe(organisation.description.as_deref().unwrap_or_default()),
        can_edit,
        can_see_contacts,
        can_brief: placeweave_app::App::may_read_briefings(&scope),
        website: safe_link(organisation.website.as_deref()),
        saved,
        last_update: state
            .app
            .record_update(&scope, Dated::Organisation, &slug)
            .await?,
        stories: state
            .app
            .latest_stories(
                &scope,
                placeweave_domain::story::StoryFilter {
                    partner: Some(slug.clone()),
                    ..Default::default()
                },
            )
            .await?,
        organisation,
        commitments,
        initiatives,
    };
    render(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_filters_and_elide() {
        let query = OrganisationQuery {
            kind: Some("university".into()),
            q: Some("a&b".into()),
            ..Default::default()
        };
        assert_eq!(
            page_href(&query, 3),
            "/organisations?kind=university&q=a%26b&page=3"
        );
        let numbers: Vec<Option<u32>> = Pagination::new(5, 10, |n| page_href(&query, n))
            .items
            .iter()
            .map(|i| i.number)
            .collect();
        assert_eq!(
            numbers,
            [Some(1), None, Some(4), Some(5), Some(6), None, Some(10)]
        );
    }
}
