//! What counts as a secret: the one definition that masking and the report's
//! scrubber share. The families and their conventions are listed on
//! [`SecretKind`]; the rules the masker applies token by token are at the end
//! of this file.

use std::sync::LazyLock;

use crate::{Kind, Masker};

/// A family of secrets: what counts as one is defined once, here, for
/// masking and scrubbing alike.
///
/// The masker replaces every secret with `<token>` (or `<jwt>`), so no
/// template, fingerprint or cluster title carries one; [`find_secrets`] runs
/// the same masker and reports those replacements, plus the secrets inside
/// the larger values it replaced whole (a URL's password, a credential in a
/// quoted value or a list), so the report (`gardener-report`'s
/// `scrub_secrets`) removes exactly what masking hides. Each family follows
/// the convention named:
///
/// | family | what | convention |
/// |---|---|---|
/// | [`Credential`](SecretKind::Credential) | the word after `Bearer`, `Basic` or `Token` | RFC 6750, RFC 7617 (token68), Django REST framework |
/// | [`Jwt`](SecretKind::Jwt) | `eyJ...` `.` payload `.` signature | RFC 7519 (JWS compact serialization) |
/// | [`ApiKey`](SecretKind::ApiKey) | provider key shapes (Google, AWS, GitHub, GitLab, Slack, Stripe, `sk-`) | the providers' documented prefixes |
/// | [`SecretValue`](SecretKind::SecretValue) | the value of a secret-named key: `password=..`, `"api_key": ".."`, `token: ..` | key-value logging, JSON |
/// | [`UrlPassword`](SecretKind::UrlPassword) | the password of `scheme://user:password@host` | RFC 3986 userinfo |
/// | [`PrivateKey`](SecretKind::PrivateKey) | a PEM private key block | RFC 7468 |
///
/// A credential after an authentication scheme is a run of token68
/// characters (`A-Z a-z 0-9 - . _ ~ + / =`) of eight or more, unless it reads
/// as a word of prose: letters only, lower case after the first (`Bearer
/// Authentication failed`, `basic fallback`). So `Bearer ABCDEFGHIJKLMNOP` and
/// `Bearer aaaAaaaaaaAa` are credentials, `Bearer Abcdefghijkl` is not; nor
/// is an auth-param, a lower-case name and `=` (`Bearer realm="api"`), while
/// base64 padding stays part of a credential (`Basic dXNlcjpwYXNzd29yZA==`).
/// Values that already hide a secret (`REDACTED`, `***`, `[REDACTED:jwt]`,
/// `<token>`) are never secrets themselves ([`is_redaction_marker`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SecretKind {
    /// The credential after `Bearer`, `Basic` or `Token`.
    Credential,
    /// A JSON Web Token.
    Jwt,
    /// A provider API key (`AKIA...`, `ghp_...`, `AIza...`, `sk-...`).
    ApiKey,
    /// The value of a key named like a secret (`password`, `client_secret`, `api-key`).
    SecretValue,
    /// The password in a URL's userinfo.
    UrlPassword,
    /// A PEM private key block.
    PrivateKey,
}

impl SecretKind {
    /// A short name: `credential`, `jwt`, `api-key`, `secret-value`,
    /// `url-password`, `private-key`.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::Credential => "credential",
            SecretKind::Jwt => "jwt",
            SecretKind::ApiKey => "api-key",
            SecretKind::SecretValue => "secret-value",
            SecretKind::UrlPassword => "url-password",
            SecretKind::PrivateKey => "private-key",
        }
    }
}

/// A secret found in a text: its family and its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secret {
    /// Which family.
    pub kind: SecretKind,
    /// Start of the secret in the text.
    pub start: usize,
    /// End (exclusive) of the secret in the text.
    pub end: usize,
}

/// The masker whose decisions define what a secret is.
static MASKER: LazyLock<Masker> = LazyLock::new(Masker::new);

