//! One case per judgment, on entries shaped like real Cloud Logging exports
//! (`tests/data/*.json`, as `gcloud logging read --format=json` prints them).

use gardener_log_model::Severity;
use gardener_prioritize::{Category, Priority};

use crate::support::{assess, assess_export, cluster_titled, entries, Entries};

const GUNICORN: &str = include_str!("../data/gunicorn-stderr.json");
const UVICORN: &str = include_str!("../data/uvicorn-stderr.json");
const SHUTDOWN: &str = include_str!("../data/shutdown.json");
const LONE_EXIT: &str = include_str!("../data/lone-exit.json");
const CRASH_LOOP: &str = include_str!("../data/crash-loop.json");
const AUDIT: &str = include_str!("../data/audit.json");
const REQUESTS_4XX: &str = include_str!("../data/requests-4xx.json");
const WITHOUT_MESSAGE: &str = include_str!("../data/without-message.json");
const SYNTAX_ERROR: &str = include_str!("../data/syntax-error.json");
const DATABASE_TIMEOUT: &str = include_str!("../data/database-timeout.json");
const BOOT_OUTAGE: &str = include_str!("../data/boot-outage.json");

/// Every fixture, by name, for the snapshot of all judgments.
pub const FIXTURES: [(&str, &str); 11] = [
    ("gunicorn-stderr", GUNICORN),
    ("uvicorn-stderr", UVICORN),
    ("shutdown", SHUTDOWN),
    ("lone-exit", LONE_EXIT),
    ("crash-loop", CRASH_LOOP),
    ("audit", AUDIT),
    ("requests-4xx", REQUESTS_4XX),
    ("without-message", WITHOUT_MESSAGE),
    ("syntax-error", SYNTAX_ERROR),
    ("database-timeout", DATABASE_TIMEOUT),
    ("boot-outage", BOOT_OUTAGE),
];

macro_rules! judgments {
    ($($name:ident: $export:expr, $title:expr => $priority:expr, $category:expr;)*) => {$(
        #[test]
        fn $name() {
            let (clusters, assessments) = assess_export($export);
            let index = cluster_titled(&clusters, $title);
            let assessment = &assessments[index];
            assert_eq!(
                (assessment.priority, assessment.category),
                ($priority, $category),
                "{}: {:#?}",
                clusters[index].key.title(),
                assessment.reasons
            );
        }
    )*};
}

