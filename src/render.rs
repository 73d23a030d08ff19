//! Rendering every planned page in parallel into in-memory artifacts. Nothing is written
//! here: [`crate::write`] decides what reaches the disk, and only after the whole build
//! succeeded.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Pos};
use crate::export;
use crate::model::Framework;
use crate::plan::{self, PagePlan};
use crate::theme::{self, Theme};

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
    let ctx = tera::Context::from_serialize(value).map_err(|e| template_error(page, &e))?;
    let html = theme
        .tera
        .render(page.template, &ctx)
        .map_err(|e| template_error(page, &e))?;
    Ok(Artifact {
        path: page.path.clone(),
        bytes: html.into_bytes(),
    })
}

fn template_error(page: &PagePlan, e: &dyn std::error::Error) -> Diagnostic {
    Diagnostic::error(format!("templates/{}", page.template), Pos::START, format!("cannot render {}: {}", page.path, theme::error_chain(e)))
        .with_help("a site template or theme template failed; see the message for the variable or tag at fault")
}

/// Renders the whole site: pages in parallel, then the data exports and static files.
/// Template failures become diagnostics (one per template, not one per page).
pub fn render_site(fw: &Framework, theme: &Theme, diags: &mut Vec<Diagnostic>) -> Vec<Artifact> {
    let pages = plan::plan(fw);
    let results: Vec<Result<Artifact, Diagnostic>> = pages
        .par_iter()
        .map(|p| render_page(fw, theme, p))
        .collect();
    let mut out = Vec::with_capacity(results.len() + theme.statics.len() + 2);
    let mut failed: BTreeMap<String, Diagnostic> = BTreeMap::new();
    for r in results {
        match r {
            Ok(a) => out.push(a),
            Err(d) => {
                failed.entry(d.file.clone()).or_insert(d);
            }
        }
    }
    diags.extend(failed.into_values());
    out.extend(export::artifacts(fw, &pages));
    out.extend(static_artifacts(theme));
    out
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
