//! Site search on a fixture whose texts are chosen to show ranking, prefix
//! matching and stemming, on whichever backend the test script selects.

use placeweave_domain::search::{Search, SearchKind, SearchResults};
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_domain::{Audience, Organisation, PageRequest, Place, Viewer};
use placeweave_store::privacy::NewContact;
use placeweave_store::testing::{commit, database};
use placeweave_store::{Store, Tx};

fn organisation(slug: &str, name: &str, description: &str, audience: Audience) -> Organisation {
    Organisation {
        id: slug.into(),
        name: name.into(),
        kind: OrganisationKind::VoluntaryCommunity,
        size_band: None,
        scope: None,
        wards: vec!["Haverstock".into()],
        identifiers: vec![],
        is_anchor: false,
        levers: vec![],
        description: Some(description.into()),
        website: None,
        internal_notes: Some("zebrafinch notes only staff read".into()),
        audience,
        version: 1,
    }
}

async fn fixture(store: &Store) -> i64 {
    let mut tx: Tx = store.begin().await.expect("begin");
    let place = tx
        .insert_place(&Place {
            id: "searchville".into(),
            name: "Searchville".into(),
            convening_organisation: "Searchville Council".into(),
            description: None,
            synthetic: true,
            audience: Audience::Public,
        })
        .await
        .expect("place");
    tx.insert_organisations(
        place,
        &[
            organisation(
                "garden-volunteers",
                "Garden Volunteers",
                "Weekend planting on estates.",
                Audience::Public,
            ),
            organisation(
                "estate-trust",
                "Estate Trust",
                "Runs volunteering days with the garden volunteers.",
                Audience::Public,
            ),
            organisation(
                "quiet-partner",
                "Quiet Volunteering Partner",
                "Not yet announced.",
                Audience::Staff,
            ),
            organisation(
                "board-only",
                "Volunteer Board",
                "Restricted.",
                Audience::Restricted,
            ),
        ],
    )
    .await
    .expect("organisations");
    tx.insert_contact(
        place,
        &NewContact {
            organisation: "garden-volunteers".into(),
            name: "Perpetua Gardener".into(),
            job_title: Some("Volunteer coordinator".into()),
            email: Some("perpetua@example.org".into()),
            phone: None,
            lawful_basis: placeweave_domain::contact::LawfulBasis::LegitimateInterests,
            retention: placeweave_domain::contact::Retention::ActivePartnership,
            owner: None,
        },
        1_800_000_000,
    )
    .await
    .expect("contact");
    commit(tx).await.expect("commit");
    place
}

async fn find(store: &Store, place: i64, viewer: Viewer, q: &str) -> SearchResults {
    let search = Search {
        words: placeweave_domain::search::words(q),
        kind: None,
    };
    store
        .search(
            place,
            viewer,
            &search,
            SearchKind::ALL,
            PageRequest::default(),
        )
        .await
        .expect("search")
}

fn slugs(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

#[tokio::test]
async fn titles_rank_first_prefixes_and_endings_match_and_words_are_marked() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = fixture(store).await;

    // "volunteers" is in one title and, as "volunteering" and
    // "volunteers", in another body: stemming finds both, the title first.
    let found = find(store, place, Viewer::Public, "volunteers").await;
    assert_eq!(slugs(&found), ["garden-volunteers", "estate-trust"]);
    assert_eq!(found.total, 2);
    assert_eq!(found.counts, [(SearchKind::Organisation, 2)]);
    let title = &found.hits[0].title;
    assert!(
        title.iter().any(|f| f.matched && f.text == "Volunteers"),
        "{title:?}"
    );
    let snippet = &found.hits[1].snippet;
    assert!(snippet.iter().any(|f| f.matched), "{snippet:?}");

    // A prefix finds whole words; every word must match.
    assert_eq!(
        slugs(&find(store, place, Viewer::Public, "gard").await),
        ["garden-volunteers", "estate-trust"]
    );
    assert_eq!(
        slugs(&find(store, place, Viewer::Public, "estate volunt").await).len(),
        2
    );
    assert!(
        find(store, place, Viewer::Public, "gard xylophone")
            .await
            .hits
            .is_empty()
    );
    // Wards and kinds are searchable too.
    assert_eq!(
        find(store, place, Viewer::Public, "haverstock").await.total,
        2
    );
}

#[tokio::test]
async fn hidden_records_are_neither_found_nor_counted_and_narrow_fields_never_indexed() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = fixture(store).await;
    let expect = [
        (Viewer::Public, 2),
        (Viewer::Partner, 2),
        (Viewer::Staff, 3),
        (Viewer::Admin, 4),
    ];
    for (viewer, organisations) in expect {
        let found = find(store, place, viewer, "volunteer").await;
        let of_kind = |kind| {
            found
                .counts
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(0, |(_, n)| *n)
        };
        assert_eq!(
            of_kind(SearchKind::Organisation),
            organisations,
            "{viewer:?}"
        );
        // The contact (a volunteer coordinator) is for staff and admins.
        let contacts = i64::from(matches!(viewer, Viewer::Staff | Viewer::Admin));
        assert_eq!(of_kind(SearchKind::Contact), contacts, "{viewer:?}");
        assert_eq!(found.total, organisations + contacts);
        assert_eq!(found.hits.len() as i64, found.total);
    }
    for viewer in [Viewer::Public, Viewer::Staff, Viewer::Admin] {
        assert_eq!(
            find(store, place, viewer, "zebrafinch").await.total,
            0,
            "internal notes are never indexed"
        );
        assert_eq!(
            find(store, place, viewer, "perpetua example").await.total,
            0,
            "email addresses are never indexed"
        );
    }
}

#[tokio::test]
async fn the_index_follows_deletion_and_erasure() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = fixture(store).await;
    assert_eq!(find(store, place, Viewer::Admin, "perpetua").await.total, 1);
    let erased = store
        .erase_person("perpetua@example.org", None, 1_800_000_001)
        .await
        .expect("erase");
    assert_eq!(erased, 1);
    assert_eq!(find(store, place, Viewer::Admin, "perpetua").await.total, 0);
}
