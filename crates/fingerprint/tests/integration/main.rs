//! Integration tests of gardener-fingerprint.

mod golden;
