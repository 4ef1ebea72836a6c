//! Tries to make private data leak: plants canary strings in every non-public
//! record and field, then crawls every public page and API response.

mod common;

use std::collections::{BTreeSet, VecDeque};

use common::{TestApp, camden, camden_with_accounts};
use placeweave_domain::{
    Audience, CommitmentStatus, Initiative, Mission, OutcomeTheme, Role, Viewer,
};
use placeweave_store::NewCommitment;

const CANARY: &str = "CANARY-b7e2";
/// Planted in records for partners: hidden from the public only.
const PARTNERS_CANARY: &str = "PARTNERSONLY-41c9";

async fn plant_canaries(app: &TestApp) {
    let store = &app.db.store;
    let place = store
        .place("camden", Viewer::Admin)
        .await
        .expect("read")
        .expect("camden")
        .key;
    let template = store
        .organisation(place, "ucl", Viewer::Admin)
        .await
        .expect("read")
        .expect("ucl");
    let mut tx = store.begin().await.expect("begin");

    let mut organisations = Vec::new();
    for audience in [Audience::Partners, Audience::Staff, Audience::Restricted] {
        let mut o = template.clone();
        let marker = if audience == Audience::Partners {
            PARTNERS_CANARY
        } else {
            CANARY
        };
        o.id = format!("canary-org-{}", audience.as_str());
        o.name = format!("{marker} organisation for {}", audience.as_str());
        o.description = Some(format!("{marker} description"));
        o.wards = vec![format!("{marker} ward")];
        o.audience = audience;
        organisations.push(o);
    }
    let mut noted = template.clone();
    noted.id = "noted-org".into();
    noted.name = "Noted public organisation".into();
    noted.internal_notes = Some(format!("{CANARY} internal note"));
    noted.audience = Audience::Public;
    organisations.push(noted);
    let ids = tx
        .insert_organisations(place, &organisations)
        .await
        .expect("organisations");
    let noted_id = ids[3];

    let mission = Mission {
        id: "canary-mission".into(),
        short_name: format!("{CANARY} mission"),
        statement: format!("{CANARY} statement"),
        target_year: None,
        outcome_themes: vec![],
        audience: Audience::Staff,
        version: 1,
    };
    let theme = OutcomeTheme {
        id: "canary-theme".into(),
        name: format!("{CANARY} theme"),
        description: None,
        is_core: false,
        audience: Audience::Restricted,
        version: 1,
    };
    let theme_id = tx
        .insert_outcome_theme(place, &theme, 9)
        .await
        .expect("theme");
    let mission_id = tx
        .insert_mission(place, &mission, 9, &[theme_id])
        .await
        .expect("mission");
    let role = Role {
        id: "canary-role".into(),
        name: format!("{PARTNERS_CANARY} role"),
        description: "x".into(),
        ask_of_partner: "x".into(),
        value_for_place: "x".into(),
        value_for_partner: "x".into(),
        contact: Some(format!("{PARTNERS_CANARY} contact")),
        audience: Audience::Partners,
        version: 1,
    };
    let role_id = tx.insert_role(place, &role, 9).await.expect("role");
    let initiative = Initiative {
        id: "canary-initiative".into(),
        name: format!("{CANARY} initiative"),
        description: None,
        website: None,
        missions: vec![],
        participants: vec![],
        audience: Audience::Staff,
        version: 1,
    };
    tx.insert_initiative(
        place,
        &initiative,
        &[mission_id],
        &[(ids[0], Some(format!("{CANARY} part")))],
    )
    .await
    .expect("initiative");
    // A public initiative whose hidden participant must not show.
    let open = Initiative {
        id: "open-initiative".into(),
        name: "Open initiative".into(),
        description: None,
        website: None,
        missions: vec![],
        participants: vec![],
        audience: Audience::Public,
        version: 1,
    };
    tx.insert_initiative(
        place,
        &open,
        &[mission_id],
        &[(ids[1], None), (noted_id, None)],
    )
    .await
    .expect("initiative");
    for (audience, role, mission) in [
        (Audience::Public, Some(role_id), Some(mission_id)),
        (Audience::Restricted, None, None),
    ] {
        tx.insert_commitment(
            place,
            &NewCommitment {
                organisation_id: noted_id,
                role_id: role,
                mission_id: mission,
                status: CommitmentStatus::Active,
                review: placeweave_domain::commitment::Review::Accepted,
                start_date: None,
                end_date: None,
                note: Some(format!("{CANARY} commitment note")),
                demonstration: true,
                audience,
            },
        )
        .await
        .expect("commitment");
    }
    for organisation in ["noted-org", "ucl", "roundhouse"] {
        tx.insert_contact(
            place,
            &placeweave_store::privacy::NewContact {
                organisation: organisation.into(),
                name: format!("{CANARY} contact name"),
                job_title: Some(format!("{CANARY} job")),
                email: Some(format!("{}@contact.example", CANARY.to_lowercase())),
                phone: Some("020 7946 0999".into()),
                lawful_basis: placeweave_domain::contact::LawfulBasis::Consent,
                retention: placeweave_domain::contact::Retention::EventAttendee,
                owner: None,
            },
            1_800_000_000,
        )
        .await
        .expect("contact");
    }
    placeweave_store::testing::commit(tx).await.expect("commit");
}

