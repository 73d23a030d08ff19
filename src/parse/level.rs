//! A level (`content/levels/<track>/<level>.md`): its front matter and narrative.

use super::schema::{Reader, Spanned, Value};
use super::spec::LEVEL;
use super::{LevelDef, Links, Parsed, front_matter};
use crate::markdown::{self, MarkdownOptions};

pub(super) fn parse_level(
    text: &str,
    r: &mut Reader,
    md: MarkdownOptions,
    folder: &str,
    id: &str,
) -> Parsed {
    let Some((Some(node), body)) = front_matter(r, text, true) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&node, &LEVEL) else {
        return Parsed::Failed;
    };
    let title = f.require(r, "title").and_then(|n| r.title(n, "title"));
    let band = f.require(r, "band").and_then(|n| r.id(n, "band"));
    let summary = f.get("summary").and_then(|n| r.string(n, "summary"));
    let order = f.get("order").and_then(|n| r.integer(n, "order"));
    let status = f.get("status").and_then(|n| r.string(n, "status"));
    let tracks = f
        .get("tracks")
        .map(|n| r.string_list(n, "tracks"))
        .unwrap_or_default();
    let mut attributes = Vec::new();
    let mut links = Links::new(text);
    if let Some(n) = f.get("attributes") {
        for (k, v) in r.entries(n, "attributes") {
            // A value is inline Markdown, or a list of them (written as a Markdown list).
            let value = match &v.value {
                Value::Seq(items) => {
                    let items: Vec<String> = items
                        .iter()
                        .filter_map(|i| r.string(i, "an attribute value"))
                        .map(|i| format!("- {}", i.value.replace('\n', " ")))
                        .collect();
                    Some(Spanned {
                        value: items.join("\n"),
                        pos: v.pos,
                    })
                }
                _ => r.string(v, "an attribute value"),
            };
            if let (Some(k), Some(v)) = (r.text(k, "an attribute name"), value) {
                // Rendered where it is shown; checked here so a bad value is reported.
                let mut found = Vec::new();
                if let Err(e) = markdown::render_with_links(&v.value, md, &mut found) {
                    r.error(v.pos, e.message()).help = Some(markdown::TooDeep::HELP.into());
                }
                links.add_inline(r, v.pos, &v.value, found);
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
    f.finish(r);
    // A title that is missing or wrong is reported; the level is still read (titled by
    // its id, in a run that cannot build anyway), so what else is wrong in this file
    // (an unknown band or status) is reported in the same run.
    let title = title.map_or_else(|| id.to_string(), |t| t.value);
    Parsed::Level(LevelDef {
        id: id.to_string(),
        folder: folder.to_string(),
        title,
        band,
        order: order.unwrap_or(0),
        summary: summary.map(|s| s.value).unwrap_or_default(),
        status,
        attributes,
        expects,
        tracks,
        body_html: body.html(r, md, &mut links),
        links: links.into_vec(),
    })
}
