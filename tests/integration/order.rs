//! Property: the worklog does not depend on the order of the entries, nor on
//! how the input is cut into chunks. Re-joining split stack traces needs each
//! trace's lines together (oldest or newest first), so the shuffle property
//! runs without joining, and joining is checked on both time orders.

use log_gardener::{Options, ReadConfig};
use proptest::prelude::*;

use crate::{run, SAMPLE_EXPORT};

fn sample_entries() -> Vec<serde_json::Value> {
    serde_json::from_slice(SAMPLE_EXPORT).expect("the sample is a JSON array")
}

fn as_ndjson(entries: &[serde_json::Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in entries {
        out.extend(serde_json::to_vec(entry).expect("serializable"));
        out.push(b'\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn shuffled_input_gives_the_same_worklog(seed in any::<u64>(), chunk in 1usize..5000) {
        let entries = sample_entries();
        let mut shuffled = entries.clone();
        // Fisher-Yates with a tiny deterministic generator seeded by proptest.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let unjoined = || Options { read: ReadConfig::joining(false), ..Options::default() };
        let original = run(&as_ndjson(&entries), 65536, unjoined()).worklog;
        let permuted = run(&as_ndjson(&shuffled), chunk, unjoined()).worklog;
        prop_assert_eq!(original.to_json(), permuted.to_json());
    }
}

#[test]
fn oldest_first_gives_the_same_worklog_as_newest_first() {
    let entries = sample_entries();
    let mut oldest_first = entries.clone();
    oldest_first.reverse();
    let newest = run(&as_ndjson(&entries), 65536, Options::default()).worklog;
    let oldest = run(&as_ndjson(&oldest_first), 65536, Options::default()).worklog;
    assert_eq!(newest.to_json(), oldest.to_json());
}
