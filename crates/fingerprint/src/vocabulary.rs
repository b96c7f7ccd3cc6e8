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

/// Whether `part` is the name of a standard, protocol, encoding, hash,
/// architecture or library whose digits are part of the name, or a cache
/// level; matched case-insensitively against a whole token or one of its parts.
/// Every name has a letter: a part of digits alone (`802` in `node-802`) is
/// a number, whatever standard shares it.
/// The length of the longest name.
const LONGEST_NAME: usize = 8;

fn is_name(part: &[u8]) -> bool {
    if part.len() > LONGEST_NAME || part.len() < 2 {
        return false;
    }
    let mut lower = [0u8; LONGEST_NAME];
    for (to, from) in lower.iter_mut().zip(part) {
        *to = from.to_ascii_lowercase();
    }
    matches!(
        &lower[..part.len()],
        // Internet protocols and their versions.
        b"ipv4" | b"ipv6" | b"http1" | b"http2" | b"http3" | b"h2" | b"h2c" | b"h3" | b"socks4"
            | b"socks5" | b"tls1" | b"tlsv1" | b"sslv2" | b"sslv3" | b"ssl2" | b"ssl3" | b"smb1"
            | b"smb2" | b"smb3" | b"smbv1" | b"oauth1" | b"oauth2" | b"x509" | b"x11" | b"p2p"
            | b"e2e" | b"ntlmv2" | b"snmpv2" | b"snmpv3" | b"dns64" | b"nat64" | b"2fa"
            // Encodings and hashes.
            | b"utf8" | b"utf-8" | b"utf16" | b"utf-16" | b"utf32" | b"ucs2" | b"latin1"
            | b"cp1252" | b"base32" | b"base64" | b"md5" | b"sha1" | b"sha-1" | b"sha224"
            | b"sha256" | b"sha-256" | b"sha384" | b"sha512" | b"crc32" | b"aes128" | b"aes256"
            | b"rc4" | b"3des"
            // Architectures and platforms.
            | b"x86" | b"x64" | b"x86_64" | b"x86-64" | b"amd64" | b"arm64" | b"aarch64"
            | b"armv7" | b"i386" | b"i686" | b"win32" | b"win64"
            // Libraries and numeronyms.
            | b"log4j" | b"log4net" | b"slf4j" | b"i18n" | b"l10n" | b"k8s" | b"a11y"
            // Cache levels.
            | b"l1" | b"l2" | b"l3"
    )
}

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
    // Each part with a digit must be a name; names are short, so a part is
    // given up on as soon as it is longer than the longest.
    let mut next = 0;
    while let Some(offset) = token[next..].iter().position(u8::is_ascii_digit) {
        let digit = next + offset;
        let mut start = digit;
        while start > 0 && !is_part_boundary(token[start - 1], token[start]) {
            start -= 1;
            if digit - start >= LONGEST_NAME {
                return false;
            }
        }
        let mut end = digit + 1;
        while end < token.len() && !is_part_boundary(token[end - 1], token[end]) {
            end += 1;
            if end - start > LONGEST_NAME {
                return false;
            }
        }
        if !is_name(&token[start..end]) {
            return false;
        }
        next = end;
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
