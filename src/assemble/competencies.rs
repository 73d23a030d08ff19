//! Competencies: each competency file resolved against the skeleton (its area, tracks
//! and scale) and the levels (whose behaviours it lists), duplicate ids refused, in
//! area then title order.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::behaviours::{behaviours, check_lineage};
use super::{Ctx, Names, known, track_list, unknown_help};
use crate::diagnostics::{Diagnostic, Pos};
use crate::model::*;
use crate::parse::{CompetencyDef, OverrideDef};

/// What resolving a competency needs to know of the rest of the framework.
pub(super) struct Context<'a> {
    pub names: &'a Names<'a>,
    pub tracks: &'a [Track],
    pub scales: &'a [Scale],
    pub levels: &'a [Level],
    /// Ids of every level file, even those that failed to parse.
    pub level_stems: &'a HashSet<&'a str>,
    /// Tracks whose `based_on` could not be resolved (already reported).
    pub unresolved_bases: &'a [TrackId],
    /// Whether a level file failed to parse (already reported): a level may then be
    /// missing the base it inherits from, and what it replaces or removes is not
    /// checked.
    pub level_failed: bool,
}

/// For each level (by index), the level below it on each of its tracks.
fn levels_below(levels: &[Level]) -> Vec<Vec<usize>> {
    let mut last: HashMap<&TrackId, usize> = HashMap::new();
    levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut below: Vec<usize> = l
                .tracks
                .iter()
                .filter_map(|t| last.get(t).copied())
                .collect();
            below.sort_unstable();
            below.dedup();
            for t in &l.tracks {
                last.insert(t, i);
            }
            below
        })
        .collect()
}

/// The competencies of the last assembly, kept by `serve` between rebuilds. A competency
/// depends only on its own file and on the parts of the rest of the framework that
/// [`Context`] holds, so one whose parse is the same (the same shared value: the parse
/// cache keeps a parse while its file's bytes are unchanged) under the same context
/// fingerprint is taken from here, diagnostics included, instead of resolved again. At
/// 10,000 pages resolving every competency is most of assembly.
#[derive(Default)]
pub(crate) struct Memo {
    context: u128,
    by_file: HashMap<String, Memoized>,
}

struct Memoized {
    /// The parse it was resolved from; holding it keeps its address from being reused.
    def: Arc<CompetencyDef>,
    competency: Option<Arc<Competency>>,
    diags: Vec<Diagnostic>,
}

/// A fingerprint of everything in `context` that resolving a competency reads (ids,
/// bands, tracks and bases, scale steps, which level files exist), and nothing else: a
/// level's title, summary or narrative does not change its competencies.
fn context_fingerprint(context: &Context) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let text = |h: &mut xxhash_rust::xxh3::Xxh3, s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    let number = |h: &mut xxhash_rust::xxh3::Xxh3, n: usize| h.update(&(n as u64).to_le_bytes());
    let names = context.names;
    for list in [&names.tracks, &names.bands, &names.areas] {
        number(&mut h, list.len());
        list.iter().for_each(|s| text(&mut h, s));
    }
    number(&mut h, context.tracks.len());
    for t in context.tracks {
        text(&mut h, t.id.as_str());
        number(&mut h, t.based_on.map_or(0, |b| b + 1));
    }
    number(&mut h, context.scales.len());
    for sc in context.scales {
        text(&mut h, sc.id.as_str());
        number(&mut h, sc.steps.len());
        sc.steps.iter().for_each(|st| text(&mut h, st.id.as_str()));
    }
    number(&mut h, context.levels.len());
    for l in context.levels {
        text(&mut h, l.id.as_str());
        number(&mut h, l.band);
        number(&mut h, l.tracks.len());
        l.tracks.iter().for_each(|t| text(&mut h, t.as_str()));
    }
    let mut stems: Vec<&str> = context.level_stems.iter().copied().collect();
    stems.sort_unstable();
    number(&mut h, stems.len());
    stems.iter().for_each(|s| text(&mut h, s));
    number(&mut h, context.unresolved_bases.len());
    for t in context.unresolved_bases {
        text(&mut h, t.as_str());
    }
    number(&mut h, usize::from(context.level_failed));
    h.digest128()
}

