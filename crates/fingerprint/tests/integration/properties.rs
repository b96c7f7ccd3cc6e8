//! Invariants of masking, fingerprints and clustering, as properties.

use gardener_fingerprint::{ClusterSet, Clusterer, GroupKey, LineClusterer, Masker, Miner};
use gardener_log_model::{Event, LogEntry};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

/// A value of one kind, written the way logs write it.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Number,
    Decimal,
    Ip,
    Uuid,
    Timestamp,
    Hex,
    Id,
    Email,
    Url,
    Duration,
    Size,
    Host,
}

const SLOTS: [Slot; 12] = [
    Slot::Number,
    Slot::Decimal,
    Slot::Ip,
    Slot::Uuid,
    Slot::Timestamp,
    Slot::Hex,
    Slot::Id,
    Slot::Email,
    Slot::Url,
    Slot::Duration,
    Slot::Size,
    Slot::Host,
];

fn value(slot: Slot) -> BoxedStrategy<String> {
    match slot {
        Slot::Number => (0u64..10_000_000_000, any::<bool>())
            .prop_map(|(n, grouped)| {
                let digits = n.to_string();
                if !grouped {
                    return digits;
                }
                // With thousands separators: `1,234,567`.
                let mut out = String::new();
                for (i, digit) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        out.push(',');
                    }
                    out.push(digit);
                }
                out
            })
            .boxed(),
        Slot::Decimal => (0u32..100_000, 0u32..1000)
            .prop_map(|(a, b)| format!("{a}.{b}"))
            .boxed(),
        Slot::Ip => (any::<[u8; 4]>(), proptest::option::of(1u16..), 0u8..3)
            .prop_map(|(ip, port, form)| {
                let address = format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]);
                match (form, port) {
                    // A network in CIDR notation.
                    (0, Some(port)) => format!("{address}/{}", port % 33),
                    (_, Some(port)) => format!("{address}:{port}"),
                    (_, None) => address,
                }
            })
            .boxed(),
        Slot::Uuid => any::<u128>()
            .prop_map(|n| {
                let h = format!("{n:032x}");
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                )
            })
            .boxed(),
        Slot::Timestamp => (
            2000u32..2100,
            1u32..13,
            1u32..29,
            0u32..24,
            0u32..60,
            0u32..1_000_000,
            0u8..6,
        )
            .prop_map(|(y, mo, d, h, mi, us, form)| {
                const MONTHS: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                let month = MONTHS[(mo - 1) as usize];
                let short_year = y % 100;
                match form {
                    0 => format!("{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:07.{us:06}Z"),
                    // RFC 822 (Go's `time.RFC822`): the day first, no weekday.
                    1 => format!("{d:02} {month} {short_year:02} {h:02}:{mi:02} MST"),
                    // RFC 1123 with a weekday.
                    2 => format!("Tue, {d} {month} {y} {h:02}:{mi:02}:07 GMT"),
                    // syslog.
                    3 => format!("{month} {d:2} {h:02}:{mi:02}:07"),
                    // A US numeric date and a time.
                    4 => format!("{mo}/{d}/{y} {h:02}:{mi:02}:07"),
                    // log4j and Python's `logging`: milliseconds after a comma.
                    _ => format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:07,{:03}", us % 1000),
                }
            })
            .boxed(),
        Slot::Hex => "0x[0-9a-f]{1,12}".boxed(),
        // Letters before the digits are none or five and more, so that no
        // id spells a name with digits (`x64`, `sha256`), which stay.
        Slot::Id => "[a-z]{2,6}-([a-z]{5,6})?[0-9]{2,5}".boxed(),
        Slot::Email => "[a-z][a-z0-9]{0,8}(\\.[a-z0-9]{1,4})?@[a-z]{2,8}\\.(com|org|net)".boxed(),
        Slot::Url => "https://[a-z]{3,8}\\.(com|io)/[a-z0-9/]{0,12}".boxed(),
        Slot::Duration => {
            "[0-9]{1,4}(ms|s|us|ns|m|h)|[0-9]{1,3}\\.[0-9]{1,3}s|[1-9]h[0-9]{1,2}m[0-9]{1,2}(\\.[0-9]{1,3})?s"
                .boxed()
        }
        Slot::Size => "[0-9]{1,5}(KB|MiB|GiB|B)".boxed(),
        // Not `com.`, `org.` ...: reverse-DNS names are bundle ids, not hosts.
        Slot::Host => "[a-z]{2,8}\\.[a-z]{2,8}\\.(com|net|org)"
            .prop_filter("a reverse-DNS name", |host| {
                !["com.", "org.", "net.", "edu.", "gov.", "java."]
                    .iter()
                    .any(|root| host.starts_with(root))
            })
            .boxed(),
    }
}

