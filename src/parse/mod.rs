//! One source file in, one parsed file out (pure and per file, so `serve` can cache it).
//!
//! References to other files (a level's band, a behaviour's level) are kept as positioned
//! strings here; [`crate::assemble`] resolves them once every file is parsed.

pub mod assessment;
pub mod frontmatter;
pub mod schema;
pub mod yaml;

use crate::diagnostics::{Diagnostic, Pos};
use crate::discover::{FileKind, SourceFile};
use crate::markdown::{self, MarkdownOptions};
use schema::{Node, Reader, Spanned, Value};
use std::sync::Arc;

pub type Id = Spanned<String>;

#[derive(Debug, Clone, PartialEq)]
pub struct TrackDef {
    pub id: Id,
    pub title: String,
    pub kind: Option<Id>,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemDef {
    pub id: Id,
    pub title: String,
    pub summary: String,
    /// Areas only.
    pub category: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScaleDef {
    pub id: Id,
    pub title: String,
    pub steps: Vec<ItemDef>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FrameworkDef {
    pub tracks: Vec<TrackDef>,
    pub bands: Vec<ItemDef>,
    pub areas: Vec<ItemDef>,
    pub scales: Vec<ScaleDef>,
    /// The self-assessment rating scale, if the framework sets one.
    pub assessment: Option<assessment::AssessmentDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BehaviourDef {
    pub pos: Pos,
    pub id: Option<Id>,
    pub text: Arc<str>,
    pub html: Arc<str>,
    /// Examples' Markdown and HTML.
    pub examples: Arc<[crate::model::Example]>,
    /// The slug of its first words, for its anchor when it has no id (computed here, once
    /// per parse, rather than on every assembly).
    pub slug: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LevelDef {
    pub id: String,
    pub folder: String,
    pub title: String,
    pub band: Option<Id>,
    pub order: i64,
    pub summary: String,
    pub status: Option<Id>,
    pub attributes: Vec<(String, String)>,
    pub expects: Vec<(Id, Id)>,
    pub tracks: Vec<Id>,
    pub body_html: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompetencyDef {
    pub id: String,
    pub folder: String,
    pub title: String,
    pub summary: String,
    pub tracks: Option<Vec<Id>>,
    pub scale: Option<Id>,
    pub proficiency: Vec<(Id, Vec<BehaviourDef>)>,
    pub behaviours: Vec<(Id, Vec<BehaviourDef>)>,
    pub body_html: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageDef {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: i64,
    pub body_html: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndexDef {
    pub title: Option<String>,
    pub body_html: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Framework(FrameworkDef),
    Index(IndexDef),
    Level(LevelDef),
    Competency(CompetencyDef),
    Page(PageDef),
    /// The file could not be read far enough to contribute anything.
    Failed,
}

/// A parsed file with its own diagnostics and its text (for quoting in messages).
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub rel: String,
    pub kind: FileKind,
    pub parsed: Parsed,
    pub diags: Vec<Diagnostic>,
    pub text: String,
}

/// Parses one file. Never fails: problems become diagnostics.
pub fn parse_file(file: SourceFile, md: MarkdownOptions) -> ParsedFile {
    let mut diags = Vec::new();
    let SourceFile { rel, kind, bytes } = file;
    let text = match frontmatter::decode(bytes) {
        Ok(t) => t,
        Err(pos) => {
            diags.push(
                Diagnostic::error(&rel, pos, "this file is not valid UTF-8")
                    .with_help("save the file with UTF-8 encoding"),
            );
            return ParsedFile {
                rel,
                kind,
                parsed: Parsed::Failed,
                diags,
                text: String::new(),
            };
        }
    };
    // Control characters are reported where they are (a few per file is enough to find
    // them all with an editor's search); the file is not read further.
    let controls: Vec<(usize, char)> = frontmatter::forbidden_controls(&text).take(5).collect();
    if !controls.is_empty() {
        for (offset, c) in controls {
            diags.push(
                Diagnostic::error(
                    &rel,
                    crate::config::pos_at(&text, offset),
                    format!(
                        "this file contains the control character {}",
                        frontmatter::control_name(c)
                    ),
                )
                .with_help("remove it: control characters are invisible in editors and not allowed in web pages"),
            );
        }
        return ParsedFile {
            rel,
            kind,
            parsed: Parsed::Failed,
            diags,
            text,
        };
    }
    let parsed = if text.trim().is_empty() && kind != FileKind::Index {
        diags.push(Diagnostic::error(&rel, Pos::START, "this file is empty").with_help(match kind {
            FileKind::Framework => "framework.yaml lists the framework's tracks, bands and areas",
            _ => "a framework Markdown file starts with front matter between `---` lines, with at least a `title`",
        }));
        Parsed::Failed
    } else {
        let mut r = Reader::new(rel.clone(), &mut diags);
        match &kind {
            FileKind::Framework => parse_framework(&text, &mut r),
            FileKind::Index => parse_index(&text, &mut r, md),
            FileKind::Level { track, id } => parse_level(&text, &mut r, md, track, id),
            FileKind::Competency { area, id } => parse_competency(&text, &mut r, md, area, id),
            FileKind::Page { slug } => parse_page(&text, &mut r, md, slug),
        }
    };
    ParsedFile {
        rel,
        kind,
        parsed,
        diags,
        text,
    }
}

fn yaml_node(r: &mut Reader, text: &str, first_line: u32) -> Option<Node> {
    match yaml::parse(text, first_line) {
        Ok(node) => Some(node),
        Err(e) => {
            r.error(e.pos, format!("malformed YAML: {}", e.message))
                .help = Some("check the indentation and quoting around this position".into());
            None
        }
    }
}

/// Splits a Markdown file and parses its front matter; `None` if there is nothing usable.
fn front_matter<'t>(
    r: &mut Reader,
    text: &'t str,
    required: bool,
) -> Option<(Option<Node>, Body<'t>)> {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            r.error(e.pos, e.message).help = Some(e.help.into());
            return None;
        }
    };
    let node = match split.yaml {
        None if required => {
            r.error(Pos::START, "this file has no front matter").help = Some(
                "start the file with `---`, then YAML such as `title: Senior Engineer`, then `---`"
                    .into(),
            );
            return None;
        }
        None => None,
        Some(y) if y.trim().is_empty() => Some(Node {
            pos: Pos::new(split.yaml_line, 1),
            value: Value::Map(vec![]),
        }),
        Some(y) => Some(yaml_node(r, y, split.yaml_line)?),
    };
    Some((
        node,
        Body {
            text: split.body,
            line: split.body_line,
        },
    ))
}

/// A Markdown body and the line of the file it starts on.
#[derive(Clone, Copy)]
struct Body<'t> {
    text: &'t str,
    line: u32,
}

impl Body<'_> {
    /// The body as HTML; a body nested too deep is an error at the place it goes too deep.
    fn html(self, r: &mut Reader, md: MarkdownOptions) -> String {
        markdown::render(self.text, md).unwrap_or_else(|e| {
            let at = crate::config::pos_at(self.text, e.offset);
            r.error(Pos::new(at.line + self.line - 1, at.column), e.message())
                .help = Some(markdown::TooDeep::HELP.into());
            String::new()
        })
    }
}

/// A behaviour's or example's inline Markdown as HTML, or an error at its node.
fn inline_html(r: &mut Reader, pos: Pos, text: &str, md: MarkdownOptions) -> String {
    markdown::render_inline(text, md).unwrap_or_else(|e| {
        r.error(pos, e.message()).help = Some(markdown::TooDeep::HELP.into());
        String::new()
    })
}

fn parse_framework(text: &str, r: &mut Reader) -> Parsed {
    let Some(root) = yaml_node(r, text, 1) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&root, "framework.yaml") else {
        return Parsed::Failed;
    };
    let mut def = FrameworkDef::default();
    if let Some(n) = f.require(r, "tracks", "framework.yaml") {
        for item in r.list(n, "tracks") {
            let Some(mut t) = r.fields(item, "a track") else {
                continue;
            };
            let id = t.require(r, "id", "a track").and_then(|n| r.id(n, "id"));
            let title = t
                .require(r, "title", "a track")
                .and_then(|n| r.title(n, "title"));
            let kind = t
                .require(r, "kind", "a track")
                .and_then(|n| r.string(n, "kind"));
            let summary = t.get("summary").and_then(|n| r.string(n, "summary"));
            t.finish(r, &["id", "title", "kind", "summary"], "a track");
            if let (Some(id), Some(title)) = (id, title) {
                def.tracks.push(TrackDef {
                    id,
                    title: title.value,
                    kind,
                    summary: summary.map(|s| s.value).unwrap_or_default(),
                });
            }
        }
    }
    if let Some(n) = f.require(r, "bands", "framework.yaml") {
        def.bands = items(r, n, "bands", "a band", false);
    }
    if let Some(n) = f.require(r, "areas", "framework.yaml") {
        def.areas = items(r, n, "areas", "an area", true);
    }
    if let Some(n) = f.get("scales") {
        for item in r.list(n, "scales") {
            let Some(mut s) = r.fields(item, "a scale") else {
                continue;
            };
            let id = s.require(r, "id", "a scale").and_then(|n| r.id(n, "id"));
            let title = s
                .require(r, "title", "a scale")
                .and_then(|n| r.title(n, "title"));
            let steps = s
                .require(r, "steps", "a scale")
                .map(|n| items(r, n, "steps", "a scale step", false));
            s.finish(r, &["id", "title", "steps"], "a scale");
            if let (Some(id), Some(title)) = (id, title) {
                def.scales.push(ScaleDef {
                    id,
                    title: title.value,
                    steps: steps.unwrap_or_default(),
                });
            }
        }
    }
    if let Some(n) = f.get("assessment") {
        def.assessment = assessment::parse(r, n);
    }
    f.finish(
        r,
        &["tracks", "bands", "areas", "scales", "assessment"],
        "framework.yaml",
    );
    Parsed::Framework(def)
}

/// A list of `{id, title, summary}` items (bands, areas, steps).
fn items(r: &mut Reader, node: &Node, what: &str, one: &str, category: bool) -> Vec<ItemDef> {
    let mut out = Vec::new();
    for item in r.list(node, what) {
        let Some(mut f) = r.fields(item, one) else {
            continue;
        };
        let id = f.require(r, "id", one).and_then(|n| r.id(n, "id"));
        let title = f.require(r, "title", one).and_then(|n| r.title(n, "title"));
        let summary = f.get("summary").and_then(|n| r.string(n, "summary"));
        let cat = if category {
            f.require(r, "category", one)
                .and_then(|n| r.text(n, "category"))
        } else {
            None
        };
        let known: &[&str] = if category {
            &["id", "title", "summary", "category"]
        } else {
            &["id", "title", "summary"]
        };
        f.finish(r, known, one);
        if let (Some(id), Some(title)) = (id, title) {
            out.push(ItemDef {
                id,
                title: title.value,
                summary: summary.map(|s| s.value).unwrap_or_default(),
                category: cat
                    .map(|c| c.value.trim().to_lowercase())
                    .unwrap_or_default(),
            });
        }
    }
    out
}

fn parse_index(text: &str, r: &mut Reader, md: MarkdownOptions) -> Parsed {
    let Some((node, body)) = front_matter(r, text, false) else {
        return Parsed::Failed;
    };
    let mut title = None;
    if let Some(node) = node
        && let Some(mut f) = r.fields(&node, "front matter")
    {
        title = f
            .get("title")
            .and_then(|n| r.title(n, "title"))
            .map(|s| s.value);
        f.finish(r, &["title"], "the home page's front matter");
    }
    Parsed::Index(IndexDef {
        title,
        body_html: body.html(r, md),
    })
}

fn parse_page(text: &str, r: &mut Reader, md: MarkdownOptions, slug: &str) -> Parsed {
    let Some((Some(node), body)) = front_matter(r, text, true) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&node, "front matter") else {
        return Parsed::Failed;
    };
    let title = f
        .require(r, "title", "a page's front matter")
        .and_then(|n| r.title(n, "title"));
    let summary = f.get("summary").and_then(|n| r.string(n, "summary"));
    let order = f.get("order").and_then(|n| r.integer(n, "order"));
    f.finish(r, &["title", "summary", "order"], "a page's front matter");
    let Some(title) = title else {
        return Parsed::Failed;
    };
    Parsed::Page(PageDef {
        slug: slug.to_string(),
        title: title.value,
        summary: summary.map(|s| s.value).unwrap_or_default(),
        order: order.unwrap_or(i64::MAX),
        body_html: body.html(r, md),
    })
}

