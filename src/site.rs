//! Loading a site: settings, sources, parsing and assembly, shared by `check`, `build`
//! and `serve`. Loading never fails on a broken framework; it returns diagnostics.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::diagnostics::{self, Diagnostic, Pos, Sources};
use crate::discover;
use crate::model::Framework;
use crate::parse::{self, ParsedFile};

/// Settings given on the command line, which win over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
}

/// A loaded site: the framework if it could be assembled, and every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub framework: Option<Framework>,
    pub diags: Vec<Diagnostic>,
    /// Source texts, for quoting lines in diagnostics.
    pub sources: Sources,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        diagnostics::has_errors(&self.diags)
    }
}

/// Reads `site.toml` (optional: defaults apply when it is missing).
pub fn load_config(
    root: &Path,
    overrides: &Overrides,
    diags: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> SiteConfig {
    let path = root.join(config::FILE);
    let read = if path.exists() || path.is_symlink() {
        discover::read_regular(&path, Some(discover::MAX_SOURCE_BYTES))
    } else {
        Err(String::new())
    };
    let mut cfg = match read {
        Ok(bytes) => match crate::frontmatter::decode(bytes) {
            Ok(text) => {
                let cfg = config::parse(&text, diags);
                sources.insert(config::FILE.into(), text);
                cfg
            }
            Err(pos) => {
                diags.push(Diagnostic::error(
                    config::FILE,
                    pos,
                    "site.toml is not valid UTF-8",
                ));
                SiteConfig::default()
            }
        },
        Err(message) if message.is_empty() => SiteConfig::default(),
        Err(message) => {
            diags.push(Diagnostic::error(config::FILE, Pos::START, message));
            SiteConfig::default()
        }
    };
    if let Some(url) = &overrides.base_url {
        cfg.base_url = url.clone();
    }
    cfg
}

/// Parses source files in parallel.
pub fn parse_all(files: Vec<discover::SourceFile>, cfg: &SiteConfig) -> Vec<ParsedFile> {
    let md = cfg.markdown;
    files
        .into_par_iter()
        .map(|f| parse::parse_file(f, md))
        .collect()
}

/// Loads and validates the whole site. `Err` only when rungs cannot run at all (no
/// `content/` folder, an unreadable root).
pub fn load(root: &Path, overrides: &Overrides) -> std::io::Result<Loaded> {
    let mut diags = Vec::new();
    let mut sources = Sources::new();
    let config = load_config(root, overrides, &mut diags, &mut sources);
    let tree = discover::discover(root)?;
    diags.extend(tree.diags);
    let parsed = parse_all(tree.files, &config);
    Ok(assemble_parsed(root, config, &parsed, diags, sources))
}

/// The cross-file stage, given already parsed files (`serve` keeps them cached).
pub fn assemble_parsed(
    root: &Path,
    config: SiteConfig,
    parsed: &[ParsedFile],
    mut diags: Vec<Diagnostic>,
    mut sources: Sources,
) -> Loaded {
    for f in parsed {
        diags.extend(f.diags.iter().cloned());
    }
    let framework = crate::assemble::assemble(&config, parsed, &mut diags);
    diagnostics::normalize(&mut diags);
    for d in &diags {
        if !sources.contains_key(&d.file)
            && let Some(f) = parsed.iter().find(|f| f.rel == d.file)
        {
            sources.insert(f.rel.clone(), f.text.clone());
        }
    }
    Loaded {
        root: root.to_path_buf(),
        config,
        framework,
        diags,
        sources,
    }
}
