//! One defect per case: each must end in exit 1 with the file, line and column named,
//! no panic, nothing written. The rendered diagnostics are snapshot-tested under
//! `tests/snapshots/invalid/`.

use crate::harness::{Site, check_snapshot};

/// A defect applied to the `basic` fixture.
struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    /// `file:line:col` that must be named, and a fragment of the message.
    expect: (&'static str, &'static str),
}

const CASES: &[Case] = &[
    Case {
        name: "malformed_yaml_in_framework",
        edits: &[(
            "content/framework.yaml",
            "tracks:\n  - id: expert\n    title: [Expert\nbands: []\n",
        )],
        expect: ("content/framework.yaml:3:12", "malformed YAML"),
    },
    Case {
        name: "malformed_yaml_in_front_matter",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff\nband: b2\nsummary: \"unclosed\n---\nBody\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:4:",
            "malformed YAML",
        ),
    },
    Case {
        name: "malformed_toml",
        edits: &[("site.toml", "title = \"Basic\"\nbase_url = https://x\n")],
        expect: ("site.toml:2:", "malformed TOML"),
    },
    Case {
        name: "unknown_key_in_level",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\nsumary: Sets direction.\n---\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:4:1",
            "unknown key `sumary`",
        ),
    },
    Case {
        name: "unknown_key_in_site_toml",
        edits: &[("site.toml", "title = \"Basic\"\nbase_ur = \"/\"\n")],
        expect: ("site.toml:2:1", "unknown key `base_ur`"),
    },
    Case {
        name: "wrong_type",
        edits: &[(
            "content/competencies/craft/troubleshooting.md",
            "---\ntitle: Troubleshooting\ntracks: 3\nbehaviours:\n  engineer: [Debugs.]\n---\n",
        )],
        expect: (
            "content/competencies/craft/troubleshooting.md:3:9",
            "must be a list, found a number",
        ),
    },
    Case {
        name: "unknown_band",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b9\n---\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:3:7",
            "unknown band `b9`",
        ),
    },
    Case {
        name: "unknown_track_in_level",
        edits: &[(
            "content/levels/expert/engineer.md",
            "---\ntitle: Engineer\nband: b1\ntracks: [expert, manger]\n---\n",
        )],
        expect: (
            "content/levels/expert/engineer.md:4:18",
            "unknown track `manger`",
        ),
    },
    Case {
        name: "unknown_area_folder",
        edits: &[(
            "content/competencies/crafts/testing.md",
            "---\ntitle: Testing\nbehaviours:\n  engineer: [Tests.]\n---\n",
        )],
        expect: (
            "content/competencies/crafts/testing.md:1:1",
            "unknown area `crafts`",
        ),
    },
    Case {
        name: "unknown_level_in_behaviours",
        edits: &[(
            "content/competencies/people/mentoring.md",
            "---\ntitle: Mentoring\nbehaviours:\n  engineer: [Asks for feedback.]\n  staff-enginer: [Mentors.]\n---\n",
        )],
        expect: (
            "content/competencies/people/mentoring.md:5:3",
            "unknown level `staff-enginer`",
        ),
    },
    Case {
        name: "unknown_competency_in_expects",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\nexpects:\n  desing: leading\n---\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:5:3",
            "unknown competency `desing`",
        ),
    },
    Case {
        name: "unknown_scale_step",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\nexpects:\n  design: mastery\n---\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:5:11",
            "unknown step `mastery`",
        ),
    },
    Case {
        name: "unknown_scale",
        edits: &[(
            "content/competencies/craft/design.md",
            "---\ntitle: System design\nscale: levels\nproficiency:\n  learning: [Designs.]\n---\n",
        )],
        expect: (
            "content/competencies/craft/design.md:3:8",
            "unknown scale `levels`",
        ),
    },
    Case {
        name: "duplicate_level_id_across_tracks",
        edits: &[(
            "content/levels/manager/staff-engineer.md",
            "---\ntitle: Staff Manager\nband: b2\n---\n",
        )],
        expect: (
            "content/levels/manager/staff-engineer.md:1:1",
            "duplicate level id `staff-engineer`",
        ),
    },
    Case {
        name: "duplicate_track_id",
        edits: &[(
            "content/framework.yaml",
            "tracks:\n  - id: expert\n    title: Expert track\n    kind: expert\n    summary: Grow through technical depth.\n  - id: manager\n    title: Manager track\n    kind: manager\n    summary: Grow through people.\n  - id: expert\n    title: Again\n    kind: expert\nbands:\n  - id: b1\n    title: Band 1\n  - id: b2\n    title: Band 2\n  - id: b3\n    title: Band 3\nareas:\n  - id: craft\n    title: Craft\n    category: technical\n    summary: Building things.\n  - id: people\n    title: People\n    category: leadership\n    summary: Growing people.\nscales:\n  - id: proficiency\n    title: Proficiency\n    steps:\n      - id: learning\n        title: Learning\n      - id: practising\n        title: Practising\n      - id: leading\n        title: Leading\n",
        )],
        expect: ("content/framework.yaml:10:9", "duplicate track id `expert`"),
    },
    Case {
        name: "lineage_names_nothing",
        edits: &[(
            "content/competencies/craft/troubleshooting.md",
            "---\ntitle: Troubleshooting\ntracks: [expert]\nbehaviours:\n  engineer:\n    - text: Debugs issues in their team's services.\n      id: debugs\n  staff-engineer:\n    - text: Debugs issues across teams.\n      from: [debugs-services]\n---\n",
        )],
        expect: (
            "content/competencies/craft/troubleshooting.md:10:14",
            "`from: debugs-services` names no behaviour of this competency at the level below",
        ),
    },
    Case {
        name: "duplicate_yaml_key",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\nband: b3\n---\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:4:1",
            "duplicate mapping key",
        ),
    },
    Case {
        name: "id_not_a_slug",
        edits: &[(
            "content/levels/expert/Staff_Engineer.md",
            "---\ntitle: Staff\nband: b2\n---\n",
        )],
        expect: (
            "content/levels/expert/Staff_Engineer.md:1:1",
            "is not a valid id",
        ),
    },
    Case {
        name: "empty_file",
        edits: &[("content/levels/expert/staff-engineer.md", "")],
        expect: (
            "content/levels/expert/staff-engineer.md:1:1",
            "this file is empty",
        ),
    },
    Case {
        name: "unclosed_front_matter",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\n\nNarrative.\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:1:1",
            "front matter is not closed",
        ),
    },
    Case {
        name: "alias_bomb",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n---\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:",
            "expands too much through aliases",
        ),
    },
    Case {
        name: "reserved_page_slug",
        edits: &[("content/pages/search.md", "---\ntitle: Search\n---\n")],
        expect: ("content/pages/search.md:1:1", "reserved"),
    },
    Case {
        name: "level_in_wrong_place",
        edits: &[(
            "content/levels/staff.md",
            "---\ntitle: Staff\nband: b2\n---\n",
        )],
        expect: ("content/levels/staff.md:1:1", "not inside a folder"),
    },
    Case {
        name: "behaviour_for_level_off_the_competency_tracks",
        edits: &[(
            "content/competencies/craft/troubleshooting.md",
            "---\ntitle: Troubleshooting\ntracks: [expert]\nbehaviours:\n  engineering-manager: [Debugs.]\n---\n",
        )],
        expect: (
            "content/competencies/craft/troubleshooting.md:5:3",
            "level `engineering-manager` is on the `manager` track",
        ),
    },
    Case {
        name: "hostile_base_url",
        edits: &[(
            "site.toml",
            "title = \"Basic\"\nbase_url = \"//evil.example/\"\n",
        )],
        expect: (
            "site.toml:2:12",
            "`base_url` `//evil.example/` is not allowed",
        ),
    },
    Case {
        name: "accent_colour_too_light_to_read",
        edits: &[(
            "site.toml",
            "title = \"Basic\"\naccent_color = \"#ffcc00\"\n",
        )],
        expect: ("site.toml:2:16", "contrast of 1.5:1 on the white page"),
    },
    Case {
        name: "accent_colour_not_a_colour",
        edits: &[("site.toml", "title = \"Basic\"\naccent_color = \"teal\"\n")],
        expect: ("site.toml:2:16", "`teal` is not a `#rrggbb` colour"),
    },
    Case {
        name: "logo_that_is_not_there",
        edits: &[(
            "site.toml",
            "title = \"Basic\"\nlogo = \"brand/logo.svg\"\n",
        )],
        expect: ("site.toml:2:8", "there is no file static/brand/logo.svg"),
    },
    Case {
        name: "internal_link_to_a_missing_level",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\n---\nStaff narrative.\n\nGrows into [Principal](@/levels/principle-engineer#scope).\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:7:12",
            "the link `@/levels/principle-engineer` leads nowhere: there is no level `principle-engineer`",
        ),
    },
    Case {
        name: "internal_link_in_a_behaviour_to_a_missing_page",
        edits: &[(
            "content/competencies/people/mentoring.md",
            "---\ntitle: Mentoring\nbehaviours:\n  engineer: [Asks for feedback.]\n  staff-engineer:\n    - \"Mentors, as [the guide](@/mentoring-guide) says.\"\n---\n",
        )],
        expect: (
            "content/competencies/people/mentoring.md:6:20",
            "there is no page `mentoring-guide`",
        ),
    },
    Case {
        name: "internal_link_that_names_no_page",
        edits: &[(
            "content/pages/faq.md",
            "---\ntitle: FAQ\n---\n## Can I switch tracks?\n\nRead [Staff](@/levels/expert/staff-engineer.md) first.\n",
        )],
        expect: (
            "content/pages/faq.md:6:6",
            "the link `@/levels/expert/staff-engineer.md` names no page",
        ),
    },
    Case {
        name: "duplicate_behaviour_in_one_cell",
        edits: &[(
            "content/competencies/people/mentoring.md",
            "---\ntitle: Mentoring\nbehaviours:\n  engineer: [Asks for feedback.]\n  staff-engineer:\n    - Mentors senior engineers.\n    - Runs the guild.\n    - \"Mentors  senior engineers. \"\n---\n",
        )],
        expect: (
            "content/competencies/people/mentoring.md:8:7",
            "this behaviour is listed twice under `staff-engineer`",
        ),
    },
    Case {
        name: "repository_on_an_unknown_forge",
        edits: &[(
            "site.toml",
            "title = \"Basic\"\nrepository = \"https://git.acme.internal/hr/careers\"\n",
        )],
        expect: (
            "site.toml:2:14",
            "cannot tell whether this repository is on GitHub or GitLab",
        ),
    },
    Case {
        name: "repository_with_credentials",
        edits: &[(
            "site.toml",
            "title = \"Basic\"\nrepository = \"https://x-token:s3cret@github.com/acme/careers\"\n",
        )],
        expect: ("site.toml:2:14", "never put credentials in site.toml"),
    },
    Case {
        name: "logo_outside_static",
        edits: &[("site.toml", "title = \"Basic\"\nlogo = \"../secret.png\"\n")],
        expect: ("site.toml:2:8", "is not a file under `static/`"),
    },
    Case {
        name: "base_url_with_a_backslash",
        edits: &[(
            "site.toml",
            "title = \"Basic\"\nbase_url = '/\\evil.example/'\n",
        )],
        expect: ("site.toml:2:12", "backslash"),
    },
    Case {
        name: "control_character_in_a_narrative",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: Staff Engineer\nband: b2\n---\nStaff \u{0}narrative.\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:5:7",
            "control character U+0000",
        ),
    },
    Case {
        name: "control_character_escaped_in_yaml",
        edits: &[(
            "content/levels/expert/staff-engineer.md",
            "---\ntitle: \"Staff\\e[31m Engineer\"\nband: b2\n---\n",
        )],
        expect: (
            "content/levels/expert/staff-engineer.md:2:8",
            "`title` contains the control character U+001B",
        ),
    },
    Case {
        name: "markdown_nested_too_deep",
        edits: &[(
            "content/pages/faq.md",
            concat!(
                "---\ntitle: FAQ\n---\nFirst line.\n\n",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
                "\n",
            ),
        )],
        expect: ("content/pages/faq.md:6:1", "more than 256 deep"),
    },
    Case {
        name: "title_too_long",
        edits: &[(
            "content/pages/faq.md",
            concat!(
                "---\ntitle: FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ ",
                "FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ ",
                "FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ FAQ\n---\n",
            ),
        )],
        expect: ("content/pages/faq.md:2:8", "a title is at most 200"),
    },
    Case {
        name: "static_file_shadows_a_generated_file",
        edits: &[
            ("static/sitemap.xml", "<urlset/>\n"),
            ("static/robots.txt", "User-agent: *\n"),
        ],
        expect: ("static/sitemap.xml:1:1", "would replace `sitemap.xml`"),
    },
    Case {
        name: "output_dir_inside_content",
        edits: &[(
            "site.toml",
            "title = \"Basic\"\noutput_dir = \"content/site\"\n",
        )],
        expect: (
            "site.toml:2:14",
            "must not be inside the site's `content/` folder",
        ),
    },
    Case {
        name: "template_extends_itself",
        edits: &[(
            "templates/level.html",
            "{# my level page #}\n{% extends \"level.html\" %}\n{% block content %}x{% endblock %}\n",
        )],
        expect: (
            "templates/level.html:2:4",
            "template `level.html` extends itself",
        ),
    },
];

