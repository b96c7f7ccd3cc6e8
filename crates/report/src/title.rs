//! One-line titles: what a reader scans in the action table and an issue list.

use std::collections::BTreeMap;

use crate::worklog::ValueCount;

/// Longest title, in characters: one table cell, one issue title, with room
/// for the words that tell two problems apart.
pub const MAX_TITLE_CHARS: usize = 100;

/// Severity words that, in brackets, start a log line's own header.
const LEVELS: [&str; 9] = [
    "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL",
];

/// Placeholder kinds whose values are credentials: never put back into a title.
const SECRET_KINDS: [&str; 3] = ["redacted", "jwt", "token"];

/// `text` cut to at most `max` characters at a word boundary, with `…` when
/// cut, so that no word is left half-written.
///
/// A sentence end (`. `, `; `, `! `, `? `) in the last two fifths of the room
/// is preferred to a mere space, so that the title ends on a whole clause; a
/// text without a space there (a long path or token) is cut inside it.
pub(crate) fn cut_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let room = max.saturating_sub(1);
    let end = text.char_indices().nth(room).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    // A break before this byte would leave too little of the room used.
    let floor = head
        .char_indices()
        .nth(room * 3 / 5)
        .map_or(head.len(), |(i, _)| i);
    let sentence = head
        .match_indices([' ', '\t'])
        .map(|(i, _)| i)
        .filter(|&i| i >= floor)
        .rfind(|&i| head[..i].ends_with(['.', ';', '!', '?']));
    let space = head
        .char_indices()
        .filter(|&(i, c)| c.is_whitespace() && i >= floor)
        .map(|(i, _)| i)
        .next_back();
    // At the text's end the next character tells whether a word was cut.
    let clean_end = text[end..].starts_with(char::is_whitespace);
    let cut = if clean_end {
        head
    } else {
        match sentence.or(space) {
            Some(i) => &head[..i],
            None => head,
        }
    };
    // A clause mark before the ellipsis reads as a typo: `failed:…`.
    let cut = cut.trim_end().trim_end_matches(['.', ',', ';', ':']);
    format!("{cut}…")
}

/// `[<ts>] [<num>] [ERROR] Worker failed` → `Worker failed`: the brackets a
/// log formatter puts before a message (time, process id, level) say nothing
/// about what happened (nor does a bare number, a process id). Brackets with
/// other words (`[MAIN MODE]`) stay.
pub(crate) fn without_log_header(text: &str) -> &str {
    let mut rest = text.trim_start();
    while let Some(inner_end) = rest.strip_prefix('[').and_then(|r| r.find(']')) {
        let inner = &rest[1..=inner_end];
        let is_header = is_placeholder(inner)
            || inner.bytes().all(|b| b.is_ascii_digit())
            || LEVELS.iter().any(|level| inner.eq_ignore_ascii_case(level));
        if !is_header {
            break;
        }
        rest = rest[inner_end + 2..].trim_start();
    }
    if rest.is_empty() {
        text
    } else {
        rest
    }
}

/// Whether `text` is one placeholder, `<num>` or `<*>`.
fn is_placeholder(text: &str) -> bool {
    text == gardener_fingerprint::WILDCARD
        || text
            .strip_prefix('<')
            .and_then(|rest| rest.strip_suffix('>'))
            .is_some_and(|name| gardener_fingerprint::Kind::from_name(name).is_some())
}

/// The template with the placeholders whose every value was the same put
/// back: `Container called exit(<num>).` whose `<num>` was always `3` reads
/// `Container called exit(3).`
///
/// `variables` are the top values per placeholder name (after secrets were
/// redacted), `complete` says per name whether they are all the distinct
/// values seen. A placeholder is filled when it had exactly one distinct
/// value, that value is not a credential or a redaction marker, and it has
/// no line break.
pub(crate) fn fill_single_values(
    template: &str,
    variables: &BTreeMap<String, Vec<ValueCount>>,
    complete: impl Fn(&str) -> bool,
) -> String {
    let mut title = template.to_owned();
    for (name, values) in variables {
        let [only] = values.as_slice() else {
            continue;
        };
        let placeholder = format!("<{name}>");
        let fillable = complete(name)
            && !SECRET_KINDS.contains(&name.as_str())
            && !only.value.starts_with("[REDACTED")
            && !only.value.is_empty()
            && !only.value.contains(['\n', '\r'])
            && title.contains(&placeholder);
        if fillable {
            title = title.replace(&placeholder, &only.value);
        }
    }
    title
}

