//! The canary crawl: a distinct marker per audience level planted in records
//! of every type (and in the fields narrower than their record), and one in
//! contacts; then every kind of caller crawls every page, edit form,
//! conflict page (reached by sending a stale version), error page and API
//! response. Each caller must see every marker of the levels it may read
//! somewhere, and never a marker of a level it may not read: the test fails
//! both ways.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use common::{Body, TestApp, camden_with_accounts};
use placeweave_domain::interaction::InteractionKind;
use placeweave_domain::relationship::{Formality, Health, RelationshipStage};
use placeweave_domain::{
    Audience, CommitmentStatus, Initiative, Mission, OutcomeTheme, Role, Viewer,
};
use placeweave_store::{NewCommitment, NewInteraction, NewRelationship};

/// The marker of each audience level. None is part of another, and none is
/// a word a page would print by itself.
fn tag(level: Audience) -> &'static str {
    match level {
        Audience::Public => "qqpubz7",
        Audience::Partners => "qqprtz7",
        Audience::Staff => "qqstfz7",
        Audience::Restricted => "qqrstz7",
    }
}

/// The marker of contacts: staff and admins only, and only on the pages
/// that show contacts.
const CONTACT: &str = "qqconz7";

/// A search that finds every marked record.
const SEARCH: &str = "qq";

/// One planted marker: the level's tag, what it marks, and the level of the
/// record it is in (all lower case letters and digits, so it reads the same
/// in HTML, JSON and URLs).
fn mark(level: Audience, what: &str, record: Audience) -> String {
    format!("{}x{what}x{}", tag(level), record.as_str())
}

fn short(level: Audience) -> &'static str {
    match level {
        Audience::Public => "pub",
        Audience::Partners => "prt",
        Audience::Staff => "stf",
        Audience::Restricted => "rst",
    }
}

/// What was planted: every marker with the level that may read it, and the
/// ids to visit.
struct Planted {
    markers: BTreeMap<String, Audience>,
    commitments: Vec<i64>,
    relationships: Vec<i64>,
    interactions: Vec<i64>,
    enquiries: Vec<i64>,
    /// The times the canary asks were put to partners.
    asked: Vec<i64>,
}

impl Planted {
    fn add(&mut self, level: Audience, what: &str, record: Audience) -> String {
        let marker = mark(level, what, record);
        self.markers.insert(marker.clone(), level);
        marker
    }
}

