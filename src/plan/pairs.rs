//! Which pairs of levels get a pre-rendered `/compare/<a>/<b>/` page: every two adjacent
//! levels of a track, lower first, and equivalent levels (same band, no track in common,
//! at least one competency in common) of one job family: in neighbouring ladder columns,
//! and each level with the nearest level of the other kind on either side, in track order. A shared-trunk pair that is adjacent
//! on two tracks is listed once. Level pages link to these comparisons and assessment
//! pages plan towards them, so they all read this one list.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::urls;
use crate::model::Framework;

/// Levels of one band as (ladder column, level index).
type Columns = Vec<(usize, usize)>;

/// Why a pair of levels is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PairKind {
    /// `b` is the next level after `a` on a track.
    Adjacent,
    /// Same band, different tracks.
    Equivalent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pair {
    pub a: usize,
    pub b: usize,
    pub kind: PairKind,
}

/// Every pre-rendered comparison: adjacent pairs by track, then equivalent pairs by band.
/// Level pages and assessments ask for it, so it is one pass over the levels with tracks
/// looked up by index, not a scan of every level per track.
pub(crate) fn pairs(fw: &Framework) -> Vec<Pair> {
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
    let related = Related::new(fw, &track_ix);
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
    for levels in by_band {
        // Within each job family (one, without families): neighbouring columns of the
        // ladder, and each level with the nearest level of the other kind (expert or
        // manager) on either side, so a person can plan a move between the two paths of
        // their family. Both keep the page count linear in the tracks; every pair of
        // 30 tracks would mean 435 comparisons per band. Any other pair is one click
        // away in the /compare/ picker.
        // (family, [(column, level)])
        let mut by_family: Vec<(Option<usize>, Columns)> = Vec::new();
        for (col, i) in levels {
            let family = fw.tracks.get(col).and_then(|t| t.family);
            match by_family.iter_mut().find(|(f, _)| *f == family) {
                Some((_, list)) => list.push((col, i)),
                None => by_family.push((family, vec![(col, i)])),
            }
        }
        for (_, mut levels) in by_family {
            levels.sort_unstable();
            let kind = |i: usize| {
                fw.levels[i]
                    .tracks
                    .first()
                    .and_then(|t| fw.track(t))
                    .map(|t| t.kind)
            };
            let mut candidates: Vec<(usize, usize)> =
                levels.windows(2).map(|w| (w[0].1, w[1].1)).collect();
            // Each level with the nearest level of the other kind on either side: with
            // one manager track (most frameworks) that is every expert level with it,
            // and with many (30 tracks alternating) it stays two per level, not 15.
            for (k, &(_, x)) in levels.iter().enumerate() {
                let other = |&&(_, y): &&(usize, usize)| kind(y) != kind(x);
                if let Some(&(_, y)) = levels[k + 1..].iter().find(other) {
                    candidates.push((x, y));
                }
                if let Some(&(_, y)) = levels[..k].iter().rev().find(other) {
                    candidates.push((y, x));
                }
            }
            for (x, y) in candidates {
                let (lx, ly) = (&fw.levels[x], &fw.levels[y]);
                let disjoint = !lx.tracks.iter().any(|t| ly.tracks.contains(t));
                // Two levels with no competency in common would only be two lists side
                // by side (tracks of unrelated skills): the picker still shows them.
                if disjoint && related.share_a_competency(x, y) && seen.insert((x, y)) {
                    out.push(Pair {
                        a: x,
                        b: y,
                        kind: PairKind::Equivalent,
                    });
                }
            }
        }
    }
    out
}

/// Which levels share a competency ([`Framework::applies`] to both), answered from each
/// level's competencies as bits: asking `applies` of every competency for every
/// candidate pair took about 2 ms per listing at 10,000 pages, and a serve rebuild lists
/// the pairs twice (comparing, then choosing the pages an edit reaches).
struct Related {
    /// A competency applies to every level (it is on every track).
    universal: bool,
    /// Per level, the competencies on its tracks.
    levels: Vec<Vec<u64>>,
}

impl Related {
    fn new(fw: &Framework, track_ix: &HashMap<&str, usize>) -> Related {
        let words = fw.competencies.len().div_ceil(64);
        let mut by_track = vec![vec![0u64; words]; fw.tracks.len()];
        let mut universal = false;
        for (ci, c) in fw.competencies.iter().enumerate() {
            universal |= c.tracks.len() == fw.tracks.len();
            for t in &c.tracks {
                if let Some(&ti) = track_ix.get(t.as_str()) {
                    by_track[ti][ci / 64] |= 1 << (ci % 64);
                }
            }
        }
        let levels = fw
            .levels
            .iter()
            .map(|l| {
                let mut bits = vec![0u64; words];
                for t in &l.tracks {
                    if let Some(&ti) = track_ix.get(t.as_str()) {
                        bits.iter_mut()
                            .zip(&by_track[ti])
                            .for_each(|(b, t)| *b |= t);
                    }
                }
                bits
            })
            .collect();
        Related { universal, levels }
    }

    /// Whether some competency applies to both levels (by index).
    fn share_a_competency(&self, x: usize, y: usize) -> bool {
        self.universal
            || self.levels[x]
                .iter()
                .zip(&self.levels[y])
                .any(|(a, b)| a & b != 0)
    }
}

/// The URL of the comparison of levels `a` and `b` (by index).
pub(crate) fn href(fw: &Framework, a: usize, b: usize) -> String {
    urls::compare(&fw.levels[a].id, &fw.levels[b].id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_share_a_competency_exactly_when_one_applies_to_both() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sites: Vec<Framework> = ["basic", "families", "one-track", "competency-first"]
            .iter()
            .map(|n| crate::search::tests::fixture(n))
            .collect();
        sites.push(crate::pipeline::load_framework(root).unwrap().0.unwrap());
        let (mut shared, mut apart) = (0, 0);
        for fw in &mut sites {
            for universal in [true, false] {
                if !universal {
                    // Without a competency on every track, so the bits decide.
                    let all = fw.tracks.len();
                    fw.competencies.retain(|c| c.tracks.len() < all);
                }
                let track_ix = fw
                    .tracks
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.id.as_str(), i))
                    .collect();
                let related = Related::new(fw, &track_ix);
                for (x, lx) in fw.levels.iter().enumerate() {
                    for (y, ly) in fw.levels.iter().enumerate() {
                        let want = fw
                            .competencies
                            .iter()
                            .any(|c| fw.applies(c, lx) && fw.applies(c, ly));
                        assert_eq!(related.share_a_competency(x, y), want, "{x} {y}");
                        if want { shared += 1 } else { apart += 1 }
                    }
                }
            }
        }
        assert!(shared > 0 && apart > 0, "{shared} {apart}");
    }
}
