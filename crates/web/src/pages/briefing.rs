//! The brokerage briefing: one page on a partner for a leader about to
//! meet them, that prints cleanly on A4. Staff and admins only; to anyone
//! else it is exactly the page of an organisation that does not exist.
//! Contacts and sensitivities appear only for those the policy lets see
//! them (the application layer decides).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use placeweave_app::briefing::Briefing;
use placeweave_domain::contact::Contact;
use placeweave_domain::date::iso_date;
use placeweave_domain::place::is_slug;

use super::{Chrome, PageResult, Section, render, safe_link};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Failure;

#[derive(Template)]
#[template(path = "briefing.html")]
struct BriefingPage {
    chrome: Chrome,
    briefing: Briefing,
    /// The organisation's website, when it is a web address.
    website: Option<String>,
    /// The key contacts; `None` when the caller may not see them.
    contacts: Option<Vec<Contact>>,
    /// YYYY-MM-DD, for overdue follow-ups.
    today: String,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(slug): Path<String>,
) -> PageResult {
    let scope = state.scope(&caller).await?;
    if !is_slug(&slug) {
        return Err(Failure::NotFound.into());
    }
    let briefing = state.app.briefing(&scope, &slug).await?;
    let contacts = state
        .app
        .briefing_contacts(&scope, &briefing.organisation)
        .await?;
    let page = BriefingPage {
        chrome: Chrome::new(&scope, Section::Relationships, &caller)
            .titled(format!("Briefing: {}", briefing.organisation.name)),
        website: safe_link(briefing.organisation.website.as_deref()),
        contacts,
        today: iso_date(placeweave_app::now()),
        briefing,
    };
    render(StatusCode::OK, &page)
}
