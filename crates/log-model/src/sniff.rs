//! What an input is, judged from its first bytes, so that a caller whose
//! reader found nothing can say why ("this looks like YAML; run gcloud with
//! --format=json") instead of reporting an empty, all-clear result.

use std::fmt;

use serde::de::IgnoredAny;

/// How many leading bytes [`InputKind::sniff`] looks at; passing more is
/// allowed and changes nothing.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// What the first bytes of an input look like.
///
/// Only the three JSON kinds are what [`LogReader`](crate::LogReader) reads;
/// for every kind, [`hint`](InputKind::hint) says in one line what the user
/// can do about it.
///
/// ```
/// use gardener_log_model::{Compression, InputKind};
///
/// let yaml = b"---\ninsertId: 68c60a18\nlogName: projects/p/logs/run.googleapis.com%2Fstderr\n";
/// assert_eq!(InputKind::sniff(yaml), InputKind::GcloudYaml);
/// assert_eq!(InputKind::sniff(b"\x1f\x8b\x08\x00"), InputKind::Compressed(Compression::Gzip));
/// assert!(InputKind::sniff(b"[\n  {\"textPayload\": \"hi\"}").is_readable());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// No bytes, or only whitespace.
    Empty,
    /// Compressed data: decompress it, then sniff again.
    Compressed(Compression),
    /// A JSON array, as `gcloud logging read --format=json` writes it.
    JsonArray,
    /// One JSON object per line (NDJSON), as Cloud Storage sinks write it.
    JsonLines,
    /// JSON objects laid out otherwise: pretty objects one after another, a
    /// single object, API pages.
    JsonObjects,
    /// gcloud's default output, YAML: `---` between entries, keys such as
    /// `insertId:` and `logName:` at the start of lines.
    GcloudYaml,
    /// gcloud's `--format=value(...)` output: chosen fields, tab-separated,
    /// one entry per line.
    GcloudValue,
    /// gcloud's `--format=table(...)` or `--format=csv(...)` output: a header
    /// row of field names, then one entry per row.
    GcloudTable,
    /// Text in UTF-16, as Windows PowerShell's `>` writes it.
    Utf16,
    /// Text that is none of the above: plain log lines, a README.
    Text,
    /// Bytes that are not text.
    Binary,
}

/// A compression format recognized by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Compression {
    /// gzip (`1f 8b`): `.gz` exports, `gcloud storage cp` of compressed objects.
    Gzip,
    /// Zstandard (`28 b5 2f fd`).
    Zstd,
    /// bzip2 (`BZh1`..`BZh9`).
    Bzip2,
    /// xz (`fd 37 7a 58 5a 00`).
    Xz,
    /// A zip archive (`PK 03 04`).
    Zip,
}

impl Compression {
    fn from_magic(head: &[u8]) -> Option<Compression> {
        match head {
            [0x1f, 0x8b, ..] => Some(Compression::Gzip),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Compression::Zstd),
            [b'B', b'Z', b'h', b'1'..=b'9', ..] => Some(Compression::Bzip2),
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Compression::Xz),
            [b'P', b'K', 0x03, 0x04, ..] => Some(Compression::Zip),
            _ => None,
        }
    }

    /// The format's usual name: `gzip`, `zstd`, `bzip2`, `xz`, `zip`.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz",
            Compression::Zip => "zip",
        }
    }
}

/// Top-level LogEntry keys: gcloud's YAML writes them at the start of a line.
const ENTRY_KEYS: [&str; 16] = [
    "insertId",
    "logName",
    "receiveTimestamp",
    "timestamp",
    "severity",
    "textPayload",
    "jsonPayload",
    "protoPayload",
    "resource",
    "httpRequest",
    "labels",
    "trace",
    "spanId",
    "traceSampled",
    "sourceLocation",
    "operation",
];

/// Field names as gcloud writes them in table headers (upper snake case) and
/// CSV headers (as given, usually camelCase or snake case), compared after
/// removing `_` and case.
const ENTRY_COLUMNS: [&str; 14] = [
    "insertid",
    "logname",
    "receivetimestamp",
    "timestamp",
    "severity",
    "textpayload",
    "jsonpayload",
    "protopayload",
    "message",
    "servicename",
    "revisionname",
    "status",
    "requesturl",
    "trace",
];

