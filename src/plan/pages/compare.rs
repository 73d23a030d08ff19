//! `/compare/<a>/<b>/`: two levels side by side per competency, with the changed words
//! marked, a summary of what changes and the areas that change most; and `/compare/`,
//! the picker for any pair. The comparison itself is the build's one notion of change
//! ([`crate::change`]), the same the level, matrix and assessment pages show.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::change::{CellChange, Group, Mark, Tally};
use crate::model::*;
use crate::plan::pairs::{Pair, PairKind, href};
use crate::plan::urls;
use crate::plan::views::*;
use crate::plan::wording::{capitalise_first, list_and, plural};

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

/// What each kind of row is called on this page.
#[derive(Serialize)]
struct Labels {
    new: String,
    dropped: String,
    kept: &'static str,
    reworded: &'static str,
    merged: &'static str,
    split: &'static str,
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
    /// The counts; zero when the competency is part of only one level's track (its
    /// behaviours are then not new or dropped, just elsewhere, and not tagged).
    tally: Tally,
    rows: Vec<RowView<'f>>,
}

/// One row of the side-by-side table: a group of linked behaviours, or one alone.
#[derive(Serialize)]
struct RowView<'f> {
    /// `kept`, `reworded`, `merged`, `split`, `new` or `dropped`.
    kind: &'static str,
    /// The first level's behaviours of the row, then the second's, each linked to its
    /// level page, with the words that changed marked.
    old: Vec<Related<'f>>,
    new: Vec<Related<'f>>,
    /// Whether the author stated the link rather than rungs inferring it.
    stated: bool,
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
fn step_change(fw: &Framework, d: &CellChange) -> &'static str {
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

/// One row of the table for `g`: both sides linked to where they are listed. A
/// behaviour whose every word is marked (a rewrite) is shown as written: the row's tag
/// says it changed, and marking every word would only double its markup.
fn row<'f>(fw: &'f Framework, d: &CellChange<'f>, g: &Group) -> RowView<'f> {
    let side = |which: Which, items: &[usize], marks: &[Vec<crate::change::Span>]| {
        items
            .iter()
            .zip(marks)
            .map(|(&k, spans)| {
                let whole = spans.iter().all(|s| s.mark != Mark::Same);
                related(fw, d, which, k, if whole { &[] } else { spans })
            })
            .collect()
    };
    RowView {
        kind: g.kind.name(),
        old: side(Which::Old, &g.old, &g.old_marks),
        new: side(Which::New, &g.new, &g.new_marks),
        stated: g.stated,
    }
}

/// The context of `/compare/<a>/<b>/`, from the comparisons of the pair.
pub(crate) fn compare<'f>(
    fw: &'f Framework,
    diffs: &[CellChange<'f>],
    (ai, bi): (usize, usize),
    kind: PairKind,
    pairs: &[Pair],
) -> ComparePage<'f> {
    let (a, b) = (&fw.levels[ai], &fw.levels[bi]);
    let mut total = Tally::default();
    let (mut higher_steps, mut lower_steps) = (0, 0);
    let mut areas = Vec::new();
    let mut ranking: Vec<(usize, usize, String, Tally)> = Vec::new();
    // Competencies only one of the two has: shown, not counted.
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    for d in diffs {
        match (d.applies_a, d.applies_b) {
            (true, false) => only_a.push(d.competency.title.clone()),
            (false, true) => only_b.push(d.competency.title.clone()),
            _ => {}
        }
    }
    for (index, area) in fw.areas.iter().enumerate() {
        let in_area: Vec<&CellChange> = diffs
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
                let t = if d.applies_a && d.applies_b {
                    d.tally()
                } else {
                    Tally::default()
                };
                tally.add(t);
                let step_change = step_change(fw, d);
                // Counted, like the behaviours, only where both levels have the competency.
                if d.applies_a && d.applies_b {
                    if matches!(step_change, "higher" | "new") {
                        higher_steps += 1;
                    } else if step_change == "lower" {
                        lower_steps += 1;
                    }
                }
                CompetencyComparison {
                    competency: competency_ref(d.competency),
                    applies_a: d.applies_a,
                    applies_b: d.applies_b,
                    step_a: d.step_a.map(step_view),
                    step_b: d.step_b.map(step_view),
                    step_change,
                    tally: t,
                    rows: d
                        .groups
                        .iter()
                        .filter(|g| !d.is_held_group(g))
                        .map(|g| row(fw, d, g))
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
    let pre: BTreeSet<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
    ComparePage {
        compare: Comparison {
            kind,
            labels: labels(kind, a, b),
            a: level_label(fw, a),
            b: level_label(fw, b),
            same_band: a.band == b.band,
            summary: summary_text(a, b, kind, total, (higher_steps, lower_steps), &top)
                + &one_sided(a, b, &only_a, &only_b),
            tally: total,
            higher_steps,
            areas,
            reverse_href: pre.contains(&(bi, ai)).then(|| href(fw, bi, ai)),
            assess_href: urls::assess(&a.id),
        },
    }
}

/// The summary's last sentence when some competencies apply to one level only: their
/// rows are on the page, but a count of what one level lists and the other does not
/// would say nothing about growth.
fn one_sided(a: &Level, b: &Level, only_a: &[String], only_b: &[String]) -> String {
    let part = |l: &Level, list: &[String]| {
        format!(
            "{} {} only to {}",
            list_and(list),
            if list.len() == 1 { "applies" } else { "apply" },
            l.title
        )
    };
    let parts: Vec<String> = [(a, only_a), (b, only_b)]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(l, list)| part(l, list))
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        _ => format!(
            " {} (shown below, not counted above).",
            capitalise_first(&parts.join("; "))
        ),
    }
}

