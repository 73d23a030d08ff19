//! Levels: each level file resolved against the skeleton (its band, its tracks, its
//! status), duplicate ids refused, and every level put in ladder order; then, once the
//! competencies are known, each level's `expects` resolved onto competency scales.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use std::sync::Arc;

use super::{Ctx, Names, competencies, track_list, unknown_help};
use crate::diagnostics::Pos;
use crate::model::*;
use crate::parse::LevelDef;

/// Resolves every level file, sorted by band, then `order`, then id. Returns the levels
/// and, beside them, every level file with a unique id, placed or not (for its
/// `expects`, resolved later).
pub(super) fn levels<'d>(
    cx: &mut Ctx,
    defs: &[(&'d str, &'d LevelDef)],
    names: &Names,
) -> (Vec<Level>, Vec<(&'d str, &'d LevelDef)>) {
    let mut files: HashMap<&str, &str> = HashMap::new();
    let mut levels: Vec<Level> = Vec::new();
    let mut sources = Vec::new();
    // A folder that names no track is one mistake, reported once at its first file.
    let mut unknown_folders: HashMap<&str, usize> = HashMap::new();
    for (_, d) in defs {
        if !names.tracks.contains(&d.folder.as_str()) {
            *unknown_folders.entry(d.folder.as_str()).or_default() += 1;
        }
    }
    for &(file, d) in defs {
        if let Some(n) = unknown_folders.remove(d.folder.as_str()) {
            let others = match n {
                1 => String::new(),
                2 => " and 1 more level file in it".to_string(),
                n => format!(" and {} more level files in it", n - 1),
            };
            cx.error(
                file,
                Pos::START,
                format!(
                    "unknown track `{}` (the folder of this level file{others})",
                    d.folder
                ),
                unknown_help(&d.folder, &names.tracks, "tracks"),
            );
        }
        if let Some(first) = files.get(d.id.as_str()) {
            cx.error(file, Pos::START, format!("duplicate level id `{}`", d.id),
                format!("`{first}` already defines a level with this id; level ids are file names and must be unique across all track folders"));
            continue;
        }
        files.insert(&d.id, file);
        if let Some(level) = level(cx, file, d, names) {
            levels.push(level);
        }
        // Kept even when the level cannot be placed (an unknown band or track), so its
        // `expects` are checked in the same run.
        sources.push((file, d));
    }
    levels.sort_by(|a, b| (a.band, a.order, &a.id).cmp(&(b.band, b.order, &b.id)));
    (levels, sources)
}

/// One level, or `None` (with diagnostics) when it cannot be placed on the ladder.
fn level(cx: &mut Ctx, file: &str, d: &LevelDef, names: &Names) -> Option<Level> {
    // An unknown folder is reported by the caller, once per folder.
    let placed = names.tracks.contains(&d.folder.as_str());
    let band = match &d.band {
        Some(b) => match names.bands.iter().position(|id| *id == b.value) {
            Some(i) => Some(i),
            None => {
                cx.error(
                    file,
                    b.pos,
                    format!("unknown band `{}`", b.value),
                    unknown_help(&b.value, &names.bands, "bands"),
                );
                None
            }
        },
        None => None,
    };
    let tracks = level_tracks(cx, file, d, names);
    let status = status(cx, file, d);
    let (Some(band), true) = (band, placed) else {
        return None;
    };
    Some(Level {
        id: LevelId(d.id.clone()),
        title: d.title.clone(),
        band,
        order: d.order,
        summary: d.summary.clone(),
        status,
        attributes: d.attributes.clone(),
        expects: BTreeMap::new(),
        tracks,
        body_html: d.body_html.clone(),
        file: file.to_string(),
    })
}

/// The tracks a level sits on: its folder's, and those its `tracks` lists (a shared
/// trunk), in framework order.
fn level_tracks(cx: &mut Ctx, file: &str, d: &LevelDef, names: &Names) -> Vec<TrackId> {
    let mut set: BTreeSet<usize> = BTreeSet::new();
    if let Some(i) = names.tracks.iter().position(|t| *t == d.folder) {
        set.insert(i);
    }
    for t in &d.tracks {
        match names.tracks.iter().position(|id| *id == t.value) {
            Some(i) => {
                set.insert(i);
            }
            None => cx.error(
                file,
                t.pos,
                format!("unknown track `{}`", t.value),
                unknown_help(&t.value, &names.tracks, "tracks"),
            ),
        }
    }
    if !d.tracks.is_empty()
        && !d.tracks.iter().any(|t| t.value == d.folder)
        && names.tracks.contains(&d.folder.as_str())
    {
        cx.error(file, d.tracks[0].pos, format!("`tracks` does not include `{}`, the folder this level is in", d.folder),
            "a shared level lives in the folder of one of its tracks; add that track to the list or move the file");
    }
    set.into_iter()
        .map(|i| TrackId(names.tracks[i].to_string()))
        .collect()
}

