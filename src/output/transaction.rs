//! One write of the output folder: artifacts are staged beside it as they are made and
//! moved into place only by [`Transaction::commit`]; dropping the transaction instead
//! (a failed build, a panic) removes the staging folder and leaves the output exactly as
//! it was. Only files whose bytes changed are staged; files the build no longer produces
//! are removed at commit. A commit that fails half-way undoes what it did (see
//! [`super::journal`]).
//!
//! Safety: the output folder is the only place written.
//! - rungs only ever deletes inside a folder it made. It marks its output folder with a
//!   `.rungs-output` file and refuses to write into a non-empty folder without one, so
//!   `--out .` or `--out ~` cannot wipe anything.
//! - The staging folder is created exclusively under a fresh name and removed (only it)
//!   on every way out, a panic included; a folder that merely looks like one is left
//!   alone.
//! - Symlinks inside the output are never followed: a path that passes through one is
//!   treated as changed, and the link itself (not what it points to) is replaced.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::journal::Journal;
use super::{Artifact, Output, Parts, fingerprint};
use crate::diagnostics::io_error_at as at;

/// The file that marks a folder as rungs's output. rungs writes into (and so cleans) a
/// non-empty folder only when it holds this file.
pub const MARKER: &str = ".rungs-output";

const MARKER_TEXT: &str =
    "This folder is written by rungs; files not produced by the last build are removed.\n";

/// Checks that `out` is a folder rungs may write into.
pub(crate) fn check_output_dir(out: &Path) -> io::Result<()> {
    if out.is_file() {
        return Err(io::Error::other(format!(
            "the output path {} is a file",
            out.display()
        )));
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let mut entries = std::fs::read_dir(out).map_err(at("read the output folder", out))?;
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

/// Every symlink inside `out` (not followed), as paths under `out`.
fn symlinks_in(out: &Path) -> io::Result<HashSet<PathBuf>> {
    let mut links = HashSet::new();
    if !out.is_dir() {
        return Ok(links);
    }
    for entry in WalkDir::new(out).min_depth(1).follow_links(false) {
        let entry =
            entry.map_err(|e| io::Error::other(format!("cannot list {}: {e}", out.display())))?;
        if entry.path_is_symlink() {
            links.insert(entry.path().to_path_buf());
        }
    }
    Ok(links)
}

/// What a commit did, path by path.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Committed {
    /// Output paths written (their bytes changed or they are new), sorted.
    pub written: Vec<String>,
    /// Output paths removed because this build no longer produces them, sorted.
    pub removed: Vec<String>,
    pub unchanged: usize,
}

/// Artifacts staged beside the output folder while a build renders; see the module
/// documentation.
pub(crate) struct Transaction<'o> {
    output: &'o Output,
    /// Made by this build alone (a fresh name, created exclusively); removed on drop.
    stage: tempfile::TempDir,
    /// Symlinks found in the output: never followed, replaced at commit.
    links: HashSet<PathBuf>,
    /// Every artifact path of this transaction and the fingerprint of its bytes.
    produced: Mutex<HashMap<String, u128>>,
    /// The paths whose bytes differ from the output's, each with the name of its staged
    /// copy. The staging folder is flat (files named by a counter): mirroring the
    /// output's folders would make a folder per page on every rebuild.
    staged: Mutex<Vec<(String, String)>>,
    /// The next staged file's name.
    next: AtomicUsize,
    unchanged: AtomicUsize,
    /// Tests: the change of the commit that fails (0: none), see `Journal::failing_at`.
    #[cfg(test)]
    fail_at: usize,
    /// Tests: replace files as systems without `RENAME_EXCHANGE` do.
    #[cfg(test)]
    no_exchange: bool,
}

