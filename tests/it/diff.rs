//! `rungs diff`: what a pull request changes for readers, between git revisions of a
//! site's repository or two site folders, under the site's bump rule.

use std::path::Path;
use std::process::Command;

use crate::harness::{Site, check_snapshot};

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const CODE_QUALITY: &str = "content/competencies/craft/code-quality.md";

/// The sample in a repository with a second commit that changes it the way a real pull
/// request does: a new expectation, a rewording, a removal, a retitled level and a level
/// whose file (and so id) was renamed.
fn repository() -> Site {
    let site = Site::sample();
    git(&site.root, &["init", "-q"]);
    git(&site.root, &["add", "-A"]);
    git(&site.root, &["commit", "-qm", "base"]);
    site.edit(
        CODE_QUALITY,
        "so reviews can focus on design rather than style.\n",
        "so reviews can focus on design rather than style.\n    - Tracks the team's flaky tests and fixes the worst offenders every sprint.\n",
    );
    site.edit(
        CODE_QUALITY,
        "Identifies quality problems that recur across several teams, such as inconsistent error handling or unsafe concurrency patterns, and drives a shared fix.",
        "Spots quality problems that recur across several teams, such as inconsistent error handling or unsafe concurrency patterns, and leads a shared fix.",
    );
    site.edit(
        CODE_QUALITY,
        "    - Recognises when accumulated complexity is limiting the business and makes the case for investment in terms leadership can weigh against features.\n",
        "",
    );
    site.edit(
        "content/levels/expert/staff-engineer.md",
        "title: Staff Engineer",
        "title: Staff Engineer I",
    );
    site
}