/// The same masker knowing only secrets, for the inside of larger values.
static SECRETS_ONLY: LazyLock<Masker> = LazyLock::new(|| {
    let mut builder = Masker::builder();
    for kind in Kind::ALL {
        if !matches!(kind, Kind::Token | Kind::Jwt) {
            builder = builder.disable(kind);
        }
    }
    builder.build().unwrap_or_default()
});

/// Every secret in `text`, in order. Masking hides each of them (inside
/// `<token>`, `<jwt>` or a larger placeholder such as `<url>` or `<quoted>`).
///
/// ```
/// use gardener_fingerprint::{find_secrets, SecretKind};
/// let text = "login password=hunter22 with Authorization: Bearer abcdefgh12345678";
/// let found: Vec<(SecretKind, &str)> = find_secrets(text)
///     .iter()
///     .map(|secret| (secret.kind, &text[secret.start..secret.end]))
///     .collect();
/// assert_eq!(
///     found,
///     [(SecretKind::SecretValue, "hunter22"), (SecretKind::Credential, "abcdefgh12345678")]
/// );
/// assert!(find_secrets("Bearer Authentication failed, password reset").is_empty());
/// ```
pub fn find_secrets(text: &str) -> Vec<Secret> {
    let secret = |kind: Kind, start: usize, end: usize| {
        let (start, end) = unquoted(text, start, end);
        Secret {
            kind: family(text, kind, start, end),
            start,
            end,
        }
    };
    let mut found = Vec::new();
    for replacement in MASKER.mask(text).replacements {
        let (start, end) = (replacement.start, replacement.end);
        match replacement.kind {
            Kind::Token | Kind::Jwt => found.push(secret(replacement.kind, start, end)),
            Kind::Url | Kind::Quoted | Kind::List => {
                for inner in SECRETS_ONLY.mask(&text[start..end]).replacements {
                    found.push(secret(inner.kind, start + inner.start, start + inner.end));
                }
            }
            _ => {}
        }
    }
    found
}

/// A secret value replaced with its quotes (`password='hunter2'`): the
/// secret is what is between them.
fn unquoted(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    match (bytes[start], bytes[end - 1]) {
        (open @ (b'"' | b'\''), close) if end - start >= 2 && open == close => (start + 1, end - 1),
        _ => (start, end),
    }
}

/// Which family a masked secret belongs to, from its text and what precedes it.
fn family(text: &str, kind: Kind, start: usize, end: usize) -> SecretKind {
    let value = &text[start..end];
    let before = text[..start].trim_end_matches([' ', '\t']);
    if kind == Kind::Jwt {
        SecretKind::Jwt
    } else if value.starts_with("-----BEGIN") {
        SecretKind::PrivateKey
    } else if is_api_key(value) {
        SecretKind::ApiKey
    } else if before.len() < start && ends_with_scheme(before.as_bytes()) {
        SecretKind::Credential
    } else if text[end..].starts_with('@') && before.ends_with(':') && before.contains("://") {
        SecretKind::UrlPassword
    } else {
        SecretKind::SecretValue
    }
}

/// Whether `text` ends with an authentication scheme: its last word, the
/// letters after the last character that is not a letter, digit or `_`
/// (`Bearer`, `Authorization:Bearer`, `?auth=Bearer`).
fn ends_with_scheme(text: &[u8]) -> bool {
    // Most words end in another letter: `bearer`, `basic`, `token` end in r, c, n.
    if !text
        .last()
        .is_some_and(|b| matches!(b.to_ascii_lowercase(), b'r' | b'c' | b'n'))
    {
        return false;
    }
    let letters = text
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    let before = text.len() - letters;
    let boundary =
        before == 0 || !(text[before - 1].is_ascii_alphanumeric() || text[before - 1] == b'_');
    boundary && is_auth_scheme(&text[before..])
}

