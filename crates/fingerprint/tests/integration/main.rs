//! Integration tests of gardener-fingerprint.

mod golden;
mod loghub;
mod properties;
