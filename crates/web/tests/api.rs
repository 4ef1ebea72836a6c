//! The JSON API and its OpenAPI document, over HTTP.

mod common;

use common::camden;
use serde_json::Value;

#[tokio::test]
async fn openapi_document_is_3_1_and_describes_every_route() {
    let app = camden().await;
    let (status, doc) = app.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.1")
    );
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 12, "{} paths", paths.len());

    // Every documented route answers 200 with JSON when given real ids.
    // Contributions' ids are drawn at random: take a public one's.
    let (_, contributions) = app.json("/api/v1/places/camden/contributions").await;
    let contribution = first_id(&contributions)
        .expect("a public contribution in the demo")
        .to_string();
    let ids = [
        ("{place}", "camden"),
        ("{organisation}", "ucl"),
        ("{mission}", "youth-opportunity"),
        ("{role}", "sponsorship"),
        ("{initiative}", "ai-campus"),
        ("{relationship}", "1"),
        ("{interaction}", "1"),
        ("{enquiry}", "1"),
        ("{experiment}", "youth-careers-challenge-prize"),
        ("{contribution}", contribution.as_str()),
        ("{signal}", "long-healthy-lives"),
        ("{measure}", "healthy-life-expectancy"),
        ("{story}", "first-paid-placement"),
        ("{ask}", "apprenticeship-places-for-care-leavers"),
    ];
    for (path, item) in paths {
        // Every write documents the storage faults it can meet.
        for method in ["post", "put", "patch", "delete"] {
            if let Some(operation) = item.get(method) {
                for status in ["503", "507"] {
                    let problem = &operation["responses"][status]["content"]["application/problem+json"]
                        ["schema"]["$ref"];
                    assert_eq!(
                        problem, "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
        }
        if item.get("get").is_none() {
            assert!(item.get("put").is_some(), "{path} has neither GET nor PUT");
            continue;
        }
        let mut url = path.clone();
        for (param, value) in ids {
            url = url.replace(param, value);
        }
        assert!(!url.contains('{'), "no demo value for {path}");
        let (status, body) = app.json(&url).await;
        // A briefing is for staff: to anyone else it is missing.
        if path.ends_with("/briefing") {
            assert_eq!(status, 404, "{url}: {body}");
            continue;
        }
        // A read documented as needing sign-in (staff-only records) asks
        // the public to sign in first; one such record is, to the public,
        // as missing as one that does not exist.
        if item["get"]["responses"].get("401").is_some() {
            let expected = if path.ends_with('}') { 404 } else { 401 };
            assert_eq!(status, expected, "{url}: {body}");
            continue;
        }
        assert_eq!(status, 200, "{url}: {body}");
        // Responses documented for 404 answer with a problem document.
        if item["get"]["responses"].get("404").is_some() && path.contains("{place}") {
            let missing = url.replacen("camden", "no-such-place", 1);
            let (status, problem) = app.json(&missing).await;
            assert_eq!(status, 404, "{missing}");
            assert_eq!(problem["status"], 404);
        }
    }
}

#[tokio::test]
async fn commitments_and_initiatives_are_paged_with_their_totals() {
    let app = camden().await;
    for list in ["commitments", "initiatives"] {
        let (status, all) = app
            .json(&format!("/api/v1/places/camden/{list}?per_page=100"))
            .await;
        assert_eq!(status, 200, "{all}");
        let everything = all["items"].as_array().expect("items").clone();
        let total = all["total"].as_i64().expect("total");
        assert_eq!(total as usize, everything.len(), "{list}");
        assert!(total >= 4, "{list}: {total}");
        // Page 2 of 3 is the 4th to 6th of the whole list, same total.
        let (_, page) = app
            .json(&format!("/api/v1/places/camden/{list}?per_page=3&page=2"))
            .await;
        assert_eq!(page["total"], total, "{list}");
        let items = page["items"].as_array().expect("items");
        assert_eq!(
            items.as_slice(),
            &everything[3..everything.len().min(6)],
            "{list}"
        );
        // Past the end: nothing, and still the total.
        let (status, past) = app
            .json(&format!("/api/v1/places/camden/{list}?per_page=100&page=9"))
            .await;
        assert_eq!(status, 200);
        assert_eq!(past["items"].as_array().map(Vec::len), Some(0));
        assert_eq!(past["total"], total, "{list}");
    }
}

#[tokio::test]
async fn organisations_list_filters_and_pages() {
    let app = camden().await;
    let (status, page) = app
        .json("/api/v1/places/camden/organisations?kind=university")
        .await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 3);
    let (_, page) = app
        .json("/api/v1/places/camden/organisations?per_page=4&page=4")
        .await;
    assert_eq!(page["pages"], 4);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(4));
    let (_, page) = app
        .json("/api/v1/places/camden/organisations?mission=youth-opportunity")
        .await;
    let ids: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert!(ids.contains(&"google"), "{ids:?}");
}

