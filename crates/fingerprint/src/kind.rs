//! The kinds of variable value the masker recognises, and the rules for each.
//!
//! This is the one place that says what counts as a variable (dates and
//! times have their own module, [`crate::time`]). Each kind names its
//! placeholder and the convention it follows; the scanner in [`crate::mask`]
//! tries them, in the order of [`Kind::ALL`], on every token.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::secrets::{is_api_key, is_jwt};
use crate::time::{is_clock_time, is_common_log_date, is_date_time, is_numeric_date};
use crate::vocabulary::is_named_with_digits;

/// A kind of variable value, replaced by a typed placeholder such as `<uuid>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// `REDACTED`, `[REDACTED]`, `***`: values a logger already hid. Kept as one
    /// placeholder so that `auth=REDACTED` lines group together.
    Redacted,
    /// A bracketed list of three or more names or quoted strings
    /// (`['a.B', 'a.C', 'a.D']`), as Python prints lists.
    List,
    /// A quoted value after `=` (`user='bob'`), as Sentry masks it.
    Quoted,
    /// A JSON Web Token: three base64url parts, the first starting `eyJ`.
    Jwt,
    /// A credential: the word after `Bearer`, `Basic` or `Token`, a provider
    /// API key, the value of a secret-named key (`password=`), the password
    /// of a URL, a PEM private key. What counts is defined once, for masking
    /// and the report's scrubbing alike: see [`SecretKind`](crate::SecretKind).
    Token,
    /// `user@example.com`, also `***@example.com`.
    Email,
    /// A URL with a scheme (`https://`, `wss://`, `gs://` ...).
    Url,
    /// An RFC 4122 UUID, `8-4-4-4-12` hex digits.
    Uuid,
    /// A date and time: RFC 3339 / ISO 8601, `2025-09-14 00:27:04 +0000`,
    /// a bare date (`2025-09-14`, `12/25/2023`, `25.12.2023`) or clock time
    /// (`00:27:04.123`, `10:30 PM`, log4j's `10:30:00,123`), or a date in
    /// words as syslog, `ctime`, RFC 822/1123 and JavaScript write it (`Sun
    /// Jul 10 04:52:49 2005`, `Sun, 14 Sep 2025 00:27:04 GMT`, `02 Jan 06
    /// 15:04 MST`).
    Timestamp,
    /// An IPv4 address (optionally with `:port`, or a network: `10.0.0.0/8`)
    /// or an IPv6 address.
    Ip,
    /// A host name, optionally with `:port`: labels ending in a generic
    /// top-level domain (`zummit.com`, `api.example.com`) or, with three
    /// labels or more, a country domain (`dsl.easynet.nl`). Reverse-DNS
    /// package names (`com.apple.xpc`) and file names (`main.py`) are not hosts.
    Host,
    /// `0x`-prefixed hex, 8+ hex digits that include a digit (hashes,
    /// Cloud Run insertIds and instance ids, trace ids), or a MAC address
    /// (six or more `:`- or `-`-separated hex pairs).
    Hex,
    /// A number with a time unit: `8.0s`, `1234ms`, `0.5µs`, `3m`, `2h`, also
    /// with a space before a unit word (`3 sec`, `250 ms`, `5 minutes`) or
    /// in several units as Go writes it (`1h2m3.5s`).
    Duration,
    /// A number with a size unit: `512MiB`, `10KB`, `3G`, also with a space
    /// before the unit (`512 MiB`, `0 bytes`, `16.0 B`).
    Size,
    /// An integer or decimal number, signed, with optional exponent or `%`,
    /// also with thousands separators (`1,234,567`).
    Number,
    /// A token mixing letters and digits: `demo-user-017`, `blk_-6952`,
    /// `defensive_auth_7f3a`, `cpu0`, `eth1`, `u0`. Names whose digits are part
    /// of the name (`utf8`, `IPv6`, `log4j`, `x86_64`) stay.
    Id,
    /// A value matched by a user rule ([`MaskerBuilder::rule`](crate::MaskerBuilder::rule)).
    Custom,
}

impl Kind {
    /// Every built-in kind, in the order they are tried.
    pub const ALL: [Kind; 16] = [
        Kind::Redacted,
        Kind::List,
        Kind::Quoted,
        Kind::Jwt,
        Kind::Token,
        Kind::Email,
        Kind::Url,
        Kind::Uuid,
        Kind::Timestamp,
        Kind::Ip,
        Kind::Host,
        Kind::Hex,
        Kind::Duration,
        Kind::Size,
        Kind::Number,
        Kind::Id,
    ];