const LEVEL_KEYS: &[&str] = &[
    "title",
    "band",
    "summary",
    "order",
    "tracks",
    "status",
    "attributes",
    "expects",
];

fn parse_level(text: &str, r: &mut Reader, md: MarkdownOptions, folder: &str, id: &str) -> Parsed {
    let Some((Some(node), body)) = front_matter(r, text, true) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&node, "front matter") else {
        return Parsed::Failed;
    };
    let ctx = "a level's front matter";
    let title = f.require(r, "title", ctx).and_then(|n| r.title(n, "title"));
    let band = f.require(r, "band", ctx).and_then(|n| r.id(n, "band"));
    let summary = f.get("summary").and_then(|n| r.string(n, "summary"));
    let order = f.get("order").and_then(|n| r.integer(n, "order"));
    let status = f.get("status").and_then(|n| r.string(n, "status"));
    let tracks = f
        .get("tracks")
        .map(|n| r.string_list(n, "tracks"))
        .unwrap_or_default();
    let mut attributes = Vec::new();
    if let Some(n) = f.get("attributes") {
        for (k, v) in r.entries(n, "attributes") {
            if let (Some(k), Some(v)) = (
                r.text(k, "an attribute name"),
                r.string(v, "an attribute value"),
            ) {
                attributes.push((k.value, v.value));
            }
        }
    }
    let mut expects = Vec::new();
    if let Some(n) = f.get("expects") {
        for (k, v) in r.entries(n, "expects") {
            if let (Some(k), Some(v)) = (
                r.string(k, "a competency id"),
                r.string(v, "a scale step id"),
            ) {
                expects.push((k, v));
            }
        }
    }
    f.finish(r, LEVEL_KEYS, ctx);
    let Some(title) = title else {
        return Parsed::Failed;
    };
    Parsed::Level(LevelDef {
        id: id.to_string(),
        folder: folder.to_string(),
        title: title.value,
        band,
        order: order.unwrap_or(0),
        summary: summary.map(|s| s.value).unwrap_or_default(),
        status,
        attributes,
        expects,
        tracks,
        body_html: body.html(r, md),
    })
}

