//! A session set up for log entries: partitions of whole files, functions
//! registered.

use datafusion::execution::config::SessionConfig;
use datafusion::prelude::SessionContext;

use crate::{field_functions, LogClusters};

/// A session configuration with `partitions` partitions that hands each
/// partition whole files, each file's lines in order.
///
/// Re-joining a stack trace that was logged one line per entry needs its
/// lines to reach one accumulator together, so this turns off what would
/// scatter them: splitting files into byte ranges
/// (`datafusion.optimizer.repartition_file_scans`) and dealing rows out
/// round robin (`datafusion.optimizer.enable_round_robin_repartition`).
/// Parallelism is then at most the number of files; a Cloud Storage sink
/// writes one file per log and hour, so a day has dozens to thousands.
///
/// With byte ranges on, clusters and counts are still exact, except that a
/// trace cut by a range boundary is clustered as its two parts.
///
/// It also lists directories recursively
/// (`datafusion.execution.listing_table_ignore_subdirectory = false`): a
/// sink writes `<log-id>/YYYY/MM/DD/` under the directory one names.
pub fn session_config(partitions: usize) -> SessionConfig {
    let mut config = SessionConfig::new()
        .with_target_partitions(partitions.max(1))
        .with_repartition_file_scans(false)
        .with_round_robin_repartition(false);
    config
        .options_mut()
        .execution
        .listing_table_ignore_subdirectory = false;
    config
}

/// Registers `log_clusters` and the field functions (`log_service`,
/// `log_day`, ...) with a context.
pub fn register_functions(ctx: &SessionContext, aggregate: LogClusters) {
    ctx.register_udaf(aggregate.into_udaf());
    for function in field_functions() {
        ctx.register_udf(function);
    }
}