    /// The placeholder written in place of the value, e.g. `<uuid>`.
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Redacted => "<redacted>",
            Kind::List => "<list>",
            Kind::Quoted => "<quoted>",
            Kind::Jwt => "<jwt>",
            Kind::Token => "<token>",
            Kind::Email => "<email>",
            Kind::Url => "<url>",
            Kind::Uuid => "<uuid>",
            Kind::Timestamp => "<ts>",
            Kind::Ip => "<ip>",
            Kind::Host => "<host>",
            Kind::Hex => "<hex>",
            Kind::Duration => "<duration>",
            Kind::Size => "<size>",
            Kind::Number => "<num>",
            Kind::Id => "<id>",
            Kind::Custom => "<custom>",
        }
    }

    /// The name without brackets, e.g. `uuid`.
    pub fn name(self) -> &'static str {
        let placeholder = self.placeholder();
        &placeholder[1..placeholder.len() - 1]
    }

    /// The kind of a name as written by [`Kind::name`].
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .chain([Kind::Custom])
            .find(|kind| kind.name() == name)
    }

    pub(crate) fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.placeholder())
    }
}

// ---------------------------------------------------------------------------
// Token classifiers. Each takes a whole token (no delimiters inside) and says
// whether it is entirely a value of its kind. Rust's `regex` has no
// look-around, and one pass over the text is the point, so they are written
// by hand.
// ---------------------------------------------------------------------------

/// What a token contains, as bits, so that most rules are skipped without
/// being tried: most tokens are plain words. The tokenizer gathers these
/// while it looks for the token's end.
pub(crate) mod feature {
    pub(crate) const DIGIT: u8 = 1;
    pub(crate) const DOT: u8 = 1 << 1;
    pub(crate) const COLON: u8 = 1 << 2;
    pub(crate) const AT: u8 = 1 << 3;
    pub(crate) const STAR: u8 = 1 << 4;
    /// All of the above.
    pub(crate) const ALL: u8 = DIGIT | DOT | COLON | AT | STAR;

    /// The feature bit of one byte.
    pub(crate) const fn of_byte(byte: u8) -> u8 {
        match byte {
            b'0'..=b'9' => DIGIT,
            b'.' => DOT,
            b':' => COLON,
            b'@' => AT,
            b'*' => STAR,
            _ => 0,
        }
    }

    /// The features of a token.
    pub(crate) fn of(bytes: &[u8]) -> u8 {
        bytes
            .iter()
            .fold(0, |features, &byte| features | of_byte(byte))
    }
}

/// Classifies a whole token; `enabled` is a bit set of [`Kind::bit`].
pub(crate) fn classify(token: &str, enabled: u32) -> Option<Kind> {
    classify_with(token, enabled, feature::of(token.as_bytes()))
}

/// [`classify`] with the token's [`feature`]s known (a superset is fine).
#[inline]
pub(crate) fn classify_with(token: &str, enabled: u32, features: u8) -> Option<Kind> {
    // The common case first: a run of digits is a number (no other kind
    // matches one: each needs a separator, a letter or a length digits alone
    // never reach in its test). `fast_and_full_classification_agree` checks it.
    if features == feature::DIGIT
        && enabled & Kind::Number.bit() != 0
        && !token.is_empty()
        && token.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(Kind::Number);
    }
    classify_fully(token, enabled, features)
}

/// Whether a token without [`feature`]s (no digit, `.`, `:`, `@` or `*`)
/// is certainly no value: every kind but three needs one of those bytes, a
/// logger's redaction mark is one of a few words of 8 or 10 bytes, and a
/// provider's API key has 20 bytes or more. The common case in masking,
/// decided without [`classify`]; `plain_words_classify_as_nothing` checks it.
#[inline]
pub(crate) fn is_plain_word(token: &str) -> bool {
    let len = token.len();
    len < 20 && !(matches!(len, 8 | 10) && is_redacted(token))
}

