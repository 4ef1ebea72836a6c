//! What search engines read: `robots.txt` (public pages yes; accounts,
//! administration and edit forms no) and `sitemap.xml`, which lists only
//! what the public may see — it is built from the public's own view of the
//! place, so a hidden record is as absent as a missing one.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::IntoResponse;
use placeweave_app::InitiativeQuery;
use placeweave_domain::{OrganisationFilter, PageRequest, Principal};

use crate::AppState;
use crate::error::Failure;
use crate::pages::place_page;

/// The site's own address (`https://host`), from the request's `Host`
/// when it is a plain host name; the scheme follows `--https`.
pub(crate) fn origin(secure: bool, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .unwrap_or("localhost");
    let scheme = if secure { "https" } else { "http" };
    format!("{scheme}://{host}")
}

pub async fn robots_txt(State(state): State<AppState>, headers: HeaderMap) -> impl IntoResponse {
    let origin = origin(state.cookies.secure, &headers);
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "User-agent: *\n\
             Allow: /\n\
             Disallow: /admin\n\
             Disallow: /account\n\
             Disallow: /sign-in\n\
             Disallow: /sign-out\n\
             Disallow: /invite/\n\
             Disallow: /password-reset\n\
             Disallow: /*/new\n\
             Disallow: /*/edit\n\
             Disallow: /organisations/*/contacts\n\
             \n\
             Sitemap: {origin}/sitemap.xml\n"
        ),
    )
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The sitemap protocol's limit on addresses in one file. A place with more
/// public records lists its first ones (the directory links to the rest).
const MOST_ADDRESSES: u32 = 50_000;

/// Every public page's path, as the public sees the place, up to the
/// protocol's limit (and so a bounded amount of work per request).
async fn public_paths(state: &AppState) -> Result<Vec<String>, Failure> {
    let scope = state
        .app
        .scope(&Principal::Public, state.place_slug())
        .await?;
    let mut paths: Vec<String> = [
        "/",
        "/missions",
        "/offer",
        "/organisations",
        "/initiatives",
        "/stories",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    paths.extend(
        state
            .app
            .missions(&scope)
            .await?
            .into_iter()
            .map(|m| format!("/missions/{}", m.id)),
    );
    let (organisations, _) = state
        .app
        .organisations(
            &scope,
            &OrganisationFilter::default(),
            PageRequest {
                page: 1,
                per_page: MOST_ADDRESSES / 2,
            },
        )
        .await?;
    paths.extend(
        organisations
            .into_iter()
            .map(|o| format!("/organisations/{}", o.id)),
    );
    let (initiatives, _) = state
        .app
        .initiatives(
            &scope,
            &InitiativeQuery {
                page: PageRequest {
                    page: 1,
                    per_page: MOST_ADDRESSES / 2 - 100,
                },
                ..Default::default()
            },
        )
        .await?;
    paths.extend(
        initiatives
            .into_iter()
            .map(|i| format!("/initiatives/{}", i.id)),
    );
    paths.extend(place_page::all().map(|(_, path)| path.to_owned()));
    Ok(paths)
}

pub async fn sitemap_xml(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<impl IntoResponse, crate::error::ApiError> {
    let origin = origin(state.cookies.secure, &headers);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in public_paths(&state).await? {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape_xml(&format!("{origin}{path}"))
        ));
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    ))
}
