//! .NET stack traces, as `Exception.ToString()` prints them:
//!
//! ```text
//! System.InvalidOperationException: outer
//!  ---> System.ArgumentNullException: inner (Parameter 'key')
//!    at Inner.Frame() in /src/A.cs:line 12
//!    --- End of inner exception stack trace ---
//!    at Outer.Frame() in /src/B.cs:line 30
//! ```
//!
//! The header names the outer exception, then each inner one after `--->`;
//! the frames follow innermost exception first, each block closed by
//! `--- End of inner exception stack trace ---`.

use super::{
    at_frame_body, looks_like_exception_type, split_exception_line, Exception, Frame, Language,
    StackTrace,
};

/// Namespaces whose frames are not the application's own.
const LIBRARY_PREFIXES: [&str; 16] = [
    "System.",
    "Microsoft.",
    "Newtonsoft.",
    "Grpc.",
    "Google.Protobuf.",
    "Google.Api.",
    "Google.Cloud.",
    "Npgsql.",
    "Polly.",
    "Serilog.",
    "StackExchange.",
    "Dapper.",
    "Swashbuckle.",
    "MediatR.",
    "Xunit.",
    "NUnit.",
];

const END_OF_INNER: &str = "--- End of inner exception stack trace ---";

/// Whether an `at` frame body reads like .NET: `Ns.Type.Method(String key) in
/// /src/File.cs:line 42`, or a parameter list that names types.
pub(super) fn is_frame(body: &str) -> bool {
    body.contains(") in ") && body.contains(":line ")
        || body.ends_with("()")
        || body
            .strip_suffix(')')
            .and_then(|inner| inner.split_once('('))
            .is_some_and(|(_, params)| params.contains(' ') && !params.contains(':'))
}

/// Parses the first .NET trace in `text`; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<StackTrace> {
    let lines: Vec<&str> = text.lines().collect();
    let first_frame = lines
        .iter()
        .position(|line| at_frame_body(line).is_some())?;
    let header_start = lines[..first_frame]
        .iter()
        .position(|line| {
            let line = line.trim().trim_start_matches("--->").trim();
            exception_header(line).is_some_and(|(kind, _)| looks_like_exception_type(kind))
        })
        .unwrap_or(first_frame.saturating_sub(1));
    let header = lines[header_start..first_frame].join("\n");
    // Outer first, as printed.
    let headers: Vec<(String, String)> = header
        .split("--->")
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| match exception_header(part) {
            Some((kind, message)) => (kind.to_owned(), message.to_owned()),
            None => (String::new(), part.to_owned()),
        })
        .collect();
    if headers.is_empty() {
        return None;
    }

    // Frame blocks, innermost exception first.
    let mut blocks: Vec<Vec<Frame>> = vec![Vec::new()];
    for line in &lines[first_frame..] {
        let trimmed = line.trim();
        if let Some(body) = at_frame_body(line) {
            if let Some(block) = blocks.last_mut() {
                block.push(parse_frame(body));
            }
        } else if trimmed == END_OF_INNER {
            blocks.push(Vec::new());
        } else if trimmed.starts_with("--- End of stack trace from previous location")
            || trimmed.starts_with("Exception rethrown at")
        {
            continue;
        } else if !trimmed.is_empty() {
            break;
        }
    }

    // Innermost (root cause) first.
    let mut exceptions: Vec<Exception> = headers
        .into_iter()
        .rev()
        .map(|(kind, message)| Exception {
            kind,
            message,
            frames: Vec::new(),
        })
        .collect();
    for (exception, mut frames) in exceptions.iter_mut().zip(blocks) {
        frames.reverse();
        exception.frames = frames;
    }
    Some(StackTrace {
        language: Language::DotNet,
        exceptions,
    })
}

/// `System.Net.Sockets.SocketException (111): Connection refused`: .NET
/// prints some exceptions' HResult or error code after the type.
fn exception_header(text: &str) -> Option<(&str, &str)> {
    if let Some((head, message)) = text.split_once(": ") {
        if let Some((kind, code)) = head.split_once(" (") {
            let code = code.strip_suffix(')').unwrap_or(code);
            let is_code = code.strip_prefix("0x").map_or_else(
                || super::is_digits(code.trim_start_matches('-')),
                |hex| !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            );
            if is_code && super::is_type_name(kind) {
                return Some((kind, message.trim()));
            }
        }
    }
    split_exception_line(text)
}

