//! Stories: a qualitative account of a mission's work, crediting partners
//! by name, linked to missions and outcome themes, with the consent of the
//! person whose story it is recorded (who gave it, when, for which uses).
//!
//! A story is a draft until staff publish it. A draft is for staff only,
//! whatever its audience says: to anyone else it does not exist. The
//! consent record names a person, so it is for staff only too; publishing
//! needs consent that covers use on the website.

use serde::Serialize;

use crate::edit::{Absent, Edit, MAX_NAME, MAX_TEXT, Submitted, is_iso_date};
use crate::error::{DomainError, FieldError};
use crate::initiative::Participant;
use crate::place::{RecordRef, is_slug};
use crate::visibility::{Audience, Redact, Viewer};
use crate::vocabulary::vocabulary;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Story {
    pub id: String,
    pub title: String,
    /// The story in a sentence or two (feeds and lists show it).
    pub summary: String,
    pub body: String,
    pub missions: Vec<RecordRef>,
    /// Outcome themes the story speaks to.
    pub themes: Vec<RecordRef>,
    /// The partner organisations credited, each optionally with what for (`role`).
    pub participants: Vec<Participant>,
    pub status: StoryStatus,
    /// ISO 8601 date it was first published; none for a draft.
    pub published_on: Option<String>,
    /// Who consented, when and to what: shown to staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// The consent of the person whose story it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Consent {
    /// The name of the person who gave consent.
    pub given_by: String,
    /// ISO 8601 date consent was given.
    pub given_on: String,
    /// What the story may be used for.
    pub uses: Vec<ConsentUse>,
}

/// Who reads the consent record: it names a person.
pub const CONSENT_AUDIENCE: Audience = Audience::Staff;

/// Who reads a draft, whatever its audience: staff publish stories.
pub const DRAFT_AUDIENCE: Audience = Audience::Staff;

vocabulary!(
    /// Where a story is.
    StoryStatus {
        Draft => ("draft", "Draft"),
        Published => ("published", "Published"),
    }
);

vocabulary!(
    /// What a story may be used for, as consented to.
    ConsentUse {
        Website => ("website", "This website"),
        AnnualReport => ("annual-report", "Annual report"),
        SocialMedia => ("social-media", "Social media"),
        Press => ("press", "Press"),
    }
);

impl Story {
    /// A new, empty story: a draft, for everyone once published.
    pub fn blank() -> Self {
        Story {
            id: String::new(),
            title: String::new(),
            summary: String::new(),
            body: String::new(),
            missions: vec![],
            themes: vec![],
            participants: vec![],
            status: StoryStatus::Draft,
            published_on: None,
            consent: None,
            demonstration: false,
            audience: Audience::Public,
            version: 0,
        }
    }

    /// Who may read the story: its audience, narrowed to staff while it is
    /// a draft. The policy and every read ask this, not `audience`.
    pub fn readers(&self) -> Audience {
        readers(self.status, self.audience)
    }
}

/// Who may read a story of this status and audience.
pub fn readers(status: StoryStatus, audience: Audience) -> Audience {
    match status {
        StoryStatus::Draft => audience.max(DRAFT_AUDIENCE),
        StoryStatus::Published => audience,
    }
}

impl Redact for Story {
    fn redact_for(mut self, viewer: Viewer) -> Self {
        self.consent = viewer.reveal(CONSENT_AUDIENCE, self.consent.take());
        self
    }
}

/// A row of the stories list (and of the feed and downloads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StorySummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub status: StoryStatus,
    pub published_on: Option<String>,
    pub missions: Vec<RecordRef>,
    pub themes: Vec<RecordRef>,
    /// The partners credited (only those the viewer may see).
    pub participants: Vec<RecordRef>,
    pub demonstration: bool,
}

/// The list's filters, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFilter {
    pub mission: Option<String>,
    pub theme: Option<String>,
    /// An organisation credited.
    pub partner: Option<String>,
    /// Only published stories (mission and organisation pages, the feed).
    pub published_only: bool,
}

