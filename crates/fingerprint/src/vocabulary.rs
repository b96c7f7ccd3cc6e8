//! Words that contain digits and still name one thing: the vocabulary that
//! keeps `IPv6`, `utf8` or `log4j` constant while `cpu0`, `eth1`, `node-17`
//! and `u0` are masked as ids.
//!
//! The rule it serves: **a token with a digit is a value** (an instance, a
//! port, a worker, a shard), unless the digit is part of the name of a
//! standard, protocol, encoding, hash, architecture, library or cache level.
//! Such names come from a small, closed, well-known set that does not depend
//! on the program that logs them, so a fixed list is the honest way to say
//! it; a dataset does not pick them.

/// Names of standards, protocols, encodings, hashes, architectures and
/// libraries whose digits are part of the name. Lower case; matched
/// case-insensitively against a whole token or one of its parts.
#[rustfmt::skip]
const NAMES: &[&str] = &[
    // Internet protocols and their versions.
    "ipv4", "ipv6", "http1", "http2", "http3", "h2", "h2c", "h3", "socks4", "socks5", "tls1",
    "tlsv1", "sslv2", "sslv3", "ssl2", "ssl3", "smb1", "smb2", "smb3", "smbv1", "oauth1", "oauth2",
    "x509", "x11", "p2p", "e2e", "ntlmv2", "snmpv2", "snmpv3", "dns64", "nat64", "802", "2fa",
    // Encodings and hashes.
    "utf8", "utf-8", "utf16", "utf-16", "utf32", "ucs2", "latin1", "cp1252", "base32", "base64",
    "md5", "sha1", "sha-1", "sha224", "sha256", "sha-256", "sha384", "sha512", "crc32", "aes128",
    "aes256", "rc4", "3des",
    // Architectures and platforms.
    "x86", "x64", "x86_64", "x86-64", "amd64", "arm64", "aarch64", "armv7", "i386", "i686",
    "win32", "win64",
    // Libraries and numeronyms.
    "log4j", "log4net", "slf4j", "i18n", "l10n", "k8s", "a11y",
    // Cache levels.
    "l1", "l2", "l3",
];

/// Whether every digit of `token` belongs to a known name, so the token is a
/// name rather than a value. Parts are split at characters other than
/// letters and digits and at case changes (`Slf4jLogger` is `Slf4j` +
/// `Logger`, `HTTP2Server` is `HTTP2` + `Server`).
///
/// The caller already knows the token has a digit and a letter.
pub(crate) fn is_named_with_digits(token: &[u8]) -> bool {
    if is_name(token) {
        return true;
    }
    let mut start = 0;
    for end in 1..=token.len() {
        if end < token.len() && !is_part_boundary(token[end - 1], token[end]) {
            continue;
        }
        let part = &token[start..end];
        if part.iter().any(u8::is_ascii_digit) && !is_name(part) {
            return false;
        }
        start = end;
    }
    true
}

/// Where one part of a token ends and the next begins: around any character
/// that is not a letter or digit, and where a lower-case letter or a digit is
/// followed by an upper-case letter.
fn is_part_boundary(before: u8, after: u8) -> bool {
    !before.is_ascii_alphanumeric()
        || !after.is_ascii_alphanumeric()
        || ((before.is_ascii_lowercase() || before.is_ascii_digit()) && after.is_ascii_uppercase())
}

fn is_name(part: &[u8]) -> bool {
    part.len() <= 8
        && NAMES
            .iter()
            .any(|name| part.eq_ignore_ascii_case(name.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! named {
        ($($name:ident: $token:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(is_named_with_digits($token.as_bytes()), $expected, "token {:?}", $token);
            }
        )*};
    }

    named! {
        protocol_version: "IPv6" => true,
        upper_protocol_version: "IPV4" => true,
        proxy_protocol: "SOCKS5" => true,
        encoding_with_dash: "UTF-8" => true,
        hash_in_camel_case: "Sha256Digest" => true,
        library_in_class_name: "Slf4jLogger" => true,
        architecture_with_underscore: "x86_64" => true,
        protocol_before_word: "HTTP2Server" => true,
        cache_level: "L2" => true,
        version_tag_is_a_value: "v2" => false,
        versioned_instance: "aa-v00" => false,
        cpu_instance: "cpu0" => false,
        interface_instance: "eth1" => false,
        user_instance: "u0" => false,
        numbered_field: "image1Size" => false,
        name_and_instance: "ipv6_2" => false,
        hash_name_inside_word: "sha256sum" => false,
    }
}
