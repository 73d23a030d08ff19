//! The comparison pages (issue 5): which pairs of levels get a pre-rendered
//! `/compare/<a>/<b>/` page, the context of one comparison, and the `/compare/` picker.
//!
//! Pairs: every two adjacent levels of a track, lower first, and equivalent levels
//! (same band, no track in common) in neighbouring ladder columns, in track order. A shared-trunk pair that is
//! adjacent on two tracks is listed once.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::{Value, json};

use super::views::*;
use crate::change::{Row, Tally, align, side_by_side};
use crate::markdown::plain_text;
use crate::model::*;

/// Why a pair of levels is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PairKind {
    /// `b` is the next level after `a` on a track.
    Adjacent,
    /// Same band, different tracks.
    Equivalent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    pub kind: PairKind,
}

/// Every pre-rendered comparison: adjacent pairs by track, then equivalent pairs by band.
/// Level pages and assessments ask for it, so it is one pass over the levels with tracks
/// looked up by index, not a scan of every level per track.
pub fn pairs(fw: &Framework) -> Vec<Pair> {
    let track_ix: HashMap<&str, usize> = fw
        .tracks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let mut by_track: Vec<Vec<usize>> = vec![Vec::new(); fw.tracks.len()];
    let mut by_band: Vec<Vec<(usize, usize)>> = vec![Vec::new(); fw.bands.len()];
    for (i, l) in fw.levels.iter().enumerate() {
        for t in &l.tracks {
            if let Some(&ti) = track_ix.get(t.as_str()) {
                by_track[ti].push(i);
            }
        }
        let first = l
            .tracks
            .first()
            .and_then(|t| track_ix.get(t.as_str()).copied())
            .unwrap_or(usize::MAX);
        if let Some(band) = by_band.get_mut(l.band) {
            band.push((first, i));
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for levels in &by_track {
        for w in levels.windows(2) {
            if seen.insert((w[0], w[1])) {
                out.push(Pair {
                    a: w[0],
                    b: w[1],
                    kind: PairKind::Adjacent,
                });
            }
        }
    }
    for mut levels in by_band {
        levels.sort_unstable();
        // Neighbouring columns of the ladder only: with two tracks that is every
        // equivalent pair; with many tracks it keeps the page count linear (30 tracks
        // would otherwise mean 435 comparisons per band). Any other pair is one click
        // away in the /compare/ picker.
        for w in levels.windows(2) {
            let (x, y) = (w[0].1, w[1].1);
            let (lx, ly) = (&fw.levels[x], &fw.levels[y]);
            let disjoint = !lx.tracks.iter().any(|t| ly.tracks.contains(t));
            if disjoint && seen.insert((x, y)) {
                out.push(Pair {
                    a: x,
                    b: y,
                    kind: PairKind::Equivalent,
                });
            }
        }
    }
    out
}

/// The URL of a comparison page, relative to the site root.
pub fn href(fw: &Framework, a: usize, b: usize) -> String {
    format!("compare/{}/{}/", fw.levels[a].id, fw.levels[b].id)
}

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
pub struct CompetencyDiff<'f> {
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

impl CompetencyDiff<'_> {
    /// The new-side behaviour of a row.
    pub fn new_behaviour(&self, row: &Row) -> Option<&Behaviour> {
        row.new.map(|j| self.new[j].behaviour)
    }

    /// One table row: the left cell from `left`'s old side, the right from `right`'s new.
    fn row_view(&self, left: Option<&Row>, right: Option<&Row>, a: &Level, b: &Level) -> Value {
        let link = |l: &Level, bh: &Behaviour| format!("levels/{}/#{}", l.id, bh.anchor);
        let empty = Vec::new();
        json!({
            "kind": right.or(left).map(|r| r.kind),
            "old_kind": left.map_or(json!("none"), |r| json!(r.kind)),
            "new_kind": right.map_or(json!("none"), |r| json!(r.kind)),
            "old_segments": left.map_or(&empty, |r| &r.old_segments),
            "new_segments": right.map_or(&empty, |r| &r.new_segments),
            "old_href": left.and_then(|r| r.old).map(|i| link(a, self.old[i].behaviour)),
            "new_href": right.and_then(|r| r.new).map(|j| link(b, self.new[j].behaviour)),
        })
    }
}

/// Every competency that applies to either level and expects something of either,
/// compared, in area and competency order.
pub fn compare_levels<'f>(
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
            let ca = fw.cell(c, a);
            let cb = fw.cell(c, b);
            let (step_a, step_b) = (
                ca.step.filter(|_| fw.applies(c, a)),
                cb.step.filter(|_| fw.applies(c, b)),
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn capitalise_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn list_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn level_label(fw: &Framework, l: &Level) -> Value {
    let tracks: Vec<&str> = l
        .tracks
        .iter()
        .filter_map(|t| fw.track(t))
        .map(|t| t.title.as_str())
        .collect();
    let mut r = serde_json::to_value(level_ref(fw, l)).unwrap_or_default();
    if let Value::Object(m) = &mut r {
        m.insert(
            "track_titles".into(),
            json!(list_and(
                &tracks.iter().map(|s| s.to_string()).collect::<Vec<_>>()
            )),
        );
    }
    r
}

/// The context of `/compare/<a>/<b>/`.
pub fn compare(fw: &Framework, ai: usize, bi: usize, kind: PairKind) -> Value {
    let (a, b) = (&fw.levels[ai], &fw.levels[bi]);
    let diffs = compare_levels(fw, a, b);
    let mut total = Tally::default();
    let mut higher_steps = 0;
    let mut areas_out = Vec::new();
    let mut ranking: Vec<(usize, usize, String, Tally)> = Vec::new();
    for (ai_, area) in fw.areas.iter().enumerate() {
        let in_area: Vec<&CompetencyDiff> =
            diffs.iter().filter(|d| d.competency.area == ai_).collect();
        if in_area.is_empty() {
            continue;
        }
        let mut tally = Tally::default();
        let comps: Vec<Value> = in_area
            .iter()
            .map(|d| {
                tally.add(d.tally);
                let (ra, rb) = (step_rank(fw, d.competency, d.step_a), step_rank(fw, d.competency, d.step_b));
                let step_change = match (ra, rb) {
                    (Some(x), Some(y)) if y > x => "higher",
                    (Some(x), Some(y)) if y < x => "lower",
                    (Some(_), Some(_)) => "same",
                    (None, Some(_)) => "new",
                    (Some(_), None) => "dropped",
                    (None, None) => "none",
                };
                if matches!(step_change, "higher" | "new") {
                    higher_steps += 1;
                }
                json!({
                    "competency": competency_ref(d.competency),
                    "applies_a": d.applies_a,
                    "applies_b": d.applies_b,
                    "step_a": d.step_a.map(step_view),
                    "step_b": d.step_b.map(step_view),
                    "step_change": step_change,
                    "tally": d.tally,
                    "rows": side_by_side(&d.rows)
                        .into_iter()
                        .map(|(l, r)| d.row_view(l.map(|i| &d.rows[i]), r.map(|i| &d.rows[i]), a, b))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        total.add(tally);
        ranking.push((tally.weight(), areas_out.len(), area.title.clone(), tally));
        areas_out.push(json!({ "area": area_ref(area), "tally": tally, "competencies": comps }));
    }
    ranking.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    let top: Vec<String> = ranking
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
        .collect();
    let summary = summary_text(a, b, kind, total, higher_steps, &top);
    let pre: BTreeSet<(usize, usize)> = pairs(fw).iter().map(|p| (p.a, p.b)).collect();
    json!({
        "compare": {
            "kind": kind,
            "labels": match kind {
                PairKind::Adjacent => json!({ "added": "New", "removed": "No longer listed", "changed": "Reworded" }),
                PairKind::Equivalent => json!({
                    "added": format!("Only at {}", b.title),
                    "removed": format!("Only at {}", a.title),
                    "changed": "Reworded",
                }),
            },
            "a": level_label(fw, a),
            "b": level_label(fw, b),
            "same_band": a.band == b.band,
            "summary": summary,
            "tally": total,
            "higher_steps": higher_steps,
            "areas": areas_out,
            "reverse_href": pre.contains(&(bi, ai)).then(|| href(fw, bi, ai)),
            "assess_href": format!("assess/{}/", a.id),
        }
    })
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

/// The context of `/compare/`: the picker's levels and every pre-rendered pair.
pub fn compare_index(fw: &Framework) -> Value {
    let groups: Vec<Value> = fw
        .tracks
        .iter()
        .map(|t| {
            json!({
                "track": track_ref(t),
                "levels": fw.track_levels(&t.id).map(|(_, l)| level_ref(fw, l)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let list = |kind: PairKind| -> Vec<Value> {
        pairs(fw)
            .into_iter()
            .filter(|p| p.kind == kind)
            .map(|p| {
                json!({
                    "a": level_ref(fw, &fw.levels[p.a]),
                    "b": level_ref(fw, &fw.levels[p.b]),
                    "href": href(fw, p.a, p.b),
                })
            })
            .collect()
    };
    json!({
        "picker": {
            "groups": groups,
            "adjacent": list(PairKind::Adjacent),
            "equivalent": list(PairKind::Equivalent),
            "pairs": pairs(fw).iter().map(|p| format!("{}/{}", fw.levels[p.a].id, fw.levels[p.b].id)).collect::<Vec<_>>(),
        }
    })
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
