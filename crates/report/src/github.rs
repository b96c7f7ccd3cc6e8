//! GitHub issue drafts: one per problem (an incident, or an urgent cluster
//! of its own), with a title, labels, an evidence body and hidden markers
//! that let the next run find the issue again from any of its fingerprints.

use gardener_prioritize::{Category, Priority};
use serde::{Deserialize, Serialize};

use crate::body::{Body, MIN_LIMIT};
use crate::escape::inline_code;
use crate::evidence::{self, count_of, cut_chars, time, MAX_VALUE_CHARS};
use crate::markers::{issue_key, FingerprintMarker};
// The Markdown worklog defangs quoted markers too.
use crate::issue_title::issue_title;
pub(crate) use crate::markers::defang_markers;
use crate::problem::{problems, Problem};
use crate::worklog::{Worklog, WorklogCluster};

/// The most a GitHub issue body or comment holds, in characters.
pub const GITHUB_BODY_LIMIT: usize = 65_536;

/// Longest label, in characters (GitHub allows 50).
const MAX_LABEL_CHARS: usize = 50;
/// Services that get a `service:` label.
const MAX_SERVICE_LABELS: usize = 3;
/// The label every issue of log-gardener carries.
pub(crate) const TOOL_LABEL: &str = "log-gardener";
/// What priority labels start with.
pub(crate) const PRIORITY_PREFIX: &str = "priority:";
/// What category labels start with.
pub(crate) const CATEGORY_PREFIX: &str = "category:";

/// Settings of [`issue_drafts_with`] and [`plan_issues_with`](crate::plan_issues_with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueOptions {
    /// Clusters at this priority or a more urgent one get an issue. Default: P2.
    pub up_to: Priority,
    /// The most a body may hold, in UTF-8 bytes (never fewer than characters).
    /// Default: [`GITHUB_BODY_LIMIT`]. Limits under 4,096 bytes plus the
    /// hidden markers (about 150 bytes per fingerprint) are raised to that.
    pub max_body_bytes: usize,
}

impl Default for IssueOptions {
    fn default() -> Self {
        IssueOptions {
            up_to: Priority::P2,
            max_body_bytes: GITHUB_BODY_LIMIT,
        }
    }
}

/// A GitHub issue to file for one problem: an incident (its cause and
/// symptoms) or a cluster of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueDraft {
    /// The fingerprint of the problem's cause (its first cluster).
    pub fingerprint: String,
    /// Every fingerprint the issue covers, the cause's first; the body
    /// carries a hidden marker for each.
    pub fingerprints: Vec<String>,
    /// The most urgent priority among its clusters.
    pub priority: Priority,
    /// `[P0] ImportError in websocket_bridge_factory: cannot import name …`:
    /// plain text, at most 100 characters.
    pub title: String,
    /// The evidence, in Markdown, ending with the hidden markers.
    pub body: String,
    /// `log-gardener`, `priority:P0`, `category:boot-failure`, `service:NAME`.
    pub labels: Vec<String>,
}

/// A draft for every problem at P0-P2, most urgent first.
///
/// The worklog is scrubbed of secrets first; bodies are escaped and capped at
/// [`GITHUB_BODY_LIMIT`].
pub fn issue_drafts(worklog: &Worklog) -> Vec<IssueDraft> {
    issue_drafts_with(worklog, &IssueOptions::default())
}

/// A draft for every problem at `options.up_to` or more urgent. An incident
/// is one problem when its cause is; resolved clusters get none (see the
/// README's GitHub section).
pub fn issue_drafts_with(worklog: &Worklog, options: &IssueOptions) -> Vec<IssueDraft> {
    let worklog = worklog.scrubbed();
    problems(&worklog, options)
        .iter()
        .map(|problem| draft(&worklog, problem, options))
        .collect()
}

pub(crate) fn draft(
    worklog: &Worklog,
    problem: &Problem<'_>,
    options: &IssueOptions,
) -> IssueDraft {
    let priority = problem.priority();
    IssueDraft {
        fingerprint: issue_key(&problem.cause().fingerprint),
        fingerprints: problem
            .members
            .iter()
            .map(|member| issue_key(&member.fingerprint))
            .collect(),
        priority,
        title: issue_title(problem.cause(), priority),
        body: new_issue_body(worklog, problem, options.max_body_bytes),
        labels: labels(
            priority,
            Some(problem.cause().category),
            problem.members.iter().copied(),
        ),
    }
}

