//! gardener-ballista's integration tests: an in-process standalone cluster.

mod standalone;
