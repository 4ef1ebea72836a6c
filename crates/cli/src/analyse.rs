//! `placeweave analyse`: a place's network analysis written to a file, as
//! the chosen audience may see it, with the same code the pages use.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use placeweave_analysis::report::STAGES;
use placeweave_analysis::{Options, export};
use placeweave_app::{App, AppError};
use placeweave_domain::{AccountRole, Principal};

use crate::{CliError, DatabaseArgs, open, refused};

#[derive(Args)]
pub struct AnalyseArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The place's id
    #[arg(long)]
    place: String,
    /// json: the network and every metric as one document; csv: one row
    /// per organisation with its metrics (links go to FILE with
    /// `.links.csv` added)
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// The file to write
    #[arg(long)]
    out: PathBuf,
    /// Whose view to analyse: the public's (the default, safe to publish)
    /// or staff's (includes unpublished records)
    #[arg(long = "as", value_enum, default_value = "public")]
    audience: Audience,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum Audience {
    Public,
    Staff,
}

pub async fn analyse(args: &AnalyseArgs) -> Result<(), CliError> {
    let store = open(&args.database.database_url).await?;
    let app = App::new(store.clone());
    let principal = match args.audience {
        Audience::Public => Principal::Public,
        // The command line holds the server: it may read as staff do.
        Audience::Staff => Principal::Account {
            id: 0,
            role: AccountRole::Staff,
            place: None,
            organisation: None,
        },
    };
    let scope = app
        .scope(&principal, &args.place)
        .await
        .map_err(|error| match error {
            AppError::NotFound => CliError::NoPlace(format!(
                "there is no place \"{}\" in the database",
                args.place
            )),
            other => refused(other),
        })?;
    let bar = ProgressBar::new(STAGES.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:20}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("analysing");
    let started = std::time::Instant::now();
    let progress = bar.clone();
    let found = app
        .network_analysis(&scope, Options::default(), move |stage| {
            progress.set_message(stage);
            progress.inc(1);
        })
        .await
        .map_err(refused)?;
    bar.finish_and_clear();
    store.close().await;
    let (network, analysis) = (&found.place.network, &found.analysis);
    let write = |path: &PathBuf, text: String| {
        std::fs::write(path, text).map_err(|error| {
            CliError::Invalid(format!("could not write {}: {error}", path.display()))
        })
    };
    match args.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&found.document())
                .map_err(|error| CliError::Invalid(error.to_string()))?;
            write(&args.out, text)?;
        }
        Format::Csv => {
            write(&args.out, export::nodes_csv(network, Some(analysis)))?;
            let mut links = args.out.clone().into_os_string();
            links.push(".links.csv");
            write(&PathBuf::from(links), export::edges_csv(network))?;
        }
    }
    eprintln!(
        "placeweave: analysed {} organisations and {} links of {} in {:.1?}; wrote {}",
        analysis.organisations,
        analysis.links,
        args.place,
        started.elapsed(),
        args.out.display()
    );
    Ok(())
}
