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

pub mod assemble;
pub mod change;
pub mod config;
pub mod delta;
pub mod diagnostics;
pub mod discover;
pub mod export;
pub mod init;
pub mod markdown;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod search;
pub mod serve;
pub mod theme;

#[cfg(test)]
mod testing;
