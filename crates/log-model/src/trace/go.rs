//! Go stack traces: a `panic:` (or `fatal error:`) line followed by goroutine
//! dumps, `runtime.Stack()` / `debug.Stack()` output, and the bare
//! function/file line pairs some loggers attach (zap's `stacktrace`).
//!
//! ```text
//! panic: runtime error: invalid memory address or nil pointer dereference
//! [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a8b2f]
//!
//! goroutine 1 [running]:
//! main.(*Server).handle(0x0)
//!         /app/server.go:42 +0x2f
//! main.main()
//!         /app/main.go:15 +0x85
//! ```
//!
//! Only the first goroutine is read: it is the one that panicked.

use super::{leading_number, Exception, Frame, Language, StackTrace};

/// Parses the first Go trace in `text`; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<StackTrace> {
    let lines: Vec<&str> = text.lines().collect();
    let goroutine = lines.iter().position(|line| is_goroutine_header(line));
    let panic_line = lines
        .iter()
        .position(|line| panic_start(line).is_some() || line.starts_with("fatal error: "));
    // The header (panic and message lines) ends at the goroutine line, or,
    // without one, where the function/file line pairs start (a logger's
    // stack field, such as zap's `stacktrace`).
    let (header_end, frames_start) = match goroutine {
        Some(index) => (index, index + 1),
        None => {
            let first_pair = (0..lines.len()).find(|&index| is_frame_pair(&lines, index))?;
            (first_pair, first_pair)
        }
    };
    let exceptions_header = match panic_line {
        Some(start) if start < header_end => Some(&lines[start..header_end]),
        _ => None,
    };
    let mut exceptions = match exceptions_header {
        Some(header) => panics(header),
        None => {
            let message = lines[..header_end]
                .iter()
                .map(|line| line.trim())
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            vec![Exception {
                kind: String::new(),
                message,
                frames: Vec::new(),
            }]
        }
    };
    let frames = read_frames(&lines[frames_start..]);
    assign_frames(&mut exceptions, frames);
    Some(StackTrace {
        language: Language::Go,
        exceptions,
    })
}

/// Gives each panic its frames. The goroutine's frames (innermost first)
/// belong to the last panic; an earlier, recovered panic was raised below the
/// runtime's `panic(...)` frame that handled it, so its frames are those that
/// follow that frame: with panics p0 (first) .. pk (last), p(k-1) gets the
/// frames after the first `panic` frame, p(k-2) after the second, and so on.
fn assign_frames(exceptions: &mut [Exception], frames: Vec<Frame>) {
    let panic_frames: Vec<usize> = frames
        .iter()
        .enumerate()
        .filter(|(_, frame)| frame.module.is_none() && frame.function.as_deref() == Some("panic"))
        .map(|(index, _)| index)
        .collect();
    let count = exceptions.len();
    for (index, exception) in exceptions.iter_mut().enumerate() {
        let from = if index + 1 == count {
            Some(0)
        } else {
            panic_frames.get(count - 2 - index).map(|&panic| panic + 1)
        };
        if let Some(from) = from {
            let mut own: Vec<Frame> = frames[from.min(frames.len())..].to_vec();
            own.reverse();
            exception.frames = own;
        }
    }
}

/// `panic: boom`, `panic: boom [recovered]`, `http: panic serving 10.0.0.1:5: boom`.
fn panic_start(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    if let Some(rest) = trimmed.strip_prefix("panic: ") {
        return Some(rest);
    }
    let index = trimmed.find(": panic serving ")?;
    let rest = &trimmed[index + ": panic serving ".len()..];
    // The address ends at the first `: ` after it.
    rest.find(": ").map(|colon| &rest[colon + 2..])
}

/// The panics of the header, first (the original) to last (the one that
/// killed the program): what was recovered and re-panicked is the cause.
fn panics(header: &[&str]) -> Vec<Exception> {
    let mut exceptions: Vec<Exception> = Vec::new();
    for line in header {
        let trimmed = line.trim();
        if let Some(rest) = panic_start(line) {
            let rest = rest.strip_suffix(" [recovered]").unwrap_or(rest);
            let rest = rest
                .strip_suffix(" [recovered, repanicked]")
                .unwrap_or(rest);
            let (kind, message) = match rest.strip_prefix("runtime error: ") {
                Some(message) => ("runtime error", message),
                None => ("panic", rest),
            };
            exceptions.push(Exception {
                kind: kind.to_owned(),
                message: message.trim().to_owned(),
                frames: Vec::new(),
            });
        } else if let Some(message) = trimmed.strip_prefix("fatal error: ") {
            exceptions.push(Exception {
                kind: "fatal error".to_owned(),
                message: message.trim().to_owned(),
                frames: Vec::new(),
            });
        } else if trimmed.starts_with("[signal ")
            || (!trimmed.is_empty() && !trimmed.starts_with("goroutine "))
        {
            // `[signal SIGSEGV: ...]` and the lines of a multi-line message.
            if let Some(last) = exceptions.last_mut() {
                last.message.push('\n');
                last.message.push_str(trimmed);
            }
        }
    }
    if exceptions.is_empty() {
        exceptions.push(Exception {
            kind: "panic".to_owned(),
            message: String::new(),
            frames: Vec::new(),
        });
    }
    exceptions
}

fn is_goroutine_header(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("goroutine ") else {
        return false;
    };
    leading_number(rest).is_some() && rest.contains(" [") && rest.ends_with("]:")
}

