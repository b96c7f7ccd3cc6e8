//! The plan against a repository's existing issues: which issue to create,
//! which to comment on, which to reopen, found by fingerprint markers and
//! decided by occurrences, not by what the export window happens to hold.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gardener_prioritize::{OccurrencesAfter, Priority};
use serde::{Deserialize, Serialize};

use crate::comment::{news_comment, Occasion, Report};
use crate::existing::{ExistingIssue, IssueState};
use crate::github::{
    draft, labels, priority_label, IssueOptions, CATEGORY_PREFIX, PRIORITY_PREFIX,
};
use crate::issue_title::{issue_title, one_line};
use crate::markers::{issue_key, markers_in, FingerprintMarker};
use crate::occurrences::{combined, news_after};
use crate::problem::{problems, Problem};
use crate::worklog::{Worklog, WorklogCluster};

/// What to do about one issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// File a new issue with the title, body and labels.
    Create,
    /// Comment on the open issue with the body, and set its labels.
    Comment,
    /// Reopen the closed issue, comment on it with the body, and set its labels.
    Reopen,
}

/// One step of the plan: one issue to create, comment on or reopen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueAction {
    /// Create, comment or reopen.
    pub action: ActionKind,
    /// The existing issue to comment on or reopen; `None` for create.
    pub issue: Option<u64>,
    /// The fingerprint of the problem's cause (the first of `fingerprints`).
    pub fingerprint: String,
    /// Every fingerprint the issue covers in this run; the body carries a
    /// marker for each, so a later run finds the issue from any of them.
    pub fingerprints: Vec<String>,
    /// The most urgent priority among the clusters the issue covers.
    pub priority: Priority,
    /// The issue's title: the new one for create, the current one otherwise.
    pub title: String,
    /// The labels the issue should carry (`gh --add-label`). An issue that
    /// has a `category:` label keeps it: a fingerprint's category label
    /// does not change once filed.
    pub labels: Vec<String>,
    /// Labels to take off (`gh --remove-label`): an old priority label.
    #[serde(default)]
    pub remove_labels: Vec<String>,
    /// What the action reports: every occurrence for create; for comment and
    /// reopen, those after the issue's last report (and after its closing).
    pub occurrences: OccurrencesAfter,
    /// The issue description (create) or the comment (comment, reopen).
    pub body: String,
}

/// The plan for every problem at P0-P2 (see [`issue_drafts`](crate::issue_drafts)).
///
/// Each cluster's fingerprint is looked up in the markers of the issues'
/// descriptions and comments. A cluster stays with the issue that covers it
/// (the open one with the lowest number, else the most recently closed,
/// by `closed_at` then number); a cluster no issue covers joins the issue of
/// its problem's cause (or of its first covered cluster), or a new issue
/// when none of the problem's clusters has one. A closed issue filed for
/// another problem (the first marker of its description is none of this
/// problem's clusters) is the exception: a generic symptom such as an exit
/// or a 503 that an earlier outage's issue covered, and that now belongs to
/// another cause, joins that cause's issue (existing or new) instead of
/// reopening the fixed one; only when the problem has no other issue and
/// needs no new one does it stay there. So an issue gets at most one
/// action, and two issues never cover one fingerprint.
///
/// An existing issue gets an action only for occurrences not seen yet:
/// after the latest `seen-until` of the cluster's markers in any issue and
/// the closing time of any closed issue that covers it (see
/// [`ExistingIssue::seen_until`]). A cluster new to an issue also counts
/// from that issue's closing and from the latest closing of its problem's
/// closed issues (those filed for one of the problem's clusters): the
/// problem was dealt with until then, whichever of its issues the cluster
/// joins, open or closed. Then an open issue gets a comment and a closed
/// one is reopened with it. The comment says only what is new and records,
/// per cluster, up to when it was seen, so running the plan again on the
/// same export plans nothing. The worklog is scrubbed of secrets first.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use gardener_report::{plan_issues, RunInfo, Worklog};
///
/// let run = RunInfo {
///     generated_at: Utc.with_ymd_and_hms(2025, 9, 15, 0, 30, 0).unwrap(),
///     entries_read: 0,
///     entries_skipped: 0,
///     errors: Vec::new(),
///     sources: Vec::new(),
///     entries_joined: 0,
///     folded: Default::default(),
/// };
/// let assessments = gardener_prioritize::Prioritizer::default().assess_all(&[], None);
/// let worklog = Worklog::build(&[], &assessments, &run);
/// assert!(plan_issues(&worklog, &[]).is_empty());
/// ```
pub fn plan_issues(worklog: &Worklog, existing: &[ExistingIssue]) -> Vec<IssueAction> {
    plan_issues_with(worklog, existing, &IssueOptions::default())
}

