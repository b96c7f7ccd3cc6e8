//! `gardener --format issues` on the embedded sample, against a fixture
//! listing of existing issues: the plan creates, comments and reopens; and
//! secrets planted in the input appear in no output.

use gardener_report::{
    issue_drafts, parse_existing_issues, plan_issues, ActionKind, ExistingIssue, IssueAction,
    Worklog, GITHUB_BODY_LIMIT,
};
use log_gardener::{render_markdown, Options, Priority};

use crate::{run, SAMPLE_EXPORT};

/// `gh issue list --state all --json number,title,body,state,labels` of a
/// repository that already tracks some of the sample's clusters.
const EXISTING_ISSUES: &str = include_str!("data/existing-issues.json");

fn existing() -> Vec<ExistingIssue> {
    parse_existing_issues(EXISTING_ISSUES).expect("the fixture is valid")
}

fn sample_worklog() -> Worklog {
    run(SAMPLE_EXPORT, 64 * 1024, Options::default()).worklog
}

/// What `gardener --format issues` prints.
fn plan_json(plan: &[IssueAction]) -> String {
    serde_json::to_string_pretty(plan).expect("serializable")
}

#[test]
fn issue_plan_snapshot() {
    let plan = plan_issues(&sample_worklog(), &existing());
    insta::assert_snapshot!("sample_issue_plan", plan_json(&plan));
}

#[test]
fn the_plan_creates_comments_and_reopens() {
    let worklog = sample_worklog();
    let plan = plan_issues(&worklog, &existing());
    let action = |fingerprint: &str| {
        plan.iter()
            .find(|a| a.fingerprint == fingerprint)
            .map(|a| (a.action, a.issue))
            .unwrap_or_else(|| panic!("no action for {fingerprint}"))
    };
    // Open #21 carries the crash loop's marker.
    assert_eq!(
        action("v1:61df289aaa4e04c4"),
        (ActionKind::Comment, Some(21))
    );
    // Open #25 and #30 carry GET /ws 503: the lowest open number.
    assert_eq!(
        action("v1:e5897bcd29560654"),
        (ActionKind::Comment, Some(25))
    );
    // Open #40 and closed #3 carry the SyntaxError: the open one. (Its key
    // is the type and the file that does not compile, since issue 10.)
    assert_eq!(
        action("v1:52923528df2f2dcb"),
        (ActionKind::Comment, Some(40))
    );
    // Closed #8 and #15 carry the ImportError traceback: the most recent one.
    assert_eq!(
        action("v1:d97e7145fa44a37b"),
        (ActionKind::Reopen, Some(15))
    );
    // #5 quotes this marker inside a log excerpt: not a real marker.
    assert_eq!(action("v1:8f55622112c5cbaf"), (ActionKind::Create, None));

    let urgent = worklog
        .clusters
        .iter()
        .filter(|c| c.priority <= Priority::P2)
        .count();
    assert_eq!(plan.len(), urgent, "one action per P0-P2 cluster");
    let creates = plan
        .iter()
        .filter(|a| a.action == ActionKind::Create)
        .count();
    assert_eq!(creates, urgent - 4);
    for action in &plan {
        assert!(action.body.len() <= GITHUB_BODY_LIMIT);
        assert!(action.labels.contains(&"log-gardener".to_owned()));
        assert_eq!(action.issue.is_none(), action.action == ActionKind::Create);
    }
}

#[test]
fn without_existing_issues_the_plan_is_the_drafts() {
    let worklog = sample_worklog();
    let plan = plan_issues(&worklog, &[]);
    let drafts = issue_drafts(&worklog);
    assert_eq!(plan.len(), drafts.len());
    assert!(plan.iter().all(|a| a.action == ActionKind::Create));
    let import_error = drafts
        .iter()
        .find(|d| d.fingerprint == "v1:d97e7145fa44a37b")
        .expect("the ImportError draft");
    assert!(
        import_error.title.starts_with(
            "[P0] Boot failure: ImportError: cannot import name 'UnifiedWebSocketManager'"
        ),
        "{}",
        import_error.title
    );
    assert!(import_error.title.ends_with("(netra-backend-staging)"));
    assert_eq!(
        import_error.labels,
        [
            "log-gardener",
            "priority:P0",
            "category:boot-failure",
            "service:netra-backend-staging"
        ]
    );
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
    let mut outputs = vec![
        ("markdown", render_markdown(worklog)),
        ("json", worklog.to_json()),
        ("issues", plan_json(&plan_issues(worklog, &existing()))),
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