/// Whether `value` already hides a secret: a logger's `REDACTED`,
/// `[FILTERED]` or `***`, the report's `[REDACTED:kind]`, or a placeholder
/// such as `<token>`.
///
/// ```
/// use gardener_fingerprint::is_redaction_marker;
/// assert!(is_redaction_marker("[REDACTED:credential]"));
/// assert!(is_redaction_marker("<token>"));
/// assert!(!is_redaction_marker("hunter2"));
/// ```
pub fn is_redaction_marker(value: &str) -> bool {
    let is_placeholder = value.len() > 2
        && value.starts_with('<')
        && value.ends_with('>')
        && value[1..value.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || matches!(b, b'*' | b'_' | b'-'));
    let inner = value.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')' | '"' | '\''));
    is_placeholder
        || matches!(inner, "REDACTED" | "Redacted" | "redacted" | "FILTERED")
        || inner.starts_with("REDACTED:")
        || (!inner.is_empty() && inner.bytes().all(|b| b == b'*'))
}

// ---------------------------------------------------------------------------
// The rules the masker applies, token by token.
// ---------------------------------------------------------------------------

/// `Bearer`, `Basic`, `Token` (any case): an HTTP authentication scheme
/// whose next word is a credential.
pub(crate) fn is_auth_scheme(word: &[u8]) -> bool {
    word.eq_ignore_ascii_case(b"bearer")
        || word.eq_ignore_ascii_case(b"basic")
        || word.eq_ignore_ascii_case(b"token")
}

/// When the token `bytes[start..end]` ends with an authentication scheme
/// (`Bearer`, `Authorization:Bearer`) followed by spaces and a credential:
/// the credential's range.
pub(crate) fn scheme_credential(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    if !ends_with_scheme(&bytes[start..end]) {
        return None;
    }
    let spaces = bytes[end..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    if spaces == 0 {
        return None;
    }
    let value_start = end + spaces;
    let run = bytes[value_start..]
        .iter()
        .take_while(|&&b| is_token68(b))
        .count();
    let mut value_end = value_start + run;
    // An auth-param (`realm="x"`, `error=invalid_token`) is not a
    // credential: a lower-case name before `=`. A credential's `=` is base64
    // padding after mixed characters (`dXNlcjpwYXNzd29yZA==`), also right
    // before the quote that closes a JSON string.
    if let Some(eq) = bytes[value_start..value_end]
        .iter()
        .position(|&b| b == b'=')
    {
        let name = &bytes[value_start..value_start + eq];
        if !name.is_empty()
            && name
                .iter()
                .all(|&b| b.is_ascii_lowercase() || b == b'_' || b == b'-')
        {
            return None;
        }
    }
    // A full stop after the word ends the sentence.
    while value_end > value_start && bytes[value_end - 1] == b'.' {
        value_end -= 1;
    }
    let value = &bytes[value_start..value_end];
    let marker = std::str::from_utf8(value).is_ok_and(is_redaction_marker);
    (value.len() >= 8 && !is_prose_word(value) && !marker).then_some((value_start, value_end))
}

/// RFC 7235 token68: `A-Z a-z 0-9 - . _ ~ + /` and `=` padding.
fn is_token68(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
}

/// Letters only, lower case after the first: `fallback`, `Authentication`.
fn is_prose_word(value: &[u8]) -> bool {
    value.first().is_some_and(u8::is_ascii_alphabetic)
        && value[1..].iter().all(u8::is_ascii_lowercase)
}

/// `eyJ` (base64url of `{"`) header `.` payload `.` signature, each in
/// base64url; the signature may be empty or missing (a token cut short).
pub(crate) fn is_jwt(token: &str) -> bool {
    if !token.starts_with("eyJ") || token.len() < 20 {
        return false;
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), signature) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    parts.next().is_none()
        && header.len() >= 8
        && payload.len() >= 5
        && is_base64url(header)
        && is_base64url(payload)
        && signature.is_none_or(|s| s.is_empty() || is_base64url(s))
}

