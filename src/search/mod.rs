//! The search index `rungs build` writes under `search/`, read by the default theme's
//! `search.js`. Every file is JavaScript that calls `__rungsSearch.add(id, data)`, loaded
//! with a `<script>` tag rather than fetched, so search works from `file://` too:
//!
//! - `search/manifest.js` (id `m`): the places (tracks, levels, competencies, areas,
//!   pages, descriptor steps), the documents as runs of `[count, kind, a, b]`, the first
//!   document of every text chunk, and the shard keys with their sizes;
//! - `search/t/<n>.js` (id `t<n>`): the terms whose stem starts with shard key `n`;
//! - `search/d/<n>.js` (id `d<n>`): the plain text of a chunk of documents, for snippets.
//!
//! A query loads the manifest, the shards of its words and the text chunks of the results
//! it shows. See `docs/SEARCH.md` for the format, ranking and limits.

pub mod documents;
pub mod index;
pub mod tokenize;

use std::time::Instant;

use serde_json::{Value, json};

use crate::model::Framework;
use crate::render::Artifact;
use documents::{Corpus, Doc, Kind};

/// Bumped when the files' format changes; the client checks it.
pub const FORMAT: u32 = 1;
/// A shard whose prefix group is larger than this (encoded bytes) is split further.
const SHARD_LIMIT: usize = 24 * 1024;
/// Text chunks close after this many bytes of JSON.
const CHUNK_LIMIT: usize = 16 * 1024;

fn script(id: &str, data: &Value) -> Vec<u8> {
    format!("__rungsSearch.add({},{data});\n", json!(id)).into_bytes()
}

/// Every file of the search index.
pub fn artifacts(fw: &Framework) -> Vec<Artifact> {
    let start = Instant::now();
    let corpus = documents::collect(fw);
    let collected = start.elapsed();
    let index = index::build(&corpus.docs);
    let indexed = start.elapsed();
    let n = corpus.docs.len();

    let records: Vec<(&str, Value)> = index
        .iter()
        .map(|(t, p)| (t.as_str(), index::encode_term(t, p, n)))
        .collect();
    let sizes: Vec<(&str, usize)> = records
        .iter()
        .map(|(t, r)| (*t, t.len() + r.to_string().len() + 4))
        .collect();
    let shards = index::shard(&sizes, SHARD_LIMIT);
    let by_term: std::collections::HashMap<&str, &Value> =
        records.iter().map(|(t, r)| (*t, r)).collect();
    let mut out = Vec::new();
    let mut shard_keys = Vec::new();
    for (i, (key, terms)) in shards.iter().enumerate() {
        let map: serde_json::Map<String, Value> = terms
            .iter()
            .map(|t| (t.to_string(), by_term[t].clone()))
            .collect();
        let bytes = script(&format!("t{i}"), &Value::Object(map));
        shard_keys.push(json!([key, bytes.len()]));
        out.push(Artifact {
            path: format!("search/t/{i}.js"),
            bytes,
        });
    }

    let mut chunk_starts = Vec::new();
    let mut chunk: Vec<Value> = Vec::new();
    let mut chunk_bytes = 0;
    for (id, d) in corpus.docs.iter().enumerate() {
        if chunk.is_empty() {
            chunk_starts.push(id);
        }
        let entry = doc_text(d);
        chunk_bytes += entry.to_string().len();
        chunk.push(entry);
        if chunk_bytes >= CHUNK_LIMIT || id + 1 == n {
            let i = chunk_starts.len() - 1;
            out.push(Artifact {
                path: format!("search/d/{i}.js"),
                bytes: script(&format!("d{i}"), &Value::Array(std::mem::take(&mut chunk))),
            });
            chunk_bytes = 0;
        }
    }

    let manifest = manifest(fw, &corpus, &chunk_starts, shard_keys);
    out.push(Artifact {
        path: "search/manifest.js".into(),
        bytes: script("m", &manifest),
    });
    if std::env::var_os("RUNGS_TIMINGS").is_some() {
        let total: usize = out.iter().map(|a| a.bytes.len()).sum();
        eprintln!(
            "timing: search index: {n} documents, {} terms, {} shards, {} text chunks, {:.1} MB; collect {:?}, index {:?}, encode {:?}, total {:?}",
            index.len(),
            shards.len(),
            chunk_starts.len(),
            total as f64 / 1e6,
            collected,
            indexed - collected,
            start.elapsed() - indexed,
            start.elapsed()
        );
    }
    out
}

