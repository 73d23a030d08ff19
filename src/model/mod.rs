//! The resolved framework: every reference checked, every level ordered. Built by
//! `assemble`, read by `plan`; plain data with no I/O.

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
            /// The id as written.
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

/// A track's `kind` in framework.yaml; track badges and the ladder diagram style the two
/// kinds apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrackKind {
    /// `kind: expert`: a track for growing as an individual contributor.
    Expert,
    /// `kind: manager`: a track for growing as a manager of people.
    Manager,
}

/// A level's `status` in its front matter; the default theme badges a level that is not
/// current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// `status: current`, the default.
    Current,
    /// `status: draft`.
    Draft,
    /// `status: legacy`.
    Legacy,
}

/// How a framework's levels list behaviours, from `expectations:` in framework.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expectations {
    /// Each level lists what it adds; what the levels below expect still holds unless a
    /// behaviour at this level grows from it.
    Cumulative,
    /// Each level lists everything it expects; what it does not list no longer applies.
    Restated,
}

/// A column of the ladder, from `tracks:` in framework.yaml.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Track {
    /// `status:` in framework.yaml: a legacy track stays published, marked.
    pub status: Status,
    /// Its id in framework.yaml, which is also its folder under `content/levels/`.
    pub id: TrackId,
    /// The name pages show.
    pub title: String,
    /// Expert or manager.
    pub kind: TrackKind,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
    /// Its job family (index into [`Framework::families`]), when the framework has them.
    #[serde(skip)]
    pub family: Option<usize>,
    /// The track it is based on (index into [`Framework::tracks`]): its levels take that
    /// track's expectations at the same band, with the changes their competencies list.
    #[serde(skip)]
    pub based_on: Option<usize>,
}

/// A job family (`families:` in framework.yaml): a ladder of its own tracks, on the
/// organisation's shared bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Family {
    /// Its id in framework.yaml.
    pub id: String,
    /// The name pages show.
    pub title: String,
    /// Plain text; empty when not given.
    pub summary: String,
}

/// Where an inherited behaviour was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Origin {
    /// The competency's `core:` for a band (index into [`Framework::bands`]).
    Core(usize),
    /// A level of the track the level's track is based on (index into
    /// [`Framework::levels`]).
    Level(usize),
}

/// A row of the ladder, from `bands:` in framework.yaml; levels in the same band are
/// equivalent across tracks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// Its id in framework.yaml, which levels name in `band:`.
    pub id: BandId,
    /// The name pages show.
    pub title: String,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
}

/// A group of competencies, from `areas:` in framework.yaml.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Area {
    /// Its id in framework.yaml, which is also its folder under `content/competencies/`.
    pub id: AreaId,
    /// The name pages show.
    pub title: String,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
    /// Free text, trimmed and lower-cased; the balance charts group areas by it (see
    /// [`Framework::categories`]).
    pub category: String,
}

/// One step of a [`Scale`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Its id in framework.yaml, which levels name in `expects:` and competencies in
    /// `proficiency:`.
    pub id: StepId,
    /// The name pages show.
    pub title: String,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
}

/// A proficiency scale from `scales:` in framework.yaml: competencies describe its steps,
/// and levels name the step they expect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    /// Its id in framework.yaml, which competencies name in `scale:`.
    pub id: ScaleId,
    /// The name pages show.
    pub title: String,
    /// Lowest first, as framework.yaml lists them.
    pub steps: Vec<Step>,
}

/// One observable behaviour, with its Markdown rendered once.
#[derive(Debug, Clone, Serialize)]
pub struct Behaviour {
    /// The author's stable id, if given. The same id at several levels of one competency
    /// says the behaviours are one line of growth (lineage).
    pub id: Option<String>,
    /// The fragment it is reachable at on a level page.
    pub anchor: String,
    /// The Markdown source. Shared with the parse it came from (`serve` keeps parses
    /// and assembles the framework again after every edit).
    pub text: Arc<str>,
    /// `text` rendered as inline HTML.
    pub html: Arc<str>,
    /// `text` as plain text (markup removed), for comparisons, exports and search.
    pub plain: Arc<str>,
    /// Its `examples:`, in file order.
    pub examples: Arc<[Example]>,
    /// The ids of the behaviours at the level below it grows from, when the author says
    /// (`from: [..]`); `Some(vec![])` says it grows from none (it is new). Resolved and
    /// checked by assembly.
    pub from: Option<Vec<String>>,
    /// What comparing it with other behaviours needs, worked out when it was parsed.
    #[serde(skip)]
    pub signature: Arc<Signature>,
    /// Where it was written, when the level inherits it rather than listing it.
    pub origin: Option<Origin>,
}