/// [`classify_with`] without its fast path.
fn classify_fully(token: &str, enabled: u32, features: u8) -> Option<Kind> {
    let on = |kind: Kind| enabled & kind.bit() != 0;
    let bytes = token.as_bytes();
    let (&first, _) = bytes.split_first()?;
    let has = |bit: u8| features & bit != 0;
    let (has_digit, has_dot, has_colon, has_at, has_star) = (
        has(feature::DIGIT),
        has(feature::DOT),
        has(feature::COLON),
        has(feature::AT),
        has(feature::STAR),
    );
    if on(Kind::Redacted) && (has_star || matches!(bytes.len(), 8 | 10)) && is_redacted(token) {
        return Some(Kind::Redacted);
    }
    if on(Kind::Jwt) && first == b'e' && is_jwt(token) {
        return Some(Kind::Jwt);
    }
    if on(Kind::Token) && is_api_key(token) {
        return Some(Kind::Token);
    }
    if on(Kind::Email) && has_at && is_email(token) {
        return Some(Kind::Email);
    }
    if on(Kind::Url) && has_colon && is_url(token) {
        return Some(Kind::Url);
    }
    if !has_digit {
        if on(Kind::Host) && has_dot && is_host_with_port(token) {
            return Some(Kind::Host);
        }
        return None;
    }
    if on(Kind::Uuid) && is_uuid(bytes) {
        return Some(Kind::Uuid);
    }
    if on(Kind::Timestamp)
        && (is_date_time(bytes)
            || is_clock_time(bytes)
            || is_numeric_date(bytes)
            || is_common_log_date(bytes))
    {
        return Some(Kind::Timestamp);
    }
    if on(Kind::Hex) && (is_mac(bytes) || is_traceparent(bytes)) {
        return Some(Kind::Hex);
    }
    if on(Kind::Ip) && (has_dot || has_colon) && (is_ipv4_with_port(bytes) || is_ipv6(token)) {
        return Some(Kind::Ip);
    }
    if let Some(unit_start) = number_prefix_len(bytes) {
        let unit = &token[unit_start..];
        let kind = if unit.is_empty() || unit == "%" {
            Some(Kind::Number)
        } else if is_duration_unit(unit) || is_compound_duration(token) {
            Some(Kind::Duration)
        } else if is_size_unit(unit) {
            Some(Kind::Size)
        } else {
            None
        };
        if let Some(kind) = kind.filter(|&kind| on(kind)) {
            return Some(kind);
        }
    }
    if on(Kind::Hex) && is_hex(bytes) {
        return Some(Kind::Hex);
    }
    if on(Kind::Host) && has_dot && is_host_with_port(token) {
        return Some(Kind::Host);
    }
    if on(Kind::Id) && is_mixed_id(bytes) {
        return Some(Kind::Id);
    }
    None
}

/// `REDACTED`, `[REDACTED]`, `***`, `[FILTERED]`. Upper case only: the
/// lower-case word is our own placeholder's name and must stay as it is.
fn is_redacted(token: &str) -> bool {
    let inner = token.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')'));
    inner == "REDACTED"
        || inner == "Redacted"
        || inner == "FILTERED"
        || (inner.len() >= 3 && inner.bytes().all(|b| b == b'*'))
}

fn is_email(token: &str) -> bool {
    let Some((local, domain)) = token.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-*".contains(&b))
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

pub(crate) const URL_SCHEMES: [&str; 8] = [
    "http://", "https://", "ws://", "wss://", "ftp://", "gs://", "s3://", "file://",
];

fn is_url(token: &str) -> bool {
    URL_SCHEMES.iter().any(|scheme| {
        token.len() > scheme.len()
            && token.as_bytes()[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes())
    })
}

fn is_hex_digits(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_hexdigit)
}

fn is_uuid(bytes: &[u8]) -> bool {
    bytes.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| bytes[i] == b'-')
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| matches!(i, 8 | 13 | 18 | 23) || b.is_ascii_hexdigit())
}

fn is_ipv4(bytes: &[u8]) -> bool {
    let mut parts = 0;
    for part in bytes.split(|&b| b == b'.') {
        parts += 1;
        if part.is_empty() || part.len() > 3 || !part.iter().all(u8::is_ascii_digit) {
            return false;
        }
        let value: u32 = part.iter().fold(0, |v, b| v * 10 + u32::from(b - b'0'));
        if value > 255 {
            return false;
        }
    }
    parts == 4
}

/// `10.0.0.1`, `10.0.0.1:8080`, `10.0.0.0/8`.
fn is_ipv4_with_port(bytes: &[u8]) -> bool {
    // `0.0.0.0` at least, and a digit first.
    if bytes.len() < 7 || !bytes[0].is_ascii_digit() {
        return false;
    }
    let address_len = bytes
        .iter()
        .position(|&b| !(b.is_ascii_digit() || b == b'.'))
        .unwrap_or(bytes.len());
    let (address, suffix) = bytes.split_at(address_len);
    is_ipv4(address)
        && match suffix {
            [] => true,
            [b':', port @ ..] => !port.is_empty() && port.iter().all(u8::is_ascii_digit),
            // A network in CIDR notation (RFC 4632).
            [b'/', length @ ..] => is_prefix_length(length, 32),
            _ => false,
        }
}

