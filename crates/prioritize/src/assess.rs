//! Turning a cluster into an assessment: category, priority, score, reasons.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gardener_fingerprint::{Cluster, GroupKey, Kind};
use gardener_log_model::Severity;
use serde::{Deserialize, Serialize};

use crate::trend::{classify_trend, since_previous_run, History, OccurrencesAfter, Trend};
use crate::{Category, Priority, Rules};

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
}

/// Facts about the whole run that single clusters are judged against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunContext {
    /// Requests per (service, method, path) over all statuses.
    pub endpoint_requests: BTreeMap<(String, String, String), u64>,
    /// Earliest timestamp of the run.
    pub first_seen: Option<DateTime<Utc>>,
    /// Latest timestamp of the run.
    pub last_seen: Option<DateTime<Utc>>,
    /// The latest revision of each service that has several in the run,
    /// when that revision has shown it serves (see [`RunContext::in_latest_revision`]).
    pub latest_revisions: BTreeMap<String, String>,
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
        context.newest_revisions = latest_revisions(clusters);
        context.latest_revisions = context
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
        let Some(latest) = self.latest_revisions.get(cluster.key.service()) else {
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
fn latest_revisions(clusters: &[Cluster]) -> BTreeMap<String, String> {
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

/// Assesses clusters with a set of [`Rules`].
///
/// ```
/// use gardener_fingerprint::{ClusterSet, GroupKey, Masker, Miner};
/// use gardener_log_model::{Event, LogEntry};
/// use gardener_prioritize::{Category, Prioritizer, Priority, RunContext};
///
/// let raw = r#"{"severity":"WARNING","textPayload":"Container called exit(3)."}"#;
/// let event = Event::from_entry(LogEntry::from_json(raw.as_bytes())?);
/// let mut set = ClusterSet::new();
/// let mut values = Vec::new();
/// let key = gardener_fingerprint::KeyScratch::default().key_for_event(&Masker::new(), &event, &mut values);
/// set.observe(key, &event, raw, &values);
/// let clusters = set.cluster(&Miner::default()).into_clusters();
/// let context = RunContext::from_clusters(&clusters);
/// let assessment = Prioritizer::default().assess(&clusters[0], &context);
/// assert_eq!(assessment.priority, Priority::P0);
/// assert_eq!(assessment.category, Category::BootFailure);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Prioritizer {
    rules: Rules,
}

struct Judgment {
    category: Category,
    priority: Priority,
    reason: String,
}

fn judged(category: Category, priority: Priority, reason: impl Into<String>) -> Judgment {
    Judgment {
        category,
        priority,
        reason: reason.into(),
    }
}

/// The first phrase of `phrases` found in `text` (both compared lower-case).
fn find_phrase<'p>(text: &str, phrases: &'p [String]) -> Option<&'p str> {
    phrases
        .iter()
        .find(|phrase| text.contains(&phrase.to_lowercase()))
        .map(String::as_str)
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
        let judgment = self.categorize(cluster, context);
        let mut priority = judgment.priority;
        let mut reasons = vec![judgment.reason];
        let stats = &cluster.stats;

        let rate = stats.count as f64 / context.hours();
        reasons.push(spread_reason(cluster, rate));

        let may_escalate = !matches!(judgment.category, Category::Noise | Category::ClientError);
        if may_escalate
            && rate >= self.rules.high_volume_per_hour
            && stats.count >= self.rules.high_volume_min_entries
            && priority > Priority::P1
        {
            priority = priority.raised();
            reasons.push(format!(
                "raised to {priority}: {rate:.0} entries/hour is at or above the high-volume threshold of {:.0}/hour",
                self.rules.high_volume_per_hour
            ));
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
                    .latest_revisions
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
        if let (Some(end), Some(start), Some(last)) =
            (context.last_seen, context.first_seen, stats.last_seen)
        {
            let period = (end - start).num_seconds().max(1);
            let quiet = (end - last).num_seconds().max(0);
            if quiet * 10 <= period || quiet <= 300 {
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
        }
    }

    fn categorize(&self, cluster: &Cluster, context: &RunContext) -> Judgment {
        let rules = &self.rules;
        let stats = &cluster.stats;
        let title = cluster.key.title();
        let call_site = stats
            .call_sites
            .top()
            .first()
            .map(|(site, _)| (*site).to_owned())
            .unwrap_or_default();
        let text = format!("{title} {call_site}").to_lowercase();
        // A stack trace on stderr often has no severity: an exception is an
        // error, a `...Warning` (Python's warnings module) a warning.
        let severity = match &cluster.key {
            GroupKey::Exception { exception, .. } if stats.max_severity() < Severity::Warning => {
                if exception.ends_with("Warning") {
                    Severity::Warning
                } else {
                    Severity::Error
                }
            }
            _ => stats.max_severity(),
        };
        let logged_without_severity = severity > stats.max_severity();

        if let GroupKey::Http {
            service,
            method,
            path,
            status,
        } = &cluster.key
        {
            return self.categorize_request(cluster, context, (service, method, path), *status);
        }

        if let GroupKey::Exception {
            exception, frames, ..
        } = &cluster.key
        {
            let short = exception.rsplit(['.', '$']).next().unwrap_or(exception);
            if rules
                .boot_failure_exceptions
                .iter()
                .any(|kind| kind == short || kind == exception)
            {
                let at_import = frames.iter().any(|frame| frame.ends_with(":<module>"));
                let detail = if at_import {
                    "raised while importing a module"
                } else {
                    "the code cannot be loaded"
                };
                return judged(
                    Category::BootFailure,
                    Priority::P0,
                    format!("{exception}: {detail}, so the service cannot start"),
                );
            }
        }

        if find_phrase(&text, &rules.exit_phrases).is_some() {
            let exit_codes = stats.values.get(&Kind::Number);
            let non_zero: u64 = exit_codes
                .map(|codes| {
                    codes
                        .values()
                        .filter(|(code, _)| *code != "0")
                        .map(|(_, n)| n)
                        .sum()
                })
                .unwrap_or(0);
            if non_zero > 0 {
                let codes: Vec<String> = exit_codes
                    .map(|codes| {
                        codes
                            .values()
                            .filter(|(c, _)| *c != "0")
                            .map(|(c, n)| format!("{c} ×{n}"))
                            .collect()
                    })
                    .unwrap_or_default();
                let instances = stats.instances.len() as u64;
                if non_zero >= rules.crash_loop_min_exits
                    && instances >= rules.crash_loop_min_instances
                {
                    return judged(
                        Category::CrashLoop,
                        Priority::P0,
                        format!("exited with a non-zero code {non_zero} times on {instances} instances (numbers in the message: {})", codes.join(", ")),
                    );
                }
                return judged(
                    Category::BootFailure,
                    Priority::P0,
                    format!(
                        "exited with a non-zero code (numbers in the message: {})",
                        codes.join(", ")
                    ),
                );
            }
            return judged(
                Category::Noise,
                Priority::P4,
                "processes exited normally (exit code 0)",
            );
        }

        if let Some(phrase) = find_phrase(&text, &rules.boot_failure_phrases) {
            return judged(
                Category::BootFailure,
                Priority::P0,
                format!("startup failure (\"{phrase}\"): the service cannot start"),
            );
        }
        if let Some(phrase) = find_phrase(&text, &rules.memory_phrases) {
            return judged(
                Category::MemoryLimit,
                Priority::P1,
                format!("memory exhaustion (\"{phrase}\"): the instance is killed and its requests fail"),
            );
        }
        let server_errors: u64 = stats
            .statuses
            .values()
            .filter(|(status, _)| status.starts_with('5'))
            .map(|(_, n)| n)
            .sum();
        if server_errors * 2 > stats.count {
            return judged(
                Category::ServerError,
                Priority::P1,
                format!("{server_errors} requests answered with a 5xx status"),
            );
        }

        let is_error_like = severity >= Severity::Error;
        if severity >= Severity::Alert {
            return judged(
                Category::RequestError,
                Priority::P0,
                format!("logged at {severity}"),
            );
        }
        if is_error_like {
            let level = if logged_without_severity {
                "a stack trace (logged without severity)".to_owned()
            } else {
                format!("logged at {severity}")
            };
            if let Some(phrase) = find_phrase(&text, &rules.dependency_failure_phrases) {
                return judged(
                    Category::DependencyFailure,
                    Priority::P1,
                    format!("{level}: a dependency is failing (\"{phrase}\")"),
                );
            }
            if let Some(phrase) = find_phrase(&text, &rules.auth_phrases) {
                return judged(
                    Category::AuthFailure,
                    Priority::P1,
                    format!("{level}: authentication failing (\"{phrase}\")"),
                );
            }
            if let Some(phrase) = find_phrase(&text, &rules.data_integrity_phrases) {
                return judged(
                    Category::DataIntegrity,
                    Priority::P1,
                    format!("{level}: user isolation or data integrity at risk (\"{phrase}\")"),
                );
            }
            if let Some(marker) = find_phrase(&text, &rules.user_path_markers) {
                return judged(
                    Category::RequestError,
                    Priority::P1,
                    format!("{level} on the main user path (\"{marker}\")"),
                );
            }
            if severity >= Severity::Critical {
                return judged(Category::RequestError, Priority::P1, level);
            }
            if let Some(phrase) = find_phrase(&text, &rules.configuration_phrases) {
                return judged(
                    Category::Configuration,
                    Priority::P2,
                    format!("{level}: configuration problem (\"{phrase}\")"),
                );
            }
            return judged(Category::RequestError, Priority::P2, level);
        }

        if let Some(phrase) = find_phrase(&text, &rules.deprecation_phrases) {
            return judged(
                Category::Deprecation,
                Priority::P3,
                format!("deprecation (\"{phrase}\")"),
            );
        }
        if severity == Severity::Warning {
            if let Some(phrase) = find_phrase(&text, &rules.dependency_failure_phrases) {
                return judged(
                    Category::DependencyFailure,
                    Priority::P2,
                    format!("WARNING: a dependency is degraded (\"{phrase}\")"),
                );
            }
            if let Some(phrase) = find_phrase(&text, &rules.auth_phrases) {
                return judged(
                    Category::AuthFailure,
                    Priority::P2,
                    format!("WARNING: authentication problem (\"{phrase}\")"),
                );
            }
            if let Some(phrase) = find_phrase(&text, &rules.data_integrity_phrases) {
                return judged(
                    Category::DataIntegrity,
                    Priority::P2,
                    format!("WARNING: user isolation or data integrity at risk (\"{phrase}\")"),
                );
            }
            if let Some(phrase) = find_phrase(&text, &rules.configuration_phrases) {
                return judged(
                    Category::Configuration,
                    Priority::P3,
                    format!("WARNING: configuration problem (\"{phrase}\")"),
                );
            }
            return judged(Category::Warning, Priority::P3, "logged at WARNING");
        }
        if let Some(phrase) = find_phrase(&text, &rules.noise_phrases) {
            return judged(
                Category::Noise,
                Priority::P4,
                format!("routine line (\"{phrase}\")"),
            );
        }
        judged(
            Category::Noise,
            Priority::P4,
            format!("logged at {severity}: informational"),
        )
    }

    fn categorize_request(
        &self,
        cluster: &Cluster,
        context: &RunContext,
        (service, method, path): (&String, &String, &String),
        status: u16,
    ) -> Judgment {
        let rules = &self.rules;
        let count = cluster.stats.count;
        let total = context
            .endpoint_requests
            .get(&(service.clone(), method.clone(), path.clone()))
            .copied()
            .unwrap_or(count)
            .max(count);
        let share = count as f64 / total as f64;
        let endpoint = format!("{method} {path}");
        if status >= 500 {
            let reason = format!(
                "HTTP {status} on {endpoint}: {count} of {total} requests failed ({:.0}%)",
                share * 100.0
            );
            if share >= rules.endpoint_down_share && count >= rules.endpoint_down_min_requests {
                return judged(
                    Category::ServerError,
                    Priority::P0,
                    format!("{reason}: the endpoint is down"),
                );
            }
            return judged(Category::ServerError, Priority::P1, reason);
        }
        let is_health_check = rules
            .health_check_paths
            .iter()
            .any(|prefix| path.starts_with(prefix.as_str()));
        if status >= 400 {
            if is_health_check {
                return judged(
                    Category::ServerError,
                    Priority::P1,
                    format!("health check {endpoint} failing with {status}"),
                );
            }
            return judged(
                Category::ClientError,
                Priority::P3,
                format!(
                    "HTTP {status} on {endpoint}: {count} of {total} requests ({:.0}%)",
                    share * 100.0
                ),
            );
        }
        if is_health_check {
            return judged(
                Category::Noise,
                Priority::P4,
                format!("health check {endpoint} answered {status}"),
            );
        }
        judged(
            Category::Noise,
            Priority::P4,
            format!("successful requests to {endpoint} ({status})"),
        )
    }
}

fn spread_reason(cluster: &Cluster, rate: f64) -> String {
    let stats = &cluster.stats;
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let instances = if stats.instances.is_truncated() {
        format!("{}+ instances", stats.instances.len())
    } else {
        plural(stats.instances.len(), "instance")
    };
    let mut text = format!(
        "{} {} on {} in {}",
        stats.count,
        if stats.count == 1 { "entry" } else { "entries" },
        instances,
        plural(stats.revisions.len(), "revision")
    );
    if let (Some(first), Some(last)) = (stats.first_seen, stats.last_seen) {
        text.push_str(&format!(
            " between {} and {} ({rate:.1}/hour)",
            first.format("%Y-%m-%d %H:%M:%S"),
            last.format("%Y-%m-%d %H:%M:%S")
        ));
    }
    text
}

/// `42 s`, `7 min`, `2.5 h`.
fn human_duration(seconds: i64) -> String {
    match seconds {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s => format!("{:.1} h", s as f64 / 3600.0),
    }
}
