//! The second layer: each problem's evidence, folded in a `<details>` block
//! that GitHub renders closed, so the first screen stays one screen.

use std::fmt::Write as _;

use gardener_prioritize::Priority;

use super::entry;
use super::first_screen::{service_names, short_revision};
use super::problems::Problem;
use crate::escape::{code_block, escape_html, inline_code};
use crate::evidence::{self, cut_chars, frequency, list, Clock, MAX_VALUE_CHARS};
use crate::title::MAX_TITLE_CHARS;
use crate::worklog::{ValueCount, Worklog, WorklogCluster};
use gardener_prioritize::Status;

/// Reasons shown per cluster.
const MAX_REASONS: usize = 10;
/// Placeholder kinds whose values are shown per cluster.
const MAX_VALUE_KINDS: usize = 6;
/// Values shown per placeholder kind.
const VALUES_PER_KIND: usize = 3;
/// Longest value of a placeholder shown, in characters.
const MAX_VARIABLE_CHARS: usize = 120;
/// Longest template shown, in characters.
const MAX_TEMPLATE_CHARS: usize = 300;
/// Linked clusters of an incident shown with all their evidence; the rest
/// briefly, so that one large incident cannot crowd out the other problems.
const MAX_FULL_LINKED: usize = 5;

/// How much of a cluster's evidence a block shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Depth {
    /// Everything, the representative entry whole: the complete worklog.
    Complete,
    /// Everything, the representative entry by its key fields.
    Full,
    /// Counts and places only, when the full block does not fit.
    Brief,
}

/// The `<summary>` line: `1. 🔴 P0 Boot failure: <code>title</code>`.
fn summary(
    number: Option<usize>,
    priority: Priority,
    cluster: &WorklogCluster,
    extra: &str,
) -> String {
    let number = number.map(|n| format!("{n}. ")).unwrap_or_default();
    format!(
        "<summary><b>{number}{} {} {}</b>: <code>{}</code>{extra}</summary>\n\n",
        priority.badge(),
        priority,
        escape_html(&cluster.category.to_string()),
        escape_html(&evidence::first_line(&cluster.title)),
    )
}

/// One problem, folded: its lead cluster's evidence, then each linked
/// cluster's under its own heading.
pub(super) fn problem(
    problem: &Problem<'_>,
    worklog: &Worklog,
    clock: Clock,
    depth: Depth,
) -> String {
    let lead = problem.lead();
    let extra = if problem.incident {
        format!(" · incident of {} clusters", problem.clusters.len())
    } else {
        String::new()
    };
    let mut out = String::from("<details>\n");
    out.push_str(&summary(
        Some(problem.number),
        problem.priority,
        lead,
        &extra,
    ));
    if depth == Depth::Brief {
        out.push_str("*Shortened to fit: the complete worklog has this problem's evidence.*\n\n");
    }
    if let Some(why) =
        evidence::priority_from_symptom(lead, problem.clusters.iter().skip(1).copied())
    {
        let _ = writeln!(out, "{why}\n");
    }
    out.push_str(&cluster_body(
        lead,
        problem.statuses[0],
        worklog,
        clock,
        depth,
    ));
    if problem.incident {
        let _ = writeln!(out, "**Linked clusters**, symptoms of the same cause:\n");
        let linked = problem.clusters.len() - 1;
        if depth == Depth::Full && linked > MAX_FULL_LINKED {
            let _ = writeln!(
                out,
                "*The first {MAX_FULL_LINKED} of {linked} linked clusters with their evidence, the rest briefly: the complete worklog has all of it.*\n"
            );
        }
        for (index, (cluster, &status)) in problem
            .clusters
            .iter()
            .zip(&problem.statuses)
            .enumerate()
            .skip(1)
        {
            let depth = if depth == Depth::Full && index > MAX_FULL_LINKED {
                Depth::Brief
            } else {
                depth
            };
            let _ = writeln!(
                out,
                "#### {} {} {}, {status}: {}\n",
                cluster.priority.badge(),
                cluster.priority,
                cluster.category,
                evidence::title_code(cluster)
            );
            out.push_str(&cluster_body(cluster, status, worklog, clock, depth));
        }
    }
    out.push_str("</details>\n\n");
    out
}

/// A routine cluster, folded (the complete worklog only).
pub(super) fn routine(cluster: &WorklogCluster, worklog: &Worklog, clock: Clock) -> String {
    let mut out = String::from("<details>\n");
    out.push_str(&summary(None, cluster.priority, cluster, ""));
    out.push_str(&cluster_body(
        cluster,
        worklog.status(cluster),
        worklog,
        clock,
        Depth::Complete,
    ));
    out.push_str("</details>\n\n");
    out
}

