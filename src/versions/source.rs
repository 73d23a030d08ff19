//! One side of `rungs diff`: a site folder as it is, or the site as it was at a git
//! revision, extracted with `git archive` into a temporary folder (the repository, its
//! index and its working tree are never touched).

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A site to compare, ready to read.
pub struct Side {
    /// How to name it in the report: the folder, or `rev (abc1234)`.
    pub label: String,
    /// The site folder.
    pub root: PathBuf,
    /// The extracted revision, removed when the side is dropped.
    _temp: Option<tempfile::TempDir>,
}

impl Side {
    /// `spec` as a site: an existing folder is read as it is; anything else is a git
    /// revision of the repository holding `site_root`, whose site folder (the same path
    /// inside the repository as `site_root`) is extracted.
    pub fn open(spec: &str, site_root: &Path) -> io::Result<Side> {
        let as_dir = Path::new(spec);
        if as_dir.is_dir() {
            return Ok(Side {
                label: spec.to_string(),
                root: as_dir.to_path_buf(),
                _temp: None,
            });
        }
        revision(spec, site_root)
    }

    /// The site folder itself (the working tree).
    pub fn working_tree(site_root: &Path) -> Side {
        Side {
            label: "the working tree".into(),
            root: site_root.to_path_buf(),
            _temp: None,
        }
    }
}

fn git(root: &Path, args: &[&str]) -> io::Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The commit `rev` names in the repository holding `site_root`.
pub fn resolve(rev: &str, site_root: &Path) -> io::Result<String> {
    if rev.starts_with('-') {
        return Err(io::Error::other(format!("`{rev}` is not a git revision")));
    }
    let verify = format!("{rev}^{{commit}}");
    git(site_root, &["rev-parse", "--verify", "--quiet", &verify]).map_err(|_| {
        io::Error::other(format!(
            "`{rev}` is not a revision of the git repository at {}",
            site_root.display()
        ))
    })
}

fn revision(rev: &str, site_root: &Path) -> io::Result<Side> {
    let commit = resolve(rev, site_root).map_err(|_| {
        io::Error::other(format!(
            "`{rev}` is neither a folder nor a revision of the git repository at {}",
            site_root.display()
        ))
    })?;
    extract(&commit, rev, site_root)
}

/// The site folder as it was at `commit` (which `rev` names), in a temporary folder.
pub fn extract(commit: &str, rev: &str, site_root: &Path) -> io::Result<Side> {
    let commit = commit.to_string();
    // The site's folder inside the repository (empty at its top).
    let prefix = git(site_root, &["rev-parse", "--show-prefix"])?;
    // `commit:path` names a path from the repository's top, and git refuses to archive
    // from inside a folder it does not track yet: run it at the top.
    let top = PathBuf::from(git(site_root, &["rev-parse", "--show-toplevel"])?);
    let tree = if prefix.is_empty() {
        commit.clone()
    } else {
        format!("{commit}:{}", prefix.trim_end_matches('/'))
    };
    let temp = tempfile::Builder::new().prefix("rungs-diff-").tempdir()?;
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(&top)
        .args(["archive", "--format=tar", &tree])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run git: {e}")))?;
    let stdout = archive.stdout.take().expect("piped");
    let untar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(temp.path())
        .stdin(stdout)
        .output()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run tar: {e}")))?;
    let archived = archive.wait_with_output()?;
    if !archived.status.success() || !untar.status.success() {
        return Err(io::Error::other(format!(
            "cannot extract {rev} from git: {}{}",
            String::from_utf8_lossy(&archived.stderr).trim(),
            String::from_utf8_lossy(&untar.stderr).trim()
        )));
    }
    if !temp.path().join("content").is_dir() {
        let at = if prefix.is_empty() {
            "the repository's top".to_string()
        } else {
            format!("`{}`", prefix.trim_end_matches('/'))
        };
        return Err(io::Error::other(format!(
            "`{rev}` has no site at {at}: its tree there has no content/ folder (a revision from before the site was added?)"
        )));
    }
    let short = &commit[..commit.len().min(7)];
    Ok(Side {
        label: if rev.starts_with(short) {
            short.to_string()
        } else {
            format!("{rev} ({short})")
        },
        root: temp.path().to_path_buf(),
        _temp: Some(temp),
    })
}
