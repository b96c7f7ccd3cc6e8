//! Mask, fingerprint and cluster log events: the clustering core of log-gardener.
//!
//! Second stage of the pipeline:
//!
//! ```text
//! bytes → LogEntry → Event → Template → Cluster → Assessment → Worklog
//!                            ^^^^^^^^^^^^^^^^^^
//! ```
//!
//! - [`Clusterer`] owns the stage: push every [`Event`](gardener_log_model::Event),
//!   then [`finish`](Clusterer::finish) gives the [`Clusters`], largest
//!   first, and which cluster each entry went to.
//! - [`Masker`] replaces variable values (ids, numbers, times, addresses,
//!   secrets) with typed placeholders in one pass, recording each replacement.
//! - [`GroupKey`] is what identifies a problem (exception type and frames,
//!   endpoint and status, or call site and template); its
//!   [`Fingerprint`] is a stable, versioned hash of it.
//! - [`ClusterSet`] is the mergeable clustering state (statistics per key)
//!   that a `Clusterer` fills; [`Miner`] merges templates that differ only in
//!   variable positions when it is turned into [`Cluster`]s.
//!
//! It works on plain lines too ([`LineClusterer`]), so any tool can cluster any
//! log: `examples/cluster_lines.rs` in the repository does that from the
//! command line, and `docs/clustering.md` gives its grouping accuracy on
//! Loghub and its speed. No I/O, no clocks, no randomness: the same input
//! gives the same output.
//!
//! ```
//! use gardener_fingerprint::{Clusterer, Masker, Miner};
//! use gardener_log_model::{Event, LogEntry};
//!
//! let mut clusterer = Clusterer::new(Masker::new());
//! for raw in [
//!     r#"{"textPayload": "Auth unreachable after 0.51s", "severity": "WARNING"}"#,
//!     r#"{"textPayload": "Auth unreachable after 0.53s", "severity": "WARNING"}"#,
//! ] {
//!     let event = Event::from_entry(LogEntry::from_json(raw.as_bytes())?);
//!     clusterer.push(&event, raw);
//! }
//! let clusters = clusterer.finish(&Miner::default());
//! let cluster = &clusters.clusters()[0];
//! assert_eq!(cluster.stats.count, 2);
//! assert_eq!(cluster.key.title(), "Auth unreachable after <duration>");
//! # Ok::<(), serde_json::Error>(())
//! ```

mod cluster;
mod clusterer;
mod error;
mod hash;
mod key;
mod kind;
mod lines;
mod mask;
mod miner;
mod secrets;
mod stats;
mod time;
mod vocabulary;
mod words;

pub use cluster::{Cluster, ClusterSet, Clustering, LongTail, DEFAULT_MAX_GROUPS};
pub use clusterer::{Clusterer, Clusters};
pub use error::Error;
pub use hash::{Fingerprint, ParseFingerprintError, FINGERPRINT_VERSION};
pub use key::{GroupKey, KEY_FRAMES, MAX_KEY_MESSAGE_BYTES};
pub use kind::Kind;
pub use lines::{LineClusterer, LineClusters};
pub use mask::{Masked, Masker, MaskerBuilder, Replacement};
pub use miner::{Mined, Miner, MinerConfig, WILDCARD};
pub use secrets::{find_secrets, is_redaction_marker, Secret, SecretKind};
pub use stats::{
    BoundedCounts, ClusterStats, Latency, Representative, MAX_PLACES, MAX_REPRESENTATIVE_BYTES,
    MAX_REPRESENTATIVE_FRAMES, MAX_VALUES,
};
