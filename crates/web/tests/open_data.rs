//! Open data: each download holds exactly the list its reader may see (the
//! same records and count as the API), never a private field, with the
//! filters applied and the place's licence stated; administrators change
//! the licence.

mod common;

use common::*;

/// The rows of a CSV download, as header → value maps.
fn csv_rows(body: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|r| {
            let record = r.expect("row");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

async fn api_total(app: &TestApp, cookie: Option<&str>, path: &str) -> usize {
    let reply = app.get_as(cookie, path).await;
    assert_eq!(reply.status, 200, "{path}");
    let doc: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    usize::try_from(doc["total"].as_i64().expect("total")).expect("count")
}

#[tokio::test]
async fn organisations_download_is_what_each_reader_may_see_and_never_notes() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    app.sql("UPDATE organisation SET internal_notes = 'secret-note-zz9' WHERE slug = 'ucl'")
        .await;
    app.sql("UPDATE organisation SET audience = 'staff' WHERE slug = 'roundhouse'")
        .await;
    for cookie in [None, Some(staff.as_str())] {
        let csv = app.get_as(cookie, "/organisations.csv").await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
        assert_eq!(
            csv.header("content-disposition"),
            "attachment; filename=\"camden-organisations.csv\""
        );
        assert!(csv.header("link").contains("open-government-licence"));
        let rows = csv_rows(&csv.body);
        let total = api_total(&app, cookie, "/api/v1/places/camden/organisations").await;
        assert_eq!(rows.len(), total, "{cookie:?}");
        let has_roundhouse = rows.iter().any(|r| r["id"] == "roundhouse");
        assert_eq!(has_roundhouse, cookie.is_some(), "staff-only organisation");
        let ucl = rows.iter().find(|r| r["id"] == "ucl").expect("ucl");
        assert_eq!(ucl["kind"], "university");
        assert_eq!(ucl["page"], "/organisations/ucl");

        let json = app.get_as(cookie, "/organisations.json").await;
        assert_eq!(json.status, 200);
        let doc: serde_json::Value = serde_json::from_str(&json.body).expect("json");
        assert_eq!(doc["licence"]["id"], "ogl-3");
        assert_eq!(doc["count"].as_u64(), Some(total as u64));
        assert_eq!(doc["records"].as_array().map(Vec::len), Some(total));
        for body in [&csv.body, &json.body] {
            assert!(!body.contains("secret-note-zz9"), "internal notes leaked");
            assert!(!body.contains("internal_notes"));
        }
    }
}

#[tokio::test]
async fn a_description_written_as_a_formula_is_not_a_formula_in_the_csv() {
    let app = camden().await;
    app.sql(
        "UPDATE organisation SET description = '=HYPERLINK(\"http://evil.example\")' \
         WHERE slug = 'ucl'",
    )
    .await;
    let csv = app.get_as(None, "/organisations.csv").await;
    let rows = csv_rows(&csv.body);
    let ucl = rows.iter().find(|r| r["id"] == "ucl").expect("ucl");
    assert_eq!(ucl["description"], "'=HYPERLINK(\"http://evil.example\")");
    // The JSON carries the text as written.
    let json = app.get_as(None, "/organisations.json").await;
    assert!(json.body.contains("\"=HYPERLINK("));
}

#[tokio::test]
async fn organisations_download_applies_the_directory_filters() {
    let app = camden().await;
    let reply = app.get_as(None, "/organisations.csv?kind=university").await;
    assert_eq!(reply.status, 200);
    let rows = csv_rows(&reply.body);
    let total = api_total(
        &app,
        None,
        "/api/v1/places/camden/organisations?kind=university",
    )
    .await;
    assert!(total > 0);
    assert_eq!(rows.len(), total);
    assert!(rows.iter().all(|r| r["kind"] == "university"));
    // The directory links to the download of exactly the list it shows.
    let (_, _, page) = app.get("/organisations?kind=university").await;
    assert!(
        page.contains("/organisations.csv?kind=university"),
        "{page}"
    );

    let bad = app.get_as(None, "/organisations.csv?kind=spaceship").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("govuk-error-summary"));
    assert!(bad.body.contains("href=\"#kind\""), "{}", bad.body);
    // A misspelt filter is refused, not taken for "no filter".
    let typo = app.get_as(None, "/organisations.csv?knid=university").await;
    assert_eq!(typo.status, 400);
    assert!(typo.body.contains("href=\"#knid\""), "{}", typo.body);
    // The JSON download's readers are programs: they get a problem document.
    let bad = app.get_as(None, "/organisations.json?kind=spaceship").await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.header("content-type")
            .starts_with("application/problem+json")
    );
    let problem: serde_json::Value = serde_json::from_str(&bad.body).expect("problem");
    assert_eq!(problem["errors"][0]["field"], "kind", "{problem}");
}

