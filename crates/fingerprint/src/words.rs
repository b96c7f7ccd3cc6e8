//! Cutting a masked template into words, and telling values from constants:
//! what the [`Miner`](crate::Miner) compares.

/// One word of a template: a byte range and what the miner may do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// A value: never part of a skeleton.
    pub(crate) variable: bool,
    /// What a constant word's place says about it.
    pub(crate) role: Role,
}

/// What the place of a constant word says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Role {
    /// Part of the sentence.
    Text,
    /// Right after `=` (`user=root`, `route = x`): by syntax the value of a key.
    Value,
    /// Right before a `|`: a field of a pipe-delimited header (`Step_LSC|`,
    /// `getUser|`) names the operation that logged the line, so it never
    /// becomes a slot.
    Operation,
}

/// Cuts a masked template into words.
///
/// Words end at whitespace, at `( ) [ ] { } , ; = " ' | `` ` ``, at `<` and
/// `>` that are not part of a placeholder, and at runs of two or more dots
/// (dot leaders, ellipses); trailing `.`, `:`, `!` and `?` are left out. A
/// word is variable when no letter or digit is left once its placeholders
/// are removed, when it contains a placeholder, or when it is a file path or
/// registry key (see [`is_path`]), also where a path goes on after a space
/// (`C:\Program Files\app.exe`). In a settings dump line, `prefix:key=value`
/// with no other `=` after it, the key and everything after `=` are values:
/// each line reports another setting, and the prefix names the dump.
pub(crate) fn words(template: &str) -> Vec<Word> {
    let bytes = template.as_bytes();
    let setting = setting_split(bytes);
    let mut words: Vec<Word> = Vec::new();
    let mut i = 0;
    let mut after_equals = false;
    while i < bytes.len() {
        if let Some(len) = separator_len(bytes, i) {
            match bytes[i] {
                b'=' => after_equals = true,
                b' ' | b'\t' => {}
                b'|' => {
                    after_equals = false;
                    if let Some(last) = words.last_mut() {
                        let between = &bytes[last.end..i];
                        if between.iter().all(|&b| matches!(b, b' ' | b'\t')) {
                            last.role = Role::Operation;
                        }
                    }
                }
                _ => after_equals = false,
            }
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
        if let Some((key_start, value_start)) = setting {
            if (start..end).contains(&key_start) && key_start > start {
                // `environment:java.version=`: the prefix stays, the key is a value.
                words.push(constant(start, key_start));
                words.push(value(key_start, end));
                continue;
            }
            if start >= value_start {
                words.push(value(start, end));
                continue;
            }
        }
        let word = &bytes[start..end];
        let continues_path = words.last().is_some_and(|last| {
            last.variable
                && is_path(&bytes[last.start..last.end])
                && &bytes[last.end..start] == b" "
        }) && word.iter().any(|&b| matches!(b, b'/' | b'\\'));
        let variable = !has_text || has_placeholder || is_path(word) || continues_path;
        words.push(Word {
            start,
            end,
            variable,
            role: if after_equals {
                Role::Value
            } else {
                Role::Text
            },
        });
        after_equals = false;
    }
    words
}

fn constant(start: usize, end: usize) -> Word {
    Word {
        start,
        end,
        variable: false,
        role: Role::Text,
    }
}

fn value(start: usize, end: usize) -> Word {
    Word {
        start,
        end,
        variable: true,
        role: Role::Text,
    }
}

/// In a settings dump line (`Server environment:java.version=1.7.0`), where
/// the key starts and where the value starts: the line's first `=` follows
/// `prefix:key` (a prefix of letters and digits, a key of letters, digits and
/// `. _ -`), and no other `=` comes after it.
fn setting_split(bytes: &[u8]) -> Option<(usize, usize)> {
    let equals = memchr_byte(b'=', bytes)?;
    if memchr_byte(b'=', &bytes[equals + 1..]).is_some() {
        return None;
    }
    let is_key_byte = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    let key_len = bytes[..equals]
        .iter()
        .rev()
        .take_while(|b| is_key_byte(b))
        .count();
    let key_start = equals - key_len;
    if key_len == 0 || key_start == 0 || bytes[key_start - 1] != b':' {
        return None;
    }
    let prefix_len = bytes[..key_start - 1]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    (prefix_len > 0).then_some((key_start, equals + 1))
}

fn memchr_byte(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// A file path or registry key: `/a/b`, `./a`, `../a`, `~/a`, `C:\a`,
/// `\\server\a`, `\Registry\Machine`, `HKLM\Software\x`: a word that starts
/// like a path, or names separated by backslashes.
fn is_path(word: &[u8]) -> bool {
    match word {
        [b'/', _, ..] | [b'~', b'/', ..] | [b'\\', b'\\', ..] => true,
        [b'.', b'/', ..] | [b'.', b'.', b'/', ..] => true,
        [drive, b':', b'\\', ..] => drive.is_ascii_alphabetic(),
        _ => word
            .windows(2)
            .any(|pair| pair[0] == b'\\' && (pair[1].is_ascii_alphanumeric() || pair[1] >= 0x80)),
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

    /// `word` for a constant, `~word` for a variable, `=word` for a
    /// constant after `=`, `word|` for an operation.
    fn shown(template: &str) -> String {
        words(template)
            .into_iter()
            .map(|w| {
                let text = &template[w.start..w.end];
                match (w.variable, w.role) {
                    (true, _) => format!("~{text}"),
                    (false, Role::Operation) => format!("{text}|"),
                    (false, Role::Value) => format!("={text}"),
                    (false, Role::Text) => text.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    macro_rules! cuts {
        ($($name:ident: $template:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(shown($template), $expected, "template {:?}", $template);
            }
        )*};
    }

    cuts! {
        punctuation_and_values: "ciod: LOGIN chdir(/p/x) failed, uid=<num> at host:<num>... done." =>
            "ciod LOGIN chdir ~/p/x failed uid ~<num> at ~host:<num> done",
        placeholder_after_angle: "a <<duration> - b" => "a ~<duration> ~- b",
        windows_path: r"Opened C:\Windows\System32\x.dll for reading" => r"Opened ~C:\Windows\System32\x.dll for reading",
        path_with_a_space_goes_on: r"Opened C:\Program Files\App\app.exe for reading" =>
            r"Opened ~C:\Program ~Files\App\app.exe for reading",
        path_does_not_swallow_the_next_word: "Saved /tmp/a.txt successfully" => "Saved ~/tmp/a.txt successfully",
        registry_key: r"Failed to open key HKLM\Software\Foo now" => r"Failed to open key ~HKLM\Software\Foo now",
        registry_root: r"key \Registry\Machine\System opened" => r"key ~\Registry\Machine\System opened",
        unc_path: r"share \\server\share mounted" => r"share ~\\server\share mounted",
        drive_alone_is_a_word: "C: full" => "C full",
        settings_dump: "Server environment:java.vendor=Oracle Corporation" =>
            "Server environment: ~java.vendor ~Oracle ~Corporation",
        settings_dump_with_placeholder: "Server environment:host.name=<host>" => "Server environment: ~host.name ~<host>",
        two_pairs_are_not_a_dump: "conf:a=b c=d" => "conf:a =b c =d",
        plain_pair_is_not_a_dump: "user=root logged in" => "user =root logged in",
        spaced_pair: "route = up now" => "route =up now",
        pipe_header: "Step_LSC|onStandStepChanged <num>" => "Step_LSC| onStandStepChanged ~<num>",
        spaced_pipe_fields: "<ts> | I | VoipWrapper | close video chat" => "~<ts> I| VoipWrapper| close video chat",
    }
}
