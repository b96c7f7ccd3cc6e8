//! The repository's issues, as `gh issue list --state all --limit 1000
//! --json number,title,body,state,labels,closedAt,comments` lists them.

use gardener_log_model::Position;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::markers::{markers_in, FingerprintMarker};

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
/// number,title,body,state,labels,closedAt,comments` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingIssue {
    /// Its number.
    pub number: u64,
    /// Its title.
    pub title: String,
    /// Its description, where the markers of the issues log-gardener files are.
    pub body: String,
    /// Open or closed.
    pub state: IssueState,
    /// Its label names.
    pub labels: Vec<String>,
    /// When it was closed, if the listing has `closedAt`.
    pub closed_at: Option<DateTime<Utc>>,
    /// The bodies of its comments, oldest first, where later reports left
    /// their markers. `gh` lists the first 100 comments of an issue.
    pub comments: Vec<String>,
}

impl ExistingIssue {
    /// An issue with no labels, closing time or comments.
    ///
    /// ```
    /// use gardener_report::{ExistingIssue, IssueState};
    /// let issue = ExistingIssue::new(7, "title", "body", IssueState::Open);
    /// assert!(issue.comments.is_empty());
    /// ```
    pub fn new(number: u64, title: &str, body: &str, state: IssueState) -> ExistingIssue {
        ExistingIssue {
            number,
            title: title.to_owned(),
            body: body.to_owned(),
            state,
            labels: Vec::new(),
            closed_at: None,
            comments: Vec::new(),
        }
    }

    /// The markers of its description and comments, in that order.
    pub fn markers(&self) -> Vec<FingerprintMarker> {
        std::iter::once(&self.body)
            .chain(&self.comments)
            .flat_map(|text| markers_in(text))
            .collect()
    }

    /// The fingerprints it covers: those its description and comments carry
    /// markers for, each once, in order.
    pub fn fingerprints(&self) -> Vec<String> {
        let mut fingerprints: Vec<String> = Vec::new();
        for marker in self.markers() {
            if !fingerprints.contains(&marker.fingerprint) {
                fingerprints.push(marker.fingerprint);
            }
        }
        fingerprints
    }

    /// Up to when the issue has seen `fingerprint`'s occurrences (as markers
    /// carry it): the latest `seen-until` of its markers for it and, when the
    /// issue is closed and covers it, the time it was closed: whatever
    /// occurred before an issue was closed is not news to it.
    pub fn seen_until(&self, fingerprint: &str) -> Option<DateTime<Utc>> {
        let markers: Vec<FingerprintMarker> = self
            .markers()
            .into_iter()
            .filter(|marker| marker.fingerprint == fingerprint)
            .collect();
        let closed = match self.state {
            IssueState::Closed if !markers.is_empty() => self.closed_at,
            _ => None,
        };
        markers
            .into_iter()
            .filter_map(|marker| marker.seen_until)
            .chain(closed)
            .max()
    }
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
    #[serde(default)]
    comments: Option<Vec<RawComment>>,
}

/// `gh` lists comments as objects; a hand-written file may list bodies.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawComment {
    Object {
        #[serde(default)]
        body: Option<String>,
    },
    Body(String),
}

/// `gh` lists labels as objects; a hand-written file may list names.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    Object { name: String },
    Name(String),
}

