//! Markdown to HTML through pulldown-cmark, with heading anchors and one sanitising
//! policy for everything a contributor writes.
//!
//! Safety (the rules and the threat model: docs/DECISIONS.md, "Safety"): contributor Markdown must not put script into the site, whatever
//! syntax it uses. Three layers, in order:
//!
//! 1. Events. Link and image URLs with a scheme other than http(s), mailto and tel become
//!    `#`; a heading keeps only its id (made a slug), never the classes or `key=value`
//!    attributes of pulldown-cmark's heading-attribute syntax; footnote labels become
//!    `fn-<slug>` ids. Behaviours and examples (inline Markdown, shown many times per
//!    page) get no ids at all: no heading anchors, no footnotes.
//! 2. Depth. HTML nested deeper than [`MAX_DEPTH`] is refused: html5ever's tree builder
//!    costs time proportional to the depth for every element, so a hostile file of
//!    200,000 nested `<div>`s would take minutes to sanitise.
//! 3. The allow-list. Unless the site sets `markdown.allow_raw_html = true`, every
//!    rendered block that contains a tag goes through ammonia with the explicit list in
//!    [`sanitizer`]: a fixed set of tags, attributes and URL schemes, `style` only as
//!    `text-align` on table cells, `class` only with the values pulldown-cmark writes.
//!    With raw HTML allowed, layers 1 and 2 still apply and the site owns the rest.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::links::{self, Found};

/// How Markdown is rendered for this site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MarkdownOptions {
    pub allow_raw_html: bool,
}

/// Deepest nesting of elements a Markdown text may produce.
pub(crate) const MAX_DEPTH: usize = 256;

/// Why a text was refused: it nests elements deeper than [`MAX_DEPTH`], first at this
/// byte offset of the Markdown source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep {
    pub offset: usize,
}

impl TooDeep {
    /// The message for a diagnostic.
    pub(crate) fn message(&self) -> String {
        format!("this Markdown nests HTML elements more than {MAX_DEPTH} deep")
    }

    pub(crate) const HELP: &'static str = "flatten the nested lists, quotes or raw HTML tags (rungs refuses deeper nesting so a build always finishes in time proportional to its input)";
}

fn block_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

/// Behaviours and examples: no footnotes or heading attributes, which only make ids.
fn inline_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

/// Ids the default theme gives its own elements: a heading must not take one (two
/// elements with one id, or a heading that clobbers a script's element).
const RESERVED_IDS: &[&str] = &[
    "main",
    "plan",
    "assess",
    "search-page-q",
    "site-search-q",
    "site-search-list",
];

/// Links into the site found in a text, each with the byte offset of the link in the
/// Markdown (see [`crate::links`]).
pub(crate) type FoundLinks = Vec<(usize, Found)>;

/// Renders a block of Markdown (a narrative, guidance, a page), headings with anchors.
pub(crate) fn render(markdown: &str, opts: MarkdownOptions) -> Result<String, TooDeep> {
    render_events(markdown, opts, true, &mut Vec::new())
}

/// [`render`], collecting the links into the site it holds.
pub(crate) fn render_with_links(
    markdown: &str,
    opts: MarkdownOptions,
    links: &mut FoundLinks,
) -> Result<String, TooDeep> {
    render_events(markdown, opts, true, links)
}

/// Renders one line of inline Markdown (a behaviour, an example) without the `<p>` wrapper.
pub(crate) fn render_inline(markdown: &str, opts: MarkdownOptions) -> Result<String, TooDeep> {
    render_inline_with_links(markdown, opts, &mut Vec::new())
}

/// Whether `text` is plain prose that Markdown leaves as it is: one line that starts with
/// a letter and holds only letters, digits, spaces and punctuation that no rule reads
/// (inline, block or smart punctuation: no `'`, `"`, `--` or `..`) and that HTML does not
/// escape. Its HTML and its plain text are then the text itself, and most behaviours of
/// a framework are such lines: parsing them twice was a tenth of a large build.
pub(crate) fn is_plain_prose(text: &str) -> bool {
    let bytes = text.as_bytes();
    let first = text.chars().next();
    if !first.is_some_and(char::is_alphabetic) || bytes.last() == Some(&b' ') {
        return false;
    }
    // Bytes, ASCII decided by their byte (the common case), anything else as a char.
    let mut i = first.map_or(0, char::len_utf8);
    let mut prev = 0u8;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            let ok = b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b' ' | b',' | b';' | b':' | b'?' | b'(' | b')' | b'/' | b'%'
                )
                || (matches!(b, b'.' | b'-') && prev != b);
            if !ok {
                return false;
            }
            prev = b;
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            if !c.is_alphanumeric() {
                return false;
            }
            prev = 0;
            i += c.len_utf8();
        }
    }
    true
}