#[tokio::test]
async fn bad_input_gets_a_problem_document_naming_fields() {
    let app = camden().await;
    let response = app
        .client
        .get(format!(
            "{}/api/v1/places/camden/organisations?kind=spaceship&per_page=0",
            app.base
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["status"], 400);
    assert_eq!(problem["title"], "Bad Request");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["kind", "per_page"]);

    let (status, problem) = app
        .json("/api/v1/places/camden/commitments?mission=Not%20A%20Slug")
        .await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["field"], "mission");

    let (status, problem) = app.json("/api/v1/places/camden/initiatives?page=abc").await;
    assert_eq!(status, 400);
    assert_eq!(problem["errors"][0]["field"], "page");

    let (status, problem) = app.json("/api/v1/no/such/route").await;
    assert_eq!(status, 404);
    assert_eq!(problem["type"], "about:blank");
}

#[tokio::test]
async fn resources_carry_the_published_facts() {
    let app = camden().await;
    let (_, roles) = app.json("/api/v1/places/camden/roles").await;
    let names: Vec<&str> = roles
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Recognition of action",
            "Advocate/ champion",
            "Sponsorship",
            "Research, learning & evaluation"
        ]
    );
    let (_, mission) = app.json("/api/v1/places/camden/missions/eat-well").await;
    assert_eq!(mission["target_year"], 2030);
    let (_, kit) = app
        .json("/api/v1/places/camden/initiatives/we-make-camden-kit")
        .await;
    assert!(
        kit["description"]
            .as_str()
            .unwrap_or_default()
            .contains("more than 300 projects")
    );
    assert_eq!(kit["missions"].as_array().map(Vec::len), Some(4));
    let (_, place) = app.json("/api/v1/places/camden").await;
    assert_eq!(place["headline"]["missions"], 4);
    let (_, commitments) = app
        .json("/api/v1/places/camden/commitments?organisation=arsenal-fc")
        .await;
    assert_eq!(commitments["total"], 1);
    assert_eq!(commitments["items"][0]["demonstration"], true);
}

