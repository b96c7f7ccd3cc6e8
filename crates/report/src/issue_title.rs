//! Issue titles: what a person scanning a list of issues reads, so plain
//! text, at most [`MAX_TITLE_CHARS`], without the masker's placeholders.
//!
//! `[P0] ImportError in websocket_bridge_factory: cannot import name 'UnifiedWebSocketManager' from…`

use gardener_fingerprint::{Kind, WILDCARD};
use gardener_prioritize::Priority;

use crate::evidence::cut_chars;
use crate::title::{cut_words, without_log_header, MAX_TITLE_CHARS};
use crate::worklog::WorklogCluster;

/// Longest template value written in place of its placeholder.
const MAX_FILLED_VALUE_CHARS: usize = 40;
/// What stands for a value that varies across a cluster's entries.
const ELIDED: &str = "…";
/// `[P0] <what happened> (<service>)`.
///
/// What happened is, for an exception, its type, where it was raised (the
/// innermost in-app frame's module, and function when it is one) and the
/// first line of its message; otherwise the cluster's title, without the
/// header a log formatter put before the message (`[<ts>] [<num>] [ERROR]`).
/// A placeholder becomes the cluster's value when all its entries had one
/// and the same, and `…` when they varied. Emoji and control characters are
/// dropped. When that is too long, the service goes first (every issue is
/// labelled with it), then the text is cut at a word, with `…`.
pub(crate) fn issue_title(cluster: &WorklogCluster, priority: Priority) -> String {
    let text = no_mentions(&plain(&fill_placeholders(&what_happened(cluster), cluster)));
    let prefix = format!("[{priority}] ");
    let suffix = match cluster.services.as_slice() {
        [] => String::new(),
        [only] => format!(" ({})", no_mentions(&plain(&cut_chars(&only.value, 60)))),
        [first, rest @ ..] => format!(
            " ({} +{})",
            no_mentions(&plain(&cut_chars(&first.value, 60))),
            rest.len()
        ),
    };
    let length = |parts: &[&str]| parts.iter().map(|p| p.chars().count()).sum::<usize>();
    if length(&[&prefix, &text, &suffix]) <= MAX_TITLE_CHARS {
        format!("{prefix}{text}{suffix}")
    } else if length(&[&prefix, &text]) <= MAX_TITLE_CHARS {
        format!("{prefix}{text}")
    } else {
        let room = MAX_TITLE_CHARS - prefix.chars().count();
        format!("{prefix}{}", cut_words(&text, room))
    }
}

/// An @mention in a title notifies no one, but one copied elsewhere would.
fn no_mentions(text: &str) -> String {
    text.replace('@', "@\u{200b}")
}

/// The exception's type, place and message, or the cluster's title.
fn what_happened(cluster: &WorklogCluster) -> String {
    let Some(exception) = cluster.exception.as_ref().filter(|e| !e.kind.is_empty()) else {
        return first_line(&cluster.title);
    };
    let mut text = exception.kind.clone();
    if let Some(place) = raised_in(&cluster.template) {
        text.push_str(" in ");
        text.push_str(&place);
    }
    let message = first_line(&exception.message);
    if !message.is_empty() {
        text.push_str(": ");
        text.push_str(&message);
    }
    text
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}

/// The innermost in-app frame of an exception template (`  at module:function`)
/// as a short place: `websocket_bridge_factory`, `OrderService.place`.
fn raised_in(template: &str) -> Option<String> {
    let frame = template
        .lines()
        .find_map(|line| line.strip_prefix("  at "))?;
    let (module, function) = match frame.rsplit_once(':') {
        // `C:\app\x.py` has a colon that is not the separator.
        Some((module, function)) if !function.contains(['\\', '/']) => (module, function),
        _ => (frame, ""),
    };
    let file = module.rsplit(['/', '\\']).next().unwrap_or(module);
    let file = strip_source_extension(file);
    let short = file.rsplit('.').next().unwrap_or(file);
    let place = if function.is_empty() || function.starts_with('<') {
        short.to_owned()
    } else {
        format!("{short}.{function}")
    };
    (!place.trim().is_empty()).then(|| place.trim().to_owned())
}

/// `app.js` → `app`: file names stand for modules in JavaScript, Go, PHP...
fn strip_source_extension(file: &str) -> &str {
    const EXTENSIONS: [&str; 14] = [
        ".py", ".js", ".mjs", ".cjs", ".ts", ".go", ".rb", ".php", ".java", ".kt", ".cs", ".scala",
        ".jsx", ".tsx",
    ];
    EXTENSIONS
        .iter()
        .find_map(|extension| file.strip_suffix(extension))
        .unwrap_or(file)
}

