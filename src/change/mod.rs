//! What changes between two levels: for each competency, which behaviour at one level
//! grows from which at the other, and how (kept, reworded, merged, split, new, no longer
//! listed), with the changed words marked.
//!
//! One notion of change, computed once per build for every pair of levels the site
//! compares ([`Changes::compute`]: every two adjacent levels of a track and the
//! pre-rendered equivalent pairs) and read by the level, matrix, competency, compare and
//! assessment pages and by `framework.json`, so the same pair of levels tells the same
//! story everywhere. How behaviours are linked is in [`align`]; how a link is shown is in
//! [`diff`].

pub(crate) mod align;
mod diff;
pub(crate) mod history;
pub(crate) mod signature;

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::delta::Touched;
use crate::model::{Behaviour, Competency, Expectations, Framework, Level, Step};
use crate::plan::pairs::{Pair, pairs};
pub(crate) use align::Source;
use align::{Link, align};
pub(crate) use diff::{Mark, Segment, word_diff};

/// What became of a behaviour (or a group of linked behaviours) between two levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Kind {
    /// The same text, up to case, punctuation and spacing.
    Kept,
    /// One behaviour grown into one other: the same expectation, reworded.
    Reworded,
    /// Several behaviours grown into one.
    Merged,
    /// One behaviour grown into several.
    Split,
    /// Only on the higher (or second) side.
    New,
    /// Only on the lower (or first) side: no longer listed.
    Dropped,
}

impl Kind {
    /// The kind as templates and `framework.json` name it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Kept => "kept",
            Kind::Reworded => "reworded",
            Kind::Merged => "merged",
            Kind::Split => "split",
            Kind::New => "new",
            Kind::Dropped => "dropped",
        }
    }

    /// Whether it carries an expectation over (reworded, merged or split).
    pub(crate) fn is_growth(self) -> bool {
        matches!(self, Kind::Reworded | Kind::Merged | Kind::Split)
    }

    /// The kind seen from the other side.
    fn reversed(self) -> Kind {
        match self {
            Kind::Merged => Kind::Split,
            Kind::Split => Kind::Merged,
            Kind::New => Kind::Dropped,
            Kind::Dropped => Kind::New,
            k => k,
        }
    }
}

/// Links the behaviours of one competency at one level in two versions of a framework
/// (`rungs diff`), as the compare pages link two levels: shared ids, equal text, then
/// similar wording. The groups come in display order.
pub(crate) fn versions(old: &[&Behaviour], new: &[&Behaviour]) -> Vec<Group> {
    let links = align(old, new, false);
    groups(old, new, &links)
}

/// A run of a behaviour's plain text with one mark, as a byte range into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub mark: Mark,
    pub range: Range<u32>,
}

/// A connected set of linked behaviours, or one behaviour alone: one row of a
/// side-by-side comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub kind: Kind,
    /// Indexes into [`CellChange::old`] and [`CellChange::new`].
    pub old: Vec<usize>,
    pub new: Vec<usize>,
    /// Each old and new behaviour's text with what changed marked (in `old`/`new` order).
    pub old_marks: Vec<Vec<Span>>,
    pub new_marks: Vec<Vec<Span>>,
    /// Whether the author stated the link (rather than rungs inferring it).
    pub stated: bool,
}

/// One side of a comparison: what a level expects of one competency. Its own
/// behaviours, then the descriptors of the scale step it expects, then (in a cumulative
/// framework) the behaviours of the levels below that still hold, each with the level
/// that lists it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Side<'f> {
    pub items: Vec<&'f Behaviour>,
    /// The level (index) each item is listed at: the side's own level, except for
    /// behaviours held from below.
    pub at: Vec<usize>,
    /// How many items are the level's own behaviours, and how many descriptors follow.
    pub behaviours: usize,
    pub descriptors: usize,
}

impl<'f> Side<'f> {
    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether item `k` is held from a level below rather than listed here.
    pub(crate) fn is_held(&self, k: usize) -> bool {
        k >= self.behaviours + self.descriptors
    }

    /// Whether a group's behaviours on this side are one behaviour held from below.
    fn holds(&self, group: &[usize]) -> bool {
        matches!(group, [k] if self.is_held(*k))
    }
}

impl<'f> std::ops::Index<usize> for Side<'f> {
    type Output = &'f Behaviour;
    fn index(&self, k: usize) -> &&'f Behaviour {
        &self.items[k]
    }
}

/// One competency compared between two levels.
#[derive(Debug, Clone)]
pub(crate) struct CellChange<'f> {
    pub competency: &'f Competency,
    /// What the first level expects.
    pub old: Side<'f>,
    /// What the second level expects.
    pub new: Side<'f>,
    pub step_a: Option<&'f Step>,
    pub step_b: Option<&'f Step>,
    pub applies_a: bool,
    pub applies_b: bool,
    /// In display order: by the second level's list, a dropped behaviour just before
    /// the first group that follows it in the first level's list.
    pub groups: Arc<[Group]>,
    /// What the groups were computed from (see [`GroupCache`]), when that alone decides
    /// them.
    pub key: Option<u128>,
}