async fn plant(app: &TestApp) -> Planted {
    let store = &app.db.store;
    let place = app.place_key("camden").await;
    let mut planted = Planted {
        markers: BTreeMap::new(),
        commitments: Vec::new(),
        relationships: Vec::new(),
        interactions: Vec::new(),
        enquiries: Vec::new(),
        asked: Vec::new(),
    };
    let template = store
        .organisation(place, "ucl", Viewer::Admin)
        .await
        .expect("read")
        .expect("ucl");
    // UCL's notes are for staff, whoever edits UCL.
    let ucl_notes = planted.add(Audience::Staff, "uclnotes", Audience::Public);
    app.sql(&format!(
        "UPDATE organisation SET internal_notes = '{ucl_notes}' WHERE slug = 'ucl'"
    ))
    .await;
    let ucl = app.organisation_key(place, "ucl").await;
    // An enquiry from the public: personal data, staff-only in every field.
    let enquiry_fields: Vec<String> = ["enqorg", "enqname", "enqmessage"]
        .iter()
        .map(|what| planted.add(Audience::Staff, what, Audience::Staff))
        .collect();
    app.sql(&format!(
        "INSERT INTO enquiry (place_id, reference, organisation_name, name, email, message, \
         lawful_basis, retention, retain_until, received_at) VALUES ({place}, 'ENQ-CANARY', \
         '{}', '{}', 'enquirer@enquiry.example', '{}', 'public-task', 'one-off-enquiry', \
         4102444800, 1764460800)",
        enquiry_fields[0], enquiry_fields[1], enquiry_fields[2]
    ))
    .await;
    planted.enquiries = store
        .enquiries(place, Viewer::Admin, None)
        .await
        .expect("enquiries")
        .iter()
        .map(|e| e.id)
        .collect();

    let mut tx = store.begin().await.expect("begin");
    let mut organisations = Vec::new();
    for level in Audience::ALL {
        let mut o = template.clone();
        o.id = format!("canary-org-{}", level.as_str());
        o.name = format!("Canary {}", planted.add(level, "orgname", level));
        o.description = Some(planted.add(level, "orgdesc", level));
        o.internal_notes = Some(planted.add(level.max(Audience::Staff), "orgnotes", level));
        o.wards = vec![planted.add(level, "ward", level)];
        o.identifiers = vec![];
        if let Some(lever) = o.levers.first_mut() {
            lever.detail = Some(planted.add(level, "leverdetail", level));
        }
        o.audience = level;
        organisations.push(o);
    }
    let organisation_ids = tx
        .insert_organisations(place, &organisations)
        .await
        .expect("organisations");

    let mut theme_ids = Vec::new();
    for level in Audience::ALL {
        let theme = OutcomeTheme {
            id: format!("canary-theme-{}", level.as_str()),
            name: format!("Canary {}", planted.add(level, "themename", level)),
            description: Some(planted.add(level, "themedesc", level)),
            is_core: false,
            audience: level,
            version: 1,
        };
        theme_ids.push(
            tx.insert_outcome_theme(place, &theme, 20 + theme_ids.len() as i64)
                .await
                .expect("theme"),
        );
    }
    let mut mission_ids = Vec::new();
    for level in Audience::ALL {
        let mission = Mission {
            id: format!("canary-mission-{}", level.as_str()),
            short_name: format!("Canary {}", planted.add(level, "missionname", level)),
            statement: format!(
                "By 2040, every canary {} is heard.",
                planted.add(level, "statement", level)
            ),
            target_year: Some(2040),
            outcome_themes: vec![],
            audience: level,
            version: 1,
        };
        // Each mission serves themes of every level.
        mission_ids.push(
            tx.insert_mission(place, &mission, 20 + mission_ids.len() as i64, &theme_ids)
                .await
                .expect("mission"),
        );
    }
    let mut role_ids = Vec::new();
    for level in Audience::ALL {
        let role = Role {
            id: format!("canary-role-{}", level.as_str()),
            name: format!("Canary {}", planted.add(level, "rolename", level)),
            description: planted.add(level, "roledesc", level),
            ask_of_partner: planted.add(level, "roleask", level),
            value_for_place: planted.add(level, "roleplace", level),
            value_for_partner: planted.add(level, "rolepartner", level),
            contact: Some(planted.add(level, "rolecontact", level)),
            audience: level,
            version: 1,
        };
        role_ids.push(
            tx.insert_role(place, &role, 20 + role_ids.len() as i64)
                .await
                .expect("role"),
        );
    }
    for level in Audience::ALL {
        let initiative = Initiative {
            id: format!("canary-initiative-{}", level.as_str()),
            name: format!("Canary {}", planted.add(level, "initiativename", level)),
            description: Some(planted.add(level, "initiativedesc", level)),
            website: None,
            missions: vec![],
            participants: vec![],
            audience: level,
            version: 1,
        };
        // Every initiative has missions and participants of every level; a
        // participant's part is as narrow as the narrower of the two.
        let participants: Vec<(i64, Option<String>)> = Audience::ALL
            .into_iter()
            .zip(&organisation_ids)
            .map(|(of, id)| {
                let part = planted.add(level.max(of), &format!("part{}", short(of)), level);
                (*id, Some(part))
            })
            .collect();
        tx.insert_initiative(place, &initiative, &mission_ids, &participants)
            .await
            .expect("initiative");
    }

    // Commitments: UCL's at every level; public ones of UCL naming a role
    // and mission of every level; public ones of each canary organisation.
    // A note is for staff whatever the commitment's audience.
    let mut commitments = Vec::new();
    for (i, level) in Audience::ALL.into_iter().enumerate() {
        commitments.push((
            ucl,
            level,
            i,
            planted.add(level.max(Audience::Staff), "uclnote", level),
        ));
        if level != Audience::Public {
            commitments.push((
                ucl,
                Audience::Public,
                i,
                planted.add(
                    Audience::Staff,
                    &format!("uclnoteto{}", short(level)),
                    level,
                ),
            ));
        }
        commitments.push((
            organisation_ids[i],
            Audience::Public,
            0,
            planted.add(level.max(Audience::Staff), "orgnote", level),
        ));
    }
    for (organisation, audience, linked, note) in commitments {
        let id = tx
            .insert_commitment(
                place,
                &NewCommitment {
                    organisation_id: organisation,
                    role_id: Some(role_ids[linked]),
                    mission_id: Some(mission_ids[linked]),
                    status: CommitmentStatus::Active,
                    review: placeweave_domain::commitment::Review::Accepted,
                    start_date: None,
                    end_date: None,
                    note: Some(note),
                    demonstration: true,
                    audience,
                },
            )
            .await
            .expect("commitment");
        planted.commitments.push(id);
    }
    // A canary organisation's proposal, declined with a note back to its
    // partner: staff and that partner's alone (the crawl's partner is UCL's).
    let proposal = tx
        .insert_commitment(
            place,
            &NewCommitment {
                organisation_id: organisation_ids[0],
                role_id: Some(role_ids[0]),
                mission_id: Some(mission_ids[0]),
                status: CommitmentStatus::Proposed,
                review: placeweave_domain::commitment::Review::Declined,
                start_date: None,
                end_date: None,
                note: None,
                demonstration: true,
                audience: placeweave_domain::commitment::PROPOSAL_AUDIENCE,
            },
        )
        .await
        .expect("proposal");
    planted.commitments.push(proposal);
    let review_note = planted.add(Audience::Staff, "reviewnote", Audience::Staff);
    let declined = (proposal, review_note);

    // Relationships (staff-facing) with UCL and each canary organisation,
    // serving missions of every level: the health reason is for staff, the
    // sensitivities for admins, whatever the organisation's audience.
    for (i, organisation_id) in std::iter::once(ucl)
        .chain(organisation_ids.iter().copied())
        .enumerate()
    {
        let level = if i == 0 {
            Audience::Public
        } else {
            Audience::ALL[i - 1]
        };
        let id = tx
            .insert_relationship(
                place,
                &NewRelationship {
                    organisation_id,
                    stage: RelationshipStage::Exploring,
                    formality: Formality::Mou,
                    health: Some(Health::SomeConcerns),
                    health_reason: Some(planted.add(
                        level.max(Audience::Staff),
                        &format!("relhealth{i}"),
                        level,
                    )),
                    sensitivities: Some(planted.add(
                        Audience::Restricted,
                        &format!("relsens{i}"),
                        level,
                    )),
                    demonstration: true,
                    owner_ids: vec![],
                    mission_ids: mission_ids.clone(),
                    history: vec![(RelationshipStage::Exploring, "2026-01-01".into())],
                },
            )
            .await
            .expect("relationship");
        planted.relationships.push(id);
        // An interaction with the same partner: its summary is private
        // (staff), its outcomes and follow-up are for staff too.
        let staff_level = level.max(Audience::Staff);
        let id = tx
            .insert_interaction(
                place,
                &NewInteraction {
                    organisation_id,
                    other_organisation_ids: vec![],
                    kind: InteractionKind::Meeting,
                    date: "2026-02-03".into(),
                    staff_ids: vec![],
                    contact_ids: vec![],
                    summary: Some(planted.add(staff_level, &format!("intsummary{i}"), level)),
                    outcomes: Some(planted.add(staff_level, &format!("intoutcome{i}"), level)),
                    follow_ups: vec![(
                        planted.add(staff_level, &format!("intaction{i}"), level),
                        None,
                        Some("2026-02-10".into()),
                        false,
                    )],
                    demonstration: true,
                },
            )
            .await
            .expect("interaction");
        planted.interactions.push(id);
    }

    // Experiments at every level, serving missions of every level with
    // partners of every level; a learning entry each, whose author's name
    // is for staff (set below).
    for level in Audience::ALL {
        let experiment = placeweave_domain::experiment::Experiment {
            id: format!("canary-experiment-{}", level.as_str()),
            name: format!("Canary {}", planted.add(level, "experimentname", level)),
            hypothesis: planted.add(level, "hypothesis", level),
            levers: vec![placeweave_domain::Lever::Data],
            learning: vec![placeweave_domain::experiment::LearningEntry {
                date: "2026-03-01".into(),
                text: planted.add(level, "learnt", level),
                author: None,
            }],
            decision: Some(placeweave_domain::experiment::Decision::Adjust),
            decision_reason: Some(planted.add(level, "decisionwhy", level)),
            decision_date: Some("2026-03-02".into()),
            audience: level,
            version: 1,
            ..placeweave_domain::experiment::Experiment::blank()
        };
        let partners: Vec<(i64, Option<String>)> = Audience::ALL
            .into_iter()
            .zip(&organisation_ids)
            .map(|(of, id)| {
                let part = planted.add(level.max(of), &format!("exppart{}", short(of)), level);
                (*id, Some(part))
            })
            .collect();
        tx.insert_experiment(place, &experiment, &mission_ids, &partners)
            .await
            .expect("experiment");
    }

    // Stories at every level, published and draft, telling of missions and
    // themes of every level and crediting partners of every level. The
    // consent record is for staff whatever the story's level, and a draft
    // (every field of it) is for staff too.
    for level in Audience::ALL {
        for published in [true, false] {
            use placeweave_domain::story::{Consent, ConsentUse, Story, StoryStatus};
            let (prefix, reader) = if published {
                ("story", level)
            } else {
                ("draft", level.max(Audience::Staff))
            };
            let story = Story {
                id: format!("canary-{prefix}-{}", level.as_str()),
                title: format!(
                    "Canary {}",
                    planted.add(reader, &format!("{prefix}title"), level)
                ),
                summary: planted.add(reader, &format!("{prefix}summary"), level),
                body: planted.add(reader, &format!("{prefix}body"), level),
                status: if published {
                    StoryStatus::Published
                } else {
                    StoryStatus::Draft
                },
                published_on: published.then(|| "2026-04-01".to_owned()),
                consent: Some(Consent {
                    given_by: planted.add(
                        level.max(Audience::Staff),
                        &format!("{prefix}consentby"),
                        level,
                    ),
                    given_on: "2026-03-01".into(),
                    uses: vec![ConsentUse::Website],
                }),
                audience: level,
                version: 1,
                ..Story::blank()
            };
            let partners: Vec<(i64, Option<String>)> = Audience::ALL
                .into_iter()
                .zip(&organisation_ids)
                .map(|(of, id)| {
                    let what = format!("{prefix}credit{}", short(of));
                    (*id, Some(planted.add(reader.max(of), &what, level)))
                })
                .collect();
            let links = placeweave_store::story::StoryLinks {
                missions: mission_ids.clone(),
                themes: theme_ids.clone(),
                partners,
            };
            tx.insert_story(place, &story, &links).await.expect("story");
        }
    }

    for organisation in [
        "ucl",
        "canary-org-public",
        "canary-org-staff",
        "canary-org-restricted",
    ] {
        tx.insert_contact(
            place,
            &placeweave_store::privacy::NewContact {
                organisation: organisation.into(),
                name: format!("{CONTACT}xname {organisation}"),
                job_title: Some(format!("{CONTACT}xjob")),
                email: Some(format!("{CONTACT}@contact.example")),
                phone: Some("020 7946 0999".into()),
                lawful_basis: placeweave_domain::contact::LawfulBasis::Consent,
                retention: placeweave_domain::contact::Retention::EventAttendee,
                owner: None,
            },
            1_800_000_000,
        )
        .await
        .expect("contact");
    }
    placeweave_store::testing::commit(tx).await.expect("commit");
    app.sql(&format!(
        "UPDATE commitment SET review_note = '{}' WHERE id = {}",
        declined.1, declined.0
    ))
    .await;
    // Each interaction had its partner's contact there, and UCL along.
    app.sql(
        "INSERT INTO interaction_contact (interaction_id, contact_id) \
         SELECT i.id, c.id FROM interaction i JOIN contact c ON c.organisation_id = i.organisation_id",
    )
    .await;
    app.sql(
        "INSERT INTO interaction_organisation (interaction_id, organisation_id) \
         SELECT i.id, o.id FROM interaction i JOIN organisation o ON o.slug = 'ucl' \
         AND o.place_id = i.place_id WHERE i.organisation_id <> o.id",
    )
    .await;
    let author = app
        .account(
            "canary-author@camden.example",
            placeweave_domain::AccountRole::Staff,
            None,
            common::PASSWORD,
        )
        .await;
    let name = planted.add(Audience::Staff, "learningauthor", Audience::Public);
    app.sql(&format!(
        "UPDATE account SET display_name = '{name}' WHERE id = {author}"
    ))
    .await;
    app.sql(&format!(
        "UPDATE experiment_learning SET author_id = {author}"
    ))
    .await;
    // Asks at the levels they may have, each put to the canary partners of
    // every level with a private note (staff text, never served by the API).
    for level in [Audience::Staff, Audience::Restricted] {
        let title = planted.add(level, "asktitle", level);
        let description = planted.add(level, "askwhat", level);
        app.sql(&format!(
            "INSERT INTO ask (place_id, slug, title, description, mission_id, lever, quantity, \
             unit, audience) SELECT {place}, 'canary-ask-{l}', 'Canary {title}', '{description}', \
             m.id, 'data', 2, 'data sets', '{l}' FROM mission m WHERE m.place_id = {place} \
             AND m.slug = 'youth-opportunity'",
            l = level.as_str()
        ))
        .await;
        for of in Audience::ALL {
            let note = planted.add(level.max(of), &format!("asknote{}", short(of)), level);
            app.sql(&format!(
                "INSERT INTO ask_made (ask_id, organisation_id, asked_on, note) \
                 SELECT a.id, o.id, '2026-05-01', '{note}' FROM ask a, organisation o \
                 WHERE a.slug = 'canary-ask-{}' AND o.slug = 'canary-org-{}' AND o.place_id = {place}",
                level.as_str(),
                of.as_str()
            ))
            .await;
        }
    }
    planted.asked = store
        .asks(place, Viewer::Admin, &Default::default())
        .await
        .expect("asks")
        .into_iter()
        .flat_map(|a| a.made.into_iter().map(|m| m.id))
        .collect();
    planted
}

