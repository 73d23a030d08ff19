//! What changed for readers between two versions of a framework, level by level and
//! competency by competency, and the version bump that implies: `rungs diff`, the
//! site's changes page and the "changed in this version" note on level pages.
//!
//! The behaviours of one cell (a competency at a level) in the two versions are linked
//! with the same alignment as the compare pages ([`crate::change::versions`]): shared ids
//! first, then equal text, then similar wording, so a rewording reads as one reworded
//! behaviour with its changed words marked, not as one removed and one added. A behaviour
//! that leaves one cell and appears, word for word, in another is *moved*. Levels and
//! competencies are matched by id; one that disappears while another of the same track
//! and band (or area) appears at the same place is *renamed*.
//!
//! `crate::versions` turns a folder or a git revision into a site and writes a report as
//! text, Markdown (for a pull-request comment) or JSON.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::change::{self, Kind, Mark};
use crate::config::Bump;
use crate::model::{Behaviour, Framework, Level};

/// What changed between two versions of a framework.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// How each side was named on the command line (a folder or a git revision).
    pub old_label: String,
    /// How the later side was named.
    pub new_label: String,
    /// `version:` in each side's framework.yaml, if set.
    pub old_version: Option<String>,
    /// The later side's `version:`.
    pub new_version: Option<String>,
    /// Tracks, levels, competencies and areas added, removed or renamed.
    pub structure: Vec<Structural>,
    /// Every level with a change, in the new version's order (removed ones last).
    pub levels: Vec<LevelChanges>,
    /// Competencies whose guidance, descriptors or tracks changed.
    pub competencies: Vec<CompetencyChanges>,
    /// The bump the changes imply under the site's rule, and why.
    pub bump: Option<Bump>,
    /// Each kind of change found, with its bump, most significant first.
    pub reasons: Vec<Reason>,
    /// The version after the bump, when the old side has a `MAJOR.MINOR.PATCH` version.
    pub suggested_version: Option<String>,
    /// One sentence that says what the change does (made by `summary`).
    pub summary: String,
}

/// A track, level, competency or area added, removed or renamed.
#[derive(Debug, Clone, Serialize)]
pub struct Structural {
    /// `track`, `level`, `competency` or `area`.
    pub what: &'static str,
    /// `added`, `removed` or `renamed`.
    pub change: &'static str,
    /// Its id (in the later version, for a rename).
    pub id: String,
    /// Its title (in the later version, for a rename).
    pub title: String,
    /// For a rename: the id it had.
    pub old_id: Option<String>,
    /// For a rename: the title it had.
    pub old_title: Option<String>,
}

/// The changes at one level.
#[derive(Debug, Clone, Serialize, Default)]
pub struct LevelChanges {
    /// The level's id.
    pub id: String,
    /// The level's title.
    pub title: String,
    /// The titles of its tracks.
    pub tracks: Vec<String>,
    /// The level is new or removed in this change (its behaviours are not itemised).
    pub added: bool,
    /// The level is gone in the later version.
    pub removed: bool,
    /// Its summary or narrative changed.
    pub text_changed: bool,
    /// Attributes added, removed or changed.
    pub attributes: Vec<AttributeChange>,
    /// Competencies whose expectations at this level changed.
    pub cells: Vec<CellChanges>,
}

/// A level attribute added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct AttributeChange {
    /// The attribute's name.
    pub name: String,
    /// Its value before, if it had one.
    pub old: Option<String>,
    /// Its value after, if it has one.
    pub new: Option<String>,
}

/// The changes to what one level expects of one competency.
#[derive(Debug, Clone, Serialize)]
pub struct CellChanges {
    /// The competency's id.
    pub competency: String,
    /// The competency's title.
    pub competency_title: String,
    /// The proficiency step expected, before and after, when it changed.
    pub step: Option<(Option<String>, Option<String>)>,
    /// The behaviours that changed.
    pub behaviours: Vec<BehaviourChange>,
}

