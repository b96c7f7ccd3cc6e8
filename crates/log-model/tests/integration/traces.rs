//! One fixture per language, each case put in a `textPayload` and
//! normalized; the snapshot shows the summary and the parsed trace.

use serde_json::{json, Value};

use crate::support::{cases, event_of};

fn snapshot_cases(language: &str, fixture: &str) {
    for (case, text) in cases(fixture) {
        let entry = json!({
            "insertId": case,
            "severity": "ERROR",
            "textPayload": text,
            "timestamp": "2025-09-14T10:00:00Z",
        })
        .to_string();
        let event = event_of(&entry);
        let snapshot: Value = json!({
            "summary": event.summary(),
            "stack_trace": event.stack_trace,
        });
        insta::assert_json_snapshot!(format!("{language}__{case}"), snapshot);
    }
}

macro_rules! language {
    ($name:ident) => {
        #[test]
        fn $name() {
            snapshot_cases(
                stringify!($name),
                include_str!(concat!("../data/traces/", stringify!($name), ".txt")),
            );
        }
    };
}

language!(python);
language!(java);
language!(javascript);
language!(go);
language!(ruby);
language!(php);
language!(dotnet);
