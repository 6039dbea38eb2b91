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
    /// Print the GraphQL schema (SDL), as committed in schema.graphql.
    ExportSchema {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve(cli.config)) {
        Command::Serve(config) => dkbm_hub::run(config).await,
        Command::Migrate(database) => {
            dkbm_hub::logging::init("info", false);
            let db = dkbm_hub::db::connect(&database)
                .await
                .context("connecting to the database")?;
            dkbm_hub::db::migrate(&db.connection).await.context("migrating")?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Seed { demo, database } => {
            dkbm_hub::logging::init("info", false);
            anyhow::ensure!(demo, "say which data to load: seed --demo");
            let db = dkbm_hub::db::connect(&database)
                .await
                .context("connecting to the database")?;
            dkbm_hub::db::migrate(&db.connection).await.context("migrating")?;
            let created = dkbm_hub::seed::demo(&db.connection).await?;
            tracing::info!(created, "demo data loaded");
            Ok(())
        }
        Command::ExportSchema { output } => {
            let sdl = dkbm_hub::graphql::sdl();
            match output {
                Some(path) => std::fs::write(&path, sdl).with_context(|| format!("writing {}", path.display())),
                None => {
                    use std::io::Write;
                    std::io::stdout()
                        .write_all(sdl.as_bytes())
                        .context("writing the schema")
                }
            }
        }
    }
}