/// The groups of cell comparisons by what they were computed from, kept by `serve`
/// between rebuilds. How two lists of behaviours align, and their word diffs, depend
/// only on the two lists (each behaviour's plain text, id and `from`) and on whether the
/// levels are adjacent, so a cell whose two sides are unchanged takes its groups from
/// here instead of aligning and diffing again. Held behaviours of cumulative frameworks
/// link through the level below and are not kept.
#[derive(Default)]
pub(crate) struct GroupCache(FxHashMap<u128, Arc<[Group]>>);

/// The [`GroupCache`] key of aligning `old` with `new` (texts by the fingerprint their
/// parse made, so a rebuild does not read every text again).
fn group_key(old: &[&Behaviour], new: &[&Behaviour], adjacent: bool) -> u128 {
    // Laid out in one buffer and hashed in one call: streaming dozens of small pieces
    // per cell into a hasher cost more than the hashing (13,200 cells per rebuild at
    // 10,000 pages).
    let mut buf: Vec<u8> = Vec::with_capacity(32 * (old.len() + new.len()) + 17);
    buf.push(u8::from(adjacent));
    let text = |buf: &mut Vec<u8>, s: &str| {
        buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
        buf.extend_from_slice(s.as_bytes());
    };
    for side in [old, new] {
        buf.extend_from_slice(&(side.len() as u64).to_le_bytes());
        for b in side {
            buf.extend_from_slice(&b.signature.text.to_le_bytes());
            text(&mut buf, b.id.as_deref().unwrap_or("\u{0}"));
            match &b.from {
                None => buf.push(0),
                Some(ids) => {
                    buf.extend_from_slice(&(ids.len() as u64 + 1).to_le_bytes());
                    for id in ids {
                        text(&mut buf, id);
                    }
                }
            }
        }
    }
    xxhash_rust::xxh3::xxh3_128(&buf)
}

/// What two compared levels are to each other, the same for every competency.
#[derive(Clone, Copy)]
struct PairFacts {
    /// The first is the level below the second on one of the second's tracks.
    adjacent: bool,
    /// The first is the level below the second on its first track (what a cumulative
    /// level holds is decided against it).
    below: bool,
}

/// How many behaviours of a comparison are which kind: the second level's behaviours by
/// what they are, and the first level's that are no longer listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Tally {
    /// The same at both levels, listed at the second.
    pub kept: usize,
    /// Held at the second level from a level below (cumulative frameworks): the same
    /// behaviour, listed lower down.
    pub held: usize,
    pub reworded: usize,
    pub merged: usize,
    pub split: usize,
    pub new: usize,
    pub dropped: usize,
}

impl Tally {
    pub(crate) fn add(&mut self, o: Tally) {
        self.kept += o.kept;
        self.held += o.held;
        self.reworded += o.reworded;
        self.merged += o.merged;
        self.split += o.split;
        self.new += o.new;
        self.dropped += o.dropped;
    }

    /// Reworded, merged and split behaviours: expectations carried over in new words.
    pub(crate) fn grown(&self) -> usize {
        self.reworded + self.merged + self.split
    }

    /// How much changed, for ranking areas: new and grown behaviours count fully,
    /// dropped ones half (they are usually superseded rather than gone).
    pub(crate) fn weight(&self) -> usize {
        2 * (self.new + self.grown()) + self.dropped
    }
}

impl<'f> CellChange<'f> {
    /// Compares two sides of competency `c`, levels `a` then `b`, linked by `links` (a
    /// function of the two sides, called only when either expects something); `None`
    /// when neither expects anything of it.
    fn compare(
        fw: &'f Framework,
        c: &'f Competency,
        (a, old): (&'f Level, Side<'f>),
        (b, new): (&'f Level, Side<'f>),
        grouped: impl FnOnce(&Side<'f>, &Side<'f>) -> (Arc<[Group]>, Option<u128>),
    ) -> Option<Self> {
        let step = |l: &'f Level| fw.applies(c, l).then(|| fw.cell(c, l).step).flatten();
        let (step_a, step_b) = (step(a), step(b));
        if old.is_empty() && new.is_empty() && step_a.is_none() && step_b.is_none() {
            return None;
        }
        let (groups, key) = grouped(&old, &new);
        Some(CellChange {
            key,
            competency: c,
            old,
            new,
            step_a,
            step_b,
            applies_a: fw.applies(c, a),
            applies_b: fw.applies(c, b),
            groups,
        })
    }

