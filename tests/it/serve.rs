//! `rungs serve`: the incremental rebuild invariant (after any sequence of edits the
//! served output equals a clean build, byte for byte) and the dev server over real sockets.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use notify::event::{CreateKind, EventKind, ModifyKind, RemoveKind};
use rungs::pipeline::{Edits, Overrides, Pipeline, Reload};
use rungs::serve::watch::classify;

use crate::harness::{Rng, clean_build, fixture_dir, snapshot, write};

// ---------------------------------------------------------------------------------------
// Files the random edits write.

fn level(title: &str, band: &str, body: &str) -> String {
    format!("---\ntitle: {title}\nband: {band}\nsummary: The {title} level.\n---\n{body}\n")
}

fn competency(title: &str, tracks: &str, behaviours: &[(&str, &str)]) -> String {
    let mut s =
        format!("---\ntitle: {title}\nsummary: About {title}.\ntracks: [{tracks}]\nbehaviours:\n");
    for (l, b) in behaviours {
        s.push_str(&format!("  {l}:\n    - {b}\n"));
    }
    s.push_str("---\nGuidance for this competency.\n");
    s
}

/// The small two-track site of `tests/fixtures/small`, in a folder of its own.
fn small_site() -> tempfile::TempDir {
    fixture_dir("small")
}

fn assert_same(served: &BTreeMap<String, Vec<u8>>, clean: &BTreeMap<String, Vec<u8>>, step: &str) {
    let a: Vec<&String> = served.keys().collect();
    let b: Vec<&String> = clean.keys().collect();
    assert_eq!(
        a, b,
        "after {step}: the served files differ from a clean build's"
    );
    for (k, v) in clean {
        assert!(
            served[k] == *v,
            "after {step}: {k} differs from a clean build"
        );
    }
}

/// Feeds file events for `paths` through the watcher's classifier, as `serve` does.
fn edits(root: &Path, paths: &[(&str, EventKind)]) -> Edits {
    let events: Vec<notify::Event> = paths
        .iter()
        .map(|(p, k)| notify::Event::new(*k).add_path(root.join(p)))
        .collect();
    classify(root, &events)
}

const MODIFY: EventKind = EventKind::Modify(ModifyKind::Any);
const CREATE: EventKind = EventKind::Create(CreateKind::File);
const REMOVE: EventKind = EventKind::Remove(RemoveKind::File);

