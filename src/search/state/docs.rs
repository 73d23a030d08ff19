//! Keeping the index's documents up to date: which sources changed, re-making only
//! those documents (reusing the text of unchanged sources), and replacing a document's
//! contribution to the postings.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::{IndexChanges, SearchState};
use crate::search::documents::{Doc, DocSource, Source};
use crate::search::index::{self, DocTerms};

/// What a stored tier text was made from, so that an unchanged source is not converted
/// again. Sources that are cheap to redo (plain summaries, a level's attributes) keep
/// nothing (a behaviour's text is the plain text parsing made); neither does HTML that
/// converted to itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
    Cheap,
    /// `None`: the text is the HTML itself.
    Html(Option<Box<str>>),
    /// Each example's Markdown after its length (`u32`, little-endian): one allocation, so
    /// that comparing reads one place per document.
    Examples(Box<[u8]>),
}

impl Origin {
    pub(super) fn of(source: &Source, text: &str) -> Origin {
        match *source {
            Source::Plain(_) | Source::Attributes(..) => Origin::Cheap,
            Source::Html(h) => Origin::Html((h != text).then(|| h.into())),
            Source::Examples(examples) => {
                let mut packed = Vec::new();
                for e in examples {
                    let len = u32::try_from(e.text.len()).expect("an example under 4 GB");
                    packed.extend_from_slice(&len.to_le_bytes());
                    packed.extend_from_slice(e.text.as_bytes());
                }
                Origin::Examples(packed.into())
            }
        }
    }
}

/// Whether `source` converts to `text`, given what `text` was made from (no conversion).
fn converts_to(source: &Source, origin: &Origin, text: &str) -> bool {
    match (*source, origin) {
        (Source::Plain(s), _) => s == text,
        (Source::Attributes(summary, attributes), _) => {
            let mut rest = text;
            let mut eat = |piece: &str| match rest.strip_prefix(piece) {
                Some(r) => {
                    rest = r;
                    true
                }
                None => false,
            };
            eat(summary)
                && attributes
                    .iter()
                    .all(|(name, value)| eat("\n") && eat(name) && eat(": ") && eat(value))
                && rest.is_empty()
        }
        (Source::Html(h), Origin::Html(None)) => h == text,
        (Source::Html(h), Origin::Html(Some(old))) => h == &**old,
        (Source::Examples(examples), Origin::Examples(packed)) => {
            let mut rest: &[u8] = packed;
            examples.iter().all(|e| {
                let Some((len, after)) = rest.split_first_chunk::<4>() else {
                    return false;
                };
                let len = u32::from_le_bytes(*len) as usize;
                let same = after.get(..len) == Some(e.text.as_bytes());
                rest = after.get(len..).unwrap_or_default();
                same
            }) && rest.is_empty()
        }
        _ => false,
    }
}

/// Whether a stored document is what `source` makes, apart from its kind and place
/// (which only the manifest and the chunk layout read, and which are always refreshed).
pub(super) fn unchanged(source: &DocSource, doc: &Doc, origin: &[Origin; 2]) -> bool {
    source.anchor == doc.anchor
        && source.title == doc.title
        && converts_to(&source.text, &origin[0], &doc.text)
        && converts_to(&source.body, &origin[1], &doc.body)
}

/// Makes a document, taking each tier's text from the first candidate whose source it
/// was made from, converting it otherwise.
pub(super) fn convert(
    source: &DocSource,
    candidates: &[(&Doc, &[Origin; 2])],
) -> (Doc, [Origin; 2]) {
    let tier = |s: &Source, i: usize| -> (String, Origin) {
        for (doc, origins) in candidates {
            let text = if i == 0 { &doc.text } else { &doc.body };
            if converts_to(s, &origins[i], text) {
                return (text.clone(), origins[i].clone());
            }
        }
        let text = s.text();
        let origin = Origin::of(s, &text);
        (text, origin)
    };
    let (text, text_origin) = tier(&source.text, 0);
    let (body, body_origin) = tier(&source.body, 1);
    let doc = Doc {
        kind: source.kind,
        place: source.place,
        anchor: source.anchor.to_string(),
        title: source.title.to_string(),
        text,
        body,
    };
    (doc, [text_origin, body_origin])
}

