//! Entries larger than what a representative keeps still say what they are.

use log_gardener::Options;

use crate::run;

/// A Java stack trace of about 20 KB in one entry: more than the 16 KiB of
/// raw JSON a cluster's representative keeps.
fn java_trace_entry() -> Vec<u8> {
    let mut trace = String::from(
        "java.lang.IllegalStateException: Connection pool exhausted for db-primary after 30000 ms\n",
    );
    for frame in 0..260 {
        trace.push_str(&format!(
            "\tat com.example.orders.OrderRepository{frame}.findPending(OrderRepository{frame}.java:{})\n",
            100 + frame
        ));
    }
    let entry = serde_json::json!({
        "insertId": "big-1",
        "severity": "ERROR",
        "textPayload": trace,
        "timestamp": "2025-09-14T10:00:00Z",
        "resource": {"type": "cloud_run_revision", "labels": {"service_name": "orders", "revision_name": "orders-00007-xyz"}},
    });
    let text = entry.to_string();
    assert!(text.len() > 20_000, "{} bytes", text.len());
    text.into_bytes()
}

#[test]
fn a_20_kb_stack_trace_keeps_its_exception() {
    let outcome = run(&java_trace_entry(), 4096, Options::default());
    let cluster = &outcome.worklog.clusters[0];
    let exception = cluster.exception.as_ref().expect("the exception is kept");
    assert_eq!(exception.kind, "java.lang.IllegalStateException");
    assert_eq!(
        exception.message,
        "Connection pool exhausted for db-primary after 30000 ms"
    );
    assert!(
        cluster.title.contains("IllegalStateException"),
        "{}",
        cluster.title
    );
    let representative = cluster.representative.as_ref().expect("a representative");
    assert!(
        representative.json.contains("entry cut at"),
        "the raw text was cut"
    );
}
