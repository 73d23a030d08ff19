//! rungs: a static-site generator for career frameworks with parallel expert and manager
//! tracks.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! ```text
//! discover : folder           -> SourceTree             (I/O only)
//! parse    : SourceFile       -> ParsedFile + diagnostics (pure, cacheable per file)
//! assemble : [ParsedFile]     -> Framework + diagnostics  (resolve references, order levels)
//! plan     : &Framework       -> [PagePlan]               (every page, its URL and context)
//! render   : [PagePlan], Theme -> [Artifact]              (parallel)
//! write    : [Artifact]       -> changed files            (only changed bytes; nothing on failure)
//! ```
//!
//! `check` is `load` without rendering or writing; `build` is all of it.

pub mod assemble;
pub mod assess;
pub mod build;
pub mod charts;
pub mod compare;
pub mod config;
pub mod csv;
pub mod delta;
pub mod diagnostics;
pub mod discover;
pub mod export;
pub mod frontmatter;
pub mod incremental;
pub mod init;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod plan;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod write;
pub mod yaml;

#[cfg(test)]
mod testing;