/// The human diagnostics with the temp path and timing removed.
fn stable(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| !l.starts_with("Checked "))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Runs `check` on a site with one defect: it must exit 1 naming `location` and the
/// message `fragment`, without a panic, and match its snapshot. The problem, if any.
fn judge(name: &str, site: &Site, (location, fragment): (&str, &str)) -> Option<String> {
    let run = site.check("human");
    let ok = run.code == 1
        && run.stderr.contains(location)
        && run.stderr.contains(fragment)
        && !run.stderr.contains("panicked");
    if !ok {
        return Some(format!("{name}: exit {}\n{}", run.code, run.stderr));
    }
    check_snapshot(&format!("invalid/{name}.txt"), &stable(&run.stderr)).err()
}

#[test]
fn every_invalid_input_is_an_error_with_file_line_and_column() {
    let mut failures = Vec::new();
    for case in CASES {
        let site = Site::fixture("basic");
        for (rel, text) in case.edits {
            site.write(rel, text);
        }
        failures.extend(judge(case.name, &site, case.expect));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Defects in `assessment:`, prepended to the `basic` fixture's framework.yaml so their
/// lines are stable: (name, text, file:line:col, message fragment).
const ASSESSMENT_CASES: &[(&str, &str, &str, &str)] = &[
    (
        "assessment_outcomes_fewer_than_two",
        "assessment:\n  outcomes:\n    - {id: ready, title: Ready}\n",
        "content/framework.yaml:3:5",
        "needs at least two outcomes",
    ),
    (
        "assessment_outcome_duplicate_id",
        "assessment:\n  outcomes:\n    - {id: ready, title: Ready}\n    - {id: ready, title: Ready again}\n",
        "content/framework.yaml:4:12",
        "duplicate outcome id `ready`",
    ),
    (
        "assessment_outcome_without_a_title",
        "assessment:\n  outcomes:\n    - {id: ready}\n    - {id: not-yet, title: Not yet}\n",
        "content/framework.yaml:3:7",
        "missing the required key `title`",
    ),
    (
        "assessment_evidence_unknown_key",
        "assessment:\n  evidence:\n    - {id: peer, title: A peer, weight: 2}\n",
        "content/framework.yaml:3:33",
        "unknown key `weight`",
    ),
    (
        "assessment_evidence_duplicate_id",
        "assessment:\n  evidence:\n    - {id: peer, title: A peer}\n    - {id: peer, title: Another peer}\n",
        "content/framework.yaml:4:12",
        "duplicate evidence source id `peer`",
    ),
    (
        "assessment_evidence_empty",
        "assessment:\n  evidence: []\n",
        "content/framework.yaml:2:13",
        "needs at least one evidence source",
    ),
];

#[test]
fn every_invalid_assessment_vocabulary_is_an_error_with_file_line_and_column() {
    let mut failures = Vec::new();
    for (name, text, location, fragment) in ASSESSMENT_CASES {
        let site = Site::fixture("basic");
        let framework = std::fs::read_to_string(site.path("content/framework.yaml")).unwrap();
        site.write("content/framework.yaml", format!("{text}{framework}"));
        failures.extend(judge(name, &site, (location, fragment)));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn an_unknown_expectations_mode_is_named_with_the_two_it_could_be() {
    let site = Site::fixture("basic");
    let framework = std::fs::read_to_string(site.path("content/framework.yaml")).unwrap();
    site.write(
        "content/framework.yaml",
        format!("expectations: cumulativ\n{framework}"),
    );
    let run = site.check("human");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/framework.yaml:1:15")
            && run.stderr.contains("unknown `expectations: cumulativ`")
            && run.stderr.contains("`restated`"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_on_non_utf8_files_at_the_first_bad_byte() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        b"---\ntitle: Staff \xe9ngineer\nband: b2\n---\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/levels/expert/staff-engineer.md:2:14"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not valid UTF-8"));
}

#[test]
fn a_level_with_an_unknown_band_still_has_its_expects_checked() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        b"---\ntitle: Staff Engineer\nband: b9\nexpects:\n  desing: leading\n  design: leadng\n---\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    for (place, message) in [
        ("staff-engineer.md:3:7", "unknown band `b9`"),
        ("staff-engineer.md:5:3", "unknown competency `desing`"),
        ("staff-engineer.md:6:11", "unknown step `leadng`"),
    ] {
        assert!(
            run.stderr.contains(place) && run.stderr.contains(message),
            "{place} {message}:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("3 errors"), "{}", run.stderr);
}

#[test]
fn a_template_that_is_not_utf8_is_named_at_its_first_bad_byte() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        b"{% extends \"base.html\" %}\n<p>caf\xe9</p>\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: this template is not valid UTF-8\n--> templates/page.html:2:7"),
        "{}",
        run.stderr
    );
}

#[test]
fn points_at_a_tab_that_indents_yaml() {
    let site = Site::fixture("basic");
    // A key indented with a tab: the parser reads the line above as a value that runs on
    // and reports it there; the message points at the tab itself.
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nband: b2\nexpects:\n  ownership: owns\n\tdelivery: leads\n---\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--> content/levels/expert/staff-engineer.md:6:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("replace this tab with spaces"),
        "{}",
        run.stderr
    );
}

#[test]
fn points_at_a_bracket_left_open() {
    let site = Site::fixture("basic");
    // A summary starting with `[` is a list to YAML; unclosed, the parser gives up at the
    // next key's colon. The message points at the bracket.
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nsummary: [Draft, leads a domain\nband: b2\n---\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--> content/levels/expert/staff-engineer.md:3:10"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("this `[` is never closed"),
        "{}",
        run.stderr
    );
    // Closed, with text after it: the list ends at `]`, and the text says to quote it all.
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nsummary: [Draft] Leads a domain\nband: b2\n---\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("staff-engineer.md:3:")
            && run
                .stderr
                .contains("a value starting with `[` as a list, which ends at its `]`"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_utf16_files_as_such() {
    let site = Site::fixture("basic");
    let utf16 = |text: &str| -> Vec<u8> {
        [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    };
    site.write(
        "content/levels/expert/staff-engineer.md",
        utf16("---\ntitle: Staff Engineer\nband: b2\n---\n"),
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: this file is UTF-16 text, not UTF-8\n--> content/levels/expert/staff-engineer.md:1:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("save the file with UTF-8 encoding"));
    assert!(!run.stderr.contains("U+0000"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn errors_on_symlinks_that_lead_outside_the_site() {
    let site = Site::fixture("basic");
    let outside = site.root.parent().unwrap().join("secret.md");
    // The target's text must not be quoted in the message either.
    std::fs::write(&outside, "SECRET-LINE\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/levels/expert/secret.md")).unwrap();
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/levels/expert/secret.md:1:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("leads outside the site"));
    assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_theme_or_settings_file_reached_through_a_symlink_outside_is_not_read() {
    // A contributor links a theme folder (or the whole themes/ folder) to somewhere on
    // the build machine: its static files must not be published.
    let site = Site::fixture("basic");
    let elsewhere = site.root.parent().unwrap().join("elsewhere-theme");
    std::fs::create_dir_all(elsewhere.join("static")).unwrap();
    std::fs::create_dir_all(elsewhere.join("templates")).unwrap();
    std::fs::write(elsewhere.join("static/secret.txt"), "TOPSECRET").unwrap();
    std::fs::create_dir_all(site.path("themes")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.path("themes/ext")).unwrap();
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("theme = \"ext\"\n{toml}"));
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("themes/ext:1:1"), "{}", run.stderr);
    // One error for one problem: the theme is there, it is not "not found".
    assert!(!run.stderr.contains("not found"), "{}", run.stderr);
    assert!(
        run.stderr.contains("leads outside the site"),
        "{}",
        run.stderr
    );
    assert!(!site.out().join("secret.txt").exists());

    // The same with themes/ itself linked.
    std::fs::remove_file(site.path("themes/ext")).unwrap();
    std::fs::remove_dir(site.path("themes")).unwrap();
    let themes = site.root.parent().unwrap().join("elsewhere-themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::os::unix::fs::symlink(&elsewhere, themes.join("ext")).unwrap();
    std::os::unix::fs::symlink(&themes, site.path("themes")).unwrap();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("leads outside the site"),
        "{}",
        run.stderr
    );
    assert!(!site.out().join("secret.txt").exists());

    // site.toml linked to a file outside: not read, so not quoted in a public CI log.
    let settings = site.root.parent().unwrap().join("passwd");
    std::fs::write(&settings, "root:x:0:0:SECRET-LINE\n").unwrap();
    std::fs::remove_file(site.path("site.toml")).unwrap();
    std::os::unix::fs::symlink(&settings, site.path("site.toml")).unwrap();
    let run = site.check("human");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("site.toml:1:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("leads outside the site"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
}

#[test]
fn settings_and_empty_lists_are_reported_where_they_are_written() {
    let site = Site::fixture("basic");
    let toml = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", format!("{toml}theme = \"fancy\"\n"));
    let line = toml.lines().count() + 1;
    let yaml = std::fs::read_to_string(site.path("content/framework.yaml")).unwrap();
    let start = yaml.find("bands:").unwrap();
    let end = yaml.find("areas:").unwrap();
    site.write(
        "content/framework.yaml",
        format!("{}bands: []\n{}", &yaml[..start], &yaml[end..]),
    );
    let run = site.check("json");
    let found = error_places(&run.stdout);
    assert!(found.contains(&format!("site.toml:{line}:9")), "{found:?}");
    assert!(
        found.contains(&"content/framework.yaml:10:8".to_string()),
        "{found:?}"
    );
    assert!(!found.iter().any(|p| p.ends_with(":1:1")), "{found:?}");
}

#[cfg(unix)]
#[test]
fn a_level_file_that_cannot_be_read_is_one_error_not_one_per_use() {
    // Its id still exists (it is the file's name): competencies that list behaviours
    // for it must not each add "unknown level".
    let site = Site::fixture("basic");
    let level = site.path("content/levels/expert/engineer.md");
    let outside = site.root.parent().unwrap().join("engineer.md");
    std::fs::rename(&level, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &level).unwrap();
    let run = site.check("json");
    assert_eq!(run.code, 1);
    let found = error_places(&run.stdout);
    assert_eq!(
        found,
        ["content/levels/expert/engineer.md:1:1"],
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_file_is_not_blamed_again_where_it_is_used() {
    // The sample's data science track is based on the expert track: a broken expert
    // level leaves a data science level without what it replaces, and a competency
    // naming a scale that does not exist is expected at a step by many levels.
    let site = Site::sample();
    let level = "content/levels/expert/senior-engineer.md";
    let text = std::fs::read_to_string(site.path(level)).unwrap();
    site.write(level, text.replacen("title: Senior Engineer\n", "", 1));
    let run = site.check("json");
    assert_eq!(
        error_places(&run.stdout),
        [format!("{level}:2:1")],
        "{}",
        run.stdout
    );
    site.write(level, &text);

    let comp = "content/competencies/enterprise/learning-agility.md";
    let text = std::fs::read_to_string(site.path(comp)).unwrap();
    site.write(
        comp,
        text.replacen("scale: proficiency", "scale: proficency", 1),
    );
    let run = site.check("json");
    assert_eq!(
        error_places(&run.stdout),
        [format!("{comp}:4:8")],
        "{}",
        run.stdout
    );
}

#[test]
fn every_broken_template_is_reported_at_its_place() {
    let site = Site::fixture("basic");
    // Two templates that do not parse: both, not the first only.
    site.write("templates/page.html", "{{ x }\n");
    site.write("templates/track.html", "ok\n{% if %}\n");
    let run = site.check("json");
    assert_eq!(
        error_places(&run.stdout),
        ["templates/page.html:1:6", "templates/track.html:2:7"],
        "{}",
        run.stdout
    );
    // Templates that parse but name what does not exist: each reference at its place,
    // not one error at `templates:1:1` quoting them all.
    site.remove("templates/page.html")
        .remove("templates/track.html");
    site.write(
        "templates/level.html",
        "{% extends \"theme/level.html\" %}\n{% block content %}\n{% include \"missing.html\" %}{{ 1 | nofilter }}\n{% endblock content %}\n",
    );
    let run = site.check("json");
    assert_eq!(
        error_places(&run.stdout),
        ["templates/level.html:3:12", "templates/level.html:3:36"],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Unknown filter `nofilter`"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_wrong_title_does_not_hide_the_file_s_other_problems() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: [a, b]\nband: b9\nstatus: bogus\ntracks: [expert]\n---\n",
    );
    let run = site.check("json");
    let found = error_places(&run.stdout);
    let file = "content/levels/expert/staff-engineer.md";
    for at in ["2:8", "3:7", "4:9"] {
        assert!(
            found.contains(&format!("{file}:{at}")),
            "{at}: {}",
            run.stdout
        );
    }
}

#[test]
fn markdown_files_rungs_does_not_read_are_warned_about() {
    let site = Site::fixture("basic");
    let text =
        std::fs::read_to_string(site.path("content/levels/expert/staff-engineer.md")).unwrap();
    site.write("content/levels/expert/lead.MD", &text);
    site.write("content/pages/faq.markdown", "---\ntitle: FAQ\n---\n");
    let run = site.check("human");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/levels/expert/lead.MD:1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("rename it to `lead.md`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("rename it to `faq.md`"),
        "{}",
        run.stderr
    );
}

/// `file:line:column` of every error in a `check --format json` report, in its order.
fn error_places(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{}:{}:{}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"]
            )
        })
        .collect()
}

#[test]
fn reports_every_problem_in_one_run() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nband: b9\ncolour: red\n---\n",
    );
    site.write(
        "content/competencies/people/mentoring.md",
        "---\ntitle: Mentoring\nbehaviours:\n  ghost: [Boo.]\n---\n",
    );
    site.write("site.toml", "title = \"x\"\nthem = \"y\"\n");
    let run = site.check("json");
    assert_eq!(run.code, 1);
    let found = error_places(&run.stdout);
    assert_eq!(
        found,
        [
            "content/competencies/people/mentoring.md:4:3",
            "content/levels/expert/staff-engineer.md:3:7",
            "content/levels/expert/staff-engineer.md:4:1",
            "site.toml:2:1",
        ]
    );
}

