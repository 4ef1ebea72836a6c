//! The brokerage briefing over HTTP: staff see every section (contacts
//! included; sensitivities only administrators), partners, the public and
//! anyone asking for an organisation they may not see get exactly the
//! missing page, the JSON never carries contact details, summaries, notes,
//! the health rating's reason or sensitivities, and suggested asks are
//! ranked by the domain's score with the factors that explain it.

mod common;

use common::{TestApp, camden_with_accounts};
use serde_json::Value;

const PARTNER: &str = "arsenal-fc";
const CONTACT_NAME: &str = "Casey Canary";
const CONTACT_EMAIL: &str = "casey.canary@arsenal.example";
const CONTACT_PHONE: &str = "020 7946 0999";
const SUMMARY: &str = "SUMMARY-CANARY said the chair is unhappy";
const HEALTH_REASON: &str = "HEALTH-REASON-CANARY missed two meetings";
const SENSITIVITIES: &str = "SENSITIVITIES-CANARY chief executive leaving";
const ANSWER_NOTE: &str = "ANSWER-NOTE-CANARY only if unbranded";
const COMMITMENT_NOTE: &str = "COMMITMENT-NOTE-CANARY";
const INTERNAL_NOTES: &str = "INTERNAL-NOTES-CANARY";
const RESTRICTED_ASK: &str = "RESTRICTED-ASK-CANARY";

/// Every private text planted on the partner, none of which the JSON may carry.
const NEVER_IN_JSON: &[&str] = &[
    CONTACT_NAME,
    CONTACT_EMAIL,
    CONTACT_PHONE,
    SUMMARY,
    HEALTH_REASON,
    SENSITIVITIES,
    ANSWER_NOTE,
    COMMITMENT_NOTE,
    INTERNAL_NOTES,
];

