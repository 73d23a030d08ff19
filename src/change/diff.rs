//! The word-level diff of two texts, for showing a rewording: `similar`'s patience and
//! Myers diffs (a well-kept crate, rather than a hand-written LCS) over the texts' words.

use rustc_hash::FxHashMap;
use serde::Serialize;
use std::ops::Range;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::Span;
use crate::search::tokenize::packed;

/// How a run of words relates to the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Mark {
    Same,
    Removed,
    Added,
}

impl Mark {
    /// The mark seen from the other side (a comparison read the other way round).
    pub(crate) fn reversed(self) -> Mark {
        match self {
            Mark::Same => Mark::Same,
            Mark::Removed => Mark::Added,
            Mark::Added => Mark::Removed,
        }
    }
}

/// A run of text with one mark, borrowed from the text it is a run of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Segment<'t> {
    pub mark: Mark,
    pub text: &'t str,
}

/// The word-level diff of two texts as marked byte ranges of each: the old text with
/// removed words marked, and the new text with added words marked. Words are runs of
/// non-whitespace; the diff runs over them alone, as small integers (whitespace tokens
/// would double its length), with the patience algorithm: words both texts use once
/// anchor it and Myers fills the gaps, which keeps dissimilar texts (where Myers alone
/// costs the square of their length) cheap. Whitespace between two changed words joins the change, so "the
/// team's goals" → "the department's plans" marks one run, not two.
pub(crate) fn word_diff_spans(old: &str, new: &str) -> (Vec<Span>, Vec<Span>) {
    let (old_words, new_words) = (words(old), words(new));
    let mut ids = Interner::with_capacity(old_words.len() + new_words.len());
    let a = ids.intern(old, &old_words);
    let b = ids.intern(new, &new_words);
    // The words in common, counted with repeats, bound how many the diff can keep: too
    // few, and the texts are a rewrite without running it.
    let mut count = vec![0i32; ids.len()];
    for &w in &a {
        count[w as usize] += 1;
    }
    let common = b
        .iter()
        .filter(|&&w| {
            count[w as usize] -= 1;
            count[w as usize] >= 0
        })
        .count();
    // The longest common subsequence bounds what the diff below keeps, too: under a
    // third of the longer text and the texts are a rewrite, found in a few word
    // operations per word rather than by the diff (whose gap filling costs the square
    // of the texts' length when they share many words in no common order).
    if common * REWRITE < a.len().max(b.len())
        || lcs_len(&a, &b, ids.len()) * REWRITE < a.len().max(b.len())
    {
        return (
            whole(old, &old_words, Mark::Removed),
            whole(new, &new_words, Mark::Added),
        );
    }
    let ops = capture_diff_slices(Algorithm::Patience, &a, &b);
    let changed = |k: usize| ops.get(k).is_some_and(|op| op.tag() != DiffTag::Equal);
    let (mut old_marks, mut new_marks) = (vec![Mark::Same; a.len()], vec![Mark::Same; b.len()]);
    let mut same = 0;
    for (k, op) in ops.iter().enumerate() {
        // A word or two in common between two changes joins them: "within the team" →
        // "across the whole department" reads as one change, not three.
        let incidental = op.tag() == DiffTag::Equal
            && op.old_range().len() <= INCIDENTAL
            && k > 0
            && changed(k - 1)
            && changed(k + 1);
        if op.tag() == DiffTag::Equal && !incidental {
            same += op.old_range().len();
        } else {
            old_marks[op.old_range()].fill(Mark::Removed);
            new_marks[op.new_range()].fill(Mark::Added);
        }
    }
    // Texts that share only a few scattered words are a rewrite: marked whole.
    if same * REWRITE < a.len().max(b.len()) {
        old_marks.fill(Mark::Removed);
        new_marks.fill(Mark::Added);
    }
    (
        merge(tokens(old, &old_words, &old_marks)),
        merge(tokens(new, &new_words, &new_marks)),
    )
}

