//! What kind of problem a cluster is, and the one place its words live.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of problem a cluster is.
///
/// Each category names the problem so that the next step is the right one;
/// [`Category::text`] holds the words every report uses for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// The code cannot start: import or syntax errors, worker boot failures,
    /// startup aborted.
    BootFailure,
    /// Containers exiting with a non-zero code repeatedly, across instances.
    CrashLoop,
    /// A container or process exiting with a non-zero code, without the
    /// repetition of a crash loop.
    UnexpectedExit,
    /// Instances do not become ready: failed startup, readiness or liveness
    /// probes, startup phases not reached in time.
    Readiness,
    /// An instance exceeded its memory limit.
    MemoryLimit,
    /// Requests answered with a 5xx status, or calls that failed with an
    /// internal error.
    ServerError,
    /// A call did not finish in time: timeouts, `DEADLINE_EXCEEDED`, 504.
    Timeout,
    /// A dependency (database, cache, another service) unreachable or
    /// refusing connections, `UNAVAILABLE`.
    DependencyFailure,
    /// A quota or rate limit was hit: `RESOURCE_EXHAUSTED`, 429.
    QuotaExceeded,
    /// A caller lacks a permission: IAM denials, `PERMISSION_DENIED`, 403.
    PermissionDenied,
    /// Authentication failures: missing or invalid credentials,
    /// `UNAUTHENTICATED`, 401.
    AuthFailure,
    /// A resource or route that does not exist: `NOT_FOUND`, 404.
    NotFound,
    /// Errors while the application handles work, that no other category names.
    RequestError,
    /// Evidence of lost, corrupted or leaked data: isolation violations,
    /// `DATA_LOSS`.
    DataIntegrity,
    /// Misconfiguration: missing middleware, bad environment values.
    Configuration,
    /// Deprecation warnings.
    Deprecation,
    /// Requests rejected as the client's fault: 4xx statuses other than
    /// 401, 403, 404, 408 and 429; invalid arguments.
    ClientError,
    /// Messages of the platform or a logging agent rather than the application.
    Platform,
    /// Warnings that fit no other category.
    Warning,
    /// Expected, routine lines: health checks, start banners, graceful
    /// shutdowns, scale-downs, `exit(0)`.
    Noise,
}

/// The words for one category: what reports print about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CategoryText {
    /// A short name: `Permission denied`.
    pub label: &'static str,
    /// What it means for the service, as the end of "… because": `a caller
    /// lacks an IAM role or permission`.
    pub explanation: &'static str,
    /// What to do first.
    pub next_step: &'static str,
}

impl Category {
    /// Every category, the most severe kinds first.
    pub const ALL: [Category; 20] = [
        Category::BootFailure,
        Category::CrashLoop,
        Category::UnexpectedExit,
        Category::Readiness,
        Category::MemoryLimit,
        Category::ServerError,
        Category::Timeout,
        Category::DependencyFailure,
        Category::QuotaExceeded,
        Category::PermissionDenied,
        Category::AuthFailure,
        Category::NotFound,
        Category::RequestError,
        Category::DataIntegrity,
        Category::Configuration,
        Category::Deprecation,
        Category::ClientError,
        Category::Platform,
        Category::Warning,
        Category::Noise,
    ];

