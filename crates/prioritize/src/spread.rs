//! How much and how widely a cluster happened, in numbers that hold: rates
//! over the cluster's own active span, places only where they were recorded.

use chrono::{DateTime, Utc};
use gardener_fingerprint::ClusterStats;

/// The shortest span a rate is computed over: entries logged within the
/// same second are not thousands per hour.
const MIN_RATE_SECONDS: i64 = 60;

/// Seconds from a cluster's first entry to its last.
fn active_seconds(stats: &ClusterStats) -> Option<i64> {
    Some((stats.last_seen? - stats.first_seen?).num_seconds().max(0))
}

/// Entries per hour over the cluster's own active span (first to last
/// entry, at least a minute), or `None` for a single entry or entries
/// without time: the rate reports should print, never one over the whole
/// run (a burst of two entries in a three-day export is not `0/hour`).
///
/// ```
/// use gardener_fingerprint::ClusterStats;
/// use gardener_prioritize::active_rate_per_hour;
/// let start = chrono::DateTime::from_timestamp(1_757_800_000, 0).unwrap();
/// let burst = ClusterStats {
///     count: 24,
///     first_seen: Some(start),
///     last_seen: Some(start + chrono::Duration::minutes(2)),
///     ..ClusterStats::default()
/// };
/// assert_eq!(active_rate_per_hour(&burst), Some(720.0));
/// let once = ClusterStats { count: 1, ..burst };
/// assert_eq!(active_rate_per_hour(&once), None);
/// ```
pub fn active_rate_per_hour(stats: &ClusterStats) -> Option<f64> {
    if stats.count < 2 {
        return None;
    }
    let seconds = active_seconds(stats)?.max(MIN_RATE_SECONDS);
    Some(stats.count as f64 * 3600.0 / seconds as f64)
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `24 entries on 2 instances in 1 revision between 2025-09-14 00:27:04 and
/// 2025-09-14 00:29:04 (2 min)`: only what was recorded, and a rate per
/// hour only over an active span of an hour or more.
pub(crate) fn spread_reason(stats: &ClusterStats) -> String {
    let mut text = if stats.count == 1 {
        "1 entry".to_owned()
    } else {
        format!("{} entries", stats.count)
    };
    for (places, preposition, word) in [
        (&stats.instances, "on", "instance"),
        (&stats.revisions, "in", "revision"),
    ] {
        if places.is_empty() {
            continue;
        }
        let n = places.len() as u64;
        text.push_str(&if places.is_truncated() {
            format!(" {preposition} {n}+ {word}s")
        } else {
            format!(" {preposition} {}", plural(n, word))
        });
    }
    let (Some(first), Some(last), Some(seconds)) =
        (stats.first_seen, stats.last_seen, active_seconds(stats))
    else {
        return text;
    };
    if stats.count == 1 || seconds == 0 {
        text.push_str(&format!(" at {}", time(first)));
    } else if seconds < 3600 {
        text.push_str(&format!(
            " between {} and {} ({})",
            time(first),
            time(last),
            human_duration(seconds)
        ));
    } else {
        let rate = stats.count as f64 * 3600.0 / seconds as f64;
        text.push_str(&format!(
            " between {} and {} ({rate:.1}/hour over {})",
            time(first),
            time(last),
            human_duration(seconds)
        ));
    }
    text
}

/// `42 s`, `7 min`, `2.5 h`.
pub(crate) fn human_duration(seconds: i64) -> String {
    match seconds {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s => format!("{:.1} h", s as f64 / 3600.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(count: u64, seconds: i64, instances: &[&str]) -> ClusterStats {
        let start = DateTime::from_timestamp(1_757_800_000, 0).unwrap();
        let mut stats = ClusterStats {
            count,
            first_seen: Some(start),
            last_seen: Some(start + chrono::Duration::seconds(seconds)),
            ..ClusterStats::default()
        };
        for instance in instances {
            stats.instances.add(instance, 1);
        }
        stats
    }

    #[test]
    fn a_single_entry_has_no_rate() {
        let one = stats(1, 0, &[]);
        assert_eq!(active_rate_per_hour(&one), None);
        assert_eq!(spread_reason(&one), "1 entry at 2025-09-13 21:46:40");
    }

    #[test]
    fn rates_are_over_the_active_span() {
        let burst = stats(24, 120, &["a", "b"]);
        assert_eq!(active_rate_per_hour(&burst), Some(720.0));
        assert_eq!(
            spread_reason(&burst),
            "24 entries on 2 instances between 2025-09-13 21:46:40 and 2025-09-13 21:48:40 (2 min)"
        );
        let same_second = stats(2, 0, &["a"]);
        assert_eq!(active_rate_per_hour(&same_second), Some(120.0));
        let long = stats(7, 2 * 3600, &["a"]);
        assert!(
            spread_reason(&long).ends_with("(3.5/hour over 2.0 h)"),
            "{}",
            spread_reason(&long)
        );
    }

    #[test]
    fn instances_only_where_recorded() {
        assert!(!spread_reason(&stats(7, 60, &[])).contains("instance"));
    }
}
