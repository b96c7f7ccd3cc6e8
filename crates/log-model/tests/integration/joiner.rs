//! The trace joiner: split traces come back whole, in either order; every
//! entry comes out exactly once.

use std::collections::BTreeMap;

use gardener_log_model::{
    Event, JoinLimits, LogEntry, Position, ReadEvent, StackTrace, TraceJoiner,
};
use proptest::prelude::*;
use serde_json::{json, Value};

use crate::support::{cases, event_json};

/// The fixture's entries as owned items, in file order.
fn items_of(input: &[u8]) -> Vec<ReadEvent<'static>> {
    let mut items = Vec::new();
    let mut reader = gardener_log_model::LogReader::new();
    let mut on_entry =
        |result: Result<gardener_log_model::ReadEntry<'_>, gardener_log_model::Error>| {
            items.push(ReadEvent::from(result.expect("valid fixture")).into_owned());
        };
    reader.feed(input, &mut on_entry);
    reader.finish(&mut on_entry);
    items
}

fn join_all(
    items: impl IntoIterator<Item = ReadEvent<'static>>,
    joiner: &mut TraceJoiner,
) -> Vec<ReadEvent<'static>> {
    let mut out = Vec::new();
    for item in items {
        out.extend(joiner.push(item));
    }
    out.extend(joiner.finish());
    out
}

