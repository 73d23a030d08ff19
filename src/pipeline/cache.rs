//! What the pipeline keeps between runs that depends on one input alone: each source
//! file's parse (valid while the file's bytes are the same) and the loaded theme (valid
//! until a template, static file or the settings change). `rungs build` runs once and
//! keeps them only for the length of that run; `rungs serve` keeps them across edits.
//! Nothing here depends on more than one file: cross-file stages (assembly, plan) run
//! again every time, which is how Zola's partial rebuilds went stale.

use std::collections::HashMap;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::discover::{self, SourceFile, Stamp};
use crate::markdown::MarkdownOptions;
use crate::output::fingerprint_parts;
use crate::parse::{self, ParsedFile};
use crate::theme::{self, Theme};

/// A cached parse, valid while the file's place and bytes are the same.
struct CachedParse {
    fingerprint: u128,
    /// The file's stamp when it was read.
    stamp: Option<Stamp>,
    parsed: ParsedFile,
}

/// The parse of every source file, by site-relative path.
#[derive(Default)]
pub(super) struct ParseCache {
    parsed: HashMap<String, CachedParse>,
    /// The Markdown options the parses were made with.
    markdown: Option<MarkdownOptions>,
}

/// The parses of one run, in discovery order, with what the cache needs to keep them.
pub(super) struct Parsed {
    pub files: Vec<ParsedFile>,
    fingerprints: Vec<u128>,
    stamps: Vec<Option<Stamp>>,
}

impl ParseCache {
    /// Discovers the site's files and parses those whose bytes changed since they were
    /// cached. A file is not even read when the watcher did not report it and its stamp
    /// is the one it had when it was parsed (`reread` lists what the watcher reported;
    /// `None` means anything may have changed).
    pub(super) fn load(
        &mut self,
        root: &Path,
        config: &SiteConfig,
        reread: Option<&std::collections::BTreeSet<String>>,
        diags: &mut Vec<Diagnostic>,
    ) -> io::Result<Parsed> {
        if self.markdown != Some(config.markdown) {
            self.parsed.clear();
            self.markdown = Some(config.markdown);
        }
        let cache = &self.parsed;
        let known = |rel: &str, stamp: &Stamp| {
            reread.is_some_and(|r| !r.contains(rel))
                && cache.get(rel).is_some_and(|c| c.stamp == Some(*stamp))
        };
        let tree = discover::discover_with(root, &known)?;
        diags.extend(tree.diags);
        let mut slots: Vec<Option<ParsedFile>> = Vec::with_capacity(tree.files.len());
        let mut fingerprints = Vec::with_capacity(tree.files.len());
        let mut todo: Vec<(usize, SourceFile)> = Vec::new();
        for (f, &(_, was_read)) in tree.files.into_iter().zip(&tree.stamps) {
            let cached = self.parsed.remove(&f.rel);
            if !was_read && let Some(c) = cached {
                // Not read: discovery found it unchanged since `c` was parsed.
                fingerprints.push(c.fingerprint);
                slots.push(Some(c.parsed));
                continue;
            }
            let fp = source_fingerprint(&f);
            fingerprints.push(fp);
            match cached {
                Some(c) if c.fingerprint == fp => slots.push(Some(c.parsed)),
                _ => {
                    todo.push((slots.len(), f));
                    slots.push(None);
                }
            }
        }
        // Whatever is left in the cache was deleted or renamed.
        self.parsed.clear();
        let md = config.markdown;
        let (idx, files): (Vec<usize>, Vec<SourceFile>) = todo.into_iter().unzip();
        let fresh: Vec<ParsedFile> = files
            .into_par_iter()
            .map(|f| parse::parse_file(f, md))
            .collect();
        for (i, p) in idx.into_iter().zip(fresh) {
            slots[i] = Some(p);
        }
        let mut files: Vec<ParsedFile> = slots.into_iter().flatten().collect();
        // After the parsed files (whose fingerprints and stamps line up with them, and
        // which alone are kept): files found but not read count as failed parses, so
        // their ids stay known.
        files.extend(tree.unread.into_iter().map(|(rel, kind)| ParsedFile {
            rel,
            kind,
            parsed: parse::Parsed::Failed,
            diags: Vec::new(),
            text: String::new(),
        }));
        Ok(Parsed {
            files,
            fingerprints,
            stamps: tree.stamps.iter().map(|&(s, _)| s).collect(),
        })
    }

    /// Keeps the parses of a run for the next one (assembly only borrowed them).
    pub(super) fn keep(&mut self, parsed: Parsed) {
        let Parsed {
            files,
            fingerprints,
            stamps,
        } = parsed;
        for ((mut p, fingerprint), stamp) in files.into_iter().zip(fingerprints).zip(stamps) {
            // The source is kept only to quote the file's own problems: a later run that
            // reports one of a clean file (an assembly error) reads it again from disk,
            // where it is unchanged, or the watcher would have it parsed again. At 10,000
            // pages this is 36 MB of serve's memory.
            if p.diags.is_empty() {
                p.text = String::new();
            }
            self.parsed.insert(
                p.rel.clone(),
                CachedParse {
                    fingerprint,
                    stamp,
                    parsed: p,
                },
            );
        }
    }
}

/// A source file's fingerprint: its path, its kind and its bytes.
fn source_fingerprint(f: &SourceFile) -> u128 {
    let kind = format!("{:?}", f.kind);
    fingerprint_parts([f.rel.as_bytes(), kind.as_bytes(), &f.bytes])
}

/// The loaded theme, with the diagnostics its loading produced (reported on every run).
pub(super) struct LoadedTheme {
    name: String,
    pub theme: Theme,
    pub diags: Vec<Diagnostic>,
}

impl LoadedTheme {
    /// The theme for `config`, loaded again when `stale` or when the site names another
    /// theme. Returns whether it was loaded again (the output then needs every page).
    pub(super) fn refresh(
        slot: &mut Option<LoadedTheme>,
        root: &Path,
        config: &SiteConfig,
        stale: bool,
    ) -> bool {
        if !stale && slot.as_ref().is_some_and(|t| t.name == config.theme) {
            return false;
        }
        let mut diags = Vec::new();
        let theme = theme::load(root, &config.theme, config.theme_pos, &mut diags);
        *slot = Some(LoadedTheme {
            name: config.theme.clone(),
            theme,
            diags,
        });
        true
    }
}