/// Resolves every competency file: duplicate ids first, in file order; then each
/// competency on its own, in parallel (with behaviours for every level, this is most of
/// assembly, and serve assembles again after every edit), unless `memo` has it.
/// Diagnostics keep file order.
pub(super) fn competencies(
    cx: &mut Ctx,
    defs: &[(&str, &Arc<CompetencyDef>)],
    context: &Context,
    memo: Option<&mut Memo>,
) -> Vec<Arc<Competency>> {
    let mut files: HashMap<&str, &str> = HashMap::new();
    let mut unique: Vec<(&str, &Arc<CompetencyDef>)> = Vec::new();
    for &(file, d) in defs {
        if let Some(first) = files.get(d.id.as_str()) {
            cx.error(file, Pos::START, format!("duplicate competency id `{}`", d.id),
                format!("`{first}` already defines a competency with this id; competency ids are file names and must be unique across all area folders"));
            continue;
        }
        files.insert(&d.id, file);
        unique.push((file, d));
    }
    let level_pos: HashMap<&str, usize> = context
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let below = levels_below(context.levels);
    let fingerprint = context_fingerprint(context);
    let mut memo = memo;
    let kept = match memo.as_deref_mut() {
        Some(m) if m.context == fingerprint => std::mem::take(&mut m.by_file),
        _ => HashMap::new(),
    };
    let resolved: Vec<Memoized> = unique
        .par_iter()
        .map(|&(file, d)| {
            if let Some(m) = kept.get(file).filter(|m| Arc::ptr_eq(&m.def, d)) {
                return Memoized {
                    def: d.clone(),
                    competency: m.competency.clone(),
                    diags: m.diags.clone(),
                };
            }
            let mut diags = Vec::new();
            let cx = &mut Ctx { diags: &mut diags };
            let c = competency(cx, file, d, context, &level_pos);
            if let Some(c) = &c {
                lineage(cx, file, d, c, context, &below);
            }
            Memoized {
                def: d.clone(),
                competency: c.map(Arc::new),
                diags,
            }
        })
        .collect();
    let mut competencies: Vec<Arc<Competency>> = Vec::with_capacity(resolved.len());
    for m in &resolved {
        cx.diags.extend(m.diags.iter().cloned());
        competencies.extend(m.competency.clone());
    }
    if let Some(memo) = memo {
        memo.context = fingerprint;
        memo.by_file = unique
            .iter()
            .map(|(file, _)| file.to_string())
            .zip(resolved)
            .collect();
    }
    competencies.sort_by(|a, b| {
        (a.area, a.order, &a.title, &a.id).cmp(&(b.area, b.order, &b.title, &b.id))
    });
    competencies
}

fn competency(
    cx: &mut Ctx,
    file: &str,
    d: &CompetencyDef,
    context: &Context,
    level_pos: &HashMap<&str, usize>,
) -> Option<Competency> {
    let names = context.names;
    let Some(area) = names.areas.iter().position(|a| *a == d.folder) else {
        cx.error(
            file,
            Pos::START,
            format!("unknown area `{}` (the competency's folder)", d.folder),
            unknown_help(&d.folder, &names.areas, "areas"),
        );
        return None;
    };
    let tracks = competency_tracks(cx, file, d, context);
    let unknown_track = has_unknown_track(d, context.names);
    let scale = scale(cx, file, d, context.scales);
    let mut anchors = BTreeSet::new();
    let mut proficiency = BTreeMap::new();
    if let Some(si) = scale {
        let scale = &context.scales[si];
        let step_ids: Vec<&str> = scale.steps.iter().map(|s| s.id.as_str()).collect();
        for (step, list) in &d.proficiency {
            if !step_ids.contains(&step.value.as_str()) {
                cx.error(
                    file,
                    step.pos,
                    format!("unknown step `{}` of scale `{}`", step.value, scale.id),
                    unknown_help(&step.value, &step_ids, "steps"),
                );
                continue;
            }
            let prefix = format!("{}-{}", d.id, step.value);
            let list = behaviours(cx, file, &prefix, list, &mut anchors);
            proficiency.insert(StepId(step.value.clone()), list);
        }
    }
    let level_ids: Vec<&str> = context.levels.iter().map(|l| l.id.as_str()).collect();
    let mut by_level = BTreeMap::new();
    for (level, list) in &d.behaviours {
        let Some(&li) = level_pos.get(level.value.as_str()) else {
            if !context.level_stems.contains(level.value.as_str()) {
                cx.error(
                    file,
                    level.pos,
                    format!("unknown level `{}`", level.value),
                    unknown_help(&level.value, &level_ids, "levels"),
                );
            }
            continue;
        };
        let level_tracks = &context.levels[li].tracks;
        let all_tracks = tracks.len() == context.tracks.len();
        // With a misspelt track (reported above), which levels belong is unknown.
        if !all_tracks && !unknown_track && !tracks.iter().any(|t| level_tracks.contains(t)) {
            cx.error(
                file,
                level.pos,
                format!(
                    "level `{}` is on {} but this competency applies to {}",
                    level.value,
                    track_list(level_tracks),
                    track_list(&tracks)
                ),
                "list behaviours only for levels on the competency's tracks, or widen its `tracks`",
            );
            continue;
        }
        let mut seen_here = BTreeSet::new();
        let list = behaviours(cx, file, &d.id, list, &mut seen_here);
        by_level.insert(LevelId(level.value.clone()), list);
    }
    inherit(cx, file, d, &tracks, context, &mut by_level);
    Some(Competency {
        id: CompetencyId(d.id.clone()),
        area,
        order: d.order,
        title: d.title.clone(),
        summary: d.summary.clone(),
        tracks,
        scale,
        proficiency,
        behaviours: by_level,
        body_html: d.body_html.clone(),
        file: file.to_string(),
    })
}

