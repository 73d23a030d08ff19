//! `rungs import`: spreadsheet fixtures in both shapes (CSV, XLSX, ODS), the Codecademy
//! Markdown ladders, a messy Markdown ladder, the round trip through rungs' own
//! `framework.csv` on the sample and the corpus, and invalid inputs with snapshots of
//! their diagnostics in `tests/snapshots/import/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{BIN, Run, Site, check_snapshot, corpus_sites, fixtures};

/// Runs the binary in `cwd` (so messages name files as a user typed them).
fn rungs(cwd: &Path, args: &[&str]) -> Run {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
        .into()
}

/// A temp folder holding a copy of the import fixtures.
fn workdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(fixtures().join("import")).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    dir
}

/// Imports `input` from `cwd` into `cwd/<out>`, then checks and builds it: no errors,
/// and no warnings either.
fn import_check_build(cwd: &Path, format: &str, input: &str, out: &str) -> Run {
    import_check_build_with(cwd, format, input, out, "0 errors, 0 warnings")
}

/// [`import_check_build`], `check` printing `summary`.
fn import_check_build_with(cwd: &Path, format: &str, input: &str, out: &str, summary: &str) -> Run {
    let run = rungs(cwd, &["import", format, input, "--out", out]);
    assert_eq!(run.code, 0, "import {input} failed:\n{}", run.stderr);
    let check = rungs(cwd, &["check", "--root", out]);
    assert!(
        check.code == 0 && check.stderr.contains(summary),
        "check of the import of {input}:\n{}",
        check.stderr
    );
    let build = rungs(cwd, &["build", "--root", out]);
    assert_eq!(
        build.code, 0,
        "build of the import of {input}:\n{}",
        build.stderr
    );
    run
}

/// A page's text as a reader sees it: tags dropped (block tags as spaces), entities
/// decoded, typographic quotes and dashes as typed, whitespace collapsed.
fn visible(html: &str) -> String {
    const INLINE: &[&str] = &[
        "code", "em", "strong", "a", "kbd", "span", "mark", "del", "s", "sup", "sub", "b", "i",
    ];
    let mut out = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(t), '>') => {
                let name: String = t
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect();
                if !INLINE.contains(&name.as_str()) {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(t), c) => t.push(c),
            (None, c) => out.push(c),
        }
    }
    normal(
        &out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&amp;", "&"),
    )
}