/// Plants the partner's private texts, a contact, a lever, open asks (one
/// restricted), and an ask already put to them with a noted answer.
async fn plant(app: &TestApp, staff: &str) {
    let partner = format!(
        "(SELECT o.id FROM organisation o JOIN place p ON p.id = o.place_id \
         WHERE p.slug = 'camden' AND o.slug = '{PARTNER}')"
    );
    // Only this test's asks, whatever the demo has.
    for statement in [
        "DELETE FROM ask_made".to_owned(),
        "DELETE FROM ask".to_owned(),
        format!(
            "UPDATE relationship SET health_reason = '{HEALTH_REASON}', \
             sensitivities = '{SENSITIVITIES}' WHERE organisation_id = {partner}"
        ),
        format!(
            "UPDATE interaction SET summary = '{SUMMARY}', outcomes = 'Agreed to host a careers day' \
             WHERE organisation_id = {partner}"
        ),
        format!(
            "UPDATE commitment SET note = '{COMMITMENT_NOTE}' WHERE organisation_id = {partner}"
        ),
        format!("UPDATE organisation SET internal_notes = '{INTERNAL_NOTES}' WHERE id = {partner}"),
        format!(
            "INSERT INTO organisation_lever (organisation_id, lever) VALUES ({partner}, 'employment')"
        ),
    ] {
        app.sql(&statement).await;
    }
    // Open asks: (slug, title, mission, lever, size columns, audience).
    for (slug, title, mission, lever, size, audience) in [
        (
            "apprenticeship-places",
            "Apprenticeship places for young people",
            "youth-opportunity",
            "employment",
            "12, 'apprenticeship places', NULL",
            "staff",
        ),
        (
            "host-the-summit",
            "Host the summit",
            "diverse-power",
            "estates",
            "1, 'summit', NULL",
            "staff",
        ),
        (
            "sponsor-community-grants",
            "Sponsor community grants",
            "healthy-estates",
            "funding",
            "NULL, NULL, 5000",
            "staff",
        ),
        (
            "volunteer-mentors",
            "Volunteer mentors",
            "youth-opportunity",
            "volunteering",
            "20, 'mentors', NULL",
            "staff",
        ),
        (
            "restricted-ask",
            RESTRICTED_ASK,
            "youth-opportunity",
            "employment",
            "3, 'places', NULL",
            "restricted",
        ),
    ] {
        app.sql(&format!(
            "INSERT INTO ask (place_id, slug, title, mission_id, lever, quantity, unit, pounds, audience) \
             SELECT p.id, '{slug}', '{title}', m.id, '{lever}', {size}, '{audience}' \
             FROM place p JOIN mission m ON m.place_id = p.id \
             WHERE p.slug = 'camden' AND m.slug = '{mission}'"
        ))
        .await;
    }
    app.sql(&format!(
        "INSERT INTO ask_made (ask_id, organisation_id, asked_on, answer, answered_on, note) \
         SELECT a.id, {partner}, '2026-03-02', 'maybe', '2026-03-20', '{ANSWER_NOTE}' \
         FROM ask a WHERE a.slug = 'volunteer-mentors'"
    ))
    .await;
    let added = app
        .post_as(
            Some(staff),
            &format!("/organisations/{PARTNER}/contacts"),
            &[
                ("name", CONTACT_NAME),
                ("job_title", "Head of Community"),
                ("email", CONTACT_EMAIL),
                ("phone", CONTACT_PHONE),
                ("lawful_basis", "legitimate-interests"),
                ("retention", "active-partnership"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
}

fn page_path(slug: &str) -> String {
    format!("/organisations/{slug}/briefing")
}

fn api_path(slug: &str) -> String {
    format!("/api/v1/places/camden/organisations/{slug}/briefing")
}

/// The slugs of the suggested asks, in order.
fn suggested(json: &Value) -> Vec<String> {
    json["suggested_asks"]
        .as_array()
        .expect("suggested_asks")
        .iter()
        .filter_map(|s| s["ask"]["id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn staff_see_every_section_and_administrators_the_sensitivities() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    plant(&app, &staff).await;

    let page = app.get_as(Some(&staff), &page_path(PARTNER)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        // Who they are.
        "Arsenal F.C.",
        "Who they are",
        "Employment (apprenticeships, placements, living wage)",
        // The relationship and its timeline.
        "The relationship",
        "Active",
        "Timeline",
        "2026-10-14",
        HEALTH_REASON,
        // Interactions (the private summary is for staff) and follow-ups.
        "Recent interactions",
        "Agreed to host a careers day",
        SUMMARY,
        "Open follow-ups",
        "Plan the next ambassador event",
        // Commitments and contributions.
        "Current commitments and contributions",
        "Advocate",
        "Contributions, totalled",
        // Asks made, with the answer and its note.
        "Asks already made",
        "Volunteer mentors",
        "Maybe, 2026-03-20",
        ANSWER_NOTE,
        // Suggested asks, with the factors that explain each score.
        "Suggested asks",
        "Apprenticeship places for young people",
        "Holds the lever the ask needs",
        "Has a commitment to the ask&#39;s mission",
        // Key contacts.
        "Key contacts",
        CONTACT_NAME,
        "Head of Community",
        CONTACT_EMAIL,
        CONTACT_PHONE,
    ] {
        assert!(page.body.contains(shown), "the staff page lacks {shown:?}");
    }
    assert!(
        !page.body.contains(SENSITIVITIES),
        "sensitivities are for administrators"
    );
    assert!(
        !page.body.contains(RESTRICTED_ASK),
        "a restricted ask is not suggested to staff"
    );
    assert!(
        !page.body.contains(INTERNAL_NOTES) || page.body.contains("Staff notes"),
        "no stray notes"
    );
    // The ask already made is not suggested again.
    let suggestions = page
        .body
        .split("id=\"suggested-asks\"")
        .nth(1)
        .expect("suggested asks section");
    assert!(
        !suggestions
            .split("id=\"contacts\"")
            .next()
            .unwrap_or_default()
            .contains("Volunteer mentors")
    );

    let admin_page = app.get_as(Some(&admin), &page_path(PARTNER)).await;
    assert_eq!(admin_page.status, 200);
    assert!(admin_page.body.contains(SENSITIVITIES));
    assert!(admin_page.body.contains(RESTRICTED_ASK));

    // Linked from the organisation's and the relationship's pages, for staff.
    let organisation = app
        .get_as(Some(&staff), &format!("/organisations/{PARTNER}"))
        .await;
    assert!(organisation.body.contains(&page_path(PARTNER)));
    let public_organisation = app.get_as(None, &format!("/organisations/{PARTNER}")).await;
    assert_eq!(public_organisation.status, 200);
    assert!(!public_organisation.body.contains("/briefing"));
    let json: Value =
        serde_json::from_str(&app.get_as(Some(&staff), &api_path(PARTNER)).await.body)
            .expect("json");
    let relationship = json["relationship"]["id"].as_i64().expect("relationship");
    let relationship_page = app
        .get_as(Some(&staff), &format!("/relationships/{relationship}"))
        .await;
    assert!(relationship_page.body.contains(&page_path(PARTNER)));
}

#[tokio::test]
async fn the_json_never_carries_contacts_summaries_notes_reasons_or_sensitivities() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    plant(&app, &staff).await;
    for cookie in [&staff, &admin] {
        let reply = app.get_as(Some(cookie), &api_path(PARTNER)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        for private in NEVER_IN_JSON {
            assert!(
                !reply.body.contains(private),
                "{private:?} reached the briefing's JSON"
            );
        }
        for key in [
            "\"email\"",
            "\"phone\"",
            "\"summary\"",
            "\"note\"",
            "\"health_reason\"",
            "\"sensitivities\"",
            "\"internal_notes\"",
            "\"contacts\"",
        ] {
            assert!(!reply.body.contains(key), "{key} in the briefing's JSON");
        }
        let json: Value = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(json["organisation"]["id"], PARTNER);
        assert_eq!(json["relationship"]["stage"], "active");
        assert_eq!(json["relationship"]["health"], "good");
        assert!(
            !json["relationship"]["history"]
                .as_array()
                .expect("history")
                .is_empty()
        );
        assert_eq!(
            json["interactions"][0]["outcomes"],
            "Agreed to host a careers day"
        );
        assert_eq!(
            json["open_follow_ups"][0]["action"],
            "Plan the next ambassador event"
        );
        assert!(
            !json["commitments"]
                .as_array()
                .expect("commitments")
                .is_empty()
        );
        assert_eq!(json["asks_made"][0]["ask"]["id"], "volunteer-mentors");
        assert_eq!(json["asks_made"][0]["answer"], "maybe");
    }
}

#[tokio::test]
async fn suggested_asks_are_ranked_by_the_score_and_explained() {
    let (app, [_, _, staff, admin]) = camden_with_accounts().await;
    plant(&app, &staff).await;
    let (status, json) = {
        let reply = app.get_as(Some(&staff), &api_path(PARTNER)).await;
        (
            reply.status,
            serde_json::from_str::<Value>(&reply.body).expect("json"),
        )
    };
    assert_eq!(status, 200);
    // The lever and the mission put the apprenticeships first; the other
    // two tie and are ordered by title; the ask already made, and the
    // restricted one staff cannot see, are not suggested.
    assert_eq!(
        suggested(&json),
        [
            "apprenticeship-places",
            "host-the-summit",
            "sponsor-community-grants"
        ]
    );
    let asks = json["suggested_asks"].as_array().expect("suggested");
    let mut previous = i64::MAX;
    for ask in asks {
        let score = ask["score"].as_i64().expect("score");
        let factors = ask["factors"].as_array().expect("factors");
        let sum: i64 = factors.iter().filter_map(|f| f["points"].as_i64()).sum();
        assert_eq!(score, sum, "a score is the sum of its factors");
        assert!(score <= previous, "best first");
        previous = score;
        for f in factors {
            assert!(f["factor"].is_string() && f["reason"].is_string());
        }
    }
    let factor = |ask: &Value, name: &str| -> (i64, String) {
        let f = ask["factors"]
            .as_array()
            .and_then(|fs| fs.iter().find(|f| f["factor"] == name))
            .unwrap_or_else(|| panic!("no {name} factor"));
        (
            f["points"].as_i64().unwrap_or_default(),
            f["reason"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let first = &asks[0];
    assert_eq!(
        factor(first, "Lever").0,
        placeweave_domain::ask::weights::LEVER
    );
    assert_eq!(
        factor(first, "Mission").0,
        placeweave_domain::ask::weights::MISSION
    );
    assert_eq!(
        factor(first, "Stage").0,
        placeweave_domain::ask::stage_points(Some(
            placeweave_domain::relationship::RelationshipStage::Active
        ))
    );
    assert_eq!(
        factor(first, "Health").0,
        placeweave_domain::ask::weights::HEALTH_GOOD
    );
    assert_eq!(factor(&asks[1], "Lever").0, 0);
    // Asked in March: the fatigue factor says so.
    assert!(factor(first, "Ask fatigue").1.starts_with("Last asked"));

    // An administrator also sees the restricted ask, ranked by the same score.
    let admin_json: Value =
        serde_json::from_str(&app.get_as(Some(&admin), &api_path(PARTNER)).await.body)
            .expect("json");
    let ranked = suggested(&admin_json);
    assert_eq!(ranked.len(), 4, "{ranked:?}");
    assert!(
        ranked[..2].contains(&"restricted-ask".to_owned()),
        "{ranked:?}"
    );
}

/// The page and the API answer for `slug` exactly as for an organisation
/// that does not exist.
async fn assert_missing(app: &TestApp, cookie: Option<&str>, slug: &str, who: &str) {
    let unknown = "no-such-organisation";
    let normalise = |body: &str| body.replace(slug, "SLUG").replace(unknown, "SLUG");
    let page = app.get_as(cookie, &page_path(slug)).await;
    let missing = app.get_as(cookie, &page_path(unknown)).await;
    assert_eq!(missing.status, 404, "{who}");
    assert_eq!(page.status, 404, "{who}: {slug}");
    assert_eq!(
        normalise(&page.body),
        normalise(&missing.body),
        "{who}: {slug}'s page differs from a missing one"
    );
    let api = app.get_as(cookie, &api_path(slug)).await;
    let missing = app.get_as(cookie, &api_path(unknown)).await;
    assert_eq!(missing.status, 404, "{who}");
    assert_eq!(api.status, 404, "{who}: {slug}");
    assert_eq!(api.header("content-type"), missing.header("content-type"));
    let problem = |body: &str| {
        let mut value: Value = serde_json::from_str(body).expect("problem");
        if let Some(map) = value.as_object_mut() {
            map.remove("reference");
        }
        value
    };
    assert_eq!(problem(&api.body), problem(&missing.body), "{who}: {slug}");
}

#[tokio::test]
async fn everyone_else_gets_the_missing_page() {
    let (app, [ucl, roundhouse, staff, admin]) = camden_with_accounts().await;
    plant(&app, &staff).await;
    // Partners (the Roundhouse's asking about their own organisation
    // too) and the public.
    for (who, cookie) in [
        ("a partner of UCL", Some(ucl.as_str())),
        ("a partner of the Roundhouse", Some(roundhouse.as_str())),
        ("a signed-out visitor", None),
    ] {
        assert_missing(&app, cookie, PARTNER, who).await;
        assert_missing(&app, cookie, "roundhouse", who).await;
    }
    // An organisation staff may not see is missing to them, not to admins.
    app.sql(
        "UPDATE organisation SET audience = 'restricted' WHERE slug = 'british-museum' \
         AND place_id = (SELECT id FROM place WHERE slug = 'camden')",
    )
    .await;
    assert_missing(&app, Some(&staff), "british-museum", "staff").await;
    let admin_page = app.get_as(Some(&admin), &page_path("british-museum")).await;
    assert_eq!(admin_page.status, 200);
    // A slug that could never be one.
    let odd = app
        .get_as(Some(&staff), "/organisations/NOT%20A%20SLUG/briefing")
        .await;
    assert_eq!(odd.status, 404);
    // The place's demonstration partner has a briefing with content.
    let demo = app.get_as(Some(&staff), &page_path("camden-giving")).await;
    assert_eq!(demo.status, 200);
    assert!(demo.body.contains("Demonstration record") && demo.body.contains("Committed"));
}

#[tokio::test]
async fn a_demonstration_partner_has_a_full_briefing() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let page = app.get_as(Some(&staff), &page_path(PARTNER)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    for shown in [
        "Demonstration record",
        "Plan the next ambassador event",
        "Advocate",
        "Apprenticeships",
        // The demonstration asks: one put to Arsenal, one open to suggest.
        "Apprenticeship places for care leavers",
        "Host the partnership summit",
    ] {
        assert!(
            page.body.contains(shown),
            "the demo briefing lacks {shown:?}"
        );
    }
    let json: Value =
        serde_json::from_str(&app.get_as(Some(&staff), &api_path(PARTNER)).await.body)
            .expect("json");
    assert_eq!(
        json["asks_made"][0]["ask"]["id"],
        "apprenticeship-places-for-care-leavers"
    );
    assert!(suggested(&json).contains(&"host-the-partnership-summit".to_owned()));
}
