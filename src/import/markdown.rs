//! Heading-structured Markdown ladders into the neutral table.
//!
//! The structure is read from the headings, the same way in every file:
//!
//! - the *competency* depth is the heading depth whose sections most often hold a bullet
//!   list directly (or, in a ladder without lists, the deepest one holding paragraphs);
//! - the *level* depth is the depth of those sections' parents, unless those parents
//!   repeat their titles under different parents (`Technical` under every level): then
//!   they are *areas*, and levels are one depth up;
//! - above the levels, several sections of one file that hold levels are *tracks*;
//!   otherwise each file is a track (an expert ladder and a manager ladder side by side);
//! - when the competency sections have no parent heading, each file is a level.
//!
//! Under a competency, each bullet (with its continuation lines) or paragraph is a
//! behaviour, verbatim, and sub-bullets are its examples. Directly under a level,
//! `Key: value` lines, lists of them and two-column tables are its attributes, the first
//! short paragraph its summary, and anything else its narrative. A section at level depth
//! that holds no competency (an FAQ) becomes a free page.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::MAX_CELL_BYTES;
use super::table::{Kind, LevelIn, PageIn, Place, Row, Table, TrackIn};
use super::text::{self, Cleaned};
use crate::diagnostics::Diagnostic;
use crate::markdown::plain_text_as_written;
use crate::parse::frontmatter;

/// One Markdown file of the input.
pub(crate) struct MdFile {
    /// As the user would name it (for messages).
    pub display: Arc<str>,
    /// The folder it is in, relative to the input folder (`""` at the top): a track,
    /// when files are levels.
    pub folder: String,
    pub stem: String,
    pub text: String,
}

/// A block of a document at the top level (not inside a list or quote).
#[derive(Debug)]
enum Block {
    Heading {
        depth: u8,
        title: String,
        line: u32,
    },
    List {
        items: Vec<Item>,
        range: Range<usize>,
    },
    Paragraph {
        range: Range<usize>,
        line: u32,
    },
    Table {
        rows: Vec<Vec<String>>,
        range: Range<usize>,
        line: u32,
    },
    /// Code, quotes, HTML, rules: kept as written where they can be.
    Other {
        range: Range<usize>,
        line: u32,
        what: &'static str,
    },
}

/// A bullet: its text without the marker, its sub-bullets (examples), where it starts.
#[derive(Debug)]
struct Item {
    text: String,
    examples: Vec<String>,
    line: u32,
    column: u32,
}

/// Byte offsets to lines and columns.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text.get(start..offset).map_or(0, |s| s.chars().count());
        (line as u32, col as u32 + 1)
    }
}

/// The plain text of a heading's inline content.
fn heading_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// A list item's source without its marker and its sub-lists, continuation lines
/// dedented.
fn item_text(src: &str, range: Range<usize>, cut: &[Range<usize>]) -> String {
    let mut text = String::new();
    let mut at = range.start;
    for c in cut {
        if c.start >= at && c.end <= range.end {
            text.push_str(&src[at..c.start]);
            at = c.end;
        }
    }
    text.push_str(&src[at..range.end]);
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = if i == 0 {
            strip_marker(line.trim_start())
        } else {
            line.trim()
        };
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    // Blank lines inside one item are kept (two paragraphs); trailing ones are not.
    out.trim().to_string()
}

/// `- `, `* `, `+ `, `1. `, `1) ` and a task box `[ ] ` at the start of a bullet.
fn strip_marker(line: &str) -> &str {
    let rest = if let Some(r) = line.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        match line[digits..].strip_prefix(['.', ')']) {
            Some(r) if digits > 0 => r,
            _ => line,
        }
    };
    let rest = rest.trim_start();
    for b in ["[ ] ", "[x] ", "[X] "] {
        if let Some(r) = rest.strip_prefix(b) {
            return r.trim_start();
        }
    }
    rest
}

/// The blocks of one document.
fn blocks(src: &str, lines: &Lines) -> Vec<Block> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_FOOTNOTES;
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(src, options).into_offset_iter().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        let Event::Start(tag) = event else {
            // Top-level leaves: rules, HTML blocks.
            match event {
                Event::Rule | Event::Html(_) | Event::InlineHtml(_) => out.push(Block::Other {
                    range: range.clone(),
                    line: lines.line_col(src, range.start).0,
                    what: if matches!(event, Event::Rule) {
                        "rule"
                    } else {
                        "html"
                    },
                }),
                _ => {}
            }
            i += 1;
            continue;
        };
        // The events of this block, up to its end.
        let mut depth = 0usize;
        let mut j = i;
        loop {
            match &events[j].0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            j += 1;
        }
        let inner = &events[i + 1..j];
        let line = lines.line_col(src, range.start).0;
        match tag {
            Tag::Heading { level, .. } => {
                let evs: Vec<Event> = inner.iter().map(|(e, _)| e.clone()).collect();
                out.push(Block::Heading {
                    depth: *level as u8,
                    title: heading_text(&evs),
                    line,
                });
            }
            Tag::Paragraph => {
                // A paragraph that is only bold text (`**Technical skills:**`), followed by
                // a list, is a heading; so is such a last line of a paragraph (the lines
                // above it, often `**Scope:** …`, stay a paragraph).
                let body = src[range.clone()].trim_end();
                let next_is_list =
                    matches!(events.get(j + 1), Some((Event::Start(Tag::List(_)), _)));
                let (head, last) = match body.rfind('\n') {
                    Some(i) => (&body[..i], body[i + 1..].trim()),
                    None => ("", body.trim()),
                };
                match bold_label(last).filter(|_| next_is_list) {
                    Some(t) => {
                        if !head.trim().is_empty() {
                            out.push(Block::Paragraph {
                                range: range.start..range.start + head.len(),
                                line,
                            });
                        }
                        out.push(Block::Heading {
                            depth: 0,
                            title: t.to_string(),
                            line: line
                                + head.matches('\n').count() as u32
                                + u32::from(!head.is_empty()),
                        })
                    }
                    None => out.push(Block::Paragraph {
                        range: range.clone(),
                        line,
                    }),
                }
            }
            Tag::List(_) => out.push(Block::List {
                items: list_items(src, lines, inner),
                range: range.clone(),
            }),
            Tag::Table(_) => {
                let mut rows: Vec<Vec<String>> = Vec::new();
                for (e, r) in inner {
                    match e {
                        Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                            rows.push(Vec::new())
                        }
                        Event::Start(Tag::TableCell) => {
                            if let Some(row) = rows.last_mut() {
                                row.push(
                                    src[r.clone()].trim().trim_matches('|').trim().to_string(),
                                );
                            }
                        }
                        _ => {}
                    }
                }
                out.push(Block::Table {
                    rows,
                    range: range.clone(),
                    line,
                });
            }
            Tag::BlockQuote(_) => out.push(Block::Other {
                range: range.clone(),
                line,
                what: "quote",
            }),
            Tag::CodeBlock(_) => out.push(Block::Other {
                range: range.clone(),
                line,
                what: "code",
            }),
            Tag::HtmlBlock => out.push(Block::Other {
                range: range.clone(),
                line,
                what: "html",
            }),
            _ => out.push(Block::Other {
                range: range.clone(),
                line,
                what: "other",
            }),
        }
        i = j + 1;
    }
    out
}

