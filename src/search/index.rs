//! The inverted index: for every stemmed term, the documents that contain it in their
//! title, text and body, plus the words it was stemmed from (for prefix matching and
//! highlighting). Built in parallel over contiguous runs of documents and merged in order,
//! so posting lists come out sorted and two builds are identical.

use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::documents::Doc;
use super::tokenize::Analyzer;

/// The three ranking tiers of a document's text.
pub(crate) const TIERS: usize = 3;

/// One term's entry.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Postings {
    /// Lowercased words that stem to the term (the term itself included when it occurs),
    /// each with how many times it occurs in all documents (never 0), so that
    /// [`super::SearchState`] can tell when the last occurrence of a word goes.
    pub words: BTreeMap<String, u32>,
    /// Document ids per tier (title, text, body), ascending, no duplicates.
    pub docs: [Vec<u32>; TIERS],
}

pub(crate) type Index = BTreeMap<String, Postings>;

/// One part's entry for a term: like [`Postings`], with the words in a hash map (a term
/// is looked up once per word of every document, so this is the hot path).
#[derive(Default)]
struct PartPostings {
    words: FxHashMap<String, u32>,
    docs: [Vec<u32>; TIERS],
}

/// A term while one part is indexed: its words, in the order first seen, with their
/// counts, and its documents per tier.
#[derive(Default)]
struct PartTerm {
    words: Vec<(String, u32)>,
    docs: [Vec<u32>; TIERS],
}

fn index_part(docs: &[Doc], first_id: usize) -> FxHashMap<String, PartPostings> {
    let mut analyzer = Analyzer::default();
    // Terms in the order first seen, each with its words; and by the analyzer's word
    // number, where its term and its count are, so a word seen before (nearly every
    // word) costs two array lookups instead of hashing its stem and itself.
    let mut terms: Vec<(String, PartTerm)> = Vec::new();
    let mut term_of: FxHashMap<String, u32> = FxHashMap::default();
    let mut slots: Vec<(u32, u32)> = Vec::new();
    for (offset, d) in docs.iter().enumerate() {
        let id = (first_id + offset) as u32;
        for (tier, text) in [&d.title, &d.text, &d.body].into_iter().enumerate() {
            analyzer.numbered_terms(text, |n, stem, word| {
                let n = n as usize;
                if n == slots.len() {
                    // A new word (numbers are handed out in order): find or add its term.
                    let t = *term_of.entry(stem.to_string()).or_insert_with(|| {
                        terms.push((stem.to_string(), PartTerm::default()));
                        terms.len() as u32 - 1
                    });
                    let words = &mut terms[t as usize].1.words;
                    words.push((word.to_string(), 0));
                    slots.push((t, words.len() as u32 - 1));
                }
                let (t, w) = slots[n];
                let term = &mut terms[t as usize].1;
                term.words[w as usize].1 += 1;
                let list = &mut term.docs[tier];
                if list.last() != Some(&id) {
                    list.push(id);
                }
            });
        }
    }
    terms
        .into_iter()
        .map(|(text, term)| {
            let words = term.words.into_iter().collect();
            let docs = term.docs;
            (text, PartPostings { words, docs })
        })
        .collect()
}

/// Indexes every document.
pub(crate) fn build(docs: &[Doc]) -> Index {
    const PART: usize = 2048;
    let parts: Vec<FxHashMap<String, PartPostings>> = docs
        .par_chunks(PART)
        .enumerate()
        .map(|(i, chunk)| index_part(chunk, i * PART))
        .collect();
    let mut index = Index::new();
    for part in parts {
        for (term, p) in part {
            let entry = index.entry(term).or_default();
            for (word, count) in p.words {
                *entry.words.entry(word).or_default() += count;
            }
            for (dst, src) in entry.docs.iter_mut().zip(p.docs) {
                dst.extend(src);
            }
        }
    }
    index
}

/// What one document puts in the index: the tiers each of its terms occurs in, and how
/// many times each of its (term, word) pairs occurs. [`super::SearchState`] takes a
/// changed document's old contribution out and puts the new one in.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct DocTerms {
    /// `(term, tier)`, each once.
    pub tiers: BTreeSet<(String, usize)>,
    /// `(term, word)` with its number of occurrences.
    pub words: BTreeMap<(String, String), u32>,
}

