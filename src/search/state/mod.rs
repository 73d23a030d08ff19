//! The search index kept between rebuilds, so that `rungs serve` updates it in
//! proportion to an edit instead of rebuilding it whole.
//!
//! [`SearchState`] keeps the documents of the last update (with what their text was
//! converted from), the inverted index with per-word occurrence counts, every term's
//! encoded record, and the layout (and a fingerprint) of every file it produced. An
//! update:
//!
//! 1. lists the new documents without converting their text ([`documents::sources`]) and
//!    lines them up with the old ones: the longest common prefix and suffix of documents
//!    whose title, anchor and text sources are unchanged;
//! 2. for the same number of documents, takes each changed document's old terms out of
//!    the index and puts its new ones in; for a few documents added or removed, does the
//!    same for those and renumbers the documents after them; otherwise (or the first
//!    time) indexes everything again, reusing the plain text of unchanged sources;
//! 3. re-encodes the records of the terms whose posting lists or word lists changed,
//!    re-partitions the shards from the cached record sizes, and re-encodes the shards
//!    and text chunks whose content may have changed, and the manifest;
//! 4. reports a re-encoded file as changed only if its fingerprint differs from the
//!    file's previous one.
//!
//! Text chunks hold a number of documents that does not depend on any one document's
//! text (see [`chunk_starts`]), so editing a behaviour rewrites one chunk, not every
//! chunk after it.
//!
//! The result is the same as a fresh state's first update for the same framework, byte for byte:
//! both run this code, and the tests below check it after long runs of random edits.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

mod docs;
mod encode;

use rayon::prelude::*;

use super::documents::{self, Doc, DocSource};
use super::index::{self, Postings};
use super::tokenize::Analyzer;
use super::{CHUNK_TARGET, SHARD_LIMIT};
use crate::model::Framework;
use crate::output::{Artifact, Sink};
use docs::{Origin, convert};

/// The search index between updates. See the module documentation.
pub struct SearchState {
    limits: Limits,
    /// Stems words for changed documents (a full rebuild uses its own, per thread).
    analyzer: Analyzer,
    /// Whether [`SearchState::update`] has run.
    built: bool,
    docs: Vec<Doc>,
    /// What each document's text and body were made from.
    origins: Vec<[Origin; 2]>,
    /// The bytes of each document's entry in its text chunk.
    entry_lens: Vec<u32>,
    terms: BTreeMap<String, Term>,
    shards: Vec<ShardFile>,
    chunks: Vec<ChunkFile>,
    manifest: Option<FileMark>,
}

/// What an update produced.
#[derive(Debug, Default)]
pub struct SearchUpdate {
    /// Files whose bytes are new or different since the last update (all files on the
    /// first update): shards, then text chunks, then the manifest.
    pub changed: Vec<Artifact>,
    /// How many changed files went to the sink instead (see `SearchState::update_into`).
    pub sent: usize,
    /// Paths of files still produced but unchanged since the last update.
    pub unchanged: Vec<String>,
    /// What the update did and how long its parts took (for timings).
    pub note: String,
}

/// Sizes the layout depends on; smaller in tests, to exercise splits with little text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// See [`SHARD_LIMIT`].
    pub shard: usize,
    /// See [`CHUNK_TARGET`].
    pub chunk: usize,
    /// Documents added plus removed (beyond an eighth of them) up to which an update
    /// renumbers the index in place rather than indexing everything again.
    pub renumber: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            shard: SHARD_LIMIT,
            chunk: CHUNK_TARGET,
            renumber: 64,
        }
    }
}

/// One term: its postings and its encoded record (JSON, see [`index::encode_term`]).
#[derive(Debug, Default)]
struct Term {
    postings: Postings,
    record: String,
}

/// Where a file's bytes stand: their length and fingerprint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileMark {
    len: usize,
    fingerprint: u128,
}

#[derive(Debug)]
struct ShardFile {
    key: String,
    terms: Vec<String>,
    mark: FileMark,
}

#[derive(Debug)]
struct ChunkFile {
    /// Documents `start..end`.
    start: usize,
    end: usize,
    mark: FileMark,
}

/// A file's new bytes with their mark.
type Encoded = (Vec<u8>, FileMark);

/// A file's bytes with their mark (length and the output's fingerprint).
fn mark(bytes: Vec<u8>) -> Encoded {
    let mark = FileMark {
        len: bytes.len(),
        fingerprint: crate::output::fingerprint(&bytes),
    };
    (bytes, mark)
}

