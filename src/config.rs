//! `site.toml`: the site's settings, read with the same collect-every-problem rules as
//! the framework files (the TOML is turned into a positioned `Node` tree first).

use serde::Serialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Pos};
use crate::forge::{Forge, Repository, check_branch, check_repository, content_prefix};
use crate::markdown::MarkdownOptions;
use crate::parse::schema::{Node, Reader, Value};
use crate::parse::spec;

/// The settings file, relative to the site root.
pub const FILE: &str = "site.toml";

/// Settings given on the command line, which win over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--base-url`, used instead of `base_url` in `site.toml`.
    pub base_url: Option<String>,
    /// Whether levels with `status: draft` are built: `rungs build` leaves them out
    /// unless `--drafts` is given; `check` and `serve` include them (`None`).
    pub drafts: Option<bool>,
}

/// The settings of one site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteConfig {
    /// The site's name, shown in the header and every page's `<title>`.
    pub title: String,
    /// Every page's `<meta name="description">`; empty for none.
    pub description: String,
    /// Where the site is published, e.g. `https://careers.example.com/engineering/`.
    /// Pages link relatively whatever it is; it is used for the sitemap, canonical links
    /// and the 404 page (which is served from arbitrary paths).
    pub base_url: String,
    /// The `lang` of every page's `<html>`.
    pub language: String,
    /// A folder under `themes/` whose files override the built-in theme's; `default`, the
    /// built-in theme, needs no folder.
    pub theme: String,
    /// Where `theme` was given in site.toml, to point at when its folder is missing.
    #[serde(skip)]
    pub theme_pos: Pos,
    /// Where `rungs build` writes without `--out`, relative to the site: a folder inside
    /// it, outside `content/`, `templates/`, `static/` and `themes/`.
    pub output_dir: String,
    /// How Markdown is rendered (the `[markdown]` table).
    #[serde(skip)]
    pub markdown: MarkdownOptions,
    /// Whether levels with `status: draft` are part of the site (set by the command, not
    /// by site.toml: see [`Overrides::drafts`]).
    pub drafts: bool,
    /// `logo`: an image under the site's `static/` folder shown before the title in the
    /// header, as a path relative to `static/` (e.g. `logo.svg`).
    pub logo: Option<String>,
    /// Where `logo` was given in site.toml, to point at when its file is missing.
    #[serde(skip)]
    pub logo_pos: Pos,
    /// `accent_color`: the colour of links, buttons and the current page's marker.
    pub accent: Option<Accent>,
    /// `[changes] since`: git revisions of the site's repository (tags, usually) whose
    /// changes up to now the site shows on its changes page, oldest first, each with
    /// where it was written.
    #[serde(skip)]
    pub changes_since: Vec<(String, Pos)>,
    /// The `[versioning]` table: which version bump each kind of change implies
    /// (`rungs diff`).
    #[serde(skip)]
    pub versioning: BumpRule,
    /// `repository` (with `forge`, `branch` and `content_path`): where the site's
    /// sources live, for "edit this page" and feedback links; none without it.
    pub repository: Option<crate::forge::Repository>,
}

/// A semantic-version bump, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// The change does not call for a new version.
    None,
    /// `MAJOR.MINOR.PATCH+1`.
    Patch,
    /// `MAJOR.MINOR+1.0`.
    Minor,
    /// `MAJOR+1.0.0`.
    Major,
}

impl Bump {
    /// The name used in site.toml and reports.
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// `version` bumped, when it is `MAJOR.MINOR.PATCH` (an optional `v` kept).
    pub fn apply(self, version: &str) -> Option<String> {
        let (v, digits) = match version.strip_prefix('v') {
            Some(rest) => ("v", rest),
            None => ("", version),
        };
        let parts: Vec<u64> = digits
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        // A part at its largest has no next version to suggest.
        let (a, b, c) = match self {
            Bump::None => (major, minor, patch),
            Bump::Patch => (major, minor, patch.checked_add(1)?),
            Bump::Minor => (major, minor.checked_add(1)?, 0),
            Bump::Major => (major.checked_add(1)?, 0, 0),
        };
        Some(format!("{v}{a}.{b}.{c}"))
    }
}