/// The length of the longest common subsequence of `a` and `b` (symbols below
/// `symbols`), with the bit-parallel algorithm of Allison and Dix as refined by Hyyrö
/// ("Bit-parallel LCS-length computation revisited", 2004): one bit per word of `a`, one
/// pass of word-sized additions per word of `b`, so O(len(b) * len(a) / 64).
fn lcs_len(a: &[u32], b: &[u32], symbols: usize) -> usize {
    let blocks = a.len().div_ceil(64);
    if blocks == 0 || b.is_empty() {
        return 0;
    }
    // Where each symbol occurs in `a`, as bits.
    let mut matches = vec![0u64; symbols * blocks];
    for (i, &w) in a.iter().enumerate() {
        matches[w as usize * blocks + i / 64] |= 1 << (i % 64);
    }
    let mut v = vec![!0u64; blocks];
    for &w in b {
        let m = &matches[w as usize * blocks..][..blocks];
        let mut carry = false;
        for (vk, &mk) in v.iter_mut().zip(m) {
            let u = *vk & mk;
            let (sum, c1) = vk.overflowing_add(u);
            let (sum, c2) = sum.overflowing_add(carry as u64);
            carry = c1 || c2;
            *vk = sum | (*vk & !mk);
        }
    }
    // Each zero bit among the first len(a) is a word of `a` in the subsequence.
    let tail = a.len() % 64;
    v.iter()
        .enumerate()
        .map(|(k, &vk)| {
            let bits = if k + 1 == blocks && tail != 0 {
                !vk & ((1u64 << tail) - 1)
            } else {
                !vk
            };
            bits.count_ones() as usize
        })
        .sum()
}

/// The most words in common between two changes that still join them into one.
const INCIDENTAL: usize = 2;

/// Below one word in this many in common (of the longer text), two texts are a rewrite.
const REWRITE: usize = 3;

/// Each word as a small integer, the same for the same word on either side. A word of
/// up to 15 bytes (most words) is looked up by its bytes and length packed into one
/// integer, compared in a register; longer words by their text.
struct Interner<'t> {
    short: FxHashMap<u128, u32>,
    long: FxHashMap<&'t str, u32>,
}

impl<'t> Interner<'t> {
    fn with_capacity(n: usize) -> Self {
        Interner {
            short: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            long: FxHashMap::default(),
        }
    }

    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    fn intern(&mut self, text: &'t str, words: &[Range<u32>]) -> Vec<u32> {
        words
            .iter()
            .map(|r| {
                let next = self.len() as u32;
                let key = word_key(&text[r.start as usize..r.end as usize]);
                match packed(key) {
                    Some(p) => *self.short.entry(p).or_insert(next),
                    None => *self.long.entry(key).or_insert(next),
                }
            })
            .collect()
    }
}

/// What a word is compared by: itself without the punctuation around it, so "risk,"
/// and "risk" are the same word and only the words that changed are marked (the comma
/// shows, unmarked, with its word). Punctuation alone (a dash) is itself. `change.js`
/// compares words the same way.
fn word_key(word: &str) -> &str {
    let b = word.as_bytes();
    if b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
    {
        // Most words: nothing to trim, whatever lies between their ends.
        return word;
    }
    let core = if word.is_ascii() {
        // Punctuation at an end of an ASCII word: trimmed by its bytes, the same answer
        // without decoding chars.
        let start = b.iter().position(u8::is_ascii_alphanumeric);
        let end = b.iter().rposition(u8::is_ascii_alphanumeric);
        match (start, end) {
            (Some(s), Some(e)) => &word[s..=e],
            _ => "",
        }
    } else {
        word.trim_matches(|c: char| !c.is_alphanumeric())
    };
    if core.is_empty() { word } else { core }
}

/// The byte ranges of the words (runs of non-whitespace) of `text`.
fn words(text: &str) -> Vec<Range<u32>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 6);
    if text.is_ascii() {
        // Most texts: split by their bytes alone (ASCII whitespace is the space and
        // \t, \n, \x0b, \x0c, \r), a run of spaces then a run of the rest at a time.
        let space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
        let mut i = 0;
        loop {
            while i < bytes.len() && space(bytes[i]) {
                i += 1;
            }
            if i == bytes.len() {
                return out;
            }
            let start = i;
            while i < bytes.len() && !space(bytes[i]) {
                i += 1;
            }
            out.push(start as u32..i as u32);
        }
    }
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII decided by its byte (the common case), anything else as a char.
        let (space, len) = match bytes[i] {
            b if b.is_ascii() => (matches!(b, b' ' | b'\t'..=b'\r'), 1),
            _ => {
                let c = text[i..].chars().next().unwrap_or_default();
                (c.is_whitespace(), c.len_utf8())
            }
        };
        match (space, start) {
            (true, Some(s)) => {
                out.push(s as u32..i as u32);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        out.push(s as u32..text.len() as u32);
    }
    out
}

