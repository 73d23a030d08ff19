//! The machine-readable outputs: `framework.json` (the resolved model, versioned),
//! `framework.csv` (see [`crate::csv`]) and `sitemap.xml`.

use serde_json::{Value, json};

use crate::model::Framework;
use crate::plan::{PageKind, PagePlan};
use crate::render::Artifact;

/// Bumped whenever a field of `framework.json` changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

pub fn artifacts(fw: &Framework, pages: &[PagePlan]) -> Vec<Artifact> {
    let mut json = serde_json::to_vec_pretty(&framework_json(fw)).unwrap_or_default();
    json.push(b'\n');
    let mut out = vec![
        Artifact {
            path: "framework.json".into(),
            bytes: json,
        },
        Artifact {
            path: "framework.csv".into(),
            bytes: crate::csv::framework_csv(fw).into_bytes(),
        },
        Artifact {
            path: "sitemap.xml".into(),
            bytes: sitemap(fw, pages).into_bytes(),
        },
    ];
    // The search index (issue 4): `search/manifest.js`, term shards and text chunks.
    out.extend(crate::search::artifacts(fw));
    out
}

fn behaviours(list: &[crate::model::Behaviour]) -> Value {
    list.iter()
        .map(|b| json!({ "anchor": b.anchor, "id": b.id, "text": b.text, "examples": b.examples.iter().map(|e| &e.text).collect::<Vec<_>>() }))
        .collect()
}

/// The resolved model: ids, titles, order, and every level's expectations.
pub fn framework_json(fw: &Framework) -> Value {
    let levels: Vec<Value> = fw
        .levels
        .iter()
        .map(|l| {
            let expectations: Vec<Value> = fw
                .competencies
                .iter()
                .filter(|c| fw.applies(c, l))
                .filter_map(|c| {
                    let cell = fw.cell(c, l);
                    (!cell.is_empty()).then(|| {
                        json!({
                            "competency": c.id,
                            "step": cell.step.map(|s| &s.id),
                            "behaviours": behaviours(cell.behaviours),
                            "descriptors": behaviours(cell.descriptors),
                        })
                    })
                })
                .collect();
            json!({
                "id": l.id, "title": l.title, "band": fw.bands[l.band].id, "order": l.order,
                "tracks": l.tracks, "status": l.status, "summary": l.summary,
                "attributes": l.attributes.iter().map(|(n, v)| json!({ "name": n, "value": v })).collect::<Vec<_>>(),
                "url": format!("levels/{}/", l.id),
                "expectations": expectations,
            })
        })
        .collect();
    let competencies: Vec<Value> = fw
        .competencies
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "title": c.title, "area": fw.areas[c.area].id, "summary": c.summary,
                "tracks": c.tracks, "scale": c.scale.map(|i| &fw.scales[i].id),
                "url": format!("competencies/{}/", c.id),
            })
        })
        .collect();
    json!({
        "schema": "rungs-framework",
        "version": SCHEMA_VERSION,
        "generator": concat!("rungs ", env!("CARGO_PKG_VERSION")),
        "site": { "title": fw.config.title, "description": fw.config.description, "base_url": fw.config.base_url },
        "tracks": fw.tracks,
        "bands": fw.bands,
        "areas": fw.areas,
        "scales": fw.scales,
        "assessment": fw.assessment,
        "levels": levels,
        "competencies": competencies,
        "pages": fw.pages.iter().map(|p| json!({ "slug": p.slug, "title": p.title, "url": format!("{}/", p.slug) })).collect::<Vec<_>>(),
    })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every HTML page but the 404. URLs are absolute when `base_url` is, root-relative
/// (from the base path) otherwise.
pub fn sitemap(fw: &Framework, pages: &[PagePlan]) -> String {
    let base = if fw.config.is_absolute() {
        let mut b = fw.config.base_url.clone();
        if !b.ends_with('/') {
            b.push('/');
        }
        b
    } else {
        fw.config.base_path()
    };
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages.iter().filter(|p| p.kind != PageKind::NotFound) {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{}", p.url()))
        ));
    }
    out.push_str("</urlset>\n");
    out
}
