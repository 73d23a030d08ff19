//! What changed between two assembled frameworks, in the terms pages depend on.
//!
//! `serve` compares the framework of the last good rebuild with the new one. Most edits
//! change a few behaviours, descriptors or expectations, a level's narrative, attributes,
//! title or summary, or a competency's guidance; those come out as a [`Touched`] set, and
//! only the pages and exports that show them are rebuilt (see [`crate::plan::affected`]).
//! Anything else (an id, a band, the order of levels, a track, an area, a competency's
//! title, the settings) is shown on many pages through navigation and references, so it
//! is [`Delta::Everything`] and every page is rendered.

use std::collections::BTreeSet;

use crate::model::{Competency, Framework, Level};

/// The difference between two frameworks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Delta {
    /// Something every page may show changed: recompute everything.
    Everything,
    /// Only these parts changed (possibly nothing).
    Parts(Touched),
}

/// Changed parts, by index into the new framework (equal to the old one's, since the
/// skeleton is unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Touched {
    /// Levels whose Markdown body changed.
    pub level_bodies: BTreeSet<usize>,
    /// Levels whose title or summary changed: shown wherever the level is listed or
    /// linked (its neighbours, its tracks, the competencies that apply to it, the home
    /// page).
    pub level_refs: BTreeSet<usize>,
    /// Levels whose attributes changed.
    pub level_attributes: BTreeSet<usize>,
    /// Competencies whose Markdown body changed.
    pub competency_bodies: BTreeSet<usize>,
    /// Competencies whose scale descriptors (`proficiency`) changed.
    pub proficiency: BTreeSet<usize>,
    /// `(competency, level)` cells whose expectations changed: the behaviours listed for
    /// the level, the step the level expects, or that step's descriptors.
    pub cells: BTreeSet<(usize, usize)>,
    /// Tracks whose levels went from one shared balance of kinds of work to differing
    /// ones, or back: every level page of the track shows or leaves out its balance bar.
    /// Filled in by [`crate::plan::affected::balance_flips`], which knows the charts.
    pub balance_tracks: BTreeSet<usize>,
}

impl Touched {
    /// Levels with a changed cell.
    pub(crate) fn cell_levels(&self) -> BTreeSet<usize> {
        self.cells.iter().map(|&(_, l)| l).collect()
    }

    /// Competencies with a changed cell or changed descriptors.
    pub(crate) fn cell_competencies(&self) -> BTreeSet<usize> {
        self.cells
            .iter()
            .map(|&(c, _)| c)
            .chain(self.proficiency.iter().copied())
            .collect()
    }

    /// Levels whose data in `framework.json` and the CSV changed: their expectations or
    /// their attributes.
    pub(crate) fn export_levels(&self) -> BTreeSet<usize> {
        let mut out = self.cell_levels();
        out.extend(&self.level_attributes);
        out.extend(&self.level_refs);
        out
    }
}

/// Compares two frameworks.
///
/// Every field of [`Framework`], [`Level`] and [`Competency`] is named below without
/// `..`: adding a field to one of them does not compile until someone decides here what
/// an edit of it invalidates (and, in `crate::export`, how it is exported).
pub(crate) fn diff(old: &Framework, new: &Framework) -> Delta {
    let Framework {
        version,
        history,
        config,
        intro_title,
        intro_html,
        families,
        tracks,
        bands,
        areas,
        scales,
        levels,
        competencies,
        pages,
        assessment,
        expectations,
    } = old;
    // Shown by many pages (navigation, ladders, references, every page's settings).
    let same_skeleton = *config == new.config
        && *version == new.version
        && *history == new.history
        && *intro_title == new.intro_title
        && *intro_html == new.intro_html
        && *families == new.families
        && *tracks == new.tracks
        && *bands == new.bands
        && *areas == new.areas
        && *scales == new.scales
        && *pages == new.pages
        && *assessment == new.assessment
        && *expectations == new.expectations
        && levels.len() == new.levels.len()
        && competencies.len() == new.competencies.len()
        && levels
            .iter()
            .zip(&new.levels)
            .all(|(a, b)| same_level_ref(a, b))
        && competencies
            .iter()
            .zip(&new.competencies)
            .all(|(a, b)| same_competency_ref(a, b));
    if !same_skeleton {
        return Delta::Everything;
    }
    let mut t = Touched::default();
    for (i, (a, b)) in levels.iter().zip(&new.levels).enumerate() {
        level_parts(i, a, b, new, &mut t);
    }
    for (ci, (a, b)) in competencies.iter().zip(&new.competencies).enumerate() {
        // The same shared value (serve's assembly kept it): nothing to compare.
        if !std::sync::Arc::ptr_eq(a, b) {
            competency_parts(ci, a, b, new, &mut t);
        }
    }
    Delta::Parts(t)
}

