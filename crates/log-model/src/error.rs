//! Positioned read errors.

use std::fmt;

/// Where in the input a record or an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based number of the record (entry) in the input.
    pub record: u64,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in bytes.
    pub column: u64,
    /// 0-based byte offset from the start of the input.
    pub offset: u64,
}

impl Position {
    /// The start of an input: record 1, line 1, column 1, byte 0.
    pub const START: Position = Position {
        record: 1,
        line: 1,
        column: 1,
        offset: 0,
    };

    /// The position of `part`, a slice of `whole`, when `whole` starts at
    /// `self` (same record). A `part` that is not inside `whole` is placed at
    /// its nearest end.
    ///
    /// ```
    /// use gardener_log_model::Position;
    /// let whole = "[\n  {\"a\": 1},\n  {\"b\": 2}\n]";
    /// let part = &whole[whole.find("{\"b").unwrap()..];
    /// let position = Position::START.of_slice(whole, part);
    /// assert_eq!((position.line, position.column, position.offset), (3, 3, 16));
    /// ```
    pub fn of_slice(self, whole: &str, part: &str) -> Position {
        let offset = (part.as_ptr() as usize)
            .saturating_sub(whole.as_ptr() as usize)
            .min(whole.len());
        let before = &whole.as_bytes()[..offset];
        let newlines = before.iter().filter(|&&b| b == b'\n').count() as u64;
        let column = match before.iter().rposition(|&b| b == b'\n') {
            Some(last_newline) => (offset - last_newline) as u64,
            None => self.column + offset as u64,
        };
        Position {
            record: self.record,
            line: self.line + newlines,
            column,
            offset: self.offset + offset as u64,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "record {}, line {}, column {}, byte {}",
            self.record, self.line, self.column, self.offset
        )
    }
}

/// What went wrong while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bytes that cannot start or continue a JSON record here.
    UnexpectedInput,
    /// The input ended inside a record.
    Truncated,
    /// A record is not valid JSON, or not a log entry.
    InvalidRecord(String),
    /// A record is larger than the reader's limit.
    RecordTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

/// A read error, with the position of the bad input and a short excerpt of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    position: Position,
    excerpt: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, position: Position, excerpt: &[u8]) -> Error {
        Error {
            kind,
            position,
            excerpt: make_excerpt(excerpt),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong.
    pub fn position(&self) -> Position {
        self.position
    }

    /// Up to 60 characters of the input at that position.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::UnexpectedInput => write!(f, "unexpected input at {}", self.position)?,
            ErrorKind::Truncated => write!(f, "input ends inside a record at {}", self.position)?,
            ErrorKind::InvalidRecord(why) => {
                write!(f, "invalid log entry at {}: {}", self.position, why)?
            }
            ErrorKind::RecordTooLarge { limit } => write!(
                f,
                "record at {} is larger than the limit of {limit} bytes",
                self.position
            )?,
        }
        if !self.excerpt.is_empty() {
            write!(f, " near `{}`", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

const EXCERPT_CHARS: usize = 60;
/// The most bytes an excerpt is made from.
pub(crate) const EXCERPT_BYTES: usize = EXCERPT_CHARS * 4;

fn make_excerpt(bytes: &[u8]) -> String {
    let head = &bytes[..bytes.len().min(EXCERPT_BYTES)];
    let text = String::from_utf8_lossy(head);
    let mut excerpt: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        excerpt.push('…');
    }
    excerpt.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_position_and_excerpt() {
        let position = Position {
            record: 3,
            line: 7,
            column: 2,
            offset: 120,
        };
        let error = Error::new(ErrorKind::UnexpectedInput, position, b"garbage\nmore");
        assert_eq!(
            error.to_string(),
            "unexpected input at record 3, line 7, column 2, byte 120 near `garbage more`"
        );
    }
}
