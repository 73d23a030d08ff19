//! The context of `/assess/<level>/` (issue 5): every behaviour of the level to rate,
//! the rating scale, and the development-plan targets (the next level on each track and
//! the equivalent levels on other tracks) with what each adds.
//!
//! The page is a complete printable checklist without JavaScript; `assess.js` adds the
//! storage, sharing, exports and the live plan on top of this markup.

use serde_json::{Value, json};

use super::compare::{PairKind, compare_levels, pairs};
use super::views::*;
use crate::change::RowKind;
use crate::markdown::plain_text;
use crate::model::*;

fn items(fw: &Framework, c: &Competency, l: &Level) -> Vec<Value> {
    let cell = fw.cell(c, l);
    let step = cell.step.map(|s| s.title.as_str());
    cell.behaviours
        .iter()
        .map(|b| (b, None))
        .chain(cell.descriptors.iter().map(|b| (b, step)))
        .map(|(b, step)| {
            json!({
                "anchor": b.anchor,
                "html": b.html,
                "text": plain_text(&b.text),
                "examples": b.examples.iter().map(|e| e.html.as_str()).collect::<Vec<_>>(),
                "step": step,
            })
        })
        .collect()
}

/// What moving from `from` to `to` adds: the new and reworded behaviours of `to`.
fn target(fw: &Framework, from: &Level, to: &Level, kind: &str, track: &Track) -> Value {
    let diffs = compare_levels(fw, from, to);
    let mut count = 0;
    let areas: Vec<Value> = fw
        .areas
        .iter()
        .enumerate()
        .filter_map(|(ai, a)| {
            let comps: Vec<Value> = diffs
                .iter()
                .filter(|d| d.competency.area == ai)
                .filter_map(|d| {
                    let rows: Vec<Value> = d
                        .rows
                        .iter()
                        .filter(|r| matches!(r.kind, RowKind::Added | RowKind::Changed))
                        .filter_map(|r| {
                            let b = d.new_behaviour(r)?;
                            Some(json!({
                                "kind": r.kind,
                                "anchor": b.anchor,
                                "text": plain_text(&b.text),
                                "segments": r.new_segments,
                                "href": format!("levels/{}/#{}", to.id, b.anchor),
                            }))
                        })
                        .collect();
                    count += rows.len();
                    (!rows.is_empty()).then(
                        || json!({ "competency": competency_ref(d.competency), "items": rows }),
                    )
                })
                .collect();
            (!comps.is_empty()).then(|| json!({ "area": area_ref(a), "competencies": comps }))
        })
        .collect();
    let label = match kind {
        "next" => format!(
            "{} (next level on the {})",
            to.title,
            track.title.to_lowercase()
        ),
        _ => format!(
            "{} (equivalent level on the {})",
            to.title,
            track.title.to_lowercase()
        ),
    };
    json!({
        "id": to.id,
        "kind": kind,
        "label": label,
        "level": level_ref(fw, to),
        "count": count,
        "areas": areas,
        "compare_href": format!("compare/{}/{}/", from.id, to.id),
    })
}

/// The context of `/assess/<level>/`.
pub fn assess(fw: &Framework, li: usize) -> Value {
    let l = &fw.levels[li];
    let mut total = 0;
    let areas = by_area(fw, |c| {
        if !fw.applies(c, l) {
            return None;
        }
        let list = items(fw, c, l);
        total += list.len();
        (!list.is_empty()).then(|| json!({ "competency": competency_ref(c), "items": list }))
    });
    let mut targets = Vec::new();
    for t in l.tracks.iter().filter_map(|t| fw.track(t)) {
        let Some(n) = fw.next_on(li, &t.id) else {
            continue;
        };
        if !targets
            .iter()
            .any(|v: &Value| v["id"] == json!(fw.levels[n].id))
        {
            targets.push(target(fw, l, &fw.levels[n], "next", t));
        }
    }
    // The same equivalents the pre-rendered comparisons use (neighbouring ladder
    // columns), so the page size stays bounded however many tracks there are.
    for p in pairs(fw) {
        let other = match (p.kind, p.a == li, p.b == li) {
            (PairKind::Equivalent, true, _) => p.b,
            (PairKind::Equivalent, _, true) => p.a,
            _ => continue,
        };
        let o = &fw.levels[other];
        if let Some(t) = o.tracks.first().and_then(|t| fw.track(t)) {
            targets.push(target(fw, l, o, "equivalent", t));
        }
    }
    let tracks: Vec<TrackRef> = l
        .tracks
        .iter()
        .filter_map(|t| fw.track(t))
        .map(track_ref)
        .collect();
    json!({
        "assess": {
            "level": level_ref(fw, l),
            "tracks": tracks,
            "ratings": fw.assessment.ratings,
            "top": fw.assessment.ratings.last(),
            "areas": areas,
            "total": total,
            "targets": targets,
        }
    })
}
