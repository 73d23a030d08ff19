//! Encoding the index into files: term records, shards (re-encoded when their terms or
//! records changed), text chunks (when their documents moved or changed) and the
//! manifest; and where the text chunks are cut.

use std::io;
use std::time::Instant;

use rayon::prelude::*;

use super::{
    ChunkFile, Encoded, FileMark, IndexChanges, SearchState, SearchUpdate, ShardFile, Term, mark,
};
use crate::model::Framework;
use crate::output::{Artifact, Sink};
use crate::search::documents::{Doc, DocKind, StepPlace};
use crate::search::index;

/// Whether a document is one whose text chunk share is counted as long (a narrative,
/// guidance or page body) or short (a summary or a behaviour).
fn is_long(kind: DocKind) -> bool {
    matches!(kind, DocKind::Level | DocKind::Competency | DocKind::Page)
}

/// The power of two nearest (by ratio) to `target / average entry`, at most `target`:
/// how many documents of a class a chunk holds.
pub(super) fn per_chunk(total: u64, count: u64, target: u64) -> u64 {
    if count == 0 {
        return 1;
    }
    let avg = u128::from((total / count).max(1));
    let target = u128::from(target.max(1));
    let mut p: u128 = 1;
    // Double while 2p is nearer to target/avg than p is: 2p·avg · p·avg < target².
    while p < target && 2 * (p * avg) * (p * avg) < target * target {
        p *= 2;
    }
    p as u64
}

/// The first document of every text chunk. A chunk holds a fixed number of documents of
/// each class: long ones (levels, competencies, pages, whose narratives make them large)
/// and short ones (everything else), each the power of two that makes an average chunk
/// nearest `target` bytes for this framework. A mixed chunk counts each document as its
/// share of the target. So the boundaries depend on the documents' kinds and the two
/// classes' average sizes rounded to a power of two, not on any one document's text:
/// editing a behaviour rewrites its chunk only, unless the edit tips an average across a
/// rounding edge (then every chunk is rewritten once).
pub(super) fn chunk_starts(docs: &[Doc], entry_lens: &[u32], target: usize) -> Vec<usize> {
    let mut totals = [0u64; 2];
    let mut counts = [0u64; 2];
    for (d, &len) in docs.iter().zip(entry_lens) {
        let class = usize::from(is_long(d.kind));
        totals[class] += u64::from(len);
        counts[class] += 1;
    }
    let target = target.max(1) as u64;
    let weight = [0, 1].map(|c| target / per_chunk(totals[c], counts[c], target));
    let mut starts = Vec::new();
    let mut filled = target;
    for (id, d) in docs.iter().enumerate() {
        if filled >= target {
            starts.push(id);
            filled = 0;
        }
        filled += weight[usize::from(is_long(d.kind))];
    }
    starts
}

/// Files encoded at once: enough to keep every core busy, few enough that the encoded
/// index is not all in memory.
const BATCH: usize = 64;

fn batches(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..n).step_by(BATCH).map(move |s| s..(s + BATCH).min(n))
}

/// Where an update's files go: listed in the result, or handed to a sink.
struct Out<'s> {
    update: SearchUpdate,
    sink: Option<Sink<'s>>,
}

impl Out<'_> {
    /// Files `bytes` (`None`: unchanged since `old`) as changed or unchanged.
    fn report(
        &mut self,
        path: String,
        bytes: Option<Encoded>,
        old: Option<FileMark>,
    ) -> io::Result<FileMark> {
        let Some((bytes, mark)) = bytes else {
            self.update.unchanged.push(path);
            return Ok(old.expect("a file kept was produced before"));
        };
        if old == Some(mark) {
            self.update.unchanged.push(path);
        } else if let Some(sink) = self.sink {
            sink(Artifact { path, bytes })?;
            self.update.sent += 1;
        } else {
            self.update.changed.push(Artifact { path, bytes });
        }
        Ok(mark)
    }
}

impl SearchState {
    /// Re-encodes what `changes` may have changed and reports the files.
    pub(super) fn encode(
        &mut self,
        fw: &Framework,
        steps: &[StepPlace],
        changes: IndexChanges,
        start: Instant,
        sink: Option<Sink<'_>>,
    ) -> io::Result<SearchUpdate> {
        let mut out = Out {
            update: SearchUpdate::default(),
            sink,
        };
        self.encode_terms(&changes);
        self.encode_shards(&changes, &mut out)?;
        let starts = self.encode_chunks(&changes, &mut out)?;
        let shard_keys = self
            .shards
            .iter()
            .map(|s| (s.key.as_str(), s.mark.len))
            .collect();
        let manifest = crate::search::manifest_bytes(fw, &self.docs, steps, &starts, shard_keys);
        self.manifest = Some(out.report(
            "search/manifest.js".into(),
            Some(mark(manifest)),
            self.manifest,
        )?);
        let mut update = out.update;
        update.note = self.note(&changes, &update, start);
        Ok(update)
    }

