//! Integration tests of gardener-prioritize.

mod monotonic;
