//! Building fixture sites and reading the pages they produce.

use crate::harness::Site;

#[test]
fn builds_every_page_of_the_basic_fixture() {
    let site = Site::fixture("basic");
    site.built();
    for page in [
        "index.html",
        "tracks/expert/index.html",
        "tracks/manager/index.html",
        "levels/engineer/index.html",
        "levels/staff-engineer/index.html",
        "levels/engineering-manager/index.html",
        "competencies/design/index.html",
        "competencies/troubleshooting/index.html",
        "areas/craft/index.html",
        "matrix/expert/index.html",
        "matrix/manager/index.html",
        "faq/index.html",
        "404.html",
        "sitemap.xml",
        "framework.json",
        "style.css",
    ] {
        assert!(site.exists(page), "{page} missing");
    }
}

#[test]
fn renders_the_shared_trunk_level_spanning_both_tracks_on_the_ladder() {
    let site = Site::fixture("basic");
    site.built();
    let page = site.page("index.html");
    // The table (the diagram before it links every level too).
    let home = &page[page
        .find("<table class=\"ladder\"")
        .expect("the ladder table")..];
    let at = home
        .find("levels/engineer/")
        .expect("engineer linked from the ladder");
    let cell_start = home[..at].rfind("<td").unwrap();
    assert!(
        home[cell_start..at].contains("colspan=\"2\""),
        "{}",
        &home[cell_start..at]
    );
}

#[test]
fn renders_equivalent_levels_across_tracks() {
    let site = Site::fixture("basic");
    site.built();
    let staff = site.page("levels/staff-engineer/index.html");
    assert!(
        staff.contains("../../levels/engineering-manager/"),
        "staff links to its manager equivalent"
    );
    let manager = site.page("levels/engineering-manager/index.html");
    assert!(
        manager.contains("../../levels/staff-engineer/"),
        "manager links to its expert equivalent"
    );
}

#[test]
fn level_pages_show_every_expectation_with_a_stable_anchor() {
    let site = Site::fixture("basic");
    site.built();
    let staff = site.page("levels/staff-engineer/index.html");
    // Level-first behaviours, an author-given id, and the scale descriptors the level expects.
    assert!(staff.contains("Reviews designs from other teams."));
    assert!(
        staff.contains("id=\"troubleshooting-leads-incidents\""),
        "explicit id anchor"
    );
    assert!(
        staff.contains("Runs a debugging workshop."),
        "examples shown"
    );
    assert!(
        staff.contains("Sets design direction across teams."),
        "descriptor of the expected step"
    );
    assert!(staff.contains("id=\"troubleshooting-debugs-issues-in-their-team-s-services\""));
    // Previous level on the track, attributes, narrative.
    assert!(staff.contains("../../levels/engineer/"));
    assert!(staff.contains("Several teams"));
    assert!(staff.contains("Staff narrative."));
}

#[test]
fn marks_what_is_new_compared_with_the_level_below() {
    let site = Site::fixture("basic");
    site.built();
    let staff = site.page("levels/staff-engineer/index.html");
    let item = |anchor: &str| {
        let start = staff.find(&format!("id=\"{anchor}\"")).unwrap();
        let end = staff[start..].find("</li>").unwrap() + start;
        staff[start..end].to_string()
    };
    // Unchanged from Engineer: not new. New at Staff: flagged.
    assert!(!item("troubleshooting-debugs-issues-in-their-team-s-services").contains("New"));
    assert!(item("troubleshooting-leads-incidents").contains("New"));
}

#[test]
fn competency_pages_show_the_progression_across_every_track() {
    let site = Site::fixture("basic");
    site.built();
    let page = site.page("competencies/mentoring/index.html");
    for text in [
        "Asks for feedback.",
        "Mentors senior engineers.",
        "Grows technical leaders",
        "Holds regular one-to-ones",
    ] {
        assert!(page.contains(text), "{text}");
    }
    for link in [
        "levels/engineer/",
        "levels/staff-engineer/",
        "levels/engineering-manager/",
    ] {
        assert!(page.contains(link), "{link}");
    }
}

#[test]
fn builds_a_one_track_framework() {
    let site = Site::fixture("one-track");
    site.built();
    assert!(site.page("index.html").contains("levels/senior-developer/"));
    let senior = site.page("levels/senior-developer/index.html");
    assert!(
        senior.contains("Improves the team&#x27;s coding standards.")
            || senior.contains("Improves the team’s coding standards.")
            || senior.contains("Improves the team's coding standards."),
        "{senior}"
    );
    assert!(site.exists("matrix/ic/index.html"));
}

