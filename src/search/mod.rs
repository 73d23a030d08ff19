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
//!
//! [`SearchState`] builds every file on its first update, keeps the index between
//! rebuilds and updates it in proportion to an edit, with the same bytes as a first
//! update would write.

pub(crate) mod documents;
pub(crate) mod index;
mod state;
pub(crate) mod tokenize;

use std::io::Write;

use serde_json::json;

use crate::model::Framework;
use documents::{Doc, DocKind, StepPlace};
pub use state::{SearchState, SearchUpdate};

/// Bumped when the files' format changes; the client checks it.
pub const FORMAT: u32 = 1;
/// A shard whose prefix group is larger than this (encoded bytes) is split further.
const SHARD_LIMIT: usize = 24 * 1024;
/// The size text chunks aim at, in bytes of JSON (see [`state`] for how they are cut).
const CHUNK_TARGET: usize = 16 * 1024;

/// The folder the index lives in: every file under it belongs to the index.
pub const FOLDER: &str = "search/";

/// Every file of the search index: shards `search/t/<n>.js` in order, text chunks
/// `search/d/<n>.js` in order, then `search/manifest.js`: the first update of a fresh
/// [`SearchState`].
#[cfg(test)]
pub(crate) fn artifacts(fw: &Framework) -> Vec<crate::output::Artifact> {
    SearchState::new().update(fw).changed
}

/// `__rungsSearch.add("<id>",`: the start of every file.
fn script_head(id: &str) -> Vec<u8> {
    format!("__rungsSearch.add({},", json!(id)).into_bytes()
}

/// Shard `i`: a JSON object from each term to its record (already JSON, see
/// [`index::encode_term`]), terms in ascending order as `serde_json` writes a map.
fn shard_bytes<'a>(i: usize, terms: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut out = script_head(&format!("t{i}"));
    out.push(b'{');
    for (k, (term, record)) in terms.enumerate() {
        if k > 0 {
            out.push(b',');
        }
        write_json(&mut out, &term);
        out.push(b':');
        out.extend_from_slice(record.as_bytes());
    }
    out.extend_from_slice(b"});\n");
    out
}

/// Text chunk `i`: the entries ([`write_entry`]) of its documents, as a JSON array.
fn chunk_bytes(i: usize, docs: &[Doc]) -> Vec<u8> {
    let mut out = script_head(&format!("d{i}"));
    out.push(b'[');
    for (k, d) in docs.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        write_entry(&mut out, d);
    }
    out.extend_from_slice(b"]);\n");
    out
}

/// A document's text for snippets: `[anchor, text, body]`, trailing empties dropped.
fn write_entry(out: &mut impl Write, d: &Doc) {
    let fields = [&d.anchor, &d.text, &d.body];
    let mut len = fields.len();
    while len > 1 && fields[len - 1].is_empty() {
        len -= 1;
    }
    write_json(out, &&fields[..len]);
}

/// Bytes [`write_entry`] writes for a document.
fn entry_len(d: &Doc) -> usize {
    struct Count(usize);
    impl Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    write_entry(&mut count, d);
    count.0
}

fn write_json(out: &mut impl Write, value: &impl serde::Serialize) {
    // Strings, numbers and lists into memory or a counter: none of it can fail.
    serde_json::to_writer(out, value).expect("serialising JSON into memory cannot fail");
}

