//! The single-pass masker: variable values in, typed placeholders out.

use regex::{Regex, RegexSet};

use crate::kind::{
    bracketed_ipv6_end, classify, classify_with, feature, is_ipv6, is_plain_word,
    is_unspecified_ipv6, spaced_unit_kind, Kind, URL_SCHEMES,
};
use crate::secrets::{is_jwt, private_key_len, scheme_credential, secret_value, url_password};
use crate::time::{date_phrase_len, starts_with_calendar_name};
use crate::Error;

/// One replacement the masker made: which kind, over which bytes of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replacement {
    /// What kind of value was replaced.
    pub kind: Kind,
    /// Start of the replaced bytes in the input.
    pub start: usize,
    /// End (exclusive) of the replaced bytes in the input.
    pub end: usize,
    /// For [`Kind::Custom`], the index of the user rule that matched.
    pub rule: u16,
}

/// A value found inside a token, not yet written out.
struct Part {
    start: usize,
    end: usize,
    kind: Kind,
    rule: u16,
}

/// The result of masking one text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masked {
    /// The text with every variable value replaced by its placeholder.
    pub text: String,
    /// The replacements, in input order.
    pub replacements: Vec<Replacement>,
}

/// Replaces variable parts of log messages (ids, numbers, times, addresses,
/// secrets...) with typed placeholders, in one left-to-right pass.
///
/// The kinds and their rules are listed in [`Kind`]. Each replacement is
/// recorded with its byte range, so the values can be reported later. Masking
/// is idempotent: masking a masked text changes nothing.
///
/// ```
/// use gardener_fingerprint::Masker;
/// let masker = Masker::new();
/// let masked = masker.mask("Database initialization timeout after 8.0s for demo-user-017 at 10.0.0.7:5432");
/// assert_eq!(masked.text, "Database initialization timeout after <duration> for <id> at <ip>");
/// assert_eq!(masker.mask(&masked.text).text, masked.text);
/// ```
#[derive(Debug, Clone)]
pub struct Masker {
    enabled: u32,
    rules: Vec<Rule>,
    rule_set: Option<RegexSet>,
}

#[derive(Debug, Clone)]
struct Rule {
    regex: Regex,
    placeholder: String,
}

/// Builds a [`Masker`] with kinds switched off or user rules added.
///
/// ```
/// use gardener_fingerprint::{Kind, Masker};
/// let masker = Masker::builder()
///     .disable(Kind::Host)
///     .rule(r"tenant-[a-z]+", "<tenant>")
///     .build()?;
/// assert_eq!(masker.mask("tenant-acme at api.example.com").text, "<tenant> at api.example.com");
/// # Ok::<(), gardener_fingerprint::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MaskerBuilder {
    disabled: Vec<Kind>,
    rules: Vec<(String, String)>,
}

impl MaskerBuilder {
    /// Switches a built-in kind off.
    pub fn disable(mut self, kind: Kind) -> MaskerBuilder {
        self.disabled.push(kind);
        self
    }

    /// Adds a user rule: a token that `pattern` matches entirely becomes
    /// `placeholder`. User rules are tried before the built-in kinds.
    pub fn rule(mut self, pattern: &str, placeholder: &str) -> MaskerBuilder {
        self.rules
            .push((pattern.to_owned(), placeholder.to_owned()));
        self
    }

    /// Compiles the rules.
    pub fn build(self) -> Result<Masker, Error> {
        let mut enabled = Kind::ALL.iter().fold(0, |bits, kind| bits | kind.bit());
        for kind in &self.disabled {
            enabled &= !kind.bit();
        }
        if self.rules.len() > usize::from(u16::MAX) {
            return Err(Error::TooManyRules(self.rules.len()));
        }
        let mut rules = Vec::with_capacity(self.rules.len());
        for (pattern, placeholder) in &self.rules {
            let anchored = format!("^(?:{pattern})$");
            let regex = Regex::new(&anchored).map_err(|source| Error::InvalidRule {
                pattern: pattern.clone(),
                source,
            })?;
            rules.push(Rule {
                regex,
                placeholder: placeholder.clone(),
            });
        }
        let rule_set = if rules.is_empty() {
            None
        } else {
            let set =
                RegexSet::new(rules.iter().map(|rule| rule.regex.as_str())).map_err(|source| {
                    Error::InvalidRule {
                        pattern: self
                            .rules
                            .iter()
                            .map(|(p, _)| p.as_str())
                            .collect::<Vec<_>>()
                            .join(" | "),
                        source,
                    }
                })?;
            Some(set)
        };
        Ok(Masker {
            enabled,
            rules,
            rule_set,
        })
    }
}

impl Default for Masker {
    fn default() -> Self {
        Masker::new()
    }
}

/// Bytes that may start something other than a plain token: a private key
/// (`-`), a bracketed address or list (`[`), a quoted value (`'`, `"`), a
/// date in words (upper case). Every other byte goes straight to the
/// tokenizer.
const SPECIAL_START: u8 = 1 << 5;
const DELIMITER: u8 = 1 << 6;
const URL_END: u8 = 1 << 7;

/// What each byte means to the tokenizer, looked up rather than matched:
/// this is the innermost loop of masking. The low bits are the byte's
/// [`feature`], gathered per token for the classifier.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = feature::of_byte(byte as u8);
        byte += 1;
    }
    // `.`, `:`, `/`, `-`, `_` and `@` do not end a token: they occur inside
    // values (addresses, times, ids, emails).
    let delimiters = b" \t\n\r\"'`()[]{}<>,;=|";
    let mut i = 0;
    while i < delimiters.len() {
        table[delimiters[i] as usize] |= DELIMITER;
        i += 1;
    }
    // A URL runs until whitespace, a quote or a closing bracket.
    let url_ends = b" \t\n\r\"'`)]>}|,";
    let mut i = 0;
    while i < url_ends.len() {
        table[url_ends[i] as usize] |= URL_END;
        i += 1;
    }
    let special_starts = b"-['\"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut i = 0;
    while i < special_starts.len() {
        table[special_starts[i] as usize] |= SPECIAL_START;
        i += 1;
    }
    table
};

/// Bytes that may end a URL token besides whitespace.
#[inline]
fn ends_url(byte: u8) -> bool {
    BYTE_CLASS[usize::from(byte)] & URL_END != 0
}