const SEVERITY_NAMES: [&str; 9] = [
    "DEFAULT",
    "DEBUG",
    "INFO",
    "NOTICE",
    "WARNING",
    "ERROR",
    "CRITICAL",
    "ALERT",
    "EMERGENCY",
];

impl InputKind {
    /// Judges an input from its first bytes (up to [`SNIFF_BYTES`] are
    /// looked at; give the whole input when it is shorter).
    ///
    /// The checks, in order: no non-whitespace byte is [`Empty`](Self::Empty);
    /// compression magic bytes; a UTF-16 byte-order mark, or NULs at every
    /// other byte of ASCII text; after an optional UTF-8 byte-order mark and
    /// whitespace, `{` starts JSON objects (NDJSON when the first line is one
    /// complete object), `[` then `{` or `]` a JSON array (so `[INFO] ...` is
    /// not one); NUL or invalid UTF-8 is binary; gcloud's YAML, value and
    /// table output by their lines; anything else is text.
    pub fn sniff(head: &[u8]) -> InputKind {
        let head = &head[..head.len().min(SNIFF_BYTES)];
        if head.iter().all(u8::is_ascii_whitespace) {
            return InputKind::Empty;
        }
        if let Some(compression) = Compression::from_magic(head) {
            return InputKind::Compressed(compression);
        }
        if is_utf16(head) {
            return InputKind::Utf16;
        }
        let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = body
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(body.len());
        let body = &body[start..];
        match body.first() {
            None => return InputKind::Empty,
            Some(b'{') => return json_objects_kind(body),
            Some(b'[') if starts_json_array(body) => return InputKind::JsonArray,
            _ => {}
        }
        let Some(text) = text_of(body) else {
            return InputKind::Binary;
        };
        if looks_like_yaml(text) {
            InputKind::GcloudYaml
        } else if looks_like_table(text) {
            InputKind::GcloudTable
        } else if looks_like_value(text) {
            InputKind::GcloudValue
        } else {
            InputKind::Text
        }
    }

    /// Whether [`LogReader`](crate::LogReader) reads this kind of input.
    pub fn is_readable(self) -> bool {
        matches!(
            self,
            InputKind::JsonArray | InputKind::JsonLines | InputKind::JsonObjects
        )
    }

