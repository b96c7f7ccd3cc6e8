//! Making log text inert inside Markdown.

use std::fmt::Write as _;

/// Escapes text for a Markdown paragraph, list item or table cell: inline
/// Markdown punctuation is backslash-escaped, a leading block marker too, raw
/// HTML is neutralized, `@mentions` and `#123` issue references cannot ping
/// or link, and line breaks become spaces so the text cannot start a new
/// block (heading, list, table row).
///
/// ```
/// use gardener_report::escape_markdown;
/// assert_eq!(
///     escape_markdown("a|b *c* <img> @alice #12 $x$\n# x"),
///     "a\\|b \\*c\\* &lt;img&gt; @\u{200b}alice #\u{200b}12 \\$x\\$ # x"
/// );
/// ```
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let trimmed = text.trim_start();
    // A leading block marker would turn the text into a heading, quote or list.
    let starts_block = trimmed.starts_with(['#', '>', '-', '+', '=', '*'])
        || trimmed.split_once(['.', ')']).is_some_and(|(number, _)| {
            !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())
        });
    if starts_block {
        out.push('\\');
    }
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // A zero-width space keeps the text readable but unlinked.
            '@' => out.push_str("@\u{200b}"),
            '#' if chars.peek().is_some_and(char::is_ascii_digit) => out.push_str("#\u{200b}"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for the content of an HTML element, such as the `<summary>`
/// of a folded block: `&`, `<`, `>` and `"` become entities, and so does
/// Markdown punctuation (`[`, `*`, `` ` ``...), for renderers that parse
/// Markdown inside HTML; `@mentions` and `#123` references are broken with
/// a zero-width space, and line breaks and control characters become
/// spaces, so the text cannot end the HTML block.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '[' | ']' | '*' | '`' | '\\' | '|' | '~' | '$' => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            '@' => out.push_str("@\u{200b}"),
            '#' if chars.peek().is_some_and(char::is_ascii_digit) => out.push_str("#\u{200b}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Wraps text in an inline code span with a fence longer than any backtick
/// run inside it; line breaks become spaces.
///
/// ```
/// use gardener_report::inline_code;
/// assert_eq!(inline_code("a`b"), "``a`b``");
/// assert_eq!(inline_code("`x"), "`` `x ``");
/// ```
pub fn inline_code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    if text.starts_with('`') || text.ends_with('`') || text.is_empty() {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// An inline code span for a table cell: like [`inline_code`], with `|`
/// escaped, as GitHub-flavoured tables require even inside code.
pub fn cell_code(text: &str) -> String {
    inline_code(text).replace('|', "\\|")
}

/// A fenced code block whose fence is longer than any backtick run inside.
///
/// ```
/// use gardener_report::code_block;
/// assert_eq!(code_block("json", "{}"), "```json\n{}\n```\n");
/// assert_eq!(code_block("", "a\n```\nb"), "````\na\n```\nb\n````\n");
/// ```
pub fn code_block(language: &str, text: &str) -> String {
    let fence = "`".repeat((longest_run(text, '`') + 1).max(3));
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&fence);
    out.push_str(language);
    out.push('\n');
    out.push_str(text.trim_end_matches('\n'));
    out.push('\n');
    out.push_str(&fence);
    out.push('\n');
    out
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in text.chars() {
        if ch == c {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! html {
        ($($name:ident: $input:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(escape_html($input), $expected, "input {:?}", $input);
            }
        )*};
    }

    html! {
        plain_text_stays: "GET /ws 503" => "GET /ws 503",
        tags_become_text: "<details></summary>" => "&lt;details&gt;&lt;/summary&gt;",
        entities_are_escaped: "a &amp; \"b\"" => "a &amp;amp; &quot;b&quot;",
        line_breaks_cannot_end_the_block: "a\n\nb\r" => "a  b ",
        mentions_and_references_do_not_link: "@alice #12 #x" => "@\u{200b}alice #\u{200b}12 #x",
        markdown_punctuation_becomes_entities: "*a* `b` [c](d) | x_y" => "&#42;a&#42; &#96;b&#96; &#91;c&#93;(d) &#124; x_y",
    }
}
