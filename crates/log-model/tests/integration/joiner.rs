//! The trace joiner (filled in below).
