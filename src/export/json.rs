//! `framework.json`: the resolved model, versioned, for other tools. Written from the
//! model as typed, borrowed values (never as a whole-document JSON tree), and in pieces:
//! a frame (everything but the levels) and one chunk per level, so `serve` can splice in
//! the levels an edit touched ([`super::ExportState`]) and get exactly the bytes a
//! clean build writes.

use std::cell::Cell;

use serde::Serialize;

use crate::change::{CellChange, Changes, Kind};
use crate::model::{
    Area, BandId, Behaviour, Competency, CompetencyId, Expectations, Framework, Level, LevelId,
    Page, Status, StepId, TrackId,
};
use crate::plan::urls;

/// Bumped whenever a field of `framework.json` changes meaning or disappears.
/// 2: job families, tracks' `family` and `based_on`, and inherited behaviours (with
/// their `origin`) listed at every level that inherits them.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// The resolved model: ids, titles, order, and every level's expectations. Serialised
/// straight from the model, never as a whole-document JSON tree: the levels hold every
/// behaviour, and such a tree would double the build's peak memory.
///
/// `framework.json` is this document pretty-printed, but built by [`framework_json_bytes`]
/// from the same pieces as [`ExportState`] (a frame and one chunk per level), which give
/// the same bytes.
#[cfg(test)]
pub(crate) fn framework_json<'f>(
    fw: &'f Framework,
    changes: &'f Changes<'f>,
) -> impl serde::Serialize + 'f {
    FrameworkJson {
        fw,
        expectations: changes.mode(),
        levels: Levels::All(changes),
    }
}

/// The document.
struct FrameworkJson<'f, 'm> {
    fw: &'f Framework,
    /// How levels list expectations, as stated or inferred.
    expectations: Expectations,
    levels: Levels<'f, 'm>,
}

/// `levels`: every level, or the frame's placeholder.
enum Levels<'f, 'm> {
    /// Every level, compared by these comparisons.
    #[cfg_attr(not(test), allow(dead_code))]
    All(&'m Changes<'f>),
    /// `[]`, noting where it starts: `(bytes written so far, where levels start)` (see
    /// [`json_frame`]).
    Placeholder(&'m Cell<usize>, &'m Cell<usize>),
}

impl serde::Serialize for Levels<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Levels::Placeholder(written, mark) => {
                mark.set(written.get());
                s.collect_seq(std::iter::empty::<()>())
            }
            Levels::All(changes) => {
                let fw = changes.framework();
                s.collect_seq((0..fw.levels.len()).map(|li| level_json(fw, changes, li)))
            }
        }
    }
}

/// A level's entry of `levels`, borrowed from the model rather than built as a `Value`
/// tree (which would copy every behaviour). Fields are in alphabetical order, as the
/// document has always had them.
#[derive(Serialize)]
pub(super) struct LevelJson<'f> {
    attributes: Vec<NameValue<'f>>,
    band: &'f BandId,
    /// The level the `change` of its behaviours is relative to: the level below on its
    /// first track (`null` for the first level of a track).
    compared_with: Option<&'f LevelId>,
    expectations: Vec<ExpectationJson<'f>>,
    id: &'f LevelId,
    order: i64,
    status: Status,
    summary: &'f str,
    title: &'f str,
    tracks: &'f [TrackId],
    url: String,
}

#[derive(Serialize)]
struct NameValue<'f> {
    name: &'f str,
    value: &'f str,
}

#[derive(Serialize)]
struct ExpectationJson<'f> {
    behaviours: Vec<BehaviourJson<'f>>,
    competency: &'f CompetencyId,
    descriptors: Vec<BehaviourJson<'f>>,
    /// In a cumulative framework, the behaviours of levels below that still hold here
    /// (listed at `level`, reachable at `anchor` on its page).
    held: Vec<BehaviourRef<'f>>,
    /// Anchors (on the compared level's page) of its behaviours this level no longer lists.
    no_longer_listed: Vec<&'f str>,
    step: Option<&'f StepId>,
}

#[derive(Serialize)]
struct BehaviourRef<'f> {
    anchor: &'f str,
    level: &'f LevelId,
}