/// Which bump each kind of change implies. The defaults follow the rule of the FT's
/// framework: a new expectation at an existing level is major; new levels, tracks and
/// competencies, rewordings and removals are minor; names and prose are patch.
#[derive(Debug, Clone, PartialEq)]
pub struct BumpRule(Vec<(&'static str, Bump)>);

impl BumpRule {
    /// Every kind of change, as `[versioning]` names it (the table of keys lives with
    /// the other settings tables, `parse::spec`).
    pub const KEYS: &'static [&'static str] = crate::parse::spec::CHANGE_KINDS;

    /// The bump for a kind of change.
    pub fn get(&self, key: &str) -> Bump {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(Bump::Minor, |(_, b)| *b)
    }

    fn set(&mut self, key: &'static str, bump: Bump) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = bump;
        }
    }
}

impl Default for BumpRule {
    fn default() -> Self {
        BumpRule(
            Self::KEYS
                .iter()
                .map(|&k| {
                    let bump = match k {
                        "behaviour_added" | "expectation_raised" | "level_removed"
                        | "track_removed" => Bump::Major,
                        "text_changed" | "level_renamed" | "track_renamed"
                        | "competency_renamed" | "area_renamed" | "family_renamed" => Bump::Patch,
                        _ => Bump::Minor,
                    };
                    (k, bump)
                })
                .collect(),
        )
    }
}

/// A site's accent colour and the variants the theme derives from it, each readable
/// (contrast ≥ 4.5:1) on its scheme's background.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accent {
    /// The colour as given (`#rrggbb`), for the light scheme.
    pub light: String,
    /// A darker shade for hover in the light scheme.
    pub light_hover: String,
    /// The colour lightened until it reads on the dark scheme's background.
    pub dark: String,
    /// A lighter shade for hover in the dark scheme.
    pub dark_hover: String,
}

/// The default theme's page backgrounds (light, dark), which an accent must read on.
const LIGHT_BG: [u8; 3] = [0xff, 0xff, 0xff];
const DARK_BG: [u8; 3] = [0x12, 0x16, 0x1b];

fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// WCAG 2 relative luminance.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG 2 contrast ratio of two colours.
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `c` moved `t` (0–1) of the way towards `to`.
fn mix(c: [u8; 3], to: [u8; 3], t: f64) -> [u8; 3] {
    let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    [m(c[0], to[0]), m(c[1], to[1]), m(c[2], to[2])]
}

/// The theme's variants of an accent colour, or why it cannot be one.
pub(crate) fn accent(value: &str) -> Result<Accent, String> {
    let c = parse_hex(value).ok_or_else(|| format!("`{value}` is not a `#rrggbb` colour"))?;
    let ratio = contrast(c, LIGHT_BG);
    if ratio < 4.5 {
        return Err(format!(
            "`{value}` has a contrast of {ratio:.1}:1 on the white page; links and buttons need at least 4.5:1"
        ));
    }
    // The lightest step towards white that reads on the dark background.
    let dark = (0..=20)
        .map(|i| mix(c, [0xff; 3], f64::from(i) / 20.0))
        .find(|d| contrast(*d, DARK_BG) >= 4.5)
        .unwrap_or([0xff; 3]);
    Ok(Accent {
        light: hex(c),
        light_hover: hex(mix(c, [0; 3], 0.25)),
        dark: hex(dark),
        dark_hover: hex(mix(dark, [0xff; 3], 0.3)),
    })
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Career framework".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            output_dir: "public".into(),
            markdown: MarkdownOptions::default(),
            drafts: true,
            logo: None,
            logo_pos: Pos::START,
            theme_pos: Pos::START,
            accent: None,
            versioning: BumpRule::default(),
            changes_since: Vec::new(),
            repository: None,
        }
    }
}

