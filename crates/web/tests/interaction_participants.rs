//! Who took part in an interaction over HTTP: the partners' contacts
//! under the contacts' rules (restricted ones for administrators, kept
//! through staff edits, gone with their organisation, erased with the
//! person, in subject access) and other organisations at a roundtable,
//! which then count as in touch; a hidden one answers as a missing one.

mod common;

use common::{PASSWORD, camden_with_accounts, version_of};
use placeweave_domain::AccountRole;
use serde_json::json;

/// The id of the contact called `name` among a form's "contacts" boxes.
fn contact_box(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("{name}, "))?;
    let before = &body[..at];
    let from = before.rfind("name=\"contacts\" type=\"checkbox\" value=\"")?;
    before[from..]
        .split("value=\"")
        .nth(1)?
        .split('"')
        .next()
        .map(str::to_owned)
}

#[tokio::test]
async fn contacts_and_other_organisations_take_part_under_the_contacts_rules() {
    let (app, [ucl, _, _, admin]) = camden_with_accounts().await;
    let me = app
        .account(
            "roundtable@camden.example",
            AccountRole::Staff,
            None,
            PASSWORD,
        )
        .await
        .to_string();
    let staff = app.sign_in("roundtable@camden.example", PASSWORD).await;
    let place = app.place_key("camden").await;
    let ucl_key = app.organisation_key(place, "ucl").await;
    let roundhouse_key = app.organisation_key(place, "roundhouse").await;
    let hidden_key = app.organisation_key(place, "arsenal-fc").await;
    app.sql("UPDATE organisation SET audience = 'restricted' WHERE slug = 'arsenal-fc'")
        .await;
    for (organisation, name, audience) in [
        (ucl_key, "Ada Participant", "staff"),
        (ucl_key, "Rita Restricted", "restricted"),
        (roundhouse_key, "Rosa Restricted", "restricted"),
        (roundhouse_key, "Kay Roundhouse", "staff"),
        (hidden_key, "Hana Hidden", "staff"),
    ] {
        let email = name.to_lowercase().replace(' ', ".");
        app.sql(&format!(
            "INSERT INTO contact (place_id, organisation_id, name, email, lawful_basis, \
             retention, retain_until, audience) VALUES ({place}, {organisation}, '{name}', \
             '{email}@partner.example', 'public-task', 'active-partnership', 4000000000, \
             '{audience}')"
        ))
        .await;
    }

    // The form offers the partner's contacts the logger may see.
    let form = app
        .get_as(Some(&staff), "/interactions/new?organisation=ucl")
        .await;
    assert_eq!(form.status, 200, "{}", form.body);
    let ada = contact_box(&form.body, "Ada Participant").expect("Ada offered");
    assert!(
        !form.body.contains("Rita Restricted"),
        "restricted: admins only"
    );
    assert!(!form.body.contains("Kay Roundhouse"), "not taking part yet");
    assert!(form.body.contains("name=\"other_organisations\""));
    let admin_form = app
        .get_as(Some(&admin), "/interactions/new?organisation=ucl")
        .await;
    let rita = contact_box(&admin_form.body, "Rita Restricted").expect("admins see Rita");
    // Sent back with the Roundhouse chosen, the form offers its contacts too.
    let back = app
        .post_as(
            Some(&staff),
            "/interactions/new",
            &[
                ("organisation", "ucl"),
                ("other_organisations", "roundhouse"),
                ("kind", "roundtable"),
            ],
        )
        .await;
    assert_eq!(back.status, 400, "no date");
    let kay = contact_box(&back.body, "Kay Roundhouse").expect("Kay offered");
    assert!(back.body.contains("<option value=\"roundhouse\" selected>"));

    let count = |who: String| {
        let app = &app;
        async move {
            let (status, list) = {
                let r = app
                    .get_as(Some(&who), "/api/v1/places/camden/interactions")
                    .await;
                (r.status, serde_json::from_str::<serde_json::Value>(&r.body))
            };
            assert_eq!(status, 200);
            list.expect("json").as_array().map(Vec::len).unwrap_or(0)
        }
    };
    let before = count(admin.clone()).await;
    let date = [
        ("date-day", "20"),
        ("date-month", "11"),
        ("date-year", "2026"),
    ];
    // Each wrong participant is named, and nothing is written.
    for (field, extra, message) in [
        ("contacts", vec![("contacts", rita.as_str())], "There is no"),
        ("contacts", vec![("contacts", "999999")], "There is no"),
        (
            "contacts",
            vec![("contacts", kay.as_str())],
            "Each contact must work at an organisation that took part",
        ),
        (
            "other_organisations",
            vec![("other_organisations", "arsenal-fc")],
            "There is no",
        ),
        (
            "contacts",
            vec![("contacts", "Ada")],
            "Select each contact from the list",
        ),
    ] {
        let mut sent = vec![("organisation", "ucl"), ("kind", "roundtable")];
        sent.extend(date);
        sent.extend(extra);
        let refused = app.post_as(Some(&staff), "/interactions/new", &sent).await;
        assert_eq!(refused.status, 400, "{sent:?}");
        assert!(
            refused.body.contains(&format!("href=\"#{field}\"")) && refused.body.contains(message),
            "{sent:?}: {}",
            refused.body
        );
        assert!(!refused.body.contains("Hana Hidden") && !refused.body.contains("Rita"));
    }
    assert_eq!(count(admin.clone()).await, before, "nothing written");

    // A roundtable with UCL and the Roundhouse, Ada and Kay there.
    let mut sent = vec![
        ("organisation", "ucl"),
        ("other_organisations", "roundhouse"),
        ("other_organisations", ""),
        ("kind", "roundtable"),
        ("contacts", ada.as_str()),
        ("contacts", kay.as_str()),
        ("staff", me.as_str()),
    ];
    sent.extend(date);
    let saved = app.post_as(Some(&staff), "/interactions/new", &sent).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page_path = saved
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let id = page_path.trim_start_matches("/interactions/").to_owned();
    let page = app.get_as(Some(&staff), &page_path).await;
    for shown in [
        "Ada Participant",
        "Kay Roundhouse",
        "Other organisations",
        "/organisations/roundhouse\"",
    ] {
        assert!(page.body.contains(shown), "{shown}");
    }
    let url = format!("/api/v1/places/camden/interactions/{id}");
    let json = |who: String| {
        let app = &app;
        let url = url.clone();
        async move {
            let r = app.get_as(Some(&who), &url).await;
            assert_eq!(r.status, 200, "{}", r.body);
            assert!(
                !r.body.contains("Participant"),
                "no contact's name in the API"
            );
            serde_json::from_str::<serde_json::Value>(&r.body).expect("json")
        }
    };
    let ids = |v: &serde_json::Value, field: &str| -> Vec<String> {
        v[field]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| {
                        x.as_str()
                            .or(x["id"].as_str())
                            .unwrap_or_default()
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let read = json(staff.clone()).await;
    let mut expected = vec![ada.clone(), kay.clone()];
    expected.sort();
    let mut got = ids(&read, "contacts");
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(ids(&read, "other_organisations"), ["roundhouse"]);
    // The Roundhouse took part: its log and its interactions list it.
    let log = app
        .get_as(Some(&staff), "/organisations/roundhouse/contacts-log")
        .await;
    assert!(
        log.body.contains(&format!("/interactions/{id}\"")),
        "{}",
        log.body
    );
    let theirs = app
        .get_as(
            Some(&staff),
            "/api/v1/places/camden/interactions?organisation=roundhouse",
        )
        .await;
    assert!(
        theirs.body.contains(&format!("\"id\":{id},")),
        "{}",
        theirs.body
    );

    // An administrator adds Rita and a restricted organisation ...
    let admin_put = app
        .put_json(
            &admin,
            &url,
            &json!({
                "version": read["version"],
                "contacts": [ada, kay, rita],
                "other_organisations": ["roundhouse", "arsenal-fc"],
            }),
        )
        .await;
    assert_eq!(admin_put.status, 200, "{}", admin_put.body);
    // ... which staff neither see nor lose when they untick Kay.
    let edit = app.get_as(Some(&staff), &format!("{page_path}/edit")).await;
    assert!(!edit.body.contains("Rita") && !edit.body.contains("Hana Hidden"));
    assert!(!edit.body.contains("value=\"arsenal-fc\" selected"));
    let mut resent = vec![
        ("version", version_of(&edit.body)),
        ("organisation", "ucl".into()),
        ("other_organisations", "roundhouse".into()),
        ("kind", "roundtable".into()),
        ("contacts", ada.clone()),
    ];
    resent.extend(date.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let resent: Vec<(&str, &str)> = resent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let resaved = app
        .post_as(Some(&staff), &format!("{page_path}/edit"), &resent)
        .await;
    assert_eq!(resaved.status, 303, "{}", resaved.body);
    let as_staff = json(staff.clone()).await;
    assert_eq!(ids(&as_staff, "contacts"), [ada.as_str()]);
    assert_eq!(ids(&as_staff, "other_organisations"), ["roundhouse"]);
    let as_admin = json(admin.clone()).await;
    let mut got = ids(&as_admin, "contacts");
    got.sort();
    let mut expected = vec![ada.clone(), rita.clone()];
    expected.sort();
    assert_eq!(got, expected, "Rita kept, Kay gone");
    let mut others = ids(&as_admin, "other_organisations");
    others.sort();
    assert_eq!(others, ["arsenal-fc", "roundhouse"], "the hidden one kept");

    // A hidden organisation's slug finds what a missing one does.
    let hidden = app
        .get_as(
            Some(&staff),
            "/api/v1/places/camden/interactions?organisation=arsenal-fc",
        )
        .await;
    let missing = app
        .get_as(
            Some(&staff),
            "/api/v1/places/camden/interactions?organisation=no-such-organisation",
        )
        .await;
    assert_eq!((hidden.status, hidden.body), (missing.status, missing.body));
    // Through the API no contact is named, not even in a refusal.
    let refused = app
        .put_json(
            &staff,
            &url,
            &json!({
                "version": as_staff["version"],
                "contacts": [ada, kay],
                "other_organisations": [],
            }),
        )
        .await;
    assert!(matches!(refused.status, 400 | 409), "{}", refused.body);
    assert!(refused.body.contains("contacts") && !refused.body.contains("Kay"));

    // An administrator adds Rosa (restricted, at the Roundhouse); when staff
    // take the Roundhouse out, its people go with it, seen or not, and the
    // administrator's next save still works.
    let admin_form = app.get_as(Some(&admin), &format!("{page_path}/edit")).await;
    let rosa = contact_box(&admin_form.body, "Rosa Restricted").expect("admins see Rosa");
    let current = json(admin.clone()).await;
    let with_rosa = app
        .put_json(
            &admin,
            &url,
            &json!({
                "version": current["version"],
                "contacts": [ada, rita, rosa],
            }),
        )
        .await;
    assert_eq!(with_rosa.status, 200, "{}", with_rosa.body);
    let current = json(staff.clone()).await;
    let without = app
        .put_json(
            &staff,
            &url,
            &json!({"version": current["version"], "other_organisations": []}),
        )
        .await;
    assert_eq!(without.status, 200, "{}", without.body);
    let as_admin = json(admin.clone()).await;
    let mut got = ids(&as_admin, "contacts");
    got.sort();
    let mut expected = vec![ada.clone(), rita.clone()];
    expected.sort();
    assert_eq!(got, expected, "Rosa left with the Roundhouse");
    assert_eq!(ids(&as_admin, "other_organisations"), ["arsenal-fc"]);
    let resaved = app
        .put_json(
            &admin,
            &url,
            &json!({"version": as_admin["version"], "outcomes": "Agreed next steps"}),
        )
        .await;
    assert_eq!(resaved.status, 200, "{}", resaved.body);

    // The partner at UCL never sees who was there.
    for path in [page_path.clone(), url.clone()] {
        let reply = app.get_as(Some(&ucl), &path).await;
        assert!(!reply.body.contains("Ada Participant"), "{path}");
        assert_ne!(reply.status, 200, "{path}");
    }

    // Her subject access request lists the interaction; erasing her takes
    // her off it, and the audit log never had her name.
    let access = app
        .get_as(
            Some(&admin),
            "/admin/people?email=ada.participant@partner.example",
        )
        .await;
    assert!(
        access
            .body
            .contains(&format!("href=\"/interactions/{id}\"")),
        "{}",
        access.body
    );
    let erased = app
        .post_as(
            Some(&admin),
            "/admin/people/erase",
            &[
                ("email", "ada.participant@partner.example"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.body);
    let after = json(admin.clone()).await;
    assert_eq!(ids(&after, "contacts"), [rita.as_str()]);
    for path in [page_path.as_str(), "/admin/audit"] {
        let reply = app.get_as(Some(&admin), path).await;
        assert!(!reply.body.contains("Ada Participant"), "{path}");
    }
}
