//! The subcommands: each a thin run over the library's stages, writing its
//! output and messages into the writers `main` gives it and returning the
//! exit status. Neither knows clap; both take a plain configuration.

pub mod explain;
pub mod scan;
