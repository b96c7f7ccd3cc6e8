//! The reader over arbitrary bytes, fed in pieces whose size the input's
//! first byte chooses, through normalization and trace re-joining; and the
//! sniffer over the same bytes. Nothing may panic, and every error must
//! point inside the input.
#![no_main]

use gardener_log_model::{Error, Event, InputKind, JoinItem, LogReader, ReadEntry, TraceJoiner};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&piece, input)) = data.split_first() else {
        return;
    };
    let kind = InputKind::sniff(input);
    let _ = (kind.is_readable(), kind.hint());

    let mut reader = LogReader::new();
    let mut joiner = TraceJoiner::new();
    let mut events = 0usize;
    let mut on_entry = |result: Result<ReadEntry<'_>, Error>| match result {
        Ok(read) => {
            assert!(read.position.offset <= input.len() as u64);
            for item in joiner.push(JoinItem::from(read)) {
                events += usize::from(!item.event.summary().is_empty());
            }
        }
        Err(error) => {
            assert!(error.position().offset <= input.len() as u64, "{error}");
            let _ = error.to_string();
        }
    };
    for chunk in input.chunks(usize::from(piece) + 1) {
        reader.feed(chunk, &mut on_entry);
    }
    reader.finish(&mut on_entry);
    for item in joiner.finish() {
        let event: Event<'static> = item.event;
        let _ = (event.summary(), event.insert_ids().count());
    }
    let _ = events;
});
