//! The `build` and `check` commands as library functions: load, validate, render,
//! write. They return values; only `main` prints and exits.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics;
use crate::render;
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

/// Loads and validates the site and loads its theme: everything before rendering.
fn prepare(
    root: &Path,
    overrides: &Overrides,
    timer: &Timer,
) -> std::io::Result<(Loaded, theme::Theme)> {
    let mut loaded = site::load(root, overrides)?;
    timer.lap("load (discover, parse, assemble)");
    let theme = theme::load(root, &loaded.config.theme, &mut loaded.diags);
    timer.lap("theme");
    Ok((loaded, theme))
}

/// Sorts the diagnostics and reads in the source of any file they name that loading did
/// not keep (templates, files only rendering complained about), so every message can
/// quote its line. Symlinks are not followed: one that leads outside the site is itself
/// the problem being reported.
fn finish_diagnostics(loaded: &mut Loaded) {
    diagnostics::normalize(&mut loaded.diags);
    read_quoted_sources(&loaded.root, &loaded.diags, &mut loaded.sources);
}

/// Reads the source of every file `diags` name that `sources` lacks, without following
/// symlinks, so every message can quote its line (also used by `serve`).
pub(crate) fn read_quoted_sources(
    root: &Path,
    diags: &[diagnostics::Diagnostic],
    sources: &mut diagnostics::Sources,
) {
    for d in diags {
        let path = root.join(&d.file);
        let plain_file = Path::new(&d.file)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
            && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        if plain_file
            && !sources.contains_key(&d.file)
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            sources.insert(d.file.clone(), text);
        }
    }
}

/// A path made absolute and free of `.`/`..` and symlinks, as far as it exists (the rest,
/// not yet created, is appended as written).
fn resolved(path: &Path) -> std::io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = cur.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    std::path::Component::CurDir => {}
                    p => out.push(p.as_os_str()),
                }
            }
            return Ok(out);
        }
        match (cur.parent(), cur.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                cur = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// Refuses an output folder that is the site itself, holds it, or lies inside what the
/// build reads (`content/`, `templates/`, `static/`, `themes/`): cleaning it would delete
/// sources, and its pages would be read back as sources by the next build.
pub fn check_output_location(root: &Path, out: &Path) -> std::io::Result<()> {
    let root = resolved(root)?;
    let out = resolved(out)?;
    let refuse = |why: String| {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "refusing to build into {}: {why}; choose an output folder outside the site's sources (the default is `public`)",
                out.display()
            ),
        ))
    };
    if root.starts_with(&out) {
        return refuse(if root == out {
            "it is the site folder itself".into()
        } else {
            format!("it holds the site folder {}", root.display())
        });
    }
    for source in ["content", "templates", "static", "themes"] {
        if out.starts_with(root.join(source)) {
            return refuse(format!("it is inside the site's `{source}/` folder"));
        }
    }
    Ok(())
}

/// Where output goes: `--out`, else `output_dir` from site.toml under the root.
pub fn output_dir(root: &Path, out: Option<&Path>, loaded: &Loaded) -> PathBuf {
    match out {
        Some(o) => o.to_path_buf(),
        None => root.join(&loaded.config.output_dir),
    }
}

/// `rungs build`: returns the loaded site (with diagnostics) and, if it succeeded, stats.
/// Pages stream into a staging folder as they render and are moved into the output only
/// when the whole build succeeded.
pub fn build(
    root: &Path,
    out: Option<&Path>,
    overrides: &Overrides,
) -> std::io::Result<(Loaded, Option<BuildStats>)> {
    let start = Instant::now();
    let timer = Timer::start();
    let (mut loaded, theme) = prepare(root, overrides, &timer)?;
    if loaded.has_errors() {
        return Ok((loaded, None));
    }
    let Some(fw) = loaded.framework.take() else {
        return Ok((loaded, None));
    };
    let out = output_dir(root, out, &loaded);
    check_output_location(root, &out)?;
    let staging = write::Staging::begin(&out)?;
    let rendered = render::render_site_to(&fw, &theme, &mut loaded.diags, &|a| staging.put(a));
    loaded.framework = Some(fw);
    let pages = match rendered {
        Ok(pages) => pages,
        Err(e) => {
            staging.abort();
            return Err(e);
        }
    };
    timer.lap("render and stage");
    finish_diagnostics(&mut loaded);
    if loaded.has_errors() {
        staging.abort();
        return Ok((loaded, None));
    }
    let report = staging.commit()?;
    timer.lap("commit");
    let files = report.written + report.unchanged;
    let stats = BuildStats {
        pages,
        files,
        report,
        elapsed: start.elapsed(),
        out,
    };
    Ok((loaded, Some(stats)))
}

/// `rungs check`: everything `build` validates, rendering included, nothing written.
pub fn check(root: &Path) -> std::io::Result<Loaded> {
    let timer = Timer::start();
    let (mut loaded, theme) = prepare(root, &Overrides::default(), &timer)?;
    if !loaded.has_errors()
        && let Some(fw) = loaded.framework.take()
    {
        render::render_site_to(&fw, &theme, &mut loaded.diags, &|_| Ok(()))?;
        loaded.framework = Some(fw);
        timer.lap("render");
    }
    finish_diagnostics(&mut loaded);
    Ok(loaded)
}

/// Stage timings on stderr when `RUNGS_TIMINGS` is set, for profiling builds.
struct Timer {
    start: Option<std::cell::Cell<Instant>>,
}

impl Timer {
    fn start() -> Timer {
        Timer {
            start: std::env::var_os("RUNGS_TIMINGS").map(|_| std::cell::Cell::new(Instant::now())),
        }
    }

    fn lap(&self, stage: &str) {
        if let Some(cell) = &self.start {
            // Peak resident memory so far (Linux), to see which stage sets it.
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmHWM:"))
                        .map(|l| l[6..].trim().to_string())
                })
                .unwrap_or_default();
            eprintln!(
                "[timing] {stage}: {} ms (peak memory {peak})",
                cell.get().elapsed().as_millis()
            );
            cell.set(Instant::now());
        }
    }
}