#[derive(Serialize)]
struct BehaviourJson<'f> {
    anchor: &'f str,
    /// How it relates to the compared level (`compared_with`); `null` without one.
    change: Option<ChangeJson<'f>>,
    examples: Examples<'f>,
    /// The ids of the behaviours at the level below it grows from, when its author says
    /// (`from:`); `null` otherwise.
    grows_from: Option<&'f [String]>,
    id: Option<&'f str>,
    /// Where it was written, when the level inherits it: `{"core": <band>}` or
    /// `{"level": <level>}`; `null` for the level's own.
    origin: Option<OriginJson<'f>>,
    text: &'f str,
}

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum OriginJson<'f> {
    Core(&'f str),
    Level(&'f str),
}

impl<'f> OriginJson<'f> {
    fn of(fw: &'f Framework, o: Option<crate::model::Origin>) -> Option<Self> {
        Some(match o? {
            crate::model::Origin::Core(b) => OriginJson::Core(fw.bands[b].id.as_str()),
            crate::model::Origin::Level(l) => OriginJson::Level(fw.levels[l].id.as_str()),
        })
    }
}

#[derive(Serialize)]
struct TrackJson<'f> {
    based_on: Option<&'f str>,
    family: Option<&'f str>,
    id: &'f str,
    kind: crate::model::TrackKind,
    status: crate::model::Status,
    summary: &'f str,
    title: &'f str,
}

#[derive(Serialize)]
struct FamilyJson<'f> {
    id: &'f str,
    summary: &'f str,
    title: &'f str,
    tracks: Vec<&'f str>,
}

/// What a behaviour is, compared with the level below: the same notion of change every
/// page shows.
#[derive(Serialize)]
struct ChangeJson<'f> {
    /// The behaviours it grows from: at the compared level, or (cumulative frameworks)
    /// held there from further down.
    from: Vec<BehaviourRef<'f>>,
    /// `kept`, `reworded`, `merged`, `split` or `new`.
    kind: &'static str,
    /// Whether the author stated the link (`id` or `from`) rather than rungs inferring it.
    stated: bool,
}

/// Examples as their Markdown source only.
struct Examples<'f>(&'f [crate::model::Example]);

impl Serialize for Examples<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|e| &e.text))
    }
}

/// The behaviours of one cell, each with its change.
fn behaviours_json<'f>(
    fw: &'f Framework,
    list: &'f [Behaviour],
    offset: usize,
    change: Option<&CellChange<'f>>,
) -> Vec<BehaviourJson<'f>> {
    list.iter()
        .enumerate()
        .map(|(k, b)| BehaviourJson {
            anchor: &b.anchor,
            change: change.and_then(|c| {
                let g = c.group_of_new(offset + k)?;
                Some(ChangeJson {
                    from: g
                        .old
                        .iter()
                        .map(|&i| BehaviourRef {
                            anchor: &c.old[i].anchor,
                            level: &fw.levels[c.old.at[i]].id,
                        })
                        .collect(),
                    kind: g.kind.name(),
                    stated: g.stated,
                })
            }),
            examples: Examples(&b.examples),
            grows_from: b.from.as_deref(),
            id: b.id.as_deref(),
            origin: OriginJson::of(fw, b.origin),
            text: &b.text,
        })
        .collect()
}

/// Level `li`'s entry. Every field of [`Level`] is named: a new one does not compile
/// until someone decides whether and how `framework.json` shows it.
pub(super) fn level_json<'f>(fw: &'f Framework, changes: &Changes<'f>, li: usize) -> LevelJson<'f> {
    let l = &fw.levels[li];
    let Level {
        id,
        title,
        band,
        order,
        summary,
        status,
        attributes,
        // Shown through `expectations`, cell by cell, with each competency's behaviours.
        expects: _,
        tracks,
        // The narrative is a page's, not data.
        body_html: _,
        file: _,
    } = l;
    let prev = fw.previous_index(li);
    let expectations = fw
        .competencies
        .iter()
        .enumerate()
        .filter(|(_, c)| fw.applies(c, l))
        .filter_map(|(ci, c)| {
            let cell = fw.cell(c, l);
            let held = changes.held(ci, li);
            let change = prev.and_then(|p| changes.cell(ci, p, li));
            let change = change.as_deref();
            let no_longer_listed: Vec<&str> = change
                .iter()
                .flat_map(|ch| {
                    ch.groups
                        .iter()
                        .filter(|g| g.kind == Kind::Dropped)
                        .flat_map(|g| g.old.iter().map(|&i| ch.old[i].anchor.as_str()))
                })
                .collect();
            if cell.is_empty() && held.is_empty() && no_longer_listed.is_empty() {
                return None;
            }
            Some(ExpectationJson {
                behaviours: behaviours_json(fw, cell.behaviours, 0, change),
                competency: &c.id,
                descriptors: behaviours_json(fw, cell.descriptors, cell.behaviours.len(), change),
                held: held
                    .iter()
                    .map(|&(b, at)| BehaviourRef {
                        anchor: &b.anchor,
                        level: &fw.levels[at].id,
                    })
                    .collect(),
                no_longer_listed,
                step: cell.step.map(|s| &s.id),
            })
        })
        .collect();
    LevelJson {
        attributes: attributes
            .iter()
            .map(|(name, value)| NameValue { name, value })
            .collect(),
        band: &fw.bands[*band].id,
        compared_with: prev.map(|p| &fw.levels[p].id),
        expectations,
        id,
        order: *order,
        status: *status,
        summary,
        title,
        tracks,
        url: urls::level(id),
    }
}

