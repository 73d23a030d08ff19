//! The framework's skeleton from framework.yaml: tracks, bands, areas and scales, with
//! duplicate ids and unknown track kinds reported.

use std::collections::HashMap;

use super::unknown_help;
use super::{Ctx, FRAMEWORK_FILE};
use crate::diagnostics::Pos;
use crate::model::*;
use crate::parse::{FrameworkDef, Id, ItemDef, TrackDef};

pub(super) struct Skeleton {
    pub families: Vec<Family>,
    /// Tracks whose `based_on` names no track (reported), so that what their levels
    /// would inherit is not reported again.
    pub unresolved_bases: Vec<TrackId>,
    pub tracks: Vec<Track>,
    pub bands: Vec<Band>,
    pub areas: Vec<Area>,
    pub scales: Vec<Scale>,
}

pub(super) fn skeleton(cx: &mut Ctx, fd: &FrameworkDef) -> Skeleton {
    let families: Vec<Family> = fd
        .families
        .iter()
        .scan(HashMap::new(), |seen, f| {
            Some(unique(cx, seen, &f.id, "family").then_some(f))
        })
        .flatten()
        .map(|f| Family {
            id: f.id.value.clone(),
            title: f.title.clone(),
            summary: f.summary.clone(),
        })
        .collect();
    // framework.yaml: unique ids, valid kinds.
    let mut tracks = Vec::new();
    let mut seen = HashMap::new();
    for t in &fd.tracks {
        if !unique(cx, &mut seen, &t.id, "track") {
            continue;
        }
        let kind = match t.kind.as_ref().map(|k| k.value.as_str()) {
            Some("expert") => TrackKind::Expert,
            Some("manager") => TrackKind::Manager,
            Some(other) => {
                let pos = t.kind.as_ref().map_or(t.id.pos, |k| k.pos);
                cx.error(
                    FRAMEWORK_FILE,
                    pos,
                    format!("unknown track kind `{other}`"),
                    "a track's kind is `expert` or `manager`",
                );
                TrackKind::Expert
            }
            None => TrackKind::Expert,
        };
        let status = match t.status.as_ref().map(|s| s.value.as_str()) {
            None | Some("current") => Status::Current,
            Some("legacy") => Status::Legacy,
            Some(other) => {
                let pos = t.status.as_ref().map_or(t.id.pos, |s| s.pos);
                cx.error(
                    FRAMEWORK_FILE,
                    pos,
                    format!("unknown track status `{other}`"),
                    "a track's status is `current` or `legacy` (a draft track would leave its levels nowhere: mark its levels `status: draft` instead)",
                );
                Status::Current
            }
        };
        tracks.push(Track {
            status,
            id: TrackId(t.id.value.clone()),
            title: t.title.clone(),
            kind,
            summary: t.summary.clone(),
            family: family(cx, t, &families),
            based_on: None,
        });
    }
    let unresolved_bases = based_on(cx, fd, &mut tracks);
    requires(cx, fd, &families, &tracks);
    if let Some(at) = fd.empty_tracks {
        cx.error(
            FRAMEWORK_FILE,
            at,
            "the framework has no tracks",
            "list at least one track under `tracks:` with an id, title and kind",
        );
    }
    let bands = dedup_items(cx, &fd.bands, "band")
        .map(|b| Band {
            id: BandId(b.id.value.clone()),
            title: b.title.clone(),
            summary: b.summary.clone(),
        })
        .collect::<Vec<_>>();
    if let Some(at) = fd.empty_bands {
        cx.error(
            FRAMEWORK_FILE,
            at,
            "the framework has no bands",
            "list the ladder's bands, lowest first, under `bands:`",
        );
    }
    let areas = dedup_items(cx, &fd.areas, "area")
        .map(|a| Area {
            id: AreaId(a.id.value.clone()),
            title: a.title.clone(),
            summary: a.summary.clone(),
            category: a.category.clone(),
        })
        .collect::<Vec<_>>();
    let mut scales = Vec::new();
    let mut seen = HashMap::new();
    for s in &fd.scales {
        let first = unique(cx, &mut seen, &s.id, "scale");
        let steps: Vec<Step> = dedup_items(cx, &s.steps, "scale step")
            .map(|st| Step {
                id: StepId(st.id.value.clone()),
                title: st.title.clone(),
                summary: st.summary.clone(),
            })
            .collect();
        if !first {
            // Reported; the steps of both are known, so the competencies and levels
            // naming them do not each add an "unknown step".
            if let Some(kept) = scales
                .iter_mut()
                .find(|k: &&mut Scale| k.id.0 == s.id.value)
            {
                for st in steps {
                    if !kept.steps.iter().any(|k| k.id == st.id) {
                        kept.steps.push(st);
                    }
                }
            }
            continue;
        }
        scales.push(Scale {
            id: ScaleId(s.id.value.clone()),
            title: s.title.clone(),
            steps,
        });
    }
    Skeleton {
        families,
        unresolved_bases,
        tracks,
        bands,
        areas,
        scales,
    }
}

