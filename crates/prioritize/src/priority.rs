//! Priorities and categories.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How urgently a cluster needs a person, P0 (service down) to P4 (informational).
///
/// Ordered by urgency: `Priority::P0 < Priority::P1`, so sorting ascending
/// puts the most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    /// Critical: the service is down or cannot start.
    P0,
    /// High: users are directly affected.
    P1,
    /// Medium: degraded behaviour or risk, fix soon.
    P2,
    /// Low: hygiene, configuration, deprecations.
    P3,
    /// Informational: expected noise, no action.
    P4,
}

impl Priority {
    /// All priorities, most urgent first.
    pub const ALL: [Priority; 5] = [
        Priority::P0,
        Priority::P1,
        Priority::P2,
        Priority::P3,
        Priority::P4,
    ];

    /// `P0` .. `P4`.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P0 => "P0",
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
        }
    }

    /// A short label: `Critical`, `High`, `Medium`, `Low`, `Informational`.
    pub fn label(self) -> &'static str {
        match self {
            Priority::P0 => "Critical",
            Priority::P1 => "High",
            Priority::P2 => "Medium",
            Priority::P3 => "Low",
            Priority::P4 => "Informational",
        }
    }

    /// The colored badge used in worklogs: 🔴 🟠 🟡 🔵 ⚪.
    pub fn badge(self) -> &'static str {
        match self {
            Priority::P0 => "🔴",
            Priority::P1 => "🟠",
            Priority::P2 => "🟡",
            Priority::P3 => "🔵",
            Priority::P4 => "⚪",
        }
    }

    /// One level more urgent (P0 stays P0).
    pub fn raised(self) -> Priority {
        Priority::ALL[self.index().saturating_sub(1)]
    }

    /// One level less urgent (P4 stays P4).
    pub fn lowered(self) -> Priority {
        Priority::ALL[(self.index() + 1).min(4)]
    }

    /// 0 for P0 .. 4 for P4.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of problem a cluster is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// The service cannot start: import or syntax errors at boot, worker boot
    /// failures, non-zero exits, failed startup probes, startup timeouts.
    BootFailure,
    /// Containers exiting repeatedly across instances.
    CrashLoop,
    /// An instance exceeded its memory limit.
    MemoryLimit,
    /// Requests answered with a 5xx status.
    ServerError,
    /// A dependency (database, cache, auth service, upstream) unreachable or timing out.
    DependencyFailure,
    /// Authentication or authorization failures.
    AuthFailure,
    /// Errors while handling requests or messages.
    RequestError,
    /// User-isolation and data-integrity warnings.
    DataIntegrity,
    /// Misconfiguration: missing middleware, bad environment values.
    Configuration,
    /// Deprecation warnings.
    Deprecation,
    /// Requests answered with a 4xx status.
    ClientError,
    /// Warnings that fit no other category.
    Warning,
    /// Expected noise: health checks, routine startup and heartbeat lines.
    Noise,
}

impl Category {
    /// A human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Category::BootFailure => "Boot failure",
            Category::CrashLoop => "Crash loop",
            Category::MemoryLimit => "Memory limit exceeded",
            Category::ServerError => "HTTP 5xx",
            Category::DependencyFailure => "Dependency failure",
            Category::AuthFailure => "Authentication failure",
            Category::RequestError => "Request handling error",
            Category::DataIntegrity => "Data integrity / isolation",
            Category::Configuration => "Configuration",
            Category::Deprecation => "Deprecation",
            Category::ClientError => "HTTP 4xx",
            Category::Warning => "Warning",
            Category::Noise => "Expected noise",
        }
    }

    /// What to do first about a cluster of this category.
    pub fn next_step(self) -> &'static str {
        match self {
            Category::BootFailure => "Fix the startup error and redeploy; roll back to the last healthy revision meanwhile.",
            Category::CrashLoop => "Find why containers exit (the log lines just before each exit) and roll back if a deploy caused it.",
            Category::MemoryLimit => "Raise the memory limit or find the allocation that grows; check for leaks under load.",
            Category::ServerError => "Find the error behind the failing requests (correlate by instance and time) and fix or roll back.",
            Category::DependencyFailure => "Check the dependency's health, network path (VPC connector, firewall) and timeouts.",
            Category::AuthFailure => "Check credentials, token validation and the auth service's availability.",
            Category::RequestError => "Reproduce with the representative entry and fix the handler.",
            Category::DataIntegrity => "Verify user isolation and data consistency; add a test for the duplicated or leaked state.",
            Category::Configuration => "Correct the configuration or environment value at its source.",
            Category::Deprecation => "Schedule the migration before the deprecated API is removed.",
            Category::ClientError => "Check whether clients call a wrong or removed endpoint, or whether validation is too strict.",
            Category::Warning => "Decide whether the warning is expected; fix it or lower its level.",
            Category::Noise => "None; consider filtering these lines from the export.",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
