//! `assessment:` in framework.yaml as written (see [`crate::model::assessment`]).

use super::Id;
use super::schema::{Node, Reader};
use super::spec::{ASSESSMENT, EVIDENCE, OUTCOME, RATING, Spec};
use crate::diagnostics::Pos;

/// One entry of a vocabulary (a rating, an outcome, an evidence source) as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChoiceDef {
    pub id: Id,
    pub title: String,
    pub summary: String,
}

/// One of the three lists, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChoicesDef {
    pub pos: Pos,
    /// How many entries were written, readable or not.
    pub written: usize,
    pub items: Vec<ChoiceDef>,
}

/// `assessment:` as written; a list left out is `None` (its default applies).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AssessmentDef {
    pub ratings: Option<ChoicesDef>,
    pub outcomes: Option<ChoicesDef>,
    pub evidence: Option<ChoicesDef>,
}

/// Reads `assessment:`; problems become diagnostics on `r`.
pub(crate) fn parse(r: &mut Reader, node: &Node) -> Option<AssessmentDef> {
    let mut f = r.fields(node, &ASSESSMENT)?;
    let mut list = |key: &'static str, spec: &'static Spec| {
        f.get(key).map(|n| {
            let list = r.list(n, key);
            ChoicesDef {
                pos: n.pos,
                written: list.len(),
                items: choices(r, list, spec),
            }
        })
    };
    let def = AssessmentDef {
        ratings: list("ratings", &RATING),
        outcomes: list("outcomes", &OUTCOME),
        evidence: list("evidence", &EVIDENCE),
    };
    f.finish(r);
    Some(def)
}

fn choices(r: &mut Reader, list: &[Node], spec: &'static Spec) -> Vec<ChoiceDef> {
    let mut out = Vec::new();
    for item in list {
        let Some(mut rf) = r.fields(item, spec) else {
            continue;
        };
        let id = rf.require(r, "id").and_then(|n| r.id(n, "id"));
        let title = rf.require(r, "title").and_then(|n| r.title(n, "title"));
        let summary = rf.get("summary").and_then(|n| r.string(n, "summary"));
        rf.finish(r);
        if let (Some(id), Some(title)) = (id, title) {
            out.push(ChoiceDef {
                id,
                title: title.value,
                summary: summary.map(|s| s.value).unwrap_or_default(),
            });
        }
    }
    out
}
