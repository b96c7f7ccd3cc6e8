//! Which consecutive log lines belong to one stack trace.
//!
//! A per-language state machine in the spirit of Google's logging agent
//! (GoogleCloudPlatform/fluent-plugin-detect-exceptions): a line that starts
//! a trace, then the lines that may continue it; the trace ends at the first
//! line that cannot. Lines are given oldest first, each with the time since
//! the previous one.

use std::time::Duration;

use crate::trace::at_frame_body;

/// Lines of one `write()` arrive microseconds apart; a message line that
/// only proximity ties to a trace must be at least this close.
const TIGHT_GAP: Duration = Duration::from_millis(1);

/// The most lines before a trace's first line taken as its preamble (a
/// logger's line; Node's `file:line`, source line, caret and blank line).
const MAX_PREAMBLE_LINES: usize = 5;

/// One line to segment: its text and the time since the previous line.
pub(super) struct Line<'t> {
    pub text: &'t str,
    pub gap: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Just after `Traceback (most recent call last):`: a frame must follow.
    PythonHeader,
    /// Python frames and source lines, until the exception line.
    PythonFrames,
    /// After a Python exception line: chain markers, message lines.
    PythonAfterException,
    /// A Python warning's message lines, until its indented source line.
    PythonWarning,
    /// The trace ended with the last line taken.
    Done,
    /// `at` frames (JVM, V8, .NET) and the markers between their blocks.
    AtFrames,
    /// A Go panic and its goroutine dumps.
    Go,
    /// A PHP error's `Stack trace:` and frames.
    Php,
    /// Ruby backtrace lines.
    Ruby,
}

/// Splits `lines` into runs: `(start, end)` ranges of lines that form one
/// trace (with its preamble), in order. Lines in no range stand alone.
pub(super) fn traces(lines: &[Line<'_>], max_gap: Duration) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some(mut state) = start_state(lines, index) else {
            index += 1;
            continue;
        };
        let mut end = index + 1;
        while end < lines.len() && lines[end].gap <= max_gap {
            match next_state(state, lines, end) {
                Some(next) => {
                    state = next;
                    end += 1;
                }
                None => break,
            }
        }
        if end - index < 2 {
            index += 1;
            continue;
        }
        let floor = ranges.last().map_or(0, |&(_, previous_end)| previous_end);
        let start = preamble_start(lines, index, floor);
        ranges.push((start, end));
        index = end;
    }
    ranges
}