    /// What the input is, in a few words: "gcloud's YAML output".
    pub fn description(self) -> &'static str {
        match self {
            InputKind::Empty => "empty input",
            InputKind::Compressed(Compression::Gzip) => "gzip-compressed data",
            InputKind::Compressed(Compression::Zstd) => "zstd-compressed data",
            InputKind::Compressed(Compression::Bzip2) => "bzip2-compressed data",
            InputKind::Compressed(Compression::Xz) => "xz-compressed data",
            InputKind::Compressed(Compression::Zip) => "a zip archive",
            InputKind::JsonArray => "a JSON array",
            InputKind::JsonLines => "JSON lines (NDJSON)",
            InputKind::JsonObjects => "JSON objects",
            InputKind::GcloudYaml => "gcloud's YAML output",
            InputKind::GcloudValue => "gcloud's --format=value output",
            InputKind::GcloudTable => "gcloud's table or CSV output",
            InputKind::Utf16 => "UTF-16 text",
            InputKind::Text => "plain text",
            InputKind::Binary => "binary data",
        }
    }

    /// One line for a user whose input gave no entry: what it looks like and
    /// what to do.
    pub fn hint(self) -> &'static str {
        match self {
            InputKind::Empty => "the input is empty",
            InputKind::Compressed(Compression::Gzip) => {
                "this is gzip-compressed; decompress it first (gunzip)"
            }
            InputKind::Compressed(Compression::Zstd) => {
                "this is zstd-compressed; decompress it first (zstd -d)"
            }
            InputKind::Compressed(Compression::Bzip2) => {
                "this is bzip2-compressed; decompress it first (bunzip2)"
            }
            InputKind::Compressed(Compression::Xz) => {
                "this is xz-compressed; decompress it first (unxz)"
            }
            InputKind::Compressed(Compression::Zip) => {
                "this is a zip archive; extract the export from it first (unzip)"
            }
            InputKind::JsonArray | InputKind::JsonLines | InputKind::JsonObjects => {
                "this is JSON, but no record in it is a Cloud Logging entry"
            }
            InputKind::GcloudYaml => "this looks like YAML; run gcloud with --format=json",
            InputKind::GcloudValue => {
                "this looks like gcloud's --format=value output (chosen fields, not whole entries); run gcloud with --format=json"
            }
            InputKind::GcloudTable => {
                "this looks like gcloud's table or CSV output (chosen fields, not whole entries); run gcloud with --format=json"
            }
            InputKind::Utf16 => {
                "this is UTF-16 text, as PowerShell's > writes it; save it as UTF-8 (| Out-File -Encoding utf8)"
            }
            InputKind::Text => {
                "this is plain text, not JSON log entries; export with gcloud logging read --format=json"
            }
            InputKind::Binary => "this is binary data, not a log export",
        }
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// An input that gave no entry at all: the one line a command-line tool
/// prints before exiting with an error instead of an empty report.
///
/// ```
/// use gardener_log_model::{InputKind, NothingReadable};
///
/// let head = b"---\ninsertId: 1a2b\nlogName: projects/p/logs/x\nseverity: ERROR\n";
/// let error = NothingReadable { records: 349, input: InputKind::sniff(head) };
/// assert_eq!(
///     error.to_string(),
///     "0 of 349 records readable: this looks like YAML; run gcloud with --format=json"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NothingReadable {
    /// Records found in the input (all of them skipped as unreadable).
    pub records: u64,
    /// What the input looks like.
    pub input: InputKind,
}

impl fmt::Display for NothingReadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = if self.records == 1 {
            "record"
        } else {
            "records"
        };
        write!(
            f,
            "0 of {} {noun} readable: {}",
            self.records,
            self.input.hint()
        )
    }
}

impl std::error::Error for NothingReadable {}

/// A byte-order mark, or ASCII text with a NUL at every other byte.
fn is_utf16(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let pairs: Vec<&[u8]> = head.chunks_exact(2).take(16).collect();
    if pairs.len() < 2 {
        return false;
    }
    let text = |b: u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    let little = pairs.iter().all(|p| text(p[0]) && p[1] == 0);
    let big = pairs.iter().all(|p| p[0] == 0 && text(p[1]));
    little || big
}

/// `[` followed by `{` or `]` (or nothing yet): what gcloud writes. A log
/// line starting with `[INFO]` or `[2025-09-14 ...]` is not JSON.
fn starts_json_array(body: &[u8]) -> bool {
    matches!(
        body[1..].iter().find(|b| !b.is_ascii_whitespace()),
        None | Some(b'{' | b']')
    )
}

/// NDJSON when the first line is one complete object and the next line, if
/// the head holds one, starts another; otherwise objects in another layout.
fn json_objects_kind(body: &[u8]) -> InputKind {
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return InputKind::JsonObjects;
    };
    let first_line = &body[..end];
    if serde_json::from_slice::<IgnoredAny>(first_line).is_err() {
        return InputKind::JsonObjects;
    }
    match body[end..].iter().find(|b| !b.is_ascii_whitespace()) {
        None | Some(b'{') => InputKind::JsonLines,
        Some(_) => InputKind::JsonObjects,
    }
}

/// The head as text, or `None` when it holds a NUL, bytes that are not
/// UTF-8, or mostly control characters. A character cut by the end of the
/// head is dropped.
fn text_of(body: &[u8]) -> Option<&str> {
    if body.contains(&0) {
        return None;
    }
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(error) if error.error_len().is_none() => {
            std::str::from_utf8(&body[..error.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b'))
        .count();
    (controls * 10 <= text.chars().count()).then_some(text)
}

/// Complete lines of the head: the last one is dropped when the head may
/// have cut it.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let complete = match text.rfind('\n') {
        Some(end) if end + 1 < text.len() => &text[..end],
        _ => text,
    };
    complete
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty())
}