/// `snake_case` serde name of a category, with dashes: `boot-failure`.
fn category_slug(category: Category) -> String {
    match serde_json::to_value(category) {
        Ok(serde_json::Value::String(name)) => name.replace('_', "-"),
        _ => "unknown".to_owned(),
    }
}

/// A label GitHub and `gh --label a,b` accept: no commas or spaces, at most 50 characters.
fn label(prefix: &str, value: &str) -> String {
    let value: String = value
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let label = format!("{prefix}{value}");
    label.chars().take(MAX_LABEL_CHARS).collect()
}

/// `priority:P0`.
pub(crate) fn priority_label(priority: Priority) -> String {
    label(PRIORITY_PREFIX, priority.as_str())
}

/// `log-gardener`, the priority, the category when given, and the services
/// of the clusters (up to three, most frequent in the first cluster first).
pub(crate) fn labels<'a>(
    priority: Priority,
    category: Option<Category>,
    clusters: impl IntoIterator<Item = &'a WorklogCluster>,
) -> Vec<String> {
    let mut labels = vec![TOOL_LABEL.to_owned(), priority_label(priority)];
    if let Some(category) = category {
        labels.push(label(CATEGORY_PREFIX, &category_slug(category)));
    }
    let mut services = 0;
    for cluster in clusters {
        for service in &cluster.services {
            let service = label("service:", &service.value);
            if services < MAX_SERVICE_LABELS && !labels.contains(&service) {
                labels.push(service);
                services += 1;
            }
        }
    }
    labels
}

/// `🔴 P0 (Critical) · Boot failure`.
fn badge(priority: Priority, category: Category) -> String {
    format!(
        "{} {} ({}) · {}",
        priority.badge(),
        priority,
        priority.label(),
        category
    )
}

/// `**P1** · HTTP 5xx · `GET /ws 503``: one cluster, in a list.
pub(crate) fn cluster_line(cluster: &WorklogCluster) -> String {
    format!(
        "**{}** · {} · {}",
        cluster.priority,
        cluster.category,
        evidence::title_code(cluster)
    )
}

/// `` `v1:61df289aaa4e04c4` ``.
pub(crate) fn fingerprint_code(cluster: &WorklogCluster) -> String {
    inline_code(&cut_chars(&cluster.fingerprint, MAX_VALUE_CHARS))
}

/// `14 entries from 2025-09-14 22:31:45 UTC to 2025-09-15 00:27:07 UTC`.
fn span(cluster: &WorklogCluster) -> String {
    format!(
        "{} from {} to {}",
        count_of(cluster.count, "entry", "entries"),
        time(cluster.first_seen),
        time(cluster.last_seen)
    )
}

/// The description of a new issue: a summary, the symptoms of an incident,
/// then the cause's evidence in parts that shrink in this order when the
/// body is too large: representative entry, stack, variable values, symptoms,
/// template, reasons, facts. It ends with a marker per covered fingerprint
/// that records its newest occurrence, reported here.
pub(crate) fn new_issue_body(worklog: &Worklog, problem: &Problem<'_>, limit: usize) -> String {
    let cause = problem.cause();
    let mut body = Body::default();
    let incident = if problem.symptoms().is_empty() {
        String::new()
    } else {
        format!(
            " One incident: this cause and {} on the same instances at the same time, listed below.",
            count_of(problem.symptoms().len() as u64, "symptom", "symptoms")
        )
    };
    body.fixed(format!(
        "**{}**: {}\n\n{} on {} ({}/hour). Found by {} in the worklog generated {}.{incident} Later runs comment here only when there are occurrences newer than those reported; keep the hidden markers at the end of this description.\n\n",
        badge(problem.priority(), cause.category),
        evidence::title_code(cause),
        span(cause),
        count_of(cause.instance_count as u64, "instance", "instances"),
        cause.rate_per_hour,
        generator(worklog),
        time(Some(worklog.generated_at)),
    ));
    if let Some(why) = evidence::priority_from_symptom(cause, problem.symptoms().iter().copied()) {
        body.fixed(format!("{why}\n\n"));
    }
    body.list(
        3,
        "### Symptoms\n\n".to_owned(),
        problem
            .symptoms()
            .iter()
            .map(|symptom| {
                format!(
                    "{}: {} · {}",
                    cluster_line(symptom),
                    span(symptom),
                    fingerprint_code(symptom)
                )
            })
            .collect(),
        "symptoms",
    );
    cause_evidence(&mut body, cause);
    let markers: Vec<FingerprintMarker> = problem
        .members
        .iter()
        .map(|member| FingerprintMarker::new(&member.fingerprint, member.last_seen))
        .collect();
    finish(body, &markers, limit)
}

