//! The `LogSeverity` scale of Cloud Logging.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Severity of a log entry, as defined by `google/logging/type/log_severity.proto`.
///
/// Ordered from least to most severe, so `Severity::Error > Severity::Warning`.
/// Deserializes from the name (`"ERROR"`, case-insensitive, with the common
/// aliases `WARN`, `FATAL`, `CRIT`, `SEVERE`) or from the number (`500`, as `gcloud logging
/// tail` prints it). Anything unrecognized becomes [`Severity::Default`], which
/// is also what Cloud Logging assumes when the field is absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    /// No severity assigned (0).
    #[default]
    Default,
    /// Debug or trace information (100).
    Debug,
    /// Routine information (200).
    Info,
    /// Normal but significant events (300).
    Notice,
    /// Events that might cause problems (400).
    Warning,
    /// Events that are likely to cause problems (500).
    Error,
    /// Events that cause more severe problems or outages (600).
    Critical,
    /// A person must take an action immediately (700).
    Alert,
    /// One or more systems are unusable (800).
    Emergency,
}

impl Severity {
    /// Every severity, least severe first.
    pub const ALL: [Severity; 9] = [
        Severity::Default,
        Severity::Debug,
        Severity::Info,
        Severity::Notice,
        Severity::Warning,
        Severity::Error,
        Severity::Critical,
        Severity::Alert,
        Severity::Emergency,
    ];

    /// The canonical upper-case name, as Cloud Logging writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Default => "DEFAULT",
            Severity::Debug => "DEBUG",
            Severity::Info => "INFO",
            Severity::Notice => "NOTICE",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
            Severity::Critical => "CRITICAL",
            Severity::Alert => "ALERT",
            Severity::Emergency => "EMERGENCY",
        }
    }

    /// The numeric value of the proto enum (`ERROR` is 500).
    pub fn number(self) -> u16 {
        self.index() as u16 * 100
    }

    /// Position in [`Severity::ALL`], handy as an array index.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a severity name, case-insensitively, accepting common aliases.
    ///
    /// ```
    /// use gardener_log_model::Severity;
    /// assert_eq!(Severity::from_name("warn"), Some(Severity::Warning));
    /// assert_eq!(Severity::from_name("bogus"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Severity> {
        let name = name.trim();
        let known = [
            ("DEFAULT", Severity::Default),
            ("DEBUG", Severity::Debug),
            ("TRACE", Severity::Debug),
            ("INFO", Severity::Info),
            ("INFORMATION", Severity::Info),
            ("NOTICE", Severity::Notice),
            ("WARNING", Severity::Warning),
            ("WARN", Severity::Warning),
            ("ERROR", Severity::Error),
            ("ERR", Severity::Error),
            // java.util.logging's error level.
            ("SEVERE", Severity::Error),
            ("CRITICAL", Severity::Critical),
            ("CRIT", Severity::Critical),
            ("FATAL", Severity::Critical),
            ("ALERT", Severity::Alert),
            ("EMERGENCY", Severity::Emergency),
            ("EMERG", Severity::Emergency),
        ];
        known
            .iter()
            .find(|(known_name, _)| known_name.eq_ignore_ascii_case(name))
            .map(|&(_, severity)| severity)
    }

    /// Maps a proto number to a severity; numbers between levels round down
    /// (`450` is `WARNING`), as Cloud Logging compares them.
    pub fn from_number(number: i64) -> Severity {
        let index = (number.clamp(0, 800) / 100) as usize;
        Severity::ALL[index]
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeverityVisitor;

        impl<'de> Visitor<'de> for SeverityVisitor {
            type Value = Severity;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a severity name or number")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Severity, E> {
                if let Ok(number) = value.trim().parse::<i64>() {
                    return Ok(Severity::from_number(number));
                }
                Ok(Severity::from_name(value).unwrap_or_default())
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Severity, E> {
                Ok(Severity::from_number(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Severity, E> {
                Ok(Severity::from_number(value.min(800) as i64))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Severity, E> {
                Ok(Severity::from_number(value as i64))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Severity, E> {
                Ok(Severity::Default)
            }

            fn visit_none<E: de::Error>(self) -> Result<Severity, E> {
                Ok(Severity::Default)
            }

            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Severity, D::Error> {
                d.deserialize_any(self)
            }

            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Severity, E> {
                Ok(Severity::Default)
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Severity, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Severity::Default)
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Severity, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Severity::Default)
            }
        }

        deserializer.deserialize_any(SeverityVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_numbers_and_junk() {
        let parse = |json: &str| serde_json::from_str::<Severity>(json).unwrap();
        assert_eq!(parse(r#""ERROR""#), Severity::Error);
        assert_eq!(parse(r#""warning""#), Severity::Warning);
        assert_eq!(parse(r#""SEVERE""#), Severity::Error);
        assert_eq!(parse("500"), Severity::Error);
        assert_eq!(parse(r#""400""#), Severity::Warning);
        assert_eq!(parse("450"), Severity::Warning);
        assert_eq!(parse("-3"), Severity::Default);
        assert_eq!(parse("9000"), Severity::Emergency);
        assert_eq!(parse(r#""loud""#), Severity::Default);
        assert_eq!(parse("null"), Severity::Default);
        assert_eq!(parse(r#"{"a":1}"#), Severity::Default);
    }

    #[test]
    fn number_round_trips() {
        for severity in Severity::ALL {
            assert_eq!(Severity::from_number(severity.number().into()), severity);
            assert_eq!(Severity::from_name(severity.as_str()), Some(severity));
        }
    }
}