    /// The same comparison read from the second level to the first.
    pub(crate) fn reversed(&self) -> CellChange<'f> {
        let mut groups: Vec<Group> = self
            .groups
            .iter()
            .map(|g| Group {
                kind: g.kind.reversed(),
                old: g.new.clone(),
                new: g.old.clone(),
                old_marks: reverse_marks(&g.new_marks),
                new_marks: reverse_marks(&g.old_marks),
                stated: g.stated,
            })
            .collect();
        order(&mut groups);
        CellChange {
            competency: self.competency,
            old: self.new.clone(),
            new: self.old.clone(),
            step_a: self.step_b,
            step_b: self.step_a,
            applies_a: self.applies_b,
            applies_b: self.applies_a,
            groups: groups.into(),
            key: None,
        }
    }

    /// Whether `g` is a behaviour held from a level below at the second level: the same
    /// behaviour on both sides, listed at neither (a comparison leaves these out of its
    /// rows and counts them apart).
    pub(crate) fn is_held_group(&self, g: &Group) -> bool {
        g.kind == Kind::Kept && self.new.holds(&g.new)
    }

    /// The group new behaviour `j` belongs to.
    pub(crate) fn group_of_new(&self, j: usize) -> Option<&Group> {
        self.groups.iter().find(|g| g.new.contains(&j))
    }

    /// The counts of this comparison.
    pub(crate) fn tally(&self) -> Tally {
        self.tally_read(false)
    }

    /// The counts of this comparison, or with `reversed` of [`Self::reversed`] (read
    /// from the second level to the first) without building it.
    pub(crate) fn tally_read(&self, reversed: bool) -> Tally {
        let mut t = Tally::default();
        for g in self.groups.iter() {
            let (kind, old, new, to) = if reversed {
                (g.kind.reversed(), &g.new, &g.old, &self.old)
            } else {
                (g.kind, &g.old, &g.new, &self.new)
            };
            let n = new.len();
            match kind {
                Kind::Kept if to.holds(new) => t.held += n,
                Kind::Kept => t.kept += n,
                Kind::Reworded => t.reworded += n,
                Kind::Merged => t.merged += n,
                Kind::Split => t.split += n,
                Kind::New => t.new += n,
                Kind::Dropped => t.dropped += old.len(),
            }
        }
        t
    }
}

fn reverse_marks(marks: &[Vec<Span>]) -> Vec<Vec<Span>> {
    marks
        .iter()
        .map(|spans| {
            spans
                .iter()
                .map(|s| Span {
                    mark: s.mark.reversed(),
                    range: s.range.clone(),
                })
                .collect()
        })
        .collect()
}

