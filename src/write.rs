//! Writing artifacts to the output folder: only files whose bytes changed are written
//! (each through a temporary file and a rename, so no reader sees half a page), and files
//! a previous build left that this one did not produce are removed.
//!
//! A build streams its artifacts into a [`Staging`] folder beside the output as they are
//! rendered (so the whole site never sits in memory), and moves them into place only when
//! the whole build succeeded: a failed build removes the staging folder and leaves the
//! previous output exactly as it was.
//!
//! Safety: rungs only ever deletes inside a folder it made. It marks its output folder
//! with a `.rungs-output` file and refuses to write into a non-empty folder without one,
//! so `--out .` or `--out ~` cannot wipe anything.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::render::Artifact;

pub const MARKER: &str = ".rungs-output";

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Checks that `out` is a folder rungs may write into.
pub fn check_output_dir(out: &Path) -> io::Result<()> {
    if out.is_file() {
        return Err(io::Error::other(format!(
            "the output path {} is a file",
            out.display()
        )));
    }
    if out.is_dir() && !out.join(MARKER).exists() {
        let mut entries = std::fs::read_dir(out)?;
        if entries.next().is_some() {
            return Err(io::Error::other(format!(
                "the output folder {} is not empty and was not made by rungs; refusing to write into it (choose another --out, or empty it first)",
                out.display()
            )));
        }
    }
    Ok(())
}

fn safe_join(out: &Path, rel: &str) -> io::Result<PathBuf> {
    let p = Path::new(rel);
    if p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(io::Error::other(format!(
            "refusing to write outside the output folder: {rel}"
        )));
    }
    Ok(out.join(p))
}

