//! The block structure of a Markdown document, as CommonMark and GitHub see
//! it, to compare documents whose texts differ.

/// CommonMark line endings: `\n`, `\r\n` and a lone `\r`.
fn lines(doc: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = doc.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&doc[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&doc[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push(&doc[start..]);
    lines
}

/// A fence line: up to three spaces, then three or more backticks or tildes.
fn fence_of(line: &str) -> Option<(char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|&c| c == '`' || c == '~')?;
    let run = rest.len() - rest.trim_start_matches(c).len();
    (run >= 3).then(|| (c, run, &rest[run..]))
}

/// Cells of a table row: pipes not escaped by a backslash (GFM splits
/// cells before inline parsing, so pipes inside code spans count too).
fn columns(row: &str) -> usize {
    let bytes = row.trim().as_bytes();
    let pipes = (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .count();
    pipes.saturating_sub(1)
}

/// One token per line outside code blocks: headings with their level, table
/// rows with their cell count, list items with their indent, fences, rules,
/// HTML, quotes, blanks and paragraphs. Lines inside code blocks are skipped.
pub fn skeleton(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for line in lines(doc) {
        if let Some((c, n)) = open {
            if let Some((close, run, rest)) = fence_of(line) {
                if close == c && run >= n && rest.trim().is_empty() {
                    out.push("fence-close".to_owned());
                    open = None;
                }
            }
            continue;
        }
        if let Some((c, run, info)) = fence_of(line) {
            if c == '~' || !info.contains('`') {
                // The fence length is how code is kept in; it may differ.
                out.push("fence-open".to_owned());
                open = Some((c, run));
                continue;
            }
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        let token = if trimmed.is_empty() {
            "blank".to_owned()
        } else if indent <= 3
            && (1..=6).contains(&hashes)
            && trimmed[hashes..].chars().next().is_none_or(|c| c == ' ')
        {
            format!("h{hashes}")
        } else if trimmed.starts_with('|') {
            format!("row{}", columns(trimmed))
        } else if trimmed == "---" || trimmed == "***" || trimmed == "___" {
            "rule".to_owned()
        } else if trimmed.starts_with("- ")
            || trimmed.starts_with("* ")
            || trimmed.starts_with("+ ")
        {
            format!("li{indent}")
        } else if trimmed.split_once(['.', ')']).is_some_and(|(n, rest)| {
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with(' ')
        }) {
            format!("ol{indent}")
        } else if trimmed.starts_with('>') {
            "quote".to_owned()
        } else if trimmed.starts_with('<') {
            "html".to_owned()
        } else if trimmed.starts_with('=') {
            "setext".to_owned()
        } else {
            "p".to_owned()
        };
        out.push(token);
    }
    if open.is_some() {
        out.push("unclosed-fence".to_owned());
    }
    out
}

/// Text outside code blocks and code spans, backslash escapes kept: where raw
/// HTML or a mention would take effect.
pub fn outside_code(doc: &str) -> String {
    let mut out = String::new();
    let mut open: Option<(char, usize)> = None;
    for line in lines(doc) {
        if let Some((c, n)) = open {
            if let Some((close, run, rest)) = fence_of(line) {
                if close == c && run >= n && rest.trim().is_empty() {
                    open = None;
                }
            }
            continue;
        }
        if let Some((c, run, info)) = fence_of(line) {
            if c == '~' || !info.contains('`') {
                open = Some((c, run));
                continue;
            }
        }
        out.push_str(&strip_code_spans(line));
        out.push('\n');
    }
    out
}

fn strip_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                out.push('\\');
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                }
                i += 2;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let mut j = i + run;
                let mut closed = None;
                while j < chars.len() {
                    if chars[j] == '`' {
                        let other = chars[j..].iter().take_while(|&&c| c == '`').count();
                        if other == run {
                            closed = Some(j + other);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                match closed {
                    Some(end) => {
                        out.push_str("CODE");
                        i = end;
                    }
                    None => {
                        out.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[test]
fn skeleton_sees_blocks() {
    let doc = "# T\n\n| a | b\\|c | `d|e` |\n|---|---|---|\n- x\n   - y\n1. z\n````text\n# not\n```\n````\n<!-- m -->\n";
    assert_eq!(
        skeleton(doc),
        [
            "h1",
            "blank",
            "row4",
            "row3",
            "li0",
            "li3",
            "ol0",
            "fence-open",
            "fence-close",
            "html",
            "blank"
        ]
    );
}

#[test]
fn code_spans_are_stripped() {
    assert_eq!(
        strip_code_spans("a `<b>` \\`<c> ``x`y``"),
        "a CODE \\`<c> CODE"
    );
}
