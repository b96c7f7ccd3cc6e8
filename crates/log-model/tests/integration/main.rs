//! Integration tests of gardener-log-model: fixtures in `tests/data`, properties.

mod properties;
