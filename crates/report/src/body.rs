//! A Markdown body made of parts that shrink, in a set order, until the whole
//! fits a size limit: a GitHub issue body or comment holds 65,536 characters.
//!
//! Sizes are measured in UTF-8 bytes, which are never fewer than characters
//! or UTF-16 code units, so a body within the limit in bytes is within it
//! however GitHub counts.

use crate::escape::code_block;

/// The smallest limit an issue body gets (smaller ones are raised to it), so
/// that the fixed parts, bounded by construction, always fit.
pub(crate) const MIN_LIMIT: usize = 4096;

/// Code blocks cut to fewer bytes than this are omitted instead.
const MIN_CODE_BYTES: usize = 256;

/// One part of a body.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    /// Kept whole; its size must be bounded by construction.
    Fixed(String),
    /// A heading and list items (`- item`); items are dropped from the end.
    List {
        heading: String,
        items: Vec<String>,
        what: &'static str,
    },
    /// A heading and a fenced code block, cut to fit.
    Code {
        heading: String,
        language: &'static str,
        content: String,
        what: &'static str,
    },
}

/// Parts in display order, each with its rank in the order of shrinking
/// (lower shrinks first; fixed parts never do).
#[derive(Debug, Default)]
pub(crate) struct Body {
    parts: Vec<(Part, u8)>,
}

impl Body {
    pub(crate) fn fixed(&mut self, text: String) {
        self.parts.push((Part::Fixed(text), u8::MAX));
    }

    pub(crate) fn list(
        &mut self,
        rank: u8,
        heading: String,
        items: Vec<String>,
        what: &'static str,
    ) {
        if !items.is_empty() {
            self.parts.push((
                Part::List {
                    heading,
                    items,
                    what,
                },
                rank,
            ));
        }
    }

    pub(crate) fn code(
        &mut self,
        rank: u8,
        heading: String,
        language: &'static str,
        content: String,
        what: &'static str,
    ) {
        self.parts.push((
            Part::Code {
                heading,
                language,
                content,
                what,
            },
            rank,
        ));
    }

    /// The body, at most `limit` bytes. Parts are shrunk in rank order, each
    /// with a visible note saying what was cut. Callers give at least
    /// [`MIN_LIMIT`], where the fixed parts fit; below, the body is cut hard.
    pub(crate) fn render(&self, limit: usize) -> String {
        let mut rendered: Vec<String> = self.parts.iter().map(|(part, _)| full(part)).collect();
        let mut total: usize = rendered.iter().map(String::len).sum();
        if total > limit {
            let mut order: Vec<usize> = (0..self.parts.len())
                .filter(|&i| self.parts[i].1 != u8::MAX)
                .collect();
            order.sort_by_key(|&i| (self.parts[i].1, i));
            for i in order {
                if total <= limit {
                    break;
                }
                let target = rendered[i].len().saturating_sub(total - limit);
                let shrunk = shrink(&self.parts[i].0, target, limit);
                total = total - rendered[i].len() + shrunk.len();
                rendered[i] = shrunk;
            }
        }
        let mut body = rendered.concat();
        if body.len() > limit {
            // Only when the fixed parts alone are too large: keeps the promise anyway.
            let note = format!("\n\n*{}*\n", cut_note("The rest of this body", limit));
            if note.len() <= limit {
                let mut end = floor_char_boundary(&body, limit - note.len());
                if let Some(newline) = body[..end].rfind('\n') {
                    end = newline;
                }
                body.truncate(end);
                body.push_str(&note);
            } else {
                body.truncate(floor_char_boundary(&body, limit));
            }
        }
        body
    }
}

fn cut_note(what: &str, limit: usize) -> String {
    format!("{what} was cut to fit the size limit of a GitHub body ({limit} bytes).")
}

fn full(part: &Part) -> String {
    match part {
        Part::Fixed(text) => text.clone(),
        Part::List { heading, items, .. } => list_text(heading, items, None),
        Part::Code {
            heading,
            language,
            content,
            ..
        } => format!("{heading}{}\n", code_block(language, content)),
    }
}

fn list_text(heading: &str, items: &[String], note: Option<&str>) -> String {
    let mut text = heading.to_owned();
    for item in items {
        text.push_str("- ");
        text.push_str(item);
        text.push('\n');
    }
    if let Some(note) = note {
        text.push_str("\n*");
        text.push_str(note);
        text.push_str("*\n");
    }
    text.push('\n');
    text
}

