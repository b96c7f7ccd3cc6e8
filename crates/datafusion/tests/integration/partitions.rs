//! Any number of partitions, whole files or byte ranges: the worklog of the
//! sequential run.

use datafusion::physical_plan::displayable;
use log_gardener::{Options, ReadConfig};

use crate::support::{
    assert_same, context, register_sink, sequential, sink_dir, sink_files, without_error_positions,
    worklog,
};

fn sources() -> Vec<String> {
    vec![sink_dir().display().to_string()]
}

#[tokio::test]
async fn whole_files_give_the_sequential_worklog_at_any_partition_count() {
    let options = Options::default();
    let expected = sequential(&options, &sink_files(), sources());
    assert!(
        expected.input.entries_skipped > 0,
        "the export has a bad line"
    );
    assert!(
        expected.clusters.iter().any(|c| c
            .representative
            .as_ref()
            .is_some_and(|r| r.json.contains("joinedInsertIds"))),
        "the export has a trace logged one line per entry"
    );
    for partitions in [1, 2, 3, 8] {
        let ctx = context(
            gardener_datafusion::session_config(partitions),
            options.clone(),
            sources(),
        );
        register_sink(&ctx);
        let actual = worklog(&ctx).await;
        if partitions == 1 {
            assert_same(&actual, &expected, "one partition reads as gardener does");
        }
        assert_same(
            &without_error_positions(actual),
            &without_error_positions(expected.clone()),
            &format!("{partitions} partitions"),
        );
    }
}

#[tokio::test]
async fn byte_ranges_inside_files_give_the_sequential_clusters_and_counts() {
    // A range boundary can cut a trace logged one line per entry (the
    // documented limit), so joining is off on both sides here.
    let options = Options {
        read: ReadConfig::joining(false),
        ..Options::default()
    };
    let expected = without_error_positions(sequential(&options, &sink_files(), sources()));
    for partitions in [2, 3, 8] {
        let config = gardener_datafusion::session_config(partitions)
            .with_repartition_file_scans(true)
            .with_repartition_file_min_size(4096);
        let ctx = context(config, options.clone(), sources());
        register_sink(&ctx);
        let plan = ctx
            .sql("SELECT log_clusters(entry) FROM entries")
            .await
            .expect("plans")
            .create_physical_plan()
            .await
            .expect("plans");
        let shown = displayable(plan.as_ref()).indent(true).to_string();
        assert!(
            shown.contains("S0.json:0.."),
            "{partitions} partitions split a file into byte ranges:\n{shown}"
        );
        let actual = without_error_positions(worklog(&ctx).await);
        assert_same(
            &actual,
            &expected,
            &format!("{partitions} partitions in byte ranges"),
        );
    }
}