/// A function line followed by its `\t/path/file.go:12 +0x1d` line.
fn is_frame_pair(lines: &[&str], index: usize) -> bool {
    match (lines.get(index), lines.get(index + 1)) {
        (Some(function), Some(location)) => {
            function_name(function).is_some() && location_of(location).is_some()
        }
        _ => false,
    }
}

/// Frames innermost first, until the goroutine ends.
fn read_frames(lines: &[&str]) -> Vec<Frame> {
    let mut frames = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        if line.trim().is_empty() || is_goroutine_header(line) {
            break;
        }
        // `created by main.main in goroutine 1`: the creator's call site.
        let created_by = line
            .trim_start()
            .strip_prefix("created by ")
            .map(|rest| rest.split(" in goroutine ").next().unwrap_or(rest).trim());
        let location = lines.get(index + 1).and_then(|next| location_of(next));
        let function = created_by.or_else(|| function_name(line));
        match (function, location) {
            (Some(function), Some((file, line_number))) => {
                frames.push(frame(function, Some(file), line_number));
                index += 2;
            }
            (Some(function), None) if created_by.is_some() => {
                frames.push(frame(function, None, None));
                index += 1;
            }
            _ if location_of(line).is_some() => index += 1,
            _ => break,
        }
    }
    frames
}

/// `main.(*Server).handle(0x0, {0x5b3f40, 0xc000010000})` → `main.(*Server).handle`;
/// `main.main()`; `main.process(...)`; the runtime's `panic({0x4b8f20?, 0xc0?})`.
fn function_name(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t']) {
        return None;
    }
    let line = line.trim_end();
    let inner = line.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let name = &inner[..open];
    let valid = !name.is_empty()
        && !name.contains(' ')
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
    valid.then_some(name)
}

/// `\t/app/main.go:12 +0x1d` → (`/app/main.go`, 12).
fn location_of(line: &str) -> Option<(&str, Option<u32>)> {
    if !line.starts_with([' ', '\t']) {
        return None;
    }
    let trimmed = line.trim();
    let location = trimmed.split(" +0x").next().unwrap_or(trimmed);
    let (file, line_number) = location.rsplit_once(':')?;
    (file.ends_with(".go") || file.ends_with(".s")).then(|| (file, line_number.parse().ok()))
}

fn frame(qualified: &str, file: Option<&str>, line: Option<u32>) -> Frame {
    // `github.com/org/repo/pkg.(*T).Method`: the package ends at the first
    // dot after the last slash.
    let slash = qualified.rfind('/').map_or(0, |slash| slash + 1);
    let (package, function) = match qualified[slash..].find('.') {
        Some(dot) => (&qualified[..slash + dot], &qualified[slash + dot + 1..]),
        None => ("", qualified),
    };
    Frame {
        in_app: is_app(package, file),
        file: file.map(str::to_owned),
        module: (!package.is_empty()).then(|| package.to_owned()),
        function: Some(function.to_owned()),
        line,
    }
}

/// Not the application's own: the runtime and standard library (packages
/// whose first path element has no dot, except `main`), and anything under
/// GOROOT, the module cache (`pkg/mod/`) or `vendor/`.
fn is_app(package: &str, file: Option<&str>) -> bool {
    if let Some(file) = file {
        let library_path = [
            "/pkg/mod/",
            "/vendor/",
            "/usr/local/go/",
            "/usr/lib/go",
            "/go/src/runtime/",
            "$GOROOT",
        ]
        .iter()
        .any(|marker| file.contains(marker));
        if library_path {
            return false;
        }
    }
    let first_element = package.split('/').next().unwrap_or(package);
    package == "main" || package.starts_with("main/") || first_element.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nil_pointer_panic() {
        let text = "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a8b2f]\n\ngoroutine 1 [running]:\nexample.com/shop/cart.(*Cart).Total(0x0)\n\t/app/cart/cart.go:42 +0x2f\nmain.main()\n\t/app/main.go:15 +0x85\nexit status 2";
        let trace = parse(text).unwrap();
        let panic = trace.root_cause();
        assert_eq!(panic.kind, "runtime error");
        assert!(panic
            .message
            .starts_with("invalid memory address or nil pointer dereference\n[signal SIGSEGV"));
        assert_eq!(panic.frames.len(), 2);
        assert_eq!(
            panic.frames[1].module.as_deref(),
            Some("example.com/shop/cart")
        );
        assert_eq!(panic.frames[1].function.as_deref(), Some("(*Cart).Total"));
        assert_eq!(panic.frames[1].line, Some(42));
        assert!(panic.frames[1].in_app);
    }

    #[test]
    fn runtime_frames_are_not_in_app() {
        let f = frame(
            "net/http.(*conn).serve",
            Some("/usr/local/go/src/net/http/server.go"),
            Some(2009),
        );
        assert!(!f.in_app);
        assert_eq!(f.module.as_deref(), Some("net/http"));
        let f = frame(
            "github.com/gin-gonic/gin.(*Context).Next",
            Some("/go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/context.go"),
            Some(174),
        );
        assert!(!f.in_app);
    }

    #[test]
    fn stack_without_panic() {
        let text = "goroutine 7 [running]:\nruntime/debug.Stack()\n\t/usr/local/go/src/runtime/debug/stack.go:24 +0x5e\nmain.worker()\n\t/app/main.go:30 +0x1d\ncreated by main.main in goroutine 1\n\t/app/main.go:12 +0x25";
        let trace = parse(text).unwrap();
        let exception = trace.root_cause();
        assert_eq!(exception.kind, "");
        let functions: Vec<_> = exception
            .frames
            .iter()
            .map(|f| f.function.as_deref().unwrap())
            .collect();
        assert_eq!(functions, ["main", "worker", "Stack"]);
    }
}
