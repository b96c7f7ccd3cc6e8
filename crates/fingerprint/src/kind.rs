//! The kinds of variable value the masker recognises, and the rules for each.
//!
//! This is the one place that says what counts as a variable. Each kind names
//! its placeholder and the convention it follows; the scanner in
//! [`crate::mask`] tries them, in the order of [`Kind::ALL`], on every token.

use std::fmt;

use serde::{Deserialize, Serialize};

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
    /// The credential after `Bearer ` or `Basic `.
    Token,
    /// `user@example.com`, also `***@example.com`.
    Email,
    /// A URL with a scheme (`https://`, `wss://`, `gs://` ...).
    Url,
    /// An RFC 4122 UUID, `8-4-4-4-12` hex digits.
    Uuid,
    /// A date and time: RFC 3339 / ISO 8601, `2025-09-14 00:27:04 +0000`,
    /// a bare date (`2025-09-14`) or clock time (`00:27:04.123`).
    Timestamp,
    /// An IPv4 address (optionally with `:port`) or an IPv6 address.
    Ip,
    /// A host name ending in a common top-level domain (`api.example.com`).
    Host,
    /// `0x`-prefixed hex, or 8+ hex digits that include a digit (hashes,
    /// Cloud Run insertIds and instance ids, trace ids).
    Hex,
    /// A number with a time unit: `8.0s`, `1234ms`, `0.5µs`, `3m`, `2h`.
    Duration,
    /// A number with a size unit: `512MiB`, `10KB`, `3G`.
    Size,
    /// An integer or decimal number, signed, with optional exponent or `%`.
    Number,
    /// A token mixing letters and digits: `demo-user-017`, `blk_-6952`,
    /// `defensive_auth_7f3a`, `pid12`.
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