/// `MyApp.Cache.Get(String key) in /src/MyApp/Cache.cs:line 42`.
fn parse_frame(body: &str) -> Frame {
    let (call, location) = match body.rfind(") in ") {
        Some(index) => (&body[..=index], Some(&body[index + 5..])),
        None => (body, None),
    };
    let (file, line) = match location.and_then(|location| location.rsplit_once(":line ")) {
        Some((file, line)) => (Some(file.trim()), line.trim().parse().ok()),
        None => (location.map(str::trim), None),
    };
    let qualified = call.split('(').next().unwrap_or(call).trim();
    let (module, function) = split_method(qualified);
    Frame {
        file: file.filter(|file| !file.is_empty()).map(str::to_owned),
        in_app: module.as_deref().is_some_and(is_app_namespace),
        module,
        function,
        line,
    }
}

/// Splits `Ns.Type.Method` into type and method, undoing what the compiler
/// generates for async methods (`Ns.Type.<GetAsync>d__5.MoveNext`) and
/// lambdas (`Ns.Type.<>c__DisplayClass2_0.<Run>b__0`), and dropping generic
/// arity (`` List`1 ``) and type arguments (`Method[T]`).
fn split_method(qualified: &str) -> (Option<String>, Option<String>) {
    let mut segments: Vec<&str> = qualified.split('.').collect();
    let mut function: Option<String> = None;
    // `<Name>d__5.MoveNext` / `<Name>b__0_1` / `<>c.<Name>b__0`
    if let Some(last) = segments.last().copied() {
        if last == "MoveNext" && segments.len() >= 2 {
            if let Some(name) = generated_name(segments[segments.len() - 2]) {
                function = Some(name.to_owned());
                segments.truncate(segments.len() - 2);
            }
        } else if let Some(name) = generated_name(last) {
            function = Some(name.to_owned());
            segments.pop();
        }
    }
    segments.retain(|segment| !segment.starts_with("<>c"));
    if function.is_none() {
        function = segments
            .pop()
            .map(|method| method.split('[').next().unwrap_or(method).to_owned());
    }
    let module: Vec<String> = segments
        .iter()
        .map(|segment| segment.split('`').next().unwrap_or(segment).to_owned())
        .collect();
    let module = module.join(".");
    (
        (!module.is_empty()).then_some(module),
        function.filter(|function| !function.is_empty()),
    )
}

/// `<GetAsync>d__5` → `GetAsync`; `<Run>b__0_1` → `Run`.
fn generated_name(segment: &str) -> Option<&str> {
    let rest = segment.strip_prefix('<')?;
    let (name, suffix) = rest.split_once('>')?;
    (suffix.starts_with("d__") || suffix.starts_with("b__"))
        .then_some(name)
        .filter(|name| !name.is_empty())
}

fn is_app_namespace(module: &str) -> bool {
    !LIBRARY_PREFIXES
        .iter()
        .any(|prefix| module.starts_with(prefix))
        && module != "System"
        && !module.starts_with("lambda_method")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_exceptions_root_first() {
        let text = "System.InvalidOperationException: Could not load cart\n ---> System.ArgumentNullException: Value cannot be null. (Parameter 'key')\n   at System.Collections.Generic.Dictionary`2.FindValue(TKey key)\n   at Shop.Cart.Get(String key) in /src/Shop/Cart.cs:line 42\n   --- End of inner exception stack trace ---\n   at Shop.Api.CartController.<Index>d__3.MoveNext() in /src/Shop/Api/CartController.cs:line 17\n--- End of stack trace from previous location ---\n   at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)";
        let trace = parse(text).unwrap();
        assert_eq!(trace.exceptions.len(), 2);
        let root = trace.root_cause();
        assert_eq!(root.kind, "System.ArgumentNullException");
        assert_eq!(root.message, "Value cannot be null. (Parameter 'key')");
        assert_eq!(root.frames.len(), 2);
        assert_eq!(
            root.frames[1].module.as_deref(),
            Some("System.Collections.Generic.Dictionary")
        );
        assert_eq!(root.frames[0].line, Some(42));
        let outer = trace.outermost();
        assert_eq!(outer.frames.len(), 2);
        assert_eq!(outer.frames[1].function.as_deref(), Some("Index"));
        assert_eq!(
            outer.frames[1].module.as_deref(),
            Some("Shop.Api.CartController")
        );
        assert!(outer.frames[1].in_app);
        assert!(!outer.frames[0].in_app);
    }

    #[test]
    fn lambdas() {
        assert_eq!(
            split_method("Shop.Jobs.<>c__DisplayClass2_0.<Run>b__0"),
            (Some("Shop.Jobs".to_owned()), Some("Run".to_owned()))
        );
    }
}
