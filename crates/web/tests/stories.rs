//! Stories over HTTP: staff add them from the forms and the API with every
//! bad field named; a draft behaves exactly like a missing story to the
//! public and partners (page, API, list count, search, feed, downloads);
//! publishing needs consent for the website, named when missing; the
//! consent record never leaves staff pages; the Atom feed parses and holds
//! only published stories; and mission, organisation and impact pages show
//! a published story.

mod common;

use common::{Body, TestApp, camden_with_accounts};
use serde_json::json;

/// A word nothing else in the demo holds, to find the story by.
const WORD: &str = "quillwort";
/// The story's id, made from its title.
const SLUG: &str = "quillwort-garden";
/// The consent giver's name: personal data, for staff only.
const CONSENTER: &str = "Zebedee Marchbanks";

const FORM: &[(&str, &str)] = &[
    ("title", "Quillwort garden"),
    ("summary", "Neighbours grew quillwort by the canal."),
    ("body", "The whole quillwort story.\n\nA second paragraph."),
    ("missions", "eat-well"),
    ("themes", "health"),
    ("participant-organisation", "ucl"),
    ("participant-part", "Lent the tools"),
    ("status", "draft"),
    ("consent_given_by", CONSENTER),
    ("consent_given_on-day", "3"),
    ("consent_given_on-month", "9"),
    ("consent_given_on-year", "2026"),
    ("consent_uses", "press"),
    ("audience", "public"),
];

fn with(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut form: Vec<(&str, &str)> = FORM
        .iter()
        .filter(|(k, _)| changes.iter().all(|(c, _)| c != k))
        .copied()
        .collect();
    form.extend(changes.iter().filter(|(_, v)| !v.is_empty()).copied());
    form
}

/// Everywhere a reader might meet a story, as `cookie` reads it.
async fn everywhere(app: &TestApp, cookie: Option<&str>) -> Vec<(String, u16, String)> {
    let mut seen = Vec::new();
    for path in [
        "/stories/quillwort-garden".to_owned(),
        "/api/v1/places/camden/stories/quillwort-garden".to_owned(),
        "/stories".to_owned(),
        "/api/v1/places/camden/stories?per_page=100".to_owned(),
        format!("/search?q={WORD}"),
        format!("/api/v1/places/camden/search?q={WORD}"),
        "/stories.atom".to_owned(),
        "/stories.csv".to_owned(),
        "/stories.json".to_owned(),
        "/missions/eat-well".to_owned(),
        "/organisations/ucl".to_owned(),
        "/organisations/ucl/impact".to_owned(),
    ] {
        let reply = app.get_as(cookie, &path).await;
        seen.push((path, reply.status, reply.body));
    }
    seen
}

fn total(app_reply: &str) -> i64 {
    let value: serde_json::Value = serde_json::from_str(app_reply).expect("json");
    value["total"].as_i64().expect("total")
}