impl StoryFilter {
    /// Reads the filters as a query string sends them; a blank one is no
    /// filter, and each bad one is named.
    pub fn parse(
        mission: Option<&str>,
        theme: Option<&str>,
        partner: Option<&str>,
    ) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let mut slug = |field: &str, raw: Option<&str>, message: &str| {
            let raw = raw.map(str::trim).filter(|v| !v.is_empty())?;
            if is_slug(raw) {
                Some(raw.to_owned())
            } else {
                errors.push(FieldError::new(field, message));
                None
            }
        };
        let filter = StoryFilter {
            mission: slug("mission", mission, "Select a mission from the list"),
            theme: slug("theme", theme, "Select a theme from the list"),
            partner: slug("partner", partner, "Select a partner from the list"),
            published_only: false,
        };
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    /// The filters as a query string (without `page`), for links.
    pub fn query(&self) -> String {
        [
            ("mission", &self.mission),
            ("theme", &self.theme),
            ("partner", &self.partner),
        ]
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={v}")))
        .collect::<Vec<_>>()
        .join("&")
    }
}

const MAX_SUMMARY: usize = 400;

/// Applies an edit to a story. Publishing needs consent for the website;
/// the date of publication is the store's to set.
pub fn apply_to_story(
    current: &Story,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Story, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    if let Some(v) = edit.required("title", MAX_NAME, "Enter the story's title") {
        next.title = v;
    }
    if let Some(v) = edit.required(
        "summary",
        MAX_SUMMARY,
        "Enter a summary of the story in a sentence or two",
    ) {
        next.summary = v;
    }
    if let Some(v) = edit.required("body", MAX_TEXT, "Enter the story") {
        next.body = v;
    }
    edit.references("missions", &mut next.missions);
    edit.references("themes", &mut next.themes);
    edit.participants(&mut next.participants);
    edit.term(
        "status",
        &mut next.status,
        StoryStatus::parse,
        "Select draft or published",
    );
    apply_consent(&mut edit, submitted, &mut next);
    edit.audience(&mut next.audience);
    if next.status == StoryStatus::Draft {
        next.published_on = None;
    }
    edit.finish(next)
}

