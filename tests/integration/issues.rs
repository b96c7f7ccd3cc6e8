//! `gardener --format issues` on the embedded sample: one issue per problem,
//! a plan decided by occurrences against a fixture listing of existing
//! issues, plans that settle once applied, labels that do not depend on the
//! window; and secrets planted in the input appear in no output.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gardener_report::{
    issue_drafts, markers_in, parse_existing_issues, plan_issues, render_plan_summary, ActionKind,
    ExistingIssue, IssueAction, IssueState, Worklog, GITHUB_BODY_LIMIT,
};
use log_gardener::{render_markdown, Options, Priority};

use crate::{run, SAMPLE_EXPORT};

/// `gh issue list --state all --limit 1000 --json
/// number,title,body,state,labels,closedAt,comments` of a repository that
/// already tracks some of the sample's clusters.
const EXISTING_ISSUES: &str = include_str!("data/existing-issues.json");

/// The ImportError trace: the cause of the sample's main incident (revision
/// 00589, from 23:46).
const IMPORT_ERROR: &str = "v1:d97e7145fa44a37b";
/// gunicorn's `[ERROR] Worker (pid:9) exited with code 3`, the exit among its
/// symptoms. (`Container called exit(3).` spans both revisions and is linked
/// to the database incident instead; see [`CONTAINER_EXIT`].)
const WORKER_EXIT: &str = "v1:954b556064f582ce";
/// `GET /ws 503`, another of its symptoms.
const WS_503: &str = "v1:e5897bcd29560654";
/// The SyntaxError trace.
const SYNTAX_ERROR: &str = "v1:52923528df2f2dcb";
/// `DeterministicStartupError: ... Database initialization timeout`, one
/// cluster since its two wordings share a source location: the cause of the
/// sample's other incident (revision 00588, 22:31 to 23:22).
const DATABASE_TIMEOUT: &str = "v1:b3bdf9ae7b33c7de";
/// `Container called exit(3).`, 14 exits on 7 instances in both revisions
/// until 00:27:07: a P0 crash loop, a symptom of the database incident.
const CONTAINER_EXIT: &str = "v1:61df289aaa4e04c4";
/// `Default STARTUP TCP probe failed ...`: one failure in 00588 at 23:21,
/// four in 00589 until 00:12; a symptom of the ImportError incident.
const STARTUP_PROBE: &str = "v1:b058c5925797b82d";
/// `Application startup failed. Exiting.`, another symptom of the database
/// incident; the fixture's #5 quotes its marker inside a code block.
const STARTUP_FAILED: &str = "v1:8f55622112c5cbaf";

fn existing() -> Vec<ExistingIssue> {
    parse_existing_issues(EXISTING_ISSUES).expect("the fixture is valid")
}

fn sample_worklog() -> Worklog {
    run(SAMPLE_EXPORT, 64 * 1024, Options::default()).worklog
}

/// The worklog of the sample's entries in `[from, to)`.
fn window(from: &str, to: &str) -> Worklog {
    let (from, to) = (time(from), time(to));
    let entries: Vec<serde_json::Value> =
        serde_json::from_slice(SAMPLE_EXPORT).expect("the sample is a JSON array");
    let kept: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|entry| {
            let at = time(entry["timestamp"].as_str().expect("a timestamp"));
            from <= at && at < to
        })
        .collect();
    let bytes = serde_json::to_vec(&kept).expect("serializable");
    run(&bytes, 64 * 1024, Options::default()).worklog
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 time")
        .to_utc()
}

/// What `gardener --format issues` prints.
fn plan_json(plan: &[IssueAction]) -> String {
    serde_json::to_string_pretty(plan).expect("serializable")
}

/// The repository after the README's `gh` script ran the plan.
fn apply(issues: &mut Vec<ExistingIssue>, plan: &[IssueAction]) {
    for action in plan {
        match action.issue {
            None => {
                let number = issues.iter().map(|i| i.number).max().unwrap_or(0) + 1;
                let mut issue =
                    ExistingIssue::new(number, &action.title, &action.body, IssueState::Open);
                issue.labels = action.labels.clone();
                issues.push(issue);
            }
            Some(number) => {
                let issue = issues
                    .iter_mut()
                    .find(|i| i.number == number)
                    .expect("the issue exists");
                issue.state = IssueState::Open;
                issue.comments.push(action.body.clone());
                issue.labels.retain(|l| !action.remove_labels.contains(l));
                for label in &action.labels {
                    if !issue.labels.contains(label) {
                        issue.labels.push(label.clone());
                    }
                }
            }
        }
    }
}