/// [`render_inline`], collecting the links into the site it holds.
pub(crate) fn render_inline_with_links(
    markdown: &str,
    opts: MarkdownOptions,
    links: &mut FoundLinks,
) -> Result<String, TooDeep> {
    if is_plain_prose(markdown) {
        return Ok(markdown.to_string());
    }
    let html = render_events(markdown, opts, false, links)?;
    let trimmed = html.trim_end();
    Ok(
        match trimmed
            .strip_prefix("<p>")
            .and_then(|s| s.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => trimmed.to_string(),
        },
    )
}

fn render_events(
    markdown: &str,
    opts: MarkdownOptions,
    block: bool,
    links: &mut FoundLinks,
) -> Result<String, TooDeep> {
    let options = if block {
        block_options()
    } else {
        inline_options()
    };
    let mut ids = Ids::default();
    let mut depth = Depth::default();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, HeadingLevel, Option<String>)> = None;
    // Every text sits under its page's own h1: its headings start at h2 and never skip a
    // level (`###` straight after the title renders as h2), so each page's outline is
    // valid HTML whatever the author's habits (decision in docs/DECISIONS.md).
    let mut outline = HeadingLevel::H1;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        if !depth.admit(&event) {
            return Err(TooDeep {
                offset: range.start,
            });
        }
        let event = match event {
            // Links into the site are collected for `check`; an `@/` link is written
            // with the marker `resolve` replaces once the page is known, or as `#`
            // when it names no page (an error reported where it is written).
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let found = match link_type {
                    LinkType::Email => None,
                    _ => links::classify(&dest_url),
                };
                let dest_url = match found {
                    Some(found) => {
                        let dest = match &found {
                            Found::Internal(t) => CowStr::from(links::marked(t)),
                            Found::Invalid { .. } => CowStr::Borrowed("#"),
                            Found::Relative(_) => dest_url,
                        };
                        links.push((range.start, found));
                        dest
                    }
                    None => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: safe_url(dest_url),
                    title,
                    id,
                })
            }
            // `@/` names pages, which an image cannot show: an error where it is
            // written, and no source.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if dest_url.starts_with(links::PREFIX) => {
                links.push((
                    range.start,
                    Found::Invalid {
                        written: dest_url.to_string(),
                        why: "`@/` leads to pages, not images: give an image its file's path (a file under `static/` is served from the site's root)".into(),
                    },
                ));
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
            // The id is decided at the end of the heading, once its text is known; the
            // classes and attributes of `{.class key=value}` are dropped here, always.
            Event::Start(Tag::Heading { level, id, .. }) => {
                let level = level.clamp(HeadingLevel::H2, deeper(outline));
                outline = level;
                heading = Some((events.len(), level, id.map(|i| i.to_string())));
                Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: vec![],
                    attrs: vec![],
                })
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let (start, level, given) = heading.take().expect("checked");
                if block {
                    let base = match given.as_deref().map(slugify) {
                        Some(s) if s != "section" => s,
                        _ => slugify(&event_text(&events[start + 1..])),
                    };
                    events[start] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(ids.unique(base))),
                        classes: vec![],
                        attrs: vec![],
                    });
                }
                Event::End(TagEnd::Heading(level))
            }
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(CowStr::from(footnote_id(&label)))
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(CowStr::from(footnote_id(&label))))
            }
            other => other,
        };
        events.push(event);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if !opts.allow_raw_html && html.contains('<') {
        html = sanitizer().clean(&html).to_string();
    }
    Ok(html)
}

/// The heading level one below `level` (h6 stays h6).
fn deeper(level: HeadingLevel) -> HeadingLevel {
    HeadingLevel::try_from(level as usize + 1).unwrap_or(HeadingLevel::H6)
}

