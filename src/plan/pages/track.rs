//! `/tracks/<track>/`: the track's levels in order, with attributes, counts and how the
//! balance of technical and leadership expectations shifts by level.

use serde::Serialize;

use crate::plan::charts;
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct TrackPage<'f> {
    track: TrackRef<'f>,
    /// Its job family, when the framework has families.
    family: Option<FamilyLink<'f>>,
    levels: Vec<TrackLevel<'f>>,
    categories: Vec<String>,
    /// Each category's colour (palette slot), in `categories` order, as the charts use.
    colours: Vec<usize>,
    other_tracks: Vec<TrackRef<'f>>,
    /// The balance by level as an inline SVG chart; empty when every level has the same
    /// balance (then `balance_varies` is false and the theme says so in a line).
    balance_chart: String,
    /// Whether the levels' balances differ at all.
    balance_varies: bool,
    /// The one balance every level shares, when they do not differ (and expect anything).
    uniform_balance: Vec<BalanceView>,
}

#[derive(Serialize)]
struct FamilyLink<'f> {
    title: &'f str,
    href: String,
}

#[derive(Serialize)]
struct TrackLevel<'f> {
    level: LevelRef<'f>,
    attributes: Vec<Attribute<'f>>,
    balance: Vec<BalanceView>,
    counts: Counts,
}

/// Expectations at a level, and how they compare with the level below.
#[derive(Serialize, Default)]
pub(crate) struct Counts {
    pub total: usize,
    /// New compared with the level below.
    pub new: usize,
    /// Carried over in new words: reworded, merged or split.
    pub grown: usize,
    /// The same as at the level below.
    pub kept: usize,
    /// Listed at the level below but not here.
    pub dropped: usize,
    /// Of those, descriptors of a lower proficiency step this level's step replaces
    /// (counted on level pages, which show them apart).
    pub step_dropped: usize,
    /// Held from the levels below (cumulative frameworks).
    pub held: usize,
}

impl Counts {
    /// Adds a cell's counts.
    pub(crate) fn add(&mut self, cell: &CellView) {
        self.total += cell.total();
        self.new += cell.new_count;
        if let Some(t) = &cell.tally {
            self.grown += t.grown();
            self.kept += t.kept;
            self.dropped += t.dropped;
        }
        self.held += cell.held.len();
        self.step_dropped += cell.step_dropped.len();
    }
}

pub(crate) fn track<'f>(cx: &Compared<'_, 'f>, ti: usize) -> TrackPage<'f> {
    let fw = cx.fw;
    let t = &fw.tracks[ti];
    let levels: Vec<TrackLevel> = fw
        .track_levels(&t.id)
        .map(|(li, l)| {
            let prev = fw.previous_on(li, &t.id);
            let mut counts = Counts::default();
            for (ci, _) in fw
                .competencies
                .iter()
                .enumerate()
                .filter(|(_, c)| fw.applies(c, l))
            {
                counts.add(&cx.cell_view(ci, li, prev));
            }
            TrackLevel {
                level: level_ref(fw, l),
                attributes: attributes(fw, l),
                balance: balance(fw, l),
                counts,
            }
        })
        .collect();
    let bars = charts::track_bars(fw, &t.id);
    let balance_varies = charts::balance_varies(&bars);
    let uniform_balance = if balance_varies {
        Vec::new()
    } else {
        levels
            .iter()
            .map(|l: &TrackLevel| &l.balance)
            .find(|b| b.iter().any(|v| v.count > 0))
            // "Axis 100%" says nothing either: only a mix of kinds of work is worth a line.
            .filter(|b| b.iter().filter(|v| v.count > 0).count() > 1)
            .cloned()
            .unwrap_or_default()
    };
    let balance_chart = if !balance_varies {
        String::new()
    } else {
        charts::balance_chart(
            &format!("balance-{}", t.id),
            &format!(
                "Balance of expectations by level on the {}",
                t.title.to_lowercase()
            ),
            &fw.categories(),
            &bars,
        )
    };
    TrackPage {
        track: track_ref(t),
        family: t.family.map(|f| FamilyLink {
            title: &fw.families[f].title,
            href: crate::plan::urls::family(&fw.families[f].id),
        }),
        levels,
        categories: fw.categories(),
        colours: charts::slots(&fw.categories()),
        other_tracks: fw
            .tracks
            .iter()
            .filter(|o| o.id != t.id)
            .map(track_ref)
            .collect(),
        balance_chart,
        balance_varies,
        uniform_balance,
    }
}
