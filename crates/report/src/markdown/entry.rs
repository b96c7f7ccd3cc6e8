//! The representative entry: a few key fields by default, the whole entry in
//! the complete worklog; a re-joined traceback never again as an escaped
//! string once the stack above shows it.

use std::fmt::Write as _;

use serde_json::Value;

use crate::escape::{code_block, inline_code};
use crate::evidence::{cut_chars, time, MAX_VALUE_CHARS};
use crate::worklog::WorklogCluster;

/// Fields shown of an entry by default.
const MAX_FIELDS: usize = 12;
/// Longest field value shown, in characters.
const MAX_FIELD_CHARS: usize = 160;
/// Longest field path shown, in characters.
const MAX_PATH_CHARS: usize = 80;
/// Items named of an array of plain values.
const ARRAY_ITEMS_SHOWN: usize = 3;
/// Characters shown of an entry that is not valid JSON (cut at capture).
const MAX_RAW_CHARS: usize = 600;

/// Fields the caption already gives, or that only repeat another.
const SKIPPED: [&str; 3] = ["insertId", "timestamp", "receiveTimestamp"];
/// Objects that are bags of short key-value pairs, shown on one line.
const BAGS: [&str; 4] = ["labels", "httpRequest", "sourceLocation", "operation"];
/// Longest value in a one-line bag, in characters.
const MAX_BAG_VALUE_CHARS: usize = 40;
/// Keys of a bag said first, so that a cut line keeps them: what a request
/// was and how it ended.
const BAG_KEYS_FIRST: [&str; 4] = ["requestMethod", "requestUrl", "status", "latency"];

/// How soon a field is shown: what and where first, then the message and
/// request, then labels, then everything else.
fn importance(path: &str) -> u8 {
    match path {
        "severity" | "logName" => 0,
        "textPayload" | "joinedInsertIds" => 1,
        "resource.type" | "resource.labels" => 1,
        _ if path.ends_with(".message") || path.ends_with(".msg") => 1,
        "httpRequest" => 2,
        _ if path.starts_with("protoPayload.status.")
            || path == "protoPayload.methodName"
            || path == "protoPayload.serviceName"
            || path == "protoPayload.resourceName" =>
        {
            2
        }
        "labels" | "sourceLocation" => 3,
        _ => 4,
    }
}

/// The caption line: `**Entry** `id` at 2025-09-15 00:27:07 UTC`.
fn caption(cluster: &WorklogCluster, note: &str) -> Option<String> {
    let entry = cluster.representative.as_ref()?;
    let id = if entry.insert_id.is_empty() {
        String::new()
    } else {
        format!(
            " {}",
            inline_code(&cut_chars(&entry.insert_id, MAX_VALUE_CHARS))
        )
    };
    Some(format!(
        "**Entry**{id} at {}{note}:\n\n",
        time(entry.timestamp)
    ))
}

/// Whether a string field is the traceback the stack above already shows.
fn is_shown_stack(text: &str, cluster: &WorklogCluster) -> bool {
    let Some(exception) = &cluster.exception else {
        return false;
    };
    !exception.frames.is_empty() && text.contains('\n') && text.contains(exception.kind.as_str())
}

fn stack_note(text: &str) -> String {
    format!("(the traceback above, {} lines)", text.lines().count())
}

/// Replaces the traceback the stack shows by a note, everywhere in `value`.
fn elide_stack(value: &mut Value, cluster: &WorklogCluster) {
    match value {
        Value::String(text) if is_shown_stack(text, cluster) => *text = stack_note(text),
        Value::Array(items) => items.iter_mut().for_each(|v| elide_stack(v, cluster)),
        Value::Object(map) => map.values_mut().for_each(|v| elide_stack(v, cluster)),
        _ => {}
    }
}

fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut_chars(flat.trim(), MAX_FIELD_CHARS)
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// `projects/p/logs/run.googleapis.com%2Fstderr` → `run.googleapis.com/stderr`:
/// a log name is its project's path and the URL-encoded log id.
fn log_id(log_name: &str) -> String {
    let id = log_name.split_once("/logs/").map_or(log_name, |(_, id)| id);
    id.replace("%2F", "/").replace("%2f", "/")
}

/// Whether `value` is one of the services, revisions or instances the
/// cluster's "Where" line names already.
fn said_where(cluster: &WorklogCluster, value: &str) -> bool {
    [&cluster.services, &cluster.revisions, &cluster.instances]
        .into_iter()
        .flatten()
        .any(|place| place.value == value)
}

