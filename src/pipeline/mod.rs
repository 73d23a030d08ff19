//! The one pipeline behind `rungs build`, `rungs check` and `rungs serve`.
//!
//! ```text
//! config    : site.toml                 -> SiteConfig + diagnostics
//! discover  : content/                  -> SourceFiles            (I/O; cache: stamps)
//! parse     : SourceFile                -> ParsedFile + diagnostics (cache: per file)
//! theme     : templates/, themes/, static/ -> Theme               (cache: until they change)
//! assemble  : [ParsedFile]              -> Framework + diagnostics
//! plan      : &Framework                -> [PagePlan], owned paths (static files checked)
//! render    : pages (all, or those an edit reaches) -> Artifacts  (parallel)
//! produce   : exports, search index, static files  -> Artifacts   (beside rendering)
//! write     : Artifacts                 -> Output                 (staged; only changed bytes)
//! ```
//!
//! The three commands differ only in what they pass in and keep. `check` has no output:
//! it stops after planning (rendering pages only when the site brings its own templates,
//! to find their errors) and writes nothing. `build` runs everything once into an output
//! whose contents it does not know. `serve` keeps one [`Pipeline`] for its whole life:
//! the parse and theme caches, the framework its output was built from (to render only
//! the pages an edit reaches, see `delta` and `plan::affected`), the
//! producers' states and the record of what is on disk.
//!
//! Every run ends in one [`Outcome`] with every diagnostic, finished by one function
//! (`diagnostics::finish`), and one [`Timings`] value that the caller prints if it wants.

mod cache;
mod edits;
mod produce;
mod timings;

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::change::{Changes, GroupCache};
use crate::config;
pub use crate::config::Overrides;
use crate::delta::{self, Delta};
use crate::diagnostics::{self, Diagnostic, Sources};
use crate::model::{Expectations, Framework};
use crate::output::{Artifact, Output};
use crate::plan::{self, PagePlan, affected::Impact};
use crate::render;
use cache::{LoadedTheme, ParseCache};
pub use edits::{Edits, Reload};
use produce::Producers;
pub use timings::Timings;

/// What one run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every problem found, sorted.
    pub diags: Vec<Diagnostic>,
    /// Source texts, for quoting lines in diagnostics.
    pub sources: Sources,
    /// Whether the run succeeded: no errors (and, with an output, the output was
    /// updated; otherwise the last good output stays as it was).
    pub ok: bool,
    /// Pages in the site.
    pub pages: usize,
    /// Pages rendered by this run for the output: every page on a full build, the pages
    /// an edit reaches in `serve`, none for `check`.
    pub rendered: usize,
    /// Output paths written (new, or their bytes changed), sorted.
    pub written: Vec<String>,
    /// Output paths removed because the run no longer produces them, sorted.
    pub removed: Vec<String>,
    /// How many files the run produced that were already on disk with the same bytes.
    pub unchanged: usize,
    /// How long the whole run took.
    pub elapsed: Duration,
    /// The path the site lives under (`/` or `/careers/`, from `base_url`), when the run
    /// got as far as reading the settings.
    pub base_path: String,
    /// How long each stage took.
    pub timings: Timings,
    /// How long after the start the pages were on disk and the caller was told, when
    /// that came before the end (see [`Pipeline::run_with`]).
    pub pages_written: Option<Duration>,
}

impl Outcome {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        diagnostics::has_errors(&self.diags)
    }

    /// How open browsers should react.
    pub fn reload(&self) -> Reload {
        Reload::after(&self.written, &self.removed)
    }
}

