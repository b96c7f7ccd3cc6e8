//! GitHub issue drafts: title, labels and an evidence body per urgent cluster,
//! with a hidden marker that lets the next run find the issue again.

use std::borrow::Cow;
use std::collections::BTreeSet;

use gardener_prioritize::{Category, Priority};
use serde::{Deserialize, Serialize};

use crate::body::{Body, MIN_LIMIT};
use crate::evidence::{self, count_of, cut_chars, first_line, time, MAX_VALUE_CHARS};
use crate::worklog::{Worklog, WorklogCluster};

/// The most a GitHub issue body or comment holds, in characters.
pub const GITHUB_BODY_LIMIT: usize = 65_536;

/// What the hidden marker starts with; the fingerprint and ` -->` follow.
const MARKER_PREFIX: &str = "<!-- log-gardener:fingerprint=";
const MARKER_SUFFIX: &str = " -->";
/// Longest title, in characters (GitHub allows 256).
const MAX_TITLE_CHARS: usize = 200;
/// Longest label, in characters (GitHub allows 50).
const MAX_LABEL_CHARS: usize = 50;
/// Services that get a `service:` label.
const MAX_SERVICE_LABELS: usize = 3;

/// Settings of [`issue_drafts_with`] and [`plan_issues_with`](crate::plan_issues_with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueOptions {
    /// Clusters at this priority or a more urgent one get an issue. Default: P2.
    pub up_to: Priority,
    /// The most a body may hold, in UTF-8 bytes (never fewer than characters).
    /// Default: [`GITHUB_BODY_LIMIT`]; limits under 4,096 are raised to it.
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

/// A GitHub issue to file for one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueDraft {
    /// The cluster's fingerprint, also carried by the body's hidden marker.
    pub fingerprint: String,
    /// The cluster's priority.
    pub priority: Priority,
    /// `[P0] Boot failure: ImportError: ... (service)`.
    pub title: String,
    /// The evidence, in Markdown, ending with the hidden marker.
    pub body: String,
    /// `log-gardener`, `priority:P0`, `category:boot-failure`, `service:NAME`.
    pub labels: Vec<String>,
}

/// The hidden marker an issue body carries for a fingerprint.
///
/// ```
/// use gardener_report::fingerprint_marker;
/// assert_eq!(
///     fingerprint_marker("v1:61df289aaa4e04c4"),
///     "<!-- log-gardener:fingerprint=v1:61df289aaa4e04c4 -->"
/// );
/// ```
pub fn fingerprint_marker(fingerprint: &str) -> String {
    format!("{MARKER_PREFIX}{}{MARKER_SUFFIX}", issue_key(fingerprint))
}

/// The fingerprints whose markers `body` carries, in order: lines that are
/// exactly a marker (surrounding spaces aside). Marker text elsewhere, such as
/// inside a quoted log line, does not count.
///
/// ```
/// use gardener_report::fingerprints_in;
/// let body = "Evidence...\n\n<!-- log-gardener:fingerprint=v1:61df289aaa4e04c4 -->\r\n";
/// assert_eq!(fingerprints_in(body), ["v1:61df289aaa4e04c4"]);
/// assert!(fingerprints_in("`<!-- log-gardener:fingerprint=v1:00 -->`").is_empty());
/// ```
pub fn fingerprints_in(body: &str) -> Vec<&str> {
    body.lines()
        .filter_map(|line| {
            let key = line
                .trim()
                .strip_prefix(MARKER_PREFIX)?
                .strip_suffix(MARKER_SUFFIX)?;
            (!key.is_empty() && issue_key(key) == key).then_some(key)
        })
        .collect()
}

