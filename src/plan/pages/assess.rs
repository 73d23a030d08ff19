//! `/assess/<level>/`: every behaviour of the level to rate, the rating scale, and the
//! development-plan targets (the next level on each track and the equivalent levels on
//! other tracks) with what each adds.
//!
//! The page is a complete printable checklist without JavaScript; `assess.js` adds the
//! storage, sharing, exports and the live plan on top of this markup.

use serde::Serialize;

use crate::model::assessment::{Choice, Rating};
use crate::model::*;
use crate::plan::pairs::{self, PairKind};
use crate::plan::urls;
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct AssessPage<'f> {
    assess: Assessment<'f>,
}

#[derive(Serialize)]
struct Assessment<'f> {
    level: LevelRef<'f>,
    tracks: Vec<TrackRef<'f>>,
    ratings: &'f [Rating],
    top: Option<&'f Rating>,
    outcomes: &'f [Choice],
    evidence: &'f [Choice],
    areas: Vec<AreaGroup<'f, Checklist<'f>>>,
    total: usize,
    /// In a cumulative framework: how many behaviours of the levels below this level
    /// still expects (not rated here: their own levels' assessments rate them).
    held: usize,
    /// The level below on this level's first track, when there is one, with the
    /// address of its own assessment.
    below: Option<Below<'f>>,
    targets: Vec<Target<'f>>,
}

#[derive(Serialize)]
struct Below<'f> {
    level: LevelRef<'f>,
    assess_href: String,
}

#[derive(Serialize)]
struct Checklist<'f> {
    competency: CompetencyRef<'f>,
    items: Vec<Item<'f>>,
}

/// A behaviour or scale descriptor to rate.
#[derive(Serialize)]
struct Item<'f> {
    /// Its place on the page, from 0: names its radio group briefly (`r<n>`).
    n: usize,
    anchor: &'f str,
    html: &'f str,
    text: &'f str,
    examples: Vec<&'f str>,
    /// The title of the scale step a descriptor belongs to.
    step: Option<&'f str>,
}

/// A level a person could grow towards, and how much it adds per competency. The new
/// and grown behaviours themselves are on the pre-rendered comparison, linked per
/// competency, not copied here (issue 16: the page stays as light as its level page).
#[derive(Serialize)]
struct Target<'f> {
    id: &'f str,
    /// `next` or `equivalent`.
    kind: &'static str,
    label: String,
    level: LevelRef<'f>,
    count: usize,
    areas: Vec<AreaGroup<'f, TargetCounts<'f>>>,
    compare_href: String,
}

/// What one competency adds at the target level.
#[derive(Serialize)]
struct TargetCounts<'f> {
    competency: CompetencyRef<'f>,
    /// Behaviours only at the target level.
    new: usize,
    /// Behaviours reworded, merged or split on the way to the target level.
    grown: usize,
    /// The competency's rows on the comparison page (`assess.js` makes the link from
    /// the comparison's and the competency's ids; the default theme does not print it).
    href: String,
}

fn items<'f>(fw: &'f Framework, c: &'f Competency, l: &'f Level) -> Vec<Item<'f>> {
    let cell = fw.cell(c, l);
    let step = cell.step.map(|s| s.title.as_str());
    cell.behaviours
        .iter()
        .map(|b| (b, None))
        .chain(cell.descriptors.iter().map(|b| (b, step)))
        .map(|(b, step)| Item {
            n: 0,
            anchor: &b.anchor,
            html: &b.html,
            text: &b.plain,
            examples: b.examples.iter().map(|e| e.html.as_str()).collect(),
            step,
        })
        .collect()
}

/// What level `to` adds to level `from`, counted per competency. `compare_href` is the
/// pre-rendered comparison of the two, in the order the site renders it.
fn target<'f>(
    cx: &Compared<'_, 'f>,
    (from, to): (usize, usize),
    kind: &'static str,
    track: &Track,
    compare_href: String,
) -> Target<'f> {
    let fw = cx.fw;
    let to_level = &fw.levels[to];
    let diffs = cx.changes.tallies_between(from, to);
    let mut count = 0;
    let areas = fw
        .areas
        .iter()
        .enumerate()
        .filter_map(|(ai, a)| {
            let competencies: Vec<TargetCounts> = diffs
                .iter()
                .filter(|(c, _)| c.area == ai)
                .filter_map(|(c, t)| {
                    let (new, grown) = (t.new, t.grown());
                    count += new + grown;
                    (new + grown > 0).then(|| TargetCounts {
                        competency: competency_ref(c),
                        new,
                        grown,
                        href: format!("{compare_href}#competency-{}", c.id),
                    })
                })
                .collect();
            (!competencies.is_empty()).then(|| AreaGroup {
                area: area_ref(a),
                competencies,
            })
        })
        .collect();
    let place = match kind {
        "next" => "next level",
        _ => "equivalent level",
    };
    Target {
        id: to_level.id.as_str(),
        kind,
        label: format!("{} ({place}, {})", to_level.title, track.title),
        level: level_ref(fw, to_level),
        count,
        areas,
        compare_href,
    }
}

/// The context of `/assess/<level>/`.
pub(crate) fn assess<'f>(cx: &Compared<'_, 'f>, li: usize) -> AssessPage<'f> {
    let fw = cx.fw;
    let l = &fw.levels[li];
    let (mut total, mut held) = (0, 0);
    let mut areas = by_area(fw, |ci, c| {
        if !fw.applies(c, l) {
            return None;
        }
        held += cx.changes.held(ci, li).len();
        let items = items(fw, c, l);
        total += items.len();
        (!items.is_empty()).then(|| Checklist {
            competency: competency_ref(c),
            items,
        })
    });
    let items = areas
        .iter_mut()
        .flat_map(|g| g.competencies.iter_mut())
        .flat_map(|c| c.items.iter_mut());
    for (n, item) in items.enumerate() {
        item.n = n;
    }
    let mut targets: Vec<Target> = Vec::new();
    for t in l.tracks.iter().filter_map(|t| fw.track(t)) {
        let Some(n) = fw.next_on(li, &t.id) else {
            continue;
        };
        if !targets.iter().any(|v| v.id == fw.levels[n].id.as_str()) {
            let href = pairs::href(fw, li, n);
            targets.push(target(cx, (li, n), "next", t, href));
        }
    }
    // The same equivalents the pre-rendered comparisons use (within the family), so
    // the page size stays bounded however many tracks there are.
    for p in cx.changes.pairs() {
        let other = match (p.kind, p.a == li, p.b == li) {
            (PairKind::Equivalent, true, _) => p.b,
            (PairKind::Equivalent, _, true) => p.a,
            _ => continue,
        };
        let o = &fw.levels[other];
        if let Some(t) = o.tracks.first().and_then(|t| fw.track(t)) {
            // The comparison as rendered: `a` then `b`, whichever this level is.
            let href = pairs::href(fw, p.a, p.b);
            targets.push(target(cx, (li, other), "equivalent", t, href));
        }
    }
    AssessPage {
        assess: Assessment {
            level: level_ref(fw, l),
            tracks: l
                .tracks
                .iter()
                .filter_map(|t| fw.track(t))
                .map(track_ref)
                .collect(),
            ratings: &fw.assessment.ratings,
            top: fw.assessment.ratings.last(),
            outcomes: &fw.assessment.outcomes,
            evidence: &fw.assessment.evidence,
            areas,
            total,
            held,
            below: fw.previous_index(li).map(|p| Below {
                level: level_ref(fw, &fw.levels[p]),
                assess_href: urls::assess(&fw.levels[p].id),
            }),
            targets,
        },
    }
}
