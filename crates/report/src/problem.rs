//! The problems of a worklog that deserve an issue: an incident (a cause and
//! its symptoms) is one problem, any other urgent cluster is one.

use std::collections::BTreeSet;

use gardener_prioritize::Priority;

use crate::github::IssueOptions;
use crate::markers::issue_key;
use crate::worklog::{Worklog, WorklogCluster};

/// The most fingerprints one issue takes from one incident; the rest of a
/// larger incident are problems of their own. Keeps the markers of an issue
/// (about 150 bytes each) well inside a GitHub body.
pub(crate) const MAX_FINGERPRINTS_PER_ISSUE: usize = 100;

/// One problem: its cause and the clusters it covers, cause first.
#[derive(Debug)]
pub(crate) struct Problem<'a> {
    /// The clusters, cause first, then the symptoms in worklog order.
    pub(crate) members: Vec<&'a WorklogCluster>,
}

impl<'a> Problem<'a> {
    /// The cluster that names the problem.
    pub(crate) fn cause(&self) -> &'a WorklogCluster {
        self.members[0]
    }

    /// The most urgent priority among its clusters.
    pub(crate) fn priority(&self) -> Priority {
        self.members
            .iter()
            .map(|member| member.priority)
            .min()
            .unwrap_or(Priority::P4)
    }

    /// Its symptoms: the clusters after the cause.
    pub(crate) fn symptoms(&self) -> &[&'a WorklogCluster] {
        &self.members[1..]
    }
}

/// Whether a cluster gets an issue: urgent enough and not resolved.
pub(crate) fn is_actionable(cluster: &WorklogCluster, options: &IssueOptions) -> bool {
    cluster.priority <= options.up_to && cluster.trend != Some(gardener_prioritize::Trend::Resolved)
}