/// `**Technical skills**`, `**Technical skills:**`, `__Craft__:`: the label, when the
/// line is nothing else (and short enough to be a heading).
fn bold_label(line: &str) -> Option<&str> {
    let b = line.trim().trim_end_matches(':');
    ["**", "__"].iter().find_map(|m| {
        b.strip_prefix(m)?
            .strip_suffix(m)
            .filter(|t| !t.contains(m) && !t.trim().is_empty() && t.chars().count() <= 80)
    })
}

/// The items of a top-level list (the events inside it), each with its nested items as
/// examples.
fn list_items(src: &str, lines: &Lines, inner: &[(Event, Range<usize>)]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    // The open item: its range, the lists to cut from it, its examples.
    type Open = (Range<usize>, Vec<Range<usize>>, Vec<String>);
    let mut current: Option<Open> = None;
    let mut nested_start: Option<usize> = None;
    // Nested items: their ranges and the lists inside them, to cut.
    let mut nested_items: Vec<(Range<usize>, usize)> = Vec::new();
    for (e, r) in inner {
        match e {
            Event::Start(Tag::Item) if depth == 0 => {
                current = Some((r.clone(), Vec::new(), Vec::new()))
            }
            Event::Start(Tag::List(_)) if depth == 1 => {
                nested_start = Some(r.start);
                if let Some(c) = current.as_mut() {
                    c.1.push(r.clone());
                }
            }
            Event::Start(Tag::Item) if depth >= 2 => nested_items.push((r.clone(), depth)),
            _ => {}
        }
        match e {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        if matches!(e, Event::End(TagEnd::List(_))) && depth == 1 && nested_start.take().is_some() {
            // Examples: every nested item, without the lists nested in it.
            if let Some(c) = current.as_mut() {
                let ranges: Vec<Range<usize>> =
                    nested_items.iter().map(|(r, _)| r.clone()).collect();
                for (r, _) in &nested_items {
                    let inside: Vec<Range<usize>> = ranges
                        .iter()
                        .filter(|o| o.start > r.start && o.end <= r.end)
                        .cloned()
                        .collect();
                    let t = item_text(src, r.clone(), &inside);
                    if !t.is_empty() {
                        c.2.push(t);
                    }
                }
            }
            nested_items.clear();
        }
        if matches!(e, Event::End(TagEnd::Item))
            && depth == 0
            && let Some((range, cut, examples)) = current.take()
        {
            let text = item_text(src, range.clone(), &cut);
            let first = src[range.clone()].trim_start();
            let offset = range.start
                + (src[range.clone()].len() - first.len())
                + (first.len() - strip_marker(first).len());
            let (line, column) = lines.line_col(src, offset);
            items.push(Item {
                text,
                examples,
                line,
                column,
            });
        }
    }
    items
}

/// A section of a document: a heading and what follows it up to the next heading of the
/// same or a higher level.
#[derive(Debug)]
struct Section {
    depth: u8,
    raw: String,
    title: Cleaned,
    line: u32,
    parent: Option<usize>,
    children: Vec<usize>,
    /// Indices of its direct content blocks.
    blocks: Vec<usize>,
    /// Byte range of its content (after the heading, to the end of its last descendant).
    body: Range<usize>,
}

struct Doc<'f> {
    file: &'f MdFile,
    blocks: Vec<Block>,
    sections: Vec<Section>,
    /// Blocks before the first heading.
    preamble: Vec<usize>,
    /// Top-level sections.
    roots: Vec<usize>,
    lines: Lines,
}

/// The source range a block covers.
fn block_range(b: &Block, src: &str, lines: &Lines) -> Range<usize> {
    match b {
        Block::List { range, .. }
        | Block::Paragraph { range, .. }
        | Block::Table { range, .. }
        | Block::Other { range, .. } => range.clone(),
        Block::Heading { line, .. } => {
            let start = lines.starts[*line as usize - 1];
            let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
            start..end
        }
    }
}

fn parse_doc(file: &MdFile) -> Doc<'_> {
    let src = &file.text;
    let lines = Lines::new(src);
    let blocks = blocks(src, &lines);
    let mut sections: Vec<Section> = Vec::new();
    let mut preamble = Vec::new();
    let mut roots = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut last_real_depth = 0u8;
    for (bi, b) in blocks.iter().enumerate() {
        if let Block::Heading { depth, title, line } = b {
            // A bold-paragraph heading (depth 0) sits just below the last real heading.
            let depth = if *depth == 0 {
                (last_real_depth + 1).min(7)
            } else {
                last_real_depth = *depth;
                *depth
            };
            while let Some(&top) = stack.last() {
                if sections[top].depth >= depth {
                    stack.pop();
                } else {
                    break;
                }
            }
            let parent = stack.last().copied();
            let r = block_range(b, src, &lines);
            sections.push(Section {
                depth,
                raw: title.clone(),
                title: {
                    let mut c = text::clean_heading(title);
                    if c.title.is_empty() {
                        // An empty heading still names its section, by its line.
                        c.title = format!("Untitled (line {line})");
                        c.changed = true;
                    }
                    c
                },
                line: *line,
                parent,
                children: Vec::new(),
                blocks: Vec::new(),
                body: r.end..r.end,
            });
            let si = sections.len() - 1;
            match parent {
                Some(p) => sections[p].children.push(si),
                None => roots.push(si),
            }
            stack.push(si);
        } else {
            let r = block_range(b, src, &lines);
            match stack.last() {
                Some(&top) => sections[top].blocks.push(bi),
                None => preamble.push(bi),
            }
            for &s in &stack {
                sections[s].body.end = sections[s].body.end.max(r.end);
            }
        }
    }
    // A section's body ends where its last descendant's does.
    for si in (0..sections.len()).rev() {
        if let Some(p) = sections[si].parent {
            let end = sections[si].body.end;
            sections[p].body.end = sections[p].body.end.max(end);
        }
    }
    Doc {
        file,
        blocks,
        sections,
        preamble,
        roots,
        lines,
    }
}

fn has_list(doc: &Doc, s: usize) -> bool {
    doc.sections[s]
        .blocks
        .iter()
        .any(|&b| matches!(doc.blocks[b], Block::List { .. }))
}

fn has_paragraph(doc: &Doc, s: usize) -> bool {
    doc.sections[s]
        .blocks
        .iter()
        .any(|&b| matches!(doc.blocks[b], Block::Paragraph { .. }))
}