/// A prefix length of at most `bits`: `8`, `24`, `128`.
fn is_prefix_length(digits: &[u8], bits: u32) -> bool {
    matches!(digits.len(), 1..=3)
        && digits.iter().all(u8::is_ascii_digit)
        && digits.iter().fold(0, |n, &b| n * 10 + u32::from(b - b'0')) <= bits
}

/// IPv6 (RFC 4291, 5952): hex groups separated by `:` with at least two
/// colons, optional `::`, trailing dotted IPv4; in `[...]:port` brackets
/// (RFC 3986), with a `/prefix` length (`fc00::/7`) or a `%zone`
/// (`fe80::1%eth0`, RFC 6874).
pub(crate) fn is_ipv6(token: &str) -> bool {
    // Most tokens fail here: an address starts with a hex digit, `:` or `[`
    // and has two colons.
    let bytes = token.as_bytes();
    let starts_like_one = bytes
        .first()
        .is_some_and(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'[');
    if !starts_like_one || bytes.iter().filter(|&&b| b == b':').count() < 2 {
        return false;
    }
    let token = match token.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((address, port)) if port.is_empty() || is_port_suffix(port) => address,
            _ => return false,
        },
        None => token,
    };
    let token = match token.split_once('/') {
        Some((address, prefix)) => {
            if !is_prefix_length(prefix.as_bytes(), 128) {
                return false;
            }
            address
        }
        None => token,
    };
    let token = match token.split_once('%') {
        Some((address, zone)) => {
            let zone_ok = !zone.is_empty()
                && zone.len() <= 16
                && zone
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
            if !zone_ok {
                return false;
            }
            address
        }
        None => token,
    };
    if token == "::" {
        return true;
    }
    let colons = token.bytes().filter(|&b| b == b':').count();
    if !(2..=7).contains(&colons) || token.len() < 3 {
        return false;
    }
    let groups_ok = token.split(':').all(|group| {
        group.len() <= 4 && is_hex_digits(group.as_bytes())
            || group.contains('.') && is_ipv4(group.as_bytes())
    });
    // `00:27:04` is a time, not an address: require a hex letter, `::`, or 4-digit groups.
    groups_ok
        && (token.contains("::")
            || token.bytes().any(|b| b.is_ascii_alphabetic())
            || token.split(':').any(|g| g.len() == 4))
}

/// The end of `[2001:db8::1]`, `[::]:8080` or `[fe80::1%eth0]:80` when
/// `bytes[open]` is the `[` of a bracketed IPv6 address (RFC 3986): the
/// brackets and the port belong to the address.
pub(crate) fn bracketed_ipv6_end(bytes: &[u8], open: usize) -> Option<usize> {
    const MAX_ADDRESS: usize = 64;
    let rest = bytes.get(open + 1..)?;
    let close = rest.iter().take(MAX_ADDRESS).position(|&b| b == b']')?;
    let address = std::str::from_utf8(&rest[..close]).ok()?;
    if !address.contains("::") && address.bytes().filter(|&b| b == b':').count() < 2 {
        return None;
    }
    if !is_ipv6(address) {
        return None;
    }
    let end = open + 1 + close + 1;
    let port = bytes.get(end) == Some(&b':') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit);
    if port {
        let digits = bytes[end + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits <= 5 {
            return Some(end + 1 + digits);
        }
    }
    Some(end)
}

/// `:8080` after a bracketed address.
fn is_port_suffix(text: &str) -> bool {
    text.strip_prefix(':').is_some_and(|port| {
        !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())
    })
}

/// `::`, `[::]`, `::/0`: the unspecified IPv6 address (all interfaces), the
/// one address written without a digit. The masker takes it only as a word
/// of its own: `::` right after a masked value is what is left of a token
/// such as `G0::`.
pub(crate) fn is_unspecified_ipv6(token: &str) -> bool {
    matches!(token, "::" | "[::]" | "::/0")
        || token.strip_prefix("[::]").is_some_and(is_port_suffix)
}

