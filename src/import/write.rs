//! The site written out: `site.toml`, `content/framework.yaml` (with every guess in a
//! comment at its top), a file per level, competency and page. Every value goes through
//! a serializer (YAML through [`crate::parse::yaml`], TOML through `toml`); user text
//! only reaches a comment through [`crate::parse::yaml::comment`].

use std::io;
use std::path::Path;

use serde::Serialize;

use super::site::Site;
use crate::diagnostics::io_error_at as at;
use crate::parse::yaml::{comment, to_yaml};

/// The files of a site, by site-relative path, in the order they are written.
pub(crate) fn files(
    site: &Site,
    source: &str,
    format: &str,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    #[derive(Serialize)]
    struct Markdown {
        allow_raw_html: bool,
    }
    #[derive(Serialize)]
    struct SiteToml<'a> {
        title: &'a str,
        base_url: &'a str,
        markdown: Markdown,
    }
    let toml = toml::to_string(&SiteToml {
        title: &site.title,
        base_url: "/",
        markdown: Markdown {
            allow_raw_html: false,
        },
    })
    .map_err(|e| e.to_string())?;
    out.push((
        "site.toml".to_string(),
        format!(
            "{}{toml}",
            comment(&format!(
                "Imported by `rungs import {format}` from {source}."
            ))
        ),
    ));
    out.push((
        "content/framework.yaml".to_string(),
        framework_yaml(site, source, format)?,
    ));
    if let Some(intro) = &site.intro {
        #[derive(Serialize)]
        struct Index<'a> {
            title: &'a str,
        }
        out.push((
            "content/index.md".to_string(),
            front_matter(&Index { title: &site.title }, intro)?,
        ));
    }
    for l in &site.levels {
        out.push((
            format!("content/levels/{}/{}.md", l.track, l.id),
            front_matter(&l.front, &l.body)?,
        ));
    }
    for c in &site.competencies {
        out.push((
            format!("content/competencies/{}/{}.md", c.area, c.id),
            front_matter(&c.front, "")?,
        ));
    }
    for p in &site.pages {
        #[derive(Serialize)]
        struct Page<'a> {
            title: &'a str,
        }
        out.push((
            format!("content/pages/{}.md", p.slug),
            front_matter(&Page { title: &p.title }, &p.body)?,
        ));
    }
    Ok(out)
}

/// `---`, the YAML, `---`, the body.
fn front_matter<T: Serialize>(front: &T, body: &str) -> Result<String, String> {
    let yaml = to_yaml(front)?;
    let mut s = String::with_capacity(yaml.len() + body.len() + 16);
    s.push_str("---\n");
    s.push_str(&yaml);
    if !yaml.ends_with('\n') {
        s.push('\n');
    }
    s.push_str("---\n");
    if !body.is_empty() {
        s.push_str(body.trim_end());
        s.push('\n');
    }
    Ok(s)
}

/// framework.yaml: the guesses, then each section as its own YAML mapping, with a note
/// above the bands.
fn framework_yaml(site: &Site, source: &str, format: &str) -> Result<String, String> {
    let mut s = comment(&format!(
        "Imported by `rungs import {format}` from {source}.\nThe importer guessed what follows; check each point and correct this file or the\nlevel and competency files:\n"
    ));
    for g in &site.guesses {
        s.push_str(&comment(&format!("- {g}")));
    }
    s.push('\n');
    #[derive(Serialize)]
    struct Section<'a, T: Serialize> {
        #[serde(skip_serializing_if = "Option::is_none")]
        families: Option<&'a T>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tracks: Option<&'a T>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bands: Option<&'a T>,
        #[serde(skip_serializing_if = "Option::is_none")]
        areas: Option<&'a T>,
        #[serde(skip_serializing_if = "Option::is_none")]
        scales: Option<&'a T>,
    }
    fn one<T: Serialize>(name: &str, value: &T) -> Result<String, String> {
        let none: Option<&T> = None;
        let section = Section {
            families: if name == "families" {
                Some(value)
            } else {
                none
            },
            tracks: if name == "tracks" { Some(value) } else { none },
            bands: if name == "bands" { Some(value) } else { none },
            areas: if name == "areas" { Some(value) } else { none },
            scales: if name == "scales" { Some(value) } else { none },
        };
        to_yaml(&section)
    }
    if !site.families.is_empty() {
        s.push_str(&one("families", &site.families)?);
        s.push('\n');
    }
    s.push_str(&one("tracks", &site.tracks)?);
    s.push('\n');
    s.push_str(&comment(&site.bands_note));
    s.push_str(&one("bands", &site.bands)?);
    s.push('\n');
    s.push_str(&comment(
        "Categories (technical, delivery, leadership, enterprise) were guessed from the titles.",
    ));
    s.push_str(&one("areas", &site.areas)?);
    if !site.scales.is_empty() {
        s.push('\n');
        s.push_str(&comment(
            "Scales from the proficiency column: the steps some level expects, in the order levels reach them.",
        ));
        s.push_str(&one("scales", &site.scales)?);
    }
    Ok(s)
}

/// Writes `files` under `dir`.
pub(crate) fn write_all(dir: &Path, files: &[(String, String)]) -> io::Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(at("create the folder", parent))?;
        }
        std::fs::write(&path, text).map_err(at("write", &path))?;
    }
    Ok(())
}
