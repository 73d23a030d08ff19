//! The shapes templates see, shared by several pages: references to tracks, levels,
//! areas, competencies and pages, a competency's cell at a level, ladder grids and the
//! balance of a level's expectations. They borrow from the framework and are serialised
//! straight into the template context; the field names are the theme contract
//! documented in `docs/THEMES.md`.

use serde::Serialize;

use super::source::{self, At};
use super::urls;
use crate::change::{CellChange, Changes, Kind, Mark, Segment, Span, Tally, segments};
use crate::model::*;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TrackRef<'f> {
    pub status: Status,
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
    /// Whether it is new compared with the level below (`change.kind == "new"`).
    pub is_new: bool,
    /// How it relates to the behaviours of the level below, when there is one.
    pub change: Option<ChangeView<'f>>,
    /// Where it was written, when the level inherits it (job families).
    pub origin: Option<OriginView<'f>>,
    /// A new issue about it, on level and competency pages of a site with a
    /// `repository` (see [`super::source`]); `None` elsewhere.
    pub feedback_url: Option<String>,
}

/// Where an inherited behaviour was written: the core of a band (`kind` "core", `title`
/// the band's) or a level of the track this one is based on (`kind` "level", with a
/// link to it there).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OriginView<'f> {
    pub kind: &'static str,
    pub title: &'f str,
    pub href: Option<String>,
}

/// How a behaviour relates to the level it is compared with (see [`crate::change`]).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangeView<'f> {
    /// `kept`, `reworded`, `merged`, `split` or `new`.
    pub kind: &'static str,
    /// Its text with the words that changed marked (reworded, merged, split only).
    pub segments: Vec<Segment<'f>>,
    /// The behaviours it grows from, with the words that changed marked.
    pub from: Vec<Related<'f>>,
    /// A growth that shares too few words with what it grows from to mark them: the
    /// texts are shown as written (`segments` and `from` unmarked), once.
    pub rewritten: bool,
    /// Whether the author stated the link (`id` or `from`) rather than rungs inferring it.
    pub stated: bool,
}

/// A behaviour of the other level of a comparison, linked.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Related<'f> {
    pub anchor: &'f str,
    pub href: String,
    /// The title of the level that lists it.
    pub level: &'f str,
    pub segments: Vec<Segment<'f>>,
}

/// What one competency expects at one level.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CellView<'f> {
    pub behaviours: Vec<BehaviourView<'f>>,
    pub step: Option<StepView<'f>>,
    /// True when the level expects a different step than the level below.
    pub step_changed: bool,
    /// The step the level below expects, when it differs.
    pub step_before: Option<StepView<'f>>,
    pub descriptors: Vec<BehaviourView<'f>>,
    pub empty: bool,
    /// Nothing listed, nothing held from below and nothing dropped since the level
    /// below: level pages leave the competency out, and other pages do not link to it.
    pub blank: bool,
    /// How many behaviours and descriptors are new compared with the level below.
    pub new_count: usize,
    /// The counts of the comparison with the level below, when there is one.
    pub tally: Option<Tally>,
    /// Behaviours of the level below that this level no longer lists.
    pub dropped: Vec<Related<'f>>,
    /// Descriptors of the step the level below expects (`step_before`) that this
    /// level's step does not list: a step replaced by a higher one, not expectations
    /// dropped.
    pub step_dropped: Vec<Related<'f>>,
    /// In a cumulative framework, the behaviours of levels below that still hold here.
    pub held: Vec<HeldView<'f>>,
}

/// A behaviour of a level below that still holds (cumulative frameworks).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HeldView<'f> {
    pub html: &'f str,
    pub anchor: &'f str,
    /// The level that lists it, and the behaviour there.
    pub level: LevelRef<'f>,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Attribute<'f> {
    pub name: &'f str,
    /// The value's Markdown source.
    pub value: &'f str,
    /// The value as trusted HTML (a `<ul>` when `is_list`).
    pub html: String,
    pub is_list: bool,
}

