//! The rules and thresholds that decide priorities, as a serde value users can override.

use serde::{Deserialize, Serialize};

use crate::Error;

/// Detection phrases and thresholds. Every field has a default that
/// reproduces the judgments of the hand-written worklogs; a JSON file may
/// override any subset (`gardener --config rules.json`). Unknown fields are
/// errors. Phrases match case-insensitively as substrings of a cluster's
/// title, template, exception or call site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// Exception types that mean the code cannot be loaded: the service cannot start.
    pub boot_failure_exceptions: Vec<String>,
    /// Phrases of startup failures (worker boot, failed probes, startup timeouts).
    pub boot_failure_phrases: Vec<String>,
    /// Phrases of a process or container exiting; the numbers in the message
    /// tell a clean exit (0) from a crash.
    pub exit_phrases: Vec<String>,
    /// Non-zero container exits at or above this count, on at least
    /// `crash_loop_min_instances` instances, are a crash loop.
    pub crash_loop_min_exits: u64,
    /// See `crash_loop_min_exits`.
    pub crash_loop_min_instances: u64,
    /// Phrases of memory-limit kills.
    pub memory_phrases: Vec<String>,
    /// Phrases of a dependency failing (timeouts, refused connections).
    pub dependency_failure_phrases: Vec<String>,
    /// Phrases of authentication and authorization failures.
    pub auth_phrases: Vec<String>,
    /// Phrases of user-isolation and data-integrity problems.
    pub data_integrity_phrases: Vec<String>,
    /// Phrases of configuration problems.
    pub configuration_phrases: Vec<String>,
    /// Phrases of deprecations.
    pub deprecation_phrases: Vec<String>,
    /// Phrases of expected, routine lines (startup, scaling, heartbeat).
    pub noise_phrases: Vec<String>,
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
    /// Clusters (other than noise and 4xx) at or above this many entries per
    /// hour, and at least `high_volume_min_entries`, are raised one level, up to P1.
    pub high_volume_per_hour: f64,
    /// See `high_volume_per_hour`.
    pub high_volume_min_entries: u64,
    /// Clusters whose time ranges come within this many seconds of each
    /// other may be one incident.
    pub incident_window_seconds: i64,
    /// Clusters are one incident when they share at least this share (0..=1)
    /// of the smaller one's instances.
    pub incident_min_shared_share: f64,
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
                "ExceptionInInitializerError",
                "UnsatisfiedLinkError",
                "DeterministicStartupError",
            ]),
            boot_failure_phrases: strings(&[
                "worker failed to boot",
                "exception in worker process",
                "application startup failed",
                "startup aborted",
                "shutting down: master",
                "startup tcp probe failed",
                "startup http probe failed",
                "startup probe failed",
                "failed to start and then listen on the port",
                "the instance was not started",
                "critical startup failure",
                "startup timeout",
                "provided module can't be loaded",
                "could not load the function",
                "cannot find module",
            ]),
            exit_phrases: strings(&["container called exit(", "exited with code", "exit status"]),
            crash_loop_min_exits: 3,
            crash_loop_min_instances: 2,
            memory_phrases: strings(&[
                "memory limit of",
                "out of memory",
                "oomkilled",
                "memoryerror",
            ]),
            dependency_failure_phrases: strings(&[
                "timed out",
                "timeout",
                "unreachable",
                "connection refused",
                "econnrefused",
                "could not connect",
                "connection reset",
                "deadline exceeded",
                "deadline_exceeded",
                "service unavailable",
                "graceful degradation",
                "no route to host",
                "name or service not known",
            ]),
            auth_phrases: strings(&[
                "authentication failed",
                "unauthorized",
                "forbidden",
                "invalid token",
                "token expired",
                "permission denied",
                "auth failed",
                "not authenticated",
                "invalid credentials",
            ]),
            data_integrity_phrases: strings(&[
                "isolation",
                "contamination",
                "duplication",
                "duplicate",
                "integrity",
                "corrupt",
                "inconsistent",
                "data loss",
                "race condition",
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
                "booting worker",
                "started server process",
                "waiting for application startup",
                "container called exit(0)",
                "shutting down",
                "heartbeat",
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
        if self.crash_loop_min_exits == 0 {
            return invalid("crash_loop_min_exits", "must be at least 1");
        }
        let lists = [
            ("boot_failure_phrases", &self.boot_failure_phrases),
            ("exit_phrases", &self.exit_phrases),
            ("memory_phrases", &self.memory_phrases),
            (
                "dependency_failure_phrases",
                &self.dependency_failure_phrases,
            ),
            ("auth_phrases", &self.auth_phrases),
            ("data_integrity_phrases", &self.data_integrity_phrases),
            ("configuration_phrases", &self.configuration_phrases),
            ("deprecation_phrases", &self.deprecation_phrases),
            ("noise_phrases", &self.noise_phrases),
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
