//! Priorities: how urgently a cluster needs a person.

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
