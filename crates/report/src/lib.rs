//! Render prioritized log clusters as a worklog: Markdown, JSON, GitHub issue
//! drafts and a plan against existing issues.
//!
//! Last stage of the pipeline:
//!
//! ```text
//! bytes → LogEntry → Event → Template → Cluster → Assessment → Worklog
//!                                                              ^^^^^^^
//! ```
//!
//! - [`Worklog`] is the whole result as data (serde, versioned by
//!   [`SCHEMA_VERSION`], documented in `docs/worklog-json.md`): run facts, and
//!   per cluster its priority, numbers, places, template values,
//!   representative entry, reasons and next step.
//! - [`render_markdown`] writes it in two layers: a first screen (what the
//!   log covers, what is live now, and one action table, one row per
//!   problem, most urgent first by priority, then [`Status`]), then each
//!   problem's evidence folded in a `<details>` block. It fits a GitHub
//!   comment whatever the input, saying what it left out;
//!   [`render_markdown_with`] and [`RenderOptions::complete`] render
//!   everything, for a file.
//! - [`issue_drafts`] turns each problem at P0-P2 (an incident: a cause and
//!   its symptoms; or an urgent cluster of its own) into a GitHub issue
//!   ([`IssueDraft`]: plain title, labels, evidence body, a hidden
//!   [`FingerprintMarker`] per covered fingerprint), and [`plan_issues`]
//!   decides, against the repository's issues ([`parse_existing_issues`]
//!   reads `gh issue list --json`), which to create, comment on or reopen
//!   ([`IssueAction`]), by occurrences the issues have not reported yet;
//!   [`render_plan_summary`] prints the plan one line per action.
//!
//! Everything that came from a log is untrusted: secrets are scrubbed
//! ([`scrub_secrets`], [`Worklog::scrubbed`]) before anything is rendered,
//! Markdown is escaped ([`escape_markdown`], [`inline_code`], [`code_block`]),
//! and issue bodies are capped at [`GITHUB_BODY_LIMIT`] with a visible note.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use gardener_report::{issue_drafts, plan_issues, render_markdown, RunInfo, Worklog};
//!
//! let run = RunInfo {
//!     generated_at: Utc.with_ymd_and_hms(2025, 9, 15, 0, 30, 0).unwrap(),
//!     entries_read: 0,
//!     entries_skipped: 0,
//!     errors: Vec::new(),
//!     sources: vec!["stdin".into()],
//!     entries_joined: 0,
//!     folded: Default::default(),
//! };
//! let assessments = gardener_prioritize::Prioritizer::default().assess_all(&[], None);
//! let worklog = Worklog::build(&[], &assessments, &run);
//! let markdown = render_markdown(&worklog);
//! assert!(markdown.starts_with("# Log Gardener Worklog"));
//! assert_eq!(Worklog::from_json(&worklog.to_json())?, worklog);
//! assert!(issue_drafts(&worklog).is_empty());
//! assert!(plan_issues(&worklog, &[]).is_empty());
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The `gardener` example (`examples/gardener.rs` in the repository) runs the
//! whole pipeline; `--format issues --existing-issues issues.json` prints the
//! plan, and the README shows the script that applies it.

mod body;
mod comment;
mod escape;
mod evidence;
mod existing;
mod github;
mod issue_title;
mod markdown;
mod markers;
mod occurrences;
mod plan;
mod problem;
mod scrub;
mod status;
mod summary;
mod title;
mod worklog;

pub use escape::{cell_code, code_block, escape_markdown, inline_code};
pub use existing::{
    parse_existing_issues, ExistingIssue, IssueState, IssuesError, IssuesErrorKind,
};
pub use gardener_prioritize::Status;
pub use github::{issue_drafts, issue_drafts_with, IssueDraft, IssueOptions, GITHUB_BODY_LIMIT};
pub use markdown::{render_markdown, render_markdown_with, RenderOptions, MIN_MARKDOWN_BYTES};
pub use markers::{fingerprint_marker, fingerprints_in, markers_in, FingerprintMarker};
pub use plan::{plan_issues, plan_issues_with, ActionKind, IssueAction};
pub use scrub::scrub_secrets;
pub use summary::render_plan_summary;
pub use title::MAX_TITLE_CHARS;
pub use worklog::{
    ExceptionSummary, Folded, InputSummary, LatencySummary, Period, RepresentativeEntry,
    ResolvedCluster, RevisionSummary, RunInfo, ValueCount, Worklog, WorklogCluster, SCHEMA_VERSION,
    TOP_VALUES,
};
