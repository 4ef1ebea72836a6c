//! The ecosystem network page (its analysis as tables, the mission × lever
//! coverage grid and possible duplications) and the network's downloads.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use placeweave_analysis::report::BetweennessMethod;
use placeweave_analysis::{LinkKind, Options, export};
use placeweave_app::ecosystem::{Coverage, STAFF_KIND, StaffView, Suggestion, SuggestionKind};
use placeweave_app::network::{CoverageRow, LARGEST_LINKED_GROUP, NetworkAnalysis, Overlap};
use placeweave_domain::Lever;
use placeweave_domain::place::RecordRef;

use super::{Chrome, PageResult, Section, render};
use crate::AppState;
use crate::auth::Caller;

/// Rows shown in the table of most central organisations.
const MOST_CENTRAL: usize = 20;
/// Members named for each community (the largest by degree).
const NAMED_MEMBERS: usize = 8;

/// One organisation's row in the centrality table.
struct CentralRow {
    organisation: RecordRef,
    degree: usize,
    betweenness: String,
}

struct CommunityRow {
    number: usize,
    size: usize,
    members: Vec<RecordRef>,
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    chrome: Chrome,
    organisations: usize,
    links: usize,
    components: usize,
    method: String,
    modularity: String,
    central: Vec<CentralRow>,
    communities: Vec<CommunityRow>,
    articulation_points: Vec<RecordRef>,
    bridges: Vec<(RecordRef, RecordRef)>,
    isolated: Vec<RecordRef>,
    peripheral: Vec<RecordRef>,
    levers: Vec<&'static str>,
    coverage: Vec<CoverageRow>,
    gaps: usize,
    overlaps: Vec<Overlap>,
    /// Initiatives and missions too large to link their members.
    unlinked: usize,
    largest: usize,
    /// The link kinds this view uses, in words.
    link_kinds: String,
    staff: Option<StaffView>,
    wards: Vec<Coverage>,
    kinds: Vec<Coverage>,
    bridging: Vec<Suggestion>,
    lever_suggestions: Vec<Suggestion>,
    not_asked: Vec<Suggestion>,
}

async fn analysed(
    state: &AppState,
    caller: &Caller,
) -> Result<(Chrome, std::sync::Arc<NetworkAnalysis>), super::PageError> {
    let scope = state.scope(caller).await?;
    let found = state
        .app
        .network_analysis(&scope, Options::default(), |_| {})
        .await?;
    Ok((Chrome::new(&scope, Section::Network, caller), found))
}

