//! What a worklog knows about a cluster's occurrences after a moment (an
//! issue's last report, its closing): how many, the first and the newest,
//! in which revisions.
//!
//! A cluster keeps its count and its first and last time, not the time of
//! each entry, so the number after a moment inside that span is a range
//! ([`OccurrencesAfter`]). The worklog's revisions narrow it: the entries of
//! a revision that started after the moment are all after it, those of a
//! revision that ended before it none.

use chrono::{DateTime, Utc};
use gardener_prioritize::OccurrencesAfter;

use crate::worklog::{RevisionSummary, Worklog, WorklogCluster};

/// A cluster's occurrences after a moment, and the revisions they are in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct News {
    /// How many, first and newest.
    pub(crate) occurrences: OccurrencesAfter,
    /// The cluster's revisions that hold some of them: name, the cluster's
    /// entries in it, and whether all of those are after the moment.
    pub(crate) revisions: Vec<(String, u64, bool)>,
}

/// What `worklog` tells about `cluster`'s occurrences after `after`
/// (`None`: all of them).
pub(crate) fn news_after(
    worklog: &Worklog,
    cluster: &WorklogCluster,
    after: Option<DateTime<Utc>>,
) -> News {
    let mut occurrences =
        OccurrencesAfter::estimate(cluster.count, cluster.first_seen, cluster.last_seen, after);
    let Some(moment) = after else {
        let revisions = cluster
            .revisions
            .iter()
            .map(|r| (r.value.clone(), r.count, true))
            .collect();
        return News {
            occurrences,
            revisions,
        };
    };
    let window = |name: &str| -> Option<&RevisionSummary> {
        worklog.revisions.iter().find(|r| r.name == name)
    };
    let mut surely_after = 0;
    let mut surely_before = 0;
    let mut revisions = Vec::new();
    for revision in &cluster.revisions {
        let (first, last) =
            window(&revision.value).map_or((None, None), |w| (w.first_seen, w.last_seen));
        if first.is_some_and(|first| first > moment) {
            surely_after += revision.count;
            revisions.push((revision.value.clone(), revision.count, true));
        } else if last.is_some_and(|last| last <= moment) {
            surely_before += revision.count;
        } else {
            revisions.push((revision.value.clone(), revision.count, false));
        }
    }
    if occurrences.at_most > 0 || surely_after > 0 {
        let at_most = occurrences
            .at_most
            .min(cluster.count.saturating_sub(surely_before));
        occurrences.at_least = occurrences.at_least.max(surely_after).min(at_most);
        occurrences.at_most = at_most.max(occurrences.at_least);
        if occurrences.at_least == cluster.count && cluster.count > 0 {
            occurrences.first = cluster.first_seen;
        }
    }
    if occurrences.at_most == 0 {
        revisions.clear();
    }
    News {
        occurrences,
        revisions,
    }
}

