//! The first screen: what the log covers, what is live now, and the action
//! table, one row per problem, most urgent first.

use std::fmt::Write as _;

use gardener_prioritize::Priority;

use super::problems::Problem;
use crate::escape::{cell_code, escape_markdown, inline_code};
use crate::evidence::{count_of, cut_chars, human_duration, Clock};
use crate::title::cut_words;
use crate::worklog::{Worklog, WorklogCluster};
use gardener_prioritize::Status;

/// Longest service, revision or source name in the header and table.
const MAX_NAME_CHARS: usize = 60;
/// Services named in the title; revisions and sources named in the header.
const NAMES_SHOWN: usize = 3;
/// Rows of the action table: with the header, about 40 lines.
pub(super) const MAX_TABLE_ROWS: usize = 25;
/// Longest next step in the table, in characters.
const MAX_NEXT_STEP_CHARS: usize = 140;
/// Revisions named per row.
const REVISIONS_PER_ROW: usize = 2;

/// `name` without its service's prefix: Cloud Run names revisions
/// `<service>-<number>-<suffix>`, and the service is said elsewhere.
pub(super) fn short_revision<'a>(name: &'a str, services: &[&str]) -> &'a str {
    services
        .iter()
        .filter_map(|service| name.strip_prefix(service)?.strip_prefix('-'))
        .find(|rest| !rest.is_empty())
        .unwrap_or(name)
}

/// The service names of the worklog.
pub(super) fn service_names(worklog: &Worklog) -> Vec<&str> {
    worklog.services.iter().map(|s| s.value.as_str()).collect()
}

