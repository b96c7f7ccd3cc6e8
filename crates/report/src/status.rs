//! The status of a cluster of a worklog that did not record one.

use gardener_prioritize::Status;

use crate::worklog::Period;

/// The trend name the prioritizer gives a cluster absent from its service's
/// latest revision (or gone since the previous run).
pub(crate) const RESOLVED_TREND: &str = "resolved";

/// What [`Status::of`] says of a cluster with this last entry and trend, in
/// a log of this period: for worklogs written before schema 2.
pub(crate) fn status_of(
    last_seen: Option<chrono::DateTime<chrono::Utc>>,
    trend: Option<&str>,
    period: Period,
) -> Status {
    Status::of(
        last_seen,
        trend == Some(RESOLVED_TREND),
        period.start,
        period.end,
    )
}