/// Whether the byte at `index`, of [`BYTE_CLASS`] `class`, ends the current token.
#[inline]
fn ends_token(class: u8, bytes: &[u8], index: usize) -> bool {
    class & DELIMITER != 0 || (class & feature::DOT != 0 && is_dot_leader(bytes, index))
}

struct Output<'t> {
    text: &'t str,
    out: &'t mut String,
    replacements: &'t mut Vec<Replacement>,
    copied: usize,
}

impl Output<'_> {
    fn replace(&mut self, start: usize, end: usize, kind: Kind, rule: u16, placeholder: &str) {
        if kind == Kind::Timestamp {
            if let Some(last) = self.replacements.last_mut() {
                let gap = &self.text[last.end..start];
                if last.kind == Kind::Timestamp
                    && last.end == self.copied
                    && (gap == " " || gap == "T")
                {
                    last.end = end;
                    self.copied = end;
                    return;
                }
            }
        }
        self.out.push_str(&self.text[self.copied..start]);
        self.out.push_str(placeholder);
        self.replacements.push(Replacement {
            kind,
            start,
            end,
            rule,
        });
        self.copied = end;
    }

    /// Whether the last replacement is a timestamp that ends where copying
    /// stopped, so that the next word might extend it.
    #[inline]
    fn ends_with_timestamp(&self) -> bool {
        self.replacements
            .last()
            .is_some_and(|last| last.kind == Kind::Timestamp && last.end == self.copied)
    }

    /// A time zone or 12-hour suffix right after a timestamp (`+0000`,
    /// `UTC`, `PM`) joins it, and so do the milliseconds that log4j and
    /// Python's `logging` write after a comma (`10:30:00,123`: always three
    /// digits, so that `10:30:00,42` in a CSV line stays two fields).
    fn extends_timestamp(&mut self, start: usize, end: usize) -> bool {
        let Some(last) = self.replacements.last_mut() else {
            return false;
        };
        if last.kind != Kind::Timestamp || last.end != self.copied {
            return false;
        }
        let token = &self.text[start..end];
        let joins = match &self.text[last.end..start] {
            " " => {
                matches!(token, "UTC" | "GMT" | "Z" | "AM" | "PM" | "am" | "pm")
                    || (token.len() == 5
                        && matches!(token.as_bytes()[0], b'+' | b'-')
                        && token.as_bytes()[1..].iter().all(u8::is_ascii_digit))
            }
            "," => {
                ends_with_clock_seconds(&self.text.as_bytes()[..last.end])
                    && token.len() == 3
                    && token.bytes().all(|b| b.is_ascii_digit())
            }
            _ => false,
        };
        if joins {
            last.end = end;
            self.copied = end;
        }
        joins
    }

    /// The start of the day that precedes a month name at `month`, when the
    /// last replacement is that day: one or two digits masked as a number,
    /// then one space (`02 Jan 06 15:04 MST`, RFC 822's order). Its
    /// replacement is taken back if the date phrase from there holds.
    fn day_before(&self, month: usize) -> Option<usize> {
        let last = self.replacements.last()?;
        let day = self.text.as_bytes().get(last.start..last.end)?;
        (last.kind == Kind::Number
            && last.end == self.copied
            && last.end + 1 == month
            && self.text.as_bytes()[last.end] == b' '
            && matches!(day.len(), 1 | 2)
            && day.iter().all(u8::is_ascii_digit))
        .then_some(last.start)
    }

    /// Takes back the last replacement, a number whose placeholder ends the
    /// output, and the text copied before it: the output is as it was before
    /// the number was replaced, so that a longer replacement can start where
    /// it started (and join a timestamp before it, as [`replace`](Self::replace)
    /// joins them). Copying stops only at the end of a replacement, so it
    /// had stopped at the end of the one before.
    /// Returns whether it did (always, unless that reasoning broke).
    fn take_back_number(&mut self) -> bool {
        let Some(number) = self.replacements.last() else {
            return false;
        };
        let placeholder = Kind::Number.placeholder();
        let copied_before = self
            .replacements
            .len()
            .checked_sub(2)
            .map_or(0, |before| self.replacements[before].end);
        let kept = number
            .start
            .checked_sub(copied_before)
            .and_then(|gap| self.out.len().checked_sub(placeholder.len() + gap));
        match kept {
            Some(kept) if self.out.ends_with(placeholder) && self.out.is_char_boundary(kept) => {
                self.out.truncate(kept);
                self.replacements.pop();
                self.copied = copied_before;
                true
            }
            _ => {
                debug_assert!(
                    false,
                    "the output does not end with the number's placeholder"
                );
                false
            }
        }
    }

    fn finish(&mut self) {
        self.out.push_str(&self.text[self.copied..]);
    }
}

impl Masker {
    /// A masker with every built-in kind and no user rules.
    pub fn new() -> Masker {
        Masker {
            enabled: Kind::ALL.iter().fold(0, |bits, kind| bits | kind.bit()),
            rules: Vec::new(),
            rule_set: None,
        }
    }

    /// Starts building a configured masker.
    pub fn builder() -> MaskerBuilder {
        MaskerBuilder::default()
    }

    /// Whether a kind is switched on.
    pub fn is_enabled(&self, kind: Kind) -> bool {
        self.enabled & kind.bit() != 0
    }

    /// The placeholder written for a replacement (user rules have their own).
    pub fn placeholder_of(&self, replacement: &Replacement) -> &str {
        match replacement.kind {
            Kind::Custom => self
                .rules
                .get(usize::from(replacement.rule))
                .map_or(Kind::Custom.placeholder(), |rule| rule.placeholder.as_str()),
            kind => kind.placeholder(),
        }
    }

    /// Masks `text`.
    pub fn mask(&self, text: &str) -> Masked {
        let mut masked = Masked::default();
        self.mask_into(text, &mut masked.text, &mut masked.replacements);
        masked
    }