/// The cause's evidence: facts, template and values, stack, reasons,
/// representative entry, next step.
fn cause_evidence(body: &mut Body, cluster: &WorklogCluster) {
    body.list(
        6,
        "### Evidence\n\n".to_owned(),
        evidence::facts(cluster),
        "facts",
    );
    body.code(
        4,
        "### Template\n\n".to_owned(),
        "text",
        cluster.template.clone(),
        "The template",
    );
    body.list(
        2,
        "**Variable values:**\n\n".to_owned(),
        evidence::variables(cluster),
        "placeholders",
    );
    if let Some(stack) = evidence::stack(cluster) {
        body.code(
            1,
            "### Stack (innermost first)\n\n".to_owned(),
            "text",
            stack,
            "The stack",
        );
    }
    body.list(
        5,
        format!("### Why {}\n\n", cluster.priority),
        evidence::reasons(cluster),
        "reasons",
    );
    representative(body, cluster);
    body.fixed(format!(
        "### Next step\n\n{}\n\n",
        evidence::next_step(cluster)
    ));
}

/// The representative entry as a JSON block, the first part to shrink.
pub(crate) fn representative(body: &mut Body, cluster: &WorklogCluster) {
    if let (Some(caption), Some(representative)) = (
        evidence::representative_caption(cluster),
        &cluster.representative,
    ) {
        body.code(
            0,
            format!("### Representative entry\n\n{caption}\n\n"),
            "json",
            representative.json.clone(),
            "The representative entry",
        );
    }
}

/// The body rendered within `limit` (raised to fit the markers, see
/// [`IssueOptions::max_body_bytes`]), marker text from logs defanged, and
/// the markers appended, one per line.
pub(crate) fn finish(body: Body, markers: &[FingerprintMarker], limit: usize) -> String {
    let markers: String = markers.iter().map(|m| format!("{m}\n")).collect();
    let reserve = markers.len() + 1;
    let limit = limit.max(MIN_LIMIT + reserve);
    let mut text = defang_markers(&body.render(limit - reserve)).into_owned();
    text.truncate(text.trim_end().len());
    text.push('\n');
    if !markers.is_empty() {
        text.push('\n');
        text.push_str(&markers);
    }
    text
}

/// The tool that wrote the worklog, escaped.
pub(crate) fn generator(worklog: &Worklog) -> String {
    crate::escape::escape_markdown(&cut_chars(&worklog.generator, MAX_VALUE_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! labels {
        ($($name:ident: $prefix:expr, $value:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(label($prefix, $value), $expected, "input {:?}", $value);
            }
        )*};
    }

    labels! {
        plain_service: "service:", "netra-backend-staging" => "service:netra-backend-staging",
        comma_and_space_become_dashes: "service:", "a b,c" => "service:a-b-c",
        long_value_is_cut_to_50: "service:", &"x".repeat(80) => format!("service:{}", "x".repeat(42)),
        unicode_becomes_dashes: "service:", "sérvice" => "service:s-rvice",
    }

    #[test]
    fn category_labels_use_dashes() {
        assert_eq!(
            labels(Priority::P1, Some(Category::BootFailure), []),
            ["log-gardener", "priority:P1", "category:boot-failure"]
        );
        assert_eq!(
            labels(Priority::P2, None, []),
            ["log-gardener", "priority:P2"]
        );
    }
}
