//! V8 stack traces (`error.stack` in Node.js): `Type: message`, then
//! `    at function (file:line:column)` frames innermost first. Node's
//! `util.inspect` prints causes as `[cause]: Type: message` blocks.

use super::{
    app_relative, at_frame_body, ends_with_line_and_column, is_type_name, Exception, Frame,
    Language, StackTrace,
};

/// Whether an `at` frame body can only come from V8: a location ending in
/// `:line:column`, `<anonymous>`, `native`, or an `async` frame.
pub(super) fn is_frame(body: &str) -> bool {
    let location = location_of(body);
    ends_with_line_and_column(location)
        || location == "<anonymous>"
        || location == "native"
        || location.starts_with("index ")
        || body.starts_with("async ")
}

/// The location of a frame body: the last balanced `(...)`, or the body.
fn location_of(body: &str) -> &str {
    let Some(inner) = body.strip_suffix(')') else {
        return body;
    };
    let mut depth = 0usize;
    for (index, byte) in inner.bytes().enumerate().rev() {
        match byte {
            b')' => depth += 1,
            b'(' if depth == 0 => return &inner[index + 1..],
            b'(' => depth -= 1,
            _ => {}
        }
    }
    body
}

/// Parses the first V8 trace in `text`; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<StackTrace> {
    let lines: Vec<&str> = text.lines().collect();
    let first_frame = lines.iter().position(|line| frame_body(line).is_some())?;
    let mut blocks = vec![header(&lines[..first_frame])];
    let mut frames: Vec<Vec<Frame>> = vec![Vec::new()];
    for line in &lines[first_frame..] {
        let trimmed = line.trim();
        if let Some(body) = frame_body(line) {
            if let Some(current) = frames.last_mut() {
                current.push(parse_frame(body));
            }
        } else if let Some(cause) = trimmed.strip_prefix("[cause]:") {
            blocks.push(header(&[cause]));
            frames.push(Vec::new());
        } else if trimmed.is_empty()
            || trimmed == "}"
            || trimmed.ends_with('{')
            || trimmed.starts_with('[')
            || trimmed.contains(": ") && trimmed.ends_with(',')
        {
            // `util.inspect` decoration: `{`, `}`, `code: 'E_X',`, `[errors]: [`.
            continue;
        } else {
            break;
        }
    }
    // Printed: the error, then its cause, then the cause's cause.
    let mut exceptions: Vec<Exception> = blocks
        .into_iter()
        .zip(frames)
        .map(|((kind, message), mut frames)| {
            frames.reverse();
            Exception {
                kind,
                message,
                frames,
            }
        })
        .collect();
    exceptions.reverse();
    Some(StackTrace {
        language: Language::JavaScript,
        exceptions,
    })
}

/// A frame line; `util.inspect` opens the error's own properties with ` {`
/// at the end of its last frame line.
fn frame_body(line: &str) -> Option<&str> {
    let line = line.trim_end();
    let line = line.strip_suffix(" {").unwrap_or(line);
    at_frame_body(line).filter(|body| is_frame(body))
}

/// The error line: the first line that reads `Type: message` (or
/// `Error [ERR_CODE]: message`); the lines up to the first frame continue
/// the message. Node prints the throwing source line and a caret above it
/// for uncaught errors; those come before the error line and are skipped.
fn header(lines: &[&str]) -> (String, String) {
    for (index, line) in lines.iter().enumerate() {
        let Some((kind, first)) = error_line(line) else {
            continue;
        };
        let mut message = first.to_owned();
        for continuation in &lines[index + 1..] {
            if !continuation.trim().is_empty() {
                message.push('\n');
                message.push_str(continuation.trim_end());
            }
        }
        return (kind.to_owned(), message);
    }
    let last = lines.iter().rev().find(|line| !line.trim().is_empty());
    (
        String::new(),
        last.map(|line| line.trim().to_owned()).unwrap_or_default(),
    )
}

/// `TypeError: x is not a function`, `Error [ERR_MODULE_NOT_FOUND]: Cannot find ...`,
/// `Uncaught Error: boom`, and `Request failed TypeError: x` (what
/// `console.error("Request failed", error)` prints).
fn error_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    let line = line.strip_prefix("Uncaught ").unwrap_or(line);
    let (before, message) = match line.find(": ") {
        Some(colon) => (&line[..colon], line[colon + 2..].trim_start()),
        None => (line.strip_suffix(':').unwrap_or(line), ""),
    };
    // `Error [ERR_X]` keeps its code: it names the problem.
    let name_part = match before.rfind(" [") {
        Some(open) if before.ends_with(']') => &before[..open],
        _ => before,
    };
    let name_start = name_part.rfind(' ').map_or(0, |space| space + 1);
    let name = &name_part[name_start..];
    let prefixed = name_start > 0;
    let error_like = name.ends_with("Error") || name.ends_with("Exception");
    let capitalized = name.chars().next().is_some_and(char::is_uppercase);
    let accepted =
        is_type_name(name) && (error_like || !prefixed && capitalized && !message.is_empty());
    accepted.then_some((&before[name_start..], message))
}

