//! Finding JSON records in a byte stream, chunk by chunk, without parsing them.
//!
//! The splitter understands every framing Cloud Logging tools produce: a JSON
//! array (gcloud's `--format=json`, also left unterminated by `gcloud logging
//! tail`), newline-delimited JSON (sink exports), and objects simply
//! concatenated. It tracks only string and nesting state, so it runs at memory
//! speed and keeps no more than the current, unfinished record.

use crate::error::{Error, ErrorKind, Position};

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Default limit on the size of one record: 64 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 << 20;

/// One complete top-level JSON object found in the input.
#[derive(Debug, Clone, Copy)]
pub struct RawRecord<'a> {
    /// The record's bytes, from `{` to `}`.
    pub bytes: &'a [u8],
    /// Where the record starts.
    pub position: Position,
}

/// Splits a stream of bytes into top-level JSON objects.
///
/// Feed chunks of any size with [`push`](RecordSplitter::push), take records
/// with [`next_record`](RecordSplitter::next_record), and call
/// [`finish`](RecordSplitter::finish) at the end of input.
///
/// ```
/// use gardener_log_model::RecordSplitter;
/// let mut splitter = RecordSplitter::new();
/// splitter.push(b"[{\"a\":1},\n {\"b\":\"}\"}");
/// let mut records = Vec::new();
/// while let Some(record) = splitter.next_record() {
///     records.push(String::from_utf8(record?.bytes.to_vec()).unwrap());
/// }
/// assert_eq!(records, [r#"{"a":1}"#, r#"{"b":"}"}"#]);
/// assert!(splitter.finish().is_none()); // an unterminated array is fine
/// # Ok::<(), gardener_log_model::Error>(())
/// ```
#[derive(Debug)]
pub struct RecordSplitter {
    buf: Vec<u8>,
    /// Bytes of `buf` before this index have been scanned.
    scan: usize,
    /// Absolute offset of `buf[0]`.
    base_offset: u64,
    /// 1-based line of the byte at `scan`.
    line: u64,
    /// Absolute offset of the first byte of the line at `scan`.
    line_start: u64,
    depth: u32,
    in_string: bool,
    escaped: bool,
    record: Option<RecordStart>,
    in_outer_array: bool,
    /// Set once records are seen to be one per line: a line break inside a
    /// record then means the record is broken, and we resynchronize.
    line_delimited: bool,
    /// Skipping to the end of a line after bad input.
    skipping_line: bool,
    /// Bad input was found at `scan`, and its line is not complete yet.
    unexpected_pending: bool,
    records: u64,
    max_record_bytes: usize,
}

/// The splitter's state between two records: where the next byte is and
/// what framing surrounds it. A splitter [resumed](RecordSplitter::resume)
/// from a checkpoint reads the rest of the input exactly as the original
/// would, positions included, so an input can be cut at checkpoints and its
/// pieces read independently (on several threads).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checkpoint {
    /// Position of the next byte; `record` is the number the next record gets.
    pub position: Position,
    in_outer_array: bool,
    line_delimited: bool,
}

#[derive(Debug, Clone, Copy)]
struct RecordStart {
    index: usize,
    position: Position,
    oversized: bool,
}

impl Default for RecordSplitter {
    fn default() -> Self {
        RecordSplitter::new()
    }
}

impl RecordSplitter {
    /// A splitter with the default record size limit.
    pub fn new() -> RecordSplitter {
        RecordSplitter::with_max_record_bytes(DEFAULT_MAX_RECORD_BYTES)
    }

    /// A splitter that rejects records larger than `limit` bytes.
    pub fn with_max_record_bytes(limit: usize) -> RecordSplitter {
        RecordSplitter {
            buf: Vec::new(),
            scan: 0,
            base_offset: 0,
            line: 1,
            line_start: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            record: None,
            in_outer_array: false,
            line_delimited: false,
            skipping_line: false,
            unexpected_pending: false,
            records: 0,
            max_record_bytes: limit,
        }
    }

