//! How a cluster changed since the previous run and across revisions.
//!
//! Runs overlap: today's export usually repeats some of yesterday's entries.
//! So a cluster's change is judged by its occurrences *after the previous
//! run's last entry*, never by its presence in both windows. A cluster keeps
//! only its count and its first and last time ([`OccurrencesAfter`] says
//! what those tell about the occurrences after a moment, and how exactly).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Priority;

/// A cluster's change against the previous run (or, without one, whether it
/// stopped in the latest revision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// Not in the previous run.
    New,
    /// In the previous run too, and occurring since it ended; not more urgent now.
    Ongoing,
    /// In the previous run too, occurring since it ended, and more urgent now.
    Escalated,
    /// Seen before, absent in the latest revision (or gone since the previous run).
    Resolved,
    /// Resolved in the previous run, occurring again since it ended.
    Regressed,
    /// In the previous run too, with no occurrence since it ended: this run
    /// only saw again what the previous one had already seen.
    Quiet,
}

impl Trend {
    /// The name used in JSON: `new`, `ongoing`, `escalated`, `resolved`,
    /// `regressed`, `quiet`.
    pub fn name(self) -> &'static str {
        match self {
            Trend::New => "new",
            Trend::Ongoing => "ongoing",
            Trend::Escalated => "escalated",
            Trend::Resolved => "resolved",
            Trend::Regressed => "regressed",
            Trend::Quiet => "quiet",
        }
    }

    /// A short marker for reports: `🆕 new`, `↗ escalated`, ...
    pub fn marker(self) -> &'static str {
        match self {
            Trend::New => "🆕 new",
            Trend::Ongoing => "↔ ongoing",
            Trend::Escalated => "↗ escalated",
            Trend::Resolved => "✅ resolved",
            Trend::Regressed => "↩ regressed",
            Trend::Quiet => "⏸ quiet",
        }
    }
}

impl fmt::Display for Trend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.marker())
    }
}

/// What the previous run said about one cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousCluster {
    /// Its fingerprint.
    pub fingerprint: String,
    /// Its title, to list it when it is gone.
    pub title: String,
    /// Its priority then.
    pub priority: Priority,
    /// Whether it was resolved then.
    pub resolved: bool,
}

/// The clusters of a previous run, by fingerprint, and when that run's
/// input ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    clusters: BTreeMap<String, PreviousCluster>,
    ended_at: Option<DateTime<Utc>>,
}

impl History {
    /// A history of these clusters, with no known end (every occurrence of
    /// this run then counts as one since the previous run; see
    /// [`ending_at`](History::ending_at)).
    pub fn new(clusters: impl IntoIterator<Item = PreviousCluster>) -> History {
        History {
            clusters: clusters
                .into_iter()
                .map(|cluster| (cluster.fingerprint.clone(), cluster))
                .collect(),
            ended_at: None,
        }
    }

    /// The same history, whose run's input ended at `end` (its newest
    /// entry): occurrences at or before it were that run's to see.
    #[must_use]
    pub fn ending_at(mut self, end: Option<DateTime<Utc>>) -> History {
        self.ended_at = end;
        self
    }

    /// When the previous run's input ended, if known.
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at
    }

    /// The previous run's record of a fingerprint.
    pub fn get(&self, fingerprint: &str) -> Option<&PreviousCluster> {
        self.clusters.get(fingerprint)
    }

    /// Whether there is no previous run.
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    /// Previous clusters (not already resolved then) whose fingerprint is
    /// not among `present`: they are gone, so resolved.
    pub fn vanished<'a>(
        &'a self,
        present: &'a [String],
    ) -> impl Iterator<Item = &'a PreviousCluster> + 'a {
        self.clusters
            .values()
            .filter(move |cluster| !cluster.resolved && !present.contains(&cluster.fingerprint))
    }

    /// What this run's occurrences of a cluster (`count` of them, between
    /// `first_seen` and `last_seen`) tell about those after the previous
    /// run's end.
    pub fn since_end(
        &self,
        count: u64,
        first_seen: Option<DateTime<Utc>>,
        last_seen: Option<DateTime<Utc>>,
    ) -> OccurrencesAfter {
        OccurrencesAfter::estimate(count, first_seen, last_seen, self.ended_at)
    }
}