/// What places a level in the framework: all but its title, summary, body, attributes
/// and expectations, which [`level_parts`] compares.
fn same_level_ref(a: &Level, b: &Level) -> bool {
    let Level {
        id,
        title: _,
        band,
        order,
        summary: _,
        status,
        attributes: _,
        expects: _,
        tracks,
        body_html: _,
        file,
    } = a;
    *id == b.id
        && *band == b.band
        && *order == b.order
        && *status == b.status
        && *tracks == b.tracks
        && *file == b.file
}

/// The parts of level `i` that pages show without moving it (same skeleton).
fn level_parts(i: usize, a: &Level, b: &Level, new: &Framework, t: &mut Touched) {
    let Level {
        title,
        summary,
        attributes,
        expects,
        body_html,
        // Compared by `same_level_ref`.
        id: _,
        band: _,
        order: _,
        status: _,
        tracks: _,
        file: _,
    } = a;
    if *title != b.title || *summary != b.summary {
        t.level_refs.insert(i);
    }
    if *body_html != b.body_html {
        t.level_bodies.insert(i);
    }
    if *attributes != b.attributes {
        t.level_attributes.insert(i);
    }
    if *expects != b.expects {
        for (ci, c) in new.competencies.iter().enumerate() {
            if expects.get(&c.id) != b.expects.get(&c.id) {
                t.cells.insert((ci, i));
            }
        }
    }
}

/// Everything of a competency other pages show: all but its body, descriptors and
/// behaviours, which [`competency_parts`] compares.
fn same_competency_ref(a: &Competency, b: &Competency) -> bool {
    let Competency {
        id,
        area,
        order,
        title,
        summary,
        tracks,
        scale,
        proficiency: _,
        behaviours: _,
        body_html: _,
        file,
    } = a;
    // `order` moves the competency (its index), which every page reads.
    *id == b.id
        && *area == b.area
        && *order == b.order
        && *title == b.title
        && *summary == b.summary
        && *tracks == b.tracks
        && *scale == b.scale
        && *file == b.file
}

/// The parts of competency `ci` that pages show without moving it (same skeleton).
fn competency_parts(ci: usize, a: &Competency, b: &Competency, new: &Framework, t: &mut Touched) {
    let Competency {
        body_html,
        proficiency,
        behaviours,
        // Compared by `same_competency_ref`.
        id: _,
        area: _,
        order: _,
        title: _,
        summary: _,
        tracks: _,
        scale: _,
        file: _,
    } = a;
    if *body_html != b.body_html {
        t.competency_bodies.insert(ci);
    }
    if *proficiency != b.proficiency {
        t.proficiency.insert(ci);
        // Every level expecting a step of this competency shows its descriptors.
        for (li, l) in new.levels.iter().enumerate() {
            if l.expects.contains_key(&b.id) {
                t.cells.insert((ci, li));
            }
        }
    }
    if *behaviours != b.behaviours {
        for (li, l) in new.levels.iter().enumerate() {
            if behaviours.get(&l.id) != b.behaviours.get(&l.id) {
                t.cells.insert((ci, li));
            }
        }
    }
}