const COMPETENCY_KEYS: &[&str] = &[
    "title",
    "summary",
    "tracks",
    "scale",
    "proficiency",
    "behaviours",
];

fn parse_competency(
    text: &str,
    r: &mut Reader,
    md: MarkdownOptions,
    folder: &str,
    id: &str,
) -> Parsed {
    let Some((Some(node), body)) = front_matter(r, text, true) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&node, "front matter") else {
        return Parsed::Failed;
    };
    let ctx = "a competency's front matter";
    let title = f.require(r, "title", ctx).and_then(|n| r.title(n, "title"));
    let summary = f.get("summary").and_then(|n| r.string(n, "summary"));
    // A `tracks` of the wrong type is reported and then ignored (all tracks), so it does
    // not cascade into "applies to no track" errors for every behaviour.
    let tracks = f.get("tracks").and_then(|n| match n.value {
        Value::Seq(_) | Value::Str(_) => Some(r.string_list(n, "tracks")),
        _ => {
            r.list(n, "tracks");
            None
        }
    });
    let scale = f.get("scale").and_then(|n| r.string(n, "scale"));
    let proficiency = f
        .get("proficiency")
        .map(|n| behaviour_map(r, n, md, "proficiency", "a scale step id"))
        .unwrap_or_default();
    let behaviours = f
        .get("behaviours")
        .map(|n| behaviour_map(r, n, md, "behaviours", "a level id"))
        .unwrap_or_default();
    f.finish(r, COMPETENCY_KEYS, ctx);
    let Some(title) = title else {
        return Parsed::Failed;
    };
    Parsed::Competency(CompetencyDef {
        id: id.to_string(),
        folder: folder.to_string(),
        title: title.value,
        summary: summary.map(|s| s.value).unwrap_or_default(),
        tracks,
        scale,
        proficiency,
        behaviours,
        body_html: body.html(r, md),
    })
}

