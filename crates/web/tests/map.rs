//! The network map: its data per caller (the public never sees a staff-only
//! organisation, mission or link, and a hidden record changes nothing the
//! public can see, not even the data's version), the page and the embed,
//! and the embed alone being frameable.

mod common;

use common::{TestApp, camden_with_accounts};
use serde_json::Value;

const API: &str = "/api/v1/places/camden/network/map";
const EMBED: &str = "/embed/map/data.json";

async fn map_as(app: &TestApp, cookie: Option<&str>, path: &str) -> Value {
    let reply = app.get_as(cookie, path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ids(map: &Value) -> Vec<String> {
    map["organisations"]
        .as_array()
        .expect("organisations")
        .iter()
        .map(|o| o["id"].as_str().expect("an id").to_owned())
        .collect()
}

/// Every link's ends are organisations of the same document.
fn links_are_within(map: &Value) {
    let count = map["organisations"]
        .as_array()
        .expect("organisations")
        .len() as u64;
    for link in map["links"].as_array().expect("links") {
        for end in ["source", "target"] {
            assert!(link[end].as_u64().expect("an index") < count, "{link}");
        }
    }
}

fn position(map: &Value, id: &str) -> Option<u64> {
    ids(map).iter().position(|i| i == id).map(|p| p as u64)
}

fn degree_from_links(map: &Value, at: u64) -> usize {
    map["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter(|l| l["source"] == at || l["target"] == at)
        .count()
}

#[tokio::test]
async fn the_map_shows_each_caller_their_view_and_the_embed_only_the_public_one() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    // The demo names no wards: give UCL one.
    app.sql(
        "INSERT INTO organisation_ward (organisation_id, ward) \
         SELECT id, 'Bloomsbury' FROM organisation WHERE slug = 'ucl'",
    )
    .await;

    // The same analysis as the network's API: the same organisations and
    // metrics, with what the map filters on.
    let public = map_as(&app, None, API).await;
    let (_, network) = app.json("/api/v1/places/camden/network").await;
    let network_ids: Vec<&str> = network["organisations"]
        .as_array()
        .expect("organisations")
        .iter()
        .map(|o| o["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(ids(&public), network_ids);
    assert_eq!(
        public["links"].as_array().expect("links").len(),
        network["links"].as_array().expect("links").len()
    );
    let ucl = position(&public, "ucl").expect("UCL is published");
    let node = &public["organisations"][ucl as usize];
    assert_eq!(
        node["degree"].as_u64(),
        Some(degree_from_links(&public, ucl) as u64)
    );
    assert!(
        node["levers"].as_array().is_some_and(|l| !l.is_empty()),
        "{node}"
    );
    assert!(!public["missions"].as_array().expect("missions").is_empty());
    assert_eq!(public["wards"], serde_json::json!(["Bloomsbury"]));
    assert_eq!(node["wards"], serde_json::json!(["Bloomsbury"]));
    assert_eq!(
        public["levers"].as_array().expect("levers").len(),
        placeweave_domain::Lever::ALL.len()
    );
    links_are_within(&public);
    // Whoever asks, the embed's data is the public map.
    assert_eq!(map_as(&app, None, EMBED).await, public);
    assert_eq!(map_as(&app, Some(&staff), EMBED).await, public);

    // Unpublished, UCL and its links leave the public's map and the embed,
    // even the embed a member of staff opens, but not staff's own map.
    app.sql("UPDATE organisation SET audience = 'staff' WHERE slug = 'ucl'")
        .await;
    let hidden = map_as(&app, None, API).await;
    assert_eq!(position(&hidden, "ucl"), None);
    assert!(!hidden.to_string().contains("\"ucl\""));
    assert!(!hidden.to_string().contains("Bloomsbury"), "UCL's ward");
    links_are_within(&hidden);
    assert_eq!(map_as(&app, Some(&staff), EMBED).await, hidden);
    let staff_map = map_as(&app, Some(&staff), API).await;
    let at = position(&staff_map, "ucl").expect("staff see UCL");
    assert!(
        degree_from_links(&staff_map, at) > 0,
        "UCL's links, for staff"
    );
    links_are_within(&staff_map);
    assert_ne!(staff_map["version"], hidden["version"]);

    // A change to a hidden record changes nothing the public can see, not
    // even the version; a change to a visible one does.
    app.sql("UPDATE organisation SET name = 'Renamed in secret' WHERE slug = 'ucl'")
        .await;
    assert_eq!(map_as(&app, None, API).await, hidden);
    let staff_renamed = map_as(&app, Some(&staff), API).await;
    assert_ne!(staff_renamed["version"], staff_map["version"]);

    // A staff-only mission is missing from the public's choices and from
    // every organisation's missions.
    let mission = public["missions"][0]["id"]
        .as_str()
        .expect("a mission")
        .to_owned();
    app.sql(&format!(
        "UPDATE mission SET audience = 'staff' WHERE slug = '{mission}'"
    ))
    .await;
    let without = map_as(&app, None, API).await;
    assert!(
        !without.to_string().contains(&format!("\"{mission}\"")),
        "{mission} is hidden"
    );
    let staff_map = map_as(&app, Some(&staff), API).await;
    assert!(
        staff_map["organisations"]
            .as_array()
            .expect("organisations")
            .iter()
            .any(|o| o["missions"]
                .as_array()
                .is_some_and(|m| m.contains(&Value::from(mission.as_str())))),
        "staff see who is committed to {mission}"
    );
}

#[tokio::test]
async fn the_map_pages_load_their_script_and_only_the_embed_may_be_framed() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;

    let page = app.get_as(None, "/network/map").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<script type=\"module\" src=\"/assets/map.js\"></script>")
    );
    assert!(page.body.contains(&format!("data-source=\"{API}\"")));
    // Without JavaScript: the same facts as tables on the network page.
    assert!(page.body.contains("href=\"/network\""));
    let csp = page.header("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");

    // Only the map pages load the map's script.
    let (_, _, network) = app.get("/network").await;
    assert!(!network.contains("/assets/map.js"));
    assert!(network.contains("href=\"/network/map\""));

    for cookie in [None, Some(staff.as_str())] {
        let embed = app.get_as(cookie, "/embed/map").await;
        assert_eq!(embed.status, 200);
        let csp = embed.header("content-security-policy");
        assert!(csp.contains("frame-ancestors *"), "{csp}");
        assert!(!csp.contains("'none'; form"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("script-src 'self' 'sha256-"), "{csp}");
        assert_eq!(embed.header("x-frame-options"), "");
        assert!(embed.body.contains(&format!("data-source=\"{EMBED}\"")));
        assert!(embed.body.contains("/assets/map.js"));
        // Minimal chrome: no navigation, no account links.
        assert!(!embed.body.contains("Sign out"));
        assert!(!embed.body.contains("govuk-service-navigation"));
    }

    // Everywhere else framing stays refused, for pages, data and the API.
    for path in [
        "/",
        "/network",
        "/network/map",
        EMBED,
        API,
        "/organisations",
        "/no-such-page",
    ] {
        let reply = app.get_as(None, path).await;
        let csp = reply.header("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }

    // The built script and its worker are served.
    for asset in ["/assets/map.js", "/assets/map-worker.js"] {
        let (status, content_type, _) = app.get(asset).await;
        assert_eq!(status, 200, "{asset}");
        assert!(
            content_type.contains("javascript"),
            "{asset}: {content_type}"
        );
    }

    // The API's map is documented.
    let (_, openapi) = app.json("/api/v1/openapi.json").await;
    assert!(openapi["paths"]["/api/v1/places/{place}/network/map"]["get"].is_object());
    assert!(openapi["components"]["schemas"]["MapDocument"].is_object());
}
