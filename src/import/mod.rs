//! `rungs import`: an existing framework, from a spreadsheet or Markdown ladder, as a
//! working rungs site.
//!
//! ```text
//! read    : csv | xlsx | ods -> Sheets -> (long or matrix shape) -+
//!           markdown files   -> headings, lists, paragraphs ------+-> Table (neutral)
//! build   : Table            -> Site (ids, bands, areas, scales, inheritance, guesses)
//! write   : Site             -> files in a temporary folder, checked with rungs' own
//!                               pipeline, then renamed into place
//! ```
//!
//! Problems with the input are diagnostics naming the file and its line (or a
//! spreadsheet's cell); when there is any error nothing is written. The output folder
//! must be new or empty, as for `rungs init`.

mod markdown;
mod sheet;
mod site;
mod spreadsheet;
mod table;
mod text;
mod write;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::{self, Diagnostic, Sources, io_error_at as at};

/// The largest input file read, like any source of a site.
const MAX_INPUT_BYTES: u64 = 32 << 20;
/// The largest spreadsheet cell or Markdown behaviour read.
const MAX_CELL_BYTES: usize = 100_000;
/// The rows and columns of a sheet read (Excel's row limit; far more columns than any
/// framework has levels).
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 1_000;

/// What the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values (semicolons and tabs are recognised too).
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// An OpenDocument spreadsheet.
    Ods,
    /// Markdown files or a folder of them.
    Markdown,
}

impl Format {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Markdown => "markdown",
        }
    }
}

/// A spreadsheet's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// One row per behaviour.
    Long,
    /// Competencies as rows, levels as columns.
    Matrix,
}

/// What the sheets of a matrix workbook are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetsAre {
    /// One ladder per sheet.
    Tracks,
    /// One area of competencies per sheet, all with the same levels.
    Areas,
}

/// A column a spreadsheet may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(missing_docs)]
pub enum Field {
    Family,
    Track,
    Band,
    Level,
    Area,
    Competency,
    Behaviour,
    Examples,
    Proficiency,
    LevelId,
    CompetencyId,
    Anchor,
    Origin,
    Summary,
}

impl Field {
    /// Every field, in the order `--column` help lists them.
    pub const ALL: &'static [Field] = &[
        Field::Family,
        Field::Track,
        Field::Band,
        Field::Level,
        Field::Area,
        Field::Competency,
        Field::Behaviour,
        Field::Examples,
        Field::Proficiency,
        Field::LevelId,
        Field::CompetencyId,
        Field::Anchor,
        Field::Origin,
        Field::Summary,
    ];

    /// Its name in `--column NAME=HEADER` (the header of rungs' own export).
    pub fn name(self) -> &'static str {
        match self {
            Field::Family => "family",
            Field::Track => "track",
            Field::Band => "band",
            Field::Level => "level",
            Field::Area => "area",
            Field::Competency => "competency",
            Field::Behaviour => "behaviour",
            Field::Examples => "examples",
            Field::Proficiency => "proficiency",
            Field::LevelId => "level_id",
            Field::CompetencyId => "competency_id",
            Field::Anchor => "anchor",
            Field::Origin => "origin",
            Field::Summary => "summary",
        }
    }
}

/// `behaviour="Expectation"` from `--column`: the field and the header it names (or a
/// column letter such as `C`).
pub fn parse_column_flag(s: &str) -> Result<(Field, String), String> {
    let names = || {
        Field::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (name, header) = s.split_once('=').ok_or_else(|| {
        format!(
            "expected FIELD=HEADER, such as behaviour=\"Expectation\"; fields: {}",
            names()
        )
    })?;
    let key = name.trim().to_ascii_lowercase().replace('-', "_");
    let key = if key == "behavior" {
        "behaviour".to_string()
    } else {
        key
    };
    let field = Field::ALL
        .iter()
        .copied()
        .find(|f| f.name() == key)
        .ok_or_else(|| format!("unknown field `{}`; fields: {}", name.trim(), names()))?;
    let header = header.trim().trim_matches('"').trim();
    if header.is_empty() {
        return Err(format!("--column {}= names no header", field.name()));
    }
    Ok((field, header.to_string()))
}

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The input's format.
    pub format: Format,
    /// The input: one spreadsheet, or Markdown files and folders.
    pub inputs: Vec<PathBuf>,
    /// The folder to write the site into (new or empty).
    pub out: PathBuf,
    /// A spreadsheet's shape, when not left to the header row.
    pub shape: Option<Shape>,
    /// What a matrix workbook's sheets are, when not left to their columns.
    pub sheets: Option<SheetsAre>,
    /// Header names (or column letters) for fields, from `--column`.
    pub columns: Vec<(Field, String)>,
}

