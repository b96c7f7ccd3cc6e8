//! CPython tracebacks, as `traceback.format_exc()` prints them, with chains,
//! and `warnings` output (`/app/x.py:12: UserWarning: message` followed by
//! the indented source line).

use super::{leading_number, split_exception_line, Exception, Frame, Language, StackTrace};

const HEADER: &str = "Traceback (most recent call last):";
const CHAIN_MARKERS: [&str; 2] = [
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
];

/// Parses every traceback block in `text`; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<StackTrace> {
    if !text.contains(HEADER) {
        return None;
    }
    let mut exceptions = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if !line.trim_end().ends_with(HEADER) {
            continue;
        }
        let mut frames = Vec::new();
        let mut exception_line = None;
        while let Some(&line) = lines.peek() {
            if let Some(frame) = parse_frame_line(line) {
                frames.push(frame);
                lines.next();
                continue;
            }
            if line.starts_with(' ') || line.starts_with('\t') || line.trim().is_empty() {
                // Source lines, carets, blank lines between frames.
                lines.next();
                continue;
            }
            if line.trim_end().ends_with(HEADER) {
                break;
            }
            exception_line = Some(line);
            lines.next();
            break;
        }
        let Some(exception_line) = exception_line else {
            if !frames.is_empty() {
                exceptions.push(Exception {
                    kind: String::new(),
                    message: String::new(),
                    frames,
                });
            }
            continue;
        };
        let (kind, first_message_line) =
            split_exception_line(exception_line).unwrap_or(("", exception_line.trim()));
        let mut message = first_message_line.to_owned();
        // A message may continue on following lines until a chain marker,
        // another traceback or the end.
        while let Some(&next) = lines.peek() {
            let trimmed = next.trim();
            if trimmed.is_empty() || CHAIN_MARKERS.contains(&trimmed) || trimmed.ends_with(HEADER) {
                break;
            }
            message.push('\n');
            message.push_str(next.trim_end());
            lines.next();
        }
        exceptions.push(Exception {
            kind: kind.to_owned(),
            message,
            frames,
        });
    }
    (!exceptions.is_empty()).then_some(StackTrace {
        language: Language::Python,
        exceptions,
    })
}

/// Parses a warning as the `warnings` module prints it:
/// `/usr/lib/python3.11/site-packages/pkg/x.py:373: UserWarning: message`,
/// message lines, then the source line indented by two spaces.
pub(super) fn parse_warning(text: &str) -> Option<StackTrace> {
    let mut lines = text.lines().skip_while(|line| line.trim().is_empty());
    let first = lines.next()?.trim_end();
    let py = first.find(".py:")?;
    let file = &first[..py + 3];
    let rest = &first[py + 4..];
    let line_number = leading_number(rest)?;
    let rest = rest
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_prefix(": ")?;
    let (kind, first_message) = split_exception_line(rest)?;
    if !kind.ends_with("Warning") || file.contains(' ') && !file.contains('/') {
        return None;
    }
    let mut message = first_message.to_owned();
    for line in lines {
        if line.starts_with("  ") || line.trim().is_empty() {
            break;
        }
        message.push('\n');
        message.push_str(line.trim_end());
    }
    Some(StackTrace {
        language: Language::Python,
        exceptions: vec![Exception {
            kind: kind.to_owned(),
            message,
            frames: vec![Frame {
                file: Some(file.to_owned()),
                module: module_from_path(file),
                function: None,
                line: Some(line_number),
                in_app: is_app_path(file),
            }],
        }],
    })
}

/// `  File "/app/x.py", line 12, in handler` (`, in f` is absent for SyntaxError).
fn parse_frame_line(line: &str) -> Option<Frame> {
    let rest = line.trim_start().strip_prefix("File \"")?;
    let close = rest.find('"')?;
    let file = &rest[..close];
    let rest = rest[close + 1..].strip_prefix(", line ")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let line_number = rest[..digits].parse().ok();
    let function = rest[digits..]
        .strip_prefix(", in ")
        .map(|function| function.trim().to_owned());
    Some(Frame {
        file: Some(file.to_owned()),
        module: module_from_path(file),
        function,
        line: line_number,
        in_app: is_app_path(file),
    })
}

