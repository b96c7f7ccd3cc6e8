//! Problems: what the action table lists, one row each. A problem is an
//! incident (a cause and its linked symptoms) or a cluster on its own.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gardener_prioritize::Priority;

use crate::worklog::{Worklog, WorklogCluster};
use gardener_prioritize::Status;

/// One row of the action table and one folded block of details.
#[derive(Debug)]
pub(super) struct Problem<'a> {
    /// 1-based, in the table's order.
    pub(super) number: usize,
    /// Its clusters in worklog order: for an incident, the root cause first.
    pub(super) clusters: Vec<&'a WorklogCluster>,
    /// Whether it is an incident of linked clusters.
    pub(super) incident: bool,
    /// The most urgent priority of its clusters.
    pub(super) priority: Priority,
    /// The liveliest status of its clusters.
    pub(super) status: Status,
    /// The status of each of its clusters, in order.
    pub(super) statuses: Vec<Status>,
}

impl<'a> Problem<'a> {
    /// The cluster that names the problem: the root cause of an incident.
    pub(super) fn lead(&self) -> &'a WorklogCluster {
        self.clusters[0]
    }

    /// Entries of all its clusters.
    pub(super) fn count(&self) -> u64 {
        self.clusters.iter().map(|c| c.count).sum()
    }

    /// The last entry of any of its clusters.
    pub(super) fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.clusters.iter().filter_map(|c| c.last_seen).max()
    }

    /// Its revisions, most entries first.
    pub(super) fn revisions(&self) -> Vec<&'a str> {
        self.places(|c| &c.revisions)
    }

    /// Its services, most entries first.
    pub(super) fn services(&self) -> Vec<&'a str> {
        self.places(|c| &c.services)
    }

    fn places(
        &self,
        values: impl Fn(&'a WorklogCluster) -> &'a Vec<crate::worklog::ValueCount>,
    ) -> Vec<&'a str> {
        let mut counts: BTreeMap<&'a str, u64> = BTreeMap::new();
        for cluster in &self.clusters {
            for value in values(cluster) {
                *counts.entry(value.value.as_str()).or_default() += value.count;
            }
        }
        let mut places: Vec<(&'a str, u64)> = counts.into_iter().collect();
        places.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        places.into_iter().map(|(place, _)| place).collect()
    }
}

/// The worklog's problems, most urgent first (by priority, then status,
/// then the worklog's order, which already ranks by score), and the routine
/// clusters: P4 clusters that belong to no more urgent incident.
pub(super) fn problems(worklog: &Worklog) -> (Vec<Problem<'_>>, Vec<&WorklogCluster>) {
    let mut groups: Vec<Vec<&WorklogCluster>> = Vec::new();
    let mut incident_group: BTreeMap<usize, usize> = BTreeMap::new();
    for cluster in &worklog.clusters {
        match cluster.incident {
            Some(incident) => {
                let next = groups.len();
                let group = *incident_group.entry(incident).or_insert(next);
                if group == next {
                    groups.push(Vec::new());
                }
                groups[group].push(cluster);
            }
            None => groups.push(vec![cluster]),
        }
    }
    let mut problems = Vec::new();
    let mut routine = Vec::new();
    for clusters in groups {
        let statuses: Vec<Status> = clusters.iter().map(|c| worklog.status(c)).collect();
        let priority = clusters
            .iter()
            .map(|c| c.priority)
            .min()
            .unwrap_or(Priority::P4);
        if priority == Priority::P4 {
            routine.extend(clusters);
            continue;
        }
        problems.push(Problem {
            number: 0,
            incident: clusters.len() > 1,
            status: statuses.iter().copied().min().unwrap_or(Status::Live),
            priority,
            statuses,
            clusters,
        });
    }
    // Stable: equal keys keep the worklog's order.
    problems.sort_by_key(|p| (p.priority, p.status));
    for (index, problem) in problems.iter_mut().enumerate() {
        problem.number = index + 1;
    }
    (problems, routine)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worklog::tests_support::{cluster, worklog};

    #[test]
    fn incidents_are_one_problem_led_by_their_first_cluster() {
        let mut root = cluster("root", Priority::P0);
        root.incident = Some(1);
        let mut symptom = cluster("symptom", Priority::P1);
        symptom.incident = Some(1);
        let lone = cluster("lone", Priority::P2);
        let noise = cluster("noise", Priority::P4);
        let worklog = worklog(vec![root, symptom, lone, noise]);
        let (problems, routine) = problems(&worklog);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].lead().title, "root");
        assert!(problems[0].incident);
        assert_eq!(problems[0].clusters.len(), 2);
        assert_eq!(problems[1].lead().title, "lone");
        assert_eq!(problems[1].number, 2);
        assert_eq!(routine.len(), 1);
    }

    #[test]
    fn live_problems_come_before_quiet_ones_of_the_same_priority() {
        let mut quiet = cluster("quiet", Priority::P1);
        quiet.status = Some(Status::Quiet);
        let mut resolved = cluster("resolved", Priority::P1);
        resolved.status = Some(Status::Resolved);
        let mut live = cluster("live", Priority::P1);
        live.status = Some(Status::Live);
        let mut urgent_quiet = cluster("urgent but quiet", Priority::P0);
        urgent_quiet.status = Some(Status::Quiet);
        let worklog = worklog(vec![resolved, quiet, live, urgent_quiet]);
        let (problems, _) = problems(&worklog);
        let titles: Vec<&str> = problems.iter().map(|p| p.lead().title.as_str()).collect();
        assert_eq!(titles, ["urgent but quiet", "live", "quiet", "resolved"]);
    }

    #[test]
    fn an_incident_is_as_urgent_and_as_live_as_its_most_urgent_member() {
        let mut root = cluster("root", Priority::P2);
        root.incident = Some(4);
        root.status = Some(Status::Quiet);
        let mut symptom = cluster("symptom", Priority::P1);
        symptom.incident = Some(4);
        symptom.status = Some(Status::Live);
        let worklog = worklog(vec![root, symptom]);
        let (problems, _) = problems(&worklog);
        assert_eq!(problems[0].priority, Priority::P1);
        assert_eq!(problems[0].status, Status::Live);
        assert_eq!(problems[0].statuses, [Status::Quiet, Status::Live]);
    }
}
