//! newsdedup finds near-duplicate articles in scraped news corpora.
//!
//! The pipeline, one module a stage, data flowing one way
//! (`pipeline::run` is the only code that knows the order):
//!
//! - [`input`] walks the paths (sorted, each file once, links skipped unless
//!   followed) and reads files as text: byte order marks handled, UTF-16
//!   decoded, invalid UTF-8 replaced, binary and oversized files skipped.
//! - [`normalize`] turns raw text into canonical text, one case-folded
//!   sentence per line, without bylines, links, footers and other scraping
//!   boilerplate, so re-scrapes and reflowed copies read the same.
//! - [`shingle`] hashes word windows inside each sentence into a
//!   [`shingle::ShingleSet`] with a specified, seeded hash.
//! - [`sketch`] computes MinHash signatures of the sets.
//! - [`candidates`] finds candidate pairs by LSH banding, without comparing
//!   all pairs.
//! - [`template`] learns template sentences (site chrome) from the corpus.
//! - [`verify`] scores each candidate pair exactly (Jaccard and containment),
//!   with template sentences weighing less the more documents hold them.
//! - [`group`] joins verified pairs into groups and picks representatives.
//! - [`report`] renders the result as a table, JSON, JSON Lines or CSV, and
//!   [`exit`] maps it to the exit status.
//!
//! [`index`] keeps analysed articles in an SQLite file, so that
//! `scan --against` checks a new batch against everything collected
//! earlier ([`pipeline::add`] fills it, [`pipeline::against`] queries it).
//!
//! [`cli`] and [`config`] turn the command line into per-stage options;
//! [`cmd`] holds each subcommand's thin run over the pipeline;
//! [`invariants`] holds the checks the fuzz target and tests share.

pub mod candidates;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod corpus;
pub mod exit;
pub mod group;
pub mod index;
pub mod input;
pub mod invariants;
pub mod normalize;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod shingle;
pub mod sketch;
pub mod template;
pub mod verify;