/// Checks every `from:` of the competency: a level's names behaviours at the level below
/// on one of its tracks, a scale step's names descriptors of the step below.
fn lineage(
    cx: &mut Ctx,
    file: &str,
    d: &CompetencyDef,
    c: &Competency,
    context: &Context,
    below: &[Vec<usize>],
) {
    let position: HashMap<&str, usize> = context
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    for (level, defs) in &d.behaviours {
        let Some(&li) = position.get(level.value.as_str()) else {
            continue;
        };
        let lists: Vec<(&str, &[Behaviour])> = below[li]
            .iter()
            .map(|&b| {
                let l = &context.levels[b];
                (
                    l.id.as_str(),
                    c.behaviours.get(&l.id).map_or(&[][..], Vec::as_slice),
                )
            })
            .collect();
        check_lineage(cx, file, defs, &lists);
    }
    if let Some(scale) = c.scale.map(|si| &context.scales[si]) {
        for (step, defs) in &d.proficiency {
            let Some(k) = scale.steps.iter().position(|s| s.id.as_str() == step.value) else {
                continue;
            };
            let lists: Vec<(&str, &[Behaviour])> = k
                .checked_sub(1)
                .map(|b| &scale.steps[b])
                .map(|s| {
                    (
                        s.id.as_str(),
                        c.proficiency.get(&s.id).map_or(&[][..], Vec::as_slice),
                    )
                })
                .into_iter()
                .collect();
            check_lineage(cx, file, defs, &lists);
        }
    }
}

/// The tracks a competency applies to, in framework order: those its `tracks` lists, or
/// every track.
/// Whether the competency's `tracks:` names a track the framework does not have.
pub(super) fn has_unknown_track(d: &CompetencyDef, names: &Names) -> bool {
    d.tracks.as_ref().is_some_and(|list| {
        list.iter()
            .any(|t| !names.tracks.contains(&t.value.as_str()))
    })
}

