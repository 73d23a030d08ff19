//! The assessment vocabularies, checked: unique ids, 2 to [`MAX_RATINGS`] ratings, at
//! least two outcomes and one evidence source, and each list's default when it is absent
//! or unusable.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Pos};
use crate::model::assessment::{
    Assessment, Choice, MAX_RATINGS, default_evidence, default_outcomes, default_ratings,
};
use crate::parse::assessment::{AssessmentDef, ChoicesDef};

const FILE: &str = "content/framework.yaml";

/// How one vocabulary is checked.
struct Rule {
    /// `rating`, `outcome`, `evidence source`: names the list in messages.
    what: &'static str,
    key: &'static str,
    min: usize,
    max: usize,
    help: &'static str,
    default: fn() -> Vec<Choice>,
}

const RATINGS: Rule = Rule {
    what: "rating",
    key: "ratings",
    min: 2,
    max: MAX_RATINGS,
    help: "list them lowest first under `assessment: ratings:`, e.g. `- {id: not-yet, title: Not yet}`; the last one means the behaviour is met consistently",
    default: default_ratings,
};

const OUTCOMES: Rule = Rule {
    what: "outcome",
    key: "outcomes",
    min: 2,
    max: usize::MAX,
    help: "list what a calibration can agree under `assessment: outcomes:`, e.g. `- {id: ready, title: Ready}` and `- {id: not-yet, title: Not yet}`",
    default: default_outcomes,
};

const EVIDENCE: Rule = Rule {
    what: "evidence source",
    key: "evidence",
    min: 1,
    max: usize::MAX,
    help: "list where evidence comes from under `assessment: evidence:`, e.g. `- {id: peer, title: A peer}`, or leave `evidence` out for the default",
    default: default_evidence,
};

/// Checks the three vocabularies; each falls back to its default when it is absent or
/// unusable.
pub(super) fn resolve(def: Option<&AssessmentDef>, diags: &mut Vec<Diagnostic>) -> Assessment {
    let Some(def) = def else {
        return Assessment::default();
    };
    Assessment {
        ratings: vocabulary(def.ratings.as_ref(), &RATINGS, diags),
        outcomes: vocabulary(def.outcomes.as_ref(), &OUTCOMES, diags),
        evidence: vocabulary(def.evidence.as_ref(), &EVIDENCE, diags),
    }
}

fn vocabulary(def: Option<&ChoicesDef>, rule: &Rule, diags: &mut Vec<Diagnostic>) -> Vec<Choice> {
    let Some(def) = def else {
        return (rule.default)();
    };
    let mut seen: HashMap<&str, Pos> = HashMap::new();
    let mut out = Vec::new();
    let mut ok = true;
    for c in &def.items {
        if let Some(first) = seen.get(c.id.value.as_str()) {
            diags.push(
                Diagnostic::error(
                    FILE,
                    c.id.pos,
                    format!("duplicate {} id `{}`", rule.what, c.id.value),
                )
                .with_help(format!(
                    "the first {} with this id is at line {}",
                    rule.what, first.line
                )),
            );
            ok = false;
            continue;
        }
        seen.insert(&c.id.value, c.id.pos);
        out.push(Choice {
            id: c.id.value.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
        });
    }
    // Counted as written, so an entry already reported is not reported again.
    let few = def.written < rule.min;
    if few || out.len() > rule.max {
        let message = if few {
            let n = if rule.min == 1 { "one" } else { "two" };
            let s = if rule.min == 1 { "" } else { "s" };
            format!(
                "`assessment: {}` needs at least {n} {}{s}",
                rule.key, rule.what
            )
        } else {
            format!(
                "`assessment: {}` has {} {}s; at most {} are supported",
                rule.key,
                out.len(),
                rule.what,
                rule.max
            )
        };
        let help = if few {
            rule.help
        } else {
            "shareable assessment links store one character per behaviour; use a shorter scale"
        };
        diags.push(Diagnostic::error(FILE, def.pos, message).with_help(help));
        ok = false;
    }
    if ok { out } else { (rule.default)() }
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
            ["9:5 `assessment: ratings` needs at least two ratings"]
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
    fn assessment_must_be_a_mapping_and_each_list_defaults() {
        let (_, msgs) = run("assessment: [a, b]\n");
        assert!(!msgs.is_empty());
        let (a, msgs) = run("assessment: {}\n");
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(a, Assessment::default());
    }

    #[test]
    fn reads_outcomes_and_evidence_and_keeps_the_default_scale() {
        let (a, msgs) = run(
            "assessment:\n  outcomes:\n    - {id: ready, title: Ready}\n    - {id: not-yet, title: Not yet}\n  evidence:\n    - {id: doc, title: A design document, summary: Linked.}\n",
        );
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(a.ratings, default_ratings());
        let ids: Vec<_> = a.outcomes.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["ready", "not-yet"]);
        assert_eq!(a.evidence[0].summary, "Linked.");
    }

    #[test]
    fn errors_on_bad_outcomes_and_evidence_at_their_position() {
        let (a, msgs) = run(
            "assessment:\n  outcomes:\n    - {id: ready, title: Ready}\n  evidence:\n    - {id: peer, title: A peer}\n    - {id: peer, title: Again}\n    - {id: doc, title: Doc, weight: 2}\n",
        );
        assert!(
            msgs.contains(&"9:5 `assessment: outcomes` needs at least two outcomes".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"12:12 duplicate evidence source id `peer`".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("13:") && m.contains("unknown key `weight`")),
            "{msgs:?}"
        );
        assert_eq!(a.outcomes, default_outcomes());
        assert_eq!(a.evidence, default_evidence());
    }
}
