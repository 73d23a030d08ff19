//! Diagnostics: what is wrong with the user's framework, and how it is shown.
//!
//! Error policy (written once, here): `Err(..)` from a function means rungs itself could
//! not run (an unwritable output folder, a template that does not compile). A
//! [`Diagnostic`] means the *framework* is wrong: it is collected, never returned at the
//! first one, and printed by [`render`], which `build`, `check` and `serve` all share, so
//! that every command reports exactly the same problems the same way.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// An I/O error that names the operation and the path it failed on, for the "could not
/// run" channel: `cannot write public/index.html: Permission denied (os error 13)`.
pub(crate) fn io_error_at(op: &str, path: &Path) -> impl FnOnce(std::io::Error) -> std::io::Error {
    let what = format!("cannot {op} {}", path.display());
    move |e| std::io::Error::new(e.kind(), format!("{what}: {e}"))
}

/// How bad a problem is. Errors fail `build` and `check`; warnings are printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The framework is wrong: `build` and `check` fail.
    Error,
    /// Worth a look: printed, and the build goes on.
    Warning,
}

/// A position in a source file, 1-based like editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Pos {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1.
    pub column: u32,
}

impl Pos {
    /// The first column of the first line: where problems with a whole file point.
    pub const START: Pos = Pos { line: 1, column: 1 };

    /// A position; a line or column of 0 becomes 1.
    pub fn new(line: u32, column: u32) -> Self {
        Pos {
            line: line.max(1),
            column: column.max(1),
        }
    }
}

/// One problem in the framework, pointing at a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Whether it is an error or a warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// The line in `file`, from 1.
    pub line: u32,
    /// The column in `file`, from 1.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `pos` in `file` (a site-relative path), without help.
    pub fn error(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `pos` in `file` (a site-relative path), without help.
    pub fn warning(file: impl Into<String>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    /// The same diagnostic with `help` set.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether its severity is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, u32, u32, Severity, &str) {
        (
            &self.file,
            self.line,
            self.column,
            self.severity,
            &self.message,
        )
    }
}

/// Sorts diagnostics by file and position and drops exact duplicates, so that output is
/// deterministic whatever order the parallel stages produced them in.
pub fn normalize(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// The one way a list of diagnostics is finished before it is shown: sorted and
/// deduplicated ([`normalize`]), with the source of every file they name that `sources`
/// lacks (templates, static files) read in, so every message can quote its line.
/// Symlinks are not followed: one that leads outside the site is itself the problem.
pub fn finish(root: &Path, diags: &mut Vec<Diagnostic>, sources: &mut Sources) {
    normalize(diags);
    for d in diags.iter() {
        let path = root.join(&d.file);
        let plain_file = Path::new(&d.file)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
            && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() < 32 << 20);
        if plain_file
            && !sources.contains_key(&d.file)
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            sources.insert(d.file.clone(), text);
        }
    }
}

/// Whether any of `diags` is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// The output formats of `rungs check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For people: each message with the line it points at quoted (the default).
    #[default]
    Human,
    /// One JSON document: the counts of errors and warnings, and every diagnostic.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`), which annotate the files of
    /// a pull request.
    Github,
}

/// Source texts by site-relative path, so human output can quote the offending line.
pub type Sources = BTreeMap<String, String>;

