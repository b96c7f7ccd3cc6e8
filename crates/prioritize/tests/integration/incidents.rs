//! Incidents: a cause is linked with its plausible symptoms (same service
//! and revision, same time); unrelated trouble stays out, and no incident
//! grows without bound.

use gardener_prioritize::{link_incidents, Priority, Rules};

use crate::support::{assess, assess_export, cluster_titled, entries, Entries};

const BOOT_OUTAGE: &str = include_str!("../data/boot-outage.json");

const IMPORT_TRACE: &str = "Traceback (most recent call last):\n  File \"/app/svc/main.py\", line 37, in <module>\n    app = create_app()\nImportError: cannot import name 'Manager' from 'svc.core'";

fn spec(severity: &'static str, message: &'static str, count: usize) -> Entries<'static> {
    Entries::text(severity, message, count, 2, 120)
}

fn in_revision(raw: Vec<String>, revision: &str) -> Vec<String> {
    raw.into_iter()
        .map(|entry| entry.replace("svc-00001-abc", revision))
        .collect()
}

#[test]
fn a_boot_failure_and_its_symptoms_are_one_incident() {
    let (clusters, assessments) = assess_export(BOOT_OUTAGE);
    let incidents = link_incidents(&clusters, &assessments, &Rules::default());
    assert_eq!(incidents.len(), 1, "{incidents:#?}");
    let incident = &incidents[0];
    assert_eq!(incident.root, cluster_titled(&clusters, "ImportError"));
    let member = |title: &str| incident.members.contains(&cluster_titled(&clusters, title));
    // The symptoms, including 503s on instances the trace was never logged on.
    for symptom in [
        "Worker failed to boot",
        "[ERROR] Shutting down: Master",
        "exited with code",
        "Container called exit",
        "STARTUP TCP probe failed",
        "failed the readiness check",
        "POST /api/checkout 503",
    ] {
        assert!(member(symptom), "{symptom} is a symptom: {incident:#?}");
    }
    // Trouble at the same time that the boot failure does not explain.
    for unrelated in [
        "Authentication failed",
        "GRACEFUL DEGRADATION",
        "Worker exiting",
        "GET /api/orders 200",
    ] {
        assert!(!member(unrelated), "{unrelated} is not a symptom");
    }
    assert_eq!(incident.priority, Priority::P0);
    assert_eq!(incident.members[0], incident.root);
}