/// Every word of `text` marked `mark` (a changed mark, not [`Mark::Same`]): what
/// [`merge`] makes of them, without the tokens: the whitespace between two marked words
/// joins them, so it is one run from the first word to the last, with any whitespace
/// before and after left unmarked. Most comparisons of frameworks written afresh at every
/// level end here.
fn whole(text: &str, words: &[Range<u32>], mark: Mark) -> Vec<Span> {
    let len = text.len() as u32;
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return (len > 0)
            .then_some(Span {
                mark: Mark::Same,
                range: 0..len,
            })
            .into_iter()
            .collect();
    };
    let mut out = Vec::with_capacity(3);
    if first.start > 0 {
        out.push(Span {
            mark: Mark::Same,
            range: 0..first.start,
        });
    }
    out.push(Span {
        mark,
        range: first.start..last.end,
    });
    if last.end < len {
        out.push(Span {
            mark: Mark::Same,
            range: last.end..len,
        });
    }
    out
}

/// The text as tokens end to end: each word with its mark, and the whitespace around
/// them as blank "same" runs.
fn tokens(text: &str, words: &[Range<u32>], marks: &[Mark]) -> Vec<(Mark, bool, Range<u32>)> {
    let mut out = Vec::with_capacity(words.len() * 2 + 1);
    let mut at = 0u32;
    for (r, &mark) in words.iter().zip(marks) {
        if r.start > at {
            out.push((Mark::Same, true, at..r.start));
        }
        out.push((mark, false, r.clone()));
        at = r.end;
    }
    if (at as usize) < text.len() {
        out.push((Mark::Same, true, at..text.len() as u32));
    }
    out
}

/// The word-level diff of two texts as segments (see [`word_diff_spans`]).
pub(crate) fn word_diff<'t>(old: &'t str, new: &'t str) -> (Vec<Segment<'t>>, Vec<Segment<'t>>) {
    let (l, r) = word_diff_spans(old, new);
    (super::segments(old, &l), super::segments(new, &r))
}

