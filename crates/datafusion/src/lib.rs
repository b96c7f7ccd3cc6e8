//! log-gardener's clustering as an Apache DataFusion aggregate: the worklog of
//! gigabytes of Cloud Logging exports, computed by a query engine on as many
//! partitions (and, with Ballista, machines) as there are.
//!
//! - [`LogClusters`] is the aggregate `log_clusters(entry [, now])`: raw
//!   entries in, the worklog (JSON) out. Its state is a serialized shard of
//!   clustering state; merging states merges shards.
//! - [`NdjsonEntries`] registers NDJSON files and directories (`.gz` too,
//!   local or in an object store such as a Cloud Storage sink's bucket) as a
//!   table with one column, [`ENTRY_COLUMN`], of raw entries.
//! - [`field_functions`] (`log_service(entry)`, `log_day(entry)`, ...) read
//!   what an entry is about, for `GROUP BY`.
//! - [`session_config`] keeps each file whole and in order within one
//!   partition, so stack traces logged one line per entry are re-joined.
//!
//! Where it sits: `NDJSON files → entries table → log_clusters: (bytes →
//! LogEntry → Event → Template → Cluster, per partition) → merged shard →
//! Assessment → Worklog`.
//!
//! ```
//! use datafusion::prelude::SessionContext;
//! use gardener_datafusion::{register_functions, session_config, LogClusters};
//! use log_gardener::{Options, Worklog};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let ctx = SessionContext::new_with_config(session_config(4));
//! register_functions(&ctx, LogClusters::new(Options::default()));
//! ctx.sql(r#"CREATE TABLE entries (entry TEXT) AS VALUES
//!     ('{"severity":"ERROR","textPayload":"Container called exit(3).","resource":{"type":"cloud_run_revision","labels":{"service_name":"api"}}}'),
//!     ('{"severity":"ERROR","textPayload":"Container called exit(3).","resource":{"type":"cloud_run_revision","labels":{"service_name":"web"}}}')"#)
//!     .await?;
//! let rows = ctx
//!     .sql("SELECT log_service(entry) AS service, log_clusters(entry, '2025-09-14T01:00:00Z') AS worklog
//!           FROM entries GROUP BY service ORDER BY service")
//!     .await?
//!     .collect()
//!     .await?;
//! let worklogs = datafusion::arrow::array::AsArray::as_string::<i32>(rows[0].column(1));
//! let api = Worklog::from_json(worklogs.value(0))?;
//! assert_eq!(api.input.entries_read, 1);
//! assert_eq!(api.services[0].value, "api");
//! # Ok(())
//! # }
//! ```
//!
//! The `query` example (`cargo run -p gardener-datafusion --example query --
//! PATH...`) prints the same worklog as log-gardener's `gardener` example.
#![forbid(unsafe_code)]

mod aggregate;
mod entries;
mod fields;
mod session;
mod shard;

pub use aggregate::{LogClusters, LOG_CLUSTERS};
pub use entries::{entries_schema, NdjsonEntries, ENTRY_COLUMN};
pub use fields::field_functions;
pub use session::{register_functions, session_config};