/// Sends a JSON body as the holder of `cookie`, from this site.
async fn send_json(
    app: &common::TestApp,
    method: reqwest::Method,
    path: &str,
    cookie: &str,
    body: &Value,
) -> (u16, Value) {
    let response = app
        .client
        .request(method, format!("{}{path}", app.base))
        .header("origin", app.base.clone())
        .header("cookie", cookie)
        .json(body)
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn write_bodies_are_typed_and_refused_by_name() {
    let (app, cookies) = common::camden_with_accounts().await;
    let (staff, partner) = (&cookies[2], &cookies[0]);
    let put = reqwest::Method::PUT;
    let post = reqwest::Method::POST;
    let ucl = "/api/v1/places/camden/organisations/ucl";
    let (_, current) = app.json(ucl).await;
    let version = current["version"].clone();

    // An unknown field is refused by name.
    let body = serde_json::json!({"version": version, "colour": "blue"});
    let (status, problem) = send_json(&app, put.clone(), ucl, staff, &body).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["colour"]);

    // A value of the wrong type is refused by name.
    let body = serde_json::json!({"version": version, "is_anchor": "perhaps"});
    let (status, problem) = send_json(&app, put.clone(), ucl, staff, &body).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["is_anchor"]);

    // So is a value outside its vocabulary, a bad date and a bad slug.
    let body = serde_json::json!({"version": version, "kind": "spaceship"});
    let (_, problem) = send_json(&app, put.clone(), ucl, staff, &body).await;
    assert_eq!(fields(&problem), ["kind"]);
    let commitments = "/api/v1/places/camden/commitments";
    let body = serde_json::json!({"organisation": "ucl", "status": "active", "audience": "public", "start_date": "2025-02-30"});
    let (status, problem) = send_json(&app, post.clone(), commitments, staff, &body).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["start_date"]);
    let body =
        serde_json::json!({"organisation": "Not A Slug", "status": "active", "audience": "public"});
    let (_, problem) = send_json(&app, post.clone(), commitments, staff, &body).await;
    assert_eq!(fields(&problem), ["organisation"]);

    // A field the caller may not set is still refused by name, as today.
    let body = serde_json::json!({"version": version, "internal_notes": "mine"});
    let (status, problem) = send_json(&app, put.clone(), ucl, partner, &body).await;
    assert_eq!(status, 400, "{problem}");
    assert_eq!(fields(&problem), ["internal_notes"]);

    // A partner's commitment is their own organisation's.
    let body = serde_json::json!({"status": "proposed", "mission": "youth-opportunity"});
    let (status, created) = send_json(&app, post.clone(), commitments, partner, &body).await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["organisation"]["id"], "ucl");

    // A record that does not exist, or a name taken, is a conflict.
    let body = serde_json::json!({"organisation": "no-such-organisation", "status": "active", "audience": "public"});
    let (status, problem) = send_json(&app, post.clone(), commitments, staff, &body).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(fields(&problem), ["organisation"]);

    // Null empties a field; a valid change is applied; whole numbers may
    // be written as 2.0.
    let body = serde_json::json!({"version": version.as_f64(), "website": null, "wards": []});
    let (status, changed) = send_json(&app, put.clone(), ucl, staff, &body).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["website"], Value::Null);
    assert_eq!(changed["wards"], serde_json::json!([]));

    // A body that is not JSON is 415, as a problem document.
    let response = app
        .client
        .put(format!("{}{ucl}", app.base))
        .header("origin", app.base.clone())
        .header("cookie", staff.as_str())
        .body("version=1")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 415);
    let problem: Value = response.json().await.expect("problem");
    assert_eq!(problem["status"], 415);
}

#[tokio::test]
async fn the_document_describes_what_is_served() {
    let app = camden().await;
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    let documented = |name: &str| -> Vec<String> {
        schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} has no enum"))
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    // Enum values served are ones documented.
    let (_, page) = app.json("/api/v1/places/camden/organisations").await;
    let kinds = documented("OrganisationKind");
    for item in page["items"].as_array().expect("items") {
        let kind = item["kind"].as_str().expect("kind");
        assert!(kinds.iter().any(|k| k == kind), "{kind} not in {kinds:?}");
        assert!(documented("Audience").len() == 4);
    }
    let (_, page) = app.json("/api/v1/places/camden/commitments").await;
    let statuses = documented("CommitmentStatus");
    for item in page["items"].as_array().expect("items") {
        let status = item["status"].as_str().expect("status");
        assert!(statuses.iter().any(|s| s == status), "{status}");
    }
    // Write bodies are typed, closed objects, not free ones.
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["post", "put"] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let reference =
                operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path} has no typed body"));
            let name = reference.rsplit('/').next().unwrap_or_default();
            assert_eq!(schemas[name]["type"], "object", "{name}");
            assert_eq!(schemas[name]["additionalProperties"], false, "{name}");
            assert!(
                schemas[name]["properties"]
                    .as_object()
                    .is_some_and(|p| !p.is_empty())
            );
            if method == "post" {
                assert!(operation["responses"].get("404").is_some(), "{path}");
            }
        }
    }
    // Page limits and slug patterns are documented.
    let params = doc["paths"]["/api/v1/places/{place}/commitments"]["get"]["parameters"]
        .as_array()
        .expect("parameters");
    let param = |name: &str| params.iter().find(|p| p["name"] == name).expect(name);
    assert_eq!(param("per_page")["schema"]["maximum"], 100);
    assert_eq!(param("page")["schema"]["minimum"], 1);
    assert!(param("mission")["schema"]["pattern"].is_string());
}