/// Applies one random edit to the site and returns its description and the events it made.
fn random_edit(
    r: &Path,
    rng: &mut Rng,
    n: usize,
    broken: &mut Vec<(String, String)>,
) -> (String, Vec<(String, EventKind)>) {
    let words = [
        "quality",
        "scope",
        "**impact**",
        "teams",
        "mentoring",
        "`code`",
        "<b>bold</b>",
        "systems",
    ];
    let levels = [
        "content/levels/expert/e1.md",
        "content/levels/expert/e2.md",
        "content/levels/manager/m2.md",
    ];
    // Fix whatever is broken first, half of the time.
    if !broken.is_empty() && rng.below(2) == 0 {
        let (rel, text) = broken.pop().unwrap();
        write(r, &rel, &text);
        return (format!("fix {rel}"), vec![(rel, MODIFY)]);
    }
    let comps = [
        "content/competencies/craft/coding.md",
        "content/competencies/people/mentoring.md",
        "content/competencies/craft/design.md",
    ];
    let kind = rng.below(19);
    let step = *rng.pick(&["learning", "practising", "leading"]);
    let some_level = *rng.pick(&levels);
    let salt = rng.next() as usize;
    // Rewrites one line of `rel` that `pick` selects (chosen by `salt`), with `f`.
    let edit_line = |rel: &str, pick: &dyn Fn(&str) -> bool, f: &dyn Fn(&str) -> String| {
        let text = std::fs::read_to_string(r.join(rel)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let candidates: Vec<usize> = (0..lines.len()).filter(|&i| pick(lines[i])).collect();
        if candidates.is_empty() {
            return false;
        }
        let i = candidates[salt % candidates.len()];
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        out[i] = f(lines[i]);
        write(r, rel, &(out.join("\n") + "\n"));
        true
    };
    let item = |l: &str| l.starts_with("    - ");
    match kind {
        11 => {
            let rel = comps[n % 3];
            edit_line(rel, &item, &|l| format!("{l} Now {n}."));
            (
                format!("reword a behaviour in {rel}"),
                vec![(rel.into(), MODIFY)],
            )
        }
        12 => {
            let rel = comps[n % 2];
            let pick = |l: &str| l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':');
            edit_line(rel, &pick, &|l| format!("{l}\n    - Added behaviour {n}."));
            (
                format!("add a behaviour to {rel}"),
                vec![(rel.into(), MODIFY)],
            )
        }
        13 => {
            let rel = comps[n % 3];
            let text = std::fs::read_to_string(r.join(rel)).unwrap();
            if text.lines().filter(|l| item(l)).count() > 3 {
                edit_line(rel, &item, &|_| String::from("#"));
            }
            (
                format!("remove a behaviour from {rel}"),
                vec![(rel.into(), MODIFY)],
            )
        }
        14 => {
            let rel = levels[n % 2];
            edit_line(
                rel,
                &|l| l.starts_with("  Scope: ") || l.starts_with("summary:"),
                &|l| {
                    if l.starts_with("summary:") {
                        format!("{l}\nattributes:\n  Scope: Added {n}")
                    } else {
                        format!("  Scope: Scope {n}")
                    }
                },
            );
            (
                format!("change the attributes of {rel}"),
                vec![(rel.into(), MODIFY)],
            )
        }
        15 => {
            let rel = levels[n % 2];
            edit_line(rel, &|l| l.starts_with("  design: "), &|_| {
                format!("  design: {step}")
            });
            (
                format!("change what {rel} expects"),
                vec![(rel.into(), MODIFY)],
            )
        }
        16 => {
            let rel = comps[2];
            edit_line(rel, &|l| l.starts_with("    - Designs"), &|l| {
                format!("{l} With care {n}.")
            });
            (
                format!("reword a descriptor in {rel}"),
                vec![(rel.into(), MODIFY)],
            )
        }
        17 => {
            let rel = comps[n % 3];
            let text = std::fs::read_to_string(r.join(rel)).unwrap();
            write(r, rel, &format!("{text}\nMore guidance {n}.\n"));
            (
                format!("change the guidance of {rel}"),
                vec![(rel.into(), MODIFY)],
            )
        }
        18 => {
            let rel = some_level;
            if salt.is_multiple_of(2) {
                edit_line(rel, &|l| l.starts_with("summary:"), &|_| {
                    format!("summary: Summary {n}.")
                });
                (
                    format!("change the summary of {rel}"),
                    vec![(rel.into(), MODIFY)],
                )
            } else {
                edit_line(rel, &|l| l.starts_with("title:"), &|_| {
                    format!("title: Title {n}")
                });
                (
                    format!("change the title of {rel}"),
                    vec![(rel.into(), MODIFY)],
                )
            }
        }
        _ => random_structural_edit(r, rng, n, &levels, &words, broken),
    }
}

/// Removes one of the files in `dir` that an earlier edit added (`added` tells them by
/// name), if there is one.
fn remove_added(
    r: &Path,
    rng: &mut Rng,
    dir: &str,
    added: fn(&str) -> bool,
    what: &str,
) -> (String, Vec<(String, EventKind)>) {
    let files: Vec<PathBuf> = std::fs::read_dir(r.join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| added(&p.file_name().unwrap().to_string_lossy()))
        .collect();
    if files.is_empty() {
        return (String::from("nothing to remove"), vec![]);
    }
    let p = rng.pick(&files).clone();
    std::fs::remove_file(&p).unwrap();
    let rel = p.strip_prefix(r).unwrap().to_string_lossy().into_owned();
    (format!("remove {what} {rel}"), vec![(rel, REMOVE)])
}

