//! Regression tests: one test per fixed bug, named after its issue (`issue_12`
//! for issue #12), with a line saying what used to go wrong. Each one runs
//! the binary on the smallest input that showed the bug.
//!
//! None yet.
