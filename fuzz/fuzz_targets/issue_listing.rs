//! The parser of `gh issue list --json ...` output over arbitrary text, and
//! the plan made against what it returns.
#![no_main]

use std::sync::OnceLock;

use gardener_report::{parse_existing_issues, plan_issues, Worklog};
use libfuzzer_sys::fuzz_target;

fn worklog() -> &'static Worklog {
    static WORKLOG: OnceLock<Worklog> = OnceLock::new();
    WORKLOG.get_or_init(|| {
        serde_json::from_str(include_str!("../../crates/report/tests/data/worklog.json"))
            .expect("the report's worklog fixture is valid")
    })
}

fuzz_target!(|json: &str| {
    match parse_existing_issues(json) {
        Ok(issues) => {
            for issue in &issues {
                let _ = issue.fingerprints();
            }
            let _ = plan_issues(worklog(), &issues);
        }
        Err(error) => {
            assert!(error.line() >= 1 && error.column() >= 1);
            let _ = error.to_string();
        }
    }
});
