//! Integration tests of gardener-report.

mod safety;