/// Placeholders (`<num>`, `<*>`...) replaced by the cluster's one value, or
/// `…`; a leading log header that holds a placeholder or a level is dropped.
fn fill_placeholders(text: &str, cluster: &WorklogCluster) -> String {
    let text = without_log_header(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        match placeholder_at(after) {
            Some((name, length)) => {
                out.push_str(&value_for(name, cluster));
                rest = &after[length..];
            }
            None => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The name and byte length of the placeholder `text` starts with.
fn placeholder_at(text: &str) -> Option<(&str, usize)> {
    if text.starts_with(WILDCARD) {
        return Some(("*", WILDCARD.len()));
    }
    let close = text.find('>')?;
    let name = &text[1..close];
    Kind::from_name(name).map(|_| (name, close + 1))
}

fn value_for(name: &str, cluster: &WorklogCluster) -> String {
    match cluster.variables.get(name).map(Vec::as_slice) {
        Some([only])
            if only.value.chars().count() <= MAX_FILLED_VALUE_CHARS
                && !only.value.contains("REDACTED")
                && !only.value.contains('\n') =>
        {
            only.value.clone()
        }
        _ => ELIDED.to_owned(),
    }
}

/// One line of plain text: no control characters or emoji, no brackets left
/// empty by removing them, single spaces.
fn plain(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_format(c) {
                ' '
            } else {
                c
            }
        })
        .filter(|&c| !is_emoji(c))
        .collect();
    let kept = kept.replace("[]", " ").replace("()", " ");
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text from elsewhere (an issue's title) as one line a terminal shows as
/// is: control and invisible formatting characters become spaces.
pub(crate) fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_format(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pictographs, symbols shown as emoji, and the characters that join or
/// style them.
fn is_emoji(c: char) -> bool {
    matches!(
        c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE00..=0xFE0F | 0x200D | 0xE0000..=0xE007F
    )
}

/// Invisible characters that reorder or hide text (bidirectional overrides,
/// zero-width characters).
fn is_format(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worklog::{ExceptionSummary, ValueCount};

    fn cluster(title: &str) -> WorklogCluster {
        let json = serde_json::json!({
            "rank": 1, "fingerprint": "v1:00", "priority": "P0", "category": "boot_failure",
            "score": 0, "title": title, "kind": "message", "template": title, "count": 1,
            "rate_per_hour": 1.0, "first_seen": null, "last_seen": null, "severities": {},
            "services": [{"value": "netra-backend-staging", "count": 1}], "revisions": [],
            "instances": [], "instance_count": 0, "instances_truncated": false, "call_sites": [],
            "error_groups": [], "statuses": [], "latency": null, "variables": {},
            "exception": null, "representative": null, "reasons": [], "next_step": ""
        });
        serde_json::from_value(json).expect("a valid cluster")
    }

    fn with_values(mut cluster: WorklogCluster, kind: &str, values: &[&str]) -> WorklogCluster {
        cluster.variables.insert(
            kind.to_owned(),
            values
                .iter()
                .map(|v| ValueCount {
                    value: (*v).to_owned(),
                    count: 1,
                })
                .collect(),
        );
        cluster
    }

    fn exception(template: &str, kind: &str, message: &str) -> WorklogCluster {
        let mut cluster = cluster(kind);
        cluster.template = template.to_owned();
        cluster.exception = Some(ExceptionSummary {
            kind: kind.to_owned(),
            message: message.to_owned(),
            frames: Vec::new(),
        });
        cluster
    }

    macro_rules! titles {
        ($($name:ident: $cluster:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let title = issue_title(&$cluster, Priority::P0);
                assert_eq!(title, $expected);
                assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
            }
        )*};
    }

    titles! {
        import_error_fits_without_the_service: exception(
            "ImportError\n  at netra_backend.app.services.websocket_bridge_factory:<module>\n  at netra_backend.app.main:<module>",
            "ImportError",
            "cannot import name 'UnifiedWebSocketManager' from 'netra_backend.app.websocket_core.unified_manager' (/app/netra_backend/app/websocket_core/unified_manager.py)",
        ) => "[P0] ImportError in websocket_bridge_factory: cannot import name 'UnifiedWebSocketManager' from…",
        short_exception_keeps_the_service: exception(
            "SyntaxError\n  at netra_backend.app.routes.websocket_ssot",
            "SyntaxError",
            "f-string: unmatched '('",
        ) => "[P0] SyntaxError in websocket_ssot: f-string: unmatched '(' (netra-backend-staging)",
        function_names_the_place: exception(
            "KeyError\n  at src/orders/service.js:placeOrder",
            "KeyError",
            "'sku'\nmore lines",
        ) => "[P0] KeyError in service.placeOrder: 'sku' (netra-backend-staging)",
        log_header_is_dropped_and_values_filled: with_values(
            cluster("[<ts>] [<num>] [ERROR] Worker (pid:<num>) exited with code <num>"),
            "num", &["1", "3"],
        ) => "[P0] Worker (pid:…) exited with code … (netra-backend-staging)",
        single_value_is_written: with_values(
            cluster("Container called exit(<num>)."), "num", &["3"],
        ) => "[P0] Container called exit(3). (netra-backend-staging)",
        other_brackets_stay: cluster("[MAIN MODE] Message loop error")
            => "[P0] [MAIN MODE] Message loop error (netra-backend-staging)",
        emoji_and_empty_brackets_go: cluster("[🔑] USER AUTO-CREATED 🚀 now")
            => "[P0] USER AUTO-CREATED now (netra-backend-staging)",
        wildcard_and_path_values: cluster("<ip> - \"GET <*>")
            => "[P0] … - \"GET … (netra-backend-staging)",
        python_module_is_no_placeholder: cluster("error in <module> of main")
            => "[P0] error in <module> of main (netra-backend-staging)",
        secrets_are_never_filled: with_values(cluster("token <token> rejected"), "token", &["[REDACTED:token]"])
            => "[P0] token … rejected (netra-backend-staging)",
        long_words_are_cut_hard: cluster(&"x".repeat(300))
            => format!("[P0] {}…", "x".repeat(94)),
        mentions_cannot_ping: cluster("ping @here")
            => "[P0] ping @\u{200b}here (netra-backend-staging)",
        controls_become_spaces: cluster("a\u{1b}[31mred\u{202e}b")
            => "[P0] a [31mred b (netra-backend-staging)",
    }
}
