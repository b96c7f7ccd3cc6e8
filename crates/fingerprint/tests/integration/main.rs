//! Integration tests of gardener-fingerprint.

mod generalization;
mod golden;
mod loghub;
mod long_tail;
mod properties;