/// The text of a run of events (a heading's), for its slug.
fn event_text(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// A footnote label as an id that cannot collide with a heading or the theme's ids.
fn footnote_id(label: &str) -> String {
    format!("fn-{}", slugify(label))
}

/// Heading ids handed out in one text: each unique, none of the theme's.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    /// The next suffix to try per base, so a thousand equal headings cost a thousand
    /// steps, not half a million.
    next: HashMap<String, usize>,
}

impl Ids {
    fn unique(&mut self, base: String) -> String {
        if !RESERVED_IDS.contains(&base.as_str()) && self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The nesting depth of the elements a text makes so far: Markdown's own (lists,
/// quotes, emphasis) plus the raw HTML tags it holds.
#[derive(Default)]
struct Depth {
    markdown: usize,
    html: usize,
}

impl Depth {
    /// Counts one event in; `false` once the depth passes [`MAX_DEPTH`].
    fn admit(&mut self, event: &Event) -> bool {
        match event {
            Event::Start(_) => self.markdown += 1,
            Event::End(_) => self.markdown = self.markdown.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                for (closing, name) in tags(h) {
                    if closing {
                        self.html = self.html.saturating_sub(1);
                    } else if !is_void(&name) {
                        self.html += 1;
                        if self.markdown + self.html > MAX_DEPTH {
                            return false;
                        }
                    }
                }
            }
            _ => {}
        }
        self.markdown + self.html <= MAX_DEPTH
    }
}

/// The start and end tags in a run of raw HTML, as `(is_end_tag, lowercase name)`. A
/// tag that closes itself (`<br/>`) is reported as an end tag of nothing.
fn tags(html: &str) -> impl Iterator<Item = (bool, String)> + '_ {
    let bytes = html.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(off) = memchr_lt(&bytes[i..]) {
            let at = i + off + 1;
            i = at;
            let closing = bytes.get(at) == Some(&b'/');
            let name_at = if closing { at + 1 } else { at };
            let name: String = bytes[name_at.min(bytes.len())..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .map(|b| b.to_ascii_lowercase() as char)
                .collect();
            if name.is_empty() || !bytes[name_at].is_ascii_alphabetic() {
                continue;
            }
            // A start tag written `<x .../>` opens nothing. Looking no further than the
            // next `<` keeps the scan linear however many tags are left unclosed.
            let end = bytes[name_at..]
                .iter()
                .position(|&b| b == b'>' || b == b'<')
                .map(|p| name_at + p);
            if !closing && end.is_some_and(|e| bytes[e] == b'>' && bytes[e - 1] == b'/') {
                return Some((true, String::new()));
            }
            return Some((closing, name));
        }
        None
    })
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// Elements that have no end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "" | "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The tags a rendered text may hold: what Markdown itself produces, plus the harmless
/// formatting raw HTML is used for.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// The allow-list every rendered block passes through (unless raw HTML is allowed):
/// what Markdown itself produces, plus the harmless formatting raw HTML is used for.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::empty();
        b.tags(ALLOWED_TAGS.iter().copied().collect())
            .clean_content_tags(HashSet::from([
                "script",
                "style",
                "template",
                "noscript",
                "iframe",
                "object",
                "svg",
                "math",
                "textarea",
                "title",
                "xmp",
                "noembed",
                "noframes",
                "plaintext",
                "select",
            ]))
            .generic_attributes(HashSet::from(["title", "lang", "dir"]))
            .tag_attributes(HashMap::from([
                ("a", HashSet::from(["href"])),
                ("img", HashSet::from(["src", "alt", "width", "height"])),
                ("input", HashSet::from(["type", "checked", "disabled"])),
                ("ol", HashSet::from(["start"])),
                ("th", HashSet::from(["style", "colspan", "rowspan"])),
                ("td", HashSet::from(["style", "colspan", "rowspan"])),
                ("code", HashSet::from(["class"])),
                ("div", HashSet::from(["class", "id"])),
                ("sup", HashSet::from(["class"])),
                ("span", HashSet::from(["class"])),
                ("blockquote", HashSet::from(["class"])),
                ("h1", HashSet::from(["id"])),
                ("h2", HashSet::from(["id"])),
                ("h3", HashSet::from(["id"])),
                ("h4", HashSet::from(["id"])),
                ("h5", HashSet::from(["id"])),
                ("h6", HashSet::from(["id"])),
                ("time", HashSet::from(["datetime"])),
                ("details", HashSet::from(["open"])),
            ]))
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .filter_style_properties(HashSet::from(["text-align"]))
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(allowed_value);
        b
    });
    &SANITIZER
}