fn is_base64url(part: &str) -> bool {
    !part.is_empty()
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A provider API key, as the provider documents its shape: Google API keys
/// (`AIza` + 35) and OAuth access tokens (`ya29.`), AWS access key ids
/// (`AKIA`/`ASIA` + 16), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`,
/// `ghr_` + 36; `github_pat_`), GitLab personal tokens (`glpat-`), Slack
/// tokens (`xoxb-` ...), Stripe keys (`sk_live_` ...), OpenAI and
/// Anthropic-style `sk-` keys.
pub(crate) fn is_api_key(token: &str) -> bool {
    let bytes = token.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if !matches!(first, b'A' | b'y' | b'g' | b'x' | b's' | b'r') || bytes.len() < 20 {
        return false;
    }
    let rest_is = |prefix: usize, min: usize, allowed: fn(u8) -> bool| {
        bytes.len() >= prefix + min && bytes[prefix..].iter().all(|&b| allowed(b))
    };
    let alphanumeric = |b: u8| b.is_ascii_alphanumeric();
    let url_safe = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let upper = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    let dashed = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    match bytes {
        [b'A', b'I', b'z', b'a', ..] => rest_is(4, 35, url_safe),
        [b'y', b'a', b'2', b'9', b'.', ..] => rest_is(5, 20, url_safe),
        [b'A', b'K' | b'S', b'I', b'A', ..] => bytes.len() == 20 && rest_is(4, 16, upper),
        [b'g', b'h', b'p' | b'o' | b'u' | b's' | b'r', b'_', ..] => rest_is(4, 36, alphanumeric),
        _ if token.starts_with("github_pat_") => rest_is(11, 22, word),
        _ if token.starts_with("glpat-") => rest_is(6, 20, url_safe),
        [b'x', b'o', b'x', b'a' | b'b' | b'p' | b'o' | b's' | b'r', b'-', ..] => {
            rest_is(5, 10, dashed)
        }
        [b's' | b'r', b'k', b'_', ..]
            if token[3..].starts_with("live_") || token[3..].starts_with("test_") =>
        {
            rest_is(8, 16, alphanumeric)
        }
        [b's', b'k', b'-', ..] => rest_is(3, 20, url_safe),
        _ => false,
    }
}

/// Names of keys whose values are secrets, as the last word (or last two
/// words) of a key split at `_`, `-` and case changes: `password`,
/// `db_password`, `client_secret`, `accessToken`, `x-api-key`, `PRIVATE_KEY`.
const SECRET_NAMES: [&str; 11] = [
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "apikey",
    "privatekey",
    "secretkey",
];
/// Two-word names: `api_key`, `private-key`, `secretKey`, `access_key`.
const SECRET_NAME_PAIRS: [(&str, &str); 4] = [
    ("api", "key"),
    ("private", "key"),
    ("secret", "key"),
    ("access", "key"),
];

/// The bytes a secret name ends with, either case (`d` of `password`,
/// `y` of `api_key`...), from [`SECRET_NAMES`] and [`SECRET_NAME_PAIRS`].
static NAME_ENDS: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < SECRET_NAMES.len() + SECRET_NAME_PAIRS.len() {
        let name = if i < SECRET_NAMES.len() {
            SECRET_NAMES[i].as_bytes()
        } else {
            SECRET_NAME_PAIRS[i - SECRET_NAMES.len()].1.as_bytes()
        };
        let last = name[name.len() - 1];
        table[last.to_ascii_lowercase() as usize] = true;
        table[last.to_ascii_uppercase() as usize] = true;
        i += 1;
    }
    table
};

/// Whether the key `word` (its part after the last character that is not a
/// letter, digit, `_` or `-`, so `?token`, `db.password` and `--password`
/// count) names a secret.
pub(crate) fn is_secret_name(word: &[u8]) -> bool {
    let name_start = word
        .iter()
        .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .map_or(0, |i| i + 1);
    let name = &word[name_start..];
    // Most keys end in a letter no secret name ends in: decided at once.
    if name.len() < 3 || !NAME_ENDS[usize::from(name[name.len() - 1])] {
        return false;
    }
    // The last two words of the name, split at `_`, `-` and lower-to-upper case.
    let mut words: [&[u8]; 2] = [&[], &[]];
    let mut end = name.len();
    for index in (0..name.len()).rev() {
        let byte = name[index];
        let separator = byte == b'_' || byte == b'-';
        let camel = index > 0 && byte.is_ascii_uppercase() && name[index - 1].is_ascii_lowercase();
        if separator || camel || index == 0 {
            let start = if separator { index + 1 } else { index };
            if start < end {
                words = [&name[start..end], words[0]];
                if !words[1].is_empty() {
                    break;
                }
            }
            end = index;
        }
    }
    let [first, last] = match words {
        [only, []] => [&[][..], only],
        pair => pair,
    };
    SECRET_NAMES
        .iter()
        .any(|name| last.eq_ignore_ascii_case(name.as_bytes()))
        || SECRET_NAME_PAIRS.iter().any(|(a, b)| {
            first.eq_ignore_ascii_case(a.as_bytes()) && last.eq_ignore_ascii_case(b.as_bytes())
        })
}

