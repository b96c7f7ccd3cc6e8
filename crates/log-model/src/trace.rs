//! Stack traces: the language-independent model and the parsers that fill it.
//!
//! Frames are always stored outermost call first and innermost (where the
//! exception was raised) last, whatever order the language prints them in;
//! chained exceptions are stored root cause first.

use serde::{Deserialize, Serialize};

mod python;

/// The language a stack trace was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Language {
    /// CPython's `traceback.format_exc()`.
    Python,
    /// A bare `Type: message` line with no frames.
    Unknown,
}

/// A parsed stack trace: one or more chained exceptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackTrace {
    /// The language the trace was written by.
    pub language: Language,
    /// The exceptions, root cause first, the one finally raised last.
    pub exceptions: Vec<Exception>,
}

impl StackTrace {
    /// Recognises and parses a stack trace in `text`, or returns `None`.
    ///
    /// ```
    /// use gardener_log_model::StackTrace;
    /// let text = "Traceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\n    import x\nModuleNotFoundError: No module named 'x'";
    /// let trace = StackTrace::parse(text).unwrap();
    /// let root = trace.root_cause();
    /// assert_eq!(root.kind, "ModuleNotFoundError");
    /// assert_eq!(root.frames[0].function.as_deref(), Some("<module>"));
    /// ```
    pub fn parse(text: &str) -> Option<StackTrace> {
        python::parse(text).or_else(|| bare_exception_line(text))
    }

    /// The innermost cause: what grouping uses for chained exceptions.
    pub fn root_cause(&self) -> &Exception {
        // `exceptions` is never empty: every parser returns None instead.
        &self.exceptions[0]
    }

    /// The exception that was finally raised (what a log line summarizes).
    pub fn outermost(&self) -> &Exception {
        &self.exceptions[self.exceptions.len() - 1]
    }
}

/// One exception of a trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    /// The exception type, e.g. `ImportError` or `java.io.IOException`.
    pub kind: String,
    /// The exception message (may be empty).
    pub message: String,
    /// Frames, outermost call first.
    pub frames: Vec<Frame>,
}

impl Exception {
    /// `Type: message`, or just `Type` when there is no message.
    pub fn summary(&self) -> String {
        if self.message.is_empty() {
            self.kind.clone()
        } else {
            format!("{}: {}", self.kind, self.message)
        }
    }

    /// In-app frames, innermost first: the frames a fingerprint uses.
    pub fn in_app_frames(&self) -> impl Iterator<Item = &Frame> {
        self.frames.iter().rev().filter(|frame| frame.in_app)
    }
}

/// One stack frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// The source file as printed.
    pub file: Option<String>,
    /// The module, package or class, when the language names one.
    pub module: Option<String>,
    /// The function (`<module>` for Python top-level code).
    pub function: Option<String>,
    /// Line number; never part of a fingerprint.
    pub line: Option<u32>,
    /// Whether the frame is the application's own code rather than a library's.
    pub in_app: bool,
}

/// `SyntaxError: f-string: unmatched '('` on a line of its own.
fn bare_exception_line(text: &str) -> Option<StackTrace> {
    let line = text.trim_start().lines().next()?;
    let (kind, message) = split_exception_line(line)?;
    let looks_like_exception = [
        "Error",
        "Exception",
        "Exit",
        "Interrupt",
        "Warning",
        "Panic",
    ]
    .iter()
    .any(|suffix| kind.ends_with(suffix));
    if !looks_like_exception {
        return None;
    }
    Some(StackTrace {
        language: Language::Unknown,
        exceptions: vec![Exception {
            kind: kind.to_owned(),
            message: message.to_owned(),
            frames: Vec::new(),
        }],
    })
}

/// Splits `pkg.Type: message` into type and message when the part before the
/// colon is a dotted identifier.
pub(crate) fn split_exception_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end();
    let (kind, message) = match line.find(':') {
        Some(colon) => (&line[..colon], line[colon + 1..].trim_start()),
        None => (line, ""),
    };
    let is_identifier = !kind.is_empty()
        && kind.len() <= 200
        && kind
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '$'))
        && kind
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        && !kind.ends_with('.');
    is_identifier.then_some((kind, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_exception_lines() {
        let trace =
            StackTrace::parse("SyntaxError: f-string: unmatched '(' in x.py line 3").unwrap();
        assert_eq!(trace.root_cause().kind, "SyntaxError");
        assert_eq!(
            trace.root_cause().message,
            "f-string: unmatched '(' in x.py line 3"
        );
        assert!(StackTrace::parse("Session access failed: middleware").is_none());
        assert!(StackTrace::parse("hello world").is_none());
    }
}
