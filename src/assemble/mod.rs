//! Parsed files in, one resolved [`Framework`] out: every reference between files is
//! checked here (bands, tracks, areas, levels, competencies, scale steps), ids are
//! checked for duplicates, and levels are put in ladder order. Every problem becomes a
//! diagnostic; nothing stops at the first one.

use std::collections::HashSet;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Pos};
use crate::discover::FileKind;
use crate::model::*;
use crate::parse::{CompetencyDef, FrameworkDef, IndexDef, LevelDef, PageDef, Parsed, ParsedFile};

/// Page slugs that would collide with the site's own sections.
pub(crate) const RESERVED_SLUGS: &[&str] = &[
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
mod competencies;
mod framework;
mod levels;
mod links;
mod warnings;

pub(crate) use competencies::Memo;
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

/// The ids of the skeleton, for resolving references and suggesting names.
pub(crate) struct Names<'a> {
    pub tracks: Vec<&'a str>,
    pub bands: Vec<&'a str>,
    pub areas: Vec<&'a str>,
}

/// The parsed files, by what they are.
#[derive(Default)]
struct Inputs<'f> {
    framework: Option<&'f FrameworkDef>,
    /// framework.yaml was there but could not be read (its errors are reported).
    framework_failed: bool,
    levels: Vec<(&'f str, &'f LevelDef)>,
    competencies: Vec<(&'f str, &'f std::sync::Arc<CompetencyDef>)>,
    pages: Vec<(&'f str, &'f PageDef)>,
    intro: (Option<String>, String),
    /// `content/index.md`, when there is one.
    index: Option<(&'f str, &'f IndexDef)>,
    /// Ids of every level and competency file, even those that failed to parse, so one
    /// broken file does not cascade into "unknown level" errors everywhere it is used.
    level_stems: HashSet<&'f str>,
    comp_stems: HashSet<&'f str>,
    /// Slugs of every page file, even those that failed to parse.
    page_stems: HashSet<&'f str>,
    /// Draft levels this build leaves out.
    drafts_left_out: HashSet<&'f str>,
}

fn inputs<'f>(cx: &mut Ctx, files: &'f [ParsedFile], drafts: bool) -> Inputs<'f> {
    let mut inputs = Inputs::default();
    for f in files {
        match &f.kind {
            FileKind::Level { id, .. } => {
                inputs.level_stems.insert(id);
            }
            FileKind::Competency { id, .. } => {
                inputs.comp_stems.insert(id);
            }
            FileKind::Page { slug } => {
                inputs.page_stems.insert(slug);
            }
            _ => {}
        }
        match &f.parsed {
            Parsed::Framework(d) => inputs.framework = Some(d),
            // A draft left out of a published build: its id stays known (above), so a
            // competency that lists behaviours for it is not an "unknown level".
            Parsed::Level(d)
                if !drafts && d.status.as_ref().is_some_and(|s| s.value == "draft") =>
            {
                inputs.drafts_left_out.insert(&d.id);
                let pos = d.status.as_ref().map_or(Pos::START, |s| s.pos);
                cx.warning(
                    &f.rel,
                    pos,
                    "this draft level is left out of the build",
                    "`rungs build --drafts` publishes drafts; `rungs serve` always shows them",
                );
            }
            Parsed::Level(d) => inputs.levels.push((&f.rel, d)),
            Parsed::Competency(d) => inputs.competencies.push((&f.rel, d)),
            Parsed::Page(p) => inputs.pages.push((&f.rel, p)),
            Parsed::Index(i) => {
                inputs.intro = (i.title.clone(), i.body_html.clone());
                inputs.index = Some((&f.rel, i));
            }
            Parsed::Failed => inputs.framework_failed |= f.kind == FileKind::Framework,
        }
    }
    inputs
}

/// Resolves the parsed files into a framework. Returns `None` only when there is no
/// usable framework.yaml (then nothing can be resolved).
#[cfg(test)]
pub(crate) fn assemble(
    config: &SiteConfig,
    files: &[ParsedFile],
    diags: &mut Vec<Diagnostic>,
) -> Option<Framework> {
    assemble_with(config, files, diags, None)
}