/// `head (in frame)` within [`MAX_TITLE_CHARS`]: the frame is kept whole
/// (or by its last module name) when it takes at most two fifths of the
/// room, otherwise dropped, since the details show the stack.
pub(crate) fn with_frame(head: &str, frame: Option<&str>) -> String {
    let Some(frame) = frame.filter(|f| !f.is_empty()) else {
        return cut_words(head, MAX_TITLE_CHARS);
    };
    // `app.core.app_factory:create_app` → `app_factory:create_app`, and
    // Python's module level, `<module>`, says no more than the module name.
    let short = frame.rsplit(['.', '/']).next().unwrap_or(frame);
    let short = short.strip_suffix(":<module>").unwrap_or(short);
    let head_chars = head.chars().count();
    for frame in [frame, short] {
        let suffix = format!(" (in {frame})");
        let suffix_chars = suffix.chars().count();
        if head_chars + suffix_chars <= MAX_TITLE_CHARS {
            return format!("{head}{suffix}");
        }
        if suffix_chars * 5 <= MAX_TITLE_CHARS * 2 {
            return format!(
                "{}{suffix}",
                cut_words(head, MAX_TITLE_CHARS - suffix_chars)
            );
        }
    }
    cut_words(head, MAX_TITLE_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! cuts {
        ($($name:ident: $input:expr, $max:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let cut = cut_words($input, $max);
                assert_eq!(cut, $expected, "input {:?}", $input);
                assert!(cut.chars().count() <= $max, "{cut:?} is longer than {}", $max);
            }
        )*};
    }

    cuts! {
        short_text_stays: "Auth unreachable", 100 => "Auth unreachable",
        exact_length_stays: "abcde", 5 => "abcde",
        cut_at_the_last_space: "Golden path validation failed for demo-user-001", 30 => "Golden path validation failed…",
        word_that_ends_exactly_at_the_room_stays: "Golden path validation failed for", 30 => "Golden path validation failed…",
        sentence_end_preferred: "Database timeout after 8.0s in staging. This may indicate Cloud SQL issues", 60 => "Database timeout after 8.0s in staging…",
        early_sentence_end_ignored: "Timeout. This may indicate Cloud SQL connection issues in staging", 40 => "Timeout. This may indicate Cloud SQL…",
        long_token_is_cut_inside: "/app/netra_backend/app/websocket_core/unified_manager.py", 20 => "/app/netra_backend/…",
        space_too_early_is_ignored: "a /app/netra_backend/app/websocket_core/unified_manager.py", 20 => "a /app/netra_backen…",
        multibyte_text_is_cut_on_characters: "ééé ééé ééé ééé", 10 => "ééé ééé…",
        empty_stays_empty: "", 3 => "",
    }

    fn values(pairs: &[(&str, u64)]) -> Vec<ValueCount> {
        pairs
            .iter()
            .map(|&(value, count)| ValueCount {
                value: value.to_owned(),
                count,
            })
            .collect()
    }

    macro_rules! fills {
        ($($name:ident: $template:expr, [$(($kind:expr, $values:expr)),*], $complete:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let variables: BTreeMap<String, Vec<ValueCount>> =
                    [$(($kind.to_owned(), values($values))),*].into_iter().collect();
                let complete: bool = $complete;
                assert_eq!(fill_single_values($template, &variables, |_| complete), $expected);
            }
        )*};
    }

    fills! {
        single_value_is_shown: "Container called exit(<num>).", [("num", &[("3", 14)])], true => "Container called exit(3).",
        several_values_keep_the_placeholder: "Container called exit(<num>).", [("num", &[("3", 9), ("1", 1)])], true => "Container called exit(<num>).",
        every_occurrence_had_the_value: "retry <num> of <num>", [("num", &[("3", 8)])], true => "retry 3 of 3",
        values_beyond_the_kept_ones_keep_it: "exit(<num>)", [("num", &[("3", 14)])], false => "exit(<num>)",
        credentials_are_never_filled: "Bearer <token> rejected", [("token", &[("abc123", 2)])], true => "Bearer <token> rejected",
        redacted_values_are_never_filled: "login password=<quoted>", [("quoted", &[("[REDACTED:quoted]", 2)])], true => "login password=<quoted>",
        multi_line_values_are_not_filled: "got <quoted>", [("quoted", &[("a\nb", 2)])], true => "got <quoted>",
        other_kinds_are_filled_independently: "<ip> timeout after <duration>", [("ip", &[("10.0.0.1", 2), ("10.0.0.2", 1)]), ("duration", &[("8.0s", 3)])], true => "<ip> timeout after 8.0s",
        drain_wildcards_stay: "user <*> logged in", [], true => "user <*> logged in",
    }

    #[test]
    fn frame_is_kept_when_it_fits() {
        assert_eq!(
            with_frame(
                "SyntaxError: f-string: unmatched '('",
                Some("app.routes.ws")
            ),
            "SyntaxError: f-string: unmatched '(' (in app.routes.ws)"
        );
    }

    #[test]
    fn long_frame_is_shortened_to_its_module() {
        let head = format!("ImportError: cannot import name {}", "x".repeat(40));
        let title = with_frame(
            &head,
            Some("netra_backend.app.services.websocket_bridge_factory:<module>"),
        );
        assert!(title.ends_with(" (in websocket_bridge_factory)"), "{title}");
        assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
    }

    #[test]
    fn head_is_cut_to_leave_room_for_the_frame() {
        let head = "KeyError: ".to_owned() + &"word ".repeat(40);
        let title = with_frame(&head, Some("app.cache"));
        assert!(title.ends_with("… (in app.cache)"), "{title}");
        assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
    }
}
