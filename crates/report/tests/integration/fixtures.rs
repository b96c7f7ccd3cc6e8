//! The fixture worklog and issue listing, read from `tests/data/`.

use gardener_report::{parse_existing_issues, ExistingIssue, Worklog};

/// A small worklog: a P0 stack trace, a P1 HTTP 503, a P2 dependency
/// warning with a call site and values, a P4 health check, one resolved
/// cluster; trends and incidents on the first two.
pub const WORKLOG_JSON: &str = include_str!("../data/worklog.json");

/// `gh issue list --state all --json number,title,body,state,labels` (an
/// older listing: no `closedAt`, no `comments`) of a
/// repository with two open issues for the P0 fingerprint (#4, #9), two closed
/// ones for the P1 fingerprint (#2, #7), a marker quoted in a code block
/// (#11, not a real marker), an issue for the P4 cluster and a hand-written one.
pub const EXISTING_ISSUES_JSON: &str = include_str!("../data/existing-issues.json");

pub fn worklog() -> Worklog {
    Worklog::from_json(WORKLOG_JSON).expect("the fixture worklog is valid")
}

pub fn existing_issues() -> Vec<ExistingIssue> {
    parse_existing_issues(EXISTING_ISSUES_JSON).expect("the fixture issues are valid")
}
