//! Every LogEntry field, structured-logging field and resource type, with
//! the quirks of `docs/cloud-logging-formats.md`: one snapshot per fixture
//! entry, named after its insertId.

use crate::support::{event_json, read};

fn snapshot_each(fixture: &str, input: &[u8]) {
    let (entries, errors) = read(input);
    assert!(errors.is_empty(), "{fixture}: {errors:?}");
    let mut names = Vec::new();
    for (index, read) in entries.iter().enumerate() {
        // Entries whose insertId is dropped or replaced are named by position.
        let name = match read.event.insert_id.as_deref() {
            Some(id) if !names.contains(&id.to_owned()) => id.trim_start_matches('-').to_owned(),
            _ => format!("entry-{index}"),
        };
        names.push(name.clone());
        insta::assert_json_snapshot!(format!("{fixture}__{name}"), event_json(&read.event));
    }
}

#[test]
fn entry_fields() {
    snapshot_each("entry_fields", include_bytes!("../data/entry_fields.json"));
}

#[test]
fn structured_payloads() {
    snapshot_each(
        "structured_payloads",
        include_bytes!("../data/structured_payloads.json"),
    );
}

#[test]
fn resources() {
    snapshot_each("resources", include_bytes!("../data/resources.json"));
}
