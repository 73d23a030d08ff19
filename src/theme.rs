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
use crate::parse::frontmatter::{NotUtf8, decode};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub(crate) const DEFAULT: &str = "default";

/// Templates are source files, held to the same size limit.
const TEMPLATE_LIMIT: Option<u64> = Some(crate::discover::MAX_SOURCE_BYTES);

/// Compiled templates and the static files to copy.
pub(crate) struct Theme {
    pub tera: Tera,
    /// Static files to copy; later entries win (site `static/` last).
    pub statics: Vec<StaticFile>,
    /// Tera template name -> the file it came from and its text, for pointing errors at it.
    origins: Origins,
}

/// Tera template name -> (the file it came from, its text).
type Origins = HashMap<String, (String, String)>;

impl Theme {
    /// Whether every template is the built-in theme's (the site has no `templates/` of
    /// its own and uses no theme folder).
    pub(crate) fn is_builtin(&self) -> bool {
        self.origins
            .values()
            .all(|(file, _)| file.starts_with("(built-in)"))
    }

    /// A diagnostic for a template failure, at the template file, line and column
    /// Tera reports (falling back to `fallback` when it reports none).
    pub(crate) fn diagnostic(&self, e: &tera::Error, fallback: &str, context: &str) -> Diagnostic {
        template_diagnostic(&self.origins, e, fallback, context)
    }
}

const TEMPLATE_HELP: &str = "fix the template: Tera's syntax, with the names each page's context has (THEMES.md in rungs' documentation); the built-in theme's templates, `builtin/<file>`, can be extended or included as examples";

/// The file, position and message of a Tera error.
fn template_diagnostic(
    origins: &Origins,
    e: &tera::Error,
    fallback: &str,
    context: &str,
) -> Diagnostic {
    let file_of = |name: &str| {
        origins
            .get(name)
            .map(|(f, _)| f.clone())
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    // Where `name` extends or includes `target` (the tag to fix), else its start.
    let tag_pos = |name: &str, keyword: &str, target: &str| {
        origins
            .get(name)
            .and_then(|(_, text)| {
                text.match_indices(keyword)
                    .find(|(i, _)| {
                        text[*i..]
                            .lines()
                            .next()
                            .is_some_and(|l| l.contains(target))
                    })
                    .map(|(i, _)| crate::config::pos_at(text, i))
            })
            .unwrap_or(Pos::START)
    };
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(te) = err.downcast_ref::<tera::Error>() {
            match te.kind() {
                tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                    let span = r.span();
                    return Diagnostic::error(
                        file_of(r.filename()),
                        Pos::new(span.start_line as u32, span.start_col as u32 + 1),
                        format!("{context}{}", r.message()),
                    )
                    .with_help(TEMPLATE_HELP);
                }
                tera::ErrorKind::CircularExtend {
                    tpl,
                    inheritance_chain,
                } => {
                    let last = inheritance_chain
                        .last()
                        .map_or(tpl.as_str(), |s| s.as_str());
                    return Diagnostic::error(
                        file_of(last),
                        tag_pos(last, "extends", tpl),
                        format!(
                            "{context}template `{tpl}` extends itself (chain: {})",
                            inheritance_chain.join(" -> ")
                        ),
                    )
                    .with_help(format!(
                        "a site template that overrides `{tpl}` extends the theme's copy: {{% extends \"theme/{tpl}\" %}}"
                    ));
                }
                tera::ErrorKind::CircularInclude { tpl, include_chain } => {
                    let by = include_chain
                        .iter()
                        .rev()
                        .nth(1)
                        .map_or(tpl.as_str(), |s| s.as_str());
                    return Diagnostic::error(
                        file_of(by),
                        tag_pos(by, "include", tpl),
                        format!(
                            "{context}template `{tpl}` includes itself (chain: {})",
                            include_chain.join(" -> ")
                        ),
                    )
                    .with_help("remove the include that leads back to this template");
                }
                tera::ErrorKind::MissingParent { current, parent } => {
                    return Diagnostic::error(
                        file_of(current),
                        tag_pos(current, "extends", parent),
                        format!(
                            "{context}template `{current}` extends `{parent}`, which does not exist"
                        ),
                    )
                    .with_help(
                        "extend a template that exists: the built-in theme's are always there (`builtin/base.html`, `builtin/level.html`, …), or one of the site's own",
                    );
                }
                _ => {}
            }
        }
        cur = err.source();
    }
    Diagnostic::error(fallback, Pos::START, format!("{context}{}", error_chain(e)))
        .with_help(TEMPLATE_HELP)
}