/// The part in at most `target` bytes if possible, else its smallest form.
fn shrink(part: &Part, target: usize, limit: usize) -> String {
    match part {
        Part::Fixed(text) => text.clone(),
        Part::List {
            heading,
            items,
            what,
        } => {
            let note = |keep: usize| {
                format!(
                    "{} more {what} omitted. {}",
                    items.len() - keep,
                    cut_note("This list", limit)
                )
            };
            // Size with the first `keep` items: heading, `- item\n` each, note.
            let size = |keep: usize, items_bytes: usize| {
                heading.len() + items_bytes + 3 * keep + note(keep).len() + 4
            };
            let mut items_bytes: usize = items.iter().map(String::len).sum();
            let mut keep = items.len();
            while keep > 0 && size(keep, items_bytes) > target {
                keep -= 1;
                items_bytes -= items[keep].len();
            }
            list_text(heading, &items[..keep], Some(&note(keep)))
        }
        Part::Code {
            heading,
            language,
            content,
            what,
        } => {
            let total = content.len();
            // The note with the longest numbers it can hold, and the fence of the
            // whole content (a cut one is never longer): an upper bound of the overhead.
            let note = |shown: usize| {
                format!(
                    "*{what} cut to {shown} of {total} bytes. {}*\n\n",
                    cut_note("It", limit)
                )
            };
            let fence = code_block(language, content).len() - content.trim_end_matches('\n').len();
            let overhead = heading.len() + fence + note(total).len();
            let available = target.saturating_sub(overhead);
            if available < MIN_CODE_BYTES {
                return format!(
                    "{heading}*{what} omitted ({total} bytes). {}*\n\n",
                    cut_note("It", limit)
                );
            }
            let mut end = floor_char_boundary(content, available);
            // Prefer ending on a whole line when that keeps most of what fits.
            if let Some(newline) = content[..end].rfind('\n') {
                if newline >= end / 2 {
                    end = newline;
                }
            }
            let cut = &content[..end];
            format!("{heading}{}{}", code_block(language, cut), note(cut.len()))
        }
    }
}

/// The largest char boundary of `text` at or below `index`.
pub(crate) fn floor_char_boundary(text: &str, index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    let mut end = index;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_with(content: &str, items: usize) -> Body {
        let mut body = Body::default();
        body.fixed("## Title\n\n".to_owned());
        body.list(
            1,
            "### Facts\n\n".to_owned(),
            (0..items)
                .map(|i| format!("fact {i} {}", "x".repeat(50)))
                .collect(),
            "facts",
        );
        body.code(
            0,
            "### Entry\n\n".to_owned(),
            "json",
            content.to_owned(),
            "The entry",
        );
        body.fixed("<!-- marker -->\n".to_owned());
        body
    }

    #[test]
    fn small_bodies_are_whole() {
        let body = body_with("{}", 2).render(65_536);
        assert!(body.contains("```json\n{}\n```"), "{body}");
        assert!(!body.contains("cut to fit"), "{body}");
    }

    #[test]
    fn the_code_shrinks_first_with_a_note() {
        let content = "line with ``` fence\n".repeat(10_000);
        let body = body_with(&content, 20).render(20_000);
        assert!(body.len() <= 20_000, "{}", body.len());
        assert!(body.contains("The entry cut to"), "{body}");
        assert!(body.contains("fact 19"), "facts kept whole");
        assert!(body.ends_with("<!-- marker -->\n"));
        // The fence still closes: it is longer than any run inside.
        assert!(body.contains("\n````\n"), "{body}");
    }

    #[test]
    fn lists_shrink_after_code() {
        let body = body_with(&"y".repeat(100_000), 2_000).render(8_000);
        assert!(body.len() <= 8_000, "{}", body.len());
        assert!(body.contains("The entry omitted"), "{body}");
        assert!(body.contains("more facts omitted"), "{body}");
        assert!(body.starts_with("## Title"));
        assert!(body.ends_with("<!-- marker -->\n"));
    }

    #[test]
    fn multibyte_content_is_cut_on_char_boundaries() {
        let body = body_with(&"é€😀".repeat(20_000), 1).render(10_000);
        assert!(body.len() <= 10_000);
    }

    #[test]
    fn limits_below_the_fixed_parts_cut_hard() {
        for limit in [10, 200, 1000] {
            let body = body_with(&"z".repeat(10_000), 1).render(limit);
            assert!(body.len() <= limit, "{limit}: {body}");
        }
    }
}