fn names(values: &[String], code: bool) -> String {
    let mut text = values
        .iter()
        .take(NAMES_SHOWN)
        .map(|value| {
            let value = cut_chars(value, MAX_NAME_CHARS);
            if code {
                inline_code(&value)
            } else {
                escape_markdown(&value)
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > NAMES_SHOWN {
        let _ = write!(text, " and {} more", values.len() - NAMES_SHOWN);
    }
    text
}

/// Title and the facts of the run: period, revisions, input.
pub(super) fn header(worklog: &Worklog) -> String {
    let mut out = String::new();
    let services: Vec<String> = worklog.services.iter().map(|s| s.value.clone()).collect();
    if services.is_empty() {
        let _ = writeln!(out, "# Log Gardener Worklog\n");
    } else {
        let _ = writeln!(out, "# Log Gardener Worklog: {}\n", names(&services, false));
    }
    let period = worklog.period;
    let span = match (period.start, period.end) {
        (Some(start), Some(end)) => format!(" ({})", human_duration((end - start).num_seconds())),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "- **Log:** {} to {}{span}; times below are UTC. Generated {}.",
        Clock::Full.time(period.start),
        Clock::Full.time(period.end),
        Clock::Full.time(Some(worklog.generated_at)),
    );
    if let Some((latest, older)) = worklog.revisions.split_first() {
        let mut text = format!(
            "{} (latest, {})",
            inline_code(&cut_chars(&latest.name, MAX_NAME_CHARS)),
            count_of(latest.entries, "entry", "entries")
        );
        for revision in older.iter().take(NAMES_SHOWN - 1) {
            let _ = write!(
                text,
                ", {} ({})",
                inline_code(&cut_chars(&revision.name, MAX_NAME_CHARS)),
                count_of(revision.entries, "entry", "entries")
            );
        }
        if older.len() > NAMES_SHOWN - 1 {
            let _ = write!(text, " and {} more", older.len() - (NAMES_SHOWN - 1));
        }
        let label = if older.is_empty() {
            "Revision"
        } else {
            "Revisions"
        };
        let _ = writeln!(out, "- **{label}:** {text}");
    }
    let _ = writeln!(out, "- **Input:** {}", input(worklog));
    out.push('\n');
    out
}

/// What was read, joined, skipped and clustered, in one sentence.
fn input(worklog: &Worklog) -> String {
    let input = &worklog.input;
    let mut text = count_of(input.entries_read, "entry", "entries");
    if !worklog.sources.is_empty() {
        let _ = write!(text, " from {}", names(&worklog.sources, true));
    }
    let mut notes = Vec::new();
    if input.entries_joined > 0 {
        notes.push(format!(
            "{} of a stack trace logged one line per entry, re-joined into its traceback",
            if input.entries_joined == 1 {
                "1 was a line".to_owned()
            } else {
                format!("{} were lines", input.entries_joined)
            }
        ));
    }
    notes.push(match input.entries_skipped {
        0 => "no record skipped".to_owned(),
        n => format!(
            "{} as unreadable (listed under Input at the end)",
            count_of(n, "record skipped", "records skipped")
        ),
    });
    notes.push(format!(
        "{} in {}",
        count_of(input.entries_clustered, "event", "events"),
        count_of(input.clusters as u64, "cluster", "clusters")
    ));
    if !input.folded.is_empty() {
        let severities: Vec<String> = input
            .folded
            .severities
            .iter()
            .rev()
            .map(|(severity, n)| format!("{severity} ×{n}"))
            .collect();
        notes.push(format!(
            "{} of {} rarer groups folded into one long tail to bound memory ({}), not clustered",
            count_of(input.folded.entries, "entry", "entries"),
            input.folded.groups,
            severities.join(", ")
        ));
    }
    let _ = write!(text, "; {}.", notes.join("; "));
    text
}

/// `**Now:** 3 problems live (🔴 2 P0, 🟠 1 P1), 11 quiet, 2 resolved; ...`
pub(super) fn now_line(
    worklog: &Worklog,
    problems: &[Problem<'_>],
    routine: &[&WorklogCluster],
) -> String {
    let live: Vec<&Problem<'_>> = problems
        .iter()
        .filter(|p| p.status == Status::Live)
        .collect();
    let mut parts = Vec::new();
    if live.is_empty() {
        parts.push(if problems.is_empty() {
            "no problem needs action".to_owned()
        } else {
            "no problem is live".to_owned()
        });
    } else {
        let by_priority: Vec<String> = Priority::ALL
            .iter()
            .filter_map(|&priority| {
                let n = live.iter().filter(|p| p.priority == priority).count();
                (n > 0).then(|| format!("{} {n} {priority}", priority.badge()))
            })
            .collect();
        parts.push(format!(
            "{} live ({})",
            count_of(live.len() as u64, "problem", "problems"),
            by_priority.join(", ")
        ));
    }
    for (status, word) in [(Status::Quiet, "quiet"), (Status::Resolved, "resolved")] {
        let n = problems.iter().filter(|p| p.status == status).count();
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    let mut text = format!("**Now:** {}", parts.join(", "));
    if !worklog.resolved.is_empty() {
        let _ = write!(
            text,
            "; {} of the previous run recovered",
            count_of(worklog.resolved.len() as u64, "cluster", "clusters")
        );
    }
    if !routine.is_empty() {
        let _ = write!(
            text,
            "; routine lines (P4) in {} need nothing",
            count_of(routine.len() as u64, "cluster", "clusters")
        );
    }
    text.push_str(".\n\n");
    text
}

/// `**live**, last 00:28:25`, `quiet since 23:38:08`, with the trend
/// against a previous run when there is one.
fn status_cell(problem: &Problem<'_>, clock: Clock) -> String {
    let last = clock.time(problem.last_seen());
    let mut text = match problem.status {
        Status::Live => format!("**live**, last {last}"),
        Status::Quiet => format!("quiet since {last}"),
        Status::Resolved => format!("resolved, last {last}"),
    };
    if let Some(trend) = problem
        .lead()
        .trend
        .filter(|trend| *trend != gardener_prioritize::Trend::Resolved)
    {
        let _ = write!(text, ", {}", trend.name());
    }
    text
}

/// A table cell: services (when the worklog has several) and short revision names.
fn where_cell(problem: &Problem<'_>, worklog: &Worklog, per_kind: usize) -> String {
    let services = service_names(worklog);
    let mut parts = Vec::new();
    if services.len() > 1 {
        parts.extend(
            problem
                .services()
                .iter()
                .take(per_kind)
                .map(|s| cell_code(&cut_chars(s, MAX_NAME_CHARS))),
        );
    }
    let revisions = problem.revisions();
    parts.extend(
        revisions
            .iter()
            .take(per_kind)
            .map(|r| cell_code(&cut_chars(short_revision(r, &services), MAX_NAME_CHARS))),
    );
    let mut text = parts.join(", ");
    if revisions.len() > per_kind {
        let _ = write!(text, " +{}", revisions.len() - per_kind);
    }
    if text.is_empty() {
        text.push_str("unknown");
    }
    text
}

/// The next step of a row: the lead cluster's, or "same as row N" when an
/// earlier row of the table says it already.
fn next_step_cell(problem: &Problem<'_>, earlier: &[Problem<'_>]) -> String {
    let step = &problem.lead().next_step;
    match earlier.iter().find(|p| &p.lead().next_step == step) {
        Some(first) => format!("Same as row {}.", first.number),
        None => escape_markdown(&cut_words(step, MAX_NEXT_STEP_CHARS)),
    }
}

fn row(problem: &Problem<'_>, earlier: &[Problem<'_>], worklog: &Worklog, clock: Clock) -> String {
    let lead = problem.lead();
    let linked = if problem.clusters.len() > 1 {
        format!(" +{} linked", problem.clusters.len() - 1)
    } else {
        String::new()
    };
    format!(
        "| {} | {} {} {} | {}{linked} | {} | {} | {} | {} |\n",
        problem.number,
        problem.priority.badge(),
        problem.priority,
        lead.category,
        cell_code(&cut_words(&lead.title, crate::title::MAX_TITLE_CHARS)),
        status_cell(problem, clock),
        where_cell(problem, worklog, REVISIONS_PER_ROW),
        problem.count(),
        next_step_cell(problem, earlier),
    )
}

/// The action table, at most `max_rows` rows and `room` bytes, and the
/// number of problems it lists.
pub(super) fn action_table(
    worklog: &Worklog,
    problems: &[Problem<'_>],
    clock: Clock,
    room: usize,
    max_rows: usize,
) -> (String, usize) {
    let mut out = String::from("## What to do, most urgent first\n\n");
    if problems.is_empty() {
        out.push_str("Nothing: no cluster needs action.\n\n");
        return (out, 0);
    }
    out.push_str("| # | Priority | Problem | Status | Where | Entries | Next step |\n");
    out.push_str("|---:|---|---|---|---|---:|---|\n");
    // Room for the line that counts the rows left out.
    let room = room.saturating_sub(200);
    let mut shown = 0;
    for (index, problem) in problems.iter().enumerate().take(max_rows) {
        let line = row(problem, &problems[..index], worklog, clock);
        if out.len() + line.len() > room {
            break;
        }
        out.push_str(&line);
        shown += 1;
    }
    out.push('\n');
    if shown < problems.len() {
        let rest = &problems[shown..];
        let by_priority: Vec<String> = Priority::ALL
            .iter()
            .filter_map(|&priority| {
                let n = rest.iter().filter(|p| p.priority == priority).count();
                (n > 0).then(|| format!("{n} {priority}"))
            })
            .collect();
        let _ = writeln!(
            out,
            "Not in this table: {} ({}).\n",
            count_of(rest.len() as u64, "more problem", "more problems"),
            by_priority.join(", ")
        );
    }
    (out, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! revisions {
        ($($name:ident: $revision:expr, $services:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(short_revision($revision, $services), $expected, "input {:?}", $revision);
            }
        )*};
    }

    revisions! {
        service_prefix_is_dropped: "netra-backend-staging-00589-g9x", &["netra-backend-staging"] => "00589-g9x",
        other_service_keeps_the_name: "auth-00012-abc", &["netra-backend-staging"] => "auth-00012-abc",
        prefix_without_dash_is_kept: "apiv2-00001-x", &["api"] => "apiv2-00001-x",
        any_of_several_services: "auth-00012-abc", &["api", "auth"] => "00012-abc",
        name_equal_to_the_service_is_kept: "api-", &["api"] => "api-",
    }
}