/// The sum of several clusters' news: counts add up, the first is known
/// only when every part's is, the moment is the earliest.
pub(crate) fn combined<'a>(
    parts: impl IntoIterator<Item = &'a OccurrencesAfter>,
) -> OccurrencesAfter {
    let mut total = OccurrencesAfter::none(None);
    let mut first_known = true;
    let mut moments = Vec::new();
    for part in parts {
        total.at_least += part.at_least;
        total.at_most += part.at_most;
        if part.at_most > 0 {
            first_known &= part.first.is_some();
            total.first = match (total.first, part.first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            total.newest = total.newest.max(part.newest);
        }
        moments.push(part.after);
    }
    if !first_known {
        total.first = None;
    }
    // `None` (no moment: everything counts) is the earliest of all.
    total.after = moments.iter().min().copied().flatten();
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worklog::ValueCount;

    fn at(hour: u32, minute: u32) -> Option<DateTime<Utc>> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2025, 9, 14, hour, minute, 0).single()
    }

    /// A cluster of 10 entries from 10:00 to 14:00: 4 in revision `old`
    /// (10:00-12:00), 6 in `new` (12:30-14:00).
    fn fixture() -> (Worklog, WorklogCluster) {
        let worklog: Worklog = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "generator": "test", "generated_at": "2025-09-15T00:30:00Z",
            "sources": [], "services": [],
            "revisions": [
                {"name": "new", "entries": 60, "first_seen": "2025-09-14T12:30:00Z", "last_seen": "2025-09-14T14:00:00Z"},
                {"name": "old", "entries": 40, "first_seen": "2025-09-14T10:00:00Z", "last_seen": "2025-09-14T12:00:00Z"}
            ],
            "period": {"start": "2025-09-14T10:00:00Z", "end": "2025-09-14T14:00:00Z"},
            "input": {"entries_read": 100, "entries_skipped": 0, "entries_clustered": 100,
                      "clusters": 0, "errors": []},
            "severities": {}, "clusters": []
        }))
        .expect("valid");
        let mut cluster: WorklogCluster = serde_json::from_value(serde_json::json!({
            "rank": 1, "fingerprint": "v1:00", "priority": "P0", "category": "boot_failure",
            "score": 0, "title": "t", "kind": "message", "template": "t", "count": 10,
            "rate_per_hour": 1.0, "first_seen": "2025-09-14T10:00:00Z",
            "last_seen": "2025-09-14T14:00:00Z", "severities": {}, "services": [],
            "revisions": [], "instances": [], "instance_count": 0, "instances_truncated": false,
            "call_sites": [], "error_groups": [], "statuses": [], "latency": null,
            "variables": {}, "exception": null, "representative": null, "reasons": [],
            "next_step": ""
        }))
        .expect("valid");
        cluster.revisions = vec![
            ValueCount {
                value: "new".into(),
                count: 6,
            },
            ValueCount {
                value: "old".into(),
                count: 4,
            },
        ];
        (worklog, cluster)
    }

    fn bounds(news: &News) -> (u64, u64) {
        (news.occurrences.at_least, news.occurrences.at_most)
    }

    #[test]
    fn a_moment_between_revisions_is_exact() {
        let (worklog, cluster) = fixture();
        let news = news_after(&worklog, &cluster, at(12, 15));
        assert_eq!(bounds(&news), (6, 6));
        assert_eq!(news.revisions, [("new".to_owned(), 6, true)]);
        // All of revision `new`'s entries: the first of them is not known.
        assert_eq!(news.occurrences.first, None);
        assert_eq!(news.occurrences.newest, at(14, 0));
    }

    #[test]
    fn a_moment_inside_the_old_revision_is_a_range() {
        let (worklog, cluster) = fixture();
        let news = news_after(&worklog, &cluster, at(11, 0));
        assert_eq!(bounds(&news), (6, 9));
        assert_eq!(
            news.revisions,
            [("new".to_owned(), 6, true), ("old".to_owned(), 4, false)]
        );
    }

    #[test]
    fn a_moment_inside_the_new_revision_keeps_the_old_out() {
        let (worklog, cluster) = fixture();
        let news = news_after(&worklog, &cluster, at(13, 0));
        assert_eq!(bounds(&news), (1, 6));
        assert_eq!(news.revisions, [("new".to_owned(), 6, false)]);
    }

    #[test]
    fn before_everything_is_all_and_after_everything_none() {
        let (worklog, cluster) = fixture();
        let all = news_after(&worklog, &cluster, at(9, 0));
        assert_eq!(bounds(&all), (10, 10));
        assert_eq!(all.occurrences.first, at(10, 0));
        let none = news_after(&worklog, &cluster, at(14, 0));
        assert_eq!(bounds(&none), (0, 0));
        assert!(none.revisions.is_empty());
    }

    #[test]
    fn combined_news_adds_up() {
        let (worklog, cluster) = fixture();
        let a = news_after(&worklog, &cluster, at(9, 0)).occurrences;
        let b = news_after(&worklog, &cluster, at(13, 0)).occurrences;
        let both = combined([&a, &b]);
        assert_eq!((both.at_least, both.at_most), (11, 16));
        assert_eq!(both.first, None, "b's first is not known");
        assert_eq!(both.after, at(9, 0));
        assert_eq!(both.newest, at(14, 0));
        let only_a = combined([&a]);
        assert_eq!(only_a.first, at(10, 0));
    }
}