fn named(body: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(body).expect("problem");
    value["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_draft_is_missing_to_all_but_staff_and_publishing_needs_consent() {
    let (app, [ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let list = "/api/v1/places/camden/stories?per_page=100";
    let public_before = total(&app.get_as(None, list).await.body);

    // Every bad field is named; publishing without consent names each
    // consent field.
    let bad = app
        .post_as(
            Some(&staff),
            "/stories/new",
            &with(&[
                ("title", ""),
                ("status", "published"),
                ("consent_given_by", ""),
                ("consent_given_on-day", ""),
                ("consent_given_on-month", ""),
                ("consent_given_on-year", ""),
                ("consent_uses", ""),
            ]),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    for field in [
        "title",
        "consent_given_by",
        "consent_given_on",
        "consent_uses",
    ] {
        assert!(
            bad.body.contains(&format!("href=\"#{field}\"")),
            "{field} is named: {}",
            bad.body
        );
    }

    // A draft saves; staff see it and its consent.
    let saved = app.post_as(Some(&staff), "/stories/new", FORM).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.location().starts_with("/stories/quillwort-garden"));
    let page = app.get_as(Some(&staff), "/stories/quillwort-garden").await;
    assert_eq!(page.status, 200);
    for text in ["Draft", "Lent the tools", CONSENTER, "2026-09-03", "Press"] {
        assert!(page.body.contains(text), "{text} on the staff page");
    }

    // To the public and partners a draft is missing everywhere: page, API,
    // list and its count, search, feed and downloads.
    for cookie in [None, Some(ucl.as_str())] {
        for (path, status, body) in everywhere(&app, cookie).await {
            if path.contains(SLUG) {
                assert_eq!(status, 404, "{path} as {cookie:?}");
                continue;
            }
            assert_eq!(status, 200, "{path} as {cookie:?}");
            assert!(
                !body.contains(SLUG),
                "the draft shows on {path} as {cookie:?}"
            );
            assert!(!body.contains(CONSENTER), "consent on {path}");
        }
    }
    let after = total(&app.get_as(None, list).await.body);
    assert_eq!(after, public_before, "a draft is not counted");
    let staff_list = app.get_as(Some(&staff), list).await;
    assert_eq!(
        total(&staff_list.body),
        public_before + 2,
        "staff count drafts"
    );

    // Publishing with consent for the press only is refused, naming the
    // uses; through the API too.
    let refused = app
        .post_as(
            Some(&staff),
            "/stories/quillwort-garden/publish",
            &[
                ("consent_given_by", CONSENTER),
                ("consent_given_on-day", "3"),
                ("consent_given_on-month", "9"),
                ("consent_given_on-year", "2026"),
                ("consent_uses", "press"),
            ],
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("href=\"#consent_uses\""));
    let url = "/api/v1/places/camden/stories/quillwort-garden";
    let api_refused = app
        .send_to(
            &app.base,
            reqwest::Method::PATCH,
            url,
            Some(&staff),
            Body::Json(&json!({"version": 1, "status": "published"})),
        )
        .await;
    assert_eq!(api_refused.status, 400, "{}", api_refused.body);
    assert_eq!(named(&api_refused.body), ["consent_uses"]);
    let nameless = app
        .send_to(
            &app.base,
            reqwest::Method::PATCH,
            url,
            Some(&staff),
            Body::Json(&json!({"version": 1, "status": "published", "consent_given_by": null})),
        )
        .await;
    assert_eq!(nameless.status, 400, "{}", nameless.body);
    assert!(named(&nameless.body).contains(&"consent_given_by".to_owned()));

    // With consent for the website it is published, dated today.
    let published = app
        .post_as(
            Some(&staff),
            "/stories/quillwort-garden/publish",
            &[
                ("consent_given_by", CONSENTER),
                ("consent_given_on-day", "3"),
                ("consent_given_on-month", "9"),
                ("consent_given_on-year", "2026"),
                ("consent_uses", "press"),
                ("consent_uses", "website"),
            ],
        )
        .await;
    assert_eq!(published.status, 303, "{}", published.body);
    let (_, api) = app.json(url).await;
    assert_eq!(api["status"], "published");
    assert!(api["published_on"].is_string());
    assert!(api.get("consent").is_none(), "consent is for staff");
    let staff_api = app.get_as(Some(&staff), url).await;
    assert!(staff_api.body.contains(CONSENTER));

    // Now the public meet it everywhere, never with its consent.
    for cookie in [None, Some(ucl.as_str())] {
        for (path, status, body) in everywhere(&app, cookie).await {
            assert_eq!(status, 200, "{path} as {cookie:?}");
            assert!(
                body.contains(SLUG),
                "the story is missing from {path} as {cookie:?}"
            );
            assert!(!body.contains(CONSENTER), "consent on {path} as {cookie:?}");
        }
    }
    let after = total(&app.get_as(None, list).await.body);
    assert_eq!(after, public_before + 1);
}

#[tokio::test]
async fn the_feed_parses_and_holds_only_published_stories() {
    let (app, [_ucl, _roundhouse, staff, _admin]) = camden_with_accounts().await;
    let list = app.get_as(None, "/stories").await;
    assert!(
        list.body.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/stories.atom\""
        )
    );
    // Staff asking get the public's feed: no drafts, whoever reads it.
    for cookie in [None, Some(staff.as_str())] {
        let reply = app.get_as(cookie, "/stories.atom").await;
        assert_eq!(reply.status, 200);
        assert!(
            reply
                .header("content-type")
                .starts_with("application/atom+xml")
        );
        let feed: atom_syndication::Feed = reply.body.parse().expect("a valid Atom feed");
        assert!(feed.id().ends_with("/stories"));
        assert!(!feed.title().as_str().is_empty());
        let rels: Vec<&str> = feed.links().iter().map(|l| l.rel()).collect();
        assert_eq!(rels, ["self", "alternate"]);
        let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(
            ids.iter()
                .all(|id| !id.ends_with("residents-set-the-principles"))
        );
        assert!(
            ids[0].ends_with("/stories/growing-on-the-estate"),
            "newest first"
        );
        for entry in feed.entries() {
            assert!(!entry.links().is_empty());
            assert!(entry.summary().is_some());
            assert!(
                entry
                    .summary()
                    .is_some_and(|s| s.as_str().starts_with("Demonstration record."))
            );
            assert!(!entry.contributors().is_empty(), "partners are credited");
            assert!(!reply.body.contains("Demonstration consent"));
        }
        let growing = &feed.entries()[0];
        let credited: Vec<&str> = growing.contributors().iter().map(|p| p.name()).collect();
        assert_eq!(credited, ["Camden Giving", "Origin Tenants Voices"]);
    }
}

#[tokio::test]
async fn mission_organisation_and_impact_pages_show_published_stories() {
    let (app, _) = camden_with_accounts().await;
    let mission = app.get_as(None, "/missions/youth-opportunity").await;
    assert!(
        mission
            .body
            .contains("href=\"/stories/first-paid-placement\"")
    );
    let organisation = app.get_as(None, "/organisations/roundhouse").await;
    assert!(
        organisation
            .body
            .contains("href=\"/stories/first-paid-placement\"")
    );
    let impact = app.get_as(None, "/organisations/roundhouse/impact").await;
    assert!(impact.body.contains("been credited with"));
    assert!(
        impact
            .body
            .contains("href=\"/stories/first-paid-placement\"")
    );
    // The draft credits UCL: nothing shows for it yet.
    let ucl = app.get_as(None, "/organisations/ucl/impact").await;
    assert!(ucl.body.contains("No published story credits"));
    assert!(!ucl.body.contains("residents-set-the-principles"));
    // Downloads carry the licence and never the consent.
    let (status, json) = app.json("/stories.json").await;
    assert_eq!(status, 200);
    assert_eq!(json["count"], 2);
    assert!(json["licence"]["url"].is_string());
    assert!(!json.to_string().contains("consent"));
    let csv = app.get_as(None, "/stories.csv?partner=roundhouse").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("first-paid-placement"));
    assert!(!csv.body.contains("growing-on-the-estate"));
    let open_data = app.get_as(None, "/open-data").await;
    assert!(open_data.body.contains("href=\"/stories.csv\""));
}