#[test]
fn an_incident_takes_its_highest_members_priority() {
    let (clusters, assessments) = assess_export(BOOT_OUTAGE);
    let incidents = link_incidents(&clusters, &assessments, &Rules::default());
    let highest = incidents[0]
        .members
        .iter()
        .map(|&m| assessments[m].priority)
        .min();
    assert_eq!(Some(incidents[0].priority), highest);
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
fn another_revision_is_another_incident() {
    let mut raw = in_revision(entries(&spec("ERROR", IMPORT_TRACE, 4)), "svc-00002-new");
    raw.extend(in_revision(
        entries(&spec("WARNING", "Container called exit(3).", 4)),
        "svc-00001-old",
    ));
    let (clusters, assessments) = assess(&raw);
    assert!(link_incidents(&clusters, &assessments, &Rules::default()).is_empty());
}

#[test]
fn without_revisions_disjoint_instances_are_separate() {
    let strip = |raw: Vec<String>| -> Vec<String> {
        raw.into_iter()
            .map(|entry| entry.replace(r#","revision_name":"svc-00001-abc""#, ""))
            .collect()
    };
    let mut raw = strip(entries(&spec("ERROR", IMPORT_TRACE, 4)));
    let mut exits = strip(entries(&spec("WARNING", "Container called exit(3).", 4)));
    for entry in &mut exits {
        *entry = entry.replace("instance-", "other-");
    }
    raw.extend(exits.clone());
    let (clusters, assessments) = assess(&raw);
    assert!(link_incidents(&clusters, &assessments, &Rules::default()).is_empty());

    // Sharing the instances, they are one.
    let mut raw = strip(entries(&spec("ERROR", IMPORT_TRACE, 4)));
    raw.extend(strip(entries(&spec(
        "WARNING",
        "Container called exit(3).",
        4,
    ))));
    let (clusters, assessments) = assess(&raw);
    assert_eq!(
        link_incidents(&clusters, &assessments, &Rules::default()).len(),
        1
    );
}

#[test]
fn far_apart_in_time_is_separate() {
    let mut raw = entries(&spec("ERROR", IMPORT_TRACE, 4));
    let later: Vec<String> = entries(&spec("WARNING", "Container called exit(3).", 4))
        .into_iter()
        // 1_757_800_000 is 2025-09-13T21:46:40Z; a day later.
        .map(|entry| entry.replace("2025-09-13T21:", "2025-09-14T21:"))
        .collect();
    raw.extend(later);
    let (clusters, assessments) = assess(&raw);
    assert!(link_incidents(&clusters, &assessments, &Rules::default()).is_empty());
}

#[test]
fn a_degraded_dependency_causes_nothing() {
    let mut raw = entries(&spec(
        "WARNING",
        "Redis readiness: GRACEFUL DEGRADATION - Exception 'bool' object is not callable",
        4,
    ));
    raw.extend(entries(&spec(
        "ERROR",
        "[MAIN MODE] Authentication failed: invalid token",
        6,
    )));
    raw.extend(entries(&Entries {
        request: Some(("GET", "/ws", 503)),
        ..spec("ERROR", "", 6)
    }));
    let (clusters, assessments) = assess(&raw);
    assert!(link_incidents(&clusters, &assessments, &Rules::default()).is_empty());
}

#[test]
fn no_incident_grows_without_bound() {
    const PATHS: [&str; 30] = [
        "/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h", "/i", "/j", "/k", "/l", "/m", "/n", "/o",
        "/p", "/q", "/r", "/s", "/t", "/u", "/v", "/w", "/x", "/y", "/z", "/aa", "/bb", "/cc",
        "/dd",
    ];
    let mut raw = entries(&spec("ERROR", IMPORT_TRACE, 4));
    for path in PATHS {
        raw.extend(entries(&Entries {
            request: Some(("GET", path, 503)),
            ..spec("ERROR", "", 3)
        }));
    }
    // Thirty unrelated errors at the same time on the same instances.
    let messages: Vec<String> = (0..30)
        .map(|i| {
            format!(
                "Handler number{i} failed: {} is not a valid state",
                ["open", "shut", "lost"][i % 3]
            )
        })
        .collect();
    for message in &messages {
        raw.extend(entries(&Entries::text("ERROR", message, 2, 2, 120)));
    }
    let (clusters, assessments) = assess(&raw);
    let rules = Rules::default();
    let incidents = link_incidents(&clusters, &assessments, &rules);
    assert_eq!(incidents.len(), 1);
    assert_eq!(incidents[0].members.len(), rules.incident_max_members);
    for &member in &incidents[0].members[1..] {
        assert!(
            clusters[member].key.title().ends_with(" 503"),
            "{}",
            clusters[member].key.title()
        );
    }
}

mod properties {
    use std::collections::BTreeSet;

    use gardener_fingerprint::Cluster;
    use gardener_prioritize::{link_incidents, Assessment, Incident, Priority, Rules};
    use proptest::prelude::*;

    use super::{in_revision, spec, IMPORT_TRACE};
    use crate::support::{assess, entries, Entries};

    /// Causes, symptoms and unrelated trouble, as the blocks of a run.
    fn block(kind: usize) -> Entries<'static> {
        match kind {
            0 => spec("ERROR", IMPORT_TRACE, 3),
            1 => spec("ERROR", "Application startup failed. Exiting.", 2),
            2 => spec("ERROR", "Memory limit of 512 MiB exceeded with 530 MiB used.", 2),
            3 => spec("WARNING", "Container called exit(3).", 3),
            4 => spec("ERROR", "Default STARTUP TCP probe failed 1 time consecutively for container \"app\" on port 8080.", 2),
            5 => Entries { request: Some(("GET", "/ws", 503)), ..spec("ERROR", "", 4) },
            6 => Entries { request: Some(("POST", "/api/pay", 503)), ..spec("ERROR", "", 2) },
            7 => spec("WARNING", "Redis readiness: GRACEFUL DEGRADATION", 2),
            8 => spec("ERROR", "Authentication failed: invalid token", 3),
            _ => spec("ERROR", "Database connection refused", 2),
        }
    }

    /// A run of blocks, each in one of two revisions and one of three hours.
    fn run(blocks: &[(usize, bool, u8)]) -> Vec<String> {
        let mut raw = Vec::new();
        for &(kind, newer, hour) in blocks {
            let revision = if newer {
                "svc-00002-new"
            } else {
                "svc-00001-old"
            };
            raw.extend(
                in_revision(entries(&block(kind)), revision)
                    .into_iter()
                    .map(|entry| {
                        entry.replace("2025-09-13T21:4", &format!("2025-09-13T{}:4", 21 + hour))
                    }),
            );
        }
        raw
    }

    fn by_fingerprint(
        clusters: &[Cluster],
        incidents: &[Incident],
    ) -> BTreeSet<(String, Vec<String>)> {
        incidents
            .iter()
            .map(|incident| {
                let fingerprint = |i: usize| clusters[i].fingerprint.to_string();
                (
                    fingerprint(incident.root),
                    incident.members.iter().map(|&m| fingerprint(m)).collect(),
                )
            })
            .collect()
    }

    fn check(
        clusters: &[Cluster],
        assessments: &[Assessment],
        incidents: &[Incident],
        rules: &Rules,
    ) -> Result<(), TestCaseError> {
        let mut seen = BTreeSet::new();
        for incident in incidents {
            prop_assert!(
                incident.members.len() >= 2 && incident.members.len() <= rules.incident_max_members
            );
            prop_assert_eq!(incident.members[0], incident.root);
            let highest = incident
                .members
                .iter()
                .map(|&m| assessments[m].priority)
                .min();
            prop_assert_eq!(Some(incident.priority), highest);
            prop_assert!(
                incident.priority <= Priority::P1,
                "an incident has a cause at P0-P1"
            );
            for &member in &incident.members {
                prop_assert!(
                    seen.insert(member),
                    "cluster {} in two incidents",
                    clusters[member].key.title()
                );
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn incidents_are_bounded_disjoint_and_order_free(
            blocks in proptest::collection::vec((0usize..10, any::<bool>(), 0u8..3), 1..8),
            max in 2usize..6,
        ) {
            let rules = Rules { incident_max_members: max, ..Rules::default() };
            let (clusters, assessments) = assess(&run(&blocks));
            let incidents = link_incidents(&clusters, &assessments, &rules);
            check(&clusters, &assessments, &incidents, &rules)?;

            let reversed_clusters: Vec<Cluster> = clusters.iter().rev().cloned().collect();
            let reversed_assessments: Vec<Assessment> = assessments.iter().rev().cloned().collect();
            let reversed = link_incidents(&reversed_clusters, &reversed_assessments, &rules);
            prop_assert_eq!(
                by_fingerprint(&clusters, &incidents),
                by_fingerprint(&reversed_clusters, &reversed)
            );
        }
    }
}