/// The most frequent value, ties to the larger one.
fn mode(values: impl Iterator<Item = u8>) -> Option<u8> {
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(v, n)| (n, v))
        .map(|(v, _)| v)
}

/// Whether a title reads like a level's (`Senior Engineer`, `L3`, `Staff`).
fn level_ish(title: &str) -> bool {
    const WORDS: &[&str] = &[
        "junior",
        "senior",
        "staff",
        "principal",
        "distinguished",
        "fellow",
        "lead",
        "manager",
        "director",
        "head",
        "vp",
        "chief",
        "intern",
        "apprentice",
        "associate",
        "engineer",
        "developer",
        "architect",
        "scientist",
        "analyst",
        "designer",
        "level",
        "grade",
        "mid",
        "entry",
        "graduate",
        "trainee",
        "executive",
    ];
    text::level_number(title).is_some()
        || title
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| WORDS.contains(&w))
}

/// The depths the documents are read at.
#[derive(Debug, Clone, Copy)]
struct Depths {
    competency: u8,
    /// `None`: each file is a level.
    level: Option<u8>,
    area: Option<u8>,
    /// Levels hold their behaviours directly (a flat ladder): one competency each.
    flat: bool,
}

fn find_depths(docs: &[Doc], notes: &mut Vec<String>) -> Option<Depths> {
    let lists = docs
        .iter()
        .any(|d| (0..d.sections.len()).any(|s| has_list(d, s)));
    let holds = |d: &Doc, s: usize| {
        if lists {
            has_list(d, s)
        } else {
            has_paragraph(d, s)
        }
    };
    let competency = if lists {
        mode(docs.iter().flat_map(|d| {
            (0..d.sections.len())
                .filter(move |&s| has_list(d, s))
                .map(move |s| d.sections[s].depth)
        }))?
    } else {
        docs.iter()
            .flat_map(|d| {
                (0..d.sections.len())
                    .filter(move |&s| has_paragraph(d, s) && d.sections[s].parent.is_some())
                    .map(move |s| d.sections[s].depth)
            })
            .max()?
    };
    let comp_sections: Vec<(usize, usize)> = docs
        .iter()
        .enumerate()
        .flat_map(|(di, d)| {
            (0..d.sections.len())
                .filter(move |&s| d.sections[s].depth == competency && holds(d, s))
                .map(move |s| (di, s))
        })
        .collect();
    let parent_depth = mode(comp_sections.iter().filter_map(|&(di, s)| {
        let d = &docs[di];
        d.sections[s].parent.map(|p| d.sections[p].depth)
    }));
    let Some(p1) = parent_depth else {
        // No heading above the behaviours: files are levels, or (titles that read like
        // levels) the sections are levels holding their behaviours directly.
        let titles: Vec<&str> = comp_sections
            .iter()
            .map(|&(di, s)| docs[di].sections[s].title.title.as_str())
            .collect();
        let levelish = titles.iter().filter(|t| level_ish(t)).count();
        if levelish * 2 > titles.len() {
            notes.push("the sections that hold the behaviours are named like levels and have no sub-headings: read as levels, each with one competency, \"Expectations\"".into());
            return Some(Depths {
                competency,
                level: Some(competency),
                area: None,
                flat: true,
            });
        }
        return Some(Depths {
            competency,
            level: None,
            area: None,
            flat: false,
        });
    };
    // Are the parents areas (the same titles under several grandparents)?
    let mut under: HashMap<String, std::collections::BTreeSet<(usize, usize)>> = HashMap::new();
    let mut grand_depths = Vec::new();
    for &(di, s) in &comp_sections {
        let d = &docs[di];
        let Some(p) = d.sections[s].parent.filter(|&p| d.sections[p].depth == p1) else {
            continue;
        };
        if let Some(g) = d.sections[p].parent {
            grand_depths.push(d.sections[g].depth);
            under
                .entry(text::slug(&d.sections[p].title.title))
                .or_default()
                .insert((di, g));
        } else {
            // A file per level with areas: the file stands for the grandparent.
            grand_depths.push(0);
            under
                .entry(text::slug(&d.sections[p].title.title))
                .or_default()
                .insert((di, usize::MAX));
        }
    }
    let repeated: Vec<&String> = under
        .iter()
        .filter(|(_, g)| g.len() >= 2)
        .map(|(t, _)| t)
        .collect();
    let grandparents: std::collections::BTreeSet<(usize, usize)> =
        under.values().flatten().copied().collect();
    let repeated_levelish = repeated
        .iter()
        .filter(|t| level_ish(&t.replace('-', " ")))
        .count();
    let areas =
        !repeated.is_empty() && grandparents.len() >= 2 && repeated_levelish * 2 <= repeated.len();
    if areas {
        let level = mode(grand_depths.into_iter()).filter(|&d| d > 0);
        notes.push(format!(
            "read the headings above the competencies as areas: titles such as \"{}\" repeat under several levels",
            repeated[0].replace('-', " ")
        ));
        return Some(Depths {
            competency,
            level,
            area: Some(p1),
            flat: false,
        });
    }
    Some(Depths {
        competency,
        level: Some(p1),
        area: None,
        flat: false,
    })
}

/// Reads the Markdown files of one import.
pub(crate) fn read(files: &[MdFile], diags: &mut Vec<Diagnostic>) -> Table {
    let mut table = Table {
        markdown: true,
        ..Table::default()
    };
    let docs: Vec<Doc> = files.iter().map(parse_doc).collect();
    for d in &docs {
        check_controls(d, diags);
    }
    let Some(f) = files.first() else {
        return table;
    };
    let Some(depths) = find_depths(&docs, &mut table.notes) else {
        diags.push(
            Place::text(&f.display, 1, 1)
                .error("no ladder found: no heading holds a bulleted list or paragraphs")
                .with_help("the importer reads a level per heading (or per file), competencies as sub-headings and behaviours as bullets under them"),
        );
        return table;
    };
    let mut r = Reader {
        table: &mut table,
        diags,
        depths,
        noted: Default::default(),
    };
    match depths.level {
        None => r.files_as_levels(&docs),
        // Several files, each one top-level section holding competencies: a file per
        // level, as much as when the files have no level heading.
        Some(level) if r.one_level_per_file(&docs, level) => r.files_as_levels(&docs),
        Some(level) => {
            for d in &docs {
                r.ladder(d, level);
            }
        }
    }
    table
}

/// Control characters are errors at their line and column, as `rungs check` reports them.
fn check_controls(d: &Doc, diags: &mut Vec<Diagnostic>) {
    for (offset, c) in frontmatter::forbidden_controls(&d.file.text).take(5) {
        let (line, col) = d.lines.line_col(&d.file.text, offset);
        diags.push(
            Place::text(&d.file.display, line, col)
                .error(format!(
                    "control character {} in the text",
                    frontmatter::control_name(c)
                ))
                .with_help("delete it: control characters are invisible in editors and not allowed in HTML"),
        );
    }
}

