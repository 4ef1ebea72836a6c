//! The access matrix: every registered route (pages and API), for every kind
//! of caller, on four kinds of object: their own organisation's published
//! records, an unpublished (staff-only) organisation and commitment, a hidden
//! (restricted) record of every type, and records with the same slugs in a
//! second place of the same database. Each cell states what it expects:
//! allowed, denied, or refused as invalid (400, which is neither). A route
//! with no row here fails the test, so none can be added unchecked.

mod common;

use common::{Body, PASSWORD, camden_with_accounts};
use placeweave_domain::contribution::{Measure, Unit};
use placeweave_domain::interaction::InteractionKind;
use placeweave_domain::relationship::{Formality, RelationshipStage};
use placeweave_domain::{AccountRole, Audience, CommitmentStatus, Viewer};
use placeweave_store::{
    CommitmentFilter, NewCommitment, NewContribution, NewInteraction, NewRelationship,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    /// A partner acting on their own organisation (UCL).
    PartnerOwn,
    /// A partner of another organisation (the Roundhouse) acting on UCL.
    PartnerOther,
    Staff,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    /// Camden's published records: UCL (owned by the UCL partner) and its
    /// public commitment, and public records of the other types.
    Own,
    /// An organisation only staff may see, and UCL's proposed commitment
    /// awaiting review (held at the staff audience; its partner reads and
    /// revises it); records of the other types are the public ones.
    Unpublished,
    /// A restricted record of every type (only admins may see them); the
    /// commitment is UCL's.
    Hidden,
    /// Public records with the same slugs as `Own` (`ucl`, …) in a second
    /// place, `elsewhere`, whose pages a second server shows. The UCL
    /// partner is nobody there.
    OtherPlace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Organisation,
    Mission,
    Theme,
    Role,
    Initiative,
    Commitment,
    /// Staff-facing: UCL's relationship (staff) for `Own` and
    /// `Unpublished`, a restricted one for `Hidden`, and for `OtherPlace`
    /// Camden's id asked of the other place, where it does not exist.
    Relationship,
    /// Staff-facing like relationships, with one follow-up.
    Interaction,
    Experiment,
    /// UCL's contribution: public for `Own`, staff-only for `Unpublished`,
    /// restricted for `Hidden`; Camden's id asked of the other place.
    Contribution,
    /// A signal and a measure of the outcomes framework, with its values.
    Measure,
    /// A published story (its drafts are tested in `stories.rs`).
    Story,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Served: a 2xx or 3xx that is not a redirect to sign in.
    Allow,
    /// Refused: 401, 403, 404 or a redirect to sign in.
    Deny,
    /// Let through, then refused for what was sent (the matrix sends empty
    /// forms and bodies): exactly 400, counted as neither of the others.
    Invalid,
}

use Expect::{Allow, Deny, Invalid};
use Who::{Admin, PartnerOther, PartnerOwn, Public, Staff};

/// The audience of the object's record of this kind.
fn audience(object: Object, kind: Kind) -> Audience {
    match (object, kind) {
        (Object::Own | Object::Unpublished, Kind::Relationship | Kind::Interaction) => {
            Audience::Staff
        }
        (Object::Own | Object::OtherPlace, _) => Audience::Public,
        (Object::Unpublished, Kind::Organisation | Kind::Commitment | Kind::Contribution) => {
            Audience::Staff
        }
        (Object::Unpublished, _) => Audience::Public,
        (Object::Hidden, _) => Audience::Restricted,
    }
}

/// Whether the object's record of this kind belongs to UCL in Camden.
fn owned_by_ucl(object: Object, kind: Kind) -> bool {
    match kind {
        Kind::Organisation => object == Object::Own,
        Kind::Commitment | Kind::Contribution => object != Object::OtherPlace,
        _ => false,
    }
}

/// The level the caller reads at in the object's place: an account of a
/// partner in Camden is the public anywhere else.
fn viewer(who: Who, object: Object) -> Viewer {
    match who {
        Public => Viewer::Public,
        PartnerOwn | PartnerOther if object == Object::OtherPlace => Viewer::Public,
        PartnerOwn | PartnerOther => Viewer::Partner,
        Staff => Viewer::Staff,
        Admin => Viewer::Admin,
    }
}