/// The folder an import writes into by default: `<input name>-site` in the current
/// folder.
pub fn default_out(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .or_else(|| input.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && s != "." && s != "..")
        .unwrap_or_else(|| "imported".into());
    PathBuf::from(format!("{stem}-site"))
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    /// Problems with the input (errors mean nothing was written) and warnings.
    pub diags: Vec<Diagnostic>,
    /// Source texts for quoting lines in diagnostics.
    pub sources: Sources,
    /// Everything the importer guessed, to review.
    pub guesses: Vec<String>,
    /// Whether the site was written.
    pub written: bool,
    /// Files written.
    pub files: usize,
    /// What was imported.
    pub tracks: usize,
    #[allow(missing_docs)]
    pub levels: usize,
    #[allow(missing_docs)]
    pub competencies: usize,
    #[allow(missing_docs)]
    pub behaviours: usize,
    /// How long it took.
    pub elapsed: Duration,
}

impl ImportOutcome {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        diagnostics::has_errors(&self.diags)
    }
}

/// One input file, as messages name it.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    pub display: Arc<str>,
    pub format: Format,
}

impl Input {
    fn format_name(&self) -> &'static str {
        match self.format {
            Format::Xlsx => "XLSX",
            Format::Ods => "ODS",
            Format::Csv => "CSV",
            Format::Markdown => "Markdown",
        }
    }

    #[cfg(test)]
    pub(crate) fn for_tests(name: &str) -> Input {
        Input {
            display: name.into(),
            format: Format::Csv,
        }
    }
}

/// Refuses an output folder that has anything in it (or is a file), as `rungs init` does.
fn check_out(out: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(at("read", out)(e)),
        Ok(m) if !m.is_dir() => Err(io::Error::other(format!(
            "{} exists and is not a folder",
            out.display()
        ))),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out).map_err(at("read", out))?;
            if entries.next().is_some() {
                return Err(io::Error::other(format!(
                    "{} is not empty; rungs import only writes into a new or empty folder (pass --out)",
                    out.display()
                )));
            }
            Ok(())
        }
    }
}