/// `Object.handler (/app/src/h.js:10:15)`, `async Promise.all (index 0)`,
/// `/app/node_modules/x/y.js:1:2`, `new Foo (file:///app/a.mjs:3:9)`.
fn parse_frame(body: &str) -> Frame {
    let body = body.strip_prefix("async ").unwrap_or(body);
    let location = location_of(body);
    let function = if location.len() == body.len() {
        None
    } else {
        let name = body[..body.len() - location.len() - 1].trim_end_matches(['(', ' ']);
        let name = name.split(" [as ").next().unwrap_or(name);
        let name = name.strip_prefix("Object.").unwrap_or(name);
        (!name.is_empty()).then(|| name.to_owned())
    };
    let (file, line) = if ends_with_line_and_column(location) {
        let mut parts = location.rsplitn(3, ':');
        let _column = parts.next();
        let line = parts.next().and_then(|line| line.parse().ok());
        let file = parts.next().unwrap_or_default();
        let file = file.strip_prefix("file://").unwrap_or(file);
        (Some(file), line)
    } else {
        (None, None)
    };
    Frame {
        module: file.and_then(module_of),
        in_app: file.is_some_and(is_app_file),
        file: file.map(str::to_owned),
        function,
        line,
    }
}

/// `/app/node_modules/@scope/pkg/lib/x.js` → `@scope/pkg/lib/x`;
/// `/app/src/handler.js` → `src/handler`; `node:internal/x` as is.
fn module_of(file: &str) -> Option<String> {
    if file.starts_with("node:") {
        return Some(file.to_owned());
    }
    let relative = match file.rfind("node_modules/") {
        Some(index) => &file[index + "node_modules/".len()..],
        None => app_relative(file),
    };
    let relative = relative.trim_start_matches('/');
    let without_extension = match relative.rfind('.') {
        Some(dot) if !relative[dot..].contains('/') => &relative[..dot],
        _ => relative,
    };
    (!without_extension.is_empty()).then(|| without_extension.to_owned())
}

fn is_app_file(file: &str) -> bool {
    !(file.contains("node_modules/")
        || file.starts_with("node:")
        || file.starts_with("internal/")
        || file.starts_with("<"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncaught_node_error() {
        let text = "/app/index.js:10\n    throw new TypeError('bad');\n    ^\n\nTypeError: bad\n    at Object.<anonymous> (/app/index.js:10:11)\n    at Module._compile (node:internal/modules/cjs/loader:1256:14)\n\nNode.js v18.17.0";
        let trace = parse(text).unwrap();
        let error = trace.root_cause();
        assert_eq!(
            (error.kind.as_str(), error.message.as_str()),
            ("TypeError", "bad")
        );
        assert_eq!(error.frames.len(), 2);
        assert_eq!(error.frames[1].function.as_deref(), Some("<anonymous>"));
        assert_eq!(error.frames[1].module.as_deref(), Some("index"));
        assert!(error.frames[1].in_app);
        assert!(!error.frames[0].in_app);
    }

    #[test]
    fn frames_without_function_and_codes() {
        let frame = parse_frame("/app/node_modules/express/lib/router/layer.js:95:5");
        assert_eq!(frame.function, None);
        assert_eq!(frame.module.as_deref(), Some("express/lib/router/layer"));
        assert_eq!(frame.line, Some(95));
        assert!(!frame.in_app);
        assert_eq!(
            error_line("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x'"),
            Some(("Error [ERR_MODULE_NOT_FOUND]", "Cannot find package 'x'"))
        );
        let frame = parse_frame("async Promise.all (index 0)");
        assert_eq!(frame.function.as_deref(), Some("Promise.all"));
        assert_eq!(frame.file, None);
        assert_eq!(
            error_line("Request failed TypeError: x is undefined"),
            Some(("TypeError", "x is undefined"))
        );
        assert_eq!(error_line("    ^"), None);
        assert_eq!(error_line("/app/index.js:10"), None);
    }
}