/// The pipeline and everything it keeps between runs. A plain value: no globals.
pub struct Pipeline {
    root: PathBuf,
    overrides: Overrides,
    /// Where pages go; `None` for `check`, and for `build` until the settings name it.
    output: Option<Output>,
    /// Whether the output folder is the settings' `output_dir` (`rungs build` without
    /// `--out`), known once they are read.
    out_from_config: bool,
    parses: ParseCache,
    theme: Option<LoadedTheme>,
    /// The framework the output on disk was built from (the last run that wrote it).
    last_good: Option<Framework>,
    /// How that framework lists expectations, as its comparisons found (inferred when
    /// framework.yaml does not say, so an edit can change it).
    last_mode: Option<Expectations>,
    producers: Producers,
    /// Whether the producers' states are kept after a run (serve) or dropped to free
    /// their memory (a one-shot build).
    keep_states: bool,
    /// Re-render every page after each run and fail if one that the page rules skipped
    /// came out different (tests).
    verify: bool,
    /// Whether `[changes] since` is read from git (not when reading a past version
    /// itself, or for `rungs diff`).
    read_history: bool,
    /// Past versions already read, by commit: a tag does not change between rebuilds.
    history: std::collections::HashMap<String, Option<std::sync::Arc<Framework>>>,
    /// The comparisons of the last run's cells, so unchanged cells are not aligned and
    /// diffed again (kept only when `keep_states`).
    groups: GroupCache,
    /// The competencies of the last assembly, so unchanged ones are not resolved again
    /// (kept only when `keep_states`).
    assembled: crate::assemble::Memo,
    /// The process exits after this run ([`Pipeline::exiting_after_run`]).
    exiting: bool,
    /// A pause before writing exports after the pages (tests of what waits for them).
    exports_delay: Option<Duration>,
}

impl Pipeline {
    /// A pipeline that checks `root` and writes nothing.
    pub fn check(root: &Path) -> Self {
        Pipeline {
            root: root.to_path_buf(),
            overrides: Overrides::default(),
            output: None,
            out_from_config: false,
            parses: ParseCache::default(),
            theme: None,
            last_good: None,
            last_mode: None,
            producers: Producers::new(false),
            keep_states: false,
            verify: false,
            read_history: true,
            history: std::collections::HashMap::new(),
            groups: GroupCache::default(),
            assembled: crate::assemble::Memo::default(),
            exiting: false,
            exports_delay: None,
        }
    }

    /// A pipeline that builds `root` once into `out`, or into the settings'
    /// `output_dir` (`public` by default) under the root.
    pub fn build(root: &Path, out: Option<&Path>, overrides: Overrides) -> Self {
        Pipeline {
            overrides,
            output: out.map(Output::new),
            out_from_config: out.is_none(),
            ..Pipeline::check(root)
        }
    }

    /// A pipeline that builds `root` into `out` again after every change (`serve`).
    pub fn serve(root: &Path, out: &Path, overrides: Overrides) -> Self {
        Pipeline {
            keep_states: true,
            producers: Producers::new(true),
            ..Pipeline::build(root, Some(out), overrides)
        }
    }

    /// For a process that exits after this run (the command line's `build`): the large
    /// values a run is done with (the framework, every comparison, the search index) are
    /// left for the operating system to reclaim at exit instead of being freed one
    /// allocation at a time, as compilers do. Not for a pipeline that runs again.
    pub fn exiting_after_run(mut self) -> Self {
        self.exiting = true;
        self
    }

    /// Pauses `delay` between telling that the pages are written and writing the data
    /// exports ([`Pipeline::run_with`]), so that tests can see what waits for them.
    pub fn delay_exports(mut self, delay: Duration) -> Self {
        self.exports_delay = Some(delay);
        self
    }

    /// Frees a value this run is done with, unless the process is about to exit
    /// ([`Pipeline::exiting_after_run`]).
    fn release<T>(&self, value: T) {
        if self.exiting {
            std::mem::forget(value);
        } else {
            drop(value);
        }
    }

    /// Checks the page dependency rules (`plan::affected`) on every run: all pages
    /// are rendered again, and a page that was skipped but renders differently is an
    /// error. For tests; it makes every run as slow as a full build.
    pub fn verify_dependencies(mut self) -> Self {
        self.verify = true;
        self
    }

    /// The output folder, if this pipeline writes one.
    pub fn out(&self) -> Option<&Path> {
        self.output.as_ref().map(Output::dir)
    }

    /// Forgets what is on disk and everything built from it, so the next run renders
    /// and compares everything (after an I/O error, or a panic in a run).
    pub fn forget_output(&mut self) {
        if let Some(o) = &mut self.output {
            o.forget();
        }
        self.last_good = None;
        drop(self.producers.take());
        self.groups = GroupCache::default();
        self.assembled = crate::assemble::Memo::default();
    }

    /// Runs the pipeline after `edits` (`Edits::everything()` for a first run).
    /// `Err` only when rungs cannot run (no `content/` folder, an unwritable output);
    /// a broken framework is an `Outcome` with diagnostics and `ok == false`.
    pub fn run(&mut self, edits: &Edits) -> io::Result<Outcome> {
        self.run_with(edits, None)
    }

