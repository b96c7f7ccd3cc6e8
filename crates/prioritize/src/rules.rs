//! The rules and thresholds that decide priorities, as a serde value users can override.

use serde::{Deserialize, Serialize};

use crate::Error;

/// Detection phrases and thresholds. Every field has a default that
/// reproduces the judgments of the hand-written worklogs; a JSON file may
/// override any subset (`gardener --config rules.json`). Unknown fields are
/// errors. Phrases match case-insensitively as substrings of a cluster's
/// title, its representative entry's message and exception, and its call site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Exception types that mean the code cannot be loaded (import, syntax
    /// and linkage errors): deterministic, so no instance of the revision can start.
    pub boot_failure_exceptions: Vec<String>,
    /// Phrases of a startup that failed (worker boot, startup aborted,
    /// gunicorn's master shutting down after a failed boot). Not read in
    /// lines logged at INFO or below: gunicorn's `[INFO] Shutting down:
    /// Master` is a normal scale-down.
    pub boot_failure_phrases: Vec<String>,
    /// Phrases of a process or container exiting; the number right after the
    /// phrase is the exit code (0 is a clean exit).
    pub exit_phrases: Vec<String>,
    /// Non-zero exits at or above this count, on at least
    /// `crash_loop_min_instances` instances, are a crash loop (P0).
    pub crash_loop_min_exits: u64,
    /// See `crash_loop_min_exits`. Startup failures and failed probes are
    /// P0 from this many instances on too: one instance failing is not yet
    /// evidence that the service cannot start.
    pub crash_loop_min_instances: u64,
    /// Phrases of a platform probe failing: evidence that instances do not
    /// become ready.
    pub probe_failure_phrases: Vec<String>,
    /// Phrases of an application saying it is not ready (startup phases
    /// not reached, readiness checks failing).
    pub readiness_phrases: Vec<String>,
    /// Phrases of memory-limit kills.
    pub memory_phrases: Vec<String>,
    /// Phrases of timeouts.
    pub timeout_phrases: Vec<String>,
    /// Phrases of a dependency unreachable or refusing connections.
    pub dependency_failure_phrases: Vec<String>,
    /// Phrases of quotas and rate limits.
    pub quota_phrases: Vec<String>,
    /// Phrases of authorization failures (a known caller lacks a permission).
    pub permission_phrases: Vec<String>,
    /// Phrases of authentication failures (the caller is not known).
    pub auth_phrases: Vec<String>,
    /// Phrases of a missing resource or route.
    pub not_found_phrases: Vec<String>,
    /// Phrases that are evidence of lost, corrupted or leaked data.
    pub data_integrity_phrases: Vec<String>,
    /// Phrases of configuration problems.
    pub configuration_phrases: Vec<String>,
    /// Phrases of deprecations.
    pub deprecation_phrases: Vec<String>,
    /// Phrases of routine events: start banners, graceful shutdowns,
    /// scale-downs, heartbeats. Routine at any level, unless the line also
    /// has one of `failure_words`.
    pub noise_phrases: Vec<String>,
    /// Words that make a line a failure whatever routine phrase it has
    /// (`Error in worker, shutting down`).
    pub failure_words: Vec<String>,
    /// Log names (decoded, prefix match) written by the platform or its
    /// agents rather than the application.
    pub platform_log_names: Vec<String>,
    /// Request paths that are health checks (prefix match).
    pub health_check_paths: Vec<String>,
    /// Markers of the main user path (in a call site, template or URL path):
    /// errors there are P1 rather than P2.
    pub user_path_markers: Vec<String>,
    /// A 5xx endpoint whose share of failed requests reaches this (0..=1),
    /// with at least `endpoint_down_min_requests` failures, is down: P0.
    pub endpoint_down_share: f64,
    /// See `endpoint_down_share`.
    pub endpoint_down_min_requests: u64,
    /// Clusters (other than routine lines and 4xx) at or above this many
    /// entries per hour over their active span (first to last entry, at
    /// least a minute), and at least `high_volume_min_entries`, are raised
    /// one level, up to P1.
    pub high_volume_per_hour: f64,
    /// See `high_volume_per_hour`.
    pub high_volume_min_entries: u64,
    /// A symptom (5xx, failed probe, exit, boot line) is linked to a cause
    /// when their time ranges come within this many seconds of each other.
    pub incident_window_seconds: i64,
    /// When the revision of a cause or a symptom is not known, they must
    /// share at least this share (0..=1) of the smaller one's instances.
    pub incident_min_shared_share: f64,
    /// Most clusters in one incident, its cause included.
    pub incident_max_members: usize,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            boot_failure_exceptions: strings(&[
                "ImportError",
                "ModuleNotFoundError",
                "SyntaxError",
                "IndentationError",
                "TabError",
                "NoClassDefFoundError",
                "ClassNotFoundException",
                "ExceptionInInitializerError",
                "UnsatisfiedLinkError",
            ]),
            boot_failure_phrases: strings(&[
                "worker failed to boot",
                "exception in worker process",
                "app failed to load",
                "application startup failed",
                "startup aborted",
                "startup failed",
                "critical startup failure",
                "shutting down: master",
                "failed to start and then listen on the port",
                "provided module can't be loaded",
                "could not load the function",
                "cannot find module",
            ]),
            exit_phrases: strings(&[
                "container called exit(",
                "exited with code",
                "exit status",
                "exit code",
            ]),
            crash_loop_min_exits: 3,
            crash_loop_min_instances: 2,
            probe_failure_phrases: strings(&[
                "startup tcp probe failed",
                "startup http probe failed",
                "startup grpc probe failed",
                "startup probe failed",
                "readiness probe failed",
                "liveness probe failed",
                "liveness http probe failed",
                "the instance was not started",
                "failed the readiness check",
            ]),
            readiness_phrases: strings(&[
                "readiness check failed",
                "not ready",
                "did not become ready",
                "startup phase",
                "health check failed",
            ]),
            memory_phrases: strings(&[
                "memory limit of",
                "out of memory",
                "oomkilled",
                "memoryerror",
            ]),
            timeout_phrases: strings(&[
                "timed out",
                "timeout",
                "deadline exceeded",
                "deadline_exceeded",
                "context deadline",
                "504 gateway",
            ]),
            dependency_failure_phrases: strings(&[
                "unreachable",
                "connection refused",
                "econnrefused",
                "could not connect",
                "can't connect",
                "cannot connect",
                "connection reset",
                "econnreset",
                "service unavailable",
                "unavailable:",
                "graceful degradation",
                "no route to host",
                "name or service not known",
                "getaddrinfo",
            ]),
            quota_phrases: strings(&[
                "resource_exhausted",
                "resource exhausted",
                "quota exceeded",
                "exceeded quota",
                "quota_exceeded",
                "rate limit",
                "ratelimit",
                "rate_limit",
                "too many requests",
            ]),
            permission_phrases: strings(&[
                "permission_denied",
                "permission denied",
                "does not have permission",
                "lacks permission",
                "missing permission",
                "caller does not have",
                "forbidden",
                "access denied",
                "not authorized to",
            ]),
            auth_phrases: strings(&[
                "unauthenticated",
                "authentication failed",
                "unauthorized",
                "invalid token",
                "token expired",
                "auth failed",
                "not authenticated",
                "invalid credentials",
            ]),
            not_found_phrases: strings(&[
                "not_found",
                "not found",
                "no such file",
                "does not exist",
            ]),
            data_integrity_phrases: strings(&[
                "isolation",
                "contamination",
                "duplication",
                "integrity",
                "corrupt",
                "inconsistent",
                "data loss",
                "data_loss",
            ]),
            configuration_phrases: strings(&[
                "config",
                "environment variable",
                "must be installed",
                "not installed",
                "not configured",
                "sanitized",
                "whitespace",
                "missing setting",
                "invalid format",
                "not set",
            ]),
            deprecation_phrases: strings(&[
                "deprecat",
                "will be removed",
                "futurewarning",
                "pkg_resources is deprecated",
            ]),
            noise_phrases: strings(&[
                "starting new instance",
                "probe succeeded",
                "application startup complete",
                "uvicorn running on",
                "listening on",
                "listening at",
                "booting worker",
                "starting gunicorn",
                "using worker",
                "started server process",
                "waiting for application startup",
                "waiting for application shutdown",
                "application shutdown complete",
                "finished server process",
                "worker exiting",
                "handling signal",
                "sigterm",
                "graceful shutdown",
                "shutting down gracefully",
                "shutting down",
                "scaling down",
                "user disabled instance",
                "container called exit(0)",
                "heartbeat",
            ]),
            failure_words: strings(&[
                "error",
                "fail",
                "exception",
                "fatal",
                "panic",
                "crash",
                "abort",
                "unable",
                "cannot",
                "refused",
                "denied",
                "timeout",
                "timed out",
            ]),
            platform_log_names: strings(&[
                "run.googleapis.com/varlog/",
                "cloudaudit.googleapis.com/",
                "dns.googleapis.com/",
                "compute.googleapis.com/",
                "container.googleapis.com/",
                "cloudbuild",
                "events",
                "kubelet",
                "container-runtime",
                "docker",
                "osconfig",
                "ops-agent",
                "google-fluentbit",
                "fluentbit",
            ]),
            health_check_paths: strings(&[
                "/health", "/healthz", "/ready", "/readyz", "/livez", "/ping", "/_ah/",
            ]),
            user_path_markers: strings(&[
                "routes",
                "route",
                "handler",
                "views",
                "controller",
                "endpoint",
                "websocket",
                "/api/",
                "/ws",
            ]),
            endpoint_down_share: 0.9,
            endpoint_down_min_requests: 10,
            high_volume_per_hour: 60.0,
            high_volume_min_entries: 20,
            incident_window_seconds: 300,
            incident_min_shared_share: 0.5,
            incident_max_members: 12,
        }
    }
}

