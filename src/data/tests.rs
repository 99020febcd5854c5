//! Tests with real fixture files.