/// Reads the output of `gh issue list --state all --limit 1000 --json
/// number,title,body,state,labels,closedAt,comments`.
///
/// `number` and `state` are required (states in any case); the others may
/// be missing or `null`, which reads as empty, and fields not listed here
/// are ignored. Without `closedAt` a closed issue is reopened on any
/// occurrence not yet reported; without `comments` the reports made in
/// comments are not seen, so run `gh` with both.
///
/// ```
/// use gardener_report::{parse_existing_issues, IssueState};
/// let issues = parse_existing_issues(r#"[
///   {"number": 7, "title": "t", "body": "b", "state": "CLOSED", "labels": [{"name": "bug"}],
///    "closedAt": "2025-09-14T12:00:00Z", "comments": [{"author": {"login": "x"}, "body": "seen"}]}
/// ]"#)?;
/// assert_eq!(issues[0].state, IssueState::Closed);
/// assert_eq!(issues[0].labels, ["bug"]);
/// assert_eq!(issues[0].comments, ["seen"]);
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
            let start = Position::START.of_slice(json, raw.get());
            let (line, column) = (start.line as usize, start.column as usize);
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
            let closed_at = match issue.closed_at.as_deref() {
                None | Some("") => None,
                Some(text) => Some(
                    DateTime::parse_from_rfc3339(text)
                        .map_err(|error| {
                            at(
                                IssuesErrorKind::Field(format!(
                                    "closedAt `{text}` is not an RFC 3339 time ({error})"
                                )),
                                1,
                                1,
                            )
                        })?
                        .to_utc(),
                ),
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
                closed_at,
                comments: issue
                    .comments
                    .unwrap_or_default()
                    .into_iter()
                    .map(|comment| match comment {
                        RawComment::Object { body } => body.unwrap_or_default(),
                        RawComment::Body(body) => body,
                    })
                    .collect(),
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
        bad_closing_time: "[{\"number\": 3, \"state\": \"CLOSED\", \"closedAt\": \"14 Sep\"}]" =>
            "line 1, column 2, issue 0: closedAt `14 Sep` is not an RFC 3339 time (premature end of input)",
        comments_as_a_count: "[{\"number\": 3, \"state\": \"OPEN\", \"comments\": 2}]" =>
            "line 1, column 45, issue 0: invalid type: integer `2`, expected a sequence",
    }

    #[test]
    fn lenient_fields() {
        let issues = parse_existing_issues(
            r#"[{"number": 1, "title": null, "body": null, "state": "open", "labels": ["a", {"name": "b", "color": "fff"}], "url": "x", "closedAt": "2025-09-01T00:00:00Z", "comments": ["c", {"body": null}, {"body": "d", "createdAt": "2025-09-02T00:00:00Z"}]}]"#,
        )
        .expect("valid");
        assert_eq!(issues[0].title, "");
        assert_eq!(issues[0].state, IssueState::Open);
        assert_eq!(issues[0].labels, ["a", "b"]);
        assert!(issues[0].closed_at.is_some());
        assert_eq!(issues[0].comments, ["c", "", "d"]);
    }

    #[test]
    fn markers_in_comments_count_and_the_latest_report_wins() {
        let marker =
            |time: &str| format!("<!-- log-gardener:fingerprint=v1:0a seen-until={time} -->");
        let mut issue = ExistingIssue::new(
            1,
            "t",
            &format!(
                "{}\n<!-- log-gardener:fingerprint=v1:0b -->",
                marker("2025-09-14T10:00:00Z")
            ),
            IssueState::Open,
        );
        issue.comments = vec![
            marker("2025-09-14T12:00:00Z"),
            "a person's comment".to_owned(),
            marker("2025-09-14T11:00:00Z"),
        ];
        assert_eq!(issue.fingerprints(), ["v1:0a", "v1:0b"]);
        assert_eq!(
            issue.seen_until("v1:0a").map(|t| t.to_rfc3339()).as_deref(),
            Some("2025-09-14T12:00:00+00:00")
        );
        assert_eq!(issue.seen_until("v1:0b"), None);
        assert_eq!(issue.seen_until("v1:0c"), None);
        issue.state = IssueState::Closed;
        issue.closed_at = DateTime::parse_from_rfc3339("2025-09-14T13:00:00Z")
            .ok()
            .map(|t| t.to_utc());
        assert_eq!(issue.seen_until("v1:0a"), issue.closed_at);
        assert_eq!(issue.seen_until("v1:0b"), issue.closed_at);
        assert_eq!(issue.seen_until("v1:0c"), None, "not covered");
    }
}
