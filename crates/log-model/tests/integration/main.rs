//! Integration tests of gardener-log-model: fixtures in `tests/data`, snapshots
//! in `snapshots/`, properties.

mod fields;
mod joiner;
mod properties;
mod resume;
mod shapes;
mod sniff;
mod support;
mod traces;
