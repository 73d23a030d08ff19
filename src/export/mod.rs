//! The machine-readable outputs, a producer of the pipeline: `framework.json` (the
//! resolved model, versioned, [`json`]), `framework.csv` ([`csv`]) and `sitemap.xml`
//! ([`sitemap`]); and [`ExportState`], which `serve` keeps to rebuild them in proportion
//! to an edit.

mod chunks;
pub(crate) mod csv;
pub(crate) mod json;
pub(crate) mod sitemap;

use std::collections::BTreeSet;
use std::io;

use crate::change::Changes;
use crate::model::{Expectations, Framework};
use crate::output::{Artifact, PartsSink, Sink};
use crate::plan::PagePlan;
use chunks::{Chunk, ChunkStore, Piece, Spliced};
use json::{JsonFrame, framework_json_bytes, json_frame, level_chunk};
use sitemap::sitemap;

/// The files this module produces.
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const FRAMEWORK_JSON: &str = "framework.json";
pub(crate) const FRAMEWORK_CSV: &str = "framework.csv";

/// The exports `serve` keeps rebuilding (sitemap.xml, framework.json, framework.csv),
/// with every level's share of framework.json and framework.csv kept, so that an edit to
/// a few levels re-renders only their parts and splices the files together again.
/// The result is always byte for byte what the one-shot functions (`framework_json_bytes`,
/// [`csv::framework_csv`], [`sitemap`]) write; the tests hold it to that.
#[derive(Default)]
pub(crate) struct ExportState {
    cache: Option<Cache>,
    /// Write each file straight from the framework and keep nothing (a one-shot build,
    /// which would otherwise hold every level's chunks beside the files made of them).
    once: bool,
    /// Whether an update has run (for [`ExportState::paths`] when nothing is kept).
    built: bool,
}

/// What [`ExportState`] keeps between updates. Everything but the chunks depends only
/// on the skeleton; the chunks themselves are in a [`ChunkStore`], out of memory.
struct Cache {
    json: JsonFrame,
    /// Per level, its entry of `levels` (see [`write_level_chunk`](json::write_level_chunk)).
    json_levels: Vec<Chunk>,
    /// The CSV's BOM and header row.
    csv_head: String,
    /// Per level, its rows for each track it sits on: `(track index, rows)`.
    csv_levels: Vec<Vec<(usize, Chunk)>>,
    /// Where the rows go: `(level, index into csv_levels[level])`, in file order.
    csv_order: Vec<(usize, usize)>,
    /// How the framework lists expectations, as written in the frame.
    mode: Expectations,
    store: ChunkStore,
    /// The fingerprints ([`Spliced::fingerprint`]) of framework.json and framework.csv as
    /// last handed on: a file whose pieces are the same is not handed on again.
    emitted: [Option<u128>; 2],
}

impl Cache {
    /// Renders every chunk. In order on one thread, as the clean build does: `serve`
    /// runs this beside the pages' rendering, which already keeps every core busy.
    fn build(fw: &Framework, changes: &Changes, mut store: ChunkStore) -> io::Result<Cache> {
        let order: Vec<(usize, usize)> = csv::row_order(fw).collect();
        let json_levels = (0..fw.levels.len())
            .map(|l| store.put(&level_chunk(fw, changes, l)))
            .collect::<io::Result<Vec<Chunk>>>()?;
        let csv_levels = (0..fw.levels.len())
            .map(|l| level_csv(fw, l, &mut store))
            .collect::<io::Result<Vec<_>>>()?;
        let mut csv_order = Vec::with_capacity(order.len());
        for &(t, l) in &order {
            let slot = csv_levels[l].iter().position(|&(lt, _)| lt == t);
            csv_order.push((l, slot.expect("every (track, level) pair has rows")));
        }
        Ok(Cache {
            json: json_frame(fw, changes),
            json_levels,
            csv_head: csv::header(),
            csv_levels,
            csv_order,
            mode: changes.mode(),
            store,
            emitted: [None; 2],
        })
    }