fn insert_ids(items: &[ReadEvent<'_>]) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .flat_map(|item| {
            item.event
                .insert_ids()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort();
    ids
}

fn joined(items: &[ReadEvent<'static>]) -> Vec<Value> {
    items
        .iter()
        .filter(|item| !item.event.joined_insert_ids.is_empty())
        .map(|item| {
            json!({
                "lines": item.event.joined_insert_ids.len(),
                "first_position": item.position.to_string(),
                "event": event_json(&item.event),
            })
        })
        .collect()
}

#[test]
fn sample_traceback_newest_first() {
    let items = items_of(include_bytes!("../data/split_traceback_newest_first.json"));
    let input_ids = insert_ids(&items);
    let mut joiner = TraceJoiner::new();
    let out = join_all(items, &mut joiner);
    assert_eq!(insert_ids(&out), input_ids, "every entry comes out once");
    let joined = joined(&out);
    assert_eq!(joined.len(), 2, "the traceback and the warning");
    assert_eq!(joined[0]["lines"], 47);
    assert_eq!(joined[1]["lines"], 3);
    assert_eq!(out.len(), 70 - 47 - 3 + 2);
    assert_eq!(joiner.stats().joined_lines, 50);
    assert_eq!(joiner.stats().limit_releases, 0);
    assert_eq!(joiner.held_lines(), 0);
    insta::assert_json_snapshot!(joined);
}

#[test]
fn sample_traceback_oldest_first_joins_the_same() {
    let items = items_of(include_bytes!("../data/split_traceback_newest_first.json"));
    let newest_first = join_all(items.clone(), &mut TraceJoiner::new());
    let oldest_first = join_all(items.into_iter().rev(), &mut TraceJoiner::new());
    let without_positions = |items: &[ReadEvent<'static>]| {
        let mut events: Vec<Value> = joined(items)
            .into_iter()
            .map(|j| j["event"].clone())
            .collect();
        events.sort_by_key(|event| event["timestamp"].to_string());
        events
    };
    assert_eq!(
        without_positions(&newest_first),
        without_positions(&oldest_first)
    );
    assert_eq!(insert_ids(&newest_first), insert_ids(&oldest_first));
}

#[test]
fn lone_lines_pass_unchanged_and_in_order() {
    let items = items_of(include_bytes!("../data/split_traceback_newest_first.json"));
    let out = join_all(items.clone(), &mut TraceJoiner::new());
    let joined_ids: Vec<&str> = out
        .iter()
        .flat_map(|item| item.event.joined_insert_ids.iter().map(|id| id.as_ref()))
        .collect();
    let lone_in: Vec<&Event<'_>> = items
        .iter()
        .map(|item| &item.event)
        .filter(|event| !joined_ids.contains(&event.insert_id.as_deref().unwrap_or_default()))
        .collect();
    let lone_out: Vec<&Event<'_>> = out
        .iter()
        .map(|item| &item.event)
        .filter(|event| event.joined_insert_ids.is_empty())
        .collect();
    // Held text lines come out when their source is released, after what
    // passed through meanwhile: each source keeps its order.
    let of_source = |events: &[&Event<'_>], held: bool, log: &str| -> Vec<String> {
        events
            .iter()
            .filter(|event| (event.payload == gardener_log_model::PayloadKind::Text) == held)
            .filter(|event| !held || event.log_name.as_deref() == Some(log))
            .map(|event| format!("{event:?}"))
            .collect()
    };
    for log in [
        "run.googleapis.com/stderr",
        "run.googleapis.com/varlog/system",
    ] {
        assert_eq!(
            of_source(&lone_in, true, log),
            of_source(&lone_out, true, log)
        );
    }
    assert_eq!(
        of_source(&lone_in, false, ""),
        of_source(&lone_out, false, "")
    );
    assert_eq!(lone_in.len(), lone_out.len());
}

/// One entry per line of `text`, `step_micros` apart from `start`.
fn split_entries(
    text: &str,
    instance: &str,
    start_micros: i64,
    step_micros: i64,
    id_prefix: &str,
) -> Vec<ReadEvent<'static>> {
    text.split('\n')
        .enumerate()
        .map(|(index, line)| {
            let micros = start_micros + index as i64 * step_micros;
            let entry = json!({
                "insertId": format!("{id_prefix}{index:03}"),
                "labels": {"instanceId": instance},
                "logName": "projects/p/logs/run.googleapis.com%2Fstderr",
                "resource": {"type": "cloud_run_revision", "labels": {"service_name": "svc"}},
                "textPayload": line,
                "timestamp": format!("2025-09-14T10:00:{:02}.{:06}Z", micros / 1_000_000, micros % 1_000_000),
            })
            .to_string();
            let event = Event::from_entry(LogEntry::from_json(entry.as_bytes()).expect("entry")).into_owned();
            ReadEvent::new(event, entry, Position::default())
        })
        .collect()
}

/// Every case of every language fixture, logged one line per entry between
/// unrelated lines, comes back as one event whose trace is the one parsed
/// from the whole text, oldest or newest first.
#[test]
fn every_language_fixture_is_reassembled() {
    let fixtures = crate::support::TRACE_FIXTURES;
    for fixture in fixtures {
        for (case, text) in cases(fixture) {
            // Unrelated lines just before and after, as close as the trace's own.
            let after = 5_000 + 20 * text.split('\n').count() as i64;
            let mut items = split_entries(
                "[2025-09-14 10:00:00 +0000] [1] [INFO] before",
                "i1",
                4_980,
                1,
                "a",
            );
            items.extend(split_entries(&text, "i1", 5_000, 20, "b"));
            items.extend(split_entries(
                "[2025-09-14 10:00:01 +0000] [1] [INFO] after",
                "i1",
                after,
                1,
                "c",
            ));
            let expected_trace = StackTrace::parse(&text);
            assert!(expected_trace.is_some(), "{case}");
            for newest_first in [false, true] {
                let input: Vec<ReadEvent<'static>> = if newest_first {
                    items.iter().rev().cloned().collect()
                } else {
                    items.clone()
                };
                let out = join_all(input, &mut TraceJoiner::new());
                let joined: Vec<&ReadEvent<'_>> = out
                    .iter()
                    .filter(|item| !item.event.joined_insert_ids.is_empty())
                    .collect();
                if !text.contains('\n') {
                    // A one-line error has nothing to join.
                    assert!(joined.is_empty(), "{case}");
                    assert_eq!(out[1].event.stack_trace, expected_trace, "{case}");
                    continue;
                }
                assert_eq!(
                    joined.len(),
                    1,
                    "{case} (newest first: {newest_first}): {:#?}",
                    out.iter()
                        .map(|i| i.event.message.as_ref())
                        .collect::<Vec<_>>()
                );
                assert_eq!(
                    joined[0].event.message, text,
                    "{case} (newest first: {newest_first})"
                );
                assert_eq!(joined[0].event.stack_trace, expected_trace, "{case}");
                assert_eq!(
                    out.len(),
                    3,
                    "{case}: the lines before and after stay apart"
                );
                assert_eq!(insert_ids(&out).len(), items.len());
            }
        }
    }
}