/// gcloud's YAML printer writes `---` before each entry and the entry's keys,
/// sorted, at the start of lines: a document marker and one LogEntry key, or
/// two different LogEntry keys, at column 0.
fn looks_like_yaml(text: &str) -> bool {
    let mut marker = false;
    let mut keys_seen = [false; ENTRY_KEYS.len()];
    for line in lines(text) {
        if line.trim_end() == "---" {
            marker = true;
            continue;
        }
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        if !(rest.is_empty() || rest.starts_with(' ')) {
            continue;
        }
        if let Some(index) = ENTRY_KEYS.iter().position(|k| *k == key) {
            keys_seen[index] = true;
        }
    }
    let keys = keys_seen.iter().filter(|&&seen| seen).count();
    keys >= 2 || (marker && keys >= 1)
}

/// A header row of field names, one of them a LogEntry field: upper snake
/// case separated by spaces (table), or names separated by commas (CSV).
fn looks_like_table(text: &str) -> bool {
    let Some(header) = lines(text).next() else {
        return false;
    };
    let table_columns: Vec<&str> = header.split_whitespace().collect();
    let is_table = table_columns.len() >= 2
        && table_columns.iter().all(|column| {
            column.starts_with(|c: char| c.is_ascii_uppercase())
                && column
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '.')
        });
    let csv_columns: Vec<&str> = header.split(',').map(str::trim).collect();
    let is_csv = csv_columns.len() >= 2
        && csv_columns.iter().all(|column| {
            !column.is_empty()
                && column
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        });
    let columns = if is_table {
        table_columns
    } else if is_csv {
        csv_columns
    } else {
        return false;
    };
    columns.iter().any(|column| {
        let last = column.rsplit('.').next().unwrap_or(column);
        let name: String = last
            .chars()
            .filter(|&c| c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        ENTRY_COLUMNS.contains(&name.as_str())
    })
}

/// Tab-separated fields on the first line, one of them an RFC 3339
/// timestamp or a severity name.
fn looks_like_value(text: &str) -> bool {
    let Some(first) = lines(text).next() else {
        return false;
    };
    let fields: Vec<&str> = first.split('\t').map(str::trim).collect();
    fields.len() >= 2
        && fields
            .iter()
            .any(|field| is_rfc3339_prefix(field) || SEVERITY_NAMES.contains(field))
}

