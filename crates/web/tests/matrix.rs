//! The access matrix: every registered route (pages and API), for every kind
//! of caller, on their own organisation and on an unpublished one. A route
//! with no row here fails the test, so none can be added unchecked.

mod common;

use common::{PASSWORD, camden_with_accounts};
use placeweave_domain::{AccountRole, Audience, Viewer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Public,
    /// A partner acting on their own organisation (UCL).
    PartnerOwn,
    /// A partner of another organisation (the Roundhouse) acting on UCL.
    PartnerOther,
    Staff,
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    /// UCL: published, owned by the UCL partner.
    Own,
    /// An organisation only staff may see.
    Unpublished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allow,
    Deny,
}

use Expect::{Allow, Deny};
use Who::{Admin, PartnerOther, PartnerOwn, Public, Staff};

fn signed_in(who: Who) -> bool {
    who != Public
}

/// The expected outcome for every route. Missing routes panic.
fn expected(method: &str, path: &str, who: Who, object: Object) -> Expect {
    let staff_or_admin = matches!(who, Staff | Admin);
    let allow = |yes: bool| if yes { Allow } else { Deny };
    let can_read_object = object == Object::Own || staff_or_admin;
    match (method, path) {
        (
            "GET",
            "/"
            | "/organisations"
            | "/missions"
            | "/missions/{mission}"
            | "/offer"
            | "/initiatives"
            | "/initiatives/{initiative}"
            | "/sign-in",
        ) => Allow,
        ("POST", "/sign-in" | "/sign-out") => Allow,
        // For operators and their monitors: no personal data, no session needed.
        ("GET", "/healthz" | "/metrics") => Allow,
        ("GET", "/organisations/{organisation}") => allow(can_read_object),
        ("GET" | "POST", "/organisations/{organisation}/edit") => {
            allow(staff_or_admin || (who == PartnerOwn && object == Object::Own))
        }
        ("GET" | "POST", "/organisations/{organisation}/contacts") => allow(staff_or_admin),
        (
            "GET" | "POST",
            "/organisations/new"
            | "/missions/new"
            | "/missions/{mission}/edit"
            | "/offer/new"
            | "/offer/{role}/edit"
            | "/initiatives/new"
            | "/initiatives/{initiative}/edit",
        ) => allow(staff_or_admin),
        // A partner records commitments for their own organisation only.
        ("GET" | "POST", "/commitments/new") => allow(signed_in(who)),
        ("GET" | "POST", "/commitments/{id}/edit") => {
            allow(staff_or_admin || (who == PartnerOwn && object == Object::Own))
        }
        ("GET", "/account") => allow(signed_in(who)),
        ("GET" | "POST", "/invite/{token}") => Deny,
        (
            "GET",
            "/admin" | "/admin/users" | "/admin/audit" | "/admin/people" | "/admin/people/export",
        ) => allow(who == Admin),
        ("POST", "/admin/users" | "/admin/users/{id}/disable" | "/admin/people/erase") => {
            allow(who == Admin)
        }
        (
            "GET",
            "/api/v1/places"
            | "/api/v1/places/{place}"
            | "/api/v1/places/{place}/organisations"
            | "/api/v1/places/{place}/missions"
            | "/api/v1/places/{place}/missions/{mission}"
            | "/api/v1/places/{place}/outcome-themes"
            | "/api/v1/places/{place}/roles"
            | "/api/v1/places/{place}/roles/{role}"
            | "/api/v1/places/{place}/commitments"
            | "/api/v1/places/{place}/initiatives"
            | "/api/v1/places/{place}/initiatives/{initiative}",
        ) => Allow,
        ("GET", "/api/v1/places/{place}/organisations/{organisation}") => allow(can_read_object),
        (
            "POST",
            "/api/v1/places/{place}/organisations"
            | "/api/v1/places/{place}/missions"
            | "/api/v1/places/{place}/roles"
            | "/api/v1/places/{place}/initiatives",
        ) => allow(staff_or_admin),
        (
            "PUT",
            "/api/v1/places/{place}/missions/{mission}"
            | "/api/v1/places/{place}/roles/{role}"
            | "/api/v1/places/{place}/initiatives/{initiative}",
        ) => allow(staff_or_admin),
        ("POST", "/api/v1/places/{place}/commitments") => allow(signed_in(who)),
        ("PUT", "/api/v1/places/{place}/commitments/{commitment}") => {
            allow(staff_or_admin || (who == PartnerOwn && object == Object::Own))
        }
        ("PUT", "/api/v1/places/{place}/organisations/{organisation}") => {
            allow(staff_or_admin || (who == PartnerOwn && object == Object::Own))
        }
        ("GET" | "POST", "/themes/new" | "/themes/{theme}/edit") => allow(staff_or_admin),
        ("POST", "/api/v1/places/{place}/outcome-themes") => allow(staff_or_admin),
        ("PUT", "/api/v1/places/{place}/outcome-themes/{theme}") => allow(staff_or_admin),
        _ => panic!("{method} {path} is missing from the access matrix"),
    }
}