/// Every same-site link on a page, without its fragment.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(unescape)
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| href.starts_with('/') && !href.starts_with("/assets/"))
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an HTML tag's text.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// What a browser would send, unchanged, from the page's form that posts
/// to `action`.
fn form_fields(body: &str, action: &str) -> Vec<(String, String)> {
    let Some(start) = body.match_indices("<form ").map(|(at, _)| at).find(|at| {
        body[*at..]
            .split('>')
            .next()
            .and_then(|t| attribute(t, "action"))
            == Some(action)
    }) else {
        return vec![];
    };
    let form = &body[start..];
    let form = &form[..form.find("</form>").unwrap_or(form.len())];
    let mut pairs = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        let after = &rest[close + 1..];
        let Some(name) = attribute(tag, "name").map(unescape) else {
            continue;
        };
        if tag.starts_with("input ") {
            let kind = attribute(tag, "type").unwrap_or("text");
            if matches!(kind, "checkbox" | "radio") && !tag.contains(" checked") {
                continue;
            }
            let value = attribute(tag, "value").map(unescape).unwrap_or_default();
            pairs.push((name, value));
        } else if tag.starts_with("textarea ") {
            let end = after.find("</textarea>").unwrap_or(0);
            pairs.push((name, unescape(&after[..end])));
        } else if tag.starts_with("select ") {
            let options = &after[..after.find("</select>").unwrap_or(after.len())];
            let tags: Vec<&str> = options
                .split("<option")
                .skip(1)
                .map(|o| o.split('>').next().unwrap_or_default())
                .collect();
            let chosen = tags
                .iter()
                .find(|t| t.contains(" selected"))
                .or(tags.first());
            let value = chosen
                .and_then(|t| attribute(t, "value"))
                .map(unescape)
                .unwrap_or_default();
            pairs.push((name, value));
        }
    }
    pairs
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    PartnerOwn,
    PartnerOther,
    Staff,
    Admin,
}

