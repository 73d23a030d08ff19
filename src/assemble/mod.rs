//! Parsed files in, one resolved [`Framework`] out: every reference between files is
//! checked here (bands, tracks, areas, levels, competencies, scale steps), ids are
//! checked for duplicates, and levels are put in ladder order. Every problem becomes a
//! diagnostic; nothing stops at the first one.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Pos};
use crate::discover::FileKind;
use crate::model::*;
use crate::parse::{CompetencyDef, FrameworkDef, LevelDef, Parsed, ParsedFile};

/// Page slugs that would collide with the site's own sections.
pub const RESERVED_SLUGS: &[&str] = &[
    "levels",
    "tracks",
    "competencies",
    "areas",
    "matrix",
    "compare",
    "assess",
    "search",
    "static",
    "404",
    "sitemap",
    "framework",
    "index",
];

mod assessment;
mod behaviours;
mod framework;
mod warnings;

use behaviours::behaviours;
use warnings::warn_suspicious;

const FRAMEWORK_FILE: &str = "content/framework.yaml";

pub(crate) struct Ctx<'a> {
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    pub(crate) fn error(
        &mut self,
        file: &str,
        pos: Pos,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        let help = help.into();
        let mut d = Diagnostic::error(file, pos, msg);
        if !help.is_empty() {
            d.help = Some(help);
        }
        self.diags.push(d);
    }
    pub(crate) fn warning(
        &mut self,
        file: &str,
        pos: Pos,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        let mut d = Diagnostic::warning(file, pos, msg);
        d.help = Some(help.into());
        self.diags.push(d);
    }
}

fn known(list: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let v: Vec<String> = list
        .into_iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect();
    if v.is_empty() {
        "none are defined".into()
    } else {
        v.join(", ")
    }
}

fn unknown_help(word: &str, candidates: &[&str], kind: &str) -> String {
    match crate::parse::schema::suggest(word, candidates.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? known {kind}: {}", known(candidates)),
        None => format!("known {kind}: {}", known(candidates)),
    }
}