fn status(cx: &mut Ctx, file: &str, d: &LevelDef) -> Status {
    match d.status.as_ref().map(|s| s.value.as_str()) {
        None | Some("current") => Status::Current,
        Some("draft") => Status::Draft,
        Some("legacy") => Status::Legacy,
        Some(other) => {
            cx.error(
                file,
                d.status.as_ref().map_or(Pos::START, |s| s.pos),
                format!("unknown status `{other}`"),
                "a level's status is `current`, `draft` or `legacy`",
            );
            Status::Current
        }
    }
}

/// Each level's `expects` (competency -> step of its scale), now that competencies are
/// known. `comp_stems` are the ids of every competency file, even one that failed to
/// parse, so one broken file does not cascade into "unknown competency" everywhere;
/// `scale_named` the ids of competencies that name a scale, known or not.
pub(super) fn expectations(
    cx: &mut Ctx,
    levels: &mut [Level],
    sources: &[(&str, &LevelDef)],
    competencies: &[Arc<Competency>],
    scales: &[Scale],
    comp_stems: &HashSet<&str>,
    scale_named: &HashSet<&str>,
) {
    let comp_ids: Vec<&str> = competencies.iter().map(|c| c.id.as_str()).collect();
    let position: HashMap<&str, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let mut resolved: Vec<(usize, CompetencyId, StepId)> = Vec::new();
    for &(file, d) in sources {
        // `None` for a level that could not be placed: its expects are still checked
        // against the competencies and their scales, so one run reports every mistake.
        let placed = position.get(d.id.as_str()).copied();
        for (comp, step) in &d.expects {
            let Some(c) = competencies.iter().find(|c| c.id.0 == comp.value) else {
                if !comp_stems.contains(comp.value.as_str()) {
                    cx.error(
                        file,
                        comp.pos,
                        format!("unknown competency `{}`", comp.value),
                        unknown_help(&comp.value, &comp_ids, "competencies"),
                    );
                }
                continue;
            };
            let Some(si) = c.scale else {
                // A competency that names a scale that does not exist has its error;
                // every level expecting a step of it would only repeat it.
                if scale_named.contains(c.id.as_str()) {
                    continue;
                }
                cx.error(file, comp.pos, format!("competency `{}` has no proficiency scale", comp.value),
                    format!("add `scale:` and `proficiency:` to {}, or list this level's behaviours there instead", c.file));
                continue;
            };
            let steps: Vec<&str> = scales[si].steps.iter().map(|s| s.id.as_str()).collect();
            if !steps.contains(&step.value.as_str()) {
                cx.error(
                    file,
                    step.pos,
                    format!("unknown step `{}` of scale `{}`", step.value, scales[si].id),
                    unknown_help(&step.value, &steps, "steps"),
                );
                continue;
            }
            let Some(li) = placed else {
                continue;
            };
            let level = &levels[li];
            if !c.tracks.iter().any(|t| level.tracks.contains(t)) {
                cx.error(
                    file,
                    comp.pos,
                    format!(
                        "competency `{}` does not apply to {}",
                        comp.value,
                        track_list(&level.tracks)
                    ),
                    format!("it applies to {}", track_list(&c.tracks)),
                );
                continue;
            }
            resolved.push((li, c.id.clone(), StepId(step.value.clone())));
        }
    }
    for (li, c, step) in resolved {
        levels[li].expects.insert(c, step);
    }
}

/// A level of a track based on another holds its base level's steps where it does not
/// set its own, as it holds that level's behaviours: a data science track based on the
/// expert track expects the expert step its band's expert level expects. Bases of bases
/// are followed (each round adds what the previous one gave the base).
pub(super) fn inherit_steps(
    levels: &mut [Level],
    tracks: &[Track],
    competencies: &[Arc<Competency>],
) {
    let bases: Vec<Option<usize>> = (0..levels.len())
        .map(|li| competencies::base_level(levels, tracks, li, |_| false))
        .collect();
    for _ in 0..levels.len() {
        let mut added = false;
        for (li, base) in bases.iter().enumerate() {
            let Some(bl) = *base else { continue };
            let take: Vec<(CompetencyId, StepId)> = levels[bl]
                .expects
                .iter()
                .filter(|(c, _)| !levels[li].expects.contains_key(*c))
                .filter(|(c, _)| {
                    competencies.iter().any(|comp| {
                        comp.id == **c && comp.tracks.iter().any(|t| levels[li].tracks.contains(t))
                    })
                })
                .map(|(c, s)| (c.clone(), s.clone()))
                .collect();
            added |= !take.is_empty();
            levels[li].expects.extend(take);
        }
        if !added {
            break;
        }
    }
}