#[test]
fn builds_a_competency_first_framework_from_scale_and_expects() {
    let site = Site::fixture("competency-first");
    site.built();
    let senior = site.page("levels/senior-analyst/index.html");
    assert!(senior.contains("Influences how the department uses data to decide."));
    assert!(senior.contains("Enable"), "the expected step is named");
    let manager = site.page("levels/analytics-manager/index.html");
    assert!(manager.contains("Chooses the right method for a question."));
    // Equivalent across tracks.
    assert!(manager.contains("levels/senior-analyst/"));
}

#[test]
fn links_are_relative_so_the_site_works_under_any_sub_path() {
    let site = Site::fixture("basic");
    site.built();
    for page in [
        "index.html",
        "levels/staff-engineer/index.html",
        "competencies/design/index.html",
    ] {
        let html = site.page(page);
        for attr in ["href=\"/", "src=\"/"] {
            let bad: Vec<&str> = html
                .match_indices(attr)
                .map(|(i, _)| &html[i..(i + 40).min(html.len())])
                .collect();
            assert!(bad.is_empty(), "{page} has root-absolute links: {bad:?}");
        }
    }
}

#[test]
fn sitemap_and_framework_json_use_the_base_url_and_a_versioned_schema() {
    let site = Site::fixture("basic");
    site.built();
    let sitemap = site.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.com/careers/levels/staff-engineer/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404"));
    let json: serde_json::Value = serde_json::from_str(&site.page("framework.json")).unwrap();
    assert_eq!(json["schema"], "rungs-framework");
    assert_eq!(json["version"], 2);
    let staff = json["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "staff-engineer")
        .unwrap();
    assert_eq!(staff["band"], "b2");
    assert!(
        staff["expectations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["competency"] == "design" && e["step"] == "leading")
    );
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let a = Site::fixture("basic");
    a.built();
    let first = a.snapshot_output();
    std::fs::remove_dir_all(a.out()).unwrap();
    a.built();
    assert_eq!(first, a.snapshot_output());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::fixture("basic");
    site.built();
    let before = site.snapshot_output();
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff\nband: b9\n---\n",
    );
    site.remove("content/levels/expert/principal-engineer.md");
    let run = site.build();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("previous output was left untouched"));
    assert_eq!(before, site.snapshot_output());
}

#[test]
fn a_rebuild_removes_pages_of_deleted_files() {
    let site = Site::fixture("basic");
    site.built();
    site.remove("content/pages/faq.md");
    site.built();
    assert!(!site.exists("faq/index.html"));
}

#[test]
fn contributor_markdown_cannot_inject_script() {
    let site = Site::fixture("basic");
    site.write(
        "content/competencies/people/mentoring.md",
        "---\ntitle: \"<script>alert('title')</script> Mentoring\"\nsummary: \"<img src=x onerror=alert(1)>\"\nbehaviours:\n  engineer:\n    - \"<script>alert(1)</script>Asks\"\n    - \"[click](javascript:alert(2))\"\n    - text: \"<b onclick=alert(3)>bold</b>\"\n      examples: [\"<iframe src=javascript:alert(4)></iframe>\"]\n---\n<script>alert(5)</script>\n\n<a href=\"javascript:alert(6)\">x</a> <svg onload=alert(7)></svg>\n",
    );
    site.write("content/levels/expert/staff-engineer.md", "---\ntitle: Staff Engineer\nband: b2\nattributes:\n  \"<script>x</script>\": \"<img src=x onerror=alert(8)>\"\n---\n<style>body{display:none}</style><form action=\"javascript:alert(9)\"><input></form>\n");
    site.built();
    let mut checked = 0;
    for (path, bytes) in site.snapshot_output() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let problems = unsafe_markup(&html);
        assert!(problems.is_empty(), "{path}: {problems:?}");
        checked += 1;
    }
    assert!(checked > 10);
    // The hostile text is still shown, as text.
    let page = site.page("competencies/mentoring/index.html");
    assert!(
        page.contains("<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Mentoring"),
        "the title is shown as text"
    );
}