/// What changed in the index and the documents, for re-encoding.
struct IndexChanges {
    /// Every term (a rebuild, or ids renumbered); else the terms in `touched`.
    all_terms: bool,
    /// Terms whose postings or word list changed.
    touched: BTreeSet<String>,
    /// Documents whose text-chunk entry changed (ascending).
    entries: Vec<usize>,
    /// Every document from this one on may have moved or changed.
    moved_from: usize,
    /// Documents re-made (for timings).
    docs: usize,
    collected: Duration,
    indexed: Duration,
}

impl Default for SearchState {
    fn default() -> Self {
        Self::new()
    }
}

impl SearchState {
    /// An empty state; its first [`update`](SearchState::update) indexes everything.
    pub fn new() -> Self {
        Self::with_limits(Limits::default())
    }

    pub(crate) fn with_limits(limits: Limits) -> Self {
        SearchState {
            limits,
            analyzer: Analyzer::default(),
            built: false,
            docs: Vec::new(),
            origins: Vec::new(),
            entry_lens: Vec::new(),
            terms: BTreeMap::new(),
            shards: Vec::new(),
            chunks: Vec::new(),
            manifest: None,
        }
    }

    /// Brings the index up to date with `fw`. Files produced by the previous update but
    /// in neither list of the result are no longer part of the index.
    pub fn update(&mut self, fw: &Framework) -> SearchUpdate {
        self.update_into(fw, None)
            .expect("without a sink nothing is written")
    }

    /// [`SearchState::update`], handing each changed file to `sink` as soon as it is
    /// encoded (a few dozen at a time) instead of listing them in the result, so the
    /// encoded index is never all in memory at once.
    pub(crate) fn update_into(
        &mut self,
        fw: &Framework,
        sink: Option<Sink<'_>>,
    ) -> std::io::Result<SearchUpdate> {
        let start = Instant::now();
        let (sources, steps) = documents::sources(fw);
        let changes = if self.built {
            self.update_docs(&sources, start)
        } else {
            None
        };
        let changes = changes.unwrap_or_else(|| self.rebuild(&sources, start));
        self.built = true;
        for (d, s) in self.docs.iter_mut().zip(&sources) {
            d.kind = s.kind;
            d.place = s.place;
        }
        self.encode(fw, &steps, changes, start, sink)
    }

    /// Indexes every document again, reusing the plain text of unchanged sources (at the
    /// same position, or shifted by the change in the number of documents).
    fn rebuild(&mut self, sources: &[DocSource], start: Instant) -> IndexChanges {
        let old_docs = std::mem::take(&mut self.docs);
        let old_origins = std::mem::take(&mut self.origins);
        let (n_old, n_new) = (old_docs.len(), sources.len());
        let made: Vec<(Doc, [Origin; 2])> = sources
            .par_iter()
            .enumerate()
            .map(|(i, s)| {
                let mut candidates = Vec::with_capacity(2);
                for j in [Some(i), (i + n_old).checked_sub(n_new)] {
                    if let Some(j) = j.filter(|&j| j < n_old) {
                        candidates.push((&old_docs[j], &old_origins[j]));
                    }
                }
                convert(s, &candidates)
            })
            .collect();
        drop((old_docs, old_origins));
        (self.docs, self.origins) = made.into_iter().unzip();
        self.entry_lens = self
            .docs
            .par_iter()
            .map(|d| super::entry_len(d) as u32)
            .collect();
        let collected = start.elapsed();
        self.terms = index::build(&self.docs)
            .into_iter()
            .map(|(t, postings)| {
                let term = Term {
                    postings,
                    record: String::new(),
                };
                (t, term)
            })
            .collect();
        IndexChanges {
            all_terms: true,
            touched: BTreeSet::new(),
            entries: Vec::new(),
            moved_from: 0,
            docs: n_new,
            collected,
            indexed: start.elapsed(),
        }
    }

    /// Updates the documents and the index in place, or returns `None` when so much
    /// changed in the number of documents that indexing everything is as quick.
    /// Every file of the index as the last update left it (none before the first).
    pub fn paths(&self) -> Vec<String> {
        if !self.built {
            return Vec::new();
        }
        (0..self.shards.len())
            .map(|i| format!("search/t/{i}.js"))
            .chain((0..self.chunks.len()).map(|i| format!("search/d/{i}.js")))
            .chain(std::iter::once("search/manifest.js".to_string()))
            .collect()
    }

