//! Judge log clusters: category, priority P0..P4, and the reasons why.
//!
//! Third stage of the pipeline:
//!
//! ```text
//! bytes → LogEntry → Event → Template → Cluster → Assessment → Worklog
//!                                                 ^^^^^^^^^^
//! ```
//!
//! - [`Prioritizer`] assesses a [`Cluster`](gardener_fingerprint::Cluster)
//!   against a [`RunContext`] (facts about the whole run) and returns an
//!   [`Assessment`]: [`Priority`], [`Category`], score and reasons.
//! - [`Rules`] are the phrases and thresholds it applies: a serde value with
//!   documented defaults that users override from JSON.
//! - [`link_incidents`] groups clusters that are one [`Incident`] (a cause
//!   and its symptoms on the same instances); [`History`] and [`Trend`] tell
//!   what changed since a previous run.
//!
//! The defaults reproduce how an on-call engineer judged the hand-written
//! worklogs: the service cannot start → P0; requests fail → P1; other errors
//! → P1-P2; warnings → P2-P3; routine lines → P4.
//!
//! ```
//! use gardener_prioritize::{Priority, Rules};
//! let rules = Rules::from_json(r#"{"high_volume_per_hour": 120}"#)?;
//! assert_eq!(rules.high_volume_per_hour, 120.0);
//! assert!(Priority::P0 < Priority::P4);
//! # Ok::<(), gardener_prioritize::Error>(())
//! ```

mod assess;
mod error;
mod incident;
mod priority;
mod rules;
mod trend;

pub use assess::{Assessment, Prioritizer, RunContext};
pub use error::Error;
pub use incident::{link_incidents, Incident};
pub use priority::{Category, Priority};
pub use rules::Rules;
pub use trend::{
    classify_trend, since_previous_run, History, OccurrencesAfter, PreviousCluster, Trend,
};
