//! The network page, its downloads and the API's network on the Camden
//! demo: every visible organisation is a node, every mission has its row of
//! the coverage grid, and an unpublished organisation is in staff's
//! downloads only.

mod common;

use common::camden_with_accounts;

#[tokio::test]
async fn the_network_page_downloads_and_api_show_the_callers_view() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;

    let (status, page) = app
        .json("/api/v1/places/camden/organisations?per_page=1")
        .await;
    assert_eq!(status, 200);
    let public_organisations = page["total"].as_u64().expect("a total") as usize;
    let (status, network) = app.json("/api/v1/places/camden/network").await;
    assert_eq!(status, 200);
    let nodes = network["organisations"].as_array().expect("organisations");
    assert_eq!(nodes.len(), public_organisations);
    assert!(nodes.iter().any(|n| n["id"] == "ucl"));
    assert!(!network["links"].as_array().expect("links").is_empty());

    let (status, _, html) = app.get("/network").await;
    assert_eq!(status, 200);
    for heading in [
        "Most central organisations",
        "Single points of failure",
        "Missions and levers: coverage and gaps",
        "Initiatives that may overlap",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
    let (_, missions) = app.json("/api/v1/places/camden/missions").await;
    let missions = missions.as_array().expect("missions");
    assert!(!missions.is_empty());
    for mission in missions {
        let link = format!(
            "href=\"/missions/{}\"",
            mission["id"].as_str().expect("an id")
        );
        assert!(html.contains(&link), "the grid has a row for {link}");
    }

    for (path, content_type) in [
        ("/network/network.graphml", "application/graphml+xml"),
        ("/network/network.gexf", "application/gexf+xml"),
        ("/network/nodes.csv", "text/csv"),
        ("/network/edges.csv", "text/csv"),
        ("/network/kumu.json", "application/json"),
    ] {
        let (status, served, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(served.starts_with(content_type), "{path}: {served}");
        assert!(body.contains("ucl"), "{path}");
    }

    // Unpublished, UCL leaves the public's network but not staff's.
    app.sql("UPDATE organisation SET audience = 'staff' WHERE slug = 'ucl'")
        .await;
    let (_, _, graphml) = app.get("/network/network.graphml").await;
    assert!(!graphml.contains("id=\"ucl\""));
    let (_, network) = app.json("/api/v1/places/camden/network").await;
    assert!(!network.to_string().contains("\"ucl\""));
    let reply = app.get_as(Some(&staff), "/network/network.graphml").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<node id=\"ucl\">"));
}