/// A W3C Trace Context `traceparent` value: version, trace id, parent span
/// id and flags in hex, `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
fn is_traceparent(bytes: &[u8]) -> bool {
    bytes.len() == 55
        && [2, 35, 52].iter().all(|&i| bytes[i] == b'-')
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| matches!(i, 2 | 35 | 52) || b.is_ascii_hexdigit())
}

/// Generic top-level domains that end a two-label host name (`zummit.com`).
const GENERIC_TLDS: [&str; 14] = [
    "com",
    "net",
    "org",
    "info",
    "biz",
    "edu",
    "gov",
    "mil",
    "int",
    "name",
    "pro",
    "xyz",
    "arpa",
    "localhost",
];

/// Top-level domains that are also common words in code (`google.cloud`,
/// `hadoop.io`, `web.app`): they end a host name of three labels or more.
const AMBIGUOUS_TLDS: [&str; 9] = [
    "io", "ai", "dev", "app", "cloud", "co", "internal", "local", "run",
];

/// Two-letter labels that are file extensions or field names far more often
/// than country domains (`main.py`, `user.id`): never a top-level domain.
const NOT_COUNTRY_DOMAINS: [&str; 24] = [
    "py", "rs", "sh", "md", "pl", "so", "js", "cc", "cs", "go", "rb", "hh", "mk", "ml", "gz", "xz",
    "db", "ts", "id", "is", "in", "to", "do", "by",
];

/// First labels of reverse-DNS names (`com.apple.xpc`, `org.apache.spark`):
/// such names are packages and bundle ids, not hosts.
const REVERSE_DNS_ROOTS: [&str; 7] = ["com", "org", "net", "edu", "gov", "java", "javax"];

/// `api.staging.example.com`, `zummit.com`, `dsl.easynet.nl`: dot-separated
/// labels of letters, digits and `-`, ending in a generic top-level domain or
/// (with three labels or more) a two-letter country domain. Underscores rule
/// out module paths; reverse-DNS package names are not hosts.
fn is_host(token: &str) -> bool {
    let bytes = token.as_bytes();
    if bytes.len() > 253 || bytes.len() < 4 {
        return false;
    }
    // Most dotted tokens are class names and paths: their last label, which
    // the end of the token tells at once, is no top-level domain (2 to 9
    // lower-case letters).
    let tld_len = bytes.iter().rev().take_while(|&&b| b != b'.').count();
    let tld_possible = (2..=9).contains(&tld_len)
        && bytes[bytes.len() - tld_len..]
            .iter()
            .all(u8::is_ascii_lowercase);
    if !tld_possible {
        return false;
    }
    // One pass: labels of letters, digits and `-` (not leading), 1-63 bytes.
    let (mut labels, mut label_start, mut previous_start, mut first_end) = (1, 0, 0, 0);
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'.' {
            let length = index - label_start;
            if length == 0 || length > 63 || bytes[label_start] == b'-' {
                return false;
            }
            if labels == 1 {
                first_end = index;
            }
            labels += 1;
            previous_start = label_start;
            label_start = index + 1;
        } else if !(byte.is_ascii_alphanumeric() || byte == b'-') {
            return false;
        }
    }
    let last_length = bytes.len() - label_start;
    if labels < 2 || last_length == 0 || last_length > 63 || bytes[label_start] == b'-' {
        return false;
    }
    let (first, tld) = (&token[..first_end], &token[label_start..]);
    if REVERSE_DNS_ROOTS.contains(&first) {
        return false;
    }
    let country = tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_lowercase());
    // `wsi.edu.pl`, `bbc.co.uk`: a country domain under a generic second level.
    let second_level = matches!(
        &token[previous_start..label_start - 1],
        "com" | "net" | "org" | "edu" | "gov" | "ac" | "co"
    );
    GENERIC_TLDS.contains(&tld)
        || (labels >= 3
            && (AMBIGUOUS_TLDS.contains(&tld)
                || (country
                    && (second_level || labels >= 4 || !NOT_COUNTRY_DOMAINS.contains(&tld)))))
}

/// A host name, optionally with `:port` (`proxy.cse.cuhk.edu.hk:5070`).
fn is_host_with_port(token: &str) -> bool {
    match token.bytes().rposition(|b| b == b':') {
        Some(colon) => {
            let port = &token.as_bytes()[colon + 1..];
            !port.is_empty()
                && port.len() <= 5
                && port.iter().all(u8::is_ascii_digit)
                && is_host(&token[..colon])
        }
        None => is_host(token),
    }
}

