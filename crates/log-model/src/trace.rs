//! Stack traces: the language-independent model and the parsers that fill it.
//!
//! One module per language, each parsing the format Cloud Error Reporting
//! accepts for it (see `docs/grouping-facts.md`). Frames are always stored
//! outermost call first and innermost (where the exception was raised) last,
//! whatever order the language prints them in; chained exceptions are stored
//! root cause first.

use serde::{Deserialize, Serialize};

mod dotnet;
mod go;
mod java;
mod javascript;
mod php;
mod python;
mod ruby;

/// The language a stack trace was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Language {
    /// CPython's `traceback.format_exc()`, and `warnings` output.
    Python,
    /// JVM `Throwable.printStackTrace()` (Java, Kotlin, Scala).
    Java,
    /// V8's `error.stack` (Node.js, Chrome).
    #[serde(rename = "javascript")]
    JavaScript,
    /// Go `panic:` output and `runtime.Stack()` / `debug.Stack()`.
    Go,
    /// Ruby `Exception#full_message` and `Exception#backtrace`.
    Ruby,
    /// PHP errors (`PHP Fatal error: ...`) and `(string)$exception`.
    Php,
    /// .NET `Exception.ToString()` (C#, F#, VB).
    #[serde(rename = "dotnet")]
    DotNet,
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
    /// Text before the trace (a logger's prefix line) and after it is ignored.
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
        // Most messages are one line: only the one-line shapes can match.
        if !text.trim_end().contains('\n') {
            // Every one-line shape (`PHP Fatal error: ...`, `x.py:3: UserWarning: ...`,
            // `Type: message`) has a colon.
            memchr::memchr(b':', text.as_bytes())?;
            return php::parse(text)
                .or_else(|| python::parse_warning(text))
                .or_else(|| bare_exception_line(text));
        }
        python::parse(text)
            .or_else(|| go::parse(text))
            .or_else(|| php::parse(text))
            .or_else(|| parse_at_frames(text))
            .or_else(|| ruby::parse(text))
            .or_else(|| python::parse_warning(text))
            .or_else(|| bare_exception_line(text))
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
        } else if self.kind.is_empty() {
            self.message.clone()
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

/// The JVM, V8 and .NET all print frames as `at ...` lines; which one wrote
/// them shows in the first frame that only one of them would print.
fn parse_at_frames(text: &str) -> Option<StackTrace> {
    let mut dotnet_hint = text.contains("--->") || text.contains("--- End of ");
    for line in text.lines() {
        let Some(body) = at_frame_body(line) else {
            continue;
        };
        if javascript::is_frame(body) {
            return javascript::parse(text);
        }
        if java::is_frame(body) {
            return java::parse(text);
        }
        if dotnet::is_frame(body) {
            dotnet_hint = true;
            break;
        }
    }
    if dotnet_hint {
        dotnet::parse(text)
    } else {
        java::parse(text)
    }
}

/// The part after `at ` of a frame line (`\tat x.Y.z(Y.java:1)`,
/// `    at f (/app/x.js:1:2)`), also behind a logger's prefix for the JVM's
/// tab-indented frames.
pub(crate) fn at_frame_body(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let body = match trimmed.strip_prefix("at ") {
        Some(body) => body,
        None => {
            let index = line.find("\tat ")?;
            &line[index + 4..]
        }
    };
    let body = body.trim();
    let plausible = body.ends_with(')')
        || body.contains(":line ")
        || ends_with_line_and_column(body)
        || body.contains("<anonymous>");
    (plausible && !body.is_empty()).then_some(body)
}

/// `file:12:34`.
pub(crate) fn ends_with_line_and_column(text: &str) -> bool {
    let mut parts = text.rsplitn(3, ':');
    let column = parts.next().unwrap_or_default();
    let line = parts.next().unwrap_or_default();
    parts.next().is_some() && is_digits(column) && is_digits(line)
}

pub(crate) fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The leading decimal number of `text`, if it fits a `u32`.
pub(crate) fn leading_number(text: &str) -> Option<u32> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    text[..digits].parse().ok()
}

/// The path relative to a common application root (`/app/`, `/workspace/`,
/// `/srv/`, `/usr/src/app/`, `/var/www/html/`), or unchanged.
pub(crate) fn app_relative(path: &str) -> &str {
    const ROOTS: [&str; 8] = [
        "/usr/src/app/",
        "/var/www/html/",
        "/home/app/",
        "/workspace/",
        "/app/",
        "/srv/",
        "/src/",
        "/code/",
    ];
    ROOTS
        .iter()
        .find_map(|root| path.strip_prefix(root))
        .unwrap_or(path)
}

/// `SyntaxError: f-string: unmatched '('` on a line of its own.
fn bare_exception_line(text: &str) -> Option<StackTrace> {
    let line = text.trim_start().lines().next()?;
    let (kind, message) = split_exception_line(line)?;
    if !looks_like_exception_type(kind) {
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

/// Whether a type name reads like an exception class
/// (`ValueError`, `java.io.IOException`, `DeterministicStartupError`).
pub(crate) fn looks_like_exception_type(kind: &str) -> bool {
    let last = kind.rsplit(['.', '\\', ':']).next().unwrap_or(kind);
    [
        "Error",
        "Exception",
        "Exit",
        "Interrupt",
        "Warning",
        "Panic",
        "Throwable",
        "Failure",
        "Fault",
    ]
    .iter()
    .any(|suffix| last.ends_with(suffix))
}

/// Splits `pkg.Type: message` into type and message when the part before the
/// colon is a dotted identifier.
pub(crate) fn split_exception_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end();
    // The first `:` that is not half of Ruby's or C++'s `::`.
    let bytes = line.as_bytes();
    let colon = line
        .match_indices(':')
        .map(|(index, _)| index)
        .find(|&index| {
            bytes.get(index + 1) != Some(&b':') && (index == 0 || bytes[index - 1] != b':')
        });
    let (kind, message) = match colon {
        Some(colon) => (&line[..colon], line[colon + 1..].trim_start()),
        None => (line, ""),
    };
    is_type_name(kind).then_some((kind, message))
}

/// A dotted identifier such as `java.io.IOException`, `Foo$Bar`, `App\Error`.
pub(crate) fn is_type_name(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 200
        && kind
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '\\' | ':'))
        && kind
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '\\')
        && !kind.ends_with('.')
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

    #[test]
    fn at_frame_bodies() {
        assert_eq!(
            at_frame_body("\tat com.x.Y.z(Y.java:1)"),
            Some("com.x.Y.z(Y.java:1)")
        );
        assert_eq!(at_frame_body("    at /app/x.js:1:2"), Some("/app/x.js:1:2"));
        assert_eq!(
            at_frame_body("2025-01-01 ERROR [main]\tat com.x.Y.z(Y.java:1)"),
            Some("com.x.Y.z(Y.java:1)")
        );
        assert_eq!(at_frame_body("at least one thing failed"), None);
        assert_eq!(at_frame_body("at "), None);
    }

    #[test]
    fn type_names() {
        assert!(is_type_name("java.io.IOException"));
        assert!(is_type_name("App\\Exceptions\\Boom"));
        assert!(!is_type_name("two words"));
        assert!(!is_type_name("trailing."));
        assert_eq!(
            split_exception_line("ActiveRecord::RecordNotFound: gone"),
            Some(("ActiveRecord::RecordNotFound", "gone"))
        );
        assert!(looks_like_exception_type("java.io.IOException"));
        assert!(!looks_like_exception_type("Session access failed"));
    }
}