/// Resolves the parsed files into a framework. Returns `None` only when there is no
/// usable framework.yaml (then nothing can be resolved).
pub fn assemble(
    config: &SiteConfig,
    files: &[ParsedFile],
    diags: &mut Vec<Diagnostic>,
) -> Option<Framework> {
    let mut cx = Ctx { diags };
    let mut framework_def: Option<&FrameworkDef> = None;
    let mut framework_failed = false;
    let mut level_defs: Vec<(&str, &LevelDef)> = Vec::new();
    let mut comp_defs: Vec<(&str, &CompetencyDef)> = Vec::new();
    let mut pages = Vec::new();
    let mut intro = (None, String::new());
    // Ids of every level and competency file, even those that failed to parse, so one
    // broken file does not cascade into "unknown level" errors everywhere it is used.
    let mut level_stems: HashSet<&str> = HashSet::new();
    let mut comp_stems: HashSet<&str> = HashSet::new();
    for f in files {
        match &f.kind {
            FileKind::Level { id, .. } => {
                level_stems.insert(id);
            }
            FileKind::Competency { id, .. } => {
                comp_stems.insert(id);
            }
            _ => {}
        }
        match &f.parsed {
            Parsed::Framework(d) => framework_def = Some(d),
            Parsed::Level(d) => level_defs.push((&f.rel, d)),
            Parsed::Competency(d) => comp_defs.push((&f.rel, d)),
            Parsed::Page(p) => pages.push((&f.rel, p)),
            Parsed::Index(i) => intro = (i.title.clone(), i.body_html.clone()),
            Parsed::Failed => framework_failed |= f.kind == FileKind::Framework,
        }
    }
    let Some(fd) = framework_def else {
        if !framework_failed {
            cx.error(FRAMEWORK_FILE, Pos::START, "the framework file is missing",
                "create content/framework.yaml listing the framework's tracks, bands and areas (`rungs init` writes an example)");
        }
        return None;
    };

    let framework::Skeleton {
        tracks,
        bands,
        areas,
        scales,
    } = framework::skeleton(&mut cx, fd);
    let track_ids: Vec<&str> = tracks.iter().map(|t| t.id.as_str()).collect();
    let band_ids: Vec<&str> = bands.iter().map(|b| b.id.as_str()).collect();
    let area_ids: Vec<&str> = areas.iter().map(|a| a.id.as_str()).collect();

    // Levels.
    let mut level_files: HashMap<&str, &str> = HashMap::new();
    let mut levels: Vec<Level> = Vec::new();
    let mut level_expects: Vec<(&str, &LevelDef)> = Vec::new();
    for (file, d) in &level_defs {
        if let Some(first) = level_files.get(d.id.as_str()) {
            cx.error(file, Pos::START, format!("duplicate level id `{}`", d.id),
                format!("`{first}` already defines a level with this id; level ids are file names and must be unique across all track folders"));
            continue;
        }
        level_files.insert(&d.id, file);
        let mut ok = true;
        if !track_ids.contains(&d.folder.as_str()) {
            cx.error(
                file,
                Pos::START,
                format!("unknown track `{}` (the level's folder)", d.folder),
                unknown_help(&d.folder, &track_ids, "tracks"),
            );
            ok = false;
        }
        let band = match &d.band {
            Some(b) => match band_ids.iter().position(|id| *id == b.value) {
                Some(i) => Some(i),
                None => {
                    cx.error(
                        file,
                        b.pos,
                        format!("unknown band `{}`", b.value),
                        unknown_help(&b.value, &band_ids, "bands"),
                    );
                    None
                }
            },
            None => None,
        };
        let mut level_tracks: BTreeSet<usize> = BTreeSet::new();
        if let Some(i) = track_ids.iter().position(|t| *t == d.folder) {
            level_tracks.insert(i);
        }
        for t in &d.tracks {
            match track_ids.iter().position(|id| *id == t.value) {
                Some(i) => {
                    level_tracks.insert(i);
                }
                None => {
                    cx.error(
                        file,
                        t.pos,
                        format!("unknown track `{}`", t.value),
                        unknown_help(&t.value, &track_ids, "tracks"),
                    );
                }
            }
        }
        if !d.tracks.is_empty()
            && !d.tracks.iter().any(|t| t.value == d.folder)
            && track_ids.contains(&d.folder.as_str())
        {
            cx.error(file, d.tracks[0].pos, format!("`tracks` does not include `{}`, the folder this level is in", d.folder),
                "a shared level lives in the folder of one of its tracks; add that track to the list or move the file");
        }
        let status = match d.status.as_ref().map(|s| s.value.as_str()) {
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
        };
        let (Some(band), true) = (band, ok) else {
            continue;
        };
        levels.push(Level {
            id: LevelId(d.id.clone()),
            title: d.title.clone(),
            band,
            order: d.order,
            summary: d.summary.clone(),
            status,
            attributes: d.attributes.clone(),
            expects: BTreeMap::new(),
            tracks: level_tracks
                .into_iter()
                .map(|i| TrackId(track_ids[i].to_string()))
                .collect(),
            body_html: d.body_html.clone(),
            file: file.to_string(),
        });
        level_expects.push((file, d));
    }
    levels.sort_by(|a, b| (a.band, a.order, &a.id).cmp(&(b.band, b.order, &b.id)));
    let level_pos: HashMap<String, usize> = levels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.0.clone(), i))
        .collect();
    let level_ids: Vec<&str> = levels.iter().map(|l| l.id.as_str()).collect();

    // Competencies: duplicate ids first, in file order; then each competency on its own,
    // in parallel (with behaviours for every level, this is most of assembly, and serve
    // assembles again after every edit). Diagnostics are kept in file order.
    let mut comp_files: HashMap<&str, &str> = HashMap::new();
    let mut unique: Vec<(&str, &CompetencyDef)> = Vec::new();
    for (file, d) in &comp_defs {
        if let Some(first) = comp_files.get(d.id.as_str()) {
            cx.error(file, Pos::START, format!("duplicate competency id `{}`", d.id),
                format!("`{first}` already defines a competency with this id; competency ids are file names and must be unique across all area folders"));
            continue;
        }
        comp_files.insert(&d.id, file);
        unique.push((file, d));
    }
    let resolve = |file: &str, d: &CompetencyDef, cx: &mut Ctx| -> Option<Competency> {
        let Some(area) = area_ids.iter().position(|a| *a == d.folder) else {
            cx.error(
                file,
                Pos::START,
                format!("unknown area `{}` (the competency's folder)", d.folder),
                unknown_help(&d.folder, &area_ids, "areas"),
            );
            return None;
        };
        let comp_tracks: Vec<TrackId> = match &d.tracks {
            None => tracks.iter().map(|t| t.id.clone()).collect(),
            Some(list) => {
                let mut set = BTreeSet::new();
                for t in list {
                    match track_ids.iter().position(|id| *id == t.value) {
                        Some(i) => {
                            set.insert(i);
                        }
                        None => cx.error(
                            file,
                            t.pos,
                            format!("unknown track `{}`", t.value),
                            unknown_help(&t.value, &track_ids, "tracks"),
                        ),
                    }
                }
                set.into_iter()
                    .map(|i| TrackId(track_ids[i].to_string()))
                    .collect()
            }
        };
        let scale = match &d.scale {
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
        };
        let mut anchors = BTreeSet::new();
        let mut ids = HashMap::new();
        let mut proficiency = BTreeMap::new();
        if let Some(si) = scale {
            let step_ids: Vec<&str> = scales[si].steps.iter().map(|s| s.id.as_str()).collect();
            for (step, list) in &d.proficiency {
                if !step_ids.contains(&step.value.as_str()) {
                    cx.error(
                        file,
                        step.pos,
                        format!("unknown step `{}` of scale `{}`", step.value, scales[si].id),
                        unknown_help(&step.value, &step_ids, "steps"),
                    );
                    continue;
                }
                let prefix = format!("{}-{}", d.id, step.value);
                let list = behaviours(cx, file, &prefix, list, &mut anchors, &mut ids);
                proficiency.insert(StepId(step.value.clone()), list);
            }
        }
        let mut by_level = BTreeMap::new();
        for (level, list) in &d.behaviours {
            let Some(&li) = level_pos.get(&level.value) else {
                if !level_stems.contains(level.value.as_str()) {
                    cx.error(
                        file,
                        level.pos,
                        format!("unknown level `{}`", level.value),
                        unknown_help(&level.value, &level_ids, "levels"),
                    );
                }
                continue;
            };
            let all_tracks = comp_tracks.len() == tracks.len();
            if !all_tracks && !comp_tracks.iter().any(|t| levels[li].tracks.contains(t)) {
                cx.error(file, level.pos,
                    format!("level `{}` is on {} but this competency applies to {}", level.value, track_list(&levels[li].tracks), track_list(&comp_tracks)),
                    "list behaviours only for levels on the competency's tracks, or widen its `tracks`");
                continue;
            }
            let mut seen_here = BTreeSet::new();
            let list = behaviours(cx, file, &d.id, list, &mut seen_here, &mut ids);
            by_level.insert(LevelId(level.value.clone()), list);
        }
        Some(Competency {
            id: CompetencyId(d.id.clone()),
            area,
            title: d.title.clone(),
            summary: d.summary.clone(),
            tracks: comp_tracks,
            scale,
            proficiency,
            behaviours: by_level,
            body_html: d.body_html.clone(),
            file: file.to_string(),
        })
    };
    let resolved: Vec<(Option<Competency>, Vec<Diagnostic>)> = unique
        .par_iter()
        .map(|(file, d)| {
            let mut diags = Vec::new();
            let c = resolve(file, d, &mut Ctx { diags: &mut diags });
            (c, diags)
        })
        .collect();
    let mut competencies: Vec<Competency> = Vec::with_capacity(resolved.len());
    for (c, diags) in resolved {
        cx.diags.extend(diags);
        competencies.extend(c);
    }
    competencies.sort_by(|a, b| (a.area, &a.title, &a.id).cmp(&(b.area, &b.title, &b.id)));
    let comp_ids: Vec<&str> = competencies.iter().map(|c| c.id.as_str()).collect();

    // Level expectations on scales, now that competencies are known.
    for (file, d) in level_expects {
        let Some(&li) = level_pos.get(&d.id) else {
            continue;
        };
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
            if !c.tracks.iter().any(|t| levels[li].tracks.contains(t)) {
                cx.error(
                    file,
                    comp.pos,
                    format!(
                        "competency `{}` does not apply to {}",
                        comp.value,
                        track_list(&levels[li].tracks)
                    ),
                    format!("it applies to {}", track_list(&c.tracks)),
                );
                continue;
            }
            levels[li]
                .expects
                .insert(c.id.clone(), StepId(step.value.clone()));
        }
    }

    // Pages.
    let mut page_list = Vec::new();
    for (file, p) in pages {
        if RESERVED_SLUGS.contains(&p.slug.as_str()) {
            cx.error(
                file,
                Pos::START,
                format!(
                    "the page slug `{}` is reserved for the site's own pages",
                    p.slug
                ),
                "rename the file",
            );
            continue;
        }
        page_list.push(Page {
            slug: p.slug.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            order: p.order,
            body_html: p.body_html.clone(),
        });
    }
    page_list.sort_by(|a, b| (a.order, &a.title, &a.slug).cmp(&(b.order, &b.title, &b.slug)));

    let fw = Framework {
        config: config.clone(),
        intro_title: intro.0,
        intro_html: intro.1,
        tracks,
        bands,
        areas,
        scales,
        levels,
        competencies,
        pages: page_list,
        assessment: assessment::resolve(fd.assessment.as_ref(), cx.diags),
    };
    warn_suspicious(&mut cx, &fw);
    Some(fw)
}

