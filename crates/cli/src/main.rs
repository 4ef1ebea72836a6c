//! The `placeweave` command: run the demo, serve any database, migrate, and
//! generate synthetic places for scale work.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

mod analyse;
mod import;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use placeweave_app::account::INVITE_DAYS;
use placeweave_app::jobs::{Backups, Schedule};
use placeweave_app::password_reset::RESET_HOURS;
use placeweave_app::{AccountRef, App, AppError, InviteRequest, Operator};
use placeweave_store::accounts::{NotWritable, not_writable};
use placeweave_store::{Open, Store, StoreError, backup, camden, copy, redact_url, synthetic};
use placeweave_web::{AppState, ServeOptions};

#[derive(Parser)]
#[command(
    name = "placeweave",
    version,
    about = "Collaboration infrastructure for a place: its partners, missions, offer and initiatives"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How log lines are written to standard error: `text` for people,
    /// `json` (one object a line) for a log collector
    #[arg(
        long,
        global = true,
        value_enum,
        env = "PLACEWEAVE_LOG_FORMAT",
        default_value = "text"
    )]
    log_format: LogFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Logs to standard error, `RUST_LOG` choosing what (default: info, and
/// only warnings from sqlx). Each request's lines carry its request id.
fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    // Colours only for a person at a terminal, never into a log file.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_ansi(ansi)
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
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
    /// Manage accounts: add (by invitation), list, disable, reset (a new-password link)
    #[command(subcommand)]
    User(UserCommand),
    /// Write a consistent backup of the database while it is in use
    Backup(BackupArgs),
    /// Replace the database with a verified backup (refused while in use)
    Restore(RestoreArgs),
    /// Copy a SQLite database into an empty PostgreSQL one, verified table by table
    Copy(CopyArgs),
    /// Analyse a place's network (centrality, communities, single points of failure) into a file
    Analyse(analyse::AnalyseArgs),
    /// Import records from a file: `import measures FILE` (measure values), `import kumu FILE` (a Kumu project)
    #[command(subcommand)]
    Import(import::ImportCommand),
}

#[derive(Args)]
struct CopyArgs {
    /// The SQLite database to copy (sqlite://PATH); no server may be using it
    #[arg(long)]
    from: String,
    /// The empty PostgreSQL database to copy into (postgres://…)
    #[arg(long)]
    to: String,
}

#[derive(Args)]
struct BackupArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The backup file to write (it must not exist yet)
    #[arg(long)]
    to: PathBuf,
}

#[derive(Args)]
struct RestoreArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The backup file to restore from
    #[arg(long)]
    from: PathBuf,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account and print its one-time invitation link
    Add(UserAddArgs),
    /// List accounts
    List(DatabaseArgs),
    /// Disable an account and end its sessions
    Disable(UserEmailArgs),
    /// Print a one-time link for an account to set a new password
    Reset(UserEmailArgs),
}

#[derive(Args)]
struct UserAddArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Their email address (their sign-in name)
    #[arg(long)]
    email: String,
    /// Their name, as shown to others
    #[arg(long)]
    name: String,
    /// admin, staff or partner
    #[arg(long)]
    role: String,
    /// For a partner: their organisation's id
    #[arg(long)]
    organisation: Option<String>,
    /// The place the organisation belongs to (for a partner, default: camden)
    #[arg(long)]
    place: Option<String>,
    /// For staff and administrators: their team (coordination tells
    /// teams apart by it)
    #[arg(long)]
    team: Option<String>,
}

#[derive(Args)]
struct UserEmailArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The account's email address
    #[arg(long)]
    email: String,
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
    #[command(flatten)]
    https: HttpArgs,
    #[command(flatten)]
    jobs: JobArgs,
}

#[derive(Args)]
struct HttpArgs {
    /// People reach the service over HTTPS (a TLS-terminating proxy in
    /// front): cookies become Secure and __Host- prefixed, and HSTS is sent
    #[arg(long, env = "PLACEWEAVE_HTTPS")]
    https: bool,
    /// Seconds a request may take before it is answered 503 and its
    /// database work is stopped, so abandoned work cannot hold the
    /// connections other requests need
    #[arg(long, env = "PLACEWEAVE_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
    /// The bearer token a metrics scraper sends to read /metrics (at least
    /// 16 characters); without one, /metrics is off
    #[arg(long, env = "PLACEWEAVE_METRICS_TOKEN", hide_env_values = true, value_parser = metrics_token)]
    metrics_token: Option<String>,
}

