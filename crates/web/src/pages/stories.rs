//! Stories: the list (filterable by mission, theme and partner credited: a
//! plain GET form, paged in the database), one story's page, its add and
//! edit forms, the staff form that publishes it with its consent, and the
//! Atom feed of published stories.

use askama::Template;
use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use placeweave_app::{AppError, Edit, Scope};
use placeweave_domain::filter::page_count;
use placeweave_domain::story::{ConsentUse, Story, StoryFilter, StoryStatus, StorySummary};
use placeweave_domain::{DomainError, FieldError, PageRequest};

use super::editing::{FormPage, FormView, heading};
use super::experiments::{Filter, SideForm, SideFormView, today, value};
use super::forms::{Control, FormField, RecordForm, audiences, finish};
use super::saved::{Saved, after_save};
use super::{Chrome, PageError, PageResult, Pagination, Section, error_for, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

/// The list's query string, as sent.
#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    mission: Option<String>,
    theme: Option<String>,
    partner: Option<String>,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "stories.html")]
struct ListPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
    filters: Vec<Filter>,
    applied: bool,
    stories: Vec<StorySummary>,
    total: i64,
    page: u32,
    pages: u32,
    pagination: Pagination,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let raw = query.map(|Query(q)| q).unwrap_or_default();
    let (filter, mut errors) = match StoryFilter::parse(
        raw.mission.as_deref(),
        raw.theme.as_deref(),
        raw.partner.as_deref(),
    ) {
        Ok(filter) => (filter, vec![]),
        Err(DomainError::Invalid(errors)) => (StoryFilter::default(), errors),
    };
    let request = PageRequest::parse(raw.page.as_deref(), None, &mut errors);
    let (stories, total) = if errors.is_empty() {
        state.app.stories(&scope, &filter, request).await?
    } else {
        (vec![], 0)
    };
    let pages = page_count(total, request.per_page);
    if errors.is_empty() && request.page > 1 && request.page > pages {
        return Err(Failure::NotFound.into());
    }
    let missions = state.app.missions(&scope).await?;
    let themes = state.app.outcome_themes(&scope).await?;
    let partners = state.app.organisation_choices(&scope).await?;
    let filter_of = |name, label, options: Vec<(String, String)>, raw: &Option<String>| Filter {
        name,
        label,
        options: options
            .into_iter()
            .map(|(value, text)| {
                let selected = raw.as_deref().map(str::trim) == Some(value.as_str());
                (value, text, selected)
            })
            .collect(),
        error: error_for(&errors, name),
    };
    let filters = vec![
        filter_of(
            "mission",
            "Mission",
            missions.into_iter().map(|m| (m.id, m.short_name)).collect(),
            &raw.mission,
        ),
        filter_of(
            "theme",
            "Outcome theme",
            themes.into_iter().map(|t| (t.id, t.name)).collect(),
            &raw.theme,
        ),
        filter_of("partner", "Partner credited", partners, &raw.partner),
    ];
    let query = filter.query();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = ListPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller).titled("Stories"),
        filters,
        applied: !query.is_empty(),
        errors,
        stories,
        total,
        page: request.page,
        pages,
        pagination: Pagination::new(request.page, pages, |n| {
            if query.is_empty() {
                format!("/stories?page={n}")
            } else {
                format!("/stories?{query}&page={n}")
            }
        }),
    };
    render(status, &page)
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    chrome: Chrome,
    story: Story,
    saved: Saved,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    saved: Saved,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    let story = state.app.get::<Story>(&scope, &slug).await?;
    let page = StoryPage {
        chrome: Chrome::new(&scope, Section::Missions, &caller)
            .titled(&story.title)
            .describe(&story.summary),
        saved,
        story,
    };
    render(StatusCode::OK, &page)
}