/// Where a cluster's news goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// An existing issue, by number.
    Existing(u64),
    /// A new issue for the problem at this index.
    New(usize),
}

/// [`plan_issues`] with options.
pub fn plan_issues_with(
    worklog: &Worklog,
    existing: &[ExistingIssue],
    options: &IssueOptions,
) -> Vec<IssueAction> {
    let worklog = worklog.scrubbed();
    let problems = problems(&worklog, options);
    let mut by_fingerprint: BTreeMap<String, Vec<&ExistingIssue>> = BTreeMap::new();
    for issue in existing {
        for fingerprint in issue.fingerprints() {
            by_fingerprint.entry(fingerprint).or_default().push(issue);
        }
    }
    let covering = |cluster: &WorklogCluster| {
        by_fingerprint
            .get(&issue_key(&cluster.fingerprint))
            .and_then(|issues| choose(issues))
    };
    // Up to when each fingerprint's occurrences were seen, by any issue:
    // duplicates and a reopening elsewhere then change nothing.
    let seen_until = |key: &str| {
        by_fingerprint
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|issue| issue.seen_until(key))
            .max()
    };
    let issues: BTreeMap<u64, &ExistingIssue> = existing.iter().map(|i| (i.number, i)).collect();

    // Each issue's clusters (whether it already covers them, and up to
    // when their occurrences are not news), in plan order.
    let mut targets: Vec<(Target, Vec<Member<'_>>)> = Vec::new();
    for (index, problem) in problems.iter().enumerate() {
        let keys: Vec<String> = problem
            .members
            .iter()
            .map(|member| issue_key(&member.fingerprint))
            .collect();
        let belongs = |issue: &ExistingIssue| {
            issue.state == IssueState::Open || filed_for(issue).is_none_or(|f| keys.contains(&f))
        };
        let covered: Vec<Option<&ExistingIssue>> =
            problem.members.iter().map(|m| covering(m)).collect();
        // The problem was dealt with up to the latest closing of its closed
        // issues: a cluster none of them reported counts from there, on
        // whichever issue it lands (the home may be open in one run and
        // closed in the next, when another problem reopens an issue).
        let closed_through = keys
            .iter()
            .filter_map(|key| by_fingerprint.get(key))
            .flatten()
            .filter(|issue| issue.state == IssueState::Closed && belongs(issue))
            .filter_map(|issue| issue.closed_at)
            .max();
        let home = match covered.iter().flatten().find(|issue| belongs(issue)) {
            Some(issue) => Some(Target::Existing(issue.number)),
            None => covered
                .iter()
                .any(Option::is_none)
                .then_some(Target::New(index)),
        };
        for (&member, cover) in problem.members.iter().zip(&covered) {
            let (target, tracked) = match (cover, home) {
                // A closed issue filed for another problem is not reopened
                // for a cluster of this one, when this one has an issue.
                (Some(issue), Some(home)) if !belongs(issue) => (home, false),
                (Some(issue), _) => (Target::Existing(issue.number), true),
                (None, home) => (home.unwrap_or(Target::New(index)), false),
            };
            let member = Member {
                cluster: member,
                tracked,
                not_before: seen_until(&issue_key(&member.fingerprint))
                    .max((!tracked).then_some(closed_through).flatten()),
            };
            match targets.iter_mut().find(|(t, _)| *t == target) {
                Some((_, members)) => members.push(member),
                None => targets.push((target, vec![member])),
            }
        }
    }

    targets
        .into_iter()
        .filter_map(|(target, members)| match target {
            Target::New(index) => Some(create(&worklog, &problems[index], options)),
            Target::Existing(number) => {
                let issue = issues.get(&number)?;
                update(&worklog, issue, &members, options)
            }
        })
        .collect()
}

fn create(worklog: &Worklog, problem: &Problem<'_>, options: &IssueOptions) -> IssueAction {
    let draft = draft(worklog, problem, options);
    let occurrences = combined(
        problem
            .members
            .iter()
            .map(|member| news_after(worklog, member, None).occurrences)
            .collect::<Vec<_>>()
            .iter(),
    );
    IssueAction {
        action: ActionKind::Create,
        issue: None,
        fingerprint: draft.fingerprint,
        fingerprints: draft.fingerprints,
        priority: draft.priority,
        title: draft.title,
        labels: draft.labels,
        remove_labels: Vec::new(),
        occurrences,
        body: draft.body,
    }
}