/// Every real tag in `html` (text is escaped, so `<` only starts markup) that could run
/// script: inline scripts with content, event-handler attributes, `javascript:` URLs,
/// frames and style elements.
fn unsafe_markup(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let tag_end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..tag_end];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let attrs = tag.split_whitespace().skip(1);
        for a in attrs {
            if a.starts_with("on") && a.contains('=') {
                problems.push(format!("event handler in {tag}"));
            }
        }
        if tag.contains("javascript:") {
            problems.push(format!("javascript: URL in {tag}"));
        }
        if matches!(name.as_str(), "iframe" | "object" | "embed") {
            problems.push(format!("<{name}> element"));
        }
        // The theme's own SVG charts carry <style>; contributor CSS must not get through.
        if name == "style" && rest[tag_end..].starts_with("body{display:none}") {
            problems.push("contributor <style> element".into());
        }
        if name == "script" {
            let body_end = rest[tag_end..]
                .find("</script")
                .map_or(rest.len(), |e| tag_end + e);
            if rest[tag_end..body_end].contains("alert") {
                problems.push(format!(
                    "inline script with contributor text: {}",
                    &rest[tag_end..body_end]
                ));
            }
        }
        rest = &rest[tag_end..];
    }
    problems
}

#[test]
fn raw_html_is_kept_when_the_site_allows_it() {
    let site = Site::fixture("basic");
    site.write(
        "site.toml",
        "title = \"x\"\n[markdown]\nallow_raw_html = true\n",
    );
    site.write(
        "content/pages/faq.md",
        "---\ntitle: FAQ\n---\n<details><summary>More</summary>Hidden</details>\n",
    );
    site.built();
    assert!(
        site.page("faq/index.html")
            .contains("<details><summary>More</summary>")
    );
}

#[test]
fn the_sample_framework_builds() {
    let site = Site::sample();
    site.built();
    assert!(
        site.page("levels/staff-engineer/index.html")
            .contains("Staff Engineer")
    );
}

#[test]
fn a_site_template_can_extend_the_theme_and_override_one_block() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"theme/page.html\" %}{% block title %}Custom: {{ page.title }}{% endblock %}",
    );
    site.built();
    let faq = site.page("faq/index.html");
    assert!(
        faq.contains("<title>Custom: FAQ</title>"),
        "{}",
        &faq[..faq.len().min(400)]
    );
    assert!(
        faq.contains("Can I switch tracks?"),
        "the rest of the theme page is kept"
    );
}

/// Sparse frameworks: a competency with nothing at a level (and nothing held or dropped)
/// has no section on its page, rather than an empty one.
#[test]
fn a_level_page_leaves_out_competencies_with_nothing_at_the_level() {
    let site = Site::fixture("tiny");
    site.built();
    let engineer = site.page("levels/engineer/index.html");
    assert!(
        !engineer.contains("id=\"competency-coaching\""),
        "{engineer}"
    );
    assert!(!engineer.contains("No new expectations"));
    let senior = site.page("levels/senior/index.html");
    assert!(senior.contains("id=\"competency-coaching\""));
}

