//! Free pages (`content/pages/<slug>.md`) and the home page (`content/index.md`).

use super::schema::Reader;
use super::spec::{INDEX, PAGE};
use super::{IndexDef, Links, PageDef, Parsed, front_matter};
use crate::markdown::MarkdownOptions;

pub(super) fn parse_index(text: &str, r: &mut Reader, md: MarkdownOptions) -> Parsed {
    let Some((node, body)) = front_matter(r, text, false) else {
        return Parsed::Failed;
    };
    let mut title = None;
    if let Some(node) = node
        && let Some(mut f) = r.fields(&node, &INDEX)
    {
        title = f
            .get("title")
            .and_then(|n| r.title(n, "title"))
            .map(|s| s.value);
        f.finish(r);
    }
    let mut links = Links::new(text);
    Parsed::Index(IndexDef {
        title,
        body_html: body.html(r, md, &mut links),
        links: links.into_vec(),
    })
}

pub(super) fn parse_page(text: &str, r: &mut Reader, md: MarkdownOptions, slug: &str) -> Parsed {
    let Some((Some(node), body)) = front_matter(r, text, true) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&node, &PAGE) else {
        return Parsed::Failed;
    };
    let title = f.require(r, "title").and_then(|n| r.title(n, "title"));
    let summary = f.get("summary").and_then(|n| r.string(n, "summary"));
    let order = f.get("order").and_then(|n| r.integer(n, "order"));
    f.finish(r);
    // A wrong or missing title is reported; the file is still read (titled by its
    // slug) so its other problems come out in the same run.
    let title = title.map_or_else(|| slug.to_string(), |t| t.value);
    let mut links = Links::new(text);
    Parsed::Page(PageDef {
        slug: slug.to_string(),
        title,
        summary: summary.map(|s| s.value).unwrap_or_default(),
        order: order.unwrap_or(i64::MAX),
        body_html: body.html(r, md, &mut links),
        links: links.into_vec(),
    })
}
