//! Issue drafts and the plan against existing issues, on the fixtures; bodies
//! of giant clusters stay within GitHub's limit.

use gardener_prioritize::Priority;
use gardener_report::{
    fingerprints_in, issue_drafts, issue_drafts_with, parse_existing_issues, plan_issues,
    plan_issues_with, ActionKind, IssueAction, IssueOptions, Worklog, GITHUB_BODY_LIMIT,
};

use crate::fixtures;
use crate::shape::skeleton;

fn plan_json(plan: &[IssueAction]) -> String {
    serde_json::to_string_pretty(plan).expect("serializable")
}

#[test]
fn plan_snapshot() {
    let plan = plan_issues(&fixtures::worklog(), &fixtures::existing_issues());
    insta::assert_snapshot!("fixture_issue_plan", plan_json(&plan));
}

#[test]
fn plan_comments_reopens_and_creates() {
    let plan = plan_issues(&fixtures::worklog(), &fixtures::existing_issues());
    let summary: Vec<(ActionKind, &str, Option<u64>)> = plan
        .iter()
        .map(|a| (a.action, a.fingerprint.as_str(), a.issue))
        .collect();
    assert_eq!(
        summary,
        [
            // Open #4 and #9 carry it: the lowest open number.
            (ActionKind::Comment, "v1:3398e3a8df258742", Some(4)),
            // Closed #2 and #7 carry it: the most recent.
            (ActionKind::Reopen, "v1:e5897bcd29560654", Some(7)),
            // #11 only quotes the marker inside code: not a match.
            (ActionKind::Create, "v1:b3cd2a4ffff520b8", None),
        ]
    );
    assert!(
        plan[0].body.starts_with("### Seen again"),
        "{}",
        plan[0].body
    );
    assert!(plan[1]
        .body
        .starts_with("### Recurred after this issue was closed"));
    assert!(
        fingerprints_in(&plan[0].body).is_empty(),
        "comments carry no marker"
    );
    assert_eq!(fingerprints_in(&plan[2].body), ["v1:b3cd2a4ffff520b8"]);
}

#[test]
fn the_plan_json_has_the_documented_shape() {
    let plan = plan_issues(&fixtures::worklog(), &fixtures::existing_issues());
    let value: serde_json::Value = serde_json::from_str(&plan_json(&plan)).expect("JSON");
    let create = &value[2];
    let keys: Vec<&str> = create
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["action", "body", "fingerprint", "issue", "labels", "title"]
    );
    assert_eq!(create["action"], "create");
    assert!(create["issue"].is_null());
    assert_eq!(value[0]["action"], "comment");
    assert_eq!(value[0]["issue"], 4);
    assert_eq!(value[1]["action"], "reopen");
    let back: Vec<IssueAction> = serde_json::from_value(value).expect("reads back");
    assert_eq!(back, plan);
}

#[test]
fn without_existing_issues_every_draft_is_created() {
    let worklog = fixtures::worklog();
    let plan = plan_issues(&worklog, &[]);
    let drafts = issue_drafts(&worklog);
    assert_eq!(plan.len(), 3, "P0, P1 and P2; not P4");
    for (action, draft) in plan.iter().zip(&drafts) {
        assert_eq!(action.action, ActionKind::Create);
        assert_eq!(action.issue, None);
        assert_eq!(action.title, draft.title);
        assert_eq!(action.body, draft.body);
        assert_eq!(action.labels, draft.labels);
    }
}

#[test]
fn drafts_have_titles_labels_and_markers() {
    let drafts = issue_drafts(&fixtures::worklog());
    let first = &drafts[0];
    assert_eq!(
        first.title,
        "[P0] Boot failure: SyntaxError: f-string: unmatched '(' (in app.routes.ws) (api)"
    );
    assert_eq!(
        first.labels,
        [
            "log-gardener",
            "priority:P0",
            "category:boot-failure",
            "service:api"
        ]
    );
    assert!(first
        .body
        .ends_with("\n<!-- log-gardener:fingerprint=v1:3398e3a8df258742 -->\n"));
    for section in [
        "### Evidence",
        "### Template",
        "### Stack (innermost first)",
        "### Why P0",
        "### Representative entry",
        "### Next step",
        "**Error groups:** `CJKUqdjnnpWwTQ` (3)",
    ] {
        assert!(
            first.body.contains(section),
            "missing {section:?}:\n{}",
            first.body
        );
    }
    assert_eq!(drafts[1].labels[2], "category:server-error");
}

