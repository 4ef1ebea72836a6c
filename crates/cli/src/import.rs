//! `placeweave import measures FILE`: a CSV file of measure values
//! (columns measure, year, ward, value, note) imported all or nothing.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use placeweave_app::outcome::ImportError;
use placeweave_app::{App, AppError, Operator};

use crate::{CliError, DatabaseArgs, open, refused};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Values of the outcomes framework's measures, from a CSV file
    Measures(MeasuresArgs),
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
    let ImportCommand::Measures(args) = command;
    let bytes = std::fs::read(&args.file).map_err(|error| {
        CliError::Invalid(format!("could not read {}: {error}", args.file.display()))
    })?;
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
        Err(ImportError::Rows(rows)) => Err(CliError::Invalid(format!(
            "{} bad rows, nothing was imported: {}",
            rows.len(),
            rows.iter()
                .map(|r| format!("line {}: {}: {}", r.line, r.field, r.message))
                .collect::<Vec<_>>()
                .join("; ")
        ))),
        Err(ImportError::App(AppError::NotFound)) => Err(CliError::NoPlace(format!(
            "there is no place \"{}\" in the database",
            args.place
        ))),
        Err(ImportError::App(other)) => Err(refused(other)),
    }
}