/// Writes what changed and removes what is stale.
pub fn write_output(out: &Path, artifacts: &[Artifact]) -> io::Result<WriteReport> {
    check_output_dir(out)?;
    std::fs::create_dir_all(out)?;
    let marker = out.join(MARKER);
    if !marker.exists() {
        std::fs::write(
            &marker,
            "This folder is written by rungs; files not produced by the last build are removed.\n",
        )?;
    }
    let results: Vec<io::Result<bool>> = artifacts.par_iter().map(|a| write_one(out, a)).collect();
    let mut report = WriteReport::default();
    for r in results {
        if r? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    let keep: HashSet<PathBuf> = artifacts
        .iter()
        .filter_map(|a| safe_join(out, &a.path).ok())
        .collect();
    report.removed = remove_stale(out, &keep)?.len();
    Ok(report)
}

/// What [`Staging::commit_listing`] did, path by path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Committed {
    /// Output paths written (their bytes changed or they are new).
    pub written: Vec<String>,
    /// Output paths removed because this build no longer produces them.
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Artifacts written beside the output folder while a build renders, moved into place by
/// [`Staging::commit`] or thrown away by [`Staging::abort`].
pub struct Staging {
    out: PathBuf,
    stage: PathBuf,
    /// Every artifact path of this build (for removing stale files).
    produced: Mutex<Vec<String>>,
    /// The paths whose bytes differ from the current output.
    staged: Mutex<Vec<String>>,
    unchanged: AtomicUsize,
}

impl Staging {
    /// Checks the output folder and prepares an empty staging folder next to it (same
    /// file system, so moving files into place is a rename).
    pub fn begin(out: &Path) -> io::Result<Staging> {
        check_output_dir(out)?;
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let stage = parent.join(format!(".{name}.rungs-staging"));
        if stage.exists() {
            std::fs::remove_dir_all(&stage)?;
        }
        std::fs::create_dir_all(&stage)?;
        Ok(Staging {
            out: out.to_path_buf(),
            stage,
            produced: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Stages one artifact, unless the output already holds exactly these bytes.
    pub fn put(&self, a: Artifact) -> io::Result<()> {
        let target = safe_join(&self.out, &a.path)?;
        lock(&self.produced).push(a.path.clone());
        if std::fs::metadata(&target).is_ok_and(|m| m.is_file() && m.len() == a.bytes.len() as u64)
            && same_bytes(&target, &a.bytes)?
        {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let staged = safe_join(&self.stage, &a.path)?;
        if let Some(parent) = staged.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&staged, &a.bytes)?;
        lock(&self.staged).push(a.path);
        Ok(())
    }

    /// Moves every staged file into the output and removes stale files.
    pub fn commit(self) -> io::Result<WriteReport> {
        let c = self.commit_listing()?;
        Ok(WriteReport {
            written: c.written.len(),
            unchanged: c.unchanged,
            removed: c.removed.len(),
        })
    }

    /// [`Staging::commit`], saying which paths it wrote and removed.
    pub fn commit_listing(self) -> io::Result<Committed> {
        std::fs::create_dir_all(&self.out)?;
        let marker = self.out.join(MARKER);
        if !marker.exists() {
            std::fs::write(
                &marker,
                "This folder is written by rungs; files not produced by the last build are removed.\n",
            )?;
        }
        let staged = std::mem::take(&mut *lock(&self.staged));
        staged.par_iter().try_for_each(|rel| -> io::Result<()> {
            let target = safe_join(&self.out, rel)?;
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                std::fs::remove_dir_all(&target)?;
            }
            if let Some(parent) = target.parent() {
                create_dirs(parent)?;
            }
            std::fs::rename(safe_join(&self.stage, rel)?, &target)
        })?;
        let keep: HashSet<PathBuf> = lock(&self.produced)
            .iter()
            .filter_map(|p| safe_join(&self.out, p).ok())
            .collect();
        let removed = remove_stale(&self.out, &keep)?;
        let _ = std::fs::remove_dir_all(&self.stage);
        Ok(Committed {
            written: staged,
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed,
        })
    }

    /// Throws the staged files away; the output folder is untouched.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.stage);
    }
}

/// Whether the file at `path` holds exactly `bytes` (its length already matches). Reads
/// in chunks: comparing a 40 MB framework.json must not hold a second copy in memory.
fn same_bytes(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut offset = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(offset == bytes.len());
        }
        if offset + n > bytes.len() || buf[..n] != bytes[offset..offset + n] {
            return Ok(false);
        }
        offset += n;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes one artifact unless the file already holds exactly these bytes (also used by
/// `serve`'s incremental writer).
pub(crate) fn write_one(out: &Path, a: &Artifact) -> io::Result<bool> {
    let path = safe_join(out, &a.path)?;
    if let Ok(meta) = std::fs::metadata(&path) {
        if meta.is_file() && meta.len() == a.bytes.len() as u64 && same_bytes(&path, &a.bytes)? {
            return Ok(false);
        }
        if meta.is_dir() {
            std::fs::remove_dir_all(&path)?;
        }
    }
    if let Some(parent) = path.parent() {
        create_dirs(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.rungs-tmp"));
    std::fs::write(&tmp, &a.bytes)?;
    std::fs::rename(&tmp, &path)?;
    Ok(true)
}

/// Like `create_dir_all`, but replaces a file that sits where a folder must go.
fn create_dirs(dir: &Path) -> io::Result<()> {
    match std::fs::create_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) => {
            let mut cur = dir;
            while let Some(parent) = cur.parent() {
                if cur.is_file() {
                    std::fs::remove_file(cur)?;
                    return std::fs::create_dir_all(dir);
                }
                cur = parent;
            }
            Err(e)
        }
    }
}

/// Removes every file under `out` not in `keep` (but the marker); returns their paths
/// relative to `out`, `/`-separated.
fn remove_stale(out: &Path, keep: &HashSet<PathBuf>) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    let mut dirs = Vec::new();
    for entry in WalkDir::new(out).min_depth(1).contents_first(true) {
        let entry = entry.map_err(io::Error::other)?;
        let path = entry.path();
        if entry.file_type().is_dir() {
            dirs.push(path.to_path_buf());
        } else if path.parent() == Some(out) && entry.file_name() == MARKER {
            continue;
        } else if !keep.contains(path) {
            std::fs::remove_file(path)?;
            if let Ok(rel) = path.strip_prefix(out) {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                removed.push(parts.join("/"));
            }
        }
    }
    for d in dirs {
        // Fails (harmlessly) when the folder still has files.
        let _ = std::fs::remove_dir(&d);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(path: &str, s: &str) -> Artifact {
        Artifact {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let r = write_output(
            &out,
            &[art("index.html", "a"), art("levels/x/index.html", "b")],
        )
        .unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        let r = write_output(
            &out,
            &[art("index.html", "a"), art("levels/y/index.html", "c")],
        )
        .unwrap();
        assert_eq!(
            r,
            WriteReport {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("levels/x").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("levels/y/index.html")).unwrap(),
            "c"
        );
    }

    #[test]
    fn refuses_a_non_empty_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
        assert!(write_output(dir.path(), &[art("index.html", "a")]).is_err());
        assert!(dir.path().join("precious.txt").exists());
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write_output(dir.path(), &[art("../evil.html", "a")]).is_err());
        assert!(write_output(dir.path(), &[art("/etc/evil.html", "a")]).is_err());
    }
}
