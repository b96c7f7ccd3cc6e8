//! `gardener-ballista-executor`: a Ballista executor that knows `log_clusters`
//! and the field functions (`log_service`, `log_day`, ...).
//!
//! ```text
//! gardener-ballista-executor --scheduler-host scheduler --scheduler-port 50050
//! ```
//!
//! The flags are the stock `ballista-executor`'s most used ones, with the
//! same names and defaults. Worklogs are stamped with the `now` argument of
//! `log_clusters(entry, now)`, else with the executor's clock; gardener
//! options are the defaults. Logs go to stderr (`RUST_LOG`, default `info`).

use std::process::ExitCode;
use std::sync::Arc;

use ballista_executor::executor_process::{start_executor_process, ExecutorProcessConfig};
use clap::Parser;
use gardener_ballista::function_registry;
use gardener_datafusion::LogClusters;
use log_gardener::Options;

/// A Ballista executor with log-gardener's functions.
#[derive(Debug, Parser)]
#[command(name = "gardener-ballista-executor", version)]
struct Args {
    /// Scheduler host.
    #[arg(long, default_value = "localhost")]
    scheduler_host: String,
    /// Scheduler port.
    #[arg(long, default_value_t = 50050)]
    scheduler_port: u16,
    /// Local IP address to bind to.
    #[arg(long, default_value = "0.0.0.0")]
    bind_host: String,
    /// Host name or IP address other executors and the scheduler reach this
    /// executor at (default: the address the scheduler sees).
    #[arg(long)]
    external_host: Option<String>,
    /// Port of the Arrow Flight service (shuffle data).
    #[arg(long, default_value_t = 50051)]
    bind_port: u16,
    /// Port of the gRPC service.
    #[arg(long, default_value_t = 50052)]
    bind_grpc_port: u16,
    /// Tasks run at once (default: the number of cores).
    #[arg(long)]
    concurrent_tasks: Option<usize>,
    /// Directory for shuffle files (default: a temporary directory).
    #[arg(long)]
    work_dir: Option<String>,
}

#[tokio::main]
async fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args = Args::parse();
    let defaults = ExecutorProcessConfig::default();
    let config = ExecutorProcessConfig {
        scheduler_host: args.scheduler_host,
        scheduler_port: args.scheduler_port,
        bind_host: args.bind_host,
        external_host: args.external_host,
        port: args.bind_port,
        grpc_port: args.bind_grpc_port,
        vcores: args.concurrent_tasks.unwrap_or(defaults.vcores),
        work_dir: args.work_dir,
        override_function_registry: Some(Arc::new(function_registry(LogClusters::new(
            Options::default(),
        )))),
        ..defaults
    };
    match start_executor_process(Arc::new(config)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("gardener-ballista-executor: {error}");
            ExitCode::FAILURE
        }
    }
}
