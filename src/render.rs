//! Rendering every planned page in parallel into in-memory artifacts. Nothing is written
//! here: [`crate::write`] decides what reaches the disk, and only after the whole build
//! succeeded.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::export;
use crate::model::Framework;
use crate::plan::{self, PagePlan};
use crate::theme::Theme;

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Renders one page.
pub fn render_page(fw: &Framework, theme: &Theme, page: &PagePlan) -> Result<Artifact, Diagnostic> {
    let value = plan::context(fw, page);
    render_value(theme, page, &value)
}

/// Renders one page from an already built context (`serve` hashes contexts first).
pub fn render_value(
    theme: &Theme,
    page: &PagePlan,
    value: &serde_json::Value,
) -> Result<Artifact, Diagnostic> {
    let ctx = tera::Context::from_serialize(value).map_err(|e| template_error(theme, page, &e))?;
    let html = theme
        .tera
        .render(page.template, &ctx)
        .map_err(|e| template_error(theme, page, &e))?;
    Ok(Artifact {
        path: page.path.clone(),
        bytes: html.into_bytes(),
    })
}

fn template_error(theme: &Theme, page: &PagePlan, e: &tera::Error) -> Diagnostic {
    let fallback = format!("templates/{}", page.template);
    theme.diagnostic(e, &fallback, &format!("cannot render {}: ", page.path))
}

/// Renders the whole site: pages in parallel, then the data exports and static files,
/// handing every artifact to `sink` as soon as it exists so the whole output never sits
/// in memory at once. Template failures become diagnostics (one per template, not one
/// per page); `Err` only when the sink fails. Returns the number of pages.
pub fn render_site_to(
    fw: &Framework,
    theme: &Theme,
    diags: &mut Vec<Diagnostic>,
    sink: Sink<'_>,
) -> std::io::Result<usize> {
    render_site_with(fw, theme, diags, sink, &mut |pages, sink| {
        export::artifacts_to(fw, pages, sink)
    })
}

/// Where rendered artifacts go.
pub type Sink<'a> = &'a (dyn Fn(Artifact) -> std::io::Result<()> + Sync);

/// [`render_site_to`] with the data exports made by `exports` (given the page list),
/// which `serve` uses to keep its incremental export and search state.
pub fn render_site_with(
    fw: &Framework,
    theme: &Theme,
    diags: &mut Vec<Diagnostic>,
    sink: Sink<'_>,
    exports: &mut (dyn FnMut(&[PagePlan], Sink<'_>) -> std::io::Result<()> + Send),
) -> std::io::Result<usize> {
    let pages = plan::plan(fw);
    let failed: Mutex<BTreeMap<String, Diagnostic>> = Mutex::new(BTreeMap::new());
    // What the build generates, so a static file cannot silently replace it.
    let generated: Mutex<HashSet<String>> = Mutex::new(HashSet::new());
    let recording = |a: Artifact| {
        lock(&generated).insert(a.path.clone());
        sink(a)
    };
    // The data exports (framework.json, CSV, search index) are built while the pages
    // render, rather than after them on one core.
    let (pages_done, exports_done) = rayon::join(
        || {
            pages
                .par_iter()
                .try_for_each(|p| match render_page(fw, theme, p) {
                    Ok(a) => recording(a),
                    Err(d) => {
                        let mut f = lock(&failed);
                        f.entry(d.file.clone()).or_insert(d);
                        Ok(())
                    }
                })
        },
        || exports(&pages, &recording),
    );
    pages_done?;
    exports_done?;
    diags.extend(lock(&failed).values().cloned());
    let generated = generated.into_inner().unwrap_or_else(|e| e.into_inner());
    for (a, origin) in static_artifacts(theme) {
        if generated.contains(&a.path) {
            diags.push(shadowing(&a.path, origin));
            continue;
        }
        sink(a)?;
    }
    Ok(pages.len())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A static file standing where the build writes a page or an export.
fn shadowing(path: &str, origin: Option<&str>) -> Diagnostic {
    Diagnostic::error(
        origin.unwrap_or("static"),
        crate::diagnostics::Pos::START,
        format!("this static file would replace `{path}`, which rungs generates"),
    )
    .with_help("rename or move the file: generated pages, framework.json, framework.csv, sitemap.xml and search/ belong to the build")
}

/// The theme's and the site's static files, site files winning on the same path, with
/// the file each came from.
pub fn static_artifacts(theme: &Theme) -> Vec<(Artifact, Option<&str>)> {
    let mut by_path: BTreeMap<&str, &crate::theme::StaticFile> = BTreeMap::new();
    for f in &theme.statics {
        by_path.insert(&f.path, f);
    }
    by_path
        .into_iter()
        .map(|(p, f)| {
            (
                Artifact {
                    path: p.to_string(),
                    bytes: f.bytes.clone(),
                },
                f.origin.as_deref(),
            )
        })
        .collect()
}