    /// Masks `text` into reusable buffers (cleared first): the allocation-free form of [`mask`](Masker::mask).
    pub fn mask_into(&self, text: &str, out: &mut String, replacements: &mut Vec<Replacement>) {
        out.clear();
        replacements.clear();
        out.reserve(text.len());
        let bytes = text.as_bytes();
        let mut output = Output {
            text,
            out,
            replacements,
            copied: 0,
        };
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            let class = BYTE_CLASS[usize::from(byte)];
            if class & SPECIAL_START != 0 {
                if let Some(end) = self.special_start(&mut output, i) {
                    i = end;
                    continue;
                }
            }
            if ends_token(class, bytes, i) {
                i += 1;
                continue;
            }
            let start = i;
            let mut features = 0;
            loop {
                // Most bytes neither end a token nor are a feature: skip them
                // with one test each.
                while i < bytes.len()
                    && BYTE_CLASS[usize::from(bytes[i])] & (DELIMITER | feature::ALL) == 0
                {
                    i += 1;
                }
                let Some(&byte) = bytes.get(i) else {
                    break;
                };
                let class = BYTE_CLASS[usize::from(byte)];
                if ends_token(class, bytes, i) {
                    break;
                }
                features |= class;
                i += 1;
            }
            if features & feature::COLON != 0
                && self.is_enabled(Kind::Url)
                && starts_with_scheme(&text[start..])
            {
                while i < bytes.len() && !ends_url(bytes[i]) {
                    i += 1;
                }
            }
            let features = features & feature::ALL;
            if features == 0 && self.keeps_plain_word(&output, start, i) {
                continue;
            }
            i = self.token(&mut output, start, i, features);
        }
        output.finish();
    }

    /// Whether [`token`](Masker::token) would leave the feature-less token
    /// `start..end` as it is, decided without running it: the common case.
    /// It does when no user rule could match, the word has no sentence
    /// punctuation to strip, cannot extend a timestamp, precedes no secret and
    /// is a [plain word](is_plain_word). When in doubt it says no.
    #[inline]
    fn keeps_plain_word(&self, output: &Output<'_>, start: usize, end: usize) -> bool {
        let bytes = output.text.as_bytes();
        self.rule_set.is_none()
            && !matches!(bytes[end - 1], b'!' | b'?')
            && !output.ends_with_timestamp()
            && !may_precede_secret(bytes, end, end)
            && is_plain_word(&output.text[start..end])
    }

    /// Masks what starts at `i` when it is a private key, a bracketed IPv6
    /// address or list, a quoted value after `=` or a date in words; returns
    /// where scanning continues then. Only called for [`SPECIAL_START`] bytes.
    #[inline]
    fn special_start(&self, output: &mut Output<'_>, i: usize) -> Option<usize> {
        let bytes = output.text.as_bytes();
        let byte = bytes[i];
        if byte == b'-' && self.is_enabled(Kind::Token) {
            if let Some(len) = private_key_len(&bytes[i..]) {
                output.replace(i, i + len, Kind::Token, 0, Kind::Token.placeholder());
                return Some(i + len);
            }
        }
        if byte == b'[' && self.is_enabled(Kind::Ip) {
            if let Some(end) = bracketed_ipv6_end(bytes, i) {
                output.replace(i, end, Kind::Ip, 0, Kind::Ip.placeholder());
                return Some(end);
            }
        }
        if byte == b'[' && self.is_enabled(Kind::List) {
            if let Some(end) = list_end(bytes, i) {
                output.replace(i, end, Kind::List, 0, Kind::List.placeholder());
                return Some(end);
            }
        }
        if matches!(byte, b'\'' | b'"')
            && i > 0
            && bytes[i - 1] == b'='
            && self.is_enabled(Kind::Quoted)
        {
            if let Some(close) = bytes[i + 1..].iter().position(|&b| b == byte || b == b'\n') {
                let end = i + 1 + close;
                if bytes[end] == byte && close > 0 {
                    output.replace(i, end + 1, Kind::Quoted, 0, Kind::Quoted.placeholder());
                    return Some(end + 1);
                }
            }
        }
        // Upper case letters never end a token, so testing for a date here,
        // before the delimiters, is the same as testing after them.
        if byte.is_ascii_uppercase()
            && self.is_enabled(Kind::Timestamp)
            && starts_with_calendar_name(&bytes[i..])
        {
            // A day before the month (`14 Sep 2025 00:27:04 GMT`) was
            // masked as a number already: the date starts there instead.
            if let Some(day) = output.day_before(i) {
                let phrase = date_phrase_len(&bytes[day..]);
                if let Some(len) = phrase.filter(|_| output.take_back_number()) {
                    output.replace(
                        day,
                        day + len,
                        Kind::Timestamp,
                        0,
                        Kind::Timestamp.placeholder(),
                    );
                    return Some(day + len);
                }
            }
            if let Some(len) = date_phrase_len(&bytes[i..]) {
                output.replace(
                    i,
                    i + len,
                    Kind::Timestamp,
                    0,
                    Kind::Timestamp.placeholder(),
                );
                return Some(i + len);
            }
        }
        None
    }

    /// Masks the token `start..end`; returns where scanning continues.
    fn token(&self, output: &mut Output<'_>, start: usize, end: usize, features: u8) -> usize {
        let text = output.text;
        let bytes = text.as_bytes();
        // A lone punctuation byte (`:`, `/`, `-`, often between the parts
        // of a token) is no value, no secret's key and no time zone; only a
        // user rule could match it. `fast_paths_change_nothing` checks it.
        if end - start == 1 && self.rule_set.is_none() && bytes[start].is_ascii_punctuation() {
            return end;
        }
        if output.extends_timestamp(start, end) {
            return end;
        }
        let core_end = self.core_end(text, start, end);
        if self.is_enabled(Kind::Token) && may_precede_secret(bytes, core_end, end) {
            // Secrets, as `crate::secrets` defines them: the word after an
            // authentication scheme, the value of a secret-named key. The
            // token before them is masked as any other, as a second pass
            // would.
            if let Some((value_start, value_end)) = scheme_credential(bytes, start, end) {
                // The scheme's own token (`Authorization:Bearer`) is masked as
                // any; when its last part is the scheme, that part took the
                // credential already.
                let resumed = self.value(output, start, core_end, end, features);
                if resumed > end {
                    return resumed;
                }
                let kind = if is_jwt(&text[value_start..value_end]) && self.is_enabled(Kind::Jwt) {
                    Kind::Jwt
                } else {
                    Kind::Token
                };
                output.replace(value_start, value_end, kind, 0, kind.placeholder());
                return value_end;
            }
            if let Some((value_start, value_end, quoted)) = secret_value(bytes, start, core_end) {
                // The key is masked as any token; a quoted value goes with
                // its quotes, which a second pass would otherwise read as `='...'`.
                let resumed = self.value(output, start, core_end, core_end, features);
                if resumed > core_end {
                    return resumed;
                }
                let (from, to) = if quoted {
                    (value_start - 1, value_end + 1)
                } else {
                    (value_start, value_end)
                };
                output.replace(from, to, Kind::Token, 0, Kind::Token.placeholder());
                return to;
            }
        }
        self.value(output, start, core_end, end, features)
    }

    /// Where the value in the token `start..end` ends: sentence punctuation
    /// after a value is not part of it, except the colons that end an IPv6
    /// address (`::`, `fe80::`).
    fn core_end(&self, text: &str, start: usize, end: usize) -> usize {
        let bytes = text.as_bytes();
        // An address ending in a colon ends in `::`.
        let double_colon = end - start >= 2 && bytes[end - 1] == b':' && bytes[end - 2] == b':';
        if double_colon && self.is_enabled(Kind::Ip) && is_ipv6(&text[start..end]) {
            return end;
        }
        let mut core_end = end;
        while core_end > start + 1 && matches!(bytes[core_end - 1], b'.' | b':' | b'!' | b'?') {
            core_end -= 1;
        }
        core_end
    }

    /// Masks the token `start..end`, whose value ends at `core_end`, when it
    /// is not a secret's key or scheme; returns where scanning continues.
    fn value(
        &self,
        output: &mut Output<'_>,
        start: usize,
        core_end: usize,
        end: usize,
        features: u8,
    ) -> usize {
        let text = output.text;
        let bytes = text.as_bytes();
        let core = &text[start..core_end];
        // A plain word (no digit, `.`, `:`, `@` or `*`): the common case,
        // decided without the classifier. The sentence punctuation cut off
        // (`detected.`, `failed:`) is no feature of the word.
        let core_features = if core_end == end {
            features
        } else {
            feature::of(core.as_bytes())
        };
        if core_features & feature::ALL == 0 && self.rule_set.is_none() && is_plain_word(core) {
            return end;
        }
        if features & feature::DIGIT == 0
            && self.is_enabled(Kind::Ip)
            && is_unspecified_ipv6(core)
            && !touches_placeholder(bytes, start, core_end)
        {
            output.replace(start, core_end, Kind::Ip, 0, Kind::Ip.placeholder());
            return end;
        }
        if let Some((rule, placeholder)) = self.custom(core) {
            output.replace(start, core_end, Kind::Custom, rule, placeholder);
            return end;
        }
        if let Some(kind) = classify_with(core, self.enabled, features) {
            if kind == Kind::Number && core_end == end {
                let end = thousands_end(bytes, start, end);
                if let Some((unit_kind, unit_end)) = self.spaced_unit(bytes, end) {
                    output.replace(start, unit_end, unit_kind, 0, unit_kind.placeholder());
                    return unit_end;
                }
                output.replace(start, end, kind, 0, kind.placeholder());
                return end;
            }
            output.replace(start, core_end, kind, 0, kind.placeholder());
            return end;
        }
        if features & (feature::AT | feature::COLON) == feature::AT | feature::COLON
            && self.is_enabled(Kind::Token)
        {
            if let Some((password_start, password_end)) = url_password(bytes, start, core_end) {
                let password = Part {
                    start: password_start,
                    end: password_end,
                    kind: Kind::Token,
                    rule: 0,
                };
                return self
                    .emit_parts(output, start, core_end, &[password])
                    .max(end);
            }
        }
        if features & feature::DIGIT != 0 {
            // `main.py:37`, `/api/threads/42`, `HTTP/1.1`: mask the parts, then
            // the dot-separated pieces of parts that are still unknown (`1.2.3`).
            let mut found = Vec::new();
            self.parts(text, start, core_end, false, &mut found);
            if !found.is_empty() {
                return self.emit_parts(output, start, core_end, &found).max(end);
            }
        }
        end
    }

    /// Finds the values among the parts of `start..end`, in order: parts are
    /// runs of [`is_part_byte`]s, also cut at dots when `split_at_dots`.
    fn parts(
        &self,
        text: &str,
        start: usize,
        end: usize,
        split_at_dots: bool,
        found: &mut Vec<Part>,
    ) {
        let bytes = text.as_bytes();
        let mut part_start = start;
        for index in start..=end {
            if index < end && is_part_byte(bytes[index]) && !(split_at_dots && bytes[index] == b'.')
            {
                continue;
            }
            if index > part_start {
                let part = &text[part_start..index];
                if let Some((rule, _)) = self.custom(part) {
                    found.push(Part {
                        start: part_start,
                        end: index,
                        kind: Kind::Custom,
                        rule,
                    });
                } else if let Some(kind) = classify(part, self.enabled) {
                    found.push(Part {
                        start: part_start,
                        end: index,
                        kind,
                        rule: 0,
                    });
                } else if part.contains('.') && part.bytes().any(|b| b.is_ascii_digit()) {
                    self.parts(text, part_start, index, true, found);
                }
            }
            part_start = index + 1;
        }
    }

    /// Replaces the `found` parts of `start..end`, and masks the text between
    /// them as tokens of their own: once placeholders (whose `<` and `>` end
    /// tokens) stand between them, that is how a second pass reads them, so
    /// doing it now keeps masking idempotent (`0***` becomes `<num><redacted>`
    /// at once). Returns where scanning continues.
    fn emit_parts(
        &self,
        output: &mut Output<'_>,
        start: usize,
        end: usize,
        found: &[Part],
    ) -> usize {
        let mut position = start;
        for part in found {
            if part.start > position {
                let gap = &output.text.as_bytes()[position..part.start];
                position = self.token(output, position, part.start, feature::of(gap));
            }
            if part.start < position {
                // The text before took this part as a secret's value, as a
                // second pass would (`token:12345678` is `token:<token>`).
                continue;
            }
            let placeholder = match part.kind {
                Kind::Custom => self
                    .rules
                    .get(usize::from(part.rule))
                    .map_or(Kind::Custom.placeholder(), |rule| rule.placeholder.as_str()),
                kind => kind.placeholder(),
            };
            output.replace(part.start, part.end, part.kind, part.rule, placeholder);
            position = part.end;
        }
        if position < end {
            let gap = &output.text.as_bytes()[position..end];
            return self.token(output, position, end, feature::of(gap));
        }
        position.max(end)
    }

    /// A unit written after a number and one space (`512 MiB`, `3 sec`):
    /// its kind and where it ends.
    fn spaced_unit(&self, bytes: &[u8], number_end: usize) -> Option<(Kind, usize)> {
        if bytes.get(number_end) != Some(&b' ') {
            return None;
        }
        let unit_start = number_end + 1;
        let unit_len = bytes[unit_start..]
            .iter()
            .position(|&b| !(b.is_ascii_alphabetic() || b >= 0x80))
            .unwrap_or(bytes.len() - unit_start);
        let unit_end = unit_start + unit_len;
        let unit = std::str::from_utf8(&bytes[unit_start..unit_end]).ok()?;
        let kind = spaced_unit_kind(unit)?;
        // `5 bytes2`, `0 hr.example.com`: the word goes on, it is no unit.
        let followed_by_word = match bytes.get(unit_end) {
            Some(b) if b.is_ascii_digit() || *b == b'_' => true,
            Some(b'.' | b'-' | b':' | b'/' | b'@') => bytes
                .get(unit_end + 1)
                .is_some_and(u8::is_ascii_alphanumeric),
            _ => false,
        };
        (self.is_enabled(kind) && !followed_by_word).then_some((kind, unit_end))
    }

    #[inline(always)]
    fn custom(&self, token: &str) -> Option<(u16, &str)> {
        let set = self.rule_set.as_ref()?;
        let index = set.matches(token).into_iter().next()?;
        let rule = &self.rules[index];
        Some((index as u16, rule.placeholder.as_str()))
    }
}