/// One behaviour (or a group merged or split) added, removed, reworded or moved.
#[derive(Debug, Clone, Serialize)]
pub struct BehaviourChange {
    /// `added`, `removed`, `reworded`, `merged`, `split`, `edited` (punctuation or case
    /// only), `moved-in` or `moved-out`.
    pub kind: &'static str,
    /// The earlier texts (plain).
    pub old: Vec<String>,
    /// The later texts (plain).
    pub new: Vec<String>,
    /// For a rewording: the words, each `same`, `removed` or `added`.
    pub words: Vec<(&'static str, String)>,
    /// For a move: where it came from or went, as `Level › Competency`.
    pub elsewhere: Option<String>,
}

/// A competency's own changes (not those of its cells).
#[derive(Debug, Clone, Serialize)]
pub struct CompetencyChanges {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its summary or guidance changed.
    pub guidance_changed: bool,
    /// Its proficiency descriptors changed.
    pub descriptors_changed: bool,
    /// The tracks it applies to changed.
    pub tracks_changed: bool,
}

/// One reason for the bump: a kind of change and an example of it.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// The bump the rule gives this kind of change.
    pub bump: Bump,
    /// The setting that decides it, e.g. `behaviour_added`.
    pub rule: &'static str,
    /// The first change of this kind, as `Level › Competency: text`.
    pub example: String,
    /// How many changes of this kind.
    pub count: usize,
}

/// What a [`BumpRule`](crate::config::BumpRule) is asked about.
struct Bumps<'r> {
    rule: &'r crate::config::BumpRule,
    reasons: BTreeMap<&'static str, Reason>,
}

