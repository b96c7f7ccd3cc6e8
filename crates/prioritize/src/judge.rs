//! Judging one cluster: what kind of problem it is and how urgent, with the
//! reason. The order of the checks is the order of their evidence: code that
//! cannot load, exits, routine lines, failed probes and startups, status
//! codes, then the problems a message names, then the level alone.

mod exits;
mod request;

use gardener_fingerprint::{Cluster, ClusterStats, GroupKey};
use gardener_log_model::{PayloadKind, Severity};

use crate::{Category, Priority, Rules, RunContext};

/// A category and priority with the reason for them.
pub(crate) struct Judgment {
    pub(crate) category: Category,
    pub(crate) priority: Priority,
    pub(crate) reason: String,
}

pub(crate) fn judged(
    category: Category,
    priority: Priority,
    reason: impl Into<String>,
) -> Judgment {
    Judgment {
        category,
        priority,
        reason: reason.into(),
    }
}

/// The first phrase of `phrases` found in `text` (both compared lower-case).
pub(crate) fn find_phrase<'p>(text: &str, phrases: &'p [String]) -> Option<&'p str> {
    phrases
        .iter()
        .find(|phrase| text.contains(&phrase.to_lowercase()))
        .map(String::as_str)
}

/// How loud a cluster was logged, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// DEBUG, INFO, NOTICE: the program says it is routine.
    Low,
    /// DEFAULT: no level at all; the text alone decides.
    Unknown,
    /// WARNING.
    Warning,
    /// ERROR and above.
    Error,
}

/// What the rules read about a cluster.
pub(crate) struct Facts<'c> {
    pub(crate) cluster: &'c Cluster,
    pub(crate) title: String,
    /// Lower case: the title and the representative entry's first line,
    /// summary and root exception. What a line says.
    pub(crate) message_text: String,
    /// `message_text` and the call sites: what phrases are matched against.
    pub(crate) text: String,
    /// The representative entry's whole message, as logged.
    pub(crate) representative_message: Option<String>,
    /// The representative entry's payload.
    pub(crate) representative_payload: Option<PayloadKind>,
    /// The highest severity, or for a stack trace logged without one,
    /// ERROR (WARNING for a `...Warning`).
    pub(crate) severity: Severity,
    /// Whether `severity` was inferred from a stack trace.
    pub(crate) inferred: bool,
}