/// The connected parts of the link graph, each with its kind and its marked texts, in
/// display order.
fn groups(old: &[&Behaviour], new: &[&Behaviour], links: &[Link]) -> Vec<Group> {
    // Union-find over old (0..n) and new (n..n+m) behaviours.
    let n = old.len();
    let mut parent: Vec<usize> = (0..n + new.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for l in links {
        let (a, b) = (root(&mut parent, l.old), root(&mut parent, n + l.new));
        parent[a.max(b)] = a.min(b);
    }
    let mut by_root: HashMap<usize, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for i in 0..n {
        by_root.entry(root(&mut parent, i)).or_default().0.push(i);
    }
    for j in 0..new.len() {
        by_root
            .entry(root(&mut parent, n + j))
            .or_default()
            .1
            .push(j);
    }
    let mut groups: Vec<Group> = by_root
        .into_values()
        .map(|(o, w)| {
            // Stated: a link the author made, or `from: []` on every behaviour of a new one.
            let stated = links
                .iter()
                .any(|l| l.source == Source::Stated && o.contains(&l.old) && w.contains(&l.new))
                || (o.is_empty()
                    && w.iter()
                        .all(|&j| new[j].from.as_ref().is_some_and(Vec::is_empty)));
            group(old, new, o, w, stated)
        })
        .collect();
    order(&mut groups);
    groups
}

/// One group with its kind and marks.
fn group(
    old: &[&Behaviour],
    new: &[&Behaviour],
    o: Vec<usize>,
    w: Vec<usize>,
    stated: bool,
) -> Group {
    let whole = |t: &str| {
        vec![Span {
            mark: Mark::Same,
            range: 0..t.len() as u32,
        }]
    };
    let kind = match (o.len(), w.len()) {
        (_, 0) => Kind::Dropped,
        (0, _) => Kind::New,
        (1, 1) if old[o[0]].signature.key == new[w[0]].signature.key => Kind::Kept,
        (1, 1) => Kind::Reworded,
        (1, _) => Kind::Split,
        _ => Kind::Merged,
    };
    let (old_marks, new_marks) = match kind {
        Kind::Kept | Kind::New | Kind::Dropped => (
            o.iter().map(|&i| whole(&old[i].plain)).collect(),
            w.iter().map(|&j| whole(&new[j].plain)).collect(),
        ),
        Kind::Reworded => {
            // One behaviour on each side: its own text is the whole side.
            let (l, r) = diff::word_diff_spans(&old[o[0]].plain, &new[w[0]].plain);
            (vec![l], vec![r])
        }
        _ => {
            // One diff of the whole of each side, cut back into its behaviours.
            let (all_old, old_at) = joined(&o, old);
            let (all_new, new_at) = joined(&w, new);
            let (l, r) = diff::word_diff_spans(&all_old, &all_new);
            (cut(&l, &old_at), cut(&r, &new_at))
        }
    };
    Group {
        kind,
        old: o,
        new: w,
        old_marks,
        new_marks,
        stated,
    }
}

/// The texts of `items` joined by spaces, with each one's byte range in the whole.
fn joined(items: &[usize], side: &[&Behaviour]) -> (String, Vec<Range<u32>>) {
    let mut all = String::new();
    let mut at = Vec::with_capacity(items.len());
    for &k in items {
        if !all.is_empty() {
            all.push(' ');
        }
        let start = all.len() as u32;
        all.push_str(&side[k].plain);
        at.push(start..all.len() as u32);
    }
    (all, at)
}

/// The spans of a joined text cut back into the texts it joined, each rebased to start
/// at 0.
fn cut(spans: &[Span], at: &[Range<u32>]) -> Vec<Vec<Span>> {
    at.iter()
        .map(|r| {
            spans
                .iter()
                .filter(|s| s.range.start < r.end && s.range.end > r.start)
                .map(|s| Span {
                    mark: s.mark,
                    range: s.range.start.max(r.start) - r.start..s.range.end.min(r.end) - r.start,
                })
                .collect()
        })
        .collect()
}

/// Display order: groups by their first new behaviour; a group with only old
/// behaviours just before the first group that follows it in the old list.
fn order(groups: &mut [Group]) {
    // Each group's place: (first new index, or the new index of the next group in old
    // order) then old order, so dropped behaviours sit near where they were.
    let firsts: Vec<(usize, usize)> = groups
        .iter()
        .map(|g| {
            (
                g.new.first().copied().unwrap_or(usize::MAX),
                g.old.first().copied().unwrap_or(usize::MAX),
            )
        })
        .collect();
    let place = |k: usize| -> (usize, u8, usize) {
        let (new, old) = firsts[k];
        if new != usize::MAX {
            return (new, 1, old);
        }
        // The first group after this one in old order that has new behaviours.
        let next = firsts
            .iter()
            .filter(|(n, o)| *n != usize::MAX && *o != usize::MAX && *o > old)
            .map(|(n, _)| *n)
            .min()
            .unwrap_or(usize::MAX);
        (next, 0, old)
    };
    let mut keyed: Vec<((usize, u8, usize), Group)> = groups
        .iter()
        .enumerate()
        .map(|(k, g)| (place(k), g.clone()))
        .collect();
    keyed.sort_by_key(|(key, _)| *key);
    for (slot, (_, g)) in groups.iter_mut().zip(keyed) {
        *slot = g;
    }
}

/// Below this share of the level below's behaviours growing into the next level's,
/// a framework that does not say how it lists expectations is taken as cumulative: its
/// levels list what they add. Measured on the corpus and the sample (see
/// `docs/COMPARE-AND-ASSESS.md`): frameworks written afresh at every level carry most of
/// the level below forward in new words, cumulative ones little of it.
pub(crate) const RESTATED_SHARE: f64 = 0.4;

/// Every comparison a build shows, computed once: per pair of levels (by index, in the
/// order [`pairs`] lists them), the competencies either level expects something of, in
/// competency order.
pub(crate) struct Changes<'f> {
    fw: &'f Framework,
    /// How the framework lists expectations, as stated or inferred.
    mode: Expectations,
    /// The share of the level below's behaviours carried into the next level, over
    /// every adjacent pair (what the inference reads); `None` when no two adjacent
    /// levels both list behaviours of a competency (nothing to hold: restated).
    carried_share: Option<f64>,
    /// Cumulative frameworks: per level, per competency, what holds from below.
    held: Vec<Vec<Holding<'f>>>,
    by_pair: HashMap<(usize, usize), Compared<'f>>,
    /// The pre-rendered comparisons ([`pairs`]), worked out once for every page.
    pairs: Vec<Pair>,
    /// What changed since each past version `[changes] since` names, oldest first.
    history: Vec<history::Report>,
}

/// In a cumulative framework, what one level holds of one competency from below, and how
/// its own behaviours link to everything that holds at the level below.
#[derive(Debug, Clone, Default)]
struct Holding<'f> {
    /// The behaviours of levels below that still hold, with the level listing each.
    held: Vec<(&'f Behaviour, usize)>,
    /// Everything that holds at the level below (its side) linked to this level's own
    /// behaviours and descriptors.
    links: Vec<Link>,
}