#[tokio::test]
async fn commitments_download_never_holds_notes_or_hidden_commitments() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    app.sql("UPDATE commitment SET note = 'commitment-note-zz9'")
        .await;
    let public = csv_rows(&app.get_as(None, "/commitments.csv").await.body);
    let all = csv_rows(&app.get_as(Some(&staff), "/commitments.csv").await.body);
    assert_eq!(
        public.len(),
        api_total(&app, None, "/api/v1/places/camden/commitments").await
    );
    assert_eq!(
        all.len(),
        api_total(&app, Some(&staff), "/api/v1/places/camden/commitments").await
    );
    assert!(!public.is_empty());
    // Hiding one commitment takes it out of the public download only.
    app.sql(&format!(
        "UPDATE commitment SET audience = 'staff' WHERE id = {}",
        public[0]["id"]
    ))
    .await;
    let after = csv_rows(&app.get_as(None, "/commitments.csv").await.body);
    assert_eq!(after.len(), public.len() - 1);
    assert!(!after.iter().any(|r| r["id"] == public[0]["id"]));
    for cookie in [None, Some(staff.as_str())] {
        for path in ["/commitments.csv", "/commitments.json"] {
            let body = app.get_as(cookie, path).await.body;
            assert!(!body.contains("commitment-note-zz9"), "{path}");
        }
    }
    let ucl = csv_rows(
        &app.get_as(None, "/commitments.csv?organisation=ucl")
            .await
            .body,
    );
    assert!(ucl.iter().all(|r| r["organisation"] == "ucl"));
}

#[tokio::test]
async fn initiatives_download_counts_what_the_list_counts() {
    let app = camden().await;
    let rows = csv_rows(&app.get_as(None, "/initiatives.csv").await.body);
    assert_eq!(
        rows.len(),
        api_total(&app, None, "/api/v1/places/camden/initiatives").await
    );
    let bad = app.get_as(None, "/initiatives.csv?role=host").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("#role"));
}

#[tokio::test]
async fn experiments_contributions_and_measures_downloads_are_each_readers_list() {
    let (app, [ucl, _, staff, _]) = camden_with_accounts().await;
    // One experiment for staff only: the public's download and count lose it.
    app.sql(
        "UPDATE experiment SET audience = 'staff' \
         WHERE slug = 'youth-careers-challenge-prize'",
    )
    .await;
    for cookie in [None, Some(ucl.as_str()), Some(staff.as_str())] {
        let csv = app.get_as(cookie, "/experiments.csv").await;
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert!(csv.header("link").contains("open-government-licence"));
        let rows = csv_rows(&csv.body);
        let total = api_total(&app, cookie, "/api/v1/places/camden/experiments").await;
        assert_eq!(rows.len(), total, "{cookie:?}");
        let hidden = rows
            .iter()
            .any(|r| r["id"] == "youth-careers-challenge-prize");
        assert_eq!(hidden, cookie == Some(staff.as_str()), "{cookie:?}");
        assert!(rows.iter().all(|r| !r["hypothesis"].is_empty()));

        let json = app.get_as(cookie, "/experiments.json").await;
        let doc: serde_json::Value = serde_json::from_str(&json.body).expect("json");
        assert_eq!(doc["count"].as_u64(), Some(total as u64));

        let contributions = csv_rows(&app.get_as(cookie, "/contributions.csv").await.body);
        let total = api_total(&app, cookie, "/api/v1/places/camden/contributions").await;
        assert_eq!(contributions.len(), total, "{cookie:?}");
    }
    // The filters are the list's: filtered rows are a subset, and a
    // misspelt or bad one is named.
    let status = csv_rows(
        &app.get_as(None, "/experiments.csv?status=running")
            .await
            .body,
    );
    assert!(status.iter().all(|r| r["status"] == "running"));
    let ucl_only = csv_rows(
        &app.get_as(None, "/contributions.csv?organisation=ucl")
            .await
            .body,
    );
    assert!(!ucl_only.is_empty());
    assert!(ucl_only.iter().all(|r| r["organisation"] == "ucl"));
    for (path, field) in [
        ("/experiments.csv?status=sleeping", "#status"),
        ("/experiments.json?colour=red", "colour"),
        ("/contributions.csv?year=last", "#year"),
        ("/contributions.csv?by=ward", "by"),
        ("/measures.csv?theme=health", "theme"),
    ] {
        let bad = app.get_as(None, path).await;
        assert_eq!(bad.status, 400, "{path}");
        assert!(bad.body.contains(field), "{path}: {}", bad.body);
    }
    // A hidden measure is missing from the public's list.
    app.sql("UPDATE measure SET audience = 'staff' WHERE slug = 'healthy-life-expectancy'")
        .await;
    let public = csv_rows(&app.get_as(None, "/measures.csv").await.body);
    assert!(public.iter().all(|r| r["id"] != "healthy-life-expectancy"));
    let seen = csv_rows(&app.get_as(Some(&staff), "/measures.csv").await.body);
    let measure = seen
        .iter()
        .find(|r| r["id"] == "healthy-life-expectancy")
        .expect("staff see it");
    assert_eq!(
        measure["values"],
        "/measures/healthy-life-expectancy/values.csv"
    );
    let page = app.get_as(None, "/open-data").await.body;
    for path in ["/experiments.csv", "/contributions.json", "/measures.csv"] {
        assert!(page.contains(&format!("href=\"{path}\"")), "{path}");
    }
}

