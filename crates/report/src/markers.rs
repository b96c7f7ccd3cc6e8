//! The hidden markers that tie an issue to fingerprints: which clusters it
//! covers, and up to when their occurrences have been seen.
//!
//! A marker is an HTML comment on a line of its own, invisible on GitHub:
//!
//! ```text
//! <!-- log-gardener:fingerprint=v1:d97e7145fa44a37b -->
//! <!-- log-gardener:fingerprint=v1:d97e7145fa44a37b seen-until=2025-09-15T00:06:45.120Z -->
//! ```
//!
//! The first form attaches a fingerprint; the second also says that every
//! occurrence up to that time has been seen: it is the newest occurrence the
//! issue has reported (or, in the comment that reopens an issue, the time
//! the issue had been closed at, if later, so that reopening it forgets
//! nothing). New issues carry one per covered fingerprint in their
//! description, and every comment the plan posts one per fingerprint it is
//! about, so the newest report is always in the issue's text.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};

/// What every marker starts with; the fingerprint, attributes and ` -->` follow.
const MARKER_PREFIX: &str = "<!-- log-gardener:fingerprint=";
const MARKER_SUFFIX: &str = " -->";
/// The attribute that says up to when occurrences were seen.
const SEEN_UNTIL_NAME: &str = "seen-until";

/// One marker: a fingerprint an issue covers, and the time up to which its
/// occurrences have been seen, when the marker says.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use gardener_report::FingerprintMarker;
///
/// let marker = FingerprintMarker {
///     fingerprint: "v1:d97e7145fa44a37b".to_owned(),
///     seen_until: Utc.with_ymd_and_hms(2025, 9, 15, 0, 6, 45).single(),
/// };
/// let line = marker.to_string();
/// assert_eq!(line, "<!-- log-gardener:fingerprint=v1:d97e7145fa44a37b seen-until=2025-09-15T00:06:45Z -->");
/// assert_eq!(FingerprintMarker::parse(&line), Some(marker));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FingerprintMarker {
    /// The fingerprint, as markers carry it (see [`fingerprint_marker`]).
    pub fingerprint: String,
    /// Every occurrence up to this time has been seen.
    pub seen_until: Option<DateTime<Utc>>,
}

impl FingerprintMarker {
    /// A marker for `fingerprint` (made safe to carry, see
    /// [`fingerprint_marker`]) whose occurrences up to `seen_until` were seen.
    pub fn new(fingerprint: &str, seen_until: Option<DateTime<Utc>>) -> FingerprintMarker {
        FingerprintMarker {
            fingerprint: issue_key(fingerprint),
            seen_until,
        }
    }

    /// Reads a line that is exactly a marker (surrounding spaces aside).
    /// Unknown `name=value` attributes are skipped, so that later versions
    /// can add some; anything else makes the line not a marker.
    pub fn parse(line: &str) -> Option<FingerprintMarker> {
        let (fingerprint, seen_until) = parse_line(line)?;
        Some(FingerprintMarker {
            fingerprint: fingerprint.to_owned(),
            seen_until,
        })
    }
}

/// The fingerprint and time of a line that is exactly a marker.
fn parse_line(line: &str) -> Option<(&str, Option<DateTime<Utc>>)> {
    let inner = line
        .trim()
        .strip_prefix(MARKER_PREFIX)?
        .strip_suffix(MARKER_SUFFIX)?;
    let mut parts = inner.split(' ');
    let fingerprint = parts.next()?;
    if fingerprint.is_empty() || issue_key(fingerprint) != fingerprint {
        return None;
    }
    let mut seen_until = None;
    for part in parts {
        let (name, value) = part.split_once('=')?;
        if name.is_empty() || value.is_empty() {
            return None;
        }
        if name == SEEN_UNTIL_NAME {
            let time = DateTime::parse_from_rfc3339(value).ok()?;
            seen_until = Some(time.to_utc());
        }
    }
    Some((fingerprint, seen_until))
}

impl fmt::Display for FingerprintMarker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{MARKER_PREFIX}{}", issue_key(&self.fingerprint))?;
        if let Some(time) = self.seen_until {
            write!(
                f,
                " {SEEN_UNTIL_NAME}={}",
                time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            )?;
        }
        f.write_str(MARKER_SUFFIX)
    }
}

/// The markers `text` carries, in order: lines that are exactly a marker.
/// Marker text elsewhere, such as inside a quoted log line, does not count.
///
/// ```
/// use gardener_report::markers_in;
/// let body = "Evidence...\n\n<!-- log-gardener:fingerprint=v1:61df289aaa4e04c4 seen-until=2025-09-15T00:27:07.486Z -->\r\n";
/// let markers = markers_in(body);
/// assert_eq!(markers[0].fingerprint, "v1:61df289aaa4e04c4");
/// assert_eq!(markers[0].seen_until.map(|t| t.to_rfc3339()).as_deref(), Some("2025-09-15T00:27:07.486+00:00"));
/// ```
pub fn markers_in(text: &str) -> Vec<FingerprintMarker> {
    text.lines().filter_map(FingerprintMarker::parse).collect()
}

