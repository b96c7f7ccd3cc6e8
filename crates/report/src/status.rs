//! The status of a cluster of a worklog that did not record one.

use gardener_prioritize::{Status, Trend};

use crate::worklog::Period;

/// What [`Status::of`] says of a cluster with this last entry and trend, in
/// a log of this period: for worklogs written before schema 2.
pub(crate) fn status_of(
    last_seen: Option<chrono::DateTime<chrono::Utc>>,
    trend: Option<Trend>,
    period: Period,
) -> Status {
    Status::of(
        last_seen,
        trend == Some(Trend::Resolved),
        period.start,
        period.end,
    )
}