/// A line template: constant words and value slots.
#[derive(Debug, Clone)]
enum Part {
    Word(String),
    Value(Slot),
}

fn word() -> impl Strategy<Value = String> {
    // Lower-case words: no month names, zones or authentication schemes
    // (`bearer`, `basic`, `token`), which change how the following value is read.
    "[a-z]{1,9}".prop_filter("an authentication scheme", |w| {
        !matches!(w.as_str(), "bearer" | "basic" | "token")
    })
}

fn template() -> impl Strategy<Value = Vec<Part>> {
    prop::collection::vec(
        prop_oneof![
            word().prop_map(Part::Word),
            prop::sample::select(SLOTS.to_vec()).prop_map(Part::Value),
        ],
        1..12,
    )
}

/// A template with two fillings of its value slots.
fn template_and_two_fillings() -> impl Strategy<Value = (String, String)> {
    template().prop_flat_map(|parts| {
        let fill = |parts: &[Part]| -> Vec<BoxedStrategy<String>> {
            parts
                .iter()
                .map(|part| match part {
                    Part::Word(word) => Just(word.clone()).boxed(),
                    Part::Value(slot) => value(*slot),
                })
                .collect()
        };
        (fill(&parts), fill(&parts)).prop_map(|(a, b)| (a.join(" "), b.join(" ")))
    })
}

/// Log-like text: words, values and punctuation.
fn log_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            word(),
            prop::sample::select(SLOTS.to_vec()).prop_flat_map(value),
            "[ ,;:=()\\[\\]'\"./\\-_<>*@]{1,3}",
            "[A-Za-z0-9]{1,12}",
            // Pieces that start multi-token rules: dates in words, units
            // after a space, credentials, lists, placeholders, dot leaders.
            prop::sample::select(vec![
                "Jul ",
                "Sun, ",
                "Thu ",
                " 9 ",
                " 10 ",
                "04:52:49",
                "10:30",
                " PM",
                " PDT",
                " 2005",
                "...",
                "..",
                "Bearer ",
                "basic ",
                "Token ",
                "password=",
                "\"secret\": \"",
                "postgres://u:",
                "@db:5432",
                "AKIAIOSFODNN7EXAMPLE",
                "-----BEGIN RSA PRIVATE KEY-----",
                "-----END RSA PRIVATE KEY-----",
                "[::]:80",
                "fe80::1%eth0",
                "Mon, 02 Jan 06 15:04 MST",
                "02 Jan 06 15:04 MST",
                " Sep 2025 ",
                ",123",
                ",234",
                "1,000",
                "/24",
                "12/25/2023",
                "1h2m3s",
                "Monday, 02-Jan-06 ",
                " GMT-0800 (Pacific Standard Time)",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "cpu0",
                "=",
                "='",
                "[",
                "]",
                "['a', 'b', 'c']",
                "<num>",
                "<*>",
                "<<duration>",
                "0 bytes",
                " MiB",
                " sec",
                "C:\\x",
                "REDACTED",
                "***",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
                "https://",
                "µs",
            ])
            .prop_map(str::to_owned),
        ],
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

