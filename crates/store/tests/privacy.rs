//! Accounts, sessions, invitations, the audit log and data-protection duties,
//! on whichever backend the test script selects.

use placeweave_domain::Viewer;
use placeweave_domain::contact::{LawfulBasis, Retention};
use placeweave_domain::enquiry::NewEnquiry;
use placeweave_domain::policy::AccountRole;
use placeweave_store::accounts::NewAccount;
use placeweave_store::privacy::{AuditLine, AuditQuery, NewContact};
use placeweave_store::testing::database;
use placeweave_store::{Store, Write, camden};

const NOW: i64 = 1_800_000_000;

async fn camden_place(store: &Store) -> i64 {
    camden::ensure(store).await.expect("seed");
    // The demo's own enquiries are not these tests' to count.
    placeweave_store::testing::forget_demonstration_enquiries(store)
        .await
        .expect("forget");
    store
        .place("camden", Viewer::Admin)
        .await
        .expect("read")
        .expect("camden")
        .key
}

fn contact(email: &str, name: &str, retention: Retention) -> NewContact {
    NewContact {
        organisation: "ucl".into(),
        name: name.into(),
        job_title: Some(format!("{name} job")),
        email: Some(email.into()),
        phone: Some("020 7946 0000".into()),
        lawful_basis: LawfulBasis::LegitimateInterests,
        retention,
        owner: None,
    }
}

#[tokio::test]
async fn the_audit_log_refuses_changes() {
    let db = database().await.expect("database");
    let store = &db.store;
    let line = AuditLine {
        actor: None,
        action: "test",
        record_type: "organisation",
        record_id: Some("ucl".into()),
        detail: None,
    };
    store.audit(&line, NOW).await.expect("append");
    let (update, delete) = match store {
        Store::Sqlite(placeweave_store::Sqlite { pool, .. }) => (
            sqlx::query("UPDATE audit_event SET action = 'changed'")
                .execute(pool)
                .await
                .map(|_| ()),
            sqlx::query("DELETE FROM audit_event")
                .execute(pool)
                .await
                .map(|_| ()),
        ),
        Store::Postgres(pool) => (
            sqlx::query("UPDATE audit_event SET action = 'changed'")
                .execute(pool)
                .await
                .map(|_| ()),
            sqlx::query("DELETE FROM audit_event")
                .execute(pool)
                .await
                .map(|_| ()),
        ),
    };
    assert!(
        update
            .expect_err("update refused")
            .to_string()
            .contains("append-only")
    );
    assert!(
        delete
            .expect_err("delete refused")
            .to_string()
            .contains("append-only")
    );
    if let Store::Postgres(pool) = store {
        let truncate = sqlx::query("TRUNCATE audit_event").execute(pool).await;
        assert!(truncate.is_err(), "truncate refused");
    }
    let events = store
        .audit_events(&AuditQuery {
            limit: 10,
            ..Default::default()
        })
        .await
        .expect("read");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "test");
}

#[tokio::test]
async fn invitations_work_once_and_expire() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = camden_place(store).await;
    let mut tx = store.begin().await.expect("begin");
    let new = NewAccount {
        email: "partner@ucl.example".into(),
        display_name: "A Partner".into(),
        role: AccountRole::Partner,
        place: Some(place),
        organisation: Some("ucl".into()),
        password_hash: None,
        team: None,
    };
    let id = tx.insert_account(&new, NOW).await.expect("account");
    tx.insert_invite("fresh", id, NOW + 100)
        .await
        .expect("invite");
    tx.insert_invite("stale", id, NOW - 1)
        .await
        .expect("invite");
    placeweave_store::testing::commit(tx).await.expect("commit");
    let mut tx = store.begin().await.expect("begin");
    assert!(
        tx.insert_account(&new, NOW).await.is_err(),
        "one account per email"
    );
    drop(tx);

    let mut tx = store.begin().await.expect("begin");
    assert_eq!(tx.redeem_invite("stale", NOW).await.expect("redeem"), None);
    assert_eq!(
        tx.redeem_invite("fresh", NOW).await.expect("redeem"),
        Some(id)
    );
    assert_eq!(
        tx.redeem_invite("fresh", NOW).await.expect("redeem"),
        None,
        "used once only"
    );
    placeweave_store::testing::commit(tx).await.expect("commit");

    let account = store.account(id).await.expect("read").expect("account");
    assert_eq!(account.organisation.map(|o| o.id).as_deref(), Some("ucl"));
    assert!(!account.active, "no password yet");
}

