//! The `dkbm-hub` command line: parse, then call into the library.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use dkbm_hub::config::{Config, DatabaseConfig};

/// dkbm-hub: the shared GraphQL API of the DKBM community.
/// mimalloc: GraphQL resolution allocates many small, short-lived objects per field, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "dkbm-hub", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Settings for `serve`, the default command.
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve(Config),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseConfig),
    /// Load data into the database (migrating it first).
    Seed {
        /// The demo data set drawn from the domain texts.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        database: DatabaseConfig,
    },
    /// Administer accounts from the command line.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage the keys that sign access tokens.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Education monitoring indicators.
    #[command(subcommand)]
    Indicators(IndicatorsCommand),
    /// The map of places: Länder, districts, municipalities.
    #[command(subcommand)]
    Directory(DirectoryCommand),
    /// The configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write a consistent copy of a SQLite database (while the server runs) and of a folder of
    /// stored files.
    Backup {
        /// The copy of the database: a SQLite file (must not exist yet).
        #[arg(long)]
        to: PathBuf,
        /// Also copy the files of the folder store into this folder.
        #[arg(long)]
        files_to: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseConfig,
    },
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    ExportSchema {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the effective configuration (flags > environment > `--config` file > defaults) as
    /// a TOML file that `--config` accepts; secrets are not shown.
    Show(Config),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a platform administrator (or make an existing member one). The password comes from
    /// DKBM_ADMIN_PASSWORD or a prompt.
    Create {
        /// The administrator's email.
        #[arg(long)]
        email: String,
        /// The name shown to others.
        #[arg(long, default_value = "Administrator")]
        display_name: String,
        #[command(flatten)]
        config: Config,
    },
}

#[derive(Subcommand)]
enum DirectoryCommand {
    /// Import Destatis' official municipality directory (GV100AD): creates and updates places and
    /// their hierarchy, sets population and area for the file's year, retires places of the
    /// covered Länder that the file no longer names. All or nothing: a malformed line refuses the
    /// file (exit code 1). The last line says `created N updated N unchanged N retired N`.
    Import {
        /// The GV100AD file.
        file: PathBuf,
        /// Only check and count; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        config: Config,
    },
}

