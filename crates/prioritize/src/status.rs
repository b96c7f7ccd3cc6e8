//! Whether a problem is still happening at the end of the log.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A silence this short is never "quiet": Cloud Run retries a failing
/// container and re-probes within minutes, so five minutes without an entry
/// says nothing about a problem that was just seen.
const MIN_QUIET_SECONDS: i64 = 5 * 60;

/// The share of the log's period a problem must have been silent for to be
/// "quiet": a tenth, so that a three-day export does not call a problem quiet
/// after its first silent hour and a two-hour one after twelve minutes.
const QUIET_SHARE_OF_PERIOD: i64 = 10;

/// How a problem stands at the end of the log, most pressing first.
///
/// A cluster is [`Live`] when its last entry is at most five minutes, or at
/// most a tenth of the log's period, before the log's last entry; [`Quiet`]
/// when it fell silent before that; [`Resolved`] when the prioritizer found
/// it absent from its service's latest revision that serves requests. The
/// "still occurring" reason of an assessment follows the same rule.
///
/// [`Live`]: Status::Live
/// [`Quiet`]: Status::Quiet
/// [`Resolved`]: Status::Resolved
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use gardener_prioritize::Status;
///
/// let start = Some(Utc.with_ymd_and_hms(2025, 9, 14, 22, 0, 0).unwrap());
/// let end = Some(Utc.with_ymd_and_hms(2025, 9, 15, 0, 30, 0).unwrap());
/// let at = |h, m| Some(Utc.with_ymd_and_hms(2025, 9, 14, h, m, 0).unwrap());
/// // A 150-minute log: silent for more than 15 minutes is quiet.
/// assert_eq!(Status::of(at(23, 0), false, start, end), Status::Quiet);
/// assert_eq!(Status::of(Some(Utc.with_ymd_and_hms(2025, 9, 15, 0, 20, 0).unwrap()), false, start, end), Status::Live);
/// assert_eq!(Status::of(at(23, 0), true, start, end), Status::Resolved);
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Still happening when the log ends.
    #[default]
    Live,
    /// Silent for a while before the log ends.
    Quiet,
    /// Gone from the service's latest revision, or since the previous run.
    Resolved,
}

impl Status {
    /// The status of a cluster last seen at `last_seen`, `resolved` or not,
    /// in a log from `start` to `end`.
    pub fn of(
        last_seen: Option<DateTime<Utc>>,
        resolved: bool,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
    ) -> Status {
        if resolved {
            return Status::Resolved;
        }
        let (Some(start), Some(end), Some(last)) = (start, end, last_seen) else {
            return Status::Live;
        };
        let span = (end - start).num_seconds().max(1);
        let silence = (end - last).num_seconds().max(0);
        if silence <= MIN_QUIET_SECONDS || silence.saturating_mul(QUIET_SHARE_OF_PERIOD) <= span {
            Status::Live
        } else {
            Status::Quiet
        }
    }

    /// `live`, `quiet` or `resolved`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Live => "live",
            Status::Quiet => "quiet",
            Status::Resolved => "resolved",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn minute(m: i64) -> Option<DateTime<Utc>> {
        Utc.with_ymd_and_hms(2025, 9, 14, 0, 0, 0)
            .single()
            .map(|start| start + chrono::Duration::minutes(m))
    }

    macro_rules! statuses {
        ($($name:ident: $last:expr, $resolved:expr, $minutes:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let end = ($minutes > 0).then(|| minute($minutes)).flatten();
                let start = end.and(minute(0));
                assert_eq!(Status::of($last, $resolved, start, end), $expected, "last {:?}", $last);
            }
        )*};
    }

    statuses! {
        last_entry_of_the_log_is_live: minute(150), false, 150 => Status::Live,
        five_minutes_silent_is_live_in_a_short_log: minute(25), false, 30 => Status::Live,
        six_minutes_silent_in_a_30_minute_log_is_quiet: minute(24), false, 30 => Status::Quiet,
        a_tenth_of_the_period_silent_is_live: minute(135), false, 150 => Status::Live,
        more_than_a_tenth_silent_is_quiet: minute(134), false, 150 => Status::Quiet,
        an_hour_silent_in_three_days_is_live: minute(72 * 60 - 60), false, 72 * 60 => Status::Live,
        thirty_eight_hours_silent_in_three_days_is_quiet: minute(34 * 60), false, 72 * 60 => Status::Quiet,
        resolved_wins_over_recency: minute(150), true, 150 => Status::Resolved,
        unknown_time_is_live: None::<DateTime<Utc>>, false, 150 => Status::Live,
        unknown_period_is_live: minute(3), false, 0 => Status::Live,
    }

    #[test]
    fn live_sorts_before_quiet_before_resolved() {
        assert!(Status::Live < Status::Quiet && Status::Quiet < Status::Resolved);
    }
}
