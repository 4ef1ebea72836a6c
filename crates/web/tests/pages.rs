//! The public pages, served by the real app over HTTP.

mod common;

use common::camden;

#[tokio::test]
async fn every_public_page_shows_the_seed_facts() {
    let app = camden().await;
    let expectations: &[(&str, &[&str])] = &[
        (
            "/",
            &[
                "Camden partnerships",
                "everyone eats well every day",
                "Safety",
                "In numbers",
            ],
        ),
        (
            "/missions",
            &["By 2025, every young person has access to economic opportunity"],
        ),
        (
            "/missions/youth-opportunity",
            &[
                "AI Campus",
                "Arsenal F.C.",
                "Advocate/ champion",
                "Demonstration record",
            ],
        ),
        (
            "/offer",
            &[
                "Recognition of action",
                "Alignment with CSR activity",
                "To ask as a critical friend",
                "Who to contact",
            ],
        ),
        (
            "/organisations",
            &[
                "University College London (UCL)",
                "Word on the Curb",
                "16 organisations",
            ],
        ),
        (
            "/organisations/ucl",
            &[
                "memorandum of understanding",
                "Research and evaluation",
                "We Make Camden Summit",
            ],
        ),
        (
            "/initiatives",
            &[
                "We Make Camden Kit",
                "Camden Climate Alliance",
                "Knowledge Quarter Spatial Strategy",
            ],
        ),
        (
            "/initiatives/we-make-camden-summit",
            &[
                "Wellcome Collection",
                "University of London Senate House",
                "Host",
            ],
        ),
        (
            "/initiatives/missions-ambassadors",
            &[
                "Phoenix Court Works",
                "British Museum",
                "Roundhouse",
                "Camden Giving",
            ],
        ),
    ];
    for (path, texts) in expectations {
        let (status, content_type, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
        for text in *texts {
            assert!(body.contains(text), "{path} should show {text:?}");
        }
        assert!(
            body.contains("<main class=\"govuk-main-wrapper\" id=\"main-content\">"),
            "{path}"
        );
        assert!(body.contains("govuk-skip-link"), "{path}");
    }
}

#[tokio::test]
async fn unknown_ids_get_a_not_found_page() {
    let app = camden().await;
    for path in [
        "/organisations/no-such-org",
        "/missions/nope",
        "/initiatives/nope",
        "/nowhere",
        "/organisations/ucl/extra",
    ] {
        let (status, content_type, body) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(content_type.starts_with("text/html"), "{path}");
        assert!(body.contains("Page not found"), "{path}");
    }
}

#[tokio::test]
async fn bad_filters_get_a_400_that_names_each_field() {
    let app = camden().await;
    let (status, _, body) = app
        .get("/organisations?kind=spaceship&lever=magic&page=0")
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("govuk-error-summary"));
    assert!(body.contains("href=\"#kind\""));
    assert!(body.contains("href=\"#lever\""));
    assert!(body.contains("href=\"#page\""));
    assert!(
        body.contains("&#34;spaceship&#34; is not one")
            || body.contains("&quot;spaceship&quot; is not one")
    );
    assert!(body.contains("<title>Error: Organisations"));
}

#[tokio::test]
async fn directory_filters_search_and_pages() {
    let app = camden().await;
    let (status, _, body) = app.get("/organisations?kind=cultural").await;
    assert_eq!(status, 200);
    assert!(body.contains("British Museum") && body.contains("Roundhouse"));
    assert!(!body.contains("Arsenal F.C."));
    assert!(body.contains("<option value=\"cultural\" selected>"));

    let (_, _, body) = app.get("/organisations?q=camden").await;
    assert!(body.contains("Camden Giving") && !body.contains("Roundhouse"));

    let (_, _, body) = app.get("/organisations?per_page=5&page=2").await;
    assert!(body.contains("page 2 of 4"));
    assert!(body.contains("rel=\"prev\"") && body.contains("rel=\"next\""));
    assert!(body.replace("&#38;", "&").contains("per_page=5&page=3"));

    let (status, _, body) = app.get("/organisations?anchor=yes").await;
    assert_eq!(status, 200);
    assert!(body.contains("2 organisations") && body.contains("Central Saint Martins"));
    assert!(!body.contains("Roundhouse"));
    let (status, _, body) = app.get("/organisations?anchor=maybe").await;
    assert_eq!(status, 400);
    assert!(body.contains("href=\"#anchor\""));

    let (status, _, _) = app.get("/organisations?page=99").await;
    assert_eq!(status, 404, "a page past the end does not exist");
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = camden().await;
    let response = app
        .client
        .get(format!("{}/", app.base))
        .send()
        .await
        .expect("get");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-security-policy").contains("default-src 'self'"));
    assert!(!header("content-security-policy").contains("unsafe-inline"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(!header("referrer-policy").is_empty());
}

#[tokio::test]
async fn assets_are_embedded_and_revalidate() {
    let app = camden().await;
    let response = app
        .client
        .get(format!("{}/assets/app.css", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 200);
    let etag = response.headers().get("etag").cloned().expect("etag");
    assert!(
        response
            .text()
            .await
            .expect("css")
            .contains(".govuk-header")
    );
    let again = app
        .client
        .get(format!("{}/assets/app.css", app.base))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("get");
    assert_eq!(again.status().as_u16(), 304);
    let (status, _, _) = app.get("/assets/missing.js").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn long_lists_are_paginated() {
    let db = placeweave_store::testing::database()
        .await
        .expect("database");
    let options = placeweave_store::synthetic::Options {
        organisations: 2_000,
        seed: 5,
        place_slug: Some("big".into()),
    };
    placeweave_store::synthetic::generate(&db.store, &options, &|_, _| {})
        .await
        .expect("generate");
    let app = common::start_with(db, "big").await;
    let (status, _, body) = app.get("/initiatives").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("50 initiatives, page 1 of 3"),
        "2,000 organisations make 50 initiatives"
    );
    assert!(body.contains("href=\"/initiatives?page=2\""));
    let (status, _, body) = app.get("/initiatives?page=3").await;
    assert_eq!(status, 200);
    assert!(body.contains("rel=\"prev\"") && !body.contains("rel=\"next\""));
    assert_eq!(app.get("/initiatives?page=4").await.0, 404);
    assert_eq!(app.get("/initiatives?page=zero").await.0, 400);
    let (_, _, body) = app.get("/organisations?page=100").await;
    assert!(body.contains("page 100 of 100"));
    let (_, _, home) = app.get("/").await;
    assert!(home.contains("This place was generated for testing"));
}
