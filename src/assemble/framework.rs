//! The framework's skeleton from framework.yaml: tracks, bands, areas and scales, with
//! duplicate ids and unknown track kinds reported.

use std::collections::HashMap;

use super::{Ctx, FRAMEWORK_FILE};
use crate::diagnostics::Pos;
use crate::model::*;
use crate::parse::{FrameworkDef, Id, ItemDef};

pub(super) struct Skeleton {
    pub tracks: Vec<Track>,
    pub bands: Vec<Band>,
    pub areas: Vec<Area>,
    pub scales: Vec<Scale>,
}

pub(super) fn skeleton(cx: &mut Ctx, fd: &FrameworkDef) -> Skeleton {
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
        tracks.push(Track {
            id: TrackId(t.id.value.clone()),
            title: t.title.clone(),
            kind,
            summary: t.summary.clone(),
        });
    }
    if fd.tracks.is_empty() {
        cx.error(
            FRAMEWORK_FILE,
            Pos::START,
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
    if fd.bands.is_empty() {
        cx.error(
            FRAMEWORK_FILE,
            Pos::START,
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
        if !unique(cx, &mut seen, &s.id, "scale") {
            continue;
        }
        let steps = dedup_items(cx, &s.steps, "scale step")
            .map(|st| Step {
                id: StepId(st.id.value.clone()),
                title: st.title.clone(),
                summary: st.summary.clone(),
            })
            .collect();
        scales.push(Scale {
            id: ScaleId(s.id.value.clone()),
            title: s.title.clone(),
            steps,
        });
    }
    Skeleton {
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
