//! `/compare/<a>/<b>/`: two levels side by side per competency, with the changed words
//! marked, a summary of what changes and the areas that change most; and `/compare/`,
//! the picker for any pair.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::change::{Row, RowKind, Segment, Tally, align, side_by_side};
use crate::markdown::plain_text;
use crate::model::*;
use crate::plan::pairs::{PairKind, href, pairs};
use crate::plan::urls;
use crate::plan::views::*;
use crate::plan::wording::{capitalise_first, list_and, plural};

/// A behaviour as compared: its text and where it lives.
struct Item<'f> {
    text: String,
    behaviour: &'f Behaviour,
}

fn items<'f>(fw: &'f Framework, c: &'f Competency, l: &'f Level) -> Vec<Item<'f>> {
    if !fw.applies(c, l) {
        return Vec::new();
    }
    let cell = fw.cell(c, l);
    cell.behaviours
        .iter()
        .chain(cell.descriptors)
        .map(|b| Item {
            text: plain_text(&b.text),
            behaviour: b,
        })
        .collect()
}

/// One competency compared across two levels.
pub(crate) struct CompetencyDiff<'f> {
    pub competency: &'f Competency,
    pub rows: Vec<Row>,
    pub tally: Tally,
    old: Vec<Item<'f>>,
    new: Vec<Item<'f>>,
    pub step_a: Option<&'f Step>,
    pub step_b: Option<&'f Step>,
    pub applies_a: bool,
    pub applies_b: bool,
}

impl<'f> CompetencyDiff<'f> {
    /// The new-side behaviour of a row.
    pub(crate) fn new_behaviour(&self, row: &Row) -> Option<&'f Behaviour> {
        row.new.map(|j| self.new[j].behaviour)
    }

    /// One table row: the left cell from `left`'s old side, the right from `right`'s new.
    fn row_view<'r>(
        &self,
        left: Option<&'r Row>,
        right: Option<&'r Row>,
        a: &Level,
        b: &Level,
    ) -> RowView<'r> {
        let kind = |r: Option<&Row>| r.map_or("none", |r| r.kind.name());
        RowView {
            kind: right.or(left).map(|r| r.kind),
            old_kind: kind(left),
            new_kind: kind(right),
            old_segments: left.map_or(&[], |r| &r.old_segments),
            new_segments: right.map_or(&[], |r| &r.new_segments),
            old_href: left
                .and_then(|r| r.old)
                .map(|i| urls::level_anchor(&a.id, &self.old[i].behaviour.anchor)),
            new_href: right
                .and_then(|r| r.new)
                .map(|j| urls::level_anchor(&b.id, &self.new[j].behaviour.anchor)),
        }
    }
}

/// Every competency that applies to either level and expects something of either,
/// compared, in area and competency order.
pub(crate) fn compare_levels<'f>(
    fw: &'f Framework,
    a: &'f Level,
    b: &'f Level,
) -> Vec<CompetencyDiff<'f>> {
    fw.competencies
        .iter()
        .filter(|c| fw.applies(c, a) || fw.applies(c, b))
        .filter_map(|c| {
            let old = items(fw, c, a);
            let new = items(fw, c, b);
            let (step_a, step_b) = (
                fw.cell(c, a).step.filter(|_| fw.applies(c, a)),
                fw.cell(c, b).step.filter(|_| fw.applies(c, b)),
            );
            if old.is_empty() && new.is_empty() && step_a.is_none() && step_b.is_none() {
                return None;
            }
            let o: Vec<&str> = old.iter().map(|i| i.text.as_str()).collect();
            let n: Vec<&str> = new.iter().map(|i| i.text.as_str()).collect();
            let rows = align(&o, &n);
            Some(CompetencyDiff {
                competency: c,
                tally: Tally::of(&rows),
                rows,
                old,
                new,
                step_a,
                step_b,
                applies_a: fw.applies(c, a),
                applies_b: fw.applies(c, b),
            })
        })
        .collect()
}

