//! A competency (`content/competencies/<area>/<competency>.md`): its front matter, its
//! behaviours by level and descriptors by scale step, and its guidance.

use super::schema::{Node, Reader, Value};
use super::spec::{BEHAVIOUR, CHANGE, COMPETENCY};
use super::{
    BehaviourDef, CompetencyDef, Id, Links, OverrideDef, Parsed, front_matter, inline_html,
};
use std::collections::HashMap;
use std::sync::Arc;

use crate::change::signature::signature;
use crate::markdown::{self, MarkdownOptions};
use crate::search::tokenize::Analyzer;

pub(super) fn parse_competency(
    text: &str,
    r: &mut Reader,
    md: MarkdownOptions,
    folder: &str,
    id: &str,
) -> Parsed {
    let Some((Some(node), body)) = front_matter(r, text, true) else {
        return Parsed::Failed;
    };
    let Some(mut f) = r.fields(&node, &COMPETENCY) else {
        return Parsed::Failed;
    };
    let title = f.require(r, "title").and_then(|n| r.title(n, "title"));
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
    let order = f.get("order").and_then(|n| r.integer(n, "order"));
    let mut analyzer = Analyzer::default();
    let mut links = Links::new(text);
    let mut overrides = Vec::new();
    let mut read = |r: &mut Reader,
                    key: &str,
                    what: &str,
                    changes: Option<&mut Vec<(Id, OverrideDef)>>,
                    links: &mut Links| {
        let mut cx = Inline {
            md,
            analyzer: &mut analyzer,
            links,
        };
        f.get(key)
            .map(|n| behaviour_map(r, n, &mut cx, key, what, changes))
            .unwrap_or_default()
    };
    let proficiency = read(r, "proficiency", "a scale step id", None, &mut links);
    let behaviours = read(
        r,
        "behaviours",
        "a level id",
        Some(&mut overrides),
        &mut links,
    );
    let core = read(r, "core", "a band id", None, &mut links);
    f.finish(r);
    // A wrong or missing title is reported; the file is still read (titled by its
    // id) so its other problems come out in the same run.
    let title = title.map_or_else(|| id.to_string(), |t| t.value);
    Parsed::Competency(std::sync::Arc::new(CompetencyDef {
        id: id.to_string(),
        folder: folder.to_string(),
        title,
        summary: summary.map(|s| s.value).unwrap_or_default(),
        tracks,
        scale,
        order: order.unwrap_or(0),
        proficiency,
        behaviours,
        core,
        overrides,
        body_html: body.html(r, md, &mut links),
        links: links.into_vec(),
    }))
}

/// The most behaviours one competency lists for one level or scale step. Far above real
/// frameworks (Dropbox's largest cell has 14), and a bound on what comparing two cells
/// costs: the pages that compare levels pair every behaviour of one cell with the other's.
pub(crate) const MAX_BEHAVIOURS_PER_CELL: usize = 200;

/// What rendering a competency's behaviours needs, and where their links go.
struct Inline<'a, 't> {
    md: MarkdownOptions,
    analyzer: &'a mut Analyzer,
    links: &'a mut Links<'t>,
}

/// Whether a mapping is a change to what a level inherits (`add`, `replace`, `remove`)
/// rather than one behaviour (`text`, …).
fn is_change(node: &Node) -> bool {
    let Value::Map(entries) = &node.value else {
        return false;
    };
    let key = |k: &Node| match &k.value {
        Value::Str(s) => CHANGE.field(s).is_some(),
        _ => false,
    };
    entries.iter().any(|(k, _)| key(k))
}

/// `key -> [behaviour]`, for `behaviours` (by level), `proficiency` (by step) and
/// `core` (by band). With `changes`, a level's entry may instead be a change to what it
/// inherits: its `add` list is returned as the level's behaviours, the rest goes to
/// `changes`.
fn behaviour_map(
    r: &mut Reader,
    node: &Node,
    cx: &mut Inline,
    what: &str,
    key_what: &str,
    mut changes: Option<&mut Vec<(Id, OverrideDef)>>,
) -> Vec<(Id, Vec<BehaviourDef>)> {
    let mut out = Vec::new();
    for (k, v) in r.entries(node, what) {
        let Some(key) = r.string(k, key_what) else {
            continue;
        };
        let mut v = v;
        if let Some(changes) = changes.as_deref_mut().filter(|_| is_change(v)) {
            let Some(mut f) = r.fields(v, &CHANGE) else {
                continue;
            };
            let mut def = OverrideDef::default();
            if let Some(n) = f.get("remove") {
                def.remove = r
                    .list(n, "remove")
                    .iter()
                    .filter_map(|i| r.id(i, "remove"))
                    .collect();
            }
            if let Some(n) = f.get("replace") {
                for (id, b) in r.entries(n, "replace") {
                    if let (Some(id), Some(b)) = (r.id(id, "replace"), behaviour(r, b, cx)) {
                        def.replace.push((id, b));
                    }
                }
            }
            let add = f.get("add");
            f.finish(r);
            changes.push((key.clone(), def));
            match add {
                Some(a) => v = a,
                None => {
                    out.push((key, Vec::new()));
                    continue;
                }
            }
        }
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
        let behaviours = list.iter().filter_map(|b| behaviour(r, b, cx)).collect();
        let behaviours = without_repeats(r, &key, behaviours);
        out.push((key, behaviours));
    }
    out
}