impl CellView<'_> {
    /// Behaviours and descriptors.
    pub(crate) fn total(&self) -> usize {
        self.behaviours.len() + self.descriptors.len()
    }
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

/// A job family, with its tracks.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FamilyRef<'f> {
    pub id: &'f str,
    pub title: &'f str,
    pub summary: &'f str,
    pub href: String,
    pub tracks: Vec<TrackRef<'f>>,
}

/// Every job family, in framework order (empty without families).
pub(crate) fn family_refs(fw: &Framework) -> Vec<FamilyRef<'_>> {
    fw.families
        .iter()
        .enumerate()
        .map(|(fi, f)| FamilyRef {
            id: &f.id,
            title: &f.title,
            summary: &f.summary,
            href: urls::family(&f.id),
            tracks: fw
                .tracks
                .iter()
                .filter(|t| t.family == Some(fi))
                .map(track_ref)
                .collect(),
        })
        .collect()
}

pub(crate) fn track_ref(t: &Track) -> TrackRef<'_> {
    TrackRef {
        status: t.status,
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

/// `text` with each line break made a Markdown hard break (blank lines dropped).
fn hard_breaks(text: &str) -> String {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("  \n")
}

/// A level's attributes, each value rendered from its Markdown (a list when the
/// front matter gives a list; inline otherwise).
pub(crate) fn attributes<'f>(fw: &Framework, l: &'f Level) -> Vec<Attribute<'f>> {
    let md = fw.config.markdown;
    l.attributes
        .iter()
        .map(|(n, v)| {
            // Parsing checked the value renders; a failure here can only be a value
            // edited in memory (tests), shown as its text.
            let html = if v.starts_with("- ") {
                crate::markdown::render(v, md)
            } else if v.contains('\n') {
                // Only a literal block (`|`) keeps line breaks in YAML: its author
                // wrote one item per line, which Markdown would run together.
                crate::markdown::render_inline(&hard_breaks(v), md)
            } else {
                crate::markdown::render_inline(v, md)
            };
            Attribute {
                name: n,
                value: v,
                html: html.unwrap_or_else(|_| {
                    crate::markdown::plain_text(v)
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                }),
                is_list: v.starts_with("- "),
            }
        })
        .collect()
}

/// Views of a list of behaviours; with `feedback`, each with a link to a new issue about
/// it (behaviours of competency `ci`, shown at a level or a step).
pub(crate) fn behaviour_views<'f>(
    fw: &'f Framework,
    list: &'f [Behaviour],
    feedback: Option<(usize, At<'_>)>,
) -> Vec<BehaviourView<'f>> {
    list.iter()
        .map(|b| {
            let url = feedback.and_then(|(ci, at)| source::behaviour_feedback(fw, ci, at, b));
            behaviour_view(fw, b, None, url)
        })
        .collect()
}

fn behaviour_view<'f>(
    fw: &'f Framework,
    b: &'f Behaviour,
    change: Option<ChangeView<'f>>,
    feedback_url: Option<String>,
) -> BehaviourView<'f> {
    BehaviourView {
        feedback_url,
        origin: b.origin.map(|o| match o {
            Origin::Core(band) => OriginView {
                kind: "core",
                title: &fw.bands[band].title,
                href: None,
            },
            Origin::Level(l) => OriginView {
                kind: "level",
                title: &fw.levels[l].title,
                href: Some(urls::level_anchor(&fw.levels[l].id, &b.anchor)),
            },
        }),
        anchor: &b.anchor,
        html: &b.html,
        examples: b.examples.iter().map(|e| e.html.as_str()).collect(),
        is_new: change.as_ref().is_some_and(|c| c.kind == "new"),
        change,
    }
}