/// A cheap test before the secret rules: a secret follows a key that ends
/// in `:` (`password:`), or is followed by `=` or a quote, or by spaces and
/// `=` or `:`; or it follows a scheme (`Bearer`, `Basic`, `Token`) and
/// spaces. `rejected_tokens_hold_no_secret` checks that nothing it rejects
/// is a secret.
#[inline]
fn may_precede_secret(bytes: &[u8], core_end: usize, end: usize) -> bool {
    if core_end < end {
        return true;
    }
    match bytes.get(end) {
        Some(b'=' | b'"' | b'\'') => true,
        Some(b' ' | b'\t') => {
            ends_like_scheme(&bytes[..end])
                || bytes[end..]
                    .iter()
                    .find(|&&b| b != b' ' && b != b'\t')
                    .is_some_and(|&b| b == b'=' || b == b':')
        }
        _ => false,
    }
}

/// Whether `text` ends with the name of an authentication scheme, in any
/// case: what [`scheme_credential`] needs before it looks further. Words
/// that only end in the same letter (`for`, `PacketResponder`) fail here.
#[inline]
fn ends_like_scheme(text: &[u8]) -> bool {
    // `bearer`, `basic` and `token` end in r, c or n; most words do not.
    if !text
        .last()
        .is_some_and(|b| matches!(b.to_ascii_lowercase(), b'r' | b'c' | b'n'))
    {
        return false;
    }
    let ends_with = |name: &[u8]| {
        text.len() >= name.len() && text[text.len() - name.len()..].eq_ignore_ascii_case(name)
    };
    ends_with(b"bearer") || ends_with(b"basic") || ends_with(b"token")
}