#[test]
fn broken_links_and_repeated_behaviours_are_reported_with_everything_else() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nband: b9\n---\nSee [x](@/competencies/mentorin).\n",
    );
    site.write(
        "content/competencies/people/mentoring.md",
        "---\ntitle: Mentoring\nbehaviours:\n  ghost: [Boo.]\n  engineer:\n    - Asks for feedback.\n    - Asks for feedback.\n---\nSee [the FAQ](@/faqs).\n",
    );
    site.write("site.toml", "title = \"x\"\nthem = \"y\"\n");
    let run = site.check("json");
    assert_eq!(run.code, 1);
    let found = error_places(&run.stdout);
    assert_eq!(
        found,
        [
            "content/competencies/people/mentoring.md:4:3",
            "content/competencies/people/mentoring.md:7:7",
            "content/competencies/people/mentoring.md:9:5",
            "content/levels/expert/staff-engineer.md:3:7",
            "content/levels/expert/staff-engineer.md:5:5",
            "site.toml:2:1",
        ]
    );
}

#[test]
fn a_relative_link_to_a_missing_level_is_a_warning() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nband: b2\n---\nNext: [Principal](../principal-enginer/), [Engineer](../engineer/),\n[Design](../../competencies/design/#x), [gone](/careers/areas/gone/).\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (at, message) in [
        (
            "content/levels/expert/staff-engineer.md:5:7",
            "the link `../principal-enginer/` leads to no level `principal-enginer`",
        ),
        (
            "content/levels/expert/staff-engineer.md:6:41",
            "the link `/careers/areas/gone/` leads to no area `gone`",
        ),
    ] {
        assert!(
            run.stderr.contains(at) && run.stderr.contains(message),
            "{at} {message}\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("did you mean `principal-engineer`?"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("warning:").count(), 2, "{}", run.stderr);
}

#[test]
fn a_link_to_a_draft_left_out_of_the_build_is_a_warning() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/principal-engineer.md",
        "---\ntitle: Principal Engineer\nband: b3\nstatus: draft\n---\n",
    );
    site.write(
        "content/pages/faq.md",
        "---\ntitle: FAQ\n---\nSee [Principal](@/levels/principal-engineer).\n",
    );
    // `check` validates drafts like any level: the link is fine.
    let run = site.check("human");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("faq.md"), "{}", run.stderr);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/pages/faq.md:4:5")
            && run
                .stderr
                .contains("links to a draft level this build leaves out"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_format_prints_workflow_annotations() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nband: b9\n---\n",
    );
    let run = site.check("github");
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("::error file=content/levels/expert/staff-engineer.md,line=3,col=7,title=rungs::unknown band `b9`"),
        "{}",
        run.stdout
    );
}