/// A bag of key-value pairs on one line, without the places the "Where"
/// line names: `project_id=netra-staging, location=us-central1`. `None` if
/// a value is not plain or nothing is left.
fn bag(map: &serde_json::Map<String, Value>, cluster: &WorklogCluster) -> Option<String> {
    let mut pairs: Vec<(&String, String)> = map
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, value)| Some((key, scalar(value)?)))
        .collect::<Option<_>>()?;
    // Stable: the other keys keep the entry's order.
    pairs.sort_by_key(|(key, _)| {
        BAG_KEYS_FIRST
            .iter()
            .position(|first| first == key)
            .unwrap_or(BAG_KEYS_FIRST.len())
    });
    let shown: Vec<String> = pairs
        .into_iter()
        .filter(|(_, value)| !said_where(cluster, value))
        .map(|(key, value)| format!("{key}={}", cut_chars(&value, MAX_BAG_VALUE_CHARS)))
        .collect();
    (!shown.is_empty()).then(|| one_line(&shown.join(", ")))
}

/// Whether `map` is a bag of plain values.
fn is_bag(map: &serde_json::Map<String, Value>) -> bool {
    map.values()
        .all(|value| value.is_null() || scalar(value).is_some())
}

/// Every leaf of `value` as `(path, shown value)`, in document order.
fn leaves(value: &Value, path: &str, cluster: &WorklogCluster, out: &mut Vec<(String, String)>) {
    let key = path.rsplit('.').next().unwrap_or(path);
    match value {
        Value::Object(map) if BAGS.contains(&key) && is_bag(map) => {
            if let Some(text) = bag(map, cluster) {
                out.push((path.to_owned(), text));
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if path.is_empty() && SKIPPED.contains(&key.as_str()) {
                    continue;
                }
                leaves(child, &child_path, cluster, out);
            }
        }
        Value::Array(items) => {
            let plain: Vec<String> = items.iter().filter_map(scalar).collect();
            let mut text = format!("{} items", items.len());
            if plain.len() == items.len() && !plain.is_empty() {
                let named: Vec<String> = plain
                    .iter()
                    .take(ARRAY_ITEMS_SHOWN)
                    .map(|v| cut_chars(v, 40))
                    .collect();
                let _ = write!(text, ": {}", named.join(", "));
                if plain.len() > ARRAY_ITEMS_SHOWN {
                    text.push_str(", …");
                }
            }
            out.push((path.to_owned(), text));
        }
        Value::Null => {}
        Value::String(text) if is_shown_stack(text, cluster) => {
            out.push((path.to_owned(), stack_note(text)));
        }
        Value::String(text) if path == "logName" => {
            out.push((path.to_owned(), one_line(&log_id(text))))
        }
        other => {
            if let Some(text) = scalar(other) {
                out.push((path.to_owned(), one_line(&text)));
            }
        }
    }
}

/// A few key fields of the representative entry, as `path: value` lines.
pub(super) fn compact(cluster: &WorklogCluster) -> Option<String> {
    let entry = cluster.representative.as_ref()?;
    let Ok(value) = serde_json::from_str::<Value>(&entry.json) else {
        let caption = caption(cluster, " (not valid JSON, cut when it was captured)")?;
        return Some(format!(
            "{caption}{}",
            code_block("text", &cut_chars(&entry.json, MAX_RAW_CHARS))
        ));
    };
    let mut fields = Vec::new();
    leaves(&value, "", cluster, &mut fields);
    let total = fields.len();
    // Stable: fields of equal importance keep the entry's order.
    fields.sort_by_key(|(path, _)| importance(path));
    fields.truncate(MAX_FIELDS);
    let note = if total > fields.len() {
        format!(
            " ({} more fields in the complete worklog)",
            total - fields.len()
        )
    } else {
        String::new()
    };
    let mut text = String::new();
    for (path, value) in &fields {
        let _ = writeln!(text, "{}: {value}", cut_chars(path, MAX_PATH_CHARS));
    }
    if fields.is_empty() {
        text.push_str("(no fields)\n");
    }
    Some(format!(
        "{}{}",
        caption(cluster, &note)?,
        code_block("text", &text)
    ))
}

/// The whole representative entry as JSON, the traceback the stack shows
/// replaced by a note.
pub(super) fn complete(cluster: &WorklogCluster) -> Option<String> {
    let entry = cluster.representative.as_ref()?;
    let json = match serde_json::from_str::<Value>(&entry.json) {
        Ok(mut value) => {
            elide_stack(&mut value, cluster);
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| entry.json.clone())
        }
        Err(_) => entry.json.clone(),
    };
    Some(format!(
        "{}{}",
        caption(cluster, "")?,
        code_block("json", &json)
    ))
}

#[cfg(test)]
mod tests {
    use gardener_prioritize::Priority;

    use super::*;
    use crate::worklog::tests_support::cluster;
    use crate::worklog::{ExceptionSummary, RepresentativeEntry};

