use gardener_log_model::{Event, LogReader};
use proptest::prelude::*;

fn read_everything(chunks: &[Vec<u8>]) -> (u64, u64) {
    let mut reader = LogReader::new();
    let mut on_entry =
        |result: Result<gardener_log_model::ReadEntry<'_>, gardener_log_model::Error>| {
            if let Ok(read) = result {
                let event = Event::from_entry(read.entry);
                let _ = event.summary();
            }
        };
    for chunk in chunks {
        reader.feed(chunk, &mut on_entry);
    }
    reader.finish(&mut on_entry);
    let stats = reader.stats();
    (stats.entries, stats.errors)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes, cut anywhere, give entries or errors, never a panic.
    #[test]
    fn reader_never_panics_on_bytes(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..8)) {
        read_everything(&chunks);
    }

    /// Entries split at any byte read the same as the whole input.
    #[test]
    fn chunking_does_not_change_the_result(cut in 0usize..400) {
        let input = include_bytes!("../data/gcloud_array.json");
        let cut = cut.min(input.len());
        let whole = read_everything(&[input.to_vec()]);
        let split = read_everything(&[input[..cut].to_vec(), input[cut..].to_vec()]);
        prop_assert_eq!(whole, split);
    }
}
