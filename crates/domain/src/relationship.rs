//! Relationships: the convening organisation's relationship with one
//! partner — its stage and the dated history of stages, the staff who own
//! it, how formal it is, the missions it serves, its health and a
//! restricted note of sensitivities.
//!
//! Relationships are the partnership team's working records: staff and
//! admins read them, partners and the public never do (a relationship is
//! the council's own assessment of a partner, and DESIGN.md gives partners
//! no need for it). Health is a staff field; sensitivities are restricted
//! (its owners and admins: `policy::owns_restricted`).

use serde::Serialize;

use crate::edit::{Absent, Edit, MAX_TEXT, Submitted, is_account_id};
use crate::error::{DomainError, FieldError};
use crate::place::{RecordRef, is_slug};
use crate::visibility::{Audience, Redact, Viewer};
use crate::vocabulary::OrganisationKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Relationship {
    pub id: i64,
    /// The partner.
    pub organisation: RecordRef,
    pub stage: RelationshipStage,
    /// Every stage the relationship has been at, oldest first, with the
    /// date it was reached.
    pub history: Vec<StageChange>,
    /// The staff who own the relationship: each an account id and name.
    pub owners: Vec<RecordRef>,
    pub formality: Formality,
    pub missions: Vec<RecordRef>,
    pub health: Option<Health>,
    /// Why the health is rated so.
    pub health_reason: Option<String>,
    /// Restricted: its owners and administrators read and write it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivities: Option<String>,
    /// True for records made up to demonstrate the service, not facts.
    pub demonstration: bool,
    pub audience: Audience,
    /// Incremented by every change; an edit must name the version it read.
    pub version: i64,
}

/// A stage reached, and when (ISO 8601 date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StageChange {
    pub stage: RelationshipStage,
    pub date: String,
}

/// Who reads a relationship at all: staff and admins.
pub const AUDIENCE: Audience = Audience::Staff;
pub const SENSITIVITIES_AUDIENCE: Audience = Audience::Restricted;

impl Redact for Relationship {
    fn redact_for(mut self, viewer: Viewer) -> Self {
        self.sensitivities = viewer.reveal(SENSITIVITIES_AUDIENCE, self.sensitivities);
        if !viewer.can_read(AUDIENCE) {
            self.health = None;
            self.health_reason = None;
            self.owners.clear();
        }
        self
    }
}

impl Relationship {
    /// A new relationship with `organisation`, identified and informal.
    pub fn new(organisation: RecordRef) -> Self {
        Relationship {
            id: 0,
            organisation,
            stage: RelationshipStage::Identified,
            history: vec![],
            owners: vec![],
            formality: Formality::Informal,
            missions: vec![],
            health: None,
            health_reason: None,
            sensitivities: None,
            demonstration: false,
            audience: AUDIENCE,
            version: 0,
        }
    }

    /// The date the current stage was reached, if recorded.
    pub fn stage_since(&self) -> Option<&str> {
        self.history
            .iter()
            .rev()
            .find(|c| c.stage == self.stage)
            .map(|c| c.date.as_str())
    }
}

impl RelationshipStage {
    /// What the stage means, in plain English, for pages and forms.
    pub fn meaning(self) -> &'static str {
        match self {
            RelationshipStage::Identified => "We know of them and think they could help.",
            RelationshipStage::WarmConversation => "We have talked and there is interest.",
            RelationshipStage::Exploring => "Working out together what to do.",
            RelationshipStage::Committed => "They have agreed to take part.",
            RelationshipStage::Active => "Working together now.",
            RelationshipStage::Sustaining => "A lasting partnership, kept going.",
            RelationshipStage::Paused => "On hold for now.",
            RelationshipStage::Ended => "No longer working together.",
        }
    }
}

crate::vocabulary::vocabulary!(
    /// Where a relationship stands, from first contact to a lasting partnership.
    RelationshipStage {
        Identified => ("identified", "Identified"),
        WarmConversation => ("warm-conversation", "Warm conversation"),
        Exploring => ("exploring", "Exploring"),
        Committed => ("committed", "Committed"),
        Active => ("active", "Active"),
        Sustaining => ("sustaining", "Sustaining"),
        Paused => ("paused", "Paused"),
        Ended => ("ended", "Ended"),
    }
);

crate::vocabulary::vocabulary!(
    /// How formal a relationship is.
    Formality {
        Informal => ("informal", "Informal"),
        Mou => ("mou", "Memorandum of understanding"),
        FormalAgreement => ("formal-agreement", "Formal agreement"),
        Pact => ("pact", "Pact of collaboration"),
    }
);

crate::vocabulary::vocabulary!(
    /// How well a relationship is going.
    Health {
        Good => ("good", "Good"),
        SomeConcerns => ("some-concerns", "Some concerns"),
        AtRisk => ("at-risk", "At risk"),
    }
);

