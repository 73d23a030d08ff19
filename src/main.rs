//! The `rungs` command line: parses the arguments, runs the pipeline, prints what it
//! returned and exits. Only this file and `rungs serve`'s terminal reporter print;
//! everything else returns values (see `rungs::diagnostics` for the error policy).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rungs::diagnostics::{self, Format};
use rungs::pipeline::{Edits, Outcome, Overrides, Pipeline};

/// Exit codes: 0 success, 1 the framework has errors, 2 the command could not run.
const EXIT_FRAMEWORK: u8 = 1;
const EXIT_CANNOT_RUN: u8 = 2;

#[derive(Parser)]
#[command(
    name = "rungs",
    version,
    about = "Build a career-ladder website from Markdown and YAML"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (only when the framework has no errors).
    Build {
        /// The site folder (with site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public, or output_dir in site.toml].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where the site will be published, e.g. https://example.com/careers/ (overrides site.toml).
        #[arg(long, value_parser = base_url_arg)]
        base_url: Option<String>,
        /// Publish levels with `status: draft` too (left out by default; serve shows them).
        #[arg(long)]
        drafts: bool,
    },
    /// Validate the framework and report every problem; writes nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
    /// Preview the site: build it, serve it, rebuild on every edit and reload open browsers.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but loopback exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using OS events (WSL, Docker bind mounts, network shares).
        #[arg(long)]
        poll: bool,
    },
    /// What changed for readers between two versions: folders or git revisions.
    ///
    /// `rungs diff` compares HEAD with the working tree; `rungs diff main` compares main
    /// with the working tree; `rungs diff main feature` two revisions; either side may
    /// be a site folder instead.
    Diff {
        /// The earlier version: a git revision of the site's repository or a site folder
        /// [default: HEAD].
        old: Option<String>,
        /// The later version [default: the working tree].
        new: Option<String>,
        /// The site folder (with site.toml and content/) whose repository the revisions
        /// belong to, and whose site.toml sets the `[versioning]` rule.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the report: text, Markdown (for a pull-request comment) or JSON.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Write JSON Schemas of framework.yaml, front matter and site.toml, for editors.
    ///
    /// `rungs schema` writes them all into <root>/.rungs/schemas/, where `rungs init`
    /// points editors; `rungs schema level` prints one.
    Schema {
        /// The one schema to print [default: write them all].
        #[arg(value_enum)]
        kind: Option<SchemaKind>,
        /// The site folder (with content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The folder to write into [default: <root>/.rungs/schemas].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a new starter framework into DIR (default: the current folder).
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Make a site from an existing framework: a spreadsheet (one row per behaviour, or
    /// competencies × levels) or heading-structured Markdown ladders.
    Import {
        /// What the input is.
        #[arg(value_enum)]
        format: FormatIn,
        /// The file (a spreadsheet), or Markdown files and folders of them.
        #[arg(required = true)]
        input: Vec<PathBuf>,
        /// The folder to write the site into; must be new or empty [default: <input name>-site].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Name a column whose header the importer does not recognise: FIELD=HEADER (or a
        /// column letter), e.g. --column behaviour="Expectation". Fields: family, track,
        /// band, level, area, competency, behaviour, examples, proficiency, level_id,
        /// competency_id, anchor, origin, summary.
        #[arg(long = "column", value_name = "FIELD=HEADER", value_parser = column_arg)]
        columns: Vec<(rungs::import::Field, String)>,
        /// A spreadsheet's shape, when the header row does not say it.
        #[arg(long, value_enum)]
        shape: Option<ShapeArg>,
        /// What a matrix workbook's sheets are [default: areas when they have the same level columns, else tracks].
        #[arg(long, value_enum)]
        sheets: Option<SheetsArg>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatIn {
    Csv,
    Xlsx,
    Ods,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum ShapeArg {
    /// One row per behaviour.
    Long,
    /// Competencies as rows, levels as columns.
    Matrix,
}

#[derive(Clone, Copy, ValueEnum)]
enum SheetsArg {
    Tracks,
    Areas,
}

fn column_arg(s: &str) -> Result<(rungs::import::Field, String), String> {
    rungs::import::parse_column_flag(s)
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    Framework,
    Level,
    Competency,
    Page,
    Index,
    Site,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

/// `--base-url`, checked by the rule `base_url` in site.toml follows (clap exits 2).
fn base_url_arg(s: &str) -> Result<String, String> {
    rungs::config::check_base_url(s)
        .map(|()| s.to_string())
        .map_err(|why| format!("{why}; {}", rungs::config::BASE_URL_HELP))
}

fn print_diags(outcome: &Outcome, format: Format) {
    // A JSON consumer always gets a document, problems or not.
    if outcome.diags.is_empty() && format != Format::Json {
        return;
    }
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let text = diagnostics::render(&outcome.diags, &outcome.sources, format, color);
    match format {
        Format::Human => eprint!("{text}"),
        _ => print!("{text}"),
    }
}

/// Stage timings on stderr when `RUNGS_TIMINGS` is set, for profiling builds.
fn print_timings(outcome: &Outcome) {
    if std::env::var_os("RUNGS_TIMINGS").is_some() {
        eprint!("{}", outcome.timings.describe());
    }
}

fn build(root: PathBuf, out: Option<PathBuf>, base_url: Option<String>, drafts: bool) -> ExitCode {
    let overrides = Overrides {
        base_url,
        drafts: Some(drafts),
    };
    let mut pipeline = Pipeline::build(&root, out.as_deref(), overrides).exiting_after_run();
    let outcome = match pipeline.run(&Edits::everything()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_CANNOT_RUN);
        }
    };
    print_diags(&outcome, Format::Human);
    print_timings(&outcome);
    if !outcome.ok {
        eprintln!(
            "Build failed: {}. The previous output was left untouched.",
            diagnostics::summary(&outcome.diags)
        );
        return ExitCode::from(EXIT_FRAMEWORK);
    }
    eprintln!(
        "Built {} pages ({} files: {} written, {} unchanged, {} removed) into {} in {} ms{}",
        outcome.pages,
        outcome.written.len() + outcome.unchanged,
        outcome.written.len(),
        outcome.unchanged,
        outcome.removed.len(),
        pipeline
            .out()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        outcome.elapsed.as_millis(),
        if outcome.diags.is_empty() {
            String::new()
        } else {
            format!("; {}", diagnostics::summary(&outcome.diags))
        }
    );
    ExitCode::SUCCESS
}

/// Reads one side of a diff; `None` (after printing why) when it has errors.
fn diff_side(
    side: &rungs::versions::source::Side,
) -> Result<Option<rungs::model::Framework>, std::io::Error> {
    let (fw, outcome) = rungs::pipeline::load_framework(&side.root)?;
    if !outcome.ok || fw.is_none() {
        let text = diagnostics::render(&outcome.diags, &outcome.sources, Format::Human, false);
        eprint!("{text}");
        eprintln!(
            "error: {} has errors ({}); fix them to compare it",
            side.label,
            diagnostics::summary(&outcome.diags)
        );
        return Ok(None);
    }
    Ok(fw)
}

fn diff(old: Option<String>, new: Option<String>, root: PathBuf, format: DiffFormat) -> ExitCode {
    use rungs::versions::{self, render, source::Side};
    let sides = (|| -> std::io::Result<(Side, Side)> {
        let old = Side::open(old.as_deref().unwrap_or("HEAD"), &root)?;
        let new = match new.as_deref() {
            Some(spec) => Side::open(spec, &root)?,
            None => Side::working_tree(&root),
        };
        Ok((old, new))
    })();
    let (old, new) = match sides {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_CANNOT_RUN);
        }
    };
    let read = |side: &Side| match diff_side(side) {
        Ok(fw) => Ok(fw),
        Err(e) => Err(e),
    };
    let (a, b) = match (read(&old), read(&new)) {
        (Ok(Some(a)), Ok(Some(b))) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_CANNOT_RUN);
        }
        _ => return ExitCode::from(EXIT_FRAMEWORK),
    };
    // The rule is the newer side's: a pull request that changes it is judged by it.
    let rule = b.config.versioning.clone();
    let report = versions::compare(&a, &b, (old.label.clone(), new.label.clone()), &rule);
    print!(
        "{}",
        match format {
            DiffFormat::Text => render::text(&report),
            DiffFormat::Markdown => render::markdown(&report),
            DiffFormat::Json => render::json(&report),
        }
    );
    ExitCode::SUCCESS
}