/// The terms of one document, counted the way [`build`] counts them.
pub(crate) fn doc_terms(analyzer: &mut Analyzer, d: &Doc) -> DocTerms {
    let mut out = DocTerms::default();
    for (tier, text) in [&d.title, &d.text, &d.body].into_iter().enumerate() {
        analyzer.terms(text, |stem, word| {
            out.tiers.insert((stem.to_string(), tier));
            *out.words
                .entry((stem.to_string(), word.to_string()))
                .or_default() += 1;
        });
    }
    out
}

/// Characters of the base-64 alphabet used for bitmaps; none needs escaping in JSON.
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A posting list as the client reads it: a JSON array of gaps (first id, then
/// differences) when that is shorter, else a string bitmap of `n` bits, six per character,
/// lowest id in the lowest bit. Dense terms ("team" in half the behaviours) stay small.
pub(crate) fn encode_list(ids: &[u32], n: usize) -> serde_json::Value {
    let mut gaps = Vec::with_capacity(ids.len());
    let mut prev = 0;
    let mut gap_len = 0;
    for (i, &id) in ids.iter().enumerate() {
        let g = if i == 0 { id } else { id - prev };
        prev = id;
        gap_len += digits(g) + 1;
        gaps.push(g);
    }
    let bitmap_len = n.div_ceil(6) + 2;
    if gap_len <= bitmap_len {
        return serde_json::json!(gaps);
    }
    let mut chars = vec![0u8; n.div_ceil(6)];
    for &id in ids {
        chars[id as usize / 6] |= 1 << (id % 6);
    }
    let s: String = chars.into_iter().map(|c| B64[c as usize] as char).collect();
    serde_json::Value::String(s)
}

fn digits(mut v: u32) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Decodes [`encode_list`] (the client's algorithm, here for tests).
#[cfg(test)]
pub(crate) fn decode_list(v: &serde_json::Value) -> Vec<u32> {
    match v {
        serde_json::Value::Array(gaps) => {
            let mut id = 0;
            gaps.iter()
                .enumerate()
                .map(|(i, g)| {
                    let g = g.as_u64().unwrap() as u32;
                    id = if i == 0 { g } else { id + g };
                    id
                })
                .collect()
        }
        serde_json::Value::String(s) => s
            .bytes()
            .enumerate()
            .flat_map(|(i, c)| {
                let bits = B64.iter().position(|&b| b == c).unwrap() as u32;
                (0..6)
                    .filter(move |b| bits & (1 << b) != 0)
                    .map(move |b| i as u32 * 6 + b)
            })
            .collect(),
        _ => vec![],
    }
}

/// A term's record in a shard: `[words other than the term, title ids, text ids, body
/// ids]`, trailing empty lists dropped, an empty list in the middle written as `0`.
pub(crate) fn encode_term(term: &str, p: &Postings, n: usize) -> serde_json::Value {
    let words: Vec<&str> = p
        .words
        .keys()
        .map(String::as_str)
        .filter(|w| *w != term)
        .collect();
    let mut rec = vec![if words.is_empty() {
        serde_json::json!(0)
    } else {
        serde_json::json!(words)
    }];
    let last = p
        .docs
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    for list in &p.docs[..last] {
        rec.push(if list.is_empty() {
            serde_json::json!(0)
        } else {
            encode_list(list, n)
        });
    }
    serde_json::Value::Array(rec)
}

/// Splits the terms into shards by prefix: two characters, and longer prefixes for a
/// group whose encoded size passes `limit` bytes (up to five characters). Returns each
/// shard's key with its terms, in key order. A term belongs to the longest key that is a
/// prefix of it; a group that was split keeps, under its own key, the term equal to it.
pub(crate) fn shard<'i>(sizes: &[(&'i str, usize)], limit: usize) -> Vec<(String, Vec<&'i str>)> {
    let mut out = Vec::new();
    split(sizes, 2, limit, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn prefix(term: &str, chars: usize) -> &str {
    match term.char_indices().nth(chars) {
        Some((i, _)) => &term[..i],
        None => term,
    }
}

fn split<'i>(
    terms: &[(&'i str, usize)],
    chars: usize,
    limit: usize,
    out: &mut Vec<(String, Vec<&'i str>)>,
) {
    // Terms are sorted, so each prefix group is contiguous.
    let mut start = 0;
    while start < terms.len() {
        let key = prefix(terms[start].0, chars);
        let end = start
            + terms[start..]
                .iter()
                .take_while(|(t, _)| prefix(t, chars) == key)
                .count();
        let group = &terms[start..end];
        let size: usize = group.iter().map(|(_, s)| s).sum();
        let splittable = group.iter().any(|(t, _)| t.chars().count() > chars);
        if size > limit && chars < 5 && group.len() > 1 && splittable {
            let (own, longer): (Vec<_>, Vec<_>) =
                group.iter().partition(|(t, _)| t.chars().count() <= chars);
            if !own.is_empty() {
                out.push((key.to_string(), own.iter().map(|(t, _)| *t).collect()));
            }
            split(&longer, chars + 1, limit, out);
        } else {
            out.push((key.to_string(), group.iter().map(|(t, _)| *t).collect()));
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::documents::collect;
    use crate::search::tests::fixture;

    #[test]
    fn postings_list_every_tier_a_term_occurs_in() {
        let fw = fixture("basic");
        let corpus = collect(&fw);
        let index = build(&corpus.docs);
        let mentor = &index["mentor"];
        let title_docs: Vec<&str> = mentor.docs[0]
            .iter()
            .map(|&i| corpus.docs[i as usize].title.as_str())
            .collect();
        assert_eq!(title_docs, ["Mentoring"]);
        assert!(mentor.words.contains_key("mentoring") && mentor.words.contains_key("mentors"));
        // "Mentors senior engineers." is a behaviour's text
        assert!(
            mentor.docs[1]
                .iter()
                .any(|&i| corpus.docs[i as usize].text == "Mentors senior engineers.")
        );
        assert!(!index.contains_key("the"), "stop words are not indexed");
        for p in index.values() {
            for l in &p.docs {
                assert!(l.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
            }
        }
    }

    #[test]
    fn a_parallel_build_equals_a_sequential_one() {
        let fw = fixture("basic");
        let mut docs = collect(&fw).docs;
        while docs.len() < 5000 {
            let more = docs.clone();
            docs.extend(more);
        }
        let parallel = build(&docs);
        let whole: Index = index_part(&docs, 0)
            .into_iter()
            .map(|(term, p)| {
                let words = p.words.into_iter().collect();
                (
                    term,
                    Postings {
                        words,
                        docs: p.docs,
                    },
                )
            })
            .collect();
        assert_eq!(parallel, whole);
    }

    #[test]
    fn posting_lists_round_trip_as_gaps_or_bitmaps() {
        let sparse = vec![3, 40, 41, 900];
        let v = encode_list(&sparse, 1000);
        assert!(v.is_array(), "{v}");
        assert_eq!(decode_list(&v), sparse);
        let dense: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let v = encode_list(&dense, 1000);
        assert!(v.is_string(), "{v}");
        assert_eq!(decode_list(&v), dense);
    }

    #[test]
    fn terms_encode_their_other_words_and_drop_trailing_empty_tiers() {
        let p = Postings {
            words: [("mentor".to_string(), 1), ("mentoring".to_string(), 2)].into(),
            docs: [vec![], vec![4, 6], vec![]],
        };
        assert_eq!(
            encode_term("mentor", &p, 10),
            serde_json::json!([["mentoring"], 0, [4, 2]])
        );
    }

    #[test]
    fn big_prefix_groups_split_into_longer_prefixes() {
        let sizes = [
            ("de", 10),
            ("debug", 60),
            ("deliv", 60),
            ("design", 30),
            ("desk", 30),
            ("mentor", 5),
        ];
        let shards = shard(&sizes, 100);
        let keys: Vec<(&str, Vec<&str>)> = shards
            .iter()
            .map(|(k, t)| (k.as_str(), t.clone()))
            .collect();
        assert_eq!(
            keys,
            [
                ("de", vec!["de"]),
                ("deb", vec!["debug"]),
                ("del", vec!["deliv"]),
                ("des", vec!["design", "desk"]),
                ("me", vec!["mentor"]),
            ]
        );
    }
}