/// What two behaviours of one cell share when one repeats the other: their text up to
/// spacing and line breaks (`rungs import` drops repeated rows by the same rule).
pub(crate) fn repeat_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One cell's behaviours with every one listed a second time (the same text, up to
/// spacing and line breaks) reported where it is repeated and left out: shown twice,
/// counted twice and rated twice in a self-assessment, a repeat is never what the author
/// meant (often a copy made to be edited and then not).
fn without_repeats(r: &mut Reader, key: &Id, list: Vec<BehaviourDef>) -> Vec<BehaviourDef> {
    let normal = repeat_key;
    // The words' fingerprint first: texts equal up to spacing have the same one.
    let mut seen: HashMap<u128, Vec<usize>> = HashMap::new();
    let mut out: Vec<BehaviourDef> = Vec::with_capacity(list.len());
    for b in list {
        let same = seen.get(&b.signature.key).and_then(|earlier| {
            let text = normal(&b.text);
            earlier
                .iter()
                .map(|&i| &out[i])
                .find(|e| normal(&e.text) == text)
        });
        if let Some(first) = same {
            r.error(
                b.pos,
                format!("this behaviour is listed twice under `{}`", key.value),
            )
            .help = Some(format!(
                "the same text is listed at line {}; remove one of them, or reword the one that says something else",
                first.pos.line
            ));
            continue;
        }
        seen.entry(b.signature.key).or_default().push(out.len());
        out.push(b);
    }
    out
}

fn behaviour(r: &mut Reader, node: &Node, cx: &mut Inline) -> Option<BehaviourDef> {
    let (text, id, from, examples) = match &node.value {
        Value::Map(_) => {
            let mut f = r.fields(node, &BEHAVIOUR)?;
            let text = f.require(r, "text").and_then(|n| r.text(n, "text"));
            let id = f.get("id").and_then(|n| r.id(n, "id"));
            let from = f.get("from").map(|n| {
                let list = if let Value::Str(_) = n.value {
                    std::slice::from_ref(n)
                } else {
                    r.list(n, "from")
                };
                list.iter().filter_map(|item| r.id(item, "from")).collect()
            });
            let examples = f
                .get("examples")
                .map(|n| r.string_list(n, "examples"))
                .unwrap_or_default();
            f.finish(r);
            (text?, id, from, examples)
        }
        _ => (r.text(node, "a behaviour")?, None, None, Vec::new()),
    };
    let examples = examples
        .into_iter()
        .map(|e| crate::model::Example {
            html: inline_html(r, e.pos, &e.value, cx.md, cx.links),
            text: e.value,
        })
        .collect();
    // Most behaviours are plain prose: their HTML and plain text are their source, held
    // once (on a large framework this is most of the parse's memory), and found so
    // without rendering either.
    let (source, html, plain): (Arc<str>, Arc<str>, Arc<str>) =
        if markdown::is_plain_prose(&text.value) {
            let source: Arc<str> = text.value.into();
            (source.clone(), source.clone(), source)
        } else {
            let plain = markdown::plain_text(&text.value);
            let html = inline_html(r, text.pos, &text.value, cx.md, cx.links);
            let source: Arc<str> = text.value.into();
            let same = |derived: String| {
                if derived == *source {
                    source.clone()
                } else {
                    Arc::from(derived)
                }
            };
            let (html, plain) = (same(html), same(plain));
            (source, html, plain)
        };
    Some(BehaviourDef {
        pos: node.pos,
        id,
        from,
        slug: text_slug(&plain),
        signature: signature(&plain, cx.analyzer).into(),
        html,
        plain,
        text: source,
        examples,
    })
}

/// The slug of the first eight words of a behaviour's plain text, at most 60 characters.
pub(crate) fn text_slug(plain: &str) -> String {
    // Up to the end of the eighth word: `slugify` reads any run of whitespace as one
    // dash, so the words need not be joined first.
    let end = plain.split_whitespace().take(8).last().map_or(0, |w| {
        w.as_ptr() as usize - plain.as_ptr() as usize + w.len()
    });
    let mut slug = markdown::slugify(&plain[..end]);
    slug.truncate(slug.char_indices().nth(60).map_or(slug.len(), |(i, _)| i));
    slug.truncate(slug.trim_end_matches('-').len());
    slug
}