fn unique<'a>(cx: &mut Ctx, seen: &mut HashMap<&'a str, Pos>, id: &'a Id, what: &str) -> bool {
    if let Some(first) = seen.get(id.value.as_str()) {
        cx.error(
            FRAMEWORK_FILE,
            id.pos,
            format!("duplicate {what} id `{}`", id.value),
            format!("the first {what} with this id is at line {}", first.line),
        );
        return false;
    }
    seen.insert(&id.value, id.pos);
    true
}

fn dedup_items<'a>(
    cx: &mut Ctx,
    items: &'a [ItemDef],
    what: &str,
) -> impl Iterator<Item = &'a ItemDef> {
    let mut seen = HashMap::new();
    let keep: Vec<bool> = items
        .iter()
        .map(|i| unique(cx, &mut seen, &i.id, what))
        .collect();
    items.iter().zip(keep).filter(|(_, k)| *k).map(|(i, _)| i)
}

/// A track's family: required, and known, when the framework declares families.
fn family(cx: &mut Ctx, t: &TrackDef, families: &[Family]) -> Option<usize> {
    let ids: Vec<&str> = families.iter().map(|f| f.id.as_str()).collect();
    match &t.family {
        None if families.is_empty() => None,
        None => {
            cx.error(
                FRAMEWORK_FILE,
                t.id.pos,
                format!("track `{}` names no family", t.id.value),
                format!("the framework declares families, so every track says which it belongs to with `family:`; families: {}", super::known(&ids)),
            );
            None
        }
        Some(f) => {
            let found = ids.iter().position(|id| *id == f.value);
            if found.is_none() {
                let help = if families.is_empty() {
                    "declare the family under `families:` (id, title) in framework.yaml".to_string()
                } else {
                    unknown_help(&f.value, &ids, "families")
                };
                cx.error(
                    FRAMEWORK_FILE,
                    f.pos,
                    format!("unknown family `{}`", f.value),
                    help,
                );
            }
            found
        }
    }
}

/// Resolves `based_on:` (a known track, not itself, no cycle), as an error at the
/// `based_on` that closes a cycle.
fn based_on(cx: &mut Ctx, fd: &FrameworkDef, tracks: &mut [Track]) -> Vec<TrackId> {
    let ids: Vec<String> = tracks.iter().map(|t| t.id.0.clone()).collect();
    let mut unresolved = Vec::new();
    for t in &fd.tracks {
        let (Some(b), Some(ti)) = (&t.based_on, ids.iter().position(|id| *id == t.id.value)) else {
            continue;
        };
        match ids.iter().position(|id| *id == b.value) {
            Some(bi) => tracks[ti].based_on = Some(bi),
            None => {
                unresolved.push(tracks[ti].id.clone());
                let names: Vec<&str> = ids.iter().map(String::as_str).collect();
                cx.error(
                    FRAMEWORK_FILE,
                    b.pos,
                    format!("unknown track `{}`", b.value),
                    unknown_help(&b.value, &names, "tracks"),
                );
            }
        }
    }
    // A chain that comes back to where it started is a cycle: report it once, at the
    // first track of the cycle in file order, and cut it there.
    for ti in 0..tracks.len() {
        let mut seen = vec![ti];
        let mut at = tracks[ti].based_on;
        while let Some(next) = at {
            if next == ti {
                let chain: Vec<String> = seen
                    .iter()
                    .chain([&ti])
                    .map(|&i| format!("`{}`", tracks[i].id))
                    .collect();
                let pos = fd
                    .tracks
                    .iter()
                    .find(|d| d.id.value == tracks[ti].id.0)
                    .and_then(|d| d.based_on.as_ref())
                    .map_or(Pos::START, |b| b.pos);
                cx.error(
                    FRAMEWORK_FILE,
                    pos,
                    format!(
                        "tracks are based on each other in a cycle: {}",
                        chain.join(" -> ")
                    ),
                    "a track is based on one that is not, directly or through others, based on it",
                );
                tracks[ti].based_on = None;
                unresolved.push(tracks[ti].id.clone());
                break;
            }
            if seen.contains(&next) {
                break;
            }
            seen.push(next);
            at = tracks[next].based_on;
        }
    }
    unresolved
}

/// `requires:` of each family: the track kinds it must have.
fn requires(cx: &mut Ctx, fd: &FrameworkDef, families: &[Family], tracks: &[Track]) {
    for f in &fd.families {
        let Some(fi) = families.iter().position(|x| x.id == f.id.value) else {
            continue;
        };
        for k in &f.requires {
            let kind = match k.value.as_str() {
                "expert" => TrackKind::Expert,
                "manager" => TrackKind::Manager,
                other => {
                    cx.error(
                        FRAMEWORK_FILE,
                        k.pos,
                        format!("unknown track kind `{other}`"),
                        "a family requires `expert` or `manager` tracks",
                    );
                    continue;
                }
            };
            if !tracks
                .iter()
                .any(|t| t.family == Some(fi) && t.kind == kind)
            {
                cx.error(
                    FRAMEWORK_FILE,
                    k.pos,
                    format!(
                        "family `{}` requires a {} track and has none",
                        f.id.value, k.value
                    ),
                    format!(
                        "add a track with `family: {}` and `kind: {}`, or drop it from `requires`",
                        f.id.value, k.value
                    ),
                );
            }
        }
    }
}
