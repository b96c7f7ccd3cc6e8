//! gardener-datafusion's integration tests: the aggregate over the test
//! export in `tests/data/sink/` against log-gardener's sequential run.

mod group_by;
mod partitions;
mod support;