#[derive(Subcommand)]
enum IndicatorsCommand {
    /// Import indicator values from a GENESIS flat CSV (ffcsv) or an `ags;year;code;value` file:
    /// all or nothing; rejected lines are listed with their number and reason (exit code 1).
    Import {
        /// The file.
        file: PathBuf,
        /// Only check and count; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        config: Config,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Generate a new signing key; tokens signed with older keys stay valid until they expire.
    Rotate {
        #[command(flatten)]
        database: DatabaseConfig,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (cli, matches) = parse_command_line()?;
    match cli.command.unwrap_or(Command::Serve(cli.config)) {
        Command::Serve(config) => dkbm_hub::run(config).await,
        Command::Migrate(database) => {
            dkbm_hub::logging::init("info", false);
            let db = dkbm_hub::db::connect(&database)
                .await
                .context("connecting to the database")?;
            let applied = dkbm_hub::db::migrate(&db.connection).await.context("migrating")?;
            tracing::info!(applied, "migrations applied");
            Ok(())
        }
        Command::Seed { demo, database } => {
            dkbm_hub::logging::init("info", false);
            anyhow::ensure!(demo, "say which data to load: seed --demo");
            let mut config = Config::from_env()?;
            config.database = database;
            config.demo = false;
            let app = dkbm_hub::prepare(config).await?;
            let created = dkbm_hub::seed::demo(&app).await?;
            let showcased = dkbm_hub::seed::showcase(&app).await?;
            tracing::info!(created, showcased, "demo data loaded");
            Ok(())
        }
        Command::Admin(AdminCommand::Create {
            email,
            display_name,
            config,
        }) => create_admin(&email, &display_name, config).await,
        Command::Indicators(IndicatorsCommand::Import { file, dry_run, config }) => {
            import_indicators(&file, dry_run, config).await
        }
        Command::Directory(DirectoryCommand::Import { file, dry_run, config }) => {
            import_directory(&file, dry_run, config).await
        }
        Command::Keys(KeysCommand::Rotate { database }) => {
            dkbm_hub::logging::init("info", false);
            let db = dkbm_hub::db::connect(&database)
                .await
                .context("connecting to the database")?;
            dkbm_hub::db::migrate(&db.connection).await.context("migrating")?;
            let kid = dkbm_hub::auth::keys::rotate(&db.connection).await?;
            tracing::info!(%kid, "new signing key; running instances pick it up within a minute");
            Ok(())
        }
        Command::Config(ConfigCommand::Show(_)) => show_config(&matches),
        Command::Backup { to, files_to, database } => backup(&database, &to, files_to.as_deref()).await,
        Command::ExportSchema { output } => export_schema(output.as_deref()),
    }
}

/// The command line with the configuration file's values as defaults (flag > environment >
/// file > default); a file that cannot be used ends the program with its error.
fn parse_command_line() -> anyhow::Result<(Cli, clap::ArgMatches)> {
    use clap::{CommandFactory, FromArgMatches};
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut command = Cli::command();
    if let Some(path) = dkbm_hub::config::file::path_from(&args) {
        let values = dkbm_hub::config::file::read(&path, &dkbm_hub::config::settings_command())?;
        command = dkbm_hub::config::file::apply(command, &values);
    }
    let matches = command.get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    Ok((cli, matches))
}

/// `dkbm-hub admin create`: the password from `DKBM_ADMIN_PASSWORD` or a prompt.
async fn create_admin(email: &str, display_name: &str, config: Config) -> anyhow::Result<()> {
    dkbm_hub::logging::init("warn", false);
    let password = match std::env::var("DKBM_ADMIN_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => rpassword::prompt_password(format!("Password for {email}: ")).context("reading the password")?,
    };
    let app = dkbm_hub::prepare(config).await?;
    let created = dkbm_hub::members::service::create_admin(&app.state.writer, email, display_name, &password)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let what = if created {
        "created the administrator"
    } else {
        "made the existing member an administrator:"
    };
    eprintln!("{what} {}", email.trim().to_lowercase());
    Ok(())
}

/// `dkbm-hub config show`: the settings of the `show` subcommand's own command line.
fn show_config(matches: &clap::ArgMatches) -> anyhow::Result<()> {
    use std::io::Write;
    let shown = matches
        .subcommand_matches("config")
        .and_then(|config| config.subcommand_matches("show"))
        .context("config show")?;
    let rendered = dkbm_hub::config::show::render(&dkbm_hub::config::settings_command(), shown);
    std::io::stdout().write_all(rendered.as_bytes()).context("writing")
}

/// `dkbm-hub export-schema [--output FILE]`.
fn export_schema(output: Option<&std::path::Path>) -> anyhow::Result<()> {
    use std::io::Write;
    let sdl = dkbm_hub::schema::sdl();
    match output {
        Some(path) => std::fs::write(path, sdl).with_context(|| format!("writing {}", path.display())),
        None => std::io::stdout()
            .write_all(sdl.as_bytes())
            .context("writing the schema"),
    }
}

/// `dkbm-hub backup --to FILE [--files-to DIR]`.
async fn backup(
    database: &DatabaseConfig,
    to: &std::path::Path,
    files_to: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    dkbm_hub::logging::init("warn", false);
    let db = dkbm_hub::db::connect(database)
        .await
        .context("connecting to the database")?;
    dkbm_hub::db::backup::to_file(&db.connection, to).await?;
    eprintln!("database copied to {}", to.display());
    if let Some(folder) = files_to {
        let store = dkbm_hub::config::beside_database(&database.url, "files");
        let copied = dkbm_hub::db::backup::copy_folder(&store, folder)?;
        eprintln!("{copied} files copied from {} to {}", store.display(), folder.display());
    }
    Ok(())
}

/// `dkbm-hub indicators import FILE`: as the operator; rejected lines and the summary on
/// standard error, exit code 1 when any line was rejected (nothing is imported then).
async fn import_indicators(file: &std::path::Path, dry_run: bool, config: Config) -> anyhow::Result<()> {
    dkbm_hub::logging::init("warn", false);
    let content = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let app = dkbm_hub::prepare(config).await?;
    let viewer = dkbm_hub::auth::Viewer::Operator;
    let report = dkbm_hub::indicators::service::import_values(&app.state.writer, &viewer, &content, dry_run)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    for rejection in &report.rejected {
        eprintln!("line {}: {}", rejection.line, rejection.reason);
    }
    eprintln!("{}", report.summary());
    anyhow::ensure!(
        report.rejected.is_empty(),
        "nothing imported: {} lines rejected",
        report.rejected.len()
    );
    Ok(())
}

async fn import_directory(file: &std::path::Path, dry_run: bool, config: Config) -> anyhow::Result<()> {
    dkbm_hub::logging::init("warn", false);
    let content = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let app = dkbm_hub::prepare(config).await?;
    let viewer = dkbm_hub::auth::Viewer::Operator;
    let import = dkbm_hub::places::service::import_directory(&app.state.writer, &viewer, "file", &content, dry_run)
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    if dry_run {
        eprintln!("dry run: nothing written");
    }
    // The last line, for scripts: what was (or would be) done.
    use std::io::Write;
    writeln!(std::io::stdout(), "{}", import.summary())?;
    Ok(())
}
