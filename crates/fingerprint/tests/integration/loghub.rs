//! Grouping accuracy on the eight Loghub-2k datasets in `tests/data/loghub2k/`,
//! with the default configuration (one configuration for all datasets).
//!
//! Grouping Accuracy (GA, Zhu et al., ICSE-SEIP'19) as `ga.py` and logparser
//! define it: a line is correct when the set of lines in its predicted group
//! equals the set of lines in its true group; GA = correct lines / lines.
//! The floors are the figures achieved when they were set, minus a margin of
//! half a point, so that a regression fails. `docs/clustering.md` has the table.

use std::collections::HashMap;

use gardener_fingerprint::{LineClusterer, Masker, Miner};

/// `(name, csv, floor)`.
const DATASETS: [(&str, &str, f64); 8] = [
    ("HDFS", include_str!("../data/loghub2k/HDFS_2k.csv"), 1.000),
    (
        "Hadoop",
        include_str!("../data/loghub2k/Hadoop_2k.csv"),
        0.989,
    ),
    (
        "Spark",
        include_str!("../data/loghub2k/Spark_2k.csv"),
        1.000,
    ),
    ("BGL", include_str!("../data/loghub2k/BGL_2k.csv"), 0.989),
    ("HPC", include_str!("../data/loghub2k/HPC_2k.csv"), 0.9075),
    (
        "Linux",
        include_str!("../data/loghub2k/Linux_2k.csv"),
        0.998,
    ),
    (
        "Proxifier",
        include_str!("../data/loghub2k/Proxifier_2k.csv"),
        1.000,
    ),
    ("Mac", include_str!("../data/loghub2k/Mac_2k.csv"), 0.9685),
];
const MARGIN: f64 = 0.005;
const MEAN_FLOOR: f64 = 0.93;

/// Parses RFC 4180 CSV (quoted fields, `""` escapes, no newlines in fields).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut fields = Vec::new();
            let mut field = String::new();
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        field.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => fields.push(std::mem::take(&mut field)),
                    _ => field.push(c),
                }
            }
            fields.push(field);
            fields
        })
        .collect()
}

/// `(truth, content)` per row.
fn rows(csv: &str) -> Vec<(String, String)> {
    let table = parse_csv(csv);
    let header = &table[0];
    let column = |name: &str| header.iter().position(|h| h == name).expect("column");
    let (event, content) = (column("EventId"), column("Content"));
    table[1..]
        .iter()
        .map(|row| (row[event].clone(), row[content].clone()))
        .collect()
}

/// Grouping Accuracy over the rows with a ground-truth label.
pub fn grouping_accuracy(truth: &[&str], predicted: &[usize]) -> f64 {
    assert_eq!(truth.len(), predicted.len());
    let labelled: Vec<(&str, usize)> = truth
        .iter()
        .zip(predicted)
        .filter(|(t, _)| !t.is_empty())
        .map(|(t, p)| (*t, *p))
        .collect();
    let mut truth_size: HashMap<&str, usize> = HashMap::new();
    let mut predicted_size: HashMap<usize, usize> = HashMap::new();
    let mut predicted_of_truth: HashMap<&str, Vec<usize>> = HashMap::new();
    for &(t, p) in &labelled {
        *truth_size.entry(t).or_default() += 1;
        *predicted_size.entry(p).or_default() += 1;
        let ids = predicted_of_truth.entry(t).or_default();
        if !ids.contains(&p) {
            ids.push(p);
        }
    }
    let correct: usize = predicted_of_truth
        .iter()
        .filter_map(|(t, ids)| match ids.as_slice() {
            [p] if predicted_size[p] == truth_size[t] => Some(truth_size[t]),
            _ => None,
        })
        .sum();
    correct as f64 / labelled.len() as f64
}

#[test]
fn grouping_accuracy_matches_the_reference_definition() {
    // Two true groups; predicted splits the second: only the first is right.
    let truth = ["a", "a", "b", "b", "b", ""];
    assert_eq!(grouping_accuracy(&truth, &[1, 1, 2, 2, 3, 9]), 0.4);
    // Merging two true groups makes both wrong.
    assert_eq!(grouping_accuracy(&truth, &[1, 1, 1, 1, 1, 1]), 0.0);
    assert_eq!(grouping_accuracy(&truth, &[7, 7, 0, 0, 0, 0]), 1.0);
}

#[test]
fn loghub_grouping_accuracy() {
    let masker = Masker::new();
    let miner = Miner::default();
    let mut report = Vec::new();
    let mut sum = 0.0;
    for (name, csv, floor) in DATASETS {
        let rows = rows(csv);
        assert_eq!(rows.len(), 2000, "{name}");
        let mut clusterer = LineClusterer::new(masker.clone());
        for (_, content) in &rows {
            clusterer.push(content);
        }
        let clusters = clusterer.finish(&miner);
        let truth: Vec<&str> = rows.iter().map(|(t, _)| t.as_str()).collect();
        let ga = grouping_accuracy(&truth, &clusters.cluster_of_line);
        report.push(format!("{name}: {ga:.4} (floor {floor:.4} - {MARGIN})"));
        sum += ga;
        assert!(
            ga >= floor - MARGIN && ga >= 0.80,
            "{name}: GA {ga:.4} below {floor:.4} - {MARGIN}\n{}",
            report.join("\n")
        );
    }
    let mean = sum / DATASETS.len() as f64;
    let floors_mean =
        DATASETS.iter().map(|(_, _, floor)| floor).sum::<f64>() / DATASETS.len() as f64;
    assert!(
        mean >= MEAN_FLOOR && mean >= floors_mean - MARGIN,
        "mean GA {mean:.4}\n{}",
        report.join("\n")
    );
}
