//! Sniffing realistic inputs: each fixture is recognized, and what the sniff
//! calls readable is exactly what the reader finds entries in.

use gardener_log_model::{Compression, InputKind, NothingReadable};

use crate::support::read;

macro_rules! sniff_fixture {
    ($($name:ident: $file:literal => $kind:expr;)*) => {$(
        #[test]
        fn $name() {
            let input: &[u8] = include_bytes!(concat!("../data/", $file));
            let kind = InputKind::sniff(input);
            assert_eq!(kind, $kind, "fixture {}", $file);
            let (entries, errors) = read(input);
            assert_eq!(
                !entries.is_empty(),
                kind.is_readable(),
                "fixture {}: sniffed {kind:?}, the reader found {} entries and {} errors",
                $file,
                entries.len(),
                errors.len(),
            );
        }
    )*};
}

sniff_fixture! {
    gcloud_array: "gcloud_array.json" => InputKind::JsonArray;
    tail_unterminated: "tail_unterminated.json" => InputKind::JsonArray;
    deindented_crlf_array: "deindented_crlf_array.json" => InputKind::JsonArray;
    ndjson_sink: "ndjson_sink.json" => InputKind::JsonLines;
    concatenated_objects: "concatenated_objects.json" => InputKind::JsonObjects;
    api_pages: "api_pages.json" => InputKind::JsonObjects;
    single_object: "single_object.json" => InputKind::JsonObjects;
    gcloud_default_yaml: "sniff/gcloud_default.yaml" => InputKind::GcloudYaml;
    gcloud_value: "sniff/gcloud_value.tsv" => InputKind::GcloudValue;
    gcloud_table: "sniff/gcloud_table.txt" => InputKind::GcloudTable;
    gcloud_csv: "sniff/gcloud_csv.csv" => InputKind::GcloudTable;
    gzip_without_extension: "sniff/gcloud_array_gzip_no_extension" => InputKind::Compressed(Compression::Gzip);
    powershell_utf16: "sniff/powershell_utf16.json" => InputKind::Utf16;
    gunicorn_stderr: "sniff/gunicorn_stderr.log" => InputKind::Text;
    readme: "sniff/readme.md" => InputKind::Text;
    random_bytes: "sniff/random.bin" => InputKind::Binary;
    empty: "sniff/empty.json" => InputKind::Empty;
    blank_lines: "sniff/blank_lines.json" => InputKind::Empty;
}

#[test]
fn yaml_gets_the_line_the_user_needs() {
    let input = include_bytes!("../data/sniff/gcloud_default.yaml");
    let (entries, errors) = read(input);
    assert!(entries.is_empty());
    let message = NothingReadable {
        records: errors.len() as u64,
        input: InputKind::sniff(input),
    }
    .to_string();
    assert!(
        message.ends_with("records readable: this looks like YAML; run gcloud with --format=json"),
        "{message}"
    );
}

#[test]
fn a_cut_head_is_judged_like_the_whole() {
    for (file, input) in [
        (
            "gcloud_default.yaml",
            &include_bytes!("../data/sniff/gcloud_default.yaml")[..],
        ),
        (
            "gcloud_table.txt",
            &include_bytes!("../data/sniff/gcloud_table.txt")[..],
        ),
        (
            "gcloud_array.json",
            &include_bytes!("../data/gcloud_array.json")[..],
        ),
    ] {
        let whole = InputKind::sniff(input);
        // Once it holds two whole lines, a head holds enough to judge.
        let two_lines = input
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(1)
            .map_or(input.len(), |(i, _)| i + 1);
        for end in two_lines..input.len() {
            assert_eq!(
                InputKind::sniff(&input[..end]),
                whole,
                "{file} cut at {end}"
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Any bytes get a kind, and only bytes that start (after a byte-order
    /// mark and whitespace) with `[` or `{` are called readable.
    #[test]
    fn any_bytes_get_a_kind(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
        let kind = InputKind::sniff(&bytes);
        if kind.is_readable() {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let first = body.iter().find(|b| !b.is_ascii_whitespace());
            proptest::prop_assert!(matches!(first, Some(b'[' | b'{')), "{:?} for {:?}", kind, bytes);
        }
    }
}