judgments! {
    // Gunicorn's banners on stderr, which Cloud Run stores as ERROR: the
    // level the line states wins, and a start or graceful stop is routine.
    gunicorn_starting: GUNICORN, "Starting gunicorn" => Priority::P4, Category::Noise;
    gunicorn_listening: GUNICORN, "Listening at" => Priority::P4, Category::Noise;
    gunicorn_booting_worker: GUNICORN, "Booting worker with pid" => Priority::P4, Category::Noise;
    gunicorn_sigterm: GUNICORN, "Handling signal: term" => Priority::P4, Category::Noise;
    gunicorn_worker_exiting: GUNICORN, "Worker exiting" => Priority::P4, Category::Noise;
    gunicorn_master_shutdown_at_info: GUNICORN, "[INFO] Shutting down: Master" => Priority::P4, Category::Noise;

    // Uvicorn, stored as ERROR on one instance and without severity on the other.
    uvicorn_started: UVICORN, "Started server process" => Priority::P4, Category::Noise;
    uvicorn_running: UVICORN, "Uvicorn running on" => Priority::P4, Category::Noise;
    uvicorn_shutting_down: UVICORN, "INFO: Shutting down" => Priority::P4, Category::Noise;
    uvicorn_finished: UVICORN, "Finished server process" => Priority::P4, Category::Noise;
    uvicorn_warning_stays_a_warning: UVICORN, "Invalid HTTP request" => Priority::P3, Category::Warning;
    uvicorn_handler_error_stays_an_error: UVICORN, "KeyError" => Priority::P1, Category::RequestError;

    // Graceful shutdowns, even when a raw stderr line is stored as ERROR.
    sigterm_without_severity: SHUTDOWN, "SIGTERM received" => Priority::P4, Category::Noise;
    sigterm_stored_as_error: SHUTDOWN, "Received SIGTERM" => Priority::P4, Category::Noise;
    exit_zero: SHUTDOWN, "Container called exit" => Priority::P4, Category::Noise;
    scale_down: SHUTDOWN, "user disabled instance" => Priority::P4, Category::Noise;
    failure_while_shutting_down: SHUTDOWN, "Error during shutdown" => Priority::P1, Category::DependencyFailure;

    // Exits.
    lone_exit_is_not_an_outage: LONE_EXIT, "Container called exit" => Priority::P2, Category::UnexpectedExit;
    exits_across_instances_are_a_crash_loop: CRASH_LOOP, "Container called exit" => Priority::P0, Category::CrashLoop;
    repeated_worker_exits_on_one_instance: CRASH_LOOP, "exited with code" => Priority::P1, Category::UnexpectedExit;

    // Audit entries, by their status code.
    iam_denial_in_audit_log: AUDIT, "PERMISSION_DENIED: Permission 'iam.serviceaccounts.actAs' denied" => Priority::P2, Category::PermissionDenied;
    iam_denial_without_message: AUDIT, "storage.objects.get: PERMISSION_DENIED" => Priority::P2, Category::PermissionDenied;
    missing_secret: AUDIT, "NOT_FOUND: Secret" => Priority::P2, Category::NotFound;
    quota: AUDIT, "RESOURCE_EXHAUSTED: Quota 'CPUS' exceeded" => Priority::P1, Category::QuotaExceeded;

    // Request logs with 4xx: the service refused a client; never a 5xx.
    request_404: REQUESTS_4XX, "GET /api/orders/<uuid> 404" => Priority::P3, Category::NotFound;
    request_401: REQUESTS_4XX, "GET /api/user/profile 401" => Priority::P3, Category::AuthFailure;
    request_403: REQUESTS_4XX, "POST /admin/reindex 403" => Priority::P3, Category::PermissionDenied;
    request_429: REQUESTS_4XX, "POST /api/checkout 429" => Priority::P2, Category::QuotaExceeded;
    request_400: REQUESTS_4XX, "POST /api/orders 400" => Priority::P3, Category::ClientError;
    health_check_404: REQUESTS_4XX, "GET /healthz 404" => Priority::P1, Category::Readiness;

    // Entries without a message: titled by what they are, never a request error.
    dns_queries: WITHOUT_MESSAGE, "dns.googleapis.com/dns_queries entry without a message" => Priority::P4, Category::Platform;
    vpc_flows: WITHOUT_MESSAGE, "compute.googleapis.com/vpc_flows entry without a message" => Priority::P4, Category::Platform;
    audit_without_text: WITHOUT_MESSAGE, "cloudaudit.googleapis.com/system_event entry without a message" => Priority::P4, Category::Platform;
    blank_stderr_line: WITHOUT_MESSAGE, "run.googleapis.com/stderr entry without a message" => Priority::P4, Category::Noise;

    // One problem, one cluster, with the right name.
    syntax_error_in_two_wordings: SYNTAX_ERROR, "SyntaxError in websocket_ssot.py" => Priority::P0, Category::BootFailure;
    database_timeout_at_startup: DATABASE_TIMEOUT, "DeterministicStartupError" => Priority::P0, Category::Timeout;
    startup_failed_line: DATABASE_TIMEOUT, "Application startup failed" => Priority::P0, Category::BootFailure;

    // A boot outage: cause and symptoms.
    import_error_at_boot: BOOT_OUTAGE, "ImportError" => Priority::P0, Category::BootFailure;
    master_shutdown_after_failed_boot: BOOT_OUTAGE, "[ERROR] Shutting down: Master" => Priority::P0, Category::BootFailure;
    failed_startup_probes: BOOT_OUTAGE, "STARTUP TCP probe failed" => Priority::P0, Category::Readiness;
    readiness_503s: BOOT_OUTAGE, "failed the readiness check" => Priority::P0, Category::Readiness;
    endpoint_503s: BOOT_OUTAGE, "POST /api/checkout 503" => Priority::P1, Category::ServerError;
    auth_outage: BOOT_OUTAGE, "Authentication failed" => Priority::P1, Category::AuthFailure;
    redis_degradation: BOOT_OUTAGE, "GRACEFUL DEGRADATION" => Priority::P2, Category::DependencyFailure;
}

#[test]
fn a_successful_audit_entry_is_routine() {
    let (clusters, assessments) = assess_export(AUDIT);
    let notices: Vec<usize> = (0..clusters.len())
        .filter(|&i| clusters[i].stats.max_severity() == Severity::Notice)
        .collect();
    assert_eq!(notices.len(), 1);
    let assessment = &assessments[notices[0]];
    assert_eq!(
        (assessment.priority, assessment.category),
        (Priority::P4, Category::Platform)
    );
}

#[test]
fn one_syntax_error_in_two_wordings_is_one_cluster() {
    let (clusters, _) = assess_export(SYNTAX_ERROR);
    assert_eq!(clusters.len(), 1, "{clusters:#?}");
    assert_eq!(clusters[0].stats.count, 3);
}

#[test]
fn one_database_timeout_is_one_cluster() {
    let (clusters, _) = assess_export(DATABASE_TIMEOUT);
    let timeouts: Vec<String> = clusters
        .iter()
        .map(|c| c.key.title())
        .filter(|title| title.contains("DeterministicStartupError") || title.contains("Phase"))
        .collect();
    assert_eq!(timeouts.len(), 1, "{timeouts:?}");
}