#[test]
fn a_pull_request_reads_as_what_it_changes_for_readers() {
    let site = repository();
    git(&site.root, &["commit", "-qam", "change"]);
    let root = site.root.to_str().unwrap();
    let r = site.run(&[
        "diff", "HEAD~1", "HEAD", "--root", root, "--format", "markdown",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The revisions' short hashes differ run to run.
    let stable: String = r
        .stdout
        .lines()
        .map(|l| {
            if l.starts_with("<sub>") {
                "<sub>(revisions) by `rungs diff`.</sub>"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(stable.contains("Adds 1 expectation to Senior Engineer, rewords 1 at Staff Engineer I, removes 1 from Principal Engineer and renames the level Staff Engineer to Staff Engineer I."), "{stable}");
    assert!(stable.contains("~~Identifies~~ **Spots**"), "{stable}");
    assert!(stable.contains("**Version bump: major**"), "{stable}");
    if let Err(e) = check_snapshot("diff/pull_request.md", &stable) {
        panic!("{e}");
    }
    // The same as text and as JSON.
    let r = site.run(&["diff", "HEAD~1", "HEAD", "--root", root]);
    assert!(
        r.stdout.contains("[-Identifies-] {+Spots+}"),
        "{}",
        r.stdout
    );
    let r = site.run(&["diff", "HEAD~1", "HEAD", "--root", root, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["bump"], "major");
    let kinds: Vec<&str> = json["levels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["cells"].as_array().unwrap())
        .flat_map(|c| c["behaviours"].as_array().unwrap())
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["added", "reworded", "removed"]);
}

#[test]
fn the_working_tree_is_compared_with_head_by_default_and_a_level_file_rename_is_a_move() {
    let site = repository();
    // Rename a level's file: its id and pages move, its behaviours go with it.
    std::fs::rename(
        site.path("content/levels/expert/principal-engineer.md"),
        site.path("content/levels/expert/lead-engineer.md"),
    )
    .unwrap();
    for entry in walkdir::WalkDir::new(site.path("content/competencies")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(
                entry.path(),
                text.replace("principal-engineer:", "lead-engineer:"),
            )
            .unwrap();
        }
    }
    assert_eq!(
        site.check("human").code,
        0,
        "{}",
        site.check("human").stderr
    );
    let root = site.root.to_str().unwrap();
    let r = site.run(&["diff", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("HEAD ("), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("moves the level Principal Engineer to the id lead-engineer"),
        "{}",
        r.stdout
    );
    // Matched by place, so only the removed behaviour shows at that level, not all of them.
    assert_eq!(
        r.stdout.matches("\n    - removed").count(),
        1,
        "{}",
        r.stdout
    );
}

#[test]
fn a_behaviour_moved_down_a_level_is_a_new_expectation_there() {
    let old = Site::sample();
    let new = Site::sample();
    new.edit(
        CODE_QUALITY,
        "    - Identifies quality problems that recur across several teams, such as inconsistent error handling or unsafe concurrency patterns, and drives a shared fix.\n",
        "",
    );
    new.edit(
        CODE_QUALITY,
        "so reviews can focus on design rather than style.\n",
        "so reviews can focus on design rather than style.\n    - Identifies quality problems that recur across several teams, such as inconsistent error handling or unsafe concurrency patterns, and drives a shared fix.\n",
    );
    let (a, b) = (old.root.to_str().unwrap(), new.root.to_str().unwrap());
    let r = new.run(&["diff", a, b, "--root", b, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let moved: Vec<(String, String)> = json["levels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| {
            l["cells"].as_array().unwrap().iter().flat_map(move |c| {
                c["behaviours"].as_array().unwrap().iter().map(move |b| {
                    (
                        l["id"].as_str().unwrap().to_string(),
                        b["kind"].as_str().unwrap().to_string(),
                    )
                })
            })
        })
        .collect();
    assert_eq!(
        moved,
        [
            ("senior-engineer".to_string(), "moved-in".to_string()),
            ("staff-engineer".to_string(), "moved-out".to_string())
        ]
    );
    assert_eq!(
        json["bump"], "major",
        "a new expectation at Senior Engineer"
    );
}

#[test]
fn the_site_sets_the_bump_rule_and_the_version_is_suggested() {
    let old = Site::sample();
    let new = Site::sample();
    for site in [&old, &new] {
        site.edit(
            "content/framework.yaml",
            "tracks:",
            "version: 1.4.0\ntracks:",
        );
    }
    new.edit(
        CODE_QUALITY,
        "so reviews can focus on design rather than style.\n",
        "so reviews can focus on design rather than style.\n    - Tracks the team's flaky tests.\n",
    );
    let (a, b) = (old.root.to_str().unwrap(), new.root.to_str().unwrap());
    let r = new.run(&["diff", a, b, "--root", b]);
    assert!(
        r.stdout.contains("Version bump: major (1.4.0 → 2.0.0)"),
        "{}",
        r.stdout
    );
    let toml = std::fs::read_to_string(new.path("site.toml")).unwrap();
    new.write(
        "site.toml",
        format!("{toml}\n[versioning]\nbehaviour_added = \"minor\"\n"),
    );
    let r = new.run(&["diff", a, b, "--root", b]);
    assert!(
        r.stdout.contains("Version bump: minor (1.4.0 → 1.5.0)"),
        "{}",
        r.stdout
    );
    // A value that is not a bump is an error of site.toml, at its place.
    new.write(
        "site.toml",
        format!("{toml}\n[versioning]\nbehaviour_added = \"huge\"\n"),
    );
    let r = new.check("human");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("`behaviour_added` is `huge`") && r.stderr.contains("major"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_side_that_cannot_be_read_is_named() {
    let site = Site::sample();
    let root = site.root.to_str().unwrap();
    // Not a folder, and the site is in no repository: exit 2, saying what it expected.
    let r = site.run(&["diff", "no-such-rev", root, "--root", root]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`no-such-rev` is neither a folder nor a revision"),
        "{}",
        r.stderr
    );
    // A revision from before the site was added names the revision, not a temp folder.
    let later = Site::sample();
    let lroot = later.root.to_str().unwrap();
    git(&later.root, &["init", "-q"]);
    git(
        &later.root,
        &["commit", "-q", "--allow-empty", "-m", "empty"],
    );
    git(&later.root, &["tag", "v0"]);
    let r = later.run(&["diff", "v0", "--root", lroot]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`v0` has no site at the repository's top"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("rungs-diff-"), "{}", r.stderr);
    // A side with framework errors: its diagnostics, exit 1.
    let broken = Site::sample();
    broken.write("content/framework.yaml", "tracks: [\n");
    let r = site.run(&["diff", broken.root.to_str().unwrap(), root, "--root", root]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/framework.yaml:") && r.stderr.contains("has errors"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_site_shows_what_changed_since_a_tagged_version() {
    let site = repository();
    // `repository()` changed the working tree; the tag is the commit before.
    git(&site.root, &["tag", "v1.0.0"]);
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        format!("{toml}\n[changes]\nsince = [\"v1.0.0\"]\n"),
    );
    site.edit(
        "content/framework.yaml",
        "tracks:",
        "version: 1.1.0\ntracks:",
    );
    site.built();
    let changes = site.page("changes/index.html");
    assert!(changes.contains("Since v1.0.0"), "{changes}");
    assert!(changes.contains("Adds 1 expectation to Senior Engineer, rewords 1 at Staff Engineer I, removes 1 from Principal Engineer and renames the level Staff Engineer to Staff Engineer I."), "{changes}");
    assert!(changes.contains("[removed: </span>Identifies"), "{changes}");
    // The level page says what changed on it, and every page links the changes page.
    let staff = site.page("levels/staff-engineer/index.html");
    assert!(
        staff.contains("Changed since v1.0.0") && staff.contains("[added: </span>Spots"),
        "{staff}"
    );
    assert!(
        !site
            .page("levels/engineer/index.html")
            .contains("Changed since")
    );
    assert!(
        staff.contains("version 1.1.0.")
            && staff.contains("href=\"../../changes/\">What changed</a>")
    );
    // A revision git does not know is an error at its place in site.toml.
    site.write(
        "site.toml",
        format!("{toml}\n[changes]\nsince = [\"v1.0.0\", \"v9\"]\n"),
    );
    let r = site.check("human");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = toml.lines().count() + 3;
    assert!(
        r.stderr.contains(&format!("site.toml:{line}:20"))
            && r.stderr.contains("`v9` is not a revision"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_site_in_a_sub_folder_of_its_repository_is_diffed_and_annotated_from_the_top() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let site = Site::sample();
    let sub = repo.join("sites/eng");
    std::fs::create_dir_all(sub.parent().unwrap()).unwrap();
    std::fs::rename(&site.root, &sub).unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "base"]);
    let cq = sub.join(CODE_QUALITY);
    let text = std::fs::read_to_string(&cq).unwrap();
    std::fs::write(
        &cq,
        text.replacen("drives a shared fix", "leads a shared fix", 1),
    )
    .unwrap();
    let root = sub.to_str().unwrap();
    let r = site.run(&["diff", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("[-drives-] {+leads+}"), "{}", r.stdout);
    // check --format github names files from the repository's top.
    std::fs::write(
        sub.join("content/levels/expert/staff-engineer.md"),
        "---\ntitle: Staff\nband: b9\n---\n",
    )
    .unwrap();
    let r = site.run(&["check", "--root", root, "--format", "github"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("::error file=sites/eng/content/levels/expert/staff-engineer.md,line=3"),
        "{}",
        r.stdout
    );
}
