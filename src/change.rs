//! What changes between two lists of behaviours: which behaviours are the same, which
//! were reworded (with the changed words marked), which are new and which are no longer
//! listed. Pure functions over plain text; [`crate::plan::compare`] turns them into pages.
//!
//! The word diff is `similar`'s Myers diff over word tokens: a well-kept crate
//! that already tokenises text into words and whitespace, rather than a hand-written LCS.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

/// Two behaviours whose words are at least this similar are shown as one reworded
/// behaviour; below it they are a dropped one and a new one. Tuned on real frameworks:
/// "influences their team" / "influences their department" pair up, two different
/// behaviours that share a verb ("Builds trust …" / "Builds lasting …") do not.
pub(crate) const REWORD_THRESHOLD: f32 = 0.5;

/// How a run of words relates to the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Mark {
    Same,
    Removed,
    Added,
}

/// A run of text with one mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Segment {
    pub mark: Mark,
    pub text: String,
}

/// How one behaviour of the comparison relates across the two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum RowKind {
    /// The same text on both sides.
    Same,
    /// Similar texts: reworded, with the changed words marked.
    Changed,
    /// Only on the new side.
    Added,
    /// Only on the old side: no longer listed.
    Removed,
}

impl RowKind {
    /// The kind as the templates name it: `same`, `changed`, `added`, `removed`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            RowKind::Same => "same",
            RowKind::Changed => "changed",
            RowKind::Added => "added",
            RowKind::Removed => "removed",
        }
    }
}

/// One row of a side-by-side comparison: indexes into the two input lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Row {
    pub kind: RowKind,
    pub old: Option<usize>,
    pub new: Option<usize>,
    /// The old text split into runs (empty when `old` is `None`).
    pub old_segments: Vec<Segment>,
    /// The new text split into runs (empty when `new` is `None`).
    pub new_segments: Vec<Segment>,
}

/// Whether two texts are the same up to whitespace (without allocating).
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Words for similarity, as hashes of their lowercase letters and digits (punctuation
/// trimmed). Hashing instead of allocating a lowercase string per word keeps scoring
/// cheap: a comparison page scores every unmatched pair of behaviours.
const SIMILARITY_WORDS: usize = 40;

fn word_hashes(s: &str) -> Vec<u64> {
    s.split_whitespace()
        // A rewording shows in its opening words; scoring at most this many keeps the
        // cost of a pair bounded however long behaviours are.
        .take(SIMILARITY_WORDS)
        .filter_map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.is_empty() {
                return None;
            }
            // FNV-1a over the lowercase characters.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for c in w.chars().flat_map(char::to_lowercase) {
                h ^= c as u64;
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            Some(h)
        })
        .collect()
}

/// How alike two texts are, 0.0 to 1.0: the mean of the Dice coefficients of their word
/// bags and of their word-pair bags (ignoring case and punctuation). Single words say
/// "same vocabulary", pairs say "same phrasing", so two unrelated sentences built from
/// common words do not pass for a rewording. Linear in the texts' length, unlike a Myers
/// diff, which matters because every unmatched pair of behaviours is scored.
#[cfg(test)]
pub(crate) fn similarity(a: &str, b: &str) -> f32 {
    Bags::of(a).similarity(&Bags::of(b))
}

/// Sorted word hashes and sorted word-pair hashes of a text.
struct Bags {
    words: Vec<u64>,
    pairs: Vec<u64>,
}

impl Bags {
    fn of(s: &str) -> Bags {
        let mut words = word_hashes(s);
        let mut pairs: Vec<u64> = words
            .windows(2)
            .map(|p| p[0].rotate_left(17) ^ p[1].wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        words.sort_unstable();
        pairs.sort_unstable();
        Bags { words, pairs }
    }

    fn similarity(&self, other: &Bags) -> f32 {
        (dice(&self.words, &other.words) + dice(&self.pairs, &other.pairs)) / 2.0
    }
}

fn dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f32 / (a.len() + b.len()) as f32
}

/// The word-level diff of two texts: the old text with removed words marked, and the
/// new text with added words marked. Whitespace between two changed words joins the
/// change, so "the team's goals" → "the department's plans" marks one run, not two.
pub(crate) fn word_diff(old: &str, new: &str) -> (Vec<Segment>, Vec<Segment>) {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_words(old, new);
    let mut left = Vec::new();
    let mut right = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                left.push((Mark::Same, text));
                right.push((Mark::Same, text));
            }
            ChangeTag::Delete => left.push((Mark::Removed, text)),
            ChangeTag::Insert => right.push((Mark::Added, text)),
        }
    }
    (merge(left), merge(right))
}