/// One cluster of an existing issue's action.
#[derive(Debug, Clone, Copy)]
struct Member<'a> {
    cluster: &'a WorklogCluster,
    /// Whether the issue already carries a marker for it.
    tracked: bool,
    /// Its occurrences up to this moment are not news: the latest
    /// `seen-until` of its markers in any issue and closing of any closed
    /// issue that covers it; for a cluster new to the issue, also the latest
    /// closing of its problem's closed issues.
    not_before: Option<DateTime<Utc>>,
}

/// The comment or reopening an existing issue needs, if any of its clusters
/// occurred after what was seen of it.
fn update(
    worklog: &Worklog,
    issue: &ExistingIssue,
    members: &[Member<'_>],
    options: &IssueOptions,
) -> Option<IssueAction> {
    let closed_at = match issue.state {
        IssueState::Closed => issue.closed_at,
        IssueState::Open => None,
    };
    let reports: Vec<Report<'_>> = members
        .iter()
        .map(|member| {
            let Member {
                cluster,
                tracked,
                not_before,
            } = *member;
            // A cluster new to a closed issue counts from its closing.
            // (`None` is less than any time: this is the later of the two.)
            let after = not_before.max(closed_at);
            let mut news = news_after(worklog, cluster, after);
            if tracked && after.is_none() && cluster.last_seen.is_none() {
                // A cluster without times, already tracked: nothing tells what is new.
                news.occurrences = OccurrencesAfter::none(None);
                news.revisions.clear();
            }
            Report {
                cluster,
                news,
                newly_tracked: !tracked,
                seen_until: after.max(cluster.last_seen),
            }
        })
        .collect();
    if !reports.iter().any(|report| report.news.occurrences.any()) {
        return None;
    }
    let clusters = members.iter().map(|member| member.cluster);
    let priority = clusters
        .clone()
        .map(|cluster| cluster.priority)
        .min()
        .unwrap_or(Priority::P4);
    let wanted = priority_label(priority);
    let remove_labels: Vec<String> = issue
        .labels
        .iter()
        .filter(|label| label.starts_with(PRIORITY_PREFIX) && **label != wanted)
        .cloned()
        .collect();
    let priority_change = remove_labels
        .iter()
        .filter_map(|label| parse_priority(&label[PRIORITY_PREFIX.len()..]))
        .min()
        .map(|before| (before, priority));
    let kept_categories: Vec<&String> = issue
        .labels
        .iter()
        .filter(|label| label.starts_with(CATEGORY_PREFIX))
        .collect();
    let first = members[0].cluster;
    let mut labels = labels(
        priority,
        kept_categories.is_empty().then_some(first.category),
        clusters,
    );
    for (offset, category) in kept_categories.into_iter().enumerate() {
        labels.insert(2 + offset, category.clone());
    }
    let occasion = match issue.state {
        IssueState::Open => Occasion::Update,
        IssueState::Closed => {
            // The issue's own cause may be fixed while its symptoms go on.
            let quiet_cause = filed_for(issue).filter(|cause| {
                !reports.iter().any(|report| {
                    report.news.occurrences.any()
                        && issue_key(&report.cluster.fingerprint) == *cause
                })
            });
            Occasion::Reopen {
                closed_at,
                quiet_cause,
            }
        }
    };
    // Every cluster the comment is about records up to when it was seen;
    // reopening an issue also restates that for the other fingerprints it
    // covers, whose closing time would otherwise no longer count.
    let mut markers: Vec<FingerprintMarker> = reports
        .iter()
        .map(|report| FingerprintMarker::new(&report.cluster.fingerprint, report.seen_until))
        .collect();
    if issue.state == IssueState::Closed {
        for fingerprint in issue.fingerprints() {
            if !markers.iter().any(|m| m.fingerprint == fingerprint) {
                if let Some(seen) = issue.seen_until(&fingerprint) {
                    markers.push(FingerprintMarker::new(&fingerprint, Some(seen)));
                }
            }
        }
    }
    let body = news_comment(
        worklog,
        &reports,
        occasion,
        priority_change,
        &markers,
        options.max_body_bytes,
    );
    let occurrences = combined(
        reports
            .iter()
            .filter(|report| report.news.occurrences.any())
            .map(|report| &report.news.occurrences),
    );
    let title = match one_line(&issue.title) {
        title if title.is_empty() => issue_title(first, priority),
        title => title,
    };
    Some(IssueAction {
        action: match issue.state {
            IssueState::Open => ActionKind::Comment,
            IssueState::Closed => ActionKind::Reopen,
        },
        issue: Some(issue.number),
        fingerprint: issue_key(&first.fingerprint),
        fingerprints: members
            .iter()
            .map(|member| issue_key(&member.cluster.fingerprint))
            .collect(),
        priority,
        title,
        labels,
        remove_labels,
        occurrences,
        body,
    })
}

/// The fingerprint an issue was filed for: its description's first marker.
fn filed_for(issue: &ExistingIssue) -> Option<String> {
    markers_in(&issue.body)
        .into_iter()
        .next()
        .map(|marker| marker.fingerprint)
}

/// `P0` .. `P4`.
fn parse_priority(text: &str) -> Option<Priority> {
    Priority::ALL.into_iter().find(|p| p.as_str() == text)
}

/// The open issue with the lowest number, else the most recently closed.
fn choose<'a>(issues: &[&'a ExistingIssue]) -> Option<&'a ExistingIssue> {
    let open = issues
        .iter()
        .filter(|i| i.state == IssueState::Open)
        .min_by_key(|i| i.number);
    open.or_else(|| issues.iter().max_by_key(|i| (i.closed_at, i.number)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(number: u64, state: IssueState, closed_at: Option<&str>) -> ExistingIssue {
        let mut issue = ExistingIssue::new(number, "", "", state);
        issue.closed_at =
            closed_at.and_then(|t| DateTime::parse_from_rfc3339(t).ok().map(|t| t.to_utc()));
        issue
    }

    macro_rules! chooses {
        ($($name:ident: [$($number:expr, $state:ident, $closed:expr);*] => $expected:expr,)*) => {$(
            #[test]
            fn $name() {
                let issues = vec![$(issue($number, IssueState::$state, $closed)),*];
                let refs: Vec<&ExistingIssue> = issues.iter().collect();
                assert_eq!(choose(&refs).map(|i| i.number), $expected);
            }
        )*};
    }

    chooses! {
        none: [] => None,
        lowest_open: [9, Open, None; 4, Open, None; 2, Closed, None] => Some(4),
        open_beats_newer_closed: [3, Open, None; 12, Closed, None] => Some(3),
        highest_closed_without_dates: [5, Closed, None; 8, Closed, None; 6, Closed, None] => Some(8),
        latest_closed_by_date: [5, Closed, Some("2025-09-10T00:00:00Z"); 8, Closed, Some("2025-08-01T00:00:00Z")] => Some(5),
    }

    /// A worklog of P0-P1 clusters `(fingerprint, incident)`, the first of
    /// an incident its cause, each seen from 10:00 to 11:00.
    fn worklog(clusters: &[(&str, Option<usize>)]) -> Worklog {
        let clusters: Vec<serde_json::Value> = clusters
            .iter()
            .enumerate()
            .map(|(i, (fingerprint, incident))| {
                serde_json::json!({
                    "rank": i + 1, "fingerprint": fingerprint, "priority": "P0",
                    "category": "boot_failure", "score": 0, "title": fingerprint,
                    "kind": "message", "template": fingerprint, "count": 2,
                    "rate_per_hour": 2.0, "first_seen": "2025-09-15T10:00:00Z",
                    "last_seen": "2025-09-15T11:00:00Z", "severities": {}, "services": [],
                    "revisions": [], "instances": [], "instance_count": 0,
                    "instances_truncated": false, "call_sites": [], "error_groups": [],
                    "statuses": [], "latency": null, "variables": {}, "exception": null,
                    "representative": null, "reasons": [], "next_step": "",
                    "incident": incident
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "schema_version": 1, "generator": "test", "generated_at": "2025-09-15T12:00:00Z",
            "sources": [], "services": [], "revisions": [],
            "period": {"start": "2025-09-15T10:00:00Z", "end": "2025-09-15T11:00:00Z"},
            "input": {"entries_read": 0, "entries_skipped": 0, "entries_clustered": 0,
                      "clusters": clusters.len(), "errors": []},
            "severities": {}, "clusters": clusters
        }))
        .expect("a valid worklog")
    }

    /// An issue filed for `fingerprints[0]`, covering all of them, closed
    /// at 09:00 (before every occurrence) or open.
    fn filed(number: u64, fingerprints: &[&str], state: IssueState) -> ExistingIssue {
        let body: String = fingerprints
            .iter()
            .map(|f| format!("{}\n", FingerprintMarker::new(f, None)))
            .collect();
        let closed_at = (state == IssueState::Closed).then_some("2025-09-15T09:00:00Z");
        let mut issue = issue(number, state, closed_at);
        issue.body = body;
        issue
    }

    /// (action, issue, fingerprints) of each step of the plan.
    fn steps(
        worklog: &Worklog,
        issues: &[ExistingIssue],
    ) -> Vec<(ActionKind, Option<u64>, Vec<String>)> {
        plan_issues(worklog, issues)
            .into_iter()
            .map(|a| (a.action, a.issue, a.fingerprints))
            .collect()
    }

    fn names(fingerprints: &[&str]) -> Vec<String> {
        fingerprints.iter().map(|f| (*f).to_owned()).collect()
    }

    #[test]
    fn a_closed_issue_is_not_reopened_for_another_causes_symptom() {
        // #1 was filed for an earlier outage `v1:old` and took its exits.
        let fixed = filed(1, &["v1:old", "v1:exit"], IssueState::Closed);
        // Now the exits are a symptom of a new cause: one new issue for both.
        let incident = worklog(&[("v1:new", Some(1)), ("v1:exit", Some(1))]);
        assert_eq!(
            steps(&incident, std::slice::from_ref(&fixed)),
            [(ActionKind::Create, None, names(&["v1:new", "v1:exit"]))]
        );
        // Or the new cause's issue, when it has one.
        let open = filed(2, &["v1:new"], IssueState::Open);
        assert_eq!(
            steps(&incident, &[fixed.clone(), open]),
            [(ActionKind::Comment, Some(2), names(&["v1:new", "v1:exit"]))]
        );
    }

    #[test]
    fn a_closed_issue_is_reopened_for_its_own_problem() {
        // Filed for the cause that occurs again.
        let fixed = filed(1, &["v1:cause", "v1:exit"], IssueState::Closed);
        let incident = worklog(&[("v1:cause", Some(1)), ("v1:exit", Some(1))]);
        assert_eq!(
            steps(&incident, std::slice::from_ref(&fixed)),
            [(ActionKind::Reopen, Some(1), names(&["v1:cause", "v1:exit"]))]
        );
        // Filed for the symptom itself: it stays there, the cause goes apart.
        let symptom = filed(1, &["v1:exit"], IssueState::Closed);
        let incident = worklog(&[("v1:new", Some(1)), ("v1:exit", Some(1))]);
        assert_eq!(
            steps(&incident, &[symptom]),
            [(ActionKind::Reopen, Some(1), names(&["v1:new", "v1:exit"]))]
        );
        // The only issue of a problem that needs no new one: it stays, and
        // the reopening says that the cause it was filed for is quiet.
        let alone = worklog(&[("v1:exit", None)]);
        let plan = plan_issues(&alone, &[fixed]);
        assert_eq!(plan.len(), 1);
        assert_eq!(
            (plan[0].action, plan[0].issue),
            (ActionKind::Reopen, Some(1))
        );
        assert!(
            plan[0].body.contains("`v1:cause`, has not occurred since"),
            "{}",
            plan[0].body
        );
    }

    fn at(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text).ok().map(|t| t.to_utc())
    }

    /// An open issue that reported `v1:cause` through 11:00, after `others`.
    fn reported_through_eleven(number: u64, others: &[&str]) -> ExistingIssue {
        let mut issue = filed(number, others, IssueState::Open);
        let marker = FingerprintMarker::new("v1:cause", at("2025-09-15T11:00:00Z"));
        issue.body.push_str(&format!("{marker}\n"));
        issue
    }

    #[test]
    fn a_new_symptom_counts_from_its_problems_closing_on_an_open_issue() {
        // #1, filed for the cause, was closed at 12:00, after the incident's
        // occurrences (10:00-11:00); #2, open, reported the cause through
        // 11:00. The exit is new to both: it was dealt with when #1 was
        // closed, though it joins the open #2.
        let mut closed = filed(1, &["v1:cause"], IssueState::Closed);
        closed.closed_at = at("2025-09-15T12:00:00Z");
        let open = reported_through_eleven(2, &[]);
        let incident = worklog(&[("v1:cause", Some(1)), ("v1:exit", Some(1))]);
        assert_eq!(steps(&incident, &[closed.clone(), open.clone()]), []);
        // Without the closed issue, the exit is news to #2.
        let news = [(
            ActionKind::Comment,
            Some(2),
            names(&["v1:cause", "v1:exit"]),
        )];
        assert_eq!(steps(&incident, std::slice::from_ref(&open)), news);
        // A closed issue filed for another problem says nothing about this one.
        let mut other = filed(1, &["v1:old", "v1:cause"], IssueState::Closed);
        other.closed_at = closed.closed_at;
        assert_eq!(steps(&incident, &[other, open]), news);
    }

    #[test]
    fn priorities_parse() {
        assert_eq!(parse_priority("P1"), Some(Priority::P1));
        assert_eq!(parse_priority("p1"), None);
        assert_eq!(parse_priority("P9"), None);
    }
}
