//! Which pages read the parts of the framework a [`Touched`] says changed, for `serve`'s
//! incremental rebuilds. A page left out here keeps its old bytes, so every rule errs
//! towards re-rendering: a page re-rendered needlessly costs a few milliseconds and is not
//! rewritten (its bytes are equal), a page missed is a stale preview. `tests/serve.rs`
//! checks the rules: after random edits, with verification on, every page whose bytes
//! changed must have been selected here.

use std::collections::BTreeSet;

use super::compare::{PairKind, pairs};
use super::{PageKind, PagePlan};
use crate::delta::Touched;
use crate::model::Framework;

/// A [`Touched`] set, with what the page rules ask of it precomputed.
pub struct Impact<'t> {
    touched: &'t Touched,
    /// Levels with a changed cell.
    cell_levels: BTreeSet<usize>,
    /// Competencies with a changed cell or descriptors.
    cell_competencies: BTreeSet<usize>,
    /// Levels that have a cell-changed level as an equivalent comparison (assess pages
    /// plan against their equivalents).
    equivalent_of_changed: BTreeSet<usize>,
}

impl<'t> Impact<'t> {
    pub fn new(fw: &Framework, touched: &'t Touched) -> Self {
        let cell_levels = touched.cell_levels();
        let mut equivalent_of_changed = BTreeSet::new();
        if !cell_levels.is_empty() {
            for p in pairs(fw).iter().filter(|p| p.kind == PairKind::Equivalent) {
                if cell_levels.contains(&p.a) {
                    equivalent_of_changed.insert(p.b);
                }
                if cell_levels.contains(&p.b) {
                    equivalent_of_changed.insert(p.a);
                }
            }
        }
        Impact {
            touched,
            cell_competencies: touched.cell_competencies(),
            cell_levels,
            equivalent_of_changed,
        }
    }

    /// Whether `page` may show something that changed.
    pub fn affects(&self, fw: &Framework, page: &PagePlan) -> bool {
        let t = self.touched;
        let cells_at = |li: usize| self.cell_levels.contains(&li);
        let on_track = |li: usize, ti: usize| fw.levels[li].tracks.contains(&fw.tracks[ti].id);
        if !t.level_refs.is_empty() && self.shows_level_ref(fw, page) {
            return true;
        }
        match page.kind {
            // Navigation, references and counts of levels and competencies only: all part
            // of the skeleton, which a `Touched` leaves as it was.
            PageKind::Home
            | PageKind::Page(_)
            | PageKind::CompareIndex
            | PageKind::Search
            | PageKind::NotFound => false,
            // Per level: attributes, expectation counts, new counts, the balance chart.
            PageKind::Track(ti) => self
                .cell_levels
                .iter()
                .chain(&t.level_attributes)
                .any(|&li| on_track(li, ti)),
            // Every cell of the track.
            PageKind::Matrix(ti) => self.cell_levels.iter().any(|&li| on_track(li, ti)),
            // Its own data, and "new since the level below" against the previous level.
            PageKind::Level(li) => {
                t.level_bodies.contains(&li)
                    || t.level_attributes.contains(&li)
                    || cells_at(li)
                    || fw.levels[li]
                        .tracks
                        .iter()
                        .filter_map(|tr| fw.previous_on(li, tr))
                        .any(cells_at)
            }
            // Every cell of the competency, its descriptors and its body.
            PageKind::Competency(ci) => {
                self.cell_competencies.contains(&ci) || t.competency_bodies.contains(&ci)
            }
            // How many levels each competency of the area has expectations at.
            PageKind::Area(ai) => self
                .cell_competencies
                .iter()
                .any(|&ci| fw.competencies[ci].area == ai),
            PageKind::Compare(a, b, _) => cells_at(a) || cells_at(b),
            // The level's cells, and what its next levels and equivalents add.
            PageKind::Assess(li) => {
                cells_at(li)
                    || self.equivalent_of_changed.contains(&li)
                    || fw.levels[li]
                        .tracks
                        .iter()
                        .filter_map(|tr| fw.next_on(li, tr))
                        .any(cells_at)
            }
        }
    }

    /// Whether `page` lists or links a level whose title or summary changed.
    fn shows_level_ref(&self, fw: &Framework, page: &PagePlan) -> bool {
        let refs = &self.touched.level_refs;
        // A level's neighbours on its tracks and the levels of its band.
        let near = |li: usize| {
            let l = &fw.levels[li];
            refs.iter().any(|&r| {
                r == li
                    || fw.levels[r].band == l.band
                    || l.tracks.iter().any(|tr| {
                        fw.previous_on(li, tr) == Some(r) || fw.next_on(li, tr) == Some(r)
                    })
            })
        };
        let on_track = |ti: usize| {
            refs.iter()
                .any(|&r| fw.levels[r].tracks.contains(&fw.tracks[ti].id))
        };
        match page.kind {
            PageKind::Home | PageKind::CompareIndex => true,
            PageKind::Page(_) | PageKind::Search | PageKind::NotFound | PageKind::Area(_) => false,
            PageKind::Track(ti) | PageKind::Matrix(ti) => on_track(ti),
            PageKind::Level(li) | PageKind::Assess(li) => near(li),
            PageKind::Competency(ci) => {
                let c = &fw.competencies[ci];
                refs.iter().any(|&r| fw.applies(c, &fw.levels[r]))
            }
            PageKind::Compare(a, b, _) => refs.contains(&a) || refs.contains(&b),
        }
    }
}
