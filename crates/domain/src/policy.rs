//! The permission policy: who may do what to which record, and which fields
//! each kind of account may set. Every page, API route and export asks this
//! module; nothing checks roles anywhere else. Deny by default.

use serde::{Deserialize, Serialize};

use crate::visibility::{Audience, Viewer};

/// The kind of account someone signed in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AccountRole {
    /// Runs the service: accounts, the audit log, data-protection duties.
    Admin,
    /// Council staff: edits the place's records and sees contacts.
    Staff,
    /// Works for one partner organisation: edits its profile and commitments.
    Partner,
}

impl AccountRole {
    pub const ALL: [AccountRole; 3] =
        [AccountRole::Admin, AccountRole::Staff, AccountRole::Partner];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Admin => "admin",
            AccountRole::Staff => "staff",
            AccountRole::Partner => "partner",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountRole::Admin => "Administrator",
            AccountRole::Staff => "Staff",
            AccountRole::Partner => "Partner",
        }
    }
}

/// Who is making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Not signed in.
    Public,
    Account {
        id: i64,
        role: AccountRole,
        /// The place the account acts in: a partner's is its organisation's
        /// place. `None` for staff and admins of the whole deployment.
        place: Option<i64>,
        /// For partner accounts, the id (slug) of their organisation within `place`.
        organisation: Option<String>,
    },
}

impl Principal {
    /// The audience level this principal reads at.
    pub fn viewer(&self) -> Viewer {
        match self {
            Principal::Public => Viewer::Public,
            Principal::Account { role, .. } => match role {
                AccountRole::Admin => Viewer::Admin,
                AccountRole::Staff => Viewer::Staff,
                AccountRole::Partner => Viewer::Partner,
            },
        }
    }

    pub fn role(&self) -> Option<AccountRole> {
        match self {
            Principal::Public => None,
            Principal::Account { role, .. } => Some(*role),
        }
    }

    /// This principal as it acts in the place with database key `place`: an
    /// account that belongs to another place has no more rights there than
    /// the public. Every use case asks this before anything else, so a
    /// partner of `ucl` in one place is nobody in a place with its own `ucl`.
    pub fn in_place(&self, place: i64) -> Principal {
        match self {
            Principal::Account {
                place: Some(own), ..
            } if *own != place => Principal::Public,
            Principal::Account {
                role: AccountRole::Partner,
                place: None,
                ..
            } => Principal::Public,
            other => other.clone(),
        }
    }

    pub fn is_signed_in(&self) -> bool {
        !matches!(self, Principal::Public)
    }

    /// A partner's organisation (its id within the principal's place).
    pub fn organisation(&self) -> Option<&str> {
        match self {
            Principal::Account { organisation, .. } => organisation.as_deref(),
            Principal::Public => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Create,
    Update,
    Delete,
    /// Download in bulk, or a subject access export.
    Export,
    /// Erase a person completely.
    Erase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Place,
    Organisation,
    Mission,
    OutcomeTheme,
    Role,
    Commitment,
    Initiative,
    Contact,
    Account,
    AuditLog,
    /// Everything held about one person (subject access, erasure).
    Person,
    /// A place's required pages (accessibility statement, privacy notice,
    /// cookies, contact): everyone reads them, only admins change them.
    PlacePage,
    /// The convening organisation's relationship with a partner: staff
    /// and admins only (see `relationship`).
    Relationship,
    /// A meeting, call, email, roundtable or event with a partner, its
    /// private summary and follow-ups: staff and admins only.
    Interaction,
    /// An enquiry from the public ("Express interest"): personal data,
    /// read and triaged by staff and admins only.
    Enquiry,
    /// A mission-aligned experiment: read at its audience, changed by
    /// staff and admins.
    Experiment,
    /// A measured contribution: staff log any, a partner its own
    /// organisation's.
    Contribution,
    /// A signal of the outcomes framework (under a theme).
    OutcomeSignal,
    /// A measure of a signal and its values over time.
    Measure,
    /// A story crediting partners: read at its audience once published,
    /// a draft by staff only (see `story::readers`); written and published
    /// by staff and admins. Its consent record is for staff only.
    Story,
    /// An ask of partners and the record of whom it was put to: staff and
    /// admins only (see `ask`).
    Ask,
}

/// The record an action is aimed at.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub resource: Resource,
    pub audience: Audience,
    /// The organisation that owns the record (an organisation owns itself
    /// and its commitments and contacts).
    pub owner: Option<&'a str>,
    /// A partner's proposal the partnership team has not accepted: held at
    /// the staff audience, yet its owner reads and revises it.
    pub proposal: bool,
}

impl<'a> Target<'a> {
    pub fn new(resource: Resource, audience: Audience, owner: Option<&'a str>) -> Self {
        Target {
            resource,
            audience,
            owner,
            proposal: false,
        }
    }