/// `YYYY-MM-DDTHH:MM`, the start of every timestamp gcloud prints.
fn is_rfc3339_prefix(field: &str) -> bool {
    let bytes = field.as_bytes();
    bytes.len() >= 16
        && bytes[..16].iter().enumerate().all(|(i, &b)| match i {
            4 | 7 => b == b'-',
            10 => b == b'T' || b == b' ',
            13 => b == b':',
            _ => b.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! sniffs {
        ($($name:ident: $input:expr => $kind:expr;)*) => {$(
            #[test]
            fn $name() {
                let input: &[u8] = $input;
                assert_eq!(InputKind::sniff(input), $kind, "input {:?}", String::from_utf8_lossy(input));
            }
        )*};
    }

    sniffs! {
        nothing: b"" => InputKind::Empty;
        blank_lines: b"\n\r\n  \t\n" => InputKind::Empty;
        bom_only: b"\xEF\xBB\xBF\n" => InputKind::Empty;
        gzip: b"\x1f\x8b\x08\x00\x00\x00\x00\x00" => InputKind::Compressed(Compression::Gzip);
        zstd: b"\x28\xb5\x2f\xfd\x24\x00" => InputKind::Compressed(Compression::Zstd);
        bzip2: b"BZh91AY&SY" => InputKind::Compressed(Compression::Bzip2);
        xz: b"\xfd7zXZ\x00\x00" => InputKind::Compressed(Compression::Xz);
        zip: b"PK\x03\x04\x14\x00" => InputKind::Compressed(Compression::Zip);
        bzh_word_is_text: b"BZh is not a word\n" => InputKind::Text;
        utf16_le_bom: b"\xFF\xFE[\x00\n\x00" => InputKind::Utf16;
        utf16_le_without_bom: b"[\x00\n\x00 \x00 \x00{\x00" => InputKind::Utf16;
        utf16_be_without_bom: b"\x00[\x00\n\x00 \x00{" => InputKind::Utf16;
        array: b"[\n  {\n    \"insertId\": \"1\"" => InputKind::JsonArray;
        empty_array: b"[]" => InputKind::JsonArray;
        array_cut_after_bracket: b"[" => InputKind::JsonArray;
        array_after_bom: b"\xEF\xBB\xBF[{\"a\":1}]" => InputKind::JsonArray;
        bracketed_log_line: b"[2025-09-14 00:27:04 +0000] [1] [INFO] Booting worker with pid: 9\n" => InputKind::Text;
        ndjson: b"{\"insertId\":\"1\"}\n{\"insertId\":\"2\"}\n" => InputKind::JsonLines;
        ndjson_cut_in_second_line: b"{\"a\":1}\n{\"a\":" => InputKind::JsonLines;
        one_line_object: b"{\"a\":1}\n" => InputKind::JsonLines;
        pretty_object: b"{\n  \"insertId\": \"1\"\n}\n" => InputKind::JsonObjects;
        object_without_newline: b"{\"a\":1}" => InputKind::JsonObjects;
        nul_is_binary: b"ab\x00cd" => InputKind::Binary;
        invalid_utf8_is_binary: b"ab\xff\xfecd\n" => InputKind::Binary;
        control_characters_are_binary: b"\x01\x02\x03\x04\x05abc\x06\x07" => InputKind::Binary;
        cut_character_is_text: b"caf\xc3" => InputKind::Text;
        yaml: b"---\ninsertId: 68c60a18\nlogName: projects/p/logs/x\n" => InputKind::GcloudYaml;
        yaml_without_marker: b"insertId: 68c60a18\nlogName: projects/p/logs/x\n" => InputKind::GcloudYaml;
        yaml_marker_and_one_key: b"---\ntextPayload: hello\n---\n" => InputKind::GcloudYaml;
        other_yaml_is_text: b"---\nname: demo\nimage: nginx\n" => InputKind::Text;
        table: b"TIMESTAMP                    SEVERITY  TEXT_PAYLOAD\n2025-09-14T00:27:04Z  ERROR  boom\n" => InputKind::GcloudTable;
        table_header_without_entry_field: b"NAME  IMAGE\nweb   nginx\n" => InputKind::Text;
        csv: b"timestamp,severity,text_payload\n2025-09-14T00:27:04Z,ERROR,boom\n" => InputKind::GcloudTable;
        csv_camel_case: b"insertId,textPayload\n1,boom\n" => InputKind::GcloudTable;
        value: b"2025-09-14T00:27:04.303561Z\tERROR\tboom\n" => InputKind::GcloudValue;
        value_severity_first: b"WARNING\tretrying\n" => InputKind::GcloudValue;
        tabbed_text: b"name\tvalue\n" => InputKind::Text;
        plain_log_line: b"2025-09-14 00:27:04 ERROR boom\n" => InputKind::Text;
    }

    #[test]
    fn only_json_is_readable() {
        assert!(InputKind::JsonArray.is_readable());
        assert!(InputKind::JsonLines.is_readable());
        assert!(InputKind::JsonObjects.is_readable());
        assert!(!InputKind::GcloudYaml.is_readable());
        assert!(!InputKind::Compressed(Compression::Gzip).is_readable());
        assert!(!InputKind::Empty.is_readable());
    }

    #[test]
    fn bytes_past_the_sniffed_length_change_nothing() {
        let mut input = b"---\ninsertId: 1\nlogName: x\n".to_vec();
        let mut padded = input.clone();
        padded.resize(SNIFF_BYTES, b' ');
        padded.extend_from_slice(b"\x00\x00\x00");
        input.resize(SNIFF_BYTES, b' ');
        assert_eq!(InputKind::sniff(&padded), InputKind::sniff(&input));
    }

    #[test]
    fn one_record_is_singular() {
        let error = NothingReadable {
            records: 1,
            input: InputKind::Binary,
        };
        assert_eq!(
            error.to_string(),
            "0 of 1 record readable: this is binary data, not a log export"
        );
    }
}