/// The edits that change files, templates and settings rather than a level's data.
fn random_structural_edit(
    r: &Path,
    rng: &mut Rng,
    n: usize,
    levels: &[&str],
    words: &[&str],
    broken: &mut Vec<(String, String)>,
) -> (String, Vec<(String, EventKind)>) {
    match rng.below(11) {
        0 | 1 => {
            let rel = *rng.pick(levels);
            let text = std::fs::read_to_string(r.join(rel)).unwrap();
            write(
                r,
                rel,
                &format!("{text}\nMore about {} ({n}).\n", rng.pick(words)),
            );
            (format!("change text of {rel}"), vec![(rel.into(), MODIFY)])
        }
        2 => {
            let rel = format!("content/levels/expert/x{n}.md");
            let band = rng.pick(&["b1", "b2", "b3"]);
            write(
                r,
                &rel,
                &level(&format!("Extra {n}"), band, "An added level."),
            );
            (format!("add level {rel}"), vec![(rel, CREATE)])
        }
        3 => remove_added(
            r,
            rng,
            "content/levels/expert",
            |name| name.starts_with('x'),
            "level",
        ),
        4 => {
            let rel = format!("content/competencies/craft/c{n}.md");
            write(
                r,
                &rel,
                &competency(
                    &format!("Skill {n}"),
                    "expert",
                    &[("e2", "Does a new thing.")],
                ),
            );
            (format!("add competency {rel}"), vec![(rel, CREATE)])
        }
        5 => remove_added(
            r,
            rng,
            "content/competencies/craft",
            |name| name.starts_with('c') && name != "coding.md",
            "competency",
        ),
        6 => {
            let rel = *rng.pick(&[
                levels[0],
                "content/framework.yaml",
                "content/competencies/craft/coding.md",
            ]);
            let text = std::fs::read_to_string(r.join(rel)).unwrap();
            if !broken.iter().any(|(b, _)| b == rel) {
                broken.push((rel.to_string(), text.clone()));
            }
            let bad = if rel.ends_with(".yaml") {
                format!("{text}\nbands: [unclosed\n")
            } else {
                text.replacen("band: b1", "band: [b1", 1).replacen(
                    "title: Coding",
                    "title: [Coding",
                    1,
                )
            };
            write(r, rel, &bad);
            (format!("break YAML in {rel}"), vec![(rel.into(), MODIFY)])
        }
        7 => {
            let rel = "templates/level.html";
            let t = format!(
                "{{% extends \"theme/level.html\" %}}{{% block content %}}<p class=\"custom\">custom {n}</p>{{{{ super() }}}}{{% endblock content %}}"
            );
            write(r, rel, &t);
            (format!("change template {rel}"), vec![(rel.into(), MODIFY)])
        }
        8 => {
            let rel = "templates/level.html";
            if r.join(rel).exists() {
                std::fs::remove_file(r.join(rel)).unwrap();
            }
            (format!("remove template {rel}"), vec![(rel.into(), REMOVE)])
        }
        9 => {
            let rel = "static/extra.css";
            write(r, rel, &format!("body {{ --rungs-test: {n}; }}\n"));
            (
                format!("change stylesheet {rel}"),
                vec![(rel.into(), MODIFY)],
            )
        }
        _ => {
            let rel = "site.toml";
            write(
                r,
                rel,
                &format!("title = \"Test framework {n}\"\nbase_url = \"/\"\n"),
            );
            (format!("change {rel}"), vec![(rel.into(), MODIFY)])
        }
    }
}

#[test]
fn incremental_rebuilds_after_random_edits_equal_a_clean_build() {
    // `RUNGS_TEST_SEEDS=100` tries seeds 1 to 100 instead (for a longer local run).
    let seeds: Vec<u64> = match std::env::var("RUNGS_TEST_SEEDS") {
        Ok(n) => (1..=n.parse().expect("RUNGS_TEST_SEEDS is a number")).collect(),
        Err(_) => vec![1, 42, 7],
    };
    for seed in seeds {
        let site = small_site();
        let root = site.path();
        let out = tempfile::tempdir().unwrap();
        let served = out.path().join("site");
        let mut pipeline =
            Pipeline::serve(root, &served, Overrides::default()).verify_dependencies();
        let first = pipeline.run(&Edits::everything()).unwrap();
        assert!(first.ok, "{:?}", first.diags);
        assert_same(
            &snapshot(&served),
            &clean_build(root).unwrap(),
            "the first build",
        );
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut broken = Vec::new();
        let mut last_good = snapshot(&served);
        for n in 0..30 {
            let (what, events) = random_edit(root, &mut rng, n, &mut broken);
            let events: Vec<(&str, EventKind)> =
                events.iter().map(|(p, k)| (p.as_str(), *k)).collect();
            let c = edits(root, &events);
            // As serve runs it: pages first, then the exports.
            let outcome = pipeline
                .run_with(&c, Some(&mut |_| {}))
                .unwrap_or_else(|e| panic!("step {n} (seed {seed}): {what}: {e}"));
            let step = format!("step {n} (seed {seed}): {what}");
            match clean_build(root) {
                Some(clean) => {
                    assert!(
                        outcome.ok,
                        "{step}: serve failed where build succeeded: {:?}",
                        outcome.diags
                    );
                    last_good = snapshot(&served);
                    assert_same(&last_good, &clean, &step);
                }
                None => {
                    assert!(!outcome.ok, "{step}: serve succeeded where build failed");
                    assert!(outcome.has_errors());
                    assert_same(
                        &snapshot(&served),
                        &last_good,
                        &format!("{step} (the last good site must stay)"),
                    );
                }
            }
        }
    }
}