/// One pair of levels compared: the comparisons, and where each competency's is.
struct Compared<'f> {
    list: Vec<CellChange<'f>>,
    /// By competency index: the position in `list`.
    index: Vec<Option<u32>>,
}

impl<'f> Changes<'f> {
    /// Compares every pair of levels the site compares, in parallel. In a cumulative
    /// framework each level is compared with everything that holds at the level below
    /// (its own behaviours and those held from further down), level by level upwards.
    pub(crate) fn compute(fw: &'f Framework) -> Changes<'f> {
        Self::compute_with(fw, None)
    }

    /// [`Changes::compute`], taking the groups of cells whose two sides are unchanged
    /// from `cache` (`serve`, with [`Changes::cache`] of its previous run).
    pub(crate) fn compute_with(fw: &'f Framework, cache: Option<&GroupCache>) -> Changes<'f> {
        let mut changes = Changes {
            fw,
            mode: Expectations::Restated,
            carried_share: None,
            held: Vec::new(),
            by_pair: HashMap::new(),
            pairs: pairs(fw),
            history: fw
                .history
                .iter()
                .map(|p| {
                    let labels = (p.label.clone(), "this version".to_string());
                    history::compare(&p.framework, fw, labels, &fw.config.versioning)
                })
                .collect(),
        };
        let compare_all = |changes: &Changes<'f>| -> HashMap<(usize, usize), Compared<'f>> {
            changes
                .pairs
                .par_iter()
                .map(|p| ((p.a, p.b), changes.compare_levels(p.a, p.b, cache)))
                .collect()
        };
        // Restated first: it is the answer for restated frameworks and what the
        // inference measures.
        if fw.expectations != Some(Expectations::Cumulative) {
            changes.by_pair = compare_all(&changes);
            changes.carried_share = changes.measure_carried();
        }
        changes.mode = fw.expectations.unwrap_or(match changes.carried_share {
            Some(share) if share < RESTATED_SHARE => Expectations::Cumulative,
            _ => Expectations::Restated,
        });
        if changes.mode == Expectations::Cumulative {
            changes.held = held(fw);
            changes.by_pair = compare_all(&changes);
        }
        changes
    }

    /// The pre-rendered comparisons: level pages link to them and assessments plan
    /// towards them.
    pub(crate) fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// The groups of every cell compared, for the next run's [`Changes::compute_with`].
    pub(crate) fn cache(&self) -> GroupCache {
        GroupCache(
            self.by_pair
                .values()
                .flat_map(|c| &c.list)
                .filter_map(|cc| cc.key.map(|k| (k, cc.groups.clone())))
                .collect(),
        )
    }

    /// What changed since each past version the site names, oldest first.
    pub(crate) fn history(&self) -> &[history::Report] {
        &self.history
    }

    /// The framework compared.
    pub(crate) fn framework(&self) -> &'f Framework {
        self.fw
    }

    /// How the framework lists expectations (stated, or inferred when `inferred`).
    pub(crate) fn mode(&self) -> Expectations {
        self.mode
    }

    /// What an edit of `t` reaches through the comparisons. In a cumulative framework a
    /// level holds behaviours of every level below it and names the level listing each,
    /// so a changed cell reaches the same competency at every level above it, and a
    /// changed level title every cell above it (the level directly above is reached in
    /// either mode by the page rules themselves).
    pub(crate) fn reach(&self, t: &Touched) -> Touched {
        let mut out = t.clone();
        if self.mode != Expectations::Cumulative {
            return out;
        }
        let fw = self.fw;
        let above = |l: usize| {
            // Levels are in ladder order: the level below each comes before it.
            let mut reached = vec![false; fw.levels.len()];
            reached[l] = true;
            (l + 1..fw.levels.len()).filter(move |&m| {
                let r = fw.previous_index(m).is_some_and(|p| p < m && reached[p]);
                reached[m] = r;
                r
            })
        };
        for (ci, l) in t.cells.iter().copied() {
            out.cells.extend(above(l).map(|m| (ci, m)));
        }
        for &l in &t.level_refs {
            for m in above(l) {
                out.cells
                    .extend((0..fw.competencies.len()).map(|ci| (ci, m)));
            }
        }
        out
    }

    /// The behaviours of levels below that still hold at level `li` for competency
    /// `ci`, with the level listing each (cumulative frameworks only).
    pub(crate) fn held(&self, ci: usize, li: usize) -> &[(&'f Behaviour, usize)] {
        self.held
            .get(li)
            .and_then(|l| l.get(ci))
            .map_or(&[], |h| h.held.as_slice())
    }

    /// What level `li` expects of competency `ci`: see [`Side`].
    fn side(&self, ci: usize, li: usize) -> Side<'f> {
        let fw = self.fw;
        let (c, l) = (&fw.competencies[ci], &fw.levels[li]);
        if !fw.applies(c, l) {
            return Side::default();
        }
        let cell = fw.cell(c, l);
        let held = self.held(ci, li);
        let mut side = Side {
            items: Vec::with_capacity(cell.count() + held.len()),
            at: Vec::with_capacity(cell.count() + held.len()),
            behaviours: cell.behaviours.len(),
            descriptors: cell.descriptors.len(),
        };
        for b in cell.behaviours.iter().chain(cell.descriptors) {
            side.items.push(b);
            side.at.push(li);
        }
        for &(b, at) in held {
            side.items.push(b);
            side.at.push(at);
        }
        side
    }

    fn pair_facts(&self, a: usize, b: usize) -> PairFacts {
        PairFacts {
            adjacent: self.adjacent(a, b),
            below: self.fw.previous_index(b) == Some(a),
        }
    }

    /// Whether level `a` is the level below `b` on one of `b`'s tracks.
    fn adjacent(&self, a: usize, b: usize) -> bool {
        let fw = self.fw;
        fw.levels[b]
            .tracks
            .iter()
            .any(|t| fw.previous_on(b, t) == Some(a))
    }

    /// Competency `ci` compared from level `a` to level `b`. In a cumulative framework,
    /// a level compared with the level below it reads the links that decided what it
    /// holds, each held behaviour linked to itself, so the comparison and what the
    /// level holds always agree.
    fn compare_cell(
        &self,
        ci: usize,
        (a, b): (usize, usize),
        pair: PairFacts,
        cache: Option<&GroupCache>,
    ) -> Option<CellChange<'f>> {
        let fw = self.fw;
        let below = self
            .held
            .get(b)
            .and_then(|row| row.get(ci))
            .filter(|_| pair.below);
        let adjacent = pair.adjacent;
        CellChange::compare(
            fw,
            &fw.competencies[ci],
            (&fw.levels[a], self.side(ci, a)),
            (&fw.levels[b], self.side(ci, b)),
            |old, new| match below {
                None => {
                    let key = group_key(&old.items, &new.items, adjacent);
                    if let Some(g) = cache.and_then(|c| c.0.get(&key)) {
                        return (g.clone(), Some(key));
                    }
                    let links = align(&old.items, &new.items, adjacent);
                    (groups(&old.items, &new.items, &links).into(), Some(key))
                }
                Some(h) => {
                    let mut links = h.links.clone();
                    let own = new.behaviours + new.descriptors;
                    for j in own..new.items.len() {
                        if let Some(i) =
                            (0..old.items.len()).find(|&i| std::ptr::eq(old.items[i], new.items[j]))
                        {
                            links.push(Link {
                                old: i,
                                new: j,
                                source: Source::Same,
                            });
                        }
                    }
                    (groups(&old.items, &new.items, &links).into(), None)
                }
            },
        )
    }