/// What a page needs to show how a level changed: the framework and its comparisons.
pub(crate) struct Compared<'a, 'f> {
    pub fw: &'f Framework,
    pub changes: &'a Changes<'f>,
    /// Whether behaviours carry a feedback link (level and competency pages, when the
    /// site sets `repository`).
    pub feedback: bool,
    /// Whether cells carry what changed word by word: each changed behaviour's marked
    /// text and what it grew from, and what the level below listed that this level does
    /// not (level pages, whose Changes view shows them). Other pages show only each
    /// behaviour's kind of change; building, converting and freeing the rest for them
    /// was most of a matrix page's context (twice its text in small values).
    pub detail: bool,
}

impl<'f> Compared<'_, 'f> {
    /// The cell of competency `ci` at level `li`, with what changed marked against level
    /// `prev` (the level below), when there is one.
    pub(crate) fn cell_view(&self, ci: usize, li: usize, prev: Option<usize>) -> CellView<'f> {
        let fw = self.fw;
        let (c, l) = (&fw.competencies[ci], &fw.levels[li]);
        let cell = fw.cell(c, l);
        let held: Vec<HeldView> = self
            .changes
            .held(ci, li)
            .iter()
            .map(|&(b, at)| HeldView {
                html: &b.html,
                anchor: &b.anchor,
                level: level_ref(fw, &fw.levels[at]),
                href: urls::level_anchor(&fw.levels[at].id, &b.anchor),
            })
            .collect();
        let change = prev.and_then(|p| self.changes.cell(ci, p, li));
        let feedback = self.feedback.then_some((ci, At::Level(li)));
        let Some(change) = change else {
            return CellView {
                empty: cell.is_empty(),
                blank: cell.is_empty() && held.is_empty(),
                step: cell.step.map(step_view),
                step_changed: prev.is_some() && cell.step.is_some(),
                step_before: None,
                behaviours: behaviour_views(fw, cell.behaviours, feedback),
                descriptors: behaviour_views(fw, cell.descriptors, feedback),
                new_count: if prev.is_some() { cell.count() } else { 0 },
                tally: None,
                dropped: Vec::new(),
                step_dropped: Vec::new(),
                held,
            };
        };
        let own = change.new.behaviours;
        let listed = own + change.new.descriptors;
        let mut behaviours: Vec<BehaviourView<'f>> = change.new.items[..listed]
            .iter()
            .enumerate()
            .map(|(j, b)| {
                let url = feedback.and_then(|(ci, at)| source::behaviour_feedback(fw, ci, at, b));
                behaviour_view(fw, b, change_view(fw, &change, j, self.detail), url)
            })
            .collect();
        let descriptors = behaviours.split_off(own);
        let step_changed = match (change.step_a, change.step_b) {
            (Some(a), Some(b)) => a.id != b.id,
            (None, Some(_)) => true,
            _ => false,
        };
        let tally = change.tally();
        // What the level below listed that this one does not: its behaviours (its own
        // and those held from further down), and apart, its step's descriptors when this
        // level's step differs.
        let (dropped, step_dropped): (Vec<usize>, Vec<usize>) = change
            .groups
            .iter()
            .filter(|g| self.detail && g.kind == Kind::Dropped)
            .flat_map(|g| g.old.iter().copied())
            .partition(|&i| {
                let descriptor = i >= change.old.behaviours && !change.old.is_held(i);
                !(descriptor && step_changed)
            });
        let related_all = |list: Vec<usize>| -> Vec<Related<'f>> {
            list.into_iter()
                .map(|i| related(fw, &change, Which::Old, i, &[]))
                .collect()
        };
        CellView {
            empty: cell.is_empty(),
            blank: cell.is_empty() && held.is_empty() && tally.dropped == 0,
            step: cell.step.map(step_view),
            step_changed,
            step_before: change.step_a.filter(|_| step_changed).map(step_view),
            new_count: tally.new,
            behaviours,
            descriptors,
            tally: Some(tally),
            dropped: related_all(dropped),
            step_dropped: related_all(step_dropped),
            held,
        }
    }
}

/// Which side of a comparison.
#[derive(Clone, Copy)]
pub(crate) enum Which {
    Old,
    New,
}