impl SiteConfig {
    /// The path part of `base_url`, percent-encoded and always ending in `/`:
    /// `/engineering/`, `/my%20site/`. `base_url` is validated when it is read
    /// ([`check_base_url`]), so this is a path on the site's own origin: it starts with a
    /// single `/` and has no empty, `.` or `..` segment.
    pub fn base_path(&self) -> String {
        let path = split_base_url(&self.base_url).1;
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let mut out = encode_path(&decoded);
        if !out.starts_with('/') {
            out.insert(0, '/');
        }
        if !out.ends_with('/') {
            out.push('/');
        }
        out
    }

    /// `base_url` for absolute links (the sitemap): origin and encoded base path.
    pub fn absolute_base(&self) -> Option<String> {
        let (origin, _) = split_base_url(&self.base_url);
        origin.map(|o| format!("{o}{}", self.base_path()))
    }

    /// Whether `base_url` is absolute (needed for a valid sitemap).
    pub fn is_absolute(&self) -> bool {
        split_base_url(&self.base_url).0.is_some()
    }
}

/// The characters a path segment keeps as they are; everything else is percent-encoded.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// A decoded URL path, percent-encoded segment by segment (the `/`s are kept).
pub fn encode_path(decoded: &str) -> String {
    decoded
        .split('/')
        .map(|seg| percent_encoding::utf8_percent_encode(seg, PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// `(origin, path)` of a base URL: `(Some("https://x.org"), "/eng/")` or `(None, "/eng/")`.
fn split_base_url(url: &str) -> (Option<&str>, &str) {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return (None, url);
    };
    match url[scheme..].find('/') {
        Some(i) => (Some(&url[..scheme + i]), &url[scheme + i..]),
        None => (Some(url), "/"),
    }
}

/// What is wrong with a `base_url`, if anything. A base URL is an absolute
/// `http(s)://host[:port]/path/` or a path on the site's own host starting with a single
/// `/`. Anything else could make the 404 page load script from another host
/// (`//evil.example/`), or the dev server redirect to one.
pub fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(format!(
            "it contains the control character U+{:04X}",
            c as u32
        ));
    }
    if url.contains('\\') {
        return Err("it contains a backslash, which browsers read as `/`".into());
    }
    if url.contains(['?', '#']) {
        return Err("it has a query or a fragment; a base URL is a folder".into());
    }
    let (origin, path) = split_base_url(url);
    match origin {
        Some(origin) => {
            let host = &origin[origin.find("://").map_or(0, |i| i + 3)..];
            if host.is_empty() {
                return Err("it has no host after `://`".into());
            }
            if !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
            {
                return Err(format!(
                    "`{host}` is not a host name (letters, digits, dots and hyphens, optionally `:port`)"
                ));
            }
        }
        None if !url.starts_with('/') => {
            return Err(
                "it is neither an absolute http(s) URL nor a path starting with `/`".into(),
            );
        }
        None => {}
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if decoded.starts_with("//") || decoded.contains("//") {
        return Err(
            "its path has an empty segment (`//`), which browsers read as another host".into(),
        );
    }
    if decoded.contains('\\') {
        return Err("its path contains an encoded backslash".into());
    }
    if decoded.split('/').any(|seg| seg == "." || seg == "..") {
        return Err("its path has a `.` or `..` segment".into());
    }
    Ok(())
}

/// The help shown with a `base_url` problem.
pub const BASE_URL_HELP: &str = "use an absolute URL such as `https://careers.example.com/eng/`, or a path on the site's own host such as `/eng/` (or `/`)";

/// Reads `site.toml` under `root` (optional: defaults apply when it is missing), with the
/// command line's overrides applied; its text goes into `sources` for quoting.
pub fn load(
    root: &std::path::Path,
    overrides: &Overrides,
    diags: &mut Vec<Diagnostic>,
    sources: &mut crate::diagnostics::Sources,
) -> SiteConfig {
    use crate::discover::{MAX_SOURCE_BYTES, read_regular};
    let path = root.join(FILE);
    let mut config = if !path.exists() && !path.is_symlink() {
        SiteConfig::default()
    } else if crate::discover::leads_outside(root, &path) {
        // Not read: its text would be quoted in messages (a CI log is public).
        diags.push(
            Diagnostic::error(FILE, Pos::START, "this symlink leads outside the site").with_help(
                "rungs only reads files inside the site folder; copy the file in instead",
            ),
        );
        SiteConfig::default()
    } else {
        match read_regular(&path, Some(MAX_SOURCE_BYTES)).map(crate::parse::frontmatter::decode) {
            Ok(Ok(text)) => {
                let config = parse(&text, diags);
                sources.insert(FILE.into(), text);
                config
            }
            Ok(Err(e)) => {
                diags.push(
                    Diagnostic::error(FILE, e.pos, e.message("site.toml"))
                        .with_help(crate::parse::frontmatter::NotUtf8::HELP),
                );
                SiteConfig::default()
            }
            Err(message) => {
                diags.push(Diagnostic::error(FILE, Pos::START, message));
                SiteConfig::default()
            }
        }
    };
    if let Some(url) = &overrides.base_url {
        config.base_url = url.clone();
    }
    if let Some(drafts) = overrides.drafts {
        config.drafts = drafts;
    }
    if let Some(logo) = &config.logo
        && !root.join("static").join(logo).is_file()
    {
        diags.push(
            Diagnostic::error(
                FILE,
                config.logo_pos,
                format!("`logo`: there is no file static/{logo}"),
            )
            .with_help("put the image in the site's `static/` folder, or fix the path (it is relative to `static/`)"),
        );
        config.logo = None;
    }
    config
}

/// Parses `site.toml`, reporting every problem.
pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> SiteConfig {
    let mut config = SiteConfig::default();
    let root = match DeTable::parse(text) {
        Ok(table) => table_node(text, table.get_ref(), Pos::START),
        Err(err) => {
            let pos = err.span().map_or(Pos::START, |s| pos_at(text, s.start));
            diags.push(
                Diagnostic::error(
                    FILE,
                    pos,
                    format!("malformed TOML: {}", err.message().trim()),
                )
                .with_help("site.toml is TOML: `key = \"value\"` lines and `[section]` headers"),
            );
            return config;
        }
    };
    let mut r = Reader::new(FILE, diags);
    // The keys and their types are listed in `spec::SITE` (which the schemas come from).
    let Some(mut f) = r.fields(&root, &spec::SITE) else {
        return config;
    };
    match f.get("title").and_then(|n| r.title(n, "title")) {
        Some(t) => config.title = t.value,
        None if f.pos == Pos::START && !text.contains("title") => {
            r.warning(
                Pos::START,
                "site.toml has no `title`; using \"Career framework\"",
            );
        }
        None => {}
    }
    if let Some(v) = f
        .get("description")
        .and_then(|n| r.string(n, "description"))
    {
        config.description = v.value;
    }
    if let Some(v) = f.get("base_url").and_then(|n| r.text(n, "base_url")) {
        match check_base_url(&v.value) {
            Ok(()) => config.base_url = v.value,
            Err(why) => {
                r.error(
                    v.pos,
                    format!("`base_url` `{}` is not allowed: {why}", v.value),
                )
                .help = Some(BASE_URL_HELP.into());
            }
        }
    }
    if let Some(v) = f.get("language").and_then(|n| r.text(n, "language")) {
        config.language = v.value;
    }
    if let Some(v) = f.get("theme").and_then(|n| r.id(n, "theme")) {
        config.theme = v.value;
        config.theme_pos = v.pos;
    }
    if let Some(n) = f.get("output_dir")
        && let Some(v) = r.text(n, "output_dir")
    {
        let first = v
            .value
            .split(['/', '\\'])
            .find(|c| !c.is_empty() && *c != ".");
        if v.value.split(['/', '\\']).any(|c| c == "..") || v.value.starts_with('/') {
            r.error(n.pos, "`output_dir` must be a folder inside the site")
                .help = Some(
                "use a relative path such as `public`; pass `--out` to build elsewhere".into(),
            );
        } else if let Some(source) =
            first.filter(|c| ["content", "templates", "static", "themes"].contains(c))
        {
            r.error(
                n.pos,
                format!("`output_dir` must not be inside the site's `{source}/` folder"),
            )
            .help = Some(
                "the build reads that folder; use a folder of its own such as `public`".into(),
            );
        } else if first.is_none() {
            r.error(n.pos, "`output_dir` must not be the site folder itself")
                .help = Some("use a folder of its own such as `public`".into());
        } else {
            config.output_dir = v.value;
        }
    }
    if let Some(v) = f.get("logo").and_then(|n| r.text(n, "logo")) {
        // A plain relative path to an image: letters, digits, `-`, `_`, `.` and `/` only,
        // so it can never read as a URL scheme wherever the theme puts it.
        let image = [".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", ".avif"]
            .iter()
            .any(|ext| v.value.to_ascii_lowercase().ends_with(ext));
        let bad = !image
            || !v
                .value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
            || v.value
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..");
        if bad {
            r.error(v.pos, format!("`logo` `{}` is not a file under `static/`", v.value))
                .help = Some("give the path of an image (.svg, .png, .jpg, .webp, .gif or .avif; letters, digits, `-`, `_`, `.` and `/`) inside the site's `static/` folder, e.g. `logo = \"logo.svg\"` for static/logo.svg".into());
        } else {
            config.logo = Some(v.value);
            config.logo_pos = v.pos;
        }
    }
    if let Some(v) = f
        .get("accent_color")
        .and_then(|n| r.text(n, "accent_color"))
    {
        match accent(&v.value) {
            Ok(a) => config.accent = Some(a),
            Err(why) => {
                r.error(v.pos, format!("`accent_color`: {why}")).help = Some(
                    "give a `#rrggbb` colour dark enough to read on white, e.g. `#0b6e4f`; rungs derives the dark scheme's shade".into(),
                );
            }
        }
    }
    config.repository = repository(&mut r, &mut f);
    if let Some(n) = f.get("markdown")
        && let Some(mut m) = r.fields(n, &spec::MARKDOWN)
    {
        if let Some(b) = m
            .get("allow_raw_html")
            .and_then(|n| r.boolean(n, "allow_raw_html"))
        {
            config.markdown.allow_raw_html = b;
        }
        m.finish(&mut r);
    }
    if let Some(n) = f.get("changes")
        && let Some(mut m) = r.fields(n, &spec::CHANGES)
    {
        if let Some(n) = m.get("since") {
            for v in r.string_list(n, "since") {
                if v.value.is_empty()
                    || v.value.starts_with('-')
                    || v.value.chars().any(char::is_control)
                {
                    r.error(v.pos, format!("`{}` is not a git revision", v.value)).help =
                        Some("name tags, branches or commits of the site's repository, e.g. `since = [\"v1.0.0\"]`".into());
                } else {
                    config.changes_since.push((v.value, v.pos));
                }
            }
        }
        m.finish(&mut r);
    }
    if let Some(n) = f.get("versioning")
        && let Some(mut m) = r.fields(n, &spec::VERSIONING)
    {
        for &key in BumpRule::KEYS {
            if let Some(v) = m.get(key).and_then(|n| r.text(n, key)) {
                match spec::BUMPS.iter().position(|b| *b == v.value) {
                    Some(i) => config
                        .versioning
                        .set(key, [Bump::None, Bump::Patch, Bump::Minor, Bump::Major][i]),
                    None => {
                        r.error(v.pos, format!("`{key}` is `{}`", v.value)).help = Some(
                            "a kind of change implies `major`, `minor`, `patch` or `none`".into(),
                        );
                    }
                }
            }
        }
        m.finish(&mut r);
    }
    f.finish(&mut r);
    config
}

/// `repository`, `forge`, `branch` and `content_path`, each checked where it is written;
/// `None` unless `repository` is set and every one of them is right.
fn repository(r: &mut Reader, f: &mut crate::parse::schema::Fields) -> Option<Repository> {
    let url_node = f.get("repository");
    let url = url_node.and_then(|n| r.text(n, "repository"));
    let forge = f.get("forge").and_then(|n| r.text(n, "forge"));
    let branch = f.get("branch").and_then(|n| r.text(n, "branch"));
    let content_path = f
        .get("content_path")
        .and_then(|n| r.string(n, "content_path"));
    let mut ok = true;
    let forge = forge.and_then(|v| match v.value.as_str() {
        "github" => Some((Forge::GitHub, v.pos)),
        "gitlab" => Some((Forge::GitLab, v.pos)),
        other => {
            ok = false;
            let help = match crate::parse::schema::suggest(other, ["github", "gitlab"]) {
                Some(s) => format!("did you mean `{s}`? `github` (GitHub and GitHub Enterprise) or `gitlab` (GitLab, hosted or self-managed)"),
                None => "`github` (GitHub and GitHub Enterprise) or `gitlab` (GitLab, hosted or self-managed)".into(),
            };
            r.error(v.pos, format!("unknown `forge` `{other}`")).help = Some(help);
            None
        }
    });
    let branch = match branch {
        Some(v) => match check_branch(&v.value) {
            Ok(()) => Some(v),
            Err(why) => {
                ok = false;
                r.error(
                    v.pos,
                    format!("`branch` `{}` is not allowed: {why}", v.value),
                )
                .help = Some("give the name of the branch that edits go to, e.g. `main`".into());
                None
            }
        },
        None => None,
    };
    let prefix = match content_path {
        Some(v) => match content_prefix(&v.value) {
            Ok(p) => Some((p, v.pos)),
            Err(why) => {
                ok = false;
                r.error(v.pos, format!("`content_path` `{}` is not allowed: {why}", v.value))
                    .help = Some("give the folder that holds site.toml, relative to the repository's root, e.g. `careers` (leave it out when site.toml is at the root)".into());
                None
            }
        },
        None => None,
    };
    let Some(url) = url else {
        if url_node.is_some() {
            return None;
        }
        // The other settings only mean something with a repository.
        let given = [
            forge.map(|(_, pos)| ("forge", pos)),
            branch.as_ref().map(|b| ("branch", b.pos)),
            prefix.as_ref().map(|(_, pos)| ("content_path", *pos)),
        ];
        for (key, pos) in given.into_iter().flatten() {
            r.warning(pos, format!("`{key}` has no effect without `repository`"))
                .help = Some("set `repository` to the repository's web address, e.g. `repository = \"https://github.com/acme/careers\"`, or remove this line".into());
        }
        return None;
    };
    let (address, known) = match check_repository(&url.value) {
        Ok(x) => x,
        Err(why) => {
            r.error(url.pos, format!("`repository` is not allowed: {why}"))
                .help = Some("give the repository's web address, e.g. `https://github.com/acme/careers` or `https://gitlab.com/acme/careers`".into());
            return None;
        }
    };
    let forge = match (forge, known) {
        (Some((f, _)), _) => f,
        (None, Some(f)) => f,
        (None, None) => {
            if ok {
                r.error(url.pos, "rungs cannot tell whether this repository is on GitHub or GitLab")
                    .help = Some("add `forge = \"github\"` (GitHub Enterprise) or `forge = \"gitlab\"` (self-managed GitLab); github.com and gitlab.com need no `forge`".into());
            }
            return None;
        }
    };
    ok.then(|| Repository {
        url: address,
        forge,
        branch: branch.map_or_else(|| "main".into(), |b| b.value),
        content_path: prefix.map(|(p, _)| p).unwrap_or_default(),
    })
}

/// 1-based line and column of a byte offset.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u32
        + 1;
    Pos::new(line, column)
}

