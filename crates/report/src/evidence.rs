//! The pieces that describe one cluster, shared by the worklog and the issue
//! drafts: facts, template and values, stack, reasons, representative entry.
//!
//! Every piece of log text goes through [`escape_markdown`], [`inline_code`]
//! or [`code_block`], and every value is cut to a bounded length, so a piece's
//! size is bounded by the number of its items, never by what a log held.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::escape::{escape_markdown, inline_code};
use crate::title::{cut_words, MAX_TITLE_CHARS};
use crate::worklog::{Period, ValueCount, WorklogCluster};

/// Longest value shown in a list, in characters.
pub(crate) const MAX_VALUE_CHARS: usize = 200;
/// Longest variable value shown, in characters: a `<list>` of class names
/// is worth reading whole.
const MAX_VARIABLE_CHARS: usize = 600;
/// Longest reason shown, in characters.
pub(crate) const MAX_REASON_CHARS: usize = 1000;
/// Longest next step shown, in characters.
const MAX_NEXT_STEP_CHARS: usize = 500;
/// Frames shown of a stack.
pub(crate) const MAX_FRAMES: usize = 12;
/// Instances named in a list; the count says how many there were.
const INSTANCES_SHOWN: usize = 5;

/// `2025-09-15 00:30:00 UTC`, or `unknown`.
pub(crate) fn time(value: Option<DateTime<Utc>>) -> String {
    Clock::Full.time(value)
}

/// How times are written: whole (`2025-09-15 00:27:07 UTC`) where nothing
/// else says the date, or short (`00:27:07` in a log of a day at most,
/// `09-14 23:38` in a longer one) under a header that gives the dates and
/// zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// `2025-09-15 00:27:07 UTC`.
    Full,
    /// `00:27:07`: in a log of 24 hours or less, a time of day names one
    /// moment, and the header says which dates the log spans.
    TimeOfDay,
    /// `09-14 23:38`: the log is longer than a day.
    DayAndMinute,
}

impl Clock {
    /// The short clock for times within `period`.
    pub(crate) fn within(period: Period) -> Clock {
        match (period.start, period.end) {
            (Some(start), Some(end)) if end - start <= chrono::Duration::hours(24) => {
                Clock::TimeOfDay
            }
            _ => Clock::DayAndMinute,
        }
    }

    /// `value` written this way, or `unknown`.
    pub(crate) fn time(self, value: Option<DateTime<Utc>>) -> String {
        let Some(value) = value else {
            return "unknown".to_owned();
        };
        let format = match self {
            Clock::Full => "%Y-%m-%d %H:%M:%S UTC",
            Clock::TimeOfDay => "%H:%M:%S",
            Clock::DayAndMinute => "%m-%d %H:%M",
        };
        value.format(format).to_string()
    }
}

/// `45 s`, `21 min`, `2.5 h`, `3.2 days`.
pub(crate) fn human_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    if seconds < 60 {
        format!("{seconds} s")
    } else if seconds < 2 * 3600 {
        format!("{} min", seconds / 60)
    } else if seconds < 48 * 3600 {
        format!("{:.1} h", seconds as f64 / 3600.0)
    } else {
        format!("{:.1} days", seconds as f64 / 86_400.0)
    }
}

/// How many entries over what span, honestly: a single entry is `1 entry at
/// T`, a burst is counted over its own span, and a rate per hour is given
/// only over a span of an hour or more (never `0/hour`, never an hour's
/// rate extrapolated from seconds).
///
/// `9 entries in 39 min, 23:48:52 to 00:28:25`,
/// `40 entries over 2.5 h, 22:00:22 to 00:28:00 (16/hour)`.
pub(crate) fn frequency(
    count: u64,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    clock: Clock,
) -> String {
    let entries = count_of(count, "entry", "entries");
    let (Some(first), Some(last)) = (first, last) else {
        return entries;
    };
    let seconds = (last - first).num_seconds();
    if count <= 1 || seconds <= 0 {
        let at = clock.time(Some(last));
        return if count <= 1 {
            format!("{entries} at {at}")
        } else {
            format!("{entries}, all at {at}")
        };
    }
    let span = format!("{} to {}", clock.time(Some(first)), clock.time(Some(last)));
    if seconds < 60 {
        return format!("{entries} within {seconds} s, {span}");
    }
    if seconds < 3600 {
        return format!("{entries} in {}, {span}", human_duration(seconds));
    }
    let per_hour = count as f64 * 3600.0 / seconds as f64;
    let rate = if per_hour >= 10.0 {
        format!("{per_hour:.0}/hour")
    } else if per_hour >= 1.0 {
        format!("{per_hour:.1}/hour")
    } else {
        format!("one every {}", human_duration((3600.0 / per_hour) as i64))
    };
    format!(
        "{entries} over {}, {span} ({rate})",
        human_duration(seconds)
    )
}

