//! The machine-readable outputs: `framework.json` (the resolved model, versioned),
//! `framework.csv` (see [`crate::csv`]) and `sitemap.xml`.

use serde_json::{Value, json};

use crate::model::Framework;
use crate::plan::{PageKind, PagePlan};
use crate::render::Artifact;

/// Bumped whenever a field of `framework.json` changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Every export, each handed to `sink` as soon as it is built and then dropped, so the
/// large ones (framework.json, the CSV, the search index) never all sit in memory.
pub fn artifacts_to(
    fw: &Framework,
    pages: &[PagePlan],
    sink: &(dyn Fn(Artifact) -> std::io::Result<()> + Sync),
) -> std::io::Result<()> {
    sink(Artifact {
        path: "sitemap.xml".into(),
        bytes: sitemap(fw, pages).into_bytes(),
    })?;
    let mut json = serde_json::to_vec_pretty(&framework_json(fw)).unwrap_or_default();
    json.push(b'\n');
    sink(Artifact {
        path: "framework.json".into(),
        bytes: json,
    })?;
    sink(Artifact {
        path: "framework.csv".into(),
        bytes: crate::csv::framework_csv(fw).into_bytes(),
    })?;
    // The search index (issue 4): `search/manifest.js`, term shards and text chunks.
    for a in crate::search::artifacts(fw) {
        sink(a)?;
    }
    Ok(())
}

/// [`artifacts_to`] collected into memory (`serve` compares them with what it served).
pub fn artifacts(fw: &Framework, pages: &[PagePlan]) -> Vec<Artifact> {
    let out = std::sync::Mutex::new(Vec::new());
    let _ = artifacts_to(fw, pages, &|a| {
        out.lock().unwrap_or_else(|e| e.into_inner()).push(a);
        Ok(())
    });
    out.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn behaviours(list: &[crate::model::Behaviour]) -> Value {
    list.iter()
        .map(|b| json!({ "anchor": b.anchor, "id": b.id, "text": b.text, "examples": b.examples.iter().map(|e| &e.text).collect::<Vec<_>>() }))
        .collect()
}

/// The resolved model: ids, titles, order, and every level's expectations. Serialised
/// straight to bytes with one level's JSON tree alive at a time: the levels hold every
/// behaviour, and a whole-document tree of them would double the build's peak memory.
pub fn framework_json(fw: &Framework) -> impl serde::Serialize + '_ {
    FrameworkJson(fw)
}

struct FrameworkJson<'f>(&'f Framework);

/// `levels`, serialised lazily.
struct Levels<'f>(&'f Framework);

impl serde::Serialize for Levels<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.levels.iter().map(|l| level_json(self.0, l)))
    }
}

fn level_json(fw: &Framework, l: &crate::model::Level) -> Value {
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
}

impl serde::Serialize for FrameworkJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let fw = self.0;
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
        let pages: Vec<Value> = fw
            .pages
            .iter()
            .map(|p| json!({ "slug": p.slug, "title": p.title, "url": format!("{}/", p.slug) }))
            .collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", "rungs-framework")?;
        m.serialize_entry("version", &SCHEMA_VERSION)?;
        m.serialize_entry("generator", concat!("rungs ", env!("CARGO_PKG_VERSION")))?;
        m.serialize_entry("site", &json!({ "title": fw.config.title, "description": fw.config.description, "base_url": fw.config.base_url }))?;
        m.serialize_entry("tracks", &fw.tracks)?;
        m.serialize_entry("bands", &fw.bands)?;
        m.serialize_entry("areas", &fw.areas)?;
        m.serialize_entry("scales", &fw.scales)?;
        m.serialize_entry("assessment", &fw.assessment)?;
        m.serialize_entry("levels", &Levels(fw))?;
        m.serialize_entry("competencies", &competencies)?;
        m.serialize_entry("pages", &pages)?;
        m.end()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Timing of the exports on a generated framework, for the record (no assertions on
    /// time). `RUNGS_BENCH_SITE` names the site, by default the 2,000-page one from
    /// `python3 scripts/gen-framework.py /tmp/g2k-export --tracks 60 --levels 8
    /// --competencies 20 --kb 1`. Run with
    /// `cargo test --release --lib export::tests::bench -- --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark: needs a generated framework, run in release mode"]
    fn bench_exports() {
        use std::time::Instant;
        let root = std::env::var("RUNGS_BENCH_SITE").unwrap_or("/tmp/g2k-export".into());
        let loaded = crate::site::load(std::path::Path::new(&root), &Default::default())
            .expect("site loads");
        let fw = loaded.framework.expect("framework");
        let pages = crate::plan::plan(&fw);
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let runs = 15;
        let (mut clean, mut t_map, mut t_json, mut t_csv) = (vec![], vec![], vec![], vec![]);
        let mut sizes = (0, 0);
        let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
        for _ in 0..runs {
            let t = Instant::now();
            let s = sitemap(&fw, &pages);
            t_map.push(ms(t));
            let t1 = Instant::now();
            let mut json = serde_json::to_vec_pretty(&framework_json(&fw)).unwrap();
            json.push(b'\n');
            t_json.push(ms(t1));
            let t2 = Instant::now();
            let csv = crate::csv::framework_csv(&fw);
            t_csv.push(ms(t2));
            clean.push(ms(t));
            sizes = (json.len(), csv.len());
            drop((s, json, csv));
        }
        println!(
            "{} levels, {} pages; framework.json {} bytes, framework.csv {} bytes",
            fw.levels.len(),
            pages.len(),
            sizes.0,
            sizes.1
        );
        println!(
            "clean exports: median {:.1} ms (sitemap {:.1}, json {:.1}, csv {:.1})",
            median(clean),
            median(t_map),
            median(t_json),
            median(t_csv)
        );
    }
}