impl Who {
    fn viewer(self) -> Viewer {
        match self {
            Who::Public => Viewer::Public,
            Who::PartnerOwn | Who::PartnerOther => Viewer::Partner,
            Who::Staff => Viewer::Staff,
            Who::Admin => Viewer::Admin,
        }
    }
}

/// One caller's crawl: what it fetched, which markers it saw, what leaked.
struct Crawl<'a> {
    app: &'a TestApp,
    who: Who,
    cookie: Option<&'a str>,
    requests: usize,
    /// Pages fetched, and edit forms sent back stale.
    pages: usize,
    conflicts: usize,
    seen: BTreeSet<String>,
    leaks: Vec<String>,
}

impl Crawl<'_> {
    fn check(&mut self, what: &str, status: u16, body: &str) {
        assert!(status < 500, "{what} as {:?}: {status}\n{body}", self.who);
        let body = body.to_lowercase();
        // The embeddable map is the public's whoever opens it.
        let viewer = if what.contains(" /embed/") {
            Viewer::Public
        } else {
            self.who.viewer()
        };
        for level in Audience::ALL {
            if !viewer.can_read(level) && body.contains(tag(level)) {
                let at = body.find(tag(level)).unwrap_or(0);
                let end = (at + 60).min(body.len());
                self.leaks.push(format!(
                    "{what} ({status}) shows a {} marker to {:?}: {}",
                    level.as_str(),
                    self.who,
                    body.get(at..end).unwrap_or_default()
                ));
            }
        }
        if body.contains(CONTACT) {
            // Staff find contacts by name in the site search (logged like
            // the contacts page), on a partner's briefing page and among
            // those who took part in an interaction; the API serves no
            // contacts at all (an interaction's contacts are ids there).
            let contacts_page = what.contains("/contacts")
                || (what.contains("/briefing") && !what.contains("/api/"))
                || (what.contains("/interactions/") && !what.contains("/api/"))
                || what.contains("/admin/people")
                || what.starts_with("GET /search?");
            if matches!(self.who, Who::Staff | Who::Admin) && contacts_page {
                self.seen.insert(CONTACT.to_owned());
            } else {
                self.leaks.push(format!(
                    "{what} ({status}) shows a contact to {:?}",
                    self.who
                ));
            }
        }
        let mut rest = body.as_str();
        while let Some(at) = rest.find("qq") {
            let token: String = rest[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            rest = &rest[at + token.len().max(2)..];
            self.seen.insert(token);
        }
    }

    async fn get(&mut self, base: &str, path: &str) -> common::Reply {
        let reply = self
            .app
            .send_to(base, reqwest::Method::GET, path, self.cookie, Body::None)
            .await;
        self.requests += 1;
        self.check(&format!("GET {path}"), reply.status, &reply.body);
        reply
    }

    async fn send(&mut self, method: reqwest::Method, path: &str, body: Body<'_>) -> u16 {
        let base = self.app.base.clone();
        let what = format!("{method} {path}");
        let reply = self
            .app
            .send_to(&base, method, path, self.cookie, body)
            .await;
        self.requests += 1;
        self.check(&what, reply.status, &reply.body);
        reply.status
    }
}