/// Whitespace collapsed, typographic punctuation as typed.
fn normal(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace(['\u{2013}', '\u{2014}'], "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Asserts that `texts` appear on the level page of `level`, in this order.
fn on_level_page(site: &Path, level: &str, texts: &[String]) {
    let page = std::fs::read_to_string(site.join(format!("public/levels/{level}/index.html")))
        .unwrap_or_else(|e| panic!("level page {level}: {e}"));
    let page = visible(&page);
    let mut at = 0;
    for t in texts {
        let t = normal(t);
        match page[at..].find(&t) {
            Some(i) => at += i + t.len(),
            None => panic!(
                "not on level page {level} (in order): {t:?}\n{}",
                if page.contains(&t) {
                    "(present, but out of order)"
                } else {
                    ""
                }
            ),
        }
    }
}

/// A title as the importer slugs it (the fixtures' titles are plain ASCII).
fn slug(title: &str) -> String {
    title
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[test]
fn a_long_csv_is_imported_with_every_behaviour_on_its_level_page() {
    let dir = workdir();
    let run = import_check_build(dir.path(), "csv", "long.csv", "site");
    assert!(
        run.stderr.contains("Imported 2 tracks, 5 levels"),
        "{}",
        run.stderr
    );
    // Every behaviour and example of the file, on its level's page, in the file's order
    // (within a competency, which is how pages group them).
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(dir.path().join("long.csv"))
        .unwrap();
    let mut expected: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let (mut level, mut skill) = (String::new(), String::new());
    for row in reader.records() {
        let row = row.unwrap();
        if !row[2].is_empty() {
            level = row[2].to_string();
        }
        if !row[4].is_empty() {
            skill = row[4].to_string();
        }
        let list = expected.entry((slug(&level), skill.clone())).or_default();
        list.push(row[5].to_string());
        list.extend(row[6].lines().map(str::to_string));
    }
    for ((level, _), texts) in &expected {
        on_level_page(&dir.path().join("site"), level, texts);
    }
    let yaml = std::fs::read_to_string(dir.path().join("site/content/framework.yaml")).unwrap();
    assert!(
        yaml.starts_with("# Imported by `rungs import csv` from long.csv."),
        "{yaml}"
    );
    assert!(
        yaml.contains("# - track \"People manager\": kind manager"),
        "{yaml}"
    );
    // Markdown-looking and formula-looking text is kept as written.
    let file = std::fs::read_to_string(
        dir.path()
            .join("site/content/competencies/technical/code-quality.md"),
    )
    .unwrap();
    assert!(
        file.contains("Tests the \\*happy path\\* and the obvious \\<edge\\> cases."),
        "{file}"
    );
}

/// The site an import wrote, every file's text, with the comments that name the input
/// file dropped.
fn site_files(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(e.path()).unwrap();
            let names_input = |l: &str| [".csv", ".xlsx", ".ods"].iter().any(|x| l.contains(x));
            let text: Vec<&str> = text
                .lines()
                .filter(|l| !(l.starts_with("# ") && names_input(l)))
                .collect();
            (rel, text.join("\n"))
        })
        .collect()
}

#[test]
fn xlsx_and_ods_read_like_csv() {
    let dir = workdir();
    import_check_build(dir.path(), "csv", "long.csv", "from-csv");
    import_check_build(dir.path(), "xlsx", "long.xlsx", "from-xlsx");
    assert_eq!(
        site_files(&dir.path().join("from-csv")),
        site_files(&dir.path().join("from-xlsx"))
    );
    import_check_build(dir.path(), "xlsx", "matrix.xlsx", "matrix-xlsx");
    import_check_build(dir.path(), "ods", "matrix.ods", "matrix-ods");
    assert_eq!(
        site_files(&dir.path().join("matrix-xlsx")),
        site_files(&dir.path().join("matrix-ods"))
    );
}

#[test]
fn a_matrix_is_imported_cell_by_cell() {
    let dir = workdir();
    let csv = import_check_build(dir.path(), "csv", "matrix.csv", "site");
    assert!(csv.stderr.contains("as a matrix"), "{}", csv.stderr);
    let site = dir.path().join("site");
    let cases: &[(&str, &[&str])] = &[
        (
            "e1-associate-engineer",
            &[
                "Writes tested code with guidance",
                "Follows the team's style guide",
                "Reproduces bugs with help.",
                "Asks for help after an hour stuck.",
                "Shares status in stand-up.",
            ],
        ),
        (
            "e2-engineer",
            &[
                "Writes well-tested code on their own",
                "e.g. adds tests for edge cases",
                "Reviews peers' pull requests",
            ],
        ),
        (
            "e3-senior-engineer",
            &[
                "Uses `git bisect` & <kbd>ctrl-r</kbd> *well*",
                "Leads incident investigations and writes the post-mortem",
                "Estimates projects of a few weeks",
                "Writes design documents",
                "Presents them to the team",
                "Mentors new hires",
            ],
        ),
    ];
    for (level, texts) in cases {
        let texts: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        on_level_page(&site, level, &texts);
    }
    // The title row names the site; the description column summarises the competency.
    let toml = std::fs::read_to_string(site.join("site.toml")).unwrap();
    assert!(
        toml.contains("title = \"Acme Engineering Competency Matrix\""),
        "{toml}"
    );
    let comp =
        std::fs::read_to_string(site.join("content/competencies/technical-skills/code-quality.md"))
            .unwrap();
    assert!(
        comp.contains("summary: Writing code others can read and change."),
        "{comp}"
    );
    // Sheets are tracks; levels numbered alike share a band.
    let xlsx = import_check_build(dir.path(), "xlsx", "matrix.xlsx", "book");
    assert!(
        xlsx.stderr.contains("Band 2 (from the numbers in their titles): E2 – Engineer (Engineer), M2 – Senior Engineering Manager (Manager)"),
        "{}",
        xlsx.stderr
    );
    let level = std::fs::read_to_string(
        dir.path()
            .join("book/content/levels/manager/m2-senior-engineering-manager.md"),
    )
    .unwrap();
    assert!(level.contains("band: b2"), "{level}");
}

/// The bullets of Markdown ladders (`## Level`, `### Competency`, `- bullet` with its
/// continuation lines), by level title, in order; sections named in `skip` left out.
fn bullets(text: &str, skip: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut level: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            let h = h.trim().to_string();
            level = (!skip.contains(&h.as_str())).then(|| h.clone());
            if level.is_some() {
                out.push((h, Vec::new()));
            }
            continue;
        }
        let Some(_) = &level else { continue };
        let Some((_, list)) = out.last_mut() else {
            continue;
        };
        if let Some(b) = line.strip_prefix("- ") {
            list.push(b.to_string());
        } else if line.starts_with("  ") && !line.trim().is_empty() && !list.is_empty() {
            let last = list.last_mut().unwrap();
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    out
}

#[test]
fn codecademy_ladders_become_two_tracks_with_every_bullet_on_its_level_page() {
    let dir = tempfile::tempdir().unwrap();
    let raw = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/raw/codecademy");
    let raw = raw.to_str().unwrap();
    // One warning, as in the source: two behaviours of a level open with the same
    // eight words, so the second one's anchor is numbered.
    let run = import_check_build_with(dir.path(), "markdown", raw, "site", "0 errors, 1 warning");
    assert!(
        run.stderr.contains("Imported 2 tracks, 9 levels"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("kind manager (its file")
            && run.stderr.contains("managers.md names managers"),
        "{}",
        run.stderr
    );
    let site = dir.path().join("site");
    let mut count = 0;
    for file in ["README.md", "managers.md"] {
        let text = std::fs::read_to_string(Path::new(raw).join(file)).unwrap();
        for (level, list) in bullets(&text, &["FAQ"]) {
            count += list.len();
            on_level_page(&site, &slug(&level), &list);
        }
    }
    assert_eq!(count, 229);
    // The README's table of contents links to the level pages.
    let index = std::fs::read_to_string(site.join("content/index.md")).unwrap();
    assert!(
        index.contains("- [Software Engineer 2](levels/software-engineer-2/)"),
        "{index}"
    );
    // The FAQ is a page; the manager levels' introductions are their summaries.
    assert!(site.join("content/pages/faq.md").is_file());
    let em = std::fs::read_to_string(
        site.join("content/levels/engineering-management/engineering-manager.md"),
    )
    .unwrap();
    assert!(em.contains("summary: You are a frontline manager"), "{em}");
}

#[test]
fn a_messy_markdown_ladder_reads_as_its_author_meant() {
    let dir = workdir();
    let run = import_check_build(dir.path(), "markdown", "messy-ladder.md", "site");
    let site = dir.path().join("site");
    for (level, file) in [
        ("junior-engineer", "individual-contributor"),
        ("senior-engineer", "individual-contributor"),
        ("team-lead", "management"),
    ] {
        assert!(
            site.join(format!("content/levels/{file}/{level}.md"))
                .is_file(),
            "{level}: {}",
            run.stderr
        );
    }
    let junior = std::fs::read_to_string(
        site.join("content/levels/individual-contributor/junior-engineer.md"),
    )
    .unwrap();
    assert!(
        junior.contains("title: Junior Engineer\nband: b1\n"),
        "{junior}"
    );
    assert!(junior.contains("  Scope: Their own tasks\n"), "{junior}");
    let lead =
        std::fs::read_to_string(site.join("content/levels/management/team-lead.md")).unwrap();
    assert!(
        lead.contains("band: b2") && lead.contains("  Direct reports: Up to 6"),
        "{lead}"
    );
    let engineer =
        std::fs::read_to_string(site.join("content/levels/individual-contributor/engineer.md"))
            .unwrap();
    assert!(
        engineer.contains("Autonomy: \"**Independent** on well-scoped work\""),
        "{engineer}"
    );
    let text = std::fs::read_to_string(dir.path().join("messy-ladder.md")).unwrap();
    let all: Vec<String> = text
        .lines()
        .filter(|l| {
            l.starts_with("- ") && !l.contains(":**")
                || l.starts_with("1. ")
                || l.starts_with("2. ")
        })
        .map(|l| l.split_once(' ').unwrap().1.to_string())
        .collect();
    assert_eq!(all.len(), 13, "{all:?}");
    let page_text: String = [
        "junior-engineer",
        "engineer",
        "senior-engineer",
        "team-lead",
        "engineering-manager",
    ]
    .iter()
    .map(|l| {
        visible(
            &std::fs::read_to_string(site.join(format!("public/levels/{l}/index.html"))).unwrap(),
        )
    })
    .collect::<Vec<_>>()
    .join(" ");
    for b in &all {
        let plain = b.replace(['*', '`'], "");
        assert!(page_text.contains(&normal(&plain)), "missing: {b}");
    }
    assert!(site.join("content/pages/faq.md").is_file());
}

/// framework.json without what framework.csv cannot carry (README, "What the round trip
/// keeps"): ids of tracks, bands, areas, families and scales become titles; summaries,
/// attributes, kinds, categories, scales' own lists, pages, the site's settings and the
/// Markdown of behaviours go.
fn carried(json: &str) -> serde_json::Value {
    use serde_json::{Value, json};
    let v: Value = serde_json::from_str(json).unwrap();
    let titles = |key: &str| -> BTreeMap<String, String> {
        v[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| {
                (
                    x["id"].as_str().unwrap().to_string(),
                    x["title"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (tracks, bands, areas, families) = (
        titles("tracks"),
        titles("bands"),
        titles("areas"),
        titles("families"),
    );
    let steps: BTreeMap<String, String> = v["scales"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["steps"].as_array().unwrap().iter())
        .map(|x| {
            (
                x["id"].as_str().unwrap().to_string(),
                x["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let name = |map: &BTreeMap<String, String>, id: &Value| -> Value {
        id.as_str().map_or(Value::Null, |id| {
            json!(map.get(id).cloned().unwrap_or_else(|| format!("?{id}")))
        })
    };
    let names = |map: &BTreeMap<String, String>, ids: &Value| -> Value {
        Value::Array(
            ids.as_array()
                .unwrap()
                .iter()
                .map(|i| name(map, i))
                .collect(),
        )
    };
    let behaviour = |b: &Value| -> Value {
        let origin = match &b["origin"] {
            Value::Object(o) if o.contains_key("core") => json!({"core": name(&bands, &o["core"])}),
            other => other.clone(),
        };
        json!({
            "anchor": b["anchor"],
            "change": b["change"],
            "id": b["id"],
            "origin": origin,
            "examples": b["examples"].as_array().unwrap().len(),
        })
    };
    let list = |l: &Value| -> Value {
        Value::Array(l.as_array().unwrap().iter().map(behaviour).collect())
    };
    json!({
        "expectations": v["expectations"],
        "families": v["families"].as_array().unwrap().iter().map(|f| json!({
            "title": f["title"], "tracks": names(&tracks, &f["tracks"]),
        })).collect::<Vec<_>>(),
        "tracks": v["tracks"].as_array().unwrap().iter().map(|t| json!({
            "title": t["title"], "family": name(&families, &t["family"]), "based_on": name(&tracks, &t["based_on"]),
        })).collect::<Vec<_>>(),
        "bands": v["bands"].as_array().unwrap().iter().map(|b| b["title"].clone()).collect::<Vec<_>>(),
        "areas": v["areas"].as_array().unwrap().iter().map(|a| a["title"].clone()).collect::<Vec<_>>(),
        "competencies": v["competencies"].as_array().unwrap().iter().map(|c| json!({
            "id": c["id"], "title": c["title"], "area": name(&areas, &c["area"]),
            "tracks": names(&tracks, &c["tracks"]), "url": c["url"],
        })).collect::<Vec<_>>(),
        "levels": v["levels"].as_array().unwrap().iter().map(|l| json!({
            "id": l["id"], "title": l["title"], "band": name(&bands, &l["band"]),
            "tracks": names(&tracks, &l["tracks"]), "compared_with": l["compared_with"], "url": l["url"],
            "expectations": l["expectations"].as_array().unwrap().iter().map(|e| json!({
                "competency": e["competency"],
                "step": name(&steps, &e["step"]),
                "behaviours": list(&e["behaviours"]),
                "descriptors": list(&e["descriptors"]),
                "held": e["held"],
                "no_longer_listed": e["no_longer_listed"],
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// Builds `root` into a fresh folder: its framework.csv and framework.json.
fn exports(root: &Path) -> (String, String) {
    let files = crate::harness::clean_build(root).expect("the site builds");
    let text = |p: &str| String::from_utf8(files[p].clone()).unwrap();
    (text("framework.csv"), text("framework.json"))
}

/// build → framework.csv → import → build: the same framework.csv, and the same
/// framework.json up to what the CSV cannot carry.
fn round_trip(site: &Site, name: &str) {
    let (csv, json) = exports(&site.root);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("framework.csv"), &csv).unwrap();
    let run = rungs(
        dir.path(),
        &["import", "csv", "framework.csv", "--out", "again"],
    );
    assert_eq!(run.code, 0, "{name}: import failed:\n{}", run.stderr);
    let (csv2, json2) = exports(&dir.path().join("again"));
    assert!(
        csv == csv2,
        "{name}: framework.csv differs after the round trip"
    );
    let (a, b) = (carried(&json), carried(&json2));
    if a != b {
        let a = serde_json::to_string_pretty(&a).unwrap();
        let b = serde_json::to_string_pretty(&b).unwrap();
        let first = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let around = |s: &str| {
            s.lines()
                .skip(first.saturating_sub(5))
                .take(12)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "{name}: framework.json differs in what the CSV carries, near line {first}:\n--- before\n{}\n--- after\n{}",
            around(&a),
            around(&b)
        );
    }
}

#[test]
fn the_sample_survives_the_round_trip_through_framework_csv() {
    round_trip(&Site::sample(), "sample");
}

#[test]
fn the_corpus_survives_the_round_trip_through_framework_csv() {
    let names = corpus_sites();
    assert!(names.len() >= 3, "{names:?}");
    for name in names {
        round_trip(&Site::corpus(&name), &name);
    }
}

/// One invalid input: files written into a fresh folder, the arguments after `import`.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static [u8])],
    args: &'static [&'static str],
    code: i32,
    /// A fragment the message must hold (the place it names).
    expect: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "no_header_row",
        files: &[("people.csv", b"Name,Notes\nAda,first\nGrace,second\n")],
        args: &["csv", "people.csv"],
        code: 1,
        expect: "people.csv:1:1",
    },
    Case {
        name: "column_flag_naming_no_header",
        files: &[("ladder.csv", b"Level,Competency,Behaviour\nL1,Craft,Writes code\n")],
        args: &["csv", "ladder.csv", "--column", "behaviour=Expectation"],
        code: 1,
        expect: "has no column \"Expectation\"",
    },
    Case {
        name: "behaviour_without_a_level",
        files: &[("ladder.csv", b"Level,Competency,Behaviour\n,Craft,Writes code\nL1,Craft,Reviews code\n")],
        args: &["csv", "ladder.csv"],
        code: 1,
        expect: "cell A2",
    },
    Case {
        name: "matrix_text_in_a_column_without_header",
        files: &[("matrix.csv", b"Competency,L1,L2,\nCraft,Writes code,Reviews code,Stray note\n")],
        args: &["csv", "matrix.csv"],
        code: 1,
        expect: "cell D2",
    },
    Case {
        name: "csv_unclosed_quote",
        files: &[(
            "ladder.csv",
            b"Track,Band,Level,Category,Skill,Expectation\nIC,Band 1,Engineer I,Tech,Code,\"Unclosed quote here\nIC,Band 2,Engineer II,Tech,Code,Fine\n",
        )],
        args: &["csv", "ladder.csv"],
        code: 1,
        expect: "ladder.csv:2:32",
    },
    Case {
        name: "csv_control_character",
        files: &[(
            "ladder.csv",
            b"Track,Band,Level,Category,Skill,Expectation\nIC,Band 1,Engineer I,Tech,Code,ctrl \x07 bell\n",
        )],
        args: &["csv", "ladder.csv"],
        code: 1,
        expect: "cell F2: the cell holds the control character U+0007",
    },
    Case {
        name: "csv_not_utf8",
        files: &[("ladder.csv", b"Level,Competency,Behaviour\nL1,Craft,Writes caf\xe9 code\n")],
        args: &["csv", "ladder.csv"],
        code: 1,
        expect: "cell C2",
    },
    Case {
        name: "markdown_not_utf8",
        files: &[("ladder.md", b"## Engineer\n\n### Craft\n\n- Writes caf\xe9 code\n")],
        args: &["markdown", "ladder.md"],
        code: 1,
        expect: "ladder.md:5:13",
    },
    Case {
        name: "markdown_control_character",
        files: &[("ladder.md", b"## Engineer\n\n### Craft\n\n- Writes \x07code\n")],
        args: &["markdown", "ladder.md"],
        code: 1,
        expect: "ladder.md:5:10",
    },
    Case {
        name: "markdown_table_under_a_competency",
        files: &[("ladder.md", b"## Engineer\n\n### Craft\n\n- Writes code\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")],
        args: &["markdown", "ladder.md"],
        code: 1,
        expect: "ladder.md:7:1",
    },
    Case {
        name: "markdown_without_a_ladder",
        files: &[("notes.md", b"# Notes\n\nNothing to see.\n")],
        args: &["markdown", "notes.md"],
        code: 1,
        expect: "no ladder found",
    },
    Case {
        name: "xlsx_that_is_not_a_workbook",
        files: &[("ladder.xlsx", b"Level,Competency,Behaviour\n")],
        args: &["xlsx", "ladder.xlsx"],
        code: 1,
        expect: "ladder.xlsx:1:1",
    },
    Case {
        name: "a_title_over_the_limit",
        files: &[("ladder.csv", b"Level,Competency,Behaviour\nL1,Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft Craft,Writes code\n")],
        args: &["csv", "ladder.csv"],
        code: 1,
        expect: "title is 203 characters long",
    },
    Case {
        name: "an_unknown_flag",
        files: &[("ladder.csv", b"Level,Competency,Behaviour\nL1,Craft,Writes code\n")],
        args: &["csv", "ladder.csv", "--colum", "behaviour=X"],
        code: 2,
        expect: "unexpected argument '--colum'",
    },
    Case {
        name: "an_unknown_column_field",
        files: &[("ladder.csv", b"Level,Competency,Behaviour\nL1,Craft,Writes code\n")],
        args: &["csv", "ladder.csv", "--column", "behavour=X"],
        code: 2,
        expect: "unknown field `behavour`",
    },
    Case {
        name: "a_non_empty_output_folder",
        files: &[
            ("ladder.csv", b"Level,Competency,Behaviour\nL1,Craft,Writes code\n"),
            ("ladder-site/keep.txt", b"mine"),
        ],
        args: &["csv", "ladder.csv"],
        code: 2,
        expect: "ladder-site is not empty",
    },
];

/// A row copied twice is imported once, with a warning at the copy: the site's own
/// check would refuse the same behaviour twice in a cell, blaming a file the user never
/// wrote.
#[test]
fn a_repeated_row_is_imported_once_with_a_warning_at_the_copy() {
    let dir = workdir();
    std::fs::write(
        dir.path().join("ladder.csv"),
        "Track,Band,Level,Category,Skill,Expectation\nIC,Band 1,Engineer I,Tech,Code,Writes code\nIC,Band 1,Engineer I,Tech,Code,Writes  code\nIC,Band 1,Engineer I,Tech,Code,Reviews code\nIC,Band 1,Engineer I,Tech,Code,Writes C++ tests\nIC,Band 1,Engineer I,Tech,Code,Writes C# tests\n",
    )
    .unwrap();
    // C++ and C# make the same anchor: the site warns and numbers the second.
    let run = import_check_build_with(
        dir.path(),
        "csv",
        "ladder.csv",
        "site",
        "0 errors, 1 warning",
    );
    assert!(run.stderr.contains("ladder.csv:3:6"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("repeats the one at ladder.csv (cell F2)"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("repeats the one").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("4 behaviours"),
        "C++ and C# are two: {}",
        run.stderr
    );
}

/// Every invalid input: the exit code, the place named, no panic, nothing written, and
/// the diagnostics as snapshotted.
#[test]
fn invalid_inputs_are_errors_that_name_the_place_and_write_nothing() {
    let mut failures = Vec::new();
    for case in CASES {
        let dir = tempfile::tempdir().unwrap();
        for (rel, bytes) in case.files {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        let before = crate::harness::snapshot(dir.path());
        let mut args = vec!["import"];
        args.extend(case.args);
        let run = rungs(dir.path(), &args);
        let after = crate::harness::snapshot(dir.path());
        let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".rungs-import")
            })
            .collect();
        if run.code != case.code
            || !run.stderr.contains(case.expect)
            || run.stderr.contains("panicked")
            || before != after
            || !leftovers.is_empty()
        {
            failures.push(format!(
                "{}: exit {} (want {}), wrote {:?}\n{}",
                case.name,
                run.code,
                case.code,
                after
                    .keys()
                    .filter(|k| !before.contains_key(*k))
                    .collect::<Vec<_>>(),
                run.stderr
            ));
            continue;
        }
        failures.extend(check_snapshot(&format!("import/{}.txt", case.name), &run.stderr).err());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A 10 MB cell is refused at its cell (the file is generated here rather than
/// committed).
#[test]
fn a_huge_cell_is_refused_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = b"Level,Competency,Behaviour\nL1,Craft,".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 10 << 20));
    csv.push(b'\n');
    std::fs::write(dir.path().join("big.csv"), &csv).unwrap();
    let run = rungs(dir.path(), &["import", "csv", "big.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("big.csv:2:3")
            && run
                .stderr
                .contains("cell C2: the cell holds 10485760 bytes"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("big-site").exists());
}

#[test]
fn a_long_table_without_a_competency_column_is_one_competency() {
    let dir = workdir();
    std::fs::write(
        dir.path().join("ladder.csv"),
        "level,behaviour\nEngineer,Writes code\nEngineer,Reviews code\nSenior,Leads designs\n",
    )
    .unwrap();
    let run = import_check_build(dir.path(), "csv", "ladder.csv", "site");
    assert!(
        run.stdout.contains("has no competency column")
            || run.stderr.contains("has no competency column"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let competency = std::fs::read_to_string(
        dir.path()
            .join("site/content/competencies/expectations/expectations.md"),
    )
    .unwrap();
    for text in ["Writes code", "Reviews code", "Leads designs"] {
        assert!(competency.contains(text), "{competency}");
    }
}
