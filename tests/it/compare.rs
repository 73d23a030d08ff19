//! Compare pages, self-assessment pages, charts and the CSV export, built
//! from small fixture sites through the library API.

use std::fs;

use crate::harness::{Site, fixtures};

/// A copy of fixture `name` with `edits` written over it, built.
fn built(name: &str, edits: &[(&str, &str)]) -> Site {
    let site = Site::fixture(name);
    for (rel, text) in edits {
        site.write(rel, text);
    }
    site.built();
    site
}

fn fixture(name: &str) -> Site {
    built(name, &[])
}

/// `a/b` for every `compare/<a>/<b>/index.html` in the output.
fn compare_pages(site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    for a in fs::read_dir(site.out().join("compare")).unwrap() {
        let a = a.unwrap();
        if !a.file_type().unwrap().is_dir() {
            continue;
        }
        for b in fs::read_dir(a.path()).unwrap() {
            let b = b.unwrap();
            if b.path().join("index.html").is_file() {
                out.push(format!(
                    "{}/{}",
                    a.file_name().to_string_lossy(),
                    b.file_name().to_string_lossy()
                ));
            }
        }
    }
    out.sort();
    out
}

/// The text between `start` (included) and the first `end` after it (included).
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let i = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let j = text[i..]
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found after `{start}`"))
        + i
        + end.len();
    &text[i..j]
}

#[test]
fn compare_pages_exist_for_exactly_the_adjacent_and_equivalent_pairs() {
    let site = fixture("tiny");
    assert_eq!(
        compare_pages(&site),
        ["engineer/lead", "engineer/senior", "senior/lead"]
    );
    assert!(
        site.page("compare/index.html")
            .contains(r#"data-pairs="engineer/senior engineer/lead senior/lead""#)
    );
}

#[test]
fn compare_pages_of_the_basic_fixture_follow_both_tracks_and_the_shared_band() {
    let site = fixture("basic");
    assert_eq!(
        compare_pages(&site),
        [
            "engineer/engineering-manager",
            "engineer/staff-engineer",
            "staff-engineer/engineering-manager",
            "staff-engineer/principal-engineer",
        ]
    );
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains("compare/staff-engineer/engineering-manager/"));
    assert!(sitemap.contains("assess/principal-engineer/"));
}

