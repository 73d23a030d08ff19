//! A test site in a temp folder, built and checked through the `rungs` binary, so that
//! tests read like sentences: `Site::fixture("basic").write(..).check()`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_rungs");

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// What a run of the binary printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl Site {
    /// A copy of `tests/fixtures/<name>` in a fresh temp folder.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        copy_dir(&fixtures().join(name), &root);
        Site { _dir: dir, root }
    }

    /// A copy of the repository's own sample framework.
    pub fn sample() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&repo.join("content"), &root.join("content"));
        std::fs::copy(repo.join("site.toml"), root.join("site.toml")).unwrap();
        Site { _dir: dir, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Replaces the first `from` in a site file with `to` (which must be there).
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, text.replacen(from, to, 1))
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Command::new(BIN)
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
            .into()
    }

    pub fn out(&self) -> PathBuf {
        self.root.join("public")
    }

    pub fn build(&self) -> Run {
        let root = self.root.to_str().unwrap();
        self.run(&["build", "--root", root])
    }

    pub fn check(&self, format: &str) -> Run {
        let root = self.root.to_str().unwrap();
        self.run(&["check", "--root", root, "--format", format])
    }

    /// Builds and panics with the diagnostics if the build failed.
    pub fn built(&self) -> &Self {
        let r = self.build();
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        self
    }

    /// An output file as text.
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }

    /// Every output file's bytes, by relative path.
    pub fn snapshot_output(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let out = self.out();
        walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }
}

/// Compares `actual` with `tests/snapshots/<name>` (`UPDATE_SNAPSHOTS=1` rewrites it),
/// returning the difference instead of panicking, so a table of cases can report every
/// mismatch at once. A missing snapshot is written and reported.
pub fn check_snapshot(name: &str, actual: &str) -> Result<(), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    if update || !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return if update {
            Ok(())
        } else {
            Err(format!("new snapshot {name} written; review it and re-run"))
        };
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "snapshot {name} differs (UPDATE_SNAPSHOTS=1 to accept)\n--- expected\n{expected}\n--- actual\n{actual}"
        ))
    }
}

/// The real frameworks under `tests/corpus/` (a copy of the shared corpus): their names.
pub fn corpus_sites() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("content/framework.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

impl Site {
    /// A copy of the real framework `tests/corpus/<name>`.
    pub fn corpus(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus")
            .join(name);
        for part in ["site.toml", "content", "static"] {
            if from.join(part).exists() {
                if from.join(part).is_dir() {
                    copy_dir(&from.join(part), &root.join(part));
                } else {
                    std::fs::create_dir_all(&root).unwrap();
                    std::fs::copy(from.join(part), root.join(part)).unwrap();
                }
            }
        }
        Site { _dir: dir, root }
    }

    /// Every HTML page of the output, by relative path.
    pub fn html_pages(&self) -> Vec<(String, String)> {
        self.snapshot_output()
            .into_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
            .collect()
    }
}

/// A copy of `tests/fixtures/<name>` as the whole of a fresh temp folder.
pub fn fixture_dir(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

/// Writes `text` at `rel` under `root`, making folders as needed.
/// Writes a site file in one step, as editors that save by renaming do: a watcher never
/// sees it empty or half-written (with truncate-then-write, a loaded machine could
/// rebuild in between and announce a broken edit before the real one).
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    // Beside the site, on the same file system, so the rename is atomic.
    let staged = tempfile::NamedTempFile::new_in(root.parent().unwrap_or(root)).unwrap();
    std::fs::write(staged.path(), text).unwrap();
    staged.persist(&p).unwrap();
}

/// Every file under `dir` but the output marker, by relative path.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel != rungs::output::MARKER {
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

/// A clean build of `root` through the library (the pipeline `rungs build` runs) into a
/// fresh folder: its files, or `None` when the framework has errors.
pub fn clean_build(root: &Path) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
    use rungs::pipeline::{Edits, Overrides, Pipeline};
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let outcome = Pipeline::build(root, Some(&target), Overrides::default())
        .run(&Edits::everything())
        .unwrap();
    outcome.ok.then(|| snapshot(&target))
}

/// A small deterministic PRNG (xorshift64*), so randomised tests replay exactly.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}