struct Reader<'t, 'd> {
    table: &'t mut Table,
    diags: &'d mut Vec<Diagnostic>,
    depths: Depths,
    /// Competency headings whose cleaning is already noted.
    noted: std::collections::HashSet<String>,
}

/// A file name as a title: `senior-engineer` → `Senior engineer`.
fn humanize(stem: &str) -> String {
    let words: String = stem
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let words = words
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '.');
    let mut chars = words.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

/// Words at the end of a ladder's title that say "ladder" rather than name a track.
fn track_title(title: &str) -> String {
    const SUFFIX: &[&str] = &[
        "competencies",
        "competency",
        "framework",
        "ladder",
        "levels",
        "matrix",
        "expectations",
        "career",
        "progression",
        "path",
    ];
    let mut words: Vec<&str> = title.split_whitespace().collect();
    while words.len() > 1
        && words.last().is_some_and(|w| {
            SUFFIX.contains(
                &w.to_lowercase()
                    .trim_matches(|c: char| !c.is_alphanumeric()),
            )
        })
    {
        words.pop();
    }
    words.join(" ")
}

/// Natural order of file names: `2-mid` before `10-senior`.
fn natural_key(s: &str) -> Vec<(u8, u64, String)> {
    let mut out = Vec::new();
    let mut digits = String::new();
    let mut rest = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !rest.is_empty() {
                out.push((1, 0, std::mem::take(&mut rest)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                out.push((0, digits.parse().unwrap_or(u64::MAX), String::new()));
                digits.clear();
            }
            rest.extend(c.to_lowercase());
        }
    }
    if !digits.is_empty() {
        out.push((0, digits.parse().unwrap_or(u64::MAX), String::new()));
    }
    if !rest.is_empty() {
        out.push((1, 0, rest));
    }
    out
}