/// A file copied to the output as it is.
pub(crate) struct StaticFile {
    /// Output-relative path, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    /// The site-relative file it came from (`static/logo.svg`); `None` for the built-in
    /// theme's.
    pub origin: Option<String>,
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

/// The error for a theme or site folder that a symlink on its way leads out of the site.
fn outside(root: &Path, dir: &Path) -> Diagnostic {
    Diagnostic::error(
        display_path(root, dir),
        Pos::START,
        "this folder leads outside the site through a symlink",
    )
    .with_help("rungs only reads files inside the site folder; copy the folder in instead")
}

/// Files under `dir` as (relative path, bytes), skipping hidden and editor files.
fn read_tree(
    root: &Path,
    dir: &Path,
    limit: Option<u64>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>, PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    // A folder on the way may be a symlink (`themes/x` linked elsewhere), which the
    // walk below, checking only the entries under `dir`, would not see.
    if crate::discover::leads_outside(root, dir) {
        diags.push(outside(root, dir));
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
        if path.is_dir() {
            continue;
        }
        let rel = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        // Static files (images, PDFs) may be large; templates are source files.
        match crate::discover::read_regular(path, limit) {
            Ok(bytes) => out.push((rel, bytes, path.to_path_buf())),
            Err(message) => diags.push(Diagnostic::error(
                display_path(root, path),
                Pos::START,
                message,
            )),
        }
    }
    out
}

/// Loads the templates and static files for a site. Problems in the site's own templates
/// or theme are diagnostics (the user can fix them); `Err` means the built-in theme broke.
/// `at` is where site.toml names the theme.
pub(crate) fn load(root: &Path, theme: &str, at: Pos, diags: &mut Vec<Diagnostic>) -> Theme {
    let mut sources: Vec<TemplateSource> = Vec::new();
    let mut statics: Vec<StaticFile> = embedded("static", "")
        .into_iter()
        .map(|(path, bytes)| StaticFile {
            path,
            bytes,
            origin: None,
        })
        .collect();
    let on_disk_static = |(path, bytes, file): (String, Vec<u8>, PathBuf)| StaticFile {
        path,
        bytes,
        origin: Some(display_path(root, &file)),
    };
    let theme_dir = root.join("themes").join(theme);
    let mut on_disk = theme_dir.is_dir();
    let outside_site = on_disk && crate::discover::leads_outside(root, &theme_dir);
    if outside_site {
        diags.push(outside(root, &theme_dir));
        on_disk = false;
    }
    if theme != DEFAULT && !on_disk && !outside_site {
        diags.push(Diagnostic::error(crate::config::FILE, at, format!("theme `{theme}` not found"))
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
        for (rel, bytes, path) in
            read_tree(root, &theme_dir.join("templates"), TEMPLATE_LIMIT, diags)
        {
            let origin = display_path(root, &path);
            match decode(bytes) {
                Ok(text) => sources.push(TemplateSource {
                    name: format!("theme/{rel}"),
                    text,
                    origin,
                }),
                Err(e) => diags.push(not_utf8(origin, e)),
            }
        }
        statics.extend(
            read_tree(root, &theme_dir.join("static"), None, diags)
                .into_iter()
                .map(on_disk_static),
        );
    }
    for (rel, bytes, path) in read_tree(root, &root.join("templates"), TEMPLATE_LIMIT, diags) {
        let origin = display_path(root, &path);
        match decode(bytes) {
            Ok(text) => sources.push(TemplateSource {
                name: rel,
                text,
                origin,
            }),
            Err(e) => diags.push(not_utf8(origin, e)),
        }
    }
    statics.extend(
        read_tree(root, &root.join("static"), None, diags)
            .into_iter()
            .map(on_disk_static),
    );
    let origins: Origins = sources
        .iter()
        .flat_map(|s| {
            let origin = (s.origin.clone(), s.text.clone());
            // Without a theme on disk, built-in templates are also known as `theme/…`.
            let alias = (!on_disk)
                .then(|| {
                    s.name
                        .strip_prefix("builtin/")
                        .map(|n| (format!("theme/{n}"), origin.clone()))
                })
                .flatten();
            std::iter::once((s.name.clone(), origin)).chain(alias)
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
    origins: &Origins,
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
    // Tera stops at the first template it cannot parse: each of the site's and theme's
    // own templates is parsed alone first, so every syntax error is reported at once.
    let syntax: Vec<Diagnostic> = sources
        .iter()
        .filter(|s| !s.name.starts_with("builtin/"))
        .filter_map(|s| {
            let e = Tera::default().add_raw_template(&s.name, &s.text).err()?;
            matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
                .then(|| template_diagnostic(origins, &e, "templates", "template error: "))
        })
        .collect();
    if !syntax.is_empty() {
        diags.extend(syntax);
        return tera;
    }
    if let Err(e) = tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        diags.extend(template_diagnostics(origins, &e));
    }
    tera
}

/// The diagnostics of adding the templates. Tera checks every reference (filters,
/// tests, functions, includes) of every template and returns what it found as one
/// message of reports, each `error: <what>` then `--> <template>:<line>:<column>`:
/// each becomes a diagnostic at its place. Any other error is one diagnostic.
fn template_diagnostics(origins: &Origins, e: &tera::Error) -> Vec<Diagnostic> {
    let tera::ErrorKind::Msg(text) = e.kind() else {
        return vec![template_diagnostic(
            origins,
            e,
            "templates",
            "template error: ",
        )];
    };
    let mut found = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(place)) = (message, line.strip_prefix("--> ")) {
            let mut parts = place.rsplitn(3, ':');
            let (col, row, name) = (parts.next(), parts.next(), parts.next());
            if let (Some(name), Some(Ok(row)), Some(Ok(col))) =
                (name, row.map(str::parse), col.map(str::parse))
            {
                let file = origins
                    .get(name)
                    .map(|(f, _)| f.clone())
                    .unwrap_or_else(|| format!("templates/{name}"));
                found.push(
                    Diagnostic::error(file, Pos::new(row, col), format!("template error: {m}"))
                        .with_help(TEMPLATE_HELP),
                );
            }
            message = None;
        }
    }
    if found.is_empty() {
        found.push(template_diagnostic(
            origins,
            e,
            "templates",
            "template error: ",
        ));
    }
    found
}

/// An error and its causes on one line.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
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

/// A template that is not UTF-8, named at its first bad byte (or as UTF-16).
fn not_utf8(origin: String, e: NotUtf8) -> Diagnostic {
    Diagnostic::error(origin, e.pos, e.message("this template")).with_help(NotUtf8::HELP)
}
