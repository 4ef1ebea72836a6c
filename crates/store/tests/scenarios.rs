//! Store scenarios, run against whichever backend the test script selects
//! (SQLite by default, PostgreSQL with PLACEWEAVE_TEST_POSTGRES set).

use placeweave_domain::filter::OrganisationQuery;
use placeweave_domain::{
    Audience, CommitmentStatus, OrganisationFilter, PageRequest, Place, Viewer,
};
use placeweave_store::synthetic::{self, Options};
use placeweave_store::testing::{self, database};
use placeweave_store::{CommitmentFilter, NewCommitment, StoreError, camden};

fn filter(query: OrganisationQuery) -> (OrganisationFilter, PageRequest) {
    OrganisationFilter::parse(&query).expect("valid filter")
}

#[tokio::test]
async fn migrations_and_demo_are_idempotent() {
    let db = database().await.expect("database");
    db.store.migrate().await.expect("second migrate is a no-op");
    assert!(camden::ensure(&db.store).await.expect("seed"));
    assert!(!camden::ensure(&db.store).await.expect("reuse"));
    assert_eq!(
        db.store.places(Viewer::Public).await.expect("places").len(),
        1
    );
}

#[tokio::test]
async fn camden_demo_holds_the_published_facts() {
    let db = database().await.expect("database");
    camden::ensure(&db.store).await.expect("seed");
    let store = &db.store;
    let place = store
        .place("camden", Viewer::Public)
        .await
        .expect("read")
        .expect("camden");

    let missions = store
        .missions(place.key, Viewer::Public)
        .await
        .expect("missions");
    assert_eq!(missions.len(), 4);
    assert!(missions.iter().any(|m| m.statement
        == "By 2030, everyone eats well every day with nutritious, affordable, sustainable food."));
    let youth = missions
        .iter()
        .find(|m| m.id == "youth-opportunity")
        .expect("youth");
    assert_eq!(youth.target_year, Some(2025));

    let roles = store.roles(place.key, Viewer::Public).await.expect("roles");
    let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Recognition of action",
            "Advocate/ champion",
            "Sponsorship",
            "Research, learning & evaluation"
        ]
    );
    assert!(
        roles[2]
            .value_for_partner
            .contains("Alignment with CSR activity")
    );

    let themes = store
        .outcome_themes(place.key, Viewer::Public)
        .await
        .expect("themes");
    let theme_names: Vec<_> = themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(theme_names, ["Safety", "Equality", "Health"]);

    let ambassadors = store
        .initiative(place.key, "missions-ambassadors", Viewer::Public)
        .await
        .expect("read")
        .expect("initiative");
    let testing: Vec<_> = ambassadors
        .participants
        .iter()
        .filter(|p| p.role.as_deref() == Some("Testing the ambassador role"))
        .map(|p| p.organisation.id.as_str())
        .collect();
    assert_eq!(testing.len(), 8);
    assert!(testing.contains(&"arsenal-fc") && testing.contains(&"word-on-the-curb"));

    let summit = store
        .initiative(place.key, "we-make-camden-summit", Viewer::Public)
        .await
        .expect("read")
        .expect("summit");
    let hosts: Vec<_> = summit
        .participants
        .iter()
        .filter(|p| p.role.as_deref() == Some("Host"))
        .map(|p| p.organisation.name.as_str())
        .collect();
    assert_eq!(
        hosts,
        [
            "University College London (UCL)",
            "University of London Senate House",
            "Wellcome Collection"
        ]
    );

    let commitments = store
        .commitments(place.key, Viewer::Public, &CommitmentFilter::default())
        .await
        .expect("commitments");
    assert!(!commitments.is_empty());
    assert!(
        commitments.iter().all(|c| c.demonstration),
        "made-up commitments must be labelled"
    );
}

