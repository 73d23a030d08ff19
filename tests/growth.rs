//! Every input is answered in time proportional to its size (docs/DECISIONS.md, "Safety").
//!
//! A benchmark-style test, not a timed one: each growth case is a hostile input grown in
//! one dimension (a narrative of many words, many footnotes, a long attribute…), checked
//! at 1× and 4× its size. Only the ratio of the two times is asserted, with room for
//! noise: linear work gives a ratio near 4 (less, with the fixed cost of a run), quadratic
//! work gives about 16. Each time is the fastest of three runs of `rungs check` (which
//! renders every page and writes nothing), and the cases run one after another so they
//! do not compete for the machine.
//!
//! Inputs that a limit refuses instead (a title over 200 characters, nesting over 256
//! levels, more than 200 behaviours in a cell, files over 32 MiB) are covered by the
//! invalid-input snapshots in `tests/it/check.rs`; here they must be refused fast too.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_rungs");
/// Above this, a case grows faster than linearly.
const MAX_RATIO: f64 = 8.0;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

const LEVEL: &str = "content/levels/expert/staff-engineer.md";
const COMPETENCY: &str = "content/competencies/craft/troubleshooting.md";

/// Distinct-looking words, deterministic.
fn words(n: usize) -> String {
    const W: [&str; 8] = [
        "alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta",
    ];
    (0..n)
        .map(|i| format!("{}{}", W[i % 8], i % 97))
        .collect::<Vec<_>>()
        .join(" ")
}

fn level_with(front: &str, body: &str) -> String {
    format!("---\ntitle: Staff Engineer\nband: b2\n{front}---\n{body}\n")
}

