//! Finding the site's source files (I/O only): which file is what, by where it sits.
//!
//! Hidden files, editor swap and backup files are skipped; files and symlinks that lead
//! outside the site are refused with a diagnostic rather than read.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Pos, display_path};
use crate::parse::schema::{SLUG_HELP, check_slug};

/// The largest source file rungs reads (Markdown, YAML, TOML, templates): far above any
/// real framework file, and a bound on what one file can cost a build.
pub(crate) const MAX_SOURCE_BYTES: u64 = 32 << 20;

/// Reads a file the site provides, following a symlink (callers check where it leads),
/// refusing what is not a regular file (a FIFO would block the build forever, a device
/// would never end) and, with `limit`, what is larger than it. The error is the message
/// for a diagnostic at the file.
pub(crate) fn read_regular(path: &Path, limit: Option<u64>) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read this file: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "this is {}, not a regular file; rungs reads only regular files",
            file_type_name(&meta.file_type())
        ));
    }
    let too_big = |n: u64| {
        format!(
            "this file is {:.1} MiB; rungs reads source files of at most {} MiB",
            n as f64 / (1u64 << 20) as f64,
            MAX_SOURCE_BYTES >> 20
        )
    };
    if let Some(limit) = limit
        && meta.len() > limit
    {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read this file: {e}"))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Bounded even if the file grows between the check and the read.
    file.take(limit.map_or(u64::MAX, |l| l + 1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read this file: {e}"))?;
    match limit {
        Some(l) if bytes.len() as u64 > l => Err(too_big(bytes.len() as u64)),
        _ => Ok(bytes),
    }
}

/// Whether `path` exists and, once every symlink on the way is followed (in the path's
/// folders too, not only the last step), is not inside the site at `root`.
pub(crate) fn leads_outside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(target)) => !target.starts_with(root),
        _ => false,
    }
}

/// "a folder", "a FIFO (named pipe)", … for messages.
fn file_type_name(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// What a file is, by its place in `content/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum FileKind {
    Framework,
    Index,
    Level { track: String, id: String },
    Competency { area: String, id: String },
    Page { slug: String },
}

/// One source file, read.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Site-relative path with `/` separators, as diagnostics show it.
    pub rel: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub(crate) struct SourceTree {
    pub files: Vec<SourceFile>,
    pub diags: Vec<Diagnostic>,
    /// Per file, in the same order: its stamp, and whether it was read (`false` when
    /// [`discover_with`]'s `known` said it is unchanged: its bytes are left empty).
    pub stamps: Vec<(Option<Stamp>, bool)>,
    /// Framework files found but not read (unreadable, or a symlink leading outside the
    /// site), each with its diagnostic in `diags`: their ids still exist, so their
    /// absence must not also be reported as "unknown level" wherever they are named.
    pub unread: Vec<(String, FileKind)>,
}

/// A file's size, modification time and inode when it was discovered: `serve` re-reads a
/// file only when its stamp changed or the watcher reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    inode: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
        }
    }
}

/// Is this a file an editor leaves behind while saving (vim, emacs, JetBrains)?
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
}

