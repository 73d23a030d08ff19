//! One source file in, one parsed file out (pure and per file, so `serve` can cache it).
//!
//! References to other files (a level's band, a behaviour's level) are kept as positioned
//! strings here; [`crate::assemble`] resolves them once every file is parsed.

pub(crate) mod assessment;
mod competency;
mod framework;
pub(crate) mod frontmatter;
mod level;
mod page;
pub(crate) mod schema;
pub(crate) mod spec;
pub(crate) mod yaml;

pub(crate) use competency::{
    MAX_BEHAVIOURS_PER_CELL, repeat_key, text_slug as competency_text_slug,
};
pub(crate) use framework::{FrameworkDef, ItemDef, TrackDef};

use crate::diagnostics::{Diagnostic, Pos};
use crate::discover::{FileKind, SourceFile};
use crate::links::Found;
use crate::markdown::{self, FoundLinks, MarkdownOptions};
use schema::{Node, Reader, Spanned, Value};
use std::sync::Arc;

pub(crate) type Id = Spanned<String>;

/// A link into the site written in a file's Markdown: an `@/` link that names a page,
/// or a relative URL (see [`crate::links`]). Assembly checks that its page exists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinkDef {
    /// Where the link starts in the file.
    pub pos: Pos,
    /// What it names: [`Found::Internal`] or [`Found::Relative`] (an `@/` link that does
    /// not parse is reported here and not kept).
    pub found: Found,
    /// In a behaviour, an example or an attribute (shown on many pages), rather than in
    /// the file's body (shown on the file's own page).
    pub inline: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BehaviourDef {
    pub pos: Pos,
    pub id: Option<Id>,
    /// `from:` as written: the ids of the behaviours at the level below it grows from.
    pub from: Option<Vec<Id>>,
    pub text: Arc<str>,
    pub html: Arc<str>,
    /// `text` without markup.
    pub plain: Arc<str>,
    /// What comparing it needs (see [`crate::change::signature`]).
    pub signature: Arc<crate::model::Signature>,
    /// Examples' Markdown and HTML.
    pub examples: Arc<[crate::model::Example]>,
    /// The slug of its first words, for its anchor when it has no id (computed here, once
    /// per parse, rather than on every assembly).
    pub slug: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LevelDef {
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
    /// Links into the site in its body and attributes.
    pub links: Vec<LinkDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompetencyDef {
    pub id: String,
    pub folder: String,
    pub title: String,
    pub summary: String,
    pub tracks: Option<Vec<Id>>,
    pub scale: Option<Id>,
    /// `order:`, within its area (default 0; ties by title).
    pub order: i64,
    pub proficiency: Vec<(Id, Vec<BehaviourDef>)>,
    pub behaviours: Vec<(Id, Vec<BehaviourDef>)>,
    /// `core:`: behaviours by band, expected at every level of the band on the
    /// competency's tracks, written once.
    pub core: Vec<(Id, Vec<BehaviourDef>)>,
    /// Levels whose `behaviours:` entry is a change to what they inherit (`add`, which
    /// goes to `behaviours`, `replace`, `remove`), by level.
    pub overrides: Vec<(Id, OverrideDef)>,
    pub body_html: String,
    /// Links into the site in its guidance, behaviours and examples.
    pub links: Vec<LinkDef>,
}

/// Targeted changes to what a level inherits (from the core or from the level of the
/// track it is based on), by behaviour id.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct OverrideDef {
    pub replace: Vec<(Id, BehaviourDef)>,
    pub remove: Vec<Id>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageDef {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: i64,
    pub body_html: String,
    /// Links into the site in its body.
    pub links: Vec<LinkDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IndexDef {
    pub title: Option<String>,
    pub body_html: String,
    /// Links into the site in its body.
    pub links: Vec<LinkDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Parsed {
    Framework(FrameworkDef),
    Index(IndexDef),
    Level(LevelDef),
    /// Shared, so assembly can tell an unchanged parse by its address
    /// (`assemble::Memo`).
    Competency(std::sync::Arc<CompetencyDef>),
    Page(PageDef),
    /// The file could not be read far enough to contribute anything.
    Failed,
}

/// A parsed file with its own diagnostics and its text (for quoting in messages).
#[derive(Debug, Clone)]
pub(crate) struct ParsedFile {
    pub rel: String,
    pub kind: FileKind,
    pub parsed: Parsed,
    pub diags: Vec<Diagnostic>,
    pub text: String,
}

/// Parses one file. Never fails: problems become diagnostics.
pub(crate) fn parse_file(file: SourceFile, md: MarkdownOptions) -> ParsedFile {
    let mut diags = Vec::new();
    let SourceFile { rel, kind, bytes } = file;
    let text = match frontmatter::decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::error(&rel, e.pos, e.message("this file"))
                    .with_help(frontmatter::NotUtf8::HELP),
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
    // them all with an editor's search); the file is not read further. Bidirectional
    // overrides are found in the same pass and warned about.
    // Five of each kind at most: many of one must not hide the other.
    type Found = Vec<(usize, char)>;
    let (mut controls, mut bidi): (Found, Found) = (vec![], vec![]);
    for (offset, c) in text.char_indices() {
        let found = if frontmatter::is_forbidden_control(c) {
            &mut controls
        } else if frontmatter::is_bidi_control(c) {
            &mut bidi
        } else {
            continue;
        };
        if found.len() < 5 {
            found.push((offset, c));
        } else if controls.len() == 5 && bidi.len() == 5 {
            break;
        }
    }
    for (offset, c) in bidi {
        diags.push(
            Diagnostic::warning(
                &rel,
                crate::config::pos_at(&text, offset),
                format!(
                    "this file contains the invisible direction control {}, which shows the text after it in another order than it is written",
                    frontmatter::control_name(c)
                ),
            )
            .with_help("remove it unless the text needs it: a reviewer reading this file sees something else than readers of the site"),
        );
    }
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
            FileKind::Framework => framework::parse_framework(&text, &mut r),
            FileKind::Index => page::parse_index(&text, &mut r, md),
            FileKind::Level { track, id } => level::parse_level(&text, &mut r, md, track, id),
            FileKind::Competency { area, id } => {
                competency::parse_competency(&text, &mut r, md, area, id)
            }
            FileKind::Page { slug } => page::parse_page(&text, &mut r, md, slug),
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
        Ok(node) => {
            for (pos, message, help) in yaml::silent_losses(text, first_line) {
                r.warning(pos, message).help = Some(help);
            }
            Some(node)
        }
        Err(e) => {
            r.error(e.pos, format!("malformed YAML: {}", e.message))
                .help = Some(e.help);
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
        None if required && text.contains('\r') && !text.contains('\n') => {
            // Classic Mac OS line endings: the whole file reads as one line.
            r.error(Pos::START, "this file's lines end with a carriage return only (old Mac OS line endings), so it reads as one line")
                .help = Some("save it with LF (or CRLF) line endings; most editors offer this where the file's encoding is chosen".into());
            return None;
        }
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
    /// Its links into the site go to `links`.
    fn html(self, r: &mut Reader, md: MarkdownOptions, links: &mut Links) -> String {
        let mut found = Vec::new();
        let html = markdown::render_with_links(self.text, md, &mut found).unwrap_or_else(|e| {
            r.error(self.pos(e.offset), e.message()).help = Some(markdown::TooDeep::HELP.into());
            String::new()
        });
        let offsets: Vec<usize> = found.iter().map(|(o, _)| *o).collect();
        for (at, (_, f)) in positions(self.text, &offsets).into_iter().zip(found) {
            links.add(r, Pos::new(at.line + self.line - 1, at.column), f, false);
        }
        html
    }

    /// The position in the file of a byte offset in the body.
    fn pos(self, offset: usize) -> Pos {
        let at = crate::config::pos_at(self.text, offset);
        Pos::new(at.line + self.line - 1, at.column)
    }
}

/// The links into the site found in one file, as its texts are rendered.
pub(crate) struct Links<'t> {
    /// The file's text, to place links inside YAML strings.
    source: &'t str,
    /// Where each line of `source` starts, worked out for the first link in a string.
    line_starts: Option<Vec<usize>>,
    list: Vec<LinkDef>,
}

impl<'t> Links<'t> {
    fn new(source: &'t str) -> Self {
        Links {
            source,
            line_starts: None,
            list: Vec::new(),
        }
    }

    /// Keeps a link found at `pos`, or reports an `@/` link that names no page.
    fn add(&mut self, r: &mut Reader, pos: Pos, found: Found, inline: bool) {
        match found {
            Found::Invalid { written, why } => {
                r.error(pos, format!("the link `{written}` names no page: {why}"))
                    .help = Some(crate::links::SYNTAX_HELP.into());
            }
            found => self.list.push(LinkDef { pos, found, inline }),
        }
    }

    /// Keeps the links of an inline text (a behaviour, an example, an attribute) whose
    /// YAML string is written at `pos`. A link is placed exactly when the string is
    /// written on one line as it reads up to the link (plain, or quoted without
    /// escapes), else at the string.
    fn add_inline(&mut self, r: &mut Reader, pos: Pos, value: &str, found: FoundLinks) {
        if found.is_empty() {
            return;
        }
        let line_starts = self.line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(self.source.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = line_starts
            .get(pos.line as usize - 1)
            .map(|&start| {
                let rest = &self.source[start..];
                &rest[..rest.find('\n').unwrap_or(rest.len())]
            })
            .unwrap_or_default();
        let written = line
            .char_indices()
            .nth(pos.column as usize - 1)
            .map_or("", |(i, _)| &line[i..]);
        let (quote, written) = match written.strip_prefix(['"', '\'']) {
            Some(rest) => (1, rest),
            None => (0, written),
        };
        // How much of the value reads as written, from its start.
        let same = value
            .bytes()
            .zip(written.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let offsets: Vec<usize> = found.iter().map(|(o, _)| *o).collect();
        // Where the value starts in the file, and how far past it its text can lie.
        let start = line_starts.get(pos.line as usize - 1).copied().unwrap_or(0)
            + (line.len() - written.len() - quote as usize);
        let window = (start + 2 * value.len() + 256).min(self.source.len());
        let mut cursor = start;
        let mut placed = Vec::with_capacity(found.len());
        for (at, (offset, f)) in positions(value, &offsets).into_iter().zip(found) {
            let exact = offset <= same && at.line == 1;
            let at = if exact {
                // Past it, so a later search does not find this link again.
                cursor = start + quote as usize + offset + 1;
                Pos::new(pos.line, pos.column + quote + at.column - 1)
            } else {
                // A block scalar (`|`, `>`), a list's later item, an escape before the
                // link: the value does not read as written, so the link's own text is
                // looked for in the file, after the links before it.
                let link = &value[offset..];
                let mut end = link.find(['\n', ')']).map_or(link.len(), |i| i + 1).min(80);
                while !link.is_char_boundary(end) {
                    end -= 1;
                }
                match self
                    .source
                    .get(cursor..window)
                    .and_then(|w| w.find(&link[..end]))
                {
                    Some(i) if end > 0 => {
                        cursor += i + end;
                        let byte = cursor - end;
                        let row = line_starts.partition_point(|&s| s <= byte);
                        let line_start = line_starts[row - 1];
                        let column = self.source[line_start..byte].chars().count() + 1;
                        Pos::new(row as u32, column as u32)
                    }
                    _ => pos,
                }
            };
            placed.push((at, f));
        }
        for (at, f) in placed {
            self.add(r, at, f, true);
        }
    }

    fn into_vec(self) -> Vec<LinkDef> {
        self.list
    }
}

/// The 1-based line and column of each of `offsets` (byte offsets of `text`), in one
/// pass over the text whatever their number.
fn positions(text: &str, offsets: &[usize]) -> Vec<Pos> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![Pos::START; offsets.len()];
    let (mut at, mut line, mut column) = (0, 1, 1);
    for i in order {
        let to = offsets[i].min(text.len());
        for c in text.get(at..to).unwrap_or_default().chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        at = at.max(to);
        out[i] = Pos::new(line, column);
    }
    out
}

/// A behaviour's or example's inline Markdown as HTML, or an error at its node; its
/// links into the site go to `links`.
fn inline_html(
    r: &mut Reader,
    pos: Pos,
    text: &str,
    md: MarkdownOptions,
    links: &mut Links,
) -> String {
    let mut found = Vec::new();
    let html = markdown::render_inline_with_links(text, md, &mut found).unwrap_or_else(|e| {
        r.error(pos, e.message()).help = Some(markdown::TooDeep::HELP.into());
        String::new()
    });
    links.add_inline(r, pos, text, found);
    html
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
    fn numbers_read_as_text_keep_how_they_are_written() {
        let p = level(
            "---\ntitle: 0x1F\nband: b3\nsummary: 1.50 # a comment\nattributes:\n  Scope: 1e3\n  Reach: [1.0, 007]\n---\n",
        );
        assert!(p.diags.is_empty(), "{:?}", p.diags);
        let Parsed::Level(l) = p.parsed else { panic!() };
        assert_eq!(l.title, "0x1F");
        assert_eq!(l.summary, "1.50");
        assert_eq!(l.attributes[0].1, "1e3");
        assert_eq!(l.attributes[1].1, "- 1.0\n- 007");
        let p = level("---\nx-n: &n 0x1F\ntitle: *n\nband: b3\nsummary: -.5\n---\n");
        let Parsed::Level(l) = p.parsed else {
            panic!("{:?}", p.diags)
        };
        assert_eq!(l.title, "0x1F", "an alias reads as its number, not as `*n`");
        assert_eq!(l.summary, "-.5");
    }

    #[test]
    fn many_direction_controls_do_not_hide_a_control_character() {
        let p = level(&format!(
            "---\ntitle: Senior\nband: b3\n---\n{}\u{1b}[31m\n",
            "\u{202E}".repeat(12)
        ));
        assert!(matches!(p.parsed, Parsed::Failed));
        let errors: Vec<_> = p.diags.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 1, "{:?}", p.diags);
        assert_eq!((errors[0].line, errors[0].column), (5, 13));
        assert_eq!(p.diags.len(), 6, "five warnings and the error");
    }

    #[test]
    fn direction_overrides_are_warned_about_where_they_are() {
        let p = level(
            "---\ntitle: Senior\nband: b3\nsummary: \"Pays \u{202E}003 \u{2066}x\u{2069}\"\n---\nRTL marks \u{200F} are fine.\n",
        );
        assert!(matches!(p.parsed, Parsed::Level(_)));
        let at: Vec<(u32, u32)> = p.diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(4, 16), (4, 21), (4, 23)], "{:?}", p.diags);
        assert!(p.diags.iter().all(|d| !d.is_error()));
        assert!(p.diags[0].message.contains("U+202E"));
    }

    #[test]
    fn old_mac_line_endings_are_named() {
        let p = level("---\rtitle: Senior\rband: b3\r---\rText.\r");
        assert_eq!(p.diags.len(), 1, "{:?}", p.diags);
        assert!(
            p.diags[0].message.contains("carriage return only"),
            "{:?}",
            p.diags
        );
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
    fn links_are_placed_at_their_line_and_column_in_the_file() {
        let p = parse(
            FileKind::Competency {
                area: "craft".into(),
                id: "testing".into(),
            },
            "---\ntitle: Testing\nbehaviours:\n  engineer:\n    - Writes tests, see [the guide](@/guide).\n    - 'Reviews [tests](@/levels/x)'\n    - >-\n      Folded over\n      [two lines](@/levels/y)\n    - text: Pairs\n      examples: [\"A [demo](../levels/z/)\"]\n    - |\n      [a](@/levels/y) first\n      then [a](@/levels/y) again\n    - \"Caf\\u00e9 [e](@/levels/w)\"\n---\nGuidance.\n\nSee [x](@/levels/staff) and [bad](@/levels/a/b).\n",
        );
        let Parsed::Competency(c) = p.parsed else {
            panic!("{:?}", p.diags)
        };
        let at: Vec<(u32, u32, bool)> = c
            .links
            .iter()
            .map(|l| (l.pos.line, l.pos.column, l.inline))
            .collect();
        assert_eq!(
            at,
            [
                (5, 25, true),
                (6, 16, true),
                // Folded over lines, in a literal block (the same link twice, each at
                // its own place) and after an escape: found in the file.
                (9, 7, true),
                (11, 21, true),
                (13, 7, true),
                (14, 12, true),
                (15, 18, true),
                (19, 5, false),
            ]
        );
        // The link that names no page is an error where it is written, and not kept.
        assert_eq!(p.diags.len(), 1, "{:?}", p.diags);
        assert_eq!((p.diags[0].line, p.diags[0].column), (19, 29));
        assert!(p.diags[0].message.contains("`@/levels/a/b` names no page"));
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