    /// Roughly how many bytes of heap the state holds (strings and lists; not the
    /// allocator's overhead).
    pub fn heap_bytes(&self) -> usize {
        let origin = |o: &Origin| match o {
            Origin::Cheap | Origin::Html(None) => 0,
            Origin::Html(Some(s)) => s.len(),
            Origin::Examples(packed) => packed.len(),
        };
        let docs: usize = self
            .docs
            .iter()
            .map(|d| {
                std::mem::size_of::<Doc>()
                    + d.anchor.capacity()
                    + d.title.capacity()
                    + d.text.capacity()
                    + d.body.capacity()
            })
            .sum();
        let origins: usize = self
            .origins
            .iter()
            .map(|o| std::mem::size_of::<[Origin; 2]>() + origin(&o[0]) + origin(&o[1]))
            .sum();
        let terms: usize = self
            .terms
            .iter()
            .map(|(t, term)| {
                let p = &term.postings;
                t.capacity()
                    + std::mem::size_of::<Term>()
                    + term.record.capacity()
                    + p.words.keys().map(|w| w.capacity() + 32).sum::<usize>()
                    + p.docs.iter().map(|l| l.capacity() * 4).sum::<usize>()
            })
            .sum();
        let shards: usize = self
            .shards
            .iter()
            .map(|s| s.key.capacity() + s.terms.iter().map(|t| t.capacity() + 24).sum::<usize>())
            .sum();
        docs + origins
            + self.entry_lens.capacity() * 4
            + terms
            + shards
            + self.chunks.capacity() * std::mem::size_of::<ChunkFile>()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::encode::{chunk_starts, per_chunk};
    use super::*;
    use crate::model::{Behaviour, Example};
    use crate::search::documents::DocKind;
    use crate::search::tests::fixture;

    use crate::testing::Rng;

    impl Rng {
        /// A word: mostly from a small vocabulary (shared terms, stems with several
        /// words), sometimes a made-up one (new terms, new shard prefixes).
        fn word(&mut self) -> String {
            const WORDS: &[&str] = &[
                "mentor",
                "mentors",
                "mentoring",
                "team",
                "teams",
                "design",
                "designs",
                "incident",
                "incidents",
                "review",
                "reviewed",
                "the",
                "a",
                "and",
                "of",
                "leads",
                "leading",
                "debug",
                "debugging",
                "x",
                "café",
                "P1",
                "stakeholders",
                "deliver",
                "delivery",
                "system",
                "systems",
                "own",
                "owns",
                "42",
            ];
            if self.chance(80) {
                WORDS[self.below(WORDS.len())].to_string()
            } else {
                let len = 2 + self.below(6);
                (0..len)
                    .map(|_| {
                        (b'a' + self.below(6) as u8 + if self.chance(20) { 20 } else { 0 }) as char
                    })
                    .collect()
            }
        }

        fn sentence(&mut self, max_words: usize) -> String {
            let n = self.below(max_words + 1);
            let mut words: Vec<String> = (0..n).map(|_| self.word()).collect();
            match self.below(6) {
                0 if !words.is_empty() => words[0] = format!("*{}*", words[0]),
                1 => words.push("it's".into()),
                2 => words.push("--".into()),
                _ => {}
            }
            words.join(" ")
        }

        fn html(&mut self) -> String {
            match self.below(4) {
                0 => String::new(),
                1 => format!("<p>{}</p>", self.sentence(12)),
                _ => format!(
                    "<h2 id=\"x\">{} &amp; {}</h2>\n<p>{}</p><ul><li>{}</li></ul>",
                    self.word(),
                    self.word(),
                    self.sentence(30),
                    self.sentence(8)
                ),
            }
        }

        fn behaviour(&mut self) -> Behaviour {
            let n = self.below(3);
            let anchor = format!("b-{}", self.next() % 1000);
            let text = self.sentence(20);
            let examples = (0..n)
                .map(|_| Example {
                    text: self.sentence(10),
                    html: String::new(),
                })
                .collect();
            crate::testing::behaviour(None, anchor, &text, examples)
        }
    }

    /// Some list of behaviours of the framework (a level's behaviours of a competency,
    /// or a step's descriptors), picked at random.
    fn some_list<'f>(fw: &'f mut Framework, rng: &mut Rng) -> &'f mut Vec<Behaviour> {
        let levels: Vec<_> = fw.levels.iter().map(|l| l.id.clone()).collect();
        let c = rng.below(fw.competencies.len());
        let comp = std::sync::Arc::make_mut(&mut fw.competencies[c]);
        if rng.chance(20) && !comp.proficiency.is_empty() {
            let k = rng.below(comp.proficiency.len());
            return comp.proficiency.values_mut().nth(k).expect("step");
        }
        comp.behaviours
            .entry(levels[rng.below(levels.len())].clone())
            .or_default()
    }

    /// One random edit of the kinds an author makes.
    fn edit(fw: &mut Framework, rng: &mut Rng) {
        match rng.below(14) {
            0..=3 => {
                let list = some_list(fw, rng);
                if !list.is_empty() {
                    let k = rng.below(list.len());
                    let text = rng.sentence(20);
                    list[k].plain = crate::markdown::plain_text(&text).into();
                    list[k].text = text.into();
                }
            }
            4 => {
                let list = some_list(fw, rng);
                if !list.is_empty() {
                    let k = rng.below(list.len());
                    let mut owned = list[k].examples.to_vec();
                    let examples = &mut owned;
                    match rng.below(3) {
                        0 => examples.push(Example {
                            text: rng.sentence(10),
                            html: String::new(),
                        }),
                        1 if !examples.is_empty() => {
                            examples.remove(rng.below(examples.len()));
                        }
                        _ if !examples.is_empty() => {
                            let e = rng.below(examples.len());
                            examples[e].text = rng.sentence(10);
                        }
                        _ => {}
                    }
                    list[k].examples = owned.into();
                }
            }
            5 => {
                let b = rng.behaviour();
                let list = some_list(fw, rng);
                let at = rng.below(list.len() + 1);
                list.insert(at, b);
            }
            6 => {
                let list = some_list(fw, rng);
                if !list.is_empty() {
                    list.remove(rng.below(list.len()));
                }
            }
            7 => {
                let l = rng.below(fw.levels.len());
                match rng.below(3) {
                    0 => fw.levels[l].summary = rng.sentence(12),
                    1 => fw.levels[l].title = rng.sentence(3),
                    _ => {
                        let attribute = (rng.word(), rng.sentence(4));
                        let attributes = &mut fw.levels[l].attributes;
                        if attributes.is_empty() || rng.chance(50) {
                            attributes.push(attribute);
                        } else {
                            attributes.pop();
                        }
                    }
                }
            }
            8 => {
                let l = rng.below(fw.levels.len());
                fw.levels[l].body_html = rng.html();
            }
            9 => {
                let c = rng.below(fw.competencies.len());
                match rng.below(3) {
                    0 => std::sync::Arc::make_mut(&mut fw.competencies[c]).body_html = rng.html(),
                    1 => {
                        std::sync::Arc::make_mut(&mut fw.competencies[c]).summary = rng.sentence(12)
                    }
                    _ => std::sync::Arc::make_mut(&mut fw.competencies[c]).title = rng.sentence(3),
                }
            }
            10 if !fw.pages.is_empty() => {
                let p = rng.below(fw.pages.len());
                fw.pages[p].body_html = rng.html();
            }
            11 => {
                let t = rng.below(fw.tracks.len());
                fw.tracks[t].summary = rng.sentence(10);
            }
            12 => {
                let list = some_list(fw, rng);
                if !list.is_empty() {
                    let k = rng.below(list.len());
                    list[k].anchor = format!("a-{}", rng.next() % 100);
                }
            }
            _ => {
                // A larger structural edit: many behaviours at once.
                let list = some_list(fw, rng);
                if list.len() > 1 && rng.chance(50) {
                    list.truncate(1);
                } else {
                    let more: Vec<Behaviour> = (0..20).map(|_| rng.behaviour()).collect();
                    list.extend(more);
                }
            }
        }
    }

    fn as_map(files: Vec<Artifact>) -> BTreeMap<String, Vec<u8>> {
        files.into_iter().map(|a| (a.path, a.bytes)).collect()
    }

    /// Applies random edits, updating one state throughout, and checks after every step
    /// that its files are those of a clean build, and that `changed` lists exactly the
    /// files whose bytes are new or different.
    fn check_random_edits(mut fw: Framework, limits: Limits, steps: usize, seed: u64) {
        let mut rng = Rng(seed);
        let mut state = SearchState::with_limits(limits);
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for step in 0..steps {
            if step > 0 {
                for _ in 0..1 + rng.below(3) * usize::from(rng.chance(20)) {
                    edit(&mut fw, &mut rng);
                }
            }
            let update = state.update(&fw);
            let mut now = BTreeMap::new();
            for path in update.unchanged {
                let bytes = files
                    .get(&path)
                    .unwrap_or_else(|| panic!("step {step}: {path} kept but never produced"));
                now.insert(path, bytes.clone());
            }
            for a in update.changed {
                assert_ne!(
                    files.get(&a.path),
                    Some(&a.bytes),
                    "step {step}: {} reported changed",
                    a.path
                );
                assert!(
                    now.insert(a.path.clone(), a.bytes).is_none(),
                    "step {step}: {} twice",
                    a.path
                );
            }
            let clean = as_map(SearchState::with_limits(limits).update(&fw).changed);
            let paths = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
            assert_eq!(paths(&now), paths(&clean), "step {step}");
            for (path, bytes) in &clean {
                assert!(
                    now[path] == *bytes,
                    "step {step}: {path} differs from a clean build"
                );
            }
            files = now;
        }
    }

    #[test]
    fn random_edits_keep_the_index_equal_to_a_clean_build() {
        // Tiny limits, so the fixture's few documents split into many shards and chunks.
        let limits = Limits {
            shard: 300,
            chunk: 256,
            renumber: 2,
        };
        for seed in 1..=4u64 {
            check_random_edits(
                fixture("basic"),
                limits,
                150,
                seed.wrapping_mul(0x9e37_79b9_7f4a_7c15),
            );
        }
    }

    #[test]
    fn random_edits_of_the_sample_keep_the_index_equal_to_a_clean_build() {
        let fw = fixture("../..");
        check_random_edits(fw.clone(), Limits::default(), 60, 7);
        let small = Limits {
            shard: 2048,
            chunk: 1024,
            renumber: 16,
        };
        check_random_edits(fw, small, 60, 11);
    }

    #[test]
    fn the_state_can_live_in_a_serve_session_on_any_thread() {
        fn send<T: Send + Sync>() {}
        send::<SearchState>();
    }

    #[test]
    fn the_first_update_is_the_clean_build_and_a_second_one_changes_nothing() {
        let fw = fixture("basic");
        let mut state = SearchState::new();
        let first = state.update(&fw);
        assert!(first.unchanged.is_empty());
        assert_eq!(first.changed, crate::search::artifacts(&fw));
        let second = state.update(&fw);
        assert!(second.changed.is_empty(), "{:?}", second.changed);
        assert_eq!(second.unchanged.len(), first.changed.len());
    }

    #[test]
    fn editing_one_behaviour_rewrites_one_text_chunk() {
        let mut fw = fixture("../..");
        let mut state = SearchState::with_limits(Limits {
            chunk: 1024,
            ..Limits::default()
        });
        let first = state.update(&fw);
        let chunks = |u: &SearchUpdate| {
            u.changed
                .iter()
                .filter(|a| a.path.starts_with("search/d/"))
                .count()
        };
        assert!(chunks(&first) > 10, "{} chunks", chunks(&first));
        let b = fw
            .competencies
            .iter_mut()
            .find_map(|c| std::sync::Arc::make_mut(c).behaviours.values_mut().next())
            .expect("a behaviour");
        b[0].text = format!(
            "{} Also writes considerably longer descriptions than before.",
            b[0].text
        )
        .into();
        b[0].plain = crate::markdown::plain_text(&b[0].text).into();
        let second = state.update(&fw);
        let paths: Vec<&str> = second.changed.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(chunks(&second), 1, "{paths:?}");
        // The shards of the six new words' terms, at most, and the manifest.
        assert!(second.changed.len() <= 8, "{paths:?}");
        assert!(
            second.unchanged.len() > 5 * second.changed.len(),
            "{paths:?}"
        );
    }

    #[test]
    fn a_chunk_holds_a_power_of_two_of_documents_near_the_target_size() {
        assert_eq!(per_chunk(0, 0, 16384), 1);
        assert_eq!(per_chunk(865 * 100, 100, 16384), 16);
        assert_eq!(per_chunk(214 * 100, 100, 16384), 64);
        assert_eq!(per_chunk(1600 * 10, 10, 16384), 8);
        assert_eq!(per_chunk(1, 1, 16384), 16384);
        assert_eq!(per_chunk(100_000, 1, 16384), 1);
        let doc = |kind| Doc {
            kind,
            place: (0, 0),
            anchor: String::new(),
            title: String::new(),
            text: String::new(),
            body: String::new(),
        };
        let mut docs = vec![doc(DocKind::Level); 3];
        docs.extend(vec![doc(DocKind::Behaviour); 10]);
        let lens = [[1000; 3].as_slice(), &[240; 10]].concat();
        // Levels: 2 per 2 KB chunk (1000 bytes each); behaviours: 8 (240 bytes each).
        // The third chunk: one level (half a chunk) and four behaviours (an eighth each).
        assert_eq!(chunk_starts(&docs, &lens, 2048), [0, 2, 7]);
    }
}