/// A MAC address or similar colon- or dash-separated run of hex byte pairs
/// (`00:1a:2b:3c:4d:5e`, `FF:F2:9F:16:E5:2F:00:0D`): six pairs or more.
fn is_mac(bytes: &[u8]) -> bool {
    let Some(&separator) = bytes.get(2) else {
        return false;
    };
    if !matches!(separator, b':' | b'-') || (bytes.len() + 1) % 3 != 0 || bytes.len() < 17 {
        return false;
    }
    bytes.chunks(3).all(|chunk| {
        chunk[0].is_ascii_hexdigit()
            && chunk[1].is_ascii_hexdigit()
            && chunk.get(2).is_none_or(|&b| b == separator)
    })
}

/// Length of a leading number (`-12`, `3.5`, `1e9`, `1,234`), if the token starts with one.
fn number_prefix_len(bytes: &[u8]) -> Option<usize> {
    let mut i = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i == int_start {
        return None;
    }
    if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i + 1 < bytes.len() && matches!(bytes[i], b'e' | b'E') {
        let mut j = i + 1;
        if matches!(bytes[j], b'-' | b'+') {
            j += 1;
        }
        let exponent_start = j;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        if j > exponent_start && (j == bytes.len() || !bytes[j].is_ascii_alphabetic()) {
            i = j;
        }
    }
    Some(i)
}

/// The kind of a unit written as a separate word after a number
/// (`512 MiB`, `0 bytes`, `3 sec`). Only unambiguous units: a lone `s` or
/// `m` after a number is as often a word as a unit.
pub(crate) fn spaced_unit_kind(word: &str) -> Option<Kind> {
    match word {
        "ms" | "us" | "µs" | "μs" | "ns" | "sec" | "secs" | "second" | "seconds" | "min"
        | "mins" | "minute" | "minutes" | "hr" | "hrs" | "hour" | "hours" | "day" | "days"
        | "millis" | "msec" | "msecs" | "milliseconds" | "microseconds" | "nanoseconds" => {
            Some(Kind::Duration)
        }
        "KB" | "kB" | "KiB" | "MB" | "MiB" | "GB" | "GiB" | "TB" | "TiB" | "B" | "bytes"
        | "byte" => Some(Kind::Size),
        _ => None,
    }
}

/// `1h2m3s`, `2m30.5s`, `-1m0s`, `1d12h`: a duration in several units from
/// the largest down, as Go's `time.Duration` prints it (and Rust's
/// `humantime`, systemd, Kubernetes). Two or more parts, each a number and a
/// unit, every unit smaller than the one before.
fn is_compound_duration(token: &str) -> bool {
    // Units from the largest; a part's unit must come after the previous one's.
    const UNITS: [&str; 9] = ["d", "h", "m", "s", "ms", "us", "µs", "μs", "ns"];
    let mut rest = token.strip_prefix(['-', '+']).unwrap_or(token);
    let mut smallest_so_far = 0;
    let mut parts = 0;
    while !rest.is_empty() {
        let number = rest
            .bytes()
            .position(|b| !(b.is_ascii_digit() || b == b'.'))
            .unwrap_or(rest.len());
        let digits = &rest[..number];
        if digits.is_empty()
            || digits.starts_with('.')
            || digits.ends_with('.')
            || digits.bytes().filter(|&b| b == b'.').count() > 1
        {
            return false;
        }
        rest = &rest[number..];
        let unit_len = rest
            .bytes()
            .position(|b| b.is_ascii_digit())
            .unwrap_or(rest.len());
        let Some(rank) = UNITS.iter().position(|unit| *unit == &rest[..unit_len]) else {
            return false;
        };
        // `µs` (micro sign) and `μs` (Greek mu) are `us`.
        let rank = if matches!(rank, 6 | 7) { 5 } else { rank };
        if parts > 0 && rank <= smallest_so_far {
            return false;
        }
        smallest_so_far = rank;
        parts += 1;
        rest = &rest[unit_len..];
    }
    parts >= 2
}

fn is_duration_unit(unit: &str) -> bool {
    matches!(
        unit,
        "s" | "ms"
            | "us"
            | "µs"
            | "μs"
            | "ns"
            | "m"
            | "min"
            | "mins"
            | "h"
            | "hr"
            | "hrs"
            | "d"
            | "sec"
            | "secs"
            | "seconds"
            | "ms."
            | "s."
    )
}