    fn with_entry(json: &str) -> WorklogCluster {
        let mut cluster = cluster("t", Priority::P0);
        cluster.representative = Some(RepresentativeEntry {
            insert_id: "abc".to_owned(),
            timestamp: None,
            json: json.to_owned(),
        });
        cluster
    }

    const TRACEBACK_ENTRY: &str = r#"{
        "insertId": "abc", "severity": "ERROR", "timestamp": "2025-09-15T00:27:07Z",
        "textPayload": "Traceback (most recent call last):\n  File \"/app/main.py\", line 3, in <module>\nZeroDivisionError: division by zero",
        "joinedInsertIds": ["a", "b", "c", "d"],
        "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api"}}
    }"#;

    fn with_stack(mut cluster: WorklogCluster) -> WorklogCluster {
        cluster.exception = Some(ExceptionSummary {
            kind: "ZeroDivisionError".to_owned(),
            message: "division by zero".to_owned(),
            frames: vec!["/app/main.py:3 in <module>".to_owned()],
        });
        cluster
    }

    #[test]
    fn key_fields_come_first_and_the_caption_fields_are_not_repeated() {
        let text = compact(&with_entry(TRACEBACK_ENTRY)).expect("an entry");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "**Entry** `abc` at unknown:");
        assert_eq!(lines[3], "severity: ERROR", "{text}");
        assert_eq!(lines[4], "joinedInsertIds: 4 items: a, b, c, …", "{text}");
        // The service is said by the "Where" line.
        assert_eq!(lines[5], "resource.type: cloud_run_revision", "{text}");
        assert!(!text.contains("timestamp:"), "{text}");
        assert!(!text.contains("insertId:"), "{text}");
    }

    #[test]
    fn the_traceback_the_stack_shows_is_not_repeated() {
        let cluster = with_stack(with_entry(TRACEBACK_ENTRY));
        let text = compact(&cluster).expect("an entry");
        assert!(
            text.contains("textPayload: (the traceback above, 3 lines)"),
            "{text}"
        );
        assert!(!text.contains("division by zero"), "{text}");
        let full = complete(&cluster).expect("an entry");
        assert!(
            full.contains(r#""textPayload": "(the traceback above, 3 lines)""#),
            "{full}"
        );
        assert!(!full.contains("division by zero"), "{full}");
    }

    #[test]
    fn without_a_stack_the_message_is_shown_on_one_line() {
        let text = compact(&with_entry(TRACEBACK_ENTRY)).expect("an entry");
        assert!(
            text.contains("textPayload: Traceback (most recent call last):   File"),
            "{text}"
        );
    }

    #[test]
    fn the_log_name_is_its_log_id() {
        let json = r#"{"logName": "projects/netra-staging/logs/run.googleapis.com%2Fstderr"}"#;
        let text = compact(&with_entry(json)).expect("an entry");
        assert!(
            text.contains("logName: run.googleapis.com/stderr\n"),
            "{text}"
        );
    }

    #[test]
    fn label_bags_are_one_line_with_short_values() {
        let json = format!(
            r#"{{"labels": {{"instanceId": "{}", "zone": "us-central1"}}}}"#,
            "0".repeat(96)
        );
        let text = compact(&with_entry(&json)).expect("an entry");
        assert!(
            text.contains(&format!(
                "labels: instanceId={}…, zone=us-central1\n",
                "0".repeat(39)
            )),
            "{text}"
        );
    }

    #[test]
    fn a_request_says_what_it_was_and_how_it_ended_first() {
        let json = r#"{"httpRequest": {"latency": "3.0s", "protocol": "HTTP/1.1", "remoteIp": "10.0.0.1", "requestMethod": "GET", "requestUrl": "https://a/ws", "status": 503}}"#;
        let text = compact(&with_entry(json)).expect("an entry");
        assert!(
            text.contains("httpRequest: requestMethod=GET, requestUrl=https://a/ws, status=503, latency=3.0s, protocol=HTTP/1.1, remoteIp=10.0.0.1\n"),
            "{text}"
        );
    }

    #[test]
    fn at_most_twelve_fields_with_a_count_of_the_rest() {
        let fields: Vec<String> = (0..20).map(|i| format!(r#""f{i:02}": {i}"#)).collect();
        let json = format!(r#"{{"jsonPayload": {{{}}}}}"#, fields.join(","));
        let text = compact(&with_entry(&json)).expect("an entry");
        assert!(
            text.contains("(8 more fields in the complete worklog)"),
            "{text}"
        );
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("jsonPayload."))
                .count(),
            12
        );
    }

    #[test]
    fn an_entry_cut_at_capture_is_shown_raw_and_short() {
        let json = format!(r#"{{"textPayload": "{}"#, "x".repeat(5000));
        let text = compact(&with_entry(&json)).expect("an entry");
        assert!(text.contains("not valid JSON"), "{text}");
        assert!(text.len() < 1000, "{}", text.len());
    }
}
