//! The `Worklog` value: everything a worklog says, as data.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gardener_fingerprint::{BoundedCounts, Cluster, GroupKey, Kind};
use gardener_log_model::{Exception, Severity};
use gardener_prioritize::{
    Assessment, Assessments, Category, History, PreviousCluster, Priority, Trend,
};
use serde::{Deserialize, Serialize};

use crate::scrub::{redact_variables, scrub_secrets};
use crate::status::status_of;
use crate::title::{
    cut_words, fill_single_values, with_frame, without_log_header, MAX_TITLE_CHARS,
};
use gardener_prioritize::Status;

/// Version of the JSON schema of [`Worklog`]. It changes when a field is
/// removed or changes meaning; added fields keep the version.
///
/// Version 2: `rate_per_hour` is over the cluster's own active span (it was
/// over the whole input), `title` is cut at [`MAX_TITLE_CHARS`] and shows a
/// placeholder's value when it had only one, and clusters are ordered by
/// priority, then [`Status`], then score.
pub const SCHEMA_VERSION: u32 = 2;

/// How many top values of a list are kept in the worklog.
pub const TOP_VALUES: usize = 10;

/// Facts about the run that the caller knows and the clusters do not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInfo {
    /// When the worklog was made (a parameter: the crates read no clock).
    pub generated_at: DateTime<Utc>,
    /// Entries read from the input.
    pub entries_read: u64,
    /// Records skipped as unreadable.
    pub entries_skipped: u64,
    /// The first few read errors, positioned.
    pub errors: Vec<String>,
    /// Where the input came from (file names, `stdin`, `embedded sample`).
    pub sources: Vec<String>,
    /// Entries that were lines of a stack trace logged one line per entry,
    /// re-joined into the entry that starts it (not counted as events).
    pub entries_joined: u64,
    /// What the clustering state folded into its long tail to stay within
    /// its cap on distinct groups.
    pub folded: Folded,
}

/// Entries of groups folded into the clustering state's long tail (see
/// `gardener_fingerprint::ClusterSet`): counted exactly, not clustered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folded {
    /// Groups folded (a group folded twice counts twice).
    pub groups: u64,
    /// Their entries.
    pub entries: u64,
    /// Their entries per severity.
    pub severities: BTreeMap<Severity, u64>,
}

/// A prioritized worklog: the distinct problems of a log export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Worklog {
    /// [`SCHEMA_VERSION`] of this document.
    pub schema_version: u32,
    /// The tool and version that wrote it.
    pub generator: String,
    /// When it was made.
    pub generated_at: DateTime<Utc>,
    /// Where the input came from.
    pub sources: Vec<String>,
    /// Services seen, most entries first.
    pub services: Vec<ValueCount>,
    /// Revisions seen, most recently active first.
    pub revisions: Vec<RevisionSummary>,
    /// First and last timestamp of the input.
    pub period: Period,
    /// What was read.
    pub input: InputSummary,
    /// Entries per severity.
    pub severities: BTreeMap<Severity, u64>,
    /// The clusters, most urgent first: by priority, then [`Status`], then
    /// score; the clusters of an incident together, its root cause first.
    pub clusters: Vec<WorklogCluster>,
    /// Clusters of a previous run that this run did not see again (filled
    /// when the run is compared with a previous worklog; empty otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<ResolvedCluster>,
}

/// A cluster of a previous run that did not occur in this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedCluster {
    /// Its fingerprint (`v1:...`).
    pub fingerprint: String,
    /// Its priority in the previous run.
    pub priority: Priority,
    /// Its category in the previous run.
    pub category: Category,
    /// Its title in the previous run.
    pub title: String,
    /// Its entries in the previous run.
    pub count: u64,
    /// Its last entry in the previous run.
    pub last_seen: Option<DateTime<Utc>>,
}

/// A value and how often it occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The value.
    pub value: String,
    /// Occurrences.
    pub count: u64,
}

