//! Integration tests of gardener-prioritize.

mod incidents;
mod monotonic;
mod seeds;
mod support;
mod trends;
