//! The place's ecosystem network and its analysis.

use axum::Json;
use axum::extract::{Path, State};
use placeweave_analysis::Options;
use placeweave_domain::network::NetworkDocument;

use super::common::{ApiResult, scope};
use crate::AppState;
use crate::auth::Caller;
use crate::error::Problem;

/// The network of organisations as the caller may see it (linked by shared
/// initiatives and commitments to the same mission), with each
/// organisation's centrality and community and the network's single points
/// of failure. GraphML, GEXF, CSV and Kumu JSON downloads are at
/// `/network/network.graphml`, `/network/network.gexf`, `/network/nodes.csv`,
/// `/network/edges.csv` and `/network/kumu.json`.
#[utoipa::path(get, path = "/api/v1/places/{place}/network", tag = "network",
    params(("place" = String, Path, description = "Place id")),
    responses(
        (status = 200, description = "The network and its analysis", body = NetworkDocument),
        (status = 404, description = "No such place", body = Problem, content_type = "application/problem+json")))]
pub async fn network(
    State(state): State<AppState>,
    caller: Caller,
    Path(place): Path<String>,
) -> ApiResult<NetworkDocument> {
    let scope = scope(&state, &caller, &place).await?;
    let found = state
        .app
        .network_analysis(&scope, Options::default(), |_| {})
        .await?;
    Ok(Json(found.document()))
}