/// One random edit of the `families` fixture: its shared core, a based track's changes
/// (some of which name nothing and must fail), what tracks are based on, and families.
fn random_family_edit(r: &Path, rng: &mut Rng, n: usize) -> (String, Vec<(String, EventKind)>) {
    const COMM: &str = "content/competencies/core/communication.md";
    const REL: &str = "content/competencies/craft/reliability.md";
    const FW: &str = "content/framework.yaml";
    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(r.join(rel)).unwrap();
        write(r, rel, &text.replacen(from, to, 1));
    };
    let what = match rng.below(8) {
        0 => {
            edit(
                COMM,
                "Writes clear updates",
                &format!("Writes clear updates ({n})"),
            );
            (COMM, "reword a core behaviour")
        }
        1 => {
            edit(
                COMM,
                "  b2:\n",
                &format!("  b2:\n    - Core behaviour {n}.\n"),
            );
            (COMM, "add a core behaviour")
        }
        2 => {
            edit(REL, "remove: [checklist]", "remove: [tests-alerts]");
            (REL, "remove another inherited behaviour")
        }
        3 => {
            edit(REL, "remove: [tests-alerts]", "remove: [checklist]");
            (REL, "remove the first one again")
        }
        4 => {
            edit(
                REL,
                "      reviews: Leads",
                &format!("      reviews: Still leads ({n})"),
            );
            (REL, "reword a replacement")
        }
        5 => {
            edit(FW, "    based_on: software", "    based_on: data");
            (FW, "base the SRE track on another")
        }
        6 => {
            edit(FW, "    based_on: data", "    based_on: software");
            (FW, "base it on software again")
        }
        _ => {
            edit(FW, "title: Data\n", &format!("title: Data {n}\n"));
            (FW, "rename a family")
        }
    };
    (what.1.to_string(), vec![(what.0.to_string(), MODIFY)])
}

#[test]
fn incremental_rebuilds_with_families_and_a_core_equal_a_clean_build() {
    for seed in [3u64, 11, 29] {
        let dir = fixture_dir("families");
        let root = dir.path();
        let out = tempfile::tempdir().unwrap();
        let served = out.path().join("site");
        let mut pipeline =
            Pipeline::serve(root, &served, Overrides::default()).verify_dependencies();
        assert!(pipeline.run(&Edits::everything()).unwrap().ok);
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut last_good = snapshot(&served);
        for n in 0..20 {
            let (what, events) = random_family_edit(root, &mut rng, n);
            let events: Vec<(&str, EventKind)> =
                events.iter().map(|(p, k)| (p.as_str(), *k)).collect();
            let outcome = pipeline
                .run_with(&edits(root, &events), Some(&mut |_| {}))
                .unwrap();
            let step = format!("step {n} (seed {seed}): {what}");
            match clean_build(root) {
                Some(clean) => {
                    assert!(outcome.ok, "{step}: {:?}", outcome.diags);
                    last_good = snapshot(&served);
                    assert_same(&last_good, &clean, &step);
                }
                None => {
                    assert!(!outcome.ok, "{step}: serve succeeded where build failed");
                    assert_same(&snapshot(&served), &last_good, &step);
                }
            }
        }
    }
}

#[test]
fn a_one_file_edit_re_renders_only_the_pages_it_affects() {
    let site = small_site();
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let mut pipeline = Pipeline::serve(root, &out.path().join("site"), Overrides::default());
    let first = pipeline.run(&Edits::everything()).unwrap();
    let body = std::fs::read_to_string(root.join("content/levels/manager/m3.md")).unwrap();
    write(
        root,
        "content/levels/manager/m3.md",
        &format!("{body}\nA new paragraph.\n"),
    );
    let o = pipeline
        .run(&edits(root, &[("content/levels/manager/m3.md", MODIFY)]))
        .unwrap();
    assert!(o.ok);
    // Only the narrative changed: only the level's own page is rendered again (the
    // search index is rebuilt too).
    assert_eq!(o.rendered, 1, "{} of {}", o.rendered, first.rendered);
    // A change to its summary reaches the pages that list it as well.
    let text = std::fs::read_to_string(root.join("content/levels/manager/m3.md")).unwrap();
    let changed = text.replacen("summary: The ", "summary: Now leading a group, the ", 1);
    assert_ne!(changed, text);
    write(root, "content/levels/manager/m3.md", &changed);
    let o2 = pipeline
        .run(&edits(root, &[("content/levels/manager/m3.md", MODIFY)]))
        .unwrap();
    assert!(o2.ok, "{:?}", o2.diags);
    assert!(
        o2.rendered > 1 && o2.rendered < first.rendered,
        "{} of {}",
        o2.rendered,
        first.rendered
    );
    assert!(
        o.written.contains(&"levels/m3/index.html".to_string()),
        "{:?}",
        o.written
    );
    assert_eq!(o.reload(), Reload::Full);
    // Saving the same bytes again changes nothing at all.
    let o = pipeline
        .run(&edits(root, &[("content/levels/manager/m3.md", MODIFY)]))
        .unwrap();
    assert_eq!((o.rendered, o.written.len()), (0, 0));
    assert_eq!(o.reload(), Reload::None);
    // A stylesheet-only change asks browsers to swap stylesheets, not reload.
    write(root, "static/extra.css", "body { color: red }\n");
    let o = pipeline
        .run(&edits(root, &[("static/extra.css", CREATE)]))
        .unwrap();
    assert_eq!(o.written, vec!["extra.css".to_string()]);
    assert_eq!(o.reload(), Reload::Css);
}

