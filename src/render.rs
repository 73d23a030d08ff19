//! Rendering every planned page in parallel into in-memory artifacts. Nothing is written
//! here: [`crate::write`] decides what reaches the disk, and only after the whole build
//! succeeded.

use std::collections::BTreeMap;
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
    // The data exports (framework.json, CSV, search index) are built while the pages
    // render, rather than after them on one core.
    let (pages_done, exports_done) = rayon::join(
        || {
            pages
                .par_iter()
                .try_for_each(|p| match render_page(fw, theme, p) {
                    Ok(a) => sink(a),
                    Err(d) => {
                        let mut f = failed.lock().unwrap_or_else(|e| e.into_inner());
                        f.entry(d.file.clone()).or_insert(d);
                        Ok(())
                    }
                })
        },
        || exports(&pages, sink),
    );
    pages_done?;
    exports_done?;
    diags.extend(
        failed
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_values(),
    );
    for a in static_artifacts(theme) {
        sink(a)?;
    }
    Ok(pages.len())
}

/// The theme's and the site's static files, site files winning on the same path.
pub fn static_artifacts(theme: &Theme) -> Vec<Artifact> {
    let mut by_path: BTreeMap<&str, &Vec<u8>> = BTreeMap::new();
    for (p, b) in &theme.statics {
        by_path.insert(p, b);
    }
    by_path
        .into_iter()
        .map(|(p, b)| Artifact {
            path: p.to_string(),
            bytes: b.clone(),
        })
        .collect()
}
