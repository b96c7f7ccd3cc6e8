//! Integration tests of gardener-report.

mod display;
mod fixtures;
mod issues;
mod pipeline;
mod rendering;
mod safety;
mod shape;
mod size;
mod structure;