    /// [`Pipeline::run`], telling `pages_written` as soon as the pages an edit reaches
    /// are on disk, before the data exports are brought up to date (`serve`: browsers
    /// reload while framework.json and framework.csv, 90 MB at 10,000 pages, are
    /// written). Only runs after an edit are split so; a run that produces everything
    /// writes everything at once and never calls it.
    pub fn run_with(&mut self, edits: &Edits, pages_written: Tell<'_>) -> io::Result<Outcome> {
        let result = self.run_inner(edits, pages_written);
        if result.is_err() {
            self.forget_output();
        }
        result
    }

    fn run_inner(&mut self, edits: &Edits, pages_written: Tell<'_>) -> io::Result<Outcome> {
        let mut run = Run::begin();
        let (config, framework) = self.load(edits, &mut run)?;
        let base_path = config.base_path();
        let theme_stale = LoadedTheme::refresh(
            &mut self.theme,
            &self.root,
            &config,
            edits.all || edits.theme,
        );
        if theme_stale {
            // The output on disk was rendered with the old theme: the next run to
            // succeed renders everything.
            self.last_good = None;
        }
        run.timings.lap("theme");
        let theme = self.theme.as_ref().expect("loaded above");
        run.diags.extend(theme.diags.iter().cloned());
        let Some(fw) = framework.filter(|_| !diagnostics::has_errors(&run.diags)) else {
            return Ok(run.finish(&self.root, false, base_path));
        };
        let pages = plan::plan(&fw);
        run.diags.extend(produce::shadowed(&theme.theme, &pages));
        let changes = Changes::compute_with(&fw, Some(&self.groups));
        if self.keep_states {
            self.groups = changes.cache();
        }
        run.timings.lap("plan and compare levels");
        if diagnostics::has_errors(&run.diags) {
            return Ok(run.finish(&self.root, false, base_path));
        }
        let Some(output) = &self.output else {
            // `check`: the built-in theme renders every framework that assembles; a
            // site's own templates are rendered (not written) to find their errors.
            if !theme.theme.is_builtin() {
                render::render_pages(&fw, &changes, &theme.theme, &pages, &mut run.diags, &|_| {
                    Ok(())
                })?;
                run.timings.lap("render (templates checked)");
            }
            let ok = !diagnostics::has_errors(&run.diags);
            let mut outcome = run.finish(&self.root, ok, base_path);
            outcome.pages = pages.len();
            return Ok(outcome);
        };
        let delta = match &self.last_good {
            Some(old) if output.is_known() && self.last_mode == Some(changes.mode()) => {
                match delta::diff(old, &fw) {
                    Delta::Parts(touched) => {
                        let mut touched = changes.reach(&touched);
                        touched.balance_tracks = plan::affected::balance_flips(old, &fw, &touched);
                        Delta::Parts(touched)
                    }
                    Delta::Everything => Delta::Everything,
                }
            }
            _ => Delta::Everything,
        };
        let mode = changes.mode();
        run.timings.lap("diff");
        let written = self.write(&fw, &changes, &pages, &delta, &mut run, pages_written)?;
        self.release(changes);
        run.timings.lap("free comparisons");
        let Some(written) = written else {
            return Ok(run.finish(&self.root, false, base_path));
        };
        if self.verify {
            self.check_dependencies(&fw, &pages, &delta)?;
        }
        if !self.keep_states {
            let states = self.producers.take();
            self.release(states);
        }
        let page_count = pages.len();
        let (old, spent) = if self.keep_states {
            (self.last_good.replace(fw), None)
        } else {
            (self.last_good.take(), Some(fw))
        };
        self.release(spent);
        // The framework this run replaced and the page list are large (every behaviour,
        // every page's plan) and nothing waits for them: freeing them is left to another
        // thread, after the output is written and while the browsers reload.
        drop_later((old, pages));
        self.last_mode = Some(mode);
        run.timings.lap("keep framework");
        let mut outcome = run.finish(&self.root, true, base_path);
        outcome.pages = page_count;
        outcome.rendered = written.rendered;
        outcome.written = written.committed.written;
        outcome.removed = written.committed.removed;
        outcome.unchanged = written.committed.unchanged;
        outcome.pages_written = written.pages_written;
        Ok(outcome)
    }