fn metrics_token(token: &str) -> Result<String, String> {
    if token.chars().count() >= 16 && token.chars().all(|c| c.is_ascii_graphic()) {
        Ok(token.to_owned())
    } else {
        Err("the metrics token must be at least 16 printable characters without spaces".into())
    }
}

impl HttpArgs {
    fn deadline(&self) -> Duration {
        Duration::from_secs(self.request_timeout)
    }

    fn options(&self) -> ServeOptions {
        ServeOptions {
            deadline: self.deadline(),
            metrics_token: self.metrics_token.clone(),
        }
    }
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
    #[command(flatten)]
    https: HttpArgs,
    #[command(flatten)]
    jobs: JobArgs,
}

#[derive(Args)]
struct JobArgs {
    /// Write a backup to this folder every day (see --keep)
    #[arg(long, env = "PLACEWEAVE_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// How many scheduled backups to keep (the oldest are deleted)
    #[arg(long, env = "PLACEWEAVE_BACKUP_KEEP", default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..))]
    keep: u16,
    /// How often scheduled backups are written
    #[arg(long, default_value = "1day", value_parser = humantime::parse_duration)]
    backup_every: std::time::Duration,
    /// How often retention and session clean-up run
    #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
    housekeeping_every: std::time::Duration,
    /// How often the SQLite WAL is folded into the database and truncated
    #[arg(long, default_value = "5min", value_parser = humantime::parse_duration)]
    checkpoint_every: std::time::Duration,
}

impl JobArgs {
    fn schedule(&self, database_url: &str) -> Schedule {
        Schedule {
            housekeeping_every: self.housekeeping_every,
            backups: self.backup_dir.as_ref().map(|folder| Backups {
                folder: folder.clone(),
                every: self.backup_every,
                keep: usize::from(self.keep),
            }),
            checkpoint_every: self.checkpoint_every,
            database_url: database_url.to_owned(),
        }
    }
}

