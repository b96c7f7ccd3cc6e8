//! The plan in one line per action, for a person to review before the
//! `gh` script applies it.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::issue_title::one_line;
use crate::plan::{ActionKind, IssueAction};

/// One line per action: what is done to which issue, its title, and what it
/// reports; the number of fingerprints when the issue covers several, and
/// label changes. An empty plan gives an empty text.
///
/// ```text
/// reopen  #15  [P0] Boot failure: ImportError: cannot import name 'UnifiedWebSocketManager' | 8 fingerprints | 8 to 46 new occurrences after 2025-09-15 00:00:00 UTC, the newest at 2025-09-15 00:27:07 UTC
/// comment #40  [P0] Boot failure: SyntaxError: f-string: unmatched '(' (netra-backend-staging) | 3 new occurrences after 2025-09-10 08:00:00 UTC, from 2025-09-15 00:12:22 UTC to 2025-09-15 00:27:07 UTC
/// create  new  [P2] Auth connectivity check timed out after 0.5s (netra-backend-staging) | 3 fingerprints | 6 occurrences, from 2025-09-14 22:14:03 UTC to 2025-09-14 23:15:09 UTC
/// ```
///
/// ```
/// use gardener_report::render_plan_summary;
/// assert_eq!(render_plan_summary(&[]), "");
/// ```
pub fn render_plan_summary(plan: &[IssueAction]) -> String {
    let mut out = String::new();
    for action in plan {
        let (verb, new) = match action.action {
            ActionKind::Create => ("create", ""),
            ActionKind::Comment => ("comment", "new "),
            ActionKind::Reopen => ("reopen", "new "),
        };
        let issue = action
            .issue
            .map_or_else(|| "new".to_owned(), |number| format!("#{number}"));
        let _ = write!(out, "{verb:<7} {issue:<4} {}", one_line(&action.title));
        if action.fingerprints.len() > 1 {
            let _ = write!(out, " | {} fingerprints", action.fingerprints.len());
        }
        let occurrences = &action.occurrences;
        let count = occurrences.count_text();
        let count = match count.strip_suffix("occurrences") {
            Some(number) => format!("{number}{new}occurrences"),
            None => count.replacen("occurrence", &format!("{new}occurrence"), 1),
        };
        let _ = write!(out, " | {count}");
        if let Some(after) = occurrences.after {
            let _ = write!(out, " after {}", time(after));
        }
        match (occurrences.first, occurrences.newest) {
            (Some(first), Some(newest)) if first == newest => {
                let _ = write!(out, ", at {}", time(first));
            }
            (Some(first), Some(newest)) => {
                let _ = write!(out, ", from {} to {}", time(first), time(newest));
            }
            (None, Some(newest)) => {
                let _ = write!(out, ", the newest at {}", time(newest));
            }
            _ => {}
        }
        if !action.remove_labels.is_empty() {
            let removed: Vec<String> = action
                .remove_labels
                .iter()
                .map(|label| format!("-{}", one_line(label)))
                .collect();
            let added: Vec<String> = action
                .labels
                .iter()
                .filter(|label| label.starts_with("priority:"))
                .map(|label| format!("+{}", one_line(label)))
                .collect();
            let _ = write!(out, " | labels {} {}", removed.join(" "), added.join(" "));
        }
        out.push('\n');
    }
    out
}

fn time(value: DateTime<Utc>) -> String {
    value.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}
