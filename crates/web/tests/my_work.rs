//! "My work" on the home page: a staff member sees the relationships they
//! own, their own overdue follow-ups (not someone else's, not ones due
//! later or done) and how many enquiries wait; partners and the public see
//! no such section.

mod common;

use common::{PASSWORD, camden_with_accounts};
use placeweave_domain::AccountRole;
use placeweave_domain::relationship::{Formality, RelationshipStage};
use placeweave_store::NewRelationship;

#[tokio::test]
async fn staff_see_their_own_work_on_the_home_page() {
    let (app, [ucl, _, other_staff, _]) = camden_with_accounts().await;
    let me = app
        .account("worker@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    let cookie = app.sign_in("worker@camden.example", PASSWORD).await;
    let place = app.place_key("camden").await;
    let organisation_id = app.organisation_key(place, "ucl").await;
    let store = &app.db.store;
    let mut tx = store.begin().await.expect("begin");
    tx.insert_relationship(
        place,
        &NewRelationship {
            organisation_id,
            stage: RelationshipStage::WarmConversation,
            formality: Formality::Informal,
            health: None,
            health_reason: None,
            sensitivities: None,
            demonstration: true,
            owner_ids: vec![me],
            mission_ids: vec![],
            history: vec![(RelationshipStage::WarmConversation, "2026-01-01".into())],
        },
    )
    .await
    .expect("relationship");
    placeweave_store::testing::commit(tx).await.expect("commit");
    // Follow-ups logged through the quick form: mine and overdue, mine but
    // due later, and someone else's overdue.
    let someone = app
        .account("someone@camden.example", AccountRole::Staff, None, PASSWORD)
        .await;
    for (action, owner, year) in [
        ("Mine and overdue", me, "2026"),
        ("Mine but later", me, "2099"),
        ("Someone else", someone, "2026"),
    ] {
        let owner = owner.to_string();
        let logged = app
            .post_as(
                Some(&cookie),
                "/interactions/new",
                &[
                    ("organisation", "ucl"),
                    ("kind", "call"),
                    ("date-day", "2"),
                    ("date-month", "1"),
                    ("date-year", "2026"),
                    ("staff", &owner),
                    ("follow_up", action),
                    ("follow_up_owner", &owner),
                    ("follow_up_due-day", "5"),
                    ("follow_up_due-month", "1"),
                    ("follow_up_due-year", year),
                ],
            )
            .await;
        assert_eq!(logged.status, 303, "{}", logged.body);
    }
    let sent = app
        .post_as(
            None,
            "/express-interest",
            &[
                ("organisation", "Bakery"),
                ("name", "Ada"),
                ("email", "ada@bakery.example"),
                ("message", "Hello"),
            ],
        )
        .await;
    assert_eq!(sent.status, 200);

    let home = app.get_as(Some(&cookie), "/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("My work"));
    // The demo's two demonstration enquiries wait for triage too.
    assert!(home.body.contains("3 new enquiries"), "{}", home.body);
    assert!(home.body.contains("Mine and overdue"));
    for absent in [
        "Mine but later",
        "Mine and done",
        "Nobody&#39;s",
        "Nobody's",
    ] {
        assert!(
            !home.body.contains(absent),
            "{absent} is not my overdue work"
        );
    }
    assert!(home.body.contains("University College London") || home.body.contains("UCL"));
    assert!(home.body.contains("Warm conversation"));

    // Another staff member owns nothing and has nothing overdue.
    let theirs = app.get_as(Some(&other_staff), "/").await;
    assert!(theirs.body.contains("My work") && !theirs.body.contains("Mine and overdue"));
    assert!(theirs.body.contains("You own no relationships yet"));
    for cookie in [None, Some(ucl.as_str())] {
        let page = app.get_as(cookie, "/").await;
        assert!(!page.body.contains("My work"), "only staff have work here");
    }

    // What is kept of my work goes with the next write: a follow-up
    // someone gives me now is on the page at once.
    let me = me.to_string();
    let logged = app
        .post_as(
            Some(&other_staff),
            "/interactions/new",
            &[
                ("organisation", "ucl"),
                ("kind", "email"),
                ("date-day", "3"),
                ("date-month", "1"),
                ("date-year", "2026"),
                ("follow_up", "Fresh and overdue"),
                ("follow_up_owner", &me),
                ("follow_up_due-day", "6"),
                ("follow_up_due-month", "1"),
                ("follow_up_due-year", "2026"),
            ],
        )
        .await;
    assert_eq!(logged.status, 303, "{}", logged.body);
    let home = app.get_as(Some(&cookie), "/").await;
    assert!(home.body.contains("Fresh and overdue"));
}
