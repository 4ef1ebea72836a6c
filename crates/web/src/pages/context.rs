//! What every page's header needs about the request being answered — the
//! place's names, who is signed in, and the address asked for — kept in a
//! task-local so that pages built far from the request (error pages,
//! refusals rendered by middleware) show the same name and the same
//! signed-in state as every other page.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use placeweave_domain::AccountRole;

use crate::AppState;
use crate::auth::Caller;

/// The request's header facts.
#[derive(Debug, Clone)]
pub struct PageContext {
    pub service_name: String,
    pub place_name: String,
    pub description: String,
    pub signed_in: Option<String>,
    pub role: Option<AccountRole>,
    /// The path asked for, for "sign in and come back here" and printed
    /// pages. Never the query: it can hold personal data (the email
    /// address an administrator looked up).
    pub address: String,
    /// This site's address (`https://host`), for printed pages.
    pub origin: String,
}

impl Default for PageContext {
    fn default() -> Self {
        PageContext {
            service_name: "Placeweave".into(),
            place_name: String::new(),
            description: String::new(),
            signed_in: None,
            role: None,
            address: "/".into(),
            origin: String::new(),
        }
    }
}

tokio::task_local! {
    static CURRENT: PageContext;
}

/// The context of the request being answered (the default outside one).
pub fn current() -> PageContext {
    CURRENT.try_with(Clone::clone).unwrap_or_default()
}

/// The service's name for a place.
pub fn service_name(place: &str) -> String {
    format!("{place} partnerships")
}

/// What a page says about itself when it has nothing of its own.
pub fn place_description(place: &placeweave_domain::Place) -> String {
    place.description.clone().unwrap_or_else(|| {
        format!(
            "Who is working with whom on {}'s missions: the collaboration offer to partners, the missions, partner organisations and initiatives, from {}.",
            place.name, place.convening_organisation
        )
    })
}

fn is_page(path: &str) -> bool {
    !["/api/", "/assets/", "/healthz", "/metrics", "/.well-known/"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// Loads the caller (kept in the request for the handler's extractor, so
/// the session is read once) and the place's names for page requests.
pub async fn remember(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_page(request.uri().path()) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let caller = Caller::from_request_parts(&mut parts, &state)
        .await
        .unwrap_or_else(|_| Caller::public());
    let mut context = PageContext {
        signed_in: caller.display_name.clone(),
        role: caller.principal.role(),
        // Only a page that was read can be come back to, and never one
        // whose address is a secret (a one-time link's token would be
        // copied into the sign-in link and onto printed pages).
        address: match parts.method {
            Method::GET | Method::HEAD if !parts.uri.path().starts_with("/invite/") => {
                parts.uri.path().to_owned()
            }
            _ => "/".to_owned(),
        },
        origin: crate::findable::origin(state.cookies.secure, &parts.headers),
        ..PageContext::default()
    };
    if let Ok(scope) = state.scope(&caller).await {
        let place = &scope.place().place;
        context.service_name = service_name(&place.name);
        context.place_name = place.name.clone();
        context.description = place_description(place);
    }
    CURRENT
        .scope(context, next.run(Request::from_parts(parts, body)))
        .await
}