/// Renders every diagnostic in the chosen format. `color` only affects `Human`.
pub fn render(diags: &[Diagnostic], sources: &Sources, format: Format, color: bool) -> String {
    match format {
        Format::Human => render_human(diags, sources, color),
        Format::Json => {
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let doc = serde_json::json!({
                "version": 1,
                "errors": errors,
                "warnings": diags.len() - errors,
                "diagnostics": diags,
            });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Github => {
            let mut out = String::new();
            for d in diags {
                let kind = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let mut msg = d.message.clone();
                if let Some(help) = &d.help {
                    msg.push_str(&format!(" (help: {help})"));
                }
                let _ = writeln!(
                    out,
                    "::{kind} file={},line={},col={},title=rungs::{}",
                    gh_escape_property(&printable(&d.file)),
                    d.line,
                    d.column,
                    gh_escape_data(&printable(&msg))
                );
            }
            out
        }
    }
}

/// A one-line count such as `2 errors, 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

fn render_human(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Where each quoted file's lines start, worked out once per file; and how often each
    // long line was quoted, so many problems on one long line (a paragraph of links)
    // cost time in proportion to the file, not to the line times the problems.
    let mut lines: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut quoted: BTreeMap<(&str, u32), usize> = BTreeMap::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        // A file name or message may hold control characters (a file named with an
        // escape sequence): shown escaped, never sent to the terminal as they are.
        let file = printable(&d.file);
        let message = printable(&d.message);
        let location = format!("{file}:{}:{}", d.line, d.column);
        let snippet_source = sources.get(&d.file).and_then(|text| {
            let starts = lines.entry(d.file.as_str()).or_insert_with(|| {
                std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect()
            });
            let (start, end) = line_bounds(text, starts, d.line)?;
            if end - start > LONG_LINE {
                let n = quoted.entry((d.file.as_str(), d.line)).or_default();
                *n += 1;
                if *n > QUOTES_PER_LONG_LINE {
                    return None;
                }
            }
            line_window(text, starts, d.line, d.column)
        });
        let mut report: Vec<Group> = Vec::new();
        let title = level.clone().primary_title(message.as_ref());
        let group = match &snippet_source {
            Some((text, start_line, span)) => title.element(
                Snippet::source(text.as_str())
                    .line_start(*start_line as usize)
                    .path(file.as_ref())
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            ),
            None => title.element(annotate_snippets::Origin::path(location.as_str())),
        };
        report.push(group);
        let help = d.help.as_deref().map(printable);
        if let Some(help) = &help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_ref()),
            ));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&report));
    }
    out
}

/// `text` with every control character but a line break written as its escape
/// (`\u{1b}`).
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// A line longer than this (in bytes) is quoted for at most
/// [`QUOTES_PER_LONG_LINE`] problems; the others name its file, line and column only.
const LONG_LINE: usize = 1_000;
const QUOTES_PER_LONG_LINE: usize = 3;

/// The byte range of line `line` (1-based) of `text`, without its line break, given
/// where every line starts.
fn line_bounds(text: &str, starts: &[usize], line: u32) -> Option<(usize, usize)> {
    let idx = line.checked_sub(1)? as usize;
    let start = *starts.get(idx)?;
    let end = starts.get(idx + 1).map_or(text.len(), |&next| next - 1);
    Some((start, end))
}

