//! Integration tests of gardener-report.

mod fixtures;
mod issues;
mod rendering;
mod safety;
mod shape;
mod structure;