/// What comparing behaviours needs of one, worked out once when its file is parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// A fingerprint of its words, lowercased, without punctuation: two behaviours with
    /// the same key differ at most in case, punctuation and spacing.
    pub key: u128,
    /// A fingerprint of its plain text exactly as it is.
    pub text: u128,
    /// Its content words (stop words dropped), stemmed and hashed, sorted, each once.
    pub words: Box<[u64]>,
}

/// Equal when every field is; texts shared with the same parse compare by pointer
/// first, so comparing two frameworks assembled from mostly the same parses (what
/// `serve` does after every edit) does not compare every behaviour byte by byte.
/// `plain` and `signature` are derived from `text` and are not compared.
impl PartialEq for Behaviour {
    fn eq(&self, other: &Self) -> bool {
        fn same<T: PartialEq + ?Sized>(a: &Arc<T>, b: &Arc<T>) -> bool {
            Arc::ptr_eq(a, b) || **a == **b
        }
        let Behaviour {
            id,
            anchor,
            text,
            html,
            plain: _,
            examples,
            from,
            signature: _,
            origin,
        } = self;
        *id == other.id
            && *origin == other.origin
            && *anchor == other.anchor
            && same(text, &other.text)
            && same(html, &other.html)
            && same(examples, &other.examples)
            && *from == other.from
    }
}

/// An example given with a behaviour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    /// The Markdown source.
    pub text: String,
    /// `text` rendered as inline HTML.
    pub html: String,
}

/// A level: one file under `content/levels/<track>/`, placed in its band and on its
/// tracks.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    /// Its file stem, unique across all track folders.
    pub id: LevelId,
    /// The name pages show.
    pub title: String,
    /// Index into [`Framework::bands`].
    pub band: usize,
    /// Its place within its band (`order:`, 0 when not given); see [`Framework::levels`].
    pub order: i64,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
    /// Current, draft or legacy.
    pub status: Status,
    /// Its `attributes:` as (name, value) pairs, in file order.
    pub attributes: Vec<(String, String)>,
    /// Its `expects:`: for each competency, the step of that competency's scale this
    /// level expects. Entries that do not resolve are reported and left out.
    pub expects: BTreeMap<CompetencyId, StepId>,
    /// The tracks the level sits on, in framework order (several for a shared trunk).
    pub tracks: Vec<TrackId>,
    /// The narrative (the Markdown body) as HTML.
    pub body_html: String,
    /// The site-relative path of its file, for diagnostics.
    pub file: String,
}

/// A competency: one file under `content/competencies/<area>/`, with what it expects at
/// each level, as behaviours by level, descriptors by scale step, or both.
#[derive(Debug, Clone, Serialize)]
pub struct Competency {
    /// Its file stem, unique across all area folders.
    pub id: CompetencyId,
    /// Index into [`Framework::areas`].
    pub area: usize,
    /// Its place within its area (`order:`, default 0; ties by title).
    pub order: i64,
    /// The name pages show.
    pub title: String,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
    /// Tracks it applies to, in framework order.
    pub tracks: Vec<TrackId>,
    /// Index into [`Framework::scales`].
    pub scale: Option<usize>,
    /// Its `proficiency:`: descriptors by step of its scale (empty without a scale). A
    /// level that expects a step shows that step's descriptors.
    pub proficiency: BTreeMap<StepId, Vec<Behaviour>>,
    /// Its `behaviours:`: behaviours by the level they are listed for.
    pub behaviours: BTreeMap<LevelId, Vec<Behaviour>>,
    /// The guidance (the Markdown body) as HTML.
    pub body_html: String,
    /// The site-relative path of its file, for diagnostics.
    pub file: String,
}

