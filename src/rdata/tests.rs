//! Per-type tests.
