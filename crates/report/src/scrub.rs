//! Removing secrets from text that came from a log, before anything is rendered.
//!
//! What counts as a secret is defined once, in `gardener-fingerprint`
//! ([`find_secrets`]): the masker hides exactly these values from templates,
//! and this module redacts them from everything else a worklog shows.

use std::borrow::Cow;
use std::collections::BTreeMap;

use gardener_fingerprint::{find_secrets, is_redaction_marker};

use crate::worklog::ValueCount;

/// Replaces every secret in `text` with `[REDACTED:<kind>]`, where the kind
/// is the secret's family: `credential` (after `Bearer`, `Basic`, `Token`),
/// `jwt`, `api-key`, `secret-value` (`password=...`), `url-password`,
/// `private-key`.
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
    let secrets = find_secrets(text);
    if secrets.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for secret in secrets {
        out.push_str(&text[last..secret.start]);
        out.push_str("[REDACTED:");
        out.push_str(secret.kind.name());
        out.push(']');
        last = secret.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
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
                || (!is_redaction_marker(&value.value)
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
        bearer_upper_case_letters: "Bearer ABCDEFGHIJKLMNOP" => "Bearer [REDACTED:credential]",
        bearer_capitalized_word_is_prose: "Bearer Abcdefghijkl" => "Bearer Abcdefghijkl",
        bearer_jwt: "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig" =>
            "Authorization: Bearer [REDACTED:jwt]",
        compound_secret_key: "DB_PASSWORD=s3cret x-api-key: abc123" =>
            "DB_PASSWORD=[REDACTED:secret-value] x-api-key: [REDACTED:secret-value]",
        scrubbing_twice_changes_nothing: "Bearer [REDACTED:credential] https://bob:[REDACTED:url-password]@x.io" =>
            "Bearer [REDACTED:credential] https://bob:[REDACTED:url-password]@x.io",
    }

    // -----------------------------------------------------------------------
    // Masking and scrubbing use one definition of a secret: they agree.
    // -----------------------------------------------------------------------

    use gardener_fingerprint::{Kind, Masker};
    use proptest::prelude::*;

    /// Words as logs write them around credentials: contexts, schemes, keys
    /// with their separators, credential-shaped values and words that only
    /// look like them, joined by spaces.
    fn credential_text() -> impl Strategy<Value = String> {
        let context = prop::sample::select(vec![
            "Authorization:",
            "Authorization:Bearer",
            "failed",
            "for",
            "x=",
            "(",
            "\"",
            "'",
            ",",
            ";",
            "{\"password\":",
            "\"}",
            ":",
            "https://api.example.com/cb?auth=Bearer",
            "https://bob:hunter22@example.com/x",
            "postgres://app:s3cr3t@db:5432/x",
            "GET",
            "/cb?token=abc123xyz&x=1",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
        ])
        .prop_map(str::to_owned);
        let scheme = prop::sample::select(vec!["Bearer", "bearer", "Basic", "Token", "BEARER"])
            .prop_map(str::to_owned);
        let key = prop::sample::select(vec![
            "password=",
            "passwd:",
            "db_password=",
            "client_secret:",
            "x-api-key=",
            "accessToken=",
            "token=",
            "secretKey:",
            "tokens=",
            "token_count=",
            "key=",
            "user=",
            "password='",
        ])
        .prop_map(str::to_owned);
        let credential = prop_oneof![
            "[A-Za-z0-9+/]{8,24}={0,2}",
            "[A-Za-z0-9._~+/-]{6,20}",
            "eyJ[A-Za-z0-9_-]{5,12}\\.eyJ[A-Za-z0-9_-]{5,12}(\\.[A-Za-z0-9_-]{0,8})?",
            "AKIA[0-9A-Z]{16}",
            "ghp_[A-Za-z0-9]{36}",
            "sk-[A-Za-z0-9_-]{20,24}",
            "[A-Z]{8,16}",
        ];
        let lookalike = prop_oneof![
            "[a-z]{3,12}",
            "[A-Z][a-z]{3,12}",
            Just("ABCDEFGHIJKLMNOP".to_owned()),
            Just("Abcdefghijkl".to_owned()),
            Just("REDACTED".to_owned()),
            Just("***".to_owned()),
            Just("<token>".to_owned()),
            Just("[REDACTED:credential]".to_owned()),
        ];
        let word = prop_oneof![context, scheme, key, credential, lookalike];
        // A key and its value are one word (`password=hunter2`).
        let pair = (
            prop::sample::select(vec![
                "password=",
                "token: ",
                "api_key=",
                "secret=\"",
                "user=",
            ]),
            "[A-Za-z0-9+/._-]{1,16}",
        )
            .prop_map(|(key, value)| format!("{key}{value}"));
        prop::collection::vec(prop_oneof![4 => word, 1 => pair], 1..8)
            .prop_map(|words| words.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Masking hides every secret that scrubbing removes (as `<token>`,
        /// `<jwt>`, or inside a larger placeholder such as `<url>`), and every
        /// value masking calls a credential is one that scrubbing removes.
        #[test]
        fn masking_and_scrubbing_agree(text in credential_text()) {
            let masked = Masker::new().mask(&text);
            let secrets = find_secrets(&text);
            for secret in &secrets {
                prop_assert!(
                    masked.replacements.iter().any(|r| r.start <= secret.start && secret.end <= r.end),
                    "{:?} is scrubbed but not masked in {:?} -> {:?}",
                    &text[secret.start..secret.end], text, masked.text
                );
            }
            for replacement in &masked.replacements {
                if matches!(replacement.kind, Kind::Token | Kind::Jwt) {
                    prop_assert!(
                        secrets.iter().any(|s| replacement.start <= s.start && s.end <= replacement.end),
                        "{:?} is masked as a credential but not scrubbed in {:?} -> {:?}",
                        &text[replacement.start..replacement.end], text, scrub_secrets(&text)
                    );
                }
            }
            let scrubbed = scrub_secrets(&text);
            prop_assert_eq!(scrub_secrets(&scrubbed), scrubbed.clone(), "scrubbing twice changes {:?}", text);
        }
    }

    macro_rules! agree {
        ($($name:ident: $input:expr => $secret:expr,)*) => {$(
            #[test]
            fn $name() {
                let text: &str = $input;
                let masked = Masker::new().mask(text);
                let credential = masked.replacements.iter().any(|r| matches!(r.kind, Kind::Token | Kind::Jwt));
                let scrubbed = scrub_secrets(text) != text;
                assert_eq!((credential, scrubbed), ($secret, $secret), "input {:?}: masked {:?}", text, masked.text);
            }
        )*};
    }

    agree! {
        agree_upper_case_letters: "Authorization: Bearer ABCDEFGHIJKLMNOP" => true,
        agree_capitalized_word: "Authorization: Bearer Abcdefghijkl" => false,
        agree_mixed_case_letters: "Bearer aaaAaaaaaaAa" => true,
        agree_prose: "Bearer Authentication failed" => false,
        agree_password: "password: hunter2" => true,
        agree_api_key: "using AKIAIOSFODNN7EXAMPLE" => true,
    }
}