fn is_size_unit(unit: &str) -> bool {
    matches!(
        unit,
        "B" | "b"
            | "KB"
            | "kB"
            | "KiB"
            | "K"
            | "k"
            | "MB"
            | "MiB"
            | "M"
            | "GB"
            | "GiB"
            | "G"
            | "TB"
            | "TiB"
            | "bytes"
            | "Mi"
            | "Gi"
            | "Ki"
    )
}

/// `0x1f`, or 8+ hex digits containing at least one digit.
fn is_hex(bytes: &[u8]) -> bool {
    if let Some(rest) = bytes
        .strip_prefix(b"0x")
        .or_else(|| bytes.strip_prefix(b"0X"))
    {
        return !rest.is_empty() && is_hex_digits(rest);
    }
    bytes.len() >= 8 && is_hex_digits(bytes)
}

/// Letters and digits mixed (with `-`, `_`, `.` ... between): an identifier
/// that varies per entity (`cpu0`, `eth1`, `node-17`, `u0`, `pid12`,
/// `defensive_auth_7f3a`). The caller already knows the token has a digit.
///
/// A digit makes a token a value: logs number what there are many of
/// (processors, interfaces, nodes, users). The exception is a name whose
/// digits are part of it (`IPv6`, `utf8`, `log4j`, `x86_64`), listed in
/// [`crate::vocabulary`].
fn is_mixed_id(bytes: &[u8]) -> bool {
    // One table lookup per byte: the bits of all bytes, and-ed, say whether
    // every byte may be in an id; or-ed, whether one is a letter.
    let (mut all, mut any) = (ID_ALLOWED, 0);
    for &b in bytes {
        let class = ID_BYTE[usize::from(b)];
        all &= class;
        any |= class;
    }
    all & ID_ALLOWED != 0 && any & ID_LETTER != 0 && !is_named_with_digits(bytes)
}

const ID_ALLOWED: u8 = 1;
const ID_LETTER: u8 = 2;

