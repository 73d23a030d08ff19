//! Links into the site written in Markdown, checked once every page is known: an `@/`
//! link (see [`crate::links`]) to a page that does not exist is an error where it is
//! written; a plain relative link that leads to a missing level, competency, area,
//! track, family or matrix is a warning (it may be meant for a page rungs does not
//! make, and `@/` is the syntax that promises a page).

use super::{Ctx, Inputs, unknown_help};
use crate::links::{Found, Section, Target, relative_target};
use crate::model::Framework;
use crate::parse::LinkDef;

/// Whether the page a link names is there.
enum Exists {
    Yes,
    /// A draft level this build leaves out: the link would lead nowhere on the site.
    LeftOut,
    /// No: the ids it could have meant.
    No(Vec<String>),
}

fn exists(fw: &Framework, inputs: &Inputs, section: Section, id: &str) -> Exists {
    let found = |there: bool, ids: Vec<&str>| {
        if there {
            Exists::Yes
        } else {
            Exists::No(ids.into_iter().map(str::to_string).collect())
        }
    };
    match section {
        Section::Home | Section::CompetencyIndex | Section::CompareIndex | Section::Search => {
            Exists::Yes
        }
        Section::Level if inputs.drafts_left_out.contains(id) => Exists::LeftOut,
        Section::Level => found(
            // A level file that failed to parse has its own errors; a link to it is not
            // another one.
            inputs.level_stems.contains(id),
            fw.levels.iter().map(|l| l.id.as_str()).collect(),
        ),
        Section::Competency => found(
            inputs.comp_stems.contains(id),
            fw.competencies.iter().map(|c| c.id.as_str()).collect(),
        ),
        Section::Area => found(
            fw.areas.iter().any(|a| a.id.as_str() == id),
            fw.areas.iter().map(|a| a.id.as_str()).collect(),
        ),
        Section::Track | Section::Matrix => found(
            fw.tracks.iter().any(|t| t.id.as_str() == id),
            fw.tracks.iter().map(|t| t.id.as_str()).collect(),
        ),
        Section::Family => found(
            fw.families.iter().any(|f| f.id == id),
            fw.families.iter().map(|f| f.id.as_str()).collect(),
        ),
        Section::Page => found(
            inputs.page_stems.contains(id),
            fw.pages.iter().map(|p| p.slug.as_str()).collect(),
        ),
    }
}

/// The kind of ids a section's pages have, for "known levels: …".
fn plural(section: Section) -> &'static str {
    match section {
        Section::Level => "levels",
        Section::Competency => "competencies",
        Section::Area => "areas",
        Section::Track | Section::Matrix => "tracks",
        Section::Family => "job families",
        _ => "pages",
    }
}

/// Checks every link of every file assembly read (drafts left out of the build are not
/// part of the site, so their links are not checked).
pub(super) fn check(cx: &mut Ctx, fw: &Framework, inputs: &Inputs) {
    let page = |section, id: &str| {
        Target {
            section,
            id: id.to_string(),
            anchor: None,
        }
        .url()
    };
    let mut files: Vec<(&str, String, &[LinkDef])> = Vec::new();
    for &(file, d) in &inputs.levels {
        files.push((file, page(Section::Level, &d.id), &d.links));
    }
    for &(file, d) in &inputs.competencies {
        files.push((file, page(Section::Competency, &d.id), &d.links));
    }
    for &(file, d) in &inputs.pages {
        files.push((file, page(Section::Page, &d.slug), &d.links));
    }
    if let Some((file, d)) = inputs.index {
        files.push((file, String::new(), &d.links));
    }
    let base_path = fw.config.base_path();
    for (file, base, links) in files {
        for link in links {
            check_link(cx, fw, inputs, file, &base, &base_path, link);
        }
    }
}

fn check_link(
    cx: &mut Ctx,
    fw: &Framework,
    inputs: &Inputs,
    file: &str,
    base: &str,
    base_path: &str,
    link: &LinkDef,
) {
    match &link.found {
        Found::Internal(t) => match exists(fw, inputs, t.section, &t.id) {
            Exists::Yes => {}
            Exists::LeftOut => cx.warning(
                file,
                link.pos,
                format!(
                    "`{}` links to a draft level this build leaves out",
                    t.written()
                ),
                "the link leads nowhere on the published site until the level is current; `rungs build --drafts` publishes drafts",
            ),
            Exists::No(ids) => {
                let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
                cx.error(
                    file,
                    link.pos,
                    format!(
                        "the link `{}` leads nowhere: there is no {} `{}`",
                        t.written(),
                        t.section.noun(),
                        t.id
                    ),
                    unknown_help(&t.id, &ids, plural(t.section)),
                );
            }
        },
        Found::Relative(url) => {
            // Behaviours, examples and attributes are shown on pages at several depths:
            // only a link that climbs to the site's root means one page from all of them.
            let base = if link.inline { "inline/text/" } else { base };
            let Some((section, id)) = relative_target(url, base, base_path) else {
                return;
            };
            let (missing, ids) = match exists(fw, inputs, section, &id) {
                Exists::Yes => return,
                Exists::LeftOut => ("a draft level this build leaves out".to_string(), Vec::new()),
                Exists::No(ids) => (format!("no {} `{id}`", section.noun()), ids),
            };
            let written = Target {
                section,
                id: "<id>".into(),
                anchor: None,
            }
            .written();
            let suggestion = crate::parse::schema::suggest(&id, ids.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            cx.warning(
                file,
                link.pos,
                format!("the link `{url}` leads to {missing}"),
                format!("{suggestion}write internal links as `{written}`: rungs checks them and makes them relative to every page that shows them"),
            );
        }
        Found::Invalid { .. } => {}
    }
}