#[test]
fn a_broken_template_is_reported_with_its_line_quoted() {
    let site = small_site();
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let mut pipeline = Pipeline::serve(root, &out.path().join("site"), Overrides::default());
    assert!(pipeline.run(&Edits::everything()).unwrap().ok);
    write(
        root,
        "templates/level.html",
        "{% extends \"theme/level.html\" %}\n{% block content %}{{ nope( }}{% endblock content %}\n",
    );
    let o = pipeline
        .run(&edits(root, &[("templates/level.html", CREATE)]))
        .unwrap();
    assert!(!o.ok);
    let d = o
        .diags
        .iter()
        .find(|d| d.file == "templates/level.html")
        .expect("the template is named");
    assert_eq!(d.line, 2, "{d:?}");
    assert!(
        o.sources
            .get("templates/level.html")
            .is_some_and(|t| t.contains("nope(")),
        "the overlay and terminal can quote the line"
    );
}

// ---------------------------------------------------------------------------------------
// The server, over real sockets.

struct Server {
    child: Child,
    addr: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        Server::start_env(root, extra, &[])
    }

    fn start_env(root: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rungs"))
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", "0"])
            .args(extra)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let log2 = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // Logged before the URL is announced, so a test can read the URL's line.
                log2.lock().unwrap().push_str(&format!("{line}\n"));
                if let Some(i) = line.find("http://") {
                    let url = line[i + 7..].split('/').next().unwrap().to_string();
                    let _ = tx.send(url);
                }
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("rungs serve printed no URL");
        Server { child, addr, log }
    }

    fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "rungs serve did not stop on SIGINT"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw HTTP/1.1 request, so traversal attempts reach the server unnormalised.
fn request(addr: &str, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), buf[split + 4..].to_vec())
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

