//! `rungs schema`, and the schemas the sample site (the repository's root) ships.

use crate::harness::{BIN, Site};
use std::path::Path;
use std::process::Command;

const KINDS: [&str; 6] = ["framework", "level", "competency", "page", "index", "site"];

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(BIN).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn schema_writes_every_schema_into_the_site_and_prints_one() {
    let site = Site::fixture("basic");
    let root = site.root.to_str().unwrap();
    let (code, _, err) = run(&["schema", "--root", root]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Wrote 6 JSON Schemas"), "{err}");
    for kind in KINDS {
        let written =
            std::fs::read_to_string(site.path(&format!(".rungs/schemas/{kind}.schema.json")))
                .unwrap();
        let (code, printed, _) = run(&["schema", kind]);
        assert_eq!(code, 0);
        assert_eq!(written, printed, "{kind}");
        let v: serde_json::Value = serde_json::from_str(&printed).unwrap();
        assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    }
    // Writing schemas is not a change to the framework: it still checks clean.
    assert_eq!(site.check("human").code, 0);
}

#[test]
fn schema_out_writes_anywhere_and_the_default_needs_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schemas");
    let (code, _, err) = run(&["schema", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 6);
    let (code, _, err) = run(&["schema", "level", "--out", out.to_str().unwrap()]);
    assert_eq!(
        (code, err.contains("Wrote 1 JSON Schema ")),
        (0, true),
        "{err}"
    );
    let (code, _, err) = run(&["schema", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no content/ folder"), "{err}");
    assert_eq!(run(&["schema", "nope"]).0, 2);
}

/// The sample's first lines point editors at .rungs/schemas/; those files must be what
/// this rungs generates, or an editor would flag what check accepts (or the reverse).
#[test]
fn the_samples_schemas_are_current() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for kind in KINDS {
        let path = repo.join(format!(".rungs/schemas/{kind}.schema.json"));
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let (_, generated, _) = run(&["schema", kind]);
        assert!(
            committed == generated,
            "{} is stale: run `cargo run -- schema` at the repository's root and commit the result",
            path.display()
        );
    }
}
