//! The plan against a repository's existing issues: which issue to create,
//! which to comment on, which to reopen, found by fingerprint markers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::github::{
    actionable, body, fingerprints_in, issue_key, labels, title, BodyKind, IssueOptions,
};
use crate::worklog::Worklog;

/// Whether an issue is open or closed, as `gh` spells it (`OPEN`, `CLOSED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum IssueState {
    /// Open.
    Open,
    /// Closed (completed or not planned).
    Closed,
}

/// An issue of the repository, as `gh issue list --state all --json
/// number,title,body,state,labels` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingIssue {
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: String,
    /// Its description, where the fingerprint markers are.
    pub body: String,
    /// Open or closed.
    pub state: IssueState,
    /// Its label names.
    pub labels: Vec<String>,
    /// When it was closed, if the listing has `closedAt`.
    pub closed_at: Option<DateTime<Utc>>,
}

impl ExistingIssue {
    /// The fingerprints whose markers its body carries.
    pub fn fingerprints(&self) -> Vec<&str> {
        fingerprints_in(&self.body)
    }
}

/// What to do about one cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// File a new issue with the title, body and labels.
    Create,
    /// Comment on the open issue with the body (and add the labels).
    Comment,
    /// Reopen the closed issue and comment on it with the body (and add the labels).
    Reopen,
}

/// One step of the plan, serialized as `{"action", "fingerprint", "issue",
/// "title", "body", "labels"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueAction {
    /// Create, comment or reopen.
    pub action: ActionKind,
    /// The cluster's fingerprint.
    pub fingerprint: String,
    /// The existing issue to comment on or reopen; `None` for create.
    pub issue: Option<u64>,
    /// The issue title (for create; informative otherwise).
    pub title: String,
    /// The issue description (create) or the comment (comment, reopen).
    pub body: String,
    /// The labels the issue should carry.
    pub labels: Vec<String>,
}

/// The plan for every cluster at P0-P2: comment on the open issue that
/// carries the cluster's fingerprint marker, reopen (and comment on) a closed
/// one, create an issue otherwise.
///
/// Never two issues for one fingerprint: when several carry it, the open one
/// with the lowest number is chosen, else the most recently closed one (by
/// `closed_at`, then the highest number). An issue reopened for one cluster is
/// only commented on for the next. The worklog is scrubbed of secrets first.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use gardener_report::{plan_issues, RunInfo, Worklog};
///
/// let run = RunInfo {
///     generated_at: Utc.with_ymd_and_hms(2025, 9, 15, 0, 30, 0).unwrap(),
///     entries_read: 0,
///     entries_skipped: 0,
///     errors: Vec::new(),
///     sources: Vec::new(),
/// };
/// let assessments = gardener_prioritize::Prioritizer::default().assess_all(&[], None);
/// let worklog = Worklog::build(&[], &assessments, &run);
/// assert!(plan_issues(&worklog, &[]).is_empty());
/// ```
pub fn plan_issues(worklog: &Worklog, existing: &[ExistingIssue]) -> Vec<IssueAction> {
    plan_issues_with(worklog, existing, &IssueOptions::default())
}

/// [`plan_issues`] with options.
pub fn plan_issues_with(
    worklog: &Worklog,
    existing: &[ExistingIssue],
    options: &IssueOptions,
) -> Vec<IssueAction> {
    let worklog = worklog.scrubbed();
    let mut by_fingerprint: BTreeMap<&str, Vec<&ExistingIssue>> = BTreeMap::new();
    for issue in existing {
        for fingerprint in issue.fingerprints() {
            by_fingerprint.entry(fingerprint).or_default().push(issue);
        }
    }
    let mut reopened = BTreeSet::new();
    actionable(&worklog, options)
        .map(|cluster| {
            let fingerprint = issue_key(&cluster.fingerprint);
            let chosen = by_fingerprint
                .get(fingerprint.as_str())
                .and_then(|issues| choose(issues));
            let (action, issue, kind) = match chosen {
                None => (ActionKind::Create, None, BodyKind::New),
                Some(issue)
                    if issue.state == IssueState::Open || reopened.contains(&issue.number) =>
                {
                    (ActionKind::Comment, Some(issue.number), BodyKind::Update)
                }
                Some(issue) => {
                    reopened.insert(issue.number);
                    (ActionKind::Reopen, Some(issue.number), BodyKind::Recurrence)
                }
            };
            IssueAction {
                action,
                fingerprint,
                issue,
                title: title(cluster),
                body: body(&worklog, cluster, kind, options.max_body_bytes),
                labels: labels(cluster),
            }
        })
        .collect()
}

