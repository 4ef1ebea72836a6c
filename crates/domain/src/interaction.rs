//! Interactions: a meeting, call, email, roundtable or event attendance
//! with a partner — its date, who took part (the staff, the partners'
//! contacts and any other organisations, as at a roundtable), a private
//! summary, outcomes and follow-up actions (each with an owner, a due
//! date, and whether it is done).
//!
//! Like relationships, interactions are the partnership team's working
//! records: staff and admins read and log them; partners and the public
//! never see one (the summary is confidential by DESIGN.md: interaction
//! notes are never public).

use serde::Serialize;

use crate::edit::{Absent, Edit, MAX_TEXT, Submitted, is_account_id, is_iso_date};
use crate::error::DomainError;
use crate::place::RecordRef;
use crate::visibility::{Audience, Redact, Viewer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Interaction {
    pub id: i64,
    /// The partner met.
    pub organisation: RecordRef,
    pub kind: InteractionKind,
    /// When it happened (ISO 8601 date).
    pub date: String,
    /// Other organisations that took part (a roundtable, an event).
    pub other_organisations: Vec<RecordRef>,
    /// The staff who took part: account ids and names.
    pub staff: Vec<RecordRef>,
    /// The partners' contacts who took part, by contact id: only those the
    /// reader may see (restricted ones: administrators). Their names show
    /// on the interaction's page; no contact's personal data is ever
    /// written out here (the API, the audit log).
    #[serde(serialize_with = "ids_only")]
    #[schema(value_type = Vec<String>)]
    pub contacts: Vec<RecordRef>,
    /// Private: staff only, never public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub outcomes: Option<String>,
    pub follow_ups: Vec<FollowUp>,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// A follow-up action agreed at an interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FollowUp {
    /// 0 until stored.
    pub id: i64,
    pub action: String,
    /// The account that will do it.
    pub owner: Option<RecordRef>,
    /// ISO 8601 date.
    pub due: Option<String>,
    pub done: bool,
}

/// References written as their ids alone.
fn ids_only<S: serde::Serializer>(refs: &[RecordRef], out: S) -> Result<S::Ok, S::Error> {
    out.collect_seq(refs.iter().map(|r| r.id.as_str()))
}

/// Who reads interactions at all: staff and admins.
pub const AUDIENCE: Audience = Audience::Staff;
/// The summary's audience: never wider than staff.
pub const SUMMARY_AUDIENCE: Audience = Audience::Staff;

impl Redact for Interaction {
    fn redact_for(mut self, viewer: Viewer) -> Self {
        self.summary = viewer.reveal(SUMMARY_AUDIENCE, self.summary);
        self
    }
}

impl Interaction {
    /// A new interaction with `organisation`: a meeting, no date yet.
    pub fn new(organisation: RecordRef) -> Self {
        Interaction {
            id: 0,
            organisation,
            kind: InteractionKind::Meeting,
            date: String::new(),
            other_organisations: vec![],
            staff: vec![],
            contacts: vec![],
            summary: None,
            outcomes: None,
            follow_ups: vec![],
            demonstration: false,
            audience: AUDIENCE,
            version: 0,
        }
    }

    /// Every organisation that took part: the partner first.
    pub fn organisations(&self) -> impl Iterator<Item = &RecordRef> {
        std::iter::once(&self.organisation).chain(&self.other_organisations)
    }

    /// Follow-ups not yet done.
    pub fn open_follow_ups(&self) -> usize {
        self.follow_ups.iter().filter(|f| !f.done).count()
    }
}

impl FollowUp {
    /// Whether it is past its due date on `today` (ISO dates compare as text).
    pub fn overdue(&self, today: &str) -> bool {
        !self.done && self.due.as_deref().is_some_and(|due| due < today)
    }
}

crate::vocabulary::vocabulary!(
    /// What sort of contact an interaction was.
    InteractionKind {
        Meeting => ("meeting", "Meeting"),
        Call => ("call", "Call"),
        Email => ("email", "Email"),
        Roundtable => ("roundtable", "Roundtable"),
        Event => ("event", "Event attendance"),
    }
);

/// Applies an edit to an interaction. `follow_up`, with its optional
/// `follow_up_owner` (an account id) and `follow_up_due` (a date), adds a
/// new follow-up action; follow-ups already recorded are marked done on
/// their own.
pub fn apply_to_interaction(
    current: &Interaction,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Interaction, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    let mut next = current.clone();
    next.version = version;
    edit.organisation(&mut next.organisation, "Select the partner organisation");
    edit.term(
        "kind",
        &mut next.kind,
        InteractionKind::parse,
        "Select what sort of interaction it was",
    );
    if edit.touched("date") {
        let raw = edit.value("date");
        if is_iso_date(raw) {
            next.date = raw.to_owned();
        } else if raw.is_empty() {
            edit.error("date", "Enter the date it happened");
        } else {
            edit.error("date", crate::date::problem("Date", raw));
        }
    }
    edit.organisations(
        "other_organisations",
        &mut next.other_organisations,
        "Select each other organisation from the list",
    );
    // The partner is already taking part.
    next.other_organisations
        .retain(|o| o.id != next.organisation.id);
    edit.accounts(
        "staff",
        &mut next.staff,
        "Select each member of staff from the list",
    );
    edit.accounts(
        "contacts",
        &mut next.contacts,
        "Select each contact from the list",
    );
    edit.text("summary", MAX_TEXT, &mut next.summary);
    edit.text("outcomes", MAX_TEXT, &mut next.outcomes);
    let mut action = None;
    edit.text("follow_up", 500, &mut action);
    let mut owner = None;
    edit.text("follow_up_owner", 18, &mut owner);
    let mut due = None;
    edit.text("follow_up_due", 10, &mut due);
    if let Some(raw) = &owner
        && !is_account_id(raw)
    {
        edit.error("follow_up_owner", "Select who will do it from the list");
    }
    if let Some(raw) = &due
        && !is_iso_date(raw)
    {
        edit.error("follow_up_due", crate::date::problem("Due date", raw));
    }
    match action {
        Some(action) => next.follow_ups.push(FollowUp {
            id: 0,
            action,
            owner: owner.map(|id| RecordRef {
                id,
                name: String::new(),
            }),
            due,
            done: false,
        }),
        None if owner.is_some() || due.is_some() => {
            edit.error("follow_up", "Say what the follow-up action is");
        }
        None => {}
    }
    edit.finish(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{
        AccountRole, Action, Principal, Resource, Target, permits, settable_fields,
    };

    fn staff() -> Principal {
        Principal::Account {
            id: 1,
            role: AccountRole::Staff,
            place: Some(1),
            organisation: None,
        }
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn ucl() -> Interaction {
        Interaction::new(RecordRef {
            id: "ucl".into(),
            name: "UCL".into(),
        })
    }

    #[test]
    fn a_quick_log_with_a_follow_up() {
        let form = pairs(&[
            ("version", "0"),
            ("organisation", "ucl"),
            ("kind", "call"),
            ("date", "2026-11-20"),
            ("staff", "4"),
            ("contacts", "12"),
            ("contacts", "12"),
            ("other_organisations", "ucl"),
            ("other_organisations", "kings-college"),
            ("summary", "Talked about apprenticeships"),
            ("follow_up", "Send the summit invitation"),
            ("follow_up_owner", "4"),
            ("follow_up_due", "2026-12-01"),
        ]);
        let settable = settable_fields(&staff(), Resource::Interaction);
        let next =
            apply_to_interaction(&ucl(), &Submitted::new(&form), settable, Absent::MeansEmpty)
                .expect("valid");
        assert_eq!(next.kind, InteractionKind::Call);
        // Each contact once; the partner is not also "another" organisation.
        assert_eq!(next.contacts.len(), 1);
        let others: Vec<&str> = next
            .other_organisations
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(others, ["kings-college"]);
        assert_eq!(next.organisations().count(), 2);
        assert_eq!(next.follow_ups.len(), 1);
        assert!(next.follow_ups[0].overdue("2026-12-02"));
        assert!(!next.follow_ups[0].overdue("2026-12-01"));
        assert_eq!(next.open_follow_ups(), 1);
    }

    #[test]
    fn each_bad_field_is_named() {
        let form = pairs(&[
            ("version", "0"),
            ("organisation", "UCL!"),
            ("kind", "seance"),
            ("date", "2026-02-30"),
            ("staff", "me"),
            ("contacts", "Jo Bloggs"),
            ("other_organisations", "King's College"),
            ("follow_up_owner", "x"),
            ("follow_up_due", "soon"),
        ]);
        let settable = settable_fields(&staff(), Resource::Interaction);
        let Err(DomainError::Invalid(errors)) =
            apply_to_interaction(&ucl(), &Submitted::new(&form), settable, Absent::MeansEmpty)
        else {
            panic!("expected errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "organisation",
            "kind",
            "date",
            "staff",
            "contacts",
            "other_organisations",
            "follow_up_owner",
            "follow_up_due",
            "follow_up",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn only_staff_and_admins_see_interactions_and_summaries() {
        let target = Target::new(Resource::Interaction, AUDIENCE, Some("ucl"));
        let partner = Principal::Account {
            id: 2,
            role: AccountRole::Partner,
            place: Some(1),
            organisation: Some("ucl".into()),
        };
        for action in [Action::Read, Action::Create, Action::Update] {
            assert!(!permits(&Principal::Public, action, &target));
            assert!(!permits(&partner, action, &target));
            assert!(permits(&staff(), action, &target));
        }
        let mut i = ucl();
        i.summary = Some("private".into());
        assert_eq!(i.clone().redact_for(Viewer::Partner).summary, None);
        assert_eq!(
            i.redact_for(Viewer::Staff).summary.as_deref(),
            Some("private")
        );
    }
}