#[test]
fn interleaved_instances_join_separately() {
    let text = "Traceback (most recent call last):\n  File \"/app/a.py\", line 1, in f\n    g()\nKeyError: 'k'";
    let mut items = split_entries(text, "i1", 0, 20, "x");
    items.extend(split_entries(text, "i2", 5, 20, "y"));
    items.sort_by_key(|item| item.event.timestamp);
    let out = join_all(items, &mut TraceJoiner::new());
    assert_eq!(out.len(), 2);
    let instances: Vec<_> = out
        .iter()
        .map(|item| item.event.instance.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(instances, ["i1", "i2"]);
    assert!(out
        .iter()
        .all(|item| item.event.summary() == "KeyError: 'k'"));
}

#[test]
fn lines_too_far_apart_stay_apart() {
    let text =
        "Traceback (most recent call last):\n  File \"/app/a.py\", line 1, in f\nKeyError: 'k'";
    let items = split_entries(text, "i1", 0, 200_000, "x");
    let out = join_all(items, &mut TraceJoiner::new());
    assert_eq!(out.len(), 3);
}

#[test]
fn structured_and_request_entries_pass_through_at_once() {
    let mut joiner = TraceJoiner::new();
    let entry = r#"{"jsonPayload":{"message":"Traceback (most recent call last):"},"timestamp":"2025-09-14T10:00:00Z","labels":{"instanceId":"i"}}"#;
    let event = Event::from_entry(LogEntry::from_json(entry.as_bytes()).unwrap());
    assert_eq!(
        joiner
            .push(ReadEvent::new(event, entry, Position::default()))
            .count(),
        1
    );
    let entry = r#"{"textPayload":"no time","labels":{"instanceId":"i"}}"#;
    let event = Event::from_entry(LogEntry::from_json(entry.as_bytes()).unwrap());
    assert_eq!(
        joiner
            .push(ReadEvent::new(event, entry, Position::default()))
            .count(),
        1
    );
    assert_eq!(joiner.held_lines(), 0);
}

#[test]
fn limits_bound_what_is_held() {
    let text = (0..50)
        .map(|n| format!("\tat com.example.A.f{n}(A.java:{n})"))
        .collect::<Vec<_>>()
        .join("\n");
    let text = format!("java.lang.IllegalStateException: x\n{text}");
    let mut limits = JoinLimits::default();
    limits.max_lines_per_source = 10;
    let mut joiner = TraceJoiner::with_limits(limits);
    let items = split_entries(&text, "i1", 0, 10, "x");
    let count = items.len();
    let mut most_held = 0;
    let mut out = Vec::new();
    for item in items {
        out.extend(joiner.push(item));
        most_held = most_held.max(joiner.held_lines());
    }
    out.extend(joiner.finish());
    assert!(most_held < 10);
    assert!(joiner.stats().limit_releases >= 5);
    assert_eq!(insert_ids(&out).len(), count);
}

#[test]
fn many_sources_are_capped() {
    let mut limits = JoinLimits::default();
    limits.max_sources = 3;
    let mut joiner = TraceJoiner::with_limits(limits);
    let mut total = 0;
    let mut out = Vec::new();
    for instance in 0..10 {
        for item in split_entries("plain line", &format!("i{instance}"), instance, 0, "x") {
            total += 1;
            out.extend(joiner.push(item));
            assert!(joiner.held_lines() <= 3);
        }
    }
    out.extend(joiner.finish());
    assert_eq!(out.len(), total);
    assert_eq!(joiner.stats().limit_releases, 7);
}

const LINES: [&str; 10] = [
    "Traceback (most recent call last):",
    "  File \"/app/a.py\", line 1, in f",
    "    g()",
    "KeyError: 'k'",
    "java.lang.IllegalStateException: boom",
    "\tat com.example.A.f(A.java:1)",
    "panic: boom",
    "",
    "goroutine 1 [running]:",
    "[2025-09-14 10:00:00 +0000] [1] [INFO] hello",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the lines, instances, gaps and order, every entry comes out
    /// exactly once, and nothing is held after `finish`.
    #[test]
    fn every_entry_comes_out_once(
        lines in prop::collection::vec((0usize..LINES.len(), 0u8..3, 0i64..3000), 0..60),
        newest_first in any::<bool>(),
    ) {
        let mut micros = 0;
        let mut items = Vec::new();
        for (index, (line, instance, gap)) in lines.iter().enumerate() {
            micros += gap;
            items.extend(split_entries(LINES[*line], &format!("i{instance}"), micros, 0, &format!("{index:03}-")));
        }
        if newest_first {
            items.reverse();
        }
        let expected = insert_ids(&items);
        let mut joiner = TraceJoiner::new();
        let out = join_all(items, &mut joiner);
        prop_assert_eq!(insert_ids(&out), expected);
        prop_assert_eq!(joiner.held_lines(), 0);
        let by_id: BTreeMap<String, usize> = insert_ids(&out).into_iter().map(|id| (id, 1)).collect();
        prop_assert_eq!(by_id.len(), lines.len());
    }
}