/// A revision and when it was active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionSummary {
    /// Revision name.
    pub name: String,
    /// Entries from it.
    pub entries: u64,
    /// Its first entry.
    pub first_seen: Option<DateTime<Utc>>,
    /// Its last entry.
    pub last_seen: Option<DateTime<Utc>>,
}

/// The time span of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Period {
    /// Earliest entry.
    pub start: Option<DateTime<Utc>>,
    /// Latest entry.
    pub end: Option<DateTime<Utc>>,
}

/// Counts of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSummary {
    /// Entries read.
    pub entries_read: u64,
    /// Records skipped as unreadable.
    pub entries_skipped: u64,
    /// Entries in clusters (a re-joined stack trace counts once).
    pub entries_clustered: u64,
    /// Entries read that were lines of a stack trace logged one line per
    /// entry, re-joined into the entry that starts it: entries read minus
    /// entries clustered.
    #[serde(default)]
    pub entries_joined: u64,
    /// Entries of rare groups folded into one long tail to bound memory, and
    /// their severities (empty when nothing was folded).
    #[serde(default, skip_serializing_if = "Folded::is_empty")]
    pub folded: Folded,
    /// Number of clusters.
    pub clusters: usize,
    /// The first few read errors.
    pub errors: Vec<String>,
}

/// One cluster as the worklog presents it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorklogCluster {
    /// 1-based position in the worklog.
    pub rank: usize,
    /// Stable id (`v1:...`), the key for issue tracking.
    pub fingerprint: String,
    /// Priority.
    pub priority: Priority,
    /// Category.
    pub category: Category,
    /// Score within the priority.
    pub score: u32,
    /// One-line title, at most [`MAX_TITLE_CHARS`] characters, cut at a word.
    pub title: String,
    /// `exception`, `http` or `message`.
    pub kind: String,
    /// The masked template (for exceptions: type and frames).
    pub template: String,
    /// Entries.
    pub count: u64,
    /// Entries per hour over the cluster's active span (first to last
    /// entry), counted as at least one hour, to three significant digits.
    pub rate_per_hour: f64,
    /// First entry.
    pub first_seen: Option<DateTime<Utc>>,
    /// Last entry.
    pub last_seen: Option<DateTime<Utc>>,
    /// Entries per severity.
    pub severities: BTreeMap<Severity, u64>,
    /// Services.
    pub services: Vec<ValueCount>,
    /// Revisions.
    pub revisions: Vec<ValueCount>,
    /// Instances (top values) and how many distinct were kept.
    pub instances: Vec<ValueCount>,
    /// Distinct instances counted (a lower bound when `instances_truncated`).
    pub instance_count: usize,
    /// Whether there were more distinct instances than kept.
    pub instances_truncated: bool,
    /// Call sites, `module:function:line`.
    pub call_sites: Vec<ValueCount>,
    /// Error Reporting group ids.
    pub error_groups: Vec<ValueCount>,
    /// HTTP statuses.
    pub statuses: Vec<ValueCount>,
    /// Request latency, seconds.
    pub latency: Option<LatencySummary>,
    /// Variable values of the template, per placeholder kind.
    pub variables: BTreeMap<String, Vec<ValueCount>>,
    /// The exception of the representative entry.
    pub exception: Option<ExceptionSummary>,
    /// The representative entry.
    pub representative: Option<RepresentativeEntry>,
    /// Why this priority.
    pub reasons: Vec<String>,
    /// What to do first.
    pub next_step: String,
    /// How the cluster changed: `new`, `ongoing`, `escalated` or `regressed`
    /// against a previous run, `resolved` when it is absent from its
    /// service's latest revision (or gone since the previous run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
    /// The incident the cluster belongs to, when clusters were grouped by
    /// cause: clusters with the same number are symptoms of one incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<usize>,
    /// How it stands at the end of the log; [`Worklog::build`] always sets
    /// it, a worklog written before schema 2 lacks it (see [`Worklog::status`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