impl<'c> Facts<'c> {
    pub(crate) fn of(cluster: &'c Cluster) -> Facts<'c> {
        let stats = &cluster.stats;
        let title = cluster.key.title();
        let mut message_text = title.clone();
        let mut representative_message = None;
        let mut representative_payload = None;
        if let Some(representative) = &stats.representative {
            representative_payload = Some(representative.payload);
            let first_line = representative.message.lines().next().unwrap_or_default();
            for part in [first_line, representative.summary.as_str()] {
                message_text.push('\n');
                message_text.push_str(part);
            }
            if let Some(exception) = &representative.exception {
                message_text.push('\n');
                message_text.push_str(&exception.summary());
            }
            representative_message = Some(representative.message.clone());
        }
        let message_text = message_text.to_lowercase();
        let mut text = message_text.clone();
        for (site, _) in stats.call_sites.top() {
            text.push('\n');
            text.push_str(&site.to_lowercase());
        }
        let logged = stats.max_severity();
        // A stack trace on stderr often has no severity: an exception is an
        // error, a `...Warning` (Python's warnings module) a warning.
        let severity = match &cluster.key {
            GroupKey::Exception { exception, .. } if logged < Severity::Warning => {
                if exception.ends_with("Warning") {
                    Severity::Warning
                } else {
                    Severity::Error
                }
            }
            _ => logged,
        };
        Facts {
            cluster,
            title,
            message_text,
            text,
            representative_message,
            representative_payload,
            severity,
            inferred: severity > logged,
        }
    }

    fn stats(&self) -> &ClusterStats {
        &self.cluster.stats
    }

    fn tier(&self) -> Tier {
        match self.severity {
            Severity::Default => Tier::Unknown,
            s if s < Severity::Warning => Tier::Low,
            Severity::Warning => Tier::Warning,
            _ => Tier::Error,
        }
    }

    /// `logged at ERROR`, or how the level was inferred.
    fn level(&self) -> String {
        if self.inferred {
            "a stack trace logged without severity".to_owned()
        } else if self.severity == Severity::Default {
            "logged without a level".to_owned()
        } else {
            format!("logged at {}", self.severity)
        }
    }

    /// Whether every log name of the cluster is a platform's or an agent's.
    fn is_platform_output(&self, rules: &Rules) -> bool {
        let names = &self.stats().log_names;
        !names.is_empty()
            && !names.is_truncated()
            && names.values().all(|(name, _)| {
                rules
                    .platform_log_names
                    .iter()
                    .any(|prefix| name.starts_with(prefix.as_str()))
            })
    }
}

/// How many instances a cluster was seen on, when any was recorded.
pub(crate) fn known_instances(stats: &ClusterStats) -> Option<u64> {
    (!stats.instances.is_empty()).then(|| stats.instances.len() as u64)
}

/// `on 3 instances`, `on 32+ instances`, or `(instances not recorded)`.
pub(crate) fn on_instances(stats: &ClusterStats) -> String {
    match known_instances(stats) {
        None => "(instances not recorded)".to_owned(),
        Some(1) => "on one instance".to_owned(),
        Some(n) if stats.instances.is_truncated() => format!("on {n}+ instances"),
        Some(n) => format!("on {n} instances"),
    }
}

/// Whether a failure reached `min_instances` instances, or, where instances
/// are not recorded, repeated that often.
pub(crate) fn across_instances(stats: &ClusterStats, min_instances: u64) -> bool {
    known_instances(stats).unwrap_or(stats.count) >= min_instances
}

/// Judges one cluster.
pub(crate) fn judge(rules: &Rules, cluster: &Cluster, context: &RunContext) -> Judgment {
    let facts = Facts::of(cluster);
    if let GroupKey::Http {
        service,
        method,
        path,
        status,
    } = &cluster.key
    {
        return request::judge_request(rules, &facts, context, (service, method, path), *status);
    }
    if cluster.key.is_without_message() {
        return without_message(rules, &facts);
    }
    let tier = facts.tier();
    if let Some(judgment) = load_failure(rules, &facts) {
        return judgment;
    }
    if let Some(judgment) = exits::judge_exits(rules, &facts) {
        return judgment;
    }
    if tier == Tier::Low {
        if let Some(phrase) = find_phrase(&facts.message_text, &rules.noise_phrases) {
            return judged(
                Category::Noise,
                Priority::P4,
                format!("routine line (\"{phrase}\") {}", facts.level()),
            );
        }
    }
    if tier != Tier::Low {
        if let Some(judgment) = probe_failure(rules, &facts) {
            return judgment;
        }
        if let Some(judgment) = startup_failure(rules, &facts) {
            return judgment;
        }
    }
    if let Some(judgment) = request::judge_status_codes(&facts) {
        return judgment;
    }
    if tier != Tier::Low {
        if let Some(phrase) = find_phrase(&facts.text, &rules.memory_phrases) {
            return judged(
                Category::MemoryLimit,
                Priority::P1,
                format!("memory exhaustion (\"{phrase}\"): the instance is killed and its requests fail"),
            );
        }
    }
    if let Some(judgment) = request::server_error_share(&facts) {
        return judgment;
    }
    // A line without a level ("Request timeout set to 30s" on stdout) is
    // not read for problems its words might name.
    if matches!(tier, Tier::Error | Tier::Warning) {
        if let Some(judgment) = named_problem(rules, &facts, tier) {
            return judgment;
        }
    }
    if tier != Tier::Error {
        if let Some(phrase) = find_phrase(&facts.text, &rules.deprecation_phrases) {
            return judged(
                Category::Deprecation,
                Priority::P3,
                format!("deprecation (\"{phrase}\")"),
            );
        }
    }
    if let Some(phrase) = find_phrase(&facts.message_text, &rules.noise_phrases) {
        if find_phrase(&facts.message_text, &rules.failure_words).is_none() {
            return judged(
                Category::Noise,
                Priority::P4,
                format!(
                    "routine line (\"{phrase}\") with no word of failure, though {}",
                    facts.level()
                ),
            );
        }
    }
    level_alone(rules, &facts, tier)
}

/// Load errors (import, syntax, linkage) raised at startup: the code of the
/// revision cannot be loaded, on any instance.
fn load_failure(rules: &Rules, facts: &Facts<'_>) -> Option<Judgment> {
    let GroupKey::Exception {
        exception, frames, ..
    } = &facts.cluster.key
    else {
        return None;
    };
    let short = exception.rsplit(['.', '$']).next().unwrap_or(exception);
    if !rules
        .boot_failure_exceptions
        .iter()
        .any(|kind| kind == short || kind == exception)
    {
        return None;
    }
    let at_import = frames.iter().any(|frame| frame.ends_with(":<module>"));
    let in_python_function = !at_import
        && frames
            .iter()
            .any(|frame| frame.contains(':') && !frame.ends_with(":<module>"))
        && facts
            .representative_message
            .as_deref()
            .is_some_and(|message| message.contains(".py\", line"));
    if in_python_function && !short.ends_with("SyntaxError") {
        // `import x` inside a function fails where it runs, not at startup.
        return Some(judged(
            Category::RequestError,
            Priority::P1,
            format!(
                "{exception} raised inside {}, not while the service starts: the work that reaches it fails",
                frames[0]
            ),
        ));
    }
    let detail = if at_import {
        "raised while importing a module"
    } else {
        "the code cannot be loaded"
    };
    Some(judged(
        Category::BootFailure,
        Priority::P0,
        format!(
            "{exception}: {detail}, so no instance of the revision can start ({})",
            on_instances(facts.stats())
        ),
    ))
}

/// P0 with the first consequence when a failure reached
/// `crash_loop_min_instances` instances, else P1 with the second: one
/// instance failing is not yet evidence that the service is down.
fn by_spread(
    rules: &Rules,
    stats: &ClusterStats,
    across: &'static str,
    alone: &'static str,
) -> (Priority, &'static str) {
    if across_instances(stats, rules.crash_loop_min_instances) {
        (Priority::P0, across)
    } else {
        (Priority::P1, alone)
    }
}

/// A platform probe failed: instances do not become ready.
fn probe_failure(rules: &Rules, facts: &Facts<'_>) -> Option<Judgment> {
    let phrase = find_phrase(&facts.message_text, &rules.probe_failure_phrases)?;
    let stats = facts.stats();
    let (priority, consequence) = by_spread(
        rules,
        stats,
        "instances do not become ready, so the service cannot serve",
        "one instance did not become ready; others may serve",
    );
    Some(judged(
        Category::Readiness,
        priority,
        format!(
            "probe failure (\"{phrase}\") {}: {consequence}",
            on_instances(stats)
        ),
    ))
}

/// A startup that failed; when the line names a timeout or an unreachable
/// dependency, that is the problem to fix.
fn startup_failure(rules: &Rules, facts: &Facts<'_>) -> Option<Judgment> {
    let phrase = find_phrase(&facts.text, &rules.boot_failure_phrases)?;
    let stats = facts.stats();
    let (priority, consequence) = by_spread(
        rules,
        stats,
        "the service cannot start",
        "one instance failed to start; not yet evidence that the service cannot",
    );
    let instances = on_instances(stats);
    if let Some(unreachable) = find_phrase(&facts.text, &rules.dependency_failure_phrases) {
        return Some(judged(
            Category::DependencyFailure,
            priority,
            format!("startup failure (\"{phrase}\") on an unreachable dependency (\"{unreachable}\") {instances}: {consequence}"),
        ));
    }
    if let Some(timeout) = find_phrase(&facts.text, &rules.timeout_phrases) {
        return Some(judged(
            Category::Timeout,
            priority,
            format!("startup failure (\"{phrase}\") on a timeout (\"{timeout}\") {instances}: {consequence}"),
        ));
    }
    Some(judged(
        Category::BootFailure,
        priority,
        format!("startup failure (\"{phrase}\") {instances}: {consequence}"),
    ))
}

/// The problems a message names, from the most specific; the priority
/// depends on the level it was logged at.
fn named_problem(rules: &Rules, facts: &Facts<'_>, tier: Tier) -> Option<Judgment> {
    use Priority::{P1, P2, P3};
    let named: [(&[String], Category, [Priority; 2], &str); 8] = [
        (
            &rules.dependency_failure_phrases,
            Category::DependencyFailure,
            [P1, P2],
            "a dependency is unreachable or degraded",
        ),
        (
            &rules.timeout_phrases,
            Category::Timeout,
            [P1, P2],
            "a call timed out",
        ),
        (
            &rules.quota_phrases,
            Category::QuotaExceeded,
            [P1, P2],
            "a quota or rate limit is hit",
        ),
        (
            &rules.permission_phrases,
            Category::PermissionDenied,
            [P2, P3],
            "a permission is missing",
        ),
        (
            &rules.auth_phrases,
            Category::AuthFailure,
            [P1, P2],
            "authentication is failing",
        ),
        (
            &rules.not_found_phrases,
            Category::NotFound,
            [P2, P3],
            "something requested does not exist",
        ),
        (
            &rules.readiness_phrases,
            Category::Readiness,
            [P1, P2],
            "the service says it is not ready",
        ),
        (
            &rules.data_integrity_phrases,
            Category::DataIntegrity,
            [P1, P2],
            "user isolation or data integrity at risk",
        ),
    ];
    let at = usize::from(tier != Tier::Error);
    let level = facts.level();
    for (phrases, category, priorities, meaning) in named {
        if let Some(phrase) = find_phrase(&facts.text, phrases) {
            let priority = if facts.severity >= Severity::Alert {
                Priority::P0
            } else {
                priorities[at]
            };
            return Some(judged(
                category,
                priority,
                format!("{level}: {meaning} (\"{phrase}\")"),
            ));
        }
    }
    if tier == Tier::Error {
        if let Some(marker) = find_phrase(&facts.text, &rules.user_path_markers) {
            let priority = if facts.severity >= Severity::Alert {
                Priority::P0
            } else {
                Priority::P1
            };
            return Some(judged(
                Category::RequestError,
                priority,
                format!("{level} on the main user path (\"{marker}\")"),
            ));
        }
    }
    let phrase = find_phrase(&facts.text, &rules.configuration_phrases)?;
    let priority = match tier {
        Tier::Error if facts.severity >= Severity::Alert => Priority::P0,
        Tier::Error => P2,
        _ => P3,
    };
    Some(judged(
        Category::Configuration,
        priority,
        format!("{level}: configuration problem (\"{phrase}\")"),
    ))
}

/// No rule named the problem: the level decides.
fn level_alone(rules: &Rules, facts: &Facts<'_>, tier: Tier) -> Judgment {
    let platform = facts.is_platform_output(rules);
    let level = facts.level();
    match tier {
        Tier::Error if facts.severity >= Severity::Alert => judged(
            Category::RequestError,
            Priority::P0,
            format!("{level}: a person must act now"),
        ),
        Tier::Error if platform => judged(
            Category::Platform,
            Priority::P2,
            format!("{level} by the platform"),
        ),
        Tier::Error if facts.severity >= Severity::Critical => {
            judged(Category::RequestError, Priority::P1, level)
        }
        Tier::Error => judged(Category::RequestError, Priority::P2, level),
        Tier::Warning if platform => judged(
            Category::Platform,
            Priority::P3,
            format!("{level} by the platform"),
        ),
        Tier::Warning => judged(Category::Warning, Priority::P3, level),
        Tier::Low | Tier::Unknown if platform => judged(
            Category::Platform,
            Priority::P4,
            format!("{level} by the platform: informational"),
        ),
        Tier::Low | Tier::Unknown => judged(
            Category::Noise,
            Priority::P4,
            format!("{level}: informational"),
        ),
    }
}

/// An entry without a message has nothing to judge but its level and
/// source; at most it asks someone to open its payload.
fn without_message(rules: &Rules, facts: &Facts<'_>) -> Judgment {
    let source = match &facts.cluster.key {
        GroupKey::Message { call_site, .. } => call_site.as_str(),
        _ => "",
    };
    if facts.representative_payload == Some(PayloadKind::Text) {
        return judged(
            Category::Noise,
            Priority::P4,
            format!("blank lines on {source} {}", facts.level()),
        );
    }
    let platform = facts.is_platform_output(rules);
    let category = if platform {
        Category::Platform
    } else if facts.severity >= Severity::Warning {
        Category::Warning
    } else {
        Category::Noise
    };
    if facts.severity >= Severity::Warning {
        return judged(
            category,
            Priority::P3,
            format!(
                "{} entries without a message {}: open the payload to see what they report",
                source,
                facts.level()
            ),
        );
    }
    judged(
        category,
        Priority::P4,
        format!(
            "{source} entries without a message {}: records, not problems",
            facts.level()
        ),
    )
}