    /// Term records: every one after a rebuild or a renumbering, else the touched ones;
    /// terms left with no documents go.
    fn encode_terms(&mut self, changes: &IndexChanges) {
        let n = self.docs.len();
        let encode = |(t, term): (&String, &mut Term)| {
            term.record = index::encode_term(t, &term.postings, n).to_string();
        };
        let empty = |term: &Term| term.postings.docs.iter().all(Vec::is_empty);
        if changes.all_terms {
            self.terms.retain(|_, t| !empty(t));
            self.terms.par_iter_mut().for_each(encode);
            return;
        }
        for t in &changes.touched {
            match self.terms.get_mut(t) {
                Some(term) if empty(term) => {
                    debug_assert!(term.postings.words.is_empty(), "{t}");
                    self.terms.remove(t);
                }
                Some(term) => encode((t, term)),
                None => {}
            }
        }
    }

    /// Shards: re-encodes those whose terms or any of their records changed.
    fn encode_shards(&mut self, changes: &IndexChanges, out: &mut Out) -> io::Result<()> {
        let sizes: Vec<(&str, usize)> = self
            .terms
            .iter()
            .map(|(t, term)| (t.as_str(), t.len() + term.record.len() + 4))
            .collect();
        let layout = index::shard(&sizes, self.limits.shard);
        let stale = |i: usize, key: &str, terms: &[&str]| match self.shards.get(i) {
            _ if changes.all_terms => true,
            Some(old) => {
                old.key != key
                    || old.terms.len() != terms.len()
                    || old.terms.iter().zip(terms).any(|(a, b)| a != b)
                    || terms.iter().any(|t| changes.touched.contains(*t))
            }
            None => true,
        };
        let redo: Vec<bool> = layout
            .iter()
            .enumerate()
            .map(|(i, (key, terms))| stale(i, key, terms))
            .collect();
        let terms = &self.terms;
        let encode = |i: usize| {
            redo[i].then(|| {
                let records = layout[i].1.iter().map(|t| (*t, terms[*t].record.as_str()));
                mark(crate::search::shard_bytes(i, records))
            })
        };
        let mut marks = Vec::with_capacity(layout.len());
        for batch in batches(layout.len()) {
            let bytes: Vec<Option<Encoded>> = batch.clone().into_par_iter().map(encode).collect();
            for (i, bytes) in batch.zip(bytes) {
                let old = self.shards.get(i).map(|s| s.mark);
                marks.push(out.report(format!("search/t/{i}.js"), bytes, old)?);
            }
        }
        self.shards = layout
            .into_iter()
            .zip(marks)
            .map(|((key, names), mark)| ShardFile {
                key,
                terms: names.into_iter().map(str::to_string).collect(),
                mark,
            })
            .collect();
        Ok(())
    }

    /// Text chunks: re-encodes those whose documents moved or changed their entry.
    /// Returns the first document of every chunk.
    fn encode_chunks(&mut self, changes: &IndexChanges, out: &mut Out) -> io::Result<Vec<usize>> {
        let n = self.docs.len();
        let starts = chunk_starts(&self.docs, &self.entry_lens, self.limits.chunk);
        let ranges: Vec<(usize, usize)> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, starts.get(i + 1).copied().unwrap_or(n)))
            .collect();
        let stale = |i: usize, (s, e): (usize, usize)| match self.chunks.get(i) {
            Some(old) => {
                (old.start, old.end) != (s, e)
                    || e > changes.moved_from
                    || changes.entries[changes.entries.partition_point(|&d| d < s)..]
                        .first()
                        .is_some_and(|&d| d < e)
            }
            None => true,
        };
        let redo: Vec<bool> = ranges
            .iter()
            .enumerate()
            .map(|(i, &r)| stale(i, r))
            .collect();
        let docs = &self.docs;
        let encode = |i: usize| {
            let (s, e) = ranges[i];
            redo[i].then(|| mark(crate::search::chunk_bytes(i, &docs[s..e])))
        };
        let mut new_chunks = Vec::with_capacity(ranges.len());
        for batch in batches(ranges.len()) {
            let bytes: Vec<Option<Encoded>> = batch.clone().into_par_iter().map(encode).collect();
            for (i, bytes) in batch.zip(bytes) {
                let old = self.chunks.get(i).map(|c| c.mark);
                let mark = out.report(format!("search/d/{i}.js"), bytes, old)?;
                let (start, end) = ranges[i];
                new_chunks.push(ChunkFile { start, end, mark });
            }
        }
        self.chunks = new_chunks;
        Ok(starts)
    }

    /// What the update did and how long its parts took, for timings.
    fn note(&self, changes: &IndexChanges, out: &SearchUpdate, start: Instant) -> String {
        let total: usize = self.shards.iter().map(|s| s.mark.len).sum::<usize>()
            + self.chunks.iter().map(|c| c.mark.len).sum::<usize>()
            + self.manifest.map_or(0, |m| m.len);
        format!(
            "search index: {} documents ({} re-made), {} terms, {} shards, {} text chunks, {:.1} MB ({} files changed); collect {:?}, index {:?}, encode {:?}, total {:?}",
            self.docs.len(),
            changes.docs,
            self.terms.len(),
            self.shards.len(),
            self.chunks.len(),
            total as f64 / 1e6,
            out.changed.len() + out.sent,
            changes.collected,
            changes.indexed - changes.collected,
            start.elapsed() - changes.indexed,
            start.elapsed()
        )
    }
}
