//! Ruby backtraces, in the three shapes they reach logs:
//!
//! - `Exception#full_message` (an uncaught exception):
//!   `/app/x.rb:3:in 'foo': message (Type)` then `\tfrom /app/y.rb:9:in 'bar'`;
//!   causes follow as further blocks of the same shape;
//! - Rails: `Type (message):` then indented `app/x.rb:3:in 'foo'` lines;
//! - a logger's `"#{e.class}: #{e.message}"` then `e.backtrace` one per line.
//!
//! Frames are printed innermost first. Ruby 3.4 quotes with `'Class#method'`,
//! earlier versions with `` `method' ``.

use super::{leading_number, split_exception_line, Exception, Frame, Language, StackTrace};

/// Parses the first Ruby backtrace in `text`; `None` when there is none.
pub(super) fn parse(text: &str) -> Option<StackTrace> {
    if !text.contains(":in ") {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let first_frame = lines
        .iter()
        .position(|line| parse_frame_line(line).is_some())?;
    let mut printed: Vec<Exception> = Vec::new();

    let mut index = first_frame;
    // Header lines before the first frame (Rails and logger shapes).
    if let Some((kind, message)) = header_before(&lines[..first_frame]) {
        printed.push(Exception {
            kind,
            message,
            frames: Vec::new(),
        });
    }
    while index < lines.len() {
        let line = lines[index];
        index += 1;
        let Some((frame, rest)) = parse_frame_line(line) else {
            if line.trim().is_empty() {
                continue;
            }
            break;
        };
        // `file:line:in 'm': message (Type)` opens a new exception.
        if let Some((kind, message)) = rest.and_then(message_and_type) {
            printed.push(Exception {
                kind,
                message,
                frames: vec![frame],
            });
            continue;
        }
        match printed.last_mut() {
            Some(current) => current.frames.push(frame),
            None => printed.push(Exception {
                kind: String::new(),
                message: String::new(),
                frames: vec![frame],
            }),
        }
    }
    if printed.is_empty() {
        return None;
    }
    for exception in &mut printed {
        exception.frames.reverse();
    }
    // Printed: the exception, then its cause, then the cause's cause.
    printed.reverse();
    Some(StackTrace {
        language: Language::Ruby,
        exceptions: printed,
    })
}

/// `NoMethodError (undefined method 'x' for nil):` or `RuntimeError: boom`.
fn header_before(lines: &[&str]) -> Option<(String, String)> {
    let line = lines
        .iter()
        .rev()
        .find(|line| !line.trim().is_empty())?
        .trim();
    if let Some(body) = line.strip_suffix("):") {
        if let Some((kind, message)) = body.split_once(" (") {
            if super::is_type_name(kind) {
                return Some((kind.to_owned(), message.to_owned()));
            }
        }
    }
    let (kind, message) = split_exception_line(line)?;
    Some((kind.to_owned(), message.to_owned()))
}

/// `: undefined method 'x' for nil (NoMethodError)` → (`NoMethodError`, message).
fn message_and_type(rest: &str) -> Option<(String, String)> {
    let rest = rest.strip_prefix(':')?.trim();
    let body = rest.strip_suffix(')')?;
    let open = body
        .rfind(" (")
        .map(|index| index + 1)
        .or_else(|| body.starts_with('(').then_some(0))?;
    let kind = &body[open + 1..];
    super::is_type_name(kind).then(|| (kind.to_owned(), body[..open].trim().to_owned()))
}

/// `\tfrom /app/x.rb:12:in 'Foo#bar'`: the frame, and what follows the
/// method's closing quote.
fn parse_frame_line(line: &str) -> Option<(Frame, Option<&str>)> {
    let trimmed = line.trim_start();
    let trimmed = trimmed.strip_prefix("from ").unwrap_or(trimmed);
    let in_index = trimmed.find(":in ")?;
    let (location, method) = (&trimmed[..in_index], &trimmed[in_index + 4..]);
    let (file, line_number) = location.rsplit_once(':')?;
    let line_number = leading_number(line_number)?;
    if file.is_empty() || file.contains(' ') && !file.contains('/') {
        return None;
    }
    let quote = method.chars().next().filter(|c| *c == '`' || *c == '\'')?;
    let method = &method[quote.len_utf8()..];
    let close = method.find('\'')?;
    let (name, rest) = (&method[..close], &method[close + 1..]);
    let (module, function) = split_method(name);
    Some((
        Frame {
            in_app: is_app_file(file),
            file: Some(file.to_owned()),
            module,
            function,
            line: Some(line_number),
        },
        (!rest.is_empty()).then_some(rest),
    ))
}

/// `Foo::Bar#baz` → (`Foo::Bar`, `baz`); `block (2 levels) in run` →
/// `block in run`.
fn split_method(name: &str) -> (Option<String>, Option<String>) {
    let name = match name.strip_prefix("block (") {
        Some(rest) => rest
            .split_once(") in ")
            .map_or(name.to_owned(), |(_, method)| format!("block in {method}")),
        None => name.to_owned(),
    };
    let (prefix, method) = match name.rfind(" in ") {
        Some(index) => (&name[..index + 4], &name[index + 4..]),
        None => ("", name.as_str()),
    };
    match method.rfind(['#', '.']) {
        Some(index) if index > 0 => (
            Some(method[..index].to_owned()),
            Some(format!("{prefix}{}", &method[index + 1..])),
        ),
        _ => (None, (!name.is_empty()).then_some(name.clone())),
    }
}

/// Not the application's own: installed gems (also Rails' `actionpack (7.1.2)
/// lib/...` form), the standard library, bundler.
fn is_app_file(file: &str) -> bool {
    let rails_gem_frame = file.contains(" (") && file.contains(") ");
    !rails_gem_frame
        && ![
            "/gems/",
            "/rubygems/",
            "/lib/ruby/",
            "vendor/bundle",
            "<internal:",
            "/bundler/",
        ]
        .iter()
        .any(|marker| file.contains(marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_message_with_cause() {
        let text = "/app/lib/cart.rb:12:in 'Cart#total': undefined method '+' for nil (NoMethodError)\n\tfrom /app/app.rb:5:in 'block in <main>'\n\tfrom /usr/local/bundle/gems/rack-3.0.8/lib/rack/builder.rb:12:in 'Rack::Builder#call'\n/app/lib/db.rb:3:in 'Db.read': connection refused (IOError)\n\tfrom /app/lib/cart.rb:10:in 'Cart#total'";
        let trace = parse(text).unwrap();
        assert_eq!(trace.exceptions.len(), 2);
        let root = trace.root_cause();
        assert_eq!(
            (root.kind.as_str(), root.message.as_str()),
            ("IOError", "connection refused")
        );
        let outer = trace.outermost();
        assert_eq!(outer.kind, "NoMethodError");
        assert_eq!(outer.message, "undefined method '+' for nil");
        assert_eq!(outer.frames.len(), 3);
        let innermost = outer.frames.last().unwrap();
        assert_eq!(innermost.module.as_deref(), Some("Cart"));
        assert_eq!(innermost.function.as_deref(), Some("total"));
        assert!(!outer.frames[0].in_app);
    }

    #[test]
    fn rails_shape() {
        let text = "ActiveRecord::RecordNotFound (Couldn't find User with 'id'=42):\n  app/controllers/users_controller.rb:6:in `show'\n  actionpack (7.1.2) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'";
        let trace = parse(text).unwrap();
        let exception = trace.root_cause();
        assert_eq!(exception.kind, "ActiveRecord::RecordNotFound");
        assert_eq!(exception.message, "Couldn't find User with 'id'=42");
        assert_eq!(exception.frames.len(), 2);
        assert_eq!(exception.frames[1].function.as_deref(), Some("show"));
    }
}
