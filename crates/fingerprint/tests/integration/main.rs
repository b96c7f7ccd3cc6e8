//! Integration tests of gardener-fingerprint.

mod golden;
mod loghub;
mod long_tail;
mod properties;