    /// Re-renders the chunks of the `dirty` levels. The skeleton is unchanged, so each
    /// level sits on the same tracks and `csv_order` still holds. A level's JSON entry
    /// also says how its behaviours changed from the level below and (cumulative
    /// frameworks) what it holds from every level below, so the JSON of the level
    /// above a dirty one, or of every level above it when cumulative, is re-rendered too.
    fn refresh(
        &mut self,
        fw: &Framework,
        changes: &Changes,
        dirty: &BTreeSet<usize>,
    ) -> io::Result<()> {
        for &l in dirty {
            self.csv_levels[l] = level_csv(fw, l, &mut self.store)?;
        }
        let mut json = dirty.clone();
        let reach = match changes.mode() {
            Expectations::Cumulative => usize::MAX,
            Expectations::Restated => 1,
        };
        // Levels are in ladder order: the level below each comes before it.
        let mut depth = vec![usize::MAX; fw.levels.len()];
        for l in 0..fw.levels.len() {
            if dirty.contains(&l) {
                depth[l] = 0;
            } else if let Some(p) = fw.previous_index(l).filter(|&p| p < l && depth[p] < reach) {
                depth[l] = depth[p] + 1;
                json.insert(l);
            }
        }
        for l in json {
            self.json_levels[l] = self.store.put(&level_chunk(fw, changes, l))?;
        }
        let live = self.json_levels.iter_mut().chain(
            self.csv_levels
                .iter_mut()
                .flat_map(|rows| rows.iter_mut().map(|(_, c)| c)),
        );
        self.store.compact(live)
    }

    /// framework.json's pieces, laid out by [`json::json_layout`].
    fn json_parts(&self) -> Spliced<'_> {
        let mut pieces = Vec::with_capacity(self.json_levels.len() * 2 + 1);
        json::json_layout(&self.json, self.json_levels.len(), |p| {
            pieces.push(match p {
                json::Piece::Bytes(b) => Piece::Inline(b),
                json::Piece::Level(i) => Piece::Stored(self.json_levels[i]),
            })
        });
        Spliced {
            store: &self.store,
            pieces,
        }
    }

    /// framework.csv's pieces: the header, then the rows of each (track, level) in order.
    fn csv_parts(&self) -> Spliced<'_> {
        let mut pieces = Vec::with_capacity(self.csv_order.len() + 1);
        pieces.push(Piece::Inline(self.csv_head.as_bytes()));
        for &(l, slot) in &self.csv_order {
            pieces.push(Piece::Stored(self.csv_levels[l][slot].1));
        }
        Spliced {
            store: &self.store,
            pieces,
        }
    }

    /// Hands both files to `parts`, each unless it is what was last handed on.
    fn emit(&mut self, parts: PartsSink<'_>) -> io::Result<()> {
        for (slot, path) in [FRAMEWORK_JSON, FRAMEWORK_CSV].into_iter().enumerate() {
            let file = if slot == 0 {
                self.json_parts()
            } else {
                self.csv_parts()
            };
            let f = file.fingerprint();
            if self.emitted[slot] != Some(f) {
                parts(path, &file)?;
                self.emitted[slot] = Some(f);
            }
        }
        Ok(())
    }
}

/// Level `l`'s CSV rows for each track it sits on, in track order, put in `store`.
fn level_csv(fw: &Framework, l: usize, store: &mut ChunkStore) -> io::Result<Vec<(usize, Chunk)>> {
    let level = &fw.levels[l];
    let mut rows = String::new();
    fw.tracks
        .iter()
        .enumerate()
        .filter(|(_, t)| level.tracks.contains(&t.id))
        .map(|(t, track)| {
            rows.clear();
            csv::level_rows(&mut rows, fw, track, level);
            Ok((t, store.put(rows.as_bytes())?))
        })
        .collect()
}

impl ExportState {
    /// A state with nothing built: the first [`update`](Self::update) builds everything.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A state for one update only: it writes each file straight from the framework,
    /// one after the other, and keeps no chunks.
    pub(crate) fn once() -> Self {
        ExportState {
            once: true,
            ..Self::default()
        }
    }

    /// Every file the last update left (none before the first).
    pub(crate) fn paths(&self) -> Vec<String> {
        if self.built {
            [SITEMAP, FRAMEWORK_JSON, FRAMEWORK_CSV]
                .map(String::from)
                .to_vec()
        } else {
            Vec::new()
        }
    }

