//! Words from text, the same way on both sides: this module at build time and
//! `themes/default/static/search.js` in the browser. A word is a run of letters and digits
//! (`[\p{Alphabetic}\p{N}]+` in the client), lowercased; words of one character and a short
//! list of English stop words are not indexed; the rest are reduced to their Snowball
//! English (Porter2) stem, so "mentor", "mentors" and "mentoring" share the term `mentor`.
//!
//! The client carries a port of the same stemmer. `tests/fixtures/search/stems.txt` is the
//! golden list both implementations are tested against, so they cannot drift apart.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// Words too common to be worth a posting list. Kept short on purpose: "lead", "own" or
/// "team" are meaningful in a career framework. The client has the same list.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "their", "this", "to", "was", "with",
];

/// One word of a text: where it is and its lowercased form (borrowed from the text when
/// it is lowercase already, as most words are).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'t> {
    /// Byte offset in the text.
    pub start: usize,
    pub raw: &'t str,
    pub lower: Cow<'t, str>,
}

fn lowercase(raw: &str) -> Cow<'_, str> {
    if raw
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(raw.to_lowercase())
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// Whether the character at byte `i` of `text` belongs to a word, and its length: ASCII
/// decided by its byte (the common case), anything else as a char.
fn class_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (b.is_ascii_alphanumeric(), 1)
    } else {
        let c = text[i..].chars().next().unwrap_or_default();
        (is_word_char(c), c.len_utf8())
    }
}

/// Every word of `text`, stop words and one-letter words included.
pub(crate) fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    let mut i = 0;
    // Most texts are ASCII: then every character is one byte, told apart by the byte,
    // and a word is lowercased by its bytes, seen as it is scanned.
    let ascii = text.is_ascii();
    let bytes = text.as_bytes();
    std::iter::from_fn(move || {
        if ascii {
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i == bytes.len() {
                return None;
            }
            let (start, mut upper) = (i, false);
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                upper |= bytes[i].is_ascii_uppercase();
                i += 1;
            }
            let raw = &text[start..i];
            let lower = match upper {
                true => Cow::Owned(raw.to_ascii_lowercase()),
                false => Cow::Borrowed(raw),
            };
            return Some(Word { start, raw, lower });
        }
        loop {
            if i >= text.len() {
                return None;
            }
            let (word, len) = class_at(text, i);
            if word {
                break;
            }
            i += len;
        }
        let start = i;
        while i < text.len() {
            let (word, len) = class_at(text, i);
            if !word {
                break;
            }
            i += len;
        }
        let raw = &text[start..i];
        Some(Word {
            start,
            raw,
            lower: lowercase(raw),
        })
    })
}

/// Whether a lowercased word is one of [`STOP_WORDS`]. They are all short, so a long word
/// is answered by its length alone.
pub(crate) fn is_stop_word(lower: &str) -> bool {
    lower.len() <= 5 && STOP_WORDS.contains(&lower)
}

/// Whether a lowercased word is indexed at all.
pub(crate) fn is_indexed(lower: &str) -> bool {
    lower.chars().nth(1).is_some() && !is_stop_word(lower)
}

/// Stems words, remembering the answers: a framework repeats a few thousand words
/// millions of times.
pub(crate) struct Analyzer {
    stemmer: Stemmer,
    /// Lowercased word → its entry in `stems` (one hash lookup per word seen before):
    /// words of up to 15 bytes (nearly all) by [`packed`], longer ones by their text.
    short: FxHashMap<u128, u32>,
    long: FxHashMap<Box<str>, u32>,
    stems: Vec<Stem>,
}

/// A word of up to 15 bytes as one integer, compared in a register rather than as a
/// string: its bytes, then its length in the last byte (so no two words share one,
/// whatever bytes they hold).
pub(crate) fn packed(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    let n = b.len();
    // Read as two fixed-size loads that overlap in the middle (the overlapping bytes are
    // the same bytes, so OR-ing them is harmless), not copied into a buffer of the
    // word's length: this runs once per word of every text, and the buffer's
    // variable-length copy and the wide read of it straight after stalled the processor.
    let bytes = match n {
        0 => 0,
        1..=3 => {
            b[0] as u128 | (b[n / 2] as u128) << (8 * (n / 2)) | (b[n - 1] as u128) << (8 * (n - 1))
        }
        4..=7 => {
            let first = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u128;
            let last = u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]) as u128;
            first | last << (8 * (n - 4))
        }
        8..=15 => {
            let first = u64::from_le_bytes(b[..8].try_into().ok()?) as u128;
            let last = u64::from_le_bytes(b[n - 8..].try_into().ok()?) as u128;
            first | last << (8 * (n - 8))
        }
        _ => return None,
    };
    Some(bytes | (n as u128) << 120)
}