/// What each kind of row is called: a step up a track, or peers on two tracks.
fn labels(kind: PairKind, a: &Level, b: &Level) -> Labels {
    match kind {
        PairKind::Adjacent => Labels {
            new: "New".into(),
            dropped: "No longer listed".into(),
            kept: "Kept",
            reworded: "Reworded",
            merged: "Merged",
            split: "Split",
        },
        PairKind::Equivalent => Labels {
            new: format!("Only at {}", b.title),
            dropped: format!("Only at {}", a.title),
            kept: "Shared",
            reworded: "Worded differently",
            merged: "Worded differently",
            split: "Worded differently",
        },
    }
}

/// The areas with the most weight of change, as `Craft (3 new, 1 reworded)`: the top
/// two, and any tied with the second (at most four names; more ties say nothing useful).
fn areas_that_change_most(
    mut ranking: Vec<(usize, usize, String, Tally)>,
    a: &Level,
    b: &Level,
    kind: PairKind,
) -> Vec<String> {
    ranking.retain(|r| r.0 > 0);
    ranking.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    let Some(cutoff) = ranking.get(1).or(ranking.first()).map(|r| r.0) else {
        return Vec::new();
    };
    let top: Vec<_> = ranking.iter().take_while(|r| r.0 >= cutoff).collect();
    if top.len() > 4 {
        return Vec::new();
    }
    let (new, gone) = match kind {
        PairKind::Adjacent => ("new".to_string(), "no longer listed".to_string()),
        PairKind::Equivalent => (
            format!("only at {}", b.title),
            format!("only at {}", a.title),
        ),
    };
    top.iter()
        .map(|r| {
            let t = r.3;
            let mut bits = Vec::new();
            if t.new > 0 {
                bits.push(format!("{} {new}", t.new));
            }
            if t.grown() > 0 {
                bits.push(format!("{} reworded", t.grown()));
            }
            if t.dropped > 0 {
                bits.push(format!("{} {gone}", t.dropped));
            }
            format!("{} ({})", r.2, bits.join(", "))
        })
        .collect()
}

/// `1 is`, `2 are`.
fn count_is(n: usize) -> String {
    format!("{n} {}", if n == 1 { "is" } else { "are" })
}

fn summary_text(
    a: &Level,
    b: &Level,
    kind: PairKind,
    t: Tally,
    (higher_steps, lower_steps): (usize, usize),
    top: &[String],
) -> String {
    let mut s = match kind {
        PairKind::Adjacent => {
            let mut parts = vec![format!(
                "lists {}",
                plural(t.new, "new expectation", "new expectations")
            )];
            if t.grown() > 0 {
                parts.push(format!("rewords {}", t.grown()));
            }
            if t.kept > 0 {
                parts.push(format!("keeps {} unchanged", t.kept));
            }
            if t.dropped > 0 {
                parts.push(format!("no longer lists {}", t.dropped));
            }
            if t.held > 0 {
                parts.push(format!("carries {} from the levels below", t.held));
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
                    plural(t.new, "expectation is", "expectations are"),
                    b.title
                ),
                format!("{} only at {}", count_is(t.dropped), a.title),
            ];
            if t.grown() > 0 {
                parts.push(format!("{} worded differently", count_is(t.grown())));
            }
            if t.kept > 0 {
                parts.push(format!("{} shared", count_is(t.kept)));
            }
            if t.held > 0 {
                parts.push(format!("{} from lower levels hold at both", t.held));
            }
            format!(
                "{} and {} sit in the same band on different tracks: equally senior, different work. {}.",
                a.title,
                b.title,
                capitalise_first(&list_and(&parts))
            )
        }
    };
    // Both directions: between equivalent levels a step is as often lower as higher.
    match (higher_steps, lower_steps) {
        (0, 0) => {}
        (h, 0) => s.push_str(&format!(
            " {} expects a higher proficiency step in {}.",
            b.title,
            plural(h, "competency", "competencies")
        )),
        (0, l) => s.push_str(&format!(
            " {} expects a lower proficiency step in {}.",
            b.title,
            plural(l, "competency", "competencies")
        )),
        (h, l) => s.push_str(&format!(
            " {} expects a higher proficiency step in {} and a lower one in {l}.",
            b.title,
            plural(h, "competency", "competencies")
        )),
    }
    match top {
        [] if t.weight() == 0 => s.push_str(" No area changes."),
        [] => s.push_str(" The changes are spread evenly across the areas."),
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
    /// The same comparisons by track, each with the steps up its own ladder (a step
    /// shared by tracks is under each): Dropbox lists 40 in one column otherwise.
    adjacent_by_track: Vec<TrackPairs<'f>>,
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
struct TrackPairs<'f> {
    track: TrackRef<'f>,
    pairs: Vec<PairLink<'f>>,
}