    /// The state after the last byte scanned, when it is between records
    /// (`None` inside a record or while skipping bad input).
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        if self.record.is_some() || self.skipping_line || self.unexpected_pending {
            return None;
        }
        let offset = self.base_offset + self.scan as u64;
        Some(Checkpoint {
            position: Position {
                record: self.records + 1,
                line: self.line,
                column: offset - self.line_start + 1,
                offset,
            },
            in_outer_array: self.in_outer_array,
            line_delimited: self.line_delimited,
        })
    }

    /// A splitter that continues from `checkpoint`: the first byte pushed is
    /// the byte at `checkpoint.position`.
    pub fn resume(checkpoint: Checkpoint, max_record_bytes: usize) -> RecordSplitter {
        let position = checkpoint.position;
        RecordSplitter {
            base_offset: position.offset,
            line: position.line.max(1),
            line_start: position
                .offset
                .saturating_sub(position.column.saturating_sub(1)),
            in_outer_array: checkpoint.in_outer_array,
            line_delimited: checkpoint.line_delimited,
            records: position.record.saturating_sub(1),
            ..RecordSplitter::with_max_record_bytes(max_record_bytes)
        }
    }

    /// Number of records started so far (complete, broken or oversized).
    pub fn records_seen(&self) -> u64 {
        self.records
    }

    /// Appends a chunk of input.
    pub fn push(&mut self, chunk: &[u8]) {
        // Keep only the unfinished record; everything scanned outside a
        // record (separators, skipped garbage) is no longer needed.
        let keep_from = match self.record {
            Some(start) if !start.oversized => start.index,
            _ => self.scan,
        };
        if keep_from > 0 {
            self.buf.drain(..keep_from);
            self.base_offset += keep_from as u64;
            self.scan -= keep_from;
            if let Some(start) = self.record.as_mut() {
                start.index = start.index.saturating_sub(keep_from);
            }
        }
        self.buf.extend_from_slice(chunk);
    }

    fn position_at(&self, index: usize) -> Position {
        let offset = self.base_offset + index as u64;
        Position {
            record: self.records + 1,
            line: self.line,
            column: offset - self.line_start + 1,
            offset,
        }
    }

    /// Returns the next complete record, an error about bad input, or `None`
    /// when more input is needed.
    pub fn next_record(&mut self) -> Option<Result<RawRecord<'_>, Error>> {
        while self.scan < self.buf.len() {
            // Most bytes are inside strings: skip to the next one that matters.
            if self.in_string && !self.escaped && !self.skipping_line {
                if let Some(start) = self.record {
                    let rest = &self.buf[self.scan..];
                    self.scan += find_any3(rest, b'"', b'\\', b'\n').unwrap_or(rest.len());
                    if !start.oversized && self.scan - start.index > self.max_record_bytes {
                        if let Some(record) = self.record.as_mut() {
                            record.oversized = true;
                        }
                    }
                    if self.scan >= self.buf.len() {
                        break;
                    }
                }
            }
            // Pretty-printed records are mostly indentation.
            if !self.in_string && self.record.is_some() && !self.skipping_line {
                let spaces = self.buf[self.scan..]
                    .iter()
                    .take_while(|&&b| b == b' ')
                    .count();
                self.scan += spaces;
                if self.scan >= self.buf.len() {
                    break;
                }
            }
            let index = self.scan;
            let byte = self.buf[index];
            self.scan += 1;
            if byte == b'\n' {
                self.line += 1;
                self.line_start = self.base_offset + self.scan as u64;
            }

            if self.skipping_line {
                if byte == b'\n' {
                    self.skipping_line = false;
                }
                continue;
            }

            if let Some(start) = self.record {
                if !start.oversized && self.scan - start.index > self.max_record_bytes {
                    if let Some(record) = self.record.as_mut() {
                        record.oversized = true;
                    }
                }
                if self.in_string {
                    if self.escaped {
                        self.escaped = false;
                    } else if byte == b'\\' {
                        self.escaped = true;
                    } else if byte == b'"' {
                        self.in_string = false;
                    } else if byte == b'\n' {
                        return Some(Err(self.broken_line(start)));
                    }
                    continue;
                }
                match byte {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        self.depth -= 1;
                        if self.depth == 0 {
                            return Some(self.complete(start));
                        }
                    }
                    b'\n' if self.line_delimited => return Some(Err(self.broken_line(start))),
                    _ => {}
                }
                continue;
            }

            match byte {
                b' ' | b'\t' | b'\r' | b'\n' | b',' => {}
                b'{' => {
                    let position = self.position_at(index);
                    self.records += 1;
                    // NDJSON: a record is its line. Take the line whole when it
                    // ends with `}`; JSON validity is the parser's job.
                    if self.line_delimited && !self.in_outer_array {
                        if let Some(end) = line_record_end(&self.buf, index, self.max_record_bytes)
                        {
                            self.scan = end;
                            return Some(Ok(RawRecord {
                                bytes: &self.buf[index..end],
                                position,
                            }));
                        }
                    }
                    self.record = Some(RecordStart {
                        index,
                        position,
                        oversized: false,
                    });
                    self.depth = 1;
                }
                b'[' if !self.in_outer_array => self.in_outer_array = true,
                b']' if self.in_outer_array => self.in_outer_array = false,
                // A UTF-8 byte order mark at the very start of the input.
                0xEF if self.base_offset + index as u64 == 0 => match self.buf.get(..3) {
                    Some(BOM) => self.scan = BOM.len(),
                    // Wait for the rest of a mark cut by the chunking.
                    None if BOM.starts_with(&self.buf) => {
                        self.scan = index;
                        return None;
                    }
                    _ => match self.unexpected(index) {
                        Some(error) => return Some(Err(error)),
                        None => break,
                    },
                },
                _ => match self.unexpected(index) {
                    Some(error) => return Some(Err(error)),
                    None => break,
                },
            }
        }
        None
    }

    /// Call once at the end of the input: reports a record left unfinished.
    /// An array left open is not an error (`gcloud logging tail` leaves one).
    pub fn finish(&mut self) -> Option<Error> {
        if self.unexpected_pending {
            self.unexpected_pending = false;
            let index = self.scan;
            let error = self.unexpected_error(index, self.buf.len());
            self.scan = self.buf.len();
            return Some(error);
        }
        let start = self.record.take()?;
        let error = Error::new(
            ErrorKind::Truncated,
            start.position,
            &self.buf[start.index..],
        );
        self.reset_record();
        Some(error)
    }

    fn reset_record(&mut self) {
        self.record = None;
        self.depth = 0;
        self.in_string = false;
        self.escaped = false;
    }

    fn complete(&mut self, start: RecordStart) -> Result<RawRecord<'_>, Error> {
        self.reset_record();
        if !self.in_outer_array && !self.line_delimited && start.position.line == self.line {
            self.line_delimited = true;
        }
        if start.oversized {
            return Err(Error::new(
                ErrorKind::RecordTooLarge {
                    limit: self.max_record_bytes,
                },
                start.position,
                &self.buf[start.index..self.scan.min(start.index + 64)],
            ));
        }
        Ok(RawRecord {
            bytes: &self.buf[start.index..self.scan],
            position: start.position,
        })
    }

    fn broken_line(&mut self, start: RecordStart) -> Error {
        let error = Error::new(
            ErrorKind::InvalidRecord("the line ends inside the record".to_owned()),
            start.position,
            &self.buf[start.index..self.scan],
        );
        self.reset_record();
        error
    }

    /// The error for bad input at `index`, skipping the rest of its line;
    /// `None` (and the byte left unscanned) until the line is complete or
    /// long enough for the excerpt, so that the error is the same however
    /// the input is cut into chunks.
    fn unexpected(&mut self, index: usize) -> Option<Error> {
        let newline = self.buf[index..].iter().position(|&b| b == b'\n');
        if newline.is_none() && self.buf.len() - index < crate::error::EXCERPT_BYTES {
            self.scan = index;
            self.unexpected_pending = true;
            return None;
        }
        self.unexpected_pending = false;
        Some(self.unexpected_error(index, newline.map_or(self.buf.len(), |n| index + n)))
    }

    fn unexpected_error(&mut self, index: usize, end: usize) -> Error {
        let mut position = self.position_at(index);
        position.record = self.records + 1;
        let error = Error::new(ErrorKind::UnexpectedInput, position, &self.buf[index..end]);
        // The bad stretch counts as a (skipped) record, so later records keep
        // distinct numbers.
        self.records += 1;
        self.skipping_line = true;
        error
    }
}

