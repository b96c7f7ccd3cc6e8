//! Clustering states (`ClusterSet` JSON, one after another) as another
//! process could hand them over: each is read, merged into the others, kept
//! within its cap, clustered and written again.
#![no_main]

use gardener_fingerprint::{ClusterSet, Miner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut merged: Option<ClusterSet> = None;
    for state in serde_json::Deserializer::from_slice(data).into_iter::<ClusterSet>() {
        let Ok(state) = state else {
            break;
        };
        assert!(state.len() <= state.max_groups());
        let mut twice = state.clone();
        twice.merge(&state);
        assert!(twice.entries() >= state.entries());
        match &mut merged {
            Some(all) => all.merge(&state),
            None => merged = Some(state),
        }
    }
    let Some(merged) = merged else {
        return;
    };
    assert!(merged.len() <= merged.max_groups());
    let clustering = merged.cluster(&Miner::default());
    assert!(clustering.clusters().len() <= merged.len());
    let json = serde_json::to_string(&merged).expect("a state serializes");
    let back: ClusterSet = serde_json::from_str(&json).expect("a written state reads back");
    assert_eq!(back.entries(), merged.entries());
});
