//! Incidents: a cause and its symptoms on the same instances are linked, with the cause as root.

use gardener_prioritize::{link_incidents, Rules};

use crate::support::{assess, entries, Entries};

const IMPORT_TRACE: &str = "Traceback (most recent call last):\n  File \"/app/svc/main.py\", line 37, in <module>\n    app = create_app()\nImportError: cannot import name 'Manager' from 'svc.core'";

fn spec(severity: &'static str, message: &'static str, count: usize) -> Entries<'static> {
    Entries::text(severity, message, count, 2, 120)
}

#[test]
fn boot_failure_incident_has_the_trace_as_root() {
    let mut raw = Vec::new();
    raw.extend(entries(&spec("ERROR", IMPORT_TRACE, 4)));
    raw.extend(entries(&spec(
        "ERROR",
        "[2025-09-14 00:27:04 +0000] [12] [ERROR] Worker failed to boot.",
        4,
    )));
    raw.extend(entries(&spec("WARNING", "Container called exit(3).", 4)));
    raw.extend(entries(&Entries {
        request: Some(("GET", "/ws", 503)),
        ..spec("ERROR", "", 6)
    }));
    // Same instances, but not of the failure family: stays out.
    raw.extend(entries(&spec(
        "WARNING",
        "SessionMiddleware must be installed",
        3,
    )));
    let (clusters, assessments) = assess(&raw);
    let incidents = link_incidents(&clusters, &assessments, &Rules::default());
    assert_eq!(incidents.len(), 1, "{incidents:#?}");
    let incident = &incidents[0];
    assert!(
        clusters[incident.root]
            .key
            .title()
            .starts_with("ImportError"),
        "{}",
        clusters[incident.root].key.title()
    );
    let titles: Vec<String> = incident
        .members
        .iter()
        .map(|&m| clusters[m].key.title())
        .collect();
    assert_eq!(titles.len(), 4, "{titles:?}");
    assert!(titles.iter().any(|t| t == "GET /ws 503"));
    assert!(!titles.iter().any(|t| t.contains("SessionMiddleware")));
    assert_eq!(incident.priority, gardener_prioritize::Priority::P0);
}

#[test]
fn symptoms_alone_make_no_incident() {
    let mut raw = Vec::new();
    raw.extend(entries(&spec("WARNING", "Container called exit(3).", 4)));
    raw.extend(entries(&Entries {
        request: Some(("GET", "/ws", 503)),
        ..spec("ERROR", "", 6)
    }));
    let (clusters, assessments) = assess(&raw);
    assert!(link_incidents(&clusters, &assessments, &Rules::default()).is_empty());
}

#[test]
fn disjoint_instances_are_separate() {
    let mut raw = entries(&spec("ERROR", IMPORT_TRACE, 4));
    let mut exits = entries(&spec("WARNING", "Container called exit(3).", 4));
    for entry in &mut exits {
        *entry = entry.replace("instance-", "other-");
    }
    raw.extend(exits);
    let (clusters, assessments) = assess(&raw);
    assert!(link_incidents(&clusters, &assessments, &Rules::default()).is_empty());
}