/// Every value a path parameter is tried with: each level's record, a
/// record of the demo, and one that does not exist.
fn values(parameter: &str, planted: &Planted) -> Vec<String> {
    let per_level = |prefix: &str, demo: &str, missing: &str| {
        Audience::ALL
            .into_iter()
            .map(|l| format!("{prefix}-{}", l.as_str()))
            .chain([demo.to_owned(), missing.to_owned()])
            .collect()
    };
    match parameter {
        "place" => vec!["camden".into()],
        "organisation" => per_level("canary-org", "ucl", "no-such-organisation"),
        "mission" => per_level("canary-mission", "youth-opportunity", "no-such-mission"),
        "theme" => per_level("canary-theme", "health", "no-such-theme"),
        "role" => per_level("canary-role", "sponsorship", "no-such-role"),
        "initiative" => per_level("canary-initiative", "ai-campus", "no-such-initiative"),
        "story" => Audience::ALL
            .into_iter()
            .flat_map(|l| {
                [
                    format!("canary-story-{}", l.as_str()),
                    format!("canary-draft-{}", l.as_str()),
                ]
            })
            .chain(["first-paid-placement".into(), "no-such-story".into()])
            .collect(),
        "ask" => per_level(
            "canary-ask",
            "apprenticeship-places-for-care-leavers",
            "no-such-ask",
        ),
        "asked" => planted
            .asked
            .iter()
            .map(i64::to_string)
            .chain(["999999".to_owned()])
            .collect(),
        "experiment" => per_level(
            "canary-experiment",
            "youth-careers-challenge-prize",
            "no-such-experiment",
        ),
        "id" | "commitment" => planted
            .commitments
            .iter()
            .map(i64::to_string)
            .chain(["999999".to_owned()])
            .collect(),
        "relationship" => planted
            .relationships
            .iter()
            .map(i64::to_string)
            .chain(["999999".to_owned()])
            .collect(),
        "interaction" => planted
            .interactions
            .iter()
            .map(i64::to_string)
            .chain(["999999".to_owned()])
            .collect(),
        "enquiry" => planted
            .enquiries
            .iter()
            .map(i64::to_string)
            .chain(["999999".to_owned()])
            .collect(),
        // Contributions have no field narrower than the record: the demo's
        // public ones, and one that does not exist.
        "contribution" => vec!["1".into(), "2".into(), "999999".into()],
        // Signals and measures have no field narrower than the record: the
        // demo's public ones, and ones that do not exist.
        "signal" => vec!["long-healthy-lives".into(), "no-such-signal".into()],
        "measure" => vec!["healthy-life-expectancy".into(), "no-such-measure".into()],
        // A measure's downloads, and a file it does not have.
        "file" => vec![
            "values.csv".into(),
            "values.json".into(),
            "values.txt".into(),
        ],
        // Only in POST addresses, which the crawl does not send.
        "follow_up" => vec!["999999".into()],
        "token" => vec!["0".repeat(64)],
        // The place's required pages, and one that does not exist.
        "page" => [
            "accessibility",
            "privacy",
            "cookies",
            "contact",
            "no-such-page",
        ]
        .map(str::to_owned)
        .to_vec(),
        other => panic!("no values for the path parameter {{{other}}}"),
    }
}

