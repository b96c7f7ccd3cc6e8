//! Removing secrets from text that came from a log, before anything is rendered.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::worklog::ValueCount;

/// One kind of secret and the pattern that finds it.
struct SecretPattern {
    name: &'static str,
    regex: Regex,
    /// Capture group holding the secret; the rest of the match is kept.
    group: usize,
    /// Whether a captured value really is a secret.
    accept: fn(&str) -> bool,
}

fn pattern(name: &'static str, source: &str, group: usize) -> SecretPattern {
    SecretPattern {
        name,
        // The patterns are constants checked by the tests below.
        regex: Regex::new(source).expect("secret patterns are valid"),
        group,
        accept: |_| true,
    }
}

/// `Basic functionality` and `Bearer Authentication` are prose,
/// `Bearer aaaAaaaaaaAa` or `Basic dXNlcjpw` a credential: a word is a
/// credential unless it is letters only, lowercase after its first letter.
fn looks_like_credential(value: &str) -> bool {
    let mut chars = value.chars();
    let rest_is_lowercase = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_lowercase());
    !rest_is_lowercase
}

/// The secret patterns, each with the convention it follows.
static SECRET_PATTERNS: LazyLock<Vec<SecretPattern>> = LazyLock::new(|| {
    vec![
        // PEM private keys (RFC 7468), whole block.
        pattern(
            "private-key",
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
            0,
        ),
        // JSON Web Tokens (RFC 7519): base64url header starting `eyJ` (`{"`),
        // payload, signature; also when cut before the signature.
        pattern(
            "jwt",
            r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*)?",
            0,
        ),
        // HTTP Authorization credentials (RFC 6750 Bearer, RFC 7617 Basic).
        SecretPattern {
            accept: looks_like_credential,
            ..pattern(
                "credential",
                r"(?i)\b(?:bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,})",
                1,
            )
        },
        // user:password@ in URLs (RFC 3986 userinfo).
        pattern(
            "url-password",
            r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@",
            1,
        ),
        // Well-known API key shapes: Google API keys and OAuth access tokens,
        // AWS access key ids, GitHub tokens (classic and fine-grained), GitLab
        // personal tokens, Slack, Stripe, OpenAI/Anthropic-style `sk-` keys.
        // No `\b` after the key: keys may end in `-`, and a longer run only
        // means its first part is redacted.
        pattern(
            "api-key",
            r"\b(AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,})",
            1,
        ),
        // key=value and "key": "value" for secret-named keys.
        pattern(
            "secret-value",
            r#"(?i)\b(?:password|passwd|pwd|passphrase|secret|api[_-]?key|apikey|token|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|client[_-]?secret|private[_-]?key|credentials?)\b(?:\\?["']?\s*[:=]\s*\\?["']?)([^\s"'\\,;&}]{3,})"#,
            1,
        ),
    ]
});

/// Replaces every secret in `text` with `[REDACTED:<kind>]`.
///
/// Markers a logger already wrote (`REDACTED`, `***`) are left as they are.
///
/// ```
/// use gardener_report::scrub_secrets;
/// let text = "GET https://bob:hunter22@db.internal/x with Authorization: Bearer abcdefgh12345678";
/// assert_eq!(
///     scrub_secrets(text),
///     "GET https://bob:[REDACTED:url-password]@db.internal/x with Authorization: Bearer [REDACTED:credential]"
/// );
/// assert_eq!(scrub_secrets("auth=REDACTED"), "auth=REDACTED");
/// ```
pub fn scrub_secrets(text: &str) -> Cow<'_, str> {
    let mut current: Cow<'_, str> = Cow::Borrowed(text);
    for secret in SECRET_PATTERNS.iter() {
        if !secret.regex.is_match(&current) {
            continue;
        }
        let mut out = String::with_capacity(current.len());
        let mut last = 0;
        for captures in secret.regex.captures_iter(&current) {
            let Some(found) = captures.get(secret.group) else {
                continue;
            };
            if is_marker(found.as_str()) || !(secret.accept)(found.as_str()) {
                continue;
            }
            out.push_str(&current[last..found.start()]);
            out.push_str("[REDACTED:");
            out.push_str(secret.name);
            out.push(']');
            last = found.end();
        }
        out.push_str(&current[last..]);
        current = Cow::Owned(out);
    }
    current
}

/// A value that already hides a secret: a logger's `REDACTED` or `***`, our
/// `[REDACTED:kind]`, or a template placeholder such as `<id>`.
fn is_marker(value: &str) -> bool {
    let is_placeholder = value.len() > 2
        && value.starts_with('<')
        && value.ends_with('>')
        && value[1..value.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'*');
    let value = value.trim_matches(|c| matches!(c, '[' | ']' | '"' | '\''));
    is_placeholder
        || value == "REDACTED"
        || value.starts_with("REDACTED:")
        || value.bytes().all(|b| b == b'*')
}

/// Placeholder kinds whose values are credentials by definition.
const CREDENTIAL_KINDS: [&str; 2] = ["jwt", "token"];

