//! Incremental rebuilds for `rungs serve`: the same pipeline as `rungs build`, with a
//! cache of what depends on a single file and a record of what is already on disk.
//!
//! A rebuild
//! 1. reloads `site.toml` and walks `content/`, re-parsing only the files whose bytes
//!    changed (a parse is pure and per file, see [`crate::parse`]);
//! 2. re-runs assembly from scratch: it is fast, and caching it is how Zola's partial
//!    rebuilds went stale;
//! 3. compares the new framework with the one the output on disk was built from
//!    ([`crate::delta`]). When the edit changed behaviours, bodies, attributes, titles or
//!    summaries, only the pages that show them are rendered ([`crate::plan::affected`]),
//!    plus the exports they feed; anything structural (a new level, a new theme, the
//!    settings) renders the whole site through the same staging writer as `rungs build`;
//! 4. writes only the files whose bytes changed and removes the ones that disappeared.
//!
//! A rebuild with errors writes nothing, so the last good site stays on disk. The
//! invariant, tested in `tests/serve.rs`: after any sequence of edits the output folder
//! holds exactly what a clean `rungs build` of the same files writes. With
//! [`Session::verify_dependencies`] the test also renders every page after every edit and
//! fails when one the page rules skipped came out different.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::delta::{self, Delta, Touched};
use crate::diagnostics::{self, Diagnostic, Pos, Sources};
use crate::discover::{self, SourceFile};
use crate::export;
use crate::markdown::MarkdownOptions;
use crate::model::Framework;
use crate::parse::ParsedFile;
use crate::plan::{self, PagePlan, affected::Impact};
use crate::render::{self, Artifact};
use crate::search::SearchState;
use crate::site::{self, Overrides};
use crate::theme::{self, Theme};
use crate::write;

/// What changed on disk since the last rebuild, as the watcher saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Site-relative paths (`content/levels/expert/senior.md`), for the terminal line.
    pub paths: BTreeSet<String>,
    /// Templates, themes, static files or `site.toml` changed: reload the theme.
    pub theme: bool,
    /// The watcher lost track (an overflow, a rescan): assume everything changed.
    pub all: bool,
}

impl Changes {
    /// Everything, as for the first build.
    pub fn everything() -> Self {
        Changes {
            all: true,
            theme: true,
            ..Changes::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.all && !self.theme
    }

    /// A short description such as `content/levels/x.md` or `3 files`.
    pub fn describe(&self) -> String {
        match self.paths.len() {
            0 if self.all => "everything".into(),
            0 => "nothing".into(),
            1 => self.paths.iter().next().cloned().unwrap_or_default(),
            n => {
                let first = self.paths.iter().next().cloned().unwrap_or_default();
                format!("{first} and {} more", n - 1)
            }
        }
    }
}

/// How open browsers should react to a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// The output did not change.
    None,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// Reload the page.
    Full,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Outcome {
    /// Every problem found, as `rungs build` would report it.
    pub diags: Vec<Diagnostic>,
    /// Source texts for quoting lines in diagnostics.
    pub sources: Sources,
    /// Whether the output was updated (false: errors, the last good output stays).
    pub ok: bool,
    /// Pages in the site and pages re-rendered by this rebuild.
    pub pages: usize,
    pub rendered: usize,
    /// Output paths written and removed.
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub elapsed: Duration,
    /// The path the site lives under (`/` or `/careers/`, from `base_url`); empty when
    /// the rebuild failed.
    pub base_path: String,
    /// How long each stage took, for `RUNGS_TIMINGS=1` and the rebuild benchmark.
    pub stages: Vec<laps::Lap>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        diagnostics::has_errors(&self.diags)
    }

    pub fn reload(&self) -> Reload {
        let changed = || self.written.iter().chain(&self.removed);
        if changed().next().is_none() {
            Reload::None
        } else if changed().all(|p| p.ends_with(".css")) {
            Reload::Css
        } else {
            Reload::Full
        }
    }
}

/// Stage timings of the rebuild running on this thread, for [`Outcome::stages`].
mod laps {
    use std::cell::RefCell;
    use std::time::{Duration, Instant};

