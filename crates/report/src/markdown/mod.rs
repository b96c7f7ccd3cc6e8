//! Rendering a [`Worklog`] as Markdown, in two layers.
//!
//! The first screen (about 40 lines) says what the log covers, what is live
//! now, and what to do: one action table, one row per problem (an incident
//! or a cluster on its own), most urgent first. Below it, each problem's
//! evidence is folded in a `<details>` block, then the routine clusters, what
//! recovered since a previous run, and the input's skipped records.
//!
//! The default document fits a GitHub comment whatever the input: blocks are
//! added in order while they fit, a block that does not fit is shortened or
//! left out, and a note under the table says what was left out.
//! [`RenderOptions::complete`] renders everything, for a file.

mod appendix;
mod details;
mod entry;
mod first_screen;
mod problems;

use std::fmt::Write as _;

use details::Depth;

use crate::evidence::{count_of, Clock};
use crate::github::{defang_markers, GITHUB_BODY_LIMIT};
use crate::worklog::Worklog;

/// The smallest [`RenderOptions::max_bytes`]: room for the first screen,
/// the input section and the note, however long the log's texts are.
pub const MIN_MARKDOWN_BYTES: usize = 32 * 1024;

/// Bytes kept for the note that says what was left out.
const NOTE_RESERVE: usize = 1024;

/// Problem numbers listed in the note before "…".
const NUMBERS_LISTED: usize = 10;

/// How [`render_markdown_with`] renders a worklog.
///
/// ```
/// use gardener_report::RenderOptions;
/// let options = RenderOptions::default();
/// assert!(!options.complete);
/// assert_eq!(options.max_bytes, 65_536);
/// assert!(RenderOptions::default().complete(true).complete);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// Render everything, with no size limit: every problem's evidence,
    /// every representative entry whole, every routine cluster's details.
    /// For a file; too long for a GitHub comment on large inputs.
    pub complete: bool,
    /// The most bytes the document may have unless `complete` (default
    /// [`GITHUB_BODY_LIMIT`], 65,536, GitHub's limit for a comment or issue
    /// body; bytes are never fewer than characters however they are
    /// counted). Values under [`MIN_MARKDOWN_BYTES`] are raised to it.
    pub max_bytes: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            complete: false,
            max_bytes: GITHUB_BODY_LIMIT,
        }
    }
}

impl RenderOptions {
    /// Whether to render the complete worklog, with no size limit.
    pub fn complete(mut self, complete: bool) -> Self {
        self.complete = complete;
        self
    }

    /// The most bytes of the default document (at least [`MIN_MARKDOWN_BYTES`]).
    pub fn max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }
}

/// Renders the worklog as Markdown that fits a GitHub comment (65,536
/// characters), whatever the input; see [`render_markdown_with`].
///
/// ```
/// use gardener_report::{render_markdown, Worklog};
/// let worklog = Worklog::from_json(include_str!("../../tests/data/worklog.json"))?;
/// let markdown = render_markdown(&worklog);
/// assert!(markdown.starts_with("# Log Gardener Worklog: api"));
/// assert!(markdown.contains("## What to do, most urgent first"));
/// assert!(markdown.len() <= 65_536);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn render_markdown(worklog: &Worklog) -> String {
    render_markdown_with(worklog, &RenderOptions::default())
}

/// What a rendering left out to fit, for the note under the table.
#[derive(Debug, Default)]
struct LeftOut {
    /// Problems whose details were shortened.
    shortened: Vec<usize>,
    /// The first problem whose details were left out, and how many problems there are.
    details_from: Option<(usize, usize)>,
    /// Recovered clusters left out of their table, of how many.
    recovered: Option<(usize, usize)>,
    /// Routine clusters left out of their table, of how many.
    routine: Option<(usize, usize)>,
}

impl LeftOut {
    fn note(&self, limit: usize) -> Option<String> {
        let mut parts = Vec::new();
        if let Some((first, last)) = self.details_from {
            parts.push(if first == last {
                format!("the details of problem {first}")
            } else {
                format!("the details of problems {first}–{last}")
            });
        }
        if !self.shortened.is_empty() {
            let mut numbers: Vec<String> = self
                .shortened
                .iter()
                .take(NUMBERS_LISTED)
                .map(usize::to_string)
                .collect();
            if self.shortened.len() > NUMBERS_LISTED {
                numbers.push("…".to_owned());
            }
            parts.push(format!(
                "part of the details of {} ({})",
                count_of(self.shortened.len() as u64, "problem", "problems"),
                numbers.join(", ")
            ));
        }
        if let Some((left_out, of)) = self.recovered {
            parts.push(format!("{left_out} of {of} recovered clusters"));
        }
        if let Some((left_out, of)) = self.routine {
            parts.push(format!("{left_out} of {of} routine clusters"));
        }
        if parts.is_empty() {
            return None;
        }
        let mut note = String::new();
        let _ = write!(
            note,
            "**Left out to stay within {} characters** (a GitHub comment): {}. The complete worklog has everything: `gardener --complete`, or `RenderOptions::default().complete(true)` in the library.\n\n",
            thousands(limit),
            parts.join("; ")
        );
        Some(note)
    }
}