    /// Every competency that applies to either level and expects something of either,
    /// compared, in competency order.
    fn compare_levels(&self, a: usize, b: usize, cache: Option<&GroupCache>) -> Compared<'f> {
        let fw = self.fw;
        let (la, lb) = (&fw.levels[a], &fw.levels[b]);
        // Facts about the two levels, worked out once for every competency (each walks
        // the ladder).
        let pair = self.pair_facts(a, b);
        let mut compared = Compared {
            list: Vec::new(),
            index: vec![None; fw.competencies.len()],
        };
        for (ci, c) in fw.competencies.iter().enumerate() {
            if !(fw.applies(c, la) || fw.applies(c, lb)) {
                continue;
            }
            if let Some(cc) = self.compare_cell(ci, (a, b), pair, cache) {
                compared.index[ci] = Some(compared.list.len() as u32);
                compared.list.push(cc);
            }
        }
        compared
    }

    /// The share of the behaviours at the level below that grow into (or are kept at)
    /// the next level, over every adjacent pair compared so far.
    fn measure_carried(&self) -> Option<f64> {
        let (mut carried, mut total) = (0usize, 0usize);
        for ((a, b), compared) in &self.by_pair {
            if !self.adjacent(*a, *b) {
                continue;
            }
            for cc in &compared.list {
                if cc.old.behaviours == 0 || cc.new.behaviours == 0 {
                    continue;
                }
                for g in cc.groups.iter() {
                    let own = g.old.iter().filter(|&&i| i < cc.old.behaviours).count();
                    total += own;
                    if g.kind != Kind::Dropped {
                        carried += own;
                    }
                }
            }
        }
        (total > 0).then(|| carried as f64 / total as f64)
    }

    /// The comparison from level `a` to level `b`, read in that direction (computed
    /// now if the site does not pre-compare the pair).
    pub(crate) fn between(&self, a: usize, b: usize) -> Cow<'_, [CellChange<'f>]> {
        if let Some(c) = self.by_pair.get(&(a, b)) {
            return Cow::Borrowed(&c.list);
        }
        if let Some(c) = self.by_pair.get(&(b, a)) {
            return Cow::Owned(c.list.iter().map(CellChange::reversed).collect());
        }
        Cow::Owned(self.compare_levels(a, b, None).list)
    }

    /// Per competency, the counts of comparing level `a` with level `b` in that
    /// direction. Reads a pre-compared pair either way round without copying it (the
    /// assessment's plan targets count, for every level, what each target adds).
    pub(crate) fn tallies_between(&self, a: usize, b: usize) -> Vec<(&'f Competency, Tally)> {
        let read = |list: &[CellChange<'f>], reversed: bool| {
            list.iter()
                .map(|d| (d.competency, d.tally_read(reversed)))
                .collect()
        };
        if let Some(c) = self.by_pair.get(&(a, b)) {
            return read(&c.list, false);
        }
        if let Some(c) = self.by_pair.get(&(b, a)) {
            return read(&c.list, true);
        }
        read(&self.compare_levels(a, b, None).list, false)
    }

    /// The comparison of competency `ci` from level `a` to level `b` (indexes).
    pub(crate) fn cell(&self, ci: usize, a: usize, b: usize) -> Option<Cow<'_, CellChange<'f>>> {
        if let Some(c) = self.by_pair.get(&(a, b)) {
            return c.index[ci].map(|k| Cow::Borrowed(&c.list[k as usize]));
        }
        if let Some(c) = self.by_pair.get(&(b, a)) {
            return c.index[ci].map(|k| Cow::Owned(c.list[k as usize].reversed()));
        }
        self.compare_cell(ci, (a, b), self.pair_facts(a, b), None)
            .map(Cow::Owned)
    }
}

