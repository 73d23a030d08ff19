//! Times `rungs::search::SearchState::update` on a framework, the way `rungs serve` would
//! call it after an edit, and checks the result against a clean build at the end:
//!
//! ```text
//! python3 scripts/gen-framework.py /tmp/g2k-search --tracks 60 --levels 8 --competencies 20 --kb 1
//! cargo run --release --example search_update -- /tmp/g2k-search
//! ```
//!
//! `ROUNDS=400` runs more text edits of each kind (for a profiler).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rungs::model::Framework;
use rungs::output::Artifact;
use rungs::pipeline::load_framework;
use rungs::search::{SearchState, SearchUpdate};

fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// CPU time of every thread of the process (Linux), in nanoseconds: on a shared machine
/// wall time also counts waiting for a core.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

struct Run {
    state: SearchState,
    files: BTreeMap<String, Vec<u8>>,
}

impl Run {
    /// Updates, keeping the files as a caller would; returns wall and CPU time.
    fn update(&mut self, fw: &Framework) -> (Duration, Duration, usize) {
        let (start, cpu) = (Instant::now(), cpu_ns());
        let SearchUpdate {
            changed, unchanged, ..
        } = self.state.update(fw);
        let took = start.elapsed();
        let cpu = Duration::from_nanos(cpu_ns() - cpu);
        let n = changed.len();
        let mut files = BTreeMap::new();
        for path in unchanged {
            let bytes = self.files.remove(&path).expect("kept file exists");
            files.insert(path, bytes);
        }
        for Artifact { path, bytes } in changed {
            files.insert(path, bytes);
        }
        self.files = files;
        (took, cpu, n)
    }
}

fn report(label: &str, times: &mut [(Duration, Duration)], changed: usize) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut wall: Vec<Duration> = times.iter().map(|t| t.0).collect();
    let mut cpu: Vec<Duration> = times.iter().map(|t| t.1).collect();
    wall.sort();
    cpu.sort();
    let n = wall.len();
    println!(
        "{label}: wall median {:.2} ms (min {:.2}, max {:.2}); CPU median {:.2} ms (min {:.2}, max {:.2}); {n} runs, {changed} files changed in the last",
        ms(wall[n / 2]),
        ms(wall[0]),
        ms(wall[n - 1]),
        ms(cpu[n / 2]),
        ms(cpu[0]),
        ms(cpu[n - 1]),
    );
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: search_update FRAMEWORK_ROOT");
    let (fw, _) = load_framework(root.as_ref()).expect("load");
    let mut fw = fw.expect("framework");

    let before = rss_kb();
    let mut run = Run {
        state: SearchState::new(),
        files: BTreeMap::new(),
    };
    let first = run.state.update(&fw);
    let files = first.changed.len();
    drop(first);
    println!(
        "memory: RSS +{:.1} MB after the first update (output dropped); SearchState::heap_bytes {:.1} MB",
        (rss_kb() - before) as f64 / 1024.0,
        run.state.heap_bytes() as f64 / 1e6
    );
    run.state = SearchState::new();
    let (took, cpu, _) = run.update(&fw);
    println!(
        "first update (= a clean build): wall {:.1} ms, CPU {:.1} ms, {files} files",
        took.as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e3
    );

    // Where the behaviours are: (competency, level id) with at least one behaviour.
    let cells: Vec<(usize, rungs::model::LevelId)> = fw
        .competencies
        .iter()
        .enumerate()
        .flat_map(|(c, comp)| {
            comp.behaviours
                .iter()
                .filter(|(_, list)| !list.is_empty())
                .map(move |(l, _)| (c, l.clone()))
        })
        .collect();

    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(30);
    let mut times = Vec::new();
    let mut last = 0;
    for k in 0..rounds {
        let (c, l) = &cells[(k * 7919) % cells.len()];
        let b = &mut std::sync::Arc::make_mut(&mut fw.competencies[*c])
            .behaviours
            .get_mut(l)
            .unwrap()[0];
        // Words the framework already has, so the edit changes postings, not terms.
        b.text = format!("{} Reviews designs across teams {k}.", b.text).into();
        let (took, cpu, n) = run.update(&fw);
        times.push((took, cpu));
        last = n;
    }
    report("one behaviour's text (existing words)", &mut times, last);

    let mut times = Vec::new();
    for k in 0..rounds {
        let (c, l) = &cells[(k * 104_729) % cells.len()];
        let b = &mut std::sync::Arc::make_mut(&mut fw.competencies[*c])
            .behaviours
            .get_mut(l)
            .unwrap()[0];
        b.text = format!("{} Zyxwords{k} quuxification{k}.", b.text).into();
        let (took, cpu, n) = run.update(&fw);
        times.push((took, cpu));
        last = n;
    }
    report("one behaviour's text (new words)", &mut times, last);

    let mut times = Vec::new();
    for k in 0..rounds {
        let l = (k * 31) % fw.levels.len();
        fw.levels[l].summary = format!("{} Edited {k}.", fw.levels[l].summary);
        let (took, cpu, n) = run.update(&fw);
        times.push((took, cpu));
        last = n;
    }
    report("one level's summary", &mut times, last);

    let mut times = Vec::new();
    for k in 0..rounds {
        let c = (k * 7) % fw.competencies.len();
        std::sync::Arc::make_mut(&mut fw.competencies[c])
            .body_html
            .push_str(&format!("<p>More guidance {k}.</p>"));
        let (took, cpu, n) = run.update(&fw);
        times.push((took, cpu));
        last = n;
    }
    report("one competency's body", &mut times, last);

    let mut times = Vec::new();
    for k in 0..10 {
        let (c, l) = &cells[(k * 6101) % cells.len()];
        let list = std::sync::Arc::make_mut(&mut fw.competencies[*c])
            .behaviours
            .get_mut(l)
            .unwrap();
        if k % 2 == 0 {
            let mut b = list[0].clone();
            b.anchor = format!("added-{k}");
            b.text = format!("Added behaviour {k}.").into();
            list.push(b);
        } else {
            list.pop();
        }
        let (took, cpu, n) = run.update(&fw);
        times.push((took, cpu));
        last = n;
    }
    report("add or remove one behaviour", &mut times, last);

    let clean: BTreeMap<String, Vec<u8>> = SearchState::new()
        .update(&fw)
        .changed
        .into_iter()
        .map(|a| (a.path, a.bytes))
        .collect();
    assert!(
        clean == run.files,
        "the updated index differs from a clean build"
    );
    println!(
        "after all edits: equal to a clean build ({} files)",
        clean.len()
    );
}