/// The values an allowed attribute may take, where not every value is harmless.
fn allowed_value<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let slug = |v: &str| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    let ok = match (element, attribute) {
        ("input", "type") => value == "checkbox",
        (_, "id") => slug(value) && !RESERVED_IDS.contains(&value),
        ("code", "class") => value.strip_prefix("language-").is_some_and(|l| {
            l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-_#.".contains(&b))
        }),
        ("div", "class") => value == "footnote-definition",
        ("sup", "class") => matches!(value, "footnote-reference" | "footnote-definition-label"),
        ("span", "class") => matches!(value, "math math-inline" | "math math-display"),
        ("blockquote", "class") => value.starts_with("markdown-alert-") && slug(value),
        _ => true,
    };
    ok.then_some(Cow::Borrowed(value))
}

/// Keeps relative URLs, fragments and safe schemes; anything else becomes `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let first_delim = lower.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, first_delim) {
        (Some(c), Some(d)) => c < d,
        (Some(_), None) => true,
        _ => false,
    };
    if !has_scheme
        || ["http:", "https:", "mailto:", "tel:"]
            .iter()
            .any(|s| lower.starts_with(s))
    {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// A URL fragment from heading text: lowercase words joined by hyphens.
pub(crate) fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

/// The text of Markdown with the markup removed, for search and comparisons, with
/// typographic quotes and dashes as the pages show them.
pub(crate) fn plain_text(markdown: &str) -> String {
    plain_with(markdown, block_options())
}

/// The text of Markdown with the markup removed and the characters as written (straight
/// quotes stay straight), for data exports such as `framework.csv`.
pub(crate) fn plain_text_as_written(markdown: &str) -> String {
    plain_with(
        markdown,
        block_options() - Options::ENABLE_SMART_PUNCTUATION,
    )
}

fn plain_with(markdown: &str, options: Options) -> String {
    if is_plain_prose(markdown) {
        return markdown.to_string();
    }
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            // Table cells and rows: words of neighbouring cells must not run together.
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path gives what parsing gives, over random lines of characters Markdown
    /// reads and characters it does not.
    #[test]
    fn plain_prose_renders_as_itself() {
        const ALPHABET: &[char] = &[
            'a', 'B', 'é', '1', ' ', ' ', ',', ';', ':', '?', '(', ')', '/', '%', '.', '-', '#',
            '*', '_', '\'', '"', '&', '<', '|', '~', '[', ']', '!', '`', '\n', '+', '=', '\\',
            '\u{a0}', '{', '$', '^', '>',
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut fast = 0;
        for _ in 0..200_000 {
            let len = 1 + next(12);
            let text: String = (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect();
            if !is_plain_prose(&text) {
                continue;
            }
            fast += 1;
            let mut slow_html =
                render_events(&text, MarkdownOptions::default(), false, &mut Vec::new())
                    .expect("renders");
            slow_html = slow_html.trim_end().to_string();
            assert_eq!(slow_html, format!("<p>{text}</p>"), "{text:?}");
            let mut parsed = String::new();
            for event in Parser::new_ext(&text, block_options()) {
                if let Event::Text(t) = event {
                    parsed.push_str(&t);
                }
            }
            assert_eq!(parsed, text, "{text:?}");
        }
        assert!(fast > 1000, "{fast} texts took the fast path");
        assert!(!is_plain_prose("Leads the team's work"));
        assert!(is_plain_prose(
            "Designs systems (e.g. caches) for 99.9% of users."
        ));
        assert!(
            !is_plain_prose("1. First") && !is_plain_prose("- item") && !is_plain_prose("Waits...")
        );
    }

    #[test]
    fn plain_text_keeps_table_cells_apart() {
        let text = plain_text(
            "| Axis | Level |\n|---|---|\n| Cascading Communications | Production Issues |\n",
        );
        assert!(
            text.contains("Cascading Communications Production Issues"),
            "{text:?}"
        );
        assert!(!text.contains("CommunicationsProduction"));
    }

    const SAFE: MarkdownOptions = MarkdownOptions {
        allow_raw_html: false,
    };
    const RAW: MarkdownOptions = MarkdownOptions {
        allow_raw_html: true,
    };

    fn block(md: &str) -> String {
        render(md, SAFE).expect("not too deep")
    }

    fn inline(md: &str) -> String {
        render_inline(md, SAFE).expect("not too deep")
    }

    #[test]
    fn headings_get_anchors_and_duplicates_are_numbered() {
        let html = block("## Why it matters\n\n## Why it matters\n");
        assert!(html.contains(r#"<h2 id="why-it-matters">"#), "{html}");
        assert!(html.contains(r#"<h2 id="why-it-matters-1">"#), "{html}");
    }

    #[test]
    fn headings_start_at_h2_and_never_skip_a_level() {
        let html = block("### Intro\n\n# Title\n\n#### Deep\n\n###### Deeper\n\n## Back\n");
        assert_eq!(html.matches("<h").map(|_| ()).count(), 5, "{html}");
        for (tag, text) in [
            ("h2", "Intro"),
            ("h2", "Title"),
            ("h3", "Deep"),
            ("h4", "Deeper"),
            ("h2", "Back"),
        ] {
            assert!(
                html.contains(&format!(">{text}</{tag}>")),
                "{text} as {tag}: {html}"
            );
        }
    }

    #[test]
    fn many_equal_headings_are_numbered_in_linear_time() {
        let md = "## a\n\n".repeat(20_000);
        let html = block(&md);
        assert!(html.contains(r#"id="a-19999""#));
    }

    #[test]
    fn heading_attributes_keep_only_a_slug_id() {
        for opts in [SAFE, RAW] {
            let html = render(
                "# Heading {#h01 autofocus tabindex=0 onfocus=window.__xss='H01'}\n\n## Two {.evil style=color:red onmouseover=x}\n",
                opts,
            )
            .unwrap();
            assert!(html.contains(r#"<h2 id="h01">Heading</h2>"#), "{html}");
            assert!(html.contains(r#"<h2 id="two">Two</h2>"#), "{html}");
            for bad in [
                "onfocus",
                "autofocus",
                "tabindex",
                "style",
                "class",
                "onmouseover",
            ] {
                assert!(!html.contains(bad), "{bad} in {html}");
            }
        }
    }

    #[test]
    fn heading_ids_never_take_the_themes_own() {
        let html = block("# Main\n\n# X {#site-search-q}\n");
        assert!(html.contains(r#"id="main-1""#), "{html}");
        assert!(html.contains(r#"id="site-search-q-1""#), "{html}");
    }

    #[test]
    fn behaviours_carry_no_ids() {
        let html = inline("# Heading {#h01}\n\nText[^1]\n\n[^1]: note\n");
        assert!(!html.contains("id="), "{html}");
    }

    #[test]
    fn tables_footnotes_strikethrough_and_task_lists_render() {
        let html = block(
            "| a | b |\n|:-:|---|\n| c | d |\n\n~~old~~ new[^Note 1]\n\n[^Note 1]: note\n\n- [x] done\n",
        );
        assert!(
            html.contains(r#"<th style="text-align:center">a</th>"#),
            "{html}"
        );
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(
            html.contains(r##"<sup class="footnote-reference"><a href="#fn-note-1">1</a></sup>"##),
            "{html}"
        );
        assert!(
            html.contains(r#"<div class="footnote-definition" id="fn-note-1">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<input disabled="" type="checkbox" checked="">"#),
            "{html}"
        );
    }

    #[test]
    fn script_and_event_handlers_are_removed() {
        let html = block(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<svg><script>x</script></svg>\n\n<a href=\"javascript:x\" style=\"color:red\">y</a>\n\n<iframe srcdoc=\"x\"></iframe><form action=x><button formaction=x>b</button></form>\n",
        );
        for bad in [
            "<script",
            "onerror",
            "<svg",
            "javascript",
            "style",
            "<iframe",
            "formaction",
            "<form",
            "<button",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn classes_and_inputs_keep_only_known_values() {
        let html = block(
            "<div class=\"x\" id=\"main\">a</div>\n\n<input type=\"image\" src=\"x\">\n\n<code class=\"language-rust\">x</code>\n",
        );
        assert!(html.contains("<div>a</div>"), "{html}");
        assert!(html.contains("<input>"), "{html}");
        assert!(html.contains(r#"<code class="language-rust">"#), "{html}");
    }

    #[test]
    fn javascript_links_are_neutralised() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](  java\tscript:alert(1))",
            "[x](data:text/html,<script>)",
            "![x](vbscript:y)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
        ] {
            for opts in [SAFE, RAW] {
                let html = render_inline(md, opts).unwrap().to_lowercase();
                for attr in ["href=\"", "src=\""] {
                    for part in html.split(attr).skip(1) {
                        let url = part.split('"').next().unwrap_or_default();
                        assert!(url == "#" || url.starts_with("http"), "{md} -> {html}");
                    }
                }
            }
        }
        assert!(inline("[x](https://a.b/c)").contains("https://a.b/c"));
        assert!(inline("[x](../levels/a/)").contains("../levels/a/"));
    }

    #[test]
    fn an_image_from_an_internal_link_is_an_error_with_no_source() {
        for opts in [SAFE, RAW] {
            let mut found = Vec::new();
            let html =
                render_with_links("Logo: ![logo](@/static/logo.png)\n", opts, &mut found).unwrap();
            assert!(!html.contains("@/"), "{html}");
            assert!(
                matches!(&found[..], [(6, Found::Invalid { written, .. })] if written == "@/static/logo.png"),
                "{found:?}"
            );
        }
    }

    #[test]
    fn internal_links_are_marked_and_collected_where_they_are() {
        for opts in [SAFE, RAW] {
            let mut found = Vec::new();
            let md = "See [Staff](@/levels/staff-engineer#scope), [x](@/nope/a/b),\n[up](../levels/x/) and [out](https://x.org/) or <a@b.org>.\n";
            let html = render_with_links(md, opts, &mut found).unwrap();
            assert!(
                html.contains(r##"<a href="@/levels/staff-engineer/#scope">Staff</a>"##),
                "{html}"
            );
            assert!(html.contains(r##"<a href="#">x</a>"##), "{html}");
            assert!(
                html.contains(r##"<a href="../levels/x/">up</a>"##),
                "{html}"
            );
            let offsets: Vec<usize> = found.iter().map(|(o, _)| *o).collect();
            assert_eq!(offsets, [4, 44, 61], "{found:?}");
            assert!(
                matches!(&found[1].1, Found::Invalid { written, .. } if written == "@/nope/a/b")
            );
            assert_eq!(found[2].1, Found::Relative("../levels/x/".into()));
        }
        let mut found = Vec::new();
        let html = render_inline_with_links("Reads [the FAQ](@/faq).", SAFE, &mut found).unwrap();
        assert_eq!(html, r#"Reads <a href="@/faq/">the FAQ</a>."#);
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn raw_html_passes_when_the_site_allows_it() {
        let html = render("<video controls></video>\n", RAW).unwrap();
        assert!(html.contains("<video controls>"));
    }

    #[test]
    fn deep_nesting_is_refused_where_it_happens() {
        let md = format!(
            "intro\n\n{}x{}\n",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        let err = render(&md, SAFE).unwrap_err();
        assert_eq!(err.offset, 7);
        let quotes = format!("{}x\n", "> ".repeat(300));
        assert!(render(&quotes, SAFE).is_err());
        let fine = format!("{}x{}\n", "<div>".repeat(100), "</div>".repeat(100));
        assert!(render(&fine, SAFE).is_ok());
        let flat = "<br><br/><img src=a.png><div>a</div>\n".repeat(500);
        assert!(render(&flat, SAFE).is_ok());
    }

    #[test]
    fn inline_rendering_drops_the_paragraph() {
        assert_eq!(
            inline("Writes **clear** code"),
            "Writes <strong>clear</strong> code"
        );
    }

    #[test]
    fn plain_text_strips_markup() {
        assert_eq!(plain_text("Writes **clear** `code`"), "Writes clear code");
    }

    #[test]
    fn slugify_makes_fragments() {
        assert_eq!(slugify("Scope & Impact: 2025"), "scope-impact-2025");
        assert_eq!(slugify("!!!"), "section");
    }
}
