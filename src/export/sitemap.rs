//! `sitemap.xml`: every HTML page but the 404.

use crate::model::Framework;
use crate::plan::{PageKind, PagePlan};

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every HTML page but the 404. URLs are absolute when `base_url` is, root-relative
/// (from the base path) otherwise.
pub(crate) fn sitemap(fw: &Framework, pages: &[PagePlan]) -> String {
    let base = fw
        .config
        .absolute_base()
        .unwrap_or_else(|| fw.config.base_path());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages.iter().filter(|p| p.kind != PageKind::NotFound) {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{}", p.url()))
        ));
    }
    out.push_str("</urlset>\n");
    out
}
