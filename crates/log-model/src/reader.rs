//! `LogReader`: bytes in, log entries out, streaming.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Error, ErrorKind, Position};
use crate::splitter::{Checkpoint, RawRecord, RecordSplitter, DEFAULT_MAX_RECORD_BYTES};
use crate::LogEntry;

/// One entry read from the input, borrowing from the reader's buffer.
#[derive(Debug)]
pub struct ReadEntry<'a> {
    /// The parsed entry.
    pub entry: LogEntry<'a>,
    /// The entry's JSON text exactly as it appeared in the input.
    pub raw: &'a str,
    /// Where the entry starts in the input.
    pub position: Position,
}

/// Counts kept by a [`LogReader`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ReadStats {
    /// Entries read successfully.
    pub entries: u64,
    /// Records or stretches of input skipped because they were bad.
    pub errors: u64,
}

/// Reads Cloud Logging entries from any of the shapes Cloud Logging tools
/// write, chunk by chunk, without doing I/O itself.
///
/// The shape is detected as the bytes come: a JSON array (pretty or compact,
/// terminated or not), NDJSON, concatenated objects, a single object, or API
/// pages (`{"entries": [...], "nextPageToken": ...}`). Keys may be camelCase or
/// snake_case; severity a name or a number.
///
/// Entries are handed to a callback because they borrow from the reader's
/// buffer. Errors are handed to it too, positioned; what to do with them (skip
/// and count, or stop) is the caller's choice.
///
/// ```
/// use gardener_log_model::LogReader;
/// let mut reader = LogReader::new();
/// let mut messages = Vec::new();
/// let mut on_entry = |result: Result<gardener_log_model::ReadEntry<'_>, gardener_log_model::Error>| {
///     if let Ok(read) = result {
///         messages.push(read.entry.text_payload.as_deref().unwrap_or_default().to_owned());
///     }
/// };
/// reader.feed(b"[{\"textPayload\": \"one\"},\n{\"textPay", &mut on_entry);
/// reader.feed(b"load\": \"two\"}]", &mut on_entry);
/// reader.finish(&mut on_entry);
/// assert_eq!(messages, ["one", "two"]);
/// ```
#[derive(Debug, Default)]
pub struct LogReader {
    splitter: RecordSplitter,
    stats: ReadStats,
}

impl LogReader {
    /// A reader with default limits.
    pub fn new() -> LogReader {
        LogReader::default()
    }

    /// A reader that rejects records larger than `limit` bytes.
    pub fn with_max_record_bytes(limit: usize) -> LogReader {
        LogReader {
            splitter: RecordSplitter::with_max_record_bytes(limit),
            stats: ReadStats::default(),
        }
    }

    /// A reader that continues an input from a [`Checkpoint`] taken by a
    /// [`RecordSplitter`] over the same input: positions in its entries and
    /// errors are those of the whole input.
    pub fn resume(checkpoint: Checkpoint) -> LogReader {
        LogReader::resume_with_max_record_bytes(checkpoint, DEFAULT_MAX_RECORD_BYTES)
    }

