//! `Prioritizer::assess_all`: the third stage's whole result in one value.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use gardener_fingerprint::Cluster;

use crate::{
    link_incidents, Assessment, History, Incident, Prioritizer, Priority, RunContext, Status,
};

/// The judgment of a whole run: one [`Assessment`] per cluster, the
/// [`Incident`]s that link them, the run's facts, and the one order in which
/// everything downstream lists the clusters.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Assessments {
    /// Per cluster, in the order of the clusters given to
    /// [`Prioritizer::assess_all`].
    pub per_cluster: Vec<Assessment>,
    /// Clusters that are one problem: a cause and its symptoms.
    pub incidents: Vec<Incident>,
    /// Facts about the whole run the clusters were judged against.
    pub run: RunContext,
    /// Cluster indices, most urgent first: by priority, then status (live
    /// before quiet before resolved), then score; the clusters of an
    /// incident together, placed by its most urgent member, cause first.
    pub order: Vec<usize>,
}

impl Assessments {
    /// Judgments made elsewhere (one per cluster, same order) with their
    /// incidents, ranked: what [`Prioritizer::assess_all`] returns for its
    /// own judgments.
    pub fn new(
        clusters: &[Cluster],
        per_cluster: Vec<Assessment>,
        incidents: Vec<Incident>,
    ) -> Assessments {
        let order = rank(clusters, &per_cluster, &incidents);
        Assessments {
            per_cluster,
            incidents,
            run: RunContext::from_clusters(clusters),
            order,
        }
    }

    /// The assessment of the cluster at `index`.
    pub fn get(&self, index: usize) -> Option<&Assessment> {
        self.per_cluster.get(index)
    }

    /// The incident the cluster at `index` belongs to, with its position in
    /// [`incidents`](Assessments::incidents).
    pub fn incident_of(&self, index: usize) -> Option<(usize, &Incident)> {
        self.incidents
            .iter()
            .enumerate()
            .find(|(_, incident)| incident.members.contains(&index))
    }
}

impl Prioritizer {
    /// Judges every cluster of a run, links incidents and ranks the result:
    /// the whole third stage. `history` is the previous run's, for trends.
    ///
    /// ```
    /// use gardener_fingerprint::{Clusterer, Masker, Miner};
    /// use gardener_log_model::{Event, LogEntry};
    /// use gardener_prioritize::{Prioritizer, Priority};
    ///
    /// let mut clusterer = Clusterer::new(Masker::new());
    /// for raw in [
    ///     r#"{"severity":"INFO","textPayload":"Request handled"}"#,
    ///     r#"{"severity":"CRITICAL","textPayload":"Traceback (most recent call last):\n  File \"/app/main.py\", line 1, in <module>\n    import db\nModuleNotFoundError: No module named 'db'"}"#,
    /// ] {
    ///     clusterer.push(&Event::from_entry(LogEntry::from_json(raw.as_bytes())?), raw);
    /// }
    /// let clusters = clusterer.finish(&Miner::default());
    /// let assessments = Prioritizer::default().assess_all(clusters.clusters(), None);
    /// let most_urgent = assessments.order[0];
    /// assert_eq!(assessments.per_cluster[most_urgent].priority, Priority::P0);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn assess_all(&self, clusters: &[Cluster], history: Option<History>) -> Assessments {
        let mut run = RunContext::from_clusters(clusters);
        if let Some(history) = history {
            run = run.with_history(history);
        }
        let per_cluster: Vec<Assessment> = clusters
            .iter()
            .map(|cluster| self.assess(cluster, &run))
            .collect();
        let incidents = link_incidents(clusters, &per_cluster, self.rules());
        Assessments {
            order: rank(clusters, &per_cluster, &incidents),
            per_cluster,
            incidents,
            run,
        }
    }
}

/// Most urgent first: priority, then status, then score; an incident's
/// clusters together, placed by its most urgent member, its cause first. Ties fall to count, then fingerprint, so
/// the order is total and the same on every run.
fn rank(clusters: &[Cluster], assessments: &[Assessment], incidents: &[Incident]) -> Vec<usize> {
    let count = clusters.len().min(assessments.len());
    // Each cluster's group: its incident's cause, or itself.
    let mut group_of: Vec<usize> = (0..count).collect();
    let mut is_cause = vec![true; count];
    for incident in incidents {
        for &member in incident.members.iter().filter(|&&m| m < count) {
            group_of[member] = incident.root;
            is_cause[member] = member == incident.root;
        }
    }
    let mut group_rank: BTreeMap<usize, (Priority, Status, Reverse<u32>)> = BTreeMap::new();
    for (index, &group) in group_of.iter().enumerate() {
        let assessment = &assessments[index];
        let rank = (
            assessment.priority,
            assessment.status,
            Reverse(assessment.score),
        );
        let slot = group_rank.entry(group).or_insert(rank);
        *slot = (*slot).min(rank);
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| {
        let (ga, gb) = (group_of[a], group_of[b]);
        let (aa, ab) = (&assessments[a], &assessments[b]);
        group_rank[&ga]
            .cmp(&group_rank[&gb])
            .then_with(|| clusters[ga].fingerprint.cmp(&clusters[gb].fingerprint))
            .then_with(|| is_cause[b].cmp(&is_cause[a]))
            .then_with(|| aa.priority.cmp(&ab.priority))
            .then_with(|| aa.status.cmp(&ab.status))
            .then_with(|| ab.score.cmp(&aa.score))
            .then_with(|| clusters[b].stats.count.cmp(&clusters[a].stats.count))
            .then_with(|| clusters[a].fingerprint.cmp(&clusters[b].fingerprint))
    });
    order
}