fn table_node(text: &str, table: &DeTable<'_>, pos: Pos) -> Node {
    let entries = table
        .iter()
        .map(|(k, v)| {
            let key = Node {
                pos: pos_at(text, k.span().start),
                value: Value::Str(k.get_ref().to_string()),
            };
            (
                key,
                value_node(text, v.get_ref(), pos_at(text, v.span().start)),
            )
        })
        .collect();
    Node {
        pos,
        value: Value::Map(entries),
    }
}

fn value_node(text: &str, value: &DeValue<'_>, pos: Pos) -> Node {
    let value = match value {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(|n| Value::Int(n, i.as_str().to_string()))
            .unwrap_or_else(|_| Value::Str(i.as_str().to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse()
            .map(|n| Value::Float(n, f.as_str().to_string()))
            .unwrap_or_else(|_| Value::Str(f.as_str().to_string())),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Seq(
            items
                .iter()
                .map(|v| value_node(text, v.get_ref(), pos_at(text, v.span().start)))
                .collect(),
        ),
        DeValue::Table(t) => return table_node(text, t, pos),
    };
    Node { pos, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_bumps_unless_a_part_is_at_its_largest() {
        assert_eq!(Bump::Minor.apply("v1.2.3").as_deref(), Some("v1.3.0"));
        assert_eq!(Bump::Major.apply("1.2.3").as_deref(), Some("2.0.0"));
        let top = format!("{m}.{m}.{m}", m = u64::MAX);
        for bump in [Bump::Patch, Bump::Minor, Bump::Major] {
            assert_eq!(bump.apply(&top), None);
        }
        assert_eq!(Bump::Major.apply("1.2"), None);
    }

    #[test]
    fn an_accent_reads_on_both_schemes() {
        for given in ["#0b6e4f", "#0a58a8", "#7443c2", "#000000", "#b3261e"] {
            let a = accent(given).unwrap();
            let c = |h: &str| parse_hex(h).unwrap();
            assert_eq!(a.light, given);
            assert!(contrast(c(&a.light), LIGHT_BG) >= 4.5, "{given}");
            assert!(
                contrast(c(&a.dark), DARK_BG) >= 4.5,
                "{given} dark {}",
                a.dark
            );
            assert!(contrast(c(&a.light_hover), LIGHT_BG) >= 4.5, "{given}");
        }
        assert!(accent("#ffcc00").unwrap_err().contains("1.5:1"));
        assert!(accent("#0b6e4").is_err() && accent("0b6e4f").is_err());
        // WCAG's own figures: black on white is 21:1.
        assert!((contrast([0; 3], [255; 3]) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn reads_every_setting() {
        let mut d = Vec::new();
        let c = parse(
            "title = \"Acme\"\nbase_url = \"https://x.org/eng\"\n[markdown]\nallow_raw_html = true\n",
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.title, "Acme");
        assert_eq!(c.base_path(), "/eng/");
        assert!(c.markdown.allow_raw_html);
    }

    #[test]
    fn reports_every_unknown_key_and_wrong_type_with_positions() {
        let mut d = Vec::new();
        parse(
            "title = 3.5\ntheem = \"x\"\n[markdown]\nallow_raw_html = \"yes\"\nfoo = 1\n",
            &mut d,
        );
        let lines: Vec<_> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 2 && m.contains("unknown key `theem`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 4 && m.contains("true or false")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 5 && m.contains("unknown key `foo`")),
            "{lines:?}"
        );
    }

    #[test]
    fn malformed_toml_names_line_and_column() {
        let mut d = Vec::new();
        parse("title = \"Acme\"\nbase_url = \n", &mut d);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.starts_with("malformed TOML"));
    }

    #[test]
    fn output_dir_cannot_escape() {
        let mut d = Vec::new();
        parse("title = \"x\"\noutput_dir = \"../../etc\"\n", &mut d);
        assert!(d[0].message.contains("inside the site"));
    }

    #[test]
    fn base_url_is_an_http_url_or_a_path_on_the_same_host() {
        for ok in [
            "/",
            "/eng/",
            "/eng",
            "https://x.org",
            "https://x.org/",
            "HTTPS://x.org:8080/a/b/",
            "http://[::1]:1111/eng/",
            "/my site/é/",
        ] {
            assert_eq!(check_base_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "//evil.example/",
            "/\\evil.example/",
            "https://example.com//evil.example/",
            "https://good@evil.example/",
            "https:///x",
            "javascript:alert(1)",
            "evil.example/",
            "/a/../b/",
            "/%2e%2e/",
            "/%2F%2Fevil/",
            "/a?x=1",
            "/a\u{0}b/",
            "",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_paths_are_percent_encoded_once() {
        let cfg = |u: &str| SiteConfig {
            base_url: u.into(),
            ..SiteConfig::default()
        };
        assert_eq!(cfg("/my site/é").base_path(), "/my%20site/%C3%A9/");
        assert_eq!(cfg("/my%20site/").base_path(), "/my%20site/");
        assert_eq!(cfg("https://x.org").base_path(), "/");
        assert_eq!(
            cfg("https://x.org/a b").absolute_base().as_deref(),
            Some("https://x.org/a%20b/")
        );
    }

    #[test]
    fn a_hostile_base_url_is_an_error_at_its_line() {
        let mut d = Vec::new();
        let c = parse("title = \"x\"\nbase_url = \"//evil.example/\"\n", &mut d);
        assert_eq!(c.base_url, "/");
        assert_eq!((d[0].line, d[0].column), (2, 12));
        assert!(d[0].message.contains("empty segment"), "{}", d[0].message);
    }

    #[test]
    fn reads_the_repository_settings() {
        let mut d = Vec::new();
        let c = parse(
            "title = \"x\"\nrepository = \"https://github.com/acme/careers/\"\n",
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        let r = c.repository.unwrap();
        assert_eq!(
            (
                r.url.as_str(),
                r.forge,
                r.branch.as_str(),
                r.content_path.as_str()
            ),
            ("https://github.com/acme/careers", Forge::GitHub, "main", "")
        );
        let c = parse(
            "repository = \"https://git.acme.internal/hr/eng\"\nforge = \"gitlab\"\nbranch = \"live\"\ncontent_path = \"sites/eng/\"\ntitle = \"x\"\n",
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        let r = c.repository.unwrap();
        assert_eq!(
            (
                r.url.as_str(),
                r.forge,
                r.branch.as_str(),
                r.content_path.as_str()
            ),
            (
                "https://git.acme.internal/hr/eng",
                Forge::GitLab,
                "live",
                "sites/eng/"
            )
        );
    }

    #[test]
    fn repository_settings_are_errors_at_their_line_and_column() {
        let cases = [
            (
                "repository = \"git@github.com:acme/careers.git\"\n",
                (2, 14),
                "not an http(s) URL",
            ),
            (
                "repository = \"https://git.acme.internal/hr/eng\"\n",
                (2, 14),
                "GitHub or GitLab",
            ),
            (
                "repository = \"https://github.com/a/b\"\nforge = \"gitlub\"\n",
                (3, 9),
                "unknown `forge` `gitlub`",
            ),
            (
                "repository = \"https://github.com/a/b\"\nbranch = \"a b\"\n",
                (3, 10),
                "`branch` `a b` is not allowed",
            ),
            (
                "repository = \"https://github.com/a/b\"\ncontent_path = \"../x\"\n",
                (3, 16),
                "`content_path` `../x` is not allowed",
            ),
            ("repository = true\n", (2, 14), "must be a string"),
        ];
        for (toml, (line, column), message) in cases {
            let mut d = Vec::new();
            let c = parse(&format!("title = \"x\"\n{toml}"), &mut d);
            assert!(c.repository.is_none(), "{toml}");
            assert_eq!(d.len(), 1, "{toml}: {d:?}");
            assert!(
                d[0].is_error() && d[0].message.contains(message),
                "{toml}: {d:?}"
            );
            assert_eq!((d[0].line, d[0].column), (line, column), "{toml}");
        }
        let mut d = Vec::new();
        parse("title = \"x\"\nbranch = \"main\"\n", &mut d);
        assert!(!d[0].is_error() && d[0].message.contains("no effect without `repository`"));
    }

    #[test]
    fn pos_at_counts_characters() {
        assert_eq!(pos_at("ab\ncdé f", 8), Pos::new(2, 5));
    }
}