/// Hides the variable values of a template that are secrets in context:
/// every value of a credential placeholder (`<jwt>`, `<token>`), and any
/// value that [`scrub_secrets`] removes once put back in its place in the
/// template (`password=<id>` with `hunter2`). Equal values are merged.
pub(crate) fn redact_variables(template: &str, variables: &mut BTreeMap<String, Vec<ValueCount>>) {
    for (kind, values) in variables.iter_mut() {
        let placeholder = format!("<{kind}>");
        let credential = CREDENTIAL_KINDS.contains(&kind.as_str());
        let mut redacted: Vec<ValueCount> = Vec::with_capacity(values.len());
        for value in values.drain(..) {
            let secret = credential
                || (!is_marker(&value.value)
                    && template.contains(&placeholder)
                    && !scrub_secrets(&template.replace(&placeholder, &value.value))
                        .contains(value.value.as_str()));
            let text = if secret {
                format!("[REDACTED:{kind}]")
            } else {
                value.value
            };
            match redacted.iter_mut().find(|v| v.value == text) {
                Some(existing) => existing.count += value.count,
                None => redacted.push(ValueCount {
                    value: text,
                    count: value.count,
                }),
            }
        }
        *values = redacted;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, u64)]) -> Vec<ValueCount> {
        pairs
            .iter()
            .map(|&(value, count)| ValueCount {
                value: value.to_owned(),
                count,
            })
            .collect()
    }

    macro_rules! redacts {
        ($($name:ident: $template:expr, $kind:expr, $values:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let mut variables = BTreeMap::from([($kind.to_owned(), values(&$values))]);
                redact_variables($template, &mut variables);
                assert_eq!(variables[$kind], values(&$expected), "template {:?}", $template);
            }
        )*};
    }

    redacts! {
        value_after_password_key: "login failed password=<id> for bob", "id",
            [("hunter2x", 2), ("s3cret99", 1)] => [("[REDACTED:id]", 3)],
        credential_kinds_always: "Authorization: Basic <token>", "token",
            [("Zm9vYmFy", 1)] => [("[REDACTED:token]", 1)],
        quoted_value_after_secret_key: "client_secret=<quoted> rejected", "quoted",
            [("'abc123'", 1)] => [("[REDACTED:quoted]", 1)],
        plain_values_stay: "Worker (pid:<num>) exited with code <num>", "num",
            [("3", 9), ("1", 9)] => [("3", 9), ("1", 9)],
        ids_elsewhere_stay: "Multiple manager instances for user <id>", "id",
            [("demo-user-001", 8)] => [("demo-user-001", 8)],
    }

    macro_rules! scrubs {
        ($($name:ident: $input:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(scrub_secrets($input), $expected, "input {:?}", $input);
            }
        )*};
    }

    scrubs! {
        jwt: "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c ok" =>
            "token [REDACTED:jwt] ok",
        bearer: "Authorization: Bearer abc123def456ghi" => "Authorization: Bearer [REDACTED:credential]",
        basic: "Authorization: Basic dXNlcjpwYXNzd29yZA==" => "Authorization: Basic [REDACTED:credential]",
        url_password: "postgres://app:s3cr3t@10.0.0.5:5432/db" => "postgres://app:[REDACTED:url-password]@10.0.0.5:5432/db",
        google_key: "key=AIzaSyA1234567890abcdefghijklmnopqrstuv" => "key=[REDACTED:api-key]",
        aws_key: "AKIAIOSFODNN7EXAMPLE used" => "[REDACTED:api-key] used",
        google_key_ending_in_dash: "k AIzaSyA1234567890abcdefghijklmnopqrstu- x" => "k [REDACTED:api-key] x",
        password_kv: "login failed password=hunter2 for bob" => "login failed password=[REDACTED:secret-value] for bob",
        password_json: r#"{"password": "hunter2"}"# => r#"{"password": "[REDACTED:secret-value]"}"#,
        escaped_json: r#"{\"client_secret\": \"abcd1234\"}"# => r#"{\"client_secret\": \"[REDACTED:secret-value]\"}"#,
        private_key: "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----" => "[REDACTED:private-key]",
        keeps_markers: "Failed to extract auth=REDACTED JWT=REDACTED password=***" => "Failed to extract auth=REDACTED JWT=REDACTED password=***",
        keeps_plain_text: "Database initialization timeout after 8.0s" => "Database initialization timeout after 8.0s",
        keeps_prose_after_basic: "allowing basic functionality for users" => "allowing basic functionality for users",
        keeps_prose_after_bearer: "Bearer Authentication failed" => "Bearer Authentication failed",
        bearer_mixed_case: "Bearer aaaAaaaaaaAa" => "Bearer [REDACTED:credential]",
        jwt_cut_before_signature: "jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMj" => "jwt=[REDACTED:jwt]",
        token_query_parameter: "GET /cb?token=abc123xyz&x=1" => "GET /cb?token=[REDACTED:secret-value]&x=1",
        github_token: "ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked" => "[REDACTED:api-key] leaked",
        openai_style_key: "key sk-proj-abcdefghijklmnopqrstuvwx" => "key [REDACTED:api-key]",
        google_oauth_token: "ya29.a0AfH6SMBxxxxxxxxxxxxxxxxxxxx" => "[REDACTED:api-key]",
        already_scrubbed_is_kept: "Bearer [REDACTED:credential] password=[REDACTED:secret-value]" =>
            "Bearer [REDACTED:credential] password=[REDACTED:secret-value]",
        quoted_password: "login password='hunter2' denied" => "login password='[REDACTED:secret-value]' denied",
        keeps_placeholders: "password=<id> token=<*>" => "password=<id> token=<*>",
        pem_cut_before_end: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq" => "[REDACTED:private-key]",
    }
}