/// The value after a secret-named key that ends at `key_end`: `=` or `:`,
/// with optional spaces, quotes and JSON's escaped quotes around them
/// (`password=x`, `"password": "x"`, `\"client_secret\": \"x\"`, `token: x`).
/// Returns the range of the value and whether it is quoted, with the same
/// quote right before and after it. A value is three bytes or more: up to the
/// closing quote when quoted, else up to a space, quote, `\`, `,`, `;`, `&`,
/// `}` or `=`. Markers ([`is_redaction_marker`]) are not values.
pub(crate) fn secret_value(
    bytes: &[u8],
    key_start: usize,
    key_end: usize,
) -> Option<(usize, usize, bool)> {
    // In escaped JSON the key's token ends with the backslash of `\"`.
    let key = &bytes[key_start..key_end];
    let key = key.strip_suffix(b"\\").unwrap_or(key);
    // Most keys end in a byte no secret name ends in: no need to look further.
    if !key.last().is_some_and(|&b| NAME_ENDS[usize::from(b)]) {
        return None;
    }
    let mut i = key_end;
    let skip = |i: &mut usize, byte: u8| {
        if bytes.get(*i) == Some(&byte) {
            *i += 1;
        }
    };
    let skip_spaces = |i: &mut usize| {
        while matches!(bytes.get(*i), Some(b' ' | b'\t')) {
            *i += 1;
        }
    };
    skip(&mut i, b'\\');
    if matches!(bytes.get(i), Some(b'"' | b'\'')) {
        i += 1;
    }
    skip_spaces(&mut i);
    if !matches!(bytes.get(i), Some(b'=' | b':')) {
        return None;
    }
    i += 1;
    skip_spaces(&mut i);
    skip(&mut i, b'\\');
    let quote = match bytes.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            i += 1;
            Some(q)
        }
        _ => None,
    };
    if !is_secret_name(key) {
        return None;
    }
    let value_start = i;
    let value_end = match quote {
        Some(q) => {
            let close = bytes[i..]
                .iter()
                .take(256)
                .position(|&b| b == q || b == b'\n' || b == b'\\')?;
            value_start + close
        }
        None => {
            let run = bytes[i..]
                .iter()
                .take_while(|&&b| {
                    !(b.is_ascii_whitespace()
                        || matches!(b, b'"' | b'\'' | b'\\' | b',' | b';' | b'&' | b'}' | b'='))
                })
                .count();
            value_start + run
        }
    };
    let value = std::str::from_utf8(&bytes[value_start..value_end]).ok()?;
    if value.len() < 3 || is_redaction_marker(value) || starts_with_placeholder(value) {
        return None;
    }
    let quoted = quote.is_some_and(|q| bytes.get(value_end) == Some(&q));
    Some((value_start, value_end, quoted))
}

/// `<token>...`: a value masking has already replaced, with text after it,
/// also after punctuation (`(<size>`: `(0 bytes` was too short to be a
/// secret, and must stay one after masking).
fn starts_with_placeholder(value: &str) -> bool {
    let value = value.trim_start_matches(|c: char| c.is_ascii_punctuation() && c != '<');
    value.strip_prefix('<').is_some_and(|rest| {
        rest.split_once('>').is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || matches!(b, b'*' | b'_' | b'-'))
        })
    })
}