/// How many of a cluster's occurrences came after a moment, as far as the
/// cluster's count and first and last time tell.
///
/// That is exact when the moment is before the first occurrence (all of
/// them) or not before the last (none). In between, the last occurrence is
/// after the moment and the first is not, so between 1 and `count - 1` are:
/// the exact number, and the first of them, are not known, because a cluster
/// keeps no time of its other occurrences.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use gardener_prioritize::OccurrencesAfter;
///
/// let at = |h| Some(Utc.with_ymd_and_hms(2025, 9, 13, h, 0, 0).unwrap());
/// // 9 occurrences between 08:00 and 10:00.
/// let after = |moment| OccurrencesAfter::estimate(9, at(8), at(10), moment);
/// assert_eq!((after(at(7)).at_least, after(at(7)).at_most), (9, 9));
/// assert_eq!(after(at(7)).first, at(8));
/// assert_eq!((after(at(10)).at_least, after(at(10)).at_most), (0, 0));
/// let overlap = after(at(9));
/// assert_eq!((overlap.at_least, overlap.at_most), (1, 8));
/// assert_eq!((overlap.first, overlap.newest), (None, at(10)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccurrencesAfter {
    /// The moment; `None` when there is none (every occurrence counts).
    pub after: Option<DateTime<Utc>>,
    /// At least this many occurrences came after it.
    pub at_least: u64,
    /// At most this many did.
    pub at_most: u64,
    /// The first of them, when known.
    pub first: Option<DateTime<Utc>>,
    /// The newest of them, when there is one and its time is known.
    pub newest: Option<DateTime<Utc>>,
}

impl OccurrencesAfter {
    /// What `count` occurrences between `first_seen` and `last_seen` tell
    /// about those after `after`. Without times, none is known to be after
    /// a moment (`at_least` is 0), any might be.
    pub fn estimate(
        count: u64,
        first_seen: Option<DateTime<Utc>>,
        last_seen: Option<DateTime<Utc>>,
        after: Option<DateTime<Utc>>,
    ) -> OccurrencesAfter {
        let all = OccurrencesAfter {
            after,
            at_least: count,
            at_most: count,
            first: first_seen,
            newest: last_seen,
        };
        let Some(moment) = after else {
            return all;
        };
        match (first_seen, last_seen) {
            (_, Some(last)) if last <= moment => OccurrencesAfter::none(after),
            (Some(first), Some(_)) if first > moment => all,
            (first, Some(last)) => {
                let at_least = count.min(1);
                // The first occurrence, when its time is known, is not after the moment.
                let at_most = match first {
                    Some(_) => count.saturating_sub(1).max(at_least),
                    None => count,
                };
                OccurrencesAfter {
                    after,
                    at_least,
                    at_most,
                    first: None,
                    newest: Some(last),
                }
            }
            (_, None) => OccurrencesAfter {
                after,
                at_least: 0,
                at_most: count,
                first: None,
                newest: None,
            },
        }
    }

    /// No occurrence after `after`.
    pub fn none(after: Option<DateTime<Utc>>) -> OccurrencesAfter {
        OccurrencesAfter {
            after,
            at_least: 0,
            at_most: 0,
            first: None,
            newest: None,
        }
    }

    /// Whether at least one occurrence is known to be after the moment.
    pub fn any(&self) -> bool {
        self.at_least > 0
    }

    /// Whether the number is known exactly.
    pub fn is_exact(&self) -> bool {
        self.at_least == self.at_most
    }

    /// `3 occurrences`, `1 to 8 occurrences`, `no occurrence`.
    pub fn count_text(&self) -> String {
        match (self.at_least, self.at_most) {
            (0, 0) => "no occurrence".to_owned(),
            (1, 1) => "1 occurrence".to_owned(),
            (n, m) if n == m => format!("{n} occurrences"),
            (n, m) => format!("{n} to {m} occurrences"),
        }
    }
}

