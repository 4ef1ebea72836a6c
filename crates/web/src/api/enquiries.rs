//! Enquiries from "Express interest" (staff and admins only): the queue and
//! one enquiry. Sending one is the public page's form; triage is on the
//! enquiry's page.

use axum::Json;
use axum::extract::{Path, State};
use placeweave_domain::enquiry::Enquiry;

use super::common::{ApiResult, scope};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// List the enquiries, new ones first, then newest first (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/enquiries", tag = "enquiries",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The enquiries", body = Vec<Enquiry>),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see enquiries", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn enquiries(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
) -> ApiResult<Vec<Enquiry>> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(state.app.enquiries(&scope).await?))
}

/// One enquiry (staff).
#[utoipa::path(get, path = "/api/v1/places/{place}/enquiries/{enquiry}", tag = "enquiries",
    params(("place" = String, Path, description = "Place id"), ("enquiry" = i64, Path, description = "Enquiry id")),
    responses((status = 200, description = "The enquiry", body = Enquiry),
        (status = 400, description = "The id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Sign in first", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Your account may not see enquiries", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such enquiry, or no such place", body = Problem, content_type = "application/problem+json")))]
pub async fn enquiry(
    State(state): State<AppState>,
    caller: Caller,
    Path((place, id)): Path<(String, i64)>,
) -> ApiResult<Enquiry> {
    let scope = scope(&state, &caller, &place).await?;
    Ok(Json(state.app.enquiry(&scope, id).await?))
}