    /// Rebuilds the exports for `fw`. `dirty`: `None` when anything may have changed
    /// (first build, structural edits); `Some(levels)` when the framework's skeleton (ids,
    /// titles, order, summaries, tracks, bands, areas, settings: everything
    /// [`delta::diff`](crate::delta::diff) compares before returning
    /// [`Delta::Parts`](crate::delta::Delta::Parts)) is unchanged and only these levels'
    /// data (attributes, expectations/behaviours, by index into `fw.levels`) may differ;
    /// [`Touched::export_levels`](crate::delta::Touched::export_levels) is that set.
    ///
    /// Hands `sink` only the files that must be rewritten: sitemap.xml, framework.json
    /// and framework.csv when `dirty` is `None`; of framework.json and framework.csv, those
    /// whose chunks changed when levels are dirty; nothing when the set is empty. A `Some` before any build, or with
    /// a level count or index that cannot belong to the last framework, is taken as
    /// `None`.
    #[cfg(test)]
    pub(crate) fn update(
        &mut self,
        fw: &Framework,
        changes: &Changes,
        pages: &[PagePlan],
        dirty: Option<&BTreeSet<usize>>,
        sink: Sink<'_>,
    ) -> io::Result<()> {
        self.update_with(fw, changes, pages, dirty, sink, &|path, parts| {
            crate::output::concat_into(sink, path, parts)
        })
    }

    /// [`update`](Self::update), handing framework.json and framework.csv to `parts` as
    /// the chunks they are spliced from (written without being joined first).
    pub(crate) fn update_with(
        &mut self,
        fw: &Framework,
        changes: &Changes,
        pages: &[PagePlan],
        dirty: Option<&BTreeSet<usize>>,
        sink: Sink<'_>,
        parts: PartsSink<'_>,
    ) -> io::Result<()> {
        let levels = fw.levels.len();
        self.built = true;
        match (dirty, self.cache.as_mut()) {
            (Some(d), Some(cache))
                if cache.json_levels.len() == levels
                    && cache.mode == changes.mode()
                    && d.last().is_none_or(|&l| l < levels) =>
            {
                if !d.is_empty() {
                    cache.refresh(fw, changes, d)?;
                    cache.emit(parts)?;
                }
            }
            _ if self.once => {
                // Each file is made and handed on before the next: never two in memory.
                sink(artifact(SITEMAP, sitemap(fw, pages).into_bytes()))?;
                sink(artifact(FRAMEWORK_JSON, framework_json_bytes(fw, changes)))?;
                sink(artifact(FRAMEWORK_CSV, csv::framework_csv(fw).into_bytes()))?;
            }
            _ => {
                // The old chunks go first: they and the new would double the store.
                self.cache = None;
                let mut cache = Cache::build(fw, changes, ChunkStore::new())?;
                sink(artifact(SITEMAP, sitemap(fw, pages).into_bytes()))?;
                cache.emit(parts)?;
                self.cache = Some(cache);
            }
        }
        Ok(())
    }
}