/// The labels of the issue covering each fingerprint.
fn labels_by_fingerprint(issues: &[ExistingIssue]) -> BTreeMap<String, Vec<String>> {
    issues
        .iter()
        .flat_map(|issue| {
            issue
                .fingerprints()
                .into_iter()
                .map(|fingerprint| (fingerprint, issue.labels.clone()))
        })
        .collect()
}

fn category_of(labels: &[String]) -> Vec<&String> {
    labels
        .iter()
        .filter(|l| l.starts_with("category:"))
        .collect()
}

#[test]
fn issue_plan_snapshot() {
    let plan = plan_issues(&sample_worklog(), &existing());
    insta::assert_snapshot!("sample_issue_plan", plan_json(&plan));
}

#[test]
fn plan_summary_snapshot() {
    let plan = plan_issues(&sample_worklog(), &existing());
    insta::assert_snapshot!("sample_plan_summary", render_plan_summary(&plan));
}

#[test]
fn one_issue_per_problem() {
    let worklog = sample_worklog();
    let drafts = issue_drafts(&worklog);
    let covered: Vec<&str> = drafts
        .iter()
        .flat_map(|d| d.fingerprints.iter().map(String::as_str))
        .collect();
    // Every urgent cluster is covered, once; nothing at P3-P4 is.
    let mut urgent: Vec<&str> = worklog
        .clusters
        .iter()
        .filter(|c| c.priority <= Priority::P2)
        .map(|c| c.fingerprint.as_str())
        .collect();
    let mut sorted = covered.clone();
    sorted.sort_unstable();
    urgent.sort_unstable();
    assert_eq!(sorted, urgent);
    // An incident is one issue, titled by its cause, its symptoms listed.
    let incidents = worklog.clusters.iter().filter_map(|c| c.incident).max();
    let standalone = worklog
        .clusters
        .iter()
        .filter(|c| c.priority <= Priority::P2 && c.incident.is_none())
        .count();
    assert_eq!(drafts.len(), incidents.unwrap_or(0) + standalone);
    // Each incident's issue is the one of its cause (the first of its
    // clusters in the worklog) and covers all its clusters.
    for incident in 1..=incidents.unwrap_or(0) {
        let members: Vec<&str> = worklog
            .clusters
            .iter()
            .filter(|c| c.incident == Some(incident))
            .map(|c| c.fingerprint.as_str())
            .collect();
        let issue = drafts
            .iter()
            .find(|d| d.fingerprint == members[0])
            .unwrap_or_else(|| panic!("incident {incident} has an issue"));
        assert_eq!(issue.fingerprints, members, "incident {incident}");
    }
    let import = drafts
        .iter()
        .find(|d| d.fingerprint == IMPORT_ERROR)
        .expect("the ImportError issue");
    assert!(import.fingerprints.contains(&WORKER_EXIT.to_owned()));
    assert!(import.fingerprints.contains(&WS_503.to_owned()));
    assert_eq!(
        import.title,
        "[P0] ImportError in websocket_bridge_factory: cannot import name 'UnifiedWebSocketManager' from…"
    );
    assert!(import.body.contains("### Symptoms"));
    assert!(
        import
            .body
            .contains("`Worker (pid:<num>) exited with code <num>`: 9 entries"),
        "{}",
        import.body
    );
    let database = drafts
        .iter()
        .find(|d| d.fingerprint == DATABASE_TIMEOUT)
        .expect("the database timeout issue");
    assert_eq!(
        database.fingerprints,
        [DATABASE_TIMEOUT, CONTAINER_EXIT, STARTUP_FAILED]
    );
    for draft in &drafts {
        let count = draft.title.chars().count();
        assert!(count <= 100, "{count}: {}", draft.title);
        assert!(!draft.title.contains('<'), "{}", draft.title);
        assert!(
            draft.title.chars().all(|c| (c as u32) < 0x2600),
            "{}",
            draft.title
        );
    }
}