#[test]
fn serves_pages_with_content_types_and_the_live_reload_client() {
    let site = small_site();
    write(site.path(), "static/extra.css", "body { color: blue }\n");
    let server = Server::start(site.path(), &[]);
    assert!(
        server.addr.starts_with("127.0.0.1:"),
        "binds to loopback by default: {}",
        server.addr
    );

    let (status, head, body) = request(&server.addr, "GET", "/levels/e1/");
    assert_eq!(status, 200);
    assert!(
        header(&head, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let body = String::from_utf8(body).unwrap();
    assert!(
        body.contains("/__rungs/livereload.js"),
        "the client is injected"
    );
    assert_eq!(body.matches("/__rungs/livereload.js").count(), 1);

    for (path, ty) in [
        ("/extra.css", "text/css"),
        ("/framework.json", "application/json"),
        ("/__rungs/livereload.js", "text/javascript"),
    ] {
        let (status, head, _) = request(&server.addr, "GET", path);
        assert_eq!(status, 200, "{path}");
        assert!(
            header(&head, "content-type").unwrap().starts_with(ty),
            "{path}: {head}"
        );
    }
    let (_, _, css) = request(&server.addr, "GET", "/extra.css");
    assert_eq!(
        css, b"body { color: blue }\n",
        "non-HTML files are served as they are"
    );

    // HEAD: headers only, with the length a GET would send.
    let (status, head, body) = request(&server.addr, "HEAD", "/levels/e1/");
    let (_, _, get) = request(&server.addr, "GET", "/levels/e1/");
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert_eq!(
        header(&head, "content-length").unwrap(),
        get.len().to_string()
    );

    // The theme's 404 page, with a 404 status.
    let (status, head, body) = request(&server.addr, "GET", "/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        header(&head, "content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let clean = clean_build(site.path()).unwrap();
    let not_found = String::from_utf8(clean["404.html"].clone()).unwrap();
    let first_line = not_found
        .lines()
        .find(|l| l.contains("<title>"))
        .unwrap_or("<html");
    assert!(String::from_utf8_lossy(&body).contains(first_line.trim()));

    assert!(server.stop().success(), "Ctrl-C exits cleanly");
}

#[test]
fn a_site_with_a_sub_path_base_url_is_served_under_that_path() {
    let site = small_site();
    write(
        site.path(),
        "site.toml",
        "title = \"Test framework\"\nbase_url = \"https://example.com/careers/\"\n",
    );
    let server = Server::start(site.path(), &[]);
    assert!(
        server.log.lock().unwrap().contains("/careers/"),
        "the printed URL includes the base path"
    );
    let (code, head, _) = request(&server.addr, "GET", "/");
    assert_eq!(code, 307, "{head}");
    assert_eq!(header(&head, "location"), Some("/careers/"));
    let (code, head, _) = request(&server.addr, "GET", "/careers");
    assert_eq!((code, header(&head, "location")), (307, Some("/careers/")));
    let (code, _, body) = request(&server.addr, "GET", "/careers/levels/e1/");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&body).contains("Engineer"));
    let (code, head, _) = request(&server.addr, "GET", "/careers/style.css?v=1");
    assert_eq!(code, 200);
    assert!(header(&head, "content-type").is_some_and(|t| t.starts_with("text/css")));
    // Outside the base path there is only the 404 page.
    let (code, _, body) = request(&server.addr, "GET", "/levels/e1/");
    assert_eq!(code, 404);
    assert!(String::from_utf8_lossy(&body).contains("/__rungs/livereload.js"));
    let (code, _, _) = request(&server.addr, "GET", "/careers/../careers/levels/e1/");
    assert!(code == 404 || code == 400, "{code}");
    assert!(server.stop().success());
}

#[test]
fn refuses_path_traversal() {
    let site = small_site();
    write(site.path(), "secret.txt", "TOP-SECRET");
    let server = Server::start(site.path(), &[]);
    for target in [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/levels/..%2f..%2f..%2f..%2f..%2fetc/passwd",
        "/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/C:/Windows/win.ini",
    ] {
        let (status, _, body) = request(&server.addr, "GET", target);
        let text = String::from_utf8_lossy(&body);
        assert_ne!(status, 200, "{target} was served");
        assert!(
            !text.contains("root:") && !text.contains("TOP-SECRET"),
            "{target} leaked: {text}"
        );
    }
    assert!(server.stop().success());
}

#[test]
fn a_busy_port_is_a_clear_error_that_names_the_flag() {
    let site = small_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_rungs"))
        .args(["serve", "--root"])
        .arg(site.path())
        .args(["--port", &port])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&port) && err.contains("--port"), "{err}");
}

#[test]
fn binds_to_the_address_given() {
    let site = small_site();
    let server = Server::start(site.path(), &["--bind", "127.0.0.2"]);
    assert!(server.addr.starts_with("127.0.0.2:"), "{}", server.addr);
    let port = server.addr.rsplit(':').next().unwrap();
    assert!(
        TcpStream::connect(format!("127.0.0.1:{port}")).is_err(),
        "not reachable on another address"
    );
    assert_eq!(request(&server.addr, "GET", "/").0, 200);
    assert!(server.stop().success());
}

/// The server's event stream, read with `timeout` per read.
fn event_stream(addr: &str, timeout: Duration) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(timeout)).unwrap();
    write!(
        s,
        "GET /__rungs/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    BufReader::new(s)
}

/// Reads SSE `data:` lines until one satisfies `want`.
fn wait_for_event(
    reader: &mut BufReader<TcpStream>,
    want: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut line = String::new();
    loop {
        assert!(Instant::now() < deadline, "no matching event");
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            continue;
        }
        if let Some(data) = line.trim_end().strip_prefix("data:") {
            let v: serde_json::Value = serde_json::from_str(data.trim()).unwrap();
            if want(&v) {
                return v;
            }
        }
    }
}