/// A free page, `content/pages/<slug>.md`, shown at `/<slug>/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Its file stem; never one of the site's own section names.
    pub slug: String,
    /// The name pages show.
    pub title: String,
    /// Plain text (not Markdown); empty when not given.
    pub summary: String,
    /// `order:` in its front matter; `i64::MAX` when not given, so such pages come last.
    pub order: i64,
    /// The Markdown body as HTML.
    pub body_html: String,
}

/// An earlier version of the framework, read from a git revision.
#[derive(Debug, Clone)]
pub struct PastVersion {
    /// The revision as site.toml names it (`v1.2.0`).
    pub label: String,
    /// The commit it resolved to.
    pub commit: String,
    /// The framework at that revision.
    pub framework: std::sync::Arc<Framework>,
}

impl PartialEq for PastVersion {
    /// Two past versions are the same when they name the same commit.
    fn eq(&self, other: &Self) -> bool {
        self.label == other.label && self.commit == other.commit
    }
}

/// The whole framework, resolved and ordered.
#[derive(Debug, Clone)]
pub struct Framework {
    /// `version:` in framework.yaml (e.g. `1.4.0`), shown in the footer and used by
    /// `rungs diff` to suggest the next one.
    pub version: Option<String>,
    /// The earlier versions `[changes] since` in site.toml names, oldest first: the
    /// changes page shows what changed since each.
    pub history: Vec<PastVersion>,
    /// The site's settings.
    pub config: SiteConfig,
    /// The `title` in the front matter of `content/index.md`; the home page uses the
    /// site's title without one.
    pub intro_title: Option<String>,
    /// The home page's introduction (the body of `content/index.md`) as HTML; empty
    /// without one.
    pub intro_html: String,
    /// Job families, in framework.yaml order; empty when it declares none (one ladder).
    pub families: Vec<Family>,
    /// The ladder's columns, in framework.yaml order.
    pub tracks: Vec<Track>,
    /// The ladder's rows, in framework.yaml order (lowest first).
    pub bands: Vec<Band>,
    /// In framework.yaml order.
    pub areas: Vec<Area>,
    /// In framework.yaml order.
    pub scales: Vec<Scale>,
    /// Sorted by band, then `order`, then id.
    pub levels: Vec<Level>,
    /// Sorted by area, then `order`, then title.
    pub competencies: Vec<Arc<Competency>>,
    /// Sorted by `order`, then title.
    pub pages: Vec<Page>,
    /// The self-assessment rating scale.
    pub assessment: assessment::Assessment,
    /// How levels list behaviours, when framework.yaml says; otherwise rungs infers it
    /// when it compares levels (see `crate::change`).
    pub expectations: Option<Expectations>,
}

/// The expectations of one competency at one level.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cell<'f> {
    /// The behaviours the competency lists for the level.
    pub behaviours: &'f [Behaviour],
    /// The step of the competency's scale that the level expects, if any.
    pub step: Option<&'f Step>,
    /// The competency's descriptors for that step.
    pub descriptors: &'f [Behaviour],
}

impl Cell<'_> {
    /// Whether the level expects nothing of the competency: no behaviours, no step and no
    /// descriptors.
    pub fn is_empty(&self) -> bool {
        self.behaviours.is_empty() && self.descriptors.is_empty() && self.step.is_none()
    }

    /// How many behaviours and descriptors the cell lists.
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

    /// The index into [`Framework::levels`] of the level with this id.
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
        self.previous_index(level).map(|i| &self.levels[i])
    }

    /// [`Framework::previous`], as an index into `levels`.
    pub fn previous_index(&self, level: usize) -> Option<usize> {
        let l = &self.levels[level];
        l.tracks.first().and_then(|t| self.previous_on(level, t))
    }

    /// The level above `level` on `track`, if any.
    pub fn next_on(&self, level: usize, track: &TrackId) -> Option<usize> {
        self.track_levels(track)
            .skip_while(|(i, _)| *i != level)
            .nth(1)
            .map(|(i, _)| i)
    }

    /// The track with this id.
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
