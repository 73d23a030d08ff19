//! Which pages read the parts of the framework a [`Touched`] says changed, for `serve`'s
//! incremental rebuilds. A page left out here keeps its old bytes, so every rule errs
//! towards re-rendering: a page re-rendered needlessly costs a few milliseconds and is not
//! rewritten (its bytes are equal), a page missed is a stale preview. `tests/serve.rs`
//! checks the rules: after random edits, with verification on, every page whose bytes
//! changed must have been selected here.
//!
//! Everything a rule needs is worked out once from the (few) changed parts in
//! [`Impact::new`], so asking about each of thousands of pages is a set lookup.

use std::collections::BTreeSet;

use super::pairs::{PairKind, pairs};
use super::{PageKind, PagePlan};
use crate::delta::Touched;
use crate::model::Framework;

/// The tracks, among those with a changed cell, whose levels went from one shared balance
/// of kinds of work to differing ones or back (see [`Touched::balance_tracks`]).
pub(crate) fn balance_flips(old: &Framework, new: &Framework, t: &Touched) -> BTreeSet<usize> {
    let varies = |fw: &Framework, ti: usize| {
        super::charts::balance_varies(&super::charts::track_bars(fw, &fw.tracks[ti].id))
    };
    t.cell_levels()
        .iter()
        .flat_map(|&l| &new.levels[l].tracks)
        .filter_map(|id| new.tracks.iter().position(|x| &x.id == id))
        .collect::<BTreeSet<usize>>()
        .into_iter()
        .filter(|&ti| varies(old, ti) != varies(new, ti))
        .collect()
}

/// A [`Touched`] set, turned into the pages of each kind it reaches.
pub(crate) struct Impact {
    /// Level pages: changed bodies, attributes and cells, titles and summaries, and the
    /// levels above a changed cell (their "new since the level below" badges).
    levels: BTreeSet<usize>,
    /// Assessment pages: changed cells, and the levels that plan towards them (the
    /// level below on each track, and equivalents on other tracks).
    assess: BTreeSet<usize>,
    /// Comparison pages with either side here.
    compare: BTreeSet<usize>,
    /// Track and matrix pages, by track index.
    tracks: BTreeSet<usize>,
    matrices: BTreeSet<usize>,
    /// Competency and area pages.
    competencies: BTreeSet<usize>,
    areas: BTreeSet<usize>,
    /// A level's title or summary changed: the home page and the compare picker list it.
    listings: bool,
}

impl Impact {
    pub(crate) fn new(fw: &Framework, t: &Touched) -> Self {
        let cells = t.cell_levels();
        let refs = &t.level_refs;
        let track_of = |id: &crate::model::TrackId| fw.tracks.iter().position(|x| &x.id == id);
        let tracks_of = |li: usize| fw.levels[li].tracks.iter().filter_map(track_of);
        // The level above and below `li` on each of its tracks.
        let above = |li: usize| {
            fw.levels[li]
                .tracks
                .iter()
                .filter_map(move |tr| fw.next_on(li, tr))
        };
        let below = |li: usize| {
            fw.levels[li]
                .tracks
                .iter()
                .filter_map(move |tr| fw.previous_on(li, tr))
        };
        let same_band = |li: usize| {
            let band = fw.levels[li].band;
            (0..fw.levels.len()).filter(move |&o| fw.levels[o].band == band)
        };

        let mut levels: BTreeSet<usize> = cells
            .iter()
            .copied()
            .chain(cells.iter().flat_map(|&l| above(l)))
            .collect();
        // Whether a track's level pages show a balance bar at all.
        for &ti in &t.balance_tracks {
            levels.extend(fw.track_levels(&fw.tracks[ti].id).map(|(li, _)| li));
        }
        levels.extend(&t.level_bodies);
        levels.extend(&t.level_attributes);
        let mut assess: BTreeSet<usize> = cells
            .iter()
            .copied()
            .chain(cells.iter().flat_map(|&l| below(l)))
            .collect();
        if !cells.is_empty() {
            for p in pairs(fw).iter().filter(|p| p.kind == PairKind::Equivalent) {
                if cells.contains(&p.a) {
                    assess.insert(p.b);
                }
                if cells.contains(&p.b) {
                    assess.insert(p.a);
                }
            }
        }
        let mut compare = cells.clone();
        let mut tracks: BTreeSet<usize> = cells
            .iter()
            .chain(&t.level_attributes)
            .flat_map(|&l| tracks_of(l))
            .collect();
        let mut matrices: BTreeSet<usize> = cells.iter().flat_map(|&l| tracks_of(l)).collect();
        let mut competencies = t.cell_competencies();
        competencies.extend(&t.competency_bodies);
        let areas: BTreeSet<usize> = t
            .cell_competencies()
            .iter()
            .map(|&c| fw.competencies[c].area)
            .collect();

        // A title or summary shows wherever the level is listed or linked: its neighbours
        // and its band (links, equivalents), its tracks, its comparisons and every
        // competency that applies to it.
        for &r in refs {
            levels.extend(
                std::iter::once(r)
                    .chain(above(r))
                    .chain(below(r))
                    .chain(same_band(r)),
            );
            assess.extend(
                std::iter::once(r)
                    .chain(above(r))
                    .chain(below(r))
                    .chain(same_band(r)),
            );
            compare.insert(r);
            tracks.extend(tracks_of(r));
            matrices.extend(tracks_of(r));
            competencies.extend(
                (0..fw.competencies.len())
                    .filter(|&c| fw.applies(&fw.competencies[c], &fw.levels[r])),
            );
        }
        Impact {
            levels,
            assess,
            compare,
            tracks,
            matrices,
            competencies,
            areas,
            listings: !refs.is_empty(),
        }
    }

    /// Whether `page` may show something that changed.
    pub(crate) fn affects(&self, page: &PagePlan) -> bool {
        match page.kind {
            // One page, reading every level: re-rendered after any edit.
            PageKind::History => true,
            PageKind::Home
            | PageKind::CompareIndex
            | PageKind::CompetencyIndex
            | PageKind::Family(_) => self.listings,
            // Navigation only: tracks, areas and pages, all part of the skeleton, which a
            // `Touched` leaves as it was.
            PageKind::Page(_) | PageKind::Search | PageKind::NotFound => false,
            PageKind::Track(ti) => self.tracks.contains(&ti),
            PageKind::Matrix(ti) => self.matrices.contains(&ti),
            PageKind::Level(li) => self.levels.contains(&li),
            PageKind::Competency(ci) => self.competencies.contains(&ci),
            // How many levels each competency of the area has expectations at.
            PageKind::Area(ai) => self.areas.contains(&ai),
            PageKind::Compare(a, b, _) => self.compare.contains(&a) || self.compare.contains(&b),
            PageKind::Assess(li) => self.assess.contains(&li),
        }
    }
}