#[test]
fn warns_but_passes_on_legal_but_suspicious_content() {
    let site = Site::fixture("basic");
    site.write(
        "content/competencies/craft/unused.md",
        "---\ntitle: Unused\n---\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("no level uses competency `unused`"),
        "{}",
        run.stderr
    );
}

#[test]
fn build_reports_the_same_diagnostics_as_check() {
    let site = Site::fixture("basic");
    site.write(
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nband: b9\n---\n",
    );
    let check = site.check("human");
    let build = site.build();
    assert_eq!(build.code, 1);
    let diag = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("Checked") && !l.starts_with("Build failed"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(diag(&check.stderr), diag(&build.stderr));
}

#[test]
fn the_sample_framework_checks_clean() {
    let run = Site::sample().check("human");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_in_site_templates_name_the_template_line_and_column() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"theme/page.html\" %}\n{% block title %}{{ page.title \n{% endblock %}\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/page.html:3:1"),
        "{}",
        run.stderr
    );

    site.write(
        "templates/page.html",
        "{% extends \"theme/page.html\" %}\n{% block title %}{{ nope.missing }}{% endblock %}",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/page.html:2:21"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Variable `nope` is not defined"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("{{ nope.missing }}"),
        "the line is quoted: {}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn refuses_a_fifo_by_name_instead_of_waiting_on_it() {
    let site = Site::fixture("basic");
    let fifo = site.root.parent().unwrap().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available; skipped");
        return;
    }
    // A link inside the site to a FIFO inside the site: allowed by the path rules, and
    // reading it would block forever.
    let inside = site.path("content/pipe");
    std::fs::rename(&fifo, &inside).unwrap();
    std::os::unix::fs::symlink(&inside, site.path("content/levels/expert/piped.md")).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let root = site.root.to_str().unwrap().to_string();
    std::thread::spawn(move || {
        let out = std::process::Command::new(crate::harness::BIN)
            .args(["check", "--root", &root])
            .env("NO_COLOR", "1")
            .output();
        let _ = tx.send(out);
    });
    let out = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("rungs check answers instead of blocking on the FIFO")
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/levels/expert/piped.md:1:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a FIFO (named pipe), not a regular file"),
        "{stderr}"
    );
}

