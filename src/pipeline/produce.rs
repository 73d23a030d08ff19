//! The files besides pages: the data exports (`sitemap.xml`, `framework.json`,
//! `framework.csv`), the search index (`search/`) and the static files of the theme and
//! the site. Each producer says which paths it owns, so nothing else hard-codes its
//! layout: the writer keeps exactly the paths the producers report, and a static file
//! may not take a path a page or a producer owns.

use std::collections::{BTreeSet, HashSet};
use std::io;

use crate::change::Changes;
use crate::diagnostics::{Diagnostic, Pos};
use crate::export::{self, ExportState};
use crate::model::Framework;
use crate::output::{Artifact, PartsSink, Sink};
use crate::plan::PagePlan;
use crate::search::{self, SearchState};
use crate::theme::Theme;

/// What a run may have changed, for the producers.
pub(super) enum Scope {
    /// Anything: produce every file.
    Everything,
    /// Only these levels' data (by index; the framework's skeleton is unchanged): the
    /// exports splice in the levels' new chunks, the search index re-indexes what
    /// changed, static files stay as they are.
    Levels(BTreeSet<usize>),
}

/// Where the producers' files go: whole files to `sink`; framework.json and
/// framework.csv as the chunks they are spliced from to `parts`.
#[derive(Clone, Copy)]
pub(super) struct Out<'a> {
    pub sink: Sink<'a>,
    pub parts: PartsSink<'a>,
}

/// The stateful producers, kept between runs by `serve`.
pub(super) struct Producers {
    exports: ExportState,
    search: SearchState,
    /// Kept between runs (serve), or made for one run (build).
    keep: bool,
}

impl Producers {
    /// Brings every producer up to date with `fw` and hands the files whose bytes may
    /// have changed to `out`. Returns notes for the timings.
    pub(super) fn update(
        &mut self,
        fw: &Framework,
        changes: &Changes,
        pages: &[PagePlan],
        theme: &Theme,
        scope: &Scope,
        out: Out<'_>,
    ) -> io::Result<Vec<String>> {
        let mut notes = self.update_exports(fw, changes, pages, scope, out)?;
        notes.extend(self.update_others(fw, theme, scope, out)?);
        Ok(notes)
    }

    /// The data exports' part of [`Producers::update`]: what `serve` writes after the
    /// pages, once browsers have been told to reload (see `Pipeline::run_with`).
    pub(super) fn update_exports(
        &mut self,
        fw: &Framework,
        changes: &Changes,
        pages: &[PagePlan],
        scope: &Scope,
        out: Out<'_>,
    ) -> io::Result<Vec<String>> {
        let Out { sink, parts } = out;
        let dirty = match scope {
            Scope::Everything => None,
            Scope::Levels(levels) => Some(levels),
        };
        let t = std::time::Instant::now();
        self.exports
            .update_with(fw, changes, pages, dirty, sink, parts)?;
        Ok(vec![format!(
            "exports {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0
        )])
    }

    /// Everything but the exports: the search index (pages search it) and, after any
    /// change, the static files.
    pub(super) fn update_others(
        &mut self,
        fw: &Framework,
        theme: &Theme,
        scope: &Scope,
        out: Out<'_>,
    ) -> io::Result<Vec<String>> {
        let search = self.search.update_into(fw, Some(out.sink))?;
        if let Scope::Everything = scope {
            for a in statics(theme) {
                (out.sink)(a)?;
            }
        }
        Ok(vec![search.note])
    }

    /// The paths [`Producers::update_exports`] writes.
    pub(super) fn export_paths(&self) -> Vec<String> {
        self.exports.paths()
    }

    /// Every path the producers produce now (the static files' included).
    pub(super) fn paths(&self, theme: &Theme) -> Vec<String> {
        let mut out = self.exports.paths();
        out.extend(self.search.paths());
        out.extend(theme.statics.iter().map(|f| f.path.clone()));
        out
    }

    /// Producers for `serve` (`keep`: their states serve the next run) or for one build.
    pub(super) fn new(keep: bool) -> Self {
        Producers {
            exports: if keep {
                ExportState::new()
            } else {
                ExportState::once()
            },
            search: SearchState::new(),
            keep,
        }
    }

    /// The states so far, leaving fresh ones: the output they described was not written,
    /// or is not kept (a one-shot build).
    pub(super) fn take(&mut self) -> Producers {
        std::mem::replace(self, Producers::new(self.keep))
    }
}

/// Paths the producers own: exact paths, and folders (ending in `/`) owned whole.
const OWNED: &[&str] = &[
    export::SITEMAP,
    export::FRAMEWORK_JSON,
    export::FRAMEWORK_CSV,
    search::FOLDER,
];

/// The theme's and the site's static files, site files winning on the same path.
fn statics(theme: &Theme) -> Vec<Artifact> {
    let mut seen = HashSet::new();
    let mut out: Vec<Artifact> = theme
        .statics
        .iter()
        .rev()
        .filter(|f| seen.insert(f.path.as_str()))
        .map(|f| Artifact {
            path: f.path.clone(),
            bytes: f.bytes.clone(),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A diagnostic for every static file of the site or its theme that would replace a
/// page or a producer's file.
pub(super) fn shadowed(theme: &Theme, pages: &[PagePlan]) -> Vec<Diagnostic> {
    let page_paths: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let taken = |path: &str| {
        page_paths.contains(path)
            || OWNED.iter().any(|o| match o.strip_suffix('/') {
                Some(folder) => path.starts_with(o) || path == folder,
                None => path == *o,
            })
    };
    theme
        .statics
        .iter()
        .filter(|f| taken(&f.path))
        .map(|f| {
            Diagnostic::error(
                f.origin.as_deref().unwrap_or("static"),
                Pos::START,
                format!("this static file would replace `{}`, which rungs generates", f.path),
            )
            .with_help("rename or move the file: generated pages, framework.json, framework.csv, sitemap.xml and search/ belong to the build")
        })
        .collect()
}