    pub type Lap = (&'static str, Duration);

    #[derive(Default)]
    struct Laps {
        last: Option<Instant>,
        laps: Vec<Lap>,
    }

    thread_local! {
        static LAPS: RefCell<Laps> = RefCell::new(Laps::default());
    }

    pub fn start() {
        LAPS.with(|l| {
            *l.borrow_mut() = Laps {
                last: Some(Instant::now()),
                laps: Vec::new(),
            }
        });
    }

    /// Ends the stage called `stage`.
    pub fn lap(stage: &'static str) {
        LAPS.with(|l| {
            let mut l = l.borrow_mut();
            let now = Instant::now();
            if let Some(t) = l.last.replace(now) {
                l.laps.push((stage, now - t));
            }
        });
    }

    pub fn take() -> Vec<Lap> {
        LAPS.with(|l| std::mem::take(&mut l.borrow_mut().laps))
    }
}

/// A cached parse, valid while the file's kind and bytes are the same.
struct CachedParse {
    fingerprint: u128,
    /// The file's stamp when it was read.
    stamp: Option<discover::Stamp>,
    parsed: ParsedFile,
}

/// A loaded theme with the diagnostics its loading produced (re-reported every rebuild).
struct LoadedTheme {
    name: String,
    theme: Theme,
    diags: Vec<Diagnostic>,
}

/// The state `serve` keeps between rebuilds. A plain value: no globals.
pub struct Session {
    root: PathBuf,
    out: PathBuf,
    overrides: Overrides,
    markdown: Option<MarkdownOptions>,
    parsed: HashMap<String, CachedParse>,
    theme: Option<LoadedTheme>,
    /// Output path -> fingerprint of the bytes on disk. Empty means "unknown": the next
    /// rebuild renders everything through the staging writer of `rungs build`, which
    /// compares with the disk and sweeps stale files.
    on_disk: HashMap<String, u128>,
    /// The framework the output on disk was built from (the last rebuild that succeeded).
    last_good: Option<Framework>,
    /// framework.json and the CSV by level, to rebuild only the levels an edit touched.
    exports: export::ExportState,
    /// The search index, updated in proportion to an edit.
    search: SearchState,
    /// Re-render every page after each rebuild and fail if one the page rules skipped
    /// came out different (tests).
    verify: bool,
}

impl Session {
    /// A session building `root` into `out` (a folder rungs owns; see [`write`]).
    pub fn new(root: &Path, out: &Path, overrides: Overrides) -> Self {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            overrides,
            markdown: None,
            parsed: HashMap::new(),
            theme: None,
            on_disk: HashMap::new(),
            last_good: None,
            exports: export::ExportState::new(),
            search: SearchState::new(),
            verify: false,
        }
    }