#[test]
fn the_plan_follows_occurrences_not_the_window() {
    let plan = plan_issues(&sample_worklog(), &existing());
    let by_issue = |number: u64| plan.iter().find(|a| a.issue == Some(number));
    // #15 was closed at 00:00; the ImportError occurred until 00:06:45.
    let reopen = by_issue(15).expect("#15 is reopened");
    assert_eq!(reopen.action, ActionKind::Reopen);
    assert_eq!(reopen.fingerprint, IMPORT_ERROR);
    assert!(
        reopen
            .body
            .contains("This issue was closed at 2025-09-15 00:00:00 UTC"),
        "{}",
        reopen.body
    );
    assert!(
        !reopen.body.contains("23:46:12"),
        "nothing from before the closing"
    );
    // #12 was closed at noon, after every occurrence of the database timeout
    // (its marker's seen-until, 23:22:25, is older than the last one,
    // 23:22:25.607: only the closing tells that nothing is new). The
    // incident's `Application startup failed`, which no issue covers (#5
    // only quotes its marker in a code block), joins #12 from its closing.
    assert!(by_issue(12).is_none());
    assert!(by_issue(5).is_none());
    // #21 reported the crash loop until 00:10; it occurred until 00:27:07.
    // It is a symptom of the database incident and stays with #21, the
    // issue that covers it.
    let comment = by_issue(21).expect("#21 gets a comment");
    assert_eq!(comment.action, ActionKind::Comment);
    assert_eq!(comment.fingerprints, [CONTAINER_EXIT]);
    assert!(
        comment
            .body
            .contains("occurrences after 2025-09-15 00:10:00 UTC"),
        "{}",
        comment.body
    );
    // #25 reported `GET /ws 503` up to its last occurrence: nothing to say.
    assert!(by_issue(25).is_none() && by_issue(30).is_none());
    // #40 (open) tracks the SyntaxError; closed #3 is left alone.
    assert_eq!(
        by_issue(40).map(|a| (a.action, a.fingerprints.clone())),
        Some((ActionKind::Comment, vec![SYNTAX_ERROR.to_owned()]))
    );
    assert!(by_issue(3).is_none());
    // Two issues never cover one fingerprint.
    let mut covered: Vec<&String> = plan.iter().flat_map(|a| &a.fingerprints).collect();
    let total = covered.len();
    covered.sort();
    covered.dedup();
    assert_eq!(covered.len(), total);
    for action in &plan {
        assert!(action.body.len() <= GITHUB_BODY_LIMIT);
        assert!(action.labels.contains(&"log-gardener".to_owned()));
        assert_eq!(action.issue.is_none(), action.action == ActionKind::Create);
    }
}

#[test]
fn applying_the_plan_and_running_again_plans_nothing() {
    let worklog = sample_worklog();
    for mut issues in [Vec::new(), existing()] {
        let plan = plan_issues(&worklog, &issues);
        assert!(!plan.is_empty());
        apply(&mut issues, &plan);
        let again = plan_issues(&worklog, &issues);
        assert!(again.is_empty(), "{}", render_plan_summary(&again));
    }
}

#[test]
fn a_closing_time_decides_what_recurs() {
    // The first run saw the night until 00:00 and filed its issues.
    let mut issues = Vec::new();
    apply(
        &mut issues,
        &plan_issues(&window("2025-09-14T00:00:00Z", "2025-09-15T00:00:00Z"), &[]),
    );
    let number_of = |issues: &[ExistingIssue], fingerprint: &str| {
        issues
            .iter()
            .find(|i| i.fingerprints().iter().any(|f| f == fingerprint))
            .map(|i| i.number)
            .expect("an issue covers it")
    };
    let import = number_of(&issues, IMPORT_ERROR);
    let database = number_of(&issues, DATABASE_TIMEOUT);
    // The ImportError incident was closed at 00:05, before it occurred
    // again; the database incident at noon, after its last occurrence.
    for issue in &mut issues {
        let closed_at = match issue.number {
            n if n == import => "2025-09-15T00:05:00Z",
            n if n == database => "2025-09-15T12:00:00Z",
            _ => continue,
        };
        issue.state = IssueState::Closed;
        issue.closed_at = Some(time(closed_at));
    }
    let full = sample_worklog();
    let plan = plan_issues(&full, &issues);
    assert!(
        plan.iter().all(|a| a.issue != Some(database)),
        "{}",
        render_plan_summary(&plan)
    );
    let reopen = plan
        .iter()
        .find(|a| a.issue == Some(import))
        .expect("the ImportError issue is reopened");
    assert_eq!(reopen.action, ActionKind::Reopen);
    assert_eq!(reopen.occurrences.after, Some(time("2025-09-15T00:05:00Z")));
    assert!(!reopen.body.contains("23:46:12"), "{}", reopen.body);
    apply(&mut issues, &plan);
    let again = plan_issues(&full, &issues);
    assert!(again.is_empty(), "{}", render_plan_summary(&again));
}