impl Bumps<'_> {
    fn note(&mut self, rule: &'static str, example: impl FnOnce() -> String) {
        let bump = self.rule.get(rule);
        let r = self.reasons.entry(rule).or_insert_with(|| Reason {
            bump,
            rule,
            example: example(),
            count: 0,
        });
        r.count += 1;
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Matches the items of two versions by id, then pairs what is left by `place` as a
/// rename. Returns (old index, new index) pairs, the removed and the added.
fn match_by_id<T>(
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> String,
    (place_old, place_new): (impl Fn(&T) -> String, impl Fn(&T) -> String),
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let new_ids: HashMap<String, usize> = new.iter().enumerate().map(|(i, x)| (id(x), i)).collect();
    let mut pairs = Vec::new();
    let mut removed = Vec::new();
    let mut taken = vec![false; new.len()];
    for (i, x) in old.iter().enumerate() {
        match new_ids.get(&id(x)) {
            Some(&j) => {
                pairs.push((i, j));
                taken[j] = true;
            }
            None => removed.push(i),
        }
    }
    let mut added: Vec<usize> = (0..new.len()).filter(|&j| !taken[j]).collect();
    // A removed and an added item at the same place: one item renamed.
    removed.retain(|&i| {
        let p = place_old(&old[i]);
        match added.iter().position(|&j| place_new(&new[j]) == p) {
            Some(k) => {
                pairs.push((i, added.remove(k)));
                false
            }
            None => true,
        }
    });
    pairs.sort_by_key(|&(_, j)| j);
    (pairs, removed, added)
}

fn level_place(fw: &Framework, l: &Level) -> String {
    format!(
        "{}|{}|{}",
        l.tracks
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(","),
        fw.bands[l.band].id,
        l.order
    )
}

fn track_titles(fw: &Framework, l: &Level) -> Vec<String> {
    l.tracks
        .iter()
        .filter_map(|t| fw.track(t))
        .map(|t| t.title.clone())
        .collect()
}

/// Compares two versions of a framework under the site's bump rule.
pub fn compare(
    old: &Framework,
    new: &Framework,
    labels: (String, String),
    rule: &crate::config::BumpRule,
) -> Report {
    let mut bumps = Bumps {
        rule,
        reasons: BTreeMap::new(),
    };
    let mut structure = Vec::new();

    // Families, tracks and areas by id (renamed when the title changed); levels and
    // competencies by id, then a removed and an added one at the same place (tracks,
    // band and order; area and order) are one renamed.
    pair_up(
        &mut structure,
        &mut bumps,
        "family",
        &old.families,
        &new.families,
        |f| (f.id.to_string(), f.title.clone()),
        (|f| format!("\u{0}{}", f.id), |f| format!("\u{0}{}", f.id)),
    );
    pair_up(
        &mut structure,
        &mut bumps,
        "track",
        &old.tracks,
        &new.tracks,
        |t| (t.id.to_string(), t.title.clone()),
        (|t| format!("\u{0}{}", t.id), |t| format!("\u{0}{}", t.id)),
    );
    pair_up(
        &mut structure,
        &mut bumps,
        "area",
        &old.areas,
        &new.areas,
        |a| (a.id.to_string(), a.title.clone()),
        (|a| format!("\u{0}{}", a.id), |a| format!("\u{0}{}", a.id)),
    );
    let (levels, levels_gone, levels_came) = pair_up(
        &mut structure,
        &mut bumps,
        "level",
        &old.levels,
        &new.levels,
        |l| (l.id.to_string(), l.title.clone()),
        (
            |l: &Level| level_place(old, l),
            |l: &Level| level_place(new, l),
        ),
    );
    let (comps, comps_gone, _) = pair_up(
        &mut structure,
        &mut bumps,
        "competency",
        &old.competencies,
        &new.competencies,
        |c| (c.id.to_string(), c.title.clone()),
        (
            |c| format!("{}|{}", c.area, c.order),
            |c| format!("{}|{}", c.area, c.order),
        ),
    );
    let comp_of_new: HashMap<usize, usize> = comps.iter().map(|&(i, j)| (j, i)).collect();

    // Every matched level, cell by cell.
    let mut out: Vec<LevelChanges> = Vec::new();
    for &(oi, ni) in &levels {
        let (lo, ln) = (&old.levels[oi], &new.levels[ni]);
        let mut lc = LevelChanges {
            id: ln.id.to_string(),
            title: ln.title.clone(),
            tracks: track_titles(new, ln),
            text_changed: lo.summary != ln.summary || lo.body_html != ln.body_html,
            ..LevelChanges::default()
        };
        if lc.text_changed {
            bumps.note("text_changed", || {
                format!("{}: summary or narrative", ln.title)
            });
        }
        lc.attributes = attribute_changes(&lo.attributes, &ln.attributes);
        if let Some(a) = lc.attributes.first() {
            bumps.note("attribute_changed", || format!("{}: {}", ln.title, a.name));
        }
        for (nci, cn) in new.competencies.iter().enumerate() {
            let co = comp_of_new.get(&nci).map(|&i| &old.competencies[i]);
            let now = if new.applies(cn, ln) {
                new.cell(cn, ln)
            } else {
                crate::model::Cell::default()
            };
            let before = match co {
                Some(co) if old.applies(co, lo) => old.cell(co, lo),
                _ => crate::model::Cell::default(),
            };
            let step_title = |s: Option<&crate::model::Step>| s.map(|s| s.title.clone());
            let step = (step_title(before.step) != step_title(now.step))
                .then(|| (step_title(before.step), step_title(now.step)));
            if let Some((a, b)) = &step {
                let raised = match (before.step, now.step, cn.scale) {
                    (Some(a), Some(b), Some(s)) => {
                        let steps = &new.scales[s].steps;
                        steps.iter().position(|x| x.id == b.id)
                            > steps.iter().position(|x| x.id == a.id)
                    }
                    (None, Some(_), _) => true,
                    _ => false,
                };
                let rule = if raised {
                    "expectation_raised"
                } else {
                    "expectation_lowered"
                };
                bumps.note(rule, || {
                    format!(
                        "{} › {}: {} → {}",
                        ln.title,
                        cn.title,
                        a.as_deref().unwrap_or("none"),
                        b.as_deref().unwrap_or("none")
                    )
                });
            }
            let behaviours = cell_behaviours(before.behaviours, now.behaviours);
            if step.is_some() || !behaviours.is_empty() {
                lc.cells.push(CellChanges {
                    competency: cn.id.to_string(),
                    competency_title: cn.title.clone(),
                    step,
                    behaviours,
                });
            }
        }
        out.push(lc);
    }
    // Cells of competencies that are gone: their behaviours are removed from each level.
    for &ci in &comps_gone {
        let co = &old.competencies[ci];
        for &(oi, ni) in &levels {
            let lo = &old.levels[oi];
            if !old.applies(co, lo) {
                continue;
            }
            let before = old.cell(co, lo);
            let behaviours = cell_behaviours(before.behaviours, &[]);
            if !behaviours.is_empty() {
                let lc = out
                    .iter_mut()
                    .find(|l| l.id == new.levels[ni].id.as_str())
                    .expect("matched level");
                lc.cells.push(CellChanges {
                    competency: co.id.to_string(),
                    competency_title: co.title.clone(),
                    step: None,
                    behaviours,
                });
            }
        }
    }
    for &ni in &levels_came {
        let l = &new.levels[ni];
        out.push(LevelChanges {
            id: l.id.to_string(),
            title: l.title.clone(),
            tracks: track_titles(new, l),
            added: true,
            ..LevelChanges::default()
        });
    }
    for &oi in &levels_gone {
        let l = &old.levels[oi];
        out.push(LevelChanges {
            id: l.id.to_string(),
            title: l.title.clone(),
            tracks: track_titles(old, l),
            removed: true,
            ..LevelChanges::default()
        });
    }
    moves(&mut out);
    // Bumps for behaviours, once moves are known; a move to a lower band is a new
    // expectation where it lands.
    let band_of = |id: &str| {
        new.levels
            .iter()
            .find(|l| l.id.as_str() == id)
            .map(|l| l.band)
    };
    for lc in &out {
        for cell in &lc.cells {
            for b in &cell.behaviours {
                let example = || {
                    format!(
                        "{} › {}: {}",
                        lc.title,
                        cell.competency_title,
                        b.new.first().or(b.old.first()).map_or("", String::as_str)
                    )
                };
                let rule = match b.kind {
                    "added" => "behaviour_added",
                    "removed" => "behaviour_removed",
                    "reworded" | "merged" | "split" => "behaviour_reworded",
                    "edited" => "text_changed",
                    "moved-in" => {
                        let from = b
                            .elsewhere
                            .as_deref()
                            .and_then(|e| e.split(" › ").next())
                            .and_then(|t| new.levels.iter().find(|l| l.title == t))
                            .map(|l| l.band);
                        match (from, band_of(&lc.id)) {
                            (Some(f), Some(to)) if to < f => "behaviour_added",
                            _ => "behaviour_moved",
                        }
                    }
                    _ => continue,
                };
                bumps.note(rule, example);
            }
        }
    }
    let competencies = competency_changes(old, new, &comps, &mut bumps);
    out.retain(|l| {
        l.added || l.removed || l.text_changed || !l.attributes.is_empty() || !l.cells.is_empty()
    });

    let mut reasons: Vec<Reason> = bumps
        .reasons
        .into_values()
        .filter(|r| r.bump != Bump::None)
        .collect();
    reasons.sort_by(|a, b| b.bump.cmp(&a.bump).then(a.rule.cmp(b.rule)));
    let bump = reasons.first().map(|r| r.bump);
    let suggested_version = old
        .version
        .as_deref()
        .zip(bump)
        .and_then(|(v, b)| b.apply(v));
    let mut report = Report {
        old_label: labels.0,
        new_label: labels.1,
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        structure,
        levels: out,
        competencies,
        bump,
        reasons,
        suggested_version,
        summary: String::new(),
    };
    report.summary = summary(&report);
    report
}

/// Matches the items of one kind across the versions ([`match_by_id`]) and notes each
/// one added, removed or renamed. `name` gives an item's id and title.
#[allow(clippy::too_many_arguments)]
fn pair_up<T>(
    out: &mut Vec<Structural>,
    bumps: &mut Bumps<'_>,
    what: &'static str,
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> (String, String),
    places: (impl Fn(&T) -> String, impl Fn(&T) -> String),
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let (pairs, gone, came) = match_by_id(old, new, |x| name(x).0, places);
    structural(
        out,
        bumps,
        what,
        &pairs,
        &gone,
        &came,
        |i| name(&old[i]),
        |j| name(&new[j]),
    );
    (pairs, gone, came)
}

#[allow(clippy::too_many_arguments)]
fn structural(
    out: &mut Vec<Structural>,
    bumps: &mut Bumps<'_>,
    what: &'static str,
    pairs: &[(usize, usize)],
    gone: &[usize],
    came: &[usize],
    old: impl Fn(usize) -> (String, String),
    new: impl Fn(usize) -> (String, String),
) {
    for &(i, j) in pairs {
        let ((oid, otitle), (nid, ntitle)) = (old(i), new(j));
        if oid != nid || otitle != ntitle {
            bumps.note(rule_name(what, "renamed"), || {
                format!("{otitle} → {ntitle}")
            });
            out.push(Structural {
                what,
                change: "renamed",
                id: nid,
                title: ntitle,
                old_id: Some(oid),
                old_title: Some(otitle),
            });
        }
    }
    for &j in came {
        let (id, title) = new(j);
        bumps.note(rule_name(what, "added"), || title.clone());
        out.push(Structural {
            what,
            change: "added",
            id,
            title,
            old_id: None,
            old_title: None,
        });
    }
    for &i in gone {
        let (id, title) = old(i);
        bumps.note(rule_name(what, "removed"), || title.clone());
        out.push(Structural {
            what,
            change: "removed",
            id,
            title,
            old_id: None,
            old_title: None,
        });
    }
}

/// The rule setting for a structural change, e.g. `level_added`.
fn rule_name(what: &str, change: &str) -> &'static str {
    crate::config::BumpRule::KEYS
        .iter()
        .find(|k| k.strip_prefix(what).and_then(|r| r.strip_prefix('_')) == Some(change))
        .copied()
        .unwrap_or("text_changed")
}