/// A document's text for snippets: `[anchor, text, body]`, trailing empties dropped.
fn doc_text(d: &Doc) -> Value {
    let mut v = vec![json!(d.anchor), json!(d.text), json!(d.body)];
    while v.len() > 1 && v.last().is_some_and(|s| s.as_str() == Some("")) {
        v.pop();
    }
    Value::Array(v)
}

fn manifest(fw: &Framework, corpus: &Corpus, chunks: &[usize], shards: Vec<Value>) -> Value {
    let track_ix = |ids: &[crate::model::TrackId]| -> Vec<usize> {
        ids.iter()
            .filter_map(|id| fw.tracks.iter().position(|t| &t.id == id))
            .collect()
    };
    let mut runs: Vec<[usize; 4]> = Vec::new();
    for d in &corpus.docs {
        let key = [d.kind as usize, d.place.0, d.place.1];
        match runs.last_mut() {
            Some(r) if r[1..] == key => r[0] += 1,
            _ => runs.push([1, key[0], key[1], key[2]]),
        }
    }
    json!({
        "format": FORMAT,
        "n": corpus.docs.len(),
        "stop": tokenize::STOP_WORDS,
        "tracks": fw.tracks.iter().map(|t| json!([t.id, t.title])).collect::<Vec<_>>(),
        "areas": fw.areas.iter().map(|a| json!([a.id, a.title])).collect::<Vec<_>>(),
        "levels": fw.levels.iter().map(|l| json!([l.id, l.title, track_ix(&l.tracks)])).collect::<Vec<_>>(),
        "comps": fw.competencies.iter().map(|c| json!([c.id, c.title, c.area, track_ix(&c.tracks)])).collect::<Vec<_>>(),
        "pages": fw.pages.iter().map(|p| json!([p.slug, p.title])).collect::<Vec<_>>(),
        "steps": corpus.steps.iter().map(|s| json!([s.competency, s.step_id, s.step_title, s.levels])).collect::<Vec<_>>(),
        "kinds": KINDS.map(kind_name),
        "runs": runs,
        "chunks": chunks,
        "shards": shards,
    })
}

const KINDS: [Kind; 7] = [
    Kind::Track,
    Kind::Level,
    Kind::Competency,
    Kind::Area,
    Kind::Page,
    Kind::Behaviour,
    Kind::Descriptor,
];

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Track => "track",
        Kind::Level => "level",
        Kind::Competency => "competency",
        Kind::Area => "area",
        Kind::Page => "page",
        Kind::Behaviour => "behaviour",
        Kind::Descriptor => "descriptor",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Framework;
    use crate::site::{Overrides, load};

    pub fn fixture(name: &str) -> Framework {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let loaded = load(&root, &Overrides::default()).expect("fixture loads");
        assert!(!loaded.has_errors(), "{:?}", loaded.diags);
        loaded.framework.expect("framework")
    }

    #[test]
    fn the_index_is_a_manifest_shards_and_text_chunks_of_scripts() {
        let fw = fixture("basic");
        let files = artifacts(&fw);
        let paths: Vec<&str> = files.iter().map(|a| a.path.as_str()).collect();
        assert!(paths.contains(&"search/manifest.js"));
        assert!(paths.contains(&"search/t/0.js"));
        assert!(paths.contains(&"search/d/0.js"));
        for a in &files {
            let text = std::str::from_utf8(&a.bytes).unwrap();
            assert!(text.starts_with("__rungsSearch.add(\""), "{}", a.path);
            assert!(text.ends_with(");\n"), "{}", a.path);
        }
        let manifest = files
            .iter()
            .find(|a| a.path == "search/manifest.js")
            .unwrap();
        let text = std::str::from_utf8(&manifest.bytes).unwrap();
        let json: Value = serde_json::from_str(
            text.trim_start_matches("__rungsSearch.add(\"m\",")
                .trim_end_matches(");\n"),
        )
        .unwrap();
        let counted: u64 = json["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[0].as_u64().unwrap())
            .sum();
        assert_eq!(counted, json["n"].as_u64().unwrap());
    }

    #[test]
    fn two_builds_write_identical_bytes() {
        let fw = fixture("basic");
        assert_eq!(artifacts(&fw), artifacts(&fw));
    }
}
