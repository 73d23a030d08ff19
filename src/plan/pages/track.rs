//! `/tracks/<track>/`: the track's levels in order, with attributes, counts and how the
//! balance of technical and leadership expectations shifts by level.

use serde::Serialize;

use crate::model::Framework;
use crate::plan::charts;
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct TrackPage<'f> {
    track: TrackRef<'f>,
    levels: Vec<TrackLevel<'f>>,
    categories: Vec<String>,
    other_tracks: Vec<TrackRef<'f>>,
    /// The balance by level as an inline SVG chart.
    balance_chart: String,
}

#[derive(Serialize)]
struct TrackLevel<'f> {
    level: LevelRef<'f>,
    attributes: Vec<Attribute<'f>>,
    balance: Vec<BalanceView>,
    counts: Counts,
}

/// Expectations at a level, and how many of them are new.
#[derive(Serialize)]
pub(crate) struct Counts {
    pub total: usize,
    pub new: usize,
}

pub(crate) fn track(fw: &Framework, ti: usize) -> TrackPage<'_> {
    let t = &fw.tracks[ti];
    let levels = fw
        .track_levels(&t.id)
        .map(|(li, l)| {
            let prev = fw.previous_on(li, &t.id).map(|i| &fw.levels[i]);
            let mut counts = Counts { total: 0, new: 0 };
            for c in fw.competencies.iter().filter(|c| fw.applies(c, l)) {
                let v = cell_view(fw, c, l, prev);
                counts.total += v.total();
                counts.new += v.new_count;
            }
            TrackLevel {
                level: level_ref(fw, l),
                attributes: attributes(l),
                balance: balance(fw, l),
                counts,
            }
        })
        .collect();
    let bars = charts::track_bars(fw, &t.id);
    let balance_chart = charts::balance_chart(
        &format!("balance-{}", t.id),
        &format!(
            "Balance of expectations by level on the {}",
            t.title.to_lowercase()
        ),
        &fw.categories(),
        &bars,
    );
    TrackPage {
        track: track_ref(t),
        levels,
        categories: fw.categories(),
        other_tracks: fw
            .tracks
            .iter()
            .filter(|o| o.id != t.id)
            .map(track_ref)
            .collect(),
        balance_chart,
    }
}