/// Every path made from `pattern` by substituting its parameters.
fn expand(pattern: &str, planted: &Planted) -> Vec<String> {
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_owned()];
    };
    let close = open + pattern[open..].find('}').expect("closing brace");
    let parameter = &pattern[open + 1..close];
    values(parameter, planted)
        .into_iter()
        .flat_map(|value| {
            let next = format!("{}{value}{}", &pattern[..open], &pattern[close + 1..]);
            expand(&next, planted)
        })
        .collect()
}

/// Query values tried for each documented query parameter of the API.
fn query_values(name: &str) -> Vec<String> {
    let levels = |prefix: &str| {
        Audience::ALL
            .into_iter()
            .map(|l| format!("{prefix}-{}", l.as_str()))
            .collect::<Vec<_>>()
    };
    match name {
        "organisation" | "partner" => levels("canary-org"),
        "mission" => levels("canary-mission"),
        "role" => levels("canary-role"),
        "theme" => levels("canary-theme"),
        "initiative" => levels("canary-initiative"),
        "per_page" => vec!["100".into(), "0".into()],
        "page" => vec!["2".into(), "0".into()],
        // Words to search for, and a value no vocabulary holds (a 400).
        _ => vec![SEARCH.into()],
    }
}

async fn crawl<'a>(
    app: &'a TestApp,
    who: Who,
    cookie: Option<&'a str>,
    planted: &Planted,
) -> Crawl<'a> {
    let mut crawl = Crawl {
        app,
        who,
        cookie,
        requests: 0,
        pages: 0,
        conflicts: 0,
        seen: BTreeSet::new(),
        leaks: Vec::new(),
    };
    let base = app.base.clone();

    // Every page route with every record's id, the filters, and error pages;
    // then every link they lead to.
    let mut queue: VecDeque<String> = VecDeque::new();
    for (method, pattern) in placeweave_web::page_routes() {
        if method.as_str() == "GET" {
            queue.extend(expand(pattern, planted));
        }
    }
    for level in Audience::ALL {
        queue.push_back(format!(
            "/organisations?mission=canary-mission-{}",
            level.as_str()
        ));
        queue.push_back(format!(
            "/commitments/new?organisation=canary-org-{}",
            level.as_str()
        ));
        queue.push_back(format!(
            "/initiatives?mission=canary-mission-{}",
            level.as_str()
        ));
        // Site search for each level's marker, on the page and the API, by
        // its start (prefix search), so the page's echo of the words typed
        // is not itself a marker.
        let start = &tag(level)[..5];
        queue.push_back(format!("/search?q={start}"));
        queue.push_back(format!("/api/v1/places/camden/search?q={start}"));
        queue.push_back(format!(
            "/relationships?mission=canary-mission-{}",
            level.as_str()
        ));
        // Open-data downloads filtered by each level's records.
        queue.push_back(format!(
            "/organisations.json?mission=canary-mission-{}",
            level.as_str()
        ));
        queue.push_back(format!(
            "/commitments.csv?organisation=canary-org-{}",
            level.as_str()
        ));
        queue.push_back(format!(
            "/experiments?mission=canary-mission-{}",
            level.as_str()
        ));
        // Stories and their downloads, by each level's mission and partner.
        queue.push_back(format!(
            "/stories?mission=canary-mission-{}",
            level.as_str()
        ));
        queue.push_back(format!(
            "/stories.json?partner=canary-org-{}",
            level.as_str()
        ));
        queue.push_back(format!(
            "/stories.csv?theme=canary-theme-{}",
            level.as_str()
        ));
    }
    for extra in [
        format!("/organisations?q={SEARCH}"),
        format!("/search?q={SEARCH}"),
        format!("/search?q={}", &CONTACT[..5]),
        format!("/search?q={SEARCH}&kind=contact"),
        format!("/api/v1/places/camden/search?q={SEARCH}&per_page=100"),
        "/organisations?kind=no-such-kind".into(),
        "/organisations?lever=no-such-lever".into(),
        "/organisations?page=0".into(),
        "/organisations?anchor=yes".into(),
        "/no-such-page".into(),
        format!("/admin/people?email={CONTACT}@contact.example"),
        format!("/admin/people/export?email={CONTACT}@contact.example"),
        "/admin/people?email=not-an-email".into(),
        "/admin/people?email=enquirer@enquiry.example".into(),
        "/admin/people/export?email=enquirer@enquiry.example".into(),
        "/admin/audit".into(),
    ] {
        queue.push_back(extra);
    }
    let mut fetched = BTreeSet::new();
    let mut forms = Vec::new();
    let mut blanks = Vec::new();
    while let Some(path) = queue.pop_front() {
        if fetched.len() >= 1500 || !fetched.insert(path.clone()) {
            continue;
        }
        let reply = crawl.get(&base, &path).await;
        let route = path.split('?').next().unwrap_or_default().to_owned();
        if reply.status == 200 && route.ends_with("/edit") {
            forms.push((path.clone(), form_fields(&reply.body, &path)));
        }
        if reply.status == 200 && route.ends_with("/new") {
            blanks.push(path.clone());
        }
        queue.extend(links(&reply.body));
    }
    assert!(fetched.len() < 1500, "the crawl did not end");

    // Each edit form the caller may open, sent back from a stale version:
    // the conflict page shows both versions.
    for (path, fields) in &forms {
        let stale: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), if k == "version" { "0" } else { v.as_str() }))
            .collect();
        assert!(
            stale.iter().any(|(k, _)| *k == "version"),
            "{path} has no version as {who:?}: {fields:?}"
        );
        let status = crawl
            .send(reqwest::Method::POST, path, Body::Form(&stale))
            .await;
        assert_eq!(status, 409, "a stale {path} as {who:?}");
        // The same form emptied: the error page shows the form again.
        let emptied: Vec<(&str, &str)> = stale
            .iter()
            .filter(|(k, _)| *k == "version")
            .map(|(k, v)| (*k, *v))
            .collect();
        let status = crawl
            .send(reqwest::Method::POST, path, Body::Form(&emptied))
            .await;
        assert_eq!(status, 400, "an emptied {path} as {who:?}");
    }
    // Each "new" form the caller may open, sent empty.
    for path in &blanks {
        let status = crawl
            .send(reqwest::Method::POST, path, Body::Form(&[]))
            .await;
        assert_eq!(status, 400, "an empty {path} as {who:?}");
    }
    crawl.conflicts = forms.len();
    crawl.pages = fetched.len();

    // Every GET of the API with every id and each documented query
    // parameter; every PUT with a stale version.
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    for (pattern, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let queries: Vec<String> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str())
                .flat_map(|name| {
                    query_values(name)
                        .into_iter()
                        .map(move |value| format!("?{name}={value}"))
                })
                .chain([String::new()])
                .collect();
            for url in expand(pattern, planted) {
                match method.as_str() {
                    "get" => {
                        for query in &queries {
                            crawl.get(&base, &format!("{url}{query}")).await;
                        }
                    }
                    "put" => {
                        let stale = serde_json::json!({"version": 0});
                        crawl
                            .send(reqwest::Method::PUT, &url, Body::Json(&stale))
                            .await;
                    }
                    _ => {}
                }
            }
        }
    }
    for path in [
        "/api/v1/places/no-such-place",
        "/api/v1/places/camden/no-such-collection",
        "/api/v1/openapi.json",
        // What search engines read: only what the public may see.
        "/sitemap.xml",
        "/robots.txt",
    ] {
        crawl.get(&base, path).await;
    }
    crawl
}