/// `65536` → `65,536`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Renders the worklog as Markdown in two layers: the first screen (header,
/// what is live now, the action table), then each problem's evidence folded
/// in a `<details>` block, the routine clusters, what recovered since the
/// previous run, and the input.
///
/// The worklog is scrubbed of secrets first ([`Worklog::scrubbed`]) and every
/// text from a log is escaped, so the document is safe to publish as is.
/// Unless [`RenderOptions::complete`], the document has at most
/// [`RenderOptions::max_bytes`] bytes: each problem's details are added in
/// order while they fit, shortened to counts and places when they do not,
/// and left out from the first that does not fit even so; routine and
/// recovered clusters are listed while they fit. A note under the table
/// says what was left out.
pub fn render_markdown_with(worklog: &Worklog, options: &RenderOptions) -> String {
    let worklog = &worklog.scrubbed();
    let complete = options.complete;
    let limit = if complete {
        usize::MAX
    } else {
        options.max_bytes.max(MIN_MARKDOWN_BYTES)
    };
    let clock = Clock::within(worklog.period);
    let (problems, routine) = problems::problems(worklog);

    let head = defang(
        first_screen::header(worklog) + &first_screen::now_line(worklog, &problems, &routine),
    );
    let input = defang(appendix::input(worklog, complete));
    let footer = defang(appendix::footer(worklog));
    // The first screen takes at most half; the input, footer and note are kept.
    let max_rows = if complete {
        usize::MAX
    } else {
        first_screen::MAX_TABLE_ROWS
    };
    let table_room = (limit / 2).saturating_sub(head.len());
    let (table, _) = first_screen::action_table(worklog, &problems, clock, table_room, max_rows);
    let table = defang(table);
    let reserved = head.len() + table.len() + input.len() + footer.len() + NOTE_RESERVE;
    let mut body = Body {
        text: String::new(),
        room: limit.saturating_sub(reserved),
    };
    let mut left_out = LeftOut::default();

    if !problems.is_empty() {
        body.push("## Problems\n\nEach problem's evidence, folded, in the table's order.\n\n");
    }
    let depth = if complete {
        Depth::Complete
    } else {
        Depth::Full
    };
    for problem in &problems {
        if body.push(&details::problem(problem, worklog, clock, depth)) {
            continue;
        }
        if body.push(&details::problem(problem, worklog, clock, Depth::Brief)) {
            left_out.shortened.push(problem.number);
            continue;
        }
        left_out.details_from = Some((problem.number, problems.len()));
        break;
    }
    if !worklog.resolved.is_empty() {
        let (table, shown) = appendix::recovered_table(worklog, body.room());
        body.push(&table);
        if shown < worklog.resolved.len() {
            left_out.recovered = Some((worklog.resolved.len() - shown, worklog.resolved.len()));
        }
    }
    if !routine.is_empty() {
        let (table, shown) = appendix::routine_table(&routine, clock, body.room());
        body.push(&table);
        if shown < routine.len() {
            left_out.routine = Some((routine.len() - shown, routine.len()));
        }
        if complete {
            for cluster in &routine {
                body.push(&details::routine(cluster, worklog, clock));
            }
        }
    }

    let mut out = String::with_capacity(reserved + body.text.len());
    out.push_str(&head);
    out.push_str(&table);
    if let Some(note) = left_out.note(limit) {
        out.push_str(&note);
    }
    out.push_str(&body.text);
    out.push_str(&input);
    out.push_str(&footer);
    out
}

fn defang(text: String) -> String {
    match defang_markers(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(defanged) => defanged,
    }
}

/// The document below the first screen, filled while it has room.
struct Body {
    text: String,
    room: usize,
}

impl Body {
    fn room(&self) -> usize {
        self.room.saturating_sub(self.text.len())
    }

    /// Appends `block` (markers defanged) if it fits; says whether it did.
    fn push(&mut self, block: &str) -> bool {
        let block = defang_markers(block);
        if block.len() > self.room() {
            return false;
        }
        self.text.push_str(&block);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(65_536), "65,536");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