fn severities(cluster: &WorklogCluster) -> String {
    cluster
        .severities
        .iter()
        .rev()
        .map(|(severity, n)| format!("{severity} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Services (when the worklog has several), revisions and instances.
fn places(cluster: &WorklogCluster, worklog: &Worklog) -> String {
    let services = service_names(worklog);
    let mut parts = Vec::new();
    if services.len() > 1 && !cluster.services.is_empty() {
        parts.push(list(&cluster.services, 3));
    }
    if !cluster.revisions.is_empty() {
        let revisions: Vec<ValueCount> = cluster
            .revisions
            .iter()
            .map(|r| ValueCount {
                value: short_revision(&r.value, &services).to_owned(),
                count: r.count,
            })
            .collect();
        parts.push(list(&revisions, 3));
    }
    if let Some(instances) = evidence::instances(cluster, true) {
        parts.push(instances);
    }
    parts.join(" · ")
}

/// Whether listing `kind`'s values would say again what is said already:
/// the title shows its only value instead of the placeholder, or they are
/// the times the lines were logged, which the "Seen" line spans.
fn said_already(cluster: &WorklogCluster, kind: &str, values: &[ValueCount]) -> bool {
    let placeholder = format!("<{kind}>");
    let filled = values.len() == 1
        && cluster.template.contains(&placeholder)
        && !cluster.title.contains(&placeholder);
    filled || kind == "ts"
}

/// `` `<duration>`: `0.51s` (1), `0.52s` (1) `` per placeholder kind not
/// already shown in the title.
fn variables(cluster: &WorklogCluster) -> Vec<String> {
    let kinds: Vec<(&String, &Vec<ValueCount>)> = cluster
        .variables
        .iter()
        .filter(|(kind, values)| !values.is_empty() && !said_already(cluster, kind, values))
        .collect();
    let mut lines: Vec<String> = kinds
        .iter()
        .take(MAX_VALUE_KINDS)
        .map(|(kind, values)| {
            let shown: Vec<String> = values
                .iter()
                .take(VALUES_PER_KIND)
                .map(|v| {
                    format!(
                        "{} ({})",
                        inline_code(&cut_chars(&v.value, MAX_VARIABLE_CHARS)),
                        v.count
                    )
                })
                .collect();
            let more = if values.len() > VALUES_PER_KIND {
                format!(", and {} more", values.len() - VALUES_PER_KIND)
            } else {
                String::new()
            };
            format!(
                "{}: {}{more}",
                inline_code(&format!("<{}>", cut_chars(kind, 40))),
                shown.join(", ")
            )
        })
        .collect();
    if kinds.len() > MAX_VALUE_KINDS {
        lines.push(format!(
            "and {} more placeholder kinds",
            kinds.len() - MAX_VALUE_KINDS
        ));
    }
    lines
}

/// The facts, template and values, stack, reasons and entry of a cluster.
fn cluster_body(
    cluster: &WorklogCluster,
    status: Status,
    worklog: &Worklog,
    clock: Clock,
    depth: Depth,
) -> String {
    let mut out = String::new();
    let mut seen = frequency(cluster.count, cluster.first_seen, cluster.last_seen, clock);
    let severities = severities(cluster);
    if !severities.is_empty() {
        let _ = write!(seen, "; {severities}");
    }
    if status == Status::Quiet {
        if let (Some(end), Some(last)) = (worklog.period.end, cluster.last_seen) {
            let _ = write!(
                seen,
                "; quiet for the last {} of the log",
                evidence::human_duration((end - last).num_seconds())
            );
        }
    }
    let _ = writeln!(out, "- **Seen:** {seen}");
    let places = places(cluster, worklog);
    if !places.is_empty() {
        let _ = writeln!(out, "- **Where:** {places}");
    }
    if depth != Depth::Brief {
        if !cluster.call_sites.is_empty() {
            let _ = writeln!(out, "- **Call site:** {}", list(&cluster.call_sites, 3));
        }
        if !cluster.statuses.is_empty() || cluster.latency.is_some() {
            let mut requests = Vec::new();
            if !cluster.statuses.is_empty() {
                requests.push(format!("HTTP {}", list(&cluster.statuses, 5)));
            }
            if let Some(latency) = &cluster.latency {
                requests.push(format!(
                    "latency {:.3} s min, {:.3} s mean, {:.3} s max",
                    latency.min_seconds, latency.mean_seconds, latency.max_seconds
                ));
            }
            let _ = writeln!(out, "- **Requests:** {}", requests.join("; "));
        }
        if !cluster.error_groups.is_empty() {
            let _ = writeln!(
                out,
                "- **Error groups:** {}",
                list(&cluster.error_groups, 5)
            );
        }
        if let Some(trend) = cluster.trend {
            let _ = writeln!(out, "- **Trend:** {}", trend.name());
        }
    }
    let _ = writeln!(
        out,
        "- **Fingerprint:** {} (cluster {})\n",
        inline_code(&cut_chars(&cluster.fingerprint, MAX_VALUE_CHARS)),
        cluster.rank
    );
    if depth == Depth::Brief {
        return out;
    }

    let variables = variables(cluster);
    let title_cut =
        cluster.title.chars().count() >= MAX_TITLE_CHARS || cluster.title.ends_with('…');
    if cluster.kind == "message"
        && cluster.template != cluster.title
        && (!variables.is_empty() || title_cut)
    {
        let _ = writeln!(
            out,
            "**Template:** {}\n",
            inline_code(&cut_chars(&cluster.template, MAX_TEMPLATE_CHARS))
        );
    }
    if !variables.is_empty() {
        let _ = writeln!(out, "**Values:**\n");
        for line in &variables {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    let stack = evidence::stack(cluster);
    if let Some(stack) = &stack {
        let _ = writeln!(out, "**Stack** (innermost first):\n");
        out.push_str(&code_block("text", stack));
        out.push('\n');
    }
    let reasons = evidence::reasons(cluster);
    if !reasons.is_empty() {
        let _ = writeln!(out, "**Why {}:**\n", cluster.priority);
        for reason in reasons.iter().take(MAX_REASONS) {
            let _ = writeln!(out, "- {reason}");
        }
        if reasons.len() > MAX_REASONS {
            let _ = writeln!(out, "- and {} more reasons", reasons.len() - MAX_REASONS);
        }
        out.push('\n');
    }
    let entry = match depth {
        Depth::Complete => entry::complete(cluster),
        _ => entry::compact(cluster),
    };
    if let Some(entry) = entry {
        out.push_str(&entry);
        out.push('\n');
    }
    out
}
