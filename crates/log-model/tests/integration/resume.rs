//! Cutting an input at checkpoints and reading the pieces separately gives
//! the same entries and errors, positions included, as reading it whole:
//! what lets the gardener shard one input across threads.

use gardener_log_model::{Checkpoint, LogReader, Position, ReadEntry, RecordSplitter};

type Outcome = Vec<Result<(String, Position), String>>;

fn read(reader: &mut LogReader, bytes: &[u8], out: &mut Outcome) {
    let mut on_entry = |result: Result<ReadEntry<'_>, gardener_log_model::Error>| {
        out.push(match result {
            Ok(read) => Ok((read.raw.to_owned(), read.position)),
            Err(error) => Err(error.to_string()),
        });
    };
    reader.feed(bytes, &mut on_entry);
    reader.finish(&mut on_entry);
}

/// Every checkpoint after a complete record, with its byte offset.
fn checkpoints(input: &[u8]) -> Vec<Checkpoint> {
    let mut splitter = RecordSplitter::new();
    splitter.push(input);
    let mut found = Vec::new();
    while let Some(record) = splitter.next_record() {
        let ok = record.is_ok();
        if let (true, Some(checkpoint)) = (ok, splitter.checkpoint()) {
            found.push(checkpoint);
        }
    }
    found
}

fn assert_resumable(input: &[u8]) {
    let mut whole = Outcome::new();
    read(&mut LogReader::new(), input, &mut whole);
    for cut in checkpoints(input) {
        let at = cut.position.offset as usize;
        let mut pieces = Outcome::new();
        read(&mut LogReader::new(), &input[..at], &mut pieces);
        read(&mut LogReader::resume(cut), &input[at..], &mut pieces);
        assert_eq!(pieces, whole, "cut at {:?}", cut.position);
    }
}

#[test]
fn gcloud_array_resumes_anywhere() {
    assert_resumable(include_bytes!("../data/gcloud_array.json"));
}

#[test]
fn ndjson_with_bad_lines_resumes_anywhere() {
    assert_resumable(b"{\"textPayload\":\"a\"}\nnot json\n{\"textPayload\":\"b\"}\n{\"textPayload\": tru\n{\"textPayload\":\"c\"}\n");
}

#[test]
fn tail_output_resumes_anywhere() {
    assert_resumable(include_bytes!("../data/tail_unterminated.json"));
}
