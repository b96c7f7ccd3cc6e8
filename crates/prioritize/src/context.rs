//! Facts about the whole run that single clusters are judged against.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gardener_fingerprint::{Cluster, GroupKey};

use crate::trend::History;

/// Facts about the whole run that single clusters are judged against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunContext {
    /// Requests per (service, method, path) over all statuses.
    pub endpoint_requests: BTreeMap<(String, String, String), u64>,
    /// Earliest timestamp of the run.
    pub first_seen: Option<DateTime<Utc>>,
    /// Latest timestamp of the run.
    pub last_seen: Option<DateTime<Utc>>,
    /// The entries of [`newest_revisions`](RunContext::newest_revisions)
    /// whose revision has shown it serves (see
    /// [`RunContext::in_latest_revision`]): only then does a cluster's
    /// absence from it mean the cluster is resolved.
    pub serving_newest_revisions: BTreeMap<String, String>,
    /// The newest revision of each service that has several in the run,
    /// whether or not it serves.
    pub newest_revisions: BTreeMap<String, String>,
    /// The previous run, when one was given.
    pub history: Option<History>,
}

/// `netra-backend-staging-00589-g9x` → 589: Cloud Run numbers revisions.
fn revision_number(name: &str) -> Option<u64> {
    let mut parts = name.rsplit('-');
    let _suffix = parts.next()?;
    parts.next()?.parse().ok()
}

impl RunContext {
    /// Gathers the run's facts from its clusters.
    pub fn from_clusters(clusters: &[Cluster]) -> RunContext {
        let mut context = RunContext::default();
        for cluster in clusters {
            if let GroupKey::Http {
                service,
                method,
                path,
                ..
            } = &cluster.key
            {
                *context
                    .endpoint_requests
                    .entry((service.clone(), method.clone(), path.clone()))
                    .or_default() += cluster.stats.count;
            }
            let stats = &cluster.stats;
            context.first_seen = match (context.first_seen, stats.first_seen) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            context.last_seen = context.last_seen.max(stats.last_seen);
        }
        context.newest_revisions = newest_revisions(clusters);
        context.serving_newest_revisions = context
            .newest_revisions
            .iter()
            .filter(|(service, revision)| serves(clusters, service, revision))
            .map(|(service, revision)| (service.clone(), revision.clone()))
            .collect();
        context
    }

    /// Adds the previous run's clusters, for trends.
    pub fn with_history(mut self, history: History) -> RunContext {
        self.history = Some(history);
        self
    }

    /// Whether a cluster occurred in its service's latest revision (true when
    /// that cannot be told: one revision, or a latest revision that never
    /// answered a request successfully, so its silence proves nothing).
    pub fn in_latest_revision(&self, cluster: &Cluster) -> bool {
        let Some(latest) = self.serving_newest_revisions.get(cluster.key.service()) else {
            return true;
        };
        let revisions = &cluster.stats.revisions;
        revisions.is_empty()
            || revisions.is_truncated()
            || revisions.values().any(|(name, _)| name == latest)
    }

    /// The run's duration in hours (at least one minute, to keep rates finite).
    pub fn hours(&self) -> f64 {
        match (self.first_seen, self.last_seen) {
            (Some(first), Some(last)) => {
                ((last - first).num_milliseconds() as f64 / 3.6e6).max(1.0 / 60.0)
            }
            _ => 1.0,
        }
    }
}

/// Per service with several revisions: the one with the highest Cloud Run
/// revision number, or else the one first seen last.
fn newest_revisions(clusters: &[Cluster]) -> BTreeMap<String, String> {
    let mut first_seen: BTreeMap<(&str, &str), Option<DateTime<Utc>>> = BTreeMap::new();
    for cluster in clusters {
        for (revision, _) in cluster.stats.revisions.values() {
            let slot = first_seen
                .entry((cluster.key.service(), revision))
                .or_insert(cluster.stats.first_seen);
            *slot = match (*slot, cluster.stats.first_seen) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    /// A revision's name and first entry.
    type Revision<'a> = (&'a str, Option<DateTime<Utc>>);
    let mut by_service: BTreeMap<&str, Vec<Revision<'_>>> = BTreeMap::new();
    for ((service, revision), first) in first_seen {
        by_service
            .entry(service)
            .or_default()
            .push((revision, first));
    }
    by_service
        .into_iter()
        .filter(|(_, revisions)| revisions.len() > 1)
        .filter_map(|(service, revisions)| {
            let numbered = revisions
                .iter()
                .all(|(name, _)| revision_number(name).is_some());
            let latest = if numbered {
                revisions
                    .iter()
                    .max_by_key(|(name, _)| (revision_number(name), *name))
            } else {
                revisions.iter().max_by_key(|(name, first)| (*first, *name))
            }?;
            Some((service.to_owned(), latest.0.to_owned()))
        })
        .collect()
}

/// Whether a revision has shown it works: it answered a request with a 2xx
/// or 3xx, or, for a service without request logs (a job, a worker), it
/// logged at all. A revision that cannot start logs none of the old
/// revision's warnings either; that does not make them resolved.
fn serves(clusters: &[Cluster], service: &str, revision: &str) -> bool {
    let has_revision = |cluster: &Cluster| {
        cluster
            .stats
            .revisions
            .values()
            .any(|(name, _)| name == revision)
    };
    let requests: Vec<&Cluster> = clusters
        .iter()
        .filter(|c| matches!(&c.key, GroupKey::Http { service: s, .. } if s == service))
        .collect();
    if requests.is_empty() {
        return clusters
            .iter()
            .any(|c| c.key.service() == service && has_revision(c));
    }
    requests.iter().any(|c| {
        matches!(c.key, GroupKey::Http { status, .. } if (200..400).contains(&status))
            && has_revision(c)
    })
}
