//! log-gardener's `log_clusters` aggregate on an Apache Ballista cluster.
//!
//! Ballista's scheduler plans a query and its executors run the stages; both
//! look functions up by name in their own registry, so a cluster that runs
//! `log_clusters` runs this crate's binaries, which register it:
//! `gardener-ballista-scheduler` and `gardener-ballista-executor` (the stock
//! ones plus the functions). A client connects with [`remote_context`].
//!
//! - [`session_state`]: a state with the functions, for a scheduler's
//!   sessions or an in-process standalone cluster.
//! - [`function_registry`]: Ballista's default functions plus ours, for an
//!   executor.
//! - [`remote_context`]: a client context on a remote scheduler, with the
//!   functions registered for planning.
//!
//! The shard state of each partition travels between executors as Ballista
//! shuffles it: one binary value per group (see `gardener-datafusion`).
//!
//! ```no_run
//! use gardener_ballista::remote_context;
//! use gardener_datafusion::{session_config, LogClusters, NdjsonEntries};
//! use log_gardener::Options;
//!
//! # #[tokio::main] async fn main() -> datafusion::error::Result<()> {
//! let ctx = remote_context("df://scheduler:50050", session_config(64), LogClusters::new(Options::default())).await?;
//! NdjsonEntries::new(["gs://my-sink-bucket/run.googleapis.com/stderr/2025/09/14/"]).register(&ctx, "entries")?;
//! let worklogs = ctx.sql("SELECT log_clusters(entry, '2025-09-15T00:00:00Z') FROM entries").await?.collect().await?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]

use std::sync::Arc;

use ballista::prelude::SessionContextExt;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use datafusion::common::Result;
use datafusion::execution::config::SessionConfig;
use datafusion::execution::session_state::SessionState;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::SessionContext;
use gardener_datafusion::{field_functions, LogClusters};

/// Registers `log_clusters` and the field functions in a state.
pub fn register_in_state(state: &mut SessionState, aggregate: LogClusters) -> Result<()> {
    state.register_udaf(Arc::new(aggregate.into_udaf()))?;
    for function in field_functions() {
        state.register_udf(Arc::new(function))?;
    }
    Ok(())
}

/// Ballista's session state (default functions, Ballista's optimizer rules)
/// with `log_clusters` and the field functions: what a scheduler builds for
/// each session, and what an in-process standalone cluster starts from.
pub fn session_state(config: SessionConfig, aggregate: LogClusters) -> Result<SessionState> {
    let mut state = default_session_builder(config)?;
    register_in_state(&mut state, aggregate)?;
    Ok(state)
}

/// Ballista's default functions plus `log_clusters` and the field
/// functions, for an executor's `override_function_registry`.
pub fn function_registry(aggregate: LogClusters) -> BallistaFunctionRegistry {
    let mut registry = BallistaFunctionRegistry::default();
    let aggregate = Arc::new(aggregate.into_udaf());
    registry
        .aggregate_functions
        .insert(aggregate.name().to_owned(), aggregate);
    for function in field_functions() {
        registry
            .scalar_functions
            .insert(function.name().to_owned(), Arc::new(function));
    }
    registry
}

/// A client context on the scheduler at `url` (`df://host:port`), with the
/// functions registered for planning.
///
/// Ballista's `remote_with_state` rebuilds the state with its own function
/// lists, which drops functions registered before, so they are registered
/// again on the context it returns.
pub async fn remote_context(
    url: &str,
    config: SessionConfig,
    aggregate: LogClusters,
) -> Result<SessionContext> {
    let state = session_state(config, aggregate.clone())?;
    let ctx = SessionContext::remote_with_state(url, state).await?;
    gardener_datafusion::register_functions(&ctx, aggregate);
    Ok(ctx)
}