/// In a cumulative framework, per level and competency, what still holds from below:
/// the behaviours of everything that holds at the level below (its own and those it
/// holds) that no behaviour of this level grows from. Levels are in ladder order, so
/// the level below a level comes before it.
fn held(fw: &Framework) -> Vec<Vec<Holding<'_>>> {
    let n = fw.competencies.len();
    let mut held: Vec<Vec<Holding>> = Vec::with_capacity(fw.levels.len());
    for (li, l) in fw.levels.iter().enumerate() {
        let Some(p) = fw.previous_index(li).filter(|&p| p < li) else {
            held.push(vec![Holding::default(); n]);
            continue;
        };
        let row: Vec<Holding> = (0..n)
            .into_par_iter()
            .map(|ci| {
                let c = &fw.competencies[ci];
                if !fw.applies(c, l) || !fw.applies(c, &fw.levels[p]) {
                    return Holding::default();
                }
                let below = fw.cell(c, &fw.levels[p]);
                let mut old: Vec<(&Behaviour, usize)> =
                    below.behaviours.iter().map(|b| (b, p)).collect();
                let own = old.len();
                old.extend(below.descriptors.iter().map(|b| (b, p)));
                let descriptors = old.len();
                old.extend(held[p][ci].held.iter().copied());
                let cell = fw.cell(c, l);
                let new: Vec<&Behaviour> = cell.behaviours.iter().chain(cell.descriptors).collect();
                let olds: Vec<&Behaviour> = old.iter().map(|(b, _)| *b).collect();
                let links = align(&olds, &new, true);
                let mut linked = vec![false; old.len()];
                for link in &links {
                    linked[link.old] = true;
                }
                let held = old
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| !linked[k] && !(own..descriptors).contains(&k))
                    .map(|(_, x)| *x)
                    .collect();
                Holding { held, links }
            })
            .collect();
        held.push(row);
    }
    held
}

