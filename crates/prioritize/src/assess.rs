//! Turning a cluster into an assessment: category, priority, score, reasons.

use gardener_fingerprint::Cluster;
use serde::{Deserialize, Serialize};

use crate::judge::judge;
use crate::spread::{active_rate_per_hour, human_duration, spread_reason};
use crate::trend::{classify_trend, since_previous_run, OccurrencesAfter, Trend};
use crate::{Category, Priority, Rules, RunContext, Status};

/// The judgment of one cluster, with the reasons behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// How urgent.
    pub priority: Priority,
    /// What kind of problem.
    pub category: Category,
    /// Orders clusters of equal priority: higher is more pressing.
    pub score: u32,
    /// Why, with the numbers behind it, in the order the rules applied.
    pub reasons: Vec<String>,
    /// Change against the previous run or across revisions, when known.
    pub trend: Option<Trend>,
    /// Whether it is still happening at the end of the log.
    #[serde(default)]
    pub status: Status,
}

/// Assesses clusters with a set of [`Rules`].
///
/// ```
/// use gardener_fingerprint::{Clusterer, Masker, Miner};
/// use gardener_log_model::{Event, LogEntry};
/// use gardener_prioritize::{Category, Prioritizer, Priority, RunContext};
///
/// let raw = r#"{"severity":"WARNING","textPayload":"Container called exit(3)."}"#;
/// let mut clusterer = Clusterer::new(Masker::new());
/// clusterer.push(&Event::from_entry(LogEntry::from_json(raw.as_bytes())?), raw);
/// let clusters = clusterer.finish(&Miner::default()).clusters().to_vec();
/// let context = RunContext::from_clusters(&clusters);
/// let assessment = Prioritizer::default().assess(&clusters[0], &context);
/// // One non-zero exit on one instance is worth a look, not an outage.
/// assert_eq!(assessment.priority, Priority::P2);
/// assert_eq!(assessment.category, Category::UnexpectedExit);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Prioritizer {
    rules: Rules,
}

impl Prioritizer {
    /// A prioritizer with the given rules.
    pub fn new(rules: Rules) -> Prioritizer {
        Prioritizer { rules }
    }

    /// The rules in use.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Judges one cluster.
    pub fn assess(&self, cluster: &Cluster, context: &RunContext) -> Assessment {
        let judgment = judge(&self.rules, cluster, context);
        let mut priority = judgment.priority;
        let mut reasons = vec![judgment.reason];
        let stats = &cluster.stats;

        reasons.push(spread_reason(stats));

        // Routine lines and clients' mistakes do not get worse by repetition.
        let may_escalate = !matches!(
            judgment.category,
            Category::Noise | Category::ClientError | Category::NotFound
        );
        if let Some(rate) = active_rate_per_hour(stats) {
            if may_escalate
                && rate >= self.rules.high_volume_per_hour
                && stats.count >= self.rules.high_volume_min_entries
                && priority > Priority::P1
            {
                priority = priority.raised();
                reasons.push(format!(
                    "raised to {priority}: {rate:.0} entries/hour over its active span is at or above the high-volume threshold of {:.0}/hour",
                    self.rules.high_volume_per_hour
                ));
            }
        }

        let fingerprint = cluster.fingerprint.to_string();
        let in_latest = context.in_latest_revision(cluster);
        // Runs overlap: only occurrences after the previous run's end are news.
        let since = match &context.history {
            Some(history) => history.since_end(stats.count, stats.first_seen, stats.last_seen),
            None => {
                OccurrencesAfter::estimate(stats.count, stats.first_seen, stats.last_seen, None)
            }
        };
        let trend = classify_trend(
            context.history.as_ref(),
            &fingerprint,
            priority,
            in_latest,
            &since,
        );
        let previous = context
            .history
            .as_ref()
            .and_then(|history| history.get(&fingerprint));
        let since_text = since_previous_run(&since);
        match (trend, previous) {
            (Some(Trend::Resolved), _) if in_latest => reasons.push(format!(
                "still resolved: resolved in the previous run, {since_text}"
            )),
            (Some(Trend::Resolved), _) => {
                let latest = context
                    .serving_newest_revisions
                    .get(cluster.key.service())
                    .map_or("", String::as_str);
                reasons.push(format!(
                    "resolved: absent from the latest revision {latest}; verify the fix holds"
                ));
            }
            (Some(Trend::New), _) => reasons.push("new since the previous run".to_owned()),
            (Some(Trend::Escalated), Some(previous)) => {
                reasons.push(format!(
                    "escalated from {} in the previous run: {since_text}",
                    previous.priority
                ));
            }
            (Some(Trend::Regressed), _) => reasons.push(format!(
                "regressed: resolved in the previous run, back in the latest revision: {since_text}"
            )),
            (Some(Trend::Ongoing), Some(previous)) => reasons.push(format!(
                "ongoing: also in the previous run (then {}): {since_text}",
                previous.priority
            )),
            (Some(Trend::Quiet), Some(previous)) => reasons.push(format!(
                "quiet: in the previous run (then {}), {since_text}",
                previous.priority
            )),
            _ => {}
        }

        // New in the latest revision: likely brought by the last deploy.
        let mut freshness = 0;
        if let Some(newest) = context.newest_revisions.get(cluster.key.service()) {
            let revisions = &stats.revisions;
            let only_newest = !revisions.is_empty()
                && !revisions.is_truncated()
                && revisions.values().all(|(name, _)| name == newest);
            if only_newest {
                freshness += 300;
                reasons.push(format!(
                    "new in the latest revision {newest}: likely brought by the last deploy"
                ));
            }
        }
        // Recency: still happening at the end of the log, or quiet for a while.
        let status = Status::of(
            stats.last_seen,
            trend == Some(Trend::Resolved),
            context.first_seen,
            context.last_seen,
        );
        if let (Some(end), Some(start), Some(last)) =
            (context.last_seen, context.first_seen, stats.last_seen)
        {
            let period = (end - start).num_seconds().max(1);
            let quiet = (end - last).num_seconds().max(0);
            if Status::of(
                stats.last_seen,
                false,
                context.first_seen,
                context.last_seen,
            ) == Status::Live
            {
                freshness += 200;
                reasons.push(format!(
                    "still occurring: last seen {} before the end of the log",
                    human_duration(quiet)
                ));
            } else if quiet * 2 > period {
                reasons.push(format!(
                    "quiet for the last {} of the log",
                    human_duration(quiet)
                ));
            }
        }

        let spread =
            (stats.instances.len() as u32).min(50) * 3 + (stats.revisions.len() as u32).min(10) * 5;
        let volume = ((stats.count as f64 + 1.0).log10() * 100.0) as u32;
        let severity = stats.max_severity().index() as u32 * 20;
        // Resolved clusters sort after the active ones of their priority.
        let active = if trend == Some(Trend::Resolved) {
            0
        } else {
            5_000
        };
        let score = (4 - priority.index() as u32) * 10_000
            + active
            + freshness
            + volume.min(900)
            + spread
            + severity;
        Assessment {
            priority,
            category: judgment.category,
            score,
            reasons,
            trend,
            status,
        }
    }
}
