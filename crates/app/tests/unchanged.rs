//! Saving an unchanged form, or an empty patch, changes nothing — whoever
//! saves it and whatever audiences the place's records have. A property
//! test: random audiences over the Camden demo, then every record each
//! kind of caller may edit is saved back as they see it, and the place as
//! an administrator sees it must be exactly as before. Runs on SQLite, and
//! on PostgreSQL when `PLACEWEAVE_TEST_POSTGRES` is set.

use placeweave_app::{App, Edit, Record, Scope};
use placeweave_domain::{
    AccountRole, Audience, Commitment, Initiative, Mission, Organisation, OutcomeTheme, Principal,
    Role, Viewer,
};
use placeweave_store::{Store, camden, testing};
use proptest::prelude::*;
use serde_json::Value;

const TABLES: [&str; 6] = [
    "organisation",
    "mission",
    "outcome_theme",
    "role",
    "initiative",
    "commitment",
];

async fn sql(store: &Store, statement: &str) {
    match store {
        Store::Sqlite(placeweave_store::Sqlite { pool, .. }) => {
            sqlx::query(statement).execute(pool).await.expect("sql");
        }
        Store::Postgres(pool) => {
            sqlx::query(statement).execute(pool).await.expect("sql");
        }
    }
    placeweave_store::testing::raw_write_committed();
}

/// Everything in the place as an administrator sees it.
async fn snapshot(store: &Store, place: i64) -> String {
    let admin = Viewer::Admin;
    let mut out = String::new();
    out += &format!("{:?}", store.missions(place, admin).await.expect("read"));
    out += &format!(
        "{:?}",
        store.outcome_themes(place, admin).await.expect("read")
    );
    out += &format!("{:?}", store.roles(place, admin).await.expect("read"));
    out += &format!(
        "{:?}",
        store
            .commitments(place, admin, &Default::default())
            .await
            .expect("read")
    );
    for i in store
        .initiatives(place, admin, None, None)
        .await
        .expect("read")
    {
        out += &format!(
            "{:?}",
            store.initiative(place, &i.id, admin).await.expect("read")
        );
    }
    let (organisations, _) = placeweave_store::testing::listed(
        store,
        place,
        admin,
        &Default::default(),
        placeweave_domain::PageRequest::everything(),
    )
    .await
    .expect("read");
    for o in organisations {
        out += &format!(
            "{:?}",
            store.organisation(place, &o.id, admin).await.expect("read")
        );
    }
    out
}

/// A record as its edit form would send it back unchanged: each field the
/// caller may set, with the value they see.
fn as_form<R: Record>(record: &R, settable: &[&str]) -> Vec<(String, String)> {
    let json = serde_json::to_value(record).expect("json");
    let mut pairs = vec![("version".to_owned(), record.version().to_string())];
    for field in settable {
        let value = json.get(*field).cloned().unwrap_or(Value::Null);
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) | Value::Null => String::new(),
            Value::Object(o) => match (o.get("organisation"), o.get("id"), o.get("lever")) {
                (Some(org), _, _) => {
                    let id = org["id"].as_str().unwrap_or_default().to_owned();
                    match o.get("role").and_then(Value::as_str) {
                        Some(role) => format!("{id}: {role}"),
                        None => id,
                    }
                }
                (_, Some(id), _) => id.as_str().unwrap_or_default().to_owned(),
                (_, _, Some(lever)) => lever.as_str().unwrap_or_default().to_owned(),
                _ => String::new(),
            },
            other => other.to_string(),
        };
        match &value {
            Value::Array(items) => {
                for item in items {
                    pairs.push(((*field).to_owned(), text(item)));
                }
                if items.is_empty() {
                    pairs.push(((*field).to_owned(), String::new()));
                }
            }
            other => pairs.push(((*field).to_owned(), text(other))),
        }
    }
    pairs
}