/// The consent's three fields go together: all or none. A published story
/// needs them, with use on the website among the uses.
fn apply_consent(edit: &mut Edit, submitted: &Submitted, next: &mut Story) {
    let fields = ["consent_given_by", "consent_given_on", "consent_uses"];
    let touched = fields.iter().any(|f| edit.touched(f));
    let (mut given_by, mut given_on, mut uses) = match &next.consent {
        Some(c) => (
            Some(c.given_by.clone()),
            Some(c.given_on.clone()),
            c.uses.clone(),
        ),
        None => (None, None, vec![]),
    };
    edit.text("consent_given_by", MAX_NAME, &mut given_by);
    if edit.touched("consent_given_on") {
        let raw = edit.value("consent_given_on");
        given_on = is_iso_date(raw).then(|| raw.to_owned());
        if given_on.is_none() && !raw.is_empty() {
            edit.error(
                "consent_given_on",
                crate::date::problem("Date consent was given", raw),
            );
        }
    }
    if edit.touched("consent_uses") {
        uses.clear();
        for raw in submitted.all("consent_uses") {
            match ConsentUse::parse(raw) {
                Some(u) if !uses.contains(&u) => uses.push(u),
                Some(_) => {}
                None => {
                    edit.error("consent_uses", "Select the uses consented to from the list");
                    break;
                }
            }
        }
        uses.sort();
    }
    if fields.iter().any(|f| edit.has_error(f)) {
        return;
    }
    let publishing = next.status == StoryStatus::Published;
    let any = given_by.is_some() || given_on.is_some() || !uses.is_empty();
    if touched || publishing {
        if (any || publishing) && given_by.is_none() {
            edit.error(
                "consent_given_by",
                if publishing {
                    "Enter who gave consent before publishing the story"
                } else {
                    "Enter who gave consent, or leave the consent empty"
                },
            );
        }
        if (any || publishing) && given_on.is_none() {
            edit.error("consent_given_on", "Enter the date consent was given");
        }
        if publishing && !uses.contains(&ConsentUse::Website) {
            edit.error(
                "consent_uses",
                "Consent must cover use on this website before the story is published",
            );
        } else if any && uses.is_empty() {
            edit.error("consent_uses", "Select what the story may be used for");
        }
    }
    next.consent = match (given_by, given_on) {
        (Some(given_by), Some(given_on)) if !uses.is_empty() => Some(Consent {
            given_by,
            given_on,
            uses,
        }),
        _ => None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{AccountRole, Principal, Resource, settable_fields};

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn staff() -> &'static [&'static str] {
        settable_fields(
            &Principal::Account {
                id: 1,
                role: AccountRole::Staff,
                place: Some(1),
                organisation: None,
            },
            Resource::Story,
        )
    }

    fn fields(result: Result<Story, DomainError>) -> Vec<String> {
        match result {
            Err(DomainError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            Ok(_) => vec![],
        }
    }

    #[test]
    fn publishing_needs_consent_for_the_website() {
        let base = [
            ("version", "0"),
            ("title", "Growing together"),
            ("summary", "Residents grew food."),
            ("body", "The whole story."),
            ("status", "published"),
        ];
        let sent = pairs(&base);
        let apply = |sent: &[(String, String)]| {
            apply_to_story(
                &Story::blank(),
                &Submitted::new(sent),
                staff(),
                Absent::MeansUnchanged,
            )
        };
        assert_eq!(
            fields(apply(&sent)),
            ["consent_given_by", "consent_given_on", "consent_uses"]
        );
        let mut press_only = base.to_vec();
        press_only.extend([
            ("consent_given_by", "A resident"),
            ("consent_given_on", "2026-05-01"),
            ("consent_uses", "press"),
        ]);
        assert_eq!(fields(apply(&pairs(&press_only))), ["consent_uses"]);
        let mut whole = press_only.clone();
        whole.push(("consent_uses", "website"));
        let story = apply(&pairs(&whole)).expect("consent for the website");
        let consent = story.consent.expect("consent");
        assert_eq!(consent.uses, [ConsentUse::Website, ConsentUse::Press]);
    }

    #[test]
    fn a_draft_needs_no_consent_but_half_a_consent_is_named() {
        let sent = pairs(&[
            ("version", "0"),
            ("title", "Draft"),
            ("summary", "S"),
            ("body", "B"),
            ("consent_given_by", "Someone"),
        ]);
        let got = apply_to_story(
            &Story::blank(),
            &Submitted::new(&sent),
            staff(),
            Absent::MeansUnchanged,
        );
        assert_eq!(fields(got), ["consent_given_on", "consent_uses"]);
    }

    #[test]
    fn drafts_and_consent_are_for_staff() {
        let mut story = Story::blank();
        assert_eq!(story.readers(), Audience::Staff);
        story.status = StoryStatus::Published;
        assert_eq!(story.readers(), Audience::Public);
        story.audience = Audience::Restricted;
        story.status = StoryStatus::Draft;
        assert_eq!(story.readers(), Audience::Restricted);
        story.consent = Some(Consent {
            given_by: "A resident".into(),
            given_on: "2026-01-01".into(),
            uses: vec![ConsentUse::Website],
        });
        assert!(story.clone().redact_for(Viewer::Partner).consent.is_none());
        assert!(story.redact_for(Viewer::Staff).consent.is_some());
    }

    #[test]
    fn filters_are_named_when_bad() {
        let Err(DomainError::Invalid(errors)) =
            StoryFilter::parse(Some("Bad Slug"), None, Some("ucl"))
        else {
            panic!("refused");
        };
        assert_eq!(errors[0].field, "mission");
        let ok = StoryFilter::parse(None, Some("health"), Some("ucl")).expect("ok");
        assert_eq!(ok.query(), "theme=health&partner=ucl");
    }
}
