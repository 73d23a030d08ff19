//! The shapes templates see, shared by several pages: references to tracks, levels,
//! areas, competencies and pages, a competency's cell at a level, ladder grids and the
//! balance of a level's expectations. They borrow from the framework and are serialised
//! straight into the template context; the field names are the theme contract
//! documented in `docs/THEMES.md`.

use serde::Serialize;

use super::urls;
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TrackRef<'f> {
    pub id: &'f str,
    pub title: &'f str,
    pub kind: TrackKind,
    pub summary: &'f str,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LevelRef<'f> {
    pub id: &'f str,
    pub title: &'f str,
    pub href: String,
    pub band_id: &'f str,
    pub band_title: &'f str,
    pub status: Status,
    pub tracks: Vec<&'f str>,
    pub summary: &'f str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AreaRef<'f> {
    pub id: &'f str,
    pub title: &'f str,
    pub href: String,
    pub category: &'f str,
    pub summary: &'f str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CompetencyRef<'f> {
    pub id: &'f str,
    pub title: &'f str,
    pub href: String,
    pub summary: &'f str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageRef<'f> {
    pub slug: &'f str,
    pub title: &'f str,
    pub href: String,
    pub summary: &'f str,
}

/// A scale step or a band: id, title and summary.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepView<'f> {
    pub id: &'f str,
    pub title: &'f str,
    pub summary: &'f str,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BehaviourView<'f> {
    pub anchor: &'f str,
    pub html: &'f str,
    pub examples: Vec<&'f str>,
    pub is_new: bool,
}

/// What one competency expects at one level.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CellView<'f> {
    pub behaviours: Vec<BehaviourView<'f>>,
    pub step: Option<StepView<'f>>,
    /// True when the level expects a different step than the level below.
    pub step_changed: bool,
    pub descriptors: Vec<BehaviourView<'f>>,
    pub empty: bool,
    /// How many behaviours and descriptors are new compared with the level below.
    pub new_count: usize,
}

impl CellView<'_> {
    /// Behaviours and descriptors.
    pub(crate) fn total(&self) -> usize {
        self.behaviours.len() + self.descriptors.len()
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Attribute<'f> {
    pub name: &'f str,
    pub value: &'f str,
}

/// A cell of a ladder grid: the levels of one band on one or more adjacent tracks.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LadderCell<'f, T: Serialize> {
    pub colspan: usize,
    /// The track ids the cell spans.
    pub tracks: Vec<&'f str>,
    pub entries: Vec<T>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct LadderRow<'f, T: Serialize> {
    pub band: StepView<'f>,
    pub cells: Vec<LadderCell<'f, T>>,
}

/// How a level's expectations divide between the area categories.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BalanceView {
    pub category: String,
    pub count: usize,
    pub percent: u32,
}

/// The competencies of one area, each with what a page shows of it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AreaGroup<'f, T: Serialize> {
    pub area: AreaRef<'f>,
    pub competencies: Vec<T>,
}

pub(crate) fn track_ref(t: &Track) -> TrackRef<'_> {
    TrackRef {
        id: t.id.as_str(),
        title: &t.title,
        kind: t.kind,
        summary: &t.summary,
        href: urls::track(&t.id),
    }
}

pub(crate) fn level_ref<'f>(fw: &'f Framework, l: &'f Level) -> LevelRef<'f> {
    let band = &fw.bands[l.band];
    LevelRef {
        id: l.id.as_str(),
        title: &l.title,
        href: urls::level(&l.id),
        band_id: band.id.as_str(),
        band_title: &band.title,
        status: l.status,
        tracks: l.tracks.iter().map(TrackId::as_str).collect(),
        summary: &l.summary,
    }
}

pub(crate) fn area_ref(a: &Area) -> AreaRef<'_> {
    AreaRef {
        id: a.id.as_str(),
        title: &a.title,
        href: urls::area(&a.id),
        category: &a.category,
        summary: &a.summary,
    }
}

pub(crate) fn competency_ref(c: &Competency) -> CompetencyRef<'_> {
    CompetencyRef {
        id: c.id.as_str(),
        title: &c.title,
        href: urls::competency(&c.id),
        summary: &c.summary,
    }
}

pub(crate) fn page_ref(p: &Page) -> PageRef<'_> {
    PageRef {
        slug: &p.slug,
        title: &p.title,
        href: urls::page(&p.slug),
        summary: &p.summary,
    }
}

pub(crate) fn step_view(s: &Step) -> StepView<'_> {
    StepView {
        id: s.id.as_str(),
        title: &s.title,
        summary: &s.summary,
    }
}

pub(crate) fn band_view(b: &Band) -> StepView<'_> {
    StepView {
        id: b.id.as_str(),
        title: &b.title,
        summary: &b.summary,
    }
}

pub(crate) fn attributes(l: &Level) -> Vec<Attribute<'_>> {
    l.attributes
        .iter()
        .map(|(n, v)| Attribute { name: n, value: v })
        .collect()
}

