//! What changes between levels: the level page, the compare page and `framework.json`
//! tell the same story about every adjacent pair, on a fixture, a real framework and the
//! sample.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::Site;

/// Every `attr="…"` value after each occurrence of `start` in `html`, up to `end`.
fn each<'h>(html: &'h str, start: &str, end: &str) -> Vec<&'h str> {
    html.match_indices(start)
        .map(|(i, _)| {
            let rest = &html[i + start.len()..];
            &rest[..rest.find(end).unwrap_or(rest.len())]
        })
        .collect()
}

/// The anchor of each `href="…/levels/<level>/#anchor"` in `html`.
fn anchors_to(html: &str, level: &str) -> Vec<String> {
    each(html, &format!("levels/{level}/#"), "\"")
        .into_iter()
        .map(String::from)
        .collect()
}

/// What one story says about level `b` compared with `a`: each behaviour's kind by
/// anchor, and the anchors of `a` no longer listed.
#[derive(Debug, PartialEq, Default)]
struct Story {
    kinds: BTreeMap<String, String>,
    dropped: Vec<String>,
}

fn from_json(json: &serde_json::Value, b: &str) -> (String, Story) {
    let level = json["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == b)
        .unwrap();
    let mut story = Story::default();
    for e in level["expectations"].as_array().unwrap() {
        for x in e["behaviours"]
            .as_array()
            .unwrap()
            .iter()
            .chain(e["descriptors"].as_array().unwrap())
        {
            let kind = x["change"]["kind"].as_str().unwrap_or("none");
            story
                .kinds
                .insert(x["anchor"].as_str().unwrap().into(), kind.into());
        }
        for d in e["no_longer_listed"].as_array().unwrap() {
            story.dropped.push(d.as_str().unwrap().into());
        }
    }
    story.dropped.sort();
    (level["compared_with"].as_str().unwrap_or("").into(), story)
}

fn from_level_page(html: &str, a: &str) -> Story {
    let expectations = &html[html.find(r#"id="expectations-heading""#).unwrap()..];
    let mut story = Story::default();
    for li in each(expectations, "<li id=\"", ">") {
        let anchor = &li[..li.find('"').unwrap()];
        let kind = each(li, "class=\"behaviour change-", " ")
            .first()
            .map(|k| k.trim_end_matches('"').to_string())
            .unwrap();
        story.kinds.insert(anchor.into(), kind);
    }
    for list in each(expectations, r#"<div class="dropped-list"#, "</div>") {
        story.dropped.extend(anchors_to(list, a));
    }
    story.dropped.sort();
    story
}

fn from_compare_page(html: &str, a: &str, b: &str) -> Story {
    let mut story = Story::default();
    // A competency on only one of the two tracks has no story of change to tell.
    let on_both: String = html
        .split("<table class=\"compare-table")
        .filter(|t| !t.starts_with(" off-track"))
        .collect();
    for row in each(&on_both, "<tr class=\"row-", "</tr>") {
        let kind = &row[..row.find('"').unwrap()];
        if kind.starts_with("step") {
            continue;
        }
        let cells: Vec<&str> = row.split("<td class=").collect();
        let (left, right) = (cells[1], cells[2]);
        if kind == "dropped" {
            story.dropped.extend(anchors_to(left, a));
        }
        for anchor in anchors_to(right, b) {
            story.kinds.insert(anchor, kind.into());
        }
    }
    story.dropped.sort();
    story
}

/// Checks every pre-rendered comparison of a level with the level it is compared with on
/// its page; returns how many pairs and behaviours were compared.
fn agree(out: &Path) -> (usize, usize) {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("framework.json")).unwrap())
            .unwrap();
    let (mut pairs, mut behaviours) = (0, 0);
    for level in json["levels"].as_array().unwrap() {
        let b = level["id"].as_str().unwrap();
        let (a, in_json) = from_json(&json, b);
        let compare = out.join(format!("compare/{a}/{b}/index.html"));
        if a.is_empty() || !compare.exists() {
            continue;
        }
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        let on_level = from_level_page(&read(&out.join(format!("levels/{b}/index.html"))), &a);
        let on_compare = from_compare_page(&read(&compare), &a, b);
        // The compare page has no row for a behaviour that is the same at both levels
        // under a kept row: it shows it, as `kept`.
        assert_eq!(
            on_level, in_json,
            "{a} -> {b}: the level page and framework.json differ"
        );
        assert_eq!(
            on_compare, in_json,
            "{a} -> {b}: the compare page and framework.json differ"
        );
        pairs += 1;
        behaviours += in_json.kinds.len();
    }
    (pairs, behaviours)
}

#[test]
fn level_compare_and_json_agree_on_every_adjacent_pair_of_a_fixture() {
    let site = Site::fixture("basic");
    site.built();
    let (pairs, behaviours) = agree(&site.out());
    assert!(
        pairs >= 3 && behaviours >= 10,
        "{pairs} pairs, {behaviours} behaviours"
    );
}

#[test]
fn level_compare_and_json_agree_on_every_adjacent_pair_of_a_real_framework() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/dropbox");
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(crate::harness::BIN)
        .args([
            "build",
            "--root",
            corpus.to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (pairs, behaviours) = agree(out.path());
    assert!(
        pairs >= 35 && behaviours > 2000,
        "{pairs} pairs, {behaviours} behaviours"
    );
}

#[test]
fn level_compare_and_json_agree_on_every_adjacent_pair_of_the_cumulative_sample() {
    let site = Site::sample();
    site.built();
    let (pairs, behaviours) = agree(&site.out());
    assert!(
        pairs >= 10 && behaviours > 200,
        "{pairs} pairs, {behaviours} behaviours"
    );
}