    /// Renders the pages `delta` reaches, brings the producers up to date and commits
    /// the changed files. `None` when rendering found errors (nothing is written).
    /// With `pages_written`, after an edit: the pages and the search index are
    /// committed first and `pages_written` told, then the exports are written and
    /// committed on their own ([`Pipeline::write_exports`]).
    fn write(
        &mut self,
        fw: &Framework,
        changes: &Changes,
        pages: &[PagePlan],
        delta: &Delta,
        run: &mut Run,
        pages_written: Tell<'_>,
    ) -> io::Result<Option<Written>> {
        let theme = &self.theme.as_ref().expect("loaded").theme;
        let output = self.output.as_mut().expect("a writing pipeline");
        let (targets, scope): (Vec<PagePlan>, _) = match delta {
            Delta::Everything => (pages.to_vec(), produce::Scope::Everything),
            Delta::Parts(touched) => {
                let impact = Impact::new(fw, touched);
                let targets = pages
                    .iter()
                    .filter(|p| impact.affects(p))
                    .cloned()
                    .collect();
                (targets, produce::Scope::Levels(touched.export_levels()))
            }
        };
        let pages_written = pages_written.filter(|_| matches!(scope, produce::Scope::Levels(_)));
        let exports_later = pages_written.is_some();
        run.timings.lap("select pages");
        crate::output::check_location(&self.root, output.dir())?;
        let tx = output.begin()?;
        let sink = |a: Artifact| tx.put(a);
        let parts = |path: &str, parts: &dyn crate::output::Parts| tx.put_parts(path, parts);
        let before = run.diags.len();
        let producers = &mut self.producers;
        let (rendered, produced) = rayon::join(
            || {
                let t = Instant::now();
                let mut diags = Vec::new();
                let n = render::render_pages(fw, changes, theme, &targets, &mut diags, &sink);
                (n, diags, t.elapsed())
            },
            || {
                let t = Instant::now();
                let out = produce::Out {
                    sink: &sink,
                    parts: &parts,
                };
                if exports_later {
                    producers.update_others(fw, theme, &scope, out)
                } else {
                    producers.update(fw, changes, pages, theme, &scope, out)
                }
                .map(|notes| (notes, t.elapsed()))
            },
        );
        let (rendered, render_diags, render_time) = rendered;
        run.diags.extend(render_diags);
        let (notes, produce_time) = produced?;
        run.timings.notes.push(format!(
            "render {:.1} ms beside produce {:.1} ms",
            render_time.as_secs_f64() * 1000.0,
            produce_time.as_secs_f64() * 1000.0
        ));
        let rendered = rendered?;
        run.timings.notes.extend(notes);
        run.timings.lap("render and produce");
        if diagnostics::has_errors(&run.diags[before..]) {
            // The producers moved on to a framework whose output is not written.
            drop(self.producers.take());
            return Ok(None);
        }
        let mut kept: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
        kept.extend(self.producers.paths(theme));
        let committed = tx.commit(&kept);
        let mut committed = output.remember(committed)?;
        run.timings.lap("commit");
        let mut told = None;
        if let Some(tell) = pages_written {
            told = Some(run.start.elapsed());
            let pending = self.producers.export_paths();
            tell(PagesWritten {
                written: &committed.written,
                removed: &committed.removed,
                pending: &pending,
            });
            let later = self.write_exports(fw, changes, pages, &scope, &kept, run)?;
            committed.written.extend(later.written);
            committed.written.sort();
            committed.removed.extend(later.removed);
            committed.removed.sort();
            committed.unchanged += later.unchanged;
        }
        Ok(Some(Written {
            rendered,
            committed,
            pages_written: told,
        }))
    }

    /// The second step of a run told when its pages were written: the data exports,
    /// brought up to date and committed in a transaction of their own.
    fn write_exports(
        &mut self,
        fw: &Framework,
        changes: &Changes,
        pages: &[PagePlan],
        scope: &produce::Scope,
        kept: &[String],
        run: &mut Run,
    ) -> io::Result<crate::output::Committed> {
        if let Some(d) = self.exports_delay {
            std::thread::sleep(d);
        }
        let output = self.output.as_mut().expect("a writing pipeline");
        let tx = output.begin()?;
        let sink = |a: Artifact| tx.put(a);
        let parts = |path: &str, parts: &dyn crate::output::Parts| tx.put_parts(path, parts);
        let out = produce::Out {
            sink: &sink,
            parts: &parts,
        };
        let notes = self
            .producers
            .update_exports(fw, changes, pages, scope, out)?;
        run.timings.notes.extend(notes);
        let committed = output.remember(tx.commit(kept))?;
        run.timings.lap("exports, after the pages");
        Ok(committed)
    }

