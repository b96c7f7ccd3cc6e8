//! The `gardener` example as a user runs it: which input it reads, how it
//! says that nothing was readable, and what stderr ends with.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use crate::{example, SAMPLE_EXPORT};

/// The `gardener` example at a fixed time, on two threads.
fn gardener() -> Command {
    let mut command = example("gardener");
    command.args(["--now", "2025-09-15T00:30:00Z", "--threads", "2"]);
    command
}

fn run(mut command: Command, stdin: Option<&[u8]>) -> Output {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the example starts");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("a pipe");
        pipe.write_all(bytes).expect("the example reads stdin");
    }
    child.wait_with_output().expect("the example ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn last_line(bytes: &[u8]) -> String {
    text(bytes).lines().last().unwrap_or_default().to_owned()
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("gardener-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).expect("the temp dir is writable");
    path
}

fn gzipped(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("in memory");
    encoder.finish().expect("in memory")
}

#[test]
fn a_piped_export_is_read_not_the_demo() {
    let mut line: Vec<u8> = br#"{"insertId":"p1","severity":"ERROR","textPayload":"piped problem 42","timestamp":"2025-09-14T23:00:00Z","resource":{"type":"cloud_run_revision","labels":{"service_name":"piped-svc"}}}"#.to_vec();
    line.push(b'\n');
    let output = run(gardener(), Some(&line));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let markdown = text(&output.stdout);
    assert!(
        markdown.starts_with("# Log Gardener Worklog: piped-svc"),
        "{markdown}"
    );
    assert!(!markdown.contains("netra-backend-staging"));
    assert_eq!(
        last_line(&output.stderr),
        "gardener: 0 of 1 records skipped as unreadable"
    );
}

#[test]
fn gzip_is_found_by_its_bytes_on_stdin_and_in_a_file_without_extension() {
    let compressed = gzipped(SAMPLE_EXPORT);
    let output = run(gardener(), Some(&compressed));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("netra-backend-staging"));

    let path = temp_file("export.bin", &compressed);
    let mut command = gardener();
    command.arg(&path);
    let output = run(command, None);
    let _ = std::fs::remove_file(&path);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        last_line(&output.stderr),
        "gardener: 0 of 449 records skipped as unreadable"
    );
}

#[test]
fn no_input_on_dev_null_runs_the_demo_and_says_so() {
    let output = run(gardener(), None);
    assert!(output.status.success());
    assert!(text(&output.stdout).contains("embedded demo export"));
    assert!(
        text(&output.stderr).contains("no input given: showing the embedded demo export"),
        "{}",
        text(&output.stderr)
    );
}

/// Input that holds no log entry exits 1 and says what it looks like.
fn refused(name: &str, bytes: &[u8]) -> String {
    let path = temp_file(name, bytes);
    let mut command = gardener();
    command.arg(&path);
    let output = run(command, None);
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty(), "no worklog for {name}");
    let stderr = text(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    // The skipped total comes before the verdict.
    assert!(
        lines
            .iter()
            .any(|line| line.contains("records skipped as unreadable")),
        "{stderr}"
    );
    last_line(&output.stderr)
}

#[test]
fn gcloud_yaml_is_refused_with_the_flag_to_use() {
    let yaml = b"---\ninsertId: 1a2b3c\nlogName: projects/p/logs/run.googleapis.com%2Fstderr\nseverity: ERROR\ntextPayload: boom\n---\ninsertId: 4d5e\n";
    let verdict = refused("export.yaml", yaml);
    assert!(verdict.starts_with("gardener: 0 of "), "{verdict}");
    assert!(verdict.contains("YAML"), "{verdict}");
    assert!(verdict.contains("--format=json"), "{verdict}");
}

#[test]
fn an_empty_file_is_refused() {
    assert_eq!(
        refused("empty.json", b""),
        "gardener: 0 of 0 records readable: the input is empty"
    );
}

#[test]
fn random_bytes_are_refused() {
    // Deterministic noise: a linear congruential sequence.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 56) as u8
        })
        .collect();
    let verdict = refused("noise.dat", &noise);
    assert!(verdict.contains("records readable"), "{verdict}");
}