#[test]
fn requests_during_rebuilds_always_get_whole_pages() {
    let site = small_site();
    let root = site.path().to_path_buf();
    let server = Server::start(&root, &[]);
    let addr = server.addr.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Readers hammer pages and the search index while the site is edited underneath them:
    // behaviour edits (a few pages), title edits (many pages) and a new stylesheet.
    let readers: Vec<_> = (0..4)
        .map(|i| {
            let (addr, stop) = (addr.clone(), stop.clone());
            std::thread::spawn(move || {
                let targets = [
                    "/levels/e2/",
                    "/competencies/coding/",
                    "/matrix/expert/",
                    "/search/manifest.js",
                    "/",
                ];
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let target = targets[(n + i) % targets.len()];
                    let (code, head, body) = request(&addr, "GET", target);
                    assert_eq!(code, 200, "{target}: {head}");
                    let text = String::from_utf8_lossy(&body);
                    if target.ends_with('/') {
                        assert!(
                            text.trim_end().ends_with("</html>"),
                            "{target} was cut short"
                        );
                    } else {
                        assert!(text.ends_with(");\n"), "{target} was cut short");
                    }
                    n += 1;
                }
                n
            })
        })
        .collect();
    let coding = "content/competencies/craft/coding.md";
    let original = std::fs::read_to_string(root.join(coding)).unwrap();
    for n in 0..12 {
        match n % 3 {
            0 => write(
                &root,
                coding,
                &original.replace("Writes tests.", &format!("Writes tests {n}.")),
            ),
            1 => write(
                &root,
                "content/levels/expert/e2.md",
                &level(&format!("Senior {n}"), "b2", "Builds more."),
            ),
            _ => write(
                &root,
                "static/extra.css",
                &format!("body {{ --n: {n}; }}\n"),
            ),
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let served: usize = readers
        .into_iter()
        .map(|r| r.join().expect("a reader failed"))
        .sum();
    assert!(served > 20, "only {served} requests were made");
    let log = server.log.lock().unwrap().clone();
    assert!(log.matches("re-rendered").count() > 5, "{log}");
    assert!(server.stop().success());
}

#[test]
fn edits_push_reload_events_and_broken_edits_push_the_diagnostics() {
    let site = small_site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let mut reader = event_stream(&server.addr, Duration::from_millis(500));
    let hello = wait_for_event(&mut reader, |_| true);
    let seq = hello["seq"].as_u64().unwrap();
    assert!(hello["errors"].is_null());

    let rel = "content/levels/expert/e2.md";
    write(
        root,
        rel,
        &level("Senior", "b2", "Now with a brand new paragraph."),
    );
    let ev = wait_for_event(&mut reader, |v| v["seq"] == seq + 1);
    assert_eq!(ev["full"], seq + 1, "a content edit reloads the page");
    let (_, _, page) = request(&server.addr, "GET", "/levels/e2/");
    assert!(
        String::from_utf8_lossy(&page).contains("brand new paragraph"),
        "the output was complete before the event"
    );

    write(root, rel, &level("Senior", "b9", "Broken."));
    let ev = wait_for_event(&mut reader, |v| !v["errors"].is_null());
    let d = &ev["errors"]["list"][0];
    assert_eq!(d["file"], rel);
    assert_eq!(d["line"], 3);
    assert!(d["message"].as_str().unwrap().contains("b9"));
    assert!(
        ev["errors"]["text"]
            .as_str()
            .unwrap()
            .contains(&format!("{rel}:3:"))
    );
    let (_, _, page) = request(&server.addr, "GET", "/levels/e2/");
    assert!(
        String::from_utf8_lossy(&page).contains("brand new paragraph"),
        "the last good site stays"
    );

    write(root, rel, &level("Senior", "b2", "Fixed again."));
    // The reload after the fix takes the overlay away with it, not an event later.
    let ev = wait_for_event(&mut reader, |v| v["seq"] == seq + 2);
    assert!(ev["errors"].is_null(), "the reload kept the overlay: {ev}");
    assert!(server.log.lock().unwrap().contains("re-rendered"));
    assert!(server.stop().success());
}

/// Browsers are told to reload as soon as the pages are written; the data exports are
/// written after, and a request for one waits for it rather than reading the version
/// before the edit. The exports do not reload the page a second time.
#[test]
fn reloads_come_with_the_pages_and_requests_for_exports_wait_for_them() {
    let site = small_site();
    let root = site.path();
    let server = Server::start_env(root, &[], &[("RUNGS_TEST_EXPORTS_DELAY_MS", "1500")]);
    let mut reader = event_stream(&server.addr, Duration::from_millis(100));
    let seq = wait_for_event(&mut reader, |_| true)["seq"]
        .as_u64()
        .unwrap();

    let coding = "content/competencies/craft/coding.md";
    let original = std::fs::read_to_string(root.join(coding)).unwrap();
    write(
        root,
        coding,
        &original.replace("Writes tests.", "Writes tests first."),
    );
    wait_for_event(&mut reader, |v| v["seq"] == seq + 1);
    let finished = |server: &Server| server.log.lock().unwrap().matches("re-rendered").count() > 1;
    assert!(
        !finished(&server),
        "the reload was announced only after the whole rebuild, exports included"
    );
    let (_, _, page) = request(&server.addr, "GET", "/competencies/coding/");
    assert!(String::from_utf8_lossy(&page).contains("Writes tests first."));
    for export in ["/framework.json", "/framework.csv"] {
        let (code, _, body) = request(&server.addr, "GET", export);
        assert_eq!(code, 200);
        assert!(
            String::from_utf8_lossy(&body).contains("Writes tests first."),
            "{export} was served before the exports were written"
        );
    }
    assert!(
        finished(&server),
        "the exports were served before they were written"
    );
    // No second reload for the exports.
    let until = Instant::now() + Duration::from_millis(700);
    let mut line = String::new();
    while Instant::now() < until {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            continue;
        }
        if let Some(data) = line.trim_end().strip_prefix("data:") {
            let v: serde_json::Value = serde_json::from_str(data.trim()).unwrap();
            assert_eq!(v["seq"], seq + 1, "a second reload: {v}");
        }
    }
    assert!(server.stop().success());
}

