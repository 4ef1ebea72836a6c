//! "Express interest" over HTTP: anyone sends an enquiry from a role or a
//! mission and gets a reference; each bad field is named and nothing is
//! stored; a filled honeypot stores nothing; the rate limit answers 429
//! with Retry-After; only staff see the queue, each enquiry and the API;
//! staff decline one or turn it into a relationship, and are told when the
//! organisation already has one.

mod common;

use common::{TestApp, camden_with_accounts};
use placeweave_domain::Viewer;
use placeweave_domain::enquiry::{Enquiry, EnquiryStatus};

const ORGANISATION: &str = "Kentish Town Bakery";

fn valid<'a>(role: &'a str, website: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("organisation", ORGANISATION),
        ("name", "Ada Okafor"),
        ("email", "Ada@Bakery.example"),
        ("role", role),
        ("mission", "youth-opportunity"),
        ("message", "We could host two work placements a year."),
        ("website", website),
    ]
}

/// The enquiries a test sent (the demo's demonstration ones left out).
async fn stored(app: &TestApp) -> Vec<Enquiry> {
    let place = app.place_key("camden").await;
    let mut all = app
        .db
        .store
        .enquiries(place, Viewer::Admin, None)
        .await
        .expect("read");
    all.retain(|e| !e.demonstration);
    all
}

#[tokio::test]
async fn anyone_expresses_interest_and_only_staff_see_it() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;

    // The offer and the mission link to the form, which is prefilled.
    let offer = app.get_as(None, "/offer").await;
    assert!(offer.body.contains("/express-interest?role=sponsorship"));
    assert!(
        offer.body.contains("href=\"/express-interest\""),
        "the offer as a whole"
    );
    let mission = app.get_as(None, "/missions/youth-opportunity").await;
    assert!(
        mission
            .body
            .contains("/express-interest?mission=youth-opportunity")
    );
    let form = app.get_as(None, "/express-interest?role=sponsorship").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body
            .contains("<option value=\"sponsorship\" selected>")
    );
    assert!(
        form.body.contains("href=\"/privacy\""),
        "the privacy notice"
    );
    assert!(form.body.contains("delete them after 6 months"));

    let sent = app
        .post_as(None, "/express-interest", &valid("sponsorship", ""))
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let reference = sent
        .body
        .split("<strong id=\"reference\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a reference")
        .to_owned();
    assert!(reference.starts_with("ENQ-") && reference.len() == 10);

    let enquiries = stored(&app).await;
    assert_eq!(enquiries.len(), 1);
    let enquiry = &enquiries[0];
    assert_eq!(enquiry.reference, reference);
    assert_eq!(enquiry.email, "ada@bakery.example");
    assert_eq!(enquiry.status, EnquiryStatus::New);
    assert_eq!(
        enquiry.role.as_ref().map(|r| r.id.as_str()),
        Some("sponsorship")
    );
    assert_eq!(enquiry.retention.slug(), "one-off-enquiry");

    // Staff and admins see the queue, the enquiry and the API.
    for cookie in [&staff, &admin] {
        let list = app.get_as(Some(cookie), "/enquiries").await;
        assert_eq!(list.status, 200);
        assert!(list.body.contains(ORGANISATION) && list.body.contains(&reference));
        let page = app
            .get_as(Some(cookie), &format!("/enquiries/{}", enquiry.id))
            .await;
        assert!(page.body.contains("ada@bakery.example"));
        let api = app
            .get_as(Some(cookie), "/api/v1/places/camden/enquiries")
            .await;
        assert_eq!(api.status, 200);
        assert!(api.body.contains(&reference));
        let one = app
            .get_as(
                Some(cookie),
                &format!("/api/v1/places/camden/enquiries/{}", enquiry.id),
            )
            .await;
        assert_eq!(one.status, 200);
    }
    // Nobody else does, anywhere.
    for cookie in [None, Some(ucl.as_str())] {
        for path in [
            "/enquiries".to_owned(),
            format!("/enquiries/{}", enquiry.id),
            "/api/v1/places/camden/enquiries".to_owned(),
            format!("/api/v1/places/camden/enquiries/{}", enquiry.id),
            "/search?q=Kentish".to_owned(),
            "/api/v1/places/camden/search?q=Kentish".to_owned(),
        ] {
            let reply = app.get_as(cookie, &path).await;
            assert!(
                !reply.body.contains(ORGANISATION) && !reply.body.contains("bakery.example"),
                "{path} shows the enquiry"
            );
            if path.contains("enquiries") {
                assert!(
                    matches!(reply.status, 303 | 401 | 403 | 404),
                    "{path}: {}",
                    reply.status
                );
            }
        }
    }
}