/// The instances a cluster ran on, when the entries named any: `2
/// instances: `a` (2), `b` (1)`, or `7 instances (5 shown): ...`, or with
/// more than were counted, `32+ instances (5 shown): ...`; without the noun
/// after a label that says it (`**Instances:** 7 (5 shown): ...`). `None`
/// when no entry named its instance, so that "0 instances" is never written.
pub(crate) fn instances(cluster: &WorklogCluster, with_noun: bool) -> Option<String> {
    if cluster.instance_count == 0 || cluster.instances.is_empty() {
        return None;
    }
    let shown: Vec<String> = cluster
        .instances
        .iter()
        .take(INSTANCES_SHOWN)
        .map(|v| format!("{} ({})", inline_code(&short_instance(&v.value)), v.count))
        .collect();
    let total = cluster.instance_count.max(cluster.instances.len());
    let more = if cluster.instances_truncated { "+" } else { "" };
    let noun = match (with_noun, total == 1 && more.is_empty()) {
        (false, _) => "",
        (true, true) => " instance",
        (true, false) => " instances",
    };
    let counted = if shown.len() < total || cluster.instances_truncated {
        format!("{total}{more}{noun} ({} shown)", shown.len())
    } else {
        format!("{total}{noun}")
    };
    Some(format!("{counted}: {}", shown.join(", ")))
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

/// The first line of `text`, cut at a word to [`MAX_TITLE_CHARS`].
pub(crate) fn first_line(text: &str) -> String {
    cut_words(text.lines().next().unwrap_or_default(), MAX_TITLE_CHARS)
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
    if let Some(trend) = cluster.trend {
        lines.push(format!("**Trend:** {}", trend.name()));
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
        "**Frequency:** {}",
        frequency(
            cluster.count,
            cluster.first_seen,
            cluster.last_seen,
            Clock::Full
        )
    ));
    if !cluster.services.is_empty() {
        lines.push(format!("**Services:** {}", list(&cluster.services, 5)));
    }
    if !cluster.revisions.is_empty() {
        lines.push(format!("**Revisions:** {}", list(&cluster.revisions, 5)));
    }
    if let Some(instances) = instances(cluster, false) {
        lines.push(format!("**Instances:** {instances}"));
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

/// Why a problem is more urgent than its cause alone, when it is: the most
/// urgent of its symptoms, named (`**P0 because of a linked symptom:**
/// `Container called exit(1).` (Crash loop). On its own this cause is
/// P1.`). `None` when the cause sets the problem's priority.
pub(crate) fn priority_from_symptom<'a>(
    cause: &WorklogCluster,
    symptoms: impl IntoIterator<Item = &'a WorklogCluster>,
) -> Option<String> {
    let symptom = symptoms
        .into_iter()
        .filter(|symptom| symptom.priority < cause.priority)
        .min_by_key(|symptom| symptom.priority)?;
    Some(format!(
        "**{} because of a linked symptom:** {} ({}). On its own this cause is {}.",
        symptom.priority,
        title_code(symptom),
        escape_markdown(&symptom.category.to_string()),
        cause.priority
    ))
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

    use crate::worklog::tests_support::cluster;
    use chrono::TimeZone;
    use gardener_prioritize::Priority;

    fn at(h: u32, m: u32, s: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(2025, 9, 14, h, m, s).unwrap())
    }

    macro_rules! frequencies {
        ($($name:ident: $count:expr, $first:expr, $last:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let text = frequency($count, $first, $last, Clock::TimeOfDay);
                assert_eq!(text, $expected);
                assert!(!text.contains("(0/hour)") && !text.contains("(0.0/hour)"), "{text}");
            }
        )*};
    }

    frequencies! {
        one_entry_has_no_rate: 1, at(22, 0, 0), at(22, 0, 0) => "1 entry at 22:00:00",
        entries_at_one_instant: 3, at(22, 0, 0), at(22, 0, 0) => "3 entries, all at 22:00:00",
        a_burst_is_counted_in_seconds: 2, at(22, 0, 0), at(22, 0, 5) => "2 entries within 5 s, 22:00:00 to 22:00:05",
        under_an_hour_no_rate: 9, at(23, 48, 52), at(23, 59, 0) => "9 entries in 10 min, 23:48:52 to 23:59:00",
        over_hours_the_rate_is_per_hour: 14, at(20, 0, 0), at(22, 0, 0) => "14 entries over 2.0 h, 20:00:00 to 22:00:00 (7.0/hour)",
        many_per_hour_rounds_to_whole: 400, at(20, 0, 0), at(22, 0, 0) => "400 entries over 2.0 h, 20:00:00 to 22:00:00 (200/hour)",
        sparse_entries_say_how_often: 2, at(0, 0, 0), at(20, 0, 0) => "2 entries over 20.0 h, 00:00:00 to 20:00:00 (one every 10.0 h)",
        unknown_times_count_only: 4, None, None => "4 entries",
    }

    #[test]
    fn a_more_urgent_symptom_explains_the_problems_priority() {
        let mut cause = cluster("Memory limit of <size> exceeded", Priority::P1);
        cause.category = gardener_prioritize::Category::MemoryLimit;
        let mut crash = cluster("Container called exit(1).", Priority::P0);
        crash.category = gardener_prioritize::Category::CrashLoop;
        let probe = cluster("GET /health/ready 404", Priority::P2);
        assert_eq!(
            priority_from_symptom(&cause, [&probe, &crash]).as_deref(),
            Some("**P0 because of a linked symptom:** `Container called exit(1).` (Crash loop). On its own this cause is P1.")
        );
        // The cause sets the priority: nothing to explain.
        assert_eq!(priority_from_symptom(&cause, [&probe]), None);
        assert_eq!(priority_from_symptom(&crash, [&cause, &probe]), None);
        assert_eq!(priority_from_symptom(&cause, []), None);
    }

    macro_rules! instance_lists {
        ($($name:ident: $count:expr, $listed:expr, $truncated:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let mut cluster = cluster("t", Priority::P1);
                cluster.instance_count = $count;
                cluster.instances_truncated = $truncated;
                cluster.instances = (0..$listed)
                    .map(|i| ValueCount { value: format!("i{i}"), count: 1 })
                    .collect();
                assert_eq!(instances(&cluster, true).as_deref(), $expected);
            }
        )*};
    }

    instance_lists! {
        no_instance_known_says_nothing: 0, 0, false => None,
        one_instance: 1, 1, false => Some("1 instance: `i0` (1)"),
        all_listed: 3, 3, false => Some("3 instances: `i0` (1), `i1` (1), `i2` (1)"),
        six_with_five_shown: 6, 6, false => Some("6 instances (5 shown): `i0` (1), `i1` (1), `i2` (1), `i3` (1), `i4` (1)"),
        more_than_counted: 32, 10, true => Some("32+ instances (5 shown): `i0` (1), `i1` (1), `i2` (1), `i3` (1), `i4` (1)"),
        more_listed_than_counted_counts_the_list: 1, 2, false => Some("2 instances: `i0` (1), `i1` (1)"),
    }

    #[test]
    fn without_the_noun_after_a_label() {
        let cluster = cluster("t", Priority::P1);
        assert_eq!(
            instances(&cluster, false).as_deref(),
            Some("1: `0069c7a9888d…` (10)")
        );
    }

    #[test]
    fn the_short_clock_is_a_time_of_day_within_a_day() {
        let day = Period {
            start: at(0, 0, 0),
            end: Some(Utc.with_ymd_and_hms(2025, 9, 15, 0, 0, 0).unwrap()),
        };
        assert_eq!(Clock::within(day), Clock::TimeOfDay);
        assert_eq!(Clock::TimeOfDay.time(at(23, 38, 8)), "23:38:08");
        let days = Period {
            start: at(0, 0, 0),
            end: Some(Utc.with_ymd_and_hms(2025, 9, 17, 0, 0, 0).unwrap()),
        };
        assert_eq!(Clock::within(days), Clock::DayAndMinute);
        assert_eq!(Clock::DayAndMinute.time(at(23, 38, 8)), "09-14 23:38");
    }

    #[test]
    fn plurals() {
        assert_eq!(count_of(1u64, "entry", "entries"), "1 entry");
        assert_eq!(count_of(0u64, "entry", "entries"), "0 entries");
        assert_eq!(count_of(2u64, "entry", "entries"), "2 entries");
    }
}