#[derive(Args)]
struct GenerateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// How many organisations to create (1 to 1,000,000)
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
    #[error("could not listen on {addr}: {source}{hint}")]
    Listen {
        addr: String,
        source: std::io::Error,
        hint: &'static str,
    },
    #[error("{0}")]
    NotWritable(String),
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error("could not start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{0}")]
    NoPlace(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Hash(#[from] placeweave_web::auth::HashError),
}

fn main() -> ExitCode {
    keep_large_allocations_mapped();
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
        .and_then(|runtime| runtime.block_on(run(cli.command)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, whatever the underlying error printed.
            let message = err.to_string().replace('\n', " ");
            eprintln!("placeweave: {message}");
            ExitCode::FAILURE
        }
    }
}

/// glibc raises its mmap threshold to the size of the first large block
/// freed, so from then on argon2's 19 MiB blocks come from per-thread
/// arenas that keep the memory once freed: the server's memory ratcheted up
/// with every burst of sign-ins (to 728 MB after 300, see BENCHMARKS.md).
/// A fixed threshold keeps every block of 128 KiB or more mapped on its
/// own, so freeing it gives it back to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_allocations_mapped() {
    use std::ffi::c_int;
    const M_MMAP_THRESHOLD: c_int = -3;
    unsafe extern "C" {
        fn mallopt(param: c_int, value: c_int) -> c_int;
    }
    // SAFETY: mallopt only tunes glibc's allocator, which is thread-safe;
    // it is called before the runtime starts any thread.
    let _ = unsafe { mallopt(M_MMAP_THRESHOLD, 128 * 1024) };
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_allocations_mapped() {}

async fn open(url: &str) -> Result<Store, CliError> {
    let store = Store::connect(url)
        .await
        .map_err(|e| explain_not_writable(e, url))?;
    store
        .migrate()
        .await
        .map_err(|e| explain_not_writable(e, url))?;
    Ok(store)
}

/// Opens a database to serve from, refusing at once one that cannot be
/// written: otherwise it would serve pages and fail at the first sign-in.
async fn open_for_serving(url: &str, how: Open, deadline: Duration) -> Result<Store, CliError> {
    let store = Store::open_serving(url, how, deadline)
        .await
        .map_err(|e| explain_not_writable(explain_damage(e, url), url))?;
    store.claim_for_serving()?;
    // A malformed file (an old WAL replayed into a replaced file) would
    // answer 500s and take writes into it: refused, naming the restore.
    store
        .quick_check()
        .await
        .map_err(|e| CliError::Store(explain_damage(e, url)))?;
    store
        .check_writable()
        .await
        .map_err(|e| explain_not_writable(e, url))?;
    store
        .migrate()
        .await
        .map_err(|e| explain_not_writable(e, url))?;
    Ok(store)
}

/// A malformed SQLite file met while opening it, named with the restore
/// command to use.
fn explain_damage(err: StoreError, url: &str) -> StoreError {
    match (&err, sqlite_path(url)) {
        (StoreError::Damaged { .. }, _) => err,
        (_, Some(path)) if err.is_damage() => StoreError::Damaged {
            path,
            detail: err.to_string(),
        },
        _ => err,
    }
}

/// Names the file or folder at fault instead of SQLite's bare error code.
fn explain_not_writable(err: StoreError, url: &str) -> CliError {
    let Some(why) = not_writable(&err) else {
        return CliError::Store(err);
    };
    let file = sqlite_path(url);
    let message = match (why, &file) {
        (NotWritable::File, Some(file)) => format!(
            "the database file {} is read-only: placeweave must be able to write to it (check its permissions, owner and the URL's mode)",
            file.display()
        ),
        (NotWritable::Folder, Some(file)) => {
            let folder = match file.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
                _ => ".".to_owned(),
            };
            format!(
                "the folder {folder} must be writable for SQLite's WAL files and placeweave's lock file (it holds {})",
                file.display()
            )
        }
        _ => format!(
            "the database {} is read-only: placeweave must be able to write to it",
            redact_url(url)
        ),
    };
    CliError::NotWritable(message)
}

/// The file a `sqlite:` URL names, without its query string.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

async fn listen(addr: &str) -> Result<tokio::net::TcpListener, CliError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CliError::Listen {
            addr: addr.to_owned(),
            hint: if source.kind() == std::io::ErrorKind::AddrInUse {
                " (is another placeweave already serving there? Stop it or choose another --addr)"
            } else {
                ""
            },
            source,
        })
}

async fn serve(
    store: Store,
    place: &str,
    listener: tokio::net::TcpListener,
    http: &HttpArgs,
    schedule: Schedule,
) -> Result<(), CliError> {
    let local = listener.local_addr().map_err(CliError::Serve)?;
    let jobs = tokio::spawn(App::new(store.clone()).background_jobs(schedule));
    eprintln!("placeweave: serving {place} at http://{local}/ (ctrl-c to stop)");
    let state = AppState::with_options(store.clone(), place, http.https, http.options());
    let result = placeweave_web::serve(state, listener).await;
    jobs.abort();
    // A connection still held by work stopped at the grace period's end
    // must not keep the process from exiting.
    if tokio::time::timeout(Duration::from_secs(5), store.close())
        .await
        .is_err()
    {
        tracing::warn!("database connections still in use at exit were dropped");
    }
    result.map_err(CliError::Serve)
}

async fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Demo(args) => {
            // Listen first: a second demo on a busy address must fail before
            // it withdraws the running demo's sign-in links.
            let listener = listen(&args.addr).await?;
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
            let store =
                open_for_serving(&url, Open::CreateIfMissing, args.https.deadline()).await?;
            let app = App::new(store.clone());
            if app.create_demo_place().await.map_err(refused)? {
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
            let local = listener.local_addr().map_err(CliError::Serve)?;
            // Behind an HTTPS proxy the public address is not known here.
            let base = if args.https.https {
                String::new()
            } else {
                format!("http://{local}")
            };
            demo_accounts(&app, &base).await?;
            let schedule = args.jobs.schedule(&url);
            serve(store, camden::PLACE_SLUG, listener, &args.https, schedule).await
        }
        Command::Serve(args) => {
            let listener = listen(&args.addr).await?;
            let store = open_for_serving(
                &args.database.database_url,
                Open::Existing,
                args.https.deadline(),
            )
            .await?;
            let app = App::new(store.clone());
            let place = match app.serving_place(args.place.as_deref()).await {
                Ok(Some(place)) => place,
                Ok(None) => {
                    return Err(CliError::NoPlace(format!(
                        "{} holds no place yet: run `placeweave demo --database-url …` or `placeweave generate`",
                        redact_url(&args.database.database_url)
                    )));
                }
                Err(AppError::NotFound) => {
                    return Err(CliError::NoPlace(format!(
                        "there is no place \"{}\" in the database",
                        args.place.unwrap_or_default()
                    )));
                }
                Err(other) => return Err(refused(other)),
            };
            let schedule = args.jobs.schedule(&args.database.database_url);
            serve(store, &place, listener, &args.https, schedule).await
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
            let report = App::new(store.clone())
                .generate_place(&options, &|done, _| bar.set_position(done))
                .await;
            let report = report.map_err(|err| match err {
                AppError::Invalid(errors) => CliError::Invalid(
                    errors
                        .iter()
                        .map(|e| format!("--{} {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                other => refused(other),
            })?;
            bar.finish_and_clear();
            store.close().await;
            eprintln!(
                "placeweave: wrote place {} with {} organisations, {} initiatives ({} participations), {} commitments, {} experiments, {} stories, {} asks, {} enquiries, {} measures, {} relationships and {} interactions in {:.1?}",
                report.place,
                report.organisations,
                report.initiatives,
                report.participations,
                report.commitments,
                report.experiments,
                report.stories,
                report.asks,
                report.enquiries,
                report.measures,
                report.relationships,
                report.interactions,
                started.elapsed()
            );
            Ok(())
        }
        Command::User(command) => user(command).await,
        Command::Backup(args) => {
            let url = &args.database.database_url;
            let store = Store::open(url, Open::Existing).await?;
            let made = store.backup_to(&args.to, url).await;
            store.close().await;
            let facts = made?;
            println!(
                "Wrote {} ({} bytes, schema version {}, {} places, {} organisations).",
                facts.path.display(),
                facts.bytes,
                facts.schema_version,
                facts.places,
                facts.organisations
            );
            Ok(())
        }
        Command::Restore(args) => restore(&args).await,
        Command::Copy(args) => copy(&args).await,
        Command::Analyse(args) => analyse::analyse(&args).await,
        Command::Import(command) => import::import(command).await,
    }
}

async fn copy(args: &CopyArgs) -> Result<(), CliError> {
    let Some(from) = args
        .from
        .starts_with("sqlite:")
        .then(|| sqlite_path(&args.from))
        .flatten()
    else {
        return Err(CliError::Invalid(format!(
            "--from {}: give the SQLite database to copy as sqlite://PATH",
            redact_url(&args.from)
        )));
    };
    if !args.to.starts_with("postgres:") && !args.to.starts_with("postgresql:") {
        return Err(CliError::Invalid(format!(
            "--to {}: give the PostgreSQL database to copy into as postgres://…",
            redact_url(&args.to)
        )));
    }
    let started = std::time::Instant::now();
    let report = copy::copy_sqlite_to_postgres(&from, &args.to).await?;
    for table in &report.tables {
        println!(
            "{:<24} {:>9} rows  {}",
            table.table, table.rows, table.digest
        );
    }
    println!(
        "Copied {} rows in {} tables (schema version {}) to {} in {:.1?}; counts and content digests match.",
        report.rows(),
        report.tables.len(),
        report.schema_version,
        redact_url(&args.to),
        started.elapsed()
    );
    Ok(())
}

async fn restore(args: &RestoreArgs) -> Result<(), CliError> {
    let url = &args.database.database_url;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let report = if url.starts_with("sqlite:") {
        let Some(file) = sqlite_path(url) else {
            return Err(CliError::Invalid(format!("{url} names no file")));
        };
        backup::restore_sqlite(&file, &args.from, now as i64).await?
    } else {
        backup::restore_postgres(url, &args.from, now as i64).await?
    };
    println!(
        "Restored {} (schema version {}, {} places, {} organisations); the database is now at schema version {}.",
        report.restored.path.display(),
        report.restored.schema_version,
        report.restored.places,
        report.restored.organisations,
        report.schema_version
    );
    if let Some(previous) = report.previous {
        println!(
            "The database it replaced is kept as {}.",
            previous.display()
        );
    }
    Ok(())
}

async fn demo_accounts(app: &App, base: &str) -> Result<(), CliError> {
    let links = app.renew_demo_accounts().await.map_err(refused)?;
    eprintln!(
        "placeweave: demo accounts (one-time links to set a password and sign in, new at every start):"
    );
    for link in links {
        eprintln!(
            "  {:<10} {:<45} {base}/invite/{}",
            link.role.as_str(),
            link.email,
            link.token
        );
    }
    Ok(())
}

/// A use case's refusal as one line naming each field at fault.
fn refused(err: AppError) -> CliError {
    match err {
        AppError::Invalid(errors) => CliError::Invalid(
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
                + ": nothing was created or changed",
        ),
        other => CliError::Invalid(other.to_string()),
    }
}

/// "There is no account" for an unknown email; any other refusal as it is.
fn no_account(err: AppError, email: &str) -> CliError {
    match err {
        AppError::NotFound => CliError::Invalid(format!(
            "there is no account for {}",
            email.trim().to_lowercase()
        )),
        other => refused(other),
    }
}

async fn user(command: UserCommand) -> Result<(), CliError> {
    match command {
        UserCommand::Add(args) => {
            let store = open(&args.database.database_url).await?;
            // A partner's organisation is found in a place: camden, the
            // demo's, unless another is named.
            let place = match (&args.place, args.role.trim()) {
                (Some(slug), _) => Some(slug.clone()),
                (None, "partner") => Some(camden::PLACE_SLUG.to_owned()),
                (None, _) => None,
            };
            let request = InviteRequest {
                email: args.email,
                name: args.name,
                role: args.role,
                organisation: args.organisation,
                place,
                team: args.team,
            };
            let invited = App::new(store.clone())
                .invite(Operator::CommandLine, &request)
                .await;
            store.close().await;
            let invitation = invited.map_err(refused)?;
            println!(
                "Account created for {}. Send them this one-time link (valid {INVITE_DAYS} days), on your server's address:",
                invitation.email
            );
            println!("/invite/{}", invitation.token);
            Ok(())
        }
        UserCommand::List(args) => {
            let store = open(&args.database_url).await?;
            let accounts = App::new(store.clone())
                .accounts(Operator::CommandLine)
                .await
                .map_err(refused);
            store.close().await;
            for account in accounts? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    account.email,
                    account.role.as_str(),
                    account
                        .organisation
                        .map(|o| o.id)
                        .unwrap_or_else(|| "-".into()),
                    if account.disabled {
                        "disabled"
                    } else if account.active {
                        "active"
                    } else {
                        "invited"
                    },
                    account.display_name
                );
            }
            store.close().await;
            Ok(())
        }
        UserCommand::Disable(args) => {
            let store = open(&args.database.database_url).await?;
            let disabled = App::new(store.clone())
                .disable_account(Operator::CommandLine, AccountRef::Email(&args.email))
                .await;
            store.close().await;
            let account = disabled.map_err(|err| no_account(err, &args.email))?;
            println!("Disabled {}; their sessions have ended.", account.email);
            Ok(())
        }
        UserCommand::Reset(args) => {
            let store = open(&args.database.database_url).await?;
            let issued = App::new(store.clone())
                .issue_password_reset(Operator::CommandLine, AccountRef::Email(&args.email))
                .await;
            store.close().await;
            let issued = issued.map_err(|err| no_account(err, &args.email))?;
            println!(
                "Send {} this one-time link to set a new password (valid {RESET_HOURS} hours; it signs them out everywhere else), on your server's address:",
                issued.email
            );
            println!("/invite/{}", issued.token);
            Ok(())
        }
    }
}