pub async fn show(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (chrome, found) = analysed(&state, &caller).await?;
    let (network, a) = (&found.place.network, &found.analysis);
    let organisation = |i: usize| RecordRef {
        id: network.nodes[i].key.clone(),
        name: network.nodes[i].label.clone(),
    };
    // Staff are nodes of the staff view, not organisations with a page.
    let is_organisation = |i: &usize| network.nodes[*i].kind != STAFF_KIND;
    let list = |indices: &[usize]| {
        indices
            .iter()
            .filter(|i| is_organisation(i))
            .map(|&i| organisation(i))
            .collect()
    };
    let mut order: Vec<usize> = (0..network.nodes.len()).collect();
    order.sort_by(|&x, &y| {
        a.betweenness[y]
            .total_cmp(&a.betweenness[x])
            .then(a.degree[y].cmp(&a.degree[x]))
            .then(network.nodes[x].label.cmp(&network.nodes[y].label))
    });
    order.retain(is_organisation);
    let central = order
        .iter()
        .take(MOST_CENTRAL)
        .filter(|&&i| a.degree[i] > 0)
        .map(|&i| CentralRow {
            organisation: organisation(i),
            degree: a.degree[i],
            betweenness: format!("{:.3}", a.betweenness[i]),
        })
        .collect();
    let mut communities: Vec<CommunityRow> = (0..a.communities.count)
        .map(|c| CommunityRow {
            number: c + 1,
            size: 0,
            members: Vec::new(),
        })
        .collect();
    // `order` is by centrality: each community names its most central.
    for &i in &order {
        let row = &mut communities[a.communities.membership[i]];
        row.size += 1;
        if row.members.len() < NAMED_MEMBERS {
            row.members.push(organisation(i));
        }
    }
    // A community of one is an isolated organisation, listed as such.
    communities.retain(|c| c.size > 1);
    let method = match a.betweenness_method {
        BetweennessMethod::Exact => "exact".to_owned(),
        BetweennessMethod::RiondatoKornaropoulos(with) => format!(
            "estimated from {} sampled shortest paths (Riondato–Kornaropoulos): each value within {:.4} of the exact one, with probability {}",
            with.samples,
            with.error_bound,
            1.0 - with.sampling.delta
        ),
    };
    let coverage = found.place.coverage.clone();
    let gaps = coverage
        .iter()
        .map(|row| row.cells.iter().filter(|c| c.is_empty()).count())
        .sum();
    let page = NetworkPage {
        chrome,
        organisations: a.organisations,
        links: a.links,
        components: a.components.len(),
        method,
        modularity: format!("{:.2}", a.communities.modularity),
        central,
        communities,
        articulation_points: list(&a.articulation_points),
        bridges: a
            .bridges
            .iter()
            .filter(|(x, y)| is_organisation(x) && is_organisation(y))
            .map(|&(x, y)| (organisation(x), organisation(y)))
            .collect(),
        isolated: list(&a.isolated),
        peripheral: list(&a.peripheral),
        levers: Lever::ALL.iter().map(|l| l.label()).collect(),
        coverage,
        gaps,
        overlaps: found.place.overlaps.iter().take(20).cloned().collect(),
        unlinked: found.place.unlinked.len(),
        largest: LARGEST_LINKED_GROUP,
        link_kinds: found
            .place
            .link_kinds
            .iter()
            .map(|k| link_kind_words(*k))
            .collect::<Vec<_>>()
            .join("; "),
        staff: found.place.staff.clone(),
        wards: found.place.wards.clone(),
        kinds: found.place.kinds.clone(),
        bridging: suggested(&found.suggestions, SuggestionKind::Bridge),
        lever_suggestions: suggested(&found.suggestions, SuggestionKind::Lever),
        not_asked: suggested(&found.suggestions, SuggestionKind::NotAsked),
    };
    render(StatusCode::OK, &page)
}

fn suggested(all: &[Suggestion], kind: SuggestionKind) -> Vec<Suggestion> {
    all.iter().filter(|s| s.kind == kind).cloned().collect()
}

/// What a link kind means, for the page's statement of what it shows.
fn link_kind_words(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Initiative => "taking part in the same initiative",
        LinkKind::Mission => "committed to the same mission",
        LinkKind::Relationship => "the convening organisation's relationship with a partner",
        LinkKind::Owner => "a member of staff owning a relationship",
        LinkKind::Interaction => {
            "a member of staff meeting a partner (each meeting weighs 1, halving every year since)"
        }
    }
}

/// A download: its content type, file name and body.
fn download(content_type: &'static str, file: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                match file {
                    "network.graphml" => "attachment; filename=\"network.graphml\"",
                    "network.gexf" => "attachment; filename=\"network.gexf\"",
                    "nodes.csv" => "attachment; filename=\"nodes.csv\"",
                    "edges.csv" => "attachment; filename=\"edges.csv\"",
                    _ => "attachment; filename=\"kumu.json\"",
                },
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn graphml(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (_, found) = analysed(&state, &caller).await?;
    let body = export::graphml(&found.place.network, Some(&found.analysis));
    Ok(download(
        "application/graphml+xml; charset=utf-8",
        "network.graphml",
        body,
    ))
}

pub async fn gexf(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (_, found) = analysed(&state, &caller).await?;
    let body = export::gexf(&found.place.network, Some(&found.analysis));
    Ok(download(
        "application/gexf+xml; charset=utf-8",
        "network.gexf",
        body,
    ))
}

pub async fn nodes_csv(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (_, found) = analysed(&state, &caller).await?;
    let body = export::nodes_csv(&found.place.network, Some(&found.analysis));
    Ok(download("text/csv; charset=utf-8", "nodes.csv", body))
}

pub async fn edges_csv(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (_, found) = analysed(&state, &caller).await?;
    let body = export::edges_csv(&found.place.network);
    Ok(download("text/csv; charset=utf-8", "edges.csv", body))
}

pub async fn kumu(State(state): State<AppState>, caller: Caller) -> PageResult {
    let (_, found) = analysed(&state, &caller).await?;
    let body = export::kumu(&found.place.network, Some(&found.analysis)).to_string();
    Ok(download("application/json", "kumu.json", body))
}