/// The segments of a behaviour's plain text, resolved from spans.
pub(crate) fn segments<'t>(text: &'t str, spans: &[Span]) -> Vec<Segment<'t>> {
    spans
        .iter()
        .map(|s| Segment {
            mark: s.mark,
            text: &text[s.range.start as usize..s.range.end as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Behaviour;

    fn list(texts: &[&str]) -> Vec<Behaviour> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| crate::testing::behaviour(None, format!("b{i}"), t, Vec::new()))
            .collect()
    }

    /// The groups between two lists, as (kind, old indexes, new indexes).
    fn story(old: &[&str], new: &[&str]) -> Vec<(Kind, Vec<usize>, Vec<usize>)> {
        let (o, n) = (list(old), list(new));
        let (o, n): (Vec<&Behaviour>, Vec<&Behaviour>) = (o.iter().collect(), n.iter().collect());
        groups(&o, &n, &align(&o, &n, true))
            .into_iter()
            .map(|g| (g.kind, g.old, g.new))
            .collect()
    }

    #[test]
    fn tallies_between_count_what_the_comparison_read_that_way_holds() {
        for name in ["basic", "families", "competency-first", "one-track"] {
            let fw = crate::search::tests::fixture(name);
            let changes = Changes::compute(&fw);
            let mut checked = 0;
            for p in changes.pairs() {
                for (a, b) in [(p.a, p.b), (p.b, p.a)] {
                    let counted: Vec<(&str, Tally)> = changes
                        .tallies_between(a, b)
                        .into_iter()
                        .map(|(c, t)| (c.id.as_str(), t))
                        .collect();
                    // What the comparison read that way round (copied, reversed) counts.
                    let read: Vec<(&str, Tally)> = changes
                        .between(a, b)
                        .iter()
                        .map(|d| (d.competency.id.as_str(), d.tally()))
                        .collect();
                    assert_eq!(counted, read, "{name}: levels {a} -> {b}");
                    checked += counted
                        .iter()
                        .filter(|(_, t)| t.new + t.grown() + t.dropped > 0)
                        .count();
                }
            }
            assert!(checked > 0, "{name}: nothing grew between any two levels");
        }
    }

    fn rebuilt(text: &str, spans: &[Span], keep: Mark) -> String {
        segments(text, spans)
            .into_iter()
            .filter(|s| s.mark == Mark::Same || s.mark == keep)
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn a_punctuation_only_edit_is_kept_not_reworded() {
        assert_eq!(
            story(&["Writes clear tests"], &["Writes clear tests."]),
            vec![(Kind::Kept, vec![0], vec![0])]
        );
    }

    #[test]
    fn one_behaviour_a_level_is_paired_with_itself_when_reworded() {
        assert_eq!(
            story(
                &["Reviews pull requests from their team."],
                &["Reviews pull requests across several teams and sets review norms."]
            ),
            vec![(Kind::Reworded, vec![0], vec![0])]
        );
    }

    #[test]
    fn merged_split_new_and_dropped_groups_in_display_order() {
        let old = [
            "Writes unit tests for the code they change.",
            "Writes integration tests for the services they own.",
            "Keeps the team's wiki page about on-call up to date.",
            "Runs the weekly release with a checklist.",
        ];
        let new = [
            "Writes unit and integration tests for the code and services they own.",
            "Runs the release and improves its checklist for everyone.",
            "Hires and onboards new engineers to the team.",
        ];
        let got = story(&old, &new);
        assert_eq!(
            got,
            vec![
                (Kind::Merged, vec![0, 1], vec![0]),
                (Kind::Dropped, vec![2], vec![]),
                (Kind::Reworded, vec![3], vec![1]),
                (Kind::New, vec![], vec![2]),
            ]
        );
        // Seen from the other side, the merge is a split and the new one was dropped.
        let back = story(&new, &old);
        assert!(back.contains(&(Kind::Split, vec![0], vec![0, 1])));
        assert!(back.contains(&(Kind::Dropped, vec![2], vec![])));
        assert!(back.contains(&(Kind::New, vec![], vec![2])));
    }

    #[test]
    fn the_marks_of_a_rewording_rebuild_both_texts() {
        let (o, n) = (
            list(&["Leaves code they touch a little better than they found it."]),
            list(&["Leaves the code they change a little better than they found it."]),
        );
        let (o, n): (Vec<&Behaviour>, Vec<&Behaviour>) = (o.iter().collect(), n.iter().collect());
        let g = &groups(&o, &n, &align(&o, &n, true))[0];
        assert_eq!(g.kind, Kind::Reworded);
        // Old text = same + removed; new text = same + added; something is marked.
        assert_eq!(
            rebuilt(&o[0].plain, &g.old_marks[0], Mark::Removed),
            &*o[0].plain
        );
        assert_eq!(
            rebuilt(&n[0].plain, &g.new_marks[0], Mark::Added),
            &*n[0].plain
        );
        let added: String = segments(&n[0].plain, &g.new_marks[0])
            .into_iter()
            .filter(|s| s.mark == Mark::Added)
            .map(|s| s.text)
            .collect();
        assert!(
            added.contains("the") && added.contains("change"),
            "{added:?}"
        );
    }

    #[test]
    fn kept_reworded_new_and_dropped_side_by_side() {
        let (o, n) = (
            list(&[
                "Writes tests.",
                "Reviews code.",
                "Deploys on Fridays with care.",
            ]),
            list(&[
                "Writes tests",
                "Reviews code and mentors reviewers.",
                "Leads incidents.",
            ]),
        );
        let (o, n): (Vec<&Behaviour>, Vec<&Behaviour>) = (o.iter().collect(), n.iter().collect());
        let gs = groups(&o, &n, &align(&o, &n, true));
        let kinds: Vec<Kind> = gs.iter().map(|g| g.kind).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == Kind::Kept).count(),
            1,
            "{kinds:?}"
        );
        assert_eq!(kinds.iter().filter(|k| **k == Kind::Reworded).count(), 1);
        assert_eq!(kinds.iter().filter(|k| **k == Kind::New).count(), 1);
        assert_eq!(kinds.iter().filter(|k| **k == Kind::Dropped).count(), 1);
    }
}