/// `search/manifest.js`'s data. Serialised straight from borrowed data (it is rebuilt on
/// every update); the fields are in alphabetical order, as `serde_json` writes a map.
#[derive(serde::Serialize)]
struct Manifest<'a> {
    areas: Vec<(&'a str, &'a str)>,
    chunks: &'a [usize],
    comps: Vec<(&'a str, &'a str, usize, Vec<usize>)>,
    format: u32,
    kinds: [&'static str; 7],
    levels: Vec<(&'a str, &'a str, Vec<usize>)>,
    n: usize,
    pages: Vec<(&'a str, &'a str)>,
    runs: Vec<[usize; 4]>,
    shards: Vec<(&'a str, usize)>,
    steps: Vec<(usize, &'a str, &'a str, &'a [usize])>,
    stop: &'static [&'static str],
    tracks: Vec<(&'a str, &'a str)>,
}

fn manifest_bytes(
    fw: &Framework,
    docs: &[Doc],
    steps: &[StepPlace],
    chunks: &[usize],
    shards: Vec<(&str, usize)>,
) -> Vec<u8> {
    let mut track_ids: Vec<(&str, usize)> = fw
        .tracks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    track_ids.sort_unstable();
    // The first track with each id, as `position` would find it.
    track_ids.dedup_by_key(|(id, _)| *id);
    let track_ix = |ids: &[crate::model::TrackId]| -> Vec<usize> {
        ids.iter()
            .filter_map(|id| {
                let k = track_ids.binary_search_by(|(t, _)| (*t).cmp(id.as_str()));
                k.ok().map(|k| track_ids[k].1)
            })
            .collect()
    };
    let mut runs: Vec<[usize; 4]> = Vec::new();
    for d in docs {
        let key = [d.kind as usize, d.place.0, d.place.1];
        match runs.last_mut() {
            Some(r) if r[1..] == key => r[0] += 1,
            _ => runs.push([1, key[0], key[1], key[2]]),
        }
    }
    let manifest = Manifest {
        areas: fw
            .areas
            .iter()
            .map(|a| (a.id.as_str(), a.title.as_str()))
            .collect(),
        chunks,
        comps: fw
            .competencies
            .iter()
            .map(|c| (c.id.as_str(), c.title.as_str(), c.area, track_ix(&c.tracks)))
            .collect(),
        format: FORMAT,
        kinds: KINDS.map(kind_name),
        levels: fw
            .levels
            .iter()
            .map(|l| (l.id.as_str(), l.title.as_str(), track_ix(&l.tracks)))
            .collect(),
        n: docs.len(),
        pages: fw
            .pages
            .iter()
            .map(|p| (p.slug.as_str(), p.title.as_str()))
            .collect(),
        runs,
        shards,
        steps: steps
            .iter()
            .map(|s| {
                (
                    s.competency,
                    s.step_id.as_str(),
                    s.step_title.as_str(),
                    &s.levels[..],
                )
            })
            .collect(),
        stop: tokenize::STOP_WORDS,
        tracks: fw
            .tracks
            .iter()
            .map(|t| (t.id.as_str(), t.title.as_str()))
            .collect(),
    };
    let mut out = script_head("m");
    write_json(&mut out, &manifest);
    out.extend_from_slice(b");\n");
    out
}

const KINDS: [DocKind; 7] = [
    DocKind::Track,
    DocKind::Level,
    DocKind::Competency,
    DocKind::Area,
    DocKind::Page,
    DocKind::Behaviour,
    DocKind::Descriptor,
];

fn kind_name(k: DocKind) -> &'static str {
    match k {
        DocKind::Track => "track",
        DocKind::Level => "level",
        DocKind::Competency => "competency",
        DocKind::Area => "area",
        DocKind::Page => "page",
        DocKind::Behaviour => "behaviour",
        DocKind::Descriptor => "descriptor",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Framework;
    use serde_json::Value;

    pub(crate) fn fixture(name: &str) -> Framework {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let (fw, outcome) = crate::pipeline::load_framework(&root).expect("fixture loads");
        assert!(!outcome.has_errors(), "{:?}", outcome.diags);
        fw.expect("framework")
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

    /// The manifest and the shards are written without building a `serde_json::Value`,
    /// but must read back to the same bytes (a `Value`'s keys are sorted): what the index
    /// wrote when it built them as values.
    #[test]
    fn files_are_written_as_serde_json_writes_their_value() {
        let fw = fixture("../..");
        for a in artifacts(&fw) {
            let text = std::str::from_utf8(&a.bytes).unwrap();
            let (head, data) = text.split_once(',').unwrap();
            assert!(head.starts_with("__rungsSearch.add(\""), "{}", a.path);
            let data = data.strip_suffix(");\n").unwrap();
            let value: Value = serde_json::from_str(data).unwrap();
            assert_eq!(value.to_string(), data, "{}", a.path);
        }
    }
}
