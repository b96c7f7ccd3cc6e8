//! `gardener-ballista-scheduler`: a Ballista scheduler whose sessions know
//! `log_clusters` and the field functions, so that it can read the plans
//! clients send (functions are looked up by name).
//!
//! ```text
//! gardener-ballista-scheduler --bind-port 50050
//! ```
//!
//! The flags are the stock `ballista-scheduler`'s most used ones, with the
//! same names and defaults. Logs go to stderr (`RUST_LOG`, default `info`).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use clap::Parser;
use gardener_ballista::session_state;
use gardener_datafusion::LogClusters;
use log_gardener::Options;

/// A Ballista scheduler with log-gardener's functions.
#[derive(Debug, Parser)]
#[command(name = "gardener-ballista-scheduler", version)]
struct Args {
    /// Local IP address to bind to.
    #[arg(long, default_value = "0.0.0.0")]
    bind_host: String,
    /// Host name executors and clients reach this scheduler at.
    #[arg(long, default_value = "localhost")]
    external_host: String,
    /// Port of the gRPC service.
    #[arg(long, default_value_t = 50050)]
    bind_port: u16,
}

#[tokio::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args = Args::parse();
    let address: SocketAddr = match format!("{}:{}", args.bind_host, args.bind_port).parse() {
        Ok(address) => address,
        Err(error) => {
            log::error!(
                "gardener-ballista-scheduler: --bind-host {} --bind-port {}: {error}",
                args.bind_host,
                args.bind_port
            );
            return ExitCode::from(2);
        }
    };
    let config = SchedulerConfig::default()
        .with_hostname(args.external_host)
        .with_port(args.bind_port)
        .with_override_session_builder(Arc::new(|config| {
            session_state(config, LogClusters::new(Options::default()))
        }));
    let started = async {
        let cluster = BallistaCluster::new_from_config(&config).await?;
        start_server(cluster, address, Arc::new(config)).await
    };
    match started.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("gardener-ballista-scheduler: {error}");
            ExitCode::FAILURE
        }
    }
}
