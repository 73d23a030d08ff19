//! Markdown to HTML through pulldown-cmark, with heading anchors and the safety rules.
//!
//! Safety: contributor Markdown must not put script into the site. Link and image URLs
//! with a scheme other than http(s), mailto and tel are neutralised here, always. Raw HTML
//! is passed through ammonia (which drops `<script>`, event-handler attributes and
//! `javascript:` URLs) unless `site.toml` sets `markdown.allow_raw_html = true`. ammonia
//! only runs on text that actually contains raw HTML, so the common case costs nothing.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// How Markdown is rendered for this site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct MarkdownOptions {
    pub allow_raw_html: bool,
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

/// Renders a block of Markdown (a narrative, guidance, a page).
pub fn render(markdown: &str, opts: MarkdownOptions) -> String {
    render_events(markdown, opts, true)
}

/// Renders one line of inline Markdown (a behaviour, an example) without the `<p>` wrapper.
pub fn render_inline(markdown: &str, opts: MarkdownOptions) -> String {
    let html = render_events(markdown, opts, false);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

fn render_events(markdown: &str, opts: MarkdownOptions, anchors: bool) -> String {
    let mut has_raw_html = false;
    let mut used_ids = HashSet::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(usize, HeadingLevel)> = None;
    for event in Parser::new_ext(markdown, parser_options()) {
        let event = match event {
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                event
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: safe_url(dest_url),
                title,
                id,
            }),
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
            Event::Start(Tag::Heading { level, ref id, .. }) if anchors => {
                if let Some(id) = id {
                    used_ids.insert(id.to_string());
                }
                if id.is_none() {
                    heading = Some((events.len(), level));
                }
                event
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let (start, level) = heading.take().expect("checked");
                let text: String = events[start + 1..]
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = unique_id(&slugify(&text), &mut used_ids);
                events[start] = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: vec![],
                    attrs: vec![],
                });
                event
            }
            other => other,
        };
        events.push(event);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if has_raw_html && !opts.allow_raw_html {
        html = sanitize(&html);
    }
    html
}

/// ammonia's defaults plus what rendered Markdown needs (heading ids, footnote links).
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .link_rel(None)
        .clean(html)
        .to_string()
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
pub fn slugify(text: &str) -> String {
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

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// The text of Markdown with the markup removed, for search and spreadsheets.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, parser_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push('\n'),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAFE: MarkdownOptions = MarkdownOptions {
        allow_raw_html: false,
    };

    #[test]
    fn headings_get_anchors_and_duplicates_are_numbered() {
        let html = render("## Why it matters\n\n## Why it matters\n", SAFE);
        assert!(html.contains(r#"<h2 id="why-it-matters">"#), "{html}");
        assert!(html.contains(r#"<h2 id="why-it-matters-1">"#), "{html}");
    }

    #[test]
    fn tables_footnotes_and_strikethrough_render() {
        let html = render(
            "| a |\n|---|\n| b |\n\n~~old~~ new[^1]\n\n[^1]: note\n",
            SAFE,
        );
        assert!(html.contains("<table>"));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn script_and_event_handlers_are_removed() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n",
            SAFE,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    #[test]
    fn javascript_links_are_neutralised() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](  java\tscript:alert(1))",
            "[x](data:text/html,<script>)",
            "![x](vbscript:y)",
        ] {
            let html = render_inline(md, SAFE).to_lowercase();
            for attr in ["href=\"", "src=\""] {
                for part in html.split(attr).skip(1) {
                    let url = part.split('"').next().unwrap_or_default();
                    assert!(url == "#" || url.starts_with("http"), "{md} -> {html}");
                }
            }
        }
        assert!(render_inline("[x](https://a.b/c)", SAFE).contains("https://a.b/c"));
        assert!(render_inline("[x](../levels/a/)", SAFE).contains("../levels/a/"));
    }

    #[test]
    fn raw_html_passes_when_the_site_allows_it() {
        let html = render(
            "<video controls></video>\n",
            MarkdownOptions {
                allow_raw_html: true,
            },
        );
        assert!(html.contains("<video controls>"));
    }

    #[test]
    fn inline_rendering_drops_the_paragraph() {
        assert_eq!(
            render_inline("Writes **clear** code", SAFE),
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
