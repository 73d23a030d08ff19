//! rungs: a static-site generator for career frameworks with parallel expert and manager
//! tracks.
//!
//! The pipeline, one module per stage, data flowing one way (run by [`pipeline`] for
//! `build`, `check` and `serve` alike; see `docs/ARCHITECTURE.md`):
//!
//! ```text
//! config   : site.toml         -> SiteConfig + diagnostics
//! discover : content/          -> SourceFiles               (I/O only)
//! parse    : SourceFile        -> ParsedFile + diagnostics  (pure, cached per file)
//! assemble : [ParsedFile]      -> Framework + diagnostics   (resolve references, order levels)
//! plan     : &Framework        -> [PagePlan], contexts      (every page, its URL and data)
//! render   : pages, Theme      -> Artifacts                 (parallel, streamed)
//! produce  : exports, search   -> Artifacts                 (beside rendering)
//! output   : Artifacts         -> the output folder         (staged; only changed bytes)
//! ```

#![warn(unreachable_pub)]
#![warn(missing_docs)]

// What the binary, the benchmarks and the integration tests use: the pipeline, its
// settings and diagnostics, the model it resolves, its outputs, serve, init, import and
// the editor schemas.
pub mod config;
pub mod diagnostics;
pub mod forge;
pub mod import;
pub mod init;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod schemas;
pub mod search;
pub mod serve;
pub mod versions;

// The stages, private to the pipeline.
pub(crate) mod assemble;
pub(crate) mod change;
pub(crate) mod delta;
pub(crate) mod discover;
pub(crate) mod export;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod parse;
pub(crate) mod plan;
pub(crate) mod render;
pub(crate) mod theme;

#[cfg(test)]
mod testing;