fn competency_tracks(
    cx: &mut Ctx,
    file: &str,
    d: &CompetencyDef,
    context: &Context,
) -> Vec<TrackId> {
    let names = context.names;
    let Some(list) = &d.tracks else {
        return context.tracks.iter().map(|t| t.id.clone()).collect();
    };
    let mut set = BTreeSet::new();
    for t in list {
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
    set.into_iter()
        .map(|i| TrackId(names.tracks[i].to_string()))
        .collect()
}

/// The competency's scale: the one `scale` names, or the framework's only scale when it
/// lists `proficiency` without naming one.
fn scale(cx: &mut Ctx, file: &str, d: &CompetencyDef, scales: &[Scale]) -> Option<usize> {
    match &d.scale {
        Some(s) => match scales.iter().position(|x| x.id.0 == s.value) {
            Some(i) => Some(i),
            None => {
                let ids: Vec<&str> = scales.iter().map(|x| x.id.as_str()).collect();
                cx.error(
                    file,
                    s.pos,
                    format!("unknown scale `{}`", s.value),
                    unknown_help(&s.value, &ids, "scales"),
                );
                None
            }
        },
        None if !d.proficiency.is_empty() && scales.len() == 1 => Some(0),
        None if !d.proficiency.is_empty() => {
            cx.error(
                file,
                d.proficiency[0].0.pos,
                "`proficiency` needs a `scale`",
                if scales.is_empty() {
                    "define a scale under `scales:` in framework.yaml and name it with `scale:`"
                        .to_string()
                } else {
                    format!(
                        "name the scale its steps belong to with `scale:`; known scales: {}",
                        known(scales.iter().map(|s| s.id.as_str()))
                    )
                },
            );
            None
        }
        None => None,
    }
}

/// What each level inherits, put in front of what it lists: the level of the track its
/// track is based on, in the same band (with that level's own inheritance), or else the
/// competency's `core:` for its band; less what the level's changes remove or replace.
/// Each inherited behaviour says where it was written ([`Origin`]).
fn inherit(
    cx: &mut Ctx,
    file: &str,
    d: &CompetencyDef,
    tracks: &[TrackId],
    context: &Context,
    by_level: &mut BTreeMap<LevelId, Vec<Behaviour>>,
) {
    let levels = context.levels;
    let applies = |li: usize| tracks.iter().any(|t| levels[li].tracks.contains(t));
    let mut core: BTreeMap<usize, Vec<Behaviour>> = BTreeMap::new();
    for (band, list) in &d.core {
        let Some(bi) = context.names.bands.iter().position(|b| *b == band.value) else {
            cx.error(
                file,
                band.pos,
                format!("unknown band `{}`", band.value),
                unknown_help(&band.value, &context.names.bands, "bands"),
            );
            continue;
        };
        if !(0..levels.len()).any(|li| levels[li].band == bi && applies(li)) {
            cx.error(
                file,
                band.pos,
                format!("`core` names band `{}`, which has no level on the competency's tracks", band.value),
                format!("the competency applies to {}; add a level in this band, or widen the competency's `tracks`", track_list(tracks)),
            );
            continue;
        }
        let mut list = behaviours(cx, file, &d.id, list, &mut BTreeSet::new());
        for b in &mut list {
            b.origin = Some(Origin::Core(bi));
        }
        core.insert(bi, list);
    }
    let has_base = context.tracks.iter().any(|t| t.based_on.is_some());
    if core.is_empty() && !has_base && d.overrides.is_empty() {
        return;
    }
    let changes: HashMap<&str, &OverrideDef> = d
        .overrides
        .iter()
        .map(|(l, o)| (l.value.as_str(), o))
        .collect();
    let mut done: Vec<Option<Vec<Behaviour>>> = vec![None; levels.len()];
    let mut r = Resolver {
        // A misspelt track (reported) leaves levels without what they inherit.
        quiet: context.level_failed || has_unknown_track(d, context.names),
        cx,
        file,
        context,
        core: &core,
        changes: &changes,
        by_level,
        done: &mut done,
        visiting: Vec::new(),
        applies: &applies,
    };
    for li in 0..levels.len() {
        if applies(li) {
            r.resolve(li);
        }
    }
    for (li, list) in done.into_iter().enumerate() {
        if let Some(list) = list.filter(|l| !l.is_empty()) {
            by_level.insert(levels[li].id.clone(), list);
        }
    }
}

/// The level a level of a based track inherits from: the level of the base track in
/// the same band (the first of its tracks with a base decides), other than `skip`s.
pub(super) fn base_level(
    levels: &[Level],
    tracks: &[Track],
    li: usize,
    skip: impl Fn(usize) -> bool,
) -> Option<usize> {
    let l = &levels[li];
    l.tracks.iter().find_map(|t| {
        let bt = tracks.iter().find(|x| x.id == *t)?.based_on?;
        let bt = &tracks[bt].id;
        (0..levels.len()).find(|&o| {
            o != li && levels[o].band == l.band && levels[o].tracks.contains(bt) && !skip(o)
        })
    })
}

/// Resolves levels' inheritance on demand, each once.
struct Resolver<'a, 'c, 'd> {
    /// Whether a `remove`/`replace` naming nothing goes unreported: an earlier error
    /// (an unreadable level, a misspelt track) explains it.
    quiet: bool,
    cx: &'a mut Ctx<'c>,
    file: &'a str,
    context: &'a Context<'d>,
    core: &'a BTreeMap<usize, Vec<Behaviour>>,
    changes: &'a HashMap<&'a str, &'a OverrideDef>,
    by_level: &'a BTreeMap<LevelId, Vec<Behaviour>>,
    done: &'a mut Vec<Option<Vec<Behaviour>>>,
    visiting: Vec<usize>,
    applies: &'a dyn Fn(usize) -> bool,
}

