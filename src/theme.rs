//! Themes and template lookup. The default theme is embedded in the binary, so an
//! installed `rungs` needs nothing else.
//!
//! Lookup order for a template name such as `level.html`: the site's `templates/`, then
//! the selected theme (`themes/<name>/templates/` in the site), then the built-in default.
//! The selected theme's templates are also reachable as `theme/<name>` and the built-in
//! ones as `builtin/<name>`, so a site template can `{% extends "theme/level.html" %}` and
//! replace one block instead of copying the whole file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Pos, display_path};
use crate::discover::is_ignored_name;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub const DEFAULT: &str = "default";

/// Compiled templates and the static files to copy.
pub struct Theme {
    pub tera: Tera,
    /// Output-relative path and bytes; later entries win (site `static/` last).
    pub statics: Vec<(String, Vec<u8>)>,
    /// Tera template name -> the file it came from, for pointing errors at it.
    origins: HashMap<String, String>,
}

impl Theme {
    /// A diagnostic for a template failure, at the template file, line and column
    /// Tera reports (falling back to `fallback` when it reports none).
    pub fn diagnostic(&self, e: &tera::Error, fallback: &str, context: &str) -> Diagnostic {
        template_diagnostic(&self.origins, e, fallback, context)
    }
}

/// The file, position and message of a Tera error.
fn template_diagnostic(
    origins: &HashMap<String, String>,
    e: &tera::Error,
    fallback: &str,
    context: &str,
) -> Diagnostic {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(te) = err.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = te.kind()
        {
            let span = r.span();
            let file = origins
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| format!("templates/{}", r.filename()));
            return Diagnostic::error(
                file,
                Pos::new(span.start_line as u32, span.start_col as u32 + 1),
                format!("{context}{}", r.message()),
            )
            .with_help("fix the template; the built-in templates in themes/default/templates/ show the expected syntax");
        }
        cur = err.source();
    }
    Diagnostic::error(fallback, Pos::START, format!("{context}{}", error_chain(e)))
        .with_help("fix the template; the built-in templates in themes/default/templates/ show the expected syntax")
}

/// A template file as text, with the name Tera will know it by and where it came from.
struct TemplateSource {
    name: String,
    text: String,
    origin: String,
}

fn embedded(dir: &str, prefix: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if let Some(d) = DEFAULT_THEME.get_dir(dir) {
        collect_embedded(d, dir, prefix, &mut out);
    }
    out
}

fn collect_embedded(d: &Dir<'static>, base: &str, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for f in d.files() {
        let rel = f.path().strip_prefix(base).unwrap_or(f.path());
        out.push((
            format!("{prefix}{}", rel.to_string_lossy().replace('\\', "/")),
            f.contents().to_vec(),
        ));
    }
    for sub in d.dirs() {
        collect_embedded(sub, base, prefix, out);
    }
}

/// Files under `dir` as (relative path, bytes), skipping hidden and editor files.
fn read_tree(
    root: &Path,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>, PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()))
    {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        if entry.path_is_symlink()
            && !path
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&canonical_root))
        {
            diags.push(
                Diagnostic::error(
                    display_path(root, path),
                    Pos::START,
                    "this symlink leads outside the site",
                )
                .with_help("rungs only reads files inside the site folder"),
            );
            continue;
        }
        if !path.is_file() {
            continue;
        }
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read(path) {
            Ok(bytes) => out.push((rel, bytes, path.to_path_buf())),
            Err(e) => diags.push(Diagnostic::error(
                display_path(root, path),
                Pos::START,
                format!("cannot read: {e}"),
            )),
        }
    }
    out
}

/// Loads the templates and static files for a site. Problems in the site's own templates
/// or theme are diagnostics (the user can fix them); `Err` means the built-in theme broke.
pub fn load(root: &Path, theme: &str, diags: &mut Vec<Diagnostic>) -> Theme {
    let mut sources: Vec<TemplateSource> = Vec::new();
    let mut statics = embedded("static", "");
    let theme_dir = root.join("themes").join(theme);
    let on_disk = theme_dir.is_dir();
    if theme != DEFAULT && !on_disk {
        diags.push(Diagnostic::error(crate::config::FILE, Pos::START, format!("theme `{theme}` not found"))
            .with_help(format!("put it in themes/{theme}/ (with templates/ and static/), or remove `theme` to use the default")));
    }
    // The built-in theme, always available as `builtin/...`.
    for (name, bytes) in embedded("templates", "builtin/") {
        sources.push(TemplateSource {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            origin: format!("(built-in) {name}"),
            name,
        });
    }
    if on_disk {
        for (rel, bytes, path) in read_tree(root, &theme_dir.join("templates"), diags) {
            let origin = display_path(root, &path);
            match String::from_utf8(bytes) {
                Ok(text) => sources.push(TemplateSource {
                    name: format!("theme/{rel}"),
                    text,
                    origin,
                }),
                Err(_) => diags.push(Diagnostic::error(
                    origin,
                    Pos::START,
                    "this template is not valid UTF-8",
                )),
            }
        }
        statics.extend(
            read_tree(root, &theme_dir.join("static"), diags)
                .into_iter()
                .map(|(r, b, _)| (r, b)),
        );
    }
    for (rel, bytes, path) in read_tree(root, &root.join("templates"), diags) {
        let origin = display_path(root, &path);
        match String::from_utf8(bytes) {
            Ok(text) => sources.push(TemplateSource {
                name: rel,
                text,
                origin,
            }),
            Err(_) => diags.push(Diagnostic::error(
                origin,
                Pos::START,
                "this template is not valid UTF-8",
            )),
        }
    }
    statics.extend(
        read_tree(root, &root.join("static"), diags)
            .into_iter()
            .map(|(r, b, _)| (r, b)),
    );
    let origins: HashMap<String, String> = sources
        .iter()
        .flat_map(|s| {
            // Without a theme on disk, built-in templates are also known as `theme/…`.
            let alias = (!on_disk)
                .then(|| {
                    s.name
                        .strip_prefix("builtin/")
                        .map(|n| (format!("theme/{n}"), s.origin.clone()))
                })
                .flatten();
            std::iter::once((s.name.clone(), s.origin.clone())).chain(alias)
        })
        .collect();
    let tera = compile(&sources, on_disk, &origins, diags);
    Theme {
        tera,
        statics,
        origins,
    }
}

fn compile(
    sources: &[TemplateSource],
    theme_on_disk: bool,
    origins: &HashMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Tera {
    let mut tera = Tera::default();
    // Site templates are bare names; then the selected theme; then the built-in one.
    let prefixes: &[&str] = if theme_on_disk {
        &["theme/", "builtin/"]
    } else {
        &["builtin/"]
    };
    if let Err(e) = tera.set_fallback_prefixes(prefixes.iter().map(|s| s.to_string())) {
        diags.push(Diagnostic::error(
            "templates",
            Pos::START,
            format!("template setup failed: {e}"),
        ));
    }
    let mut all: Vec<(String, String)> = sources
        .iter()
        .map(|s| (s.name.clone(), s.text.clone()))
        .collect();
    if !theme_on_disk {
        // Without a theme on disk the built-in one *is* the selected theme.
        all.extend(sources.iter().filter_map(|s| {
            s.name
                .strip_prefix("builtin/")
                .map(|n| (format!("theme/{n}"), s.text.clone()))
        }));
    }
    if let Err(e) = tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        diags.push(template_diagnostic(
            origins,
            &e,
            "templates",
            "template error: ",
        ));
    }
    tera
}

/// An error and its causes on one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        cur = s.source();
    }
    msg
}
