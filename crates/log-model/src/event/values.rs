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
    let start = name
        .find("/logs/")
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
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
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
