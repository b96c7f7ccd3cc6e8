//! Parsing the values of LogEntry fields: log names, timestamps, durations.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::lenient;

/// `projects/my-project/logs/x` → `my-project`.
pub(super) fn project_of_log_name(name: &str) -> Option<&str> {
    let rest = name.trim_start_matches('/').strip_prefix("projects/")?;
    let project = rest.split('/').next()?;
    (!project.is_empty()).then_some(project)
}

/// `projects/p/logs/run.googleapis.com%2Fstderr` → `run.googleapis.com/stderr`.
pub(super) fn decode_log_name(name: Cow<'_, str>) -> Cow<'_, str> {
    // Found from its slashes: `str::find` with a string pattern sets up a
    // searcher that costs more than this whole, short name.
    let start = name
        .match_indices('/')
        .map(|(index, _)| index)
        .find(|&index| name[index..].starts_with("/logs/"))
        .map_or(0, |index| index + "/logs/".len());
    let id = &name[start..];
    if !id.contains('%') {
        return match name {
            Cow::Borrowed(name) => Cow::Borrowed(&name[start..]),
            Cow::Owned(name) => Cow::Owned(name[start..].to_owned()),
        };
    }
    Cow::Owned(percent_decode(id))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let decoded = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// RFC 3339 with 0 to 9 fractional digits and any offset, or the JSON of a
/// protobuf Timestamp (`{"seconds": 1726300000, "nanos": 5}`).
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.starts_with('{') {
        let (seconds, nanos) = seconds_nanos_json(text)?;
        return seconds_and_nanos(seconds, nanos);
    }
    utc_timestamp(text).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|time| time.with_timezone(&Utc))
    })
}

/// The shape Cloud Logging writes, `2025-09-14T00:27:04.376098Z`, parsed
/// without the general RFC 3339 machinery (it is on every entry's path);
/// anything else (offsets, lower-case separators, leap seconds) is left to chrono.
fn utc_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[bytes.len() - 1] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes.get(range)?.iter().try_fold(0u32, |value, &b| {
            b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(index, byte)| bytes[index] != byte) {
        return None;
    }
    let fraction = &bytes[19..bytes.len() - 1];
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let value = number(20..20 + digits.len())?;
            value * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let date =
        chrono::NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)?;
    let time = date.and_hms_nano_opt(number(11..13)?, number(14..16)?, number(17..19)?, nanos)?;
    Some(time.and_utc())
}

fn seconds_nanos_json(text: &str) -> Option<(i64, i64)> {
    #[derive(Deserialize)]
    struct SecondsNanos {
        #[serde(default, deserialize_with = "lenient::integer")]
        seconds: Option<i64>,
        #[serde(default, deserialize_with = "lenient::integer")]
        nanos: Option<i64>,
    }
    let value: SecondsNanos = serde_json::from_str(text).ok()?;
    Some((value.seconds?, value.nanos.unwrap_or(0)))
}

pub(super) fn seconds_and_nanos(seconds: i64, nanos: i64) -> Option<DateTime<Utc>> {
    let nanos = u32::try_from(nanos)
        .ok()
        .filter(|&nanos| nanos < 1_000_000_000)?;
    DateTime::from_timestamp(seconds, nanos)
}

/// `"0.783137066s"` → 0.783137066. Also accepts a bare number of seconds and
/// a protobuf Duration's JSON (`{"seconds": 1, "nanos": 5}`).
pub(crate) fn parse_duration_seconds(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.starts_with('{') {
        let (seconds, nanos) = seconds_nanos_json(text)?;
        return Some(seconds as f64 + nanos as f64 / 1e9);
    }
    let number = text.strip_suffix('s').unwrap_or(text);
    number
        .parse::<f64>()
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
}

#[cfg(test)]
mod timestamp_tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_chrono() {
        for text in [
            "2025-09-14T00:27:04Z",
            "2025-09-14T00:27:04.3Z",
            "2025-09-14T00:27:04.376098Z",
            "2024-05-05T10:32:19.45570687Z",
            "2024-02-29T23:59:59.999999999Z",
        ] {
            let expected = DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&Utc))
                .ok();
            assert_eq!(utc_timestamp(text), expected, "{text}");
        }
        for text in [
            "2025-09-14T00:27:04+02:00",
            "2025-02-30T00:00:00Z",
            "2025-09-14t00:27:04Z",
            "2025-09-14T00:27:04.Z",
            "2025-09-14T00:27:04.1234567890Z",
        ] {
            assert_eq!(utc_timestamp(text), None, "{text}");
        }
        assert_eq!(
            parse_timestamp("2025-09-14T02:27:04+02:00"),
            parse_timestamp("2025-09-14T00:27:04Z")
        );
    }
}
