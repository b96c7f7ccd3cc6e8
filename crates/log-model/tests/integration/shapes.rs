//! Every input shape, read whole and in small chunks, gives the same events.

use serde_json::{json, Value};

use crate::support::{event_json, read, read_chunked, Read};

fn snapshot_of(entries: &[Read], errors: &[gardener_log_model::Error]) -> Value {
    json!({
        "entries": entries
            .iter()
            .map(|read| json!({"position": read.position, "event": event_json(&read.event)}))
            .collect::<Vec<_>>(),
        "errors": errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

/// The events of a fixture, checked to be the same whether the input comes
/// whole or 7 bytes at a time.
fn events_of(input: &[u8]) -> Value {
    let (entries, errors) = read(input);
    let (chunked, chunked_errors) = read_chunked(input, 7);
    let whole = snapshot_of(&entries, &errors);
    assert_eq!(
        whole,
        snapshot_of(&chunked, &chunked_errors),
        "chunking changed the result"
    );
    whole
}

/// The canonical events: `gcloud logging read --format=json`.
fn canonical() -> Vec<Value> {
    let (entries, errors) = read(include_bytes!("../data/gcloud_array.json"));
    assert!(errors.is_empty());
    entries.iter().map(|read| event_json(&read.event)).collect()
}

fn events_only(snapshot: &Value) -> Vec<Value> {
    snapshot["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|entry| entry["event"].clone())
        .collect()
}

macro_rules! shape {
    ($name:ident, $file:literal, same_events: $same:expr) => {
        #[test]
        fn $name() {
            let snapshot = events_of(include_bytes!(concat!("../data/", $file)));
            if $same {
                assert_eq!(
                    events_only(&snapshot),
                    canonical(),
                    "{} reads as gcloud_array.json",
                    $file
                );
            }
            insta::assert_json_snapshot!(snapshot);
        }
    };
}

shape!(gcloud_array, "gcloud_array.json", same_events: true);
shape!(ndjson_sink, "ndjson_sink.json", same_events: true);
shape!(concatenated_objects, "concatenated_objects.json", same_events: true);
shape!(api_pages, "api_pages.json", same_events: true);
shape!(deindented_crlf_array, "deindented_crlf_array.json", same_events: true);
shape!(single_object, "single_object.json", same_events: false);
shape!(tail_unterminated, "tail_unterminated.json", same_events: false);

#[test]
fn tail_reads_like_read_but_for_its_defaults() {
    let (entries, errors) = read(include_bytes!("../data/tail_unterminated.json"));
    assert!(errors.is_empty(), "{errors:?}");
    let mut events: Vec<Value> = entries.iter().map(|read| event_json(&read.event)).collect();
    // `tail` prints unset booleans as `false`; everything else is the same.
    for event in &mut events {
        if event["trace_sampled"] == json!(false) {
            event["trace_sampled"] = Value::Null;
        }
    }
    assert_eq!(events, canonical());
}

#[test]
fn single_object_is_the_third_entry() {
    let (entries, _) = read(include_bytes!("../data/single_object.json"));
    assert_eq!(entries.len(), 1);
    assert_eq!(event_json(&entries[0].event), canonical()[2]);
}

#[test]
fn empty_inputs() {
    for input in [
        &b""[..],
        b"[]\n",
        b"[\n]",
        b"   \n",
        b"{}",
        b"{\"entries\": []}",
        b"{\"nextPageToken\": \"x\"}",
    ] {
        let (entries, errors) = read(input);
        assert!(
            entries.is_empty() && errors.is_empty(),
            "{:?}: {} entries, {errors:?}",
            String::from_utf8_lossy(input),
            entries.len()
        );
    }
}

#[test]
fn byte_order_mark_cut_by_chunking() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice(include_bytes!("../data/ndjson_sink.json"));
    for chunk in [1, 2, 3, 1000] {
        let (entries, errors) = read_chunked(&input, chunk);
        assert_eq!(entries.len(), 3, "chunk {chunk}");
        assert!(errors.is_empty(), "chunk {chunk}: {errors:?}");
    }
}

#[test]
fn objects_that_are_not_entries_are_errors() {
    let (entries, errors) = read(b"{\"textPayload\": \"ok\"}\n{\"foo\": 1}\n[1, 2]\n");
    assert_eq!(entries.len(), 1);
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    insta::assert_json_snapshot!(messages);
}
