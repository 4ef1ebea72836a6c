//! The pipeline's counts and pages come from the database (a count per
//! stage, a window of rows per stage) and must agree with the whole list
//! they replace, for every filter, on either backend.

use placeweave_domain::Viewer;
use placeweave_domain::relationship::{Relationship, RelationshipStage};
use placeweave_domain::vocabulary::OrganisationKind;
use placeweave_store::RelationshipFilter;
use placeweave_store::synthetic::{self, Options};
use placeweave_store::testing::database;

#[tokio::test]
async fn stage_counts_and_pages_agree_with_the_whole_list() {
    let db = database().await.expect("database");
    let store = &db.store;
    synthetic::generate(
        store,
        &Options {
            organisations: 600,
            seed: 7,
            place_slug: None,
        },
        &|_, _| {},
    )
    .await
    .expect("generate");
    let place = store
        .place("synthetic-7", Viewer::Public)
        .await
        .expect("read")
        .expect("place")
        .key;
    let all = store
        .relationships(place, Viewer::Staff, &RelationshipFilter::default())
        .await
        .expect("relationships");
    assert_eq!(all.len(), 300);
    let mission = all
        .iter()
        .find_map(|r| r.missions.first())
        .map(|m| m.id.clone())
        .expect("a relationship serves a mission");
    let ward = store
        .wards(place, Viewer::Staff)
        .await
        .expect("wards")
        .into_iter()
        .next()
        .expect("a ward");
    let mut filters = vec![
        RelationshipFilter::default(),
        RelationshipFilter {
            mission: Some(mission.clone()),
            ..Default::default()
        },
        RelationshipFilter {
            ward: Some(ward.clone()),
            ..Default::default()
        },
        RelationshipFilter {
            mission: Some(mission),
            ward: Some(ward),
            ..Default::default()
        },
        RelationshipFilter {
            mission: Some("no-such-mission".into()),
            ..Default::default()
        },
    ];
    for stage in RelationshipStage::ALL {
        filters.push(RelationshipFilter {
            stage: Some(*stage),
            ..Default::default()
        });
    }
    for kind in OrganisationKind::ALL {
        filters.push(RelationshipFilter {
            kind: Some(kind.slug().to_owned()),
            ..Default::default()
        });
    }
    for filter in &filters {
        let whole = store
            .relationships(place, Viewer::Staff, filter)
            .await
            .expect("relationships");
        let of_stage = |stage: RelationshipStage| -> Vec<&Relationship> {
            whole.iter().filter(|r| r.stage == stage).collect()
        };
        let counts = store
            .relationship_stage_counts(place, Viewer::Staff, filter)
            .await
            .expect("counts");
        for stage in RelationshipStage::ALL {
            let counted = counts
                .iter()
                .find(|(s, _)| s == stage)
                .map_or(0, |(_, n)| *n);
            assert_eq!(
                usize::try_from(counted).expect("count"),
                of_stage(*stage).len(),
                "{filter:?} {stage:?}"
            );
        }
        for (skip, take) in [(0, 25), (0, 5), (5, 5), (20, 100), (1000, 10)] {
            let page = store
                .relationships_by_stage(place, Viewer::Staff, filter, skip, take)
                .await
                .expect("page");
            for stage in RelationshipStage::ALL {
                let expected: Vec<&Relationship> = of_stage(*stage)
                    .into_iter()
                    .skip(usize::try_from(skip).expect("skip"))
                    .take(usize::try_from(take).expect("take"))
                    .collect();
                let got: Vec<&Relationship> = page.iter().filter(|r| r.stage == *stage).collect();
                assert_eq!(
                    got, expected,
                    "{filter:?} {stage:?} skip {skip} take {take}"
                );
            }
        }
    }
    // Partners see no relationship, so none is counted either.
    assert!(
        store
            .relationship_stage_counts(place, Viewer::Partner, &RelationshipFilter::default())
            .await
            .expect("counts")
            .is_empty()
    );
}
