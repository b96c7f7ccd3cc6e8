//! Rendering a [`Worklog`] as Markdown, in the structure of the hand-written worklogs.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use gardener_prioritize::Priority;

use crate::escape::{cell_code, code_block, escape_markdown, inline_code};
use crate::worklog::{ValueCount, Worklog, WorklogCluster};

fn time(value: Option<DateTime<Utc>>) -> String {
    value.map_or_else(
        || "unknown".to_owned(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

fn list(values: &[ValueCount], limit: usize) -> String {
    let mut text = values
        .iter()
        .take(limit)
        .map(|v| format!("{} ({})", inline_code(&v.value), v.count))
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > limit {
        let _ = write!(text, ", and {} more", values.len() - limit);
    }
    text
}

fn short_instance(id: &str) -> &str {
    let end = id.char_indices().nth(12).map_or(id.len(), |(i, _)| i);
    &id[..end]
}

fn duration(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> String {
    match (start, end) {
        (Some(start), Some(end)) => {
            let minutes = (end - start).num_minutes();
            if minutes >= 120 {
                format!("{:.1} h", minutes as f64 / 60.0)
            } else {
                format!("{minutes} min")
            }
        }
        _ => "unknown".to_owned(),
    }
}

/// Renders the worklog as Markdown.
pub fn render_markdown(worklog: &Worklog) -> String {
    let mut out = String::with_capacity(16 * 1024);
    header(&mut out, worklog);
    summary(&mut out, worklog);
    let _ = writeln!(out, "## Clusters\n");
    let detailed: Vec<&WorklogCluster> = worklog
        .clusters
        .iter()
        .filter(|c| c.priority < Priority::P4)
        .collect();
    if detailed.is_empty() {
        let _ = writeln!(out, "No cluster needs action.\n");
    }
    for cluster in detailed {
        cluster_section(&mut out, cluster);
    }
    informational(&mut out, worklog);
    frequency_table(&mut out, worklog);
    severity_table(&mut out, worklog);
    priority_matrix(&mut out, worklog);
    next_steps(&mut out, worklog);
    footer(&mut out, worklog);
    out
}

fn header(out: &mut String, worklog: &Worklog) {
    let services: Vec<String> = worklog.services.iter().map(|s| s.value.clone()).collect();
    let title = if services.is_empty() {
        "Log Gardener Worklog".to_owned()
    } else {
        format!(
            "Log Gardener Worklog: {}",
            escape_markdown(&services.join(", "))
        )
    };
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(out, "- **Generated:** {}", time(Some(worklog.generated_at)));
    if !services.is_empty() {
        let _ = writeln!(out, "- **Services:** {}", list(&worklog.services, 5));
    }
    if let Some((latest, previous)) = worklog.revisions.split_first() {
        let mut text = format!(
            "{} (latest, {} entries)",
            inline_code(&latest.name),
            latest.entries
        );
        for revision in previous.iter().take(4) {
            let _ = write!(
                text,
                ", {} ({} entries)",
                inline_code(&revision.name),
                revision.entries
            );
        }
        if previous.len() > 4 {
            let _ = write!(text, ", and {} more", previous.len() - 4);
        }
        let _ = writeln!(out, "- **Revisions:** {text}");
    }
    let _ = writeln!(
        out,
        "- **Log period:** {} to {} ({})",
        time(worklog.period.start),
        time(worklog.period.end),
        duration(worklog.period.start, worklog.period.end)
    );
    let input = &worklog.input;
    let _ = writeln!(
        out,
        "- **Entries analyzed:** {} read, {} skipped as unreadable, {} clustered into {} clusters",
        input.entries_read, input.entries_skipped, input.entries_clustered, input.clusters
    );
    if !worklog.sources.is_empty() {
        let sources: Vec<String> = worklog.sources.iter().map(|s| inline_code(s)).collect();
        let _ = writeln!(out, "- **Input:** {}", sources.join(", "));
    }
    for error in input.errors.iter().take(5) {
        let _ = writeln!(out, "- **Skipped:** {}", escape_markdown(error));
    }
    out.push('\n');
}

fn summary(out: &mut String, worklog: &Worklog) {
    let _ = writeln!(out, "## Executive Summary\n");
    let counts: Vec<(Priority, usize)> = Priority::ALL
        .iter()
        .map(|&p| (p, worklog.clusters_at(p).count()))
        .collect();
    let actionable: usize = counts
        .iter()
        .filter(|(p, _)| *p <= Priority::P2)
        .map(|(_, n)| n)
        .sum();
    let breakdown: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(p, n)| format!("{n} {p}"))
        .collect();
    let _ = writeln!(
        out,
        "**{actionable} of {} clusters need action** ({}).\n",
        worklog.clusters.len(),
        if breakdown.is_empty() {
            "none".to_owned()
        } else {
            breakdown.join(", ")
        }
    );
    if let Some(top) = worklog.clusters.first() {
        if top.priority == Priority::P0 {
            let _ = writeln!(
                out,
                "**Impact:** {} {} — {}\n",
                top.priority.badge(),
                top.category,
                inline_code(&first_line(&top.title))
            );
        }
    }
    for cluster in worklog
        .clusters
        .iter()
        .filter(|c| c.priority <= Priority::P2)
    {
        let _ = writeln!(
            out,
            "- {} **{} {}** (cluster {}): {} — {} entries on {} instances",
            cluster.priority.badge(),
            cluster.priority,
            cluster.category,
            cluster.rank,
            inline_code(&first_line(&cluster.title)),
            cluster.count,
            cluster.instance_count
        );
    }
    out.push('\n');
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 160 {
        let cut: String = line.chars().take(157).collect();
        format!("{cut}…")
    } else {
        line.to_owned()
    }
}

fn cluster_section(out: &mut String, cluster: &WorklogCluster) {
    let _ = writeln!(
        out,
        "### {} Cluster {}: {}\n",
        cluster.priority.badge(),
        cluster.rank,
        inline_code(&first_line(&cluster.title))
    );
    let _ = writeln!(
        out,
        "- **Priority:** {} ({}) · **Category:** {}",
        cluster.priority,
        cluster.priority.label(),
        cluster.category
    );
    let severities: Vec<String> = cluster
        .severities
        .iter()
        .rev()
        .map(|(severity, n)| format!("{severity} ×{n}"))
        .collect();
    let _ = writeln!(out, "- **Severity:** {}", severities.join(", "));
    let _ = writeln!(
        out,
        "- **Frequency:** {} entries ({}/hour), first seen {}, last seen {}",
        cluster.count,
        cluster.rate_per_hour,
        time(cluster.first_seen),
        time(cluster.last_seen)
    );
    if !cluster.services.is_empty() {
        let _ = writeln!(out, "- **Services:** {}", list(&cluster.services, 5));
    }
    if !cluster.revisions.is_empty() {
        let _ = writeln!(out, "- **Revisions:** {}", list(&cluster.revisions, 5));
    }
    if cluster.instance_count > 0 {
        let shown: Vec<String> = cluster
            .instances
            .iter()
            .take(5)
            .map(|v| format!("{}… ({})", inline_code(short_instance(&v.value)), v.count))
            .collect();
        let _ = writeln!(
            out,
            "- **Instances:** {}{}: {}",
            cluster.instance_count,
            if cluster.instances_truncated { "+" } else { "" },
            shown.join(", ")
        );
    }
    if !cluster.call_sites.is_empty() {
        let _ = writeln!(out, "- **Call site:** {}", list(&cluster.call_sites, 3));
    }
    if !cluster.statuses.is_empty() {
        let _ = writeln!(out, "- **HTTP status:** {}", list(&cluster.statuses, 5));
    }
    if let Some(latency) = &cluster.latency {
        let _ = writeln!(
            out,
            "- **Latency:** {:.3}s min, {:.3}s mean, {:.3}s max",
            latency.min_seconds, latency.mean_seconds, latency.max_seconds
        );
    }
    if !cluster.error_groups.is_empty() {
        let _ = writeln!(
            out,
            "- **Error groups:** {}",
            list(&cluster.error_groups, 5)
        );
    }
    let _ = writeln!(
        out,
        "- **Fingerprint:** {}",
        inline_code(&cluster.fingerprint)
    );
    out.push('\n');

    let _ = writeln!(out, "**Template:**\n");
    out.push_str(&code_block("text", &cluster.template));
    out.push('\n');
    if !cluster.variables.is_empty() {
        let _ = writeln!(out, "**Variable values:**\n");
        for (kind, values) in &cluster.variables {
            let _ = writeln!(
                out,
                "- {}: {}",
                inline_code(&format!("<{kind}>")),
                list(values, 5)
            );
        }
        out.push('\n');
    }
    if let Some(exception) = &cluster.exception {
        if !exception.frames.is_empty() {
            let _ = writeln!(out, "**Stack (innermost first):**\n");
            let mut text = format!("{}: {}\n", exception.kind, exception.message);
            for frame in exception.frames.iter().take(12) {
                let _ = writeln!(text, "  at {frame}");
            }
            if exception.frames.len() > 12 {
                let _ = writeln!(text, "  ... {} more frames", exception.frames.len() - 12);
            }
            out.push_str(&code_block("text", &text));
            out.push('\n');
        }
    }
    let _ = writeln!(out, "**Why {}:**\n", cluster.priority);
    for reason in &cluster.reasons {
        let _ = writeln!(out, "- {}", escape_markdown(reason));
    }
    out.push('\n');
    if let Some(representative) = &cluster.representative {
        let _ = writeln!(
            out,
            "**Representative entry** (insertId {}, {}):\n",
            inline_code(&representative.insert_id),
            time(representative.timestamp)
        );
        out.push_str(&code_block("json", &representative.json));
        out.push('\n');
    }
    let _ = writeln!(out, "**Next step:** {}\n", cluster.next_step);
    let _ = writeln!(out, "---\n");
}

fn informational(out: &mut String, worklog: &Worklog) {
    let noise: Vec<&WorklogCluster> = worklog.clusters_at(Priority::P4).collect();
    if noise.is_empty() {
        return;
    }
    let entries: u64 = noise.iter().map(|c| c.count).sum();
    let _ = writeln!(out, "## ⚪ Informational (P4)\n");
    let _ = writeln!(
        out,
        "{} clusters, {entries} entries of expected noise; no action needed.\n",
        noise.len()
    );
    let _ = writeln!(out, "| # | Cluster | Count | Category | Fingerprint |");
    let _ = writeln!(out, "|---|---|---:|---|---|");
    for cluster in noise {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cluster.rank,
            cell_code(&first_line(&cluster.title)),
            cluster.count,
            cluster.category,
            cell_code(&cluster.fingerprint)
        );
    }
    out.push('\n');
}

fn frequency_table(out: &mut String, worklog: &Worklog) {
    let total: u64 = worklog.input.entries_clustered.max(1);
    let _ = writeln!(out, "## Frequency\n");
    let _ = writeln!(
        out,
        "| # | Priority | Cluster | Count | Share | Per hour | Instances |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---:|---:|");
    let mut by_count: Vec<&WorklogCluster> = worklog.clusters.iter().collect();
    by_count.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rank.cmp(&b.rank)));
    for cluster in by_count {
        let _ = writeln!(
            out,
            "| {} | {} {} | {} | {} | {:.1}% | {} | {} |",
            cluster.rank,
            cluster.priority.badge(),
            cluster.priority,
            cell_code(&first_line(&cluster.title)),
            cluster.count,
            cluster.count as f64 * 100.0 / total as f64,
            cluster.rate_per_hour,
            cluster.instance_count
        );
    }
    out.push('\n');
}

