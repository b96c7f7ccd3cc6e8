//! Rendering a [`Worklog`] as Markdown, in the structure of the hand-written worklogs.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use gardener_prioritize::{Category, Priority};

use crate::escape::{cell_code, code_block, escape_markdown, inline_code};
use crate::evidence::{self, count_of, cut_chars, first_line, list, time, MAX_VALUE_CHARS};
use crate::github::defang_markers;
use crate::worklog::{Worklog, WorklogCluster};

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

/// When a priority's clusters should be worked on.
pub(crate) fn urgency(priority: Priority) -> &'static str {
    match priority {
        Priority::P0 => "Immediately",
        Priority::P1 => "Today",
        Priority::P2 => "This week",
        Priority::P3 => "When convenient",
        Priority::P4 => "No action",
    }
}

/// What a category means for the service's users, for the impact summary.
fn impact(category: Category) -> &'static str {
    match category {
        Category::BootFailure => "the service cannot start",
        Category::CrashLoop => "containers keep exiting",
        Category::MemoryLimit => "instances run out of memory",
        Category::ServerError => "requests fail with 5xx",
        Category::DependencyFailure => "a dependency is unreachable or slow",
        Category::AuthFailure => "authentication fails",
        Category::RequestError => "requests or messages fail while being handled",
        Category::DataIntegrity => "user isolation or data consistency is at risk",
        Category::Configuration => "configuration is wrong",
        Category::Deprecation => "deprecated APIs are in use",
        Category::ClientError => "clients get 4xx answers",
        Category::Warning => "warnings are logged",
        Category::Noise => "routine noise",
        _ => "unclassified problems",
    }
}

/// Renders the worklog as Markdown.
///
/// The worklog is scrubbed of secrets first ([`Worklog::scrubbed`]) and every
/// text from a log is escaped, so the document is safe to publish as is.
pub fn render_markdown(worklog: &Worklog) -> String {
    let worklog = &worklog.scrubbed();
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
    resolved(&mut out, worklog);
    frequency_table(&mut out, worklog);
    severity_table(&mut out, worklog);
    priority_matrix(&mut out, worklog);
    next_steps(&mut out, worklog);
    footer(&mut out, worklog);
    defang_markers(&out).into_owned()
}

fn header(out: &mut String, worklog: &Worklog) {
    let services: Vec<String> = worklog
        .services
        .iter()
        .take(5)
        .map(|s| cut_chars(&s.value, MAX_VALUE_CHARS))
        .collect();
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
            "{} (latest, {})",
            inline_code(&cut_chars(&latest.name, MAX_VALUE_CHARS)),
            count_of(latest.entries, "entry", "entries")
        );
        for revision in previous.iter().take(4) {
            let _ = write!(
                text,
                ", {} ({})",
                inline_code(&cut_chars(&revision.name, MAX_VALUE_CHARS)),
                count_of(revision.entries, "entry", "entries")
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
        "- **Entries analyzed:** {} read, {} skipped as unreadable, {} clustered into {}",
        input.entries_read,
        input.entries_skipped,
        input.entries_clustered,
        count_of(input.clusters as u64, "cluster", "clusters")
    );
    if !worklog.sources.is_empty() {
        let sources: Vec<String> = worklog
            .sources
            .iter()
            .take(10)
            .map(|s| inline_code(&cut_chars(s, MAX_VALUE_CHARS)))
            .collect();
        let more = worklog.sources.len().saturating_sub(10);
        let _ = writeln!(
            out,
            "- **Input:** {}{}",
            sources.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        );
    }
    for error in input.errors.iter().take(5) {
        let _ = writeln!(
            out,
            "- **Skipped:** {}",
            escape_markdown(&cut_chars(error, evidence::MAX_REASON_CHARS))
        );
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
        "**{actionable} of {} need action** ({}).\n",
        count_of(worklog.clusters.len() as u64, "cluster", "clusters"),
        if breakdown.is_empty() {
            "none".to_owned()
        } else {
            breakdown.join(", ")
        }
    );
    impact_summary(out, worklog);
    incidents(out, worklog);
    let urgent: Vec<&WorklogCluster> = worklog
        .clusters
        .iter()
        .filter(|c| c.priority <= Priority::P2)
        .collect();
    if !urgent.is_empty() {
        let _ = writeln!(out, "**Clusters that need action, most urgent first:**\n");
    }
    for cluster in urgent {
        let _ = writeln!(
            out,
            "- {} **{} {}** (cluster {}): {} — {} on {}{}",
            cluster.priority.badge(),
            cluster.priority,
            cluster.category,
            cluster.rank,
            evidence::title_code(cluster),
            count_of(cluster.count, "entry", "entries"),
            count_of(cluster.instance_count as u64, "instance", "instances"),
            cluster
                .trend
                .as_ref()
                .map(|trend| format!(" ({})", escape_markdown(&cut_chars(trend, 40))))
                .unwrap_or_default()
        );
    }
    out.push('\n');
}