/// The expected outcome for every route. Missing routes panic.
fn expected(method: &str, path: &str, who: Who, object: Object) -> Expect {
    let allow = |yes: bool| if yes { Allow } else { Deny };
    // A write the caller may make, sent empty: refused as invalid.
    let invalid = |yes: bool| if yes { Invalid } else { Deny };
    let get_or_post = |yes: bool| {
        if method == "GET" {
            allow(yes)
        } else {
            invalid(yes)
        }
    };
    let level = viewer(who, object);
    let staff_or_admin = matches!(who, Staff | Admin);
    let signed_in = who != Public;
    // UCL's proposal under review is its own partner's to read and revise.
    let proposal = object == Object::Unpublished;
    let reads = |kind: Kind| {
        level.can_read(audience(object, kind))
            || (kind == Kind::Commitment && proposal && who == PartnerOwn)
    };
    // Staff and admins edit what they can read; a partner edits its own
    // organisation and its commitments, in its own place.
    let edits = |kind: Kind| {
        reads(kind)
            && (staff_or_admin
                || (who == PartnerOwn && level == Viewer::Partner && owned_by_ucl(object, kind)))
    };
    let relationship = reads(Kind::Relationship) && object != Object::OtherPlace;
    // Enquiries are personal data: staff and admins only, in their place.
    let enquiry = staff_or_admin && object != Object::OtherPlace;
    let interaction = reads(Kind::Interaction) && object != Object::OtherPlace;
    let contribution = reads(Kind::Contribution) && object != Object::OtherPlace;
    // A staff ask (restricted for `Hidden`), in Camden only.
    let ask = staff_or_admin
        && object != Object::OtherPlace
        && (object != Object::Hidden || who == Admin);
    let edits_contribution = edits(Kind::Contribution) && object != Object::OtherPlace;
    match (method, path) {
        (
            "GET",
            "/contributions"
            | "/api/v1/places/{place}/contributions"
            | "/api/v1/places/{place}/contribution-totals",
        ) => Allow,
        // A partner logs for their own organisation, in its own place only.
        ("GET" | "POST", "/contributions/new") => get_or_post(level != Viewer::Public),
        ("POST", "/api/v1/places/{place}/contributions") => invalid(level != Viewer::Public),
        (
            "GET",
            "/contributions/{contribution}" | "/api/v1/places/{place}/contributions/{contribution}",
        ) => allow(contribution),
        // Another organisation's contribution is missing to a partner.
        ("GET" | "POST", "/contributions/{contribution}/edit") => get_or_post(edits_contribution),
        ("PUT", "/api/v1/places/{place}/contributions/{contribution}") => {
            invalid(edits_contribution)
        }
        ("GET", "/organisations/{organisation}/impact") => allow(reads(Kind::Organisation)),
        // The brokerage briefing: staff and admins, on a partner they may see.
        (
            "GET",
            "/organisations/{organisation}/briefing"
            | "/api/v1/places/{place}/organisations/{organisation}/briefing",
        ) => allow(staff_or_admin && reads(Kind::Organisation)),
        // Anyone may express interest; an empty form names the fields.
        ("GET", "/express-interest") => Allow,
        ("POST", "/express-interest") => Invalid,
        ("GET", "/enquiries" | "/api/v1/places/{place}/enquiries") => allow(staff_or_admin),
        ("GET", "/enquiries/{enquiry}" | "/api/v1/places/{place}/enquiries/{enquiry}") => {
            allow(enquiry)
        }
        ("POST", "/enquiries/{enquiry}/triage") => invalid(enquiry),
        ("GET", "/interactions" | "/api/v1/places/{place}/interactions") => allow(staff_or_admin),
        ("GET" | "POST", "/interactions/new") => get_or_post(staff_or_admin),
        ("POST", "/api/v1/places/{place}/interactions") => invalid(staff_or_admin),
        (
            "GET",
            "/interactions/{interaction}" | "/api/v1/places/{place}/interactions/{interaction}",
        ) => allow(interaction),
        ("GET" | "POST", "/interactions/{interaction}/edit") => get_or_post(interaction),
        ("PUT", "/api/v1/places/{place}/interactions/{interaction}") => invalid(interaction),
        // Marking a follow-up done needs no form; a second time writes nothing.
        ("POST", "/interactions/{interaction}/follow-ups/{follow_up}/done") => allow(interaction),
        ("PUT", "/api/v1/places/{place}/interactions/{interaction}/follow-ups/{follow_up}") => {
            invalid(interaction)
        }
        ("GET", "/relationships" | "/api/v1/places/{place}/relationships") => allow(staff_or_admin),
        ("GET", "/relationships/report" | "/api/v1/places/{place}/relationships/report") => {
            allow(staff_or_admin)
        }
        (
            "GET",
            "/organisations/{organisation}/contacts-log"
            | "/api/v1/places/{place}/organisations/{organisation}/contacts-log",
        ) => {
            // The slug names the place's own partner, as on its page.
            allow(staff_or_admin && reads(Kind::Organisation))
        }
        ("GET" | "POST", "/relationships/new") => get_or_post(staff_or_admin),
        ("POST", "/api/v1/places/{place}/relationships") => invalid(staff_or_admin),
        (
            "GET",
            "/relationships/{relationship}" | "/api/v1/places/{place}/relationships/{relationship}",
        ) => allow(relationship),
        (
            "GET" | "POST",
            "/relationships/{relationship}/edit" | "/relationships/{relationship}/stage",
        ) => get_or_post(relationship),
        ("PUT", "/api/v1/places/{place}/relationships/{relationship}") => invalid(relationship),
        (
            "GET",
            "/" | "/organisations" | "/missions" | "/offer" | "/initiatives" | "/search"
            | "/sign-in",
        ) => Allow,
        // The network and its downloads: everyone, each at their own level.
        (
            "GET",
            "/network"
            | "/network/network.graphml"
            | "/network/network.gexf"
            | "/network/nodes.csv"
            | "/network/edges.csv"
            | "/network/kumu.json",
        ) => Allow,
        // Open data: everyone downloads, each at their own level; only
        // admins choose the licence (an empty choice names the field).
        (
            "GET",
            "/open-data"
            | "/organisations.csv"
            | "/organisations.json"
            | "/commitments.csv"
            | "/commitments.json"
            | "/initiatives.csv"
            | "/initiatives.json"
            | "/experiments.csv"
            | "/experiments.json"
            | "/contributions.csv"
            | "/contributions.json"
            | "/measures.csv"
            | "/measures.json",
        ) => Allow,
        ("GET", "/admin/licence") => allow(who == Admin),
        ("POST", "/admin/licence") => invalid(who == Admin),
        // The network map: everyone at their own level; the embed and its
        // data are the public's map whoever asks.
        ("GET", "/network/map" | "/embed/map" | "/embed/map/data.json") => Allow,
        ("GET", "/api/v1/places/{place}/network/map") => Allow,
        // The place's required pages: everyone reads them, only admins change them.
        ("GET", "/accessibility" | "/privacy" | "/cookies" | "/contact") => Allow,
        ("GET" | "POST", "/admin/pages/{page}") => get_or_post(who == Admin),
        ("GET", "/missions/{mission}") => allow(reads(Kind::Mission)),
        ("GET", "/initiatives/{initiative}") => allow(reads(Kind::Initiative)),
        ("GET", "/organisations/{organisation}") => allow(reads(Kind::Organisation)),
        // An empty sign-in form names the missing fields.
        ("POST", "/sign-in") => Invalid,
        ("POST", "/sign-out") => Allow,
        // For operators and their monitors: no personal data, no session needed.
        ("GET", "/healthz") => Allow,
        // Counts derived from staff-only writes: only with the operator's
        // token, whoever is signed in (off in this matrix: no token).
        ("GET", "/metrics") => Deny,
        // For search engines: only what the public may see.
        ("GET", "/robots.txt" | "/sitemap.xml") => Allow,
        ("GET" | "POST", "/organisations/{organisation}/edit") => {
            get_or_post(edits(Kind::Organisation))
        }
        ("GET" | "POST", "/organisations/{organisation}/contacts") => {
            get_or_post(staff_or_admin && reads(Kind::Organisation))
        }
        ("GET" | "POST", "/missions/{mission}/edit") => get_or_post(edits(Kind::Mission)),
        ("GET" | "POST", "/themes/{theme}/edit") => get_or_post(edits(Kind::Theme)),
        ("GET", "/themes/{theme}") => allow(reads(Kind::Theme)),
        ("GET" | "POST", "/signals/new" | "/measures/new") => get_or_post(staff_or_admin),
        // Without a file there is nothing to import: the field is named.
        ("GET" | "POST", "/import/measure-values") => get_or_post(staff_or_admin),
        (
            "GET" | "POST",
            "/signals/{signal}/edit"
            | "/measures/{measure}/edit"
            | "/measures/{measure}/values/new",
        ) => get_or_post(edits(Kind::Measure)),
        ("GET", "/measures/{measure}" | "/measures/{measure}/{file}") => {
            allow(reads(Kind::Measure))
        }
        (
            "GET",
            "/api/v1/places/{place}/signals/{signal}"
            | "/api/v1/places/{place}/measures/{measure}"
            | "/api/v1/places/{place}/measures/{measure}/values",
        ) => allow(reads(Kind::Measure)),
        ("GET", "/api/v1/places/{place}/signals" | "/api/v1/places/{place}/measures") => Allow,
        ("POST", "/api/v1/places/{place}/signals" | "/api/v1/places/{place}/measures") => {
            invalid(staff_or_admin)
        }
        (
            "PUT",
            "/api/v1/places/{place}/signals/{signal}" | "/api/v1/places/{place}/measures/{measure}",
        ) => invalid(edits(Kind::Measure)),
        ("POST", "/api/v1/places/{place}/measures/{measure}/values") => {
            invalid(edits(Kind::Measure))
        }
        ("GET" | "POST", "/offer/{role}/edit") => get_or_post(edits(Kind::Role)),
        ("GET" | "POST", "/initiatives/{initiative}/edit") => get_or_post(edits(Kind::Initiative)),
        ("GET" | "POST", "/commitments/{id}/edit") => get_or_post(edits(Kind::Commitment)),
        // Review before publishing: staff and admins decide on proposals.
        ("GET", "/commitments/proposals") => allow(staff_or_admin),
        ("GET" | "POST", "/commitments/{id}/review") => get_or_post(staff_or_admin && proposal),
        ("PUT", "/api/v1/places/{place}/commitments/{commitment}/review") => {
            invalid(staff_or_admin && proposal)
        }
        (
            "GET" | "POST",
            "/organisations/new" | "/missions/new" | "/themes/new" | "/offer/new"
            | "/initiatives/new",
        ) => get_or_post(staff_or_admin),
        // A partner records commitments for their own organisation, in its
        // own place only.
        ("GET" | "POST", "/commitments/new") => get_or_post(level != Viewer::Public),
        ("GET", "/account") => allow(signed_in),
        ("GET" | "POST", "/invite/{token}") => Deny,
        ("GET", "/admin" | "/admin/users" | "/admin/audit" | "/admin/people") => {
            allow(who == Admin)
        }
        // Without an email address there is no one to export.
        ("GET", "/admin/people/export") => invalid(who == Admin),
        ("POST", "/admin/users/{id}/disable") => allow(who == Admin),
        // An empty team is no team: saved, not refused.
        ("GET" | "POST", "/admin/users/{id}/team") => allow(who == Admin),
        // The row above has disabled the account by then, and a disabled
        // account is not given a new password: refused as invalid.
        ("POST", "/admin/users/{id}/reset") => invalid(who == Admin),
        // Anyone may ask for a new password; an empty form names the field.
        ("GET", "/password-reset") => Allow,
        ("POST", "/password-reset") => Invalid,
        ("POST", "/admin/users" | "/admin/people/erase") => invalid(who == Admin),
        (
            "GET",
            "/api/v1/places"
            | "/api/v1/places/{place}"
            | "/api/v1/places/{place}/organisations"
            | "/api/v1/places/{place}/missions"
            | "/api/v1/places/{place}/outcome-themes"
            | "/api/v1/places/{place}/roles"
            | "/api/v1/places/{place}/commitments"
            | "/api/v1/places/{place}/initiatives"
            | "/api/v1/places/{place}/search"
            | "/api/v1/places/{place}/network",
        ) => Allow,
        ("GET", "/api/v1/places/{place}/organisations/{organisation}") => {
            allow(reads(Kind::Organisation))
        }
        ("GET", "/api/v1/places/{place}/missions/{mission}") => allow(reads(Kind::Mission)),
        ("GET", "/api/v1/places/{place}/roles/{role}") => allow(reads(Kind::Role)),
        ("GET", "/api/v1/places/{place}/initiatives/{initiative}") => {
            allow(reads(Kind::Initiative))
        }
        (
            "POST",
            "/api/v1/places/{place}/organisations"
            | "/api/v1/places/{place}/missions"
            | "/api/v1/places/{place}/outcome-themes"
            | "/api/v1/places/{place}/roles"
            | "/api/v1/places/{place}/initiatives",
        ) => invalid(staff_or_admin),
        ("POST", "/api/v1/places/{place}/commitments") => invalid(level != Viewer::Public),
        ("PUT", "/api/v1/places/{place}/organisations/{organisation}") => {
            invalid(edits(Kind::Organisation))
        }
        ("PUT", "/api/v1/places/{place}/missions/{mission}") => invalid(edits(Kind::Mission)),
        ("PUT", "/api/v1/places/{place}/outcome-themes/{theme}") => invalid(edits(Kind::Theme)),
        ("PUT", "/api/v1/places/{place}/roles/{role}") => invalid(edits(Kind::Role)),
        ("PUT", "/api/v1/places/{place}/initiatives/{initiative}") => {
            invalid(edits(Kind::Initiative))
        }
        ("PUT", "/api/v1/places/{place}/commitments/{commitment}") => {
            invalid(edits(Kind::Commitment))
        }
        // Experiments: read at their audience, changed by staff and admins;
        // a mission's progress by those who may edit the mission.
        (
            "GET",
            "/experiments"
            | "/experiments/grid"
            | "/api/v1/places/{place}/experiments"
            | "/api/v1/places/{place}/experiments/grid",
        ) => Allow,
        (
            "GET",
            "/experiments/{experiment}" | "/api/v1/places/{place}/experiments/{experiment}",
        ) => allow(reads(Kind::Experiment)),
        ("GET" | "POST", "/experiments/new") => get_or_post(staff_or_admin),
        ("POST", "/api/v1/places/{place}/experiments") => invalid(staff_or_admin),
        (
            "GET" | "POST",
            "/experiments/{experiment}/edit"
            | "/experiments/{experiment}/learning"
            | "/experiments/{experiment}/decision",
        ) => get_or_post(edits(Kind::Experiment)),
        ("PATCH", "/api/v1/places/{place}/experiments/{experiment}") => {
            invalid(edits(Kind::Experiment))
        }
        ("GET" | "POST", "/missions/{mission}/progress") => get_or_post(edits(Kind::Mission)),
        // Stories: published ones read at their audience, the feed is the
        // public's whoever asks, and staff and admins write and publish.
        (
            "GET",
            "/stories"
            | "/stories.atom"
            | "/stories.csv"
            | "/stories.json"
            | "/api/v1/places/{place}/stories",
        ) => Allow,
        ("GET", "/stories/{story}" | "/api/v1/places/{place}/stories/{story}") => {
            allow(reads(Kind::Story))
        }
        ("GET" | "POST", "/stories/new") => get_or_post(staff_or_admin),
        ("POST", "/api/v1/places/{place}/stories") => invalid(staff_or_admin),
        ("GET" | "POST", "/stories/{story}/edit" | "/stories/{story}/publish") => {
            get_or_post(edits(Kind::Story))
        }
        ("PATCH", "/api/v1/places/{place}/stories/{story}") => invalid(edits(Kind::Story)),
        // Asks: staff and admins, each at their level, in their place.
        ("GET", "/asks" | "/api/v1/places/{place}/asks") => allow(staff_or_admin),
        ("GET" | "POST", "/asks/new") => get_or_post(staff_or_admin),
        ("POST", "/api/v1/places/{place}/asks") => invalid(staff_or_admin),
        (
            "GET",
            "/asks/{ask}"
            | "/api/v1/places/{place}/asks/{ask}"
            | "/api/v1/places/{place}/asks/{ask}/matches"
            | "/api/v1/places/{place}/asks/{ask}/asked",
        ) => allow(ask),
        ("GET" | "POST", "/asks/{ask}/edit" | "/asks/{ask}/asked/{asked}") => get_or_post(ask),
        ("POST", "/asks/{ask}/asked" | "/api/v1/places/{place}/asks/{ask}/asked") => invalid(ask),
        (
            "PUT",
            "/api/v1/places/{place}/asks/{ask}" | "/api/v1/places/{place}/asks/{ask}/asked/{asked}",
        ) => invalid(ask),
        _ => panic!("{method} {path} is missing from the access matrix"),
    }
}

