//! Errors of configuring the prioritizer.

/// A rules file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The JSON is malformed, has an unknown field, or a value of the wrong type.
    #[error("invalid rules: {0}")]
    Config(#[source] serde_json::Error),
    /// A value is out of range.
    #[error("invalid rules: `{field}` {reason}")]
    InvalidRule {
        /// The field.
        field: &'static str,
        /// Why the value is wrong.
        reason: String,
    },
}
