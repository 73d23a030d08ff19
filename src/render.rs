//! Rendering planned pages through the theme's templates, in parallel. Nothing is
//! written here: each page goes to a [`Sink`] as soon as it exists, so the whole site
//! never sits in memory, and the pipeline decides what reaches the disk.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::change::Changes;
use crate::diagnostics::Diagnostic;
use crate::links;
use crate::model::Framework;
use crate::output::{Artifact, Sink};
use crate::plan::{self, PagePlan};
use crate::theme::Theme;

/// Renders one page.
pub(crate) fn render_page(
    fw: &Framework,
    changes: &Changes,
    theme: &Theme,
    page: &PagePlan,
    nav: &tera::Value,
) -> Result<Artifact, Diagnostic> {
    let ctx = plan::context(fw, changes, page, nav).map_err(|e| template_error(theme, page, &e))?;
    let html = theme
        .tera
        .render(page.template, &ctx)
        .map_err(|e| template_error(theme, page, &e))?;
    // `@/` links in Markdown, made relative to this page.
    let html = match links::resolve(&html, &page.root_in(&fw.config)) {
        Cow::Borrowed(_) => html,
        Cow::Owned(resolved) => resolved,
    };
    Ok(Artifact {
        path: page.path.clone(),
        bytes: html.into_bytes(),
    })
}

fn template_error(theme: &Theme, page: &PagePlan, e: &tera::Error) -> Diagnostic {
    let fallback = format!("templates/{}", page.template);
    theme.diagnostic(e, &fallback, &format!("cannot render {}: ", page.path))
}

/// Renders `pages` in parallel, handing each to `sink`. Template failures become
/// diagnostics (one per template file, not one per page); `Err` only when the sink
/// fails. Returns the number of pages rendered.
pub(crate) fn render_pages(
    fw: &Framework,
    changes: &Changes,
    theme: &Theme,
    pages: &[PagePlan],
    diags: &mut Vec<Diagnostic>,
    sink: Sink<'_>,
) -> std::io::Result<usize> {
    let failed: Mutex<BTreeMap<String, Diagnostic>> = Mutex::new(BTreeMap::new());
    let rendered = AtomicUsize::new(0);
    // Made of ids, titles and links only, so it cannot fail to serialise.
    let nav = plan::nav(fw).map_err(|e| std::io::Error::other(e.to_string()))?;
    pages
        .par_iter()
        .try_for_each(|p| match render_page(fw, changes, theme, p, &nav) {
            Ok(a) => {
                rendered.fetch_add(1, Ordering::Relaxed);
                sink(a)
            }
            Err(d) => {
                let mut f = failed.lock().unwrap_or_else(|e| e.into_inner());
                f.entry(d.file.clone()).or_insert(d);
                Ok(())
            }
        })?;
    let failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    diags.extend(failed.into_values());
    Ok(rendered.into_inner())
}