    /// The label, explanation and next step of this category: the one
    /// table of these words.
    ///
    /// ```
    /// use gardener_prioritize::Category;
    /// let text = Category::PermissionDenied.text();
    /// assert_eq!(text.label, "Permission denied");
    /// assert!(text.next_step.contains("role"));
    /// ```
    pub fn text(self) -> &'static CategoryText {
        match self {
            Category::BootFailure => &CategoryText {
                label: "Boot failure",
                explanation: "the service cannot start",
                next_step: "Fix the startup error in the representative entry and redeploy; roll back to the last healthy revision meanwhile.",
            },
            Category::CrashLoop => &CategoryText {
                label: "Crash loop",
                explanation: "containers keep exiting with an error",
                next_step: "Read the lines each instance logged just before it exited, fix that error, and roll back if a deploy caused it.",
            },
            Category::UnexpectedExit => &CategoryText {
                label: "Unexpected exit",
                explanation: "a container exited with a non-zero code",
                next_step: "Read the lines the instance logged just before the exit; watch whether it repeats on other instances.",
            },
            Category::Readiness => &CategoryText {
                label: "Startup / readiness",
                explanation: "instances do not become ready to serve",
                next_step: "Find what the instance waits for while starting (the lines before the failed check); fix that, then tune the probe's timeout or delay if startup is merely slow.",
            },
            Category::MemoryLimit => &CategoryText {
                label: "Memory limit exceeded",
                explanation: "instances run out of memory and are killed",
                next_step: "Raise the memory limit or find the allocation that grows; check for leaks under load.",
            },
            Category::ServerError => &CategoryText {
                label: "Server error (5xx)",
                explanation: "requests fail on the server side",
                next_step: "Find the error behind the failing requests (same instance and time) and fix or roll back.",
            },
            Category::Timeout => &CategoryText {
                label: "Timeout",
                explanation: "calls do not finish in time",
                next_step: "Find which call times out (the entry names it); check that dependency's health, latency and network path, and raise the timeout only if the work is legitimately slow.",
            },
            Category::DependencyFailure => &CategoryText {
                label: "Dependency unreachable",
                explanation: "a database, cache or service cannot be reached",
                next_step: "Check that the dependency is up and reachable from the service: its status, VPC connector, firewall, DNS and credentials.",
            },
            Category::QuotaExceeded => &CategoryText {
                label: "Quota or rate limit",
                explanation: "a quota or rate limit refuses calls",
                next_step: "Find which quota or limit is hit (the entry names it); request an increase, add backoff, or spread the load.",
            },
            Category::PermissionDenied => &CategoryText {
                label: "Permission denied",
                explanation: "a caller lacks an IAM role or permission",
                next_step: "Grant the missing role or permission to the principal the entry names (often the revision's service account), or stop the call it should not make.",
            },
            Category::AuthFailure => &CategoryText {
                label: "Authentication failure",
                explanation: "callers cannot authenticate",
                next_step: "Check the credentials and tokens in use (expiry, audience, secret versions) and the auth service's availability.",
            },
            Category::NotFound => &CategoryText {
                label: "Not found",
                explanation: "a requested resource or route does not exist",
                next_step: "Check the name or URL the caller uses: a deleted resource, a wrong project or region, or a route that was removed.",
            },
            Category::RequestError => &CategoryText {
                label: "Application error",
                explanation: "the application logs errors while handling work",
                next_step: "Reproduce with the representative entry and fix the code at its call site.",
            },
            Category::DataIntegrity => &CategoryText {
                label: "Data integrity / isolation",
                explanation: "data may be lost, corrupted or shared between users",
                next_step: "Verify user isolation and data consistency for the affected records; add a test for the leaked or duplicated state.",
            },
            Category::Configuration => &CategoryText {
                label: "Configuration",
                explanation: "configuration is wrong",
                next_step: "Correct the configuration or environment value at its source.",
            },
            Category::Deprecation => &CategoryText {
                label: "Deprecation",
                explanation: "deprecated APIs are in use",
                next_step: "Schedule the migration before the deprecated API is removed.",
            },
            Category::ClientError => &CategoryText {
                label: "Client error (4xx)",
                explanation: "clients send requests the service rejects",
                next_step: "Check whether clients call a wrong or removed endpoint, or whether validation is too strict.",
            },
            Category::Platform => &CategoryText {
                label: "Platform message",
                explanation: "the platform or a logging agent reports something",
                next_step: "Check whether it reflects a setting of the service (scaling, limits, agent configuration); no code change unless it comes with failures.",
            },
            Category::Warning => &CategoryText {
                label: "Warning",
                explanation: "warnings are logged",
                next_step: "Decide whether the warning is expected; fix it or lower its level.",
            },
            Category::Noise => &CategoryText {
                label: "Routine",
                explanation: "routine activity",
                next_step: "None; consider filtering these lines from the export.",
            },
        }
    }

    /// A human-readable name: [`CategoryText::label`].
    pub fn label(self) -> &'static str {
        self.text().label
    }

    /// What it means for the service: [`CategoryText::explanation`].
    pub fn explanation(self) -> &'static str {
        self.text().explanation
    }

    /// What to do first about a cluster of this category: [`CategoryText::next_step`].
    pub fn next_step(self) -> &'static str {
        self.text().next_step
    }

    /// The name used in JSON and labels: `permission_denied`.
    pub fn name(self) -> &'static str {
        match self {
            Category::BootFailure => "boot_failure",
            Category::CrashLoop => "crash_loop",
            Category::UnexpectedExit => "unexpected_exit",
            Category::Readiness => "readiness",
            Category::MemoryLimit => "memory_limit",
            Category::ServerError => "server_error",
            Category::Timeout => "timeout",
            Category::DependencyFailure => "dependency_failure",
            Category::QuotaExceeded => "quota_exceeded",
            Category::PermissionDenied => "permission_denied",
            Category::AuthFailure => "auth_failure",
            Category::NotFound => "not_found",
            Category::RequestError => "request_error",
            Category::DataIntegrity => "data_integrity",
            Category::Configuration => "configuration",
            Category::Deprecation => "deprecation",
            Category::ClientError => "client_error",
            Category::Platform => "platform",
            Category::Warning => "warning",
            Category::Noise => "noise",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_its_words_and_its_json_name() {
        for category in Category::ALL {
            let text = category.text();
            assert!(!text.label.is_empty() && !text.explanation.is_empty());
            assert!(text.next_step.ends_with('.'), "{category:?}");
            let json = serde_json::to_value(category).unwrap();
            assert_eq!(json, serde_json::Value::from(category.name()));
        }
        let labels: std::collections::BTreeSet<&str> =
            Category::ALL.iter().map(|c| c.label()).collect();
        assert_eq!(labels.len(), Category::ALL.len(), "labels are distinct");
    }

    #[test]
    fn client_errors_never_read_as_server_errors() {
        assert!(!Category::ClientError.label().contains("5xx"));
        assert!(Category::ServerError.label().contains("5xx"));
    }
}