#[test]
fn a_compare_page_highlights_the_changed_words_and_flags_new_and_dropped_behaviours() {
    let site = fixture("tiny");
    let html = site.page("compare/engineer/senior/index.html");
    assert!(html.contains(r#"<p class="lead compare-summary">Moving from Engineer to Senior: Senior lists 2 new expectations, rewords 1 and no longer lists 1. The areas that change most are Craft (1 new, 1 reworded, 1 no longer listed) and People (1 new).</p>"#), "{html}");
    let reworded = between(&html, r#"<tr class="row-reworded">"#, "</tr>");
    assert_eq!(
        reworded.split_whitespace().collect::<Vec<_>>().join(" "),
        r#"<tr class="row-reworded"> <td class="cell-reworded"><a class="plain-link" href="../../../levels/engineer/#influence-influences-their-team-through-code-review">Influences their <del><span class="visually-hidden">[removed: </span>team<span class="visually-hidden">]</span></del> through code review.</a></td> <td class="cell-reworded"><span class="tag tag-changed">Reworded</span> <a class="plain-link" href="../../../levels/senior/#influence-influences-their-department-through-code-review">Influences their <ins><span class="visually-hidden">[added: </span>department<span class="visually-hidden">]</span></ins> through code review.</a></td> </tr>"#
    );
    // What is only on one side gets a row of its own, never beside an unrelated one.
    let dropped = between(&html, r#"<tr class="row-dropped">"#, "</tr>");
    assert!(dropped.contains("No longer listed</span> <a class=\"plain-link\" href=\"../../../levels/engineer/#influence-writes-tests-for-their-changes\">Writes tests for their changes.</a>"), "{dropped}");
    assert!(dropped.contains(r#"<td class="cell-none">"#), "{dropped}");
    let added = between(&html, r#"<tr class="row-new">"#, "</tr>");
    assert!(
        added.contains(r#"<td class="cell-new"><span class="tag tag-added">New</span>"#),
        "{added}"
    );
    assert!(html.contains("Designs systems that other teams build on."));
}

#[test]
fn equivalent_levels_are_compared_as_peers_not_as_a_step_up() {
    let site = fixture("tiny");
    let html = site.page("compare/senior/lead/index.html");
    assert!(
        html.contains("Senior and Team lead sit in the same band on different tracks"),
        "{html}"
    );
    assert!(html.contains(r#"<span class="tag tag-added">Only at Team lead</span>"#));
    assert!(!html.contains(">No longer listed<"));
}

#[test]
fn level_pages_link_to_their_comparisons_and_self_assessment() {
    let site = fixture("tiny");
    let html = site.page("levels/senior/index.html");
    assert!(html.contains(r#"href="../../assess/senior/""#));
    assert!(
        html.contains(
            r#"href="../../compare/senior/lead/">Compare with Team lead (Manager track)</a>"#
        ),
        "{html}"
    );
    let html = site.page("levels/engineer/index.html");
    assert!(html.contains(
        r#"href="../../compare/engineer/senior/">Compare with the next level, Senior</a>"#
    ));
    assert!(html.contains(
        r#"href="../../compare/engineer/lead/">Compare with the next level, Team lead</a>"#
    ));
}

/// The comparisons of neighbouring levels are listed by track when there are several
/// (Dropbox's 40 were one column).
#[test]
fn the_compare_index_lists_next_levels_by_track() {
    let site = Site::sample();
    site.built();
    let html = site.page("compare/index.html");
    let expert = html
        .find(r#"<h3 class="compare-track-heading">Expert track</h3>"#)
        .expect("expert");
    let manager = html
        .find(r#"<h3 class="compare-track-heading">Manager track</h3>"#)
        .expect("manager");
    // A step on the expert ladder only is under it, and not under the manager's.
    let step = html
        .find("Staff Engineer → Senior Staff Engineer")
        .expect("step");
    assert!(expert < step && step < manager, "{html}");
    assert_eq!(
        html.matches("Staff Engineer → Senior Staff Engineer</a>")
            .count(),
        1
    );
}

/// A cumulative framework's assessment rates what the level lists and says that the
/// behaviours held from below are not rated there (a browser review found the counts of
/// the level page and the assessment disagreeing without a word).
#[test]
fn a_cumulative_assessment_says_what_it_does_not_rate() {
    let site = Site::sample();
    site.built();
    let html = site.page("assess/senior-engineer/index.html");
    assert!(
        html.contains("38 more behaviours, shown on the <a href=\"../../levels/senior-engineer/\">level page</a> and not rated again here; the <a href=\"../../assess/engineer/\">self-assessment of Engineer</a> rates those it lists."),
        "{html}"
    );
    // The lowest level holds nothing from below.
    assert!(
        !site
            .page("assess/associate-engineer/index.html")
            .contains("assess-held")
    );
}

#[test]
fn the_track_balance_chart_is_an_accessible_svg() {
    let site = fixture("tiny");
    let html = site.page("tracks/expert/index.html");
    let svg = between(&html, "<svg", "</svg>");
    // The label column fits the longest level name ("Engineer": its least, 120).
    // Style and patterns are shared boilerplate; the snapshot is of the chart itself.
    let style = between(svg, "<style>", "</defs>");
    let chart = svg.replace(style, "");
    assert_eq!(
        chart,
        concat!(
            r#"<svg class="rc-chart rc-balance" id="balance-expert" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 94" width="720" height="94" role="img" aria-labelledby="balance-expert-title balance-expert-desc">"#,
            r#"<title id="balance-expert-title">Balance of expectations by level on the expert track</title>"#,
            r#"<desc id="balance-expert-desc">How each level's expectations divide between technical, leadership, lowest level first. Engineer: technical 100% (2). Senior: technical 67% (2), leadership 33% (1).</desc>"#,
            r#"<rect class="rc-seg rc-c0" x="120.0" y="0.0" width="14.0" height="14.0"/><text x="140.0" y="11.5">Technical</text>"#,
            r#"<rect class="rc-seg rc-c2" x="217.2" y="0.0" width="14.0" height="14.0"/><rect x="217.2" y="0.0" width="14.0" height="14.0" fill="url(#balance-expert-p2)"/><text x="237.2" y="11.5">Leadership</text>"#,
            r#"<text x="110.0" y="45.5" text-anchor="end">Engineer</text><rect class="rc-frame" x="120.0" y="30.0" width="556.0" height="22.0"/>"#,
            r#"<rect class="rc-seg rc-c0" x="120.0" y="30.0" width="556.0" height="22.0"/><text class="rc-on-seg" x="398.0" y="45.0" text-anchor="middle" aria-hidden="true">100%</text>"#,
            r#"<text class="rc-muted" x="684.0" y="45.5">2</text>"#,
            r#"<text x="110.0" y="75.5" text-anchor="end">Senior</text><rect class="rc-frame" x="120.0" y="60.0" width="556.0" height="22.0"/>"#,
            r#"<rect class="rc-seg rc-c0" x="120.0" y="60.0" width="370.7" height="22.0"/><text class="rc-on-seg" x="305.3" y="75.0" text-anchor="middle" aria-hidden="true">67%</text>"#,
            r#"<rect class="rc-seg rc-c2" x="490.7" y="60.0" width="185.3" height="22.0"/><rect x="490.7" y="60.0" width="185.3" height="22.0" fill="url(#balance-expert-p2)"/><text class="rc-on-seg" x="583.3" y="75.0" text-anchor="middle" aria-hidden="true">33%</text>"#,
            r#"<text class="rc-muted" x="684.0" y="75.5">3</text></svg>"#,
        )
    );
    // Then the same chart for a phone: names above their bars, its own ids.
    let rest = &html[html.find(svg).unwrap() + svg.len()..];
    let narrow = between(rest, "<svg", "</svg>");
    assert!(
        narrow.starts_with(r#"<svg class="rc-chart rc-balance-narrow" id="balance-expert-narrow""#),
        "{narrow}"
    );
    assert!(narrow.contains(r#"<text x="0" y="86.0">Senior</text><text class="rc-muted" x="360.0" y="86.0" text-anchor="end">3</text>"#), "{narrow}");
    assert!(narrow.contains(r#"fill="url(#balance-expert-narrow-p2)""#));
}

#[test]
fn the_home_page_has_the_ladder_diagram_and_levels_their_compact_chart() {
    let site = fixture("tiny");
    let home = site.page("index.html");
    let svg = between(&home, "<svg", "</svg>");
    // A group, not an image: its level boxes are links.
    assert!(svg.contains(r#"role="group" aria-labelledby="ladder-chart-title ladder-chart-desc""#));
    assert!(svg.contains(r#"<a href="levels/senior/">"#), "{svg}");
    assert!(svg.contains("<desc id=\"ladder-chart-desc\">Bands from highest to lowest. Band 2: Senior (Expert track) and Team lead (Manager track), equivalent. Band 1: Engineer (shared by Expert track and Manager track).</desc>"), "{svg}");
    assert!(svg.contains(r#"class="rc-equiv""#));
    let level = site.page("levels/senior/index.html");
    assert!(level.contains("<desc id=\"balance-senior-desc\">3 expectations: technical 67% (2), leadership 33% (1).</desc>"));
}

#[test]
fn assess_pages_list_every_behaviour_with_the_rating_scale_and_the_plan_targets() {
    let framework =
        std::fs::read_to_string(fixtures().join("tiny/content/framework.yaml")).unwrap();
    let yaml = format!(
        "{framework}assessment:\n  ratings:\n    - {{id: rarely, title: Rarely}}\n    - {{id: often, title: Often}}\n"
    );
    let site = built("tiny", &[("content/framework.yaml", &yaml)]);
    let html = site.page("assess/engineer/index.html");
    assert_eq!(html.matches(r#"<fieldset class="assess-item""#).count(), 2);
    assert!(html.contains(
        r#"<fieldset class="assess-item" data-anchor="influence-writes-tests-for-their-changes">"#
    ));
    assert!(
        html.contains(r#"<input type="radio" name="r1" value="often">"#),
        "{html}"
    );
    assert!(html.contains("A guide for conversations, not a promotion checklist."));
    assert!(html.contains(r#"data-ratings="rarely often""#));
    // The plan offers both next levels (the trunk splits) with what each adds.
    assert!(
        html.contains(r#"<option value="senior">Senior (next level, Expert track)</option>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="lead">Team lead (next level, Manager track)</option>"#)
    );
    let senior_plan = between(
        &html,
        r#"<section class="plan-target" data-target="senior""#,
        "</section>",
    );
    assert!(senior_plan.contains("3 behaviours"), "{senior_plan}");
    // Counted per competency and linked to the comparison, not copied (issue 16).
    assert!(!senior_plan.contains("Mentors engineers."), "{senior_plan}");
    assert!(senior_plan.contains(r#"<li data-c="#), "{senior_plan}");
    assert!(senior_plan.contains(r#"href="../../compare/engineer/senior/""#));
    // The outcome vocabulary and the evidence sources, with their defaults.
    assert!(html.contains(
        r#"<option value="performing" title="Working at this level.">Performing</option>"#
    ));
    assert!(html.contains(r#"<option value="peer">A peer</option>"#));
    let json = site.page("framework.json");
    assert!(json.contains(r#""id":"rarely""#));
    assert!(json.contains(r#""outcomes":["#) && json.contains(r#""evidence":["#));
}

#[test]
fn framework_csv_has_one_row_per_behaviour_and_track() {
    let risky = "---\ntitle: Safety\nbehaviours:\n  engineer:\n    - text: \"=HYPERLINK(\\\"http://x\\\")\"\n      examples: [\"One, with a comma\", \"Two\"]\n---\n";
    let site = built("tiny", &[("content/competencies/craft/safety.md", risky)]);
    let csv = site.page("framework.csv");
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}track,band,level,area,competency,behaviour,examples,proficiency,level_id,competency_id,anchor,family,origin"
    );
    // engineer is on both tracks: its 3 behaviours appear twice.
    assert_eq!(csv.matches(",Engineer,").count(), 6, "{csv}");
    // A formula is defused with a leading quote; the source's straight quotes are kept
    // (doubled inside the quoted cell), not turned into typographic ones.
    assert!(csv.contains("Expert track,Band 1,Engineer,Craft,Safety,\"'=HYPERLINK(\"\"http://x\"\")\",\"One, with a comma\nTwo\",,engineer,safety,"), "{csv}");
    assert!(csv.contains("Manager track,Band 1,Engineer,Craft,Safety,"));
    assert!(csv.ends_with("\r\n"));
}

/// Terse behaviours need their examples most when someone rates themselves against them.
#[test]
fn assess_pages_show_each_behaviours_examples() {
    let site = fixture("basic");
    let html = site.page("assess/staff-engineer/index.html");
    let item = between(
        &html,
        "data-anchor=\"troubleshooting-leads-incidents\"",
        "</fieldset>",
    );
    assert!(
        item.contains("<p class=\"example-label\">Example</p>"),
        "{item}"
    );
    assert!(
        item.contains("<li>Runs a debugging workshop.</li>"),
        "{item}"
    );
}

/// A peer comparison's columns say which level lists a row: the rows do not repeat
/// "Only at …", and the area chips do not call differences "new".
#[test]
fn peer_comparisons_do_not_repeat_only_at_on_every_row() {
    let site = fixture("tiny");
    let html = site.page("compare/senior/lead/index.html");
    assert_eq!(
        html.matches(r#"<span class="tag tag-added">Only at Team lead</span>"#)
            .count(),
        1,
        "the key only"
    );
    assert!(!html.contains("new or grown)"), "{html}");
}

/// The pre-rendered comparisons of a one-band site of `tracks` tracks (expert and manager
/// in turn), with a competency per entry of `scopes` applying to those tracks (`None`:
/// every track), as `a/b` level ids.
fn one_band_pairs(tracks: usize, scopes: &[Option<&[usize]>]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut fw = String::from("tracks:\n");
    for t in 0..tracks {
        let kind = if t % 2 == 0 { "expert" } else { "manager" };
        fw.push_str(&format!(
            "  - {{id: t{t}, title: Track {t}, kind: {kind}}}\n"
        ));
    }
    fw.push_str("bands:\n  - {id: b1, title: Band 1}\nareas:\n  - {id: craft, title: Craft, category: technical}\n");
    crate::harness::write(root, "site.toml", "title = \"Wide\"\n");
    crate::harness::write(root, "content/framework.yaml", &fw);
    for t in 0..tracks {
        crate::harness::write(
            root,
            &format!("content/levels/t{t}/l{t}.md"),
            &format!("---\ntitle: Level {t}\nband: b1\n---\n"),
        );
    }
    for (k, scope) in scopes.iter().enumerate() {
        let on: Vec<usize> = scope.map_or_else(|| (0..tracks).collect(), <[usize]>::to_vec);
        let mut comp = format!("---\ntitle: Code {k}\n");
        if scope.is_some() {
            let ids: Vec<String> = on.iter().map(|t| format!("t{t}")).collect();
            comp.push_str(&format!("tracks: [{}]\n", ids.join(", ")));
        }
        comp.push_str("behaviours:\n");
        for t in on {
            comp.push_str(&format!(
                "  l{t}:\n    - Writes code number {t} of kind {k} well.\n"
            ));
        }
        crate::harness::write(
            root,
            &format!("content/competencies/craft/code-{k}.md"),
            &(comp + "---\n"),
        );
    }
    let out = root.join("public");
    let r = std::process::Command::new(crate::harness::BIN)
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let mut pairs: Vec<String> = walkdir::WalkDir::new(out.join("compare"))
        .min_depth(2)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(out.join("compare")).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn many_tracks_of_both_kinds_keep_the_comparisons_linear() {
    // Twelve tracks, expert and manager in turn, one band: neighbours and the nearest
    // level of the other kind on each side, not every expert with every manager (36).
    // 11 neighbouring columns, all of different kinds: nothing more to add.
    assert_eq!(one_band_pairs(12, &[None]).len(), 11);
}

#[test]
fn equivalent_levels_with_no_competency_in_common_are_not_pre_rendered() {
    // Two pairs of tracks with skills of their own: t1 and t2 are neighbours of
    // different kinds, but a comparison of them would be two unrelated lists.
    let pairs = one_band_pairs(4, &[Some(&[0, 1]), Some(&[2, 3])]);
    assert_eq!(pairs, ["l0/l1", "l2/l3"]);
    // One shared competency is enough.
    let pairs = one_band_pairs(4, &[Some(&[0, 1]), Some(&[2, 3]), Some(&[1, 2])]);
    assert_eq!(pairs, ["l0/l1", "l1/l2", "l2/l3"]);
}

#[test]
fn the_index_lists_under_a_track_only_that_tracks_own_steps() {
    // Engineer and Principal sit on both tracks; Senior only on the expert track, and
    // the team lead above Principal, so the manager track steps from Engineer to
    // Principal, and the expert track does not.
    let site = Site::fixture("tiny");
    site.edit("content/levels/manager/lead.md", "band: b2", "band: b4");
    site.edit(
        "content/framework.yaml",
        "  - {id: b2, title: Band 2}\n",
        "  - {id: b2, title: Band 2}\n  - {id: b3, title: Band 3}\n  - {id: b4, title: Band 4}\n",
    );
    site.write(
        "content/levels/expert/principal.md",
        "---\ntitle: Principal\nband: b3\ntracks: [expert, manager]\n---\n",
    );
    site.built();
    let index = site.page("compare/index.html");
    let expert = between(&index, ">Expert track</h3>", "</ul>");
    let manager = between(&index, ">Manager track</h3>", "</ul>");
    assert!(
        expert.contains("Engineer → Senior") && expert.contains("Senior → Principal"),
        "{expert}"
    );
    assert!(
        !expert.contains("Engineer → Principal"),
        "not a step of the expert track: {expert}"
    );
    assert!(manager.contains("Engineer → Principal"), "{manager}");
}

#[test]
fn many_equivalent_comparisons_fold_into_one_button_and_the_equivalents_list() {
    // Dropbox's engineering manager has eight equivalent levels, each compared.
    let site = Site::corpus("dropbox");
    site.built();
    let page = site.page("levels/m4-engineering-manager/index.html");
    let header = between(&page, "<p class=\"page-actions level-tools\">", "</p>");
    assert!(
        header.contains("Compare with an equivalent level (8)"),
        "{header}"
    );
    assert_eq!(header.matches("class=\"button").count(), 3, "{header}");
    let list = between(&page, "id=\"equivalents-heading\"", "</section>");
    assert_eq!(
        list.matches("class=\"equivalent-compare\"").count(),
        8,
        "{list}"
    );
}
