//! The one module that speaks to the `log-gardener` facade: reading entries
//! into a shard, the shard's wire encoding, and the worklog of a shard.
//!
//! Everything else in the crate goes through [`ShardReader`], [`encode`],
//! [`decode`] and [`worklog_json`], so a change of the facade touches only
//! this file.

use chrono::{DateTime, Utc};
use log_gardener::{Gardener, Options, Shard};

/// The first bytes of every encoded shard: a tag, so that a binary column
/// that holds something else is refused with a clear message, and the
/// version of the layout that follows.
const MAGIC: &[u8; 3] = b"LGS";

/// The layout of an encoded shard: the facade's
/// [`SHARD_FORMAT_VERSION`](log_gardener::SHARD_FORMAT_VERSION) (the
/// clustering state inside carries its own fingerprint version).
pub(crate) const STATE_VERSION: u8 = log_gardener::SHARD_FORMAT_VERSION as u8;

/// Why an encoded shard could not be read or written.
#[derive(Debug)]
pub(crate) enum ShardError {
    /// The bytes do not start with the shard tag.
    NotAShard,
    /// The bytes are a shard of another layout version.
    Version(u8),
    /// The CBOR body could not be read (or written).
    Body(String),
}

impl std::fmt::Display for ShardError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShardError::NotAShard => write!(
                f,
                "the state is not a log-gardener shard (it does not start with {MAGIC:?})"
            ),
            ShardError::Version(version) => write!(
                f,
                "the state is a shard of layout version {version}, this build reads version {STATE_VERSION}"
            ),
            ShardError::Body(message) => write!(f, "the shard's body is not readable: {message}"),
        }
    }
}

impl std::error::Error for ShardError {}

/// Encodes a shard: `LGS`, the layout version, then the shard (the
/// facade's serde form: clustering state, counts, first errors) as CBOR,
/// which keeps it self-describing (the clustering state uses internally
/// tagged enums) and compact: a shard holds one representative entry per
/// group, not the input.
pub(crate) fn encode(shard: &Shard) -> Result<Vec<u8>, ShardError> {
    let mut bytes = Vec::with_capacity(1024);
    bytes.extend_from_slice(MAGIC);
    bytes.push(STATE_VERSION);
    ciborium::into_writer(shard, &mut bytes).map_err(|e| ShardError::Body(e.to_string()))?;
    Ok(bytes)
}

/// Decodes what [`encode`] wrote.
pub(crate) fn decode(bytes: &[u8]) -> Result<Shard, ShardError> {
    let body = bytes.strip_prefix(MAGIC).ok_or(ShardError::NotAShard)?;
    let (&version, body) = body.split_first().ok_or(ShardError::NotAShard)?;
    if version != STATE_VERSION {
        return Err(ShardError::Version(version));
    }
    ciborium::from_reader(body).map_err(|e| ShardError::Body(e.to_string()))
}

/// Reads raw entries, one NDJSON line each, into a [`Shard`].
///
/// Lines fed one after another are one stream to the gardener, so the
/// lines of a stack trace that was logged one line per entry are re-joined
/// when they arrive together and in order.
#[derive(Debug)]
pub(crate) struct ShardReader {
    gardener: Gardener,
    line: Vec<u8>,
}

impl ShardReader {
    pub(crate) fn new(options: &Options) -> ShardReader {
        ShardReader {
            gardener: Gardener::with_options(options.clone()),
            line: Vec::new(),
        }
    }

    /// Feeds entries, each the text of one JSON object (a newline is added).
    /// Fails only in strict mode, on the first unreadable entry.
    pub(crate) fn feed<'a>(
        &mut self,
        entries: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), log_gardener::Error> {
        self.line.clear();
        for entry in entries {
            self.line.extend_from_slice(entry.as_bytes());
            self.line.push(b'\n');
        }
        self.gardener.feed(&self.line)
    }

    pub(crate) fn finish(self) -> Shard {
        self.gardener.finish_shard()
    }
}

/// The number of distinct groups in a shard, for memory estimates.
pub(crate) fn group_count(shard: &Shard) -> usize {
    shard.groups.len()
}

/// The worklog of everything in `shard`, as JSON.
pub(crate) fn worklog_json(
    shard: Shard,
    options: &Options,
    generated_at: DateTime<Utc>,
    sources: Vec<String>,
) -> String {
    shard
        .into_outcome(options, generated_at, sources)
        .worklog
        .to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRIES: [&str; 3] = [
        r#"{"insertId":"a1","severity":"ERROR","textPayload":"Container called exit(3).","timestamp":"2025-09-14T00:27:05Z","resource":{"type":"cloud_run_revision","labels":{"service_name":"api","revision_name":"api-00002"}}}"#,
        r#"{"insertId":"a2","severity":"INFO","textPayload":"Starting new instance. Reason: AUTOSCALING","timestamp":"2025-09-14T00:27:01Z","resource":{"type":"cloud_run_revision","labels":{"service_name":"api","revision_name":"api-00002"}}}"#,
        r#"{"insertId": broken"#,
    ];

    fn shard_of(entries: &[&str]) -> Shard {
        let mut reader = ShardReader::new(&Options::default());
        reader.feed(entries.iter().copied()).expect("lenient");
        reader.finish()
    }

    #[test]
    fn an_encoded_shard_decodes_to_the_same_worklog() {
        let shard = shard_of(&ENTRIES);
        let now = DateTime::parse_from_rfc3339("2025-09-14T01:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let bytes = encode(&shard).expect("encodes");
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.stats.read.entries, 2);
        assert_eq!(decoded.stats.read.errors, 1);
        assert_eq!(decoded.errors, shard.errors);
        let options = Options::default();
        assert_eq!(
            worklog_json(decoded, &options, now, vec![]),
            worklog_json(shard, &options, now, vec![])
        );
    }

    #[test]
    fn other_bytes_are_refused_with_the_reason() {
        assert!(matches!(decode(b""), Err(ShardError::NotAShard)));
        assert!(matches!(decode(b"PAR1"), Err(ShardError::NotAShard)));
        assert!(matches!(decode(b"LGS\x09"), Err(ShardError::Version(9))));
        assert!(matches!(decode(b"LGS\x01\xff"), Err(ShardError::Body(_))));
        let message = decode(b"LGS\x02").expect_err("refused").to_string();
        assert!(message.contains("layout version 2"), "{message}");
    }
}
