//! Every URL of the site, relative to its root, in one place: a page's output path, the
//! links to it from other pages, `framework.json`, the sitemap and the search index all
//! take it from here, so they cannot disagree. URLs are folders (`levels/senior/`), each
//! page being the folder's `index.html`.

use std::fmt::Display;

/// The home page.
pub(crate) const HOME: &str = "";
/// The comparison picker.
pub(crate) const COMPARE_INDEX: &str = "compare/";
/// Every competency by area.
pub(crate) const COMPETENCY_INDEX: &str = "competencies/";
/// What changed since past versions.
pub(crate) const HISTORY: &str = "changes/";
/// The search page.
pub(crate) const SEARCH: &str = "search/";
/// The 404 page: a file, served for any path.
pub(crate) const NOT_FOUND_FILE: &str = "404.html";

pub(crate) fn family(id: impl Display) -> String {
    format!("families/{id}/")
}

pub(crate) fn track(id: impl Display) -> String {
    format!("tracks/{id}/")
}

pub(crate) fn matrix(track: impl Display) -> String {
    format!("matrix/{track}/")
}

pub(crate) fn level(id: impl Display) -> String {
    format!("levels/{id}/")
}

/// A behaviour (or any anchor) on a level page.
pub(crate) fn level_anchor(id: impl Display, anchor: impl Display) -> String {
    format!("levels/{id}/#{anchor}")
}

pub(crate) fn competency(id: impl Display) -> String {
    format!("competencies/{id}/")
}

pub(crate) fn area(id: impl Display) -> String {
    format!("areas/{id}/")
}

/// A free page.
pub(crate) fn page(slug: impl Display) -> String {
    format!("{slug}/")
}

/// The comparison of two levels, `a` first.
pub(crate) fn compare(a: impl Display, b: impl Display) -> String {
    format!("compare/{a}/{b}/")
}

/// Two levels compared in the `/compare/` picker, for a pair that is not pre-rendered
/// (the picker renders it from framework.json).
pub(crate) fn compare_in_picker(a: impl Display, b: impl Display) -> String {
    format!("compare/#{a}/{b}")
}

pub(crate) fn assess(level: impl Display) -> String {
    format!("assess/{level}/")
}

/// The output file of a page URL: `levels/x/` is `levels/x/index.html`.
pub(crate) fn file(url: &str) -> String {
    format!("{url}index.html")
}