#[tokio::test]
async fn directory_filters_and_pages() {
    let db = database().await.expect("database");
    camden::ensure(&db.store).await.expect("seed");
    let store = &db.store;
    let place = store
        .place("camden", Viewer::Public)
        .await
        .expect("read")
        .expect("camden")
        .key;

    let (f, p) = filter(OrganisationQuery {
        kind: Some("university".into()),
        ..Default::default()
    });
    let (rows, total) = testing::listed(store, place, Viewer::Public, &f, p)
        .await
        .expect("list");
    assert_eq!(total, 3);
    assert!(rows.iter().all(|o| o.kind.slug() == "university"));

    let (f, p) = filter(OrganisationQuery {
        lever: Some("estates".into()),
        ..Default::default()
    });
    let (rows, _) = testing::listed(store, place, Viewer::Public, &f, p)
        .await
        .expect("list");
    let ids: Vec<_> = rows.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["ucl", "senate-house", "wellcome-collection"]);

    let (f, p) = filter(OrganisationQuery {
        mission: Some("youth-opportunity".into()),
        ..Default::default()
    });
    let (rows, _) = testing::listed(store, place, Viewer::Public, &f, p)
        .await
        .expect("list");
    let ids: Vec<_> = rows.iter().map(|o| o.id.as_str()).collect();
    for expected in ["google", "camden-learning", "arsenal-fc"] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
    assert!(!ids.contains(&"british-land"));

    let (f, p) = filter(OrganisationQuery {
        q: Some("CAMDEN".into()),
        ..Default::default()
    });
    let (rows, total) = testing::listed(store, place, Viewer::Public, &f, p)
        .await
        .expect("list");
    assert_eq!(total, rows.len() as i64);
    assert!(
        rows.iter()
            .all(|o| o.name.to_lowercase().contains("camden"))
    );
    assert!(total >= 3);

    let (f, p) = filter(OrganisationQuery {
        q: Some("100%".into()),
        ..Default::default()
    });
    let (_, total) = testing::listed(store, place, Viewer::Public, &f, p)
        .await
        .expect("list");
    assert_eq!(
        total, 0,
        "punctuation is no search word and matches nothing"
    );

    let (f, p) = filter(OrganisationQuery {
        per_page: Some("5".into()),
        page: Some("2".into()),
        ..Default::default()
    });
    let (all, _) = testing::listed(
        store,
        place,
        Viewer::Public,
        &f,
        PageRequest {
            page: 1,
            per_page: 100,
        },
    )
    .await
    .expect("list");
    let (second, total) = testing::listed(store, place, Viewer::Public, &f, p)
        .await
        .expect("list");
    assert_eq!(total, all.len() as i64);
    assert_eq!(second, all[5..10].to_vec());
}

#[tokio::test]
async fn records_and_fields_stay_within_their_audience() {
    let db = database().await.expect("database");
    camden::ensure(&db.store).await.expect("seed");
    let store = &db.store;
    let place = store
        .place("camden", Viewer::Public)
        .await
        .expect("read")
        .expect("camden")
        .key;
    let canary = "CANARY-7f3a-staff-note";

    let mut tx = store.begin().await.expect("begin");
    let mut hidden = store
        .organisation(place, "ucl", Viewer::Admin)
        .await
        .expect("read")
        .expect("ucl");
    hidden.id = "hidden-partner".into();
    hidden.name = "Hidden Partner".into();
    hidden.audience = Audience::Staff;
    let mut noted = hidden.clone();
    noted.id = "noted-partner".into();
    noted.name = "Noted Partner".into();
    noted.audience = Audience::Public;
    noted.internal_notes = Some(canary.into());
    let ids = tx
        .insert_organisations(place, &[hidden, noted])
        .await
        .expect("insert");
    tx.insert_commitment(
        place,
        &NewCommitment {
            organisation_id: ids[1],
            role_id: None,
            mission_id: None,
            status: CommitmentStatus::Proposed,
            review: placeweave_domain::commitment::Review::Accepted,
            start_date: None,
            end_date: None,
            note: Some(canary.into()),
            demonstration: true,
            audience: Audience::Restricted,
        },
    )
    .await
    .expect("commitment");
    placeweave_store::testing::commit(tx).await.expect("commit");

    assert!(
        store
            .organisation(place, "hidden-partner", Viewer::Public)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .organisation(place, "hidden-partner", Viewer::Partner)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .organisation(place, "hidden-partner", Viewer::Staff)
            .await
            .expect("read")
            .is_some()
    );

    let public = store
        .organisation(place, "noted-partner", Viewer::Public)
        .await
        .expect("read")
        .expect("public");
    assert_eq!(public.internal_notes, None);
    let staff = store
        .organisation(place, "noted-partner", Viewer::Staff)
        .await
        .expect("read")
        .expect("staff");
    assert_eq!(staff.internal_notes.as_deref(), Some(canary));

    let (f, p) = filter(OrganisationQuery {
        q: Some("partner".into()),
        ..Default::default()
    });
    let (rows, total) = testing::listed(store, place, Viewer::Public, &f, p)
        .await
        .expect("list");
    assert_eq!((rows.len(), total), (1, 1));
    let headline_public = store
        .headline(place, Viewer::Public)
        .await
        .expect("headline");
    let headline_staff = store
        .headline(place, Viewer::Staff)
        .await
        .expect("headline");
    assert_eq!(
        headline_staff.organisations,
        headline_public.organisations + 1
    );

    let everyone = CommitmentFilter::default();
    let for_staff = store
        .commitments(place, Viewer::Staff, &everyone)
        .await
        .expect("read");
    assert!(for_staff.iter().all(|c| c.note.as_deref() != Some(canary)));
    let for_admin = store
        .commitments(place, Viewer::Admin, &everyone)
        .await
        .expect("read");
    assert!(for_admin.iter().any(|c| c.note.as_deref() == Some(canary)));
}