impl<'o> Transaction<'o> {
    /// Checks the output folder and prepares an empty staging folder next to it (same
    /// file system, so moving files into place is a rename).
    pub(super) fn begin(output: &'o Output) -> io::Result<Transaction<'o>> {
        let out = output.dir();
        check_output_dir(out)?;
        // Beside the output, never in it: `--out .` is the current folder, whose parent
        // is one up, not `.`.
        let mut whole = std::path::absolute(out).map_err(at("find the output folder", out))?;
        if whole.ends_with("..") {
            // `--out ..`: its name is the folder's own, one up from its parent.
            whole = std::fs::canonicalize(&whole).map_err(at("find the output folder", out))?;
        }
        let name = whole
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let Some(parent) = whole.parent() else {
            return Err(io::Error::other(format!(
                "cannot write into {}: the staging folder goes beside the output, and it has no parent folder",
                out.display()
            )));
        };
        std::fs::create_dir_all(parent).map_err(at("create the folder", parent))?;
        let stage = tempfile::Builder::new()
            .prefix(&format!(".{name}.rungs-staging-"))
            .tempdir_in(parent)
            .map_err(at("create a staging folder in", parent))?;
        Ok(Transaction {
            output,
            stage,
            // An output whose every file this value wrote (serve's, after its first
            // commit) holds no link it did not see; any other is searched for them.
            links: if output.is_known() {
                HashSet::new()
            } else {
                symlinks_in(out)?
            },
            produced: Mutex::new(HashMap::new()),
            staged: Mutex::new(Vec::new()),
            next: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            #[cfg(test)]
            fail_at: 0,
            #[cfg(test)]
            no_exchange: false,
        })
    }

    /// Whether `target` (under the output) is, or lies below, a symlink.
    fn through_link(&self, target: &Path) -> bool {
        !self.links.is_empty()
            && target
                .ancestors()
                .take_while(|a| *a != self.output.dir())
                .any(|a| self.links.contains(a))
    }

    /// Whether the output already holds exactly these bytes at `target`.
    fn on_disk(&self, a: &Artifact, target: &Path, hash: u128) -> io::Result<bool> {
        if self.through_link(target) {
            return Ok(false);
        }
        if self.output.is_known() {
            return Ok(self.output.fingerprint_of(&a.path) == Some(hash));
        }
        Ok(std::fs::symlink_metadata(target)
            .is_ok_and(|m| m.is_file() && m.len() == a.bytes.len() as u64)
            && same_bytes(target, &a.bytes)?)
    }

    /// Stages one artifact, unless the output already holds exactly these bytes.
    pub(crate) fn put(&self, a: Artifact) -> io::Result<()> {
        let target = safe_join(self.output.dir(), &a.path)?;
        let hash = fingerprint(&a.bytes);
        lock(&self.produced).insert(a.path.clone(), hash);
        if self.on_disk(&a, &target, hash)? {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        self.stage_file(a.path, |staged| std::fs::write(staged, &a.bytes))
    }

    /// Writes a new file of the flat staging folder with `write` and notes it for
    /// `path`.
    fn stage_file(
        &self,
        path: String,
        write: impl FnOnce(&Path) -> io::Result<()>,
    ) -> io::Result<()> {
        let name = self.next.fetch_add(1, Ordering::Relaxed).to_string();
        let staged = self.stage.path().join(&name);
        write(&staged).map_err(at("write", &staged))?;
        lock(&self.staged).push((path, name));
        Ok(())
    }

    /// Stages a file made of `parts` (see [`Parts`]), unless the output already holds
    /// exactly these bytes: as [`put`](Self::put), but the parts are written one after
    /// the other (and hashed on the way), never joined into one buffer. The caller
    /// hands over only files it believes changed, so the bytes are written before they
    /// are compared with the record; an unchanged file's copy is dropped.
    pub(crate) fn put_parts(&self, path: &str, parts: &dyn Parts) -> io::Result<()> {
        let target = safe_join(self.output.dir(), path)?;
        if !self.output.is_known() || self.through_link(&target) {
            let mut bytes = Vec::new();
            parts.write_to(&mut bytes)?;
            return self.put(Artifact {
                path: path.to_string(),
                bytes,
            });
        }
        let mut hash = 0;
        self.stage_file(path.to_string(), |staged| {
            // Many small parts (the commas between framework.json's levels) go through a
            // buffer; large ones pass straight through it.
            let mut w = Hashing {
                inner: io::BufWriter::with_capacity(1 << 16, std::fs::File::create(staged)?),
                hash: xxhash_rust::xxh3::Xxh3::new(),
            };
            parts.write_to(&mut w)?;
            hash = w.hash.digest128();
            w.inner
                .into_inner()
                .map_err(io::IntoInnerError::into_error)?;
            Ok(())
        })?;
        lock(&self.produced).insert(path.to_string(), hash);
        if self.output.fingerprint_of(path) == Some(hash) {
            let mut staged = lock(&self.staged);
            if let Some(i) = staged.iter().rposition(|(p, _)| p == path) {
                let (_, name) = staged.remove(i);
                let _ = std::fs::remove_file(self.stage.path().join(name));
            }
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Moves every staged file into the output and removes the files that are neither
    /// produced by this transaction nor in `kept` (files on disk the caller did not
    /// produce again but still wants: pages an incremental rebuild did not re-render).
    /// Returns what it did and the output's new record.
    pub(crate) fn commit(self, kept: &[String]) -> io::Result<(Committed, HashMap<String, u128>)> {
        let out = self.output.dir();
        std::fs::create_dir_all(out).map_err(at("create the output folder", out))?;
        let marker = out.join(MARKER);
        if !marker.is_file() {
            remove_any(&marker)?;
            std::fs::write(&marker, MARKER_TEXT).map_err(at("write", &marker))?;
        }
        let staged = std::mem::take(&mut *lock(&self.staged));
        let stage = self.stage.path();
        #[cfg(not(test))]
        let journal = Journal::default();
        #[cfg(test)]
        let journal = Journal::failing_at(self.fail_at, self.no_exchange);
        // Where a file that is replaced or no longer produced goes until the staging
        // folder is removed (named apart from the staged files, which are numbers).
        let aside = || stage.join(format!("old-{}", self.next.fetch_add(1, Ordering::Relaxed)));
        // Links first: nothing is ever written through one. Longest paths first, so a
        // link inside a linked folder is not looked up through its parent.
        let mut links: Vec<&PathBuf> = self.links.iter().collect();
        links.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
        for link in links {
            if std::fs::symlink_metadata(link).is_ok_and(|m| m.file_type().is_symlink())
                && let Err(e) = journal.move_aside(link, aside())
            {
                let e = at("move away the symlink", link)(e);
                return Err(undone(e, journal.roll_back()));
            }
        }
        let moved = staged
            .par_iter()
            .try_for_each(|(rel, name)| -> io::Result<()> {
                let target = safe_join(out, rel)?;
                let from = stage.join(name);
                match std::fs::symlink_metadata(&target) {
                    Ok(m) if m.is_file() => {
                        return journal
                            .replace_file(&from, &target, aside())
                            .map_err(at("move a page into", &target));
                    }
                    Ok(m) if m.is_dir() => {
                        journal
                            .move_aside(&target, aside())
                            .map_err(at("move away the folder", &target))?;
                    }
                    _ => {}
                }
                if let Some(parent) = target.parent() {
                    create_dirs(out, parent, &journal, &aside)?;
                }
                journal
                    .add(&from, &target)
                    .map_err(at("move a page into", &target))
            });
        let mut record = std::mem::take(&mut *lock(&self.produced));
        for p in kept {
            if let Some(h) = self.output.fingerprint_of(p) {
                record.entry(p.clone()).or_insert(h);
            }
        }
        let removed = moved.and_then(|()| {
            if self.output.is_known() {
                let gone: Vec<String> = self
                    .output
                    .paths()
                    .filter(|p| !record.contains_key(*p))
                    .map(str::to_string)
                    .collect();
                for p in &gone {
                    remove_file_and_empty_parents(out, p, &journal, aside())?;
                }
                Ok(gone)
            } else {
                let keep: HashSet<PathBuf> = record
                    .keys()
                    .filter_map(|p| safe_join(out, p).ok())
                    .collect();
                remove_stale(out, &keep, &journal, &aside)
            }
        });
        let mut removed = match removed {
            Ok(removed) => removed,
            Err(e) => return Err(undone(e, journal.roll_back())),
        };
        let mut staged: Vec<String> = staged.into_iter().map(|(rel, _)| rel).collect();
        staged.sort();
        removed.sort();
        let committed = Committed {
            written: staged,
            removed,
            unchanged: self.unchanged.load(Ordering::Relaxed),
        };
        if self.output.is_known() {
            // serve: the staging folder now holds the replaced files' old bytes. Freeing
            // them (tens of MB of exports) is not part of the rebuild the browsers wait
            // for, so it happens beside the next one.
            // (If no thread can be started, the closure and the folder are dropped here.)
            let stage = self.stage;
            let _ = std::thread::Builder::new()
                .name("rungs-staging-cleanup".into())
                .spawn(move || drop(stage));
        }
        Ok((committed, record))
    }
}

/// A commit's error, with what became of the output: put back as it was, or not all of
/// it (`failed` changes could not be undone).
fn undone(e: io::Error, failed: usize) -> io::Error {
    let what = if failed == 0 {
        "the output folder was put back as it was".to_string()
    } else {
        format!("{failed} of the changes already made to the output folder could not be undone")
    };
    io::Error::new(e.kind(), format!("{e}; {what}"))
}

/// Removes whatever is at `path` that is not a folder (a symlink is removed, never followed).
fn remove_any(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path).map_err(at("remove", path)),
        Ok(_) => std::fs::remove_file(path).map_err(at("remove", path)),
        Err(_) => Ok(()),
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

/// A writer that fingerprints what passes through it.
struct Hashing<W> {
    inner: W,
    hash: xxhash_rust::xxh3::Xxh3,
}

impl<W: io::Write> io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes one output file (moved aside, for an undo) and the folders it leaves empty.
fn remove_file_and_empty_parents(
    out: &Path,
    rel: &str,
    journal: &Journal,
    aside: PathBuf,
) -> io::Result<()> {
    let path = safe_join(out, rel)?;
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => journal
            .move_aside(&path, aside)
            .map_err(at("remove the stale file", &path))?,
        // Gone, or a file now stands where its folder was.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(());
        }
        Err(e) => return Err(at("remove the stale file", &path)(e)),
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Makes `dir` (under `out`) a real folder: any symlink on the way from `out`, or file
/// standing where a folder must go, is moved aside (not followed).
fn create_dirs(
    out: &Path,
    dir: &Path,
    journal: &Journal,
    aside: &dyn Fn() -> PathBuf,
) -> io::Result<()> {
    let Ok(below) = dir.strip_prefix(out) else {
        return Err(io::Error::other(format!(
            "refusing to write outside the output folder: {}",
            dir.display()
        )));
    };
    let mut cur = out.to_path_buf();
    for part in below.components() {
        cur.push(part);
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() => continue,
            Ok(_) => {
                // Two threads may find the same file in the way: one moves it, under a
                // lock, after looking again (the other would move the folder made since).
                static MOVING: Mutex<()> = Mutex::new(());
                let _moving = lock(&MOVING);
                if std::fs::symlink_metadata(&cur).is_ok_and(|m| !m.is_dir()) {
                    journal
                        .move_aside(&cur, aside())
                        .map_err(at("move away the file", &cur))?;
                }
            }
            Err(_) => {}
        }
        match std::fs::create_dir(&cur) {
            Ok(()) => journal.made_folder(&cur),
            // Another thread made it meanwhile.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && cur.is_dir() => {}
            Err(e) => return Err(at("create the folder", &cur)(e)),
        }
    }
    Ok(())
}

/// Removes every file under `out` not in `keep` (but the marker), moving each aside for
/// an undo; returns their paths relative to `out`, `/`-separated.
fn remove_stale(
    out: &Path,
    keep: &HashSet<PathBuf>,
    journal: &Journal,
    aside: &dyn Fn() -> PathBuf,
) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    let mut dirs = Vec::new();
    for entry in WalkDir::new(out).min_depth(1).contents_first(true) {
        let entry =
            entry.map_err(|e| io::Error::other(format!("cannot list {}: {e}", out.display())))?;
        let path = entry.path();
        if entry.file_type().is_dir() {
            dirs.push(path.to_path_buf());
        } else if path.parent() == Some(out) && entry.file_name() == MARKER {
            continue;
        } else if !keep.contains(path) {
            journal
                .move_aside(path, aside())
                .map_err(at("remove the stale file", path))?;
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

    /// What one commit did: (written, unchanged, removed).
    fn write(out: &Path, artifacts: &[Artifact]) -> io::Result<(usize, usize, usize)> {
        let output = Output::new(out);
        let tx = output.begin()?;
        for a in artifacts {
            tx.put(a.clone())?;
        }
        let (c, _) = tx.commit(&[])?;
        Ok((c.written.len(), c.unchanged, c.removed.len()))
    }

    #[test]
    fn a_commit_that_fails_half_way_puts_the_output_back() {
        // Every file with its bytes, every folder (a failed commit leaves none of those
        // it made either) and every symlink with where it points.
        let files = |dir: &Path| {
            let mut folders = Vec::new();
            let mut links = Vec::new();
            for e in WalkDir::new(dir).into_iter().filter_map(Result::ok) {
                if e.file_type().is_dir() {
                    folders.push(e.path().display().to_string());
                } else if e.file_type().is_symlink() {
                    links.push((
                        e.path().display().to_string(),
                        std::fs::read_link(e.path()).unwrap(),
                    ));
                }
            }
            (crate::testing::files_under(dir), folders, links)
        };
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
        // Pages, a folder where a file is produced next and a file where a folder is.
        let first: Vec<Artifact> = (0..40)
            .map(|i| art(&format!("p{i}/index.html"), &format!("old {i}")))
            .chain([
                art("was-a-folder/inner/f", "folder file"),
                art("was-a-file", "a file"),
            ])
            .collect();
        // Changed pages, new pages, pages no longer produced, the folder and the file
        // replaced, a page where a symlink is.
        let second: Vec<Artifact> = (10..60)
            .map(|i| art(&format!("p{i}/index.html"), &format!("new {i}")))
            .chain([
                art("was-a-folder", "now a file"),
                art("was-a-file/index.html", "now in a folder"),
                art("linked/index.html", "a page of its own"),
            ])
            .collect();
        for fail_at in [1, 7, 30, 51, 60, 62] {
            for (known, no_exchange) in [(false, false), (true, false), (false, true)] {
                let _ = std::fs::remove_dir_all(&out);
                write(&out, &first).unwrap();
                let mut output = Output::new(&out);
                if known {
                    // serve's kind: a record of what is there (and so no symlink).
                    let tx = output.begin().unwrap();
                    for a in &first {
                        tx.put(a.clone()).unwrap();
                    }
                    let committed = tx.commit(&[]);
                    output.remember(committed).unwrap();
                    assert!(output.is_known());
                } else {
                    std::os::unix::fs::symlink("../elsewhere", out.join("linked")).unwrap();
                }
                let before = files(&out);
                let mut tx = output.begin().unwrap();
                for a in &second {
                    tx.put(a.clone()).unwrap();
                }
                tx.fail_at = fail_at;
                tx.no_exchange = no_exchange;
                let result = tx.commit(&[]);
                let err = result.expect_err("the injected failure stops the commit");
                let case =
                    format!("failed at change {fail_at}, known {known}, no exchange {no_exchange}");
                assert!(err.to_string().contains("(injected)"), "{case}: {err}");
                assert!(
                    err.to_string().contains("put back as it was"),
                    "{case}: {err}"
                );
                assert_eq!(files(&out), before, "{case}");
                // Without a failure the same commit goes through, in either mode.
                let tx = output.begin().unwrap();
                for a in &second {
                    tx.put(a.clone()).unwrap();
                }
                tx.commit(&[]).unwrap_or_else(|e| panic!("{case}: {e}"));
                let read = |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap();
                assert_eq!(read("was-a-folder"), "now a file");
                assert_eq!(read("was-a-file/index.html"), "now in a folder");
                assert!(!out.join("linked").is_symlink());
                assert!(!out.join("p0").exists());
                assert!(
                    std::fs::read_dir(dir.path().join("elsewhere"))
                        .unwrap()
                        .next()
                        .is_none()
                );
            }
        }
    }

    /// Names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_only_changed_files_and_removes_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let r = write(
            &out,
            &[art("index.html", "a"), art("levels/x/index.html", "b")],
        )
        .unwrap();
        assert_eq!(r, (2, 0, 0));
        let r = write(
            &out,
            &[art("index.html", "a"), art("levels/y/index.html", "c")],
        )
        .unwrap();
        assert_eq!(r, (1, 1, 1));
        assert!(!out.join("levels/x").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("levels/y/index.html")).unwrap(),
            "c"
        );
        assert_eq!(names(dir.path()), ["public"], "no staging folder is left");
    }

    #[test]
    fn parts_replace_a_known_file_with_the_joined_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let mut output = Output::new(&dir.path().join("public"));
        let tx = output.begin().unwrap();
        tx.put(art("framework.json", "old")).unwrap();
        tx.put(art("a/index.html", "a")).unwrap();
        let (_, record) = tx.commit(&[]).unwrap();
        output.record = Some(record);
        // Known output: hashed and written from the parts; the old file is swapped out.
        let tx = output.begin().unwrap();
        let parts: &[&[u8]] = &[b"{\"a\":", b"1", b"}"];
        tx.put_parts("framework.json", &parts).unwrap();
        tx.put(art("a/index.html", "a")).unwrap();
        let (c, record) = tx.commit(&[]).unwrap();
        assert_eq!(c.written, ["framework.json"]);
        assert_eq!(c.unchanged, 1);
        assert_eq!(
            std::fs::read_to_string(output.dir().join("framework.json")).unwrap(),
            "{\"a\":1}"
        );
        // The record holds the fingerprint of the bytes, made while they were written.
        assert_eq!(record["framework.json"], fingerprint(b"{\"a\":1}"));
        output.record = Some(record);
        // The same parts again are found unchanged: their copy is dropped, not moved in.
        let tx = output.begin().unwrap();
        tx.put_parts("framework.json", &parts).unwrap();
        tx.put(art("a/index.html", "a")).unwrap();
        let (c, _) = tx.commit(&[]).unwrap();
        assert!(c.written.is_empty(), "{:?}", c.written);
        assert_eq!(c.unchanged, 2);
    }

