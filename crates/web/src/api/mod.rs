//! The JSON API under `/api/v1`. Its OpenAPI 3.1 document is generated from
//! these handlers' annotations and served at `/api/v1/openapi.json`.

mod asks;
mod briefing;
mod commitments;
mod common;
mod contributions;
mod enquiries;
mod experiments;
mod forms;
mod initiatives;
mod interactions;
mod map;
mod measures;
mod missions;
mod network;
mod organisations;
mod partnership;
mod places;
mod relationships;
mod roles;
mod search;
mod stories;
mod themes;
mod types;

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
        (name = "initiatives", description = "Multi-partner programmes"),
        (name = "search", description = "Searching a place's records"),
        (name = "relationships", description = "The partnership team's relationships with partners (staff only)"),
        (name = "interactions", description = "Meetings, calls, emails, roundtables and events with partners, and their follow-ups (staff only)"),
        (name = "network", description = "The ecosystem network and its analysis"),
        (name = "asks", description = "What the place needs from its partners, the partners best placed to answer, and their answers (staff only)"),
        (name = "enquiries", description = "Enquiries sent with \"Express interest\": personal data (staff only)"),
        (name = "experiments", description = "Mission-aligned experiments, their learning and decisions, and the mission × lever grid"),
        (name = "contributions", description = "What partners did for the missions, measured, and its totals"),
        (name = "stories", description = "Stories crediting partners by name: drafts and consent records are for staff only")
    ),
    // Named only by a query parameter, so not collected from a body.
    components(schemas(placeweave_domain::contribution::RollUp))
)]
struct ApiDoc;

/// The API's routes and the OpenAPI document describing exactly them.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(places::places))
        .routes(routes!(places::place))
        .routes(routes!(search::search))
        .routes(routes!(
            organisations::organisations,
            organisations::create_organisation
        ))
        .routes(routes!(
            organisations::organisation,
            organisations::update_organisation
        ))
        .routes(routes!(briefing::briefing))
        .routes(routes!(partnership::report))
        .routes(routes!(partnership::contacts_log))
        .routes(routes!(missions::missions, missions::create_mission))
        .routes(routes!(missions::mission, missions::update_mission))
        .routes(routes!(themes::outcome_themes, themes::create_theme))
        .routes(routes!(themes::update_theme))
        .routes(routes!(measures::signals, measures::create_signal))
        .routes(routes!(measures::signal, measures::update_signal))
        .routes(routes!(measures::measures, measures::create_measure))
        .routes(routes!(measures::measure, measures::update_measure))
        .routes(routes!(measures::values, measures::enter_value))
        .routes(routes!(roles::roles, roles::create_role))
        .routes(routes!(roles::role, roles::update_role))
        .routes(routes!(
            commitments::commitments,
            commitments::create_commitment
        ))
        .routes(routes!(commitments::update_commitment))
        .routes(routes!(commitments::review_commitment))
        .routes(routes!(
            initiatives::initiatives,
            initiatives::create_initiative
        ))
        .routes(routes!(
            initiatives::initiative,
            initiatives::update_initiative
        ))
        .routes(routes!(
            relationships::relationships,
            relationships::create_relationship
        ))
        .routes(routes!(
            relationships::relationship,
            relationships::update_relationship
        ))
        .routes(routes!(
            interactions::interactions,
            interactions::create_interaction
        ))
        .routes(routes!(
            interactions::interaction,
            interactions::update_interaction
        ))
        .routes(routes!(interactions::update_follow_up))
        .routes(routes!(network::network))
        .routes(routes!(map::map))
        .routes(routes!(asks::asks, asks::create_ask))
        .routes(routes!(asks::ask, asks::update_ask))
        .routes(routes!(asks::matches))
        .routes(routes!(asks::asked, asks::record_asked))
        .routes(routes!(asks::answer))
        .routes(routes!(enquiries::enquiries))
        .routes(routes!(enquiries::enquiry))
        .routes(routes!(
            experiments::experiments,
            experiments::create_experiment
        ))
        .routes(routes!(experiments::grid))
        .routes(routes!(
            experiments::experiment,
            experiments::update_experiment
        ))
        .routes(routes!(
            contributions::contributions,
            contributions::create_contribution
        ))
        .routes(routes!(
            contributions::contribution,
            contributions::update_contribution
        ))
        .routes(routes!(contributions::contribution_totals))
        .routes(routes!(stories::stories, stories::create_story))
        .routes(routes!(stories::story, stories::update_story))
        .split_for_parts();
    let mut document = document;
    document_storage_faults(&mut document);
    (router, document)
}

/// Every write can meet a full disk (507) or a database file that is no
/// longer the one the server opened (503); both answer with a problem
/// document saying nothing was changed. Added here for every write rather
/// than repeated in each handler's annotation.
fn document_storage_faults(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let fault = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    };
    for item in document.paths.paths.values_mut() {
        let writes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in writes.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            responses.insert(
                "503".into(),
                fault("The database file changed under the server: nothing was changed; try again later").into(),
            );
            responses.insert(
                "507".into(),
                fault("The disk is full: nothing was changed; try again later").into(),
            );
        }
    }
}
