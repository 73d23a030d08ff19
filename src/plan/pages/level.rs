//! `/levels/<level>/`: the level's place (track, band, equivalent levels on the other
//! tracks, previous and next level), its summary, attributes and narrative, every
//! expectation grouped by area and competency, what is new compared with the level
//! below, and links to its comparisons and its self-assessment.

use serde::Serialize;

use super::track::Counts;
use crate::model::{Framework, Level, Status};
use crate::plan::charts;
use crate::plan::pairs::{Pair, PairKind};
use crate::plan::urls;
use crate::plan::views::*;

#[derive(Serialize)]
pub(crate) struct LevelPage<'f> {
    level: LevelView<'f>,
    previous: Option<LevelRef<'f>>,
    equivalents: Vec<Equivalent<'f>>,
    neighbours: Vec<Neighbours<'f>>,
    areas: Vec<AreaGroup<'f, LevelCell<'f>>>,
    balance: Vec<BalanceView>,
    counts: Counts,
    /// The balance of the level's expectations as a compact inline SVG chart.
    balance_chart: String,
    assess_href: String,
    compare_links: Vec<CompareLink<'f>>,
    /// What changed at this level since the latest past version the site names.
    changed: Option<Changed>,
}

/// A level's changes since a past version, for its "changed in this version" note.
#[derive(Serialize)]
struct Changed {
    /// The past version, as site.toml names it.
    since: String,
    /// The changes page.
    href: &'static str,
    changes: crate::change::history::LevelChanges,
}

#[derive(Serialize)]
struct LevelView<'f> {
    id: &'f str,
    title: &'f str,
    href: String,
    summary: &'f str,
    status: Status,
    body_html: &'f str,
    attributes: Vec<Attribute<'f>>,
    band: StepView<'f>,
    tracks: Vec<TrackRef<'f>>,
}

#[derive(Serialize)]
struct Equivalent<'f> {
    level: LevelRef<'f>,
    /// The other level's tracks that this level is not on, less one its title already
    /// names ("Engineering Manager" on the Engineering Manager track).
    tracks: Vec<TrackRef<'f>>,
    /// The title of its job family, when the framework has families (equivalents are
    /// listed family by family, this level's own first).
    family: Option<&'f str>,
    /// Its comparison with this level: the pre-rendered page, or else the `/compare/`
    /// picker opened on the pair.
    compare_href: String,
}

#[derive(Serialize)]
struct Neighbours<'f> {
    track: TrackRef<'f>,
    prev: Option<LevelRef<'f>>,
    next: Option<LevelRef<'f>>,
}

#[derive(Serialize)]
struct LevelCell<'f> {
    competency: CompetencyRef<'f>,
    cell: CellView<'f>,
}

/// A pre-rendered comparison that involves the level.
#[derive(Serialize)]
struct CompareLink<'f> {
    href: String,
    /// `next`, `previous` or `equivalent`.
    kind: &'static str,
    label: String,
    level: LevelRef<'f>,
}

