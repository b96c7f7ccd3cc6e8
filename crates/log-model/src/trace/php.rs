//! PHP errors and exceptions:
//!
//! ```text
//! PHP Fatal error:  Uncaught RuntimeException: boom in /app/src/Cart.php:12
//! Stack trace:
//! #0 /app/public/index.php(7): App\Cart->total()
//! #1 {main}
//!   thrown in /app/src/Cart.php on line 12
//! ```
//!
//! also `(string)$exception` without the `PHP ...:` prefix (chained with
//! `Next Type: ...` blocks, previous exception first), one-line errors
//! (`PHP Warning:  Division by zero in /app/x.php on line 5`) and xdebug's
//! `PHP Stack trace:` / `PHP   1. {main}() /app/index.php:0` frames.

use super::{is_type_name, leading_number, Exception, Frame, Language, StackTrace};

const LEVELS: [&str; 8] = [
    "Fatal error",
    "Parse error",
    "Warning",
    "Notice",
    "Deprecated",
    "Recoverable fatal error",
    "Strict Standards",
    "Catchable fatal error",
];

/// Parses the first PHP error or exception in `text`; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<StackTrace> {
    let has_prefix = text.contains("PHP ");
    let has_trace = text.contains("Stack trace:") || text.contains("[stacktrace]");
    if !has_prefix && !has_trace {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut exceptions: Vec<Exception> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        index += 1;
        let Some(header) = header(line) else {
            continue;
        };
        match header {
            Header::Error {
                level,
                message,
                file,
                line,
            } => {
                // An `Uncaught` exception inside a fatal error is parsed below;
                // anything else is a plain PHP error with one location.
                exceptions.push(Exception {
                    kind: level.to_owned(),
                    message: message.to_owned(),
                    frames: vec![php_frame(Some(file), line, None)],
                });
            }
            Header::Exception { kind, mut message } => {
                // The message may continue until the `Stack trace:` line.
                let stack_start = lines[index..]
                    .iter()
                    .take(20)
                    .position(|next| is_stack_trace_start(next.trim()));
                let mut frames_from = index;
                if let Some(offset) = stack_start {
                    for next in &lines[index..index + offset] {
                        message.push('\n');
                        message.push_str(next.trim_end());
                    }
                    frames_from = index + offset + 1;
                }
                let mut location = None;
                if let Some((text, file, line)) = split_location(&message) {
                    location = Some((file.to_owned(), line));
                    message = text.to_owned();
                }
                let mut printed = Vec::new();
                index = frames_from;
                while index < lines.len() {
                    match parse_frame_line(lines[index].trim()) {
                        Some(frame) => printed.push(frame),
                        None => break,
                    }
                    index += 1;
                }
                exceptions.push(Exception {
                    kind,
                    message,
                    frames: shift_frames(location, printed),
                });
            }
            Header::XdebugTrace => {
                let mut printed = Vec::new();
                while index < lines.len() {
                    match xdebug_frame(lines[index].trim()) {
                        Some(frame) => printed.push(frame),
                        None => break,
                    }
                    index += 1;
                }
                // xdebug prints outermost first, each function with the place
                // it was called from: that place runs in the previous
                // function, and the error's own location in the last one.
                if let Some(last) = exceptions.last_mut() {
                    let error_location = last.frames.pop();
                    let mut frames = Vec::with_capacity(printed.len());
                    for (position, (call, _, _)) in printed.iter().enumerate() {
                        let (file, line) = match printed.get(position + 1) {
                            Some((_, file, line)) => (Some(*file), *line),
                            None => match &error_location {
                                Some(location) => (location.file.as_deref(), location.line),
                                None => (None, None),
                            },
                        };
                        frames.push(php_frame(file, line, Some(call)));
                    }
                    last.frames = frames;
                }
            }
        }
    }
    (!exceptions.is_empty()).then_some(StackTrace {
        language: Language::Php,
        exceptions,
    })
}

enum Header<'a> {
    /// `PHP Warning:  message in /file.php on line 5`.
    Error {
        level: &'a str,
        message: &'a str,
        file: &'a str,
        line: Option<u32>,
    },
    /// `PHP Fatal error:  Uncaught Type: message in /file.php:12`, or
    /// `Type: message in /file.php:12` / `Next Type: ...`.
    Exception { kind: String, message: String },
    /// xdebug's `PHP Stack trace:`.
    XdebugTrace,
}

fn header(line: &str) -> Option<Header<'_>> {
    let mut rest = line;
    let mut level = None;
    if let Some(after) = rest.find("PHP ").map(|index| &rest[index + 4..]) {
        if after.trim() == "Stack trace:" {
            return Some(Header::XdebugTrace);
        }
        if let Some((found, message)) = LEVELS.iter().find_map(|level| {
            after
                .strip_prefix(level)
                .and_then(|m| m.strip_prefix(':'))
                .map(|m| (*level, m.trim()))
        }) {
            level = Some(found);
            rest = message;
        }
    }
    let rest = rest.strip_prefix("Next ").unwrap_or(rest);
    let uncaught = rest.strip_prefix("Uncaught ");
    let candidate = uncaught.unwrap_or(rest);
    if let Some((kind, message)) = candidate.split_once(": ") {
        if is_type_name(kind)
            && (uncaught.is_some() || level.is_none())
            && (level.is_some() || split_location(message).is_some())
        {
            return Some(Header::Exception {
                kind: kind.to_owned(),
                message: message.to_owned(),
            });
        }
    }
    let level = level?;
    let (message, location) = rest.rsplit_once(" in ")?;
    let (file, line) = location
        .split_once(" on line ")
        .map_or((location, None), |(file, line)| {
            (file, leading_number(line))
        });
    Some(Header::Error {
        level,
        message,
        file,
        line,
    })
}