#[tokio::test]
async fn every_caller_sees_exactly_the_levels_it_may_read() {
    let (app, [ucl, roundhouse, staff, admin]) = camden_with_accounts().await;
    let planted = plant(&app).await;
    let mut failures = Vec::new();
    for (who, cookie) in [
        (Who::Public, None),
        (Who::PartnerOwn, Some(ucl.as_str())),
        (Who::PartnerOther, Some(roundhouse.as_str())),
        (Who::Staff, Some(staff.as_str())),
        (Who::Admin, Some(admin.as_str())),
    ] {
        let crawl = crawl(&app, who, cookie, &planted).await;
        println!(
            "canary crawl as {who:?}: {} requests ({} pages, {} conflict pages, {} markers seen)",
            crawl.requests,
            crawl.pages,
            crawl.conflicts,
            crawl.seen.len()
        );
        failures.extend(crawl.leaks.iter().cloned());
        let viewer = who.viewer();
        let missing: Vec<&String> = planted
            .markers
            .iter()
            .filter(|(marker, level)| viewer.can_read(**level) && !crawl.seen.contains(*marker))
            .map(|(marker, _)| marker)
            .collect();
        if !missing.is_empty() {
            failures.push(format!(
                "{who:?} never saw {} markers it may read: {missing:?}",
                missing.len()
            ));
        }
        if matches!(who, Who::Staff | Who::Admin) && !crawl.seen.contains(CONTACT) {
            failures.push(format!("{who:?} never saw a contact"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
