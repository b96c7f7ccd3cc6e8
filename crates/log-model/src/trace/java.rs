//! JVM stack traces, as `Throwable.printStackTrace()` prints them: the
//! exception line, `\tat` frames innermost first, `Caused by:` causes whose
//! frames end in `... N more` (shared with the enclosing trace), and
//! `Suppressed:` blocks, which are not causes and are skipped.

use super::{
    at_frame_body, is_type_name, looks_like_exception_type, Exception, Frame, Language, StackTrace,
};

/// Packages whose frames are not the application's own.
const LIBRARY_PREFIXES: [&str; 37] = [
    "java.",
    "javax.",
    "jakarta.",
    "jdk.",
    "sun.",
    "com.sun.",
    "kotlin.",
    "kotlinx.",
    "scala.",
    "groovy.",
    "clojure.",
    "org.springframework.",
    "org.apache.",
    "org.eclipse.",
    "org.hibernate.",
    "org.junit.",
    "org.jboss.",
    "org.glassfish.",
    "org.postgresql.",
    "org.slf4j.",
    "org.gradle.",
    "org.mockito.",
    "org.h2.",
    "io.netty.",
    "io.grpc.",
    "io.micronaut.",
    "io.quarkus.",
    "io.undertow.",
    "io.vertx.",
    "reactor.",
    "rx.",
    "okhttp3.",
    "retrofit2.",
    "ch.qos.logback.",
    "com.fasterxml.",
    "com.zaxxer.",
    "com.google.",
];

/// Whether an `at` frame body can only come from the JVM:
/// `com.x.Y.z(Y.java:12)`, `(Native Method)`, `(Unknown Source)`.
pub(super) fn is_frame(body: &str) -> bool {
    let Some(source) = parenthesized_source(body) else {
        return false;
    };
    source == "Native Method"
        || source == "Unknown Source"
        || source.starts_with("Unknown Source:")
        || [".java", ".kt", ".scala", ".groovy", ".clj", ".kts"]
            .iter()
            .any(|ext| {
                source
                    .split(':')
                    .next()
                    .is_some_and(|file| file.ends_with(ext))
            })
}

/// The `(...)` at the end of a frame body.
fn parenthesized_source(body: &str) -> Option<&str> {
    let inner = body.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    Some(&inner[open + 1..])
}

struct Printed {
    kind: String,
    message: String,
    /// Innermost first, as printed.
    frames: Vec<Frame>,
    /// `... N more`: the last N frames are those of the enclosing trace.
    shared_with_enclosing: usize,
}

/// Parses the first JVM trace in `text`; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<StackTrace> {
    let lines: Vec<&str> = text.lines().collect();
    let first_frame = lines
        .iter()
        .position(|line| at_frame_body(line).is_some_and(|body| body.ends_with(')')))?;
    let (kind, message) = header(&lines[..first_frame]);
    let mut printed = vec![Printed {
        kind,
        message,
        frames: Vec::new(),
        shared_with_enclosing: 0,
    }];
    // Indentation of the `Suppressed:` block being skipped.
    let mut suppressed_indent: Option<usize> = None;
    for line in &lines[first_frame..] {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some(limit) = suppressed_indent {
            let nested_cause = trimmed.starts_with("Caused by:") && indent >= limit;
            if indent > limit || nested_cause {
                continue;
            }
            suppressed_indent = None;
        }
        if let Some(body) = at_frame_body(line) {
            if let Some(current) = printed.last_mut() {
                current.frames.push(parse_frame(body));
            }
        } else if let Some(cause) = trimmed.strip_prefix("Caused by:") {
            let (kind, message) = exception_line(cause.trim()).unwrap_or_default();
            printed.push(Printed {
                kind,
                message,
                frames: Vec::new(),
                shared_with_enclosing: 0,
            });
        } else if trimmed.starts_with("Suppressed:") {
            suppressed_indent = Some(indent);
        } else if let Some(count) = more_count(trimmed) {
            if let Some(current) = printed.last_mut() {
                current.shared_with_enclosing = count;
            }
        } else if !trimmed.is_empty() {
            break;
        }
    }

    // Rebuild each cause's full trace: its own frames, then the enclosing
    // trace's last N frames, which `... N more` left out.
    let mut exceptions: Vec<Exception> = Vec::with_capacity(printed.len());
    let mut enclosing: Vec<Frame> = Vec::new();
    for exception in printed {
        let mut frames = exception.frames;
        let shared = exception.shared_with_enclosing.min(enclosing.len());
        frames.extend_from_slice(&enclosing[enclosing.len() - shared..]);
        enclosing.clone_from(&frames);
        frames.reverse();
        exceptions.push(Exception {
            kind: exception.kind,
            message: exception.message,
            frames,
        });
    }
    exceptions.reverse();
    Some(StackTrace {
        language: Language::Java,
        exceptions,
    })
}