/// A competency's entry, fields in alphabetical order (the order the document has always
/// had). Its behaviours are listed under each level's expectations.
#[derive(Serialize)]
struct CompetencyJson<'f> {
    area: &'f str,
    id: &'f CompetencyId,
    scale: Option<&'f str>,
    summary: &'f str,
    title: &'f str,
    tracks: &'f [TrackId],
    url: String,
}

fn competency_json<'f>(fw: &'f Framework, c: &'f Competency) -> CompetencyJson<'f> {
    let Competency {
        id,
        area,
        // The order of `competencies`.
        order: _,
        title,
        summary,
        tracks,
        scale,
        // Listed by level, under `levels[].expectations`.
        proficiency: _,
        behaviours: _,
        body_html: _,
        file: _,
    } = c;
    CompetencyJson {
        area: fw.areas[*area].id.as_str(),
        id,
        scale: scale.map(|i| fw.scales[i].id.as_str()),
        summary,
        title,
        tracks,
        url: urls::competency(id),
    }
}

#[derive(Serialize)]
struct PageJson<'f> {
    slug: &'f str,
    title: &'f str,
    url: String,
}

#[derive(Serialize)]
struct SiteJson<'f> {
    base_url: &'f str,
    description: &'f str,
    title: &'f str,
}

/// Every field of [`Framework`] is named: a new one does not compile until someone
/// decides whether and how `framework.json` shows it.
impl serde::Serialize for FrameworkJson<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let fw = self.fw;
        let Framework {
            version,
            // Not part of this version's data.
            history: _,
            config,
            // The home page's, not data.
            intro_title: _,
            intro_html: _,
            families,
            tracks,
            bands,
            areas,
            scales,
            levels: _,
            competencies,
            pages,
            assessment,
            // Written as resolved (stated or inferred), from `self.expectations`.
            expectations: _,
        } = fw;
        let competencies: Vec<CompetencyJson> = competencies
            .iter()
            .map(|c| competency_json(fw, c))
            .collect();
        let pages: Vec<PageJson> = pages
            .iter()
            .map(|p: &Page| PageJson {
                slug: &p.slug,
                title: &p.title,
                url: urls::page(&p.slug),
            })
            .collect();
        let areas: &[Area] = areas;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", "rungs-framework")?;
        m.serialize_entry("version", &SCHEMA_VERSION)?;
        m.serialize_entry("generator", concat!("rungs ", env!("CARGO_PKG_VERSION")))?;
        if let Some(v) = version {
            m.serialize_entry("framework_version", v)?;
        }
        m.serialize_entry(
            "site",
            &SiteJson {
                base_url: &config.base_url,
                description: &config.description,
                title: &config.title,
            },
        )?;
        let families: Vec<FamilyJson> = families
            .iter()
            .enumerate()
            .map(|(fi, f)| FamilyJson {
                id: &f.id,
                summary: &f.summary,
                title: &f.title,
                tracks: tracks
                    .iter()
                    .filter(|t| t.family == Some(fi))
                    .map(|t| t.id.as_str())
                    .collect(),
            })
            .collect();
        let tracks: Vec<TrackJson> = tracks
            .iter()
            .map(|t| TrackJson {
                based_on: t.based_on.map(|b| fw.tracks[b].id.as_str()),
                family: t.family.map(|f| fw.families[f].id.as_str()),
                id: t.id.as_str(),
                kind: t.kind,
                status: t.status,
                summary: &t.summary,
                title: &t.title,
            })
            .collect();
        m.serialize_entry("families", &families)?;
        m.serialize_entry("tracks", &tracks)?;
        m.serialize_entry("bands", bands)?;
        m.serialize_entry("areas", areas)?;
        m.serialize_entry("scales", scales)?;
        m.serialize_entry("assessment", assessment)?;
        m.serialize_entry("expectations", &self.expectations)?;
        m.serialize_entry("levels", &self.levels)?;
        m.serialize_entry("competencies", &competencies)?;
        m.serialize_entry("pages", &pages)?;
        m.end()
    }
}