impl WorklogCluster {
    fn for_each_text_mut(&mut self, f: &mut impl FnMut(&mut String)) {
        f(&mut self.fingerprint);
        f(&mut self.title);
        f(&mut self.kind);
        f(&mut self.template);
        for list in [
            &mut self.services,
            &mut self.revisions,
            &mut self.instances,
            &mut self.call_sites,
            &mut self.error_groups,
            &mut self.statuses,
        ] {
            values_mut(list, f);
        }
        let variables = std::mem::take(&mut self.variables);
        for (mut kind, mut values) in variables {
            f(&mut kind);
            values_mut(&mut values, f);
            self.variables.entry(kind).or_default().extend(values);
        }
        if let Some(exception) = &mut self.exception {
            f(&mut exception.kind);
            f(&mut exception.message);
            exception.frames.iter_mut().for_each(&mut *f);
        }
        if let Some(representative) = &mut self.representative {
            f(&mut representative.insert_id);
            f(&mut representative.json);
        }
        self.reasons.iter_mut().for_each(&mut *f);
        f(&mut self.next_step);
    }
}

fn values_mut(values: &mut [ValueCount], f: &mut impl FnMut(&mut String)) {
    for value in values {
        f(&mut value.value);
    }
}

/// Latency figures of a cluster's requests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Fastest, seconds.
    pub min_seconds: f64,
    /// Mean, seconds.
    pub mean_seconds: f64,
    /// Slowest, seconds.
    pub max_seconds: f64,
}

/// The exception of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionSummary {
    /// Exception type.
    pub kind: String,
    /// Message (scrubbed).
    pub message: String,
    /// Frames, innermost first: `file:line in function`.
    pub frames: Vec<String>,
}

/// The entry standing for a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepresentativeEntry {
    /// Its insertId.
    pub insert_id: String,
    /// Its time.
    pub timestamp: Option<DateTime<Utc>>,
    /// The entry's JSON, pretty-printed and scrubbed of secrets.
    pub json: String,
}

fn top(counts: &BoundedCounts) -> Vec<ValueCount> {
    counts
        .top()
        .into_iter()
        .take(TOP_VALUES)
        .map(|(value, count)| ValueCount {
            value: scrub_secrets(value).into_owned(),
            count,
        })
        .collect()
}

impl Folded {
    /// Whether nothing was folded.
    pub fn is_empty(&self) -> bool {
        self.groups == 0 && self.entries == 0
    }
}