#[tokio::test]
async fn each_bad_field_is_named_and_nothing_is_stored() {
    let (app, _) = camden_with_accounts().await;
    let empty = app.post_as(None, "/express-interest", &[]).await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("govuk-error-summary"));
    for field in ["organisation", "name", "email", "message"] {
        assert!(
            empty.body.contains(&format!("href=\"#{field}\"")),
            "{field} is named"
        );
    }
    let mut bad_email = valid("sponsorship", "");
    bad_email[2] = ("email", "not-an-email");
    let reply = app.post_as(None, "/express-interest", &bad_email).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("href=\"#email\""));
    assert!(reply.body.contains(ORGANISATION), "what was typed is kept");
    // A role that is not a public one of the place is named too.
    let reply = app
        .post_as(None, "/express-interest", &valid("no-such-role", ""))
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("href=\"#role\""));
    assert!(stored(&app).await.is_empty(), "nothing is created on error");
}

#[tokio::test]
async fn the_honeypot_and_the_rate_limit_keep_out_robots() {
    let (app, _) = camden_with_accounts().await;
    let spam = app
        .post_as(
            None,
            "/express-interest",
            &valid("sponsorship", "http://spam.example"),
        )
        .await;
    assert_eq!(spam.status, 200, "accepted silently");
    assert!(spam.body.contains("Enquiry sent"));
    assert!(
        stored(&app).await.is_empty(),
        "a filled honeypot stores nothing"
    );

    // The honeypot counted; nine more are taken, then the client waits.
    for _ in 1..placeweave_app::enquiry::ENQUIRIES_PER_CLIENT {
        let sent = app
            .post_as(None, "/express-interest", &valid("sponsorship", ""))
            .await;
        assert_eq!(sent.status, 200, "{}", sent.body);
    }
    let refused = app
        .post_as(None, "/express-interest", &valid("sponsorship", ""))
        .await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.header("retry-after"), "3600");
    assert!(refused.body.contains("too many enquiries"));
    assert_eq!(
        stored(&app).await.len(),
        usize::try_from(placeweave_app::enquiry::ENQUIRIES_PER_CLIENT - 1).expect("small")
    );
}

#[tokio::test]
async fn staff_decline_an_enquiry_or_turn_it_into_a_relationship() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    for _ in 0..3 {
        app.post_as(None, "/express-interest", &valid("", "")).await;
    }
    let ids: Vec<i64> = stored(&app).await.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), 3);

    // Each missing field is named.
    let url = |id: i64| format!("/enquiries/{id}/triage");
    let reply = app.post_as(Some(&staff), &url(ids[0]), &[]).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("href=\"#decision\""));
    let reply = app
        .post_as(Some(&staff), &url(ids[0]), &[("decision", "decline")])
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("href=\"#note\""));

    // Declined, with a note.
    let reply = app
        .post_as(
            Some(&staff),
            &url(ids[0]),
            &[("decision", "decline"), ("note", "Outside the borough")],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    // A second decision finds no new enquiry.
    let again = app
        .post_as(
            Some(&staff),
            &url(ids[0]),
            &[("decision", "decline"), ("note", "Again")],
        )
        .await;
    assert_eq!(again.status, 404);

    // An organisation that already has a relationship: said, and linked.
    let place = app.place_key("camden").await;
    let existing = app
        .db
        .store
        .relationships(place, Viewer::Admin, &Default::default())
        .await
        .expect("read");
    let taken = existing.first().expect("the demo has relationships");
    let reply = app
        .post_as(
            Some(&staff),
            &url(ids[1]),
            &[
                ("decision", "relate"),
                ("organisation", &taken.organisation.id),
                ("stage", "warm-conversation"),
            ],
        )
        .await;
    assert_eq!(reply.status, 409);
    assert!(reply.body.contains("already has a relationship"));
    assert!(reply.body.contains(&format!("/relationships/{}", taken.id)));

    // A new relationship at "warm conversation".
    let free = "ucl".to_owned();
    assert!(
        !existing.iter().any(|r| r.organisation.id == free),
        "UCL has no relationship in the demo"
    );
    let reply = app
        .post_as(
            Some(&staff),
            &url(ids[2]),
            &[
                ("decision", "relate"),
                ("organisation", &free),
                ("stage", "warm-conversation"),
            ],
        )
        .await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.location();
    assert!(location.starts_with("/relationships/"), "{location}");
    let enquiries = stored(&app).await;
    let status = |id: i64| {
        enquiries
            .iter()
            .find(|e| e.id == id)
            .map(|e| (e.status, e.note.clone(), e.relationship))
            .expect("enquiry")
    };
    assert_eq!(
        status(ids[0]),
        (
            EnquiryStatus::Declined,
            Some("Outside the borough".into()),
            None
        )
    );
    assert_eq!(
        status(ids[1]).0,
        EnquiryStatus::New,
        "nothing written on 409"
    );
    let (triaged, _, relationship) = status(ids[2]);
    assert_eq!(triaged, EnquiryStatus::Triaged);
    let relationship = relationship.expect("linked");
    let created = app
        .db
        .store
        .relationship(place, relationship, Viewer::Admin)
        .await
        .expect("read")
        .expect("created");
    assert_eq!(created.organisation.id, free);
    assert_eq!(created.stage.slug(), "warm-conversation");
    assert_eq!(created.history.len(), 1);
}