/// Where a number written with thousands separators ends (`1,234,567`,
/// `-12,345.67`), when the token `start..end` is its first one to three
/// digits (not starting with 0) and comma-separated groups of exactly three
/// follow, the last of which may have a fraction; `end` otherwise. Lists of
/// numbers (`8080,443`, `1,2,3`, `0,100`) stay apart; a list whose items
/// after the first all have three digits (`80,443`) cannot be told from a
/// number and is read as one.
fn thousands_end(bytes: &[u8], start: usize, end: usize) -> usize {
    if bytes.get(end) != Some(&b',') {
        return end;
    }
    let first = &bytes[start..end];
    let first = first.strip_prefix(b"-").unwrap_or(first);
    let first = first.strip_prefix(b"+").unwrap_or(first);
    let leads = first.first().is_some_and(|&b| (b'1'..=b'9').contains(&b));
    if !(leads && first.len() <= 3 && first.iter().all(u8::is_ascii_digit)) {
        return end;
    }
    let mut grouped_end = end;
    while let [b',', a, b, c, rest @ ..] = &bytes[grouped_end..] {
        if ![a, b, c].iter().all(|d| d.is_ascii_digit()) {
            break;
        }
        let group_end = grouped_end + 4;
        match rest {
            [d, ..] if d.is_ascii_digit() || d.is_ascii_alphabetic() || *d == b'_' => break,
            [b'.', d, ..] if d.is_ascii_digit() => {
                let fraction = rest[1..].iter().take_while(|d| d.is_ascii_digit()).count();
                let after = rest.get(1 + fraction);
                if after.is_some_and(|d| d.is_ascii_alphanumeric() || matches!(d, b'.' | b'_')) {
                    break;
                }
                return group_end + 1 + fraction;
            }
            _ => grouped_end = group_end,
        }
    }
    grouped_end
}