/// Joins runs: whitespace-only "same" runs between two changes become part of the
/// change, then neighbouring runs with the same mark are concatenated.
fn merge(tokens: Vec<(Mark, &str)>) -> Vec<Segment> {
    let mut marks: Vec<Mark> = tokens.iter().map(|t| t.0).collect();
    for i in 1..tokens.len().saturating_sub(1) {
        if marks[i] == Mark::Same && tokens[i].1.trim().is_empty() {
            let (before, after) = (marks[i - 1], marks[i + 1]);
            if before != Mark::Same && before == after {
                marks[i] = before;
            }
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    for ((_, text), mark) in tokens.into_iter().zip(marks) {
        match out.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(text),
            _ => out.push(Segment {
                mark,
                text: text.to_string(),
            }),
        }
    }
    out
}

fn plain(text: &str) -> Vec<Segment> {
    vec![Segment {
        mark: Mark::Same,
        text: text.to_string(),
    }]
}

/// Aligns two lists of behaviours. Identical texts pair first, then the most similar
/// remaining pairs at or above [`REWORD_THRESHOLD`]; the rest are added or removed.
/// Rows follow the new list's order, with each removed behaviour placed just before
/// the first row that comes after it in the old list.
pub(crate) fn align(old: &[&str], new: &[&str]) -> Vec<Row> {
    let mut pair_of_new: Vec<Option<usize>> = vec![None; new.len()];
    let mut paired_old = vec![false; old.len()];
    for (j, n) in new.iter().enumerate() {
        if let Some(i) = (0..old.len()).find(|&i| !paired_old[i] && same_words(old[i], n)) {
            paired_old[i] = true;
            pair_of_new[j] = Some(i);
        }
    }
    let bags_old: Vec<Bags> = old.iter().map(|s| Bags::of(s)).collect();
    let bags_new: Vec<Bags> = new.iter().map(|s| Bags::of(s)).collect();
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    for (j, _) in new
        .iter()
        .enumerate()
        .filter(|(j, _)| pair_of_new[*j].is_none())
    {
        for (i, _) in old.iter().enumerate().filter(|(i, _)| !paired_old[*i]) {
            let s = bags_old[i].similarity(&bags_new[j]);
            if s >= REWORD_THRESHOLD {
                candidates.push((s, i, j));
            }
        }
    }
    // Most similar first; ties by position so the output is deterministic.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    for (_, i, j) in candidates {
        if !paired_old[i] && pair_of_new[j].is_none() {
            paired_old[i] = true;
            pair_of_new[j] = Some(i);
        }
    }

    let mut rows = Vec::new();
    let mut emitted = vec![false; old.len()];
    let removed = |i: usize| Row {
        kind: RowKind::Removed,
        old: Some(i),
        new: None,
        old_segments: plain(old[i]),
        new_segments: Vec::new(),
    };
    for (j, pair) in pair_of_new.iter().enumerate() {
        if let Some(i) = *pair {
            for k in 0..i {
                if !paired_old[k] && !emitted[k] {
                    emitted[k] = true;
                    rows.push(removed(k));
                }
            }
            let row = if same_words(old[i], new[j]) {
                Row {
                    kind: RowKind::Same,
                    old: Some(i),
                    new: Some(j),
                    old_segments: plain(old[i]),
                    new_segments: plain(new[j]),
                }
            } else {
                let (l, r) = word_diff(old[i], new[j]);
                Row {
                    kind: RowKind::Changed,
                    old: Some(i),
                    new: Some(j),
                    old_segments: l,
                    new_segments: r,
                }
            };
            rows.push(row);
        } else {
            rows.push(Row {
                kind: RowKind::Added,
                old: None,
                new: Some(j),
                old_segments: Vec::new(),
                new_segments: plain(new[j]),
            });
        }
    }
    for k in 0..old.len() {
        if !paired_old[k] && !emitted[k] {
            rows.push(removed(k));
        }
    }
    rows
}