/// Whether a byte may be in an id ([`ID_ALLOWED`]: letters, digits, `-_.$#+~`
/// and the bytes of non-ASCII characters) and whether it is an ASCII letter
/// ([`ID_LETTER`]).
static ID_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'$' | b'#' | b'+' | b'~')
            || b >= 0x80
        {
            table[byte] |= ID_ALLOWED;
        }
        if b.is_ascii_alphabetic() {
            table[byte] |= ID_LETTER;
        }
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: u32 = u32::MAX;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn fast_and_full_classification_agree(
            token in "[0-9]{1,60}|[0-9a-fA-F:./_-]{1,40}|\\PC{0,30}",
            enabled in proptest::prelude::any::<u32>(),
        ) {
            let features = feature::of(token.as_bytes());
            for enabled in [ALL, enabled] {
                proptest::prop_assert_eq!(
                    classify_with(&token, enabled, features),
                    classify_fully(&token, enabled, features),
                );
            }
        }

        #[test]
        fn plain_words_classify_as_nothing(
            token in "[a-zA-Z_-]{1,30}|[A-Z]{8}|[a-zA-Z]{10}|\\PC{1,30}",
        ) {
            let token = token.as_str();
            if feature::of(token.as_bytes()) == 0 && is_plain_word(token) {
                proptest::prop_assert_eq!(classify(token, ALL), None);
            }
        }
    }

    #[test]
    fn redaction_marks_are_no_plain_words() {
        for mark in [
            "REDACTED",
            "Redacted",
            "FILTERED",
            "[REDACTED]",
            "(FILTERED)",
        ] {
            assert!(!is_plain_word(mark), "{mark}");
            assert_eq!(classify(mark, ALL), Some(Kind::Redacted), "{mark}");
        }
        assert!(is_plain_word("received"));
    }

    #[test]
    fn id_byte_table_is_the_id_byte_rule() {
        for b in 0..=u8::MAX {
            let allowed = b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'_' | b'.' | b'$' | b'#' | b'+' | b'~')
                || b >= 0x80;
            assert_eq!(
                ID_BYTE[usize::from(b)] & ID_ALLOWED != 0,
                allowed,
                "byte {b}"
            );
            assert_eq!(
                ID_BYTE[usize::from(b)] & ID_LETTER != 0,
                b.is_ascii_alphabetic(),
                "byte {b}"
            );
        }
    }

    macro_rules! classifies {
        ($($name:ident: $token:expr => $kind:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(classify($token, ALL), $kind, "token {:?}", $token);
            }
        )*};
    }

    classifies! {
        redacted_word: "REDACTED" => Some(Kind::Redacted),
        redacted_brackets: "[REDACTED]" => Some(Kind::Redacted),
        stars: "***" => Some(Kind::Redacted),
        jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_DEF-123" => Some(Kind::Jwt),
        email: "a.b@example.com" => Some(Kind::Email),
        masked_email: "***@netrasystems.ai" => Some(Kind::Email),
        url: "https://api.example.com/x?y=1" => Some(Kind::Url),
        uuid: "3f2a9c4e-1b2d-4e5f-8a9b-0c1d2e3f4a5b" => Some(Kind::Uuid),
        rfc3339: "2025-09-14T00:27:04.376098Z" => Some(Kind::Timestamp),
        rfc3339_offset: "2025-09-14T22:44:48.690097+00:00" => Some(Kind::Timestamp),
        date: "2025-09-14" => Some(Kind::Timestamp),
        clock: "00:27:04" => Some(Kind::Timestamp),
        clock_millis: "17:20:59.892139+00:00" => Some(Kind::Timestamp),
        ipv4: "169.254.169.126" => Some(Kind::Ip),
        ipv4_port: "10.251.73.220:50010" => Some(Kind::Ip),
        ipv6: "2001:db8::1" => Some(Kind::Ip),
        ipv6_unspecified_is_left_to_the_masker: "::" => None,
        ipv6_loopback: "::1" => Some(Kind::Ip),
        ipv6_prefix: "fc00::/7" => Some(Kind::Ip),
        ipv6_bracketed_with_port: "[2001:db8::1]:80" => Some(Kind::Ip),
        ipv6_zone: "fe80::1%eth0" => Some(Kind::Ip),
        ipv6_mapped_ipv4: "::ffff:10.0.0.1" => Some(Kind::Ip),
        clock_is_not_ipv6: "00:27:04" => Some(Kind::Timestamp),
        rust_path_is_not_ipv6: "std::io" => None,
        bad_prefix_is_not_ipv6: "fc00::/x" => None,
        traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" => Some(Kind::Hex),
        common_log_date: "10/Oct/2000:13:55:36" => Some(Kind::Timestamp),
        host: "api.staging.netrasystems.ai" => Some(Kind::Host),
        module_is_not_host: "netra_backend.app.main" => None,
        hex_id: "68c60a18000a1c2f3b9e1d7a" => Some(Kind::Hex),
        hex_prefixed: "0x7f3a" => Some(Kind::Hex),
        duration: "8.0s" => Some(Kind::Duration),
        duration_ms: "1234ms" => Some(Kind::Duration),
        size: "512MiB" => Some(Kind::Size),
        number: "-6952295868487656571" => Some(Kind::Number),
        float: "0.51" => Some(Kind::Number),
        percent: "85.6%" => Some(Kind::Number),
        mixed_id: "demo-user-017" => Some(Kind::Id),
        underscore_id: "defensive_auth_7f3a" => Some(Kind::Id),
        block_id: "blk_-6952295868487656571" => Some(Kind::Id),
        plain_word: "WebSocket" => None,
        interface_is_an_instance: "eth0" => Some(Kind::Id),
        apple_interface_is_an_instance: "awdl0" => Some(Kind::Id),
        cpu_is_an_instance: "cpu0" => Some(Kind::Id),
        user_is_an_instance: "u0" => Some(Kind::Id),
        encoding: "utf8" => None,
        protocol: "IPv6" => None,
        numbered_node: "node-1" => Some(Kind::Id),
        lettered_node: "node-D3" => Some(Kind::Id),
        embedded_digits: "root28_domain" => Some(Kind::Id),
        pid_id: "pid12" => Some(Kind::Id),
        hex_suffix_id: "auth_7f3a" => Some(Kind::Id),
        two_label_host: "zummit.com" => Some(Kind::Host),
        country_host: "dsl.easynet.nl" => Some(Kind::Host),
        academic_host: "biblioteka.wsi.edu.pl" => Some(Kind::Host),
        host_port: "proxy.cse.cuhk.edu.hk:5070" => Some(Kind::Host),
        python_file_is_not_host: "setup.py" => None,
        namespace_is_not_host: "google.cloud" => None,
        reverse_dns_is_not_host: "com.apple.xpc.launchd" => None,
        field_path_is_not_host: "request.user.id" => None,
        mac: "00:1a:2b:3c:4d:5e" => Some(Kind::Hex),
        long_mac: "FF:F2:9F:16:E5:2F:00:0D:60:E9:1A:D0" => Some(Kind::Hex),
        dotted_words: "SessionMiddleware" => None,
    }
}
