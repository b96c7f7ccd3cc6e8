//! Cutting a masked template into words, and telling values from constants:
//! what the [`Miner`](crate::Miner) compares.

/// One word of a template: a byte range and whether it is a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) variable: bool,
    /// Directly after `=`: `state=RUNNING` names a state, not an entity.
    pub(crate) after_equals: bool,
}

/// Cuts a masked template into words.
///
/// Words end at whitespace, at `( ) [ ] { } , ; = " ' | `` ` ``, at `<` and
/// `>` that are not part of a placeholder, and at runs of two or more dots
/// (dot leaders, ellipses); trailing `.`, `:`, `!` and `?` are left out. A
/// word is variable when no letter or digit is left once its placeholders
/// are removed, when it contains a placeholder, or when it is a file path
/// (`/a/b`, `./a`, `~/a`, `C:\\a`).
pub(crate) fn words(template: &str) -> Vec<Word> {
    let bytes = template.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    let mut after_equals = false;
    while i < bytes.len() {
        if let Some(len) = separator_len(bytes, i) {
            after_equals = bytes[i] == b'=';
            i += len;
            continue;
        }
        let start = i;
        let mut has_placeholder = false;
        let mut has_text = false;
        while i < bytes.len() {
            if bytes[i] == b'<' {
                if let Some(len) = placeholder_len(&bytes[i..]) {
                    has_placeholder = true;
                    i += len;
                    continue;
                }
            }
            if separator_len(bytes, i).is_some() {
                break;
            }
            has_text |= bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80;
            i += 1;
        }
        let mut end = i;
        while end > start + 1 && matches!(bytes[end - 1], b'.' | b':' | b'!' | b'?') {
            end -= 1;
        }
        let word = &bytes[start..end];
        words.push(Word {
            start,
            end,
            variable: !has_text || has_placeholder || is_path(word),
            // `name=com.android.systemui` is a value; `user=root` a state.
            after_equals: after_equals && !word.contains(&b'.'),
        });
        after_equals = false;
    }
    words
}

/// `/a/b`, `./a`, `../a`, `~/a`, `C:\\a`, `\\\\server\\a`: a file path.
fn is_path(word: &[u8]) -> bool {
    match word {
        [b'/', _, ..] | [b'~', b'/', ..] | [b'\\', b'\\', ..] => true,
        [b'.', b'/', ..] | [b'.', b'.', b'/', ..] => true,
        [drive, b':', b'\\', ..] => drive.is_ascii_alphabetic(),
        _ => false,
    }
}

/// Length of the separator at `i`, if one starts there.
fn separator_len(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i] {
        b' ' | b'\t' | b'\n' | b'\r' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' | b';'
        | b'=' | b'"' | b'\'' | b'|' | b'`' => Some(1),
        b'<' => placeholder_len(&bytes[i..]).is_none().then_some(1),
        b'>' => Some(1),
        b'.' if bytes.get(i + 1) == Some(&b'.') => {
            Some(bytes[i..].iter().take_while(|&&b| b == b'.').count())
        }
        _ => None,
    }
}

/// Length of a placeholder (`<num>`, `<*>`, `<my_rule>`) at the start of `bytes`.
fn placeholder_len(bytes: &[u8]) -> Option<usize> {
    let close = bytes.iter().take(34).position(|&b| b == b'>')?;
    let name = &bytes[1..close];
    let ok = !name.is_empty()
        && (name == b"*"
            || name
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'));
    ok.then_some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_texts(template: &str) -> Vec<(&str, bool)> {
        words(template)
            .into_iter()
            .map(|w| (&template[w.start..w.end], w.variable))
            .collect()
    }

    #[test]
    fn words_split_at_punctuation_and_classify_values() {
        assert_eq!(
            word_texts("ciod: LOGIN chdir(/p/x) failed, uid=<num> at host:<num>... done."),
            [
                ("ciod", false),
                ("LOGIN", false),
                ("chdir", false),
                ("/p/x", true),
                ("failed", false),
                ("uid", false),
                ("<num>", true),
                ("at", false),
                ("host:<num>", true),
                ("done", false),
            ]
        );
        assert_eq!(
            word_texts("a <<duration> - b"),
            [
                ("a", false),
                ("<duration>", true),
                ("-", true),
                ("b", false)
            ]
        );
    }

    #[test]
    fn windows_paths_are_values() {
        assert!(is_path(br"C:\Windows\System\cbscore.dll"));
        assert!(is_path(br"\\server\share"));
        assert!(!is_path(b"C:"));
    }
}
