//! The output side of the pipeline: the files a build produces ([`Artifact`]), where
//! they go while it runs (`Sink`), and what is on disk ([`Output`]).
//!
//! `rungs build` and `rungs serve` write through the same [`Output`]: a build stages its
//! artifacts beside the output folder as they are rendered and moves them into place
//! only when the whole build succeeded (`transaction`). What differs is what the
//! output remembers: `serve` keeps a fingerprint of every file it wrote, so the next
//! rebuild can tell what changed without reading the disk, and passes the paths it did
//! not produce again (pages it did not re-render) as kept; a one-shot build knows
//! nothing and compares with the bytes on disk.

mod journal;
mod transaction;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

pub use transaction::MARKER;
pub(crate) use transaction::{Committed, Transaction};

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// Where artifacts go as they are made: staged for writing, or dropped by `check`.
pub(crate) type Sink<'a> = &'a (dyn Fn(Artifact) -> io::Result<()> + Sync);

/// A file made of parts written one after the other (framework.json and framework.csv,
/// spliced from per-level chunks that `serve` keeps out of memory), handed over without
/// being joined first.
pub(crate) trait Parts: Sync {
    /// Writes the parts, one after the other.
    fn write_to(&self, w: &mut dyn io::Write) -> io::Result<()>;
}

/// Parts held in memory.
impl Parts for &[&[u8]] {
    fn write_to(&self, w: &mut dyn io::Write) -> io::Result<()> {
        self.iter().try_for_each(|p| w.write_all(p))
    }
}

/// Where a file made of [`Parts`] goes: `(path, parts)`. The transaction writes the parts
/// straight to the file, so a 40 MB export is not first copied into one buffer;
/// [`concat_into`] adapts any [`Sink`].
pub(crate) type PartsSink<'a> = &'a (dyn Fn(&str, &dyn Parts) -> io::Result<()> + Sync);

/// Hands `sink` the artifact the parts make (a [`PartsSink`] for any [`Sink`]).
pub(crate) fn concat_into(sink: Sink<'_>, path: &str, parts: &dyn Parts) -> io::Result<()> {
    let mut bytes = Vec::new();
    parts.write_to(&mut bytes)?;
    sink(Artifact {
        path: path.to_string(),
        bytes,
    })
}

/// A 128-bit fingerprint of some bytes. The one hash rungs uses: for output files, for
/// source files in serve's parse cache, and for the search index's documents. XXH3 is
/// fast enough to run over every byte written.
pub(crate) fn fingerprint(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Fingerprints of several parts as one, without concatenating them (each part's length
/// is hashed too, so `["ab", "c"]` and `["a", "bc"]` differ).
pub(crate) fn fingerprint_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest128()
}

/// The output folder and what is known of its contents.
#[derive(Debug)]
pub struct Output {
    dir: PathBuf,
    /// Output path -> fingerprint of the bytes on disk, when known (after a commit by
    /// this value). `None`: unknown, so files are compared with the disk and stale ones
    /// found by listing the folder.
    record: Option<HashMap<String, u128>>,
}

impl Output {
    /// The output folder `dir`, its contents unknown.
    pub fn new(dir: &Path) -> Self {
        Output {
            dir: dir.to_path_buf(),
            record: None,
        }
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the files on disk are known (a commit by this value, none failed since).
    pub(crate) fn is_known(&self) -> bool {
        self.record.is_some()
    }

    /// Forgets what is on disk: after an I/O error, or when the disk may have changed.
    pub(crate) fn forget(&mut self) {
        self.record = None;
    }

    /// Every path on disk, when known.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        self.record
            .iter()
            .flat_map(|r| r.keys().map(String::as_str))
    }

    /// The fingerprint of the file at `path` on disk, when known.
    pub(crate) fn fingerprint_of(&self, path: &str) -> Option<u128> {
        self.record.as_ref()?.get(path).copied()
    }

    /// Starts writing: checks the folder and stages artifacts beside it.
    pub(crate) fn begin(&self) -> io::Result<Transaction<'_>> {
        Transaction::begin(self)
    }

    /// Takes the result of [`Transaction::commit`]: remembers what is now on disk, or
    /// forgets what it knew when the commit failed half way.
    pub(crate) fn remember(
        &mut self,
        result: io::Result<(Committed, HashMap<String, u128>)>,
    ) -> io::Result<Committed> {
        match result {
            Ok((committed, record)) => {
                self.record = Some(record);
                Ok(committed)
            }
            Err(e) => {
                self.record = None;
                Err(e)
            }
        }
    }
}

/// A path made absolute and free of `.`/`..` and symlinks, as far as it exists (the rest,
/// not yet created, is appended as written).
fn resolved(path: &Path) -> io::Result<PathBuf> {
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
pub(crate) fn check_location(root: &Path, out: &Path) -> io::Result<()> {
    let root = resolved(root)?;
    let out = resolved(out)?;
    let refuse = |why: String| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
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