/// One line per urgent priority: what it means for users, how much, where.
fn impact_summary(out: &mut String, worklog: &Worklog) {
    let latest = worklog.revisions.first().map(|r| r.name.as_str());
    let mut any = false;
    for priority in [Priority::P0, Priority::P1, Priority::P2] {
        let clusters: Vec<&WorklogCluster> = worklog.clusters_at(priority).collect();
        if clusters.is_empty() {
            continue;
        }
        if !any {
            let _ = writeln!(out, "**Impact:**\n");
            any = true;
        }
        let mut categories: Vec<Category> = Vec::new();
        for cluster in &clusters {
            if !categories.contains(&cluster.category) {
                categories.push(cluster.category);
            }
        }
        let impacts: Vec<String> = categories
            .iter()
            .map(|&c| format!("{} ({c})", impact(c)))
            .collect();
        let entries: u64 = clusters.iter().map(|c| c.count).sum();
        // Most recently active first, as the header lists them.
        let mut revisions: Vec<&str> = clusters
            .iter()
            .flat_map(|c| c.revisions.iter().map(|r| r.value.as_str()))
            .collect::<BTreeSet<&str>>()
            .into_iter()
            .collect();
        revisions.sort_by_key(|&name| {
            worklog
                .revisions
                .iter()
                .position(|r| r.name == name)
                .unwrap_or(usize::MAX)
        });
        let last_seen = clusters.iter().filter_map(|c| c.last_seen).max();
        let mut text = format!(
            "- {} **{} ({}):** {} — {} in {}",
            priority.badge(),
            priority,
            priority.label(),
            impacts.join("; "),
            count_of(entries, "entry", "entries"),
            count_of(clusters.len() as u64, "cluster", "clusters"),
        );
        if !revisions.is_empty() {
            let names: Vec<String> = revisions
                .iter()
                .take(3)
                .map(|&name| {
                    let code = inline_code(&cut_chars(name, MAX_VALUE_CHARS));
                    if Some(name) == latest {
                        format!("{code} (latest)")
                    } else {
                        code
                    }
                })
                .collect();
            let _ = write!(text, ", in {}", names.join(", "));
            if revisions.len() > 3 {
                let _ = write!(text, " and {} more revisions", revisions.len() - 3);
            }
        }
        let _ = writeln!(out, "{text}, last seen {}", time(last_seen));
    }
    if any {
        out.push('\n');
    }
}

/// Clusters grouped by incident, when the worklog carries incidents.
fn incidents(out: &mut String, worklog: &Worklog) {
    let numbers: BTreeSet<usize> = worklog.clusters.iter().filter_map(|c| c.incident).collect();
    if numbers.is_empty() {
        return;
    }
    let _ = writeln!(out, "**Incidents:**\n");
    for number in numbers {
        let members: Vec<&WorklogCluster> = worklog
            .clusters
            .iter()
            .filter(|c| c.incident == Some(number))
            .collect();
        let Some(lead) = members.first() else {
            continue;
        };
        let ranks: Vec<String> = members.iter().map(|c| c.rank.to_string()).collect();
        let _ = writeln!(
            out,
            "- {} **Incident {number}** ({} {}): clusters {} — {}",
            lead.priority.badge(),
            lead.priority,
            lead.category,
            ranks.join(", "),
            evidence::title_code(lead)
        );
    }
    out.push('\n');
}

