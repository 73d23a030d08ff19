//! `rungs init`: a small, working starter framework (two tracks sharing a trunk, a
//! proficiency scale and both authoring styles), so a new framework starts from something
//! that builds and checks clean, and set up for editors: the JSON Schemas in
//! `.rungs/schemas/` (local files, so they work offline and match this rungs), a first
//! line in framework.yaml and site.toml pointing their language servers at them, and VS
//! Code settings, recommended extensions and a `rungs check` task whose problems land in
//! the editor (front matter included, which no editor validates against a schema).

use std::io;

use crate::diagnostics::io_error_at as at;
use std::path::Path;

const FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        "title = \"Our career framework\"\ndescription = \"How we grow: an expert track and a manager track, side by side.\"\nbase_url = \"/\"\n\n[markdown]\nallow_raw_html = false\n",
    ),
    (
        "content/framework.yaml",
        r#"# Tracks are the ladder's columns, bands its rows (lowest first).
tracks:
  - id: expert
    title: Expert track
    kind: expert
    summary: Grow by deepening and widening your technical impact.
  - id: manager
    title: Manager track
    kind: manager
    summary: Grow by building teams and the conditions for them to do great work.
bands:
  - id: b1
    title: Band 1
  - id: b2
    title: Band 2
  - id: b3
    title: Band 3
areas:
  - id: craft
    title: Craft
    category: technical
    summary: Building software that works and keeps working.
  - id: people
    title: People
    category: leadership
    summary: Helping others grow.
scales:
  - id: proficiency
    title: Proficiency
    steps:
      - id: learning
        title: Learning
        summary: Does it with guidance.
      - id: practising
        title: Practising
        summary: Does it independently.
      - id: leading
        title: Leading
        summary: Raises the bar for others.
"#,
    ),
    (
        "content/index.md",
        "---\ntitle: Our career framework\n---\nThis framework describes how people grow here. Levels in the same row are equivalent: the expert track is a full path to seniority, not a consolation prize. Start with [how to use it](@/how-to-use).\n",
    ),
    (
        "content/levels/expert/engineer.md",
        "---\ntitle: Engineer\nband: b1\ntracks: [expert, manager]\nsummary: Delivers well-defined work within the team.\nattributes:\n  Scope: Their own tasks\n  Autonomy: Works with guidance\nexpects:\n  design: learning\n---\nEveryone starts here, whichever track they later choose.\n",
    ),
    (
        "content/levels/expert/senior-engineer.md",
        "---\ntitle: Senior Engineer\nband: b2\ntracks: [expert, manager]\nsummary: Owns features end to end and helps teammates grow.\nattributes:\n  Scope: Team\n  Autonomy: Independent\nexpects:\n  design: practising\n---\nA senior engineer is trusted with ambiguous work.\n",
    ),
    (
        "content/levels/expert/staff-engineer.md",
        "---\ntitle: Staff Engineer\nband: b3\nsummary: Sets technical direction across several teams.\nattributes:\n  Scope: Several teams\n  Autonomy: Sets their own direction\nexpects:\n  design: leading\n---\nStaff engineers lead through technical influence rather than reporting lines.\n",
    ),
    (
        "content/levels/manager/engineering-manager.md",
        "---\ntitle: Engineering Manager\nband: b3\nsummary: Leads a team and grows the people in it.\nattributes:\n  Scope: A team\n  Autonomy: Sets the team's direction\nexpects:\n  design: practising\n---\nEngineering managers are equivalent to staff engineers: same band, same seniority.\n",
    ),
    (
        "content/competencies/craft/design.md",
        "---\ntitle: System design\nsummary: Shaping systems that are simple, robust and easy to change.\nscale: proficiency\nproficiency:\n  learning:\n    - Designs small components with a reviewer's help.\n  practising:\n    - Designs features end to end and explains the trade-offs.\n  leading:\n    - text: Sets design direction across teams.\n      examples:\n        - Writes the design principles other teams adopt.\n---\nGood design makes the next change easy.\n",
    ),
    (
        "content/competencies/people/mentoring.md",
        "---\ntitle: Mentoring\nsummary: Helping others learn and grow.\nbehaviours:\n  engineer:\n    - Asks for feedback and acts on it.\n  senior-engineer:\n    - Mentors newer teammates.\n  staff-engineer:\n    - Grows senior engineers into technical leaders.\n  engineering-manager:\n    - Holds regular one-to-ones and writes development plans with each report.\n---\nEveryone mentors; how widely grows with the level.\n",
    ),
    (
        "content/pages/how-to-use.md",
        "---\ntitle: How to use this framework\norder: 1\n---\nUse it for conversations and development plans, not as a promotion checklist. Each level page opens on what changed from the level below: [Senior Engineer](@/levels/senior-engineer), for example.\n\nLinks written `@/levels/<level>`, `@/competencies/<competency>` or `@/<page>` are checked by `rungs check` and work from every page.\n",
    ),
];