fn checkboxes<T: Copy>(
    all: &[T],
    slug: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Control {
    Control::Checkboxes(
        all.iter()
            .map(|t| (slug(*t).to_owned(), label(*t).to_owned()))
            .collect(),
    )
}

/// The consent fields, as the edit and publish forms show them.
fn consent_fields(story: &Story) -> Vec<FormField> {
    let consent = story.consent.as_ref();
    vec![
        FormField::new(
            "consent_given_by",
            "Who gave consent",
            Control::Input("text"),
            consent.map(|c| c.given_by.clone()).unwrap_or_default(),
        )
        .hint("The name of the person whose story it is. Only staff see this."),
        FormField::new(
            "consent_given_on",
            "Date consent was given",
            Control::Date,
            consent.map(|c| c.given_on.clone()).unwrap_or_default(),
        ),
        FormField::new(
            "consent_uses",
            "What they consented to the story being used for",
            checkboxes(ConsentUse::ALL, ConsentUse::slug, ConsentUse::label),
            consent
                .map(|c| {
                    c.uses
                        .iter()
                        .map(|u| u.slug())
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .unwrap_or_default(),
        )
        .hint("A story is published on this website only with consent for that."),
    ]
}

impl FormPage for Story {
    const SECTION: Section = Section::Missions;
    const ADD_HEADING: &'static str = "Add a story";
    fn new_href(_owner: Option<&str>) -> String {
        "/stories/new".into()
    }
    fn edit_href(key: &String) -> String {
        format!("/stories/{key}/edit")
    }
    const SAVED: &'static str = "story";
    fn saved_href(&self) -> String {
        format!("/stories/{}", self.id)
    }
    fn heading(&self) -> String {
        format!("Edit {}", self.title)
    }
    async fn render(state: &AppState, view: FormView<'_, Self>) -> PageResult {
        let missions = state.app.missions(view.scope).await?;
        let themes = state.app.outcome_themes(view.scope).await?;
        let organisations = state.app.organisation_choices(view.scope).await?;
        let s = view.record;
        let lines = |items: Vec<String>| items.join("\n");
        let participants = lines(
            s.participants
                .iter()
                .map(|p| match &p.role {
                    Some(credit) => format!("{}: {credit}", p.organisation.id),
                    None => p.organisation.id.clone(),
                })
                .collect(),
        );
        let statuses = StoryStatus::ALL
            .iter()
            .map(|s| (s.slug().to_owned(), s.label().to_owned(), String::new()))
            .collect();
        let mut fields = vec![
            FormField::new("title", "Title", Control::Input("text"), s.title.clone()),
            FormField::new("summary", "Summary", Control::Input("text"), s.summary.clone())
                .hint("The story in a sentence or two, shown in lists and the feed"),
            FormField::new("body", "The story", Control::TextArea, s.body.clone()),
            FormField::new(
                "missions",
                "Missions it tells of",
                Control::Checkboxes(missions.into_iter().map(|m| (m.id, m.short_name)).collect()),
                lines(s.missions.iter().map(|m| m.id.clone()).collect()),
            ),
            FormField::new(
                "themes",
                "Outcome themes it speaks to",
                Control::Checkboxes(themes.into_iter().map(|t| (t.id, t.name)).collect()),
                lines(s.themes.iter().map(|t| t.id.clone()).collect()),
            ),
            FormField::new(
                "participants",
                "Partners credited",
                Control::Participants(organisations),
                participants,
            )
            .hint("Choose each partner to credit by name and, if you like, say what for. To take one out, choose None."),
            FormField::new("status", "Status", Control::Radios(statuses), s.status.slug())
                .hint("A draft is seen by staff only. Publishing needs consent for use on this website."),
        ];
        fields.extend(consent_fields(s));
        fields.push(FormField::new(
            "audience",
            "Who can see this story once published",
            audiences(),
            s.audience.as_str(),
        ));
        let form = RecordForm {
            chrome: Chrome::new(view.scope, Section::Missions, view.caller),
            errors: vec![],
            caption: "Story",
            heading: heading(&view),
            back: ("/stories".into(), "Back to stories".into()),
            action: view.action.clone(),
            version: view.version,
            submit: "Save story",
            fields,
        };
        finish(view, form)
    }
}

/// Publishing a story: its consent, confirmed or recorded, and the status.
pub struct Publish;

const CONSENT_FIELDS: [&str; 3] = ["consent_given_by", "consent_given_on", "consent_uses"];

impl SideForm for Publish {
    async fn view(state: &AppState, scope: &Scope, slug: &str) -> Result<SideFormView, AppError> {
        let slug = &slug.to_owned();
        let story = state.app.editable::<Story>(scope, slug).await?;
        let mut fields = consent_fields(&story);
        if story.consent.is_none()
            && let Some(date) = fields.get_mut(1)
        {
            date.value = today();
        }
        Ok(SideFormView {
            caption: "Publish a story",
            heading: format!("Publish {}", story.title),
            action: format!("/stories/{slug}/publish"),
            back: (
                format!("/stories/{slug}"),
                format!("Back to {}", story.title),
            ),
            submit: "Publish the story",
            fields,
        })
    }

    /// A patch of the status and the consent through the generic update
    /// flow, so the domain's rule on consent decides.
    async fn save(
        state: &AppState,
        scope: &Scope,
        slug: &str,
        pairs: &[(String, String)],
    ) -> Result<String, AppError> {
        let slug = &slug.to_owned();
        let current = state.app.editable::<Story>(scope, slug).await?;
        let mut edit: Vec<(String, String)> = CONSENT_FIELDS
            .iter()
            .flat_map(|f| {
                let sent: Vec<(String, String)> =
                    pairs.iter().filter(|(k, _)| k == f).cloned().collect();
                if sent.is_empty() {
                    vec![((*f).to_owned(), value(pairs, f).to_owned())]
                } else {
                    sent
                }
            })
            .collect();
        edit.push(("status".into(), StoryStatus::Published.slug().into()));
        edit.push(("version".into(), current.version.to_string()));
        let saved = state
            .app
            .update::<Story>(scope, slug, &Edit::patch(&edit))
            .await?;
        Ok(after_save(&saved.saved_href(), "story"))
    }
}

/// The Atom feed of published stories the public may read, credited
/// partners as contributors. Built with `atom_syndication`, never by hand.
pub async fn feed(State(state): State<AppState>, caller: Caller) -> Result<Response, PageError> {
    let scope = state.scope(&caller).await?;
    let stories = state.app.story_feed(&scope).await?;
    let origin = super::context::current().origin;
    let place = &scope.place().place;
    let service = super::context::service_name(&place.name);
    let date = |day: &str| {
        FixedDateTime::parse_from_rfc3339(&format!("{day}T00:00:00Z")).unwrap_or_default()
    };
    let link = |href: String, rel: &str, kind: &str| Link {
        href,
        rel: rel.into(),
        mime_type: Some(kind.into()),
        ..Link::default()
    };
    let entries: Vec<Entry> = stories
        .iter()
        .map(|s| {
            let address = format!("{origin}/stories/{}", s.id);
            let updated = date(s.published_on.as_deref().unwrap_or("1970-01-01"));
            let credited: Vec<Person> = s
                .participants
                .iter()
                .map(|p| Person {
                    name: p.name.clone(),
                    uri: Some(format!("{origin}/organisations/{}", p.id)),
                    ..Person::default()
                })
                .collect();
            let summary = if s.demonstration {
                format!(
                    "Demonstration record. {}",
                    s.summary.trim_start_matches("Demonstration record. ")
                )
            } else {
                s.summary.clone()
            };
            Entry {
                id: address.clone(),
                title: Text::plain(s.title.clone()),
                updated,
                published: Some(updated),
                links: vec![link(address, "alternate", "text/html")],
                summary: Some(Text::plain(summary)),
                authors: vec![Person {
                    name: place.convening_organisation.clone(),
                    ..Person::default()
                }],
                contributors: credited,
                content: None::<Content>,
                ..Entry::default()
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| date("1970-01-01"));
    let feed = Feed {
        id: format!("{origin}/stories"),
        title: Text::plain(format!("Stories – {service}")),
        subtitle: Some(Text::plain(format!(
            "Published stories of {}'s missions, crediting partners by name",
            place.name
        ))),
        updated,
        authors: vec![Person {
            name: place.convening_organisation.clone(),
            ..Person::default()
        }],
        links: vec![
            link(
                format!("{origin}/stories.atom"),
                "self",
                "application/atom+xml",
            ),
            link(format!("{origin}/stories"), "alternate", "text/html"),
        ],
        entries,
        ..Feed::default()
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}

/// For the templates, which compare a story's status with it.
pub const DRAFT: StoryStatus = StoryStatus::Draft;