/// The records each object names, and where its pages are served.
struct Ids {
    base: String,
    place: &'static str,
    organisation: &'static str,
    mission: &'static str,
    theme: &'static str,
    signal: &'static str,
    measure: &'static str,
    role: &'static str,
    initiative: &'static str,
    commitment: i64,
    relationship: i64,
    /// An interaction and its follow-up.
    interaction: (i64, i64),
    /// Camden's enquiry.
    enquiry: i64,
    experiment: &'static str,
    contribution: i64,
    story: &'static str,
    /// An ask and the time it was put to a partner.
    ask: (&'static str, i64),
}

impl Ids {
    fn url(&self, path: &str, account: i64) -> String {
        let commitment = self.commitment.to_string();
        path.replace("{place}", self.place)
            .replace("{organisation}", self.organisation)
            .replace("{mission}", self.mission)
            .replace("{theme}", self.theme)
            .replace("{signal}", self.signal)
            .replace("{measure}", self.measure)
            .replace("{file}", "values.csv")
            .replace("{role}", self.role)
            .replace("{initiative}", self.initiative)
            .replace("{token}", &"0".repeat(64))
            .replace("{page}", "privacy")
            .replace("{commitment}", &commitment)
            .replace("{relationship}", &self.relationship.to_string())
            .replace("{interaction}", &self.interaction.0.to_string())
            .replace("{follow_up}", &self.interaction.1.to_string())
            .replace("{enquiry}", &self.enquiry.to_string())
            .replace("{experiment}", self.experiment)
            .replace("{story}", self.story)
            .replace("{asked}", &self.ask.1.to_string())
            .replace("{ask}", self.ask.0)
            .replace("{contribution}", &self.contribution.to_string())
            .replace(
                "{id}",
                &if path.starts_with("/commitments") {
                    commitment.clone()
                } else {
                    account.to_string()
                },
            )
    }
}

/// Every record of the `Hidden` object: restricted, with its own slug.
async fn insert_hidden(app: &common::TestApp, place: i64) -> i64 {
    let store = &app.db.store;
    let mut organisation = store
        .organisation(place, "roundhouse", Viewer::Admin)
        .await
        .expect("read")
        .expect("org");
    organisation.id = "hidden-organisation".into();
    organisation.name = "Hidden organisation".into();
    organisation.audience = Audience::Restricted;
    let mut theme = store
        .outcome_theme(place, "health", Viewer::Admin)
        .await
        .expect("read")
        .expect("theme");
    theme.id = "hidden-theme".into();
    theme.name = "Hidden theme".into();
    theme.audience = Audience::Restricted;
    let mut mission = store
        .mission(place, "youth-opportunity", Viewer::Admin)
        .await
        .expect("read")
        .expect("mission");
    mission.id = "hidden-mission".into();
    mission.short_name = "Hidden mission".into();
    mission.audience = Audience::Restricted;
    let mut role = store
        .role(place, "sponsorship", Viewer::Admin)
        .await
        .expect("read")
        .expect("role");
    role.id = "hidden-role".into();
    role.name = "Hidden role".into();
    role.audience = Audience::Restricted;
    let mut initiative = store
        .initiative(place, "ai-campus", Viewer::Admin)
        .await
        .expect("read")
        .expect("initiative");
    initiative.id = "hidden-initiative".into();
    initiative.name = "Hidden initiative".into();
    initiative.audience = Audience::Restricted;
    let ucl = app.organisation_key(place, "ucl").await;
    let mut tx = store.begin().await.expect("begin");
    let organisation = tx
        .insert_organisations(place, &[organisation])
        .await
        .expect("organisation")[0];
    let theme = tx
        .insert_outcome_theme(place, &theme, 90)
        .await
        .expect("theme");
    let mission = tx
        .insert_mission(place, &mission, 90, &[theme])
        .await
        .expect("mission");
    tx.insert_role(place, &role, 90).await.expect("role");
    tx.insert_initiative(
        place,
        &initiative,
        &[mission],
        &[(organisation, Some("Host".into()))],
    )
    .await
    .expect("initiative");
    let commitment = tx
        .insert_commitment(
            place,
            &NewCommitment {
                organisation_id: ucl,
                role_id: None,
                mission_id: Some(mission),
                status: CommitmentStatus::Proposed,
                review: placeweave_domain::commitment::Review::Accepted,
                start_date: None,
                end_date: None,
                note: None,
                demonstration: true,
                audience: Audience::Restricted,
            },
        )
        .await
        .expect("commitment");
    placeweave_store::testing::commit(tx).await.expect("commit");
    commitment
}

/// A second place, `elsewhere`, holding public records with the slugs of
/// Camden's (`ucl`, `health`, `youth-opportunity`, `sponsorship`,
/// `ai-campus`) and a commitment of its own `ucl`; returns that commitment.
async fn insert_elsewhere(app: &common::TestApp, camden: i64) -> i64 {
    app.sql(
        "INSERT INTO place (slug, name, convening_organisation, synthetic, audience) \
         VALUES ('elsewhere', 'Elsewhere', 'Elsewhere Council', TRUE, 'public')",
    )
    .await;
    let place = app.place_key("elsewhere").await;
    let store = &app.db.store;
    let mut organisation = store
        .organisation(camden, "ucl", Viewer::Admin)
        .await
        .expect("read")
        .expect("ucl");
    organisation.name = "Elsewhere's UCL".into();
    let theme = store
        .outcome_theme(camden, "health", Viewer::Admin)
        .await
        .expect("read")
        .expect("theme");
    let mission = store
        .mission(camden, "youth-opportunity", Viewer::Admin)
        .await
        .expect("read")
        .expect("mission");
    let role = store
        .role(camden, "sponsorship", Viewer::Admin)
        .await
        .expect("read")
        .expect("role");
    let initiative = store
        .initiative(camden, "ai-campus", Viewer::Admin)
        .await
        .expect("read")
        .expect("initiative");
    let mut tx = store.begin().await.expect("begin");
    let organisation = tx
        .insert_organisations(place, &[organisation])
        .await
        .expect("organisation")[0];
    let theme = tx
        .insert_outcome_theme(place, &theme, 1)
        .await
        .expect("theme");
    let mission = tx
        .insert_mission(place, &mission, 1, &[theme])
        .await
        .expect("mission");
    let role = tx.insert_role(place, &role, 1).await.expect("role");
    tx.insert_initiative(place, &initiative, &[mission], &[(organisation, None)])
        .await
        .expect("initiative");
    let commitment = tx
        .insert_commitment(
            place,
            &NewCommitment {
                organisation_id: organisation,
                role_id: Some(role),
                mission_id: Some(mission),
                status: CommitmentStatus::Active,
                review: placeweave_domain::commitment::Review::Accepted,
                start_date: None,
                end_date: None,
                note: None,
                demonstration: true,
                audience: Audience::Public,
            },
        )
        .await
        .expect("commitment");
    placeweave_store::testing::commit(tx).await.expect("commit");
    commitment
}

/// Camden's published demonstration story, whose slug the other place
/// also has.
const STORY: &str = "first-paid-placement";

/// A restricted story in Camden, and one with Camden's slug elsewhere.
async fn insert_stories(app: &common::TestApp, camden: i64) {
    let store = &app.db.store;
    let mut story = store
        .story(camden, STORY, Viewer::Admin)
        .await
        .expect("read")
        .expect("demonstration story");
    let elsewhere = app.place_key("elsewhere").await;
    let none = placeweave_store::story::StoryLinks::default();
    let mut tx = store.begin().await.expect("begin");
    tx.insert_story(elsewhere, &story, &none)
        .await
        .expect("elsewhere");
    story.id = "hidden-story".into();
    story.audience = Audience::Restricted;
    tx.insert_story(camden, &story, &none)
        .await
        .expect("hidden");
    placeweave_store::testing::commit(tx).await.expect("commit");
}

/// Camden's public demonstration experiment, whose slug the other place
/// also has.
const EXPERIMENT: &str = "youth-careers-challenge-prize";

/// A restricted experiment in Camden, and one with Camden's slug elsewhere.
async fn insert_experiments(app: &common::TestApp, camden: i64) {
    let store = &app.db.store;
    let mut experiment = store
        .experiment(camden, EXPERIMENT, Viewer::Admin)
        .await
        .expect("read")
        .expect("demonstration experiment");
    let elsewhere = app.place_key("elsewhere").await;
    let mut tx = store.begin().await.expect("begin");
    tx.insert_experiment(elsewhere, &experiment, &[], &[])
        .await
        .expect("elsewhere");
    experiment.id = "hidden-experiment".into();
    experiment.audience = Audience::Restricted;
    tx.insert_experiment(camden, &experiment, &[], &[])
        .await
        .expect("hidden");
    placeweave_store::testing::commit(tx).await.expect("commit");
}

fn outcome(reply: &common::Reply) -> Option<Expect> {
    if matches!(reply.status, 401 | 403 | 404) || reply.location().starts_with("/sign-in") {
        Some(Deny)
    } else if reply.status == 400 {
        Some(Invalid)
    } else if reply.status < 400 {
        Some(Allow)
    } else {
        None
    }
}

#[tokio::test]
async fn every_route_for_every_caller_and_object() {
    let (app, [ucl, roundhouse, staff, admin]) = camden_with_accounts().await;
    let store = &app.db.store;
    let place = app.place_key("camden").await;
    let mut unpublished = store
        .organisation(place, "roundhouse", Viewer::Admin)
        .await
        .expect("read")
        .expect("org");
    unpublished.id = "hidden-org".into();
    unpublished.name = "Hidden organisation".into();
    unpublished.audience = Audience::Staff;
    let mut tx = store.begin().await.expect("begin");
    tx.insert_organisations(place, &[unpublished])
        .await
        .expect("insert");
    placeweave_store::testing::commit(tx).await.expect("commit");
    let throwaway = app
        .account(
            "throwaway@camden.example",
            AccountRole::Staff,
            None,
            PASSWORD,
        )
        .await;
    // UCL's published commitment, and one of its commitments only staff may see.
    let everyone = CommitmentFilter {
        organisation: Some("ucl".into()),
        ..Default::default()
    };
    let public_commitment = store
        .commitments(place, Viewer::Admin, &everyone)
        .await
        .expect("read")[0]
        .id;
    let ucl_key = app.organisation_key(place, "ucl").await;
    let staff_commitment = {
        let mut tx = store.begin().await.expect("begin");
        let id = tx
            .insert_commitment(
                place,
                &NewCommitment {
                    organisation_id: ucl_key,
                    role_id: None,
                    mission_id: None,
                    status: CommitmentStatus::Proposed,
                    review: placeweave_domain::commitment::Review::Awaiting,
                    start_date: None,
                    end_date: None,
                    note: None,
                    demonstration: true,
                    audience: Audience::Staff,
                },
            )
            .await
            .expect("commitment");
        placeweave_store::testing::commit(tx).await.expect("commit");
        id
    };
    let hidden_commitment = insert_hidden(&app, place).await;
    let elsewhere_commitment = insert_elsewhere(&app, place).await;
    insert_experiments(&app, place).await;
    insert_stories(&app, place).await;
    // UCL's relationship (staff), and a restricted one of the hidden organisation.
    let (ucl_relationship, hidden_relationship) = {
        let hidden_key = app.organisation_key(place, "hidden-organisation").await;
        let mut tx = store.begin().await.expect("begin");
        let mut ids = Vec::new();
        for organisation_id in [ucl_key, hidden_key] {
            ids.push(
                tx.insert_relationship(
                    place,
                    &NewRelationship {
                        organisation_id,
                        stage: RelationshipStage::Exploring,
                        formality: Formality::Informal,
                        health: None,
                        health_reason: None,
                        sensitivities: None,
                        demonstration: true,
                        owner_ids: vec![],
                        mission_ids: vec![],
                        history: vec![(RelationshipStage::Exploring, "2026-01-01".into())],
                    },
                )
                .await
                .expect("relationship"),
            );
        }
        placeweave_store::testing::commit(tx).await.expect("commit");
        (ids[0], ids[1])
    };
    app.sql(&format!(
        "UPDATE relationship SET audience = 'restricted' WHERE id = {hidden_relationship}"
    ))
    .await;
    // UCL's interaction (staff) and a restricted one, each with a follow-up.
    let (ucl_interaction, hidden_interaction) = {
        let hidden_key = app.organisation_key(place, "hidden-organisation").await;
        let mut tx = store.begin().await.expect("begin");
        let mut ids = Vec::new();
        for organisation_id in [ucl_key, hidden_key] {
            ids.push(
                tx.insert_interaction(
                    place,
                    &NewInteraction {
                        organisation_id,
                        other_organisation_ids: vec![],
                        kind: InteractionKind::Call,
                        date: "2026-01-02".into(),
                        staff_ids: vec![],
                        contact_ids: vec![],
                        summary: None,
                        outcomes: None,
                        follow_ups: vec![("Send the invitation".into(), None, None, false)],
                        demonstration: true,
                    },
                )
                .await
                .expect("interaction"),
            );
        }
        placeweave_store::testing::commit(tx).await.expect("commit");
        let follow_up = |id: i64| {
            let store = store.clone();
            async move {
                store
                    .interaction(place, id, Viewer::Admin)
                    .await
                    .expect("read")
                    .expect("interaction")
                    .follow_ups[0]
                    .id
            }
        };
        (
            (ids[0], follow_up(ids[0]).await),
            (ids[1], follow_up(ids[1]).await),
        )
    };
    app.sql(&format!(
        "UPDATE interaction SET audience = 'restricted' WHERE id = {}",
        hidden_interaction.0
    ))
    .await;
    let relationships_at_start = store
        .relationships(place, Viewer::Admin, &Default::default())
        .await
        .expect("read")
        .len();
    let interactions_at_start = store
        .interactions(place, Viewer::Admin, &Default::default())
        .await
        .expect("read")
        .len();
    // An enquiry from the public, new.
    app.sql(
        "INSERT INTO enquiry (place_id, reference, organisation_name, name, email, message, \
         lawful_basis, retention, retain_until, received_at) \
         SELECT id, 'ENQ-MATRIX', 'Matrix Ltd', 'Mo Matrix', 'mo@matrix.example', 'Hello', \
         'public-task', 'one-off-enquiry', 4102444800, 1764460800 FROM place WHERE slug = 'camden'",
    )
    .await;
    let enquiry = store
        .enquiries(place, Viewer::Admin, None)
        .await
        .expect("read")[0]
        .id;
    // UCL's contributions: public, staff-only and restricted.
    let [public_contribution, staff_contribution, hidden_contribution] = {
        let mission_key = app.record_key("mission", place, "youth-opportunity").await;
        let mut tx = store.begin().await.expect("begin");
        let mut ids = [0; 3];
        for (i, audience) in [Audience::Public, Audience::Staff, Audience::Restricted]
            .into_iter()
            .enumerate()
        {
            ids[i] = tx
                .insert_contribution(
                    place,
                    &NewContribution {
                        organisation_id: ucl_key,
                        mission_id: mission_key,
                        theme_id: None,
                        measure: Measure::People,
                        unit: Unit::Count,
                        quantity: 5,
                        description: None,
                        start_date: "2026-01-01".into(),
                        end_date: "2026-01-31".into(),
                        ward: None,
                        evidence_url: None,
                        demonstration: true,
                        audience,
                    },
                )
                .await
                .expect("contribution");
        }
        placeweave_store::testing::commit(tx).await.expect("commit");
        ids
    };
    // A restricted signal and measure in Camden; Camden's seeded ones copied
    // to the other place.
    for statement in [
        "INSERT INTO outcome_signal (place_id, theme_id, slug, name, audience) \
         SELECT t.place_id, t.id, 'hidden-signal', 'Hidden signal', 'restricted' FROM outcome_theme t \
         JOIN place p ON p.id = t.place_id WHERE p.slug = 'camden' AND t.slug = 'health'",
        "INSERT INTO measure (place_id, signal_id, slug, name, unit, direction, audience) \
         SELECT place_id, id, 'hidden-measure', 'Hidden measure', 'years', 'higher', 'restricted' \
         FROM outcome_signal WHERE slug = 'hidden-signal'",
        "INSERT INTO outcome_signal (place_id, theme_id, slug, name) \
         SELECT t.place_id, t.id, 'long-healthy-lives', 'Elsewhere signal' FROM outcome_theme t \
         JOIN place p ON p.id = t.place_id WHERE p.slug = 'elsewhere' AND t.slug = 'health'",
        "INSERT INTO measure (place_id, signal_id, slug, name, unit, direction) \
         SELECT s.place_id, s.id, 'healthy-life-expectancy', 'Elsewhere measure', 'years', 'higher' \
         FROM outcome_signal s JOIN place p ON p.id = s.place_id \
         WHERE p.slug = 'elsewhere' AND s.slug = 'long-healthy-lives'",
    ] {
        app.sql(statement).await;
    }
    // A staff ask put to UCL, and a restricted one put to the hidden organisation.
    for (slug, audience, organisation) in [
        ("matrix-ask", "staff", "ucl"),
        ("hidden-ask", "restricted", "hidden-organisation"),
    ] {
        app.sql(&format!(
            "INSERT INTO ask (place_id, slug, title, mission_id, lever, quantity, unit, \
             demonstration, audience) SELECT p.id, '{slug}', 'Matrix ask', m.id, 'employment', \
             3, 'placements', TRUE, '{audience}' FROM place p JOIN mission m ON m.place_id = p.id \
             WHERE p.slug = 'camden' AND m.slug = 'youth-opportunity'"
        ))
        .await;
        app.sql(&format!(
            "INSERT INTO ask_made (ask_id, organisation_id, asked_on) SELECT a.id, o.id, \
             '2026-01-05' FROM ask a JOIN organisation o ON o.place_id = a.place_id \
             WHERE a.slug = '{slug}' AND o.slug = '{organisation}'"
        ))
        .await;
    }
    let asked = |slug: &'static str| {
        let store = store.clone();
        async move {
            let filter = placeweave_store::AskFilter {
                slug: Some(slug.to_owned()),
                ..Default::default()
            };
            store
                .asks(place, Viewer::Admin, &filter)
                .await
                .expect("read")[0]
                .made[0]
                .id
        }
    };
    let (staff_asked, hidden_asked) = (asked("matrix-ask").await, asked("hidden-ask").await);
    let elsewhere_base = app.serve_place("elsewhere").await;
    let camden = |organisation, commitment| Ids {
        base: app.base.clone(),
        place: "camden",
        organisation,
        mission: "youth-opportunity",
        theme: "health",
        signal: "long-healthy-lives",
        measure: "healthy-life-expectancy",
        role: "sponsorship",
        initiative: "ai-campus",
        commitment,
        relationship: ucl_relationship,
        interaction: ucl_interaction,
        enquiry,
        experiment: EXPERIMENT,
        contribution: public_contribution,
        story: STORY,
        ask: ("matrix-ask", staff_asked),
    };
    let objects = [
        (Object::Own, camden("ucl", public_commitment)),
        (
            Object::Unpublished,
            Ids {
                contribution: staff_contribution,
                ..camden("hidden-org", staff_commitment)
            },
        ),
        (
            Object::Hidden,
            Ids {
                base: app.base.clone(),
                place: "camden",
                organisation: "hidden-organisation",
                mission: "hidden-mission",
                theme: "hidden-theme",
                signal: "hidden-signal",
                measure: "hidden-measure",
                role: "hidden-role",
                initiative: "hidden-initiative",
                commitment: hidden_commitment,
                relationship: hidden_relationship,
                interaction: hidden_interaction,
                enquiry,
                experiment: "hidden-experiment",
                contribution: hidden_contribution,
                story: "hidden-story",
                ask: ("hidden-ask", hidden_asked),
            },
        ),
        (
            Object::OtherPlace,
            Ids {
                base: elsewhere_base.clone(),
                place: "elsewhere",
                ..camden("ucl", elsewhere_commitment)
            },
        ),
    ];