/// Adds `id` to an ascending list of ids.
fn add_id(list: &mut Vec<u32>, id: u32) {
    if let Err(at) = list.binary_search(&id) {
        list.insert(at, id);
    } else {
        debug_assert!(false, "{id} listed twice");
    }
}

/// Removes `id` from an ascending list of ids.
fn remove_id(list: &mut Vec<u32>, id: u32) {
    if let Ok(at) = list.binary_search(&id) {
        list.remove(at);
    } else {
        debug_assert!(false, "{id} not listed");
    }
}

impl SearchState {
    /// Brings the documents up to date in place: re-made where their sources changed,
    /// added and removed in the middle (renumbering the rest). `None` when so much was
    /// added or removed that indexing everything again is cheaper.
    pub(super) fn update_docs(
        &mut self,
        sources: &[DocSource],
        start: Instant,
    ) -> Option<IndexChanges> {
        let (n_old, n_new) = (self.docs.len(), sources.len());
        // Comparing reads every source text of the framework, scattered in memory: done in
        // parallel, and once per document when the number of documents is the same.
        let compare = |from_end: bool, len: usize| -> Vec<bool> {
            (0..len)
                .into_par_iter()
                .with_min_len(512)
                .map(|k| {
                    let (i, j) = if from_end {
                        (n_new - 1 - k, n_old - 1 - k)
                    } else {
                        (k, k)
                    };
                    unchanged(&sources[i], &self.docs[j], &self.origins[j])
                })
                .collect()
        };
        let shorter = n_old.min(n_new);
        let same = compare(false, shorter);
        let prefix = same.iter().position(|s| !s).unwrap_or(shorter);
        let suffix = if n_old == n_new {
            same.iter()
                .rev()
                .position(|s| !s)
                .unwrap_or(shorter - prefix)
        } else {
            let same = compare(true, shorter - prefix);
            same.iter().position(|s| !s).unwrap_or(shorter - prefix)
        };
        let (old_end, new_end) = (n_old - suffix, n_new - suffix);
        let mut changes = IndexChanges {
            all_terms: false,
            touched: BTreeSet::new(),
            entries: Vec::new(),
            moved_from: n_new,
            docs: 0,
            collected: Duration::ZERO,
            indexed: Duration::ZERO,
        };
        if n_old == n_new {
            // The same documents: re-make and re-index the changed ones.
            for (i, source) in sources.iter().enumerate().take(new_end).skip(prefix) {
                if same[i] {
                    continue;
                }
                let (doc, origin) = convert(source, &[(&self.docs[i], &self.origins[i])]);
                let old_terms = index::doc_terms(&mut self.analyzer, &self.docs[i]);
                let new_terms = index::doc_terms(&mut self.analyzer, &doc);
                self.apply(i as u32, &old_terms, &new_terms, &mut changes.touched);
                let old = &self.docs[i];
                if (&old.anchor, &old.text, &old.body) != (&doc.anchor, &doc.text, &doc.body) {
                    changes.entries.push(i);
                    self.entry_lens[i] = crate::search::entry_len(&doc) as u32;
                }
                self.docs[i] = doc;
                self.origins[i] = origin;
                changes.docs += 1;
            }
            changes.collected = start.elapsed();
            changes.indexed = changes.collected;
            return Some(changes);
        }
        self.splice_docs(sources, prefix, (old_end, new_end), changes, start)
    }