fn artifact(path: &str, bytes: Vec<u8>) -> Artifact {
    Artifact {
        path: path.into(),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    use crate::model::{Behaviour, Example};
    use crate::search::tests::fixture;

    const FILES: [&str; 3] = ["sitemap.xml", "framework.json", "framework.csv"];

    /// The three files written in one go, without a state.
    fn clean(fw: &Framework, pages: &[PagePlan]) -> BTreeMap<String, Vec<u8>> {
        BTreeMap::from([
            (SITEMAP.to_string(), sitemap(fw, pages).into_bytes()),
            (
                FRAMEWORK_JSON.to_string(),
                framework_json_bytes(fw, &Changes::compute(fw)),
            ),
            (
                FRAMEWORK_CSV.to_string(),
                csv::framework_csv(fw).into_bytes(),
            ),
        ])
    }

    /// Applies what `update` returned to `files` and checks they now equal a clean build.
    fn apply_and_check(
        files: &mut BTreeMap<String, Vec<u8>>,
        fresh: Vec<Artifact>,
        fw: &Framework,
        pages: &[PagePlan],
        what: &str,
    ) {
        for a in fresh {
            assert!(FILES.contains(&a.path.as_str()), "{what}: {}", a.path);
            files.insert(a.path, a.bytes);
        }
        let want = clean(fw, pages);
        for path in FILES {
            let (got, want) = (&files[path], &want[path]);
            if got != want {
                let (got, want) = (String::from_utf8_lossy(got), String::from_utf8_lossy(want));
                let diff = similar::TextDiff::from_lines(&*want, &*got);
                panic!(
                    "{what}: {path} differs from a clean build:\n{}",
                    diff.unified_diff().context_radius(2)
                );
            }
        }
    }

    use crate::testing::Rng;

    impl ExportState {
        /// [`ExportState::update`], collecting what it hands on.
        fn files(
            &mut self,
            fw: &Framework,
            pages: &[PagePlan],
            dirty: Option<&BTreeSet<usize>>,
        ) -> Vec<Artifact> {
            let out = std::sync::Mutex::new(Vec::new());
            self.update(fw, &Changes::compute(fw), pages, dirty, &|a| {
                out.lock().unwrap().push(a);
                Ok(())
            })
            .unwrap();
            out.into_inner().unwrap()
        }
    }

    impl Rng {
        fn text(&mut self) -> String {
            const TEXTS: &[&str] = &[
                "Plain words",
                "Commas, and more, commas",
                "Say \"hi\" twice",
                "Two\nlines",
                "=SUM(A1:A9)",
                "-leading minus",
                "Ünïcødé ✓ — “quotes”",
                "**bold** and `code` and [a link](https://example.com)",
                "back\\slash and \t tab",
                "",
            ];
            let n = self.next();
            format!("{} {n}", TEXTS[self.below(TEXTS.len())])
        }
    }

    fn behaviour(rng: &mut Rng) -> Behaviour {
        let n = rng.next();
        let text = rng.text();
        let examples = (0..rng.below(3))
            .map(|_| Example {
                text: rng.text(),
                html: String::new(),
            })
            .collect();
        crate::testing::behaviour(
            n.is_multiple_of(2).then(|| format!("b{n}")),
            format!("b-{n}"),
            &text,
            examples,
        )
    }

    /// Edits one random list of behaviours: adds, removes or rewrites one.
    fn edit_list(rng: &mut Rng, list: &mut Vec<Behaviour>) {
        match rng.below(3) {
            0 => {
                let at = rng.below(list.len() + 1);
                list.insert(at, behaviour(rng));
            }
            1 if !list.is_empty() => {
                list.remove(rng.below(list.len()));
            }
            _ if !list.is_empty() => {
                let i = rng.below(list.len());
                if rng.below(2) == 0 {
                    let b = &list[i];
                    let text = rng.text();
                    list[i] = crate::testing::behaviour(
                        b.id.clone(),
                        b.anchor.clone(),
                        &text,
                        b.examples.to_vec(),
                    );
                } else {
                    let mut examples = list[i].examples.to_vec();
                    examples.push(Example {
                        text: rng.text(),
                        html: String::new(),
                    });
                    list[i].examples = examples.into();
                }
            }
            _ => list.push(behaviour(rng)),
        }
    }

    /// One random edit of a level's data (what `serve` sees when a level's or a
    /// competency's file is saved without touching the skeleton).
    fn mutate(rng: &mut Rng, fw: &mut Framework) {
        let l = rng.below(fw.levels.len());
        let c = rng.below(fw.competencies.len());
        let level_id = fw.levels[l].id.clone();
        match rng.below(6) {
            // The level's attributes.
            0 => {
                let attrs = &mut fw.levels[l].attributes;
                match rng.below(3) {
                    0 => attrs.push((format!("attr {}", rng.next()), rng.text())),
                    1 if !attrs.is_empty() => {
                        attrs.remove(rng.below(attrs.len()));
                    }
                    _ if !attrs.is_empty() => {
                        let i = rng.below(attrs.len());
                        attrs[i].1 = rng.text();
                    }
                    _ => attrs.push(("impact".into(), rng.text())),
                }
            }
            // A competency's behaviours for the level.
            1 | 2 => {
                let list = std::sync::Arc::make_mut(&mut fw.competencies[c])
                    .behaviours
                    .entry(level_id)
                    .or_default();
                edit_list(rng, list);
            }
            // The step the level expects of a competency.
            3 => {
                let comp = &fw.competencies[c];
                let steps = comp.scale.map_or(&[][..], |s| &fw.scales[s].steps[..]);
                let expects = &mut fw.levels[l].expects;
                if steps.is_empty() || rng.below(3) == 0 {
                    expects.remove(&comp.id);
                } else {
                    let step = steps[rng.below(steps.len())].id.clone();
                    expects.insert(comp.id.clone(), step);
                }
            }
            // A competency's descriptors for a step: every level expecting it changes.
            4 => {
                let comp = std::sync::Arc::make_mut(&mut fw.competencies[c]);
                if let Some(s) = comp.scale {
                    let steps = &fw.scales[s].steps;
                    let step = steps[rng.below(steps.len())].id.clone();
                    edit_list(rng, comp.proficiency.entry(step).or_default());
                }
            }
            // The level's body: on its page, not in the exports.
            _ => fw.levels[l].body_html = rng.text(),
        }
    }

    #[test]
    fn framework_json_is_the_document_in_compact_json() {
        for name in ["basic", "competency-first", "one-track"] {
            let mut fw = fixture(name);
            for _ in 0..2 {
                let changes = Changes::compute(&fw);
                let mut want = serde_json::to_vec(&json::framework_json(&fw, &changes)).unwrap();
                want.push(b'\n');
                assert_eq!(
                    String::from_utf8(framework_json_bytes(&fw, &changes)).unwrap(),
                    String::from_utf8(want).unwrap(),
                    "{name}, {} levels",
                    fw.levels.len()
                );
                // And without levels, where `levels` is `[]`.
                fw.levels.clear();
            }
        }
    }

    #[test]
    fn update_returns_only_the_files_to_rewrite() {
        let fw = fixture("basic");
        let pages = crate::plan::plan(&fw);
        let mut state = ExportState::new();
        let paths = |v: Vec<Artifact>| v.into_iter().map(|a| a.path).collect::<Vec<_>>();
        // A `Some` before any build builds everything.
        let first = state.files(&fw, &pages, Some(&BTreeSet::from([0])));
        assert_eq!(paths(first), FILES);
        assert_eq!(paths(state.files(&fw, &pages, None)), FILES);
        assert!(state.files(&fw, &pages, Some(&BTreeSet::new())).is_empty());
        // A level said to be dirty whose entry and rows came out the same: nothing to
        // rewrite (the files' fingerprints are made from their chunks').
        assert!(
            state
                .files(&fw, &pages, Some(&BTreeSet::from([1])))
                .is_empty()
        );
        let mut edited = fw.clone();
        let level = edited.levels[1].id.clone();
        let c = edited
            .competencies
            .iter_mut()
            .find(|c| c.behaviours.contains_key(&level))
            .expect("a competency with behaviours at the second level");
        if let Some(list) = std::sync::Arc::make_mut(c).behaviours.get_mut(&level) {
            list[0].text = "Edited.".into();
        }
        assert_eq!(
            paths(state.files(&edited, &pages, Some(&BTreeSet::from([1])))),
            ["framework.json", "framework.csv"]
        );
        // A `Some` that cannot belong to the last framework rebuilds everything.
        let out_of_range = BTreeSet::from([fw.levels.len()]);
        assert_eq!(paths(state.files(&fw, &pages, Some(&out_of_range))), FILES);
        let mut fewer = fw.clone();
        fewer.levels.pop();
        let pages = crate::plan::plan(&fewer);
        let mut files = BTreeMap::new();
        let fresh = state.files(&fewer, &pages, Some(&BTreeSet::from([0])));
        assert_eq!(fresh.len(), 3);
        apply_and_check(&mut files, fresh, &fewer, &pages, "a level fewer, Some");
    }

    /// After any sequence of level edits, each `update` given the levels
    /// [`delta::diff`](crate::delta::diff) reports (sometimes with extra ones), the files
    /// equal a clean build's, byte for byte.
    #[test]
    fn update_after_random_level_edits_equals_a_clean_build() {
        let seed: u64 = std::env::var("RUNGS_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5eed_2024);
        for name in ["basic", "competency-first"] {
            let mut rng = Rng(seed);
            let mut fw = fixture(name);
            let pages = crate::plan::plan(&fw);
            let mut state = ExportState::new();
            let mut files = BTreeMap::new();
            let first = state.files(&fw, &pages, None);
            apply_and_check(&mut files, first, &fw, &pages, name);
            for step in 0..150 {
                let old = fw.clone();
                for _ in 0..rng.below(4) {
                    mutate(&mut rng, &mut fw);
                }
                let crate::delta::Delta::Parts(touched) = crate::delta::diff(&old, &fw) else {
                    panic!("{name}, step {step}: a level edit changed the skeleton");
                };
                let mut dirty = touched.export_levels();
                if rng.below(5) == 0 {
                    dirty.insert(rng.below(fw.levels.len()));
                }
                let fresh = state.files(&fw, &pages, Some(&dirty));
                assert!(fresh.is_empty() || !dirty.is_empty(), "{name}, step {step}");
                let what = format!("{name}, seed {seed}, step {step}, dirty {dirty:?}");
                apply_and_check(&mut files, fresh, &fw, &pages, &what);
            }
        }
    }

    /// Levels added or removed change the skeleton: `None` rebuilds everything, and
    /// level edits after that splice into the new layout.
    #[test]
    fn update_with_none_after_levels_are_added_or_removed_equals_a_clean_build() {
        let mut rng = Rng(7);
        let mut fw = fixture("basic");
        let mut state = ExportState::new();
        let mut files = BTreeMap::new();
        let pages = crate::plan::plan(&fw);
        let first = state.files(&fw, &pages, None);
        apply_and_check(&mut files, first, &fw, &pages, "first build");

        // A level added in the middle of the ladder, on every track, with behaviours.
        let mut added = fw.levels[1].clone();
        added.id = crate::model::LevelId("added-level".into());
        added.title = "Added, \"new\" level".into();
        added.tracks = fw.tracks.iter().map(|t| t.id.clone()).collect();
        for c in &mut fw.competencies {
            std::sync::Arc::make_mut(c)
                .behaviours
                .insert(added.id.clone(), vec![behaviour(&mut rng)]);
        }
        fw.levels.insert(1, added);
        let pages = crate::plan::plan(&fw);
        let fresh = state.files(&fw, &pages, None);
        assert_eq!(fresh.len(), 3);
        apply_and_check(&mut files, fresh, &fw, &pages, "level added");
        for step in 0..20 {
            let old = fw.clone();
            mutate(&mut rng, &mut fw);
            let crate::delta::Delta::Parts(t) = crate::delta::diff(&old, &fw) else {
                panic!("step {step}: skeleton changed");
            };
            let fresh = state.files(&fw, &pages, Some(&t.export_levels()));
            apply_and_check(&mut files, fresh, &fw, &pages, &format!("added, {step}"));
        }

        // Levels removed, down to none.
        while !fw.levels.is_empty() {
            fw.levels.remove(rng.below(fw.levels.len()));
            let pages = crate::plan::plan(&fw);
            let fresh = state.files(&fw, &pages, None);
            let what = format!("removed, {} left", fw.levels.len());
            apply_and_check(&mut files, fresh, &fw, &pages, &what);
        }
    }

    /// Nanoseconds this thread (`clock` 3, `CLOCK_THREAD_CPUTIME_ID`) or process (2) has
    /// run on a CPU, so that timings on a machine shared with other work count only our
    /// own: `clock_gettime`, declared here rather than adding the libc crate for one
    /// benchmark (Linux only; /proc's schedstat is only updated at scheduler ticks).
    #[cfg(target_os = "linux")]
    fn cpu_ns(clock: i32) -> u64 {
        #[repr(C)]
        struct Timespec {
            sec: i64,
            nsec: i64,
        }
        unsafe extern "C" {
            fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
        }
        let mut t = Timespec { sec: 0, nsec: 0 };
        // SAFETY: `t` is a valid, writable timespec (two 64-bit fields on 64-bit Linux).
        let ok = unsafe { clock_gettime(clock, &mut t) } == 0;
        if ok {
            t.sec as u64 * 1_000_000_000 + t.nsec as u64
        } else {
            0
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn cpu_ns(_: i32) -> u64 {
        0
    }

    /// Runs `f` `runs` times; prints the median and minimum of its wall-clock time, its
    /// thread's CPU time and the process's CPU time (which counts rayon's workers too).
    fn time<T>(what: &str, runs: usize, mut f: impl FnMut(usize) -> T) -> T {
        let mut times = [vec![], vec![], vec![]];
        let mut last = None;
        for run in 0..runs {
            let (t, thread, process) = (std::time::Instant::now(), cpu_ns(3), cpu_ns(2));
            let out = f(run);
            times[0].push(t.elapsed().as_secs_f64() * 1e3);
            times[1].push((cpu_ns(3) - thread) as f64 / 1e6);
            times[2].push((cpu_ns(2) - process) as f64 / 1e6);
            last = Some(out);
        }
        let [wall, thread, process] = times.map(|mut v| {
            v.sort_by(f64::total_cmp);
            format!("{:6.2} / {:6.2}", v[v.len() / 2], v[0])
        });
        println!("{what:26} {wall} | {thread} | {process}");
        last.expect("at least one run")
    }

    /// Timing of the exports on a generated framework, for the record (no assertions on
    /// time). `RUNGS_BENCH_SITE` names the site, by default the 2,000-page one from
    /// `python3 scripts/gen-framework.py /tmp/g2k-export --tracks 60 --levels 8
    /// --competencies 20 --kb 1`. Run with
    /// `cargo test --release --lib export::tests::bench -- --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark: needs a generated framework, run in release mode"]
    fn bench_exports() {
        let root = std::env::var("RUNGS_BENCH_SITE").unwrap_or("/tmp/g2k-export".into());
        let (fw, _) =
            crate::pipeline::load_framework(std::path::Path::new(&root)).expect("site loads");
        let mut fw = fw.expect("framework");
        let pages = crate::plan::plan(&fw);
        let runs = 21;
        println!(
            "{:26} {:^15} | {:^15} | {:^15}",
            "ms, median / min", "wall", "thread CPU", "process CPU"
        );
        let map = time("clean sitemap.xml", runs, |_| sitemap(&fw, &pages));
        let changes = Changes::compute(&fw);
        let json = time("clean framework.json", runs, |_| {
            framework_json_bytes(&fw, &changes)
        });
        let csv = time("clean framework.csv", runs, |_| csv::framework_csv(&fw));
        println!(
            "{} levels, {} pages; sitemap.xml {} bytes, framework.json {} bytes, \
             framework.csv {} bytes",
            fw.levels.len(),
            pages.len(),
            map.len(),
            json.len(),
            csv.len()
        );
        drop((map, json, csv, changes));

        // Full rebuilds render level chunks in parallel (process CPU counts them).
        let mut state = ExportState::new();
        time("update(None)", 7, |_| state.files(&fw, &pages, None));
        // One behaviour of one level edited before each run, that level dirty.
        let levels = fw.levels.len();
        let mut edits = 0..;
        let mut edit = |fw: &mut Framework| {
            let run = edits.next().unwrap_or(0);
            let l = (run * 37) % levels;
            let id = fw.levels[l].id.clone();
            let c = fw
                .competencies
                .iter_mut()
                .find(|c| c.behaviours.get(&id).is_some_and(|b| !b.is_empty()))
                .expect("a competency with behaviours for the level");
            let list = std::sync::Arc::make_mut(c).behaviours.get_mut(&id).unwrap();
            list[0] = crate::testing::behaviour(
                list[0].id.clone(),
                list[0].anchor.clone(),
                &format!("Edited {run}."),
                Vec::new(),
            );
            l
        };
        // (The edit itself takes microseconds; the files returned are dropped after
        // the clock stops, as `serve` would write them.)
        time("update(Some({one level}))", 41, |_| {
            let l = edit(&mut fw);
            let out = state.files(&fw, &pages, Some(&BTreeSet::from([l])));
            assert_eq!(out.len(), 2);
            out
        });
        time("update(Some({}))", 41, |_| {
            assert!(state.files(&fw, &pages, Some(&BTreeSet::new())).is_empty())
        });
        let out = state.files(&fw, &pages, Some(&BTreeSet::from([0])));
        assert_eq!(
            out[0].bytes,
            framework_json_bytes(&fw, &Changes::compute(&fw))
        );
        assert_eq!(out[1].bytes, csv::framework_csv(&fw).into_bytes());
    }
}