#[test]
fn check_prints_a_json_document_when_there_is_nothing_to_report() {
    let run = Site::fixture("basic").check("json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON document");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["diagnostics"], serde_json::json!([]));
}

/// A defect made by replacing text in one file of the `families` fixture.
struct FamilyCase {
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    expect: (&'static str, &'static str),
}

const FAMILY_CASES: &[FamilyCase] = &[
    FamilyCase {
        name: "competency_track_misspelt",
        file: "content/competencies/craft/reliability.md",
        from: "tracks: [software, sre]",
        to: "tracks: [sofware, sre]",
        expect: (
            "content/competencies/craft/reliability.md:4:10",
            "unknown track `sofware`",
        ),
    },
    FamilyCase {
        name: "track_id_misspelt",
        file: "content/framework.yaml",
        from: "  - id: software",
        to: "  - id: sofware",
        expect: (
            "content/levels/software/se1.md:1:1",
            "unknown track `software` (the folder of this level file and 2 more level files in it)",
        ),
    },
    FamilyCase {
        name: "removed_twice",
        file: "content/competencies/craft/reliability.md",
        from: "    remove: [checklist]",
        to: "    remove: [checklist, checklist]",
        expect: (
            "content/competencies/craft/reliability.md:19:25",
            "`remove: checklist`: `checklist` is removed above",
        ),
    },
    FamilyCase {
        name: "family_unknown",
        file: "content/framework.yaml",
        from: "    family: data\n  - id: data-manager",
        to: "    family: dta\n  - id: data-manager",
        expect: ("content/framework.yaml:26:13", "unknown family `dta`"),
    },
    FamilyCase {
        name: "family_missing_on_a_track",
        file: "content/framework.yaml",
        from: "    kind: manager\n    family: data\n",
        to: "    kind: manager\n",
        expect: (
            "content/framework.yaml:27:9",
            "track `data-manager` names no family",
        ),
    },
    FamilyCase {
        name: "family_requires_a_kind_it_lacks",
        file: "content/framework.yaml",
        from: "  - id: eng-manager\n    title: Engineering Manager\n    kind: manager\n    family: engineering\n",
        to: "  - id: eng-manager\n    title: Engineering Manager\n    kind: manager\n    family: data\n",
        expect: (
            "content/framework.yaml:5:24",
            "family `engineering` requires a manager track and has none",
        ),
    },
    FamilyCase {
        name: "based_on_cycle",
        file: "content/framework.yaml",
        from: "    kind: expert\n    family: engineering\n  - id: sre",
        to: "    kind: expert\n    family: engineering\n    based_on: sre\n  - id: sre",
        expect: (
            "content/framework.yaml:14:15",
            "tracks are based on each other in a cycle: `software` -> `sre` -> `software`",
        ),
    },
    FamilyCase {
        name: "based_on_unknown_track",
        file: "content/framework.yaml",
        from: "    based_on: software",
        to: "    based_on: sofware",
        expect: ("content/framework.yaml:18:15", "unknown track `sofware`"),
    },
    FamilyCase {
        name: "remove_names_nothing_inherited",
        file: "content/competencies/craft/reliability.md",
        from: "    remove: [checklist]",
        to: "    remove: [check-list]",
        expect: (
            "content/competencies/craft/reliability.md:19:14",
            "`remove: check-list` names no behaviour that `sre1` inherits",
        ),
    },
    FamilyCase {
        name: "replace_names_nothing_inherited",
        file: "content/competencies/craft/reliability.md",
        from: "      reviews: Leads",
        to: "      review: Leads",
        expect: (
            "content/competencies/craft/reliability.md:22:7",
            "`replace: review` names no behaviour that `sre3` inherits",
        ),
    },
    FamilyCase {
        name: "core_band_unknown",
        file: "content/competencies/core/communication.md",
        from: "  b2:\n",
        to: "  b9:\n",
        expect: (
            "content/competencies/core/communication.md:9:3",
            "unknown band `b9`",
        ),
    },
];