#[test]
fn a_fixed_outage_is_not_reopened_for_another_causes_symptoms() {
    // The first run saw the night until 00:00: the database incident's issue
    // also took the failed startup probes, one of them at 23:21 in 00588.
    let mut issues = Vec::new();
    apply(
        &mut issues,
        &plan_issues(&window("2025-09-14T00:00:00Z", "2025-09-15T00:00:00Z"), &[]),
    );
    let covering = |issues: &[ExistingIssue], fingerprint: &str| {
        issues
            .iter()
            .find(|i| i.fingerprints().iter().any(|f| f == fingerprint))
            .map(|i| i.number)
            .expect("an issue covers it")
    };
    let database = covering(&issues, DATABASE_TIMEOUT);
    let import = covering(&issues, IMPORT_ERROR);
    assert_eq!(covering(&issues, STARTUP_PROBE), database);
    // Fixed at 23:22 and closed at 23:30. The probes failed on after that,
    // now a symptom of the ImportError in 00589.
    for issue in &mut issues {
        if issue.number == database {
            issue.state = IssueState::Closed;
            issue.closed_at = Some(time("2025-09-14T23:30:00Z"));
        }
    }
    let full = sample_worklog();
    let incident_of = |fingerprint: &str| {
        full.clusters
            .iter()
            .find(|c| c.fingerprint == fingerprint)
            .and_then(|c| c.incident)
    };
    assert_eq!(incident_of(STARTUP_PROBE), incident_of(IMPORT_ERROR));
    let plan = plan_issues(&full, &issues);
    let summary = render_plan_summary(&plan);
    // They are news for the ImportError's issue, not a reason to reopen
    // the database's.
    let comment = plan
        .iter()
        .find(|a| a.issue == Some(import))
        .expect("the ImportError issue gets a comment");
    assert!(comment.fingerprints.contains(&STARTUP_PROBE.to_owned()));
    assert!(
        comment.body.contains("` (tracked here from now on)")
            && comment.body.contains("STARTUP TCP probe failed"),
        "{}",
        comment.body
    );
    // A closed issue is reopened only with clusters of the problem it was
    // filed for. (`Container called exit(3).` is linked to the database
    // incident, so it still reopens the database's issue.)
    for action in plan.iter().filter(|a| a.action == ActionKind::Reopen) {
        let issue = issues
            .iter()
            .find(|i| Some(i.number) == action.issue)
            .expect("the issue exists");
        let filed_for = &markers_in(&issue.body)[0].fingerprint;
        for fingerprint in &action.fingerprints {
            assert_eq!(
                incident_of(fingerprint),
                incident_of(filed_for),
                "#{} filed for {filed_for} reopened for {fingerprint}: {summary}",
                issue.number
            );
        }
    }
    apply(&mut issues, &plan);
    let again = plan_issues(&full, &issues);
    assert!(again.is_empty(), "{}", render_plan_summary(&again));
}