/// `framework.json` without its levels: the bytes up to and including the `[` that opens
/// `levels`, and from its `]` to the end (with the final newline). Depends only on the
/// framework's skeleton, which [`delta::diff`](crate::delta::diff) compares.
pub(super) struct JsonFrame {
    pub head: Vec<u8>,
    pub tail: Vec<u8>,
}

/// Counts what the serializer writes, so [`Levels`] can note where it starts.
struct CountingWriter<'c> {
    out: Vec<u8>,
    written: &'c Cell<usize>,
}

impl std::io::Write for CountingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.extend_from_slice(buf);
        self.written.set(self.out.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) fn json_frame(fw: &Framework, changes: &Changes) -> JsonFrame {
    let (written, mark) = (Cell::new(0), Cell::new(usize::MAX));
    let doc = FrameworkJson {
        fw,
        expectations: changes.mode(),
        levels: Levels::Placeholder(&written, &mark),
    };
    let mut tally = CountingWriter {
        out: Vec::new(),
        written: &written,
    };
    // Writing to memory cannot fail, and every key is a string.
    let _ = serde_json::to_writer(&mut tally, &doc);
    let mut head = tally.out;
    let at = mark.get();
    assert!(
        head.get(at..at + 2) == Some(b"[]"),
        "framework.json: the levels placeholder is not where it was noted"
    );
    let mut tail = head.split_off(at + 1);
    tail.push(b'\n');
    JsonFrame { head, tail }
}

/// Appends level `l`'s entry of the `levels` array, without the separators around it.
fn write_level_chunk(out: &mut Vec<u8>, fw: &Framework, changes: &Changes, li: usize) {
    // Writing to memory cannot fail, and every key is a string.
    let _ = serde_json::to_writer(&mut *out, &level_json(fw, changes, li));
}

pub(super) fn level_chunk(fw: &Framework, changes: &Changes, li: usize) -> Vec<u8> {
    let mut out = Vec::new();
    write_level_chunk(&mut out, fw, changes, li);
    out
}

/// A piece of framework.json in file order: bytes of the frame (or a separator), or
/// the entry of level `i`.
pub(super) enum Piece<'a> {
    Bytes(&'a [u8]),
    Level(usize),
}

/// The document's layout, in one place: the frame's head, the `levels` entries with
/// commas between them, the frame's tail.
pub(super) fn json_layout<'a>(
    frame: &'a JsonFrame,
    levels: usize,
    mut piece: impl FnMut(Piece<'a>),
) {
    piece(Piece::Bytes(&frame.head));
    for i in 0..levels {
        if i > 0 {
            piece(Piece::Bytes(b","));
        }
        piece(Piece::Level(i));
    }
    piece(Piece::Bytes(&frame.tail));
}

/// `framework.json`: [`framework_json`] as compact JSON with a final newline, in one go
/// (it is read by programs; a quarter of a pretty-printed one was indentation).
/// Each level is written straight into the output, so only the output and the frame
/// (everything but the levels) sit in memory.
pub(crate) fn framework_json_bytes(fw: &Framework, changes: &Changes) -> Vec<u8> {
    let frame = json_frame(fw, changes);
    let mut out = Vec::new();
    json_layout(&frame, fw.levels.len(), |p| match p {
        Piece::Bytes(b) => out.extend_from_slice(b),
        Piece::Level(i) => write_level_chunk(&mut out, fw, changes, i),
    });
    out
}