/// The quoted line (plus the one before, for context) and the byte span to underline;
/// `starts` are where the lines of `text` start.
fn line_window(
    text: &str,
    starts: &[usize],
    line: u32,
    column: u32,
) -> Option<(String, u32, std::ops::Range<usize>)> {
    let idx = line.checked_sub(1)? as usize;
    let text_line = |i: usize| {
        line_bounds(text, starts, i as u32 + 1).map(|(s, e)| {
            let l = &text[s..e];
            l.strip_suffix('\r').unwrap_or(l)
        })
    };
    let target = text_line(idx)?;
    let start = match idx.checked_sub(1).and_then(text_line) {
        Some(before) if !before.trim().is_empty() => idx - 1,
        _ => idx,
    };
    let mut window = String::new();
    for i in start..idx {
        window.push_str(text_line(i).unwrap_or_default());
        window.push('\n');
    }
    let line_offset = window.len();
    window.push_str(target);
    // Columns count characters; spans count bytes.
    let col_byte: usize = target
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map(|(i, _)| i)
        .unwrap_or(target.len());
    let rest = &target[col_byte..];
    let word_len = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | ']' | '}' | ':'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len())
        .max(rest.chars().next().map(char::len_utf8).unwrap_or(0));
    let begin = line_offset + col_byte;
    Some((window, start as u32 + 1, begin..begin + word_len))
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_property(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The site-relative display form of a path: `content/levels/expert/senior.md`.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf());
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag() -> Diagnostic {
        Diagnostic::error(
            "content/framework.yaml",
            Pos::new(3, 9),
            "unknown band `b9`",
        )
        .with_help("known bands: b1, b2")
    }

    #[test]
    fn control_characters_in_names_and_messages_are_escaped_for_the_terminal() {
        let d = Diagnostic::error(
            "content/levels/\u{1b}[31mred.md",
            Pos::START,
            "cannot read \u{1b}]0;title\u{7}",
        );
        let out = render(&[d], &Sources::new(), Format::Human, false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(
            out.contains("content/levels/\\u{1b}[31mred.md:1:1"),
            "{out}"
        );
    }

    #[test]
    fn github_annotations_carry_no_raw_control_characters() {
        let mut d = diag();
        d.file = "content/\u{1b}[31mred.md".into();
        d.message = "bad \u{7} bell".into();
        let out = render(&[d], &Sources::new(), Format::Github, false);
        assert!(!out.trim_end().chars().any(char::is_control), "{out:?}");
        assert!(
            out.contains("\\u{1b}[31mred.md") && out.contains("\\u{7}"),
            "{out}"
        );
    }

    #[test]
    fn github_format_is_a_workflow_annotation() {
        let out = render(&[diag()], &Sources::new(), Format::Github, false);
        assert_eq!(
            out,
            "::error file=content/framework.yaml,line=3,col=9,title=rungs::unknown band `b9` (help: known bands: b1, b2)\n"
        );
    }

    #[test]
    fn human_format_quotes_the_line_and_names_the_position() {
        let mut sources = Sources::new();
        sources.insert(
            "content/framework.yaml".into(),
            "a: 1\nb: 2\nband:   b9\n".into(),
        );
        let out = render(&[diag()], &sources, Format::Human, false);
        assert!(out.contains("content/framework.yaml:3:9"), "{out}");
        assert!(out.contains("band:   b9"), "{out}");
        assert!(out.contains("unknown band `b9`"), "{out}");
        assert!(out.contains("known bands"), "{out}");
    }

    #[test]
    fn a_long_line_is_quoted_for_its_first_problems_only() {
        let line = "[x](../gone/) ".repeat(200);
        let mut sources = Sources::new();
        sources.insert(
            "a.md".into(),
            format!("---\ntitle: x\n---\n{line}\nshort\n"),
        );
        let diags: Vec<Diagnostic> = (0..10)
            .map(|i| Diagnostic::warning("a.md", Pos::new(4, 1 + 14 * i), "w"))
            .chain([Diagnostic::error("a.md", Pos::new(5, 1), "e")])
            .collect();
        let out = render(&diags, &sources, Format::Human, false);
        // Every problem names its position; the long line is quoted three times.
        for d in &diags {
            assert!(
                out.contains(&format!("a.md:{}:{}", d.line, d.column)),
                "{out}"
            );
        }
        assert_eq!(out.matches("4 | ").count(), 3, "{out}");
        assert!(out.contains("5 | short"), "{out}");
    }

    #[test]
    fn json_format_counts_errors_and_warnings() {
        let w = Diagnostic::warning("a.md", Pos::START, "w");
        let out = render(&[diag(), w], &Sources::new(), Format::Json, false);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 1);
        assert_eq!(v["diagnostics"][0]["line"], 3);
    }

    #[test]
    fn normalize_sorts_and_dedups() {
        let mut v = vec![diag(), Diagnostic::error("a.md", Pos::START, "x"), diag()];
        normalize(&mut v);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].file, "a.md");
    }

    #[test]
    fn summary_pluralises() {
        assert_eq!(summary(&[diag()]), "1 error, 0 warnings");
    }
}