#[derive(Serialize)]
struct PairLink<'f> {
    a: LevelRef<'f>,
    b: LevelRef<'f>,
    href: String,
}

/// The context of `/compare/`: the picker's levels and every pre-rendered pair.
pub(crate) fn compare_index<'f>(fw: &'f Framework, all: &[Pair]) -> CompareIndexPage<'f> {
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
            adjacent_by_track: fw
                .tracks
                .iter()
                .map(|t| {
                    // The track's own steps: a pair of another track whose levels are
                    // both on this one may skip a level between them here.
                    let ladder: Vec<usize> = fw.track_levels(&t.id).map(|(i, _)| i).collect();
                    let steps: BTreeSet<(usize, usize)> =
                        ladder.windows(2).map(|w| (w[0], w[1])).collect();
                    (t, steps)
                })
                .map(|(t, steps)| TrackPairs {
                    track: track_ref(t),
                    pairs: all
                        .iter()
                        .filter(|p| p.kind == PairKind::Adjacent && steps.contains(&(p.a, p.b)))
                        .map(|p| PairLink {
                            a: level_ref(fw, &fw.levels[p.a]),
                            b: level_ref(fw, &fw.levels[p.b]),
                            href: href(fw, p.a, p.b),
                        })
                        .collect(),
                })
                .filter(|g| !g.pairs.is_empty())
                .collect(),
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
            ..test_level()
        };
        let t = Tally {
            reworded: 1,
            new: 5,
            dropped: 2,
            ..Tally::default()
        };
        let s = summary_text(
            &l("Engineer"),
            &l("Senior"),
            PairKind::Adjacent,
            t,
            (2, 0),
            &["Craft (3 new)".into(), "Delivery (2 new)".into()],
        );
        assert_eq!(
            s,
            "Moving from Engineer to Senior: Senior lists 5 new expectations, rewords 1 and no longer lists 2. Senior expects a higher proficiency step in 2 competencies. The areas that change most are Craft (3 new) and Delivery (2 new)."
        );
        let peers = summary_text(
            &l("Staff"),
            &l("Manager"),
            PairKind::Equivalent,
            Tally {
                reworded: 1,
                kept: 1,
                new: 1,
                dropped: 1,
                ..Tally::default()
            },
            (2, 2),
            &[],
        );
        assert!(
            peers.ends_with("1 expectation is only at Manager, 1 is only at Staff, 1 is worded differently and 1 is shared. Manager expects a higher proficiency step in 2 competencies and a lower one in 2. The changes are spread evenly across the areas."),
            "{peers}"
        );
    }

    #[test]
    fn ties_name_every_area_that_changes_as_much_as_the_second() {
        let l = |title: &str| Level {
            title: title.into(),
            ..test_level()
        };
        let t = Tally {
            new: 1,
            ..Tally::default()
        };
        let ranking = |n: usize| (0..n).map(|i| (2, i, format!("Area {i}"), t)).collect();
        let top = areas_that_change_most(ranking(3), &l("A"), &l("B"), PairKind::Adjacent);
        assert_eq!(top, ["Area 0 (1 new)", "Area 1 (1 new)", "Area 2 (1 new)"]);
        assert!(
            areas_that_change_most(ranking(5), &l("A"), &l("B"), PairKind::Adjacent).is_empty()
        );
    }

    fn test_level() -> Level {
        Level {
            id: LevelId("x".into()),
            title: "X".into(),
            band: 0,
            order: 0,
            summary: String::new(),
            status: Status::Current,
            attributes: vec![],
            expects: Default::default(),
            tracks: vec![],
            body_html: String::new(),
            file: String::new(),
        }
    }
}
