//! `placeweave import measures FILE`: a CSV file of measure values
//! (columns measure, year, ward, value, note) imported all or nothing.
//! `placeweave import kumu FILE`: a Kumu project export read into
//! organisations and initiatives, all or nothing, with a report of what
//! it could not map.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use placeweave_app::kumu::{Item, KumuError, KumuMapping, KumuReport};
use placeweave_app::outcome::ImportError;
use placeweave_app::upload::{self, Limits};
use placeweave_app::{App, AppError, Operator};
use placeweave_domain::Audience;
use placeweave_domain::vocabulary::OrganisationKind;

use crate::{CliError, DatabaseArgs, open, refused};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Values of the outcomes framework's measures, from a CSV file
    Measures(MeasuresArgs),
    /// Organisations and initiatives, from a Kumu project export (JSON)
    Kumu(KumuArgs),
}

#[derive(Args)]
pub struct KumuArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The place's id
    #[arg(long, default_value = placeweave_store::camden::PLACE_SLUG)]
    place: String,
    /// Further element types to read as organisations (besides
    /// Organisation, Stakeholder, Partner and Placeweave's kinds)
    #[arg(long = "organisations", value_delimiter = ',')]
    organisation_types: Vec<String>,
    /// Further element types to read as initiatives (besides Initiative,
    /// Project and Programme)
    #[arg(long = "initiatives", value_delimiter = ',')]
    initiative_types: Vec<String>,
    /// Who may see what is imported: public, partners, staff or restricted
    #[arg(long, default_value = "staff", value_parser = parse_audience)]
    audience: Audience,
    /// The kind of an organisation whose element type names none
    #[arg(long, default_value = "other", value_parser = parse_kind)]
    kind: OrganisationKind,
    /// Check the file and report, writing nothing
    #[arg(long)]
    dry_run: bool,
    /// The JSON file Kumu exported
    file: PathBuf,
}

fn parse_audience(raw: &str) -> Result<Audience, String> {
    Audience::parse(raw).ok_or_else(|| "use public, partners, staff or restricted".into())
}

fn parse_kind(raw: &str) -> Result<OrganisationKind, String> {
    OrganisationKind::parse(raw).ok_or_else(|| {
        let kinds: Vec<&str> = OrganisationKind::ALL.iter().map(|k| k.slug()).collect();
        format!("use one of {}", kinds.join(", "))
    })
}

/// The file, read no further than one byte past the import's size limit
/// (the import then refuses it by name).
fn read(file: &PathBuf, limits: &Limits) -> Result<Vec<u8>, CliError> {
    std::fs::File::open(file)
        .and_then(|f| upload::read_capped(f, limits))
        .map_err(|error| CliError::Invalid(format!("could not read {}: {error}", file.display())))
}

/// How many problems are listed; the rest are counted.
const LISTED: usize = placeweave_app::outcome::ROWS_LISTED;

/// The first [`LISTED`] items, then how many more there were.
fn listed(items: impl ExactSizeIterator<Item = String>, separator: &str) -> String {
    let more = items.len().saturating_sub(LISTED);
    let mut out = items.take(LISTED).collect::<Vec<_>>().join(separator);
    if more > 0 {
        out += &format!("{separator}and {more} more");
    }
    out
}

fn no_place(place: &str) -> CliError {
    CliError::NoPlace(format!("there is no place \"{place}\" in the database"))
}

#[derive(Args)]
pub struct MeasuresArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The place's id
    #[arg(long, default_value = placeweave_store::camden::PLACE_SLUG)]
    place: String,
    /// The CSV file
    file: PathBuf,
}

pub async fn import(command: ImportCommand) -> Result<(), CliError> {
    match command {
        ImportCommand::Measures(args) => measures(args).await,
        ImportCommand::Kumu(args) => kumu(args).await,
    }
}

async fn kumu(args: KumuArgs) -> Result<(), CliError> {
    let bytes = read(&args.file, &Limits::KUMU)?;
    let mapping = KumuMapping {
        organisation_types: args.organisation_types,
        initiative_types: args.initiative_types,
        audience: args.audience,
        kind: args.kind,
        dry_run: args.dry_run,
    };
    let store = open(&args.database.database_url).await?;
    let result = App::new(store.clone())
        .import_kumu_as(&args.place, &bytes, &mapping)
        .await;
    store.close().await;
    match result {
        Ok(report) => {
            print!("{}", describe(&report, args.dry_run));
            Ok(())
        }
        Err(KumuError::Problems(problems)) => Err(CliError::Invalid(format!(
            "{}, nothing was imported: {}",
            count(problems.len(), "problem"),
            listed(
                problems
                    .iter()
                    .map(|p| format!("{}: {}: {}", p.item, p.field, p.message)),
                "; "
            )
        ))),
        Err(KumuError::App(AppError::NotFound)) => Err(no_place(&args.place)),
        Err(KumuError::App(other)) => Err(refused(other)),
    }
}

/// "1 element", "2 elements".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The report as the person running the import reads it.
fn describe(report: &KumuReport, dry_run: bool) -> String {
    let project = report
        .project
        .as_deref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    let verb = if dry_run { "Would import" } else { "Imported" };
    let mut out = format!(
        "Kumu project{project}: {}, {}\n\
         {verb} {}, {} and {} in initiatives; \
         {} named organisations already in the place\n",
        count(report.elements, "element"),
        count(report.connections, "connection"),
        count(report.organisations.len(), "organisation"),
        count(report.initiatives.len(), "initiative"),
        count(report.participations, "part"),
        count(report.existing.len(), "element"),
    );
    let (elements, connections) = report
        .unmapped
        .iter()
        .partition::<Vec<_>, _>(|u| u.item == Item::Element);
    out += &format!(
        "Not mapped: {} and {}\n",
        count(elements.len(), "element"),
        count(connections.len(), "connection")
    );
    for u in report.unmapped.iter().take(LISTED) {
        out += &format!("  {} \"{}\": {}\n", u.id, u.label, u.reason);
    }
    if let Some(more) = report.unmapped.len().checked_sub(LISTED).filter(|n| *n > 0) {
        out += &format!("  and {more} more\n");
    }
    out
}

async fn measures(args: MeasuresArgs) -> Result<(), CliError> {
    let bytes = read(&args.file, &Limits::MEASURE_VALUES)?;
    let store = open(&args.database.database_url).await?;
    let result = App::new(store.clone())
        .import_measure_values_as(Operator::CommandLine, &args.place, &bytes)
        .await;
    store.close().await;
    match result {
        Ok(n) => {
            println!("Imported {n} values from {}", args.file.display());
            Ok(())
        }
        Err(ImportError::Rows { rows, more }) => {
            let mut listed = rows
                .iter()
                .map(|r| format!("line {}: {}: {}", r.line, r.field, r.message))
                .collect::<Vec<_>>()
                .join("; ");
            if more > 0 {
                listed += &format!("; and {more} more");
            }
            Err(CliError::Invalid(format!(
                "{} bad rows, nothing was imported: {listed}",
                rows.len() + more,
            )))
        }
        Err(ImportError::App(AppError::NotFound)) => Err(no_place(&args.place)),
        Err(ImportError::App(other)) => Err(refused(other)),
    }
}