/// The errors `rungs build` would find, leaving draft levels out, that a run with them
/// (`check`, `serve`) did not: a level inheriting from a draft, a `from:` or link to a
/// behaviour only a draft lists. `check` gates pull requests, so it reports them too.
pub(crate) fn errors_without_drafts(
    config: &SiteConfig,
    files: &[ParsedFile],
    found: &[Diagnostic],
) -> Vec<Diagnostic> {
    let is_draft = |f: &ParsedFile| matches!(&f.parsed, Parsed::Level(d) if d.status.as_ref().is_some_and(|s| s.value == "draft"));
    if !config.drafts || !files.iter().any(is_draft) {
        return Vec::new();
    }
    let config = SiteConfig {
        drafts: false,
        ..config.clone()
    };
    let mut without = Vec::new();
    assemble_with(&config, files, &mut without, None);
    // An error at a place the first run already reported is the same mistake, even
    // where its wording (a count, the ids on offer) differs without the drafts.
    let places: HashSet<(&str, u32, u32)> = found
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    without
        .into_iter()
        .filter(|d| d.is_error() && !places.contains(&(d.file.as_str(), d.line, d.column)))
        .map(|mut d| {
            let why = "`rungs build` leaves draft levels out (without `--drafts`) and then finds this: make the draft current, or stop depending on it";
            d.help = Some(match d.help.take() {
                Some(h) => format!("{why}; {h}"),
                None => why.to_string(),
            });
            d
        })
        .collect()
}

/// Resolves the parsed files into a framework, taking the competencies whose file and
/// context are unchanged from `memo` and leaving this run's there (`serve`). Returns
/// `None` only when there is no usable framework.yaml (then nothing can be resolved).
pub(crate) fn assemble_with(
    config: &SiteConfig,
    files: &[ParsedFile],
    diags: &mut Vec<Diagnostic>,
    memo: Option<&mut Memo>,
) -> Option<Framework> {
    let mut cx = Ctx { diags };
    let mut inputs = inputs(&mut cx, files, config.drafts);
    let Some(fd) = inputs.framework else {
        if !inputs.framework_failed {
            cx.error(FRAMEWORK_FILE, Pos::START, "the framework file is missing",
                "create content/framework.yaml listing the framework's tracks, bands and areas (`rungs init` writes an example)");
        }
        return None;
    };
    let framework::Skeleton {
        families,
        unresolved_bases,
        tracks,
        bands,
        areas,
        scales,
    } = framework::skeleton(&mut cx, fd);
    let names = Names {
        tracks: tracks.iter().map(|t| t.id.as_str()).collect(),
        bands: bands.iter().map(|b| b.id.as_str()).collect(),
        areas: areas.iter().map(|a| a.id.as_str()).collect(),
    };
    let (mut levels, level_sources) = levels::levels(&mut cx, &inputs.levels, &names);
    let context = competencies::Context {
        names: &names,
        tracks: &tracks,
        scales: &scales,
        levels: &levels,
        level_stems: &inputs.level_stems,
        unresolved_bases: &unresolved_bases,
        level_failed: files.iter().any(|f| {
            matches!(f.kind, FileKind::Level { .. }) && matches!(f.parsed, Parsed::Failed)
        }),
    };
    let competencies = competencies::competencies(&mut cx, &inputs.competencies, &context, memo);
    // Competencies whose tracks are misspelt (reported): whether levels use them
    // says nothing.
    let unknown_tracks: HashSet<&str> = inputs
        .competencies
        .iter()
        .filter(|(_, d)| competencies::has_unknown_track(d, &names))
        .map(|(_, d)| d.id.as_str())
        .collect();
    // Competencies that name a scale, known or not: one that names an unknown scale has
    // that error, and levels expecting a step of it must not add more.
    let scale_named: HashSet<&str> = inputs
        .competencies
        .iter()
        .filter(|(_, d)| d.scale.is_some())
        .map(|(_, d)| d.id.as_str())
        .collect();
    levels::expectations(
        &mut cx,
        &mut levels,
        &level_sources,
        &competencies,
        &scales,
        &inputs.comp_stems,
        &scale_named,
    );
    levels::inherit_steps(&mut levels, &tracks, &competencies);
    let pages = pages(&mut cx, &inputs.pages, !config.changes_since.is_empty());
    let (intro_title, intro_html) = std::mem::take(&mut inputs.intro);
    let fw = Framework {
        config: config.clone(),
        intro_title,
        intro_html,
        families,
        tracks,
        bands,
        areas,
        scales,
        levels,
        competencies,
        pages,
        assessment: assessment::resolve(fd.assessment.as_ref(), cx.diags),
        expectations: expectations(&mut cx, fd),
        version: fd.version.as_ref().map(|v| v.value.clone()),
        // Read from git by the pipeline, which caches it across rebuilds.
        history: Vec::new(),
    };
    let scale_unknown: HashSet<&str> = fw
        .competencies
        .iter()
        .filter(|c| {
            (c.scale.is_none() && scale_named.contains(c.id.as_str()))
                || unknown_tracks.contains(c.id.as_str())
        })
        .map(|c| c.id.as_str())
        .collect();
    warn_suspicious(&mut cx, &fw, &scale_unknown, &unresolved_bases);
    links::check(&mut cx, &fw, &inputs);
    Some(fw)
}