/// Runs an import. `Err` means it could not run (an unreadable input, an output folder
/// that is not empty); problems with the input's content are diagnostics, and any error
/// among them means nothing was written.
pub fn run(options: &ImportOptions) -> io::Result<ImportOutcome> {
    let start = Instant::now();
    check_out(&options.out)?;
    let mut outcome = ImportOutcome::default();
    let mut diags = Vec::new();
    let first = options
        .inputs
        .first()
        .ok_or_else(|| io::Error::other("no input file named"))?;
    let file_title = title_of_path(first);
    let table = match options.format {
        Format::Markdown => {
            let files = markdown_files(&options.inputs, &mut diags, &mut outcome.sources)?;
            if diagnostics::has_errors(&diags) {
                return Ok(finish(outcome, diags, start));
            }
            if files.is_empty() {
                return Err(io::Error::other(format!(
                    "no Markdown files (.md, .markdown) in {}",
                    first.display()
                )));
            }
            markdown::read(&files, &mut diags)
        }
        format => {
            if options.inputs.len() > 1 {
                return Err(io::Error::other(format!(
                    "rungs import {} reads one file; Markdown imports take several",
                    format.name()
                )));
            }
            let input = Input {
                display: first.display().to_string().into(),
                format,
            };
            let bytes = sheet::read_bounded(first)?;
            if bytes.len() as u64 > MAX_INPUT_BYTES {
                diags.push(table::Place::text(&input.display, 1, 1).error(format!(
                    "the file is over {} MiB; the importer reads files of at most that size",
                    MAX_INPUT_BYTES >> 20
                )));
                outcome.diags = diags;
                outcome.elapsed = start.elapsed();
                return Ok(outcome);
            }
            let sheets = match format {
                Format::Csv => sheet::read_csv(&input, &bytes),
                Format::Xlsx => sheet::read_xlsx(&input, &bytes),
                _ => sheet::read_ods(&input, &bytes),
            };
            diags.extend(sheets.diags);
            if sheets.sheets.is_empty() && diagnostics::has_errors(&diags) {
                return Ok(finish(outcome, diags, start));
            }
            let mut t = spreadsheet::read(&sheets.sheets, options, &file_title, &mut diags);
            let mut notes = sheets.notes;
            notes.append(&mut t.notes);
            t.notes = notes;
            t
        }
    };
    if !diagnostics::has_errors(&diags) && table.rows.is_empty() {
        diags.push(
            table::Place::text(&first.display().to_string().into(), 1, 1)
                .error("no behaviours found: nothing to import")
                .with_help(match options.format {
                    Format::Markdown => "the importer reads a level per heading (or per file), competencies as sub-headings and behaviours as bullets or paragraphs under them",
                    _ => "check that the header row names the columns, and that the rows below it hold behaviours",
                }),
        );
    }
    if diagnostics::has_errors(&diags) {
        return Ok(finish(outcome, diags, start));
    }
    let site = site::build(table, &file_title, &mut diags);
    outcome.guesses = site.guesses.clone();
    outcome.tracks = site.tracks.len();
    outcome.levels = site.levels.len();
    outcome.competencies = site.competencies.len();
    outcome.behaviours = site.behaviours;
    if diagnostics::has_errors(&diags) {
        return Ok(finish(outcome, diags, start));
    }
    let source = options
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let files = write::files(&site, &source, options.format.name())
        .map_err(|e| io::Error::other(format!("cannot write the site's YAML: {e}")))?;
    // Written beside the output, checked, then renamed into place.
    let parent = match options.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(at("create the folder", &parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".rungs-import-")
        .tempdir_in(&parent)
        .map_err(at("create a folder in", &parent))?;
    write::write_all(staging.path(), &files)?;
    let (_, check) = crate::pipeline::load_framework(staging.path())?;
    let out_name = options.out.display().to_string();
    for mut d in check.diags {
        if let Some(text) = check.sources.get(&d.file) {
            outcome
                .sources
                .insert(format!("{out_name}/{}", d.file), text.clone());
        }
        d.file = format!("{out_name}/{}", d.file);
        if d.is_error() {
            d.message = format!(
                "the imported site would not pass `rungs check` (a bug in the importer; please report it with the input): {}",
                d.message
            );
        }
        diags.push(d);
    }
    if diagnostics::has_errors(&diags) {
        return Ok(finish(outcome, diags, start));
    }
    check_out(&options.out)?;
    if options.out.exists() {
        std::fs::remove_dir(&options.out).map_err(at("replace", &options.out))?;
    }
    let kept = staging.keep();
    if let Err(e) = std::fs::rename(&kept, &options.out) {
        let _ = std::fs::remove_dir_all(&kept);
        return Err(at("move the imported site to", &options.out)(e));
    }
    outcome.written = true;
    outcome.files = files.len();
    Ok(finish(outcome, diags, start))
}

fn finish(mut outcome: ImportOutcome, mut diags: Vec<Diagnostic>, start: Instant) -> ImportOutcome {
    diagnostics::normalize(&mut diags);
    outcome.diags = diags;
    outcome.elapsed = start.elapsed();
    outcome
}

/// A title from a file name: `circleci-matrix.xlsx` → `Circleci matrix`.
fn title_of_path(path: &Path) -> String {
    let stem = path
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let words = stem.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => "Career framework".into(),
    }
}