fn is_stack_trace_start(line: &str) -> bool {
    line == "Stack trace:"
        || line == "[stacktrace]"
        || line.ends_with("Stack trace:") && !line.contains("PHP ")
}

/// `boom in /app/src/Cart.php:12` → (`boom`, `/app/src/Cart.php`, 12).
fn split_location(message: &str) -> Option<(&str, &str, Option<u32>)> {
    let (text, location) = message.rsplit_once(" in ")?;
    let (file, line) = location.trim().rsplit_once(':')?;
    (file.contains(".php") || file.contains('/')).then(|| (text, file, line.trim().parse().ok()))
}

/// One printed frame: `#0 /app/x.php(7): App\Cart->total()`, `#1 [internal
/// function]: f()`, `#2 {main}`.
struct Printed {
    file: Option<String>,
    line: Option<u32>,
    call: String,
}

fn parse_frame_line(line: &str) -> Option<Printed> {
    let rest = line.strip_prefix('#')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = rest[digits..].trim_start();
    if rest == "{main}" {
        return Some(Printed {
            file: None,
            line: None,
            call: "{main}".to_owned(),
        });
    }
    let (location, call) = rest.split_once(": ")?;
    let (file, line) = match location.strip_suffix(')').and_then(|l| l.rsplit_once('(')) {
        Some((file, line)) => (Some(file.to_owned()), line.parse().ok()),
        None => (None, None),
    };
    let call = call.split('(').next().unwrap_or(call).trim().to_owned();
    Some(Printed { file, line, call })
}

/// PHP prints, for each frame, the call made from it (`#0 a.php(7): f()`
/// means "a.php line 7 called f"). The code at `a.php:7` runs in the caller
/// of `f`, the function named by the next frame; the innermost frame is the
/// throw location, inside `f`. Returns outermost first.
fn shift_frames(
    throw_location: Option<(String, Option<u32>)>,
    printed: Vec<Printed>,
) -> Vec<Frame> {
    let mut frames = Vec::with_capacity(printed.len() + 1);
    if let Some((file, line)) = throw_location {
        let function = printed.first().map(|first| first.call.as_str());
        frames.push(php_frame(Some(&file), line, function));
    }
    for (index, frame) in printed.iter().enumerate() {
        if frame.call == "{main}" && frame.file.is_none() {
            continue;
        }
        let caller = printed.get(index + 1).map(|next| next.call.as_str());
        frames.push(php_frame(frame.file.as_deref(), frame.line, caller));
    }
    frames.reverse();
    frames
}

/// `PHP   2. App\Cart->total() /app/src/Cart.php:12` → (call, file, line).
fn xdebug_frame(line: &str) -> Option<(&str, &str, Option<u32>)> {
    let rest = line.strip_prefix("PHP")?.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let rest = rest[digits..].strip_prefix('.')?.trim();
    let (call, location) = rest.rsplit_once(' ')?;
    let (file, line) = location.rsplit_once(':')?;
    let call = call.split('(').next().unwrap_or(call);
    Some((call, file, line.parse().ok()))
}

/// `App\Cart->total` → (`App\Cart`, `total`); `{main}` → no function.
fn php_frame(file: Option<&str>, line: Option<u32>, call: Option<&str>) -> Frame {
    let (module, function) = match call {
        Some(call) => match call.find("->").or_else(|| call.find("::")) {
            Some(index) => (
                Some(call[..index].to_owned()),
                Some(call[index + 2..].to_owned()),
            ),
            None => (None, Some(call.to_owned())),
        },
        None => (None, None),
    };
    Frame {
        file: file.map(str::to_owned),
        in_app: file.is_some_and(|file| !file.contains("/vendor/")),
        module,
        function,
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncaught_exception() {
        let text = "PHP Fatal error:  Uncaught RuntimeException: Cart is empty in /app/src/Cart.php:12\nStack trace:\n#0 /app/src/Checkout.php(30): App\\Cart->total()\n#1 /app/public/index.php(7): App\\Checkout->run()\n#2 {main}\n  thrown in /app/src/Cart.php on line 12";
        let trace = parse(text).unwrap();
        let exception = trace.root_cause();
        assert_eq!(exception.kind, "RuntimeException");
        assert_eq!(exception.message, "Cart is empty");
        let described: Vec<_> = exception
            .frames
            .iter()
            .map(|f| {
                format!(
                    "{}:{} {}",
                    f.file.as_deref().unwrap(),
                    f.line.unwrap(),
                    f.function.as_deref().unwrap()
                )
            })
            .collect();
        assert_eq!(
            described,
            [
                "/app/public/index.php:7 {main}",
                "/app/src/Checkout.php:30 run",
                "/app/src/Cart.php:12 total",
            ]
        );
    }

    #[test]
    fn one_line_warning() {
        let trace = parse("PHP Warning:  Division by zero in /app/calc.php on line 5").unwrap();
        let exception = trace.root_cause();
        assert_eq!(exception.kind, "Warning");
        assert_eq!(exception.message, "Division by zero");
        assert_eq!(exception.frames[0].line, Some(5));
        assert!(parse("PHP is a language").is_none());
    }
}