/// Every same-site link on a page, without its fragment.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&#38;", "&").replace("&amp;", "&"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| href.starts_with('/') && !href.starts_with("/assets/"))
        .collect()
}

#[tokio::test]
async fn no_canary_reaches_any_public_page_or_api_response() {
    let (app, [_, roundhouse, _, _]) = camden_with_accounts().await;
    plant_canaries(&app).await;
    // Anonymously, then as a partner of another organisation.
    for cookie in [None, Some(roundhouse.as_str())] {
        crawl(&app, cookie).await;
    }
}

async fn crawl(app: &TestApp, cookie: Option<&str>) {
    // Crawl every page reachable from the home page, plus direct guesses.
    let mut queue: VecDeque<String> = [
        "/",
        "/organisations/canary-org-partners",
        "/organisations/canary-org-staff",
        "/organisations/canary-org-restricted",
        "/organisations/noted-org",
        "/missions/canary-mission",
        "/initiatives/canary-initiative",
        "/initiatives/open-initiative",
        "/organisations?q=CANARY",
        "/organisations?mission=canary-mission",
        "/organisations?ward=CANARY-b7e2+ward",
        "/organisations/noted-org/contacts",
        "/organisations/roundhouse/contacts",
        "/organisations/ucl/edit",
        "/admin/audit",
        "/admin/people?email=canary-b7e2@contact.example",
        "/admin/people/export?email=canary-b7e2@contact.example",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let mut seen = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 400 {
            continue;
        }
        let body = app.get_as(cookie, &path).await.body;
        assert!(
            !body.contains(CANARY),
            "canary leaked on page {path} (signed in: {})",
            cookie.is_some()
        );
        assert!(
            cookie.is_some() || !body.contains(PARTNERS_CANARY),
            "partners' canary leaked on page {path}"
        );
        queue.extend(links(&body));
    }
    assert!(
        seen.len() > 30,
        "the crawl reached only {} pages",
        seen.len()
    );
    let status = app
        .get_as(cookie, "/organisations/canary-org-staff")
        .await
        .status;
    assert_eq!(status, 404);

    // Every API route, with public ids and with the hidden records' ids.
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let paths: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();
    let mut fetched = 0;
    for path in &paths {
        for (organisation, mission, role, initiative) in [
            ("ucl", "youth-opportunity", "sponsorship", "ai-campus"),
            (
                "noted-org",
                "canary-mission",
                "canary-role",
                "open-initiative",
            ),
            (
                "canary-org-staff",
                "canary-mission",
                "canary-role",
                "canary-initiative",
            ),
        ] {
            let url = path
                .replace("{place}", "camden")
                .replace("{organisation}", organisation)
                .replace("{mission}", mission)
                .replace("{role}", role)
                .replace("{initiative}", initiative);
            for query in [
                "",
                "?per_page=100",
                "?q=CANARY",
                "?mission=canary-mission",
                "?organisation=noted-org",
            ] {
                let body = app.get_as(cookie, &format!("{url}{query}")).await.body;
                assert!(
                    cookie.is_some() || !body.contains(PARTNERS_CANARY),
                    "partners' canary leaked from {url}{query}"
                );
                fetched += 1;
                assert!(!body.contains(CANARY), "canary leaked from {url}{query}");
            }
        }
    }
    assert!(fetched >= 12 * 15);

    // The hidden records exist: staff would see them.
    let store = &app.db.store;
    let place = store
        .place("camden", Viewer::Staff)
        .await
        .expect("read")
        .expect("camden")
        .key;
    let noted = store
        .organisation(place, "noted-org", Viewer::Staff)
        .await
        .expect("read")
        .expect("org");
    assert!(noted.internal_notes.unwrap_or_default().contains(CANARY));
}

#[tokio::test]
async fn stored_script_is_escaped_everywhere() {
    let app = camden().await;
    let store = &app.db.store;
    let place = store
        .place("camden", Viewer::Admin)
        .await
        .expect("read")
        .expect("camden")
        .key;
    let mut o = store
        .organisation(place, "ucl", Viewer::Admin)
        .await
        .expect("read")
        .expect("ucl");
    o.id = "xss".into();
    o.name = "<script>alert('name')</script>".into();
    o.description = Some("\"><img src=x onerror=alert(1)>".into());
    o.website = Some("javascript:alert(1)".into());
    o.wards = vec!["<b>ward</b>".into()];
    let mut tx = store.begin().await.expect("begin");
    tx.insert_organisations(place, &[o]).await.expect("insert");
    placeweave_store::testing::commit(tx).await.expect("commit");
    for path in [
        "/organisations/xss",
        "/organisations",
        "/organisations?q=script",
        "/organisations?ward=%3Cb%3Eward%3C%2Fb%3E",
    ] {
        let (status, _, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("<script>alert"), "{path}");
        assert!(!body.contains("<img src=x"), "{path}");
        assert!(!body.contains("href=\"javascript:"), "{path}");
        assert!(!body.contains("<b>ward"), "{path}");
    }
    let (_, _, body) = app.get("/organisations/xss").await;
    assert!(body.contains("&#60;script&#62;") || body.contains("&lt;script&gt;"));
}