fn step_rank(fw: &Framework, c: &Competency, s: Option<&Step>) -> Option<usize> {
    let s = s?;
    let scale = &fw.scales[c.scale?];
    scale.steps.iter().position(|x| x.id == s.id)
}

#[derive(Serialize)]
pub(crate) struct ComparePage<'f> {
    compare: Comparison<'f>,
}

#[derive(Serialize)]
struct Comparison<'f> {
    kind: PairKind,
    labels: Labels,
    a: LevelLabel<'f>,
    b: LevelLabel<'f>,
    same_band: bool,
    summary: String,
    tally: Tally,
    higher_steps: usize,
    areas: Vec<AreaComparison<'f>>,
    reverse_href: Option<String>,
    assess_href: String,
}

/// What the three kinds of row are called on this page.
#[derive(Serialize)]
struct Labels {
    added: String,
    removed: String,
    changed: &'static str,
}

/// A level and the titles of its tracks (`Expert track and Manager track`).
#[derive(Serialize)]
struct LevelLabel<'f> {
    #[serde(flatten)]
    level: LevelRef<'f>,
    track_titles: String,
}

#[derive(Serialize)]
struct AreaComparison<'f> {
    area: AreaRef<'f>,
    tally: Tally,
    competencies: Vec<CompetencyComparison<'f>>,
}

#[derive(Serialize)]
struct CompetencyComparison<'f> {
    competency: CompetencyRef<'f>,
    applies_a: bool,
    applies_b: bool,
    step_a: Option<StepView<'f>>,
    step_b: Option<StepView<'f>>,
    /// `higher`, `lower`, `same`, `new`, `dropped` or `none`.
    step_change: &'static str,
    tally: Tally,
    rows: Vec<RowView<'f>>,
}

/// One row of the side-by-side table.
#[derive(Serialize)]
struct RowView<'r> {
    kind: Option<RowKind>,
    /// The kind of the left and right cell's row, or `none`.
    old_kind: &'static str,
    new_kind: &'static str,
    old_segments: &'r [Segment],
    new_segments: &'r [Segment],
    old_href: Option<String>,
    new_href: Option<String>,
}

fn level_label<'f>(fw: &'f Framework, l: &'f Level) -> LevelLabel<'f> {
    let titles: Vec<String> = l
        .tracks
        .iter()
        .filter_map(|t| fw.track(t))
        .map(|t| t.title.clone())
        .collect();
    LevelLabel {
        level: level_ref(fw, l),
        track_titles: list_and(&titles),
    }
}

/// How a competency's expected step moves from `a` to `b`.
fn step_change(fw: &Framework, d: &CompetencyDiff) -> &'static str {
    let rank = |s| step_rank(fw, d.competency, s);
    match (rank(d.step_a), rank(d.step_b)) {
        (Some(x), Some(y)) if y > x => "higher",
        (Some(x), Some(y)) if y < x => "lower",
        (Some(_), Some(_)) => "same",
        (None, Some(_)) => "new",
        (Some(_), None) => "dropped",
        (None, None) => "none",
    }
}