impl Reader<'_, '_> {
    fn src<'a>(&self, d: &'a Doc, range: Range<usize>) -> &'a str {
        &d.file.text[range]
    }

    /// Each file is a level: grouped into tracks by folder, in natural order of names.
    /// Whether each file holds at most one level, as its top section, and several do.
    fn one_level_per_file(&self, docs: &[Doc], level: u8) -> bool {
        let counts: Vec<usize> = docs
            .iter()
            .map(|d| {
                (0..d.sections.len())
                    .filter(|&s| d.sections[s].depth == level && self.holds_competencies(d, s))
                    .count()
            })
            .collect();
        let roots_only = docs.iter().all(|d| {
            (0..d.sections.len())
                .filter(|&s| d.sections[s].depth == level && self.holds_competencies(d, s))
                .all(|s| d.sections[s].parent.is_none())
        });
        roots_only
            && counts.iter().all(|&n| n <= 1)
            && counts.iter().filter(|&&n| n == 1).count() >= 2
    }

    /// Whether a file holds behaviours at the competency depth.
    fn has_behaviours(&self, d: &Doc) -> bool {
        let lists = !self.table_has_no_lists(d);
        (0..d.sections.len()).any(|s| {
            d.sections[s].depth == self.depths.competency
                && if lists {
                    has_list(d, s)
                } else {
                    has_paragraph(d, s)
                }
        })
    }

    fn files_as_levels(&mut self, docs: &[Doc]) {
        let without: Vec<&Doc> = docs.iter().filter(|d| !self.has_behaviours(d)).collect();
        for d in without {
            let stem = d.file.stem.to_lowercase();
            if matches!(stem.as_str(), "readme" | "index") && self.table.intro.is_empty() {
                // The folder's README introduces the ladder: the home page.
                if self.table.title.is_none() {
                    self.table.title = d.roots.first().map(|&s| d.sections[s].title.title.clone());
                }
                let blocks: Vec<usize> = d
                    .preamble
                    .iter()
                    .chain(
                        d.roots
                            .first()
                            .map_or(&[][..], |&s| d.sections[s].blocks.as_slice()),
                    )
                    .copied()
                    .collect();
                let intro = self.blocks_source(d, &blocks);
                self.table.intro.extend(intro);
                self.table.notes.push(format!(
                    "{}: read as the home page's introduction",
                    d.file.display
                ));
            } else {
                self.table.notes.push(format!(
                    "skipped {}: it holds no behaviours",
                    d.file.display
                ));
            }
        }
        let mut order: Vec<&Doc> = docs.iter().filter(|d| self.has_behaviours(d)).collect();
        order.sort_by_key(|d| (d.file.folder.clone(), natural_key(&d.file.stem)));
        self.table.notes.push(format!(
            "each file read as one level (their headings hold the competencies), in the order of their names: {}",
            order.iter().map(|d| d.file.stem.as_str()).collect::<Vec<_>>().join(", ")
        ));
        let mut tracks: HashMap<String, usize> = HashMap::new();
        for d in order {
            let folder = d.file.folder.clone();
            let t = *tracks.entry(folder.clone()).or_insert_with(|| {
                let name = folder.rsplit('/').next().unwrap_or(&folder);
                let title = if folder.is_empty() {
                    "Career ladder".to_string()
                } else if name.chars().count() <= 3 {
                    // `ic`, `em`: an abbreviation.
                    name.to_uppercase()
                } else {
                    humanize(name)
                };
                self.table.tracks.push(TrackIn {
                    kind: text::sounds_like_management(&folder).then(|| {
                        (
                            Kind::Manager,
                            format!("its folder \"{folder}\" names managers"),
                        )
                    }),
                    title,
                    family: None,
                    summary: String::new(),
                    levels: Vec::new(),
                    place: Place::text(&d.file.display, 1, 1),
                });
                self.table.tracks.len() - 1
            });
            // The level's title: a single heading above the competencies, else the name.
            let top: Vec<usize> = d
                .roots
                .iter()
                .copied()
                .filter(|&s| d.sections[s].depth < self.depths.competency)
                .collect();
            let (title, number, holder, line) = match top.as_slice() {
                [s] => {
                    let c = &d.sections[*s].title;
                    if c.changed {
                        self.table.notes.push(format!(
                            "heading \"{}\" ({}:{}) read as level \"{}\"",
                            d.sections[*s].raw, d.file.display, d.sections[*s].line, c.title
                        ));
                    }
                    (c.title.clone(), c.number, Some(*s), d.sections[*s].line)
                }
                _ => {
                    let c = text::clean_heading(&humanize(&d.file.stem));
                    (c.title, c.number, None, 1)
                }
            };
            let mut level = LevelIn {
                number: number.or_else(|| text::level_number(&title)),
                title,
                id: None,
                band: None,
                summary: String::new(),
                attributes: Vec::new(),
                body: String::new(),
                anchor: holder.map(|s| github_anchor(&d.sections[s].raw)),
                place: Place::text(&d.file.display, line, 1),
            };
            let direct: Vec<usize> = match holder {
                Some(s) => d
                    .preamble
                    .iter()
                    .chain(&d.sections[s].blocks)
                    .copied()
                    .collect(),
                None => d.preamble.clone(),
            };
            self.level_blocks(d, &direct, &mut level);
            let l = self.table.tracks[t].levels.len();
            self.table.tracks[t].levels.push(level);
            let comps: Vec<usize> = match holder {
                Some(s) => d.sections[s].children.clone(),
                None => d.roots.clone(),
            };
            for s in comps {
                self.competency_tree(d, s, t, l, None);
            }
        }
    }

    /// A file of levels (and maybe several tracks).
    fn ladder(&mut self, d: &Doc, level_depth: u8) {
        let is_level_candidate = |s: usize| d.sections[s].depth == level_depth;
        // Levels: sections at the level depth holding competencies, and those named like
        // levels that hold their bullets directly (a level written without sub-headings).
        let levels: Vec<usize> = (0..d.sections.len())
            .filter(|&s| {
                is_level_candidate(s)
                    && (self.holds_competencies(d, s)
                        || has_list(d, s) && level_ish(&d.sections[s].title.title))
            })
            .collect();
        if levels.is_empty() {
            self.table.notes.push(format!(
                "skipped {}: no level with competencies in it",
                d.file.display
            ));
            return;
        }
        // Tracks: parents of levels, when a file has several.
        let parents: Vec<Option<usize>> = {
            let mut v: Vec<Option<usize>> = levels.iter().map(|&l| d.sections[l].parent).collect();
            v.dedup();
            v
        };
        let several = parents.iter().filter(|p| p.is_some()).count() >= 2;
        let file_heading = d
            .roots
            .iter()
            .copied()
            .find(|&s| d.sections[s].depth < level_depth);
        if self.table.title.is_none() {
            self.table.title = file_heading.map(|s| d.sections[s].title.title.clone());
        }
        // The file's introduction: before its first heading, and under its top heading
        // unless that heading is a track's.
        let top_is_track = several && file_heading.is_some_and(|h| parents.contains(&Some(h)));
        let mut intro_blocks: Vec<usize> = d.preamble.clone();
        if let Some(h) = file_heading.filter(|_| !top_is_track) {
            intro_blocks.extend(&d.sections[h].blocks);
        }
        if several {
            let text = self.blocks_source(d, &intro_blocks);
            self.table.intro.extend(text);
        }
        let groups: Vec<(Option<usize>, Vec<usize>)> = if several {
            parents
                .iter()
                .map(|p| {
                    (
                        *p,
                        levels
                            .iter()
                            .copied()
                            .filter(|&l| d.sections[l].parent == *p)
                            .collect(),
                    )
                })
                .collect()
        } else {
            vec![(None, levels.clone())]
        };
        for (track_section, track_levels) in groups {
            let (title, place, own_blocks) = match track_section {
                Some(s) => (
                    d.sections[s].title.title.clone(),
                    Place::text(&d.file.display, d.sections[s].line, 1),
                    d.sections[s].blocks.clone(),
                ),
                None => {
                    let title = file_heading
                        .map(|s| track_title(&d.sections[s].title.title))
                        .filter(|t| !t.is_empty())
                        .unwrap_or_else(|| humanize(&d.file.stem));
                    (
                        title,
                        Place::text(&d.file.display, 1, 1),
                        intro_blocks.clone(),
                    )
                }
            };
            let kind = self.track_kind(d, &title, &track_levels);
            let summary = own_blocks.iter().find_map(|&b| match &d.blocks[b] {
                Block::Paragraph { range, .. } => {
                    let plain = plain_text_as_written(self.src(d, range.clone()));
                    reads_as_summary(&plain).then_some(plain)
                }
                _ => None,
            });
            // Each track's own introduction, under its title once there are several.
            let intro = self.blocks_source(d, &own_blocks);
            if !intro.is_empty() {
                if several || !self.table.tracks.is_empty() {
                    self.table.intro.push(format!("## {title}"));
                }
                self.table.intro.extend(intro);
            }
            self.table.tracks.push(TrackIn {
                title,
                family: None,
                summary: summary.unwrap_or_default(),
                kind,
                levels: Vec::new(),
                place,
            });
            let t = self.table.tracks.len() - 1;
            for &s in &track_levels {
                self.level(d, s, t);
            }
        }
        // Sections outside the levels and holding none (an FAQ): free pages, whole.
        let mut holds_level = vec![false; d.sections.len()];
        for &l in &levels {
            let mut s = Some(l);
            while let Some(x) = s {
                holds_level[x] = true;
                s = d.sections[x].parent;
            }
        }
        let mut stack: Vec<usize> = d.roots.iter().rev().copied().collect();
        while let Some(s) = stack.pop() {
            if levels.contains(&s) {
                continue;
            }
            if holds_level[s] {
                stack.extend(d.sections[s].children.iter().rev());
            } else {
                self.page(d, s);
            }
        }
    }

    /// The source of blocks, each trimmed.
    fn blocks_source(&self, d: &Doc, blocks: &[usize]) -> Vec<String> {
        blocks
            .iter()
            .map(|&b| {
                self.src(d, block_range(&d.blocks[b], &d.file.text, &d.lines))
                    .trim()
                    .to_string()
            })
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A track's kind from its file name, title, or the titles of most of its levels.
    fn track_kind(&self, d: &Doc, title: &str, levels: &[usize]) -> Option<(Kind, String)> {
        if text::sounds_like_management(&d.file.stem) {
            return Some((
                Kind::Manager,
                format!("its file {} names managers", d.file.display),
            ));
        }
        if text::sounds_like_management(title) {
            return Some((Kind::Manager, "its title names management".to_string()));
        }
        let managing = levels
            .iter()
            .filter(|&&l| text::sounds_like_management(&d.sections[l].title.title))
            .count();
        (managing * 2 > levels.len()).then(|| {
            (
                Kind::Manager,
                format!(
                    "{managing} of its {} levels are named like managers",
                    levels.len()
                ),
            )
        })
    }

    /// Whether section `s` holds a competency: a descendant (or, flat, itself) with
    /// behaviours.
    fn holds_competencies(&self, d: &Doc, s: usize) -> bool {
        if self.depths.flat {
            return has_list(d, s);
        }
        let mut stack = d.sections[s].children.clone();
        let mut any_list = false;
        let mut any_para = false;
        while let Some(c) = stack.pop() {
            any_list |= has_list(d, c);
            any_para |= has_paragraph(d, c) && d.sections[c].depth == self.depths.competency;
            stack.extend(&d.sections[c].children);
        }
        any_list || any_para && self.table_has_no_lists(d)
    }

    fn table_has_no_lists(&self, d: &Doc) -> bool {
        !(0..d.sections.len()).any(|s| has_list(d, s))
    }

    fn level(&mut self, d: &Doc, s: usize, t: usize) {
        let sec = &d.sections[s];
        if sec.title.changed {
            self.table.notes.push(format!(
                "heading \"{}\" ({}:{}) read as level \"{}\"{}",
                sec.raw,
                d.file.display,
                sec.line,
                sec.title.title,
                sec.title
                    .number
                    .map(|n| format!(" (number {n})"))
                    .unwrap_or_default()
            ));
        }
        let mut level = LevelIn {
            title: sec.title.title.clone(),
            id: None,
            band: None,
            number: sec
                .title
                .number
                .or_else(|| text::level_number(&sec.title.title)),
            summary: String::new(),
            attributes: Vec::new(),
            body: String::new(),
            anchor: Some(github_anchor(&sec.raw)),
            place: Place::text(&d.file.display, sec.line, 1),
        };
        let l = self.table.tracks[t].levels.len();
        if self.depths.flat || !self.holds_competencies(d, s) {
            if !self.depths.flat {
                self.table.notes.push(format!(
                    "level \"{}\" ({}:{}) has bullets but no competency headings: read as one competency, \"Expectations\"",
                    sec.title.title, d.file.display, sec.line
                ));
            }
            self.table.tracks[t].levels.push(level);
            self.behaviours(d, s, t, l, None, "Expectations");
            return;
        }
        let direct = sec.blocks.clone();
        self.level_blocks(d, &direct, &mut level);
        self.table.tracks[t].levels.push(level);
        for c in d.sections[s].children.clone() {
            self.competency_tree(d, c, t, l, None);
        }
    }

    /// The sections under a level: areas (at the area depth) and competencies.
    fn competency_tree(&mut self, d: &Doc, s: usize, t: usize, l: usize, area: Option<&str>) {
        let sec = &d.sections[s];
        if Some(sec.depth) == self.depths.area && area.is_none() {
            let title = sec.title.title.clone();
            // Bullets right under an area: a competency named like the area.
            if has_list(d, s) || has_paragraph(d, s) && sec.children.is_empty() {
                self.behaviours(d, s, t, l, Some(&title), &title);
            }
            for c in sec.children.clone() {
                self.competency_tree(d, c, t, l, Some(&title));
            }
            return;
        }
        let title = sec.title.title.clone();
        // In a ladder of bullets, a sub-heading named like an attribute, holding one
        // short sentence and no list (`### Scope` / `Individual tasks.`), is the level's.
        if let [b] = sec.blocks.as_slice()
            && attribute_name(&title)
            && let Block::Paragraph { range, .. } = &d.blocks[*b]
            && sec.children.is_empty()
            && !self.table_has_no_lists(d)
        {
            let value = self
                .src(d, range.clone())
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if value.chars().count() <= 200 {
                self.table.notes.push(format!(
                    "\"{title}\" ({}:{}) holds one short paragraph and no list: read as an attribute of level \"{}\"",
                    d.file.display,
                    sec.line,
                    self.table.tracks[t].levels[l].title
                ));
                let level = &mut self.table.tracks[t].levels[l];
                match text::slug(&title).as_str() {
                    "summary" | "overview" | "description" if level.summary.is_empty() => {
                        level.summary = plain_text_as_written(&value);
                    }
                    _ => level.attributes.push((title, value)),
                }
                return;
            }
        }
        if sec.title.changed && self.noted.insert(sec.raw.clone()) {
            self.table.notes.push(format!(
                "heading \"{}\" (first at {}:{}) read as competency \"{}\"",
                sec.raw, d.file.display, sec.line, title
            ));
        }
        self.behaviours(d, s, t, l, area, &title);
        // Deeper headings inside a competency hold more of its behaviours.
        let mut stack: Vec<usize> = sec.children.iter().rev().copied().collect();
        while let Some(c) = stack.pop() {
            if !d.sections[c].blocks.is_empty() {
                self.table.notes.push(format!(
                    "the behaviours under \"{}\" ({}:{}) read as part of competency \"{}\"",
                    d.sections[c].raw, d.file.display, d.sections[c].line, title
                ));
            }
            self.behaviours(d, c, t, l, area, &title);
            stack.extend(d.sections[c].children.iter().rev());
        }
    }

    /// The behaviours of section `s`: its bullets and paragraphs, in order.
    fn behaviours(
        &mut self,
        d: &Doc,
        s: usize,
        t: usize,
        l: usize,
        area: Option<&str>,
        competency: &str,
    ) {
        for &bi in &d.sections[s].blocks {
            match &d.blocks[bi] {
                Block::List { items, .. } => {
                    for item in items {
                        self.push(
                            d,
                            t,
                            l,
                            area,
                            competency,
                            &item.text,
                            item.examples.clone(),
                            item.line,
                            item.column,
                        );
                    }
                }
                Block::Paragraph { range, line } => {
                    let text = self.src(d, range.clone()).trim().to_string();
                    // `**Promotion criteria**: …` lines after a list: the level's.
                    let pairs: Option<Vec<(String, String)>> = text
                        .lines()
                        .map(|l| key_value(l).filter(|_| l.trim_start().starts_with(['*', '_'])))
                        .collect();
                    if let Some(pairs) = pairs {
                        self.table.notes.push(format!(
                            "{}:{}: `**Name**: value` under \"{competency}\" read as attributes of level \"{}\"",
                            d.file.display,
                            line,
                            self.table.tracks[t].levels[l].title
                        ));
                        self.table.tracks[t].levels[l].attributes.extend(pairs);
                        continue;
                    }
                    let text = text.lines().map(str::trim).collect::<Vec<_>>().join("\n");
                    self.push(d, t, l, area, competency, &text, Vec::new(), *line, 1);
                }
                Block::Other {
                    what: "html",
                    range,
                    ..
                } if self.src(d, range.clone()).trim_start().starts_with("<!--") => {}
                Block::Other { what: "rule", .. } => {}
                Block::Table { line, .. } | Block::Other { line, .. } => {
                    let what = match &d.blocks[bi] {
                        Block::Table { .. } => "a table",
                        Block::Other { what: "code", .. } => "a code block",
                        Block::Other { what: "quote", .. } => "a quote",
                        _ => "raw HTML",
                    };
                    self.diags.push(
                        Place::text(&d.file.display, *line, 1)
                            .error(format!("{what} under the competency heading \"{competency}\": the importer reads behaviours from bullets and paragraphs"))
                            .with_help("make each behaviour a bullet, or move this block under the level's heading, where it becomes part of the level's narrative"),
                    );
                }
                Block::Heading { .. } => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        d: &Doc,
        t: usize,
        l: usize,
        area: Option<&str>,
        competency: &str,
        text: &str,
        examples: Vec<String>,
        line: u32,
        column: u32,
    ) {
        if text.is_empty() {
            return;
        }
        let place = Place::text(&d.file.display, line, column);
        if text.len() > MAX_CELL_BYTES {
            self.diags.push(place.error(format!(
                "this behaviour is {} bytes long; the importer reads behaviours of at most {MAX_CELL_BYTES} bytes",
                text.len()
            )));
            return;
        }
        self.table.rows.push(Row {
            track: t,
            level: l,
            area: area.map(str::to_string),
            competency: competency.to_string(),
            competency_id: None,
            competency_summary: None,
            text: text.to_string(),
            examples,
            proficiency: None,
            anchor: None,
            origin: None,
            place,
        });
    }

    /// A level's own blocks: attributes, summary, narrative.
    fn level_blocks(&mut self, d: &Doc, blocks: &[usize], level: &mut LevelIn) {
        let mut body: Vec<String> = Vec::new();
        let mut stray_bullets = 0usize;
        for &bi in blocks {
            let b = &d.blocks[bi];
            match b {
                Block::Paragraph { range, .. } => {
                    let src = self.src(d, range.clone());
                    let pairs: Option<Vec<(String, String)>> = src.lines().map(key_value).collect();
                    if let Some(pairs) = pairs.filter(|p| !p.is_empty()) {
                        self.attributes(level, pairs);
                        continue;
                    }
                    let plain = plain_text_as_written(src);
                    if level.summary.is_empty() && body.is_empty() && reads_as_summary(&plain) {
                        level.summary = plain;
                    } else {
                        body.push(src.to_string());
                    }
                }
                Block::List { items, range } => {
                    let pairs: Option<Vec<(String, String)>> =
                        items.iter().map(|i| key_value(&i.text)).collect();
                    match pairs.filter(|p| !p.is_empty()) {
                        Some(pairs) => self.attributes(level, pairs),
                        None => {
                            stray_bullets += items.len();
                            body.push(self.src(d, range.clone()).to_string());
                        }
                    }
                }
                Block::Table { rows, range, .. } => {
                    let pairs = table_pairs(rows);
                    match pairs {
                        Some(p) => self.attributes(level, p),
                        None => body.push(self.src(d, range.clone()).to_string()),
                    }
                }
                Block::Other { what: "rule", .. } | Block::Heading { .. } => {}
                Block::Other { range, .. } => body.push(self.src(d, range.clone()).to_string()),
            }
        }
        if stray_bullets > 0 {
            self.table.notes.push(format!(
                "{stray_bullets} bullet(s) right under level \"{}\" ({}) are under no competency heading: kept in the level's narrative",
                level.title,
                level.place.short()
            ));
        }
        level.body = body.join("\n\n");
    }

    fn attributes(&mut self, level: &mut LevelIn, pairs: Vec<(String, String)>) {
        for (k, v) in pairs {
            match text::slug(&k).as_str() {
                "summary" | "description" | "overview" | "about" if level.summary.is_empty() => {
                    level.summary = plain_text_as_written(&v);
                }
                "band" | "grade" | "tier" | "pay-band" if level.band.is_none() => {
                    level.band = Some((plain_text_as_written(&v), level.place.clone()));
                }
                _ => level.attributes.push((k, v)),
            }
        }
    }

    fn page(&mut self, d: &Doc, s: usize) {
        let sec = &d.sections[s];
        let body = self.src(d, sec.body.clone()).trim().to_string();
        if body.is_empty() {
            return;
        }
        self.table.notes.push(format!(
            "section \"{}\" ({}:{}) holds no competency: kept as a free page",
            sec.title.title, d.file.display, sec.line
        ));
        self.table.pages.push(PageIn {
            title: sec.title.title.clone(),
            body,
        });
    }
}

/// The fragment GitHub (and most Markdown renderers) give a heading: lowercase, spaces as
/// hyphens, other punctuation and symbols dropped.
fn github_anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Headings that name a level's attribute rather than a competency.
fn attribute_name(title: &str) -> bool {
    matches!(
        text::slug(title).as_str(),
        "scope"
            | "autonomy"
            | "influence"
            | "impact"
            | "complexity"
            | "ambiguity"
            | "experience"
            | "years-of-experience"
            | "typical-experience"
            | "summary"
            | "overview"
            | "description"
            | "planning-horizon"
            | "reach"
            | "span-of-control"
            | "team-size"
            | "time-in-role"
            | "role"
            | "mission"
    )
}

/// `Scope: Team`, `**Scope:** Team`, `**Scope**: Team`: a short name and a value.
fn key_value(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let colon = line.find(':')?;
    let (key, value) = (&line[..colon], &line[colon + 1..]);
    let key = key.trim().trim_matches(|c| c == '*' || c == '_').trim();
    let value = value.trim().trim_start_matches(['*', '_']).trim();
    let words = key.split_whitespace().count();
    // A sentence with a colon is not a name and a value: `You are a manager: …`.
    let first = key
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let pronoun = matches!(
        first.as_str(),
        "you" | "i" | "we" | "they" | "he" | "she" | "it" | "this" | "the" | "a" | "an"
    );
    let ok = !key.is_empty()
        && key.chars().count() <= 40
        && (1..=4).contains(&words)
        && !pronoun
        && key.chars().next().is_some_and(char::is_alphabetic)
        && !key.contains(['[', ']', '(', ')', '`', '*', '_'])
        && !value.is_empty()
        && !value.starts_with("//");
    ok.then(|| (key.to_string(), value.to_string()))
}

/// Attributes from a table: two columns (name, value) per row, or one row of values
/// under a header of names.
fn table_pairs(rows: &[Vec<String>]) -> Option<Vec<(String, String)>> {
    let (head, body) = rows.split_first()?;
    let plain = |s: &str| plain_text_as_written(s);
    if head.len() == 2 && !body.is_empty() {
        return Some(
            body.iter()
                .filter(|r| r.len() >= 2 && !r[0].is_empty() && !r[1].is_empty())
                .map(|r| (plain(&r[0]), r[1].clone()))
                .collect(),
        );
    }
    if head.len() > 2 && body.len() == 1 {
        return Some(
            head.iter()
                .zip(&body[0])
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .map(|(k, v)| (plain(k), v.clone()))
                .collect(),
        );
    }
    None
}

/// Whether a paragraph can stand alone as a one-line summary: short, and not the lead-in
/// to a list ("… broken down into four categories:"), which cut from its list says
/// nothing.
fn reads_as_summary(plain: &str) -> bool {
    plain.chars().count() <= 300 && !plain.trim_end().ends_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(stem: &str, text: &str) -> MdFile {
        MdFile {
            display: format!("{stem}.md").into(),
            folder: String::new(),
            stem: stem.into(),
            text: text.into(),
        }
    }

    fn read_files(files: &[MdFile]) -> (Table, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let t = read(files, &mut diags);
        (t, diags)
    }

    #[test]
    fn a_ladder_of_levels_and_competencies() {
        let (t, diags) = read_files(&[file(
            "ladder",
            "# Our ladder\n\nIntro.\n\n## Engineer\n\nScope: Team\n\n### Craft\n\n- Writes code\n  that works.\n  - e.g. tests\n- Reviews\n\n### People\n\nHelps others.\n\n## Senior Engineer\n\n### Craft\n\n- Designs\n\n## FAQ\n\n### Why?\n\nBecause.\n",
        )]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(t.tracks.len(), 1);
        let tr = &t.tracks[0];
        assert_eq!(tr.title, "Our");
        assert_eq!(tr.levels.len(), 2);
        assert_eq!(
            tr.levels[0].attributes,
            vec![("Scope".into(), "Team".into())]
        );
        let texts: Vec<&str> = t.rows.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Writes code\nthat works.",
                "Reviews",
                "Helps others.",
                "Designs"
            ]
        );
        assert_eq!(t.rows[0].examples, ["e.g. tests"]);
        assert_eq!((t.rows[0].place.line, t.rows[0].place.column), (11, 3));
        assert_eq!(t.pages.len(), 1);
        assert_eq!(t.pages[0].title, "FAQ");
    }

    #[test]
    fn areas_are_headings_that_repeat_under_levels() {
        let (t, _) = read_files(&[file(
            "x",
            "## L1\n### Technical\n#### Code\n- a\n#### Design\n- b\n### People\n#### Mentoring\n- c\n## L2\n### Technical\n#### Code\n- d\n",
        )]);
        let r: Vec<(Option<&str>, &str)> = t
            .rows
            .iter()
            .map(|r| (r.area.as_deref(), r.competency.as_str()))
            .collect();
        assert_eq!(r[0], (Some("Technical"), "Code"));
        assert_eq!(r[2], (Some("People"), "Mentoring"));
        assert_eq!(t.tracks[0].levels.len(), 2);
    }

    #[test]
    fn two_files_are_two_tracks_and_managers_are_recognised() {
        let (t, _) = read_files(&[
            file(
                "README",
                "# Engineering Competencies\n## Engineer\n### Craft\n- a\n",
            ),
            file(
                "managers",
                "# Management Competencies\n## Manager\n### People\n- b\n",
            ),
        ]);
        assert_eq!(t.tracks.len(), 2);
        assert_eq!(t.tracks[0].title, "Engineering");
        assert_eq!(t.tracks[1].kind.as_ref().map(|k| k.0), Some(Kind::Manager));
    }

    #[test]
    fn messy_headings_and_bold_competencies() {
        let (t, _) = read_files(&[file(
            "x",
            "# 🪜 Ladder\n## 🚀 1. Level 3 – Senior Engineer\n**Craft**\n- a\n\n**People:**\n- b\n",
        )]);
        let l = &t.tracks[0].levels[0];
        assert_eq!((l.title.as_str(), l.number), ("Senior Engineer", Some(3)));
        assert_eq!(t.rows[1].competency, "People");
    }

    #[test]
    fn files_are_levels_when_competencies_are_top_headings() {
        let (t, _) = read_files(&[
            file("2-senior", "## Craft\n- b\n"),
            file("1-junior", "## Craft\n- a\n"),
        ]);
        let titles: Vec<&str> = t.tracks[0]
            .levels
            .iter()
            .map(|l| l.title.as_str())
            .collect();
        assert_eq!(titles, ["Junior", "Senior"]);
    }

    #[test]
    fn bold_labels_ending_a_paragraph_head_their_list() {
        let (t, _) = read_files(&[file(
            "x",
            "## Track
### Level 1: Junior
**Scope**: Tasks
**Technical Skills**:
- a

**Behaviors**:
- b

**Promotion Criteria**: Delivers

### Level 2: Mid
#### Scope
Features.
#### Craft
- c
",
        )]);
        let levels = &t.tracks[0].levels;
        assert_eq!(
            levels[0].attributes,
            vec![
                ("Scope".into(), "Tasks".into()),
                ("Promotion Criteria".into(), "Delivers".into())
            ]
        );
        assert_eq!(
            levels[1].attributes,
            vec![("Scope".into(), "Features.".into())]
        );
        let r: Vec<(&str, &str)> = t
            .rows
            .iter()
            .map(|r| (r.competency.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            r,
            [
                ("Technical Skills", "a"),
                ("Behaviors", "b"),
                ("Craft", "c")
            ]
        );
    }

    #[test]
    fn files_with_one_level_heading_each_are_levels_grouped_by_folder() {
        let mut a = file(
            "01-junior",
            "# L1 Junior
## Craft
- a
",
        );
        a.folder = "ic".into();
        let mut b = file(
            "02-senior",
            "# L2 Senior
## Craft
- b
",
        );
        b.folder = "ic".into();
        let mut m = file(
            "01-em",
            "# M2 Manager
## People
- c
",
        );
        m.folder = "management".into();
        let readme = file(
            "README",
            "# Our levels

Hello.
",
        );
        let (t, _) = read_files(&[readme, a, b, m]);
        let tracks: Vec<(&str, usize)> = t
            .tracks
            .iter()
            .map(|t| (t.title.as_str(), t.levels.len()))
            .collect();
        assert_eq!(tracks, [("IC", 2), ("Management", 1)]);
        assert_eq!(t.intro, ["Hello."]);
        assert_eq!(t.title.as_deref(), Some("Our levels"));
    }

    #[test]
    fn a_level_without_sub_headings_and_an_empty_heading_are_kept() {
        let (t, _) = read_files(&[file(
            "x",
            "# L\r\n\r\n## Junior\r\n\r\n### Craft\r\n\r\n- a\r\n  b\r\n\r\n## Senior\r\n\r\n- c\r\n\r\n## \r\n\r\n### Craft\r\n\r\n- d\r\n",
        )]);
        let titles: Vec<&str> = t.tracks[0]
            .levels
            .iter()
            .map(|l| l.title.as_str())
            .collect();
        assert_eq!(titles, ["Junior", "Senior", "Untitled (line 14)"]);
        let r: Vec<(&str, &str)> = t
            .rows
            .iter()
            .map(|r| (r.competency.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(
            r,
            [("Craft", "a\nb"), ("Expectations", "c"), ("Craft", "d")]
        );
    }

    #[test]
    fn key_values() {
        assert_eq!(
            key_value("**Scope:** Team"),
            Some(("Scope".into(), "Team".into()))
        );
        assert_eq!(
            key_value("Scope: Team"),
            Some(("Scope".into(), "Team".into()))
        );
        assert_eq!(key_value("You are a manager: you manage"), None);
        assert_eq!(key_value("See https://x"), None);
    }
}