impl Resolver<'_, '_, '_> {
    /// The level of the track `li`'s track is based on, in the same band.
    fn base(&self, li: usize) -> Option<usize> {
        base_level(self.context.levels, self.context.tracks, li, |o| {
            self.visiting.contains(&o)
        })
    }

    fn resolve(&mut self, li: usize) -> Vec<Behaviour> {
        if let Some(list) = &self.done[li] {
            return list.clone();
        }
        self.visiting.push(li);
        let level = &self.context.levels[li];
        let mut list: Vec<Behaviour> = match self.base(li) {
            Some(bl) if (self.applies)(bl) => {
                let mut from = self.resolve(bl);
                for b in &mut from {
                    b.origin.get_or_insert(Origin::Level(bl));
                }
                from
            }
            _ => self.core.get(&level.band).cloned().unwrap_or_default(),
        };
        if let Some(change) = self.changes.get(level.id.as_str()) {
            self.apply(level, &mut list, change);
        }
        let own = self.by_level.get(&level.id).map_or(&[][..], Vec::as_slice);
        let mut anchors: BTreeSet<String> = list.iter().map(|b| b.anchor.clone()).collect();
        for b in own {
            let mut b = b.clone();
            if !anchors.insert(b.anchor.clone()) {
                let base = b.anchor.clone();
                let mut n = 2;
                while !anchors.insert(format!("{base}-{n}")) {
                    n += 1;
                }
                b.anchor = format!("{base}-{n}");
            }
            list.push(b);
        }
        self.visiting.pop();
        self.done[li] = Some(list.clone());
        list
    }

    /// Removes and replaces inherited behaviours by id, each id an error if the level
    /// inherits no behaviour with it.
    fn apply(&mut self, level: &Level, list: &mut Vec<Behaviour>, change: &OverrideDef) {
        if level
            .tracks
            .iter()
            .any(|t| self.context.unresolved_bases.contains(t))
        {
            return;
        }
        let ids: Vec<String> = list
            .iter()
            .filter_map(|b| b.id.clone())
            .map(|i| format!("`{i}`"))
            .collect();
        let help = if list.is_empty() {
            format!(
                "`{}` inherits nothing here: its track is not based on another with a level in this band, and the competency has no `core` for the band",
                level.id
            )
        } else if ids.is_empty() {
            "no behaviour it inherits has an `id`; give the one to change an `id` where it is written".to_string()
        } else {
            format!("ids it inherits: {}", ids.join(", "))
        };
        let quiet = self.quiet;
        let missing = |cx: &mut Ctx, id: &crate::parse::Id, what: &str| {
            if quiet {
                return;
            }
            cx.error(
                self.file,
                id.pos,
                format!(
                    "`{what}: {}` names no behaviour that `{}` inherits",
                    id.value, level.id
                ),
                help.clone(),
            );
        };
        // What `remove` took out already: naming it again (or replacing it) is its own
        // mistake, not "names no behaviour".
        let mut removed: Vec<&str> = Vec::new();
        let again = |cx: &mut Ctx, id: &crate::parse::Id, what: &str| {
            cx.error(
                self.file,
                id.pos,
                format!("`{what}: {}`: `{}` is removed above", id.value, id.value),
                "remove a behaviour once, and do not also replace it: a replacement changes its words, a removal takes it out",
            );
        };
        for id in &change.remove {
            match list
                .iter()
                .position(|b| b.id.as_deref() == Some(id.value.as_str()))
            {
                Some(k) => {
                    list.remove(k);
                    removed.push(&id.value);
                }
                None if removed.contains(&id.value.as_str()) => again(self.cx, id, "remove"),
                None => missing(self.cx, id, "remove"),
            }
        }
        for (id, def) in &change.replace {
            if removed.contains(&id.value.as_str()) {
                again(self.cx, id, "replace");
                continue;
            }
            match list
                .iter()
                .position(|b| b.id.as_deref() == Some(id.value.as_str()))
            {
                Some(k) => {
                    let prefix = list[k]
                        .anchor
                        .strip_suffix(&format!("-{}", id.value))
                        .unwrap_or(&list[k].anchor)
                        .to_string();
                    let mut b = behaviours(
                        self.cx,
                        self.file,
                        &prefix,
                        std::slice::from_ref(def),
                        &mut BTreeSet::new(),
                    )
                    .remove(0);
                    // The replacement keeps the id (and anchor) unless it gives its own.
                    if b.id.is_none() {
                        b.id = Some(id.value.clone());
                        b.anchor = list[k].anchor.clone();
                    }
                    list[k] = b;
                }
                None => missing(self.cx, id, "replace"),
            }
        }
    }
}
