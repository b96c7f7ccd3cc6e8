//! Integration tests of gardener-prioritize.

mod incidents;
mod judgments;
mod monotonic;
mod seeds;
mod support;
mod trends;