    /// The same target, marked as a proposal under review (or not).
    pub fn proposal(mut self, proposal: bool) -> Self {
        self.proposal = proposal;
        self
    }

    /// A kind of record in general, for "may they create one at all".
    pub fn kind(resource: Resource) -> Self {
        Target::new(resource, Audience::Public, None)
    }

    /// A kind of record whose records are never wider than `audience`.
    pub fn kind_at(resource: Resource, audience: Audience) -> Self {
        Target::new(resource, audience, None)
    }
}

/// Whether `principal` may do `action` to `target`.
pub fn permits(principal: &Principal, action: Action, target: &Target) -> bool {
    use Resource as R;
    let Principal::Account { role, .. } = principal else {
        // The public may read public records of the published kinds, nothing else.
        return action == Action::Read
            && target.audience == Audience::Public
            && !matches!(
                target.resource,
                R::Contact
                    | R::Account
                    | R::AuditLog
                    | R::Person
                    | R::Relationship
                    | R::Interaction
                    | R::Enquiry
                    | R::Ask
            );
    };
    let readable = principal.viewer().can_read(target.audience);
    let own = target.owner.is_some() && target.owner == principal.organisation();
    match (role, target.resource) {
        (AccountRole::Admin, _) => true,
        // Personal data and the service's own records are admins' alone.
        (_, R::Account | R::AuditLog | R::Person) => false,
        (_, R::PlacePage) => action == Action::Read,
        (AccountRole::Staff, R::Place) => action == Action::Read && readable,
        (AccountRole::Staff, _) => readable && action != Action::Erase,
        (
            AccountRole::Partner,
            R::Contact | R::Relationship | R::Interaction | R::Enquiry | R::Ask,
        ) => false,
        (AccountRole::Partner, R::Organisation) => match action {
            Action::Read => readable,
            Action::Update => own && readable,
            _ => false,
        },
        // A partner's own proposal is theirs to read and revise while the
        // partnership team holds it back from everyone else.
        (AccountRole::Partner, R::Commitment) => match action {
            Action::Read => readable || (own && target.proposal),
            Action::Create | Action::Update => own && (readable || target.proposal),
            _ => false,
        },
        (AccountRole::Partner, R::Contribution) => match action {
            Action::Read => readable,
            Action::Create | Action::Update => own && readable,
            _ => false,
        },
        (AccountRole::Partner, _) => action == Action::Read && readable,
    }
}

/// Whether `principal` reads and sets a relationship's restricted fields
/// (its sensitivities): administrators, and the staff among its `owners`
/// (DESIGN.md: restricted is owners and admins).
pub fn owns_restricted(principal: &Principal, owners: &[crate::place::RecordRef]) -> bool {
    match principal {
        Principal::Account {
            role: AccountRole::Admin,
            ..
        } => true,
        Principal::Account {
            id,
            role: AccountRole::Staff,
            ..
        } => owners.iter().any(|o| o.id == id.to_string()),
        _ => false,
    }
}

/// The fields of one relationship that `principal` may set: a staff
/// member who owns it sets its sensitivities and its owners too. Other
/// staff may not change its owners (they would make themselves one and
/// read what is restricted), except on a new relationship, which has none.
pub fn relationship_fields(
    principal: &Principal,
    relationship: &crate::relationship::Relationship,
) -> &'static [&'static str] {
    if owns_restricted(principal, &relationship.owners) {
        RELATIONSHIP_FIELDS
    } else if relationship.id == 0 {
        settable_fields(principal, Resource::Relationship)
    } else {
        match principal.role() {
            Some(AccountRole::Staff) => &RELATIONSHIP_FIELDS[2..],
            _ => &[],
        }
    }
}