    #[test]
    fn refuses_a_non_empty_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "x").unwrap();
        assert!(write(dir.path(), &[art("index.html", "a")]).is_err());
        assert!(dir.path().join("precious.txt").exists());
    }

    #[test]
    fn refuses_paths_that_escape() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write(&dir.path().join("o"), &[art("../evil.html", "a")]).is_err());
        assert!(write(&dir.path().join("o"), &[art("/etc/evil.html", "a")]).is_err());
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_planted_in_the_output_are_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let victim = dir.path().join("victim");
        std::fs::create_dir_all(victim.join("x")).unwrap();
        std::fs::write(victim.join("x/index.html"), "b").unwrap();
        std::fs::write(victim.join("secret"), "s").unwrap();
        write(&out, &[art("index.html", "a")]).unwrap();
        std::os::unix::fs::symlink(&victim, out.join("levels")).unwrap();
        std::fs::remove_file(out.join("index.html")).unwrap();
        std::os::unix::fs::symlink(victim.join("secret"), out.join("index.html")).unwrap();
        // Same bytes as the victim's file: still written, as a real file in a real folder.
        let r = write(
            &out,
            &[
                art("index.html", "a"),
                art("levels/x/index.html", "b"),
                art("levels/y/index.html", "c"),
            ],
        )
        .unwrap();
        assert_eq!(r.0, 3);
        assert!(
            !std::fs::symlink_metadata(out.join("levels"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            !std::fs::symlink_metadata(out.join("index.html"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            names(&victim),
            ["secret", "x"],
            "nothing written into the victim"
        );
        assert_eq!(std::fs::read_to_string(victim.join("secret")).unwrap(), "s");
        assert_eq!(names(&victim.join("x")), ["index.html"]);
    }

    #[test]
    fn a_folder_named_like_the_staging_folder_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let lookalike = dir.path().join(".public.rungs-staging");
        std::fs::create_dir_all(&lookalike).unwrap();
        std::fs::write(lookalike.join("mine.txt"), "x").unwrap();
        write(&dir.path().join("public"), &[art("index.html", "a")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(lookalike.join("mine.txt")).unwrap(),
            "x"
        );
        assert_eq!(names(dir.path()), [".public.rungs-staging", "public"]);
    }

    #[test]
    fn an_abandoned_build_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let output = Output::new(&dir.path().join("public"));
        let tx = output.begin().unwrap();
        tx.put(art("index.html", "a")).unwrap();
        drop(tx);
        assert_eq!(names(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_known_output_keeps_what_the_caller_keeps_and_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let mut output = Output::new(&dir.path().join("public"));
        let tx = output.begin().unwrap();
        for a in [
            art("a/index.html", "a"),
            art("b/index.html", "b"),
            art("c/index.html", "c"),
        ] {
            tx.put(a).unwrap();
        }
        let (_, record) = tx.commit(&[]).unwrap();
        output.record = Some(record);
        // Re-render only `a` (same bytes) and keep `b`: `c` goes, with its folder.
        let tx = output.begin().unwrap();
        tx.put(art("a/index.html", "a")).unwrap();
        let (c, record) = tx.commit(&["b/index.html".to_string()]).unwrap();
        assert_eq!((c.written.len(), c.unchanged), (0, 1));
        assert_eq!(c.removed, ["c/index.html"]);
        assert!(!output.dir().join("c").exists());
        assert_eq!(record.len(), 2);
        assert_eq!(
            std::fs::read_to_string(output.dir().join("b/index.html")).unwrap(),
            "b"
        );
    }
}