/// The most behaviours one competency lists for one level or scale step. Far above real
/// frameworks (Dropbox's largest cell has 14), and a bound on what comparing two cells
/// costs: the pages that compare levels pair every behaviour of one cell with the other's.
pub const MAX_BEHAVIOURS_PER_CELL: usize = 200;

/// `key -> [behaviour]`, for both `behaviours` (by level) and `proficiency` (by step).
fn behaviour_map(
    r: &mut Reader,
    node: &Node,
    md: MarkdownOptions,
    what: &str,
    key_what: &str,
) -> Vec<(Id, Vec<BehaviourDef>)> {
    let mut out = Vec::new();
    for (k, v) in r.entries(node, what) {
        let Some(key) = r.string(k, key_what) else {
            continue;
        };
        let list = if let Value::Str(_) | Value::Map(_) = v.value {
            std::slice::from_ref(v)
        } else {
            r.list(v, what)
        };
        if list.len() > MAX_BEHAVIOURS_PER_CELL {
            r.error(
                key.pos,
                format!(
                    "`{}` lists {} behaviours; one level or step of a competency holds at most {MAX_BEHAVIOURS_PER_CELL}",
                    key.value,
                    list.len()
                ),
            )
            .help = Some("split the competency, or move detail into examples".into());
            continue;
        }
        let behaviours = list.iter().filter_map(|b| behaviour(r, b, md)).collect();
        out.push((key, behaviours));
    }
    out
}

