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
pub enum Delta {
    /// Something every page may show changed: recompute everything.
    Everything,
    /// Only these parts changed (possibly nothing).
    Parts(Touched),
}

/// Changed parts, by index into the new framework (equal to the old one's, since the
/// skeleton is unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Touched {
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
}

impl Touched {
    pub fn is_empty(&self) -> bool {
        *self == Touched::default()
    }

    /// Levels with a changed cell.
    pub fn cell_levels(&self) -> BTreeSet<usize> {
        self.cells.iter().map(|&(_, l)| l).collect()
    }

    /// Competencies with a changed cell or changed descriptors.
    pub fn cell_competencies(&self) -> BTreeSet<usize> {
        self.cells
            .iter()
            .map(|&(c, _)| c)
            .chain(self.proficiency.iter().copied())
            .collect()
    }

    /// Levels whose data in `framework.json` and the CSV changed: their expectations or
    /// their attributes.
    pub fn export_levels(&self) -> BTreeSet<usize> {
        let mut out = self.cell_levels();
        out.extend(&self.level_attributes);
        out.extend(&self.level_refs);
        out
    }
}

/// Compares two frameworks.
pub fn diff(old: &Framework, new: &Framework) -> Delta {
    let same_skeleton = old.config == new.config
        && old.intro_title == new.intro_title
        && old.intro_html == new.intro_html
        && old.tracks == new.tracks
        && old.bands == new.bands
        && old.areas == new.areas
        && old.scales == new.scales
        && old.pages == new.pages
        && old.assessment == new.assessment
        && old.levels.len() == new.levels.len()
        && old.competencies.len() == new.competencies.len()
        && old
            .levels
            .iter()
            .zip(&new.levels)
            .all(|(a, b)| same_level_ref(a, b))
        && old
            .competencies
            .iter()
            .zip(&new.competencies)
            .all(|(a, b)| same_competency_ref(a, b));
    if !same_skeleton {
        return Delta::Everything;
    }
    let mut t = Touched::default();
    for (i, (a, b)) in old.levels.iter().zip(&new.levels).enumerate() {
        if a.title != b.title || a.summary != b.summary {
            t.level_refs.insert(i);
        }
        if a.body_html != b.body_html {
            t.level_bodies.insert(i);
        }
        if a.attributes != b.attributes {
            t.level_attributes.insert(i);
        }
        if a.expects != b.expects {
            for (ci, c) in new.competencies.iter().enumerate() {
                if a.expects.get(&c.id) != b.expects.get(&c.id) {
                    t.cells.insert((ci, i));
                }
            }
        }
    }
    for (ci, (a, b)) in old.competencies.iter().zip(&new.competencies).enumerate() {
        if a.body_html != b.body_html {
            t.competency_bodies.insert(ci);
        }
        if a.proficiency != b.proficiency {
            t.proficiency.insert(ci);
            // Every level expecting a step of this competency shows its descriptors.
            for (li, l) in new.levels.iter().enumerate() {
                if l.expects.contains_key(&b.id) {
                    t.cells.insert((ci, li));
                }
            }
        }
        if a.behaviours != b.behaviours {
            for (li, l) in new.levels.iter().enumerate() {
                if a.behaviours.get(&l.id) != b.behaviours.get(&l.id) {
                    t.cells.insert((ci, li));
                }
            }
        }
    }
    Delta::Parts(t)
}

/// What places a level in the framework: all but its title, summary, body, attributes
/// and expectations.
fn same_level_ref(a: &Level, b: &Level) -> bool {
    a.id == b.id
        && a.band == b.band
        && a.order == b.order
        && a.status == b.status
        && a.tracks == b.tracks
        && a.file == b.file
}

/// Everything of a competency other pages show: all but its body, descriptors and
/// behaviours.
fn same_competency_ref(a: &Competency, b: &Competency) -> bool {
    a.id == b.id
        && a.area == b.area
        && a.title == b.title
        && a.summary == b.summary
        && a.tracks == b.tracks
        && a.scale == b.scale
        && a.file == b.file
}
