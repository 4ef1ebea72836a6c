//! The whole analysis of one snapshot, as the pages, the API and
//! `placeweave analyse` show it.

use serde::Serialize;

use crate::centrality::{self, SampledWith, Sampling};
use crate::community::{self, Communities};
use crate::network::Snapshot;
use crate::structure;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Options {
    /// Above this many organisations, betweenness is sampled and closeness
    /// (one search per organisation) is left out.
    pub exact_limit: usize,
    /// Error bound and confidence of a sampled betweenness.
    pub sampling: Sampling,
    /// Louvain's resolution (1.0: the usual modularity).
    pub resolution: f64,
    /// Seed of Louvain's node order.
    pub seed: u64,
}

impl Default for Options {
    /// Exact up to 5,000 organisations (a few seconds on two cores); above,
    /// every estimate within 0.01 of the fraction of pairs, 9 times in 10
    /// (about 40,000 sampled paths on a network of small diameter).
    fn default() -> Options {
        Options {
            exact_limit: 5_000,
            sampling: Sampling {
                epsilon: 0.01,
                delta: 0.1,
                seed: 1,
            },
            resolution: 1.0,
            seed: 1,
        }
    }
}

/// How betweenness was computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "kebab-case")]
pub enum BetweennessMethod {
    /// Brandes' algorithm, every shortest path.
    Exact,
    /// Riondato–Kornaropoulos sampling.
    RiondatoKornaropoulos(SampledWith),
}

/// Every metric of every organisation, by its index in the network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub organisations: usize,
    pub links: usize,
    pub degree: Vec<usize>,
    pub weighted_degree: Vec<f64>,
    pub betweenness: Vec<f64>,
    pub betweenness_method: BetweennessMethod,
    /// Left out above [`Options::exact_limit`].
    pub closeness: Option<Vec<f64>>,
    pub components: Vec<Vec<usize>>,
    pub articulation_points: Vec<usize>,
    pub bridges: Vec<(usize, usize)>,
    pub core_numbers: Vec<usize>,
    pub communities: Communities,
    pub isolated: Vec<usize>,
    pub peripheral: Vec<usize>,
}

/// The stages [`analyse`] reports, in order.
pub const STAGES: [&str; 4] = ["degree", "structure", "communities", "centrality"];

/// Runs every metric, calling `progress` with each stage's name as it ends.
/// Centrality (the long part) runs beside the rest, on rayon's threads.
pub fn analyse(
    snapshot: &Snapshot,
    options: &Options,
    progress: &(dyn Fn(&'static str) + Sync),
) -> Analysis {
    let exact = snapshot.node_count() <= options.exact_limit;
    let (centrality, rest) = rayon::join(
        || {
            let betweenness = if exact {
                (centrality::betweenness(snapshot), BetweennessMethod::Exact)
            } else {
                let (values, with) = centrality::sampled_betweenness(snapshot, options.sampling);
                (values, BetweennessMethod::RiondatoKornaropoulos(with))
            };
            let closeness = exact.then(|| centrality::closeness(snapshot));
            progress(STAGES[3]);
            (betweenness, closeness)
        },
        || {
            let degree = centrality::degree(snapshot);
            let weighted_degree = centrality::weighted_degree(snapshot);
            progress(STAGES[0]);
            let structure = (
                structure::components(snapshot),
                structure::articulation_points(snapshot),
                structure::bridges(snapshot),
                structure::core_numbers(snapshot),
            );
            progress(STAGES[1]);
            let communities = community::louvain(snapshot, options.resolution, options.seed);
            progress(STAGES[2]);
            (degree, weighted_degree, structure, communities)
        },
    );
    let ((betweenness, betweenness_method), closeness) = centrality;
    let (
        degree,
        weighted_degree,
        (components, articulation_points, bridges, core_numbers),
        communities,
    ) = rest;
    Analysis {
        organisations: snapshot.node_count(),
        links: snapshot.edges().len(),
        degree,
        weighted_degree,
        betweenness,
        betweenness_method,
        closeness,
        components,
        articulation_points,
        bridges,
        core_numbers,
        communities,
        isolated: structure::isolated(snapshot),
        peripheral: structure::peripheral(snapshot),
    }
}
