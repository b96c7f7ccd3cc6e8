//! How a cluster changed since the previous run and across revisions.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Priority;

/// A cluster's change against the previous run (or, without one, whether it
/// stopped in the latest revision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Not in the previous run.
    New,
    /// In the previous run too, not more urgent now.
    Ongoing,
    /// In the previous run too, more urgent now.
    Escalated,
    /// Seen before, absent in the latest revision (or gone since the previous run).
    Resolved,
    /// Resolved in the previous run, back now.
    Regressed,
}

impl Trend {
    /// The name used in JSON: `new`, `ongoing`, `escalated`, `resolved`, `regressed`.
    pub fn name(self) -> &'static str {
        match self {
            Trend::New => "new",
            Trend::Ongoing => "ongoing",
            Trend::Escalated => "escalated",
            Trend::Resolved => "resolved",
            Trend::Regressed => "regressed",
        }
    }

    /// A short marker for reports: `🆕 new`, `↗ escalated`, ...
    pub fn marker(self) -> &'static str {
        match self {
            Trend::New => "🆕 new",
            Trend::Ongoing => "↔ ongoing",
            Trend::Escalated => "↗ escalated",
            Trend::Resolved => "✅ resolved",
            Trend::Regressed => "↩ regressed",
        }
    }
}

impl fmt::Display for Trend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.marker())
    }
}

/// What the previous run said about one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousCluster {
    /// Its fingerprint.
    pub fingerprint: String,
    /// Its title, to list it when it is gone.
    pub title: String,
    /// Its priority then.
    pub priority: Priority,
    /// Whether it was resolved then.
    pub resolved: bool,
}

/// The clusters of a previous run, by fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    clusters: BTreeMap<String, PreviousCluster>,
}

impl History {
    /// A history of these clusters.
    pub fn new(clusters: impl IntoIterator<Item = PreviousCluster>) -> History {
        History {
            clusters: clusters
                .into_iter()
                .map(|cluster| (cluster.fingerprint.clone(), cluster))
                .collect(),
        }
    }

    /// The previous run's record of a fingerprint.
    pub fn get(&self, fingerprint: &str) -> Option<&PreviousCluster> {
        self.clusters.get(fingerprint)
    }

    /// Whether there is no previous run.
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    /// Previous clusters (not already resolved then) whose fingerprint is
    /// not among `present`: they are gone, so resolved.
    pub fn vanished<'a>(
        &'a self,
        present: &'a [String],
    ) -> impl Iterator<Item = &'a PreviousCluster> + 'a {
        self.clusters
            .values()
            .filter(move |cluster| !cluster.resolved && !present.contains(&cluster.fingerprint))
    }
}

/// The trend of a cluster present now.
///
/// `history` is the previous run, if one was given; `in_latest_revision`
/// whether the cluster occurred in its service's latest revision (always
/// true when the run saw a single revision). Without a previous run only
/// [`Trend::Resolved`] can be told.
///
/// ```
/// use gardener_prioritize::{classify_trend, History, PreviousCluster, Priority, Trend};
/// let before = PreviousCluster { fingerprint: "v1:0".into(), title: "t".into(), priority: Priority::P2, resolved: false };
/// let history = History::new([before]);
/// assert_eq!(classify_trend(Some(&history), "v1:0", Priority::P1, true), Some(Trend::Escalated));
/// assert_eq!(classify_trend(Some(&history), "v1:1", Priority::P1, true), Some(Trend::New));
/// assert_eq!(classify_trend(None, "v1:1", Priority::P1, false), Some(Trend::Resolved));
/// assert_eq!(classify_trend(None, "v1:1", Priority::P1, true), None);
/// ```
pub fn classify_trend(
    history: Option<&History>,
    fingerprint: &str,
    priority: Priority,
    in_latest_revision: bool,
) -> Option<Trend> {
    if !in_latest_revision {
        return Some(Trend::Resolved);
    }
    let history = history?;
    Some(match history.get(fingerprint) {
        None => Trend::New,
        Some(previous) if previous.resolved => Trend::Regressed,
        Some(previous) if priority < previous.priority => Trend::Escalated,
        Some(_) => Trend::Ongoing,
    })
}