/// The site folder's path inside its git repository (`sites/eng/`), if it is in one
/// below the top.
fn repository_prefix(root: &std::path::Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--show-prefix"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let prefix = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !prefix.is_empty()).then_some(prefix)
}

fn check(root: PathBuf, format: FormatArg) -> ExitCode {
    let format = match format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    };
    let mut outcome = match Pipeline::check(&root).run(&Edits::everything()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            // A program reading the report still gets one: the problem, at the site.
            if format != Format::Human {
                let d = diagnostics::Diagnostic::error(
                    root.display().to_string(),
                    diagnostics::Pos::START,
                    e.to_string(),
                );
                print!(
                    "{}",
                    diagnostics::render(&[d], &diagnostics::Sources::new(), format, false)
                );
            }
            return ExitCode::from(EXIT_CANNOT_RUN);
        }
    };
    // GitHub places annotations by paths from the repository's top: a site in a
    // sub-folder of its repository names its files from there.
    if format == Format::Github
        && let Some(prefix) = repository_prefix(&root)
    {
        for d in &mut outcome.diags {
            d.file = format!("{prefix}{}", d.file);
        }
    }
    print_diags(&outcome, format);
    print_timings(&outcome);
    if format == Format::Human {
        eprintln!(
            "Checked {}: {}",
            root.display(),
            diagnostics::summary(&outcome.diags)
        );
    }
    if outcome.has_errors() {
        ExitCode::from(EXIT_FRAMEWORK)
    } else {
        ExitCode::SUCCESS
    }
}