fn attribute_changes(old: &[(String, String)], new: &[(String, String)]) -> Vec<AttributeChange> {
    let find = |list: &[(String, String)], name: &str| {
        list.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    };
    let mut out = Vec::new();
    for (name, value) in new {
        let before = find(old, name);
        if before.as_deref() != Some(value.as_str()) {
            out.push(AttributeChange {
                name: name.clone(),
                old: before,
                new: Some(value.clone()),
            });
        }
    }
    for (name, value) in old {
        if find(new, name).is_none() {
            out.push(AttributeChange {
                name: name.clone(),
                old: Some(value.clone()),
                new: None,
            });
        }
    }
    out
}

/// The behaviours of one cell in two versions, linked as the compare pages link them.
fn cell_behaviours(old: &[Behaviour], new: &[Behaviour]) -> Vec<BehaviourChange> {
    let old: Vec<&Behaviour> = old.iter().collect();
    let new: Vec<&Behaviour> = new.iter().collect();
    let text = |b: &Behaviour| b.plain.to_string();
    change::versions(&old, &new)
        .into_iter()
        .filter_map(|g| {
            let olds: Vec<String> = g.old.iter().map(|&i| text(old[i])).collect();
            let news: Vec<String> = g.new.iter().map(|&j| text(new[j])).collect();
            let kind = match g.kind {
                Kind::Kept if olds == news => return None,
                Kind::Kept => "edited",
                Kind::Reworded => "reworded",
                Kind::Merged => "merged",
                Kind::Split => "split",
                Kind::New => "added",
                Kind::Dropped => "removed",
            };
            let words = if g.kind.is_growth() {
                word_marks(&olds.join(" "), &news.join(" "))
            } else {
                Vec::new()
            };
            Some(BehaviourChange {
                kind,
                old: olds,
                new: news,
                words,
                elsewhere: None,
            })
        })
        .collect()
}

