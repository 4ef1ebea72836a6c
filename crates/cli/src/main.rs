//! The `placeweave` command: run the demo, serve any database, migrate, and
//! generate synthetic places for scale work.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use placeweave_domain::Viewer;
use placeweave_store::{Store, StoreError, camden, redact_url, synthetic};
use placeweave_web::AppState;

#[derive(Parser)]
#[command(
    name = "placeweave",
    version,
    about = "Collaboration infrastructure for a place: its partners, missions, offer and initiatives"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the Camden demo place, creating its data on first run
    Demo(DemoArgs),
    /// Serve a database that already holds a place
    Serve(ServeArgs),
    /// Bring a database's schema up to date, then exit
    Migrate(DatabaseArgs),
    /// Write a synthetic place of realistic shape, for scale work
    Generate(GenerateArgs),
}

#[derive(Args)]
struct DatabaseArgs {
    /// Database URL: sqlite://path/to/file.sqlite3 or postgres://user@host/db
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
}

#[derive(Args)]
struct DemoArgs {
    /// Folder for the demo's SQLite file (ignored when --database-url is given)
    #[arg(long, env = "PLACEWEAVE_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// Use this database instead of the demo's SQLite file
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Address to listen on
    #[arg(long, env = "PLACEWEAVE_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Address to listen on
    #[arg(long, env = "PLACEWEAVE_ADDR", default_value = "127.0.0.1:8080")]
    addr: String,
    /// The place the pages show (default: the first place in the database)
    #[arg(long, env = "PLACEWEAVE_PLACE")]
    place: Option<String>,
}

#[derive(Args)]
struct GenerateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// How many organisations to create
    #[arg(long, default_value_t = 1000)]
    orgs: usize,
    /// Random seed: the same seed gives the same place
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The new place's id (default: synthetic-<seed>)
    #[arg(long)]
    place: Option<String>,
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("could not listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    NoPlace(String),
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, whatever the underlying error printed.
            let message = err.to_string().replace('\n', " ");
            eprintln!("placeweave: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn open(url: &str) -> Result<Store, CliError> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    Ok(store)
}

async fn listen(addr: &str) -> Result<tokio::net::TcpListener, CliError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen {
            addr: addr.to_owned(),
            source,
        })
}

async fn serve(store: Store, place: &str, addr: &str) -> Result<(), CliError> {
    let listener = listen(addr).await?;
    let local = listener.local_addr().map_err(CliError::Serve)?;
    eprintln!("placeweave: serving {place} at http://{local}/ (ctrl-c to stop)");
    let result = placeweave_web::serve(AppState::new(store.clone(), place), listener).await;
    store.close().await;
    result.map_err(CliError::Serve)
}

async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Demo(args) => {
            let url = match args.database_url {
                Some(url) => url,
                None => {
                    std::fs::create_dir_all(&args.data_dir).map_err(|source| {
                        CliError::DataDir {
                            path: args.data_dir.display().to_string(),
                            source,
                        }
                    })?;
                    let file = args.data_dir.join("placeweave-demo.sqlite3");
                    format!("sqlite://{}", file.display())
                }
            };
            let store = open(&url).await?;
            if camden::ensure(&store).await? {
                eprintln!(
                    "placeweave: created the Camden demo place in {}",
                    redact_url(&url)
                );
            } else {
                eprintln!(
                    "placeweave: using the Camden demo place in {}",
                    redact_url(&url)
                );
            }
            serve(store, camden::PLACE_SLUG, &args.addr).await
        }
        Command::Serve(args) => {
            let store = open(&args.database.database_url).await?;
            let place = match args.place {
                Some(place) => place,
                None => store
                    .places(Viewer::Public)
                    .await?
                    .into_iter()
                    .next()
                    .map(|p| p.place.id)
                    .ok_or_else(|| {
                        CliError::NoPlace(format!(
                            "{} holds no place yet: run `placeweave demo --database-url …` or `placeweave generate`",
                            redact_url(&args.database.database_url)
                        ))
                    })?,
            };
            if store.place(&place, Viewer::Admin).await?.is_none() {
                return Err(CliError::NoPlace(format!(
                    "there is no place \"{place}\" in the database"
                )));
            }
            serve(store, &place, &args.addr).await
        }
        Command::Migrate(args) => {
            let store = open(&args.database_url).await?;
            store.close().await;
            eprintln!(
                "placeweave: {} is up to date",
                redact_url(&args.database_url)
            );
            Ok(())
        }
        Command::Generate(args) => {
            let store = open(&args.database.database_url).await?;
            let bar = ProgressBar::new(args.orgs as u64);
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:40}] {pos}/{len} organisations ({elapsed})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message("generating");
            let started = std::time::Instant::now();
            let options = synthetic::Options {
                organisations: args.orgs,
                seed: args.seed,
                place_slug: args.place,
            };
            let report =
                synthetic::generate(&store, &options, &|done, _| bar.set_position(done)).await?;
            bar.finish_and_clear();
            store.close().await;
            eprintln!(
                "placeweave: wrote place {} with {} organisations, {} initiatives ({} participations) and {} commitments in {:.1?}",
                report.place,
                report.organisations,
                report.initiatives,
                report.participations,
                report.commitments,
                started.elapsed()
            );
            Ok(())
        }
    }
}