#[tokio::test]
async fn administrators_choose_the_licence_every_download_states() {
    let (app, [ucl, _, staff, admin]) = camden_with_accounts().await;
    let (_, _, page) = app.get("/open-data").await;
    assert!(page.contains("Open Government Licence v3.0"));
    assert!(!page.contains("/admin/licence"));

    let empty = app.post_as(Some(&admin), "/admin/licence", &[]).await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("govuk-error-summary"));
    assert!(empty.body.contains("href=\"#licence\""));
    let unknown = app
        .post_as(Some(&admin), "/admin/licence", &[("licence", "mit")])
        .await;
    assert_eq!(unknown.status, 400);
    for cookie in [&ucl, &staff] {
        let refused = app
            .post_as(Some(cookie), "/admin/licence", &[("licence", "cc0-1")])
            .await;
        assert_eq!(refused.status, 403);
    }
    let saved = app
        .post_as(Some(&admin), "/admin/licence", &[("licence", "cc-by-4")])
        .await;
    assert_eq!(saved.status, 303);
    assert_eq!(saved.location(), "/open-data?saved=licence");

    let json = app.get_as(None, "/initiatives.json").await;
    let doc: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    assert_eq!(doc["licence"]["id"], "cc-by-4");
    assert_eq!(
        doc["licence"]["url"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert!(json.header("link").contains("creativecommons.org"));
    let (_, _, page) = app.get("/open-data").await;
    assert!(page.contains("Creative Commons Attribution 4.0"));
    let audit = app.get_as(Some(&admin), "/admin/audit").await;
    assert!(audit.body.contains("data_licence"), "the change is audited");
}

#[tokio::test]
async fn contributions_downloads_hold_the_same_records_with_formulas_defused_in_the_csv() {
    let app = camden().await;
    app.sql(
        "UPDATE contribution SET description = '-1+SUM(A1)' \
         WHERE id = (SELECT MIN(id) FROM contribution)",
    )
    .await;
    let csv = csv_rows(&app.get_as(None, "/contributions.csv").await.body);
    let json = app.get_as(None, "/contributions.json").await;
    assert_eq!(json.status, 200);
    let doc: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    let records = doc["records"].as_array().expect("records");
    assert_eq!(doc["count"].as_u64(), Some(csv.len() as u64));
    assert_eq!(records.len(), csv.len());
    assert!(!csv.is_empty());
    for (row, record) in csv.iter().zip(records) {
        assert_eq!(row["id"], record["id"].to_string());
        assert_eq!(
            row["organisation"],
            record["organisation"].as_str().expect("org")
        );
        assert_eq!(row["quantity"], record["quantity"].to_string());
    }
    let defused = csv
        .iter()
        .filter(|r| r["description"] == "'-1+SUM(A1)")
        .count();
    assert_eq!(defused, 1, "the typed formula is defused in the CSV");
    // The JSON carries the text as written.
    assert!(records.iter().any(|r| r["description"] == "-1+SUM(A1)"));
}