/// The plain marker an issue body carries for a fingerprint.
///
/// ```
/// use gardener_report::fingerprint_marker;
/// assert_eq!(
///     fingerprint_marker("v1:61df289aaa4e04c4"),
///     "<!-- log-gardener:fingerprint=v1:61df289aaa4e04c4 -->"
/// );
/// ```
pub fn fingerprint_marker(fingerprint: &str) -> String {
    FingerprintMarker::new(fingerprint, None).to_string()
}

/// The fingerprints whose markers `body` carries, in order (see [`markers_in`]).
///
/// ```
/// use gardener_report::fingerprints_in;
/// let body = "Evidence...\n\n<!-- log-gardener:fingerprint=v1:61df289aaa4e04c4 -->\r\n";
/// assert_eq!(fingerprints_in(body), ["v1:61df289aaa4e04c4"]);
/// assert!(fingerprints_in("`<!-- log-gardener:fingerprint=v1:00 -->`").is_empty());
/// ```
pub fn fingerprints_in(body: &str) -> Vec<&str> {
    body.lines()
        .filter_map(|line| Some(parse_line(line)?.0))
        .collect()
}

/// A fingerprint as markers carry it: only `A-Z a-z 0-9 : . _ -`, at most
/// 100 characters, so it cannot end the HTML comment it sits in. Real
/// fingerprints (`v1:` and hex digits) are unchanged.
pub(crate) fn issue_key(fingerprint: &str) -> String {
    fingerprint
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Marker text quoted from a log gets a zero-width space, so that only the
/// markers this crate appends are ever found.
pub(crate) fn defang_markers(text: &str) -> Cow<'_, str> {
    const NEEDLE: &str = "log-gardener:fingerprint";
    if text.contains(NEEDLE) {
        Cow::Owned(text.replace(NEEDLE, "log-gardener:\u{200b}fingerprint"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! keys {
        ($($name:ident: $input:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                assert_eq!(issue_key($input), $expected, "input {:?}", $input);
            }
        )*};
    }

    keys! {
        real_fingerprint_unchanged: "v1:61df289aaa4e04c4" => "v1:61df289aaa4e04c4",
        comment_end_is_neutralized: "v1:00 --> <b>" => "v1:00_--___b_",
        newline_is_neutralized: "v1:00\n<!--" => "v1:00___--",
    }

    macro_rules! parses {
        ($($name:ident: $line:expr => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let parsed = FingerprintMarker::parse($line)
                    .map(|m| (m.fingerprint, m.seen_until.map(|t| t.to_rfc3339())));
                let expected: Option<(&str, Option<&str>)> = $expected;
                let expected = expected.map(|(f, t)| (f.to_owned(), t.map(str::to_owned)));
                assert_eq!(parsed, expected, "line {:?}", $line);
            }
        )*};
    }

    parses! {
        plain: "<!-- log-gardener:fingerprint=v1:0a -->" => Some(("v1:0a", None)),
        indented_with_crlf: "  <!-- log-gardener:fingerprint=v1:0a -->\r" => Some(("v1:0a", None)),
        with_time: "<!-- log-gardener:fingerprint=v1:0a seen-until=2025-09-15T00:27:07.5Z -->" =>
            Some(("v1:0a", Some("2025-09-15T00:27:07.500+00:00"))),
        offset_time_is_utc: "<!-- log-gardener:fingerprint=v1:0a seen-until=2025-09-15T02:00:00+02:00 -->" =>
            Some(("v1:0a", Some("2025-09-15T00:00:00+00:00"))),
        unknown_attribute_is_skipped: "<!-- log-gardener:fingerprint=v1:0a run=7 -->" => Some(("v1:0a", None)),
        bad_time_is_no_marker: "<!-- log-gardener:fingerprint=v1:0a seen-until=yesterday -->" => None,
        stray_word_is_no_marker: "<!-- log-gardener:fingerprint=v1:0a and more -->" => None,
        quoted_is_no_marker: "`<!-- log-gardener:fingerprint=v1:0a -->`" => None,
        empty_fingerprint_is_no_marker: "<!-- log-gardener:fingerprint= -->" => None,
        unsafe_fingerprint_is_no_marker: "<!-- log-gardener:fingerprint=v1:<b> -->" => None,
    }

    #[test]
    fn markers_round_trip() {
        let marker = FingerprintMarker::new(
            "v1:0123456789abcdef",
            DateTime::parse_from_rfc3339("2025-09-15T00:27:07.486178947Z")
                .ok()
                .map(|t| t.to_utc()),
        );
        assert_eq!(markers_in(&marker.to_string()), [marker]);
        assert_eq!(
            fingerprints_in(&fingerprint_marker("v1:0123456789abcdef")),
            ["v1:0123456789abcdef"]
        );
    }

    #[test]
    fn quoted_markers_are_defanged() {
        let quoted = crate::escape::code_block(
            "text",
            "<!-- log-gardener:fingerprint=v1:0000000000000000 -->",
        );
        assert_eq!(fingerprints_in(&quoted), ["v1:0000000000000000"]);
        assert!(fingerprints_in(&defang_markers(&quoted)).is_empty());
    }
}