/// Every file of the starter: the framework with its schema lines, the schemas and the
/// editor settings.
fn files() -> Vec<(String, String)> {
    use crate::schemas::{self, Kind};
    let mut out: Vec<(String, String)> = FILES
        .iter()
        .map(|&(rel, text)| {
            let text = match rel {
                "site.toml" => format!("{}\n{text}", schemas::site_directive()),
                "content/framework.yaml" => format!("{}\n{text}", schemas::framework_modeline()),
                _ => text.to_string(),
            };
            (rel.to_string(), text)
        })
        .collect();
    for kind in Kind::ALL {
        out.push((
            format!("{}/{}", schemas::DIR, kind.file_name()),
            schemas::schema(kind),
        ));
    }
    out.push((".vscode/settings.json".into(), schemas::vscode_settings()));
    out.push((
        ".vscode/extensions.json".into(),
        schemas::vscode_extensions(),
    ));
    out.push((".vscode/tasks.json".into(), schemas::vscode_tasks()));
    out
}

/// Writes the starter into `dir`, refusing a folder that already has files in it.
pub fn init(dir: &Path) -> io::Result<usize> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(io::Error::other(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        let mut entries = std::fs::read_dir(dir).map_err(at("read", dir))?;
        if entries.next().is_some() {
            return Err(io::Error::other(format!(
                "{} is not empty; rungs init only writes into a new or empty folder",
                dir.display()
            )));
        }
    }
    let files = files();
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(at("create the folder", parent))?;
        }
        std::fs::write(&path, text).map_err(at("write", &path))?;
    }
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_checks_clean() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        init(&site).unwrap();
        let (fw, outcome) = crate::pipeline::load_framework(&site).unwrap();
        assert!(fw.is_some());
        assert!(outcome.diags.is_empty(), "{:?}", outcome.diags);
    }

    #[test]
    fn the_starter_points_editors_at_its_schemas() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path()).unwrap();
        let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).unwrap();
        let framework = read("content/framework.yaml");
        let modeline = framework.lines().next().unwrap();
        let schema = modeline
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap();
        // Relative to the file, as yaml-language-server resolves it.
        let target = dir.path().join("content").join(schema);
        assert_eq!(
            std::fs::read_to_string(target).unwrap(),
            crate::schemas::schema(crate::schemas::Kind::Framework)
        );
        let site = read("site.toml");
        let schema = site
            .lines()
            .next()
            .unwrap()
            .strip_prefix("#:schema ")
            .unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(schema)).unwrap(),
            crate::schemas::schema(crate::schemas::Kind::Site)
        );
        let settings: serde_json::Value =
            serde_json::from_str(&read(".vscode/settings.json")).unwrap();
        for (schema, globs) in settings["yaml.schemas"].as_object().unwrap() {
            assert!(dir.path().join(schema).is_file(), "{schema}");
            for glob in globs.as_array().unwrap() {
                assert!(dir.path().join(glob.as_str().unwrap()).is_file(), "{glob}");
            }
        }
        for rel in [".vscode/extensions.json", ".vscode/tasks.json"] {
            serde_json::from_str::<serde_json::Value>(&read(rel)).unwrap();
        }
    }

    #[test]
    fn refuses_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
        assert!(init(dir.path()).is_err());
    }
}