/// A word's stem and the stem's fingerprint.
struct Stem {
    text: Box<str>,
    hash: u64,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            stems: Vec::new(),
        }
    }
}

impl Analyzer {
    fn entry(&mut self, lower: &str) -> &Stem {
        let i = self.word_id(lower);
        &self.stems[i as usize]
    }

    /// The word's number in this analyzer: one per distinct lowercased word, counted
    /// from 0 in the order they were first seen (the index of its entry in `stems`).
    fn word_id(&mut self, lower: &str) -> u32 {
        let key = packed(lower);
        let known = match key {
            Some(k) => self.short.get(&k),
            None => self.long.get(lower),
        };
        if let Some(&i) = known {
            return i;
        }
        let text: Box<str> = self.stemmer.stem(lower).into();
        let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
        let i = self.stems.len() as u32;
        match key {
            Some(k) => self.short.insert(k, i),
            None => self.long.insert(lower.into(), i),
        };
        self.stems.push(Stem { text, hash });
        i
    }

    /// The stem of a lowercased word.
    pub(crate) fn stem(&mut self, lower: &str) -> &str {
        &self.entry(lower).text
    }

    /// The XXH3 fingerprint of the stem of a lowercased word.
    pub(crate) fn stem_hash(&mut self, lower: &str) -> u64 {
        self.entry(lower).hash
    }

    /// The indexed terms of a text as `(stem, lowercased word)` pairs, in order.
    pub(crate) fn terms(&mut self, text: &str, mut f: impl FnMut(&str, &str)) {
        for w in words(text) {
            if is_indexed(&w.lower) {
                f(self.stem(&w.lower), &w.lower);
            }
        }
    }

    /// [`Self::terms`] with each word's number ([`Self::word_id`]) first, for callers
    /// that keep something per word: the same word always has the same number, so they
    /// can look it up in a table rather than hash its text and its stem's again.
    pub(crate) fn numbered_terms(&mut self, text: &str, mut f: impl FnMut(u32, &str, &str)) {
        for w in words(text) {
            if is_indexed(&w.lower) {
                let id = self.word_id(&w.lower);
                f(id, &self.stems[id as usize].text, &w.lower);
            }
        }
    }
}