/// A fingerprint as markers carry it: only `A-Z a-z 0-9 : . _ -`, at most
/// 100 characters, so it cannot end the HTML comment it sits in. Real
/// fingerprints (`v1:` and hex digits) are unchanged.
pub(crate) fn issue_key(fingerprint: &str) -> String {
    fingerprint
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Marker text quoted from a log gets a zero-width space, so that only the
/// marker this crate appends is ever found.
pub(crate) fn defang_markers(text: &str) -> Cow<'_, str> {
    const NEEDLE: &str = "log-gardener:fingerprint";
    if text.contains(NEEDLE) {
        Cow::Owned(text.replace(NEEDLE, "log-gardener:\u{200b}fingerprint"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A draft for every cluster at P0-P2, most urgent first.
///
/// The worklog is scrubbed of secrets first; bodies are escaped and capped at
/// [`GITHUB_BODY_LIMIT`].
pub fn issue_drafts(worklog: &Worklog) -> Vec<IssueDraft> {
    issue_drafts_with(worklog, &IssueOptions::default())
}

/// A draft for every cluster at `options.up_to` or more urgent.
pub fn issue_drafts_with(worklog: &Worklog, options: &IssueOptions) -> Vec<IssueDraft> {
    let worklog = worklog.scrubbed();
    actionable(&worklog, options)
        .map(|cluster| draft(&worklog, cluster, options))
        .collect()
}

/// The clusters that get issues: at `options.up_to` or more urgent, one per
/// fingerprint, in worklog order.
pub(crate) fn actionable<'a>(
    worklog: &'a Worklog,
    options: &'a IssueOptions,
) -> impl Iterator<Item = &'a WorklogCluster> + 'a {
    let mut seen = BTreeSet::new();
    worklog
        .clusters
        .iter()
        .filter(move |c| c.priority <= options.up_to && seen.insert(issue_key(&c.fingerprint)))
}

fn draft(worklog: &Worklog, cluster: &WorklogCluster, options: &IssueOptions) -> IssueDraft {
    IssueDraft {
        fingerprint: issue_key(&cluster.fingerprint),
        priority: cluster.priority,
        title: title(cluster),
        body: body(worklog, cluster, BodyKind::New, options.max_body_bytes),
        labels: labels(cluster),
    }
}

/// `[P0] Boot failure: <first line of the cluster title> (<service>)`, plain
/// text: no line breaks, mentions cannot ping.
pub(crate) fn title(cluster: &WorklogCluster) -> String {
    let mut title = format!(
        "[{}] {}: {}",
        cluster.priority,
        cluster.category,
        cut_chars(&first_line(&cluster.title), 120)
    );
    if let Some(service) = cluster.services.first() {
        title.push_str(" (");
        title.push_str(&cut_chars(&service.value, 60));
        if cluster.services.len() > 1 {
            title.push_str(&format!(" +{}", cluster.services.len() - 1));
        }
        title.push(')');
    }
    let plain: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('@', "@\u{200b}");
    cut_chars(&plain, MAX_TITLE_CHARS)
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

pub(crate) fn labels(cluster: &WorklogCluster) -> Vec<String> {
    let mut labels = vec![
        "log-gardener".to_owned(),
        label("priority:", cluster.priority.as_str()),
        label("category:", &category_slug(cluster.category)),
    ];
    for service in cluster.services.iter().take(MAX_SERVICE_LABELS) {
        let service = label("service:", &service.value);
        if !labels.contains(&service) {
            labels.push(service);
        }
    }
    labels
}

/// What a body is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// The description of a new issue.
    New,
    /// A comment on an open issue.
    Update,
    /// The comment that goes with reopening a closed issue.
    Recurrence,
}

/// The Markdown of an issue body or comment: a summary, then the evidence in
/// parts that shrink in this order when the body is too large: representative
/// entry, stack, variable values, template, reasons, facts.
pub(crate) fn body(
    worklog: &Worklog,
    cluster: &WorklogCluster,
    kind: BodyKind,
    limit: usize,
) -> String {
    let mut body = Body::default();
    let badge = format!(
        "{} {} ({}) · {}",
        cluster.priority.badge(),
        cluster.priority,
        cluster.priority.label(),
        cluster.category
    );
    let span = format!(
        "{} on {} between {} and {} ({}/hour)",
        count_of(cluster.count, "entry", "entries"),
        count_of(cluster.instance_count as u64, "instance", "instances"),
        time(cluster.first_seen),
        time(cluster.last_seen),
        cluster.rate_per_hour
    );
    let intro = match kind {
        BodyKind::New => format!(
            "**{badge}**: {}\n\n{span}. Found by {} in the worklog generated {}. Later runs comment here when it occurs again; keep the hidden marker at the end of this description.\n\n",
            evidence::title_code(cluster),
            generator(worklog),
            time(Some(worklog.generated_at)),
        ),
        BodyKind::Update => format!(
            "### Seen again\n\n**{badge}**: {span}, in the worklog generated {} by {}.\n\n",
            time(Some(worklog.generated_at)),
            generator(worklog),
        ),
        BodyKind::Recurrence => format!(
            "### Recurred after this issue was closed\n\n**{badge}**: {span}, in the worklog generated {} by {}. Reopening.\n\n",
            time(Some(worklog.generated_at)),
            generator(worklog),
        ),
    };
    body.fixed(intro);
    body.list(
        5,
        "### Evidence\n\n".to_owned(),
        evidence::facts(cluster),
        "facts",
    );
    body.code(
        3,
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
        4,
        format!("### Why {}\n\n", cluster.priority),
        evidence::reasons(cluster),
        "reasons",
    );
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
    body.fixed(format!(
        "### Next step\n\n{}\n\n",
        evidence::next_step(cluster)
    ));
    let reserve = match kind {
        BodyKind::New => fingerprint_marker(&cluster.fingerprint).len() + 2,
        BodyKind::Update | BodyKind::Recurrence => 0,
    };
    let limit = limit.max(MIN_LIMIT);
    let mut text = defang_markers(&body.render(limit - reserve)).into_owned();
    text.truncate(text.trim_end().len());
    text.push('\n');
    if kind == BodyKind::New {
        text.push('\n');
        text.push_str(&fingerprint_marker(&cluster.fingerprint));
        text.push('\n');
    }
    text
}

fn generator(worklog: &Worklog) -> String {
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

    macro_rules! keys {
        ($($name:ident: $input:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(issue_key($input), $expected, "input {:?}", $input);
            }
        )*};
    }

    keys! {
        real_fingerprint_unchanged: "v1:61df289aaa4e04c4" => "v1:61df289aaa4e04c4",
        comment_end_is_neutralized: "v1:00 --> <b>" => "v1:00_--___b_",
        newline_is_neutralized: "v1:00\n<!--" => "v1:00___--",
    }

    #[test]
    fn marker_round_trips() {
        let marker = fingerprint_marker("v1:0123456789abcdef");
        assert_eq!(fingerprints_in(&marker), ["v1:0123456789abcdef"]);
    }

    #[test]
    fn quoted_markers_are_defanged() {
        let quoted = crate::escape::code_block(
            "text",
            "<!-- log-gardener:fingerprint=v1:0000000000000000 -->",
        );
        assert_eq!(fingerprints_in(&quoted), ["v1:0000000000000000"]);
        assert!(fingerprints_in(&defang_markers(&quoted)).is_empty());
    }
}