/// Joins runs: whitespace-only "same" runs between two changes become part of the
/// change, then neighbouring runs with the same mark are joined (tokens are contiguous).
fn merge(tokens: Vec<(Mark, bool, Range<u32>)>) -> Vec<Span> {
    let mut marks: Vec<Mark> = tokens.iter().map(|t| t.0).collect();
    for i in 1..tokens.len().saturating_sub(1) {
        if marks[i] == Mark::Same && tokens[i].1 {
            let (before, after) = (marks[i - 1], marks[i + 1]);
            if before != Mark::Same && before == after {
                marks[i] = before;
            }
        }
    }
    let mut out: Vec<Span> = Vec::new();
    for ((_, _, range), mark) in tokens.into_iter().zip(marks) {
        match out.last_mut() {
            Some(last) if last.mark == mark && last.range.end == range.start => {
                last.range.end = range.end
            }
            _ => out.push(Span { mark, range }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked<'a>(segs: &[Segment<'a>], mark: Mark) -> Vec<&'a str> {
        segs.iter()
            .filter(|s| s.mark == mark)
            .map(|s| s.text)
            .collect()
    }

    /// The words of `text` as its slices.
    fn word_texts(text: &str) -> Vec<&str> {
        words(text)
            .iter()
            .map(|r| &text[r.start as usize..r.end as usize])
            .collect()
    }

    #[test]
    fn a_text_marked_whole_is_what_merging_its_tokens_makes() {
        for text in [
            "",
            "  ",
            "one",
            " one two ",
            "one\ttwo  three",
            "\n a b\n",
            "é 🙂 x",
        ] {
            let w = words(text);
            for mark in [Mark::Removed, Mark::Added] {
                let tokens = tokens(text, &w, &vec![mark; w.len()]);
                assert_eq!(whole(text, &w, mark), merge(tokens), "{text:?}");
            }
        }
    }

    #[test]
    fn words_split_on_every_kind_of_whitespace() {
        let text = "a\u{b}b\u{a0}c\u{3000}dé\tf  🙂g\r\n";
        let got = word_texts(text);
        assert_eq!(got, text.split_whitespace().collect::<Vec<_>>());
        assert_eq!(got, ["a", "b", "c", "dé", "f", "🙂g"]);
    }

    #[test]
    fn words_and_keys_are_the_chars_answers() {
        let text = "a\u{b}b\u{c}c\td  e\r\n(f), -- \"g\" x1\u{1f}y";
        let got = word_texts(text);
        assert_eq!(got, text.split_whitespace().collect::<Vec<_>>());
        // Keys of words that are not ASCII between ASCII ends, or at an end, too.
        let mixed = ["aé—b", "—a", "a—", "«a»", "é", "1½", "x,", "“x”"];
        let got = got.into_iter().chain(mixed);
        for w in got {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            assert_eq!(word_key(w), if core.is_empty() { w } else { core }, "{w:?}");
        }
    }

    #[test]
    fn words_are_the_same_integer_exactly_when_their_keys_are_equal() {
        // Short and long words, words that differ only past a padding byte or in length.
        let text =
            "ab ab\u{0} abcdefghijklmno abcdefghijklmnop abcdefghijklmnop abcdefghijklmno, ab é é";
        let ws = words(text);
        let mut ids = Interner::with_capacity(ws.len());
        let got = ids.intern(text, &ws);
        let keys: Vec<&str> = ws
            .iter()
            .map(|r| word_key(&text[r.start as usize..r.end as usize]))
            .collect();
        for i in 0..ws.len() {
            for j in 0..ws.len() {
                assert_eq!(
                    got[i] == got[j],
                    keys[i] == keys[j],
                    "{:?} {:?}",
                    keys[i],
                    keys[j]
                );
            }
        }
        assert_eq!(ids.len(), 4);
    }

    #[test]
    fn a_changed_word_is_highlighted_on_both_sides() {
        let (old, new) = word_diff("influences their team", "influences their department");
        assert_eq!(marked(&new, Mark::Added), ["department"]);
        assert_eq!(marked(&old, Mark::Removed), ["team"]);
        assert_eq!(
            new.iter().map(|s| s.text).collect::<String>(),
            "influences their department"
        );
    }

    #[test]
    fn punctuation_around_a_word_does_not_make_it_another() {
        // Dropbox: "… impact and risk, and share that rationale …" grew into "… impact
        // and risk in the short and long-term"; "risk," stays.
        let (old, new) = word_diff(
            "adjust my approach based on the impact and risk, and share that rationale with stakeholders",
            "adjust my approach based on the impact and risk in the short and long-term",
        );
        assert_eq!(marked(&new, Mark::Added), ["in the short and long-term"]);
        assert_eq!(
            marked(&old, Mark::Removed),
            ["and share that rationale with stakeholders"]
        );
        // A dash alone is a word of its own.
        let (old, _) = word_diff("plans - and ships", "plans and ships");
        assert_eq!(marked(&old, Mark::Removed), ["-"]);
    }

    #[test]
    fn consecutive_changed_words_form_one_run() {
        let (old, new) = word_diff(
            "Shares knowledge within the team regularly",
            "Shares knowledge across the whole department regularly",
        );
        assert_eq!(marked(&new, Mark::Added), ["across the whole department"]);
        assert_eq!(marked(&old, Mark::Removed), ["within the team"]);
    }

    #[test]
    fn a_long_run_in_common_stays_unmarked_between_changes() {
        let (old, new) = word_diff(
            "Shares knowledge with people in their own team regularly",
            "Shares knowledge with people in the wider department regularly",
        );
        assert_eq!(marked(&new, Mark::Added), ["the wider department"]);
        assert_eq!(marked(&old, Mark::Removed), ["their own team"]);
    }

    #[test]
    fn lcs_length_matches_the_quadratic_definition() {
        fn slow(a: &[u32], b: &[u32]) -> usize {
            let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for i in 0..a.len() {
                for j in 0..b.len() {
                    t[i + 1][j + 1] = if a[i] == b[j] {
                        t[i][j] + 1
                    } else {
                        t[i][j + 1].max(t[i + 1][j])
                    };
                }
            }
            t[a.len()][b.len()]
        }
        // Lengths around the 64-bit block edges, small and large alphabets.
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as u32
        };
        for (la, lb, k) in [
            (0, 5, 3),
            (1, 1, 1),
            (63, 64, 4),
            (64, 65, 30),
            (65, 130, 8),
            (200, 150, 100),
            (129, 3, 2),
        ] {
            let a: Vec<u32> = (0..la).map(|_| next(k)).collect();
            let b: Vec<u32> = (0..lb).map(|_| next(k)).collect();
            assert_eq!(
                lcs_len(&a, &b, k as usize),
                slow(&a, &b),
                "{la}x{lb} over {k}"
            );
        }
    }

    #[test]
    fn texts_with_a_few_scattered_words_in_common_are_a_rewrite() {
        let (old, new) = word_diff(
            "Writes clear code and tests it with care before the release",
            "Leads the design of systems that span several teams",
        );
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].mark, Mark::Added);
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].mark, Mark::Removed);
    }
}