/// How new behaviour `j` of `change` relates to the other level's behaviours: its kind
/// of change, and with `detail` its marked text and what it grew from.
fn change_view<'f>(
    fw: &'f Framework,
    change: &CellChange<'f>,
    j: usize,
    detail: bool,
) -> Option<ChangeView<'f>> {
    let g = change.group_of_new(j)?;
    let k = g.new.iter().position(|&x| x == j)?;
    let b = change.new[j];
    let grown = g.kind.is_growth();
    let rewritten = grown && g.new_marks[k].iter().all(|s| s.mark == Mark::Added);
    let marked = grown && !rewritten;
    Some(ChangeView {
        kind: g.kind.name(),
        segments: if detail && marked {
            segments(&b.plain, &g.new_marks[k])
        } else {
            Vec::new()
        },
        from: g
            .old
            .iter()
            .zip(&g.old_marks)
            .filter(|_| detail)
            .map(|(&i, marks)| related(fw, change, Which::Old, i, if marked { marks } else { &[] }))
            .collect(),
        rewritten,
        stated: g.stated,
    })
}

/// Behaviour `k` of one side of `change`, linked to where it is listed, with `marks`
/// (none: its whole text unmarked).
pub(crate) fn related<'f>(
    fw: &'f Framework,
    change: &CellChange<'f>,
    side: Which,
    k: usize,
    marks: &[Span],
) -> Related<'f> {
    let (list, at) = match side {
        Which::Old => (&change.old, change.old.at[k]),
        Which::New => (&change.new, change.new.at[k]),
    };
    let b = list[k];
    Related {
        anchor: &b.anchor,
        href: urls::level_anchor(&fw.levels[at].id, &b.anchor),
        level: &fw.levels[at].title,
        segments: if marks.is_empty() {
            vec![Segment {
                mark: Mark::Same,
                text: &b.plain,
            }]
        } else {
            segments(&b.plain, marks)
        },
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
    mut entry: impl FnMut(usize, &'f Competency) -> Option<T>,
) -> Vec<AreaGroup<'f, T>> {
    fw.areas
        .iter()
        .enumerate()
        .filter_map(|(ai, a)| {
            let competencies: Vec<T> = fw
                .competencies
                .iter()
                .enumerate()
                .filter(|(_, c)| c.area == ai)
                .filter_map(|(ci, c)| entry(ci, c))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_level_pages_carry_the_word_by_word_changes() {
        // The repository's sample: marked rewordings and dropped behaviours.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let fw = crate::pipeline::load_framework(root).unwrap().0.unwrap();
        let changes = Changes::compute(&fw);
        let (mut segments, mut from, mut dropped) = (0, 0, 0);
        for li in 0..fw.levels.len() {
            let Some(prev) = fw.previous_index(li) else {
                continue;
            };
            for ci in 0..fw.competencies.len() {
                let view = |detail| {
                    let cx = Compared {
                        fw: &fw,
                        changes: &changes,
                        feedback: false,
                        detail,
                    };
                    cx.cell_view(ci, li, Some(prev))
                };
                let (full, light) = (view(true), view(false));
                // The same behaviours, the same kinds of change and counts either way.
                let kinds = |c: &CellView| -> Vec<Option<&str>> {
                    c.behaviours
                        .iter()
                        .map(|b| b.change.as_ref().map(|c| c.kind))
                        .collect()
                };
                assert_eq!(kinds(&full), kinds(&light));
                assert_eq!(full.blank, light.blank);
                assert_eq!(full.new_count, light.new_count);
                for b in &light.behaviours {
                    let c = b.change.as_ref();
                    assert!(c.is_none_or(|c| c.segments.is_empty() && c.from.is_empty()));
                }
                assert!(light.dropped.is_empty());
                for b in &full.behaviours {
                    if let Some(c) = &b.change {
                        segments += c.segments.len();
                        from += c.from.len();
                    }
                }
                dropped += full.dropped.len();
            }
        }
        assert!(
            segments > 0 && from > 0 && dropped > 0,
            "{segments} {from} {dropped}"
        );
    }
}