/// The pipeline's filters, each optional: a stage, an owner (account id),
/// a mission (slug), a kind of organisation (slug) and a ward.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PipelineFilter {
    pub stage: Option<RelationshipStage>,
    pub owner: Option<i64>,
    pub mission: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub ward: Option<String>,
}

impl PipelineFilter {
    /// Reads the filters as a query string sends them; a blank one is no
    /// filter, and each bad one is named.
    pub fn parse(
        stage: Option<&str>,
        owner: Option<&str>,
        mission: Option<&str>,
        kind: Option<&str>,
        ward: Option<&str>,
    ) -> Result<Self, DomainError> {
        fn given(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let mut errors = Vec::new();
        let mut filter = PipelineFilter::default();
        if let Some(raw) = given(stage) {
            filter.stage = RelationshipStage::parse(raw);
            if filter.stage.is_none() {
                errors.push(FieldError::new("stage", "Select a stage from the list"));
            }
        }
        if let Some(raw) = given(owner) {
            filter.owner = is_account_id(raw).then(|| raw.parse().ok()).flatten();
            if filter.owner.is_none() {
                errors.push(FieldError::new("owner", "Select an owner from the list"));
            }
        }
        if let Some(raw) = given(mission) {
            if is_slug(raw) {
                filter.mission = Some(raw.to_owned());
            } else {
                errors.push(FieldError::new("mission", "Select a mission from the list"));
            }
        }
        if let Some(raw) = given(kind) {
            filter.kind = OrganisationKind::parse(raw);
            if filter.kind.is_none() {
                errors.push(FieldError::new(
                    "kind",
                    "Select a kind of organisation from the list",
                ));
            }
        }
        if let Some(raw) = given(ward) {
            if raw.chars().count() <= 200 && !raw.chars().any(char::is_control) {
                filter.ward = Some(raw.to_owned());
            } else {
                errors.push(FieldError::new("ward", "Select a ward from the list"));
            }
        }
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(DomainError::Invalid(errors))
        }
    }

    /// How many filters are applied.
    pub fn applied(&self) -> usize {
        [
            self.stage.is_some(),
            self.owner.is_some(),
            self.mission.is_some(),
            self.kind.is_some(),
            self.ward.is_some(),
        ]
        .into_iter()
        .filter(|applied| *applied)
        .count()
    }
}