/// The exception line among the lines before the first frame: the one
/// closest to the frames that names a qualified exception type (`toString()`
/// prints the class's full name), else the first that names any; the lines
/// after it continue its message. The type may follow a logger's prefix or
/// `Exception in thread "main"`.
fn header(lines: &[&str]) -> (String, String) {
    let qualified = lines
        .iter()
        .rposition(|line| exception_line(line).is_some_and(|(kind, _)| kind.contains('.')));
    let chosen = qualified.or_else(|| lines.iter().position(|line| exception_line(line).is_some()));
    if let Some((index, (kind, mut message))) =
        chosen.and_then(|index| Some((index, exception_line(lines[index])?)))
    {
        for continuation in &lines[index + 1..] {
            if !continuation.trim().is_empty() {
                message.push('\n');
                message.push_str(continuation.trim_end());
            }
        }
        return (kind, message);
    }
    let last = lines.iter().rev().find(|line| !line.trim().is_empty());
    (
        String::new(),
        last.map(|line| line.trim().to_owned()).unwrap_or_default(),
    )
}

/// `java.lang.IllegalStateException: boom`, possibly behind a prefix such as
/// `2025-09-14 10:00:00 ERROR [main] c.e.App - Request failed: `.
fn exception_line(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let line = match line.strip_prefix("Exception in thread \"") {
        Some(rest) => rest.split_once("\" ").map_or(rest, |(_, after)| after),
        None => line,
    };
    // Try every token start: the type is the first token that is a qualified
    // (or exception-named) type followed by `:` or the end of the line. A
    // logger's prefix is short: the type starts within the first 512 bytes.
    let mut start = 0;
    while start < line.len().min(512) {
        let rest = &line[start..];
        let token_end = rest.find([':', ' ']).unwrap_or(rest.len());
        let token = &rest[..token_end];
        let followed_by_colon_or_end =
            rest[token_end..].is_empty() || rest[token_end..].starts_with(':');
        let qualified =
            token.contains('.') && !token.starts_with('.') && looks_like_exception_type(token);
        if followed_by_colon_or_end
            && is_type_name(token)
            && (qualified || looks_like_exception_type(token))
        {
            let message = rest[token_end..]
                .strip_prefix(':')
                .unwrap_or_default()
                .trim();
            return Some((token.to_owned(), message.to_owned()));
        }
        match rest.find(' ') {
            Some(space) => start += space + 1,
            None => break,
        }
    }
    None
}

/// `... 12 more` / `... 12 common frames omitted` (logback).
fn more_count(trimmed: &str) -> Option<usize> {
    let rest = trimmed.strip_prefix("...")?.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = rest[digits..].trim();
    if digits == 0 || !(suffix == "more" || suffix == "common frames omitted") {
        return None;
    }
    rest[..digits].parse().ok()
}

