//! The real frameworks in `tests/corpus/` (written outside the project) and the sample:
//! they check clean and build, and every page they build is sound.

use std::collections::BTreeMap;

use crate::harness::{Site, corpus_sites};

/// Every id attribute of a page that appears more than once.
fn duplicate_ids(html: &str) -> Vec<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for part in html.split(" id=\"").skip(1) {
        if let Some(end) = part.find('"') {
            *seen.entry(&part[..end]).or_default() += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(id, n)| format!("{id} ({n}x)"))
        .collect()
}

fn sites() -> Vec<(String, Site)> {
    let mut v: Vec<(String, Site)> = corpus_sites()
        .into_iter()
        .map(|n| (n.clone(), Site::corpus(&n)))
        .collect();
    v.push(("sample".into(), Site::sample()));
    v
}

#[test]
fn every_real_framework_checks_without_errors_and_builds() {
    assert!(corpus_sites().len() >= 2, "the corpus is in tests/corpus");
    for (name, site) in sites() {
        let check = site.check("human");
        assert_eq!(check.code, 0, "{name}: {}", check.stderr);
        site.built();
    }
}

#[test]
fn every_id_is_unique_on_every_page() {
    assert_eq!(
        duplicate_ids(r#"<p id="a"><li id="b"><li id="a">"#),
        ["a (2x)"]
    );
    let mut failures = Vec::new();
    for (name, site) in sites() {
        site.built();
        for (path, html) in site.html_pages() {
            let dups = duplicate_ids(&html);
            if !dups.is_empty() {
                failures.push(format!("{name}/{path}: {}", dups.join(", ")));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every level's behaviours, as (level, competency) -> sorted texts, read from a built
/// site's framework.json.
fn behaviours_by_level(site: &Site) -> std::collections::BTreeMap<(String, String), Vec<String>> {
    let json: serde_json::Value = serde_json::from_str(&site.page("framework.json")).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for l in json["levels"].as_array().unwrap() {
        for e in l["expectations"].as_array().unwrap() {
            let mut texts: Vec<String> = e["behaviours"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["text"].as_str().unwrap().to_string())
                .collect();
            texts.sort();
            if !texts.is_empty() {
                out.insert(
                    (
                        l["id"].as_str().unwrap().to_string(),
                        e["competency"].as_str().unwrap().to_string(),
                    ),
                    texts,
                );
            }
        }
    }
    out
}

/// `dropbox-families` is the Dropbox framework re-expressed with a shared core (by
/// `families_dropbox.py`): every level must still show exactly the behaviours the flat
/// conversion lists, the ones it inherits from the core saying so.
#[test]
fn a_real_framework_written_with_a_core_shows_every_level_the_same_behaviours() {
    let flat = Site::corpus("dropbox");
    flat.built();
    let families = Site::corpus("dropbox-families");
    families.built();
    assert_eq!(behaviours_by_level(&families), behaviours_by_level(&flat));
    let json: serde_json::Value = serde_json::from_str(&families.page("framework.json")).unwrap();
    let inherited = json["levels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["expectations"].as_array().unwrap())
        .flat_map(|e| e["behaviours"].as_array().unwrap())
        .filter(|b| b["origin"]["core"].is_string())
        .count();
    assert!(
        inherited > 1000,
        "{inherited} behaviours inherited from the core"
    );
    let page = families.page("levels/ic3-software-engineer/index.html");
    assert!(
        page.contains("From the shared core (L3)"),
        "provenance shown"
    );
}

/// Every `href` and `src` value of a page (attributes in double quotes).
fn links(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for part in html.split(attr).skip(1) {
            if let Some(end) = part.find('"') {
                out.push(&part[..end]);
            }
        }
    }
    out
}

/// Every internal link of every page of the sample and each corpus site resolves: to a
/// built file (a folder's `index.html`), and a `#fragment` to an id on that page. Plan
/// links to comparisons that were never rendered were the commonest broken link.
#[test]
fn every_internal_link_resolves() {
    for (name, site) in sites() {
        site.built();
        let pages: BTreeMap<String, String> = site.html_pages().into_iter().collect();
        let out = site.out();
        let mut broken = Vec::new();
        for (path, html) in &pages {
            let dir = std::path::Path::new(path)
                .parent()
                .unwrap_or(std::path::Path::new(""));
            for link in links(html) {
                let link = link.replace("&amp;", "&");
                if link.is_empty()
                    || link.contains("://")
                    || link.starts_with("mailto:")
                    || link.starts_with("tel:")
                    || link.starts_with("data:")
                {
                    continue;
                }
                let (target, fragment) = link.split_once('#').unwrap_or((&link, ""));
                let target = target.split('?').next().unwrap_or_default();
                // Resolve against the page's folder, or the site root for `/…` links.
                let mut parts: Vec<String> = if target.starts_with('/') {
                    Vec::new()
                } else {
                    dir.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect()
                };
                for seg in target.split('/') {
                    match seg {
                        "" | "." => {}
                        ".." => {
                            parts.pop();
                        }
                        s => parts.push(s.to_string()),
                    }
                }
                let mut file = parts.join("/");
                if target.is_empty() {
                    file = path.clone();
                } else if target.ends_with('/') || out.join(&file).is_dir() {
                    file = if file.is_empty() {
                        "index.html".into()
                    } else {
                        format!("{file}/index.html")
                    };
                }
                if !out.join(&file).is_file() {
                    broken.push(format!("{path}: {link}"));
                    continue;
                }
                // The picker's route, `compare/#a/b`: two levels the site has.
                if file == "compare/index.html" && fragment.contains('/') {
                    let known = |id: &str| out.join("levels").join(id).join("index.html").is_file();
                    let ok = fragment
                        .split_once('/')
                        .is_some_and(|(a, b)| known(a) && known(b));
                    if !ok {
                        broken.push(format!("{path}: {link} (no such levels)"));
                    }
                    continue;
                }
                if !fragment.is_empty() && file.ends_with(".html") {
                    let fragment = fragment.replace("%20", " ");
                    let has = |html: &str| html.contains(&format!("id=\"{fragment}\""));
                    // Level pages follow stale behaviour anchors by script; none should
                    // be needed on a fresh build.
                    if !pages.get(&file).is_some_and(|h| has(h)) {
                        broken.push(format!("{path}: {link} (no such id)"));
                    }
                }
            }
        }
        broken.sort();
        broken.dedup();
        assert!(
            broken.is_empty(),
            "{name}: {} broken links, e.g.\n{}",
            broken.len(),
            broken
                .iter()
                .take(15)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn balance_charts_appear_only_where_the_balance_changes() {
    // Engineering Ladders: one kind of work, the same at every level: no chart, no bars,
    // no line, on the track page or any level page.
    let site = Site::corpus("engineeringladders");
    site.built();
    let track = site.page("tracks/developer/index.html");
    assert!(!track.contains("rc-balance") && !track.contains("How the balance shifts"));
    assert!(!track.contains("class=\"balance-bar\""));
    assert!(!track.contains("same way"));
    assert!(!site.page("levels/d3/index.html").contains("level-balance"));
    // The sample's tracks shift from technical to leadership: chart, bars and level bars.
    let site = Site::sample();
    site.built();
    let track = site.page("tracks/expert/index.html");
    assert!(track.contains("rc-balance") && track.contains("class=\"balance-bar\""));
    assert!(
        site.page("levels/staff-engineer/index.html")
            .contains("level-balance")
    );
}