/// The files to write for a case at size `n`.
type Make = Box<dyn Fn(usize) -> Vec<(&'static str, String)>>;

/// The growth cases: a name and the files to write for size `n`.
fn cases() -> Vec<(&'static str, Make)> {
    let body =
        |f: fn(usize) -> String| Box::new(move |n| vec![(LEVEL, level_with("", &f(n)))]) as Make;
    vec![
        ("narrative of many words", body(words)),
        ("narrative of one long word", body(|n| "a".repeat(n * 6))),
        (
            "many links",
            body(|n| "[x](https://example.com/) ".repeat(n)),
        ),
        (
            "many internal links",
            body(|n| "[x](@/levels/staff-engineer#a) [y](../../levels/gone/) ".repeat(n / 2)),
        ),
        (
            "many internal links in one behaviour",
            Box::new(|n| {
                let links = "[x](@/levels/staff-engineer) [y](../../levels/gone/) ".repeat(n / 2);
                vec![(
                    COMPETENCY,
                    format!(
                        "---\ntitle: Troubleshooting\nbehaviours:\n  staff-engineer:\n    - \"{links}\"\n---\n"
                    ),
                )]
            }),
        ),
        (
            "many reference definitions",
            body(|n| {
                let defs: String = (0..n).map(|i| format!("[r{i}]: /u{i}\n")).collect();
                let uses: String = (0..n).map(|i| format!("[r{i}] ")).collect();
                format!("{defs}\n{uses}")
            }),
        ),
        (
            "many footnotes",
            body(|n| {
                (0..n / 4)
                    .map(|i| format!("x[^{i}]\n\n[^{i}]: y\n\n"))
                    .collect()
            }),
        ),
        ("many equal headings", body(|n| "## Same\n\n".repeat(n))),
        (
            "a long table",
            body(|n| format!("|a|b|\n|-|-|\n{}", "|x|y|\n".repeat(n))),
        ),
        (
            "a wide table",
            body(|n| {
                format!(
                    "|{}\n|{}\n|{}\n",
                    "a|".repeat(n),
                    "-|".repeat(n),
                    "x|".repeat(n)
                )
            }),
        ),
        ("a long list", body(|n| "- item\n".repeat(n))),
        ("unclosed emphasis", body(|n| "*a **b ".repeat(n))),
        ("unclosed code spans", body(|n| "`a".repeat(n))),
        ("unclosed brackets", body(|n| "[a".repeat(n))),
        ("unclosed tags", body(|n| "<a".repeat(n))),
        ("raw html", body(|n| "<span>x</span> ".repeat(n))),
        (
            "a long summary",
            Box::new(|n| {
                vec![(
                    LEVEL,
                    level_with(&format!("summary: \"{}\"\n", words(n)), ""),
                )]
            }),
        ),
        (
            "a long attribute",
            Box::new(|n| {
                vec![(
                    LEVEL,
                    level_with(&format!("attributes:\n  Scope: \"{}\"\n", words(n)), ""),
                )]
            }),
        ),
        (
            "many attributes",
            Box::new(|n| {
                let attrs: String = (0..n / 4)
                    .map(|i| format!("  Attribute {i}: v\n"))
                    .collect();
                vec![(LEVEL, level_with(&format!("attributes:\n{attrs}"), ""))]
            }),
        ),
        (
            "many numbers on one line",
            Box::new(|n| {
                let nums = vec!["1.50"; n].join(", ");
                vec![(
                    LEVEL,
                    level_with(&format!("attributes:\n  Reach: [{nums}]\n"), ""),
                )]
            }),
        ),
        (
            "many numbers on many lines",
            Box::new(|n| {
                let nums = "    - 0x1F\n".repeat(n);
                vec![(
                    LEVEL,
                    level_with(&format!("attributes:\n  Reach:\n{nums}"), ""),
                )]
            }),
        ),
        (
            "long, similar behaviours at adjacent levels",
            Box::new(|n| {
                let old = words(n / 2);
                let new: String = old
                    .split(' ')
                    .enumerate()
                    .map(|(i, w)| if i % 10 == 0 { "changed" } else { w })
                    .collect::<Vec<_>>()
                    .join(" ");
                vec![(
                    COMPETENCY,
                    format!(
                        "---\ntitle: Troubleshooting\nbehaviours:\n  staff-engineer:\n    - \"{old}\"\n  principal-engineer:\n    - \"{new}\"\n---\n"
                    ),
                )]
            }),
        ),
    ]
}

/// The fastest of three runs of `rungs check`.
fn time_check(root: &Path) -> (Duration, i32) {
    let mut best = Duration::MAX;
    let mut code = -1;
    for _ in 0..3 {
        let start = Instant::now();
        let out = Command::new(BIN)
            .args(["check", "--root"])
            .arg(root)
            .output()
            .unwrap();
        best = best.min(start.elapsed());
        code = out.status.code().unwrap_or(-1);
    }
    (best, code)
}

fn site_with(files: &[(&str, String)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic"),
        &root,
    );
    for (rel, text) in files {
        std::fs::write(root.join(rel), text).unwrap();
    }
    (dir, root)
}

/// One test (cases one after another), so that no other test competes for the machine
/// while the times are taken.
#[test]
fn every_input_is_answered_in_time_proportional_to_its_size() {
    inputs_over_a_limit_are_refused_fast();
    every_growth_case_takes_time_proportional_to_its_size();
}

fn every_growth_case_takes_time_proportional_to_its_size() {
    // Sized so the 1× input costs well above the fixed cost of a run (about 50 ms), and
    // the whole test stays under a minute in a debug build.
    let n = 8_000;
    let mut report = Vec::new();
    let mut failures = Vec::new();
    for (name, make) in cases() {
        let (_d1, small) = site_with(&make(n));
        let (_d4, large) = site_with(&make(4 * n));
        let (t1, c1) = time_check(&small);
        let (t4, c4) = time_check(&large);
        let ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-3);
        report.push(format!(
            "{name:45} 1x {:>7.1} ms  4x {:>7.1} ms  ratio {ratio:4.1}",
            t1.as_secs_f64() * 1e3,
            t4.as_secs_f64() * 1e3
        ));
        if c1 != 0 || c4 != 0 {
            failures.push(format!("{name}: check failed (exit {c1}, {c4})"));
        } else if ratio > MAX_RATIO {
            failures.push(format!("{name}: 4x the input took {ratio:.1}x the time"));
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.join("\n"),
        report.join("\n")
    );
}

fn inputs_over_a_limit_are_refused_fast() {
    let deep = format!("{}x{}", "<div>".repeat(200_000), "</div>".repeat(200_000));
    let quotes = format!("{}x", "> ".repeat(200_000));
    let title = format!(
        "---\ntitle: \"{}\"\nband: b2\n---\n",
        "word ".repeat(1_600_000)
    );
    let many: String = (0..5_000)
        .map(|i| format!("    - Behaviour {i}\n"))
        .collect();
    let cell = format!("---\ntitle: Troubleshooting\nbehaviours:\n  staff-engineer:\n{many}---\n");
    // Nine aliases of nine aliases, nine deep: a few hundred bytes naming 10^9 values.
    let mut bomb = String::from("x-a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n");
    for i in 1..10 {
        let items = vec![format!("*a{}", i - 1); 9].join(",");
        bomb.push_str(&format!("x-a{i}: &a{i} [{items}]\n"));
    }
    for (name, rel, text) in [
        ("an alias bomb", LEVEL, level_with(&bomb, "")),
        ("200,000 nested divs", LEVEL, level_with("", &deep)),
        ("200,000 nested quotes", LEVEL, level_with("", &quotes)),
        ("an 8 MB title", LEVEL, title),
        ("5,000 behaviours in one cell", COMPETENCY, cell),
    ] {
        let (_d, root) = site_with(&[(rel, text)]);
        let start = Instant::now();
        let out = Command::new(BIN)
            .args(["check", "--root"])
            .arg(&root)
            .output()
            .unwrap();
        let took = start.elapsed();
        assert_eq!(out.status.code(), Some(1), "{name} is refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(rel), "{name}: {stderr}");
        // Not a speed measurement: a generous bound that only a hang or a quadratic
        // blow-up (minutes, as before these limits) can exceed.
        assert!(took < Duration::from_secs(30), "{name} took {took:?}");
    }
}