/// The open issue with the lowest number, else the most recently closed.
fn choose<'a>(issues: &[&'a ExistingIssue]) -> Option<&'a ExistingIssue> {
    let open = issues
        .iter()
        .filter(|i| i.state == IssueState::Open)
        .min_by_key(|i| i.number);
    open.or_else(|| issues.iter().max_by_key(|i| (i.closed_at, i.number)))
        .copied()
}

/// Where a listing of existing issues could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuesError {
    kind: IssuesErrorKind,
    line: usize,
    column: usize,
    issue: Option<usize>,
}

/// What was wrong with a listing of existing issues.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IssuesErrorKind {
    /// Not JSON, or not a JSON array.
    Syntax(String),
    /// An issue lacks a field or has one of the wrong type.
    Field(String),
    /// An issue's state is neither `OPEN` nor `CLOSED`.
    State(String),
}

impl IssuesError {
    /// What was wrong.
    pub fn kind(&self) -> &IssuesErrorKind {
        &self.kind
    }

    /// 1-based line of the problem.
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column (in bytes) of the problem.
    pub fn column(&self) -> usize {
        self.column
    }

    /// 0-based index of the issue in the array, when the problem is in one.
    pub fn issue(&self) -> Option<usize> {
        self.issue
    }
}

impl fmt::Display for IssuesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)?;
        if let Some(issue) = self.issue {
            write!(f, ", issue {issue}")?;
        }
        match &self.kind {
            IssuesErrorKind::Syntax(message) | IssuesErrorKind::Field(message) => {
                write!(f, ": {message}")
            }
            IssuesErrorKind::State(state) => {
                write!(f, ": unknown state `{state}`, expected `OPEN` or `CLOSED`")
            }
        }
    }
}

impl std::error::Error for IssuesError {}

#[derive(Deserialize)]
struct RawIssue {
    number: u64,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    body: Option<String>,
    state: String,
    #[serde(default)]
    labels: Option<Vec<RawLabel>>,
    #[serde(default, rename = "closedAt")]
    closed_at: Option<String>,
}

/// `gh` lists labels as objects; a hand-written file may list names.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    Object { name: String },
    Name(String),
}

/// Reads the output of `gh issue list --state all --json
/// number,title,body,state,labels` (extra fields such as `closedAt` are
/// welcome; a `null` title or body reads as empty; states in any case).
///
/// ```
/// use gardener_report::{parse_existing_issues, IssueState};
/// let issues = parse_existing_issues(r#"[
///   {"number": 7, "title": "t", "body": "b", "state": "CLOSED", "labels": [{"name": "bug"}]}
/// ]"#)?;
/// assert_eq!(issues[0].state, IssueState::Closed);
/// assert_eq!(issues[0].labels, ["bug"]);
///
/// let error = parse_existing_issues("[\n  {\"number\": 1, \"state\": \"MERGED\"}\n]").unwrap_err();
/// assert_eq!(error.to_string(), "line 2, column 3, issue 0: unknown state `MERGED`, expected `OPEN` or `CLOSED`");
/// # Ok::<(), gardener_report::IssuesError>(())
/// ```
pub fn parse_existing_issues(json: &str) -> Result<Vec<ExistingIssue>, IssuesError> {
    let raws: Vec<&RawValue> = serde_json::from_str(json).map_err(|error| IssuesError {
        kind: IssuesErrorKind::Syntax(message_of(&error)),
        line: error.line().max(1),
        column: error.column().max(1),
        issue: None,
    })?;
    raws.iter()
        .enumerate()
        .map(|(index, raw)| {
            let start = offset_in(json, raw.get());
            let (line, column) = position(json, start);
            let at = |kind, inner_line: usize, inner_column: usize| {
                let (line, column) = if inner_line <= 1 {
                    (line, column + inner_column.saturating_sub(1))
                } else {
                    (line + inner_line - 1, inner_column)
                };
                IssuesError {
                    kind,
                    line,
                    column: column.max(1),
                    issue: Some(index),
                }
            };
            let issue: RawIssue = serde_json::from_str(raw.get()).map_err(|error| {
                at(
                    IssuesErrorKind::Field(message_of(&error)),
                    error.line(),
                    error.column(),
                )
            })?;
            let state = match issue.state.to_ascii_uppercase().as_str() {
                "OPEN" => IssueState::Open,
                "CLOSED" => IssueState::Closed,
                _ => return Err(at(IssuesErrorKind::State(issue.state), 1, 1)),
            };
            Ok(ExistingIssue {
                number: issue.number,
                title: issue.title.unwrap_or_default(),
                body: issue.body.unwrap_or_default(),
                state,
                labels: issue
                    .labels
                    .unwrap_or_default()
                    .into_iter()
                    .map(|label| match label {
                        RawLabel::Object { name } | RawLabel::Name(name) => name,
                    })
                    .collect(),
                closed_at: issue
                    .closed_at
                    .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                    .map(|t| t.to_utc()),
            })
        })
        .collect()
}