    /// Checks the page dependency rules ([`plan::affected`]) on every rebuild: all pages
    /// are rendered again, and a page that was skipped but renders differently is an
    /// error. For tests; it makes every rebuild as slow as a full build.
    pub fn verify_dependencies(mut self) -> Self {
        self.verify = true;
        self
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Forgets what is on disk, so the next rebuild compares everything (after an I/O error).
    pub fn forget_output(&mut self) {
        self.on_disk.clear();
        self.last_good = None;
    }

    /// Rebuilds after `changes`. `Err` only when the output cannot be written; a broken
    /// framework is an `Outcome` with diagnostics and `ok == false`.
    pub fn rebuild(&mut self, changes: &Changes) -> io::Result<Outcome> {
        let start = Instant::now();
        let result = self.rebuild_inner(changes, start);
        if result.is_err() {
            self.forget_output();
        }
        result
    }

    fn rebuild_inner(&mut self, changes: &Changes, start: Instant) -> io::Result<Outcome> {
        laps::start();
        let mut diags = Vec::new();
        let mut sources = Sources::new();
        let config = site::load_config(&self.root, &self.overrides, &mut diags, &mut sources);
        if self.markdown != Some(config.markdown) {
            self.parsed.clear();
            self.markdown = Some(config.markdown);
        }
        // A file the watcher did not report and whose stamp is the one it had when it was
        // parsed is not read again.
        let cache = &self.parsed;
        let known = |rel: &str, stamp: &discover::Stamp| {
            !changes.all
                && !changes.paths.contains(rel)
                && cache.get(rel).is_some_and(|c| c.stamp == Some(*stamp))
        };
        let tree = match discover::discover_with(&self.root, &known) {
            Ok(t) => t,
            Err(e) => {
                // Mid-checkout, content/ can vanish for a moment: report, keep serving.
                diags.push(Diagnostic::error("content", Pos::START, e.to_string()));
                return Ok(failed(&self.root, diags, sources, start));
            }
        };
        diags.extend(tree.diags);
        laps::lap("discover");
        let (parsed, fingerprints) = self.parse_changed(tree.files, &tree.stamps, &config);
        laps::lap("parse");

        let theme_stale = changes.all
            || changes.theme
            || self.theme.as_ref().is_none_or(|t| t.name != config.theme);
        if theme_stale {
            let mut theme_diags = Vec::new();
            let theme = theme::load(&self.root, &config.theme, &mut theme_diags);
            self.theme = Some(LoadedTheme {
                name: config.theme.clone(),
                theme,
                diags: theme_diags,
            });
            // The output on disk was rendered with the old theme: whatever this rebuild
            // finds, the next one to succeed renders everything.
            self.last_good = None;
        }
        laps::lap("theme");
        let mut loaded = site::assemble_parsed(&self.root, config, &parsed, diags, sources);
        // Hand the parses back to the cache (assembly only borrowed them).
        for ((p, fingerprint), &(stamp, _)) in
            parsed.into_iter().zip(fingerprints).zip(&tree.stamps)
        {
            self.parsed.insert(
                p.rel.clone(),
                CachedParse {
                    fingerprint,
                    stamp,
                    parsed: p,
                },
            );
        }
        laps::lap("assemble");
        let Some(lt) = self.theme.as_ref() else {
            return Ok(failed(&self.root, loaded.diags, loaded.sources, start));
        };
        loaded.diags.extend(lt.diags.iter().cloned());
        let (false, Some(fw)) = (loaded.has_errors(), loaded.framework.take()) else {
            return Ok(failed(&self.root, loaded.diags, loaded.sources, start));
        };

        // What changed since the output on disk was built.
        let delta = match &self.last_good {
            Some(old) if !theme_stale && !self.on_disk.is_empty() => delta::diff(old, &fw),
            _ => Delta::Everything,
        };
        laps::lap("diff");
        let result = match &delta {
            Delta::Everything => self.rebuild_everything(&fw, &mut loaded.diags)?,
            Delta::Parts(t) => self.rebuild_parts(&fw, t, &mut loaded.diags)?,
        };
        diagnostics::normalize(&mut loaded.diags);
        let Some((pages, rendered, written, removed)) = result else {
            return Ok(failed(&self.root, loaded.diags, loaded.sources, start));
        };
        if self.verify {
            self.check_dependencies(&fw, &delta)?;
        }
        let base_path = fw.config.base_path();
        self.last_good = Some(fw);
        Ok(Outcome {
            diags: loaded.diags,
            sources: loaded.sources,
            ok: true,
            pages,
            rendered,
            written,
            removed,
            elapsed: start.elapsed(),
            base_path,
            stages: laps::take(),
        })
    }

    /// Renders the whole site exactly as `rungs build` does: through a staging folder
    /// that is compared with the output and moved into place only if everything rendered.
    /// For the first build, a new theme, and edits that change what every page shows.
    fn rebuild_everything(
        &mut self,
        fw: &Framework,
        diags: &mut Vec<Diagnostic>,
    ) -> io::Result<Option<Built>> {
        let Some(theme) = self.theme.as_ref().map(|t| &t.theme) else {
            return Ok(None);
        };
        // The exports are made whole by fresh states, which replace the session's only
        // if the output is written (until then the old ones still describe the disk).
        let (mut exports, mut search) = (export::ExportState::new(), SearchState::new());
        let staging = write::Staging::begin(&self.out)?;
        let hashes: Mutex<HashMap<String, u128>> = Mutex::new(HashMap::new());
        let before = diags.len();
        let sink = |a: Artifact| {
            lock(&hashes).insert(a.path.clone(), fingerprint(&a.bytes));
            staging.put(a)
        };
        let rendered = render::render_site_with(fw, theme, diags, &sink, &mut |pages, sink| {
            for a in exports.update(fw, pages, None) {
                sink(a)?;
            }
            for a in search.update(fw).changed {
                sink(a)?;
            }
            Ok(())
        });
        let pages = match rendered {
            Ok(n) => n,
            Err(e) => {
                staging.abort();
                return Err(e);
            }
        };
        laps::lap("render everything");
        if diagnostics::has_errors(&diags[before..]) {
            staging.abort();
            return Ok(None);
        }
        let committed = staging.commit_listing()?;
        self.on_disk = hashes.into_inner().unwrap_or_else(|e| e.into_inner());
        self.exports = exports;
        self.search = search;
        laps::lap("commit");
        Ok(Some((pages, pages, committed.written, committed.removed)))
    }

    /// Renders only the pages [`plan::affected`] says may show what changed, and the
    /// exports; writes the files whose bytes differ.
    fn rebuild_parts(
        &mut self,
        fw: &Framework,
        touched: &Touched,
        diags: &mut Vec<Diagnostic>,
    ) -> io::Result<Option<Built>> {
        let Some(theme) = self.theme.as_ref().map(|t| &t.theme) else {
            return Ok(None);
        };
        let pages = plan::plan(fw);
        let (exports, search) = (&mut self.exports, &mut self.search);
        let impact = Impact::new(fw, touched);
        let targets: Vec<&PagePlan> = pages.iter().filter(|p| impact.affects(p)).collect();
        laps::lap("plan");
        let (results, exports) = rayon::join(
            || {
                targets
                    .par_iter()
                    .map(|p| render::render_page(fw, theme, p))
                    .collect::<Vec<_>>()
            },
            || {
                let out = exports.update(fw, &pages, Some(&touched.export_levels()));
                (out, search.update(fw))
            },
        );
        laps::lap("render");
        let mut fresh = Vec::with_capacity(results.len() + exports.0.len());
        let mut failed: BTreeMap<String, Diagnostic> = BTreeMap::new();
        for r in results {
            match r {
                Ok(a) => fresh.push(a),
                Err(d) => {
                    failed.entry(d.file.clone()).or_insert(d);
                }
            }
        }
        let rendered = fresh.len();
        let failures = !failed.is_empty();
        diags.extend(failed.into_values());
        if failures || diagnostics::has_errors(diags) {
            // The states have moved on to a framework whose output was not written.
            self.exports = export::ExportState::new();
            self.search = SearchState::new();
            return Ok(None);
        }
        // Files not produced again keep their bytes: every page not re-rendered, and the
        // exports this kind of change leaves alone. The search index is produced whole,
        // so its files that are not produced any more go.
        let (exports, search) = exports;
        let fresh_paths: HashSet<&str> = fresh.iter().map(|a| a.path.as_str()).collect();
        let exported: HashSet<&str> = exports.iter().map(|a| a.path.as_str()).collect();
        // The search index says which of its files it still produces.
        let mut kept: Vec<String> = self
            .on_disk
            .keys()
            .filter(|p| !fresh_paths.contains(p.as_str()) && !exported.contains(p.as_str()))
            .filter(|p| !(p.starts_with("search/") && p.ends_with(".js")))
            .cloned()
            .collect();
        kept.extend(search.unchanged);
        drop(fresh_paths);
        drop(exported);
        fresh.extend(exports);
        fresh.extend(search.changed);
        let (written, removed) = self.write_changed(fresh, kept)?;
        laps::lap("write");
        Ok(Some((pages.len(), rendered, written, removed)))
    }

    /// With verification on: renders every page and export again and fails if any differs
    /// from what is on disk (a page the dependency rules should have selected).
    fn check_dependencies(&self, fw: &Framework, delta: &Delta) -> io::Result<()> {
        let Some(theme) = self.theme.as_ref().map(|t| &t.theme) else {
            return Ok(());
        };
        let mut diags = Vec::new();
        let expected: Mutex<HashMap<String, u128>> = Mutex::new(HashMap::new());
        render::render_site_to(fw, theme, &mut diags, &|a| {
            lock(&expected).insert(a.path, fingerprint(&a.bytes));
            Ok(())
        })?;
        let expected = expected.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut stale: Vec<&String> = expected
            .iter()
            .filter(|(p, h)| self.on_disk.get(*p) != Some(h))
            .map(|(p, _)| p)
            .collect();
        stale.extend(self.on_disk.keys().filter(|p| !expected.contains_key(*p)));
        stale.sort();
        if stale.is_empty() {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "incremental rebuild left stale files after {delta:?}: {stale:?}"
            )))
        }
    }

    /// Parses the files whose bytes changed; reuses the cached parse of the others. The
    /// result is in discovery order, exactly as `site::load` would pass it on, with each
    /// file's fingerprint.
    fn parse_changed(
        &mut self,
        files: Vec<SourceFile>,
        stamps: &[(Option<discover::Stamp>, bool)],
        config: &crate::config::SiteConfig,
    ) -> (Vec<ParsedFile>, Vec<u128>) {
        let mut slots: Vec<Option<ParsedFile>> = Vec::with_capacity(files.len());
        let mut fingerprints = Vec::with_capacity(files.len());
        let mut todo: Vec<(usize, SourceFile)> = Vec::new();
        for (f, &(_, was_read)) in files.into_iter().zip(stamps) {
            let cached = self.parsed.remove(&f.rel);
            if !was_read && let Some(c) = cached {
                // Not read: discovery found it unchanged since `c` was parsed.
                fingerprints.push(c.fingerprint);
                slots.push(Some(c.parsed));
                continue;
            }
            let fp = source_fingerprint(&f.rel, &f.kind, &f.bytes);
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
        let (idx, files): (Vec<usize>, Vec<SourceFile>) = todo.into_iter().unzip();
        for (i, p) in idx.into_iter().zip(site::parse_all(files, config)) {
            slots[i] = Some(p);
        }
        (slots.into_iter().flatten().collect(), fingerprints)
    }

    /// Writes the artifacts whose bytes differ from what is on disk, then removes the
    /// files neither written nor `kept` (unchanged files not produced again).
    fn write_changed(
        &mut self,
        fresh: Vec<Artifact>,
        kept: Vec<String>,
    ) -> io::Result<(Vec<String>, Vec<String>)> {
        let on_disk = &self.on_disk;
        let out = &self.out;
        let results: Vec<io::Result<(String, u128, bool)>> = fresh
            .into_par_iter()
            .map(|a| {
                let h = fingerprint(&a.bytes);
                let changed = on_disk.get(&a.path) != Some(&h);
                if changed {
                    write::write_one(out, &a)?;
                }
                Ok((a.path, h, changed))
            })
            .collect();
        let mut written = Vec::new();
        let mut present: HashMap<String, u128> = HashMap::with_capacity(self.on_disk.len());
        for r in results {
            let (path, h, changed) = r?;
            if changed {
                written.push(path.clone());
            }
            present.insert(path, h);
        }
        for p in kept {
            if let Some(h) = self.on_disk.get(&p) {
                present.insert(p, *h);
            }
        }
        let mut removed: Vec<String> = self
            .on_disk
            .keys()
            .filter(|p| !present.contains_key(*p))
            .cloned()
            .collect();
        removed.sort();
        for p in &removed {
            remove_output_file(&self.out, p)?;
        }
        self.on_disk = present;
        written.sort();
        Ok((written, removed))
    }
}