/// In line-delimited input, the end of the record starting at `start`: its
/// line without trailing whitespace, when that ends with `}` and fits the
/// size limit. `None` sends the record through the byte-by-byte scanner
/// (line not complete yet, broken line, oversized record).
fn line_record_end(buf: &[u8], start: usize, max_record_bytes: usize) -> Option<usize> {
    let length = memchr::memchr(b'\n', &buf[start..])?;
    let line = buf[start..start + length].trim_ascii_end();
    (line.ends_with(b"}") && line.len() <= max_record_bytes).then_some(start + line.len())
}

/// The first of three bytes in `haystack` (SIMD-accelerated by `memchr`,
/// which serde_json and regex already depend on).
fn find_any3(haystack: &[u8], a: u8, b: u8, c: u8) -> Option<usize> {
    memchr::memchr3(a, b, c, haystack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_any3_finds_the_first() {
        let text = b"abcdefghijklmnop\"qrstuvw\\xyz\n";
        for start in 0..text.len() {
            let expected = text[start..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b == b'\n');
            assert_eq!(
                find_any3(&text[start..], b'"', b'\\', b'\n'),
                expected,
                "from {start}"
            );
        }
        assert_eq!(
            find_any3(&[0x80, 0x01, 0xff, 0x22], b'"', b'\\', b'\n'),
            Some(3)
        );
    }

    fn split(chunks: &[&[u8]]) -> (Vec<String>, Vec<Error>) {
        let mut splitter = RecordSplitter::new();
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for chunk in chunks {
            splitter.push(chunk);
            while let Some(result) = splitter.next_record() {
                match result {
                    Ok(record) => records.push(String::from_utf8_lossy(record.bytes).into_owned()),
                    Err(error) => errors.push(error),
                }
            }
        }
        errors.extend(splitter.finish());
        (records, errors)
    }

    #[test]
    fn pretty_array() {
        let input = b"[\n  {\n    \"a\": \"x}\"\n  },\n  {\n    \"b\": [1, {}]\n  }\n]\n";
        let (records, errors) = split(&[input]);
        assert_eq!(records.len(), 2);
        assert!(errors.is_empty());
    }

    #[test]
    fn byte_at_a_time_matches_whole() {
        let input: &[u8] = b"{\"a\":\"\\\"}\"}\n{\"b\":2}\n";
        let chunks: Vec<&[u8]> = input.chunks(1).collect();
        let (records, errors) = split(&chunks);
        assert_eq!(records, [r#"{"a":"\"}"}"#, r#"{"b":2}"#]);
        assert!(errors.is_empty());
    }

    #[test]
    fn broken_ndjson_line_is_skipped_with_its_position() {
        let input = b"{\"a\":1}\n{\"b\":tru\n{\"c\":3}\n";
        let (records, errors) = split(&[input]);
        assert_eq!(records, [r#"{"a":1}"#, r#"{"c":3}"#]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].position().line, 2);
        assert_eq!(errors[0].position().record, 2);
        assert_eq!(errors[0].position().offset, 8);
    }

    #[test]
    fn garbage_between_records() {
        let (records, errors) = split(&[b"{\"a\":1}\nnot json\n{\"b\":2}"]);
        assert_eq!(records.len(), 2);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].position().line, 2);
        assert_eq!(errors[0].position().column, 1);
        assert_eq!(errors[0].excerpt(), "not json");
    }

    #[test]
    fn truncated_record_is_reported_at_finish() {
        let (records, errors) = split(&[b"[{\"a\":1},{\"b\":"]);
        assert_eq!(records.len(), 1);
        assert_eq!(*errors[0].kind(), ErrorKind::Truncated);
    }

    #[test]
    fn oversized_records_are_rejected() {
        let mut splitter = RecordSplitter::with_max_record_bytes(8);
        splitter.push(b"{\"a\":\"0123456789\"}\n{\"b\":1}\n");
        let first = splitter.next_record().unwrap();
        assert!(matches!(
            first.unwrap_err().kind(),
            ErrorKind::RecordTooLarge { limit: 8 }
        ));
        assert!(splitter.next_record().unwrap().is_ok());
    }
}