fn schema(kind: Option<SchemaKind>, root: PathBuf, out: Option<PathBuf>) -> ExitCode {
    use rungs::schemas::{self, Kind};
    let kind = kind.map(|k| match k {
        SchemaKind::Framework => Kind::Framework,
        SchemaKind::Level => Kind::Level,
        SchemaKind::Competency => Kind::Competency,
        SchemaKind::Page => Kind::Page,
        SchemaKind::Index => Kind::Index,
        SchemaKind::Site => Kind::Site,
    });
    let result = match (kind, out) {
        (Some(kind), None) => {
            print!("{}", schemas::schema(kind));
            return ExitCode::SUCCESS;
        }
        (Some(kind), Some(dir)) => std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(dir.join(kind.file_name()), schemas::schema(kind)))
            .map(|()| (1, dir)),
        (None, Some(dir)) => schemas::write_all(&dir).map(|w| (w.len(), dir)),
        (None, None) if !root.join("content").is_dir() => {
            eprintln!(
                "error: {} has no content/ folder; is this a rungs site? (`--out DIR` writes anywhere)",
                root.display()
            );
            return ExitCode::from(EXIT_CANNOT_RUN);
        }
        (None, None) => {
            let dir = root.join(schemas::DIR);
            schemas::write_all(&dir).map(|w| (w.len(), dir))
        }
    };
    match result {
        Ok((n, dir)) => {
            eprintln!(
                "Wrote {n} JSON Schema{} into {}",
                if n == 1 { "" } else { "s" },
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_CANNOT_RUN)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn import(
    format: FormatIn,
    inputs: Vec<PathBuf>,
    out: Option<PathBuf>,
    columns: Vec<(rungs::import::Field, String)>,
    shape: Option<ShapeArg>,
    sheets: Option<SheetsArg>,
) -> ExitCode {
    use rungs::import::{Format as F, ImportOptions, Shape, SheetsAre};
    let out = out.unwrap_or_else(|| rungs::import::default_out(&inputs[0]));
    let options = ImportOptions {
        format: match format {
            FormatIn::Csv => F::Csv,
            FormatIn::Xlsx => F::Xlsx,
            FormatIn::Ods => F::Ods,
            FormatIn::Markdown => F::Markdown,
        },
        inputs,
        out: out.clone(),
        shape: shape.map(|s| match s {
            ShapeArg::Long => Shape::Long,
            ShapeArg::Matrix => Shape::Matrix,
        }),
        sheets: sheets.map(|s| match s {
            SheetsArg::Tracks => SheetsAre::Tracks,
            SheetsArg::Areas => SheetsAre::Areas,
        }),
        columns,
    };
    let outcome = match rungs::import::run(&options) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_CANNOT_RUN);
        }
    };
    if !outcome.diags.is_empty() {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!(
            "{}",
            diagnostics::render(&outcome.diags, &outcome.sources, Format::Human, color)
        );
    }
    if !outcome.written {
        eprintln!(
            "Import failed: {}. Nothing was written.",
            diagnostics::summary(&outcome.diags)
        );
        return ExitCode::from(EXIT_FRAMEWORK);
    }
    if !outcome.guesses.is_empty() {
        eprintln!("Guessed (also listed at the top of content/framework.yaml), to review:");
        for g in &outcome.guesses {
            eprintln!("  - {g}");
        }
    }
    eprintln!(
        "Imported {} track{}, {} level{}, {} competenc{} and {} behaviour{} into {} ({} files) in {} ms{}. Next: rungs serve --root {}",
        outcome.tracks,
        if outcome.tracks == 1 { "" } else { "s" },
        outcome.levels,
        if outcome.levels == 1 { "" } else { "s" },
        outcome.competencies,
        if outcome.competencies == 1 {
            "y"
        } else {
            "ies"
        },
        outcome.behaviours,
        if outcome.behaviours == 1 { "" } else { "s" },
        out.display(),
        outcome.files,
        outcome.elapsed.as_millis(),
        if outcome.diags.is_empty() {
            String::new()
        } else {
            format!("; {}", diagnostics::summary(&outcome.diags))
        },
        out.display()
    );
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
        } => build(root, out, base_url, drafts),
        Command::Check { root, format } => check(root, format),
        Command::Diff {
            old,
            new,
            root,
            format,
        } => diff(old, new, root, format),
        Command::Serve {
            root,
            port,
            bind,
            open,
            poll,
        } => {
            let opts = rungs::serve::ServeOptions {
                root,
                bind,
                port,
                open,
                poll,
            };
            match rungs::serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(EXIT_CANNOT_RUN)
                }
            }
        }
        Command::Schema { kind, root, out } => schema(kind, root, out),
        Command::Init { dir } => match rungs::init::init(&dir) {
            Ok(n) => {
                eprintln!(
                    "Wrote a starter framework ({n} files) into {}. Next: rungs build --root {}",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_CANNOT_RUN)
            }
        },
        Command::Import {
            format,
            input,
            out,
            columns,
            shape,
            sheets,
        } => import(format, input, out, columns, shape, sheets),
    }
}
