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
//! - [`Category::text`] is the one table of what each category is called,
//!   what it means and what to do first ([`CategoryText`]); reports print it.
//! - [`Rules`] are the phrases and thresholds it applies: a serde value with
//!   documented defaults that users override from JSON.
//! - [`link_incidents`] groups clusters that are one [`Incident`] (a cause
//!   and its symptoms on the same instances); [`History`] and [`Trend`] tell
//!   what changed since a previous run.
//!
//! The defaults reproduce how an on-call engineer judged the hand-written
//! worklogs: the service cannot start or serve (load errors, crash loops,
//! failed probes and startups across instances, an endpoint down) → P0;
//! requests fail → P1; other errors → P1-P2; warnings → P2-P3; routine
//! lines (start banners, graceful shutdowns, `exit(0)`) → P4. The level a
//! line states (see `Severity::stated_in` in `gardener-log-model`) counts,
//! not the `ERROR` Cloud Run gives all of stderr.
//!
//! ```
//! use gardener_prioritize::{Priority, Rules};
//! let rules = Rules::from_json(r#"{"high_volume_per_hour": 120}"#)?;
//! assert_eq!(rules.high_volume_per_hour, 120.0);
//! assert!(Priority::P0 < Priority::P4);
//! # Ok::<(), gardener_prioritize::Error>(())
//! ```

mod assess;
mod assessments;
mod category;
mod context;
mod error;
mod incident;
mod judge;
mod priority;
mod rules;
mod spread;
mod status;
mod trend;

pub use assess::{Assessment, Prioritizer};
pub use assessments::Assessments;
pub use category::{Category, CategoryText};
pub use context::RunContext;
pub use error::Error;
pub use incident::{link_incidents, Incident};
pub use priority::Priority;
pub use rules::Rules;
pub use spread::active_rate_per_hour;
pub use status::Status;
pub use trend::{
    classify_trend, since_previous_run, History, OccurrencesAfter, PreviousCluster, Trend,
};