#[test]
fn entries_without_a_message_are_never_one_blank_cluster() {
    let (clusters, assessments) = assess_export(WITHOUT_MESSAGE);
    assert_eq!(clusters.len(), 4);
    for (cluster, assessment) in clusters.iter().zip(&assessments) {
        assert!(!cluster.key.title().trim().is_empty());
        assert_ne!(assessment.category, Category::RequestError);
        assert_eq!(assessment.priority, Priority::P4);
    }
}

#[test]
fn exit_counts_are_exits_not_the_numbers_in_the_line() {
    let (clusters, assessments) = assess_export(CRASH_LOOP);
    let workers = cluster_titled(&clusters, "exited with code");
    let reason = &assessments[workers].reasons[0];
    assert!(reason.starts_with("4 exits with code 3"), "{reason}");
    let containers = cluster_titled(&clusters, "Container called exit");
    let reason = &assessments[containers].reasons[0];
    assert!(
        reason.starts_with("6 exits with code 3 on 6 instances"),
        "{reason}"
    );
}

#[test]
fn client_errors_never_say_5xx() {
    let (_, assessments) = assess_export(REQUESTS_4XX);
    for assessment in &assessments {
        assert!(!assessment.category.label().contains("5xx"));
        assert!(
            assessment.reasons.iter().all(|r| !r.contains("5xx")),
            "{:?}",
            assessment.reasons
        );
    }
}

#[test]
fn reasons_state_only_honest_numbers() {
    for (name, export) in FIXTURES {
        let (_, assessments) = assess_export(export);
        for reason in assessments.iter().flat_map(|a| &a.reasons) {
            assert!(!reason.contains("0 instances"), "{name}: {reason}");
            assert!(
                !reason.contains(" 0/hour") && !reason.contains("(0.0/hour"),
                "{name}: {reason}"
            );
            assert!(
                !reason.contains("60.0/hour"),
                "{name}: a minute is not an hour: {reason}"
            );
        }
    }
}

#[test]
fn every_judgment_and_its_reasons() {
    for (name, export) in FIXTURES {
        let (clusters, assessments) = assess_export(export);
        let rows: Vec<serde_json::Value> = clusters
            .iter()
            .zip(&assessments)
            .map(|(cluster, assessment)| {
                serde_json::json!({
                    "title": cluster.key.title(),
                    "priority": assessment.priority,
                    "category": assessment.category,
                    "reasons": assessment.reasons,
                })
            })
            .collect();
        insta::assert_json_snapshot!(name, rows);
    }
}

macro_rules! lines {
    ($($name:ident: $severity:expr, $line:expr => $priority:expr, $category:expr;)*) => {$(
        #[test]
        fn $name() {
            let (clusters, assessments) = assess(&entries(&Entries::text($severity, $line, 3, 2, 600)));
            assert_eq!(
                (assessments[0].priority, assessments[0].category),
                ($priority, $category),
                "{}: {:#?}",
                clusters[0].key.title(),
                assessments[0].reasons
            );
        }
    )*};
}

lines! {
    // Words that only sound like problems.
    no_level_no_problem: "DEFAULT", "Request timeout set to 30s" => Priority::P4, Category::Noise;
    state_word_is_not_a_status: "INFO", "Instance state UNKNOWN after restart" => Priority::P4, Category::Noise;
    config_at_info: "INFO", "config loaded from /etc/app/config.yaml" => Priority::P4, Category::Noise;
    // gRPC codes as clients print them.
    grpc_unavailable: "ERROR", "14 UNAVAILABLE: No connection established" => Priority::P1, Category::DependencyFailure;
    grpc_deadline: "ERROR", "Error: 4 DEADLINE_EXCEEDED: Deadline exceeded after 9.998s" => Priority::P1, Category::Timeout;
    grpc_permission: "ERROR", "7 PERMISSION_DENIED: The caller does not have permission" => Priority::P2, Category::PermissionDenied;
    // The level a line states, whatever Cloud Run stored.
    stated_error_in_default_line: "DEFAULT", "ERROR:root:payment provider refused the card" => Priority::P2, Category::RequestError;
    stated_info_in_error_line: "ERROR", "INFO:root:payment provider answered in 200ms" => Priority::P4, Category::Noise;
    // Startup failures: one instance is not an outage, two are.
    startup_failure_on_two_instances: "ERROR", "Application startup failed. Exiting." => Priority::P0, Category::BootFailure;
    data_integrity_needs_evidence: "ERROR", "RACE CONDITION DETECTED: Startup phase 'no_app_state' did not reach 'services' within 1.2s" => Priority::P1, Category::Readiness;
}

#[test]
fn a_startup_failure_on_one_instance_is_not_an_outage() {
    let (_, assessments) = assess(&entries(&Entries::text(
        "ERROR",
        "Application startup failed. Exiting.",
        1,
        1,
        0,
    )));
    assert_eq!(
        (assessments[0].priority, assessments[0].category),
        (Priority::P1, Category::BootFailure)
    );
}