/// Classifies a whole token; `enabled` is a bit set of [`Kind::bit`].
pub(crate) fn classify(token: &str, enabled: u32) -> Option<Kind> {
    let on = |kind: Kind| enabled & kind.bit() != 0;
    let bytes = token.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let has_digit = bytes.iter().any(u8::is_ascii_digit);
    if on(Kind::Redacted) && is_redacted(token) {
        return Some(Kind::Redacted);
    }
    if on(Kind::Jwt) && is_jwt(token) {
        return Some(Kind::Jwt);
    }
    if on(Kind::Email) && is_email(token) {
        return Some(Kind::Email);
    }
    if on(Kind::Url) && is_url(token) {
        return Some(Kind::Url);
    }
    if !has_digit {
        if on(Kind::Host) && is_host(token) {
            return Some(Kind::Host);
        }
        return None;
    }
    if on(Kind::Uuid) && is_uuid(bytes) {
        return Some(Kind::Uuid);
    }
    if on(Kind::Timestamp) && (is_date_time(bytes) || is_clock_time(bytes)) {
        return Some(Kind::Timestamp);
    }
    if on(Kind::Ip) && (is_ipv4_with_port(bytes) || is_ipv6(token)) {
        return Some(Kind::Ip);
    }
    if let Some(unit_start) = number_prefix_len(bytes) {
        let unit = &token[unit_start..];
        if unit.is_empty() || unit == "%" {
            if on(Kind::Number) {
                return Some(Kind::Number);
            }
        } else if is_duration_unit(unit) {
            if on(Kind::Duration) {
                return Some(Kind::Duration);
            }
        } else if is_size_unit(unit) && on(Kind::Size) {
            return Some(Kind::Size);
        }
    }
    if on(Kind::Hex) && is_hex(bytes) {
        return Some(Kind::Hex);
    }
    if on(Kind::Host) && is_host(token) {
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

fn is_base64url(part: &str) -> bool {
    !part.is_empty()
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
}

/// `eyJhbGciOi...` `.` payload `.` signature.
fn is_jwt(token: &str) -> bool {
    if !token.starts_with("eyJ") || token.len() < 20 {
        return false;
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), signature) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    parts.next().is_none()
        && is_base64url(header)
        && is_base64url(payload)
        && signature.is_none_or(|s| s.is_empty() || is_base64url(s))
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
        token.len() > scheme.len() && token[..scheme.len()].eq_ignore_ascii_case(scheme)
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

fn digits(bytes: &[u8], count: usize) -> bool {
    bytes.len() >= count && bytes[..count].iter().all(u8::is_ascii_digit)
}

/// `2025-09-14`, `2025/09/14`, `2025-09-14T00:27:04.376Z`, `2025-09-14T00:27:04+00:00`.
pub(crate) fn is_date_time(bytes: &[u8]) -> bool {
    let is_date = digits(bytes, 4)
        && bytes.len() >= 10
        && matches!(bytes[4], b'-' | b'/')
        && bytes[7] == bytes[4]
        && digits(&bytes[5..], 2)
        && digits(&bytes[8..], 2);
    if !is_date {
        return false;
    }
    let rest = &bytes[10..];
    if rest.is_empty() {
        return true;
    }
    matches!(rest[0], b'T' | b't' | b'_') && is_clock_time_with_zone(&rest[1..])
}

/// `00:27:04`, `00:27:04.376098`, `00:27`, `00:27:04,123` (log4j).
pub(crate) fn is_clock_time(bytes: &[u8]) -> bool {
    is_clock_time_with_zone(bytes)
}

fn is_clock_time_with_zone(bytes: &[u8]) -> bool {
    if !(digits(bytes, 2) && bytes.len() >= 5 && bytes[2] == b':' && digits(&bytes[3..], 2)) {
        return false;
    }
    let mut rest = &bytes[5..];
    if rest.first() == Some(&b':') && digits(&rest[1..], 2) {
        rest = &rest[3..];
    }
    if matches!(rest.first(), Some(b'.' | b',')) {
        let fraction = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if fraction == 0 {
            return false;
        }
        rest = &rest[1 + fraction..];
    }
    match rest {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', zone @ ..] => {
            matches!(zone.len(), 2 | 4 | 5)
                && zone
                    .iter()
                    .enumerate()
                    .all(|(i, b)| b.is_ascii_digit() || (i == 2 && *b == b':'))
        }
        _ => false,
    }
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

fn is_ipv4_with_port(bytes: &[u8]) -> bool {
    match bytes.iter().rposition(|&b| b == b':') {
        Some(colon) => {
            is_ipv4(&bytes[..colon])
                && colon + 1 < bytes.len()
                && bytes[colon + 1..].iter().all(u8::is_ascii_digit)
        }
        None => is_ipv4(bytes),
    }
}

/// IPv6: hex groups separated by `:` with at least two colons, optional `::`,
/// optional `[...]:port` brackets and trailing dotted IPv4.
fn is_ipv6(token: &str) -> bool {
    let token = token.strip_prefix('[').map_or(token, |rest| {
        rest.split_once(']')
            .map_or(rest, |(address, _port)| address)
    });
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

const TOP_LEVEL_DOMAINS: [&str; 16] = [
    "com", "net", "org", "io", "ai", "dev", "app", "cloud", "co", "edu", "gov", "internal",
    "local", "run", "uk", "de",
];

/// `api.staging.example.com`: dot-separated labels of letters, digits and
/// `-`, ending in a common top-level domain. Underscores rule out module paths.
fn is_host(token: &str) -> bool {
    let labels = token.split('.').count();
    if labels < 3 || token.len() > 253 {
        return false;
    }
    let Some(tld) = token.rsplit('.').next() else {
        return false;
    };
    TOP_LEVEL_DOMAINS.contains(&tld)
        && token.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
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

/// Letters and digits mixed (with `-`, `_`, `.`, `:` between): an identifier
/// that varies per entity. The caller already knows the token has a digit.
fn is_mixed_id(bytes: &[u8]) -> bool {
    bytes.iter().any(u8::is_ascii_alphabetic)
        && bytes.iter().all(|&b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'_' | b'.' | b'$' | b'#' | b'+' | b'~')
                || b >= 0x80
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: u32 = u32::MAX;

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
        dotted_words: "SessionMiddleware" => None,
    }
}