/// The password of `scheme://user:password@host` in the token
/// `bytes[start..end]`.
pub(crate) fn url_password(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let token = &bytes[start..end];
    let authority = token.windows(3).position(|w| w == b"://")? + 3;
    let userinfo_len = token[authority..]
        .iter()
        .take_while(|&&b| !matches!(b, b'/' | b'?' | b'#'))
        .position(|&b| b == b'@')?;
    let userinfo = &token[authority..authority + userinfo_len];
    let colon = userinfo.iter().position(|&b| b == b':')?;
    let password = &userinfo[colon + 1..];
    let marker = std::str::from_utf8(password).is_ok_and(is_redaction_marker);
    let password_start = start + authority + colon + 1;
    (!password.is_empty() && !marker).then_some((password_start, password_start + password.len()))
}

/// Length of a PEM private key block (`-----BEGIN RSA PRIVATE KEY-----` ...
/// `-----END RSA PRIVATE KEY-----`) at the start of `bytes`; a block cut
/// short runs to the end of the text.
pub(crate) fn private_key_len(bytes: &[u8]) -> Option<usize> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const LABEL_END: &[u8] = b"PRIVATE KEY-----";
    if !bytes.starts_with(BEGIN) {
        return None;
    }
    let label = bytes[BEGIN.len()..]
        .iter()
        .take(40)
        .take_while(|&&b| b.is_ascii_uppercase() || b == b' ')
        .count();
    if !bytes[BEGIN.len() + label..].starts_with(b"-----")
        || !bytes[..BEGIN.len() + label + 5].ends_with(LABEL_END)
    {
        return None;
    }
    let body = BEGIN.len() + label + 5;
    let end = bytes[body..]
        .windows(b"-----END ".len())
        .position(|w| w == b"-----END ")
        .and_then(|at| {
            let footer = body + at;
            let close = bytes[footer + 9..]
                .windows(LABEL_END.len())
                .take(40)
                .position(|w| w == LABEL_END)?;
            Some(footer + 9 + close + LABEL_END.len())
        });
    Some(end.unwrap_or(bytes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! finds {
        ($($name:ident: $input:expr => [$(($kind:ident, $secret:expr)),* $(,)?],)*) => {$(
            #[test]
            fn $name() {
                let text: &str = $input;
                let found: Vec<(SecretKind, &str)> = find_secrets(text)
                    .iter()
                    .map(|s| (s.kind, &text[s.start..s.end]))
                    .collect();
                let expected: Vec<(SecretKind, &str)> = vec![$((SecretKind::$kind, $secret)),*];
                assert_eq!(found, expected, "input {:?}", text);
            }
        )*};
    }

    finds! {
        bearer: "Authorization: Bearer abc123def456ghi" => [(Credential, "abc123def456ghi")],
        bearer_upper_case_letters: "Bearer ABCDEFGHIJKLMNOP" => [(Credential, "ABCDEFGHIJKLMNOP")],
        bearer_mixed_case_letters: "Bearer aaaAaaaaaaAa" => [(Credential, "aaaAaaaaaaAa")],
        bearer_capitalized_word_is_prose: "Bearer Abcdefghijkl" => [],
        bearer_prose: "Bearer Authentication failed" => [],
        basic_prose: "allowing basic fallback for users" => [],
        basic: "Authorization: Basic dXNlcjpwYXNzd29yZA==" => [(Credential, "dXNlcjpwYXNzd29yZA==")],
        scheme_after_colon: "Authorization:Bearer abc123def456" => [(Credential, "abc123def456")],
        token_scheme: "Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b" =>
            [(Credential, "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b")],
        short_value_is_no_credential: "Bearer abc123" => [],
        sentence_end_is_not_part: "sent Bearer abc123def456." => [(Credential, "abc123def456")],
        auth_param_is_no_credential: r#"WWW-Authenticate: Bearer error_description="expired""# => [],
        unquoted_auth_param_is_no_credential: "WWW-Authenticate: Bearer error=invalid_token" => [],
        padded_credential_in_json: r#"{"Authorization": "Basic dXNlcjpwYXNzd29yZA=="}"# =>
            [(Credential, "dXNlcjpwYXNzd29yZA==")],
        key_of_a_redacted_value_is_no_credential: "Bearer password=[REDACTED:secret-value]='" => [],
        marker_after_bearer: "Bearer REDACTED" => [],
        jwt: "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c ok" =>
            [(Jwt, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")],
        jwt_cut_before_signature: "jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMj" =>
            [(Jwt, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMj")],
        aws_key: "AKIAIOSFODNN7EXAMPLE used" => [(ApiKey, "AKIAIOSFODNN7EXAMPLE")],
        google_key: "key AIzaSyA1234567890abcdefghijklmnopqrstu- x" =>
            [(ApiKey, "AIzaSyA1234567890abcdefghijklmnopqrstu-")],
        github_token: "ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked" =>
            [(ApiKey, "ghp_abcdefghijklmnopqrstuvwxyz0123456789")],
        openai_style_key: "key sk-proj-abcdefghijklmnopqrstuvwx" => [(ApiKey, "sk-proj-abcdefghijklmnopqrstuvwx")],
        password_key_value: "login failed password=hunter2 for bob" => [(SecretValue, "hunter2")],
        password_quoted: "login password='hunter2' denied" => [(SecretValue, "hunter2")],
        password_with_spaces_quoted: r#"password="correct horse""# => [(SecretValue, "correct horse")],
        password_json: r#"{"password": "hunter2"}"# => [(SecretValue, "hunter2")],
        escaped_json: r#"{\"client_secret\": \"abcd1234\"}"# => [(SecretValue, "abcd1234")],
        compound_key: "db_password=s3cret! x-api-key=abc123 accessToken: qwerty" =>
            [(SecretValue, "s3cret!"), (SecretValue, "abc123"), (SecretValue, "qwerty")],
        query_parameter: "GET /cb?token=abc123xyz&x=1" => [(SecretValue, "abc123xyz")],
        not_a_secret_name: "token_count=5 tokens=12 secretary=bob" => [],
        password_in_prose: "Failed password for root from 10.0.0.1" => [],
        marker_values: "auth=REDACTED password=*** token=<token> secret=[REDACTED:secret-value]" => [],
        url_password: "postgres://app:s3cr3t@10.0.0.5:5432/db" => [(UrlPassword, "s3cr3t")],
        url_password_in_known_scheme: "GET https://bob:hunter22@db.internal/x" => [(UrlPassword, "hunter22")],
        private_key: "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- done" =>
            [(PrivateKey, "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----")],
        private_key_cut_short: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq" =>
            [(PrivateKey, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq")],
        public_key_is_no_secret: "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----" => [],
        plain_text: "Database initialization timeout after 8.0s" => [],
    }

    #[test]
    fn markers() {
        for marker in [
            "REDACTED",
            "[REDACTED]",
            "***",
            "[FILTERED]",
            "[REDACTED:jwt]",
            "<token>",
            "<*>",
        ] {
            assert!(is_redaction_marker(marker), "{marker}");
        }
        for value in ["", "hunter2", "<b>bold", "redaction"] {
            assert!(!is_redaction_marker(value), "{value}");
        }
    }

    macro_rules! names {
        ($($name:ident: $word:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(is_secret_name($word.as_bytes()), $expected, "word {:?}", $word);
            }
        )*};
    }

    names! {
        name_password: "password" => true,
        name_upper_snake: "DB_PASSWORD" => true,
        name_camel: "accessToken" => true,
        name_pair: "x-api-key" => true,
        name_pair_camel: "secretKey" => true,
        name_after_dot: "spring.datasource.password" => true,
        name_after_query: "/cb?token" => true,
        name_plural_is_not: "tokens" => false,
        name_count_is_not: "token_count" => false,
        name_longer_word_is_not: "secretary" => false,
        name_key_alone_is_not: "key" => false,
    }
}