/// The state a trace starting at `lines[index]` begins in, if one does.
fn start_state(lines: &[Line<'_>], index: usize) -> Option<State> {
    let line = lines[index].text;
    let next = lines.get(index + 1).map(|line| line.text);
    let trimmed = line.trim();
    if trimmed.ends_with("Traceback (most recent call last):") {
        return Some(State::PythonHeader);
    }
    if is_python_warning(line) && next.is_some() {
        return Some(State::PythonWarning);
    }
    if trimmed.starts_with("panic: ")
        || trimmed.starts_with("fatal error: ")
        || trimmed.contains(": panic serving ")
        || is_goroutine_header(trimmed)
    {
        return Some(State::Go);
    }
    let next_trimmed = next.map(str::trim).unwrap_or_default();
    if (trimmed.starts_with("PHP ") || trimmed.contains("Uncaught "))
        && (next_trimmed == "Stack trace:" || next_trimmed == "PHP Stack trace:")
        || next_trimmed == "Stack trace:" && trimmed.contains(" in ")
    {
        return Some(State::Php);
    }
    let next_is_frame = next.is_some_and(|next| at_frame_body(next).is_some());
    if !trimmed.is_empty()
        && at_frame_body(line).is_none()
        && (next_is_frame || next_trimmed.starts_with("---> "))
    {
        return Some(State::AtFrames);
    }
    let next_is_ruby = next.is_some_and(is_ruby_frame);
    // Rails: `Type (message):`, a blank line, then the backtrace.
    let rails_header = trimmed.ends_with("):")
        && (next_is_ruby
            || next_trimmed.is_empty()
                && lines
                    .get(index + 2)
                    .is_some_and(|after| is_ruby_frame(after.text)));
    if rails_header || next_is_ruby && (ruby_exception_line(line) || trimmed.contains(": ")) {
        return Some(State::Ruby);
    }
    None
}

/// The state after `lines[index]` joins the trace, or `None` when the line
/// does not continue it.
fn next_state(state: State, lines: &[Line<'_>], index: usize) -> Option<State> {
    let line = lines[index].text;
    let trimmed = line.trim();
    let gap = lines[index].gap;
    let next = lines.get(index + 1).map(|line| line.text.trim());
    match state {
        State::PythonHeader => line.starts_with([' ', '\t']).then_some(State::PythonFrames),
        State::PythonFrames => {
            if line.starts_with([' ', '\t']) {
                Some(State::PythonFrames)
            } else if trimmed.is_empty() {
                // Blank lines inside a trace come only around chain markers.
                next.is_some_and(is_python_chain_marker)
                    .then_some(State::PythonAfterException)
            } else if looks_like_new_record(line) {
                None
            } else {
                Some(State::PythonAfterException)
            }
        }
        State::PythonAfterException => {
            if trimmed.ends_with("Traceback (most recent call last):") {
                Some(State::PythonHeader)
            } else if is_python_chain_marker(trimmed) {
                Some(State::PythonAfterException)
            } else if trimmed.is_empty() {
                next.is_some_and(|next| {
                    is_python_chain_marker(next)
                        || next.ends_with("Traceback (most recent call last):")
                })
                .then_some(State::PythonAfterException)
            } else if gap <= TIGHT_GAP && !looks_like_new_record(line) {
                // A multi-line exception message.
                Some(State::PythonAfterException)
            } else {
                None
            }
        }
        State::PythonWarning => {
            if gap > TIGHT_GAP {
                None
            } else if line.starts_with("  ") {
                // The source line ends the warning.
                Some(State::Done)
            } else if looks_like_new_record(line) {
                None
            } else {
                Some(State::PythonWarning)
            }
        }
        State::Done => None,
        State::AtFrames => {
            let continues = at_frame_body(line).is_some()
                || at_frame_body(line.trim_end().strip_suffix(" {").unwrap_or(line)).is_some()
                || ["Caused by:", "Suppressed:", "--- End of ", "---> ", "[cause]:", "Exception rethrown at", "nested exception is"]
                    .iter()
                    .any(|marker| trimmed.starts_with(marker))
                || is_more_line(trimmed)
                || is_inspect_decoration(line)
                // Node ends an uncaught error's report with its version.
                || trimmed.starts_with("Node.js v")
                || trimmed.is_empty() && next.is_some_and(|next| next.starts_with("Node.js v"));
            continues.then_some(State::AtFrames)
        }
        State::Go => {
            let continues = trimmed.is_empty()
                || line.starts_with([' ', '\t'])
                || trimmed.starts_with("[signal ")
                || is_goroutine_header(trimmed)
                || trimmed.starts_with("created by ")
                || trimmed.starts_with("exit status ")
                || trimmed.starts_with("panic: ")
                || is_go_function_line(trimmed);
            continues.then_some(State::Go)
        }
        State::Php => {
            let continues = trimmed == "Stack trace:"
                || trimmed == "PHP Stack trace:"
                || trimmed.starts_with("thrown in ")
                || trimmed.starts_with('#')
                    && trimmed[1..].starts_with(|c: char| c.is_ascii_digit())
                || trimmed.starts_with("PHP ")
                    && trimmed[4..]
                        .trim_start()
                        .starts_with(|c: char| c.is_ascii_digit())
                || trimmed.starts_with("Next ")
                || trimmed.is_empty() && next.is_some_and(|next| next.starts_with("Next "));
            continues.then_some(State::Php)
        }
        State::Ruby => {
            let continues = is_ruby_frame(line)
                || ruby_exception_line(line)
                || trimmed.is_empty()
                    && lines
                        .get(index + 1)
                        .is_some_and(|next| is_ruby_frame(next.text));
            continues.then_some(State::Ruby)
        }
    }
}

/// Where the run that starts a trace at `first` begins: the lines written
/// with it just before (a logger's `Exception in worker process`, Node's
/// `file:line`, source line and caret) join it.
fn preamble_start(lines: &[Line<'_>], first: usize, floor: usize) -> usize {
    let mut start = first;
    while start > floor && first - start < MAX_PREAMBLE_LINES && lines[start].gap <= TIGHT_GAP {
        let candidate = lines[start - 1].text;
        let trimmed = candidate.trim();
        let fits = announces_error(trimmed)
            || trimmed.is_empty()
            || is_caret_line(candidate)
            || candidate.starts_with([' ', '\t']) && is_caret_line(lines[start].text)
            || ends_with_line_number(trimmed);
        if !fits || start_state(lines, start - 1).is_some() {
            break;
        }
        start -= 1;
    }
    // Blank lines do not open a trace.
    while start < first && lines[start].text.trim().is_empty() {
        start += 1;
    }
    start
}

fn announces_error(trimmed: &str) -> bool {
    if trimmed.is_empty() {
        return false;
    }
    let lower = trimmed.to_ascii_lowercase();
    trimmed.ends_with(':')
        || [
            "error",
            "exception",
            "traceback",
            "fatal",
            "panic",
            "fail",
            "uncaught",
            "unhandled",
        ]
        .iter()
        .any(|word| lower.contains(word))
}

fn is_caret_line(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && trimmed.chars().all(|c| matches!(c, '^' | '~' | ' '))
}

/// `/app/src/server.js:42`: the first line of Node's report of an uncaught error.
fn ends_with_line_number(trimmed: &str) -> bool {
    trimmed.rsplit_once(':').is_some_and(|(file, line)| {
        file.contains(['/', '.']) && !file.contains(' ') && crate::trace::is_digits(line)
    })
}

fn is_python_chain_marker(trimmed: &str) -> bool {
    trimmed == "During handling of the above exception, another exception occurred:"
        || trimmed == "The above exception was the direct cause of the following exception:"
}

/// `/path/x.py:12: UserWarning: message`.
fn is_python_warning(line: &str) -> bool {
    let Some(py) = line.find(".py:") else {
        return false;
    };
    let rest = &line[py + 4..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && rest[digits..]
            .strip_prefix(": ")
            .and_then(|rest| rest.split_once(": "))
            .is_some_and(|(kind, _)| kind.ends_with("Warning") && !kind.contains(' '))
}

fn is_goroutine_header(trimmed: &str) -> bool {
    trimmed
        .strip_prefix("goroutine ")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()) && rest.ends_with("]:"))
}

/// `main.(*Server).handle(0x0, {0x5b3f40})`, `panic({0x4b8f20?})`.
fn is_go_function_line(trimmed: &str) -> bool {
    trimmed.ends_with(')')
        && trimmed
            .find('(')
            .is_some_and(|open| open > 0 && !trimmed[..open].contains(' '))
}

/// `... 12 more`, `... 3 common frames omitted`.
fn is_more_line(trimmed: &str) -> bool {
    trimmed.strip_prefix("... ").is_some_and(|rest| {
        rest.starts_with(|c: char| c.is_ascii_digit())
            && (rest.ends_with(" more") || rest.ends_with(" common frames omitted"))
    })
}

/// What Node's `util.inspect` prints around an error's own properties:
/// `}`, `  code: 'ECONNREFUSED',`, `  [errors]: [`.
fn is_inspect_decoration(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed == "}"
        || trimmed == "]"
        || line.starts_with("  ")
            && (trimmed.ends_with(',')
                || trimmed.ends_with('{')
                || trimmed.ends_with('[')
                || trimmed.ends_with(['\'', '"']))
            && trimmed.contains(": ")
}

fn is_ruby_frame(line: &str) -> bool {
    let trimmed = line.trim_start();
    let trimmed = trimmed.strip_prefix("from ").unwrap_or(trimmed);
    trimmed.find(":in ").is_some_and(|index| {
        let location = &trimmed[..index];
        let after = &trimmed[index + 4..];
        location
            .rsplit_once(':')
            .is_some_and(|(file, line)| !file.is_empty() && crate::trace::is_digits(line))
            && after.starts_with(['`', '\''])
    })
}

/// `/app/x.rb:3:in 'foo': message (Type)`.
fn ruby_exception_line(line: &str) -> bool {
    is_ruby_frame(line) && !line.starts_with([' ', '\t']) && line.trim_end().ends_with(')')
}

/// A line that starts a new log record rather than continuing a message:
/// it begins with a timestamp, a bracketed date, a level name, or an
/// access-log client address.
pub(super) fn looks_like_new_record(line: &str) -> bool {
    let trimmed = line.trim_start();
    let bytes = trimmed.as_bytes();
    let starts_with_date = bytes.len() >= 5
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && matches!(bytes[4], b'-' | b'/');
    let bracketed_date =
        bytes.first() == Some(&b'[') && bytes.get(1).is_some_and(u8::is_ascii_digit);
    // `INFO: ...`, `[INFO] ...`.
    let unbracketed = trimmed.strip_prefix('[').unwrap_or(trimmed);
    let level = [
        "DEBUG", "INFO", "NOTICE", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "TRACE",
    ]
    .iter()
    .any(|level| {
        unbracketed
            .strip_prefix(level)
            .is_some_and(|rest| rest.starts_with([':', ' ', ']', '\t']))
    });
    let access_log = trimmed.split_once(" - \"").is_some_and(|(client, _)| {
        client.contains(':')
            && client
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b':')
    });
    starts_with_date || bracketed_date || level || access_log
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines<'t>(texts: &[&'t str], gap_micros: u64) -> Vec<Line<'t>> {
        texts
            .iter()
            .map(|text| Line {
                text,
                gap: Duration::from_micros(gap_micros),
            })
            .collect()
    }

    #[test]
    fn python_trace_with_logger_preamble() {
        let input = lines(
            &[
                "[INFO] hello",
                "ERROR:app:request failed",
                "Traceback (most recent call last):",
                "  File \"/app/a.py\", line 1, in f",
                "    g()",
                "KeyError: 'k'",
                "[2025-09-14 10:00:00 +0000] [1] [INFO] next",
            ],
            20,
        );
        assert_eq!(traces(&input, Duration::from_millis(50)), [(1, 6)]);
    }

    #[test]
    fn gaps_cut_traces() {
        let mut input = lines(
            &[
                "java.lang.X: y",
                "\tat a.B.c(B.java:1)",
                "\tat a.B.d(B.java:2)",
            ],
            20,
        );
        input[2].gap = Duration::from_millis(80);
        assert_eq!(traces(&input, Duration::from_millis(50)), [(0, 2)]);
    }

    #[test]
    fn a_start_alone_is_no_trace() {
        let input = lines(
            &["Traceback (most recent call last):", "[INFO] unrelated"],
            20,
        );
        assert!(traces(&input, Duration::from_millis(50)).is_empty());
    }

    #[test]
    fn new_records() {
        for line in [
            "[2025-09-14 23:55:08 +0000] [19] [INFO] Worker exiting",
            "2025-09-14 10:00:00,123 ERROR boom",
            "INFO:     Shutting down",
            "WARNING: low disk",
            "169.254.169.126:47049 - \"GET /health HTTP/1.1\" 200",
        ] {
            assert!(looks_like_new_record(line), "{line}");
        }
        for line in [
            "  Field required [type=missing]",
            "database_url",
            "* 'orm_mode' renamed",
        ] {
            assert!(!looks_like_new_record(line), "{line}");
        }
    }
}