/// Every `$ref` in the document names a schema it defines (a type named
/// only by a query parameter is not collected on its own).
#[tokio::test]
async fn every_schema_reference_resolves() {
    fn refs(value: &serde_json::Value, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, inner) in map {
                    match (key.as_str(), inner.as_str()) {
                        ("$ref", Some(target)) => found.push(target.to_owned()),
                        _ => refs(inner, found),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| refs(i, found)),
            _ => {}
        }
    }
    let app = common::camden().await;
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let mut found = Vec::new();
    refs(&doc, &mut found);
    let missing: Vec<&String> = found
        .iter()
        .filter(|r| {
            let name = r.trim_start_matches("#/components/schemas/");
            doc["components"]["schemas"].get(name).is_none()
        })
        .collect();
    assert!(missing.is_empty(), "undefined schemas: {missing:?}");
}

/// The document says what the server checks (issue 23, item 20): every
/// field a write refuses to go without is required, a version the server
/// needs is a required integer (not null), and fields read as the domain's
/// forms say their choices, ids and dates rather than "a string".
#[tokio::test]
async fn write_schemas_require_what_the_server_requires() {
    let app = camden().await;
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    let body = |path: &str, method: &str| -> &Value {
        let reference = doc["paths"][path][method]["requestBody"]["content"]["application/json"]
            ["schema"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no typed body"));
        &schemas[reference.rsplit('/').next().unwrap_or_default()]
    };
    let required = |schema: &Value| -> Vec<String> {
        schema["required"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let needs = |path: &str, method: &str, fields: &[&str]| {
        let schema = body(path, method);
        let listed = required(schema);
        for field in fields {
            assert!(
                listed.iter().any(|f| f == field),
                "{method} {path}: {field} not required in {listed:?}"
            );
        }
    };
    let places = "/api/v1/places/{place}";
    needs(
        &format!("{places}/signals"),
        "post",
        &["theme", "name", "audience"],
    );
    needs(
        &format!("{places}/measures"),
        "post",
        &["signal", "name", "unit", "direction", "audience"],
    );
    needs(
        &format!("{places}/experiments"),
        "post",
        &["name", "hypothesis", "mechanism", "status", "audience"],
    );
    needs(
        &format!("{places}/stories"),
        "post",
        &["title", "summary", "body", "audience"],
    );
    needs(
        &format!("{places}/asks"),
        "post",
        &["title", "mission", "lever", "size_kind"],
    );
    needs(
        &format!("{places}/commitments/{{commitment}}/review"),
        "put",
        &["decision", "version"],
    );
    // A version the server needs is a required whole number, never null.
    for (path, method) in [
        (format!("{places}/asks/{{ask}}"), "put"),
        (format!("{places}/asks/{{ask}}/asked/{{asked}}"), "put"),
    ] {
        needs(&path, method, &["version"]);
        assert_eq!(
            body(&path, method)["properties"]["version"]["type"],
            "integer",
            "{method} {path}"
        );
    }
    // A story's summary is refused blank, so its schema is not one that
    // allows blank text.
    let summary = &body(&format!("{places}/stories"), "post")["properties"]["summary"]["$ref"];
    assert_eq!(summary, "#/components/schemas/Sentence");
    // Every string a write body takes says which characters it may hold
    // (or is a choice): the server refuses control characters everywhere.
    for name in [
        "NewAsk",
        "AskChanges",
        "AskedBody",
        "AnswerChanges",
        "ReviewBody",
    ] {
        let properties = schemas[name]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no properties"));
        for (field, schema) in properties {
            if schema["type"] == "string" {
                assert!(
                    schema.get("pattern").is_some() || schema.get("enum").is_some(),
                    "{name}.{field} is any string"
                );
            }
        }
    }
}

/// The first record id in a JSON answer (a list, or a page of items).
fn first_id(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::Object(fields) => fields
            .get("id")
            .and_then(serde_json::Value::as_i64)
            .or_else(|| fields.values().find_map(first_id)),
        serde_json::Value::Array(items) => items.iter().find_map(first_id),
        _ => None,
    }
}