/// The text of rungs' own rendered HTML (narratives, guidance, pages): tags dropped, block
/// ends turned into line breaks, the entities pulldown-cmark and ammonia emit decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        if matches!(
            name,
            "p" | "li"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "br"
                | "tr"
                | "td"
                | "th"
                | "div"
                | "blockquote"
                | "pre"
                | "dt"
                | "dd"
        ) && !out.ends_with(['\n', ' '])
            && !out.is_empty()
        {
            out.push(if name == "td" || name == "th" {
                ' '
            } else {
                '\n'
            });
        }
        rest = &rest[lt + gt + 1..];
    }
    push_decoded(&mut out, rest);
    let lines: Vec<&str> = out
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &after[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowers(text: &str) -> Vec<String> {
        words(text).map(|w| w.lower.into_owned()).collect()
    }

    #[test]
    fn ascii_texts_split_as_the_char_rules_split_them() {
        // A text with one non-ASCII word goes the char way; without it, the byte way.
        for text in [
            "Leads cross-team incident reviews (P1, P2).",
            "  MIXED case, Digits 42x and_under_scores; ETE-free  ",
            "",
            "...",
            "a",
            "ABC\tdef\nGhi",
        ] {
            let with_accent = format!("{text} é");
            let char_way: Vec<Word> = words(&with_accent).filter(|w| w.raw != "é").collect();
            assert_eq!(words(text).collect::<Vec<_>>(), char_way, "{text:?}");
        }
    }

    #[test]
    fn packed_is_the_words_bytes_then_its_length() {
        // The plain layout, written the obvious way: bytes in order, length in the top byte.
        fn plain(word: &str) -> Option<u128> {
            let b = word.as_bytes();
            (b.len() <= 15).then(|| {
                let mut buf = [0u8; 16];
                buf[..b.len()].copy_from_slice(b);
                buf[15] = b.len() as u8;
                u128::from_le_bytes(buf)
            })
        }
        let alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-é—";
        let chars: Vec<char> = alphabet.chars().collect();
        let mut seed = 7u64;
        for len in 0..=20 {
            for _ in 0..200 {
                let word: String = (0..len)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        chars[(seed >> 33) as usize % chars.len()]
                    })
                    .collect();
                assert_eq!(packed(&word), plain(&word), "{word:?}");
            }
        }
        // Every length from 0 to 15 bytes, each byte distinct, so a byte read into the
        // wrong place shows.
        let all = "0123456789abcdefg";
        for n in 0..=all.len() {
            assert_eq!(packed(&all[..n]), plain(&all[..n]), "{n} bytes");
        }
    }

    #[test]
    fn words_split_on_punctuation_and_keep_letters_and_digits() {
        assert_eq!(
            lowers("Leads cross-team incident reviews (P1, P2)."),
            ["leads", "cross", "team", "incident", "reviews", "p1", "p2"]
        );
        assert_eq!(
            lowers("team's café Ünïcode 42"),
            ["team", "s", "café", "ünïcode", "42"]
        );
        assert_eq!(lowers("  ... "), Vec::<String>::new());
    }

    #[test]
    fn words_agree_with_the_char_rule_on_mixed_text() {
        let text = "Ünïcode²-x ½ 中文 ٣٤ e\u{301}t\u{a0}z 🙂ok";
        let by_chars: Vec<&str> = text
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .collect();
        let got: Vec<&str> = words(text).map(|w| w.raw).collect();
        assert_eq!(got, by_chars);
    }

    #[test]
    fn words_report_their_offsets() {
        let w: Vec<_> = words("a, bé c").map(|w| (w.start, w.raw)).collect();
        assert_eq!(w, [(0, "a"), (3, "bé"), (7, "c")]);
    }

    #[test]
    fn stop_words_are_short_enough_for_the_length_test() {
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 5));
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        assert!(!is_stop_word("their2") && !is_stop_word("lead"));
    }

    #[test]
    fn lowercase_words_are_borrowed_and_others_lowered() {
        let w: Vec<_> = words("lead Team ÉTÉ p2").map(|w| w.lower).collect();
        assert!(matches!(w[0], Cow::Borrowed("lead")));
        assert_eq!(w[1], "team");
        assert_eq!(w[2], "été");
        assert!(matches!(w[3], Cow::Borrowed("p2")));
    }

    #[test]
    fn one_letter_words_and_stop_words_are_not_indexed() {
        assert!(!is_indexed("a"));
        assert!(!is_indexed("the"));
        assert!(!is_indexed("s"));
        assert!(is_indexed("p1"));
        assert!(is_indexed("lead"));
    }

    #[test]
    fn stemming_joins_the_forms_of_a_word() {
        let mut a = Analyzer::default();
        for w in ["mentor", "mentors", "mentoring", "mentored"] {
            assert_eq!(a.stem(w), "mentor", "{w}");
        }
        let incident = a.stem("incident").to_string();
        assert_eq!(a.stem("incidents"), incident);
        assert_eq!(a.stem("stakeholders"), "stakehold");
        assert_eq!(a.stem("debugging"), "debug");
    }

    #[test]
    fn terms_skip_stop_words_and_pair_stems_with_words() {
        let mut a = Analyzer::default();
        let mut got = Vec::new();
        a.terms("Mentors the new engineers", |s, w| {
            got.push((s.to_string(), w.to_string()))
        });
        assert_eq!(
            got,
            [
                ("mentor".into(), "mentors".into()),
                ("new".into(), "new".into()),
                ("engin".into(), "engineers".into())
            ]
        );
    }

    /// The golden list the client's stemmer is tested against too
    /// (tests/browser/search-engine.test.mjs).
    #[test]
    fn stems_match_the_golden_list_shared_with_the_client() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/search/stems.txt"
        );
        let golden = std::fs::read_to_string(path).expect("golden list");
        let mut a = Analyzer::default();
        let mut n = 0;
        for line in golden.lines().filter(|l| !l.is_empty()) {
            let (word, stem) = line.split_once(' ').expect("word stem");
            assert_eq!(a.stem(word), stem, "{word}");
            n += 1;
        }
        assert!(n > 500, "{n} words");
    }

    /// Rewrites `stems.txt` from `words.txt` (run with `--ignored` after changing either).
    #[test]
    #[ignore]
    fn regenerate_the_golden_stem_list() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search/");
        let words = std::fs::read_to_string(format!("{dir}words.txt")).expect("words");
        let mut a = Analyzer::default();
        let out: String = words
            .lines()
            .filter(|l| !l.is_empty())
            .map(|w| format!("{w} {}\n", a.stem(w)))
            .collect();
        std::fs::write(format!("{dir}stems.txt"), out).expect("write");
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text(
                "<h2 id=\"x\">Why &amp; how</h2>\n<p>Use <code>a&lt;b</code>&#39;s &#x41;.</p><ul><li>one</li><li>two</li></ul>"
            ),
            "Why & how\nUse a<b's A.\none\ntwo"
        );
        assert_eq!(html_to_text("AT&T &bogus; <b>x"), "AT&T &bogus; x");
    }
}
