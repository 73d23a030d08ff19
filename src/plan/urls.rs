//! Every URL of the site, relative to its root, in one place: a page's output path, the
//! links to it from other pages, `framework.json`, the sitemap and the search index all
//! take it from here, so they cannot disagree. URLs are folders (`levels/senior/`), each
//! page being the folder's `index.html`.

use std::fmt::Display;

/// The home page.
pub const HOME: &str = "";
/// The comparison picker.
pub const COMPARE_INDEX: &str = "compare/";
/// The search page.
pub const SEARCH: &str = "search/";
/// The 404 page: a file, served for any path.
pub const NOT_FOUND_FILE: &str = "404.html";

pub fn track(id: impl Display) -> String {
    format!("tracks/{id}/")
}

pub fn matrix(track: impl Display) -> String {
    format!("matrix/{track}/")
}

pub fn level(id: impl Display) -> String {
    format!("levels/{id}/")
}

/// A behaviour (or any anchor) on a level page.
pub fn level_anchor(id: impl Display, anchor: impl Display) -> String {
    format!("levels/{id}/#{anchor}")
}

pub fn competency(id: impl Display) -> String {
    format!("competencies/{id}/")
}

pub fn area(id: impl Display) -> String {
    format!("areas/{id}/")
}

/// A free page.
pub fn page(slug: impl Display) -> String {
    format!("{slug}/")
}

/// The comparison of two levels, `a` first.
pub fn compare(a: impl Display, b: impl Display) -> String {
    format!("compare/{a}/{b}/")
}

pub fn assess(level: impl Display) -> String {
    format!("assess/{level}/")
}

/// The output file of a page URL: `levels/x/` is `levels/x/index.html`.
pub fn file(url: &str) -> String {
    format!("{url}index.html")
}
