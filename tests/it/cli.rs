//! The binary's contract: exit codes, init, and arguments.

use crate::harness::{BIN, Site};
use std::process::Command;

fn run(args: &[&str]) -> (i32, String) {
    let o = Command::new(BIN).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn exits_2_when_the_root_is_not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = run(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no content/ folder"), "{err}");
}

#[test]
fn check_json_prints_a_document_even_when_it_cannot_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let o = Command::new(BIN)
        .args(["check", "--root", root, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON document");
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["diagnostics"][0]["file"], root);
    let message = doc["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("no content/ folder"), "{message}");
}

#[test]
fn exits_2_on_bad_arguments() {
    assert_eq!(run(&["build", "--nope"]).0, 2);
    assert_eq!(run(&["check", "--format", "xml"]).0, 2);
}

#[test]
fn init_writes_a_starter_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("new-framework");
    let root_s = root.to_str().unwrap();
    assert_eq!(run(&["init", root_s]).0, 0);
    let (code, err) = run(&["check", "--root", root_s]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
    let (code, err) = run(&["build", "--root", root_s]);
    assert_eq!(code, 0, "{err}");
    assert!(
        root.join("public/levels/staff-engineer/index.html")
            .exists()
    );
}

#[test]
fn init_refuses_to_overwrite_a_non_empty_folder() {
    let site = Site::fixture("basic");
    let before = std::fs::read_to_string(site.path("site.toml")).unwrap();
    let (code, err) = run(&["init", site.root.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(
        before,
        std::fs::read_to_string(site.path("site.toml")).unwrap()
    );
}

#[test]
fn build_prints_a_one_line_summary() {
    let site = Site::fixture("basic");
    let r = site.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let last = r.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("Built ") && last.contains(" pages ") && last.contains(" ms"),
        "{last}"
    );
}

#[test]
fn build_refuses_to_write_into_a_folder_it_did_not_make() {
    let site = Site::fixture("basic");
    let out = site.root.join("precious");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "keep me").unwrap();
    let (code, err) = run(&[
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(out.join("notes.txt").exists());
}

#[test]
fn base_url_flag_overrides_site_toml() {
    let site = Site::fixture("basic");
    let r = site.run(&[
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--base-url",
        "https://other.example/x/",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        site.page("sitemap.xml")
            .contains("https://other.example/x/levels/")
    );
}

#[test]
fn refuses_a_hostile_base_url_on_the_command_line() {
    let site = Site::fixture("basic");
    for url in [
        "//evil.example/",
        "/\\evil.example/",
        "https://example.com//evil.example/",
    ] {
        let r = site.run(&[
            "build",
            "--root",
            site.root.to_str().unwrap(),
            "--base-url",
            url,
        ]);
        assert_eq!(r.code, 2, "{url}: {}", r.stderr);
        assert!(r.stderr.contains("--base-url"), "{}", r.stderr);
        assert!(!site.out().exists(), "{url}: nothing is written");
    }
}

#[test]
fn refuses_to_build_into_the_sources_or_the_site_itself() {
    let site = Site::fixture("basic");
    let root = site.root.to_str().unwrap();
    for out in [
        ".",
        "content",
        "content/out",
        "static/out",
        "templates",
        "themes/x",
        "..",
    ] {
        let target = site.root.join(out);
        let r = site.run(&["build", "--root", root, "--out", target.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{out}: {}", r.stderr);
        assert!(r.stderr.contains("refusing to build into"), "{}", r.stderr);
    }
    assert!(!site.path("content/out").exists());
    assert!(!site.path("static").exists());
}

#[test]
fn a_failed_build_leaves_no_staging_folder_and_no_new_output() {
    let site = Site::fixture("basic");
    site.write("static/404.html", "mine\n");
    let out = site.root.parent().unwrap().join("fresh-out");
    let r = site.run(&[
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let left: Vec<String> = std::fs::read_dir(site.root.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["site"], "nothing beside the site");
}
