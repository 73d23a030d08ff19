//! What changed on disk between two runs of the pipeline, as the watcher saw it, and how
//! open browsers should react to a run.

use std::collections::BTreeSet;

/// What changed on disk since the last run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits {
    /// Site-relative paths (`content/levels/expert/senior.md`), for the terminal line
    /// and for re-reading only those files.
    pub paths: BTreeSet<String>,
    /// Templates, themes, static files or `site.toml` changed: reload the theme.
    pub theme: bool,
    /// The watcher lost track (an overflow, a rescan), or this is the first run: assume
    /// everything changed.
    pub all: bool,
}

impl Edits {
    /// Everything, as for the first build.
    pub fn everything() -> Self {
        Edits {
            all: true,
            theme: true,
            ..Edits::default()
        }
    }

    /// Whether nothing changed: no paths, and neither the theme nor everything.
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

/// How open browsers should react to a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// The output did not change.
    None,
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// Reload the page.
    Full,
}

impl Reload {
    /// The reaction to these written and removed output paths.
    pub fn after(written: &[String], removed: &[String]) -> Reload {
        let mut changed = written.iter().chain(removed);
        match changed.next() {
            None => Reload::None,
            Some(first) if first.ends_with(".css") && changed.all(|p| p.ends_with(".css")) => {
                Reload::Css
            }
            Some(_) => Reload::Full,
        }
    }
}
