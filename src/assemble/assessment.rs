//! The self-assessment rating scale, checked: unique ids, 2 to [`MAX_RATINGS`] ratings,
//! and the default scale when it is absent or unusable.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::assessment::{Assessment, MAX_RATINGS, Rating};
use crate::parse::assessment::AssessmentDef;

const FILE: &str = "content/framework.yaml";

/// Checks the scale (unique ids, 2 to [`MAX_RATINGS`] ratings) and falls back to the
/// default scale when it is absent or unusable.
pub(super) fn resolve(def: Option<&AssessmentDef>, diags: &mut Vec<Diagnostic>) -> Assessment {
    let Some(def) = def else {
        return Assessment::default();
    };
    let mut seen: HashMap<&str, Pos> = HashMap::new();
    let mut ratings = Vec::new();
    let mut ok = true;
    for r in &def.ratings {
        if let Some(first) = seen.get(r.id.value.as_str()) {
            diags.push(
                Diagnostic::error(
                    FILE,
                    r.id.pos,
                    format!("duplicate rating id `{}`", r.id.value),
                )
                .with_help(format!(
                    "the first rating with this id is at line {}",
                    first.line
                )),
            );
            ok = false;
            continue;
        }
        seen.insert(&r.id.value, r.id.pos);
        ratings.push(Rating {
            id: r.id.value.clone(),
            title: r.title.clone(),
            summary: r.summary.clone(),
        });
    }
    if ratings.len() < 2 {
        diags.push(
            Diagnostic::error(FILE, def.pos, "the assessment scale needs at least two ratings")
                .with_help("list them lowest first under `assessment: ratings:`, e.g. `- {id: not-yet, title: Not yet}`; the last one means the behaviour is met consistently"),
        );
        ok = false;
    }
    if ratings.len() > MAX_RATINGS {
        diags.push(
            Diagnostic::error(
                FILE,
                def.pos,
                format!(
                    "the assessment scale has {} ratings; at most {MAX_RATINGS} are supported",
                    ratings.len()
                ),
            )
            .with_help(
                "shareable assessment links store one character per behaviour; use a shorter scale",
            ),
        );
        ok = false;
    }
    if ok {
        Assessment { ratings }
    } else {
        Assessment::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{FileKind, SourceFile};
    use crate::markdown::MarkdownOptions;
    use crate::model::assessment::Assessment;
    use crate::parse::{Parsed, parse_file};

    const BASE: &str = "tracks:\n  - {id: expert, title: Expert, kind: expert}\nbands:\n  - {id: b1, title: Band 1}\nareas:\n  - {id: craft, title: Craft, category: technical}\n";

    /// Parses framework.yaml with `extra` appended and resolves its assessment scale.
    fn run(extra: &str) -> (Assessment, Vec<String>) {
        let p = parse_file(
            SourceFile {
                rel: FILE.into(),
                kind: FileKind::Framework,
                bytes: format!("{BASE}{extra}").into_bytes(),
            },
            MarkdownOptions::default(),
        );
        let mut diags = p.diags.clone();
        let Parsed::Framework(def) = p.parsed else {
            panic!("{diags:?}")
        };
        let a = resolve(def.assessment.as_ref(), &mut diags);
        let msgs = diags
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect();
        (a, msgs)
    }

    #[test]
    fn the_default_scale_is_not_yet_sometimes_consistently() {
        let (a, msgs) = run("");
        assert!(msgs.is_empty(), "{msgs:?}");
        let ids: Vec<_> = a.ratings.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["not-yet", "sometimes", "consistently"]);
    }

    #[test]
    fn reads_a_custom_scale_in_order() {
        let (a, msgs) = run(
            "assessment:\n  ratings:\n    - {id: emerging, title: Emerging}\n    - {id: developing, title: Developing, summary: Getting there}\n    - {id: strong, title: Strong}\n    - {id: role-model, title: Role model}\n",
        );
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(a.ratings.len(), 4);
        assert_eq!(a.ratings[1].summary, "Getting there");
        assert_eq!(a.ratings[3].title, "Role model");
    }

    #[test]
    fn errors_on_duplicate_rating_ids_at_their_position() {
        let (a, msgs) = run(
            "assessment:\n  ratings:\n    - {id: yes, title: Yes}\n    - {id: no, title: No}\n    - {id: yes, title: Again}\n",
        );
        assert_eq!(msgs, ["11:12 duplicate rating id `yes`"]);
        assert_eq!(a, Assessment::default());
    }

    #[test]
    fn errors_on_a_scale_of_fewer_than_two_ratings() {
        let (_, msgs) = run("assessment:\n  ratings:\n    - {id: done, title: Done}\n");
        assert_eq!(
            msgs,
            ["8:3 the assessment scale needs at least two ratings"]
        );
        let (_, msgs) = run("assessment:\n  ratings: []\n");
        assert_eq!(msgs.len(), 1, "{msgs:?}");
    }

    #[test]
    fn errors_on_unknown_keys_missing_titles_and_bad_ids() {
        let (_, msgs) = run(
            "assessment:\n  scale: x\n  ratings:\n    - {id: Not Yet, title: Not yet}\n    - {id: ok}\n    - {id: fine, title: Fine, colour: red}\n",
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("8:3 unknown key `scale`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("not a valid id")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("missing the required key `title`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("unknown key `colour`")),
            "{msgs:?}"
        );
    }

    #[test]
    fn assessment_must_be_a_mapping_with_ratings() {
        let (_, msgs) = run("assessment: [a, b]\n");
        assert!(!msgs.is_empty());
        let (_, msgs) = run("assessment: {}\n");
        assert!(
            msgs.iter()
                .any(|m| m.contains("missing the required key `ratings`")),
            "{msgs:?}"
        );
    }
}