/// The Markdown files named, folders walked in name order (hidden files and editor
/// leftovers skipped), each decoded as UTF-8 with front matter blanked out (so lines keep
/// their numbers).
fn markdown_files(
    inputs: &[PathBuf],
    diags: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> io::Result<Vec<markdown::MdFile>> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(at("read", input))?;
        let mut paths: Vec<(PathBuf, String)> = Vec::new();
        if meta.is_dir() {
            for e in walkdir::WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
            {
                let e = e.map_err(|e| {
                    io::Error::other(format!("cannot read {}: {e}", input.display()))
                })?;
                let name = e.file_name().to_string_lossy().into_owned();
                let is_md = name.ends_with(".md") || name.ends_with(".markdown");
                if e.file_type().is_file() && is_md && !name.starts_with(['#', '.']) {
                    let folder = e
                        .path()
                        .parent()
                        .and_then(|p| p.strip_prefix(input).ok())
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                        .unwrap_or_default();
                    paths.push((e.path().to_path_buf(), folder));
                }
            }
            // A README (or index) first: it is usually the main ladder.
            paths.sort_by_key(|(p, folder)| {
                let name = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                (
                    folder.clone(),
                    !matches!(name.as_str(), "readme" | "index"),
                    p.clone(),
                )
            });
        } else {
            paths.push((input.clone(), String::new()));
        }
        for (path, folder) in paths {
            let display: Arc<str> = path.display().to_string().into();
            let bytes = sheet::read_bounded(&path)?;
            if bytes.len() as u64 > MAX_INPUT_BYTES {
                diags.push(table::Place::text(&display, 1, 1).error(format!(
                    "the file is over {} MiB; the importer reads files of at most that size",
                    MAX_INPUT_BYTES >> 20
                )));
                continue;
            }
            let text = match crate::parse::frontmatter::decode(bytes) {
                Ok(t) => t,
                Err(e) => {
                    diags.push(
                        table::Place::text(&display, e.pos.line, e.pos.column)
                            .error(e.message("this file"))
                            .with_help(crate::parse::frontmatter::NotUtf8::HELP),
                    );
                    continue;
                }
            };
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
            let text = blank_front_matter(text);
            sources.insert(display.to_string(), text.clone());
            files.push(markdown::MdFile {
                display,
                folder,
                stem: path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                text,
            });
        }
    }
    Ok(files)
}

/// Front matter (`---` … `---` at the top) replaced by blank lines.
fn blank_front_matter(text: String) -> String {
    match crate::parse::frontmatter::split(&text) {
        Ok(split) if split.yaml.is_some() => {
            let lines = split.body_line.saturating_sub(1) as usize;
            format!("{}{}", "\n".repeat(lines), split.body)
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_flags() {
        assert_eq!(
            parse_column_flag("behaviour=\"Expectation\"").unwrap(),
            (Field::Behaviour, "Expectation".into())
        );
        assert_eq!(
            parse_column_flag("behavior=Expectation").unwrap().0,
            Field::Behaviour
        );
        assert_eq!(parse_column_flag("level-id=ID").unwrap().0, Field::LevelId);
        assert!(
            parse_column_flag("nope=x")
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(parse_column_flag("behaviour").is_err());
        assert!(parse_column_flag("behaviour=").is_err());
    }

    #[test]
    fn default_output_folders() {
        assert_eq!(
            default_out(Path::new("a/ladder.xlsx")),
            PathBuf::from("ladder-site")
        );
        assert_eq!(default_out(Path::new("docs/")), PathBuf::from("docs-site"));
    }

    #[test]
    fn front_matter_is_blanked_keeping_lines() {
        assert_eq!(
            blank_front_matter("---\na: 1\n---\n# x\n".into()),
            "\n\n\n# x\n"
        );
        assert_eq!(blank_front_matter("# x\n".into()), "# x\n");
    }
}