    /// The first stages: settings, sources, parses and assembly. Parses are cached.
    fn load(
        &mut self,
        edits: &Edits,
        run: &mut Run,
    ) -> io::Result<(config::SiteConfig, Option<Framework>)> {
        let config = config::load(
            &self.root,
            &self.overrides,
            &mut run.diags,
            &mut run.sources,
        );
        if self.out_from_config {
            self.output = Some(Output::new(&self.root.join(&config.output_dir)));
            self.out_from_config = false;
        }
        let reread = (!edits.all).then_some(&edits.paths);
        let parsed = self
            .parses
            .load(&self.root, &config, reread, &mut run.diags)?;
        run.timings.lap("discover and parse");
        for f in &parsed.files {
            run.diags.extend(f.diags.iter().cloned());
        }
        let memo = self.keep_states.then_some(&mut self.assembled);
        let mut framework =
            crate::assemble::assemble_with(&config, &parsed.files, &mut run.diags, memo);
        if self.output.is_none() {
            // check: what the published build, without drafts, would refuse as well.
            let more = crate::assemble::errors_without_drafts(&config, &parsed.files, &run.diags);
            run.diags.extend(more);
        }
        if let Some(fw) = framework.as_mut()
            && self.read_history
            && !config.changes_since.is_empty()
        {
            fw.history = self.past_versions(&config, &mut run.diags);
            run.timings.lap("read past versions");
        }
        run.quote_parsed(&parsed.files);
        // A one-shot build lets the parses go now: their sources would sit in memory
        // through rendering for nothing.
        if self.keep_states {
            self.parses.keep(parsed);
        }
        run.timings.lap("assemble");
        Ok((config, framework))
    }

    /// The versions `[changes] since` names, read from git (each commit once per
    /// pipeline). A revision git cannot find is an error at its place in site.toml; a
    /// past version with errors of its own is left out with a warning.
    fn past_versions(
        &mut self,
        config: &config::SiteConfig,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<crate::model::PastVersion> {
        use crate::versions::source;
        let mut out = Vec::new();
        for (rev, pos) in &config.changes_since {
            let commit = match source::resolve(rev, &self.root) {
                Ok(c) => c,
                Err(why) => {
                    diags.push(
                        Diagnostic::error(config::FILE, *pos, format!("[changes] since: {why}"))
                            .with_help("name tags, branches or commits of the site's git repository; the changes page shows what changed since each"),
                    );
                    continue;
                }
            };
            if !self.history.contains_key(&commit) {
                let read = source::extract(&commit, rev, &self.root).and_then(|side| {
                    let mut past = Pipeline::check(&side.root);
                    past.read_history = false;
                    let mut run = Run::begin();
                    let (_, fw) = past.load(&Edits::everything(), &mut run)?;
                    Ok(fw.filter(|_| !diagnostics::has_errors(&run.diags)))
                });
                let fw = match read {
                    Ok(fw) => fw.map(std::sync::Arc::new),
                    Err(e) => {
                        diags.push(Diagnostic::warning(
                            config::FILE,
                            *pos,
                            format!("[changes] since: cannot read `{rev}`: {e}"),
                        ));
                        None
                    }
                };
                if fw.is_none() {
                    diags.push(
                        Diagnostic::warning(config::FILE, *pos, format!("the framework at `{rev}` has errors; the changes page leaves it out"))
                            .with_help("check out that revision and run `rungs check` to see them"),
                    );
                }
                self.history.insert(commit.clone(), fw);
            }
            if let Some(Some(fw)) = self.history.get(&commit) {
                out.push(crate::model::PastVersion {
                    label: rev.clone(),
                    commit,
                    framework: fw.clone(),
                });
            }
        }
        out
    }

    /// With verification on: renders every page and export again and fails if any differs
    /// from what is on disk (a page the dependency rules should have selected).
    fn check_dependencies(
        &self,
        fw: &Framework,
        pages: &[PagePlan],
        delta: &Delta,
    ) -> io::Result<()> {
        let (Some(theme), Some(output)) = (self.theme.as_ref(), self.output.as_ref()) else {
            return Ok(());
        };
        let expected: std::sync::Mutex<Vec<(String, u128)>> = Default::default();
        let sink = |a: Artifact| {
            let h = crate::output::fingerprint(&a.bytes);
            expected
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((a.path, h));
            Ok(())
        };
        let mut diags = Vec::new();
        let changes = Changes::compute(fw);
        render::render_pages(fw, &changes, &theme.theme, pages, &mut diags, &sink)?;
        let mut fresh = Producers::new(false);
        fresh.update(
            fw,
            &changes,
            pages,
            &theme.theme,
            &produce::Scope::Everything,
            produce::Out {
                sink: &sink,
                parts: &|path, parts| crate::output::concat_into(&sink, path, parts),
            },
        )?;
        let expected: std::collections::HashMap<String, u128> = expected
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect();
        let mut stale: Vec<&str> = expected
            .iter()
            .filter(|(p, h)| output.fingerprint_of(p) != Some(**h))
            .map(|(p, _)| p.as_str())
            .collect();
        stale.extend(output.paths().filter(|p| !expected.contains_key(*p)));
        stale.sort_unstable();
        if stale.is_empty() {
            Ok(())
        } else {
            Err(io::Error::other(format!(
                "incremental rebuild left stale files after {delta:?}: {stale:?}"
            )))
        }
    }
}

/// The framework of the site at `root` as far as assembly (settings, sources, parses),
/// with every diagnostic found on the way: for tools and tests that read a framework
/// without building it.
pub fn load_framework(root: &Path) -> io::Result<(Option<Framework>, Outcome)> {
    let mut run = Run::begin();
    let mut pipeline = Pipeline::check(root);
    pipeline.read_history = false;
    let (config, framework) = pipeline.load(&Edits::everything(), &mut run)?;
    let ok = framework.is_some();
    Ok((framework, run.finish(root, ok, config.base_path())))
}

/// Drops `value` on a thread of its own, so that freeing a large structure does not
/// delay the caller (or here, when no thread can be started).
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("rungs-free".into())
        .spawn(move || drop(value));
}