fn cluster_section(out: &mut String, cluster: &WorklogCluster) {
    let _ = writeln!(
        out,
        "### {} Cluster {}: {}\n",
        cluster.priority.badge(),
        cluster.rank,
        evidence::title_code(cluster)
    );
    for fact in evidence::facts(cluster) {
        let _ = writeln!(out, "- {fact}");
    }
    out.push('\n');

    let _ = writeln!(out, "**Template:**\n");
    out.push_str(&code_block("text", &cluster.template));
    out.push('\n');
    let variables = evidence::variables(cluster);
    if !variables.is_empty() {
        let _ = writeln!(out, "**Variable values:**\n");
        for line in variables {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    if let Some(stack) = evidence::stack(cluster) {
        let _ = writeln!(out, "**Stack (innermost first):**\n");
        out.push_str(&code_block("text", &stack));
        out.push('\n');
    }
    let _ = writeln!(out, "**Why {}:**\n", cluster.priority);
    for reason in evidence::reasons(cluster) {
        let _ = writeln!(out, "- {reason}");
    }
    out.push('\n');
    if let (Some(caption), Some(representative)) = (
        evidence::representative_caption(cluster),
        &cluster.representative,
    ) {
        let _ = writeln!(out, "**Representative entry** ({caption}):\n");
        out.push_str(&code_block("json", &representative.json));
        out.push('\n');
    }
    let _ = writeln!(out, "**Next step:** {}\n", evidence::next_step(cluster));
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
        "{}, {} of expected noise; no action needed.\n",
        count_of(noise.len() as u64, "cluster", "clusters"),
        count_of(entries, "entry", "entries")
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
            cell_code(&cut_chars(&cluster.fingerprint, MAX_VALUE_CHARS))
        );
    }
    out.push('\n');
}

fn resolved(out: &mut String, worklog: &Worklog) {
    if worklog.resolved.is_empty() {
        return;
    }
    let _ = writeln!(out, "## ✅ Resolved since the previous run\n");
    let _ = writeln!(
        out,
        "{} of the previous run did not occur again.\n",
        count_of(worklog.resolved.len() as u64, "cluster", "clusters")
    );
    let _ = writeln!(
        out,
        "| Was | Cluster | Entries then | Last seen | Fingerprint |"
    );
    let _ = writeln!(out, "|---|---|---:|---|---|");
    for cluster in &worklog.resolved {
        let _ = writeln!(
            out,
            "| {} {} {} | {} | {} | {} | {} |",
            cluster.priority.badge(),
            cluster.priority,
            cluster.category,
            cell_code(&first_line(&cluster.title)),
            cluster.count,
            time(cluster.last_seen),
            cell_code(&cut_chars(&cluster.fingerprint, MAX_VALUE_CHARS))
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
    let _ = writeln!(
        out,
        "| Priority | Clusters | Entries | Categories | Action |"
    );
    let _ = writeln!(out, "|---|---:|---:|---|---|");
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
            "| {} {} ({}) | {} | {entries} | {} | {} |",
            priority.badge(),
            priority,
            priority.label(),
            clusters.len(),
            categories.join(", "),
            urgency(priority)
        );
    }
    out.push('\n');
}

/// Per priority, one step per category, with the clusters it covers.
fn next_steps(out: &mut String, worklog: &Worklog) {
    let _ = writeln!(out, "## Next Steps\n");
    let mut any = false;
    for priority in [Priority::P0, Priority::P1, Priority::P2, Priority::P3] {
        let clusters: Vec<&WorklogCluster> = worklog.clusters_at(priority).collect();
        if clusters.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(
            out,
            "### {} {} — {}\n",
            priority.badge(),
            priority,
            urgency(priority)
        );
        let mut categories: Vec<Category> = Vec::new();
        for cluster in &clusters {
            if !categories.contains(&cluster.category) {
                categories.push(cluster.category);
            }
        }
        for (n, category) in categories.iter().enumerate() {
            let members: Vec<&&WorklogCluster> = clusters
                .iter()
                .filter(|c| c.category == *category)
                .collect();
            let step = members
                .first()
                .map(|c| evidence::next_step(c))
                .unwrap_or_default();
            let _ = writeln!(out, "{}. **{category}:** {step}", n + 1);
            for cluster in members {
                // Where to look first: the call site, else the innermost frame.
                let place = cluster
                    .call_sites
                    .first()
                    .map(|site| site.value.as_str())
                    .or_else(|| {
                        let exception = cluster.exception.as_ref()?;
                        exception.frames.first().map(String::as_str)
                    })
                    .map(|place| format!(" at {}", inline_code(&cut_chars(place, MAX_VALUE_CHARS))))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "   - Cluster {}: {}{place}",
                    cluster.rank,
                    evidence::title_code(cluster)
                );
            }
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
        escape_markdown(&cut_chars(&worklog.generator, MAX_VALUE_CHARS)),
        worklog.schema_version
    );
}