/// One run of words: kept, removed or added, in reading order (what was removed just
/// before what replaced it). Walked word by word: the two sides' runs break at different
/// places (a side with nothing changed is one run), their kept words do not.
fn word_marks(old: &str, new: &str) -> Vec<(&'static str, String)> {
    let (a, b) = change::word_diff(old, new);
    let words = |segments: &[change::Segment<'_>]| -> Vec<(bool, String)> {
        segments
            .iter()
            .flat_map(|s| {
                let kept = s.mark == Mark::Same;
                s.text
                    .split_whitespace()
                    .map(move |w| (kept, w.to_string()))
            })
            .collect()
    };
    let (a, b) = (words(&a), words(&b));
    let mut out: Vec<(&'static str, String)> = Vec::new();
    let mut push = |kind: &'static str, word: &str| match out.last_mut() {
        Some((k, text)) if *k == kind => {
            text.push(' ');
            text.push_str(word);
        }
        _ => out.push((kind, word.to_string())),
    };
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && !a[i].0 {
            push("removed", &a[i].1);
            i += 1;
        } else if j < b.len() && !b[j].0 {
            push("added", &b[j].1);
            j += 1;
        } else {
            // A kept word, on both sides.
            if let Some((_, w)) = b.get(j) {
                push("same", w);
            }
            i += 1;
            j += 1;
        }
    }
    out
}

