//! The incremental rebuild engine behind `rungs serve`, timed without the watcher or the
//! HTTP server: one edit of each kind, repeated, through `Pipeline::run_with` as serve
//! runs it.
//!
//!     cargo bench --bench rebuild -- SITE [EDITS]
//!
//! SITE is a site folder (it is copied; the original is not touched), for example one
//! written by `scripts/gen-framework.py`. Prints p50/p95 per kind of edit (the whole
//! rebuild, and the p50 of when serve would send the reload: the pages written, before
//! the exports) and the process's peak memory. `scripts/bench-serve` measures the same
//! edits end to end.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rungs::pipeline::{Edits, Overrides, Pipeline};

/// Copies the site's own files (not `target/` or an output folder).
fn copy_site(from: &Path, to: &Path) {
    for part in ["site.toml", "content", "templates", "themes", "static"] {
        let (src, dest) = (from.join(part), to.join(part));
        if src.is_dir() {
            copy_dir(&src, &dest);
        } else if src.is_file() {
            std::fs::create_dir_all(to).expect("create the site folder");
            std::fs::copy(&src, &dest).expect("copy a file");
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk the site");
        let rel = e.path().strip_prefix(from).expect("under the site");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("create a folder");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy a file");
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

/// One kind of edit: a name and how to change a file's text for edit number `i`.
struct Edit {
    name: &'static str,
    file: PathBuf,
    change: fn(&str, usize) -> String,
}

fn replace_nth_line(text: &str, starts: &str, f: impl Fn(&str) -> String) -> String {
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.trim_start().starts_with(starts) {
                done = true;
                f(l)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn percentile(xs: &mut [Duration], p: f64) -> Duration {
    xs.sort();
    xs[((xs.len() - 1) as f64 * p).round() as usize]
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(src) = args.first() else {
        eprintln!("usage: cargo bench --bench rebuild -- SITE [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let site = tmp.path().join("site");
    copy_site(Path::new(src), &site);
    let out = tmp.path().join("out");

    let levels = files_under(&site.join("content/levels"));
    let comps = files_under(&site.join("content/competencies"));
    let level = levels[levels.len() / 2].clone();
    let comp = comps[comps.len() / 2].clone();
    let core = comps
        .iter()
        .find(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains("\ncore:\n")))
        .cloned();
    let kinds = [
        Edit {
            name: "level narrative",
            file: level.clone(),
            change: |t, i| format!("{t}\nBenchmark edit number {i}.\n"),
        },
        Edit {
            name: "level summary",
            file: level.clone(),
            change: |t, i| {
                replace_nth_line(t, "summary:", |l| {
                    format!(
                        "summary: Benchmark summary {i}. {}",
                        &l[l.find(':').unwrap_or(0) + 1..]
                            .trim()
                            .trim_matches('"')
                            .replace([':', '"', '>'], "")
                    )
                })
            },
        },
        Edit {
            name: "behaviour text",
            file: comp.clone(),
            change: |t, i| {
                let is_behaviour = |l: &str| {
                    let b = l.trim_start();
                    let key = b[2.min(b.len())..].split_whitespace().next().unwrap_or("");
                    b.starts_with("- ")
                        && b.len() > 12
                        && (key == "text:" || !key.ends_with(':'))
                        && !b.starts_with("- text: >")
                        && !b.starts_with("- text: |")
                };
                let mut done = false;
                t.lines()
                    .map(|l| {
                        if done || !is_behaviour(l) {
                            return l.to_string();
                        }
                        done = true;
                        let body = l.trim_start();
                        let indent = &l[..l.len() - body.len()];
                        let rest = &body[2..];
                        let (key, rest) = rest
                            .strip_prefix("text: ")
                            .map_or(("", rest), |r| ("text: ", r));
                        let quote = if rest.starts_with('"') { "\"" } else { "" };
                        format!("{indent}- {key}{quote}Edit {i}, {}", &rest[quote.len()..])
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
                    + "\n"
            },
        },
        Edit {
            name: "competency guidance",
            file: comp.clone(),
            change: |t, i| format!("{t}\nBenchmark edit number {i}.\n"),
        },
    ];

    // With job families: the first behaviour of a competency's shared core, which every
    // level of its band inherits.
    let kinds: Vec<Edit> = kinds
        .into_iter()
        .chain(core.map(|file| Edit {
            name: "core behaviour",
            file,
            change: |t, i| {
                let at = t.find("\ncore:\n").map_or(0, |k| k + 7);
                let (head, tail) = t.split_at(at);
                // The first list item after `core:` and its band key.
                let k = tail.find("- ").unwrap_or(0);
                let item = &tail[k + 2..];
                let item = item.strip_prefix("text: ").map_or(item, |_| &item[6..]);
                let offset = tail.len() - item.len();
                let quote = if item.starts_with('"') || item.starts_with('\'') {
                    1
                } else {
                    0
                };
                format!(
                    "{head}{}Edit {i}, {}",
                    &tail[..offset + quote],
                    &tail[offset + quote..]
                )
            },
        }))
        .collect();
    // `RUNGS_BENCH_KINDS=behaviour,summary` keeps only the kinds whose names contain
    // one of the words (to profile one kind of edit).
    let only = std::env::var("RUNGS_BENCH_KINDS").unwrap_or_default();
    let kinds: Vec<Edit> = kinds
        .into_iter()
        .filter(|k| only.is_empty() || only.split(',').any(|w| k.name.contains(w)))
        .collect();
    let mut pipeline = Pipeline::serve(&site, &out, Overrides::default());
    let first = pipeline.run(&Edits::everything()).expect("first build");
    assert!(first.ok, "the site has errors: {:?}", first.diags);
    println!(
        "{}: {} pages; first build {:.0} ms",
        src,
        first.pages,
        first.elapsed.as_secs_f64() * 1000.0
    );
    for kind in &kinds {
        let original = std::fs::read_to_string(&kind.file).expect("read the file");
        let rel = kind
            .file
            .strip_prefix(&site)
            .expect("under the site")
            .to_string_lossy()
            .replace('\\', "/");
        let mut times = Vec::new();
        // When serve would send the reload (the whole run when nothing came after it).
        let mut told = Vec::new();
        let mut rendered = 0;
        let mut stages: Vec<(&'static str, Vec<Duration>)> = Vec::new();
        let mut notes = Vec::new();
        for i in 0..edits {
            std::fs::write(&kind.file, (kind.change)(&original, i)).expect("write the edit");
            let changes = Edits {
                paths: BTreeSet::from([rel.clone()]),
                ..Edits::default()
            };
            // As serve runs it: told when the pages are written, the exports after.
            let o = pipeline
                .run_with(&changes, Some(&mut |_| {}))
                .expect("rebuild");
            assert!(
                o.ok && o.rendered > 0,
                "{}: edit {i} failed: {:?}",
                kind.name,
                o.diags
            );
            rendered = o.rendered;
            notes = o.timings.notes.clone();
            if std::env::var_os("RUNGS_BENCH_WRITTEN").is_some() {
                notes.push(format!("written {:?}", o.written));
            }
            for (name, d, _) in &o.timings.laps {
                match stages.iter_mut().find(|(n, _)| n == name) {
                    Some((_, v)) => v.push(*d),
                    None => stages.push((name, vec![*d])),
                }
            }
            times.push(o.elapsed);
            told.push(o.pages_written.unwrap_or(o.elapsed));
        }
        std::fs::write(&kind.file, &original).expect("restore the file");
        pipeline.run(&Edits::default()).expect("rebuild");
        let p50 = percentile(&mut times, 0.5);
        let p95 = percentile(&mut times, 0.95);
        let told50 = percentile(&mut told, 0.5);
        println!(
            "  {:20} p50 {:7.1} ms  p95 {:7.1} ms  ({rendered} pages re-rendered; reload after p50 {:.1} ms)",
            kind.name,
            p50.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0,
            told50.as_secs_f64() * 1000.0
        );
        let parts: Vec<String> = stages
            .iter_mut()
            .map(|(n, v)| format!("{n} {:.1}", percentile(v, 0.5).as_secs_f64() * 1000.0))
            .collect();
        println!("      stage medians (ms): {}", parts.join(", "));
        println!("      last edit: {}", notes.join("; "));
    }
    println!("  peak memory {}", peak_memory());
}
