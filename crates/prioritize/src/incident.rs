//! Linking clusters that are one incident: a cause and its symptoms.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use gardener_fingerprint::{BoundedCounts, Cluster, GroupKey};
use serde::{Deserialize, Serialize};

use crate::{Assessment, Category, Priority, Rules};

/// A cause and the symptoms it plausibly explains: an ImportError trace,
/// then "Worker failed to boot", `exit(3)`, failed startup probes and 503s
/// in the same revision at the same time.
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

/// The part a cluster can play in an incident.
#[derive(Debug, Clone, Copy)]
struct Role {
    /// How specific a cause it is (lower is more specific), if it can be one.
    cause: Option<u8>,
    /// Whether it can be the symptom of a more specific cause.
    symptom: bool,
}

/// Causes are failures that stop a service from starting or serving; symptoms
/// are what such failures look like from outside (5xx, failed probes and
/// checks, exits, the server's own boot lines). Warnings are neither: a
/// degraded cache does not cause an authentication outage.
fn role(cluster: &Cluster, assessment: &Assessment) -> Option<Role> {
    let is_trace = matches!(cluster.key, GroupKey::Exception { .. });
    let is_request = matches!(cluster.key, GroupKey::Http { .. });
    let priority = assessment.priority;
    let (cause, symptom) = match assessment.category {
        Category::BootFailure if is_trace => (Some(0), false),
        Category::Timeout | Category::DependencyFailure
            if priority == Priority::P0 && !is_request =>
        {
            (Some(1), false)
        }
        Category::MemoryLimit => (Some(2), false),
        Category::BootFailure => (Some(3), true),
        Category::Timeout | Category::DependencyFailure if !is_request => (Some(4), false),
        Category::Timeout if is_request => (None, true),
        Category::ServerError
        | Category::Readiness
        | Category::CrashLoop
        | Category::UnexpectedExit => (None, true),
        _ => return None,
    };
    let cause = cause.filter(|_| priority <= Priority::P1);
    let symptom = symptom && priority <= Priority::P2;
    (cause.is_some() || symptom).then_some(Role { cause, symptom })
}

fn names(counts: &BoundedCounts) -> Option<BTreeSet<&str>> {
    (!counts.is_empty() && !counts.is_truncated())
        .then(|| counts.values().map(|(v, _)| v).collect())
}

/// How well a cause explains a symptom, when it plausibly does: seconds of
/// overlap, then shared instances. `None` when they are in different
/// services or revisions, or too far apart in time.
fn affinity(cause: &Cluster, symptom: &Cluster, rules: &Rules) -> Option<(i64, usize)> {
    if cause.key.service() != symptom.key.service() {
        return None;
    }
    let window = chrono::Duration::seconds(rules.incident_window_seconds);
    let span = |c: &Cluster| -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        Some((c.stats.first_seen?, c.stats.last_seen?))
    };
    let ((cause_first, cause_last), (first, last)) = (span(cause)?, span(symptom)?);
    let (from, to) = (cause_first - window, cause_last + window);
    if first > to || last < from {
        return None;
    }
    let overlap = (last.min(to) - first.max(from)).num_seconds();
    let shared_instances = match (
        names(&cause.stats.instances),
        names(&symptom.stats.instances),
    ) {
        (Some(a), Some(b)) => Some((a.intersection(&b).count(), a.len().min(b.len()))),
        _ => None,
    };
    match (
        names(&cause.stats.revisions),
        names(&symptom.stats.revisions),
    ) {
        (Some(a), Some(b)) if a.is_disjoint(&b) => return None,
        (Some(_), Some(_)) => {}
        // Without revisions, sharing instances is the evidence.
        _ => match shared_instances {
            Some((shared, smaller))
                if shared > 0
                    && shared as f64 >= rules.incident_min_shared_share * smaller as f64 => {}
            _ => return None,
        },
    }
    Some((overlap, shared_instances.map_or(0, |(shared, _)| shared)))
}

/// Links the clusters of a run into incidents.
///
/// Every cause (a load error, a startup that fails on a timeout or an
/// unreachable dependency, a memory kill, a failed boot, a failing
/// dependency) at P0-P1 may root an incident. Every symptom (5xx, failed
/// probes and health checks, exits, boot lines) at P0-P2 joins the most
/// specific cause that plausibly explains it: the same service and revision
/// (or, where revisions are unknown, at least `incident_min_shared_share` of
/// the smaller set of instances), time ranges within
/// `incident_window_seconds`; among equals, the cause it overlaps longest
/// in time, then shares most instances with. Symptoms join causes, never
/// other symptoms, so incidents do not grow by chaining, and an incident
/// holds at most `incident_max_members` clusters. Incidents of one cluster
/// are dropped; an incident's priority is its most urgent member's. The
/// result depends only on the clusters, not their order.
pub fn link_incidents(
    clusters: &[Cluster],
    assessments: &[Assessment],
    rules: &Rules,
) -> Vec<Incident> {
    let mut candidates: Vec<(usize, Role)> = clusters
        .iter()
        .zip(assessments)
        .enumerate()
        .filter_map(|(index, (cluster, assessment))| Some((index, role(cluster, assessment)?)))
        .collect();
    candidates.sort_by(|(a, role_a), (b, role_b)| {
        role_a
            .cause
            .unwrap_or(u8::MAX)
            .cmp(&role_b.cause.unwrap_or(u8::MAX))
            .then_with(|| {
                clusters[*a]
                    .stats
                    .first_seen
                    .cmp(&clusters[*b].stats.first_seen)
            })
            .then_with(|| clusters[*a].fingerprint.cmp(&clusters[*b].fingerprint))
    });

    // (root, its cause rank, members)
    let mut incidents: Vec<(usize, u8, Vec<usize>)> = Vec::new();
    for &(index, role) in &candidates {
        if role.symptom {
            let own_rank = role.cause.unwrap_or(u8::MAX);
            let best = incidents
                .iter()
                .enumerate()
                .filter(|(_, (_, rank, members))| {
                    *rank < own_rank && members.len() < rules.incident_max_members
                })
                .filter_map(|(at, (root, _, _))| {
                    Some((affinity(&clusters[*root], &clusters[index], rules)?, at))
                })
                // Longest overlap, most shared instances; among equals the
                // first placed (the most specific cause).
                .fold(
                    None::<((i64, usize), usize)>,
                    |best, candidate| match best {
                        Some((score, _)) if score >= candidate.0 => best,
                        _ => Some(candidate),
                    },
                );
            if let Some((_, at)) = best {
                incidents[at].2.push(index);
                continue;
            }
        }
        if let Some(rank) = role.cause {
            incidents.push((index, rank, vec![index]));
        }
    }

    incidents
        .into_iter()
        .filter(|(_, _, members)| members.len() > 1)
        .map(|(root, _, mut members)| {
            members[1..].sort_by(|&a, &b| {
                clusters[a]
                    .stats
                    .first_seen
                    .cmp(&clusters[b].stats.first_seen)
                    .then_with(|| clusters[a].fingerprint.cmp(&clusters[b].fingerprint))
            });
            let priority = members
                .iter()
                .map(|&m| assessments[m].priority)
                .min()
                .unwrap_or(Priority::P4);
            let entries: u64 = members[1..].iter().map(|&m| clusters[m].stats.count).sum();
            let reason = format!(
                "root cause: {}; {} symptom clusters ({entries} entries) in the same service and revision, within {} s of it",
                clusters[root].key.title(),
                members.len() - 1,
                rules.incident_window_seconds,
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