/// Every redirect stays on the server's own origin: a `Location` that starts with one `/`.
fn assert_same_origin(location: Option<&str>, target: &str) {
    let loc = location.unwrap_or_else(|| panic!("{target}: a redirect without Location"));
    assert!(
        loc.starts_with('/') && !loc.starts_with("//") && !loc.contains('\\'),
        "{target} redirects off the origin: {loc}"
    );
}

#[test]
fn never_redirects_off_its_origin_and_keeps_the_base_path() {
    let site = small_site();
    write(
        site.path(),
        "site.toml",
        "title = \"Test framework\"\nbase_url = \"https://example.com/my eng/\"\n",
    );
    // A static folder named like a host: `//evil.example` must not become a redirect.
    write(
        site.path(),
        "static/evil.example/index.html",
        "<p>static</p>\n",
    );
    let server = Server::start(site.path(), &[]);
    assert!(
        server.log.lock().unwrap().contains("/my%20eng/"),
        "the printed URL is percent-encoded: {}",
        server.log.lock().unwrap()
    );
    for target in [
        "/",
        "//evil.example",
        "//evil.example/",
        "/my%20eng",
        "/my%20eng//evil.example",
        "/my%20eng/evil.example",
        "/my%20eng/levels",
        "/my%20eng/levels/e1",
        "/\\evil.example/",
        "/my%20eng/%2F%2Fevil.example",
        "/my%20eng/levels/e1?x=//evil.example",
    ] {
        let (code, head, _) = request(&server.addr, "GET", target);
        if (300..400).contains(&code) {
            assert_same_origin(header(&head, "location"), target);
            assert!(
                header(&head, "location").unwrap().starts_with("/my%20eng/"),
                "{target}: the base path is kept: {head}"
            );
        } else {
            assert!(code == 200 || code == 404, "{target}: {code}");
        }
    }
    let (code, head, _) = request(&server.addr, "GET", "/my%20eng/levels");
    assert_eq!(
        (code, header(&head, "location")),
        (307, Some("/my%20eng/levels/"))
    );
    let (code, _, body) = request(&server.addr, "GET", "/my%20eng/levels/e1/");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&body).contains("Engineer"));
    let (code, _, _) = request(&server.addr, "GET", "//evil.example/");
    assert_eq!(code, 404);
    assert!(server.stop().success());
}

#[test]
fn a_range_request_for_a_page_gets_the_whole_page_a_get_returns() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /levels/e1/ HTTP/1.1\r\nHost: x\r\nRange: bytes=0-10\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let head =
        String::from_utf8_lossy(&buf[..buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap()])
            .to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("accept-ranges: bytes"), "{head}");
    let (_, _, get) = request(&server.addr, "GET", "/levels/e1/");
    assert!(buf.ends_with(&get), "the same bytes as a GET");
    assert!(server.stop().success());
}

#[test]
fn ctrl_c_exits_within_a_second_with_requests_left_open() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    // Requests that never finish their headers.
    let open: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            write!(s, "GET /levels/e1/ HTTP/1.1\r\nHost: x\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let addr = server.addr.clone();
    let start = Instant::now();
    let status = server.stop();
    let took = start.elapsed();
    assert!(status.success());
    assert!(took < Duration::from_secs(1), "stopped after {took:?}");
    assert!(TcpStream::connect(&addr).is_err(), "the port is free");
    drop(open);
}