/// Whether `bytes` ends with a clock time's seconds (`10:30:00`), which a
/// comma and a fraction may follow.
fn ends_with_clock_seconds(bytes: &[u8]) -> bool {
    match bytes {
        [.., h1, h2, b':', m1, m2, b':', s1, s2] => {
            [h1, h2, m1, m2, s1, s2].iter().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// Whether `start..end` sits right after `>` or right before `<`: next to a
/// placeholder a previous pass wrote.
fn touches_placeholder(bytes: &[u8], start: usize, end: usize) -> bool {
    (start > 0 && bytes[start - 1] == b'>') || bytes.get(end) == Some(&b'<')
}

/// Two dots or more (`instruction......0`, `wait...`) separate words as a
/// space does: dot leaders and ellipses are layout, not part of a value.
fn is_dot_leader(bytes: &[u8], index: usize) -> bool {
    bytes[index] == b'.'
        && (bytes.get(index + 1) == Some(&b'.') || (index > 0 && bytes[index - 1] == b'.'))
}

/// Bytes that stay inside a part when an unclassified token is split.
fn is_part_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.') || byte >= 0x80
}

fn starts_with_scheme(text: &str) -> bool {
    // Every scheme is 2-5 letters and `://`: look for the colon first, so
    // that the schemes are compared only for the rare token that has one.
    let bytes = text.as_bytes();
    let Some(colon) = bytes.iter().take(6).position(|&b| b == b':') else {
        return false;
    };
    bytes.len() > colon + 3
        && bytes[colon + 1] == b'/'
        && bytes[colon + 2] == b'/'
        && URL_SCHEMES.iter().any(|scheme| {
            scheme.len() == colon + 3
                && bytes[..colon].eq_ignore_ascii_case(&scheme.as_bytes()[..colon])
        })
}

/// A bracketed list of names or quoted strings on one line: three items or
/// more, or two long ones. Returns the index after `]`.
fn list_end(bytes: &[u8], open: usize) -> Option<usize> {
    const MAX_LIST_BYTES: usize = 8192;
    let mut items = 0;
    let mut item_start = open + 1;
    let mut quote = None;
    let mut i = open + 1;
    let limit = bytes.len().min(open + MAX_LIST_BYTES);
    while i < limit {
        let byte = bytes[i];
        if let Some(q) = quote {
            if byte == b'\\' {
                i += 2;
                continue;
            }
            if byte == q {
                quote = None;
            } else if byte == b'\n' {
                return None;
            }
            i += 1;
            continue;
        }
        match byte {
            b'\'' | b'"' => quote = Some(byte),
            b',' | b']' => {
                if !is_list_item(&bytes[item_start..i]) {
                    return None;
                }
                items += 1;
                item_start = i + 1;
                if byte == b']' {
                    let long = i - open >= 64;
                    return (items >= 3 || (items == 2 && long)).then_some(i + 1);
                }
            }
            b'[' | b'\n' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_list_item(item: &[u8]) -> bool {
    let item = item.trim_ascii();
    match item {
        [] => false,
        [q @ (b'\'' | b'"'), .., last] => last == q,
        _ => item
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-' | b'/')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! masks {
        ($($name:ident: $input:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let masker = Masker::new();
                let masked = masker.mask($input);
                assert_eq!(masked.text, $expected, "input {:?}", $input);
                assert_eq!(masker.mask(&masked.text).text, masked.text, "not idempotent on {:?}", $input);
            }
        )*};
    }

    masks! {
        plain_text: "Application startup complete." => "Application startup complete.",
        gunicorn_prefix: "[2025-09-14 00:27:04 +0000] [12] [ERROR] Worker (pid:13) exited with code 3" =>
            "[<ts>] [<num>] [ERROR] Worker (pid:<num>) exited with code <num>",
        container_exit: "Container called exit(3)." => "Container called exit(<num>).",
        health_check: "169.254.169.126:49090 - \"GET /health/ready HTTP/1.1\" 200" =>
            "<ip> - \"GET /health/ready HTTP/<num>\" <num>",
        redacted: "Failed to extract auth=REDACTED SessionMiddleware must be installed" =>
            "Failed to extract auth=<redacted> SessionMiddleware must be installed",
        request_id: "request_id 'defensive_auth_7f3a9c' has invalid format." =>
            "request_id '<id>' has invalid format.",
        user_in_list: "SSOT validation issues (non-blocking): ['Multiple manager instances for user demo-user-001 - potential duplication']" =>
            "SSOT validation issues (non-blocking): ['Multiple manager instances for user <id> - potential duplication']",
        long_list: "Found other classes: ['a.b.C', 'a.b.D', 'a.e.F']" => "Found other classes: <list>",
        quoted_after_equals: "user='bob smith' logged in" => "user=<quoted> logged in",
        bearer: "Authorization: Bearer abcdef123456" => "Authorization: Bearer <token>",
        basic_in_prose: "allowing basic fallback for user chat" => "allowing basic fallback for user chat",
        jwt: "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_-x expired" => "token <jwt> expired",
        url: "fetching https://x.example.com/a?b=1&c=2, then" => "fetching <url>, then",
        path_ids: "GET /api/threads/3f2a9c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b/messages/42" =>
            "GET /api/threads/<uuid>/messages/<num>",
        file_line: "at main.py:37 in handler" => "at main.py:<num> in handler",
        durations: "Auth unreachable after 0.51s - timeout 1234ms" => "Auth unreachable after <duration> - timeout <duration>",
        thousands_separators: "copied 1,234,567 rows in 12,345.67 ms, -2,000 left" =>
            "copied <num> rows in <duration>, <num> left",
        number_lists_stay_apart: "ports 8080,443 and ids 1,2,3 and 12,3456 and 0,100" =>
            "ports <num>,<num> and ids <num>,<num>,<num> and <num>,<num> and <num>,<num>",
        signed_thousands: "delta +2,000 and -1,500" => "delta <num> and <num>",
        log4j_milliseconds: "2024-01-15 10:30:00,123 INFO started" => "<ts> INFO started",
        comma_after_a_clock_without_seconds_stays: "at 10:30,5 ok" => "at <ts>,<num> ok",
        csv_field_after_a_time_stays: "2024-01-15 10:30:00,42,ok" => "<ts>,<num>,ok",
        ipv4_network: "route 10.0.0.0/8 and 192.168.1.0/24 via 10.0.0.1" => "route <ip> and <ip> via <ip>",
        ipv4_prefix_too_long: "range 10.0.0.0/33 bad" => "range <ip>/<num> bad",
        go_durations: "took 1h2m3.5s, then 2m0s, then 1m30µs, then -5m10s" =>
            "took <duration>, then <duration>, then <duration>, then <duration>",
        compound_duration_with_days: "uptime 3d4h" => "uptime <duration>",
        signed_compound_durations: "skew -1h2m and +1h2m" => "skew <duration> and <duration>",
        units_out_of_order_are_no_duration: "id 3s2m and 1h1h and 1.2.3h4m" => "id <id> and <id> and <id>",
        memory: "Memory limit of 512 MiB exceeded with 530 MiB used." => "Memory limit of <size> exceeded with <size> used.",
        spaced_units: "0 bytes sent, 1234 bytes (1.2 KB) received, lifetime <1 sec" =>
            "<size> sent, <size> (<size>) received, lifetime <<duration>",
        unit_needs_word_end: "wrote 5 bytes2 then" => "wrote <num> <id> then",
        unit_word_starts_a_host: "0 hr.example.com" => "<num> <host>",
        dot_leaders: "program interrupt: illegal instruction......0" => "program interrupt: illegal instruction......<num>",
        ellipsis_after_word: "waiting...12 s" => "waiting...<num> s",
        ctime_date: "connection from 1.2.3.4 () at Sun Jul 10 04:52:49 2005" => "connection from <ip> () at <ts>",
        ctime_zone_date: "status=M Thu Aug 11 10:03:18 PDT 2005 end" => "status=M <ts> end",
        syslog_date: "Jul 10 04:52:49 combo sshd" => "<ts> combo sshd",
        ctime_padded_day: "at Sat Jul  9 22:53:19 2005" => "at <ts>",
        twelve_hour_clock: "backup at 10:30 PM done" => "backup at <ts> done",
        rfc1123_date: "expires Sun, 14 Sep 2025 00:27:04 GMT;" => "expires <ts>;",
        month_word_is_not_date: "May I help, Jul?" => "May I help, Jul?",
        secret_key_before_digits: "x token:12345678 y" => "x token:<token> y",
        secret_key_before_digits_and_tab: "token:000\t" => "token:<token>\t",
        email: "Created user ***@netrasystems.ai from JWT=REDACTED" => "Created user <email> from JWT=<redacted>",
        iso_with_zone: "at 2025-09-14T22:44:48.690097+00:00 done" => "at <ts> done",
        hdfs: "Received block blk_-1608999687919862906 of size 91178 from /10.250.10.6" =>
            "Received block <id> of size <num> from /<ip>",
        version_triplet: "version 1.2.3 released" => "version <num>.<num>.<num> released",
        empty: "" => "",
        star_after_number: "0***" => "<num><redacted>",
        id_after_number: "^0.#0c " => "^<num>.#<id> ",
        multibyte_after_scheme_length: "Ⱥ𞋿९IΌ𛲄ল𫊡/૬𰬞" => "Ⱥ𞋿९IΌ𛲄ল𫊡/૬𰬞",
        unicode: "[🔑] USER AUTO-CREATED: user_id: 1081241..." => "[🔑] USER AUTO-CREATED: user_id: <num>...",

        // IPv6 in every form RFC 4291, 5952, 3986 and 6874 write it.
        ipv6_unspecified: "listening on :: port 80" => "listening on <ip> port <num>",
        ipv6_unspecified_bracketed: "bind [::]:8080 ok" => "bind <ip> ok",
        colons_left_of_a_token_stay: "G0:: then" => "<id>:: then",
        colons_after_a_url_stay: "https://aaa.com/[::]:80" => "<url>::]:<num>",
        ipv6_loopback: "x ::1 y" => "x <ip> y",
        ipv6_prefix: "route fc00::/7 via eth1" => "route <ip> via <id>",
        ipv6_bracketed_with_port: "connect [2001:db8::1]:80 failed" => "connect <ip> failed",
        ipv6_bracketed_list: "peers [2001:db8::1], [::1]" => "peers <ip>, <ip>",
        ipv6_zone: "addr fe80::1%eth0 up" => "addr <ip> up",
        ipv6_mapped_ipv4: "from ::ffff:10.0.0.1 on" => "from <ip> on",
        rust_path_is_not_ipv6: "see std::io::Error" => "see std::io::Error",
        colons_after_word_stay: "foo:: bar" => "foo:: bar",

        // Dates with a weekday and a zone.
        rfc2822_short_year: "Date: Mon, 02 Jan 06 15:04 MST" => "Date: <ts>",
        rfc2822_offset: "Mon, 2 Jan 2006 15:04:05 -0700 sent" => "<ts> sent",
        rfc850: "Date: Monday, 02-Jan-06 15:04:05 MST" => "Date: <ts>",
        // The day first, no weekday: RFC 822, Go's `time.RFC822` and `RFC822Z`.
        rfc822: "at 02 Jan 06 15:04 MST ok" => "at <ts> ok",
        rfc822_offset: "at 02 Jan 06 15:04 -0700 ok" => "at <ts> ok",
        day_first_long_year: "since 14 Sep 2025 00:27:04 GMT" => "since <ts>",
        day_first_date_alone: "due 3 Mar 2021." => "due <ts>.",
        day_first_short_year_needs_a_time_and_zone: "sent 1 May 10 times" => "sent <num> May <num> times",
        count_before_syslog_date: "retry 7 Jan 12 15:04:05 host" => "retry <num> <ts> host",
        us_date_and_time: "at 12/25/2023 10:00:00 ok" => "at <ts> ok",
        european_dotted_date: "am 25.12.2023 um 10:00 Uhr" => "am <ts> um <ts> Uhr",
        dashed_day_first_date: "on 25-12-2023" => "on <ts>",
        short_year_is_no_date: "port 1/1/12 down on 1/2/06" => "port <num>/<num>/<num> down on <num>/<num>/<num>",
        dotted_short_year_is_a_version: "version 1.2.06 out" => "version <num>.<num>.<num> out",
        version_is_no_date: "Windows 6.1.7601 and 10.0.19045" => "Windows <num>.<num>.<num> and <num>.<num>.<num>",
        not_a_month_or_day: "ratio 13/13/2023 and 0/5/2020" => "ratio <num>/<num>/<num> and <num>/<num>/<num>",
        day_first_date_after_a_timestamp: "x 2000-01-01T00:00:07Z 01 Jan 00 00:00 MST y" => "x <ts> y",
        ruby_date: "at Mon Jan 02 15:04:05 -0700 2006 ok" => "at <ts> ok",
        rfc850_long_year: "at Sunday, 06-Nov-1994 08:49:37 GMT." => "at <ts>.",
        javascript_date: "at Mon Jan 02 2006 14:04:05 GMT-0800 (Pacific Standard Time) done" => "at <ts> done",
        javascript_zone_abbreviation: "Wed Dec 31 1969 16:00:00 GMT-0800 (PST)" => "<ts>",
        words_after_date_stay: "at Sun Jul 10 04:52:49 2005 (retry)" => "at <ts> (retry)",
        common_log_format: "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200" =>
            "<ip> - - [<ts>] \"GET / HTTP/<num>\" <num>",

        // W3C Trace Context.
        traceparent: "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" => "traceparent: <hex>",
        traceparent_after_equals: "traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 sampled" =>
            "traceparent=<hex> sampled",

        // A digit makes an instance; names whose digits are part of them stay.
        cpu_instance: "cpu0 online" => "<id> online",
        interface_instance: "eth1 link up" => "<id> link up",
        node_instance: "node-17 joined" => "<id> joined",
        instance_numbered_like_a_standard: "node-802 joined, vlan-802 up" => "<id> joined, <id> up",
        user_instance: "u0 logged in" => "<id> logged in",
        names_with_digits_stay: "IPv6 over HTTP2 in utf8 via log4j on x86_64" => "IPv6 over HTTP2 in utf8 via log4j on x86_64",

        // Secrets, as `crate::secrets` defines them (the report scrubs the same).
        bearer_upper_case_letters: "Authorization: Bearer ABCDEFGHIJKLMNOP" => "Authorization: Bearer <token>",
        bearer_capitalized_word_is_prose: "Bearer Abcdefghijkl failed" => "Bearer Abcdefghijkl failed",
        padded_basic_credential_in_json: r#"{"Authorization": "Basic dXNlcjpwYXNzd29yZA=="}"# =>
            r#"{"Authorization": "Basic <token>"}"#,
        bearer_jwt: "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_-x" => "Authorization: Bearer <jwt>",
        scheme_after_colon: "Authorization:Bearer abc123def456 sent" => "Authorization:Bearer <token> sent",
        api_key: "using AKIAIOSFODNN7EXAMPLE for s3" => "using <token> for <id>",
        password_value: "login failed password=hunter2 for bob" => "login failed password=<token> for bob",
        quoted_password_value: "login password='hunter2' denied" => "login password=<token> denied",
        json_password_value: r#"{"password": "hunter2", "user": "bob"}"# => r#"{"password": <token>, "user": "bob"}"#,
        escaped_json_secret: r#"{\"client_secret\": \"abcd1234\"}"# => r#"{\"client_secret\": \"<token>\"}"#,
        secret_key_with_digit: "aws2_secret_key=abcdef now" => "<id>=<token> now",
        short_value_after_a_secret_key_is_masked_once: "password=(0 bytes" => "password=(<size>",
        redacted_password_stays_redacted: "password=REDACTED token=***" => "password=<redacted> token=<redacted>",
        url_password: "postgres://app:s3cr3t@10.0.0.5:5432/db" => "postgres://app:<token>@<ip>:<num>/db",
        url_password_in_url: "GET https://bob:hunter22@db.internal/x" => "GET <url>",
        private_key: "key -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- loaded" => "key <token> loaded",
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// The gate before the secret rules only skips them where they would
        /// find nothing: tried on every range the scanner can pass to
        /// `token` (ending at a delimiter, at the start of a part or at the
        /// end, its sentence punctuation cut off as `core_end` cuts it) of
        /// texts made of keys, schemes, separators and values.
        #[test]
        fn rejected_tokens_hold_no_secret(
            text in "(password|token|Token|Bearer|BEARER|basic|api_key|db.secret|x|/|\\\\|[ =:'\"\t.!?]|abcdefgh1234|eyJhbGciOi\\.x\\.y|é){1,8}",
        ) {
            let bytes = text.as_bytes();
            let masker = Masker::new();
            for end in 1..=bytes.len() {
                let token_end = bytes.get(end).is_none_or(|&b| {
                    BYTE_CLASS[usize::from(b)] & DELIMITER != 0 || is_part_byte(b)
                });
                if !token_end {
                    continue;
                }
                // Tokens start on a character's first byte.
                for start in (0..end).filter(|&start| text.is_char_boundary(start)) {
                    let core_end = masker.core_end(&text, start, end);
                    if !may_precede_secret(bytes, core_end, end) {
                        proptest::prop_assert_eq!(secret_value(bytes, start, core_end), None, "{:?} {}..{}..{}", text, start, core_end, end);
                        proptest::prop_assert_eq!(scheme_credential(bytes, start, end), None, "{:?} {}..{}..{}", text, start, core_end, end);
                    }
                }
            }
        }

        /// A user rule, even one that never matches, turns the plain-word
        /// and lone-punctuation fast paths off: both maskers must agree on
        /// everything.
        #[test]
        fn fast_paths_change_nothing(
            words in proptest::collection::vec(
                "[a-zA-Z]{1,12}|[A-Z]{8}|[a-z]{10}|REDACTED|UTC|PM|[a-z]{2,6}[!?.:]|password|Bearer|token|[0-9]{1,6}|[0-9a-f.:/_-]{1,12}|[!-/:-@\\[-`{-~]|[0-9]{1,3}[!-/:-@\\[-`{-~][0-9a-z]{1,4}|https?://[a-z]{1,5}[!-/:-@\\[-`{-~][0-9]{1,3}|\\PC{1,6}",
                0..12,
            ),
            separators in proptest::collection::vec("[ =:'\"\t,()\\[\\]]{1,2}", 12),
        ) {
            let mut text = String::new();
            for (word, separator) in words.iter().zip(&separators) {
                text.push_str(word);
                text.push_str(separator);
            }
            let slow = Masker::builder().rule(r"[^\s\S]", "<never>").build().unwrap();
            proptest::prop_assert_eq!(Masker::new().mask(&text), slow.mask(&text), "text {:?}", text);
        }
    }

    #[test]
    fn replacements_point_at_the_values() {
        let text = "timeout after 8.0s for demo-user-017";
        let masked = Masker::new().mask(text);
        let values: Vec<(&str, Kind)> = masked
            .replacements
            .iter()
            .map(|r| (&text[r.start..r.end], r.kind))
            .collect();
        assert_eq!(
            values,
            [("8.0s", Kind::Duration), ("demo-user-017", Kind::Id)]
        );
    }

    #[test]
    fn disabled_kinds_stay() {
        let masker = Masker::builder().disable(Kind::Number).build().unwrap();
        assert_eq!(masker.mask("code 3 at 8.0s").text, "code 3 at <duration>");
    }

    #[test]
    fn bad_rules_are_errors() {
        let error = Masker::builder().rule("(", "<x>").build().unwrap_err();
        assert!(error.to_string().contains("`(`"), "{error}");
    }
}