/// Pages in the site, pages rendered, output paths written and removed.
type Built = (usize, usize, Vec<String>, Vec<String>);

fn failed(
    root: &Path,
    mut diags: Vec<Diagnostic>,
    mut sources: Sources,
    start: Instant,
) -> Outcome {
    diagnostics::normalize(&mut diags);
    crate::build::read_quoted_sources(root, &diags, &mut sources);
    Outcome {
        diags,
        sources,
        ok: false,
        pages: 0,
        rendered: 0,
        written: Vec::new(),
        removed: Vec::new(),
        elapsed: start.elapsed(),
        base_path: String::new(),
        stages: laps::take(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A 128-bit fingerprint of some bytes (XXH3: fast enough to run over every byte served).
fn fingerprint(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A source file's fingerprint: its path, its kind and its bytes.
fn source_fingerprint(rel: &str, kind: &discover::Kind, bytes: &[u8]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(rel.as_bytes());
    h.update(format!("\0{kind:?}\0").as_bytes());
    h.update(bytes);
    h.digest128()
}

/// Removes one output file and the folders it leaves empty.
fn remove_output_file(out: &Path, rel: &str) -> io::Result<()> {
    let path = out.join(rel);
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => std::fs::remove_file(&path)?,
        // A folder now stands where the file was (a page replaced a static file).
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}
