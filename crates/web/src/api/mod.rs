//! The JSON API under `/api/v1`. Its OpenAPI 3.1 document is generated from
//! these handlers' annotations and served at `/api/v1/openapi.json`.

mod resources;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Placeweave API",
        version = "1",
        description = "A place's partners, missions, collaboration offer, commitments and initiatives. \
            Only what the caller may see is returned: without signing in, only public records and fields. \
            Errors are RFC 9457 problem documents."
    ),
    tags(
        (name = "places", description = "Places and their headline numbers"),
        (name = "organisations", description = "Partner organisations"),
        (name = "missions", description = "Missions and outcome themes"),
        (name = "offer", description = "The collaboration offer: partner roles"),
        (name = "commitments", description = "Organisations taking roles for missions"),
        (name = "initiatives", description = "Multi-partner programmes")
    )
)]
struct ApiDoc;

/// The API's routes and the OpenAPI document describing exactly them.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(resources::places))
        .routes(routes!(resources::place))
        .routes(routes!(
            resources::organisations,
            resources::create_organisation
        ))
        .routes(routes!(
            resources::organisation,
            resources::update_organisation
        ))
        .routes(routes!(resources::missions, resources::create_mission))
        .routes(routes!(resources::mission, resources::update_mission))
        .routes(routes!(resources::outcome_themes, resources::create_theme))
        .routes(routes!(resources::update_theme))
        .routes(routes!(resources::roles, resources::create_role))
        .routes(routes!(resources::role, resources::update_role))
        .routes(routes!(
            resources::commitments,
            resources::create_commitment
        ))
        .routes(routes!(resources::update_commitment))
        .routes(routes!(
            resources::initiatives,
            resources::create_initiative
        ))
        .routes(routes!(resources::initiative, resources::update_initiative))
        .split_for_parts()
}