/// What a successful write did.
struct Written {
    rendered: usize,
    committed: crate::output::Committed,
    /// When the pages were on disk and the caller was told, if before the end.
    pages_written: Option<Duration>,
}

/// Whom [`Pipeline::run_with`] tells that the pages are written, if anyone.
pub type Tell<'a> = Option<&'a mut dyn FnMut(PagesWritten<'_>)>;

/// What a run has written when its pages are on disk and only the data exports are
/// left (see [`Pipeline::run_with`]).
#[derive(Debug, Clone, Copy)]
pub struct PagesWritten<'a> {
    /// Output paths written so far, sorted.
    pub written: &'a [String],
    /// Output paths removed so far, sorted.
    pub removed: &'a [String],
    /// The paths still to be brought up to date: until the run ends, a request for one
    /// of them would read its previous version.
    pub pending: &'a [String],
}

/// The state of one run in progress: when it began, its diagnostics, the sources they
/// quote, its timings.
struct Run {
    start: Instant,
    timings: Timings,
    diags: Vec<Diagnostic>,
    sources: Sources,
}

impl Run {
    fn begin() -> Run {
        Run {
            start: Instant::now(),
            timings: Timings::start(),
            diags: Vec::new(),
            sources: Sources::new(),
        }
    }

    /// Keeps the text of every parsed file a diagnostic names, for quoting.
    fn quote_parsed(&mut self, parsed: &[crate::parse::ParsedFile]) {
        for d in &self.diags {
            // A cached parse of a clean file keeps no text (`ParseCache::keep`): the file
            // is then read from disk when the diagnostics are finished.
            if !self.sources.contains_key(&d.file)
                && let Some(f) = parsed
                    .iter()
                    .find(|f| f.rel == d.file && !f.text.is_empty())
            {
                self.sources.insert(f.rel.clone(), f.text.clone());
            }
        }
    }

    /// The one way every run ends: diagnostics sorted and deduplicated, and the source
    /// of every file they name read in (templates, static files) so each can be quoted.
    fn finish(mut self, root: &Path, ok: bool, base_path: String) -> Outcome {
        diagnostics::finish(root, &mut self.diags, &mut self.sources);
        Outcome {
            ok: ok && !diagnostics::has_errors(&self.diags),
            diags: self.diags,
            sources: self.sources,
            elapsed: self.start.elapsed(),
            base_path,
            timings: self.timings,
            ..Outcome::default()
        }
    }
}
