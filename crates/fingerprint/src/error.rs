//! Errors of configuring the fingerprint stage.

/// An error building a [`Masker`](crate::Masker) or reading clustering state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A user masking rule is not a valid regular expression.
    #[error("masking rule `{pattern}` is not a valid regular expression")]
    InvalidRule {
        /// The pattern as given.
        pattern: String,
        /// Why the regex crate rejected it.
        #[source]
        source: regex::Error,
    },
    /// More user rules than the masker can number.
    #[error("{0} masking rules given; at most 65535 are supported")]
    TooManyRules(usize),
}