fn track_list(tracks: &[TrackId]) -> String {
    let names: Vec<String> = tracks.iter().map(|t| format!("`{t}`")).collect();
    match names.len() {
        0 => "no track".into(),
        1 => format!("the {} track", names[0]),
        _ => format!("the {} tracks", names.join(" and ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::SourceFile;
    use crate::markdown::MarkdownOptions;
    use crate::parse::parse_file;

    const FRAMEWORK: &str = "tracks:\n  - {id: expert, title: Expert, kind: expert}\n  - {id: manager, title: Manager, kind: manager}\nbands:\n  - {id: b1, title: Band 1}\n  - {id: b2, title: Band 2}\nareas:\n  - {id: craft, title: Craft, category: technical}\nscales:\n  - id: prof\n    title: Proficiency\n    steps:\n      - {id: basic, title: Basic}\n      - {id: deep, title: Deep}\n";

    fn file(rel: &str, kind: FileKind, text: &str) -> ParsedFile {
        parse_file(
            SourceFile {
                rel: rel.into(),
                kind,
                bytes: text.as_bytes().to_vec(),
            },
            MarkdownOptions::default(),
        )
    }
    fn level(track: &str, id: &str, text: &str) -> ParsedFile {
        file(
            &format!("content/levels/{track}/{id}.md"),
            FileKind::Level {
                track: track.into(),
                id: id.into(),
            },
            text,
        )
    }
    fn comp(area: &str, id: &str, text: &str) -> ParsedFile {
        file(
            &format!("content/competencies/{area}/{id}.md"),
            FileKind::Competency {
                area: area.into(),
                id: id.into(),
            },
            text,
        )
    }
    fn run(files: Vec<ParsedFile>) -> (Option<Framework>, Vec<Diagnostic>) {
        let mut files = files;
        files.insert(0, file(FRAMEWORK_FILE, FileKind::Framework, FRAMEWORK));
        let mut diags = Vec::new();
        let fw = assemble(&SiteConfig::default(), &files, &mut diags);
        crate::diagnostics::normalize(&mut diags);
        (fw, diags)
    }
    fn errors(diags: &[Diagnostic]) -> Vec<String> {
        diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn resolves_a_shared_trunk_level_onto_both_tracks() {
        let (fw, diags) = run(vec![
            level(
                "expert",
                "engineer",
                "---\ntitle: Engineer\nband: b1\ntracks: [expert, manager]\n---\n",
            ),
            comp(
                "craft",
                "testing",
                "---\ntitle: Testing\nbehaviours:\n  engineer: [Writes tests]\n---\n",
            ),
        ]);
        assert!(errors(&diags).is_empty(), "{diags:?}");
        let fw = fw.unwrap();
        assert_eq!(
            fw.levels[0].tracks,
            vec![TrackId("expert".into()), TrackId("manager".into())]
        );
        assert_eq!(
            fw.competencies[0].behaviours[&LevelId("engineer".into())][0].anchor,
            "testing-writes-tests"
        );
    }

    #[test]
    fn errors_on_unknown_band_with_position_and_suggestion() {
        let (_, diags) = run(vec![level(
            "expert",
            "senior",
            "---\ntitle: Senior\nband: b3\n---\n",
        )]);
        let d = diags
            .iter()
            .find(|d| d.message.contains("unknown band"))
            .unwrap();
        assert_eq!((d.line, d.column), (3, 7));
        assert!(d.help.as_ref().unwrap().contains("`b1`"));
    }

    #[test]
    fn errors_on_duplicate_level_ids_across_track_folders() {
        let (_, diags) = run(vec![
            level("expert", "lead", "---\ntitle: Lead\nband: b2\n---\n"),
            level("manager", "lead", "---\ntitle: Lead\nband: b2\n---\n"),
        ]);
        assert_eq!(
            errors(&diags),
            vec!["content/levels/manager/lead.md:1:1 duplicate level id `lead`"]
        );
    }

    #[test]
    fn errors_on_unknown_competency_and_step_in_expects() {
        let (_, diags) = run(vec![
            level(
                "expert",
                "senior",
                "---\ntitle: Senior\nband: b2\nexpects:\n  testing: master\n  nope: basic\n---\n",
            ),
            comp(
                "craft",
                "testing",
                "---\ntitle: Testing\nscale: prof\nproficiency:\n  basic: [Writes tests]\n---\n",
            ),
        ]);
        let e = errors(&diags);
        assert!(
            e.iter().any(|m| m.contains(":5:12 unknown step `master`")),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|m| m.contains(":6:3 unknown competency `nope`")),
            "{e:?}"
        );
    }

    #[test]
    fn errors_on_behaviours_for_unknown_levels_and_wrong_tracks() {
        let (_, diags) = run(vec![
            level("expert", "staff", "---\ntitle: Staff\nband: b2\n---\n"),
            comp(
                "craft",
                "people",
                "---\ntitle: People\ntracks: [manager]\nbehaviours:\n  staff: [Hires]\n  ghost: [Boo]\n---\n",
            ),
        ]);
        let e = errors(&diags);
        assert!(
            e.iter()
                .any(|m| m.contains(":5:3 level `staff` is on the `expert` track")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains(":6:3 unknown level `ghost`")),
            "{e:?}"
        );
    }

    #[test]
    fn errors_on_unknown_track_folder_and_area_folder() {
        let (_, diags) = run(vec![
            level("experts", "staff", "---\ntitle: Staff\nband: b2\n---\n"),
            comp("crafts", "design", "---\ntitle: Design\n---\n"),
        ]);
        let e = errors(&diags);
        assert!(
            e.iter().any(|m| m.contains("unknown track `experts`")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("unknown area `crafts`")),
            "{e:?}"
        );
    }

    #[test]
    fn warns_about_levels_without_expectations_and_unused_competencies() {
        let (_, diags) = run(vec![
            level("expert", "staff", "---\ntitle: Staff\nband: b2\n---\n"),
            comp("craft", "design", "---\ntitle: Design\n---\n"),
        ]);
        let w: Vec<_> = diags
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| d.message.clone())
            .collect();
        assert!(w.iter().any(|m| m.contains("has no expectations")), "{w:?}");
        assert!(w.iter().any(|m| m.contains("no level uses")), "{w:?}");
    }

    #[test]
    fn orders_levels_by_band_then_order() {
        let (fw, _) = run(vec![
            level("expert", "z-high", "---\ntitle: Z\nband: b2\n---\n"),
            level(
                "expert",
                "b-second",
                "---\ntitle: B\nband: b1\norder: 2\n---\n",
            ),
            level(
                "expert",
                "a-first",
                "---\ntitle: A\nband: b1\norder: 1\n---\n",
            ),
        ]);
        let ids: Vec<_> = fw.unwrap().levels.iter().map(|l| l.id.0.clone()).collect();
        assert_eq!(ids, ["a-first", "b-second", "z-high"]);
    }

    #[test]
    fn missing_framework_file_is_an_error() {
        let mut diags = Vec::new();
        assert!(assemble(&SiteConfig::default(), &[], &mut diags).is_none());
        assert_eq!(diags[0].file, FRAMEWORK_FILE);
    }

    #[test]
    fn reserved_page_slugs_are_refused() {
        let (_, diags) = run(vec![file(
            "content/pages/levels.md",
            FileKind::Page {
                slug: "levels".into(),
            },
            "---\ntitle: Levels\n---\n",
        )]);
        assert!(errors(&diags).iter().any(|m| m.contains("reserved")));
    }
}