impl Worklog {
    /// Assembles a worklog from the clusters of a run and their
    /// [`Assessments`] (see `gardener_prioritize::Prioritizer::assess_all`).
    ///
    /// Clusters are listed in the assessments' order: most urgent first, the
    /// clusters of an incident together, cause first; they carry the
    /// incident's number. Every text that came from a log is scrubbed of
    /// secrets. Nothing is parsed again: the representative's exception is
    /// the one read with it.
    pub fn build(clusters: &[Cluster], assessments: &Assessments, run: &RunInfo) -> Worklog {
        let context = &assessments.run;
        let period = Period {
            start: context.first_seen,
            end: context.last_seen,
        };
        let per_cluster = &assessments.per_cluster;
        let count = clusters.len().min(per_cluster.len());
        let order: Vec<usize> = assessments
            .order
            .iter()
            .copied()
            .filter(|&index| index < count)
            .collect();
        // Incidents are numbered in the order they appear.
        let mut incident_number: BTreeMap<usize, usize> = BTreeMap::new();
        for &index in &order {
            if let Some((incident, _)) = assessments.incident_of(index) {
                let next = incident_number.len() + 1;
                incident_number.entry(incident).or_insert(next);
            }
        }

        let mut services = BoundedCounts::new(usize::MAX);
        let mut severities: BTreeMap<Severity, u64> = BTreeMap::new();
        let mut revisions: BTreeMap<String, RevisionSummary> = BTreeMap::new();
        for cluster in clusters {
            services.merge(&cluster.stats.services);
            for (severity, n) in &cluster.stats.severities {
                *severities.entry(*severity).or_default() += n;
            }
            for (name, n) in cluster.stats.revisions.values() {
                let summary = revisions
                    .entry(name.to_owned())
                    .or_insert_with(|| RevisionSummary {
                        name: name.to_owned(),
                        entries: 0,
                        first_seen: None,
                        last_seen: None,
                    });
                summary.entries += n;
                summary.first_seen = match (summary.first_seen, cluster.stats.first_seen) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                summary.last_seen = summary.last_seen.max(cluster.stats.last_seen);
            }
        }
        let mut revisions: Vec<RevisionSummary> = revisions.into_values().collect();
        revisions.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then_with(|| b.name.cmp(&a.name))
        });

        let worklog_clusters: Vec<WorklogCluster> = order
            .iter()
            .enumerate()
            .map(|(rank, &index)| {
                let mut entry = cluster_entry(rank + 1, &clusters[index], &per_cluster[index]);
                entry.incident = assessments
                    .incident_of(index)
                    .and_then(|(incident, _)| incident_number.get(&incident).copied());
                entry.status = Some(per_cluster[index].status);
                entry
            })
            .collect();
        let entries_clustered: u64 = clusters.iter().map(|c| c.stats.count).sum();
        Worklog {
            schema_version: SCHEMA_VERSION,
            generator: format!("log-gardener {}", env!("CARGO_PKG_VERSION")),
            generated_at: run.generated_at,
            sources: run.sources.clone(),
            services: top(&services),
            revisions,
            period,
            input: InputSummary {
                entries_read: run.entries_read,
                entries_skipped: run.entries_skipped,
                entries_clustered,
                entries_joined: run.entries_joined,
                folded: run.folded.clone(),
                clusters: clusters.len(),
                errors: run.errors.clone(),
            },
            severities,
            clusters: worklog_clusters,
            resolved: Vec::new(),
        }
    }

    /// Lists the clusters of `previous` (an earlier run's worklog) that are
    /// not resolved there and were not seen in this run: they are resolved.
    pub fn with_resolved_since(mut self, previous: &Worklog) -> Worklog {
        self.resolved = previous
            .clusters
            .iter()
            .filter(|old| old.trend != Some(Trend::Resolved))
            .filter(|old| {
                !self
                    .clusters
                    .iter()
                    .any(|c| c.fingerprint == old.fingerprint)
            })
            .map(|old| ResolvedCluster {
                fingerprint: old.fingerprint.clone(),
                priority: old.priority,
                category: old.category,
                title: old.title.clone(),
                count: old.count,
                last_seen: old.last_seen,
            })
            .collect();
        self
    }

    /// What this worklog says about each cluster (those it lists as
    /// resolved too), as the history a later run compares itself with; it
    /// ends at this run's newest entry, so that only later occurrences are news.
    pub fn history(&self) -> History {
        let present = self.clusters.iter().map(|cluster| PreviousCluster {
            fingerprint: cluster.fingerprint.clone(),
            title: cluster.title.clone(),
            priority: cluster.priority,
            resolved: cluster.trend == Some(Trend::Resolved),
        });
        let gone = self.resolved.iter().map(|cluster| PreviousCluster {
            fingerprint: cluster.fingerprint.clone(),
            title: cluster.title.clone(),
            priority: cluster.priority,
            resolved: true,
        });
        History::new(gone.chain(present)).ending_at(self.period.end)
    }

    /// How `cluster` stands at the end of this worklog's log: its
    /// [`status`](WorklogCluster::status), or for a worklog written before
    /// schema 2, the status its last entry and trend give.
    pub fn status(&self, cluster: &WorklogCluster) -> Status {
        cluster
            .status
            .unwrap_or_else(|| status_of(cluster.last_seen, cluster.trend, self.period))
    }

    /// Clusters at `priority`.
    pub fn clusters_at(&self, priority: Priority) -> impl Iterator<Item = &WorklogCluster> {
        self.clusters.iter().filter(move |c| c.priority == priority)
    }

    /// The worklog as pretty-printed JSON, scrubbed of secrets.
    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string_pretty(&self.scrubbed()).unwrap_or_default()
    }

    /// A copy with every text scrubbed of secrets ([`scrub_secrets`]).
    ///
    /// [`build`](Worklog::build) already scrubs what it takes from the logs;
    /// the renderers scrub again, because a worklog may also come from a file
    /// or from other code. Scrubbing twice changes nothing.
    pub fn scrubbed(&self) -> Worklog {
        let mut worklog = self.clone();
        for cluster in &mut worklog.clusters {
            redact_variables(&cluster.template, &mut cluster.variables);
        }
        worklog.for_each_text_mut(|text| {
            if let Cow::Owned(scrubbed) = scrub_secrets(text) {
                *text = scrubbed;
            }
        });
        worklog
    }

    /// Calls `f` on every text of the worklog: names, titles, templates,
    /// values, map keys, reasons, the representative entry, errors.
    ///
    /// Map keys that become equal are merged.
    pub fn for_each_text_mut(&mut self, mut f: impl FnMut(&mut String)) {
        let f = &mut f;
        f(&mut self.generator);
        self.sources.iter_mut().for_each(&mut *f);
        values_mut(&mut self.services, f);
        for revision in &mut self.revisions {
            f(&mut revision.name);
        }
        self.input.errors.iter_mut().for_each(&mut *f);
        for cluster in &mut self.clusters {
            cluster.for_each_text_mut(f);
        }
        for resolved in &mut self.resolved {
            f(&mut resolved.fingerprint);
            f(&mut resolved.title);
        }
    }

    /// Reads a worklog written by [`to_json`](Worklog::to_json).
    pub fn from_json(json: &str) -> Result<Worklog, serde_json::Error> {
        serde_json::from_str(json)
    }
}