/// `/app/netra_backend/app/main.py` → `netra_backend.app.main`, using the part
/// after `site-packages/` for libraries and dropping common app roots.
fn module_from_path(path: &str) -> Option<String> {
    let path = path.strip_suffix(".py")?;
    let relative = path
        .rsplit_once("site-packages/")
        .or_else(|| path.rsplit_once("dist-packages/"))
        .map(|(_, rest)| rest)
        .or_else(|| {
            // The standard library: `/usr/local/lib/python3.11/importlib/__init__.py`.
            let (_, rest) = path.split_once("/lib/python")?;
            rest.split_once('/').map(|(_, module)| module)
        })
        .or_else(|| path.strip_prefix("/app/"))
        .or_else(|| path.strip_prefix("/workspace/"))
        .or_else(|| path.strip_prefix("/srv/"))
        .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path));
    let relative = relative.strip_suffix("/__init__").unwrap_or(relative);
    let module = relative.trim_start_matches('/').replace('/', ".");
    (!module.is_empty()).then_some(module)
}

fn is_app_path(path: &str) -> bool {
    const LIBRARY_MARKERS: [&str; 5] = [
        "site-packages/",
        "dist-packages/",
        "/lib/python",
        "<frozen ",
        "<string>",
    ];
    !LIBRARY_MARKERS.iter().any(|marker| path.contains(marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gunicorn_import_error() {
        let text = r#"[2025-09-14 00:27:04 +0000] [12] [ERROR] Exception in worker process
Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/gunicorn/arbiter.py", line 609, in spawn_worker
    worker.init_process()
  File "/app/netra_backend/app/main.py", line 37, in <module>
    app = create_app()
ImportError: cannot import name 'X' from 'a.b' (/app/a/b.py)"#;
        let trace = parse(text).unwrap();
        let exception = trace.root_cause();
        assert_eq!(exception.kind, "ImportError");
        assert_eq!(
            exception.message,
            "cannot import name 'X' from 'a.b' (/app/a/b.py)"
        );
        assert_eq!(exception.frames.len(), 2);
        assert!(!exception.frames[0].in_app);
        assert_eq!(
            exception.frames[0].module.as_deref(),
            Some("gunicorn.arbiter")
        );
        assert_eq!(
            exception.frames[1].module.as_deref(),
            Some("netra_backend.app.main")
        );
        assert_eq!(exception.frames[1].line, Some(37));
        assert!(exception.frames[1].in_app);
    }

    #[test]
    fn syntax_error_frame_has_no_function() {
        let text = "Traceback (most recent call last):\n  File \"/app/r/ws.py\", line 658\n    x = f\"{a(\"b\")}\"\n        ^\nSyntaxError: f-string: unmatched '('";
        let trace = parse(text).unwrap();
        let exception = trace.root_cause();
        assert_eq!(exception.kind, "SyntaxError");
        assert_eq!(exception.frames[0].function, None);
        assert_eq!(exception.frames[0].line, Some(658));
    }

    #[test]
    fn warnings() {
        let text = "/usr/local/lib/python3.11/site-packages/pydantic/_internal/_config.py:373: UserWarning: Valid config keys have changed in V2:\n* 'orm_mode' has been renamed to 'from_attributes'\n  warnings.warn(message, UserWarning)";
        let trace = parse_warning(text).unwrap();
        let warning = trace.root_cause();
        assert_eq!(warning.kind, "UserWarning");
        assert_eq!(warning.message, "Valid config keys have changed in V2:\n* 'orm_mode' has been renamed to 'from_attributes'");
        assert_eq!(
            warning.frames[0].module.as_deref(),
            Some("pydantic._internal._config")
        );
        assert_eq!(warning.frames[0].line, Some(373));
        assert!(!warning.frames[0].in_app);
        assert!(parse_warning("x.py:3: not a warning").is_none());
    }

    #[test]
    fn chained_exceptions_root_cause_first() {
        let text = "Traceback (most recent call last):\n  File \"/app/a.py\", line 1, in f\n    g()\nKeyError: 'k'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"/app/a.py\", line 3, in h\n    f()\nValueError: bad";
        let trace = parse(text).unwrap();
        assert_eq!(trace.exceptions.len(), 2);
        assert_eq!(trace.root_cause().kind, "KeyError");
        assert_eq!(trace.outermost().kind, "ValueError");
    }
}