/// A relationship's fields: the restricted one first, then its owners
/// (set by its owners and administrators once it exists).
const RELATIONSHIP_FIELDS: &[&str] = &[
    "sensitivities",
    "owners",
    "organisation",
    "stage",
    "formality",
    "missions",
    "health",
    "health_reason",
];

/// The fields of `resource` that `principal` may set when creating or
/// updating it. A request that sets any other field is refused, naming it.
pub fn settable_fields(principal: &Principal, resource: Resource) -> &'static [&'static str] {
    match (principal.role(), resource) {
        (None, _) => &[],
        (Some(AccountRole::Partner), Resource::Organisation) => &[
            "name",
            "description",
            "website",
            "size_band",
            "scope",
            "wards",
            "levers",
        ],
        (Some(AccountRole::Partner), Resource::Commitment) => {
            &["role", "mission", "status", "start_date", "end_date"]
        }
        (Some(AccountRole::Partner), Resource::Contribution) => CONTRIBUTION_FIELDS,
        (Some(AccountRole::Partner), _) => &[],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Organisation) => &[
            "name",
            "kind",
            "description",
            "website",
            "size_band",
            "scope",
            "wards",
            "levers",
            "identifiers",
            "is_anchor",
            "internal_notes",
            "audience",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Commitment) => &[
            "organisation",
            "role",
            "mission",
            "status",
            "start_date",
            "end_date",
            "note",
            "audience",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Mission) => &[
            "short_name",
            "statement",
            "target_year",
            "outcome_themes",
            "audience",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::OutcomeTheme) => {
            &["name", "description", "is_core", "audience"]
        }
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::OutcomeSignal) => {
            &["theme", "name", "description", "audience"]
        }
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Measure) => &[
            "signal",
            "name",
            "unit",
            "direction",
            "source",
            "source_url",
            "licence",
            "audience",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Role) => &[
            "name",
            "description",
            "ask_of_partner",
            "value_for_place",
            "value_for_partner",
            "contact",
            "audience",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Initiative) => &[
            "name",
            "description",
            "website",
            "missions",
            "participants",
            "audience",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Contact) => &[
            "organisation",
            "name",
            "job_title",
            "email",
            "phone",
            "lawful_basis",
            "retention",
        ],
        // Sensitivities are restricted: administrators set them, and the
        // owners of one relationship (`relationship_fields`).
        (Some(AccountRole::Staff), Resource::Relationship) => &RELATIONSHIP_FIELDS[1..],
        (Some(AccountRole::Admin), Resource::Relationship) => RELATIONSHIP_FIELDS,
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Interaction) => &[
            "organisation",
            "other_organisations",
            "kind",
            "date",
            "staff",
            "contacts",
            "summary",
            "outcomes",
            "follow_up",
            "follow_up_owner",
            "follow_up_due",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Experiment) => &[
            "name",
            "hypothesis",
            "mechanism",
            "missions",
            "levers",
            "participants",
            "scale",
            "budget",
            "start_date",
            "end_date",
            "status",
            "decision",
            "decision_reason",
            "decision_date",
            "audience",
        ],
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Contribution) => {
            CONTRIBUTION_FIELDS
        }
        (Some(AccountRole::Staff | AccountRole::Admin), Resource::Story) => &[
            "title",
            "summary",
            "body",
            "missions",
            "themes",
            "participants",
            "status",
            "consent_given_by",
            "consent_given_on",
            "consent_uses",
            "audience",
        ],
        (Some(_), _) => &[],
    }
}