/// Entries per hour over a span of at least an hour, to three significant
/// digits: a burst of two entries within a second is "2 in an hour", not
/// 7,200 an hour, and no rate rounds to zero.
fn rate_per_hour(
    count: u64,
    first_seen: Option<DateTime<Utc>>,
    last_seen: Option<DateTime<Utc>>,
) -> f64 {
    let hours = match (first_seen, last_seen) {
        (Some(first), Some(last)) => (last - first).num_milliseconds() as f64 / 3.6e6,
        _ => 0.0,
    };
    let rate = count as f64 / hours.max(1.0);
    if rate <= 0.0 || !rate.is_finite() {
        return rate.max(0.0);
    }
    let scale = 10f64.powi(2 - rate.log10().floor() as i32);
    (rate * scale).round() / scale
}

/// The cluster's title: the exception and its message (with the innermost
/// frame when it fits), or the template with single-valued placeholders
/// filled in; scrubbed, then cut at a word, never blank.
fn title_of(
    cluster: &Cluster,
    exception: Option<&ExceptionSummary>,
    variables: &BTreeMap<String, Vec<ValueCount>>,
) -> String {
    let first_line = |text: &str| -> String {
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let title = match (&cluster.key, exception) {
        (GroupKey::Exception { frames, .. }, Some(exception)) => {
            // The representative's message says what the type and frames alone do not.
            let message = first_line(&exception.message);
            let head = if message.is_empty() {
                exception.kind.clone()
            } else {
                format!("{}: {message}", exception.kind)
            };
            with_frame(&scrub_secrets(&head), frames.first().map(String::as_str))
        }
        (GroupKey::Message { template, .. }, _) => {
            let values = &cluster.stats.values;
            let filled = fill_single_values(without_log_header(template), variables, |name| {
                Kind::from_name(name)
                    .and_then(|kind| values.get(&kind))
                    .is_some_and(|counts| counts.len() == 1 && !counts.is_truncated())
            });
            cut_words(&scrub_secrets(&first_line(&filled)), MAX_TITLE_CHARS)
        }
        _ => cut_words(
            &scrub_secrets(&first_line(&cluster.key.title())),
            MAX_TITLE_CHARS,
        ),
    };
    if title.is_empty() {
        "(an entry without a message)".to_owned()
    } else {
        title
    }
}

fn cluster_entry(rank: usize, cluster: &Cluster, assessment: &Assessment) -> WorklogCluster {
    let stats = &cluster.stats;
    let (kind, template) = match &cluster.key {
        GroupKey::Exception {
            exception,
            frames,
            message,
            ..
        } => {
            let mut template = exception.clone();
            if !message.is_empty() {
                template.push_str(": ");
                template.push_str(message);
            }
            for frame in frames {
                template.push_str("\n  at ");
                template.push_str(frame);
            }
            ("exception", template)
        }
        GroupKey::Http {
            method,
            path,
            status,
            ..
        } => ("http", format!("{method} {path} {status}")),
        GroupKey::Message { template, .. } => ("message", template.clone()),
    };
    let mut variables: BTreeMap<String, Vec<ValueCount>> = stats
        .values
        .iter()
        .map(|(kind, counts)| (kind.name().to_owned(), top(counts)))
        .collect();
    // Before the template is scrubbed: its text around a placeholder tells
    // whether the values are secrets.
    redact_variables(&template, &mut variables);
    let representative = stats
        .representative
        .as_ref()
        .map(|rep| RepresentativeEntry {
            insert_id: rep.insert_id.clone(),
            timestamp: rep.timestamp,
            json: scrub_secrets(&pretty_json(&rep.raw, rep.truncated)).into_owned(),
        });
    let exception = stats
        .representative
        .as_ref()
        .and_then(|rep| rep.exception.as_ref())
        .map(exception_summary);
    let latency = (stats.latency.count > 0).then(|| LatencySummary {
        min_seconds: stats.latency.min_seconds().unwrap_or_default(),
        mean_seconds: stats.latency.mean_seconds().unwrap_or_default(),
        max_seconds: stats.latency.max_seconds().unwrap_or_default(),
    });
    let title = title_of(cluster, exception.as_ref(), &variables);
    WorklogCluster {
        rank,
        fingerprint: cluster.fingerprint.to_string(),
        priority: assessment.priority,
        category: assessment.category,
        score: assessment.score,
        title,
        kind: kind.to_owned(),
        template: scrub_secrets(&template).into_owned(),
        count: stats.count,
        rate_per_hour: rate_per_hour(stats.count, stats.first_seen, stats.last_seen),
        first_seen: stats.first_seen,
        last_seen: stats.last_seen,
        severities: stats.severities.clone(),
        services: top(&stats.services),
        revisions: top(&stats.revisions),
        instances: top(&stats.instances),
        instance_count: stats.instances.len(),
        instances_truncated: stats.instances.is_truncated(),
        call_sites: top(&stats.call_sites),
        error_groups: top(&stats.error_groups),
        statuses: top(&stats.statuses),
        latency,
        variables,
        exception,
        representative,
        reasons: assessment
            .reasons
            .iter()
            .map(|r| scrub_secrets(r).into_owned())
            .collect(),
        next_step: assessment.category.next_step().to_owned(),
        trend: assessment.trend,
        incident: None,
        status: None,
    }
}

/// Re-indents an entry's JSON for display; leaves it as is if it is not
/// valid JSON (for example when it was cut at the size cap).
fn pretty_json(raw: &str, truncated: bool) -> String {
    let pretty = serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok());
    match pretty {
        Some(pretty) => pretty,
        None if truncated => format!("{raw}\n… (entry cut at {} bytes)", raw.len()),
        None => raw.to_owned(),
    }
}

