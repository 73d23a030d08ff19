//! Incremental rebuilds for `rungs serve`: the same pipeline as `rungs build`, with a
//! cache of what depends on a single file and a record of what is already on disk.
//!
//! A rebuild
//! 1. reloads `site.toml` and walks `content/` (cheap I/O), re-parsing only the files whose
//!    bytes changed (a parse is pure and per file, see [`crate::parse`]);
//! 2. re-runs the cross-file stages (assemble, plan) from scratch: they are fast, and
//!    caching them is how Zola's partial rebuilds went stale;
//! 3. reloads the theme only when `templates/`, `themes/`, `static/` or `site.toml` changed,
//!    bumping a *theme generation*;
//! 4. hashes each page's template context together with its template name and the theme
//!    generation, and re-renders only the pages whose hash changed;
//! 5. writes only the artifacts whose bytes changed and removes the ones that disappeared.
//!
//! A rebuild with errors writes nothing, so the last good site stays on disk. The
//! invariant, tested in `tests/serve.rs`: after any sequence of edits the output folder
//! holds exactly what a clean `rungs build` of the same files writes.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{self, Diagnostic, Pos, Sources};
use crate::discover::{self, SourceFile};
use crate::export;
use crate::markdown::MarkdownOptions;
use crate::parse::{Parsed, ParsedFile};
use crate::plan;
use crate::render::{self, Artifact};
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
    /// How long each stage took, for `RUNGS_TIMINGS=1` and the rebuild benchmark.
    pub stages: Vec<(&'static str, Duration)>,
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

mod laps {
    use std::cell::RefCell;
    use std::time::{Duration, Instant};

    thread_local! {
        static LAPS: RefCell<(Option<Instant>, Vec<(&'static str, Duration)>)> = const { RefCell::new((None, Vec::new())) };
    }

    pub fn start() {
        LAPS.with(|l| *l.borrow_mut() = (Some(Instant::now()), Vec::new()));
    }

    pub fn lap(stage: &'static str) {
        LAPS.with(|l| {
            let mut l = l.borrow_mut();
            let now = Instant::now();
            if let Some(t) = l.0.replace(now) {
                l.1.push((stage, now - t));
            }
        });
    }

    pub fn take() -> Vec<(&'static str, Duration)> {
        LAPS.with(|l| std::mem::take(&mut l.borrow_mut().1))
    }
}

/// A cached parse, valid while the file's kind and bytes are the same.
struct CachedParse {
    fingerprint: u128,
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
    hasher: Fingerprinter,
    markdown: Option<MarkdownOptions>,
    parsed: HashMap<String, CachedParse>,
    theme: Option<LoadedTheme>,
    generation: u64,
    /// Output path -> hash of the inputs the page on disk was rendered from.
    inputs: HashMap<String, u128>,
    /// Output path -> hash of the bytes on disk. Empty means "unknown": the next rebuild
    /// renders everything and writes through [`write::write_output`], which compares with
    /// the disk and sweeps stale files.
    on_disk: HashMap<String, u128>,
    /// The settings of the last rebuild that succeeded (`None` after a failure), for the
    /// body-only fast path.
    last_good: Option<crate::config::SiteConfig>,
}

/// What parsing found changed since the last rebuild.
#[derive(Default)]
struct Delta {
    /// The previous parse of every file whose bytes changed.
    replaced: Vec<ParsedFile>,
    /// A file appeared or disappeared.
    added_or_removed: bool,
}

impl Session {
    /// A session building `root` into `out` (a folder rungs owns; see [`write`]).
    pub fn new(root: &Path, out: &Path, overrides: Overrides) -> Self {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            overrides,
            hasher: Fingerprinter::new(),
            markdown: None,
            parsed: HashMap::new(),
            theme: None,
            generation: 0,
            inputs: HashMap::new(),
            on_disk: HashMap::new(),
            last_good: None,
        }
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Forgets what is on disk, so the next rebuild compares everything (after an I/O error).
    pub fn forget_output(&mut self) {
        self.inputs.clear();
        self.on_disk.clear();
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
        let tree = match discover::discover(&self.root) {
            Ok(t) => t,
            Err(e) => {
                // Mid-checkout, content/ can vanish for a moment: report, keep serving.
                diags.push(Diagnostic::error("content", Pos::START, e.to_string()));
                return Ok(self.failed(diags, sources, start));
            }
        };
        diags.extend(tree.diags);
        laps::lap("discover");
        if self.markdown != Some(config.markdown) {
            self.parsed.clear();
            self.markdown = Some(config.markdown);
        }
        let (parsed, fingerprints, delta) = self.parse_changed(tree.files, &config);
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
            self.generation += 1;
        }

        // A rebuild that fails leaves no "last good" settings, so the next one runs in full.
        let prev_good = self.last_good.take();
        let body_only =
            if theme_stale || delta.added_or_removed || prev_good.as_ref() != Some(&config) {
                None
            } else {
                body_only_edits(&delta.replaced, &parsed)
            };
        let config_now = config.clone();
        laps::lap("theme");
        let mut loaded = site::assemble_parsed(&self.root, config, &parsed, diags, sources);
        laps::lap("assemble");
        // Hand the parses back to the cache (assembly only borrowed them).
        for (p, fingerprint) in parsed.into_iter().zip(fingerprints) {
            self.parsed.insert(
                p.rel.clone(),
                CachedParse {
                    fingerprint,
                    parsed: p,
                },
            );
        }
        let Some(lt) = self.theme.as_ref() else {
            return Ok(self.failed(loaded.diags, loaded.sources, start));
        };
        loaded.diags.extend(lt.diags.iter().cloned());
        let (false, Some(fw)) = (loaded.has_errors(), loaded.framework.as_ref()) else {
            diagnostics::normalize(&mut loaded.diags);
            return Ok(self.failed(loaded.diags, loaded.sources, start));
        };

        if let Some(targets) = body_only.filter(|_| !self.on_disk.is_empty()) {
            let outcome = self.rebuild_bodies(fw, &targets, loaded.diags, loaded.sources, start)?;
            if outcome.ok {
                self.last_good = Some(config_now);
            }
            return Ok(outcome);
        }

        // Plan and render, mirroring `render::render_site`.
        let pages = plan::plan(fw);
        let full = self.on_disk.is_empty();
        let generation = self.generation;
        let hasher = &self.hasher;
        let inputs = &self.inputs;
        // The exports (framework.json, CSV, search index) are rebuilt while the page
        // contexts are hashed, as in a full build.
        let (results, exports): (Vec<PageResult>, _) = rayon::join(
            || {
                pages
                    .par_iter()
                    .map(|page| {
                        let value = plan::context(fw, page);
                        let key = hasher.context(generation, page.template, &page.path, &value);
                        if !full && inputs.get(&page.path) == Some(&key) {
                            return Ok(None);
                        }
                        render::render_value(&lt.theme, page, &value).map(|a| Some((a, key)))
                    })
                    .collect()
            },
            || export::artifacts(fw, &pages),
        );
        let mut fresh: Vec<(Artifact, Option<u128>)> = Vec::new();
        let mut failed: BTreeMap<String, Diagnostic> = BTreeMap::new();
        let mut kept: BTreeSet<&str> = BTreeSet::new();
        for (page, r) in pages.iter().zip(results) {
            match r {
                Ok(Some((a, key))) => fresh.push((a, Some(key))),
                Ok(None) => {
                    kept.insert(page.path.as_str());
                }
                Err(d) => {
                    failed.entry(d.file.clone()).or_insert(d);
                }
            }
        }
        laps::lap("plan, render, export");
        let rendered = fresh.len();
        loaded.diags.extend(failed.into_values());
        diagnostics::normalize(&mut loaded.diags);
        if loaded.has_errors() {
            return Ok(self.failed(loaded.diags, loaded.sources, start));
        }
        fresh.extend(
            exports
                .into_iter()
                .chain(render::static_artifacts(&lt.theme))
                .map(|a| (a, None)),
        );

        let (written, removed) = if full {
            self.write_all(fresh)?
        } else {
            self.write_changed(fresh, &kept)?
        };
        laps::lap("write");
        self.last_good = Some(config_now);
        Ok(Outcome {
            diags: loaded.diags,
            sources: loaded.sources,
            ok: true,
            pages: pages.len(),
            rendered,
            written,
            removed,
            elapsed: start.elapsed(),
            stages: laps::take(),
        })
    }

    /// The fast path for edits that changed only the Markdown body of levels or
    /// competencies: a body appears on its own page and in the search index, nowhere
    /// else (framework.json, the CSV and every other context leave it out), so only
    /// those are rebuilt. Anything else takes the full path; `tests/serve.rs` checks
    /// after every random edit that the output equals a clean build.
    fn rebuild_bodies(
        &mut self,
        fw: &crate::model::Framework,
        targets: &BodyEdits,
        mut diags: Vec<Diagnostic>,
        sources: Sources,
        start: Instant,
    ) -> io::Result<Outcome> {
        let pages = plan::plan(fw);
        let is_target = |page: &plan::PagePlan| match page.kind {
            plan::PageKind::Level(i) => targets.levels.contains(fw.levels[i].id.as_str()),
            plan::PageKind::Competency(i) => targets
                .competencies
                .contains(fw.competencies[i].id.as_str()),
            _ => false,
        };
        let mut fresh: Vec<(Artifact, Option<u128>)> = Vec::new();
        let mut rerendered: BTreeSet<String> = BTreeSet::new();
        let Some(theme) = self.theme.as_ref().map(|t| &t.theme) else {
            return Ok(self.failed(diags, sources, start));
        };
        for page in pages.iter().filter(|p| is_target(p)) {
            let value = plan::context(fw, page);
            let key = self
                .hasher
                .context(self.generation, page.template, &page.path, &value);
            match render::render_value(theme, page, &value) {
                Ok(a) => {
                    rerendered.insert(page.path.clone());
                    fresh.push((a, Some(key)));
                }
                Err(d) => diags.push(d),
            }
        }
        diagnostics::normalize(&mut diags);
        if diagnostics::has_errors(&diags) {
            return Ok(self.failed(diags, sources, start));
        }
        laps::lap("plan, render");
        let rendered = fresh.len();
        fresh.extend(crate::search::artifacts(fw).into_iter().map(|a| (a, None)));
        // Everything else on disk stays as it is; the search index is rebuilt whole (its
        // files that are not produced again are removed).
        let page_paths: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        let keep_owned: Vec<String> = self
            .on_disk
            .keys()
            .filter(|p| !rerendered.contains(*p))
            .filter(|p| !p.starts_with("search/") || page_paths.contains(p.as_str()))
            .cloned()
            .collect();
        let kept: BTreeSet<&str> = keep_owned.iter().map(String::as_str).collect();
        laps::lap("search");
        let (written, removed) = self.write_changed(fresh, &kept)?;
        laps::lap("write");
        Ok(Outcome {
            diags,
            sources,
            ok: true,
            pages: pages.len(),
            rendered,
            written,
            removed,
            elapsed: start.elapsed(),
            stages: laps::take(),
        })
    }

    fn failed(&self, mut diags: Vec<Diagnostic>, sources: Sources, start: Instant) -> Outcome {
        diagnostics::normalize(&mut diags);
        Outcome {
            diags,
            sources,
            ok: false,
            pages: 0,
            rendered: 0,
            written: Vec::new(),
            removed: Vec::new(),
            elapsed: start.elapsed(),
            stages: laps::take(),
        }
    }

    /// Parses the files whose bytes changed; reuses the cached parse of the others. The
    /// result is in discovery order, exactly as `site::load` would pass it on, with each
    /// file's fingerprint.
    fn parse_changed(
        &mut self,
        files: Vec<SourceFile>,
        config: &crate::config::SiteConfig,
    ) -> (Vec<ParsedFile>, Vec<u128>, Delta) {
        let mut slots: Vec<Option<ParsedFile>> = Vec::with_capacity(files.len());
        let mut fingerprints = Vec::with_capacity(files.len());
        let mut todo: Vec<(usize, SourceFile)> = Vec::new();
        let mut delta = Delta::default();
        for f in files {
            let fp = self.hasher.source(&f.rel, &f.kind, &f.bytes);
            fingerprints.push(fp);
            match self.parsed.remove(&f.rel) {
                Some(c) if c.fingerprint == fp => slots.push(Some(c.parsed)),
                old => {
                    match old {
                        Some(c) => delta.replaced.push(c.parsed),
                        None => delta.added_or_removed = true,
                    }
                    todo.push((slots.len(), f));
                    slots.push(None);
                }
            }
        }
        // Whatever is left in the cache was deleted or renamed.
        delta.added_or_removed |= !self.parsed.is_empty();
        self.parsed.clear();
        let (idx, files): (Vec<usize>, Vec<SourceFile>) = todo.into_iter().unzip();
        for (i, p) in idx.into_iter().zip(site::parse_all(files, config)) {
            slots[i] = Some(p);
        }
        (slots.into_iter().flatten().collect(), fingerprints, delta)
    }

    /// The first build (or one after an I/O error): the `rungs build` writer, which
    /// compares with the disk and sweeps whatever is stale.
    fn write_all(
        &mut self,
        fresh: Vec<(Artifact, Option<u128>)>,
    ) -> io::Result<(Vec<String>, Vec<String>)> {
        let artifacts: Vec<Artifact> = fresh.iter().map(|(a, _)| a.clone()).collect();
        write::write_output(&self.out, &artifacts)?;
        self.inputs.clear();
        self.on_disk.clear();
        for (a, key) in fresh {
            if let Some(k) = key {
                self.inputs.insert(a.path.clone(), k);
            }
            self.on_disk
                .insert(a.path.clone(), self.hasher.bytes(&a.bytes));
        }
        let mut written: Vec<String> = self.on_disk.keys().cloned().collect();
        written.sort();
        Ok((written, Vec::new()))
    }

    /// Writes the artifacts whose bytes differ from what is on disk, then removes the
    /// files no artifact produced this time (`kept` are unchanged pages not re-rendered).
    fn write_changed(
        &mut self,
        fresh: Vec<(Artifact, Option<u128>)>,
        kept: &BTreeSet<&str>,
    ) -> io::Result<(Vec<String>, Vec<String>)> {
        let hasher = &self.hasher;
        let on_disk = &self.on_disk;
        let out = &self.out;
        let results: Vec<io::Result<Written>> = fresh
            .into_par_iter()
            .map(|(a, key)| {
                let h = hasher.bytes(&a.bytes);
                let changed = on_disk.get(&a.path) != Some(&h);
                if changed {
                    write::write_one(out, &a)?;
                }
                Ok((a.path, key, h, changed))
            })
            .collect();
        let mut written = Vec::new();
        let mut present: HashMap<String, u128> = HashMap::with_capacity(self.on_disk.len());
        for r in results {
            let (path, key, h, changed) = r?;
            if let Some(k) = key {
                self.inputs.insert(path.clone(), k);
            }
            if changed {
                written.push(path.clone());
            }
            present.insert(path, h);
        }
        for p in kept {
            if let Some(h) = self.on_disk.get(*p) {
                present.insert((*p).to_string(), *h);
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
            self.inputs.remove(p);
            remove_output_file(&self.out, p)?;
        }
        self.on_disk = present;
        written.sort();
        Ok((written, removed))
    }
}

/// One artifact after writing: its path, input key, bytes hash, and whether it was written.
type Written = (String, Option<u128>, u128, bool);

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

/// 128-bit fingerprints from two keyed SipHash instances. The keys are random per process,
/// which is fine: fingerprints never leave the process.
struct Fingerprinter {
    a: RandomState,
    b: RandomState,
}

/// Feeds bytes written by `serde_json` straight into two hashers, with no buffer.
struct HashWriter<'a>(&'a mut dyn Hasher, &'a mut dyn Hasher);

impl io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf);
        self.1.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Fingerprinter {
    fn new() -> Self {
        Fingerprinter {
            a: RandomState::new(),
            b: RandomState::new(),
        }
    }

    fn bytes(&self, bytes: &[u8]) -> u128 {
        self.of(|h| h.write(bytes))
    }

    fn source(&self, rel: &str, kind: &discover::Kind, bytes: &[u8]) -> u128 {
        let kind = format!("{rel}\0{kind:?}\0");
        self.of(|h| {
            h.write(kind.as_bytes());
            h.write(bytes);
        })
    }

    /// Hashes what a page's bytes depend on: the theme generation, its template and
    /// path, and its context (serialised once, straight into both hashers).
    fn context(
        &self,
        generation: u64,
        template: &str,
        path: &str,
        value: &serde_json::Value,
    ) -> u128 {
        let mut a = self.a.build_hasher();
        let mut b = self.b.build_hasher();
        for h in [&mut a, &mut b] {
            h.write(&generation.to_le_bytes());
            h.write(template.as_bytes());
            h.write(&[0]);
            h.write(path.as_bytes());
            h.write(&[0]);
        }
        // Serialising a `Value` cannot fail; a failure would only weaken the key.
        let _ = serde_json::to_writer(HashWriter(&mut a, &mut b), value);
        (u128::from(a.finish()) << 64) | u128::from(b.finish())
    }

    fn of(&self, f: impl Fn(&mut dyn Hasher)) -> u128 {
        let mut a = self.a.build_hasher();
        let mut b = self.b.build_hasher();
        f(&mut a);
        f(&mut b);
        (u128::from(a.finish()) << 64) | u128::from(b.finish())
    }
}

/// A page re-rendered (with its context hash), kept as it was (`None`), or failed.
type PageResult = Result<Option<(Artifact, u128)>, Diagnostic>;

/// The levels and competencies whose edit changed nothing but their Markdown body.
#[derive(Default)]
struct BodyEdits {
    levels: BTreeSet<String>,
    competencies: BTreeSet<String>,
}

/// Whether `a` and `b` differ at most in their body (`copy_body` copies it across).
fn same_but_body<T: Clone + PartialEq>(a: &T, b: &T, copy_body: fn(&T, &mut T)) -> bool {
    let mut b = b.clone();
    copy_body(a, &mut b);
    *a == b
}

/// The edits that changed nothing but a level's or competency's Markdown body, or
/// `None` when any change is of another kind (or any file, before or after, has
/// diagnostics).
fn body_only_edits(replaced: &[ParsedFile], parsed: &[ParsedFile]) -> Option<BodyEdits> {
    if replaced.is_empty() {
        return None;
    }
    let mut out = BodyEdits::default();
    for old in replaced {
        let new = parsed.iter().find(|p| p.rel == old.rel)?;
        if !old.diags.is_empty() || !new.diags.is_empty() {
            return None;
        }
        match (&old.parsed, &new.parsed) {
            (Parsed::Level(a), Parsed::Level(b))
                if same_but_body(a, b, |f, t| t.body_html.clone_from(&f.body_html)) =>
            {
                out.levels.insert(a.id.clone());
            }
            (Parsed::Competency(a), Parsed::Competency(b))
                if same_but_body(a, b, |f, t| t.body_html.clone_from(&f.body_html)) =>
            {
                out.competencies.insert(a.id.clone());
            }
            _ => return None,
        }
    }
    Some(out)
}