/// `com.x.Foo.bar(Foo.java:12)`, `java.base/java.lang.Thread.run(Thread.java:833)`.
fn parse_frame(body: &str) -> Frame {
    let (qualified, source) = match body.strip_suffix(')').and_then(|inner| {
        inner
            .rfind('(')
            .map(|open| (&inner[..open], &inner[open + 1..]))
    }) {
        Some((qualified, source)) => (qualified, Some(source)),
        None => (body, None),
    };
    // Drop a module (`java.base/`) or class loader (`app//`) prefix.
    let qualified = qualified.rsplit('/').next().unwrap_or(qualified).trim();
    let (class, method) = match qualified.rfind('.') {
        Some(dot) => (&qualified[..dot], &qualified[dot + 1..]),
        None => ("", qualified),
    };
    let class = normalize_class(class);
    let (file, line) = match source {
        Some("Native Method" | "Unknown Source") | None => (None, None),
        Some(source) => match source.rsplit_once(':') {
            Some((file, line)) => (Some(file), line.trim().parse().ok()),
            None => (Some(source), None),
        },
    };
    Frame {
        file: file.filter(|file| !file.is_empty()).map(str::to_owned),
        in_app: !class.is_empty() && is_app_class(&class),
        module: (!class.is_empty()).then_some(class),
        function: (!method.is_empty()).then(|| normalize_method(method)),
        line,
    }
}

/// `Foo$$Lambda$123/0x0000000800c0b000` and `Foo$$EnhancerBySpringCGLIB$$1a2b`
/// are generated per build: keep `Foo`.
fn normalize_class(class: &str) -> String {
    let class = class.split("$$").next().unwrap_or(class);
    class.to_owned()
}

/// `lambda$handle$0` → `lambda$handle`; `access$000` → `access`.
fn normalize_method(method: &str) -> String {
    match method.rsplit_once('$') {
        Some((name, counter)) if super::is_digits(counter) => name.to_owned(),
        _ => method.to_owned(),
    }
}

fn is_app_class(class: &str) -> bool {
    !LIBRARY_PREFIXES
        .iter()
        .any(|prefix| class.starts_with(prefix))
        && !class.contains("$Proxy")
        && !class.starts_with("jdk.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_with_more_frames() {
        let text = "java.lang.IllegalStateException: outer\n\tat com.example.Service.call(Service.java:20)\n\tat com.example.Main.main(Main.java:5)\nCaused by: java.io.IOException: inner\n\tat com.example.Store.read(Store.java:7)\n\tat com.example.Service.call(Service.java:18)\n\t... 1 more\n";
        let trace = parse(text).unwrap();
        assert_eq!(trace.language, Language::Java);
        assert_eq!(trace.exceptions.len(), 2);
        let root = trace.root_cause();
        assert_eq!(root.kind, "java.io.IOException");
        assert_eq!(root.message, "inner");
        let functions: Vec<_> = root
            .frames
            .iter()
            .map(|f| f.function.as_deref().unwrap())
            .collect();
        assert_eq!(functions, ["main", "call", "read"]);
        assert_eq!(trace.outermost().kind, "java.lang.IllegalStateException");
        assert_eq!(trace.outermost().frames.len(), 2);
    }

    #[test]
    fn logger_prefix_and_thread_header() {
        let (kind, message) =
            exception_line("2025-09-14 10:00:01.123 ERROR 1 --- [main] c.e.App : Failed: java.lang.NullPointerException: x is null").unwrap();
        assert_eq!(kind, "java.lang.NullPointerException");
        assert_eq!(message, "x is null");
        let (kind, message) =
            exception_line("Exception in thread \"main\" java.lang.RuntimeException").unwrap();
        assert_eq!(
            (kind.as_str(), message.as_str()),
            ("java.lang.RuntimeException", "")
        );
    }

    #[test]
    fn frames() {
        let frame = parse_frame("java.base/java.lang.Thread.run(Thread.java:833)");
        assert_eq!(frame.module.as_deref(), Some("java.lang.Thread"));
        assert!(!frame.in_app);
        let frame = parse_frame(
            "com.example.Web$$EnhancerBySpringCGLIB$$1a2b.lambda$get$3(Unknown Source)",
        );
        assert_eq!(frame.module.as_deref(), Some("com.example.Web"));
        assert_eq!(frame.function.as_deref(), Some("lambda$get"));
        assert_eq!(frame.file, None);
        assert!(frame.in_app);
    }
}
