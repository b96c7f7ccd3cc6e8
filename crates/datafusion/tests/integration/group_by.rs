//! `GROUP BY` a field of the entry: one worklog per group, each the
//! sequential worklog of that group's entries.

use std::collections::BTreeMap;
use std::path::PathBuf;

use log_gardener::{Options, Worklog};

use crate::support::{
    assert_same, contents, context, register_sink, rows, sequential, sink_files,
    without_error_positions,
};

/// The lines of the export by the service the entry names (`None` for a
/// line that is not an entry), each group's lines written to one file in
/// export order.
fn lines_by_service(dir: &std::path::Path) -> BTreeMap<Option<String>, PathBuf> {
    let mut groups: BTreeMap<Option<String>, Vec<u8>> = BTreeMap::new();
    for file in sink_files() {
        for line in contents(&file)
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
        {
            let service = serde_json::from_slice::<serde_json::Value>(line)
                .ok()
                .and_then(|entry| {
                    entry
                        .pointer("/resource/labels/service_name")
                        .and_then(|s| s.as_str())
                        .map(str::to_owned)
                });
            let group = groups.entry(service).or_default();
            group.extend_from_slice(line);
            group.push(b'\n');
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(index, (service, bytes))| {
            let path = dir.join(format!("group-{index}.json"));
            std::fs::write(&path, bytes).expect("writable temporary directory");
            (service, path)
        })
        .collect()
}

#[tokio::test]
async fn a_worklog_per_service_is_the_sequential_worklog_of_its_entries() {
    let dir = std::env::temp_dir().join(format!(
        "gardener-datafusion-group-by-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("writable temporary directory");
    let groups = lines_by_service(&dir);
    assert_eq!(
        groups.keys().flatten().collect::<Vec<_>>(),
        ["netra-backend-staging", "orders-api"],
        "the export has two services"
    );

    let options = Options::default();
    let ctx = context(
        gardener_datafusion::session_config(3),
        options.clone(),
        vec![],
    );
    register_sink(&ctx);
    let rows = rows(
        &ctx,
        "SELECT log_service(entry) AS service, log_clusters(entry) AS worklog
         FROM entries GROUP BY service ORDER BY service NULLS LAST",
    )
    .await;
    let actual: BTreeMap<Option<String>, Worklog> = rows
        .into_iter()
        .map(|row| {
            let worklog = row[1].as_deref().expect("a worklog");
            (
                row[0].clone(),
                Worklog::from_json(worklog).expect("valid worklog JSON"),
            )
        })
        .collect();

    assert_eq!(
        actual.len(),
        groups.len(),
        "one worklog per service, and one for bad lines"
    );
    for (service, path) in &groups {
        let expected = sequential(&options, std::slice::from_ref(path), vec![]);
        let worklog = &actual[service];
        if let Some(service) = service {
            assert_eq!(worklog.services.len(), 1, "{service}");
            assert_eq!(&worklog.services[0].value, service);
        }
        assert_same(
            &without_error_positions(worklog.clone()),
            &without_error_positions(expected),
            &format!("{service:?}"),
        );
    }
    std::fs::remove_dir_all(&dir).expect("removable temporary directory");
}

#[tokio::test]
async fn a_worklog_per_day_counts_each_day() {
    let ctx = context(
        gardener_datafusion::session_config(2),
        Options::default(),
        vec![],
    );
    register_sink(&ctx);
    let rows = rows(
        &ctx,
        "SELECT log_day(entry) AS day, log_clusters(entry, '2025-09-16T00:00:00Z') AS worklog,
                CAST(count(*) AS TEXT) AS entries
         FROM entries WHERE log_day(entry) IS NOT NULL GROUP BY day ORDER BY day",
    )
    .await;
    let days: Vec<_> = rows
        .iter()
        .map(|row| row[0].clone().expect("a day"))
        .collect();
    assert_eq!(days, ["2025-09-14", "2025-09-15"]);
    for row in &rows {
        let worklog = Worklog::from_json(row[1].as_deref().expect("a worklog")).expect("valid");
        let entries: u64 = row[2]
            .as_deref()
            .expect("a count")
            .parse()
            .expect("a number");
        assert_eq!(worklog.input.entries_read, entries, "{:?}", row[0]);
        assert_eq!(
            worklog.generated_at.to_rfc3339(),
            "2025-09-16T00:00:00+00:00"
        );
        let period_day = worklog
            .period
            .start
            .expect("a period")
            .date_naive()
            .to_string();
        assert_eq!(Some(period_day), row[0]);
    }
}