pub(crate) fn level<'f>(cx: &Compared<'_, 'f>, li: usize) -> LevelPage<'f> {
    let fw = cx.fw;
    let l = &fw.levels[li];
    let prev = fw.previous(li);
    let family_of = |o: &Level| {
        o.tracks
            .first()
            .and_then(|t| fw.track(t))
            .and_then(|t| t.family)
    };
    let own_family = family_of(l);
    let mut equivalents: Vec<&Level> = fw
        .levels
        .iter()
        .filter(|o| {
            o.band == l.band && o.id != l.id && !o.tracks.iter().all(|t| l.tracks.contains(t))
        })
        .collect();
    // The level's own family first, then the others in framework order.
    equivalents.sort_by_key(|o| {
        let f = family_of(o);
        (f != own_family, f)
    });
    let links = compare_links(fw, cx.changes.pairs(), li);
    let equivalents = equivalents
        .into_iter()
        .map(|o| Equivalent {
            compare_href: links
                .iter()
                .find(|c| c.kind == "equivalent" && c.level.id == o.id.as_str())
                .map_or_else(|| urls::compare_in_picker(&l.id, &o.id), |c| c.href.clone()),
            family: family_of(o).map(|f| fw.families[f].title.as_str()),
            level: level_ref(fw, o),
            tracks: o
                .tracks
                .iter()
                .filter(|t| !l.tracks.contains(t))
                .filter_map(|t| fw.track(t))
                .filter(|t| !names(&o.title, &t.title))
                .map(track_ref)
                .collect(),
        })
        .collect();
    let neighbours = l
        .tracks
        .iter()
        .filter_map(|t| fw.track(t))
        .map(|t| Neighbours {
            track: track_ref(t),
            prev: fw
                .previous_on(li, &t.id)
                .map(|i| level_ref(fw, &fw.levels[i])),
            next: fw.next_on(li, &t.id).map(|i| level_ref(fw, &fw.levels[i])),
        })
        .collect();
    let mut counts = Counts::default();
    // A competency with nothing here, nothing held from below and nothing dropped since
    // the level below has no section: sparse frameworks would otherwise show a page of
    // empty headings.
    let areas = by_area(fw, |ci, c| {
        if !fw.applies(c, l) {
            return None;
        }
        let cell = cx.cell_view(ci, li, fw.previous_index(li));
        if cell.blank {
            return None;
        }
        counts.add(&cell);
        Some(LevelCell {
            competency: competency_ref(c),
            cell,
        })
    });
    let balance = balance(fw, l);
    let shares: Vec<usize> = balance.iter().map(|b| b.count).collect();
    LevelPage {
        level: LevelView {
            id: l.id.as_str(),
            title: &l.title,
            href: urls::level(&l.id),
            summary: &l.summary,
            status: l.status,
            body_html: &l.body_html,
            attributes: attributes(fw, l),
            band: band_view(&fw.bands[l.band]),
            tracks: l
                .tracks
                .iter()
                .filter_map(|t| fw.track(t))
                .map(track_ref)
                .collect(),
        },
        previous: prev.map(|p| level_ref(fw, p)),
        equivalents,
        neighbours,
        areas,
        // Only where it tells the reader something: on a track whose levels all share
        // one balance, the same bar on every level page is noise.
        balance_chart: if l
            .tracks
            .iter()
            .any(|t| charts::balance_varies(&charts::track_bars(fw, t)))
        {
            charts::compact_chart(
                &format!("balance-{}", l.id),
                &format!("Balance of {}'s expectations", l.title),
                &fw.categories(),
                &shares,
            )
        } else {
            String::new()
        },
        balance,
        counts,
        changed: cx.changes.history().last().and_then(|r| {
            r.levels
                .iter()
                .find(|x| x.id == l.id.as_str())
                .map(|x| Changed {
                    since: r.old_label.clone(),
                    href: urls::HISTORY,
                    changes: x.clone(),
                })
        }),
        assess_href: urls::assess(&l.id),
        compare_links: links,
    }
}

/// The level's pre-rendered comparisons: with the next and previous level on each
/// track, and with equivalent levels.
fn compare_links<'f>(fw: &'f Framework, pairs: &[Pair], li: usize) -> Vec<CompareLink<'f>> {
    let mut links = Vec::new();
    for p in pairs {
        let (other, kind) = match p.kind {
            PairKind::Adjacent if p.a == li => (p.b, "next"),
            PairKind::Adjacent if p.b == li => (p.a, "previous"),
            PairKind::Equivalent if p.a == li => (p.b, "equivalent"),
            PairKind::Equivalent if p.b == li => (p.a, "equivalent"),
            _ => continue,
        };
        let o = &fw.levels[other];
        let label = match kind {
            "next" => format!("Compare with the next level, {}", o.title),
            "previous" => format!("Compare with the level below, {}", o.title),
            _ => match o.tracks.first().and_then(|t| fw.track(t)) {
                // "(Data Engineer (DE))" would nest brackets: a track title with its own
                // follows a comma instead.
                Some(t) if !names(&o.title, &t.title) && t.title.contains('(') => {
                    format!("Compare with {}, {}", o.title, t.title)
                }
                Some(t) if !names(&o.title, &t.title) => {
                    format!("Compare with {} ({})", o.title, t.title)
                }
                _ => format!("Compare with {}", o.title),
            },
        };
        links.push(CompareLink {
            href: urls::compare(&fw.levels[p.a].id, &fw.levels[p.b].id),
            kind,
            label,
            level: level_ref(fw, o),
        });
    }
    links
}

/// Whether a level's title already names its track ("Engineering Manager" on the
/// "Engineering Manager" track, "Level 2 of track 3" on "Track 3"), ignoring case.
fn names(level: &str, track: &str) -> bool {
    level.to_lowercase().contains(&track.to_lowercase())
}