    /// [`resume`](LogReader::resume) with a record size limit.
    pub fn resume_with_max_record_bytes(checkpoint: Checkpoint, limit: usize) -> LogReader {
        LogReader {
            splitter: RecordSplitter::resume(checkpoint, limit),
            stats: ReadStats::default(),
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> ReadStats {
        self.stats
    }

    /// Feeds a chunk of input; calls `on_entry` for every entry or error it completes.
    pub fn feed<F>(&mut self, chunk: &[u8], on_entry: &mut F)
    where
        F: FnMut(Result<ReadEntry<'_>, Error>),
    {
        self.splitter.push(chunk);
        while let Some(record) = self.splitter.next_record() {
            match record {
                Ok(record) => decode_record(record, &mut self.stats, on_entry),
                Err(error) => {
                    self.stats.errors += 1;
                    on_entry(Err(error));
                }
            }
        }
    }

    /// Ends the input; reports a record left unfinished.
    pub fn finish<F>(&mut self, on_entry: &mut F)
    where
        F: FnMut(Result<ReadEntry<'_>, Error>),
    {
        if let Some(error) = self.splitter.finish() {
            self.stats.errors += 1;
            on_entry(Err(error));
        }
    }
}

/// An `entries.list` response page. A page is parsed whole (its entries are
/// then handed out one by one), so memory grows with the page size, which
/// the API caps (1000 entries per page for gcloud).
#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    entries: Vec<&'a RawValue>,
}

pub(crate) fn decode_record<F>(record: RawRecord<'_>, stats: &mut ReadStats, on_entry: &mut F)
where
    F: FnMut(Result<ReadEntry<'_>, Error>),
{
    let invalid =
        |why: String| Error::new(ErrorKind::InvalidRecord(why), record.position, record.bytes);
    let raw = match std::str::from_utf8(record.bytes) {
        Ok(raw) => raw,
        Err(error) => {
            stats.errors += 1;
            on_entry(Err(invalid(format!("not UTF-8: {error}"))));
            return;
        }
    };
    match serde_json::from_str::<LogEntry<'_>>(raw) {
        Ok(entry) if entry.is_blank() => decode_blank(raw, record.position, stats, on_entry),
        Ok(entry) => {
            stats.entries += 1;
            on_entry(Ok(ReadEntry {
                entry,
                raw,
                position: record.position,
            }));
        }
        Err(error) => {
            stats.errors += 1;
            on_entry(Err(invalid(error.to_string())));
        }
    }
}

/// An object with no LogEntry field: an `entries.list` page (expanded), an
/// empty page (`{}` or only `nextPageToken`: skipped), or not a log entry.
fn decode_blank<F>(raw: &str, position: Position, stats: &mut ReadStats, on_entry: &mut F)
where
    F: FnMut(Result<ReadEntry<'_>, Error>),
{
    let keys = match serde_json::from_str::<BTreeMap<Cow<'_, str>, IgnoredAny>>(raw) {
        Ok(keys) => keys,
        Err(error) => {
            stats.errors += 1;
            on_entry(Err(Error::new(
                ErrorKind::InvalidRecord(error.to_string()),
                position,
                raw.as_bytes(),
            )));
            return;
        }
    };
    if keys.contains_key("entries") {
        decode_page(raw, position, stats, on_entry);
    } else if keys.keys().any(|key| !PAGE_KEYS.contains(&key.as_ref())) {
        stats.errors += 1;
        on_entry(Err(Error::new(
            ErrorKind::InvalidRecord(
                "not a log entry: none of its fields is a LogEntry field".to_owned(),
            ),
            position,
            raw.as_bytes(),
        )));
    }
}

/// The keys of an `entries.list` response besides `entries`.
const PAGE_KEYS: [&str; 2] = ["nextPageToken", "next_page_token"];

fn decode_page<F>(page_raw: &str, position: Position, stats: &mut ReadStats, on_entry: &mut F)
where
    F: FnMut(Result<ReadEntry<'_>, Error>),
{
    let page = match serde_json::from_str::<Page<'_>>(page_raw) {
        Ok(page) => page,
        Err(error) => {
            stats.errors += 1;
            on_entry(Err(Error::new(
                ErrorKind::InvalidRecord(error.to_string()),
                position,
                page_raw.as_bytes(),
            )));
            return;
        }
    };
    for (index, entry_raw) in page.entries.into_iter().enumerate() {
        let raw = entry_raw.get();
        let entry_position = position.of_slice(page_raw, raw);
        match serde_json::from_str::<LogEntry<'_>>(raw) {
            Ok(entry) => {
                stats.entries += 1;
                on_entry(Ok(ReadEntry {
                    entry,
                    raw,
                    position: entry_position,
                }));
            }
            Err(error) => {
                stats.errors += 1;
                on_entry(Err(Error::new(
                    ErrorKind::InvalidRecord(format!("entries[{index}]: {error}")),
                    entry_position,
                    raw.as_bytes(),
                )));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> (Vec<String>, Vec<Error>) {
        let mut reader = LogReader::new();
        let mut ids = Vec::new();
        let mut errors = Vec::new();
        let mut on_entry = |result: Result<ReadEntry<'_>, Error>| match result {
            Ok(read) => ids.push(read.entry.insert_id.as_deref().unwrap_or("?").to_owned()),
            Err(error) => errors.push(error),
        };
        reader.feed(input, &mut on_entry);
        reader.finish(&mut on_entry);
        (ids, errors)
    }

    #[test]
    fn api_page_is_expanded() {
        let (ids, errors) = read_all(
            b"{\"entries\": [{\"insertId\": \"a\", \"textPayload\": \"x\"},\n {\"insertId\": \"b\", \"textPayload\": \"y\"}], \"nextPageToken\": \"t\"}",
        );
        assert_eq!(ids, ["a", "b"]);
        assert!(errors.is_empty());
    }

    #[test]
    fn snake_case_tail_output() {
        let (ids, errors) = read_all(
            b"[\n{\"insert_id\": \"a\", \"severity\": 500, \"text_payload\": \"x\", \"span_id\": \"\", \"labels\": {}}",
        );
        assert_eq!(ids, ["a"]);
        assert!(errors.is_empty());
    }

    #[test]
    fn invalid_json_is_positioned() {
        let (ids, errors) = read_all(b"{\"insertId\": \"a\"}\n{\"insertId\": 1 2}\n");
        assert_eq!(ids, ["a"]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].position().line, 2);
        assert!(errors[0].to_string().contains("record 2"), "{}", errors[0]);
    }
}
