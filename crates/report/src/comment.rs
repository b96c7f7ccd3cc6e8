//! The comment the plan posts on an existing issue: only what is new since
//! the last report (or since it was closed), never the old evidence.

use chrono::{DateTime, Utc};
use gardener_prioritize::Priority;

use crate::body::Body;
use crate::escape::inline_code;
use crate::evidence::{count_of, time};
use crate::evidence::{cut_chars, MAX_VALUE_CHARS};
use crate::github::{cluster_line, fingerprint_code, finish, generator, representative};
use crate::markers::FingerprintMarker;
use crate::occurrences::News;
use crate::worklog::{Worklog, WorklogCluster};

/// Revisions named per reported cluster.
const MAX_REVISIONS: usize = 5;

/// One cluster an issue covers in this run, and what is new about it.
#[derive(Debug)]
pub(crate) struct Report<'a> {
    /// The cluster.
    pub(crate) cluster: &'a WorklogCluster,
    /// Its occurrences after what the issue already knows.
    pub(crate) news: News,
    /// Whether the issue carried no marker for it yet.
    pub(crate) newly_tracked: bool,
    /// Up to when its occurrences have been seen once this comment is posted.
    pub(crate) seen_until: Option<DateTime<Utc>>,
}

/// Why the comment is posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Occasion {
    /// The issue is open and there are newer occurrences.
    Update,
    /// The issue was closed (at that time, if known) and there are
    /// occurrences after it.
    Reopen {
        /// When it was closed.
        closed_at: Option<DateTime<Utc>>,
        /// The fingerprint the issue was filed for (the first marker of its
        /// description), when that one did not occur again.
        quiet_cause: Option<String>,
    },
}

/// The comment: a summary line, one item per cluster with new occurrences,
/// the clusters newly tracked without any, a priority change, the
/// representative entry when it is itself new, and the `markers`.
pub(crate) fn news_comment(
    worklog: &Worklog,
    reports: &[Report<'_>],
    occasion: Occasion,
    priority_change: Option<(Priority, Priority)>,
    markers: &[FingerprintMarker],
    limit: usize,
) -> String {
    let mut body = Body::default();
    let found = format!(
        "Found by {} in the worklog generated {}.",
        generator(worklog),
        time(Some(worklog.generated_at))
    );
    body.fixed(match occasion {
        Occasion::Update => format!(
            "### New occurrences\n\n{found} Only occurrences newer than those already reported here are counted.\n\n"
        ),
        Occasion::Reopen {
            closed_at,
            quiet_cause,
        } => {
            let counted = match closed_at {
                Some(closed) => format!(
                    "This issue was closed at {}; only occurrences after that, and newer than those already reported here, are counted.",
                    time(Some(closed))
                ),
                None => "The listing did not say when this issue was closed, so every occurrence newer than those already reported here is counted.".to_owned(),
            };
            let cause = match quiet_cause {
                Some(cause) => format!(
                    " The fingerprint it was filed for, {}, has not occurred since: what follows may have another cause.",
                    inline_code(&cut_chars(&cause, MAX_VALUE_CHARS))
                ),
                None => String::new(),
            };
            format!(
                "### Occurring again after this issue was closed\n\n{found} {counted}{cause} Reopening.\n\n"
            )
        }
    });
    let (with_news, without_news): (Vec<&Report>, Vec<&Report>) = reports
        .iter()
        .partition(|report| report.news.occurrences.any());
    body.list(
        2,
        String::new(),
        with_news.iter().map(|report| news_item(report)).collect(),
        "clusters",
    );
    if with_news
        .iter()
        .any(|report| !report.news.occurrences.is_exact())
    {
        body.fixed(
            "*A range means the exact number, and the first new occurrence, are not known: the worklog keeps only a cluster's first and last time and its revisions.*\n\n"
                .to_owned(),
        );
    }
    let quiet_new: Vec<String> = without_news
        .iter()
        .filter(|report| report.newly_tracked)
        .map(|report| {
            format!(
                "{}: nothing newer to report · {}",
                cluster_line(report.cluster),
                fingerprint_code(report.cluster)
            )
        })
        .collect();
    body.list(
        1,
        "Tracked here from now on too, as part of the same incident:\n\n".to_owned(),
        quiet_new,
        "clusters",
    );
    if let Some((before, now)) = priority_change {
        body.fixed(format!(
            "**Priority:** {before} → {now} (the label `priority:{before}` is replaced by `priority:{now}`).\n\n"
        ));
    }
    // The first reported cluster's representative, when it is one of the new occurrences.
    if let Some(report) = with_news.first() {
        let after = report.news.occurrences.after;
        let fresh = report
            .cluster
            .representative
            .as_ref()
            .and_then(|r| r.timestamp)
            .is_some_and(|t| after.is_none_or(|after| t > after));
        if fresh {
            representative(&mut body, report.cluster);
        }
    }
    finish(body, markers, limit)
}

/// `**P0** · Boot failure · `…`: 3 occurrences after T, from A to B; in `rev` (3) · `v1:…``.
fn news_item(report: &Report<'_>) -> String {
    let occurrences = &report.news.occurrences;
    let mut item = cluster_line(report.cluster);
    if report.newly_tracked {
        item.push_str(" (tracked here from now on)");
    }
    item.push_str(": ");
    item.push_str(&occurrences.count_text());
    if let Some(after) = occurrences.after {
        item.push_str(&format!(" after {}", time(Some(after))));
    }
    match (occurrences.first, occurrences.newest) {
        (Some(first), Some(newest)) if first == newest => {
            item.push_str(&format!(", at {}", time(Some(first))));
        }
        (Some(first), Some(newest)) => {
            item.push_str(&format!(
                ", from {} to {}",
                time(Some(first)),
                time(Some(newest))
            ));
        }
        (None, Some(newest)) => {
            item.push_str(&format!(", the newest at {}", time(Some(newest))));
        }
        _ => {}
    }
    let revisions = &report.news.revisions;
    if !revisions.is_empty() {
        let names: Vec<String> = revisions
            .iter()
            .take(MAX_REVISIONS)
            .map(|(name, count, all)| {
                let code = inline_code(&cut_chars(name, MAX_VALUE_CHARS));
                if *all {
                    format!("{code} ({count})")
                } else {
                    format!("{code} (up to {count})")
                }
            })
            .collect();
        item.push_str("; in ");
        item.push_str(&names.join(", "));
        if revisions.len() > MAX_REVISIONS {
            item.push_str(&format!(
                " and {}",
                count_of(
                    (revisions.len() - MAX_REVISIONS) as u64,
                    "other revision",
                    "other revisions"
                )
            ));
        }
    }
    item.push_str(" · ");
    item.push_str(&fingerprint_code(report.cluster));
    item
}
