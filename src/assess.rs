//! The self-assessment rating scale (issue 5): `assessment: { ratings: [...] }` in
//! framework.yaml, read here (called from [`crate::parse`]) and checked here (called from
//! [`crate::assemble`]), so the YAML shape and its rules live in one place.
//!
//! ```yaml
//! assessment:
//!   ratings:                 # lowest first; the last one means "meets the expectation"
//!     - { id: not-yet, title: Not yet }
//!     - { id: sometimes, title: Sometimes }
//!     - { id: consistently, title: Consistently }
//! ```

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Pos};
use crate::parse::Id;
use crate::schema::{Node, Reader};

/// Shareable URLs encode one rating per behaviour as a base-36 digit (0 = unrated), so a
/// scale holds at most 35 ratings.
pub const MAX_RATINGS: usize = 35;

const FILE: &str = "content/framework.yaml";

/// One step of the rating scale as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingDef {
    pub id: Id,
    pub title: String,
    pub summary: String,
}

/// `assessment:` as written.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentDef {
    pub pos: Pos,
    pub ratings: Vec<RatingDef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub id: String,
    pub title: String,
    pub summary: String,
}

/// The resolved rating scale, lowest first. The last rating is the one the plan treats
/// as "consistently meets the expectation".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub ratings: Vec<Rating>,
}

impl Default for Assessment {
    fn default() -> Self {
        let r = |id: &str, title: &str, summary: &str| Rating {
            id: id.into(),
            title: title.into(),
            summary: summary.into(),
        };
        Assessment {
            ratings: vec![
                r(
                    "not-yet",
                    "Not yet",
                    "I have not shown this yet, or only with help.",
                ),
                r(
                    "sometimes",
                    "Sometimes",
                    "I show this in some situations but not reliably.",
                ),
                r(
                    "consistently",
                    "Consistently",
                    "I show this regularly, without being prompted.",
                ),
            ],
        }
    }
}

/// Reads `assessment:`; problems become diagnostics on `r`.
pub fn parse(r: &mut Reader, node: &Node) -> Option<AssessmentDef> {
    let ctx = "`assessment`";
    let mut f = r.fields(node, ctx)?;
    let mut ratings = Vec::new();
    if let Some(list) = f.require(r, "ratings", ctx) {
        for item in r.list(list, "ratings") {
            let Some(mut rf) = r.fields(item, "a rating") else {
                continue;
            };
            let id = rf.require(r, "id", "a rating").and_then(|n| r.id(n, "id"));
            let title = rf
                .require(r, "title", "a rating")
                .and_then(|n| r.title(n, "title"));
            let summary = rf.get("summary").and_then(|n| r.string(n, "summary"));
            rf.finish(r, &["id", "title", "summary"], "a rating");
            if let (Some(id), Some(title)) = (id, title) {
                ratings.push(RatingDef {
                    id,
                    title: title.value,
                    summary: summary.map(|s| s.value).unwrap_or_default(),
                });
            }
        }
    }
    f.finish(r, &["ratings"], ctx);
    Some(AssessmentDef {
        pos: node.pos,
        ratings,
    })
}

/// Checks the scale (unique ids, 2 to [`MAX_RATINGS`] ratings) and falls back to the
/// default scale when it is absent or unusable.
pub fn resolve(def: Option<&AssessmentDef>, diags: &mut Vec<Diagnostic>) -> Assessment {
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
    use crate::discover::{Kind, SourceFile};
    use crate::markdown::MarkdownOptions;
    use crate::parse::{Parsed, parse_file};

    const BASE: &str = "tracks:\n  - {id: expert, title: Expert, kind: expert}\nbands:\n  - {id: b1, title: Band 1}\nareas:\n  - {id: craft, title: Craft, category: technical}\n";

    /// Parses framework.yaml with `extra` appended and resolves its assessment scale.
    fn run(extra: &str) -> (Assessment, Vec<String>) {
        let p = parse_file(
            SourceFile {
                rel: FILE.into(),
                kind: Kind::Framework,
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
