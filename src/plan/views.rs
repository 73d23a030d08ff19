//! The shapes templates see. Everything here is serialised into a Tera context; the
//! field names are the theme contract documented in `docs/THEMES.md`.

use serde::Serialize;

use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub struct TrackRef {
    pub id: String,
    pub title: String,
    pub kind: TrackKind,
    pub summary: String,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LevelRef {
    pub id: String,
    pub title: String,
    pub href: String,
    pub band_id: String,
    pub band_title: String,
    pub status: Status,
    pub tracks: Vec<String>,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaRef {
    pub id: String,
    pub title: String,
    pub href: String,
    pub category: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompetencyRef {
    pub id: String,
    pub title: String,
    pub href: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageRef {
    pub slug: String,
    pub title: String,
    pub href: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub id: String,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BehaviourView<'f> {
    pub anchor: &'f str,
    pub html: &'f str,
    pub examples: Vec<&'f str>,
    pub is_new: bool,
}

/// What one competency expects at one level.
#[derive(Debug, Clone, Serialize)]
pub struct CellView<'f> {
    pub behaviours: Vec<BehaviourView<'f>>,
    pub step: Option<StepView>,
    /// True when the level expects a different step than the level below.
    pub step_changed: bool,
    pub descriptors: Vec<BehaviourView<'f>>,
    pub empty: bool,
    /// How many behaviours and descriptors are new compared with the level below.
    pub new_count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attribute<'f> {
    pub name: &'f str,
    pub value: &'f str,
}

/// A cell of a ladder grid: the levels of one band on one or more adjacent tracks.
#[derive(Debug, Clone, Serialize)]
pub struct LadderCell<T: Serialize> {
    pub colspan: usize,
    /// The track ids the cell spans.
    pub tracks: Vec<String>,
    pub entries: Vec<T>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LadderRow<T: Serialize> {
    pub band: StepView,
    pub cells: Vec<LadderCell<T>>,
}

/// How a level's expectations divide between the area categories.
#[derive(Debug, Clone, Serialize)]
pub struct BalanceView {
    pub category: String,
    pub count: usize,
    pub percent: u32,
}

pub fn track_ref(t: &Track) -> TrackRef {
    TrackRef {
        id: t.id.0.clone(),
        title: t.title.clone(),
        kind: t.kind,
        summary: t.summary.clone(),
        href: format!("tracks/{}/", t.id),
    }
}

pub fn level_ref(fw: &Framework, l: &Level) -> LevelRef {
    let band = &fw.bands[l.band];
    LevelRef {
        id: l.id.0.clone(),
        title: l.title.clone(),
        href: format!("levels/{}/", l.id),
        band_id: band.id.0.clone(),
        band_title: band.title.clone(),
        status: l.status,
        tracks: l.tracks.iter().map(|t| t.0.clone()).collect(),
        summary: l.summary.clone(),
    }
}

pub fn area_ref(a: &Area) -> AreaRef {
    AreaRef {
        id: a.id.0.clone(),
        title: a.title.clone(),
        href: format!("areas/{}/", a.id),
        category: a.category.clone(),
        summary: a.summary.clone(),
    }
}

pub fn competency_ref(c: &Competency) -> CompetencyRef {
    CompetencyRef {
        id: c.id.0.clone(),
        title: c.title.clone(),
        href: format!("competencies/{}/", c.id),
        summary: c.summary.clone(),
    }
}

pub fn page_ref(p: &Page) -> PageRef {
    PageRef {
        slug: p.slug.clone(),
        title: p.title.clone(),
        href: format!("{}/", p.slug),
        summary: p.summary.clone(),
    }
}

pub fn step_view(s: &Step) -> StepView {
    StepView {
        id: s.id.0.clone(),
        title: s.title.clone(),
        summary: s.summary.clone(),
    }
}

pub fn band_view(b: &Band) -> StepView {
    StepView {
        id: b.id.0.clone(),
        title: b.title.clone(),
        summary: b.summary.clone(),
    }
}

pub fn behaviour_views<'f>(
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
pub fn cell_view<'f>(
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
pub fn ladder_rows<T: Serialize>(
    fw: &Framework,
    tracks: &[&Track],
    bands: impl Iterator<Item = usize>,
    mut entry: impl FnMut(&Level) -> T,
) -> Vec<LadderRow<T>> {
    let mut rows = Vec::new();
    for bi in bands {
        let mut cells: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
        for t in tracks {
            let levels: Vec<usize> = fw
                .track_levels(&t.id)
                .filter(|(_, l)| l.band == bi)
                .map(|(i, _)| i)
                .collect();
            match cells.last_mut() {
                Some((prev, ids)) if !levels.is_empty() && *prev == levels => {
                    ids.push(t.id.0.clone())
                }
                _ => cells.push((levels, vec![t.id.0.clone()])),
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
pub fn balance(fw: &Framework, l: &Level) -> Vec<BalanceView> {
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

/// `[{area, competencies: [..]}]`: the competencies `entry` keeps, under their areas in
/// framework order; areas left empty are dropped. Level, matrix and assessment pages all
/// group expectations this way.
pub fn by_area<'f>(
    fw: &'f Framework,
    mut entry: impl FnMut(&'f Competency) -> Option<serde_json::Value>,
) -> Vec<serde_json::Value> {
    fw.areas
        .iter()
        .enumerate()
        .filter_map(|(ai, a)| {
            let comps: Vec<serde_json::Value> = fw
                .competencies
                .iter()
                .filter(|c| c.area == ai)
                .filter_map(&mut entry)
                .collect();
            (!comps.is_empty())
                .then(|| serde_json::json!({ "area": area_ref(a), "competencies": comps }))
        })
        .collect()
}

/// Whole percentages that add up to exactly 100 (largest remainder), or all zero.
pub fn percentages(counts: &[usize]) -> Vec<u32> {
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