#[tokio::test]
async fn sessions_end_when_the_account_is_disabled() {
    let db = database().await.expect("database");
    let store = &db.store;
    let mut tx = store.begin().await.expect("begin");
    let id = tx
        .insert_account(
            &NewAccount {
                email: "staff@camden.example".into(),
                display_name: "Staff".into(),
                role: AccountRole::Staff,
                place: None,
                organisation: None,
                password_hash: Some("hash".into()),
                team: None,
            },
            NOW,
        )
        .await
        .expect("account");
    placeweave_store::testing::commit(tx).await.expect("commit");
    store.insert_session("s1", id, NOW).await.expect("session");
    store
        .insert_session("old", id, NOW - 100_000)
        .await
        .expect("session");
    assert_eq!(store.purge_sessions(NOW - 43_200).await.expect("purge"), 1);
    assert!(store.session("old").await.expect("read").is_none());
    assert_eq!(
        store
            .session("s1")
            .await
            .expect("read")
            .map(|s| s.account.id),
        Some(id)
    );
    let mut tx = store.begin().await.expect("begin");
    assert!(tx.disable_account(id).await.expect("disable"));
    placeweave_store::testing::commit(tx).await.expect("commit");
    assert!(store.session("s1").await.expect("read").is_none());
}

#[tokio::test]
async fn throttle_counts_recent_failures() {
    let db = database().await.expect("database");
    let store = &db.store;
    for i in 0..3 {
        store
            .record_sign_in_failure("a@b.example", "client-1", NOW + i)
            .await
            .expect("record");
    }
    store
        .record_sign_in_failure("c@d.example", "client-1", NOW)
        .await
        .expect("record");
    assert_eq!(
        store
            .sign_in_failures("a@b.example", "client-1", NOW - 10)
            .await
            .expect("count"),
        (3, 4)
    );
    assert_eq!(
        store
            .sign_in_failures("a@b.example", "client-2", NOW + 1)
            .await
            .expect("count"),
        (1, 0)
    );
    store
        .forget_sign_in_failures(NOW + 2)
        .await
        .expect("forget");
    assert_eq!(
        store
            .sign_in_failures("a@b.example", "client-1", 0)
            .await
            .expect("count"),
        (1, 1)
    );
}

#[tokio::test]
async fn concurrent_attempts_are_admitted_up_to_the_limit_only() {
    use placeweave_store::accounts::SignInLimits;
    let db = database().await.expect("database");
    let limits = SignInLimits {
        per_email_and_client: 5,
        per_email: 5,
        per_client: 20,
        since: NOW - 900,
    };
    let mut attempts = tokio::task::JoinSet::new();
    for i in 0..60 {
        let store = db.store.clone();
        // Half from one client, half from as many clients: the email's limit binds.
        let client = if i % 2 == 0 {
            "client-1".to_owned()
        } else {
            format!("client-{i}")
        };
        attempts.spawn(async move {
            store
                .admit_sign_in("a@b.example", &client, NOW, limits)
                .await
                .expect("admit")
        });
    }
    let mut admitted = Vec::new();
    while let Some(result) = attempts.join_next().await {
        admitted.extend(result.expect("task"));
    }
    assert_eq!(
        admitted.len(),
        5,
        "only the limit is admitted: {admitted:?}"
    );
    assert_eq!(
        db.store
            .sign_in_failures("a@b.example", "client-1", NOW - 900)
            .await
            .expect("count")
            .0,
        5,
        "refused attempts are not recorded"
    );
    // A success does not count; the next attempt is admitted again.
    db.store
        .sign_in_succeeded(admitted[0])
        .await
        .expect("succeeded");
    assert!(
        db.store
            .admit_sign_in("a@b.example", "client-2", NOW, limits)
            .await
            .expect("admit")
            .is_some()
    );
    // Per client: 20 attempts on different emails, then refused.
    for i in 0..20 {
        let email = format!("u{i}@b.example");
        assert!(
            db.store
                .admit_sign_in(&email, "client-x", NOW, limits)
                .await
                .expect("admit")
                .is_some()
        );
    }
    assert!(
        db.store
            .admit_sign_in("fresh@b.example", "client-x", NOW, limits)
            .await
            .expect("admit")
            .is_none()
    );
}