fn severity_table(out: &mut String, worklog: &Worklog) {
    let total: u64 = worklog.severities.values().sum::<u64>().max(1);
    let _ = writeln!(out, "## Severity Distribution\n");
    let _ = writeln!(out, "| Severity | Entries | Share |");
    let _ = writeln!(out, "|---|---:|---:|");
    for (severity, n) in worklog.severities.iter().rev() {
        let _ = writeln!(
            out,
            "| {severity} | {n} | {:.1}% |",
            *n as f64 * 100.0 / total as f64
        );
    }
    out.push('\n');
}

fn priority_matrix(out: &mut String, worklog: &Worklog) {
    let _ = writeln!(out, "## Priority Matrix\n");
    let _ = writeln!(out, "| Priority | Clusters | Entries | Categories |");
    let _ = writeln!(out, "|---|---:|---:|---|");
    for priority in Priority::ALL {
        let clusters: Vec<&WorklogCluster> = worklog.clusters_at(priority).collect();
        if clusters.is_empty() {
            continue;
        }
        let entries: u64 = clusters.iter().map(|c| c.count).sum();
        let mut categories: Vec<String> = clusters.iter().map(|c| c.category.to_string()).collect();
        categories.sort();
        categories.dedup();
        let _ = writeln!(
            out,
            "| {} {} ({}) | {} | {entries} | {} |",
            priority.badge(),
            priority,
            priority.label(),
            clusters.len(),
            categories.join(", ")
        );
    }
    out.push('\n');
}