/// The context of `/compare/<a>/<b>/` (the rows borrow from `diffs`, computed by the
/// caller with [`compare_levels`]).
pub(crate) fn compare<'f>(
    fw: &'f Framework,
    diffs: &'f [CompetencyDiff<'f>],
    (ai, bi): (usize, usize),
    kind: PairKind,
) -> ComparePage<'f> {
    let (a, b) = (&fw.levels[ai], &fw.levels[bi]);
    let mut total = Tally::default();
    let mut higher_steps = 0;
    let mut areas = Vec::new();
    let mut ranking: Vec<(usize, usize, String, Tally)> = Vec::new();
    for (index, area) in fw.areas.iter().enumerate() {
        let in_area: Vec<&CompetencyDiff> = diffs
            .iter()
            .filter(|d| d.competency.area == index)
            .collect();
        if in_area.is_empty() {
            continue;
        }
        let mut tally = Tally::default();
        let competencies = in_area
            .iter()
            .map(|d| {
                tally.add(d.tally);
                let step_change = step_change(fw, d);
                if matches!(step_change, "higher" | "new") {
                    higher_steps += 1;
                }
                CompetencyComparison {
                    competency: competency_ref(d.competency),
                    applies_a: d.applies_a,
                    applies_b: d.applies_b,
                    step_a: d.step_a.map(step_view),
                    step_b: d.step_b.map(step_view),
                    step_change,
                    tally: d.tally,
                    rows: side_by_side(&d.rows)
                        .into_iter()
                        .map(|(l, r)| {
                            d.row_view(l.map(|i| &d.rows[i]), r.map(|i| &d.rows[i]), a, b)
                        })
                        .collect(),
                }
            })
            .collect();
        total.add(tally);
        ranking.push((tally.weight(), areas.len(), area.title.clone(), tally));
        areas.push(AreaComparison {
            area: area_ref(area),
            tally,
            competencies,
        });
    }
    let top = areas_that_change_most(ranking, a, b, kind);
    let pre: BTreeSet<(usize, usize)> = pairs(fw).iter().map(|p| (p.a, p.b)).collect();
    ComparePage {
        compare: Comparison {
            kind,
            labels: match kind {
                PairKind::Adjacent => Labels {
                    added: "New".into(),
                    removed: "No longer listed".into(),
                    changed: "Reworded",
                },
                PairKind::Equivalent => Labels {
                    added: format!("Only at {}", b.title),
                    removed: format!("Only at {}", a.title),
                    changed: "Reworded",
                },
            },
            a: level_label(fw, a),
            b: level_label(fw, b),
            same_band: a.band == b.band,
            summary: summary_text(a, b, kind, total, higher_steps, &top),
            tally: total,
            higher_steps,
            areas,
            reverse_href: pre.contains(&(bi, ai)).then(|| href(fw, bi, ai)),
            assess_href: urls::assess(&a.id),
        },
    }
}

/// The two areas with the most weight of change, as `Craft (3 new, 1 reworded)`.
fn areas_that_change_most(
    mut ranking: Vec<(usize, usize, String, Tally)>,
    a: &Level,
    b: &Level,
    kind: PairKind,
) -> Vec<String> {
    ranking.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    ranking
        .iter()
        .filter(|r| r.0 > 0)
        .take(2)
        .map(|r| {
            let t = r.3;
            let mut bits = Vec::new();
            let (new, gone) = match kind {
                PairKind::Adjacent => ("new".to_string(), "no longer listed".to_string()),
                PairKind::Equivalent => (
                    format!("only at {}", b.title),
                    format!("only at {}", a.title),
                ),
            };
            if t.added > 0 {
                bits.push(format!("{} {new}", t.added));
            }
            if t.changed > 0 {
                bits.push(format!("{} reworded", t.changed));
            }
            if t.removed > 0 {
                bits.push(format!("{} {gone}", t.removed));
            }
            format!("{} ({})", r.2, bits.join(", "))
        })
        .collect()
}