#[tokio::test]
async fn contacts_are_never_public_and_retention_deletes_them() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = camden_place(store).await;
    let mut tx = store.begin().await.expect("begin");
    tx.insert_contact(
        place,
        &contact("keep@x.example", "Keeper", Retention::ActivePartnership),
        NOW,
    )
    .await
    .expect("contact");
    tx.insert_contact(
        place,
        &contact("drop@x.example", "Dropper", Retention::OneOffEnquiry),
        NOW,
    )
    .await
    .expect("contact");
    placeweave_store::testing::commit(tx).await.expect("commit");
    assert!(
        store
            .contacts(place, "ucl", Viewer::Public)
            .await
            .expect("read")
            .is_empty()
    );
    assert!(
        store
            .contacts(place, "ucl", Viewer::Partner)
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(
        store
            .contacts(place, "ucl", Viewer::Staff)
            .await
            .expect("read")
            .len(),
        2
    );

    let a_year_later = NOW + 365 * 24 * 60 * 60;
    assert_eq!(
        store
            .apply_retention(a_year_later)
            .await
            .expect("retention"),
        1
    );
    let left = store
        .contacts(place, "ucl", Viewer::Staff)
        .await
        .expect("read");
    assert_eq!(
        left.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Keeper"]
    );
    let events = store
        .audit_events(&AuditQuery {
            action: Some("retention-delete".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert_eq!(events.len(), 1);
}

fn enquiry(email: &str, name: &str) -> NewEnquiry {
    NewEnquiry {
        organisation_name: format!("{name} Ltd"),
        name: name.into(),
        email: email.into(),
        role: Some("sponsorship".into()),
        mission: None,
        message: format!("{name} would like to help"),
        demonstration: false,
    }
}

/// A submission from the public, at `now`.
async fn send_enquiry(store: &Store, place: i64, e: &NewEnquiry, reference: &str, now: i64) {
    let w = Write {
        place,
        viewer: Viewer::Public,
        fields: &[],
        actor: None,
        now,
    };
    store.add_enquiry(&w, e, reference).await.expect("enquiry");
}

#[tokio::test]
async fn enquiries_are_staff_only_kept_six_months_and_rate_limited() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = camden_place(store).await;
    send_enquiry(
        store,
        place,
        &enquiry("old@x.example", "Old"),
        "ENQ-AAAAAA",
        NOW,
    )
    .await;
    let later = NOW + 100 * 24 * 60 * 60;
    send_enquiry(
        store,
        place,
        &enquiry("new@x.example", "New"),
        "ENQ-BBBBBB",
        later,
    )
    .await;
    for viewer in [Viewer::Public, Viewer::Partner] {
        assert!(
            store
                .enquiries(place, viewer, None)
                .await
                .expect("read")
                .is_empty()
        );
    }
    let all = store
        .enquiries(place, Viewer::Staff, None)
        .await
        .expect("read");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].reference, "ENQ-BBBBBB", "newest first");
    assert_eq!(
        all[0].role.as_ref().map(|r| r.id.as_str()),
        Some("sponsorship")
    );
    // A role that is not public is not one the public may name.
    let w = Write {
        place,
        viewer: Viewer::Public,
        fields: &[],
        actor: None,
        now: NOW,
    };
    let hidden = NewEnquiry {
        role: Some("no-such-role".into()),
        ..enquiry("x@x.example", "X")
    };
    assert!(matches!(
        store.add_enquiry(&w, &hidden, "ENQ-CCCCCC").await,
        Err(placeweave_store::StoreError::UnknownReference { field: "role", .. })
    ));
    assert_eq!(
        store
            .person("old@x.example")
            .await
            .expect("access")
            .enquiries
            .len(),
        1
    );

    // Six months after the first, only the second is left.
    let six_months_on = NOW + 184 * 24 * 60 * 60;
    assert_eq!(
        store
            .apply_retention(six_months_on)
            .await
            .expect("retention"),
        1
    );
    let left = store
        .enquiries(place, Viewer::Admin, None)
        .await
        .expect("read");
    assert_eq!(
        left.iter()
            .map(|e| e.reference.as_str())
            .collect::<Vec<_>>(),
        ["ENQ-BBBBBB"]
    );

    // The rate limit counts per client within the window.
    for expected in [true, true, false] {
        assert_eq!(
            store
                .admit_enquiry("203.0.113.5", NOW, NOW - 60, 2)
                .await
                .expect("admit"),
            expected
        );
    }
    assert!(
        store
            .admit_enquiry("203.0.113.6", NOW, NOW - 60, 2)
            .await
            .expect("admit")
    );
    assert!(
        store
            .admit_enquiry("203.0.113.5", NOW + 120, NOW + 60, 2)
            .await
            .expect("admit"),
        "the window moves on"
    );
}

