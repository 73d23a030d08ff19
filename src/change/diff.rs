//! The word-level diff of two texts, for showing a rewording: `similar`'s Myers diff
//! over word tokens, a well-kept crate that already tokenises text into words and
//! whitespace, rather than a hand-written LCS.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

use super::Span;

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

/// A run of text with one mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Segment {
    pub mark: Mark,
    pub text: String,
}

/// The word-level diff of two texts as marked byte ranges of each: the old text with
/// removed words marked, and the new text with added words marked. Whitespace between
/// two changed words joins the change, so "the team's goals" → "the department's plans"
/// marks one run, not two.
pub(crate) fn word_diff_spans(old: &str, new: &str) -> (Vec<Span>, Vec<Span>) {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_words(old, new);
    // The tokens cover each text end to end, in order, so a running offset per side
    // places each one (an equal token's value is the old side's copy).
    let (mut o, mut n) = (0u32, 0u32);
    let mut left = Vec::new();
    let mut right = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        let len = text.len() as u32;
        match change.tag() {
            ChangeTag::Equal => {
                let blank = text.trim().is_empty();
                left.push((Mark::Same, blank, o..o + len));
                right.push((Mark::Same, blank, n..n + len));
                o += len;
                n += len;
            }
            ChangeTag::Delete => {
                left.push((Mark::Removed, false, o..o + len));
                o += len;
            }
            ChangeTag::Insert => {
                right.push((Mark::Added, false, n..n + len));
                n += len;
            }
        }
    }
    debug_assert!(o as usize == old.len() && n as usize == new.len());
    (merge(left), merge(right))
}

/// The word-level diff of two texts as segments (see [`word_diff_spans`]).
#[cfg(test)]
pub(crate) fn word_diff(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>) {
    let (l, r) = word_diff_spans(old, new);
    let seg = |text: &str, spans: Vec<Span>| {
        spans
            .into_iter()
            .map(|s| Segment {
                mark: s.mark,
                text: text[s.range.start as usize..s.range.end as usize].to_string(),
            })
            .collect::<Vec<_>>()
    };
    (seg(old, l), seg(new, r))
}

/// Joins runs: whitespace-only "same" runs between two changes become part of the
/// change, then neighbouring runs with the same mark are joined (tokens are contiguous).
fn merge(tokens: Vec<(Mark, bool, std::ops::Range<u32>)>) -> Vec<Span> {
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

    fn marked(segs: &[Segment], mark: Mark) -> Vec<&str> {
        segs.iter()
            .filter(|s| s.mark == mark)
            .map(|s| s.text.as_str())
            .collect()
    }

    #[test]
    fn a_changed_word_is_highlighted_on_both_sides() {
        let (old, new) = word_diff("influences their team", "influences their department");
        assert_eq!(marked(&new, Mark::Added), ["department"]);
        assert_eq!(marked(&old, Mark::Removed), ["team"]);
        assert_eq!(
            new.iter().map(|s| s.text.as_str()).collect::<String>(),
            "influences their department"
        );
    }

    #[test]
    fn consecutive_changed_words_form_one_run() {
        let (old, new) = word_diff(
            "Shares knowledge within the team regularly",
            "Shares knowledge across the whole department regularly",
        );
        assert_eq!(marked(&new, Mark::Added), ["across", "whole department"]);
        assert_eq!(marked(&old, Mark::Removed), ["within", "team"]);
    }
}