/// A contribution's fields. A partner may name only their own organisation:
/// any other is answered as missing (`app::contribution`).
const CONTRIBUTION_FIELDS: &[&str] = &[
    "organisation",
    "mission",
    "theme",
    "measure",
    "unit",
    "quantity",
    "description",
    "start_date",
    "end_date",
    "ward",
    "evidence_url",
    "audience",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: AccountRole, organisation: Option<&str>) -> Principal {
        Principal::Account {
            id: 1,
            role,
            place: Some(1),
            organisation: organisation.map(str::to_owned),
        }
    }

    #[test]
    fn restricted_fields_are_for_owners_and_administrators() {
        let owners = [crate::place::RecordRef {
            id: "1".into(),
            name: String::new(),
        }];
        let others = [crate::place::RecordRef {
            id: "2".into(),
            name: String::new(),
        }];
        let staff = account(AccountRole::Staff, None);
        assert!(owns_restricted(&staff, &owners));
        assert!(!owns_restricted(&staff, &others));
        assert!(owns_restricted(&account(AccountRole::Admin, None), &others));
        // A partner is never an owner, even with a matching id.
        assert!(!owns_restricted(
            &account(AccountRole::Partner, Some("ucl")),
            &owners
        ));
        assert!(!owns_restricted(&Principal::Public, &owners));
        let relationship = |owners: &[crate::place::RecordRef], id: i64| {
            let mut r = crate::relationship::Relationship::new(crate::place::RecordRef {
                id: "ucl".into(),
                name: String::new(),
            });
            r.owners = owners.to_vec();
            r.id = id;
            r
        };
        let owned = relationship(&owners, 7);
        let not_owned = relationship(&others, 7);
        assert!(relationship_fields(&staff, &owned).contains(&"sensitivities"));
        assert!(relationship_fields(&staff, &owned).contains(&"owners"));
        assert!(!relationship_fields(&staff, &not_owned).contains(&"sensitivities"));
        // Other staff keep its owners as they are, but name a new one's.
        assert!(!relationship_fields(&staff, &not_owned).contains(&"owners"));
        assert!(relationship_fields(&staff, &not_owned).contains(&"stage"));
        assert!(relationship_fields(&staff, &relationship(&[], 0)).contains(&"owners"));
        let admin = account(AccountRole::Admin, None);
        assert!(relationship_fields(&admin, &not_owned).contains(&"owners"));
    }

    #[test]
    fn an_account_of_another_place_is_the_public_there() {
        let partner = account(AccountRole::Partner, Some("ucl"));
        assert_eq!(partner.in_place(1), partner);
        assert_eq!(partner.in_place(2), Principal::Public);
        let homeless = Principal::Account {
            id: 2,
            role: AccountRole::Partner,
            place: None,
            organisation: Some("ucl".into()),
        };
        assert_eq!(homeless.in_place(1), Principal::Public);
        let deployment_staff = Principal::Account {
            id: 3,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        };
        assert_eq!(deployment_staff.in_place(7), deployment_staff);
    }

    #[test]
    fn the_public_only_reads_public_records() {
        let public = Principal::Public;
        let open = Target::new(Resource::Organisation, Audience::Public, None);
        assert!(permits(&public, Action::Read, &open));
        for action in [
            Action::Create,
            Action::Update,
            Action::Delete,
            Action::Export,
        ] {
            assert!(!permits(&public, action, &open), "{action:?}");
        }
        let staff_only = Target::new(Resource::Organisation, Audience::Staff, None);
        assert!(!permits(&public, Action::Read, &staff_only));
        let contact = Target::new(Resource::Contact, Audience::Public, Some("ucl"));
        assert!(
            !permits(&public, Action::Read, &contact),
            "contacts are never public"
        );
    }

    #[test]
    fn partners_change_only_their_own_organisation() {
        let partner = account(AccountRole::Partner, Some("ucl"));
        let own = Target::new(Resource::Organisation, Audience::Public, Some("ucl"));
        let other = Target::new(Resource::Organisation, Audience::Public, Some("roundhouse"));
        assert!(permits(&partner, Action::Update, &own));
        assert!(!permits(&partner, Action::Update, &other));
        assert!(!permits(&partner, Action::Delete, &own));
        let own_commitment = Target::new(Resource::Commitment, Audience::Public, Some("ucl"));
        assert!(permits(&partner, Action::Create, &own_commitment));
        let other_commitment =
            Target::new(Resource::Commitment, Audience::Public, Some("roundhouse"));
        assert!(!permits(&partner, Action::Update, &other_commitment));
        let contact = Target::new(Resource::Contact, Audience::Staff, Some("ucl"));
        assert!(
            !permits(&partner, Action::Read, &contact),
            "partners never see contacts, even their own"
        );
        assert!(!permits(
            &partner,
            Action::Update,
            &Target::kind(Resource::Mission)
        ));
    }

    #[test]
    fn a_partner_without_organisation_owns_nothing() {
        let partner = account(AccountRole::Partner, None);
        let unowned = Target::new(Resource::Organisation, Audience::Public, None);
        assert!(!permits(&partner, Action::Update, &unowned));
    }

    #[test]
    fn staff_edit_records_but_not_accounts_or_people() {
        let staff = account(AccountRole::Staff, None);
        assert!(permits(
            &staff,
            Action::Update,
            &Target::kind(Resource::Mission)
        ));
        assert!(permits(
            &staff,
            Action::Read,
            &Target::new(Resource::Contact, Audience::Staff, Some("ucl"))
        ));
        assert!(!permits(
            &staff,
            Action::Read,
            &Target::new(Resource::Organisation, Audience::Restricted, None)
        ));
        for resource in [Resource::Account, Resource::AuditLog, Resource::Person] {
            assert!(
                !permits(&staff, Action::Read, &Target::kind(resource)),
                "{resource:?}"
            );
        }
        assert!(!permits(
            &staff,
            Action::Erase,
            &Target::kind(Resource::Contact)
        ));
    }

    #[test]
    fn admins_may_do_anything() {
        let admin = account(AccountRole::Admin, None);
        assert!(permits(
            &admin,
            Action::Erase,
            &Target::kind(Resource::Person)
        ));
        assert!(permits(
            &admin,
            Action::Read,
            &Target::kind(Resource::AuditLog)
        ));
    }

    #[test]
    fn a_proposal_is_its_owners_and_staffs_alone() {
        let held = Target::new(Resource::Commitment, Audience::Staff, Some("ucl")).proposal(true);
        let own = account(AccountRole::Partner, Some("ucl"));
        let other = account(AccountRole::Partner, Some("roundhouse"));
        let staff = account(AccountRole::Staff, None);
        for action in [Action::Read, Action::Update] {
            assert!(permits(&own, action, &held), "{action:?}");
            assert!(!permits(&other, action, &held), "{action:?}");
            assert!(permits(&staff, action, &held), "{action:?}");
        }
        assert!(!permits(&Principal::Public, Action::Read, &held));
        assert!(!permits(&own, Action::Delete, &held));
        // A staff-only commitment that is no proposal stays hidden from
        // the partner it names.
        let staff_only = Target::new(Resource::Commitment, Audience::Staff, Some("ucl"));
        assert!(!permits(&own, Action::Read, &staff_only));
        assert!(!permits(&own, Action::Update, &staff_only));
    }

    #[test]
    fn partners_may_not_set_ownership_audience_or_standing() {
        let partner = account(AccountRole::Partner, Some("ucl"));
        for field in [
            "audience",
            "is_anchor",
            "internal_notes",
            "kind",
            "organisation",
            "note",
        ] {
            assert!(
                !settable_fields(&partner, Resource::Organisation).contains(&field),
                "{field}"
            );
            assert!(
                !settable_fields(&partner, Resource::Commitment).contains(&field),
                "{field}"
            );
        }
        assert!(settable_fields(&Principal::Public, Resource::Organisation).is_empty());
    }

    #[test]
    fn everyone_reads_the_place_pages_and_only_admins_change_them() {
        let page = Target::kind(Resource::PlacePage);
        let callers = [
            Principal::Public,
            account(AccountRole::Partner, Some("ucl")),
            account(AccountRole::Staff, None),
            account(AccountRole::Admin, None),
        ];
        for caller in &callers {
            assert!(permits(caller, Action::Read, &page), "{caller:?}");
            let admin = caller.role() == Some(AccountRole::Admin);
            for action in [
                Action::Create,
                Action::Update,
                Action::Delete,
                Action::Erase,
            ] {
                assert_eq!(
                    permits(caller, action, &page),
                    admin,
                    "{caller:?} {action:?}"
                );
            }
        }
    }
}