/// A Cloud Logging entry as JSON: a message, a severity, a time, a service.
fn entry_json() -> impl Strategy<Value = String> {
    let message = prop_oneof![
        Just("Database timeout after {} for {}".to_owned()),
        Just("session opened for user {} by {}".to_owned()),
        Just("Container called exit({}).".to_owned()),
        Just("worker {} restarted at {}".to_owned()),
    ];
    (
        message,
        value(Slot::Duration),
        value(Slot::Id),
        prop::sample::select(vec!["INFO", "WARNING", "ERROR", "CRITICAL"]),
        0u32..60,
        prop::sample::select(vec!["api", "worker"]),
        0u32..1000,
        proptest::option::of((prop::sample::select(vec!["GET", "POST"]), 0u32..50, prop::sample::select(vec![200u16, 404, 503]), 0u32..2000)),
    )
        .prop_map(|(message, a, b, severity, second, service, insert, http)| {
            let text = message.replacen("{}", &a, 1).replacen("{}", &b, 1);
            let http = http.map_or(String::new(), |(method, id, status, ms)| {
                format!(
                    r#","httpRequest":{{"requestMethod":"{method}","requestUrl":"https://h.example.com/api/items/{id}","status":{status},"latency":"0.{ms:03}s"}}"#
                )
            });
            let payload = if http.is_empty() {
                format!(r#""textPayload":{}"#, serde_json::Value::String(text))
            } else {
                String::new()
            };
            let separator = if payload.is_empty() { "" } else { "," };
            format!(
                r#"{{{payload}{separator}"severity":"{severity}","timestamp":"2025-09-14T00:27:{second:02}Z","insertId":"id{insert}","resource":{{"type":"cloud_run_revision","labels":{{"service_name":"{service}"}}}}{http}}}"#
            )
        })
}

fn build(lines: &[String]) -> ClusterSet {
    let mut clusterer = Clusterer::new(Masker::new());
    for raw in lines {
        let entry = LogEntry::from_json(raw.as_bytes()).expect("generated JSON parses");
        clusterer.push(&Event::from_entry(entry), raw);
    }
    clusterer.into_groups()
}

fn merged(a: &ClusterSet, b: &ClusterSet) -> ClusterSet {
    let mut result = a.clone();
    result.merge(b);
    result
}

/// Lines that mining has something to do with: templates whose slots take
/// plain words and values.
fn plain_line() -> impl Strategy<Value = String> {
    let user = prop::sample::select(vec!["root", "alice", "bob", "carol", "dave"]);
    prop_oneof![
        (user.clone(), 0u32..100)
            .prop_map(|(u, n)| format!("session opened for user {u} by uid={n}")),
        (user.clone(), 0u32..100)
            .prop_map(|(u, n)| format!("session closed for user {u} after {n} ms")),
        (user, value(Slot::Ip))
            .prop_map(|(u, ip)| format!("authentication failure; user={u} rhost={ip}")),
        (value(Slot::Host), 0u64..100_000, 0u64..100_000)
            .prop_map(|(h, s, r)| format!("{h} close, {s} bytes sent, {r} bytes received")),
        (value(Slot::Host), 0u64..100_000).prop_map(|(h, s)| format!(
            "{h} close, {s} bytes (1.{} KB) sent, 0 bytes received",
            s % 10
        )),
        value(Slot::Number),
        value(Slot::Uuid),
        Just("VM Started".to_owned()),
        Just("VM Paused".to_owned()),
    ]
}

fn line_templates(lines: &[String]) -> Vec<String> {
    let mut clusterer = LineClusterer::new(Masker::new());
    for line in lines {
        clusterer.push(line);
    }
    let clusters = clusterer.finish(&Miner::default());
    clusters
        .cluster_of_line
        .iter()
        .map(|&cluster| clusters.templates[cluster].clone())
        .collect()
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Masking a masked text changes nothing.
    #[test]
    fn masking_is_idempotent(text in log_text()) {
        let masker = Masker::new();
        let once = masker.mask(&text).text;
        let twice = masker.mask(&once).text;
        prop_assert_eq!(&twice, &once, "input {:?}", text);
    }

    /// Any text, not only log-like text, masks idempotently and without panicking.
    #[test]
    fn masking_any_text_is_idempotent(text in "\\PC{0,64}") {
        let masker = Masker::new();
        let once = masker.mask(&text);
        prop_assert_eq!(masker.mask(&once.text).text, once.text.clone());
        for replacement in &once.replacements {
            prop_assert!(replacement.start < replacement.end && replacement.end <= text.len());
            prop_assert!(text.is_char_boundary(replacement.start) && text.is_char_boundary(replacement.end));
        }
    }

    /// Changing any masked value leaves the template and the fingerprint as they were.
    #[test]
    fn fingerprints_ignore_masked_values((a, b) in template_and_two_fillings()) {
        let masker = Masker::new();
        let (key_a, key_b) = (GroupKey::for_line(&masker, &a), GroupKey::for_line(&masker, &b));
        prop_assert_eq!(key_a.fingerprint(), key_b.fingerprint(), "{:?} vs {:?}: {:?} vs {:?}", a, b, key_a, key_b);
    }

    /// `merge(a, merge(b, c)) == merge(merge(a, b), c)` and `merge(a, b) == merge(b, a)`.
    #[test]
    fn merge_is_associative_and_commutative(
        a in prop::collection::vec(entry_json(), 0..12),
        b in prop::collection::vec(entry_json(), 0..12),
        c in prop::collection::vec(entry_json(), 0..12),
    ) {
        let (a, b, c) = (build(&a), build(&b), build(&c));
        prop_assert_eq!(merged(&a, &merged(&b, &c)), merged(&merged(&a, &b), &c));
        prop_assert_eq!(merged(&a, &b), merged(&b, &a));
    }

    /// Building on the whole input equals merging what was built on two shards,
    /// also after a round trip through JSON.
    #[test]
    fn build_of_concatenation_is_merge_of_builds(
        x in prop::collection::vec(entry_json(), 0..16),
        y in prop::collection::vec(entry_json(), 0..16),
    ) {
        let whole: Vec<String> = x.iter().chain(&y).cloned().collect();
        let shards = merged(&build(&x), &build(&y));
        prop_assert_eq!(&build(&whole), &shards);
        let json = serde_json::to_string(&shards).expect("serializes");
        let back: ClusterSet = serde_json::from_str(&json).expect("deserializes");
        prop_assert_eq!(back, shards);
    }

    /// Shuffled entries give the same clusters.
    #[test]
    fn cluster_set_ignores_input_order(
        (entries, shuffled) in prop::collection::vec(entry_json(), 0..24)
            .prop_flat_map(|entries| (Just(entries.clone()), Just(entries).prop_shuffle()))
    ) {
        let miner = Miner::default();
        let a = build(&entries).cluster(&miner);
        let b = build(&shuffled).cluster(&miner);
        prop_assert_eq!(a.clusters(), b.clusters());
    }

    /// Shuffled lines: every line gets the same template (and so the same cluster).
    #[test]
    fn line_clusterer_ignores_input_order(
        (lines, order) in prop::collection::vec(prop_oneof![3 => plain_line(), 1 => log_text()], 0..40)
            .prop_flat_map(|lines| {
                let order: Vec<usize> = (0..lines.len()).collect();
                (Just(lines), Just(order).prop_shuffle())
            })
    ) {
        let shuffled: Vec<String> = order.iter().map(|&i| lines[i].clone()).collect();
        let original = line_templates(&lines);
        let permuted = line_templates(&shuffled);
        for (position, &index) in order.iter().enumerate() {
            prop_assert_eq!(&permuted[position], &original[index], "line {:?}", lines[index]);
        }
    }

    /// Lines cut into contiguous shares, each clustered on its own and
    /// appended in order, cluster exactly as one clusterer does: what
    /// `cluster_lines --threads` relies on.
    #[test]
    fn appended_shares_cluster_as_one(
        (lines, cuts) in prop::collection::vec(prop_oneof![3 => plain_line(), 1 => log_text()], 0..40)
            .prop_flat_map(|lines| {
                let len = lines.len();
                (Just(lines), prop::collection::vec(0..=len, 0..4))
            })
    ) {
        let mut cuts = cuts;
        cuts.push(0);
        cuts.push(lines.len());
        cuts.sort_unstable();
        let mut appended = LineClusterer::new(Masker::new());
        for share in cuts.windows(2) {
            let mut clusterer = LineClusterer::new(Masker::new());
            for line in &lines[share[0]..share[1]] {
                clusterer.push(line);
            }
            appended.append(clusterer);
        }
        let mut whole = LineClusterer::new(Masker::new());
        for line in &lines {
            whole.push(line);
        }
        prop_assert_eq!(appended.distinct_templates(), whole.distinct_templates());
        prop_assert_eq!(appended.finish(&Miner::default()), whole.finish(&Miner::default()));
    }
}