fn exception_summary(exception: &Exception) -> ExceptionSummary {
    ExceptionSummary {
        kind: exception.kind.clone(),
        message: scrub_secrets(&exception.message).into_owned(),
        frames: exception
            .frames
            .iter()
            .rev()
            .map(|frame| {
                let mut text = frame
                    .file
                    .clone()
                    .or_else(|| frame.module.clone())
                    .unwrap_or_default();
                if let Some(line) = frame.line {
                    text.push_str(&format!(":{line}"));
                }
                if let Some(function) = &frame.function {
                    text.push_str(&format!(" in {function}"));
                }
                text
            })
            .collect(),
    }
}

/// Small worklogs for the unit tests of the renderers.
#[cfg(test)]
pub(crate) mod tests_support {
    use chrono::TimeZone;

    use super::*;

    /// A cluster with `title`, at `priority`, with one entry per minute from
    /// 22:00 to 22:09 on one instance of one revision.
    pub(crate) fn cluster(title: &str, priority: Priority) -> WorklogCluster {
        let at = |m| Some(Utc.with_ymd_and_hms(2025, 9, 14, 22, m, 0).unwrap());
        let one = |value: &str, count| ValueCount {
            value: value.to_owned(),
            count,
        };
        WorklogCluster {
            rank: 0,
            fingerprint: format!(
                "v1:{:016x}",
                title.len() as u64 * 7919 + priority.index() as u64
            ),
            priority,
            category: Category::Warning,
            score: 0,
            title: title.to_owned(),
            kind: "message".to_owned(),
            template: title.to_owned(),
            count: 10,
            rate_per_hour: 10.0,
            first_seen: at(0),
            last_seen: at(9),
            severities: BTreeMap::from([(Severity::Warning, 10)]),
            services: vec![one("api", 10)],
            revisions: vec![one("api-00002-abc", 10)],
            instances: vec![one("0069c7a9888dd96e7920c279c66678eb", 10)],
            instance_count: 1,
            instances_truncated: false,
            call_sites: Vec::new(),
            error_groups: Vec::new(),
            statuses: Vec::new(),
            latency: None,
            variables: BTreeMap::new(),
            exception: None,
            representative: None,
            reasons: vec!["a reason".to_owned()],
            next_step: "Look into it.".to_owned(),
            trend: None,
            incident: None,
            status: Some(Status::Live),
        }
    }

