//! The resolved framework: every reference checked, every level ordered. Built by
//! [`crate::assemble`], read by [`crate::plan`]; plain data with no I/O.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::config::SiteConfig;

pub mod assessment;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(/// A track's id, e.g. `expert`.
    TrackId);
id_type!(/// A band's id, e.g. `b4`.
    BandId);
id_type!(/// An area's id, e.g. `craft`.
    AreaId);
id_type!(/// A scale's id.
    ScaleId);
id_type!(/// A step of a scale, e.g. `practitioner`.
    StepId);
id_type!(/// A level's id (its file stem), e.g. `staff-engineer`.
    LevelId);
id_type!(/// A competency's id (its file stem), e.g. `troubleshooting`.
    CompetencyId);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackKind {
    Expert,
    Manager,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Current,
    Draft,
    Legacy,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Track {
    pub id: TrackId,
    pub title: String,
    pub kind: TrackKind,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub id: BandId,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Area {
    pub id: AreaId,
    pub title: String,
    pub summary: String,
    pub category: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub id: StepId,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    pub id: ScaleId,
    pub title: String,
    pub steps: Vec<Step>,
}

/// One observable behaviour, with its Markdown rendered once.
#[derive(Debug, Clone, Serialize)]
pub struct Behaviour {
    /// The author's stable id, if given.
    pub id: Option<String>,
    /// The fragment it is reachable at on a level page.
    pub anchor: String,
    /// The Markdown source. Shared with the parse it came from (`serve` keeps parses
    /// and assembles the framework again after every edit).
    pub text: Arc<str>,
    pub html: Arc<str>,
    pub examples: Arc<[Example]>,
}

/// Equal when every field is; texts shared with the same parse compare by pointer
/// first, so comparing two frameworks assembled from mostly the same parses (what
/// `serve` does after every edit) does not compare every behaviour byte by byte.
impl PartialEq for Behaviour {
    fn eq(&self, other: &Self) -> bool {
        fn same<T: PartialEq + ?Sized>(a: &Arc<T>, b: &Arc<T>) -> bool {
            Arc::ptr_eq(a, b) || **a == **b
        }
        self.id == other.id
            && self.anchor == other.anchor
            && same(&self.text, &other.text)
            && same(&self.html, &other.html)
            && same(&self.examples, &other.examples)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub text: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Level {
    pub id: LevelId,
    pub title: String,
    /// Index into [`Framework::bands`].
    pub band: usize,
    pub order: i64,
    pub summary: String,
    pub status: Status,
    pub attributes: Vec<(String, String)>,
    pub expects: BTreeMap<CompetencyId, StepId>,
    /// The tracks the level sits on, in framework order (several for a shared trunk).
    pub tracks: Vec<TrackId>,
    pub body_html: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Competency {
    pub id: CompetencyId,
    /// Index into [`Framework::areas`].
    pub area: usize,
    pub title: String,
    pub summary: String,
    /// Tracks it applies to, in framework order.
    pub tracks: Vec<TrackId>,
    /// Index into [`Framework::scales`].
    pub scale: Option<usize>,
    pub proficiency: BTreeMap<StepId, Vec<Behaviour>>,
    pub behaviours: BTreeMap<LevelId, Vec<Behaviour>>,
    pub body_html: String,
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub order: i64,
    pub body_html: String,
}

/// The whole framework, resolved and ordered.
#[derive(Debug, Clone)]
pub struct Framework {
    pub config: SiteConfig,
    pub intro_title: Option<String>,
    pub intro_html: String,
    pub tracks: Vec<Track>,
    pub bands: Vec<Band>,
    pub areas: Vec<Area>,
    pub scales: Vec<Scale>,
    /// Sorted by band, then `order`, then id.
    pub levels: Vec<Level>,
    /// Sorted by area, then title.
    pub competencies: Vec<Competency>,
    /// Sorted by `order`, then title.
    pub pages: Vec<Page>,
    /// The self-assessment rating scale.
    pub assessment: assessment::Assessment,
}

/// The expectations of one competency at one level.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'f> {
    pub behaviours: &'f [Behaviour],
    pub step: Option<&'f Step>,
    pub descriptors: &'f [Behaviour],
}

impl Cell<'_> {
    pub fn is_empty(&self) -> bool {
        self.behaviours.is_empty() && self.descriptors.is_empty() && self.step.is_none()
    }

    pub fn count(&self) -> usize {
        self.behaviours.len() + self.descriptors.len()
    }
}

impl Framework {
    /// Levels of a track, lowest first.
    pub fn track_levels<'f>(
        &'f self,
        track: &'f TrackId,
    ) -> impl Iterator<Item = (usize, &'f Level)> + 'f {
        self.levels
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.tracks.contains(track))
    }

    pub fn level_index(&self, id: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.id.as_str() == id)
    }

    /// Whether a competency applies to a level (they share a track).
    pub fn applies(&self, competency: &Competency, level: &Level) -> bool {
        // A competency's tracks are distinct tracks of the framework, so as many as the
        // framework has means all of them (most competencies; asked per level and page).
        competency.tracks.len() == self.tracks.len()
            || competency.tracks.iter().any(|t| level.tracks.contains(t))
    }

    /// What competency `c` expects at level `l`: its behaviours for the level, then the
    /// descriptors of the scale step the level expects.
    pub fn cell<'f>(&'f self, competency: &'f Competency, level: &'f Level) -> Cell<'f> {
        let behaviours = competency
            .behaviours
            .get(&level.id)
            .map_or(&[][..], Vec::as_slice);
        let step_id = level.expects.get(&competency.id);
        let step = step_id.and_then(|s| {
            competency
                .scale
                .and_then(|i| self.scales[i].steps.iter().find(|st| &st.id == s))
        });
        let descriptors = step_id
            .and_then(|s| competency.proficiency.get(s))
            .map_or(&[][..], Vec::as_slice);
        Cell {
            behaviours,
            step,
            descriptors,
        }
    }

    /// The level below `level` on `track`, if any.
    pub fn previous_on(&self, level: usize, track: &TrackId) -> Option<usize> {
        self.track_levels(track)
            .take_while(|(i, _)| *i != level)
            .last()
            .map(|(i, _)| i)
    }

    /// The level below `level` on its first track (what "new at this level" is measured
    /// against), if any.
    pub fn previous(&self, level: usize) -> Option<&Level> {
        let l = &self.levels[level];
        l.tracks
            .first()
            .and_then(|t| self.previous_on(level, t))
            .map(|i| &self.levels[i])
    }

    /// The level above `level` on `track`, if any.
    pub fn next_on(&self, level: usize, track: &TrackId) -> Option<usize> {
        self.track_levels(track)
            .skip_while(|(i, _)| *i != level)
            .nth(1)
            .map(|(i, _)| i)
    }

    pub fn track(&self, id: &TrackId) -> Option<&Track> {
        self.tracks.iter().find(|t| &t.id == id)
    }

    /// Distinct area categories in area order.
    pub fn categories(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in &self.areas {
            if !out.contains(&a.category) {
                out.push(a.category.clone());
            }
        }
        out
    }
}