/// The problems of a worklog, in its order (most urgent first).
///
/// An incident is one problem when its cause (the first of its clusters in
/// the worklog, which lists incidents cause first) gets an issue; it then
/// covers those of its symptoms that get one too. An incident whose cause
/// is resolved is over as far as that cause goes: its symptoms still
/// occurring are problems of their own. Every other cluster at
/// `options.up_to` or more urgent, and not resolved, is a problem. Clusters
/// with the same fingerprint (as markers carry it) count once.
pub(crate) fn problems<'a>(worklog: &'a Worklog, options: &IssueOptions) -> Vec<Problem<'a>> {
    let mut seen = BTreeSet::new();
    let mut handled_incidents = BTreeSet::new();
    let mut problems = Vec::new();
    for cluster in &worklog.clusters {
        let Some(incident) = cluster.incident else {
            if is_actionable(cluster, options) && seen.insert(issue_key(&cluster.fingerprint)) {
                problems.push(Problem {
                    members: vec![cluster],
                });
            }
            continue;
        };
        if !handled_incidents.insert(incident) {
            continue;
        }
        let members = worklog
            .clusters
            .iter()
            .filter(|c| c.incident == Some(incident))
            .filter(|c| is_actionable(c, options))
            .filter(|c| seen.insert(issue_key(&c.fingerprint)));
        let mut members: Vec<&WorklogCluster> = members.collect();
        let cause_is_actionable = members
            .first()
            .is_some_and(|first| std::ptr::eq(*first, cluster));
        if cause_is_actionable {
            let rest = members.split_off(members.len().min(MAX_FINGERPRINTS_PER_ISSUE));
            problems.push(Problem { members });
            problems.extend(rest.into_iter().map(|member| Problem {
                members: vec![member],
            }));
        } else {
            problems.extend(members.into_iter().map(|member| Problem {
                members: vec![member],
            }));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worklog(clusters: &[(&str, Priority, Option<usize>, Option<&str>)]) -> Worklog {
        let clusters: Vec<serde_json::Value> = clusters
            .iter()
            .enumerate()
            .map(|(i, (fingerprint, priority, incident, trend))| {
                serde_json::json!({
                    "rank": i + 1, "fingerprint": fingerprint, "priority": priority,
                    "category": "boot_failure", "score": 0, "title": fingerprint,
                    "kind": "message", "template": fingerprint, "count": 1,
                    "rate_per_hour": 1.0, "first_seen": null, "last_seen": null,
                    "severities": {}, "services": [], "revisions": [], "instances": [],
                    "instance_count": 0, "instances_truncated": false, "call_sites": [],
                    "error_groups": [], "statuses": [], "latency": null, "variables": {},
                    "exception": null, "representative": null, "reasons": [],
                    "next_step": "", "incident": incident, "trend": trend
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "schema_version": 1, "generator": "test", "generated_at": "2025-09-15T00:30:00Z",
            "sources": [], "services": [], "revisions": [], "period": {"start": null, "end": null},
            "input": {"entries_read": 0, "entries_skipped": 0, "entries_clustered": 0,
                      "clusters": clusters.len(), "errors": []},
            "severities": {}, "clusters": clusters
        }))
        .expect("a valid worklog")
    }

    fn grouped(worklog: &Worklog) -> Vec<Vec<&str>> {
        problems(worklog, &IssueOptions::default())
            .iter()
            .map(|p| p.members.iter().map(|m| m.fingerprint.as_str()).collect())
            .collect()
    }

    use Priority::{P0, P1, P2, P3};

    #[test]
    fn an_incident_is_one_problem_named_by_its_cause() {
        let worklog = worklog(&[
            ("v1:cause", P0, Some(1), None),
            ("v1:exit", P0, Some(1), None),
            ("v1:503", P1, Some(1), None),
            ("v1:alone", P2, None, None),
            ("v1:noise", P3, None, None),
        ]);
        assert_eq!(
            grouped(&worklog),
            [vec!["v1:cause", "v1:exit", "v1:503"], vec!["v1:alone"]]
        );
        let problems = problems(&worklog, &IssueOptions::default());
        assert_eq!(problems[0].cause().fingerprint, "v1:cause");
        assert_eq!(problems[0].symptoms().len(), 2);
        assert_eq!(problems[0].priority(), P0);
    }

    #[test]
    fn resolved_clusters_get_nothing() {
        let worklog = worklog(&[
            ("v1:cause", P0, Some(1), None),
            ("v1:gone", P0, Some(1), Some("resolved")),
            ("v1:fixed", P1, None, Some("resolved")),
            ("v1:quiet", P1, None, Some("quiet")),
        ]);
        assert_eq!(grouped(&worklog), [vec!["v1:cause"], vec!["v1:quiet"]]);
    }

    #[test]
    fn symptoms_of_a_resolved_cause_stand_alone() {
        let worklog = worklog(&[
            ("v1:cause", P0, Some(1), Some("resolved")),
            ("v1:exit", P0, Some(1), None),
            ("v1:503", P1, Some(1), None),
        ]);
        assert_eq!(grouped(&worklog), [vec!["v1:exit"], vec!["v1:503"]]);
    }

    #[test]
    fn a_fingerprint_counts_once() {
        let worklog = worklog(&[
            ("v1:same", P0, None, None),
            ("v1:same", P1, Some(2), None),
            ("v1:other", P1, Some(2), None),
        ]);
        assert_eq!(grouped(&worklog), [vec!["v1:same"], vec!["v1:other"]]);
    }

    #[test]
    fn huge_incidents_are_split() {
        let names: Vec<String> = (0..MAX_FINGERPRINTS_PER_ISSUE + 2)
            .map(|i| format!("v1:{i:04}"))
            .collect();
        let clusters: Vec<(&str, Priority, Option<usize>, Option<&str>)> = names
            .iter()
            .map(|name| (name.as_str(), P1, Some(1), None))
            .collect();
        let worklog = worklog(&clusters);
        let groups = grouped(&worklog);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].len(), MAX_FINGERPRINTS_PER_ISSUE);
    }
}