/// Where a path under `content/` belongs, or a diagnostic saying why it belongs nowhere.
/// `parts` are the components below `content/`.
pub(crate) fn classify(parts: &[&str]) -> Result<Option<FileKind>, (String, Option<String>)> {
    let stem_of = |name: &str, ext: &str| name.strip_suffix(ext).map(str::to_string);
    let slug = |s: &str, what: &str| -> Result<String, (String, Option<String>)> {
        check_slug(s).map(|()| s.to_string()).map_err(|why| {
            (
                format!("{what} `{s}` is not a valid id: {why}"),
                Some(SLUG_HELP.to_string()),
            )
        })
    };
    match parts {
        ["framework.yaml"] => Ok(Some(FileKind::Framework)),
        ["framework.yml"] => Err((
            "the framework file must be named `framework.yaml`".into(),
            Some("rename it to content/framework.yaml".into()),
        )),
        ["index.md"] => Ok(Some(FileKind::Index)),
        ["levels", track, file] => match stem_of(file, ".md") {
            Some(id) => Ok(Some(FileKind::Level {
                track: slug(track, "track folder")?,
                id: slug(&id, "level id")?,
            })),
            None => Ok(None),
        },
        ["competencies", area, file] => match stem_of(file, ".md") {
            Some(id) => Ok(Some(FileKind::Competency {
                area: slug(area, "area folder")?,
                id: slug(&id, "competency id")?,
            })),
            None => Ok(None),
        },
        ["pages", file] => match stem_of(file, ".md") {
            Some(s) => Ok(Some(FileKind::Page {
                slug: slug(&s, "page slug")?,
            })),
            None => Ok(None),
        },
        ["levels", file] | ["competencies", file] if file.ends_with(".md") => Err((
            "this file is not inside a folder".into(),
            Some(if parts[0] == "levels" {
                "levels live at content/levels/<track>/<level>.md".into()
            } else {
                "competencies live at content/competencies/<area>/<competency>.md".into()
            }),
        )),
        [first, ..] if matches!(*first, "levels" | "competencies" | "pages") && parts.last().is_some_and(|f| f.ends_with(".md")) => Err((
            "this file is nested too deeply to be part of the framework".into(),
            Some("levels live at content/levels/<track>/<level>.md, competencies at content/competencies/<area>/<competency>.md, pages at content/pages/<slug>.md".into()),
        )),
        _ => Ok(None),
    }
}

/// [`discover`], but files for which `known(rel, stamp)` is true are not read (their
/// bytes are empty and their `stamps` entry says so): the caller has them already.
pub(crate) fn discover_with(
    root: &Path,
    known: &(dyn Fn(&str, &Stamp) -> bool + Sync),
) -> std::io::Result<SourceTree> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!(
                "{} has no content/ folder; is this a rungs site? (`rungs init` makes one)",
                root.display()
            ),
        ));
    }
    let canonical_root = root.canonicalize().map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot open {}: {e}", root.display()))
    })?;
    let mut tree = SourceTree::default();
    let found = walk(root, &content, &canonical_root, &mut tree);
    // The error side is boxed: a diagnostic, a path and a kind are much larger than the
    // file it stands for.
    type Read = Result<(SourceFile, Option<Stamp>, bool), Box<(Diagnostic, String, FileKind)>>;
    let read: Vec<Read> = found
        .into_par_iter()
        .map(|(rel, path, kind)| {
            let stamp = std::fs::metadata(&path).ok().map(|m| Stamp::of(&m));
            if stamp.is_some_and(|s| known(&rel, &s)) {
                let bytes = Vec::new();
                return Ok((SourceFile { rel, kind, bytes }, stamp, false));
            }
            match read_regular(&path, Some(MAX_SOURCE_BYTES)) {
                Ok(bytes) => Ok((SourceFile { rel, kind, bytes }, stamp, true)),
                Err(message) => Err(Box::new((
                    Diagnostic::error(&rel, Pos::START, message),
                    rel,
                    kind,
                ))),
            }
        })
        .collect();
    for r in read {
        match r {
            Ok((f, stamp, was_read)) => {
                tree.files.push(f);
                tree.stamps.push((stamp, was_read));
            }
            Err(failed) => {
                let (d, rel, kind) = *failed;
                tree.diags.push(d);
                tree.unread.push((rel, kind));
            }
        }
    }
    Ok(tree)
}