/// serde_json's message without its ` at line L column C` suffix.
fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Byte offset of `part`, a slice of `whole`, within it.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// 1-based line and byte column of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    (line, offset - line_start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! parse_error {
        ($($name:ident: $input:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let error = parse_existing_issues($input).expect_err($input);
                assert_eq!(error.to_string(), $expected, "input {:?}", $input);
            }
        )*};
    }

    parse_error! {
        not_json: "nope" => "line 1, column 2: expected ident",
        not_an_array: r#"{"number": 1}"# => "line 1, column 1: invalid type: map, expected a sequence",
        missing_number: "[\n {\"state\": \"OPEN\"}]" => "line 2, column 18, issue 0: missing field `number`",
        number_is_text: "[{\"number\": 1, \"state\": \"OPEN\"},\n  {\"number\": \"2\", \"state\": \"OPEN\"}]" =>
            "line 2, column 16, issue 1: invalid type: string \"2\", expected u64",
        unknown_state: "[{\"number\": 3, \"state\": \"DRAFT\"}]" =>
            "line 1, column 2, issue 0: unknown state `DRAFT`, expected `OPEN` or `CLOSED`",
        cut_short: "[{\"number\": 3," => "line 1, column 14: EOF while parsing an object",
    }

    #[test]
    fn lenient_fields() {
        let issues = parse_existing_issues(
            r#"[{"number": 1, "title": null, "body": null, "state": "open", "labels": ["a", {"name": "b", "color": "fff"}], "url": "x", "closedAt": "2025-09-01T00:00:00Z"}]"#,
        )
        .expect("valid");
        assert_eq!(issues[0].title, "");
        assert_eq!(issues[0].state, IssueState::Open);
        assert_eq!(issues[0].labels, ["a", "b"]);
        assert!(issues[0].closed_at.is_some());
    }

    fn issue(number: u64, state: IssueState, closed_at: Option<&str>) -> ExistingIssue {
        ExistingIssue {
            number,
            title: String::new(),
            body: String::new(),
            state,
            labels: Vec::new(),
            closed_at: closed_at
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok().map(|t| t.to_utc())),
        }
    }

    macro_rules! chooses {
        ($($name:ident: [$($number:expr, $state:ident, $closed:expr);*] => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let issues = vec![$(issue($number, IssueState::$state, $closed)),*];
                let refs: Vec<&ExistingIssue> = issues.iter().collect();
                assert_eq!(choose(&refs).map(|i| i.number), $expected);
            }
        )*};
    }

    chooses! {
        none: [] => None,
        lowest_open: [9, Open, None; 4, Open, None; 2, Closed, None] => Some(4),
        open_beats_newer_closed: [3, Open, None; 12, Closed, None] => Some(3),
        highest_closed_without_dates: [5, Closed, None; 8, Closed, None; 6, Closed, None] => Some(8),
        latest_closed_by_date: [5, Closed, Some("2025-09-10T00:00:00Z"); 8, Closed, Some("2025-08-01T00:00:00Z")] => Some(5),
    }
}