impl Rules {
    /// Reads rules from JSON: fields not given keep their defaults.
    ///
    /// ```
    /// use gardener_prioritize::Rules;
    /// let rules = Rules::from_json(r#"{"endpoint_down_share": 0.5}"#)?;
    /// assert_eq!(rules.endpoint_down_share, 0.5);
    /// assert!(Rules::from_json(r#"{"endpoint_down_shar": 0.5}"#).is_err());
    /// assert!(Rules::from_json(r#"{"endpoint_down_share": 2.0}"#).is_err());
    /// # Ok::<(), gardener_prioritize::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Rules, Error> {
        let rules: Rules = serde_json::from_str(json).map_err(Error::Config)?;
        rules.validate()?;
        Ok(rules)
    }

    /// Checks that every threshold is in range.
    pub fn validate(&self) -> Result<(), Error> {
        let invalid = |field: &'static str, why: &str| {
            Err(Error::InvalidRule {
                field,
                reason: why.to_owned(),
            })
        };
        if !(0.0..=1.0).contains(&self.endpoint_down_share) {
            return invalid("endpoint_down_share", "must be between 0 and 1");
        }
        if !(self.high_volume_per_hour.is_finite() && self.high_volume_per_hour > 0.0) {
            return invalid("high_volume_per_hour", "must be a positive number");
        }
        if !(0.0..=1.0).contains(&self.incident_min_shared_share) {
            return invalid("incident_min_shared_share", "must be between 0 and 1");
        }
        if self.incident_window_seconds < 0 {
            return invalid("incident_window_seconds", "must not be negative");
        }
        if self.incident_max_members < 2 {
            return invalid(
                "incident_max_members",
                "must be at least 2 (a cause and one symptom)",
            );
        }
        if self.crash_loop_min_exits == 0 {
            return invalid("crash_loop_min_exits", "must be at least 1");
        }
        let lists = [
            ("boot_failure_exceptions", &self.boot_failure_exceptions),
            ("boot_failure_phrases", &self.boot_failure_phrases),
            ("exit_phrases", &self.exit_phrases),
            ("probe_failure_phrases", &self.probe_failure_phrases),
            ("readiness_phrases", &self.readiness_phrases),
            ("memory_phrases", &self.memory_phrases),
            ("timeout_phrases", &self.timeout_phrases),
            (
                "dependency_failure_phrases",
                &self.dependency_failure_phrases,
            ),
            ("quota_phrases", &self.quota_phrases),
            ("permission_phrases", &self.permission_phrases),
            ("auth_phrases", &self.auth_phrases),
            ("not_found_phrases", &self.not_found_phrases),
            ("data_integrity_phrases", &self.data_integrity_phrases),
            ("configuration_phrases", &self.configuration_phrases),
            ("deprecation_phrases", &self.deprecation_phrases),
            ("noise_phrases", &self.noise_phrases),
            ("failure_words", &self.failure_words),
            ("platform_log_names", &self.platform_log_names),
            ("health_check_paths", &self.health_check_paths),
            ("user_path_markers", &self.user_path_markers),
        ];
        for (field, list) in lists {
            if list.iter().any(|phrase| phrase.trim().is_empty()) {
                return invalid(
                    field,
                    "phrases must not be empty (an empty phrase matches everything)",
                );
            }
        }
        Ok(())
    }
}