    /// Documents added or removed between `prefix` and the common suffix (which starts
    /// at `old_end` in the index and `new_end` in `sources`): takes the old ones out,
    /// renumbers the suffix, puts the new ones in. `None` when that is more work than
    /// indexing everything again.
    fn splice_docs(
        &mut self,
        sources: &[DocSource],
        prefix: usize,
        (old_end, new_end): (usize, usize),
        mut changes: IndexChanges,
        start: Instant,
    ) -> Option<IndexChanges> {
        let (n_old, n_new) = (self.docs.len(), sources.len());
        let (removed, added) = (old_end - prefix, new_end - prefix);
        if removed + added > self.limits.renumber + n_new / 8 {
            return None;
        }
        let made: Vec<(Doc, [Origin; 2])> = (prefix..new_end)
            .map(|i| {
                if i < old_end {
                    convert(&sources[i], &[(&self.docs[i], &self.origins[i])])
                } else {
                    convert(&sources[i], &[])
                }
            })
            .collect();
        changes.collected = start.elapsed();
        let empty = DocTerms::default();
        let mut touched = BTreeSet::new();
        for j in prefix..old_end {
            let terms = index::doc_terms(&mut self.analyzer, &self.docs[j]);
            self.apply(j as u32, &terms, &empty, &mut touched);
        }
        let shift = |id: u32| (id as usize + n_new - n_old) as u32;
        for term in self.terms.values_mut() {
            for list in &mut term.postings.docs {
                let from = list.partition_point(|&id| (id as usize) < old_end);
                for id in &mut list[from..] {
                    *id = shift(*id);
                }
            }
        }
        for (k, (doc, _)) in made.iter().enumerate() {
            let terms = index::doc_terms(&mut self.analyzer, doc);
            self.apply((prefix + k) as u32, &empty, &terms, &mut touched);
        }
        let lens: Vec<u32> = made
            .iter()
            .map(|(d, _)| crate::search::entry_len(d) as u32)
            .collect();
        let (docs, origins): (Vec<Doc>, Vec<[Origin; 2]>) = made.into_iter().unzip();
        self.docs.splice(prefix..old_end, docs);
        self.origins.splice(prefix..old_end, origins);
        self.entry_lens.splice(prefix..old_end, lens);
        changes.all_terms = true;
        changes.moved_from = prefix;
        changes.docs = added;
        changes.indexed = start.elapsed();
        Some(changes)
    }

    /// Replaces document `id`'s contribution `old` to the index with `new`, noting the
    /// terms whose postings or words changed.
    pub(super) fn apply(
        &mut self,
        id: u32,
        old: &DocTerms,
        new: &DocTerms,
        touched: &mut BTreeSet<String>,
    ) {
        for (term, tier) in old.tiers.difference(&new.tiers) {
            let t = self.terms.get_mut(term).expect("an old term is indexed");
            remove_id(&mut t.postings.docs[*tier], id);
            touched.insert(term.clone());
        }
        for (term, tier) in new.tiers.difference(&old.tiers) {
            let t = self.terms.entry(term.clone()).or_default();
            add_id(&mut t.postings.docs[*tier], id);
            touched.insert(term.clone());
        }
        let mut delta: BTreeMap<&(String, String), i64> = BTreeMap::new();
        for (pair, &count) in &old.words {
            *delta.entry(pair).or_default() -= i64::from(count);
        }
        for (pair, &count) in &new.words {
            *delta.entry(pair).or_default() += i64::from(count);
        }
        for ((term, word), d) in delta.into_iter().filter(|(_, d)| *d != 0) {
            // A word's term is indexed: it occurs in the new document, or did before.
            let words = &mut self.terms.get_mut(term).expect("term").postings.words;
            let before = words.get(word).copied().unwrap_or(0);
            let after = u32::try_from(i64::from(before) + d).expect("counts stay positive");
            match words.get_mut(word) {
                _ if after == 0 => {
                    words.remove(word);
                }
                Some(count) => *count = after,
                None => {
                    words.insert(word.clone(), after);
                }
            }
            if (before == 0) != (after == 0) {
                touched.insert(term.clone());
            }
        }
    }
}