#[tokio::test]
async fn every_route_for_every_caller_and_object() {
    let (app, [ucl, roundhouse, staff, admin]) = camden_with_accounts().await;
    let store = &app.db.store;
    let place = store
        .place("camden", Viewer::Admin)
        .await
        .expect("read")
        .expect("camden")
        .key;
    let mut hidden = store
        .organisation(place, "roundhouse", Viewer::Admin)
        .await
        .expect("read")
        .expect("org");
    hidden.id = "hidden-org".into();
    hidden.name = "Hidden organisation".into();
    hidden.audience = Audience::Staff;
    let mut tx = store.begin().await.expect("begin");
    tx.insert_organisations(place, &[hidden])
        .await
        .expect("insert");
    placeweave_store::testing::commit(tx).await.expect("commit");
    let throwaway = app
        .account(
            "throwaway@camden.example",
            AccountRole::Staff,
            None,
            PASSWORD,
        )
        .await;
    // UCL's published commitment, and one of its commitments only staff may see.
    let everyone = placeweave_store::CommitmentFilter {
        organisation: Some("ucl".into()),
        ..Default::default()
    };
    let public_commitment = store
        .commitments(place, Viewer::Admin, &everyone)
        .await
        .expect("read")[0]
        .id;
    let ucl_key = {
        let mut tx = store.begin().await.expect("begin");
        let id = tx
            .insert_commitment(
                place,
                &placeweave_store::NewCommitment {
                    organisation_id: ucl_database_id(&app).await,
                    role_id: None,
                    mission_id: None,
                    status: placeweave_domain::CommitmentStatus::Proposed,
                    start_date: None,
                    end_date: None,
                    note: None,
                    demonstration: true,
                    audience: Audience::Staff,
                },
            )
            .await
            .expect("commitment");
        placeweave_store::testing::commit(tx).await.expect("commit");
        id
    };

    let mut routes: Vec<(String, String)> = placeweave_web::page_routes()
        .into_iter()
        .map(|(m, p)| (m.to_string(), p.to_owned()))
        .collect();
    let (_, doc) = app.json("/api/v1/openapi.json").await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            routes.push((method.to_uppercase(), path.clone()));
        }
    }
    assert!(routes.len() >= 69, "only {} routes", routes.len());

    let who_all = [Public, PartnerOwn, PartnerOther, Staff, Admin];
    let mut checked = 0;
    for (method, path) in &routes {
        for who in who_all {
            for object in [Object::Own, Object::Unpublished] {
                let expect = expected(method, path, who, object);
                let url = path
                    .replace("{place}", "camden")
                    .replace(
                        "{organisation}",
                        if object == Object::Own {
                            "ucl"
                        } else {
                            "hidden-org"
                        },
                    )
                    .replace("{mission}", "youth-opportunity")
                    .replace("{initiative}", "ai-campus")
                    .replace("{role}", "sponsorship")
                    .replace("{theme}", "health")
                    .replace("{token}", &"0".repeat(64))
                    .replace(
                        "{commitment}",
                        &if object == Object::Own {
                            public_commitment
                        } else {
                            ucl_key
                        }
                        .to_string(),
                    )
                    .replace(
                        "{id}",
                        &if path.starts_with("/commitments") {
                            if object == Object::Own {
                                public_commitment
                            } else {
                                ucl_key
                            }
                        } else {
                            throwaway
                        }
                        .to_string(),
                    );
                let mut cookie = match who {
                    Public => None,
                    PartnerOwn => Some(ucl.clone()),
                    PartnerOther => Some(roundhouse.clone()),
                    Staff => Some(staff.clone()),
                    Admin => Some(admin.clone()),
                };
                // Signing out must not end the session the rest of the matrix uses.
                if path == "/sign-out" && cookie.is_some() {
                    let email = match who {
                        PartnerOwn => "ucl@partner.example",
                        PartnerOther => "roundhouse@partner.example",
                        Staff => "staff@camden.example",
                        _ => "admin@camden.example",
                    };
                    cookie = Some(app.sign_in(email, PASSWORD).await);
                }
                let reply = if method == "PUT" || (method == "POST" && url.starts_with("/api/")) {
                    let verb = if method == "PUT" {
                        reqwest::Method::PUT
                    } else {
                        reqwest::Method::POST
                    };
                    let mut request = app
                        .client
                        .request(verb, format!("{}{url}", app.base))
                        .header("origin", &app.base)
                        .json(&serde_json::json!({}));
                    if let Some(c) = &cookie {
                        request = request.header("cookie", c);
                    }
                    let response = request.send().await.expect("put");
                    common::Reply {
                        status: response.status().as_u16(),
                        headers: response.headers().clone(),
                        body: response.text().await.expect("body"),
                    }
                } else if method == "POST" {
                    app.post_as(cookie.as_deref(), &url, &[]).await
                } else {
                    app.get_as(cookie.as_deref(), &url).await
                };
                let denied =
                    matches!(reply.status, 401 | 403 | 404) || reply.location() == "/sign-in";
                match expect {
                    Allow => assert!(
                        !denied && reply.status < 500,
                        "{method} {url} as {who:?} should be allowed, got {} {}",
                        reply.status,
                        reply.location()
                    ),
                    Deny => assert!(
                        denied,
                        "{method} {url} as {who:?} should be denied, got {}",
                        reply.status
                    ),
                }
                checked += 1;
            }
        }
    }
    println!(
        "access matrix: {} routes x {} callers x 2 objects = {checked} requests",
        routes.len(),
        who_all.len()
    );

    // Nothing the denied (or empty) requests sent changed a record.
    let ucl_now = store
        .organisation(place, "ucl", Viewer::Admin)
        .await
        .expect("read")
        .expect("ucl");
    assert_eq!(ucl_now.version, 1);
    assert!(
        store
            .contacts(place, "ucl", Viewer::Admin)
            .await
            .expect("read")
            .is_empty()
    );
    let commitments = store
        .commitments(place, Viewer::Admin, &everyone)
        .await
        .expect("read");
    assert_eq!(commitments.len(), 2);
    assert!(
        commitments.iter().all(|c| c.version == 1),
        "no commitment changed"
    );
    assert_eq!(
        store
            .missions(place, Viewer::Admin)
            .await
            .expect("read")
            .len(),
        4,
        "no mission added"
    );
}

async fn ucl_database_id(app: &common::TestApp) -> i64 {
    let query = "SELECT id FROM organisation WHERE slug = 'ucl'";
    let row: (i64,) = match &app.db.store {
        placeweave_store::Store::Sqlite(pool) => {
            sqlx::query_as(query).fetch_one(pool).await.expect("ucl")
        }
        placeweave_store::Store::Postgres(pool) => {
            sqlx::query_as(query).fetch_one(pool).await.expect("ucl")
        }
    };
    row.0
}
