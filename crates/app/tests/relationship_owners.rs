//! A relationship's owners are changed only by its owners and
//! administrators (issue 23): another staff member may edit the rest and
//! keeps the owners as they are, but may not add themselves (and so read
//! its restricted sensitivities) or take the real owner off.

use placeweave_app::{App, AppError, Edit, Scope};
use placeweave_domain::relationship::Relationship;
use placeweave_domain::{AccountRole, Principal};
use placeweave_store::accounts::NewAccount;
use placeweave_store::{Store, camden, testing};

async fn account(store: &Store, email: &str, role: AccountRole) -> i64 {
    let mut tx = store.begin().await.expect("begin");
    let id = tx
        .insert_account(
            &NewAccount {
                email: email.into(),
                display_name: email.into(),
                role,
                place: None,
                organisation: None,
                password_hash: None,
                team: None,
            },
            placeweave_app::now(),
        )
        .await
        .expect("account");
    testing::commit(tx).await.expect("commit");
    id
}

async fn scope(app: &App, id: i64, role: AccountRole) -> Scope {
    let principal = Principal::Account {
        id,
        role,
        place: None,
        organisation: None,
    };
    app.scope(&principal, "camden").await.expect("scope")
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn owner_ids(r: &Relationship) -> Vec<String> {
    r.owners.iter().map(|o| o.id.clone()).collect()
}

#[tokio::test]
async fn only_owners_and_administrators_change_a_relationships_owners() {
    let db = testing::database().await.expect("database");
    camden::ensure(&db.store).await.expect("seed");
    let app = App::new(db.store.clone());
    let keeper = account(&db.store, "keeper@camden.example", AccountRole::Staff).await;
    let nosy = account(&db.store, "nosy@camden.example", AccountRole::Staff).await;
    let boss = account(&db.store, "boss@camden.example", AccountRole::Admin).await;
    let (keeper_id, nosy_id) = (keeper.to_string(), nosy.to_string());
    let admin = scope(&app, boss, AccountRole::Admin).await;
    let owner = scope(&app, keeper, AccountRole::Staff).await;
    let other = scope(&app, nosy, AccountRole::Staff).await;

    let created: Relationship = app
        .create(
            &admin,
            None,
            &Edit::patch(&pairs(&[
                ("organisation", "roundhouse"),
                ("stage", "exploring"),
                ("formality", "informal"),
                ("owners", &keeper_id),
                ("sensitivities", "Board chair is standing down"),
            ])),
        )
        .await
        .expect("created");
    let id = created.id;
    let version = created.version.to_string();

    // Another staff member may neither add themselves nor remove the owner.
    for owners in [
        format!("{keeper_id}\n{nosy_id}"),
        nosy_id.clone(),
        String::new(),
    ] {
        let refused = app
            .update::<Relationship>(
                &other,
                &id,
                &Edit::patch(&pairs(&[("version", &version), ("owners", &owners)])),
            )
            .await;
        match refused {
            Err(AppError::Invalid(errors)) => assert!(
                errors.iter().any(|e| e.field == "owners"
                    && e.message.contains("owners and administrators")),
                "{errors:?}"
            ),
            other => panic!("owners {owners:?} changed by another staff member: {other:?}"),
        }
    }
    let read = app.get::<Relationship>(&other, &id).await.expect("read");
    assert_eq!(read.sensitivities, None, "not theirs to read");

    // They edit the rest, from a whole form too, and the owners stay.
    let form = pairs(&[
        ("version", &version),
        ("organisation", "roundhouse"),
        ("stage", "committed"),
        ("formality", "mou"),
    ]);
    let saved = app
        .update::<Relationship>(&other, &id, &Edit::form(&form))
        .await
        .expect("saved");
    assert_eq!(owner_ids(&saved), [keeper_id.as_str()]);
    let as_admin = app.get::<Relationship>(&admin, &id).await.expect("read");
    assert_eq!(
        as_admin.sensitivities.as_deref(),
        Some("Board chair is standing down")
    );

    // The owner hands over; an administrator may change them too.
    let version = saved.version.to_string();
    let shared = app
        .update::<Relationship>(
            &owner,
            &id,
            &Edit::patch(&pairs(&[
                ("version", &version),
                ("owners", &format!("{keeper_id}\n{nosy_id}")),
            ])),
        )
        .await
        .expect("the owner shares it");
    assert_eq!(owner_ids(&shared), [keeper_id.clone(), nosy_id.clone()]);
    let version = shared.version.to_string();
    let reset = app
        .update::<Relationship>(
            &admin,
            &id,
            &Edit::patch(&pairs(&[("version", &version), ("owners", &keeper_id)])),
        )
        .await
        .expect("an administrator sets them");
    assert_eq!(owner_ids(&reset), [keeper_id]);
}