pub(crate) fn behaviour_views<'f>(
    list: &'f [Behaviour],
    is_new: impl Fn(&Behaviour) -> bool,
) -> Vec<BehaviourView<'f>> {
    list.iter()
        .map(|b| BehaviourView {
            anchor: &b.anchor,
            html: &b.html,
            examples: b.examples.iter().map(|e| e.html.as_str()).collect(),
            is_new: is_new(b),
        })
        .collect()
}

/// The cell of competency `c` at level `l`, with "new" marked against level `prev`.
pub(crate) fn cell_view<'f>(
    fw: &'f Framework,
    c: &'f Competency,
    l: &'f Level,
    prev: Option<&'f Level>,
) -> CellView<'f> {
    let cell = fw.cell(c, l);
    let before = prev.map(|p| fw.cell(c, p));
    let known = |b: &Behaviour| {
        before.is_some_and(|p| {
            p.behaviours
                .iter()
                .chain(p.descriptors)
                .any(|x| x.text == b.text)
        })
    };
    let step_changed = match (before.and_then(|p| p.step), cell.step) {
        (Some(a), Some(b)) => a.id != b.id,
        (None, Some(_)) => prev.is_some(),
        _ => false,
    };
    let behaviours = behaviour_views(cell.behaviours, |b| prev.is_some() && !known(b));
    let descriptors = behaviour_views(cell.descriptors, |b| {
        prev.is_some() && step_changed && !known(b)
    });
    let new_count = behaviours
        .iter()
        .chain(&descriptors)
        .filter(|b| b.is_new)
        .count();
    CellView {
        empty: cell.is_empty(),
        step: cell.step.map(step_view),
        step_changed,
        behaviours,
        descriptors,
        new_count,
    }
}

/// Builds ladder rows (one per band, in the given order): for each band, the levels of
/// each track, with adjacent tracks that share exactly the same levels merged into one
/// spanning cell (a shared trunk).
pub(crate) fn ladder_rows<'f, T: Serialize>(
    fw: &'f Framework,
    tracks: &[&'f Track],
    bands: impl Iterator<Item = usize>,
    mut entry: impl FnMut(&'f Level) -> T,
) -> Vec<LadderRow<'f, T>> {
    let mut rows = Vec::new();
    for bi in bands {
        let mut cells: Vec<(Vec<usize>, Vec<&'f str>)> = Vec::new();
        for t in tracks {
            let levels: Vec<usize> = fw
                .track_levels(&t.id)
                .filter(|(_, l)| l.band == bi)
                .map(|(i, _)| i)
                .collect();
            match cells.last_mut() {
                Some((prev, ids)) if !levels.is_empty() && *prev == levels => {
                    ids.push(t.id.as_str())
                }
                _ => cells.push((levels, vec![t.id.as_str()])),
            }
        }
        rows.push(LadderRow {
            band: band_view(&fw.bands[bi]),
            cells: cells
                .into_iter()
                .map(|(levels, ids)| LadderCell {
                    colspan: ids.len(),
                    tracks: ids,
                    entries: levels.iter().map(|&i| entry(&fw.levels[i])).collect(),
                })
                .collect(),
        });
    }
    rows
}

/// Per-category counts of a level's expectations.
pub(crate) fn balance(fw: &Framework, l: &Level) -> Vec<BalanceView> {
    let cats = fw.categories();
    let mut counts = vec![0usize; cats.len()];
    for c in &fw.competencies {
        if !fw.applies(c, l) {
            continue;
        }
        let n = fw.cell(c, l).count();
        let cat = &fw.areas[c.area].category;
        if let Some(i) = cats.iter().position(|x| x == cat) {
            counts[i] += n;
        }
    }
    // Largest-remainder percentages, so they add up to 100 and match the charts.
    let percents = percentages(&counts);
    cats.into_iter()
        .zip(counts)
        .zip(percents)
        .map(|((category, count), percent)| BalanceView {
            category,
            count,
            percent,
        })
        .collect()
}

/// The competencies `entry` keeps, under their areas in framework order; areas left
/// empty are dropped. Level, matrix and assessment pages all group expectations this way.
pub(crate) fn by_area<'f, T: Serialize>(
    fw: &'f Framework,
    mut entry: impl FnMut(&'f Competency) -> Option<T>,
) -> Vec<AreaGroup<'f, T>> {
    fw.areas
        .iter()
        .enumerate()
        .filter_map(|(ai, a)| {
            let competencies: Vec<T> = fw
                .competencies
                .iter()
                .filter(|c| c.area == ai)
                .filter_map(&mut entry)
                .collect();
            (!competencies.is_empty()).then(|| AreaGroup {
                area: area_ref(a),
                competencies,
            })
        })
        .collect()
}

/// Whole percentages that add up to exactly 100 (largest remainder), or all zero.
pub(crate) fn percentages(counts: &[usize]) -> Vec<u32> {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let mut out: Vec<u32> = counts.iter().map(|c| (c * 100 / total) as u32).collect();
    let mut rest: Vec<(usize, usize)> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| (c * 100 % total, i))
        .collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let missing = 100 - out.iter().sum::<u32>() as usize;
    for (_, i) in rest.into_iter().take(missing) {
        out[i] += 1;
    }
    out
}