/// Applies an edit to a relationship. Owners are account ids, one a value.
pub fn apply_to_relationship(
    current: &Relationship,
    submitted: &Submitted,
    settable: &[&str],
    absent: Absent,
) -> Result<Relationship, DomainError> {
    let (mut edit, version) = Edit::start(submitted, settable, absent);
    edit.refusal_reason(
        "owners",
        "Only this relationship's owners and administrators can change its owners",
    );
    let mut next = current.clone();
    next.version = version;
    edit.organisation(&mut next.organisation, "Select the partner organisation");
    edit.term(
        "stage",
        &mut next.stage,
        RelationshipStage::parse,
        "Select the relationship's stage",
    );
    edit.term(
        "formality",
        &mut next.formality,
        Formality::parse,
        "Select how formal the relationship is",
    );
    if edit.touched("health") {
        let raw = edit.value("health");
        next.health = Health::parse(raw);
        if next.health.is_none() && !raw.is_empty() {
            edit.error("health", "Select the relationship's health from the list");
        }
    }
    edit.text("health_reason", MAX_TEXT, &mut next.health_reason);
    if next.health_reason.is_some() && next.health.is_none() {
        edit.error(
            "health",
            "Select the relationship's health, or leave the reason empty",
        );
    }
    edit.text("sensitivities", MAX_TEXT, &mut next.sensitivities);
    edit.references("missions", &mut next.missions);
    edit.accounts(
        "owners",
        &mut next.owners,
        "Select each owner from the list of staff",
    );
    edit.finish(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{AccountRole, Principal, Resource, settable_fields};

    fn relationship() -> Relationship {
        Relationship {
            sensitivities: Some("secret".into()),
            version: 3,
            ..Relationship::new(RecordRef {
                id: "ucl".into(),
                name: "UCL".into(),
            })
        }
    }

    fn account(role: AccountRole) -> Principal {
        Principal::Account {
            id: 1,
            role,
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

    #[test]
    fn staff_move_the_stage_and_set_owners() {
        let form = pairs(&[
            ("version", "3"),
            ("stage", "exploring"),
            ("owners", "7"),
            ("owners", "9"),
            ("owners", "7"),
            ("health", "good"),
            ("health_reason", "Met twice this month"),
        ]);
        let settable = settable_fields(&account(AccountRole::Staff), Resource::Relationship);
        let next = apply_to_relationship(
            &relationship(),
            &Submitted::new(&form),
            settable,
            Absent::MeansUnchanged,
        )
        .expect("valid");
        assert_eq!(next.stage, RelationshipStage::Exploring);
        assert_eq!(
            next.owners
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>(),
            ["7", "9"]
        );
        assert_eq!(next.health, Some(Health::Good));
        assert_eq!(next.sensitivities.as_deref(), Some("secret"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let form = pairs(&[
            ("version", "3"),
            ("stage", "friends"),
            ("formality", "handshake"),
            ("owners", "x1"),
            ("health_reason", "no rating"),
        ]);
        let settable = settable_fields(&account(AccountRole::Admin), Resource::Relationship);
        let Err(DomainError::Invalid(errors)) = apply_to_relationship(
            &relationship(),
            &Submitted::new(&form),
            settable,
            Absent::MeansUnchanged,
        ) else {
            panic!("expected errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in ["stage", "formality", "owners", "health"] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn staff_may_not_set_sensitivities_and_partners_nothing() {
        let form = pairs(&[("version", "3"), ("sensitivities", "gossip")]);
        let staff = settable_fields(&account(AccountRole::Staff), Resource::Relationship);
        let Err(DomainError::Invalid(errors)) = apply_to_relationship(
            &relationship(),
            &Submitted::new(&form),
            staff,
            Absent::MeansUnchanged,
        ) else {
            panic!("staff may not set sensitivities");
        };
        assert_eq!(errors[0].field, "sensitivities");
        let partner = Principal::Account {
            id: 2,
            role: AccountRole::Partner,
            place: Some(1),
            organisation: Some("ucl".into()),
        };
        assert!(settable_fields(&partner, Resource::Relationship).is_empty());
    }

    #[test]
    fn sensitivities_are_for_admins_and_health_for_staff() {
        let mut r = relationship();
        r.health = Some(Health::AtRisk);
        r.health_reason = Some("why".into());
        let staff = r.clone().redact_for(Viewer::Staff);
        assert_eq!(staff.sensitivities, None);
        assert_eq!(staff.health, Some(Health::AtRisk));
        let admin = r.clone().redact_for(Viewer::Admin);
        assert_eq!(admin.sensitivities.as_deref(), Some("secret"));
        let partner = r.redact_for(Viewer::Partner);
        assert_eq!((partner.health, partner.health_reason), (None, None));
    }

    #[test]
    fn the_stage_is_dated_by_its_latest_entry() {
        let mut r = relationship();
        r.stage = RelationshipStage::Exploring;
        r.history = vec![
            StageChange {
                stage: RelationshipStage::Exploring,
                date: "2025-01-01".into(),
            },
            StageChange {
                stage: RelationshipStage::Paused,
                date: "2025-02-01".into(),
            },
            StageChange {
                stage: RelationshipStage::Exploring,
                date: "2025-03-01".into(),
            },
        ];
        assert_eq!(r.stage_since(), Some("2025-03-01"));
    }

    #[test]
    fn pipeline_filters_name_each_bad_value_and_ignore_blanks() {
        let ok = PipelineFilter::parse(
            Some("exploring"),
            Some("12"),
            Some(""),
            Some("university"),
            None,
        )
        .expect("valid");
        assert_eq!(ok.stage, Some(RelationshipStage::Exploring));
        assert_eq!(ok.owner, Some(12));
        assert_eq!(ok.mission, None);
        assert_eq!(ok.applied(), 3);
        let Err(DomainError::Invalid(errors)) = PipelineFilter::parse(
            Some("nope"),
            Some("-1"),
            Some("Not A Slug"),
            Some("spaceship"),
            Some("a\u{7}b"),
        ) else {
            panic!("expected errors");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["stage", "owner", "mission", "kind", "ward"]);
    }

    #[test]
    fn only_staff_and_admins_see_or_change_relationships() {
        use crate::policy::{Action, Target, permits};
        let own = Target::new(Resource::Relationship, AUDIENCE, Some("ucl"));
        let partner = Principal::Account {
            id: 2,
            role: AccountRole::Partner,
            place: Some(1),
            organisation: Some("ucl".into()),
        };
        for action in [Action::Read, Action::Create, Action::Update] {
            assert!(!permits(&Principal::Public, action, &own), "{action:?}");
            assert!(!permits(&partner, action, &own), "{action:?}");
            assert!(permits(&account(AccountRole::Staff), action, &own));
            assert!(permits(&account(AccountRole::Admin), action, &own));
        }
        let public = Target::new(Resource::Relationship, Audience::Public, None);
        assert!(!permits(&Principal::Public, Action::Read, &public));
    }
}
