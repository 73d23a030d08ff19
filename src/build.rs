//! The `build` and `check` commands as library functions: load, validate, render,
//! write. They return values; only `main` prints and exits.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics;
use crate::render::{self, Artifact};
use crate::site::{self, Loaded, Overrides};
use crate::theme;
use crate::write::{self, WriteReport};

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildStats {
    pub pages: usize,
    pub files: usize,
    pub report: WriteReport,
    pub elapsed: Duration,
    pub out: PathBuf,
}

/// The result of loading and rendering, before anything is written.
pub struct Rendered {
    pub loaded: Loaded,
    pub artifacts: Vec<Artifact>,
}

/// Loads, validates and renders into memory. Artifacts are empty when there are errors.
pub fn render(root: &Path, overrides: &Overrides) -> std::io::Result<Rendered> {
    let mut loaded = site::load(root, overrides)?;
    let mut artifacts = Vec::new();
    let theme = theme::load(root, &loaded.config.theme, &mut loaded.diags);
    if let (false, Some(fw)) = (loaded.has_errors(), &loaded.framework) {
        artifacts = render::render_site(fw, &theme, &mut loaded.diags);
    }
    diagnostics::normalize(&mut loaded.diags);
    if loaded.has_errors() {
        artifacts.clear();
    }
    Ok(Rendered { loaded, artifacts })
}

/// Where output goes: `--out`, else `output_dir` from site.toml under the root.
pub fn output_dir(root: &Path, out: Option<&Path>, loaded: &Loaded) -> PathBuf {
    match out {
        Some(o) => o.to_path_buf(),
        None => root.join(&loaded.config.output_dir),
    }
}

/// `rungs build`: returns the loaded site (with diagnostics) and, if it succeeded, stats.
pub fn build(
    root: &Path,
    out: Option<&Path>,
    overrides: &Overrides,
) -> std::io::Result<(Loaded, Option<BuildStats>)> {
    let start = Instant::now();
    let Rendered { loaded, artifacts } = render(root, overrides)?;
    if loaded.has_errors() {
        return Ok((loaded, None));
    }
    let out = output_dir(root, out, &loaded);
    let report = write::write_output(&out, &artifacts)?;
    let pages = artifacts
        .iter()
        .filter(|a| a.path.ends_with(".html"))
        .count();
    let stats = BuildStats {
        pages,
        files: artifacts.len(),
        report,
        elapsed: start.elapsed(),
        out,
    };
    Ok((loaded, Some(stats)))
}

/// `rungs check`: everything `build` validates, rendering included, nothing written.
pub fn check(root: &Path) -> std::io::Result<Loaded> {
    Ok(render(root, &Overrides::default())?.loaded)
}