fn summary_text(
    a: &Level,
    b: &Level,
    kind: PairKind,
    t: Tally,
    higher_steps: usize,
    top: &[String],
) -> String {
    let mut s = match kind {
        PairKind::Adjacent => {
            let mut parts = vec![format!(
                "lists {}",
                plural(t.added, "new expectation", "new expectations")
            )];
            if t.changed > 0 {
                parts.push(format!("rewords {}", t.changed));
            }
            if t.removed > 0 {
                parts.push(format!("no longer lists {}", t.removed));
            }
            if t.same > 0 {
                parts.push(format!("keeps {} unchanged", t.same));
            }
            format!(
                "Moving from {} to {}: {} {}.",
                a.title,
                b.title,
                b.title,
                list_and(&parts)
            )
        }
        PairKind::Equivalent => {
            let mut parts = vec![
                format!(
                    "{} only at {}",
                    plural(t.added, "expectation is", "expectations are"),
                    b.title
                ),
                format!("{} only at {}", t.removed, a.title),
            ];
            if t.changed > 0 {
                parts.push(format!("{} are worded differently", t.changed));
            }
            if t.same > 0 {
                parts.push(format!("{} are shared", t.same));
            }
            format!(
                "{} and {} sit in the same band on different tracks: equally senior, different work. {}.",
                a.title,
                b.title,
                capitalise_first(&list_and(&parts))
            )
        }
    };
    if higher_steps > 0 {
        s.push_str(&format!(
            " It expects a higher proficiency step in {}.",
            plural(higher_steps, "competency", "competencies")
        ));
    }
    match top {
        [] => s.push_str(" No area changes."),
        [one] => s.push_str(&format!(" The area that changes most is {one}.")),
        _ => s.push_str(&format!(
            " The areas that change most are {}.",
            list_and(top)
        )),
    }
    s
}

#[derive(Serialize)]
pub(crate) struct CompareIndexPage<'f> {
    picker: Picker<'f>,
}

#[derive(Serialize)]
struct Picker<'f> {
    groups: Vec<PickerGroup<'f>>,
    adjacent: Vec<PairLink<'f>>,
    equivalent: Vec<PairLink<'f>>,
    /// Every pre-rendered pair as `a/b`, for the picker's script.
    pairs: Vec<String>,
}

#[derive(Serialize)]
struct PickerGroup<'f> {
    track: TrackRef<'f>,
    levels: Vec<LevelRef<'f>>,
}

#[derive(Serialize)]
struct PairLink<'f> {
    a: LevelRef<'f>,
    b: LevelRef<'f>,
    href: String,
}

/// The context of `/compare/`: the picker's levels and every pre-rendered pair.
pub(crate) fn compare_index(fw: &Framework) -> CompareIndexPage<'_> {
    let all = pairs(fw);
    let list = |kind: PairKind| -> Vec<PairLink> {
        all.iter()
            .filter(|p| p.kind == kind)
            .map(|p| PairLink {
                a: level_ref(fw, &fw.levels[p.a]),
                b: level_ref(fw, &fw.levels[p.b]),
                href: href(fw, p.a, p.b),
            })
            .collect()
    };
    CompareIndexPage {
        picker: Picker {
            groups: fw
                .tracks
                .iter()
                .map(|t| PickerGroup {
                    track: track_ref(t),
                    levels: fw
                        .track_levels(&t.id)
                        .map(|(_, l)| level_ref(fw, l))
                        .collect(),
                })
                .collect(),
            adjacent: list(PairKind::Adjacent),
            equivalent: list(PairKind::Equivalent),
            pairs: all
                .iter()
                .map(|p| format!("{}/{}", fw.levels[p.a].id, fw.levels[p.b].id))
                .collect(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_counts_and_the_areas_that_change_most() {
        let l = |id: &str| Level {
            id: LevelId(id.into()),
            title: id.into(),
            band: 0,
            order: 0,
            summary: String::new(),
            status: Status::Current,
            attributes: vec![],
            expects: Default::default(),
            tracks: vec![],
            body_html: String::new(),
            file: String::new(),
        };
        let t = Tally {
            same: 0,
            changed: 1,
            added: 5,
            removed: 2,
        };
        let s = summary_text(
            &l("Engineer"),
            &l("Senior"),
            PairKind::Adjacent,
            t,
            2,
            &["Craft (3 new)".into(), "Delivery (2 new)".into()],
        );
        assert_eq!(
            s,
            "Moving from Engineer to Senior: Senior lists 5 new expectations, rewords 1 and no longer lists 2. It expects a higher proficiency step in 2 competencies. The areas that change most are Craft (3 new) and Delivery (2 new)."
        );
    }
}