/// A behaviour removed from one cell and added, word for word, to another is moved.
fn moves(levels: &mut [LevelChanges]) {
    let mut added: HashMap<String, (usize, usize, usize)> = HashMap::new();
    for (li, l) in levels.iter().enumerate() {
        for (ci, c) in l.cells.iter().enumerate() {
            for (bi, b) in c.behaviours.iter().enumerate() {
                if b.kind == "added" && b.new.len() == 1 {
                    added.entry(norm(&b.new[0])).or_insert((li, ci, bi));
                }
            }
        }
    }
    let mut found = Vec::new();
    for (li, l) in levels.iter().enumerate() {
        for (ci, c) in l.cells.iter().enumerate() {
            for (bi, b) in c.behaviours.iter().enumerate() {
                if b.kind == "removed"
                    && b.old.len() == 1
                    && let Some(&to) = added.get(&norm(&b.old[0]))
                    && to != (li, ci, bi)
                {
                    found.push(((li, ci, bi), to));
                    added.remove(&norm(&b.old[0]));
                }
            }
        }
    }
    for ((fl, fc, fb), (tl, tc, tb)) in found {
        let from = format!(
            "{} › {}",
            levels[fl].title, levels[fl].cells[fc].competency_title
        );
        let to = format!(
            "{} › {}",
            levels[tl].title, levels[tl].cells[tc].competency_title
        );
        let out = &mut levels[fl].cells[fc].behaviours[fb];
        out.kind = "moved-out";
        out.elsewhere = Some(to);
        let into = &mut levels[tl].cells[tc].behaviours[tb];
        into.kind = "moved-in";
        into.elsewhere = Some(from);
    }
}