fn next_steps(out: &mut String, worklog: &Worklog) {
    let _ = writeln!(out, "## Next Steps\n");
    let headings = [
        (Priority::P0, "Immediately"),
        (Priority::P1, "Today"),
        (Priority::P2, "This week"),
        (Priority::P3, "When convenient"),
    ];
    let mut any = false;
    for (priority, when) in headings {
        let clusters: Vec<&WorklogCluster> = worklog.clusters_at(priority).collect();
        if clusters.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(out, "### {} {} — {when}\n", priority.badge(), priority);
        for (n, cluster) in clusters.iter().enumerate() {
            let _ = writeln!(
                out,
                "{}. **Cluster {}** ({}): {} {}",
                n + 1,
                cluster.rank,
                cluster.category,
                inline_code(&first_line(&cluster.title)),
                cluster.next_step
            );
        }
        out.push('\n');
    }
    if !any {
        let _ = writeln!(out, "Nothing to do: every cluster is informational.\n");
    }
}

fn footer(out: &mut String, worklog: &Worklog) {
    let _ = writeln!(out, "---\n");
    let _ = writeln!(
        out,
        "*Generated by {} (worklog schema {}). Each cluster's fingerprint is stable across runs: use it to find the GitHub issue that tracks it.*",
        worklog.generator, worklog.schema_version
    );
}