/// Every framework file under `content`: its site-relative path, its path and what it
/// is. Files that belong nowhere, symlinks that lead outside the site and unreadable
/// entries become diagnostics.
fn walk(
    root: &Path,
    content: &Path,
    canonical_root: &Path,
    tree: &mut SourceTree,
) -> Vec<(String, PathBuf, FileKind)> {
    let diags = &mut tree.diags;
    let mut found = Vec::new();
    let walker = WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                diags.push(Diagnostic::error(
                    path,
                    Pos::START,
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let rel = display_path(root, path);
        if entry.path_is_symlink() {
            if let Some(d) = symlink_problem(&rel, path, canonical_root) {
                diags.push(d);
                if let Ok(below) = path.strip_prefix(content)
                    && let Ok(Some(kind)) = classify(
                        &parts_of(below)
                            .iter()
                            .map(String::as_str)
                            .collect::<Vec<_>>(),
                    )
                {
                    tree.unread.push((rel, kind));
                }
                continue;
            }
        } else if entry.file_type().is_dir() {
            continue;
        }
        let Ok(below) = path.strip_prefix(content) else {
            continue;
        };
        let parts = parts_of(below);
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        match classify(&parts) {
            Ok(Some(kind)) => found.push((rel, path.to_path_buf(), kind)),
            Ok(None) => {
                let name = parts.last().copied().unwrap_or_default();
                let lower = name.to_ascii_lowercase();
                if name.ends_with(".md") || name.ends_with(".yaml") || name.ends_with(".yml") {
                    diags.push(
                        Diagnostic::warning(rel, Pos::START, "this file is not part of the framework and is ignored")
                            .with_help("content/ holds framework.yaml, index.md, levels/<track>/<level>.md, competencies/<area>/<competency>.md and pages/<slug>.md"),
                    );
                } else if let Some(stem) = [".md", ".markdown"]
                    .iter()
                    .find_map(|x| lower.strip_suffix(x).map(|_| &name[..name.len() - x.len()]))
                {
                    // `Senior.MD`, `senior.markdown`: meant to be read, and silently not.
                    diags.push(
                        Diagnostic::warning(rel, Pos::START, "this file is ignored: rungs reads Markdown files named `.md`, in lower case")
                            .with_help(format!("rename it to `{stem}.md`")),
                    );
                }
            }
            Err((message, help)) => {
                let mut d = Diagnostic::error(rel, Pos::START, message);
                d.help = help;
                diags.push(d);
            }
        }
    }
    found
}

/// A relative path's parts, as text.
fn parts_of(path: &Path) -> Vec<String> {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// Why a symlink under `content/` is not read, if it is not: it leads outside the site,
/// points to nothing, or is a folder (never followed).
fn symlink_problem(rel: &str, path: &Path, canonical_root: &Path) -> Option<Diagnostic> {
    match path.canonicalize() {
        Ok(target) if target.starts_with(canonical_root) => {}
        Ok(_) => {
            return Some(
                Diagnostic::error(rel, Pos::START, "this symlink leads outside the site")
                    .with_help(
                        "rungs only reads files inside the site folder; copy the file in instead",
                    ),
            );
        }
        Err(_) => {
            return Some(Diagnostic::error(
                rel,
                Pos::START,
                "this symlink points to nothing",
            ));
        }
    }
    path.is_dir().then(|| {
        Diagnostic::warning(rel, Pos::START, "symlinked folders are not followed")
            .with_help("move the folder into place instead of linking it")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_each_kind_of_file_by_its_place() {
        assert_eq!(classify(&["framework.yaml"]), Ok(Some(FileKind::Framework)));
        assert_eq!(
            classify(&["levels", "expert", "staff.md"]),
            Ok(Some(FileKind::Level {
                track: "expert".into(),
                id: "staff".into()
            }))
        );
        assert_eq!(
            classify(&["competencies", "craft", "testing.md"]),
            Ok(Some(FileKind::Competency {
                area: "craft".into(),
                id: "testing".into()
            }))
        );
        assert_eq!(
            classify(&["pages", "faq.md"]),
            Ok(Some(FileKind::Page { slug: "faq".into() }))
        );
        assert_eq!(classify(&["notes.txt"]), Ok(None));
    }

    #[test]
    fn refuses_ids_that_are_not_slugs() {
        assert!(classify(&["levels", "expert", "Staff Engineer.md"]).is_err());
        assert!(classify(&["levels", "Expert", "staff.md"]).is_err());
        assert!(classify(&["pages", "..md"]).is_err());
    }

    #[test]
    fn refuses_misplaced_framework_files() {
        assert!(classify(&["levels", "staff.md"]).is_err());
        assert!(classify(&["levels", "a", "b", "staff.md"]).is_err());
    }

    #[test]
    fn ignores_editor_leftovers() {
        for n in [
            ".level.md.swp",
            "level.md~",
            "#level.md#",
            ".#level.md",
            "4913",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("level.md"));
    }
}