/// `expectations:` in framework.yaml, if given and known.
fn expectations(cx: &mut Ctx, fd: &crate::parse::FrameworkDef) -> Option<Expectations> {
    let e = fd.expectations.as_ref()?;
    match e.value.as_str() {
        "cumulative" => Some(Expectations::Cumulative),
        "restated" => Some(Expectations::Restated),
        other => {
            cx.error(
                FRAMEWORK_FILE,
                e.pos,
                format!("unknown `expectations: {other}`"),
                "`cumulative` (each level lists what it adds; what the levels below expect still holds) or `restated` (each level lists everything it expects); leave it out and rungs infers it",
            );
            None
        }
    }
}

/// The free pages, reserved slugs refused, in `order` then title order.
fn pages(cx: &mut Ctx, defs: &[(&str, &PageDef)], history: bool) -> Vec<Page> {
    let mut pages = Vec::new();
    for &(file, p) in defs {
        // `changes` is the changes page's when site.toml names past versions; without
        // them, an authored changelog may take it.
        if RESERVED_SLUGS.contains(&p.slug.as_str()) || (history && p.slug == "changes") {
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
        pages.push(Page {
            slug: p.slug.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            order: p.order,
            body_html: p.body_html.clone(),
        });
    }
    pages.sort_by(|a, b| (a.order, &a.title, &a.slug).cmp(&(b.order, &b.title, &b.slug)));
    pages
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

    /// The memo `serve` keeps: an unchanged parse under an unchanged context is the same
    /// shared competency with the same diagnostics; a new parse, or a change to what
    /// resolving reads of other files (here a level's band, which decides what `core`
    /// reaches), resolves it again, exactly as a fresh assembly would.
    #[test]
    fn the_memo_reuses_only_what_nothing_changed() {
        let fw_file = file(FRAMEWORK_FILE, FileKind::Framework, FRAMEWORK);
        let senior = |band: &str| {
            level(
                "expert",
                "senior",
                &format!("---\ntitle: Senior\nband: {band}\ntracks: [expert]\n---\n"),
            )
        };
        let testing = "---\ntitle: Testing\ncore:\n  b2: [Leads testing]\nbehaviours:\n  engineer:\n    - Writes tests for every change they make to the code\n    - Writes tests for every change they make to the code, twice\n---\n";
        let mut files = vec![
            fw_file,
            level(
                "expert",
                "engineer",
                "---\ntitle: Engineer\nband: b1\ntracks: [expert]\n---\n",
            ),
            senior("b2"),
            comp("craft", "testing", testing),
            comp(
                "craft",
                "review",
                "---\ntitle: Review\nbehaviours:\n  senior: [Reviews designs]\n---\n",
            ),
        ];
        let config = SiteConfig::default();
        let mut memo = Memo::default();
        let assembled = |files: &[ParsedFile], memo: Option<&mut Memo>| {
            let mut diags = Vec::new();
            let fw = assemble_with(&config, files, &mut diags, memo).unwrap();
            crate::diagnostics::normalize(&mut diags);
            (fw, format!("{diags:?}"))
        };
        let (first, first_diags) = assembled(&files, Some(&mut memo));
        assert!(
            first_diags.contains("is taken by an earlier behaviour"),
            "{first_diags}"
        );
        let (second, second_diags) = assembled(&files, Some(&mut memo));
        assert_eq!(
            second_diags, first_diags,
            "a memoized competency's warnings are reported again"
        );
        for (a, b) in first.competencies.iter().zip(&second.competencies) {
            assert!(std::sync::Arc::ptr_eq(a, b), "{} resolved again", a.id);
        }
        // The same text parsed again: a new parse, resolved again; the other is kept.
        files[3] = comp("craft", "testing", testing);
        let (third, _) = assembled(&files, Some(&mut memo));
        let by_id = |fw: &Framework, id: &str| {
            fw.competencies
                .iter()
                .find(|c| c.id.as_str() == id)
                .unwrap()
                .clone()
        };
        assert!(!std::sync::Arc::ptr_eq(
            &by_id(&second, "testing"),
            &by_id(&third, "testing")
        ));
        assert!(std::sync::Arc::ptr_eq(
            &by_id(&second, "review"),
            &by_id(&third, "review")
        ));
        // Senior moves to band 1: `core: b2` reaches no level any more, an error that
        // only resolving the unchanged competency file again can find.
        files[2] = senior("b1");
        let (moved, moved_diags) = assembled(&files, Some(&mut memo));
        let (fresh, fresh_diags) = assembled(&files, None);
        assert!(moved_diags.contains("which has no level"), "{moved_diags}");
        assert_eq!(moved_diags, fresh_diags);
        assert_eq!(
            format!("{:?}", moved.competencies),
            format!("{:?}", fresh.competencies)
        );
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