/// `2025-09-13 09:27:00 UTC`.
fn time(value: DateTime<Utc>) -> String {
    value.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// What happened to a cluster since the previous run ended, in words: how
/// many occurrences, the first and the newest, and what is not known.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use gardener_prioritize::{since_previous_run, OccurrencesAfter};
///
/// let at = |h| Some(Utc.with_ymd_and_hms(2025, 9, 13, h, 0, 0).unwrap());
/// let quiet = OccurrencesAfter::estimate(9, at(8), at(10), at(10));
/// assert_eq!(since_previous_run(&quiet), "no occurrence since the previous run ended at 2025-09-13 10:00:00 UTC");
/// ```
pub fn since_previous_run(since: &OccurrencesAfter) -> String {
    let ended = since.after.map_or_else(
        || "since the previous run (its end is not known, so all of this run's)".to_owned(),
        |end| format!("since the previous run ended at {}", time(end)),
    );
    let mut text = format!("{} {ended}", since.count_text());
    match (since.first, since.newest) {
        (Some(first), Some(newest)) if first == newest => {
            text.push_str(&format!(", at {}", time(first)));
        }
        (Some(first), Some(newest)) => {
            text.push_str(&format!(", from {} to {}", time(first), time(newest)));
        }
        (None, Some(newest)) => text.push_str(&format!(
            ", the newest at {}; the exact number and the first are not known, as a cluster keeps only its first and last time",
            time(newest)
        )),
        _ if since.at_most > since.at_least => {
            text.push_str("; the entries have no time, so which are new is not known");
        }
        _ => {}
    }
    text
}

/// The trend of a cluster present now.
///
/// `history` is the previous run, if one was given; `in_latest_revision`
/// whether the cluster occurred in its service's latest revision (always
/// true when the run saw a single revision); `since` what is known of its
/// occurrences after the previous run ended ([`History::since_end`]). A
/// cluster the previous run had counts as ongoing, escalated or regressed
/// only when it occurred since then; otherwise it is [`Trend::Quiet`]
/// (or still resolved, if it was). Without a previous run only
/// [`Trend::Resolved`] can be told.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use gardener_prioritize::{classify_trend, History, OccurrencesAfter, PreviousCluster, Priority, Trend};
///
/// let at = |h| Some(Utc.with_ymd_and_hms(2025, 9, 13, h, 0, 0).unwrap());
/// let before = PreviousCluster { fingerprint: "v1:0".into(), title: "t".into(), priority: Priority::P2, resolved: false };
/// let history = History::new([before]).ending_at(at(9));
/// // 4 occurrences between 08:00 and 10:00: the one at 10:00 is new.
/// let since = history.since_end(4, at(8), at(10));
/// assert_eq!(classify_trend(Some(&history), "v1:0", Priority::P1, true, &since), Some(Trend::Escalated));
/// assert_eq!(classify_trend(Some(&history), "v1:1", Priority::P1, true, &since), Some(Trend::New));
/// // Last seen at 09:00, when the previous run ended: nothing new.
/// let since = history.since_end(4, at(8), at(9));
/// assert_eq!(classify_trend(Some(&history), "v1:0", Priority::P1, true, &since), Some(Trend::Quiet));
/// let all = OccurrencesAfter::estimate(4, at(8), at(10), None);
/// assert_eq!(classify_trend(None, "v1:1", Priority::P1, false, &all), Some(Trend::Resolved));
/// assert_eq!(classify_trend(None, "v1:1", Priority::P1, true, &all), None);
/// ```
pub fn classify_trend(
    history: Option<&History>,
    fingerprint: &str,
    priority: Priority,
    in_latest_revision: bool,
    since: &OccurrencesAfter,
) -> Option<Trend> {
    if !in_latest_revision {
        return Some(Trend::Resolved);
    }
    let history = history?;
    Some(match history.get(fingerprint) {
        None => Trend::New,
        Some(previous) if previous.resolved && since.any() => Trend::Regressed,
        Some(previous) if previous.resolved => Trend::Resolved,
        Some(_) if !since.any() => Trend::Quiet,
        Some(previous) if priority < previous.priority => Trend::Escalated,
        Some(_) => Trend::Ongoing,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(minute: u32) -> Option<DateTime<Utc>> {
        Utc.with_ymd_and_hms(2025, 9, 13, 9, minute, 0).single()
    }

    macro_rules! estimates {
        ($($name:ident: $count:expr, $first:expr, $last:expr, $after:expr => $bounds:expr, $first_new:expr, $newest:expr;)*) => {$(
            #[test]
            fn $name() {
                let since = OccurrencesAfter::estimate($count, $first, $last, $after);
                assert_eq!((since.at_least, since.at_most), $bounds, "{since:?}");
                assert_eq!((since.first, since.newest), ($first_new, $newest), "{since:?}");
            }
        )*};
    }

    estimates! {
        no_moment_counts_all: 5, at(10), at(20), None => (5, 5), at(10), at(20);
        moment_before_the_first_counts_all: 5, at(10), at(20), at(5) => (5, 5), at(10), at(20);
        moment_at_the_last_counts_none: 5, at(10), at(20), at(20) => (0, 0), None, None;
        moment_after_the_last_counts_none: 5, at(10), at(20), at(27) => (0, 0), None, None;
        moment_at_the_first_leaves_the_rest: 5, at(10), at(20), at(10) => (1, 4), None, at(20);
        moment_in_between_is_a_range: 5, at(10), at(20), at(15) => (1, 4), None, at(20);
        two_occurrences_in_between_is_exactly_one: 2, at(10), at(20), at(15) => (1, 1), None, at(20);
        unknown_first_time: 5, None, at(20), at(15) => (1, 5), None, at(20);
        no_times_at_all: 5, None, None, at(15) => (0, 5), None, None;
        no_times_without_a_moment: 5, None, None, None => (5, 5), None, None;
    }

    #[test]
    fn texts_say_what_is_known() {
        let exact = OccurrencesAfter::estimate(3, at(10), at(20), at(5));
        assert_eq!(
            since_previous_run(&exact),
            "3 occurrences since the previous run ended at 2025-09-13 09:05:00 UTC, from 2025-09-13 09:10:00 UTC to 2025-09-13 09:20:00 UTC"
        );
        let range = OccurrencesAfter::estimate(9, at(10), at(27), at(15));
        assert_eq!(
            since_previous_run(&range),
            "1 to 8 occurrences since the previous run ended at 2025-09-13 09:15:00 UTC, the newest at 2025-09-13 09:27:00 UTC; the exact number and the first are not known, as a cluster keeps only its first and last time"
        );
        let one = OccurrencesAfter::estimate(1, at(20), at(20), at(15));
        assert_eq!(
            since_previous_run(&one),
            "1 occurrence since the previous run ended at 2025-09-13 09:15:00 UTC, at 2025-09-13 09:20:00 UTC"
        );
    }

    #[test]
    fn a_window_that_repeats_the_previous_one_is_quiet() {
        let previous = PreviousCluster {
            fingerprint: "v1:0".into(),
            title: "t".into(),
            priority: Priority::P1,
            resolved: false,
        };
        let history = History::new([previous]).ending_at(at(30));
        // Last seen at 09:27 in both runs.
        let since = history.since_end(7, at(0), at(27));
        assert_eq!(
            classify_trend(Some(&history), "v1:0", Priority::P1, true, &since),
            Some(Trend::Quiet)
        );
        // The same history without an end: every occurrence counts, as before.
        let history = History::new(history.clusters.into_values());
        let since = history.since_end(7, at(0), at(27));
        assert_eq!(
            classify_trend(Some(&history), "v1:0", Priority::P1, true, &since),
            Some(Trend::Ongoing)
        );
    }
}