fn behaviour(r: &mut Reader, node: &Node, md: MarkdownOptions) -> Option<BehaviourDef> {
    let ctx = "a behaviour";
    let (text, id, examples) = match &node.value {
        Value::Map(_) => {
            let mut f = r.fields(node, ctx)?;
            let text = f.require(r, "text", ctx).and_then(|n| r.text(n, "text"));
            let id = f.get("id").and_then(|n| r.id(n, "id"));
            let examples = f
                .get("examples")
                .map(|n| r.string_list(n, "examples"))
                .unwrap_or_default();
            f.finish(r, &["text", "examples", "id"], ctx);
            (text?, id, examples)
        }
        _ => (r.text(node, "a behaviour")?, None, Vec::new()),
    };
    let examples = examples
        .into_iter()
        .map(|e| crate::model::Example {
            html: inline_html(r, e.pos, &e.value, md),
            text: e.value,
        })
        .collect();
    Some(BehaviourDef {
        pos: node.pos,
        id,
        slug: text_slug(&text.value),
        html: inline_html(r, text.pos, &text.value, md).into(),
        text: text.value.into(),
        examples,
    })
}

/// The slug of the first eight words of a behaviour's text, at most 60 characters.
fn text_slug(text: &str) -> String {
    let words: String = markdown::plain_text(text)
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    let mut slug = markdown::slugify(&words);
    slug.truncate(slug.char_indices().nth(60).map_or(slug.len(), |(i, _)| i));
    slug.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(kind: FileKind, text: &str) -> ParsedFile {
        parse_file(
            SourceFile {
                rel: "f.md".into(),
                kind,
                bytes: text.as_bytes().to_vec(),
            },
            MarkdownOptions::default(),
        )
    }

    fn level(text: &str) -> ParsedFile {
        parse(
            FileKind::Level {
                track: "expert".into(),
                id: "senior".into(),
            },
            text,
        )
    }

    #[test]
    fn reads_a_level_with_attributes_in_order() {
        let p = level(
            "---\ntitle: Senior\nband: b3\nattributes:\n  Scope: Team\n  Autonomy: High\nexpects:\n  design: practitioner\n---\nNarrative *here*.\n",
        );
        assert!(p.diags.is_empty(), "{:?}", p.diags);
        let Parsed::Level(l) = p.parsed else { panic!() };
        assert_eq!(
            l.attributes,
            vec![
                ("Scope".into(), "Team".into()),
                ("Autonomy".into(), "High".into())
            ]
        );
        assert_eq!(l.band.unwrap().pos, Pos::new(3, 7));
        assert_eq!(l.expects[0].1.value, "practitioner");
        assert!(l.body_html.contains("<em>here</em>"));
    }

    #[test]
    fn front_matter_errors_are_at_their_line_in_the_md_file() {
        let p = level("---\ntitle: Senior\nband: [b3\n---\n");
        assert_eq!(p.diags.len(), 1);
        assert!(p.diags[0].message.starts_with("malformed YAML"));
        assert_eq!(p.diags[0].line, 3);
    }

    #[test]
    fn every_problem_in_a_file_is_reported() {
        let p = level("---\nband: 7x!\nsumary: x\norder: high\n---\n");
        let msgs: Vec<_> = p.diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(p.diags.len(), 4, "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.contains("missing the required key `title`"))
        );
        assert!(msgs.iter().any(|m| m.contains("not a valid id")));
        assert!(msgs.iter().any(|m| m.contains("unknown key `sumary`")));
        assert!(msgs.iter().any(|m| m.contains("whole number")));
    }

    #[test]
    fn empty_unclosed_and_missing_front_matter_are_errors() {
        assert!(level("").diags[0].message.contains("empty"));
        assert!(
            level("---\ntitle: x\n").diags[0]
                .message
                .contains("not closed")
        );
        assert!(
            level("# Senior\n").diags[0]
                .message
                .contains("no front matter")
        );
    }

    #[test]
    fn non_utf8_is_an_error_with_a_position() {
        let p = parse_file(
            SourceFile {
                rel: "f.md".into(),
                kind: FileKind::Index,
                bytes: b"---\ntitle: \xff\n---\n".to_vec(),
            },
            MarkdownOptions::default(),
        );
        assert_eq!((p.diags[0].line, p.diags[0].column), (2, 8));
    }

    #[test]
    fn behaviours_accept_strings_and_maps_with_examples() {
        let p = parse(
            FileKind::Competency {
                area: "craft".into(),
                id: "testing".into(),
            },
            "---\ntitle: Testing\nbehaviours:\n  engineer:\n    - Writes tests\n    - text: Reviews **tests**\n      examples: [Pairs on a flaky test]\n      id: reviews\n---\n",
        );
        assert!(p.diags.is_empty(), "{:?}", p.diags);
        let Parsed::Competency(c) = p.parsed else {
            panic!()
        };
        let (level, list) = &c.behaviours[0];
        assert_eq!(level.value, "engineer");
        assert_eq!(list.len(), 2);
        assert_eq!(&*list[1].html, "Reviews <strong>tests</strong>");
        assert_eq!(list[1].examples[0].text, "Pairs on a flaky test");
        assert_eq!(list[1].id.as_ref().unwrap().value, "reviews");
    }

    #[test]
    fn framework_yaml_reports_missing_and_unknown_keys() {
        let p = parse(
            FileKind::Framework,
            "tracks:\n  - id: expert\n    title: Expert\n    kind: expert\n    colour: red\nbands: []\n",
        );
        let msgs: Vec<_> = p
            .diags
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert!(
            msgs.iter()
                .any(|(l, m)| *l == 5 && m.contains("unknown key `colour`")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|(_, m)| m.contains("`areas`")), "{msgs:?}");
    }
}
