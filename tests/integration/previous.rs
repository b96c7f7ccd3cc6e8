//! `--previous`: trend markers against an earlier worklog, and the clusters it
//! had that this run no longer sees.

use log_gardener::{render_markdown, Options, Priority, Worklog};

use crate::{run, SAMPLE_EXPORT};

#[test]
fn trends_against_an_edited_earlier_worklog() {
    let first = run(SAMPLE_EXPORT, 65536, Options::default()).worklog;
    let mut earlier: Worklog = Worklog::from_json(&first.to_json()).expect("round trip");
    // The earlier run: the ImportError cluster was P3, the 503 cluster was
    // resolved, the SyntaxError cluster did not exist yet, and a cluster
    // existed that is gone now.
    let position = |earlier: &Worklog, title: &str| {
        earlier
            .clusters
            .iter()
            .position(|c| c.title.starts_with(title))
            .unwrap_or_else(|| panic!("{title}"))
    };
    let import_error = position(&earlier, "ImportError: cannot import name");
    earlier.clusters[import_error].priority = Priority::P3;
    let ws_503 = position(&earlier, "GET /ws 503");
    earlier.clusters[ws_503].trend = Some("resolved".to_owned());
    let syntax_error = position(&earlier, "SyntaxError");
    earlier.clusters.remove(syntax_error);
    let mut gone = earlier.clusters[0].clone();
    gone.fingerprint = "v1:00000000000000aa".to_owned();
    gone.title = "Disk quota exceeded on /tmp".to_owned();
    earlier.clusters.push(gone);

    let options = Options {
        previous: Some(earlier),
        ..Options::default()
    };
    let now = run(SAMPLE_EXPORT, 65536, options).worklog;
    let trend = |title: &str| {
        now.clusters
            .iter()
            .find(|c| c.title.starts_with(title))
            .and_then(|c| c.trend.clone())
            .unwrap_or_default()
    };
    assert_eq!(trend("ImportError: cannot import name"), "escalated");
    assert_eq!(trend("GET /ws 503"), "regressed");
    assert_eq!(trend("SyntaxError"), "new");
    assert_eq!(trend("Container called exit"), "ongoing");
    assert_eq!(now.resolved.len(), 1);
    assert_eq!(now.resolved[0].title, "Disk quota exceeded on /tmp");
    let markdown = render_markdown(&now);
    assert!(
        markdown.contains("Disk quota exceeded on /tmp"),
        "resolved clusters are listed"
    );
    assert!(markdown.contains("escalated"));
}
