//! The `cluster_lines` example as a user runs it: the same cluster ids for
//! any number of threads and any block size, on awkward lines too.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::example;

/// Runs `command` with `stdin`; its stdout, after checking that it succeeded.
fn output(mut command: Command, stdin: &[u8]) -> Vec<u8> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    let mut pipe = child.stdin.take().expect("a pipe");
    let input = stdin.to_vec();
    // Written from a thread: the example writes its output only at the end,
    // but a large input must not wait on a full pipe either way.
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let result = child.wait_with_output().expect("the example ends");
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    writer
        .join()
        .expect("the writer thread ends")
        .expect("the example reads stdin");
    result.stdout
}

#[test]
fn threads_and_blocks_do_not_change_the_clusters() {
    let mut generate = example("gen_lines");
    generate.args(["--lines", "3000"]);
    let mut input = output(generate, b"");
    // Awkward lines: CRLF, an empty line, invalid UTF-8, no final newline.
    input.extend_from_slice(b"disk 3 full\r\n\ndisk 4 full\n\xff\xfe broken 7\nlast line 9");
    let lines = input.split(|&b| b == b'\n').count();

    let cluster = |threads: &str, block: Option<&str>, templates: bool| {
        let mut command = example("cluster_lines");
        command.args(["--threads", threads]);
        if let Some(block) = block {
            command.args(["--block-bytes", block]);
        }
        if templates {
            command.arg("--templates");
        }
        output(command, &input)
    };
    let reference = cluster("1", None, false);
    let ids = String::from_utf8(reference.clone()).expect("ids are text");
    assert_eq!(ids.lines().count(), lines, "one id per line");
    let distinct: std::collections::BTreeSet<&str> = ids.lines().collect();
    assert!(distinct.len() > 20, "{} clusters", distinct.len());

    for (threads, block) in [
        ("2", None),
        ("3", Some("4096")),
        ("7", Some("97")),
        ("1", Some("1")),
    ] {
        assert_eq!(
            cluster(threads, block, false),
            reference,
            "--threads {threads} --block-bytes {block:?}"
        );
    }
    let templates = cluster("1", None, true);
    assert_eq!(cluster("4", Some("333"), true), templates);
    let templates = String::from_utf8(templates).expect("templates are text");
    let tail: Vec<&str> = templates.lines().rev().take(6).collect();
    assert_eq!(
        tail,
        [
            "last line <num>",
            "\u{fffd}\u{fffd} broken <num>",
            "disk <num> full",
            "",
            "disk <num> full",
            tail[5]
        ],
    );
}