#[tokio::test]
async fn uncommitted_writes_leave_nothing_and_duplicates_are_refused() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = Place {
        id: "elsewhere".into(),
        name: "Elsewhere".into(),
        convening_organisation: "Elsewhere Council".into(),
        description: None,
        synthetic: true,
        audience: Audience::Public,
    };
    {
        let mut tx = store.begin().await.expect("begin");
        tx.insert_place(&place).await.expect("insert");
        // Dropped without commit.
    }
    assert!(
        store
            .place("elsewhere", Viewer::Admin)
            .await
            .expect("read")
            .is_none()
    );

    let mut tx = store.begin().await.expect("begin");
    tx.insert_place(&place).await.expect("insert");
    placeweave_store::testing::commit(tx).await.expect("commit");
    let mut tx = store.begin().await.expect("begin");
    let err = tx.insert_place(&place).await.expect_err("duplicate");
    assert!(matches!(err, StoreError::Duplicate(_)), "{err}");
}

#[tokio::test]
async fn synthetic_places_have_the_requested_shape() {
    let db = database().await.expect("database");
    let store = &db.store;
    let options = Options {
        organisations: 2_000,
        seed: 42,
        place_slug: None,
    };
    let calls = std::sync::atomic::AtomicU64::new(0);
    let report = synthetic::generate(store, &options, &|done, total| {
        assert!(done <= total);
        calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    })
    .await
    .expect("generate");
    assert!(calls.into_inner() >= 1);
    assert_eq!(report.organisations, 2_000);
    let place = store
        .place("synthetic-42", Viewer::Public)
        .await
        .expect("read")
        .expect("place");
    assert!(place.place.synthetic);
    let headline = store
        .headline(place.key, Viewer::Public)
        .await
        .expect("headline");
    assert_eq!(headline.organisations, 2_000);
    assert_eq!(headline.initiatives, report.initiatives as i64);
    assert_eq!(
        store
            .wards(place.key, Viewer::Public)
            .await
            .expect("wards")
            .len(),
        20
    );
    // Asks (one per hundred organisations, staff only) and a measure per
    // theme with values for seven years, place-wide and in five wards.
    assert_eq!(report.asks, 20);
    let asks = store
        .asks(place.key, Viewer::Staff, &Default::default())
        .await
        .expect("asks");
    assert_eq!(asks.len(), 20);
    assert!(asks.iter().all(|a| !a.made.is_empty() && a.demonstration));
    assert!(
        store
            .asks(place.key, Viewer::Partner, &Default::default())
            .await
            .expect("asks")
            .is_empty()
    );
    // Enquiries: one per hundred organisations, staff only, labelled.
    assert_eq!(report.enquiries, 20);
    let enquiries = store
        .enquiries(place.key, Viewer::Staff, None)
        .await
        .expect("enquiries");
    assert_eq!(enquiries.len(), 20);
    assert!(enquiries.iter().all(|e| e.demonstration));
    assert!(
        store
            .enquiries(place.key, Viewer::Partner, None)
            .await
            .expect("enquiries")
            .is_empty()
    );
    assert!(report.measures >= 1);
    let values = store
        .measure_values(
            place.key,
            placeweave_store::outcome::MeasuresOf::Measure("measure-1"),
            Viewer::Public,
        )
        .await
        .expect("values");
    assert_eq!(values.len(), 7 * 6);
    // A relationship with one organisation in two, ten interactions each.
    assert_eq!(report.relationships, 1_000);
    assert_eq!(report.interactions, 20_000);
    let pipeline = store
        .relationships(place.key, Viewer::Staff, &Default::default())
        .await
        .expect("relationships");
    assert_eq!(pipeline.len(), 1_000);
    assert!(
        pipeline
            .iter()
            .all(|r| r.demonstration && !r.history.is_empty())
    );

    // The same seed gives the same place.
    let again = Options {
        place_slug: Some("again".into()),
        ..options
    };
    synthetic::generate(store, &again, &|_, _| {})
        .await
        .expect("generate");
    let other = store
        .place("again", Viewer::Public)
        .await
        .expect("read")
        .expect("place");
    let page = PageRequest {
        page: 1,
        per_page: 100,
    };
    let everything = OrganisationFilter::default();
    let (a, _) = testing::listed(store, place.key, Viewer::Public, &everything, page)
        .await
        .expect("list");
    let (b, _) = testing::listed(store, other.key, Viewer::Public, &everything, page)
        .await
        .expect("list");
    assert_eq!(a, b);
}
