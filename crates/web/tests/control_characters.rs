//! Control characters (NUL, escape) are refused with the field named, on
//! both databases, and an address holding one finds nothing (issue 23,
//! item 4: PostgreSQL answered 500 and SQLite stored them).

mod common;

use common::{camden, camden_with_accounts};
use placeweave_domain::Viewer;

/// A valid enquiry but for its message.
fn enquiry(message: &str) -> [(&str, &str); 7] {
    [
        ("organisation", "Kentish Town Bakery"),
        ("name", "Ada Okafor"),
        ("email", "ada@bakery.example"),
        ("role", "sponsorship"),
        ("mission", "youth-opportunity"),
        ("message", message),
        ("website", ""),
    ]
}

#[tokio::test]
async fn a_form_field_with_nul_or_escape_is_refused_and_named() {
    let app = camden().await;
    let place = app.place_key("camden").await;
    let before = app
        .db
        .store
        .enquiries(place, Viewer::Admin, None)
        .await
        .expect("read")
        .len();
    for message in ["We could host\0 two placements", "\u{1b}[2Jcleared"] {
        let reply = app
            .post_as(None, "/express-interest", &enquiry(message))
            .await;
        assert_eq!(reply.status, 400, "{}", reply.body);
        assert!(
            reply
                .body
                .contains("message must not contain control characters"),
            "{}",
            reply.body
        );
    }
    let after = app
        .db
        .store
        .enquiries(place, Viewer::Admin, None)
        .await
        .expect("read")
        .len();
    assert_eq!(before, after, "nothing is stored");

    let sign_in = app
        .post_as(
            None,
            "/sign-in",
            &[("email", "a\0@example.org"), ("password", "x")],
        )
        .await;
    assert_eq!(sign_in.status, 400, "{}", sign_in.body);
    assert!(
        sign_in
            .body
            .contains("email must not contain control characters")
    );

    // Tabs and line breaks are ordinary text.
    let reply = app
        .post_as(
            None,
            "/express-interest",
            &enquiry("Line one\r\nLine two\twith a tab"),
        )
        .await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
}

#[tokio::test]
async fn an_address_with_nul_finds_nothing() {
    let app = camden().await;
    for path in [
        "/organisations/ucl%00",
        "/missions/%00",
        "/measures/x%00/values.csv",
        "/search?q=%00",
    ] {
        let (status, _, _) = app.get(path).await;
        let expected = if path.contains('?') { 400 } else { 404 };
        assert_eq!(status, expected, "{path}");
    }
    let (status, body) = app.json("/api/v1/places/camden/organisations/ucl%00").await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn a_json_field_with_nul_is_refused_and_named() {
    let (app, [_, _, staff, _]) = camden_with_accounts().await;
    let reply = app
        .put_json(
            &staff,
            "/api/v1/places/camden/missions/youth-opportunity",
            &serde_json::json!({"short_name": "Youth\u{0} opportunity"}),
        )
        .await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    let problem: serde_json::Value = serde_json::from_str(&reply.body).expect("problem");
    assert_eq!(problem["errors"][0]["field"], "short_name", "{problem}");
}