async fn save_all_unchanged<R: Record>(app: &App, scope: &Scope, keys: Vec<R::Key>) {
    for key in keys {
        let Ok(record) = app.editable::<R>(scope, &key).await else {
            continue;
        };
        let empty = vec![("version".to_owned(), record.version().to_string())];
        let saved = app.update::<R>(scope, &key, &Edit::patch(&empty)).await;
        assert!(saved.is_ok(), "empty patch of {key}: {saved:?}");
        let form = as_form(&record, scope.settable(R::RESOURCE));
        let saved = app.update::<R>(scope, &key, &Edit::form(&form)).await;
        assert_eq!(
            saved.as_ref().ok(),
            Some(&record),
            "unchanged form of {key} by {:?}: {saved:?} from {form:?}",
            scope.principal()
        );
    }
}

async fn check(audiences: Vec<Audience>) {
    let db = testing::database().await.expect("database");
    let store = db.store.clone();
    camden::ensure(&store).await.expect("demo");
    let mut n = 0;
    for table in TABLES {
        let ids: Vec<i64> = match &store {
            Store::Sqlite(placeweave_store::Sqlite { pool, .. }) => {
                sqlx::query_scalar(&format!("SELECT id FROM {table} ORDER BY id"))
                    .fetch_all(pool)
                    .await
                    .expect("ids")
            }
            Store::Postgres(pool) => {
                sqlx::query_scalar(&format!("SELECT id FROM {table} ORDER BY id"))
                    .fetch_all(pool)
                    .await
                    .expect("ids")
            }
        };
        for id in ids {
            let audience = audiences[n % audiences.len()];
            n += 1;
            sql(
                &store,
                &format!(
                    "UPDATE {table} SET audience = '{}' WHERE id = {id}",
                    audience.as_str()
                ),
            )
            .await;
        }
    }
    let place = store
        .place("camden", Viewer::Admin)
        .await
        .expect("read")
        .expect("camden")
        .key;
    let before = snapshot(&store, place).await;
    let app = App::new(store.clone());
    let everyone = (
        store.missions(place, Viewer::Admin).await.expect("read"),
        store
            .outcome_themes(place, Viewer::Admin)
            .await
            .expect("read"),
        store.roles(place, Viewer::Admin).await.expect("read"),
        store
            .initiatives(place, Viewer::Admin, None, None)
            .await
            .expect("read"),
        store
            .commitments(place, Viewer::Admin, &Default::default())
            .await
            .expect("read"),
    );
    let (organisations, _) = placeweave_store::testing::listed(
        &store,
        place,
        Viewer::Admin,
        &Default::default(),
        placeweave_domain::PageRequest::everything(),
    )
    .await
    .expect("read");
    let callers = [
        Principal::Account {
            id: 1,
            role: AccountRole::Partner,
            place: Some(place),
            organisation: Some("ucl".into()),
        },
        Principal::Account {
            id: 2,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        },
        Principal::Account {
            id: 3,
            role: AccountRole::Admin,
            place: None,
            organisation: None,
        },
    ];
    for caller in &callers {
        let scope = app.scope(caller, "camden").await.expect("scope");
        save_all_unchanged::<Mission>(
            &app,
            &scope,
            everyone.0.iter().map(|m| m.id.clone()).collect(),
        )
        .await;
        save_all_unchanged::<OutcomeTheme>(
            &app,
            &scope,
            everyone.1.iter().map(|t| t.id.clone()).collect(),
        )
        .await;
        save_all_unchanged::<Role>(
            &app,
            &scope,
            everyone.2.iter().map(|r| r.id.clone()).collect(),
        )
        .await;
        save_all_unchanged::<Initiative>(
            &app,
            &scope,
            everyone.3.iter().map(|i| i.id.clone()).collect(),
        )
        .await;
        save_all_unchanged::<Commitment>(&app, &scope, everyone.4.iter().map(|c| c.id).collect())
            .await;
        save_all_unchanged::<Organisation>(
            &app,
            &scope,
            organisations.iter().map(|o| o.id.clone()).collect(),
        )
        .await;
    }
    assert_eq!(snapshot(&store, place).await, before);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn an_unchanged_save_changes_nothing(
        audiences in prop::collection::vec(prop::sample::select(Audience::ALL.to_vec()), 1..7)
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(check(audiences));
    }
}
