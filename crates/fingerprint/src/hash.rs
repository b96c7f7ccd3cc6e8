//! The stable fingerprint hash.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The version of the fingerprint algorithm. It changes whenever what goes
/// into a fingerprint, or how it is hashed, changes; fingerprints of
/// different versions never compare equal.
pub const FINGERPRINT_VERSION: u8 = 1;

/// A stable identifier of a cluster: the same problem gets the same
/// fingerprint in every run, on every platform, in every release with the same
/// [`FINGERPRINT_VERSION`].
///
/// It is the 64-bit FNV-1a hash (offset basis `0xcbf29ce484222325`, prime
/// `0x100000001b3`) of the version byte followed by the fields of the cluster
/// key, each followed by the byte `0x1F`. Written as `v1:` and 16 lower-case
/// hex digits.
///
/// ```
/// use gardener_fingerprint::Fingerprint;
/// let fingerprint = Fingerprint::of_fields(["message", "checkout", "payment failed"]);
/// let text = fingerprint.to_string();
/// assert!(text.starts_with("v1:"));
/// assert_eq!(text.parse::<Fingerprint>(), Ok(fingerprint));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint {
    version: u8,
    hash: u64,
}

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const FIELD_SEPARATOR: u8 = 0x1f;

/// Incremental FNV-1a 64.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv1a(u64);

impl Fnv1a {
    pub(crate) fn new() -> Fnv1a {
        Fnv1a(FNV_OFFSET_BASIS)
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
    }

    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

/// A fast, non-cryptographic hasher for in-memory maps keyed by templates
/// (the multiply-rotate scheme of rustc's FxHash, eight bytes at a time).
/// Never part of any output: only lookups use it, so it may change freely.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FastHasher::SEED);
    }
}

impl std::hash::Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FastHasher`]s.
pub(crate) type FastBuildHasher = std::hash::BuildHasherDefault<FastHasher>;

impl Fingerprint {
    /// The fingerprint of a sequence of fields, with the current version.
    pub fn of_fields<I, S>(fields: I) -> Fingerprint
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut hasher = Fnv1a::new();
        hasher.write(&[FINGERPRINT_VERSION, FIELD_SEPARATOR]);
        for field in fields {
            hasher.write(field.as_ref().as_bytes());
            hasher.write(&[FIELD_SEPARATOR]);
        }
        Fingerprint {
            version: FINGERPRINT_VERSION,
            hash: hasher.finish(),
        }
    }

    /// The algorithm version this fingerprint was made with.
    pub fn version(self) -> u8 {
        self.version
    }

    /// The 64-bit hash.
    pub fn hash(self) -> u64 {
        self.hash
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}:{:016x}", self.version, self.hash)
    }
}

/// The text is not `v<version>:<16 hex digits>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a fingerprint (expected `v1:` and 16 hex digits)")]
pub struct ParseFingerprintError(String);

impl FromStr for Fingerprint {
    type Err = ParseFingerprintError;

    fn from_str(text: &str) -> Result<Fingerprint, ParseFingerprintError> {
        let error = || ParseFingerprintError(text.chars().take(40).collect());
        let (version, hash) = text
            .strip_prefix('v')
            .and_then(|rest| rest.split_once(':'))
            .ok_or_else(error)?;
        if hash.len() != 16 {
            return Err(error());
        }
        Ok(Fingerprint {
            version: version.parse().map_err(|_| error())?,
            hash: u64::from_str_radix(hash, 16).map_err(|_| error())?,
        })
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_reference_values() {
        // Published FNV-1a 64 test vectors.
        let hash = |bytes: &[u8]| {
            let mut h = Fnv1a::new();
            h.write(bytes);
            h.finish()
        };
        assert_eq!(hash(b""), 0xcbf29ce484222325);
        assert_eq!(hash(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(hash(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn parse_rejects_junk() {
        assert!("v1:xyz".parse::<Fingerprint>().is_err());
        assert!("1:0123456789abcdef".parse::<Fingerprint>().is_err());
        assert!("v1:0123456789abcdef".parse::<Fingerprint>().is_ok());
    }
}