    let mut routes: Vec<(String, String)> = placeweave_web::page_routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_owned()))
        .collect();
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    assert!(routes.len() >= 69, "only {} routes", routes.len());

    let who_all = [Public, PartnerOwn, PartnerOther, Staff, Admin];
    let mut failures = Vec::new();
    let mut tally = [0usize; 3];
    for (method, path) in &routes {
        for who in who_all {
            for (object, ids) in &objects {
                let expect = expected(method, path, who, *object);
                let url = ids.url(path, throwaway);
                let mut cookie = match who {
                    Public => None,
                    PartnerOwn => Some(ucl.clone()),
                    PartnerOther => Some(roundhouse.clone()),
                    Staff => Some(staff.clone()),
                    Admin => Some(admin.clone()),
                };
                // Signing out must not end the session the rest of the matrix uses.
                if path == "/sign-out" && cookie.is_some() {
                    let email = match who {
                        PartnerOwn => "ucl@partner.example",
                        PartnerOther => "roundhouse@partner.example",
                        Staff => "staff@camden.example",
                        _ => "admin@camden.example",
                    };
                    cookie = Some(app.sign_in(email, PASSWORD).await);
                }
                let empty = serde_json::json!({});
                let (verb, body) = match method.as_str() {
                    "PUT" => (reqwest::Method::PUT, Body::Json(&empty)),
                    "PATCH" => (reqwest::Method::PATCH, Body::Json(&empty)),
                    "POST" if url.starts_with("/api/") => {
                        (reqwest::Method::POST, Body::Json(&empty))
                    }
                    "POST" => (reqwest::Method::POST, Body::Form(&[])),
                    _ => (reqwest::Method::GET, Body::None),
                };
                let reply = app
                    .send_to(&ids.base, verb, &url, cookie.as_deref(), body)
                    .await;
                let got = outcome(&reply);
                if got != Some(expect) {
                    failures.push(format!(
                        "{method} {url} as {who:?} on {object:?}: expected {expect:?}, got {} {}",
                        reply.status,
                        reply.location()
                    ));
                }
                tally[expect as usize] += 1;
            }
        }
    }
    let checked: usize = tally.iter().sum();
    println!(
        "access matrix: {} routes x {} callers x {} objects = {checked} requests \
         ({} allowed, {} denied, {} invalid)",
        routes.len(),
        who_all.len(),
        objects.len(),
        tally[Allow as usize],
        tally[Deny as usize],
        tally[Invalid as usize],
    );
    assert!(
        failures.is_empty(),
        "{} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Nothing the denied (or empty) requests sent changed a record.
    for place in ["camden", "elsewhere"] {
        let key = app.place_key(place).await;
        let ucl_now = store
            .organisation(key, "ucl", Viewer::Admin)
            .await
            .expect("read")
            .expect("ucl");
        assert_eq!(ucl_now.version, 1, "{place}");
        assert!(
            store
                .contacts(key, "ucl", Viewer::Admin)
                .await
                .expect("read")
                .is_empty(),
            "{place}"
        );
        let commitments = store
            .commitments(key, Viewer::Admin, &Default::default())
            .await
            .expect("read");
        assert!(
            commitments.iter().all(|c| c.version == 1),
            "no commitment changed in {place}"
        );
    }
    let commitments = store
        .commitments(place, Viewer::Admin, &everyone)
        .await
        .expect("read");
    assert_eq!(commitments.len(), 3, "no commitment added for UCL");
    let relationships = store
        .relationships(place, Viewer::Admin, &Default::default())
        .await
        .expect("read");
    assert_eq!(
        relationships.len(),
        relationships_at_start,
        "no relationship added"
    );
    assert!(
        relationships.iter().all(|r| r.version == 1),
        "no relationship changed"
    );
    let interactions = store
        .interactions(place, Viewer::Admin, &Default::default())
        .await
        .expect("read");
    assert_eq!(
        interactions.len(),
        interactions_at_start,
        "no interaction added"
    );
    assert!(
        interactions.iter().all(|i| i.version == 1),
        "no interaction changed"
    );
    assert_eq!(
        store
            .missions(place, Viewer::Admin)
            .await
            .expect("read")
            .len(),
        5,
        "no mission added"
    );
    let elsewhere = app.place_key("elsewhere").await;
    assert_eq!(
        store
            .commitments(elsewhere, Viewer::Admin, &Default::default())
            .await
            .expect("read")
            .len(),
        1,
        "no commitment added elsewhere"
    );
    for (slug, version) in [
        (
            "hidden-mission",
            store
                .mission(place, "hidden-mission", Viewer::Admin)
                .await
                .expect("read")
                .map(|m| m.version),
        ),
        (
            "hidden-role",
            store
                .role(place, "hidden-role", Viewer::Admin)
                .await
                .expect("read")
                .map(|r| r.version),
        ),
        (
            "hidden-initiative",
            store
                .initiative(place, "hidden-initiative", Viewer::Admin)
                .await
                .expect("read")
                .map(|i| i.version),
        ),
        (
            "hidden-theme",
            store
                .outcome_theme(place, "hidden-theme", Viewer::Admin)
                .await
                .expect("read")
                .map(|t| t.version),
        ),
    ] {
        assert_eq!(version, Some(1), "{slug} unchanged");
    }
}
