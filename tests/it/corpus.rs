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