/// Lays rows out for a two-column table: a same or reworded row fills both columns;
/// between two of those, the dropped behaviours fill the left column and the new ones
/// the right, side by side, so each column reads as its level's list. Returns indexes
/// into `rows` for the left and right cell of each table row.
pub(crate) fn side_by_side(rows: &[Row]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = Vec::new();
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let flush = |out: &mut Vec<_>, removed: &mut Vec<usize>, added: &mut Vec<usize>| {
        for k in 0..removed.len().max(added.len()) {
            out.push((removed.get(k).copied(), added.get(k).copied()));
        }
        removed.clear();
        added.clear();
    };
    for (i, r) in rows.iter().enumerate() {
        match r.kind {
            RowKind::Removed => removed.push(i),
            RowKind::Added => added.push(i),
            RowKind::Same | RowKind::Changed => {
                flush(&mut out, &mut removed, &mut added);
                out.push((Some(i), Some(i)));
            }
        }
    }
    flush(&mut out, &mut removed, &mut added);
    out
}

/// Counts of each kind of row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Tally {
    pub same: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
}

impl Tally {
    pub(crate) fn of(rows: &[Row]) -> Tally {
        let mut t = Tally::default();
        for r in rows {
            match r.kind {
                RowKind::Same => t.same += 1,
                RowKind::Changed => t.changed += 1,
                RowKind::Added => t.added += 1,
                RowKind::Removed => t.removed += 1,
            }
        }
        t
    }

    pub(crate) fn add(&mut self, o: Tally) {
        self.same += o.same;
        self.changed += o.changed;
        self.added += o.added;
        self.removed += o.removed;
    }

    /// How much changed, for ranking areas: new and reworded behaviours count fully,
    /// dropped ones half (they are usually superseded rather than gone).
    pub(crate) fn weight(&self) -> usize {
        2 * (self.added + self.changed) + self.removed
    }
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

    #[test]
    fn alignment_flags_new_dropped_reworded_and_same_behaviours() {
        let old = [
            "Writes clear code",
            "Influences their team",
            "Asks for help when stuck",
        ];
        let new = [
            "Writes clear code",
            "Influences their department",
            "Mentors other engineers",
        ];
        let rows = align(&old, &new);
        let kinds: Vec<_> = rows.iter().map(|r| (r.kind, r.old, r.new)).collect();
        assert_eq!(
            kinds,
            [
                (RowKind::Same, Some(0), Some(0)),
                (RowKind::Changed, Some(1), Some(1)),
                (RowKind::Added, None, Some(2)),
                (RowKind::Removed, Some(2), None),
            ]
        );
        assert_eq!(marked(&rows[1].new_segments, Mark::Added), ["department"]);
        assert_eq!(
            Tally::of(&rows),
            Tally {
                same: 1,
                changed: 1,
                added: 1,
                removed: 1
            }
        );
    }

    #[test]
    fn unrelated_behaviours_are_not_paired_as_rewordings() {
        let rows = align(
            &["Builds effective working relationships with neighbouring teams."],
            &["Builds trust with partners outside engineering, such as product and legal."],
        );
        let kinds: Vec<_> = rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [RowKind::Added, RowKind::Removed]);
    }

    #[test]
    fn removed_behaviours_stay_near_their_old_position() {
        let rows = align(&["a b c", "gone entirely", "x y z"], &["a b c", "x y z"]);
        let kinds: Vec<_> = rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, [RowKind::Same, RowKind::Removed, RowKind::Same]);
    }

    #[test]
    fn unmatched_behaviours_sit_side_by_side_between_matched_ones() {
        let rows = align(
            &["keep this one", "old alpha thing", "old beta thing"],
            &["keep this one", "brand new", "another new", "third new"],
        );
        assert_eq!(
            side_by_side(&rows),
            [
                (Some(0), Some(0)),
                (Some(4), Some(1)),
                (Some(5), Some(2)),
                (None, Some(3)),
            ]
        );
    }

    #[test]
    fn empty_sides_are_all_new_or_all_dropped() {
        assert!(align(&[], &["x"]).iter().all(|r| r.kind == RowKind::Added));
        assert!(
            align(&["x"], &[])
                .iter()
                .all(|r| r.kind == RowKind::Removed)
        );
        assert!(align(&[], &[]).is_empty());
    }

    #[test]
    fn similarity_ignores_case_and_punctuation() {
        assert_eq!(similarity("Leads the team.", "leads the team"), 1.0);
        assert!(similarity("one two three four", "five six seven eight") < 0.1);
    }
}