#[tokio::test]
async fn erasure_leaves_no_trace_but_an_audit_line() {
    let db = database().await.expect("database");
    let store = &db.store;
    let place = camden_place(store).await;
    let canary = "erase-canary-5d1c";
    let email = format!("{canary}@x.example");
    let mut tx = store.begin().await.expect("begin");
    for i in 0..3 {
        tx.insert_contact(
            place,
            &contact(
                &email,
                &format!("{canary} person {i}"),
                Retention::ActivePartnership,
            ),
            NOW,
        )
        .await
        .expect("contact");
    }
    tx.insert_contact(
        place,
        &contact(
            "other@x.example",
            "Someone else",
            Retention::ActivePartnership,
        ),
        NOW,
    )
    .await
    .expect("contact");
    placeweave_store::testing::commit(tx).await.expect("commit");
    // An enquiry from "Express interest" holds it too.
    send_enquiry(
        store,
        place,
        &enquiry(&email, &format!("{canary} enquirer")),
        "ENQ-ERASED",
        NOW,
    )
    .await;
    // Failed sign-ins hold the email address too, for the throttle's day.
    for (who, at) in [
        (email.as_str(), NOW),
        (email.as_str(), NOW + 1),
        ("other@x.example", NOW),
    ] {
        store
            .record_sign_in_failure(who, "203.0.113.9", at)
            .await
            .expect("record failure");
    }

    let before = store.person(&email).await.expect("subject access");
    assert_eq!(before.contacts.len(), 3);
    assert_eq!(before.enquiries.len(), 1);

    assert_eq!(
        store.erase_person(&email, None, NOW).await.expect("erase"),
        4
    );
    let after = store.person(&email).await.expect("subject access");
    assert!(after.contacts.is_empty() && after.accounts.is_empty() && after.enquiries.is_empty());
    assert_eq!(
        store
            .sign_in_failures(&email, "203.0.113.9", 0)
            .await
            .expect("count"),
        (0, 1),
        "the person's failed sign-ins are erased, others' kept"
    );
    assert_eq!(
        store
            .contacts(place, "ucl", Viewer::Admin)
            .await
            .expect("read")
            .len(),
        1
    );
    let events = store
        .audit_events(&AuditQuery {
            action: Some("erase-person".into()),
            limit: 5,
            ..Default::default()
        })
        .await
        .expect("audit");
    assert_eq!(events.len(), 1);
    assert!(
        !events[0]
            .detail
            .clone()
            .unwrap_or_default()
            .contains(canary)
    );

    // On SQLite, the canary is gone from the database files' raw bytes.
    if let Some(folder) = &db.folder {
        for entry in std::fs::read_dir(folder.path()).expect("folder") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("read file");
            let found = bytes.windows(canary.len()).any(|w| w == canary.as_bytes());
            assert!(!found, "{} still holds the canary", path.display());
        }
    }
}

/// The data version moves on with every audited write, in its transaction
/// (a rolled-back write leaves it), and not with views or exports, which
/// change no record.
#[tokio::test]
async fn the_data_version_moves_with_audited_writes_only() {
    let db = database().await.expect("database");
    let store = &db.store;
    let line = AuditLine {
        actor: None,
        action: "update",
        record_type: "place",
        record_id: Some("camden".into()),
        detail: None,
    };
    let start = store.data_version().await.expect("version");
    let mut tx = store.begin().await.expect("begin");
    let audited = tx.audit(&line, NOW).await.expect("audit");
    tx.commit(audited).await.expect("commit");
    assert_eq!(store.data_version().await.expect("version"), start + 1);

    let mut tx = store.begin().await.expect("begin");
    let _unused = tx.audit(&line, NOW).await.expect("audit");
    drop(tx); // rolled back
    assert_eq!(store.data_version().await.expect("version"), start + 1);

    let view = AuditLine {
        action: "view-contacts",
        ..line
    };
    store.audit(&view, NOW).await.expect("view");
    assert_eq!(store.data_version().await.expect("version"), start + 1);
}