/// Flat frameworks: an area that holds one competency of the same name gets one
/// heading on level pages and no repeated crumb on the competency page.
#[test]
fn a_single_competency_area_of_the_same_name_is_not_a_doubled_heading() {
    let site = Site::fixture("tiny");
    let path = "content/framework.yaml";
    let yaml = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(
        path,
        yaml.replace(
            "{id: people, title: People,",
            "{id: people, title: coaching,",
        ),
    );
    site.built();
    let senior = site.page("levels/senior/index.html");
    assert!(
        senior.contains(r#"<h2 id="area-people" class="area-heading"><a href="../../competencies/coaching/">Coaching</a>"#),
        "{senior}"
    );
    assert!(!senior.contains("competency-coaching-h"));
    assert!(senior.contains(r#"<h2 id="area-craft" class="area-heading">Craft</h2>"#));
    let page = site.page("competencies/coaching/index.html");
    let crumbs = &page[page.find("class=\"breadcrumb\"").unwrap()..];
    let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
    assert!(!crumbs.contains("areas/people/"), "{crumbs}");
}

/// Level attributes are inline Markdown (links, emphasis) or lists, never raw text, and
/// go through the one sanitising policy.
#[test]
fn level_attributes_render_markdown_and_lists() {
    let site = Site::fixture("tiny");
    site.write(
        "content/levels/expert/senior.md",
        "---\ntitle: Senior\nband: b2\nattributes:\n  Strategy: \"[Technical Strategy](https://docs.example.com/strategy) and *care*\"\n  Reach:\n    - Their team\n    - Partner teams\n  Danger: \"<script>alert(1)</script> [x](javascript:alert(1))\"\n  Levers: |-\n    Project leadership - I define milestones\n    Mentorship - I level up *others*\n---\n",
    );
    site.built();
    let page = site.page("levels/senior/index.html");
    // A literal block keeps its lines (Dropbox writes its impact levers so).
    assert!(
        page.contains(
            "Project leadership - I define milestones<br>\nMentorship - I level up <em>others</em>"
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="https://docs.example.com/strategy">Technical Strategy</a> and <em>care</em>"#),
        "{page}"
    );
    assert!(page.contains("<li>Their team</li>") && page.contains("<li>Partner teams</li>"));
    assert!(!page.contains("<script>alert(1)") && !page.contains("href=\"javascript:"));
    assert!(!page.contains("[Technical Strategy]("), "no raw Markdown");
}

/// A framework's own order of competencies (Impact, Ownership, Decision making) is kept
/// with `order:`; without it, competencies in an area go by title.
#[test]
fn competencies_follow_their_order_within_an_area() {
    let site = Site::fixture("basic");
    let ids = |site: &Site| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&site.page("framework.json")).unwrap();
        json["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    site.built();
    assert_eq!(ids(&site), ["design", "troubleshooting", "mentoring"]);
    let path = "content/competencies/craft/troubleshooting.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(
        path,
        text.replacen(
            "title: Troubleshooting\n",
            "title: Troubleshooting\norder: -1\n",
            1,
        ),
    );
    site.built();
    assert_eq!(ids(&site), ["troubleshooting", "design", "mentoring"]);
    let level = site.page("levels/staff-engineer/index.html");
    let at = |id: &str| level.find(&format!("id=\"competency-{id}\"")).expect(id);
    assert!(at("troubleshooting") < at("design"));
}

/// Links shared in chat and mail show the page's title and the site's description.
#[test]
fn pages_carry_open_graph_tags() {
    let site = Site::fixture("basic");
    site.built();
    let page = site.page("levels/staff-engineer/index.html");
    assert!(
        page.contains(r#"<meta property="og:title" content="Staff Engineer">"#),
        "{page}"
    );
    assert!(page.contains(r#"<meta property="og:site_name" content="Basic fixture">"#));
    assert!(page.contains(
        r#"<meta property="og:url" content="https://example.com/careers/levels/staff-engineer/">"#
    ));
}

#[test]
fn draft_levels_are_left_out_of_a_build_unless_asked_for() {
    let site = Site::fixture("basic");
    let principal = site.path("content/levels/expert/principal-engineer.md");
    let text = std::fs::read_to_string(&principal).unwrap();
    site.write(
        "content/levels/expert/principal-engineer.md",
        text.replacen("band: b3\n", "band: b3\nstatus: draft\n", 1),
    );
    // A published build leaves the draft out, says so at its status line, and no page
    // links to it.
    let r = site.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("content/levels/expert/principal-engineer.md:4:9")
            && r.stderr
                .contains("this draft level is left out of the build"),
        "{}",
        r.stderr
    );
    assert!(!site.exists("levels/principal-engineer/index.html"));
    assert!(!site.page("index.html").contains("principal-engineer"));
    assert!(!site.page("framework.json").contains("principal-engineer"));
    // `--drafts` publishes it with its badge; `check` validates drafts and has nothing to say.
    let root = site.root.to_str().unwrap();
    let r = site.run(&["build", "--root", root, "--drafts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("left out"), "{}", r.stderr);
    assert!(
        site.page("levels/principal-engineer/index.html")
            .contains("Draft")
    );
    assert!(
        site.page("index.html")
            .contains("levels/principal-engineer/")
    );
    let r = site.check("human");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("draft"), "{}", r.stderr);
}

#[test]
fn a_site_sets_its_logo_and_accent_colour() {
    let site = Site::fixture("basic");
    site.write(
        "static/brand/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    site.write(
        "site.toml",
        "title = \"Basic\"\nlogo = \"brand/logo.svg\"\naccent_color = \"#0B6E4F\"\n",
    );
    site.built();
    let level = site.page("levels/staff-engineer/index.html");
    assert!(
        level.contains(r#"<img class="brand-logo" src="../../brand/logo.svg" alt="">Basic</a>"#),
        "{level}"
    );
    // The colour as given for the light scheme, a lighter shade that reads on the dark one.
    assert!(level.contains(":root{--link:#0b6e4f;"), "{level}");
    let dark = level
        .split("prefers-color-scheme: dark){:root{--link:")
        .nth(1)
        .unwrap();
    assert_ne!(&dark[..7], "#0b6e4f");
    assert!(site.exists("brand/logo.svg"));
    // Without the settings, neither appears.
    site.write("site.toml", "title = \"Basic\"\n");
    site.built();
    let level = site.page("levels/staff-engineer/index.html");
    assert!(!level.contains("brand-logo") && !level.contains(":root{--link"));
}

/// The `href`s of the links of a class on a page, `&amp;` decoded.
fn hrefs_of(page: &str, class: &str) -> Vec<String> {
    page.split("<a ")
        .skip(1)
        .filter_map(|a| a.split_once('>').map(|(attrs, _)| attrs))
        .filter(|attrs| attrs.contains(&format!(r#"class="{class}""#)))
        .filter_map(|attrs| attrs.split(r#"href=""#).nth(1)?.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

#[test]
fn internal_links_resolve_from_pages_at_every_depth() {
    let site = Site::fixture("basic");
    site.write(
        "content/index.md",
        "---\ntitle: Basic framework\n---\nStart at [Engineer](@/levels/engineer) or read [the FAQ](@/faq#can-i-switch-tracks).\n",
    );
    site.write(
        "content/pages/faq.md",
        "---\ntitle: FAQ\n---\n## Can I switch tracks?\n\nCompare [Staff](@/levels/staff-engineer/#competency-design) with [the manager track](@/tracks/manager), see [the matrix](@/matrix/expert), [the area](@/areas/people), [all competencies](@/competencies) and [home](@/).\n",
    );
    site.write(
        "content/competencies/people/mentoring.md",
        "---\ntitle: Mentoring\nbehaviours:\n  engineer: [Asks for feedback.]\n  staff-engineer:\n    - Mentors senior engineers, as [the FAQ](@/faq) says.\n---\nSee [design](@/competencies/design#guidance).\n",
    );
    site.built();
    let link = |page: &str, text: &str| -> String {
        let html = site.page(page);
        let at = html
            .find(&format!(">{text}</a>"))
            .unwrap_or_else(|| panic!("{text} on {page}"));
        let start = html[..at].rfind("href=\"").unwrap() + 6;
        html[start..at - 1].to_string()
    };
    assert_eq!(link("index.html", "Engineer"), "./levels/engineer/");
    assert_eq!(link("index.html", "the FAQ"), "./faq/#can-i-switch-tracks");
    for (text, href) in [
        ("Staff", "../levels/staff-engineer/#competency-design"),
        ("the manager track", "../tracks/manager/"),
        ("the matrix", "../matrix/expert/"),
        ("the area", "../areas/people/"),
        ("all competencies", "../competencies/"),
        ("home", "../"),
    ] {
        assert_eq!(link("faq/index.html", text), href);
    }
    assert_eq!(
        link("competencies/mentoring/index.html", "design"),
        "../../competencies/design/#guidance"
    );
    // A behaviour links right from every page that shows it.
    for page in [
        "levels/staff-engineer/index.html",
        "competencies/mentoring/index.html",
        "matrix/expert/index.html",
        "assess/staff-engineer/index.html",
    ] {
        assert_eq!(link(page, "the FAQ"), "../../faq/", "{page}");
    }
    // Every linked page exists, and no marker is left in any page.
    for target in [
        "levels/engineer",
        "faq",
        "tracks/manager",
        "matrix/expert",
        "areas/people",
        "competencies/design",
    ] {
        assert!(site.exists(&format!("{target}/index.html")), "{target}");
    }
    for (path, html) in site.html_pages() {
        assert!(!html.contains("\"@/"), "{path}");
    }
}

#[test]
fn edit_and_feedback_links_go_to_github_or_gitlab() {
    let site = Site::fixture("basic");
    site.write(
        "site.toml",
        "title = \"Basic\"\nbase_url = \"https://example.com/careers/\"\nrepository = \"https://github.com/acme/careers\"\n",
    );
    site.built();
    let level = site.page("levels/staff-engineer/index.html");
    assert_eq!(
        hrefs_of(&level, "source-link"),
        ["https://github.com/acme/careers/edit/main/content/levels/expert/staff-engineer.md"]
    );
    // Every behaviour on the page has its feedback link, naming competency, level and
    // anchor in the issue's title and body.
    let feedback = hrefs_of(&level, "feedback-link");
    assert_eq!(
        feedback.len(),
        level.matches(r#"class="behaviour "#).count(),
        "{level}"
    );
    let incidents = feedback
        .iter()
        .find(|u| u.contains("troubleshooting-leads-incidents"))
        .unwrap();
    assert_eq!(
        incidents,
        "https://github.com/acme/careers/issues/new?title=Feedback%20on%20behaviour%20troubleshooting-leads-incidents&body=Competency%3A%20troubleshooting%0ALevel%3A%20staff-engineer%0ABehaviour%3A%20%23troubleshooting-leads-incidents%0ABehaviour%20id%3A%20leads-incidents%0APage%3A%20https%3A%2F%2Fexample.com%2Fcareers%2Flevels%2Fstaff-engineer%2F%23troubleshooting-leads-incidents%0ASource%3A%20content%2Fcompetencies%2Fcraft%2Ftroubleshooting.md%0A%0AWhat%20would%20you%20change%2C%20and%20why%3F%0A"
    );
    let competency = site.page("competencies/troubleshooting/index.html");
    assert_eq!(
        hrefs_of(&competency, "source-link"),
        [
            "https://github.com/acme/careers/edit/main/content/competencies/craft/troubleshooting.md",
            "https://github.com/acme/careers/issues/new?title=Feedback%20on%20competency%20troubleshooting&body=Competency%3A%20troubleshooting%0APage%3A%20https%3A%2F%2Fexample.com%2Fcareers%2Fcompetencies%2Ftroubleshooting%2F%0ASource%3A%20content%2Fcompetencies%2Fcraft%2Ftroubleshooting.md%0A%0AWhat%20would%20you%20change%2C%20and%20why%3F%0A",
        ]
    );
    // The competency page's behaviours send feedback about the same behaviour as the
    // level page does (the level page's anchor, not the competency page's prefixed one).
    assert!(hrefs_of(&competency, "feedback-link").contains(incidents));
    let faq = site.page("faq/index.html");
    assert_eq!(
        hrefs_of(&faq, "source-link"),
        ["https://github.com/acme/careers/edit/main/content/pages/faq.md"]
    );
    // Pages with no source file of their own, and comparisons, have neither.
    for page in [
        "index.html",
        "tracks/expert/index.html",
        "matrix/expert/index.html",
    ] {
        let html = site.page(page);
        assert!(
            !html.contains("source-link") && !html.contains("feedback-link"),
            "{page}"
        );
    }

    // Self-hosted GitLab, in a folder of the repository, on another branch.
    site.write(
        "site.toml",
        "title = \"Basic\"\nrepository = \"https://git.acme.internal/hr/careers.git\"\nforge = \"gitlab\"\nbranch = \"live\"\ncontent_path = \"sites/eng\"\n",
    );
    site.built();
    let competency = site.page("competencies/design/index.html");
    let links = hrefs_of(&competency, "source-link");
    assert_eq!(
        links[0],
        "https://git.acme.internal/hr/careers/-/edit/live/sites/eng/content/competencies/craft/design.md"
    );
    // Without an absolute base_url the issue names the page by its path on the site.
    assert_eq!(
        links[1],
        "https://git.acme.internal/hr/careers/-/issues/new?issue%5Btitle%5D=Feedback%20on%20competency%20design&issue%5Bdescription%5D=Competency%3A%20design%0APage%3A%20%2Fcompetencies%2Fdesign%2F%0ASource%3A%20content%2Fcompetencies%2Fcraft%2Fdesign.md%0A%0AWhat%20would%20you%20change%2C%20and%20why%3F%0A"
    );
    // A descriptor of the scale names its step and the competency page.
    let step = hrefs_of(&competency, "feedback-link")
        .into_iter()
        .find(|u| u.contains("Step%3A"))
        .expect("a descriptor's feedback link");
    assert!(
        step.contains("%2Fcompetencies%2Fdesign%2F%23design-"),
        "{step}"
    );

    // Without a repository there are no links at all.
    site.write("site.toml", "title = \"Basic\"\n");
    site.built();
    for page in [
        "levels/staff-engineer/index.html",
        "competencies/design/index.html",
        "faq/index.html",
    ] {
        let html = site.page(page);
        assert!(
            !html.contains("source-link") && !html.contains("feedback-link"),
            "{page}"
        );
    }
}

#[test]
fn the_competency_index_lists_every_competency_and_matrix() {
    let site = Site::sample();
    site.built();
    let index = site.page("competencies/index.html");
    let competencies = std::fs::read_dir(site.out().join("competencies"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    assert!(competencies.len() > 10);
    for id in competencies {
        assert!(
            index.contains(&format!("href=\"../competencies/{id}/\"")),
            "{id}"
        );
    }
    for track in ["expert", "manager", "data-science"] {
        assert!(
            index.contains(&format!("href=\"../matrix/{track}/\"")),
            "{track}"
        );
    }
    // Every page's header links it; the home page's button leads to it.
    assert!(
        site.page("levels/staff-engineer/index.html")
            .contains("href=\"../../competencies/\"")
    );
    assert!(
        site.page("index.html")
            .contains("href=\"./competencies/\">Browse competencies")
    );
}

#[test]
fn a_legacy_track_stays_published_and_marked() {
    let site = Site::fixture("basic");
    let fw = std::fs::read_to_string(site.path("content/framework.yaml")).unwrap();
    site.write(
        "content/framework.yaml",
        fw.replacen(
            "    kind: manager\n",
            "    kind: manager\n    status: legacy\n",
            1,
        ),
    );
    site.built();
    let track = site.page("tracks/manager/index.html");
    assert!(
        track.contains(r#"<span class="status status-legacy">Legacy</span>"#),
        "{track}"
    );
    assert!(track.contains("no longer used for new assessments"));
    assert!(
        site.page("levels/engineering-manager/index.html")
            .contains("Engineering Manager")
    );
    assert!(site.page("index.html").contains("status-legacy"));
    assert!(site.page("framework.json").contains(r#""status":"legacy""#));
    // A draft track is not a thing: its levels would have nowhere to go.
    site.write(
        "content/framework.yaml",
        fw.replacen(
            "    kind: manager\n",
            "    kind: manager\n    status: draft\n",
            1,
        ),
    );
    let r = site.check("human");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown track status `draft`")
            && r.stderr.contains("content/framework.yaml:9:13"),
        "{}",
        r.stderr
    );
}

/// The steps each level expects, by competency, from framework.json.
fn steps(site: &Site, level: &str) -> std::collections::BTreeMap<String, String> {
    let v: serde_json::Value = serde_json::from_str(&site.page("framework.json")).unwrap();
    let l = v["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == level)
        .unwrap();
    l["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| {
            Some((
                e["competency"].as_str()?.to_owned(),
                e["step"].as_str()?.to_owned(),
            ))
        })
        .collect()
}

#[test]
fn a_level_of_a_based_track_expects_its_base_levels_steps_unless_it_sets_its_own() {
    let site = Site::sample();
    site.built();
    let expert = steps(&site, "staff-engineer");
    assert_eq!(expert["troubleshooting"], "expert");
    assert_eq!(steps(&site, "staff-data-scientist"), expert);
    let page = site.page("levels/staff-data-scientist/index.html");
    assert!(
        page.contains("Leads the investigation of complex, cross-team incidents"),
        "the base level's step descriptors"
    );

    site.edit(
        "content/levels/data-science/staff-data-scientist.md",
        "band: b4\n",
        "band: b4\nexpects:\n  troubleshooting: advanced\n",
    );
    site.built();
    let own = steps(&site, "staff-data-scientist");
    assert_eq!(own["troubleshooting"], "advanced", "its own step wins");
    assert_eq!(
        own["learning-agility"], "expert",
        "the rest is still inherited"
    );
}

#[test]
fn a_step_replaced_by_a_higher_one_is_not_counted_as_dropped() {
    let site = Site::sample();
    site.built();
    let page = site.page("levels/staff-engineer/index.html");
    assert!(
        page.contains("The Advanced step at Senior Engineer, which Expert replaces"),
        "the lower step's descriptors are shown apart"
    );
    assert!(page.contains(
        "6 descriptors of Senior Engineer's proficiency steps, replaced by this level's"
    ));
    assert!(
        !page.contains("listed at Senior Engineer but not here"),
        "nothing else was dropped at Staff Engineer"
    );
}