#[test]
fn labels_of_a_fingerprint_do_not_depend_on_the_window() {
    let short = window("2025-09-14T23:30:00Z", "2025-09-16T00:00:00Z");
    let long = sample_worklog();
    for (first, second) in [(&short, &long), (&long, &short)] {
        let mut issues = Vec::new();
        apply(&mut issues, &plan_issues(first, &[]));
        let before = labels_by_fingerprint(&issues);
        let plan = plan_issues(second, &issues);
        apply(&mut issues, &plan);
        let after = labels_by_fingerprint(&issues);
        for (fingerprint, labels) in &before {
            assert_eq!(
                category_of(&after[fingerprint]),
                category_of(labels),
                "{fingerprint}: {}",
                render_plan_summary(&plan)
            );
            let priorities = after[fingerprint]
                .iter()
                .filter(|l| l.starts_with("priority:"))
                .count();
            assert_eq!(priorities, 1, "{fingerprint}: {:?}", after[fingerprint]);
        }
        // Nothing is said twice: the second run, again, plans nothing.
        assert!(plan_issues(second, &issues).is_empty());
    }
}

#[test]
fn the_sample_worklog_json_round_trips() {
    let worklog = sample_worklog();
    assert_eq!(
        Worklog::from_json(&worklog.to_json()).expect("reads back"),
        worklog
    );
}

/// Entries carrying credentials, shaped like the sample's boot failures so
/// they land in P0 clusters that get issue drafts.
const SECRETS: [&str; 7] = [
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.Xq7pLx9vQ2mT4rW8sY1zA3bC5dE7fG9h",
    "Zm9vYmFyOnMzY3JldFBhc3M5",
    "hunter2Hunter2x9",
    "AKIAQWERTYUIOP123456",
    "ghp_0123456789abcdefghijABCDEFGHIJ012345",
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
    "pg-Secr3t-Pass",
];

fn planted_export() -> Vec<u8> {
    let messages = [
        format!("CRITICAL STARTUP FAILURE: cannot reach auth with Authorization: Bearer {}", SECRETS[0]),
        format!("Application startup failed. Exiting. Authorization: Basic {}", SECRETS[1]),
        format!("Worker failed to boot. password={} rejected", SECRETS[2]),
        format!("ImportError: boto3 credentials {} invalid", SECRETS[3]),
        format!("startup aborted: token {} revoked", SECRETS[4]),
        format!(
            "Worker failed to boot: bad key -----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----",
            SECRETS[5]
        ),
        format!("Database initialization timeout: postgres://app:{}@10.0.0.5:5432/db", SECRETS[6]),
    ];
    let mut export: Vec<serde_json::Value> =
        serde_json::from_slice(SAMPLE_EXPORT).expect("the sample is a JSON array");
    for (i, message) in messages.iter().enumerate() {
        for copy in 0..3 {
            export.push(serde_json::json!({
                "insertId": format!("planted-{i}-{copy}"),
                "severity": "ERROR",
                "timestamp": format!("2025-09-15T00:2{i}:0{copy}.000000Z"),
                "logName": "projects/netra-staging/logs/run.googleapis.com%2Fstderr",
                "resource": {"type": "cloud_run_revision", "labels": {
                    "service_name": "netra-backend-staging",
                    "revision_name": "netra-backend-staging-00589-g9x"}},
                "labels": {"instanceId": format!("00planted{copy}")},
                "httpRequest": if i == 0 {
                    serde_json::json!({"requestMethod": "GET", "status": 503,
                        "requestUrl": format!("https://app:{}@api.example.com/ws", SECRETS[6])})
                } else {
                    serde_json::Value::Null
                },
                "textPayload": message,
            }));
        }
    }
    serde_json::to_vec(&export).expect("serializable")
}

#[test]
fn planted_secrets_appear_in_no_output() {
    let outcome = run(&planted_export(), 4096, Options::default());
    let worklog = &outcome.worklog;
    let plan = plan_issues(worklog, &existing());
    let mut outputs = vec![
        ("markdown", render_markdown(worklog)),
        ("json", worklog.to_json()),
        ("issues", plan_json(&plan)),
        ("summary", render_plan_summary(&plan)),
    ];
    for draft in issue_drafts(worklog) {
        outputs.push(("draft title", draft.title));
        outputs.push(("draft labels", draft.labels.join(",")));
    }
    for (name, output) in &outputs {
        for secret in SECRETS {
            assert!(
                !output.contains(secret),
                "{secret} survived in the {name} output"
            );
        }
    }
    let markdown = &outputs[0].1;
    assert!(
        markdown.contains("[REDACTED:"),
        "the scrubber ran on the planted entries"
    );
}
