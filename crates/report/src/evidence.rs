//! The pieces that describe one cluster, shared by the worklog and the issue
//! drafts: facts, template and values, stack, reasons, representative entry.
//!
//! Every piece of log text goes through [`escape_markdown`], [`inline_code`]
//! or [`code_block`], and every value is cut to a bounded length, so a piece's
//! size is bounded by the number of its items, never by what a log held.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::escape::{escape_markdown, inline_code};
use crate::worklog::{ValueCount, WorklogCluster};

/// Longest value shown in a list, in characters.
pub(crate) const MAX_VALUE_CHARS: usize = 200;
/// Longest variable value shown, in characters: a `<list>` of class names
/// is worth reading whole.
const MAX_VARIABLE_CHARS: usize = 600;
/// Longest title shown, in characters.
pub(crate) const MAX_TITLE_CHARS: usize = 160;
/// Longest reason shown, in characters.
pub(crate) const MAX_REASON_CHARS: usize = 1000;
/// Longest next step shown, in characters.
const MAX_NEXT_STEP_CHARS: usize = 500;
/// Frames shown of a stack.
pub(crate) const MAX_FRAMES: usize = 12;

/// `2025-09-15 00:30:00 UTC`, or `unknown`.
pub(crate) fn time(value: Option<DateTime<Utc>>) -> String {
    value.map_or_else(
        || "unknown".to_owned(),
        |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

/// `1 entry`, `2 entries`.
pub(crate) fn count_of(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The first `max` characters of `text`, with `…` when cut.
pub(crate) fn cut_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => {
            let cut: String = text[..end].chars().take(max.saturating_sub(1)).collect();
            format!("{cut}…")
        }
        None => text.to_owned(),
    }
}

/// The first line of `text`, cut to [`MAX_TITLE_CHARS`].
pub(crate) fn first_line(text: &str) -> String {
    cut_chars(text.lines().next().unwrap_or_default(), MAX_TITLE_CHARS)
}

/// `` `a` (3), `b` (1), and 4 more ``.
pub(crate) fn list(values: &[ValueCount], limit: usize) -> String {
    list_cut(values, limit, MAX_VALUE_CHARS)
}

fn list_cut(values: &[ValueCount], limit: usize, max_chars: usize) -> String {
    let mut text = values
        .iter()
        .take(limit)
        .map(|v| {
            format!(
                "{} ({})",
                inline_code(&cut_chars(&v.value, max_chars)),
                v.count
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > limit {
        let _ = write!(text, ", and {} more", values.len() - limit);
    }
    text
}

fn short_instance(id: &str) -> String {
    cut_chars(id, 13)
}

/// The facts of a cluster as list items (without the leading `- `):
/// priority, severity, frequency, places, trend, fingerprint.
pub(crate) fn facts(cluster: &WorklogCluster) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(format!(
        "**Priority:** {} ({}) · **Category:** {}",
        cluster.priority,
        cluster.priority.label(),
        cluster.category
    ));
    if let Some(trend) = &cluster.trend {
        lines.push(format!(
            "**Trend:** {}",
            escape_markdown(&cut_chars(trend, MAX_VALUE_CHARS))
        ));
    }
    if let Some(incident) = cluster.incident {
        lines.push(format!("**Incident:** {incident}"));
    }
    let severities: Vec<String> = cluster
        .severities
        .iter()
        .rev()
        .map(|(severity, n)| format!("{severity} ×{n}"))
        .collect();
    if !severities.is_empty() {
        lines.push(format!("**Severity:** {}", severities.join(", ")));
    }
    lines.push(format!(
        "**Frequency:** {} ({}/hour), first seen {}, last seen {}",
        count_of(cluster.count, "entry", "entries"),
        cluster.rate_per_hour,
        time(cluster.first_seen),
        time(cluster.last_seen)
    ));
    if !cluster.services.is_empty() {
        lines.push(format!("**Services:** {}", list(&cluster.services, 5)));
    }
    if !cluster.revisions.is_empty() {
        lines.push(format!("**Revisions:** {}", list(&cluster.revisions, 5)));
    }
    if cluster.instance_count > 0 {
        let shown: Vec<String> = cluster
            .instances
            .iter()
            .take(5)
            .map(|v| format!("{} ({})", inline_code(&short_instance(&v.value)), v.count))
            .collect();
        lines.push(format!(
            "**Instances:** {}{}: {}",
            cluster.instance_count,
            if cluster.instances_truncated { "+" } else { "" },
            shown.join(", ")
        ));
    }
    if !cluster.call_sites.is_empty() {
        lines.push(format!("**Call site:** {}", list(&cluster.call_sites, 3)));
    }
    if !cluster.statuses.is_empty() {
        lines.push(format!("**HTTP status:** {}", list(&cluster.statuses, 5)));
    }
    if let Some(latency) = &cluster.latency {
        lines.push(format!(
            "**Latency:** {:.3}s min, {:.3}s mean, {:.3}s max",
            latency.min_seconds, latency.mean_seconds, latency.max_seconds
        ));
    }
    if !cluster.error_groups.is_empty() {
        lines.push(format!(
            "**Error groups:** {}",
            list(&cluster.error_groups, 5)
        ));
    }
    lines.push(format!(
        "**Fingerprint:** {}",
        inline_code(&cut_chars(&cluster.fingerprint, MAX_VALUE_CHARS))
    ));
    lines
}

/// The variable values of the template, one list item per placeholder kind.
pub(crate) fn variables(cluster: &WorklogCluster) -> Vec<String> {
    cluster
        .variables
        .iter()
        .map(|(kind, values)| {
            format!(
                "{}: {}",
                inline_code(&format!("<{}>", cut_chars(kind, 40))),
                list_cut(values, 5, MAX_VARIABLE_CHARS)
            )
        })
        .collect()
}

/// The stack of the representative entry, innermost frame first, when it has frames.
pub(crate) fn stack(cluster: &WorklogCluster) -> Option<String> {
    let exception = cluster.exception.as_ref()?;
    if exception.frames.is_empty() {
        return None;
    }
    let mut text = format!("{}: {}\n", exception.kind, exception.message);
    for frame in exception.frames.iter().take(MAX_FRAMES) {
        let _ = writeln!(text, "  at {frame}");
    }
    if exception.frames.len() > MAX_FRAMES {
        let _ = writeln!(
            text,
            "  ... {} more frames",
            exception.frames.len() - MAX_FRAMES
        );
    }
    Some(text)
}

/// The reasons for the priority, escaped, one list item each.
pub(crate) fn reasons(cluster: &WorklogCluster) -> Vec<String> {
    cluster
        .reasons
        .iter()
        .map(|reason| escape_markdown(&cut_chars(reason, MAX_REASON_CHARS)))
        .collect()
}

/// `(insertId `x`, 2025-09-15 00:27:07 UTC)`.
pub(crate) fn representative_caption(cluster: &WorklogCluster) -> Option<String> {
    let representative = cluster.representative.as_ref()?;
    Some(format!(
        "insertId {}, {}",
        inline_code(&cut_chars(&representative.insert_id, MAX_VALUE_CHARS)),
        time(representative.timestamp)
    ))
}

/// The one-line title as an inline code span.
pub(crate) fn title_code(cluster: &WorklogCluster) -> String {
    inline_code(&first_line(&cluster.title))
}

/// The next step, escaped; short, as issue bodies never cut it.
pub(crate) fn next_step(cluster: &WorklogCluster) -> String {
    escape_markdown(&cut_chars(&cluster.next_step, MAX_NEXT_STEP_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! cuts {
        ($($name:ident: $input:expr, $max:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(cut_chars($input, $max), $expected, "input {:?}", $input);
            }
        )*};
    }

    cuts! {
        short_text_stays: "abc", 5 => "abc",
        exact_length_stays: "abcde", 5 => "abcde",
        long_text_is_cut_with_ellipsis: "abcdef", 5 => "abcd…",
        multibyte_is_cut_on_char_boundary: "ééééé€", 3 => "éé…",
        empty_stays_empty: "", 3 => "",
    }

    #[test]
    fn plurals() {
        assert_eq!(count_of(1u64, "entry", "entries"), "1 entry");
        assert_eq!(count_of(0u64, "entry", "entries"), "0 entries");
        assert_eq!(count_of(2u64, "entry", "entries"), "2 entries");
    }
}