#[test]
fn up_to_limits_the_priorities() {
    let options = IssueOptions {
        up_to: Priority::P0,
        ..IssueOptions::default()
    };
    assert_eq!(issue_drafts_with(&fixtures::worklog(), &options).len(), 1);
}

/// A cluster whose every part is enormous, with backtick runs that need long fences.
fn giant() -> Worklog {
    let mut worklog = fixtures::worklog();
    let cluster = &mut worklog.clusters[0];
    let line = "{\"textPayload\": \"``` ```` ``````` <script> @here | # \\n\", \"n\": 123456789}\n";
    if let Some(representative) = &mut cluster.representative {
        representative.json = line.repeat(20_000);
    }
    cluster.template = "SyntaxError at <*> ````\n".repeat(10_000);
    cluster.reasons = (0..5_000)
        .map(|i| format!("reason {i}: {}", "why ".repeat(200)))
        .collect();
    if let Some(exception) = &mut cluster.exception {
        exception.message = "m".repeat(100_000);
        exception.frames = (0..10_000)
            .map(|i| format!("/app/f{i}.py:{i} in g"))
            .collect();
    }
    let values: Vec<_> = (0..10)
        .map(|i| gardener_report::ValueCount {
            value: format!("{i}{}", "v".repeat(20_000)),
            count: 1,
        })
        .collect();
    for kind in 0..20 {
        cluster
            .variables
            .insert(format!("kind{kind}"), values.clone());
    }
    cluster.services = values.clone();
    cluster.revisions = values.clone();
    cluster.call_sites = values;
    cluster.title = "t".repeat(1_000_000);
    cluster.next_step = "@😀|".repeat(10_000);
    cluster.trend = Some("`<".repeat(10_000));
    cluster.fingerprint = format!("v1:3398e3a8df258742{}", "f".repeat(10_000));
    worklog.generator = "`|&".repeat(10_000);
    worklog
}

fn assert_fits(body: &str, limit: usize) {
    assert!(body.len() <= limit, "{} bytes", body.len());
    assert!(body.chars().count() <= limit);
    assert!(
        !skeleton(body).iter().any(|token| token == "unclosed-fence"),
        "{body}"
    );
}

#[test]
fn giant_clusters_fit_github_with_a_visible_note() {
    let worklog = giant();
    let drafts = issue_drafts(&worklog);
    let body = &drafts[0].body;
    assert_fits(body, GITHUB_BODY_LIMIT);
    assert!(
        body.contains("The representative entry "),
        "the entry is cut first"
    );
    assert!(
        body.contains("to fit the size limit of a GitHub body"),
        "{body}"
    );
    assert_eq!(fingerprints_in(body), [drafts[0].fingerprint.as_str()]);
    assert!(body.contains("### Next step"));
    assert!(drafts[0].title.chars().count() <= 256);

    let existing = parse_existing_issues(
        &serde_json::json!([{"number": 5, "title": "", "state": "CLOSED", "labels": [],
            "body": gardener_report::fingerprint_marker(&drafts[0].fingerprint)}])
        .to_string(),
    )
    .expect("valid");
    let plan = plan_issues(&worklog, &existing);
    assert_eq!(plan[0].action, ActionKind::Reopen);
    assert_fits(&plan[0].body, GITHUB_BODY_LIMIT);
}

#[test]
fn the_representative_entry_is_trimmed_before_other_sections() {
    let mut worklog = fixtures::worklog();
    if let Some(representative) = &mut worklog.clusters[0].representative {
        representative.json = "x".repeat(200_000);
    }
    let body = &issue_drafts(&worklog)[0].body;
    assert_fits(body, GITHUB_BODY_LIMIT);
    assert!(body.contains("*The representative entry cut to "), "{body}");
    assert!(body.contains("of 200000 bytes"), "{body}");
    assert!(!body.contains("omitted"), "nothing else is cut:\n{body}");
    assert!(body.contains("### Stack (innermost first)"));
}

#[test]
fn smaller_limits_are_kept() {
    let worklog = giant();
    for limit in [4_096, 10_000, 30_000] {
        let options = IssueOptions {
            max_body_bytes: limit,
            ..IssueOptions::default()
        };
        for draft in issue_drafts_with(&worklog, &options) {
            assert_fits(&draft.body, limit);
        }
        for action in plan_issues_with(&worklog, &fixtures::existing_issues(), &options) {
            assert_fits(&action.body, limit);
        }
    }
}
