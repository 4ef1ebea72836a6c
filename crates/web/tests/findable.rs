//! Findable and shareable: robots.txt, a sitemap of public pages only (a
//! hidden record is as absent as a missing one), a meta description and
//! Open Graph tags on every public page, and a Content-Security-Policy that
//! allows the one inline script by its hash, never `unsafe-inline`.

mod common;

use common::camden;

#[tokio::test]
async fn robots_txt_keeps_crawlers_to_public_pages_and_points_to_the_sitemap() {
    let app = camden().await;
    let (status, content_type, body) = app.get("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/plain"));
    for line in [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin",
        "Disallow: /account",
        "Disallow: /sign-in",
        "Disallow: /*/edit",
        "Disallow: /*/new",
    ] {
        assert!(
            body.lines().any(|l| l == line),
            "robots.txt should say {line}"
        );
    }
    let host = app.base.trim_start_matches("http://");
    assert!(
        body.contains(&format!("Sitemap: http://{host}/sitemap.xml")),
        "{body}"
    );
}

#[tokio::test]
async fn the_sitemap_lists_public_pages_and_never_a_hidden_record() {
    let app = camden().await;
    // Canaries: one record of each listed kind that the public may not see.
    app.sql("UPDATE organisation SET audience = 'staff' WHERE slug = 'roundhouse'")
        .await;
    app.sql("UPDATE organisation SET audience = 'partners' WHERE slug = 'british-museum'")
        .await;
    app.sql("UPDATE mission SET audience = 'restricted' WHERE slug = 'eat-well'")
        .await;
    app.sql("UPDATE initiative SET audience = 'staff' WHERE slug = 'ai-campus'")
        .await;
    let (status, content_type, body) = app.get("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/xml"));
    assert!(body.starts_with("<?xml"));
    assert!(body.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let base = &app.base;
    for path in [
        "/",
        "/missions",
        "/offer",
        "/organisations",
        "/initiatives",
        "/missions/youth-opportunity",
        "/organisations/ucl",
        "/initiatives/we-make-camden-summit",
        "/accessibility",
        "/privacy",
        "/cookies",
        "/contact",
    ] {
        assert!(
            body.contains(&format!("<loc>{base}{path}</loc>")),
            "{path} missing:\n{body}"
        );
    }
    for hidden in [
        "roundhouse",
        "british-museum",
        "/missions/eat-well",
        "ai-campus",
    ] {
        assert!(
            !body.contains(hidden),
            "{hidden} is not public but is in the sitemap"
        );
    }
    for private in [
        "/admin",
        "/account",
        "/sign-in",
        "/edit",
        "/new",
        "/contacts",
    ] {
        assert!(!body.contains(private), "{private} in the sitemap");
    }
}

#[tokio::test]
async fn public_pages_describe_themselves_for_search_and_sharing() {
    let app = camden().await;
    let (_, _, mission) = app.get("/missions/youth-opportunity").await;
    assert!(
        mission.contains("<meta name=\"description\" content=\"By 2025, every young person has access to economic opportunity"),
        "the mission's own statement"
    );
    assert!(mission.contains(
        "<meta property=\"og:title\" content=\"Youth economic opportunity – Camden partnerships\">"
    ));
    assert!(
        mission.contains("<meta property=\"og:description\" content=\"By 2025, every young person")
    );
    for path in [
        "/",
        "/missions",
        "/offer",
        "/organisations",
        "/organisations/ucl",
        "/initiatives",
        "/initiatives/ai-campus",
        "/accessibility",
    ] {
        let (status, _, body) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        let description = body
            .split("<meta name=\"description\" content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default();
        assert!(
            description.len() > 40,
            "{path}: description {description:?}"
        );
        assert!(
            description.chars().count() <= 200,
            "{path}: description too long"
        );
        assert!(
            body.contains("<meta property=\"og:title\" content=\""),
            "{path}"
        );
        assert!(
            body.contains("<meta property=\"og:description\" content=\""),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_policy_allows_the_one_inline_script_by_its_hash() {
    let app = camden().await;
    let reply = app.get_as(None, "/").await;
    let policy = reply.header("content-security-policy");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("script-src 'self' 'sha256-"), "{policy}");
    assert!(reply.body.contains("<script>document.body.className+="));
    // A printed page says where it came from.
    assert!(
        reply
            .body
            .contains(&format!("Printed from Camden partnerships: {}/", app.base))
    );
}
