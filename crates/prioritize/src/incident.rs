//! Linking clusters that are one incident: a cause and its symptoms.

use std::collections::BTreeSet;

use gardener_fingerprint::{Cluster, GroupKey};
use serde::{Deserialize, Serialize};

use crate::{Assessment, Category, Priority, Rules};

/// Clusters that happened together on the same instances and share a cause:
/// an ImportError trace, then "Worker failed to boot", then `exit(3)`, then 503s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// Index (in the slice given to [`link_incidents`]) of the root cause.
    pub root: usize,
    /// Indices of all its clusters, root first, then by first occurrence.
    pub members: Vec<usize>,
    /// The most urgent priority among its clusters.
    pub priority: Priority,
    /// Why they were linked, with the numbers.
    pub reason: String,
}

/// How specific a cluster is as a cause: lower is more specific.
fn cause_rank(cluster: &Cluster, category: Category) -> Option<u8> {
    let is_trace = matches!(cluster.key, GroupKey::Exception { .. });
    Some(match category {
        Category::BootFailure if is_trace => 0,
        Category::MemoryLimit => 1,
        Category::DependencyFailure => 2,
        Category::BootFailure => 3,
        Category::CrashLoop => 4,
        Category::ServerError => 5,
        _ => return None,
    })
}

fn is_cause(rank: u8) -> bool {
    rank <= 3
}

fn instances(cluster: &Cluster) -> BTreeSet<&str> {
    cluster
        .stats
        .instances
        .values()
        .map(|(instance, _)| instance)
        .collect()
}

/// Whether two clusters overlap in time (each range widened by the window).
fn overlap_in_time(a: &Cluster, b: &Cluster, window_seconds: i64) -> bool {
    let window = chrono::Duration::seconds(window_seconds);
    match (
        a.stats.first_seen,
        a.stats.last_seen,
        b.stats.first_seen,
        b.stats.last_seen,
    ) {
        (Some(a_first), Some(a_last), Some(b_first), Some(b_last)) => {
            a_first - window <= b_last && b_first - window <= a_last
        }
        _ => false,
    }
}

/// Links the clusters of a run into incidents.
///
/// Only clusters of the failure family (boot failure, crash loop, memory,
/// dependency, 5xx) at P0-P2 take part. They are taken from the most
/// specific cause (a trace) to the least (5xx); each joins the incident of
/// the already-placed cluster it shares the most instances with, provided
/// they share at least `incident_min_shared_share` of the smaller instance set
/// and overlap in time within `incident_window_seconds`. A cluster that joins
/// nothing starts an incident if it can be a cause. Incidents of one cluster
/// are dropped. The result depends only on the clusters, not their order.
pub fn link_incidents(
    clusters: &[Cluster],
    assessments: &[Assessment],
    rules: &Rules,
) -> Vec<Incident> {
    let mut candidates: Vec<(u8, usize)> = clusters
        .iter()
        .zip(assessments)
        .enumerate()
        .filter(|(_, (_, assessment))| assessment.priority <= Priority::P2)
        .filter_map(|(index, (cluster, assessment))| {
            Some((cause_rank(cluster, assessment.category)?, index))
        })
        .collect();
    candidates.sort_by(|&(rank_a, a), &(rank_b, b)| {
        rank_a
            .cmp(&rank_b)
            .then_with(|| {
                clusters[a]
                    .stats
                    .first_seen
                    .cmp(&clusters[b].stats.first_seen)
            })
            .then_with(|| clusters[a].fingerprint.cmp(&clusters[b].fingerprint))
    });

    let instance_sets: Vec<BTreeSet<&str>> = clusters.iter().map(instances).collect();
    let mut incident_of: Vec<Option<usize>> = vec![None; clusters.len()];
    let mut incidents: Vec<(usize, Vec<usize>, usize)> = Vec::new();
    let mut placed: Vec<usize> = Vec::new();
    for &(rank, index) in &candidates {
        let mine = &instance_sets[index];
        let best = placed
            .iter()
            .filter(|&&other| {
                overlap_in_time(
                    &clusters[index],
                    &clusters[other],
                    rules.incident_window_seconds,
                )
            })
            .filter_map(|&other| {
                let theirs = &instance_sets[other];
                let shared = mine.intersection(theirs).count();
                let smaller = mine.len().min(theirs.len());
                let enough =
                    shared > 0 && shared as f64 >= rules.incident_min_shared_share * smaller as f64;
                enough.then_some((shared, other))
            })
            // Most shared instances; among equals, the first placed (most specific).
            .fold(None::<(usize, usize)>, |best, candidate| match best {
                Some((shared, _)) if shared >= candidate.0 => best,
                _ => Some(candidate),
            });
        match best.and_then(|(shared, other)| Some((shared, incident_of[other]?))) {
            Some((shared, incident)) => {
                incidents[incident].1.push(index);
                incidents[incident].2 = incidents[incident].2.max(shared);
                incident_of[index] = Some(incident);
            }
            None if is_cause(rank) => {
                incident_of[index] = Some(incidents.len());
                incidents.push((index, vec![index], 0));
            }
            None => continue,
        }
        placed.push(index);
    }

    incidents
        .into_iter()
        .filter(|(_, members, _)| members.len() > 1)
        .map(|(root, mut members, shared)| {
            members[1..].sort_by(|&a, &b| {
                clusters[a]
                    .stats
                    .first_seen
                    .cmp(&clusters[b].stats.first_seen)
                    .then_with(|| clusters[a].fingerprint.cmp(&clusters[b].fingerprint))
            });
            let priority = members.iter().map(|&m| assessments[m].priority).min().unwrap_or(Priority::P4);
            let entries: u64 = members.iter().map(|&m| clusters[m].stats.count).sum();
            let reason = format!(
                "{} clusters ({entries} entries) on shared instances (up to {shared} in common) within {} s of each other; root cause: {}",
                members.len(),
                rules.incident_window_seconds,
                clusters[root].key.title()
            );
            Incident {
                root,
                members,
                priority,
                reason,
            }
        })
        .collect()
}