    /// A worklog of `clusters`, ranked in the order given, over 22:00-22:09.
    pub(crate) fn worklog(mut clusters: Vec<WorklogCluster>) -> Worklog {
        for (index, cluster) in clusters.iter_mut().enumerate() {
            cluster.rank = index + 1;
        }
        let at = |m| Some(Utc.with_ymd_and_hms(2025, 9, 14, 22, m, 0).unwrap());
        Worklog {
            schema_version: SCHEMA_VERSION,
            generator: "log-gardener test".to_owned(),
            generated_at: Utc.with_ymd_and_hms(2025, 9, 14, 23, 0, 0).unwrap(),
            sources: vec!["test".to_owned()],
            services: vec![ValueCount {
                value: "api".to_owned(),
                count: clusters.iter().map(|c| c.count).sum(),
            }],
            revisions: Vec::new(),
            period: Period {
                start: at(0),
                end: at(9),
            },
            input: InputSummary {
                entries_read: clusters.iter().map(|c| c.count).sum(),
                entries_skipped: 0,
                entries_clustered: clusters.iter().map(|c| c.count).sum(),
                entries_joined: 0,
                folded: Folded::default(),
                clusters: clusters.len(),
                errors: Vec::new(),
            },
            severities: BTreeMap::new(),
            clusters,
            resolved: Vec::new(),
        }
    }
}