#[test]
fn every_invalid_family_rule_is_an_error_with_file_line_and_column() {
    let mut failures = Vec::new();
    for case in FAMILY_CASES {
        let site = Site::fixture("families");
        let text = std::fs::read_to_string(site.path(case.file)).unwrap();
        assert!(
            text.contains(case.from),
            "{}: the fixture changed",
            case.name
        );
        site.write(case.file, text.replacen(case.from, case.to, 1));
        failures.extend(judge(case.name, &site, case.expect));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_core_band_with_no_level_on_the_competency_tracks_is_an_error() {
    let site = Site::fixture("families");
    let path = "content/competencies/craft/reliability.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(
        path,
        text.replacen(
            "tracks: [software, sre]\n",
            "tracks: [data]\ncore:\n  b3:\n    - Keeps dashboards honest.\n",
            1,
        ),
    );
    let run = site.check("human");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/competencies/craft/reliability.md:6:3")
            && run
                .stderr
                .contains("`core` names band `b3`, which has no level on the competency's tracks"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_competency_no_level_of_one_of_its_tracks_expects_is_a_warning() {
    let site = Site::fixture("tiny");
    site.write(
        "content/competencies/people/coaching.md",
        "---\ntitle: Coaching\nbehaviours:\n  senior:\n    - Mentors engineers.\n---\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "competency `coaching` applies to `manager` but no level there expects anything of it"
        ) && run
            .stderr
            .contains("content/competencies/people/coaching.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_reports_what_the_build_would_refuse_once_drafts_are_left_out() {
    // The data science level of band 4 removes a behaviour it inherits from Staff
    // Engineer; with Staff Engineer a draft, the build (without --drafts) has nothing to
    // remove it from.
    let site = Site::sample();
    site.edit(
        "content/levels/expert/staff-engineer.md",
        "status: current",
        "status: draft",
    );
    let check = site.check("human");
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("system-design.md:58:14"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("leaves draft levels out"),
        "{}",
        check.stderr
    );
    let build = site.build();
    assert_eq!(
        build.code, 1,
        "the build refuses the same: {}",
        build.stderr
    );
    let root = site.root.to_str().unwrap();
    assert_eq!(site.run(&["build", "--root", root, "--drafts"]).code, 0);
}

#[test]
fn a_duplicate_scale_is_one_error_not_one_per_step_it_lacks() {
    let site = Site::fixture("basic");
    site.edit(
        "content/framework.yaml",
        "scales:\n",
        "scales:\n  - id: proficiency\n    title: Other\n    steps:\n      - {id: other, title: Other}\n",
    );
    let run = site.check("human");
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("duplicate scale id `proficiency`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 error, 0 warnings"), "{}", run.stderr);
}