fn competency_changes(
    old: &Framework,
    new: &Framework,
    pairs: &[(usize, usize)],
    bumps: &mut Bumps<'_>,
) -> Vec<CompetencyChanges> {
    pairs
        .iter()
        .filter_map(|&(i, j)| {
            let (a, b) = (&old.competencies[i], &new.competencies[j]);
            let plain = |m: &std::collections::BTreeMap<crate::model::StepId, Vec<Behaviour>>| {
                m.iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            v.iter().map(|x| x.plain.to_string()).collect::<Vec<_>>(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            let c = CompetencyChanges {
                id: b.id.to_string(),
                title: b.title.clone(),
                guidance_changed: a.body_html != b.body_html || a.summary != b.summary,
                descriptors_changed: plain(&a.proficiency) != plain(&b.proficiency),
                tracks_changed: a.tracks != b.tracks,
            };
            if c.guidance_changed {
                bumps.note("text_changed", || format!("{}: guidance", b.title));
            }
            if c.descriptors_changed {
                bumps.note("descriptors_changed", || {
                    format!("{}: proficiency descriptors", b.title)
                });
            }
            if c.tracks_changed {
                bumps.note("competency_tracks_changed", || {
                    format!("{}: the tracks it applies to", b.title)
                });
            }
            (c.guidance_changed || c.descriptors_changed || c.tracks_changed).then_some(c)
        })
        .collect()
}

/// One sentence that says what the change does to the levels, e.g. "Adds 2 expectations
/// to Senior Engineer, rewords 1 at Staff Engineer and removes 1 from Principal Engineer."
pub(crate) fn summary(r: &Report) -> String {
    let mut parts: Vec<String> = Vec::new();
    let count = |l: &LevelChanges, kinds: &[&str]| {
        l.cells
            .iter()
            .flat_map(|c| &c.behaviours)
            .filter(|b| kinds.contains(&b.kind))
            .map(|b| b.new.len().max(b.old.len()).max(1))
            .sum::<usize>()
    };
    let n = |k: usize, what: &str| {
        if k == 1 {
            format!("1 {what}")
        } else {
            format!("{k} {what}s")
        }
    };
    for l in &r.levels {
        if l.added {
            parts.push(format!("adds the level {}", l.title));
            continue;
        }
        if l.removed {
            parts.push(format!("removes the level {}", l.title));
            continue;
        }
        let added = count(l, &["added", "moved-in"]);
        let reworded = count(l, &["reworded", "merged", "split"]);
        let removed = count(l, &["removed", "moved-out"]);
        if added > 0 {
            parts.push(format!("adds {} to {}", n(added, "expectation"), l.title));
        }
        if reworded > 0 {
            parts.push(format!("rewords {reworded} at {}", l.title));
        }
        if removed > 0 {
            parts.push(format!("removes {removed} from {}", l.title));
        }
        let raised = l.cells.iter().filter(|c| c.step.is_some()).count();
        if raised > 0 {
            parts.push(format!(
                "changes {} at {}",
                n(raised, "expected proficiency"),
                l.title
            ));
        }
        if !l.attributes.is_empty() {
            parts.push(format!(
                "changes {} of {}",
                n(l.attributes.len(), "attribute"),
                l.title
            ));
        }
    }
    for s in r.structure.iter().filter(|s| s.what != "level") {
        parts.push(match s.change {
            "renamed" => renamed(s),
            c => format!(
                "{} the {} {}",
                if c == "added" { "adds" } else { "removes" },
                s.what,
                s.title
            ),
        });
    }
    for s in r
        .structure
        .iter()
        .filter(|s| s.what == "level" && s.change == "renamed")
    {
        parts.push(renamed(s));
    }
    if parts.is_empty() {
        return if r.levels.is_empty() && r.competencies.is_empty() {
            "No changes for readers.".into()
        } else {
            "Changes wording and guidance only.".into()
        };
    }
    let last = parts.pop().expect("not empty");
    let mut s = if parts.is_empty() {
        last
    } else {
        format!("{} and {last}", parts.join(", "))
    };
    s.replace_range(..1, &s[..1].to_uppercase());
    s + "."
}

/// "renames the level A to B", or, when only the id changed, "moves the level A to the
/// id b" (its pages move, so links to it change).
fn renamed(s: &Structural) -> String {
    let old = s.old_title.as_deref().unwrap_or("");
    if old == s.title {
        format!("moves the {} {} to the id {}", s.what, s.title, s.id)
    } else {
        format!("renames the {} {old} to {}", s.what, s.title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_marks_keep_reading_order_when_one_side_is_unchanged() {
        let runs = |r: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            r.iter().map(|(k, t)| (*k, t.to_string())).collect()
        };
        assert_eq!(
            word_marks("plans the work and ships it", "plans the work ships it"),
            runs(&[
                ("same", "plans the work"),
                ("removed", "and"),
                ("same", "ships it")
            ])
        );
        assert_eq!(
            word_marks("plans the work ships it", "plans the work and ships it"),
            runs(&[
                ("same", "plans the work"),
                ("added", "and"),
                ("same", "ships it")
            ])
        );
    }
}
